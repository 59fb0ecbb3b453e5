//! "Přehled": one tile per module the town enabled, each summarised by its own module.

use crate::error::ApiError;
use crate::identity::session::SessionClaim;
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
    security(("session" = [])),
    responses((status = 200, body = Dashboard), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn dashboard(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    claim: SessionClaim,
) -> Result<ApiJson<Dashboard>, ApiError> {
    let modules = town.info.modules.clone();
    let town_id = town.id;
    // Session check and tile queries in one trip to the database.
    let (_session, tiles) = claim
        .authenticate_then(&state, move |conn, session| {
            tiles(conn, town_id, session.citizen_id(), &modules)
        })
        .await?;
    Ok(ApiJson(Dashboard { tiles }))
}

/// The citizen's tiles for the town's modules.
pub fn tiles(
    conn: &rusqlite::Connection,
    town_id: i64,
    citizen_id: i64,
    modules: &[Module],
) -> Result<Vec<Tile>, crate::db::DbError> {
    let mut tiles = Vec::with_capacity(modules.len());
    for &module in modules {
        // A module without a summary yet has no tile rather than a made-up one.
        let summary = match module {
            Module::Payments => crate::payments::tile_summary(conn, town_id, citizen_id)?,
            Module::Notifications => crate::notifications::tile_summary(conn, town_id, citizen_id)?,
            Module::Filing | Module::Bookings | Module::Subsidies => continue,
        };
        tiles.push(Tile { module, summary });
    }
    Ok(tiles)
}
