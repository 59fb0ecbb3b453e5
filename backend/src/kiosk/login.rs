//! The kiosk's own endpoints: a login challenge, the card login, the logout when the card leaves
//! the reader, and the profile the kiosk polls.

use super::device::KioskDevice;
use super::settings::KioskSettings;
use super::store;
use super::verify::{self, CardAuthError};
use crate::audit::{self, AuditEvent};
use crate::error::ApiError;
use crate::identity::oidc::store::{IdentityKey, Person, find_or_create_citizen};
use crate::identity::session::{self, Login, hash_token, now_unix};
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::{ApiJson, ClientIp};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use portal_domain::wire::{CardLoginRequest, KioskChallenge, KioskProfileBody, Loa, SessionInfo};
use rand::RngCore;

/// The identity provider name of card logins (identities are keyed by it and the subject).
pub const PROVIDER: &str = "eobcanka";

/// The card login settings of the request's town; `None`: the town takes no card logins.
pub fn settings_for<'s>(
    state: &'s AppState,
    town: &crate::towns::store::Town,
) -> Option<&'s KioskSettings> {
    let settings = if town.info.demo {
        state
            .config
            .demo
            .then_some(state.config.demo_kiosk.as_ref())
            .flatten()
    } else {
        state
            .config
            .towns
            .iter()
            .find(|t| t.slug == town.info.slug)
            .map(|t| &t.kiosk)
    };
    settings.filter(|s| !s.trust_anchors.is_empty())
}

fn origin_of(state: &AppState, settings: &KioskSettings) -> Option<String> {
    settings
        .origin
        .clone()
        .or_else(|| state.config.public_url.clone())
        .map(|o| o.trim_end_matches('/').to_owned())
}

/// A single-use nonce for one card login at this kiosk.
#[utoipa::path(post, path = "/api/kiosk/challenge", tag = "kiosk",
    security(("kiosk" = [])),
    responses((status = 200, body = KioskChallenge), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 409, body = portal_domain::wire::ErrorBody, description = "card_login_unavailable")))]
pub async fn challenge(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    KioskDevice(kiosk): KioskDevice,
) -> Result<ApiJson<KioskChallenge>, ApiError> {
    let settings =
        settings_for(&state, &town).ok_or(ApiError::Conflict("card_login_unavailable"))?;
    let origin = origin_of(&state, settings).ok_or(ApiError::Conflict("card_login_unavailable"))?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let nonce = STANDARD.encode(bytes);
    let now = now_unix();
    let expires_at = now + settings.nonce_ttl_seconds;
    let (hash, stored_origin) = (hash_token(&nonce), origin.clone());
    state
        .db
        .write(move |tx| {
            store::purge_nonces(tx, now)?;
            store::insert_nonce(tx, &hash, kiosk.id, &stored_origin, expires_at)
        })
        .await?;
    Ok(ApiJson(KioskChallenge {
        nonce,
        origin,
        expires_at: chrono::DateTime::from_timestamp(expires_at, 0).unwrap_or_default(),
    }))
}

/// Logs the card holder in at level "high", bound to this kiosk; sets the session cookie.
#[utoipa::path(post, path = "/api/kiosk/login", tag = "kiosk", request_body = CardLoginRequest,
    security(("kiosk" = [])),
    responses((status = 200, body = SessionInfo),
              (status = 401, body = portal_domain::wire::ErrorBody,
               description = "unauthenticated, nonce_unknown, nonce_expired, card_* (why the card was refused)"),
              (status = 409, body = portal_domain::wire::ErrorBody, description = "card_login_unavailable")))]
pub async fn login(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    client: ClientIp,
    KioskDevice(kiosk): KioskDevice,
    ApiJson(request): ApiJson<CardLoginRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let settings =
        settings_for(&state, &town).ok_or(ApiError::Conflict("card_login_unavailable"))?;
    let town_id = town.id;
    let ip = client.to_string();
    // The nonce is used up first, whatever comes next: a refused token cannot be retried with it.
    let nonce_hash = hash_token(&request.nonce);
    let kiosk_id = kiosk.id;
    let taken = state
        .db
        .write(move |tx| store::take_nonce(tx, &nonce_hash, kiosk_id))
        .await?;
    let verdict = match taken {
        None => Err("nonce_unknown"),
        Some((_, expires_at)) if expires_at <= now_unix() => Err("nonce_expired"),
        Some((origin, _)) => {
            let anchors = settings.trust_anchors.clone();
            let (token, nonce) = (request.token.clone(), request.nonce.clone());
            tokio::task::spawn_blocking(move || verify::verify(&token, &origin, &nonce, &anchors))
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))?
                .map_err(CardAuthError::code)
        }
    };
    let holder = match verdict {
        Ok(holder) => holder,
        Err(code) => {
            let ip = ip.clone();
            state
                .db
                .write(move |tx| {
                    audit::record(
                        tx,
                        &AuditEvent {
                            event: "login_failed",
                            town_id: Some(town_id),
                            citizen_id: None,
                            provider: Some(PROVIDER),
                            loa: None,
                            ip: Some(&ip),
                            detail: Some(code),
                        },
                    )
                })
                .await?;
            return Err(ApiError::LoginRefused(code));
        }
    };
    let app = state.clone();
    let (token, info) = state
        .db
        .write(move |tx| -> Result<(String, SessionInfo), ApiError> {
            let now = chrono::Utc::now().to_rfc3339();
            let key = IdentityKey {
                issuer: PROVIDER,
                subject: &holder.subject,
                login_id: PROVIDER,
            };
            let person = Person {
                subject: holder.subject.clone(),
                given_name: holder.given_name.clone(),
                family_name: holder.family_name.clone(),
                email: None,
            };
            let (citizen_id, _) = find_or_create_citizen(tx, &key, &person, &now)?;
            open_kiosk_session(
                tx,
                &app,
                &Login {
                    previous_token: None,
                    citizen_id,
                    town_id,
                    provider: PROVIDER,
                    loa: Loa::High,
                    ip: &ip,
                    detail: Some("kiosk"),
                    kiosk_id: Some(kiosk_id),
                },
            )
        })
        .await?;
    Ok(([session::set_cookie(&state, &token)], ApiJson(info)))
}

/// Opens a session bound to the login's kiosk (a card login or a handed-over provider login):
/// one visitor at a time, so whoever was logged in at this kiosk is logged out first. Returns
/// the cookie token and what the kiosk shows of the session.
pub(super) fn open_kiosk_session(
    tx: &rusqlite::Connection,
    app: &AppState,
    login: &Login<'_>,
) -> Result<(String, SessionInfo), ApiError> {
    if let Some(kiosk_id) = login.kiosk_id {
        store::end_sessions(tx, kiosk_id)?;
    }
    let token = session::open(tx, app, login)?;
    let row = crate::identity::store::find_session(tx, &hash_token(&token))?
        .ok_or_else(|| ApiError::Internal("session vanished".into()))?;
    Ok((token, crate::identity::session_info(tx, &row)?))
}

/// Ends every session at this kiosk (the card left the reader, or the visitor timed out).
#[utoipa::path(post, path = "/api/kiosk/logout", tag = "kiosk",
    security(("kiosk" = [])),
    responses((status = 204), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    KioskDevice(kiosk): KioskDevice,
) -> Result<impl IntoResponse, ApiError> {
    let kiosk_id = kiosk.id;
    state
        .db
        .write(move |tx| store::end_sessions(tx, kiosk_id))
        .await?;
    Ok((StatusCode::NO_CONTENT, [session::clear_cookie(&state)]))
}

/// The profile staff set for this kiosk; polled, applied without a restart.
#[utoipa::path(get, path = "/api/kiosk/profile", tag = "kiosk",
    security(("kiosk" = [])),
    responses((status = 200, body = KioskProfileBody), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn profile(
    State(state): State<AppState>,
    KioskDevice(kiosk): KioskDevice,
) -> Result<ApiJson<KioskProfileBody>, ApiError> {
    let kiosk_id = kiosk.id;
    let (profile, version) = state
        .db
        .read(move |conn| store::profile(conn, kiosk_id))
        .await?;
    Ok(ApiJson(KioskProfileBody {
        kiosk: kiosk.slug,
        version,
        profile,
    }))
}
