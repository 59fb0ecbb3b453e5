//! Logins through identity providers over OpenID Connect (NIA, Bank iD, MojeID, any OIDC
//! provider), each configured per town in `[[town.login]]`.
//!
//! `GET /api/auth/{id}/start?next=/path` sends the browser to the provider with state, nonce and
//! PKCE, remembering them in `oidc_pending_logins`; `GET /api/auth/{id}/callback` checks them,
//! validates what the provider sends and ends like every login: `session::open` (session and
//! audit record), Set-Cookie and a 303 to `next`. Every failure is a 303 to `/prihlaseni?error=CODE`.

pub mod assertion;
pub mod callback;
pub mod client;
pub mod discovery;
pub mod jwe;
pub mod settings;
pub mod store;
pub mod tokens;

use super::session::CurrentSession;
use crate::config::Config;
use crate::state::AppState;
use crate::towns::CurrentTown;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, HOST, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use client::Provider;
use portal_domain::wire::Loa;
use std::collections::HashMap;
use std::sync::Arc;

/// Ties a pending login to the browser that started it (against login CSRF).
const BINDING_COOKIE: &str = "portal_login";
/// Where the web client shows login errors.
const ERROR_PAGE: &str = "/prihlaseni";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/{id}/start", get(start))
        .route("/api/auth/{id}/callback", get(callback::callback))
}

/// Why a login failed. `code()` is what the browser sees; the text goes only to the log.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("the user cancelled at the provider")]
    Cancelled,
    #[error("state: {0}")]
    State(&'static str),
    #[error("provider: {0}")]
    Provider(String),
    #[error("issuer mix-up: {0}")]
    Issuer(String),
    #[error("token: {0}")]
    Token(String),
    #[error("level of assurance below the required one")]
    Loa,
    #[error("the session that asked to link or step up has ended")]
    Session,
    #[error("this identity belongs to another citizen")]
    LinkedElsewhere,
    #[error("too many login attempts from this address")]
    RateLimited,
    #[error("internal: {0}")]
    Internal(String),
}

impl LoginError {
    pub fn code(&self) -> &'static str {
        match self {
            LoginError::Cancelled => "cancelled",
            LoginError::State(_) => "state",
            LoginError::Provider(_) | LoginError::Issuer(_) => "provider",
            LoginError::Token(_) => "token",
            LoginError::Loa => "loa",
            LoginError::Session => "session",
            LoginError::LinkedElsewhere => "linked_elsewhere",
            LoginError::RateLimited => "rate",
            LoginError::Internal(_) => "internal",
        }
    }
}

impl From<crate::db::DbError> for LoginError {
    fn from(e: crate::db::DbError) -> Self {
        LoginError::Internal(e.to_string())
    }
}

/// Every town's providers, built once from the config.
#[derive(Default)]
pub struct Registry {
    by_town: HashMap<String, HashMap<String, Arc<Provider>>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").finish_non_exhaustive()
    }
}

impl Registry {
    pub fn from_config(config: &Config) -> Result<Registry, reqwest::Error> {
        let mut by_town = HashMap::new();
        for town in &config.towns {
            let mut providers = HashMap::new();
            for login in &town.logins {
                providers.insert(login.id.clone(), Arc::new(Provider::new(login.clone())?));
            }
            by_town.insert(town.slug.clone(), providers);
        }
        Ok(Registry { by_town })
    }

    pub fn get(&self, town_slug: &str, id: &str) -> Option<Arc<Provider>> {
        self.by_town.get(town_slug)?.get(id).cloned()
    }
}

#[derive(serde::Deserialize)]
pub struct StartQuery {
    next: Option<String>,
    /// `login` (default), `link` (add this provider to the logged-in citizen) or `step_up`
    /// (log in again at a higher level as the same citizen).
    intent: Option<String>,
    /// The level the action needs: `low`, `substantial` or `high`.
    loa: Option<String>,
}

impl StartQuery {
    fn purpose(&self) -> Result<store::Purpose, crate::error::ApiError> {
        match self.intent.as_deref() {
            None | Some("login") => Ok(store::Purpose::Login),
            Some("link") => Ok(store::Purpose::Link),
            Some("step_up") => Ok(store::Purpose::StepUp),
            Some(_) => Err(query_error("intent", "intent.invalid")),
        }
    }

    fn loa(&self) -> Result<Loa, crate::error::ApiError> {
        match self.loa.as_deref() {
            None => Ok(Loa::Low),
            Some(text) => {
                settings::parse_loa(text).ok_or_else(|| query_error("loa", "loa.invalid"))
            }
        }
    }
}

fn query_error(field: &str, code: &str) -> crate::error::ApiError {
    crate::error::ApiError::BadRequest {
        code: "bad_query",
        message: format!("query parameter {field}: invalid value"),
        fields: vec![portal_domain::wire::FieldErrorBody {
            field: field.to_owned(),
            code: code.to_owned(),
            message: format!("{field}: invalid value"),
        }],
    }
}

/// Only a path on this site: `/x` but never `//host` or `/\host`, which browsers read as
/// another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.len() <= 512
                && !path.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// This portal's address as the browser sees it: `scheme://host`.
pub fn origin(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let host = headers.get(HOST)?.to_str().ok()?;
    let scheme = if state.config.secure_cookies() {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{host}"))
}

/// Where the provider sends the browser back: configured, or this portal's address.
fn redirect_uri(state: &AppState, provider: &Provider, headers: &HeaderMap) -> Option<String> {
    if let Some(uri) = &provider.settings.redirect_uri {
        return Some(uri.clone());
    }
    Some(format!(
        "{}/api/auth/{}/callback",
        origin(state, headers)?,
        provider.settings.id
    ))
}

fn binding_cookie(
    state: &AppState,
    value: &str,
    max_age: i64,
) -> (axum::http::HeaderName, HeaderValue) {
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{BINDING_COOKIE}={value}; Path=/api/auth/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    );
    (
        SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("cookie is ASCII"),
    )
}

fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    // These answers carry one-time state and cookies: no cache may keep them.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

fn error_redirect(error: &LoginError) -> Response {
    see_other(&format!("{ERROR_PAGE}?error={}", error.code()))
}

/// Starts a login at the provider `id` of this town: a plain login, linking this provider to
/// the logged-in citizen (`intent=link`) or a step-up to `loa` (`intent=step_up`).
#[utoipa::path(get, path = "/api/auth/{id}/start", tag = "identity",
    params(("id" = String, Path), ("next" = Option<String>, Query),
           ("intent" = Option<String>, Query, description = "login (default), link or step_up"),
           ("loa" = Option<String>, Query, description = "low, substantial or high")),
    responses((status = 303, description = "to the provider, or to /prihlaseni?error=CODE"),
              (status = 400, body = portal_domain::wire::ErrorBody),
              (status = 404, body = portal_domain::wire::ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    Path(id): Path<String>,
    Query(query): Query<StartQuery>,
    client: crate::web::ClientIp,
    session: Result<CurrentSession, crate::error::ApiError>,
    headers: HeaderMap,
) -> Result<Response, crate::error::ApiError> {
    if state.login_limiter.check(client.0).is_err() {
        tracing::warn!(ip = %client, "login attempts rate-limited");
        return Ok(see_other(&format!("{ERROR_PAGE}?error=rate")));
    }
    let provider = state
        .oidc
        .get(&town.info.slug, &id)
        .ok_or(crate::error::ApiError::NotFound)?;
    let purpose = query.purpose()?;
    let asked = query.loa()?;
    let next_path = safe_next(query.next.as_deref());
    // Linking and step-up act for the logged-in citizen: without a session, log in first.
    let session_hash = match (purpose, session) {
        (store::Purpose::Login, _) => None,
        (_, Ok(session)) => Some(session.token_hash),
        (_, Err(_)) => {
            return Ok(see_other(&format!(
                "{ERROR_PAGE}?error=session&next={}",
                urlencoding_path(&next_path)
            )));
        }
    };
    let wanted = asked.max(provider.settings.required_loa);
    let Some(redirect_uri) = redirect_uri(&state, &provider, &headers) else {
        return Ok(error_redirect(&LoginError::Internal("no Host".into())));
    };
    let started = match provider.start(&redirect_uri, wanted).await {
        Ok(started) => started,
        Err(error) => {
            tracing::warn!(provider = %id, %error, "login could not start");
            return Ok(error_redirect(&error));
        }
    };
    let binding = super::session::hex_token_cookie(&headers, BINDING_COOKIE)
        .unwrap_or_else(super::session::random_token);
    let pending = store::PendingLogin {
        state_hash: super::session::hash_token(&started.state),
        browser_hash: super::session::hash_token(&binding),
        town_id: town.id,
        provider: id,
        nonce: started.nonce,
        pkce_verifier: started.pkce_verifier,
        next_path,
        created_at: super::session::now_unix(),
        purpose,
        session_hash,
        wanted_loa: wanted,
    };
    state
        .db
        .write(move |tx| store::insert_pending(tx, &pending))
        .await?;
    let mut response = see_other(&started.url);
    let (name, value) = binding_cookie(&state, &binding, store::PENDING_TTL_SECS);
    response.headers_mut().append(name, value);
    Ok(response)
}

/// A path for a query value: only the characters that would end or split it are escaped.
fn urlencoding_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('&', "%26")
        .replace('#', "%23")
        .replace('?', "%3F")
        .replace('=', "%3D")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/platby?x=1")), "/platby?x=1");
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "x",
            "/a b",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn secrets_do_not_show_in_debug() {
        let secret = settings::Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "***");
    }
}
