//! The provider sends the browser back here: check the pending login, finish at the provider,
//! map the claims, open the session.

use super::client::{Finished, Provider};
use super::settings::LoginSettings;
use super::store::{self, Person};
use super::{BINDING_COOKIE, LoginError, error_redirect, redirect_uri, see_other};
use crate::audit::{self, AuditEvent};
use crate::identity::session;
use crate::state::AppState;
use crate::towns::CurrentTown;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use portal_domain::wire::Loa;
use serde_json::{Map, Value};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

#[derive(serde::Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

/// The provider's answer to a login started by `start`.
#[utoipa::path(get, path = "/api/auth/{id}/callback", tag = "identity",
    params(("id" = String, Path), ("code" = Option<String>, Query), ("state" = Option<String>, Query),
           ("iss" = Option<String>, Query)),
    responses((status = 303, description = "to `next` with a session, or to /prihlaseni?error=CODE")))]
pub async fn callback(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    CurrentTown(town): CurrentTown,
    Path(id): Path<String>,
    Query(query): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Response {
    let town_id = town.id;
    let ip = peer.ip().to_string();
    let provider = state.oidc.get(&town.info.slug, &id);
    // Only a configured id reaches the log and the audit: the path is the caller's to choose.
    let known = provider.as_ref().map(|p| p.settings.id.clone());
    let outcome = match provider {
        Some(provider) => finish(&state, town_id, &provider, query, &headers, &ip).await,
        None => Err(LoginError::State("no such provider in this town")),
    };
    match outcome {
        Ok(response) => response,
        Err(error) => {
            let provider = known.unwrap_or_else(|| "?".to_owned());
            tracing::warn!(%provider, code = error.code(), %error, "login failed");
            let code = error.code();
            let recorded = state
                .db
                .write(move |tx| {
                    audit::record(
                        tx,
                        &AuditEvent {
                            event: "login_failed",
                            town_id: Some(town_id),
                            provider: Some(&provider),
                            ip: Some(&ip),
                            detail: Some(code),
                            ..Default::default()
                        },
                    )
                })
                .await;
            if let Err(e) = recorded {
                tracing::error!(error = %e, "could not audit a failed login");
            }
            error_redirect(&error)
        }
    }
}

async fn finish(
    state: &AppState,
    town_id: i64,
    provider: &Arc<Provider>,
    query: CallbackQuery,
    headers: &HeaderMap,
    ip: &str,
) -> Result<Response, LoginError> {
    let settings = &provider.settings;
    let sent_state = query.state.ok_or(LoginError::State("missing"))?;
    let state_hash = session::hash_token(&sent_state);
    // Taken (deleted) before anything else: a state works once, even if this login fails.
    let pending = state
        .db
        .write(move |tx| store::take_pending(tx, &state_hash))
        .await?
        .ok_or(LoginError::State("unknown or used"))?;
    let browser =
        session::hex_token_cookie(headers, BINDING_COOKIE).map(|b| session::hash_token(&b));
    if pending.town_id != town_id || pending.provider != settings.id {
        return Err(LoginError::State("started for another town or provider"));
    }
    if browser.as_deref() != Some(pending.browser_hash.as_str()) {
        return Err(LoginError::State("started in another browser"));
    }
    if pending.created_at + store::PENDING_TTL_SECS <= session::now_unix() {
        return Err(LoginError::State("expired"));
    }
    if let Some(error) = query.error {
        return Err(match error.as_str() {
            "access_denied" => LoginError::Cancelled,
            // The caller writes this parameter: only a short plain code reaches the log.
            _ => LoginError::Provider(format!(
                "authorization error {:?}",
                error
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .take(64)
                    .collect::<String>()
            )),
        });
    }
    let code = query.code.ok_or(LoginError::Provider("no code".into()))?;
    let redirect = redirect_uri(state, provider, headers)
        .ok_or_else(|| LoginError::Internal("no Host".into()))?;
    // Each request has its own timeout; this bounds the whole exchange below the server's 30 s.
    let budget = (settings.timeout * 2).min(Duration::from_secs(25));
    let finished = tokio::time::timeout(
        budget,
        provider.finish(
            &redirect,
            code,
            query.iss.as_deref(),
            pending.nonce,
            pending.pkce_verifier,
        ),
    )
    .await
    .map_err(|_| LoginError::Provider("timed out".into()))??;
    let person = person(settings, &finished.claims)?;
    let loa = level(settings, &finished);
    if loa < settings.required_loa {
        return Err(LoginError::Loa);
    }
    let previous = session::token_from_headers(headers, state);
    let app = state.clone();
    let provider_id = settings.id.clone();
    let issuer = settings.issuer.clone();
    let ip = ip.to_owned();
    let token = state
        .db
        .write(move |tx| {
            let now = chrono::Utc::now().to_rfc3339();
            // Identities are namespaced by issuer: `sub` is unique only per issuer.
            let (citizen_id, created) = store::find_or_create_citizen(tx, &issuer, &person, &now)?;
            let token = session::open(
                tx,
                &app,
                &session::Login {
                    previous_token: previous.as_deref(),
                    citizen_id,
                    town_id,
                    provider: &provider_id,
                    loa,
                    ip: &ip,
                    detail: created.then_some("first login: citizen created"),
                },
            )?;
            Ok::<_, LoginError>(token)
        })
        .await?;
    let mut response = see_other(&pending.next_path);
    let (name, value) = session::set_cookie(state, &token);
    response.headers_mut().append(name, value);
    let (name, value) = super::binding_cookie(state, "", 0);
    response.headers_mut().append(name, value);
    Ok(response)
}

fn text(claims: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| match claims.get(*name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The person the claims describe. Standard names first, then NIA's eIDAS names.
fn person(settings: &LoginSettings, claims: &Map<String, Value>) -> Result<Person, LoginError> {
    let subject = text(claims, &[settings.subject_claim.as_str()])
        .ok_or_else(|| LoginError::Token(format!("no {} claim", settings.subject_claim)))?;
    Ok(Person {
        subject,
        given_name: text(claims, &["given_name", "CurrentGivenName"]),
        family_name: text(claims, &["family_name", "CurrentFamilyName"]),
        email: text(claims, &["email", "eMail"]),
    })
}

/// The highest level the `acr` claim or a granted scope maps to; low when nothing maps.
fn level(settings: &LoginSettings, finished: &Finished) -> Loa {
    let by_acr =
        text(&finished.claims, &["acr"]).and_then(|acr| settings.loa_by_acr.get(&acr).copied());
    let by_scope = finished
        .granted_scopes
        .iter()
        .filter_map(|s| settings.loa_by_scope.get(s).copied())
        .max();
    by_acr.into_iter().chain(by_scope).max().unwrap_or(Loa::Low)
}
