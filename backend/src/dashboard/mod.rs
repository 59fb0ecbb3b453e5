//! "Přehled": one tile per module the town enabled, each summarised by its own module.

use crate::error::ApiError;
use crate::identity::session::CurrentSession;
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::ApiJson;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use portal_domain::wire::{Dashboard, Module, Tile};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/dashboard", get(dashboard))
}

/// The logged-in citizen's tiles with live summaries.
#[utoipa::path(get, path = "/api/dashboard", tag = "dashboard",
    responses((status = 200, body = Dashboard), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn dashboard(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    session: CurrentSession,
) -> Result<ApiJson<Dashboard>, ApiError> {
    let citizen_id = session.citizen_id();
    let modules = town.info.modules.clone();
    let town_id = town.id;
    let tiles = state
        .db
        .read(move |conn| {
            let mut tiles = Vec::with_capacity(modules.len());
            for module in modules {
                // A module without a summary yet has no tile rather than a made-up one.
                let summary = match module {
                    Module::Payments => crate::payments::tile_summary(conn, town_id, citizen_id)?,
                    Module::Notifications => {
                        crate::notifications::tile_summary(conn, town_id, citizen_id)?
                    }
                    Module::Filing | Module::Bookings | Module::Subsidies => continue,
                };
                tiles.push(Tile { module, summary });
            }
            Ok(tiles)
        })
        .await?;
    Ok(ApiJson(Dashboard { tiles }))
}
