//! Towns: several can live in one database, each reached under its own host names.
//!
//! Towns change rarely, so they are held in memory ([`TownDirectory`]) and every request finds
//! its town without touching the database.

pub mod settings;
pub mod store;

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::ApiJson;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::routing::get;
use portal_domain::wire::{LoginKind, LoginMethod, TownInfo};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use settings::TownSettings;
pub use store::Town;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/town", get(town_info))
}

/// Public facts about the town this request is for.
#[utoipa::path(get, path = "/api/town", tag = "towns",
    responses((status = 200, body = TownInfo), (status = 404, body = portal_domain::wire::ErrorBody)))]
pub async fn town_info(CurrentTown(town): CurrentTown) -> ApiJson<TownInfo> {
    ApiJson(town.info.clone())
}

#[derive(Debug, Default)]
pub struct TownDirectory {
    inner: RwLock<Directory>,
}

#[derive(Debug, Default)]
struct Directory {
    by_host: HashMap<String, Arc<Town>>,
    /// Answers requests whose host names no town: the only town, or the demo town.
    fallback: Option<Arc<Town>>,
}

impl TownDirectory {
    pub fn new(towns: Vec<Town>, demo: bool, configured: &[TownSettings]) -> TownDirectory {
        let directory = TownDirectory::default();
        directory.replace(towns, demo, configured);
        directory
    }

    /// Swaps in a fresh list of towns (after an admin edits one, or at start-up).
    pub fn replace(&self, towns: Vec<Town>, demo: bool, configured: &[TownSettings]) {
        let towns: Vec<Arc<Town>> = towns
            .into_iter()
            .map(|mut town| {
                let settings = configured.iter().find(|c| c.slug == town.info.slug);
                town.info.login_methods = login_methods(demo, settings);
                town.info.opening_hours = match settings {
                    Some(settings) => settings.opening_hours.clone(),
                    None if town.info.demo => crate::demo::OPENING_HOURS
                        .iter()
                        .map(|line| line.to_string())
                        .collect(),
                    None => Vec::new(),
                };
                Arc::new(town)
            })
            .collect();
        let mut by_host = HashMap::new();
        for town in &towns {
            for host in &town.hostnames {
                by_host.insert(host.to_ascii_lowercase(), town.clone());
            }
        }
        let fallback = if towns.len() == 1 {
            towns.first().cloned()
        } else {
            towns.iter().find(|t| t.info.demo).cloned()
        };
        *self.inner.write().unwrap_or_else(|e| e.into_inner()) = Directory { by_host, fallback };
    }

    pub fn for_host(&self, host: Option<&str>) -> Option<Arc<Town>> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let name = host.map(|h| {
            h.rsplit_once(':')
                .map_or(h, |(name, _)| name)
                .to_ascii_lowercase()
        });
        name.and_then(|n| inner.by_host.get(&n).cloned())
            .or_else(|| inner.fallback.clone())
    }
}

/// Ways in: the town's configured identity providers, then the demo login in demo mode.
fn login_methods(demo: bool, settings: Option<&TownSettings>) -> Vec<LoginMethod> {
    let mut methods: Vec<LoginMethod> = settings
        .into_iter()
        .flat_map(|s| &s.logins)
        .map(|login| LoginMethod {
            id: login.id.clone(),
            kind: login.kind.login_kind(),
            name: login.name.clone(),
            max_loa: login.max_loa(),
        })
        .collect();
    if demo {
        methods.push(LoginMethod {
            id: "demo".into(),
            kind: LoginKind::Demo,
            name: None,
            max_loa: portal_domain::wire::Loa::Substantial,
        });
    }
    methods
}

/// The town a request is for, from its `Host` header.
pub struct CurrentTown(pub Arc<Town>);

impl FromRequestParts<AppState> for CurrentTown {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let host = parts
            .headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok());
        state
            .towns
            .for_host(host)
            .map(CurrentTown)
            .ok_or(ApiError::NotFound)
    }
}
