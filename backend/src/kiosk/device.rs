//! The kiosk's device credential: `Authorization: Kiosk <credential>`, issued once by an admin.
//!
//! [`KioskDevice`] authenticates kiosk endpoints. A credential is not a session: it opens none of
//! the citizen's or staff's endpoints, only the kiosk's own (challenge, login, logout, profile).

use super::store::{self, KioskRow};
use crate::error::ApiError;
use crate::identity::session::hash_token;
use crate::state::AppState;
use crate::towns::CurrentTown;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

/// Seconds between two writes of a kiosk's last contact.
const CONTACT_INTERVAL_SECS: i64 = 15;

/// The credential an `Authorization: Kiosk …` header carries (64 hex digits), if any.
pub fn credential_from_headers(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credential) = value.split_once(' ')?;
    let credential = credential.trim();
    (scheme.eq_ignore_ascii_case("kiosk")
        && credential.len() == 64
        && credential.bytes().all(|b| b.is_ascii_hexdigit()))
    .then(|| credential.to_ascii_lowercase())
}

/// An authenticated kiosk of the request's town.
#[derive(Debug, Clone)]
pub struct KioskDevice(pub KioskRow);

impl FromRequestParts<AppState> for KioskDevice {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let credential =
            credential_from_headers(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let CurrentTown(town) = CurrentTown::from_request_parts(parts, state).await?;
        let hash = hash_token(&credential);
        let kiosk = state
            .db
            .read(move |conn| store::by_credential(conn, &hash))
            .await?
            .filter(|k| !k.revoked && k.town_id == town.id)
            .ok_or(ApiError::Unauthenticated)?;
        let now = chrono::Utc::now();
        let stale = kiosk
            .last_contact_at
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .is_none_or(|t| {
                (now - t.with_timezone(&chrono::Utc)).num_seconds() >= CONTACT_INTERVAL_SECS
            });
        if stale {
            let id = kiosk.id;
            let now = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            state.db.write(move |tx| store::touch(tx, id, &now)).await?;
        }
        Ok(KioskDevice(kiosk))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_kiosk_scheme_with_a_well_formed_credential_counts() {
        let mut headers = HeaderMap::new();
        let credential = "ab".repeat(32);
        headers.insert(
            AUTHORIZATION,
            format!("Kiosk {credential}").parse().unwrap(),
        );
        assert_eq!(credential_from_headers(&headers), Some(credential.clone()));
        headers.insert(
            AUTHORIZATION,
            format!("Bearer {credential}").parse().unwrap(),
        );
        assert_eq!(credential_from_headers(&headers), None);
        headers.insert(AUTHORIZATION, "Kiosk short".parse().unwrap());
        assert_eq!(credential_from_headers(&headers), None);
    }
}
