//! What every handler can reach.

use crate::config::Config;
use crate::db::Db;
use crate::towns::TownDirectory;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub towns: Arc<TownDirectory>,
    /// Each town's identity providers (`[[town.login]]`).
    pub oidc: Arc<crate::identity::oidc::Registry>,
    pub login_limiter: Arc<crate::identity::rate_limit::LoginLimiter>,
    /// Applies card gateway messages, several per transaction (`payments::card::batch`).
    pub card_writer: crate::payments::card::batch::Batcher,
}
