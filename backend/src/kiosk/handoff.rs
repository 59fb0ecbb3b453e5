//! Identity-provider logins at a kiosk (NIA, Bank iD, MojeID), for visitors without a card.
//!
//! The providers' pages need a real browser (redirects, their own cookies, no framing), and the
//! kiosk's HTTP client is not one. So the kiosk asks for a handoff, opens a browser of its own at
//! the usual `/api/auth/{login}/start` with `next` pointing at [`complete`], and polls [`claim`].
//! The login in that browser lands on [`complete`], which records who logged in and at what
//! level, then ends that browser's session at once: it never holds a usable session. The kiosk
//! claims the handoff with its credential and gets a session bound to itself, like a card login.

use super::device::KioskDevice;
use super::login::open_kiosk_session;
use crate::db::DbError;
use crate::error::ApiError;
use crate::identity::session::{self, CurrentSession, Login, hash_token, now_unix};
use crate::identity::store::{loa_str, parse_loa};
use crate::state::AppState;
use crate::web::{ApiJson, ClientIp};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use portal_domain::wire::{KioskHandoff, SessionInfo};
use rusqlite::{Connection, OptionalExtension, params};

/// Long enough to find one's phone and confirm a Bank iD login; the kiosk's idle timeout
/// usually ends the visit first.
pub const HANDOFF_TTL_SECS: i64 = 600;

/// The id in a path: 64 hex digits, or nothing worth a database query.
fn hashed_id(id: &str) -> Result<String, ApiError> {
    if id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(hash_token(&id.to_ascii_lowercase()))
    } else {
        Err(ApiError::NotFound)
    }
}

/// A new handoff for this kiosk.
#[utoipa::path(post, path = "/api/kiosk/handoff", tag = "kiosk",
    security(("kiosk" = [])),
    responses((status = 201, body = KioskHandoff), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    KioskDevice(kiosk): KioskDevice,
) -> Result<impl IntoResponse, ApiError> {
    let handoff = session::random_token();
    let now = now_unix();
    let expires_at = now + HANDOFF_TTL_SECS;
    let (hash, kiosk_id) = (hash_token(&handoff), kiosk.id);
    state
        .db
        .write(move |tx| {
            tx.execute("DELETE FROM kiosk_handoffs WHERE expires_at <= ?1", [now])?;
            tx.execute(
                "INSERT INTO kiosk_handoffs (id_hash, kiosk_id, expires_at) VALUES (?1, ?2, ?3)",
                params![hash, kiosk_id, expires_at],
            )?;
            Ok::<_, DbError>(())
        })
        .await?;
    let body = KioskHandoff {
        handoff,
        expires_at: chrono::DateTime::from_timestamp(expires_at, 0).unwrap_or_default(),
    };
    Ok((StatusCode::CREATED, ApiJson(body)))
}

/// Where the kiosk's browser lands after the provider's login: hands the login over to the
/// kiosk and ends this browser's session. Answers a short page, since the kiosk closes the
/// browser as soon as it has claimed the login.
#[utoipa::path(get, path = "/api/kiosk/handoff/{handoff}/complete", tag = "kiosk",
    params(("handoff" = String, Path)),
    responses((status = 200, description = "handed over (HTML)"),
              (status = 404, description = "unknown, used or expired handoff, or no login (HTML)")))]
pub async fn complete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    session: Result<CurrentSession, ApiError>,
) -> Response {
    let outcome = match (hashed_id(&id), session) {
        (Ok(hash), Ok(session)) => {
            let CurrentSession { token_hash, row } = session;
            state
                .db
                .write(move |tx| hand_over(tx, &hash, &token_hash, &row))
                .await
                .unwrap_or_else(|error| {
                    tracing::error!(%error, "kiosk handoff could not be stored");
                    false
                })
        }
        _ => false,
    };
    let (status, text) = if outcome {
        (
            StatusCode::OK,
            "Přihlášení je předáno kiosku. / Your login has been handed to the kiosk.",
        )
    } else {
        (
            StatusCode::NOT_FOUND,
            "Přihlášení se nepodařilo předat kiosku; začněte prosím znovu. / \
             The login could not be handed to the kiosk; please start again.",
        )
    };
    let page = format!(
        "<!DOCTYPE html><html lang=\"cs\"><head><meta charset=\"utf-8\">\
         <title>Portál občana</title></head><body><main><p>{text}</p></main></body></html>"
    );
    (
        status,
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        [session::clear_cookie(&state)],
        page,
    )
        .into_response()
}

/// Records the browser's login on an open handoff of a kiosk in the same town, and ends the
/// browser's session whatever happens: it was opened only to be handed over.
fn hand_over(
    tx: &Connection,
    id_hash: &str,
    token_hash: &str,
    row: &crate::identity::store::SessionRow,
) -> Result<bool, DbError> {
    crate::identity::store::delete_session(tx, token_hash)?;
    let updated = tx.execute(
        "UPDATE kiosk_handoffs SET citizen_id = ?2, provider = ?3, loa = ?4, completed_at = ?5
         WHERE id_hash = ?1 AND completed_at IS NULL AND expires_at > ?5
           AND kiosk_id IN (SELECT id FROM kiosks WHERE town_id = ?6 AND revoked_at IS NULL)",
        params![
            id_hash,
            row.citizen_id,
            row.provider,
            loa_str(row.loa),
            now_unix(),
            row.town_id
        ],
    )?;
    Ok(updated == 1)
}

/// The kiosk collects the login: 202 while the visitor is still at the provider; then a
/// session bound to this kiosk (whoever was logged in here before is logged out). A handoff is
/// claimed once.
#[utoipa::path(post, path = "/api/kiosk/handoff/{handoff}/claim", tag = "kiosk",
    params(("handoff" = String, Path)), security(("kiosk" = [])),
    responses((status = 200, body = SessionInfo), (status = 202, description = "not logged in yet"),
              (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 404, body = portal_domain::wire::ErrorBody, description = "unknown, used or expired")))]
pub async fn claim(
    State(state): State<AppState>,
    client: ClientIp,
    KioskDevice(kiosk): KioskDevice,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let hash = hashed_id(&id)?;
    let (app, ip, kiosk_id, town_id) = (state.clone(), client.to_string(), kiosk.id, kiosk.town_id);
    let claimed = state
        .db
        .write(
            move |tx| -> Result<Option<(String, SessionInfo)>, ApiError> {
                let Some(handoff) = take_if_completed(tx, &hash, kiosk_id)? else {
                    return Ok(None);
                };
                open_kiosk_session(
                    tx,
                    &app,
                    &Login {
                        previous_token: None,
                        citizen_id: handoff.citizen_id,
                        town_id,
                        provider: &handoff.provider,
                        loa: handoff.loa,
                        ip: &ip,
                        detail: Some("kiosk handoff"),
                        kiosk_id: Some(kiosk_id),
                    },
                )
                .map(Some)
            },
        )
        .await?;
    Ok(match claimed {
        Some((token, info)) => {
            ([session::set_cookie(&state, &token)], ApiJson(info)).into_response()
        }
        None => StatusCode::ACCEPTED.into_response(),
    })
}

struct Completed {
    citizen_id: i64,
    provider: String,
    loa: portal_domain::wire::Loa,
}

/// The handoff's login, used up; `None` while it is still open; not found once expired, used or
/// issued to another kiosk.
fn take_if_completed(
    tx: &Connection,
    id_hash: &str,
    kiosk_id: i64,
) -> Result<Option<Completed>, ApiError> {
    let found: Option<(Option<Completed>, i64)> = tx
        .query_row(
            "SELECT citizen_id, provider, loa, expires_at FROM kiosk_handoffs
             WHERE id_hash = ?1 AND kiosk_id = ?2",
            params![id_hash, kiosk_id],
            |r| {
                let completed = match (r.get(0)?, r.get(1)?, r.get::<_, Option<String>>(2)?) {
                    (Some(citizen_id), Some(provider), Some(loa)) => Some(Completed {
                        citizen_id,
                        provider,
                        loa: parse_loa(&loa),
                    }),
                    _ => None,
                };
                Ok((completed, r.get(3)?))
            },
        )
        .optional()
        .map_err(DbError::from)?;
    let Some((completed, expires_at)) = found else {
        return Err(ApiError::NotFound);
    };
    let expired = expires_at <= now_unix();
    if expired || completed.is_some() {
        tx.execute("DELETE FROM kiosk_handoffs WHERE id_hash = ?1", [id_hash])
            .map_err(DbError::from)?;
    }
    if expired {
        return Err(ApiError::NotFound);
    }
    Ok(completed)
}
