//! Who is asking: sessions, logins, logout, roles.
//!
//! Logins end in [`session::open`]; the identity-provider logins (NIA, Bank iD, MojeID) and the
//! kiosk's eObčanka login land here as more submodules beside [`demo`].

pub mod demo;
pub mod oidc;
pub mod session;
pub mod store;

use crate::audit::{self, AuditEvent};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::ApiJson;
use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use portal_domain::wire::SessionInfo;
use session::CurrentSession;
use std::net::SocketAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/session", get(current_session))
        .route("/api/auth/logout", post(logout))
        .route("/api/auth/logout-everywhere", post(logout_everywhere))
        .merge(demo::router())
        .merge(oidc::router())
}

/// The logged-in user, their roles here and the CSRF token to send back.
#[utoipa::path(get, path = "/api/session", tag = "identity",
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

/// Ends this session.
#[utoipa::path(post, path = "/api/auth/logout", tag = "identity",
    params(("X-CSRF-Token" = String, Header)),
    responses((status = 204), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: CurrentSession,
) -> Result<impl IntoResponse, ApiError> {
    end_sessions(&state, session, peer, false).await?;
    Ok((StatusCode::NO_CONTENT, [session::clear_cookie(&state)]))
}

/// Ends every session of this citizen, on every device.
#[utoipa::path(post, path = "/api/auth/logout-everywhere", tag = "identity",
    params(("X-CSRF-Token" = String, Header)),
    responses((status = 204), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn logout_everywhere(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: CurrentSession,
) -> Result<impl IntoResponse, ApiError> {
    end_sessions(&state, session, peer, true).await?;
    Ok((StatusCode::NO_CONTENT, [session::clear_cookie(&state)]))
}

async fn end_sessions(
    state: &AppState,
    session: CurrentSession,
    peer: SocketAddr,
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
                    ip: Some(&peer.ip().to_string()),
                    ..Default::default()
                },
            )?;
            Ok::<_, ApiError>(())
        })
        .await
}
