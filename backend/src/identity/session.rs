//! Server-side sessions: a random token in an HttpOnly cookie, only its SHA-256 in the database.
//!
//! [`CurrentSession`] is the extractor that authenticates a request. It also enforces CSRF: a
//! state-changing request (anything but GET/HEAD/OPTIONS) must repeat the session's CSRF token in
//! the `X-CSRF-Token` header, which a cross-site form or `fetch` cannot do.

use super::store::{self, NewSession, SessionRow};
use crate::audit::{self, AuditEvent};
use crate::db::DbError;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use portal_domain::wire::Loa;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// `__Host-` pins the cookie to this exact origin, but browsers take it only over TLS.
pub const COOKIE_SECURE: &str = "__Host-portal_session";
pub const COOKIE_PLAIN: &str = "portal_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Don't write `last_seen_at` on every request: once a minute is precise enough for idle timeouts.
const TOUCH_INTERVAL_SECS: i64 = 60;

/// An authenticated request's session.
#[derive(Debug, Clone)]
pub struct CurrentSession {
    pub token_hash: String,
    pub row: SessionRow,
}

impl CurrentSession {
    pub fn citizen_id(&self) -> i64 {
        self.row.citizen_id
    }

    /// For actions that need a stronger login (signing, paying, account changes): below
    /// `loa`, the client is told to step up (`loa_required`).
    pub fn require_loa(&self, loa: Loa) -> Result<(), ApiError> {
        if self.row.loa >= loa {
            Ok(())
        } else {
            Err(ApiError::LoaRequired(loa))
        }
    }
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

fn cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies() {
        COOKIE_SECURE
    } else {
        COOKIE_PLAIN
    }
}

/// The session token the request's cookie carries, if any.
pub fn token_from_headers(headers: &HeaderMap, state: &AppState) -> Option<String> {
    hex_token_cookie(headers, cookie_name(state))
}

/// A cookie holding one of our 64-hex-digit tokens; anything else in it counts as absent.
pub fn hex_token_cookie(headers: &HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn set_cookie(state: &AppState, token: &str) -> (axum::http::HeaderName, HeaderValue) {
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let value = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        cookie_name(state),
        state.config.session.absolute_timeout_secs
    );
    (
        SET_COOKIE,
        HeaderValue::from_str(&value).expect("cookie is ASCII"),
    )
}

pub fn clear_cookie(state: &AppState) -> (axum::http::HeaderName, HeaderValue) {
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let value = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        cookie_name(state)
    );
    (
        SET_COOKIE,
        HeaderValue::from_str(&value).expect("cookie is ASCII"),
    )
}

/// A successful login, as every way in (demo, identity providers, the kiosk's card) reports it.
pub struct Login<'a> {
    /// The session the browser presented with the login request, if any: it is dropped, so
    /// tokens rotate at login.
    pub previous_token: Option<&'a str>,
    pub citizen_id: i64,
    pub town_id: i64,
    pub provider: &'a str,
    pub loa: Loa,
    pub ip: &'a str,
    /// A note for the audit log (never tokens or personal numbers).
    pub detail: Option<&'a str>,
    /// A card login at a lobby kiosk: the session is valid only with that kiosk's credential.
    pub kiosk_id: Option<i64>,
}

/// Opens the session for a login inside the caller's transaction and records it in the audit
/// log. Returns the cookie token.
pub fn open(
    conn: &rusqlite::Connection,
    state: &AppState,
    login: &Login<'_>,
) -> Result<String, DbError> {
    if let Some(previous) = login.previous_token {
        store::delete_session(conn, &hash_token(previous))?;
    }
    let token = random_token();
    let now = now_unix();
    store::insert_session(
        conn,
        &NewSession {
            token_hash: &hash_token(&token),
            citizen_id: login.citizen_id,
            town_id: login.town_id,
            provider: login.provider,
            loa: login.loa,
            csrf_token: &random_token(),
            now,
            expires_at: now + state.config.session.absolute_timeout_secs,
            kiosk_id: login.kiosk_id,
        },
    )?;
    audit::record(
        conn,
        &AuditEvent {
            event: "login",
            town_id: Some(login.town_id),
            citizen_id: Some(login.citizen_id),
            provider: Some(login.provider),
            loa: Some(store::loa_str(login.loa)),
            ip: Some(login.ip),
            detail: login.detail,
        },
    )?;
    Ok(token)
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// What a request presents, before the database is asked: its session token (hashed), the town
/// it is for and, for a state-changing method, the CSRF token it repeats.
///
/// Handlers that take [`CurrentSession`] never see this. A handler that reads the database anyway
/// takes a `SessionClaim` and calls [`SessionClaim::authenticate_then`], which checks the session
/// and runs the handler's queries in one trip to the blocking pool instead of two.
pub struct SessionClaim {
    token_hash: String,
    town_id: i64,
    /// `Some` (possibly empty) when the method must prove the CSRF token.
    csrf_sent: Option<String>,
    /// SHA-256 of the kiosk credential the request carries (`Authorization: Kiosk …`), if any.
    kiosk_credential_hash: Option<String>,
}

impl FromRequestParts<AppState> for SessionClaim {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = token_from_headers(&parts.headers, state).ok_or(ApiError::Unauthenticated)?;
        let town = crate::towns::CurrentTown::from_request_parts(parts, state)
            .await?
            .0;
        let csrf_sent = (!is_safe_method(&parts.method)).then(|| {
            parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        });
        Ok(SessionClaim {
            token_hash: hash_token(&token),
            town_id: town.id,
            csrf_sent,
            kiosk_credential_hash: crate::kiosk::device::credential_from_headers(&parts.headers)
                .map(|credential| hash_token(&credential)),
        })
    }
}

impl SessionClaim {
    /// A claim for a GET with this cookie token in this town, as the extractor would build it
    /// (for benchmarks and tools that bypass HTTP).
    pub fn for_token(token: &str, town_id: i64) -> SessionClaim {
        SessionClaim {
            token_hash: hash_token(token),
            town_id,
            csrf_sent: None,
            kiosk_credential_hash: None,
        }
    }

    /// Authenticates the claim and, only if it holds, runs `work` for the session on the same
    /// pooled connection. Returns the session and what `work` returned.
    pub async fn authenticate_then<T, F>(
        self,
        state: &AppState,
        work: F,
    ) -> Result<(CurrentSession, T), ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection, &CurrentSession) -> Result<T, DbError> + Send + 'static,
    {
        let idle = state.config.session.idle_timeout_secs;
        state
            .db
            .with_connection(move |conn| {
                // The check and the work read one snapshot in one read transaction; the
                // session's bookkeeping (expiry, last seen) is written after it, on its own,
                // because a read transaction that starts writing can fail with a busy snapshot.
                let (outcome, bookkeeping) = crate::db::in_read_transaction(conn, |conn| {
                    let (verdict, bookkeeping) = self.check(conn, idle)?;
                    let outcome = match verdict {
                        Ok(session) => {
                            let value = work(conn, &session)?;
                            Ok((session, value))
                        }
                        Err(rejection) => Err(rejection),
                    };
                    Ok((outcome, bookkeeping))
                })?;
                match bookkeeping {
                    Bookkeeping::None => {}
                    Bookkeeping::Touch { token_hash, now } => {
                        store::touch_session(conn, &token_hash, now)?
                    }
                    Bookkeeping::End { token_hash } => store::delete_session(conn, &token_hash)?,
                }
                Ok(outcome)
            })
            .await?
    }

    /// The session the claim names, if it is live, of this town, and (for a state-changing
    /// method) the CSRF token matches; and what to write down about it afterwards (an expired
    /// session ends, an active one is marked as seen).
    fn check(
        self,
        conn: &rusqlite::Connection,
        idle: i64,
    ) -> Result<(Result<CurrentSession, ApiError>, Bookkeeping), DbError> {
        let now = now_unix();
        let Some(row) = store::find_session(conn, &self.token_hash)? else {
            return Ok((Err(ApiError::Unauthenticated), Bookkeeping::None));
        };
        if row.expires_at <= now || row.last_seen_at + idle <= now {
            let end = Bookkeeping::End {
                token_hash: self.token_hash,
            };
            return Ok((Err(ApiError::Unauthenticated), end));
        }
        let bookkeeping = if now - row.last_seen_at >= TOUCH_INTERVAL_SECS {
            Bookkeeping::Touch {
                token_hash: self.token_hash.clone(),
                now,
            }
        } else {
            Bookkeeping::None
        };
        // A session opened in one town's portal is no key to another's.
        if row.town_id != self.town_id {
            return Ok((Err(ApiError::Unauthenticated), bookkeeping));
        }
        // A kiosk session lives only inside its kiosk: the cookie alone, copied elsewhere, is
        // worth nothing without the kiosk's credential (and nothing once the kiosk is revoked).
        if row.kiosk_id.is_some() {
            let bound = match (&row.kiosk_credential_hash, &self.kiosk_credential_hash) {
                (Some(expected), Some(sent)) => {
                    constant_time_eq(expected.as_bytes(), sent.as_bytes())
                }
                _ => false,
            };
            if !bound {
                return Ok((Err(ApiError::Unauthenticated), bookkeeping));
            }
        }
        if let Some(sent) = &self.csrf_sent {
            if !constant_time_eq(sent.as_bytes(), row.csrf_token.as_bytes()) {
                return Ok((Err(ApiError::Forbidden("csrf")), bookkeeping));
            }
        }
        let session = CurrentSession {
            token_hash: self.token_hash,
            row,
        };
        Ok((Ok(session), bookkeeping))
    }
}

/// A write a session check leaves for after its read transaction.
enum Bookkeeping {
    None,
    Touch { token_hash: String, now: i64 },
    End { token_hash: String },
}

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let claim = SessionClaim::from_request_parts(parts, state).await?;
        let (session, ()) = claim.authenticate_then(state, |_, _| Ok(())).await?;
        Ok(session)
    }
}

/// `Option<CurrentSession>`: `None` for a request without a live session (other failures, such
/// as a wrong CSRF token, still refuse the request).
impl axum::extract::OptionalFromRequestParts<AppState> for CurrentSession {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        match <CurrentSession as FromRequestParts<AppState>>::from_request_parts(parts, state).await
        {
            Ok(session) => Ok(Some(session)),
            Err(ApiError::Unauthenticated) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), a);
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
