//! Who is asking: sessions, logins, logout, roles.
//!
//! Logins end in [`session::open`]; the identity-provider logins (NIA, Bank iD, MojeID) and the
//! kiosk's eObčanka login land here as more submodules beside [`demo`].

pub mod demo;
pub mod entry;
pub mod linked;
pub mod oidc;
pub mod rate_limit;
pub mod session;
pub mod store;

use crate::audit::{self, AuditEvent};
use crate::error::ApiError;
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::ApiJson;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use portal_domain::wire::{LogoutResult, SessionInfo};
use session::CurrentSession;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/session", get(current_session))
        .route("/api/auth/logout", post(logout))
        .route("/api/auth/logout-everywhere", post(logout_everywhere))
        .merge(demo::router())
        .merge(linked::router())
        .merge(entry::router())
        .merge(oidc::router())
}

/// The logged-in user, their roles here and the CSRF token to send back.
#[utoipa::path(get, path = "/api/session", tag = "identity",
    security(("session" = [])),
    responses((status = 200, body = SessionInfo), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn current_session(
    State(state): State<AppState>,
    session: CurrentSession,
) -> Result<ApiJson<SessionInfo>, ApiError> {
    let row = session.row;
    let info = state.db.read(move |conn| session_info(conn, &row)).await?;
    Ok(ApiJson(info))
}

pub fn session_info(
    conn: &rusqlite::Connection,
    row: &store::SessionRow,
) -> Result<SessionInfo, crate::db::DbError> {
    Ok(SessionInfo {
        citizen_id: row.citizen_id,
        display_name: store::display_name(conn, row.citizen_id)?,
        roles: store::roles_in_town(conn, row.citizen_id, row.town_id)?,
        loa: row.loa,
        csrf_token: row.csrf_token.clone(),
        demo: row.provider == demo::PROVIDER,
    })
}

/// Ends this session. When it came from a provider that offers RP-initiated logout, the
/// answer names the provider's logout page, so the browser can end that session too.
#[utoipa::path(post, path = "/api/auth/logout", tag = "identity",
    params(("X-CSRF-Token" = String, Header)),
    security(("session" = [])),
    responses((status = 200, body = LogoutResult), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    client: crate::web::ClientIp,
    headers: HeaderMap,
    session: CurrentSession,
) -> Result<impl IntoResponse, ApiError> {
    let provider = state.oidc.get(&town.info.slug, &session.row.provider);
    end_sessions(&state, session, client, false).await?;
    let provider_logout_url = match (provider, oidc::origin(&state, &headers)) {
        (Some(provider), Some(origin)) => provider.logout_url(&format!("{origin}/")).await,
        _ => None,
    };
    Ok((
        [session::clear_cookie(&state)],
        ApiJson(LogoutResult {
            provider_logout_url,
        }),
    ))
}

/// Ends every session of this citizen, on every device.
#[utoipa::path(post, path = "/api/auth/logout-everywhere", tag = "identity",
    params(("X-CSRF-Token" = String, Header)),
    security(("session" = [])),
    responses((status = 204), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn logout_everywhere(
    State(state): State<AppState>,
    client: crate::web::ClientIp,
    session: CurrentSession,
) -> Result<impl IntoResponse, ApiError> {
    end_sessions(&state, session, client, true).await?;
    Ok((StatusCode::NO_CONTENT, [session::clear_cookie(&state)]))
}

async fn end_sessions(
    state: &AppState,
    session: CurrentSession,
    client: crate::web::ClientIp,
    everywhere: bool,
) -> Result<(), ApiError> {
    state
        .db
        .write(move |tx| {
            if everywhere {
                store::delete_sessions_of(tx, session.citizen_id())?;
            } else {
                store::delete_session(tx, &session.token_hash)?;
            }
            audit::record(
                tx,
                &AuditEvent {
                    event: if everywhere {
                        "logout_everywhere"
                    } else {
                        "logout"
                    },
                    town_id: Some(session.row.town_id),
                    citizen_id: Some(session.citizen_id()),
                    provider: Some(&session.row.provider),
                    ip: Some(&client.to_string()),
                    ..Default::default()
                },
            )?;
            Ok::<_, ApiError>(())
        })
        .await
}
