//! The stable entry URL for the tile a citizen adds on the national Portál občana
//! (portal.gov.cz): `GET /vstup/portal-obcana`.
//!
//! Someone who comes from there is already logged in at NIA, so the portal does not show its own
//! login page: with a session here, straight to the dashboard; otherwise straight to the town's
//! NIA login, which NIA completes without asking again while its own session lasts.

use super::oidc::settings::ProviderKind;
use super::session::CurrentSession;
use crate::state::AppState;
use crate::towns::CurrentTown;
use axum::Router;
use axum::http::header::{CACHE_CONTROL, LOCATION};
use axum::response::IntoResponse;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/vstup/portal-obcana", get(entry))
}

/// Entry from the national Portál občana tile: to the dashboard, through NIA when needed.
#[utoipa::path(get, path = "/vstup/portal-obcana", tag = "identity",
    responses((status = 303, description = "to `/` with a session, else to the NIA login (or `/prihlaseni` when the town has no NIA login)")))]
pub async fn entry(
    axum::extract::State(state): axum::extract::State<AppState>,
    CurrentTown(town): CurrentTown,
    session: Result<CurrentSession, crate::error::ApiError>,
) -> impl IntoResponse {
    let to = if session.is_ok() {
        "/".to_owned()
    } else {
        let nia = (state.config.towns.iter())
            .find(|t| t.slug == town.info.slug)
            .and_then(|t| t.logins.iter().find(|l| l.kind == ProviderKind::Nia));
        match nia {
            Some(login) => format!("/api/auth/{}/start?next=/", login.id),
            None => "/prihlaseni".to_owned(),
        }
    };
    (
        axum::http::StatusCode::SEE_OTHER,
        [(LOCATION, to), (CACHE_CONTROL, "no-store".to_owned())],
    )
}
