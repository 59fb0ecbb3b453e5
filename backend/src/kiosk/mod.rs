//! Lobby kiosks: devices registered by an admin, their profiles, and the eObčanka card login
//! (Web eID style: a nonce bound to the kiosk, signed by the card, verified here), and the
//! identity-provider login handed over to a kiosk from its own browser.

pub mod admin;
pub mod device;
pub mod handoff;
pub mod login;
pub mod settings;
pub mod store;
#[doc(hidden)]
pub mod test_pki;
pub mod verify;

use crate::state::AppState;
use axum::Router;
use axum::routing::{delete, get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/kiosk/challenge", post(login::challenge))
        .route("/api/kiosk/login", post(login::login))
        .route("/api/kiosk/logout", post(login::logout))
        .route("/api/kiosk/profile", get(login::profile))
        .route("/api/kiosk/handoff", post(handoff::start))
        .route(
            "/api/kiosk/handoff/{handoff}/complete",
            get(handoff::complete),
        )
        .route("/api/kiosk/handoff/{handoff}/claim", post(handoff::claim))
        .route("/api/admin/kiosks", get(admin::list).post(admin::register))
        .route(
            "/api/admin/kiosks/{id}/profile",
            get(admin::profile).put(admin::update_profile),
        )
        .route("/api/admin/kiosks/{id}", delete(admin::revoke))
}
