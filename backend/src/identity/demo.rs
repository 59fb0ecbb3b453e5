//! The demo login: pick a fictitious person of the demo town and you are in.
//!
//! Exists only when the server runs in demo mode (see `startup`, which also refuses demo mode on a
//! database holding real towns). Sessions it opens are marked demo in [`SessionInfo`].

use super::session;
use crate::error::ApiError;
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::ApiJson;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use portal_domain::wire::{DemoLoginRequest, DemoPersona, Loa, SessionInfo};

pub const PROVIDER: &str = "demo";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/demo/personas", get(personas))
        .route("/api/auth/demo/login", post(login))
}

fn ensure_demo(state: &AppState, town: &CurrentTown) -> Result<(), ApiError> {
    if state.config.demo && town.0.info.demo {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// The fictitious people one can log in as.
#[utoipa::path(get, path = "/api/auth/demo/personas", tag = "identity",
    responses((status = 200, body = Vec<DemoPersona>), (status = 404, body = portal_domain::wire::ErrorBody)))]
pub async fn personas(
    State(state): State<AppState>,
    town: CurrentTown,
) -> Result<ApiJson<Vec<DemoPersona>>, ApiError> {
    ensure_demo(&state, &town)?;
    Ok(ApiJson(crate::demo::personas()))
}

/// Logs in as a demo persona; sets the session cookie.
#[utoipa::path(post, path = "/api/auth/demo/login", tag = "identity", request_body = DemoLoginRequest,
    responses((status = 200, body = SessionInfo), (status = 404, body = portal_domain::wire::ErrorBody),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    client: crate::web::ClientIp,
    town: CurrentTown,
    headers: HeaderMap,
    ApiJson(request): ApiJson<DemoLoginRequest>,
) -> Result<impl IntoResponse, ApiError> {
    ensure_demo(&state, &town)?;
    let town_id = town.0.id;
    let previous = session::token_from_headers(&headers, &state);
    let app = state.clone();
    let (token, info) = state
        .db
        .write(move |tx| {
            let Some(citizen_id) =
                super::store::citizen_by_identity(tx, PROVIDER, &request.persona)?
            else {
                return Err(ApiError::Validation(vec![
                    portal_domain::wire::FieldErrorBody {
                        field: "persona".into(),
                        code: "persona.unknown".into(),
                        message: "persona: no such demo person".into(),
                    },
                ]));
            };
            let token = session::open(
                tx,
                &app,
                &session::Login {
                    previous_token: previous.as_deref(),
                    citizen_id,
                    town_id,
                    provider: PROVIDER,
                    loa: Loa::Substantial,
                    ip: &client.to_string(),
                    detail: None,
                    kiosk_id: None,
                },
            )?;
            let now = chrono::Utc::now().to_rfc3339();
            super::store::mark_identity_used(tx, PROVIDER, &request.persona, &now)?;
            let row = super::store::find_session(tx, &session::hash_token(&token))?
                .ok_or_else(|| ApiError::Internal("session vanished".into()))?;
            Ok((token, super::session_info(tx, &row)?))
        })
        .await?;
    Ok(([session::set_cookie(&state, &token)], ApiJson(info)))
}
