//! The provider sends the browser back here: check the pending login, finish at the provider,
//! map the claims, open the session.

use super::client::{Answer, Finished, Provider};
use super::settings::LoginSettings;
use super::store::{self, IdentityKey, PendingLogin, Person, Purpose};
use super::{BINDING_COOKIE, LoginError, error_redirect, redirect_uri, see_other};
use crate::audit::{self, AuditEvent};
use crate::identity::session;
use crate::state::AppState;
use crate::towns::CurrentTown;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use portal_domain::wire::Loa;
use serde_json::{Map, Value};
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
    client: crate::web::ClientIp,
    CurrentTown(town): CurrentTown,
    Path(id): Path<String>,
    Query(query): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Response {
    let town_id = town.id;
    let ip = client.to_string();
    let provider = state.oidc.get(&town.info.slug, &id);
    // Only a configured id reaches the log and the audit: the path is the caller's to choose.
    let known = provider.as_ref().map(|p| p.settings.id.clone());
    let outcome = match provider {
        _ if state.login_limiter.check(client.0).is_err() => Err(LoginError::RateLimited),
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
    let Some(sent_state) = query.state else {
        // An error answer without state can be tied to no login, but its code still says why.
        return Err(match query.error {
            Some(error) => authorization_error(&error),
            None => LoginError::State("missing"),
        });
    };
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
        return Err(authorization_error(&error));
    }
    let code = query.code.ok_or(LoginError::Provider("no code".into()))?;
    let redirect = redirect_uri(state, provider, headers)
        .ok_or_else(|| LoginError::Internal("no Host".into()))?;
    // Each request has its own timeout; this bounds the whole exchange below the server's 30 s.
    let budget = (settings.timeout * 2).min(Duration::from_secs(25));
    let answer = Answer {
        code,
        iss: query.iss,
        nonce: pending.nonce.clone(),
        pkce_verifier: pending.pkce_verifier.clone(),
        wanted: pending.wanted_loa,
    };
    let finished = tokio::time::timeout(budget, provider.finish(&redirect, answer))
        .await
        .map_err(|_| LoginError::Provider("timed out".into()))??;
    let person = person(settings, &finished.claims)?;
    let loa = level(settings, &finished);
    if loa < settings.required_loa.max(pending.wanted_loa) {
        return Err(LoginError::Loa);
    }
    let presented = session::token_from_headers(headers, state);
    let done = Done {
        town_id,
        provider_id: settings.id.clone(),
        issuer: settings.issuer.clone(),
        person,
        loa,
        ip: ip.to_owned(),
    };
    let app = state.clone();
    let next = pending.next_path.clone();
    let token = state
        .db
        .write(move |tx| apply(tx, &app, &pending, presented.as_deref(), &done))
        .await?;
    let mut response = see_other(&next);
    if let Some(token) = token {
        let (name, value) = session::set_cookie(state, &token);
        response.headers_mut().append(name, value);
    }
    let (name, value) = super::binding_cookie(state, "", 0);
    response.headers_mut().append(name, value);
    Ok(response)
}

/// The provider's `error` parameter (RFC 6749 4.1.2.1). The caller writes it: only a short
/// plain code reaches the log.
fn authorization_error(error: &str) -> LoginError {
    match error {
        "access_denied" => LoginError::Cancelled,
        _ => LoginError::Provider(format!(
            "authorization error {:?}",
            error
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(64)
                .collect::<String>()
        )),
    }
}

/// A login the provider vouched for.
struct Done {
    town_id: i64,
    provider_id: String,
    issuer: String,
    person: Person,
    loa: Loa,
    ip: String,
}

/// Applies a vouched-for login as its purpose says, in one transaction. Returns the token of
/// a new session (login and step-up), or `None` (linking keeps the session).
fn apply(
    tx: &rusqlite::Connection,
    app: &AppState,
    pending: &PendingLogin,
    presented: Option<&str>,
    done: &Done,
) -> Result<Option<String>, LoginError> {
    let now = chrono::Utc::now().to_rfc3339();
    let key = IdentityKey {
        issuer: &done.issuer,
        subject: &done.person.subject,
        login_id: &done.provider_id,
    };
    let (citizen_id, detail) = match pending.purpose {
        Purpose::Login => {
            let (citizen_id, created) =
                store::find_or_create_citizen(tx, &key, &done.person, &now)?;
            (
                citizen_id,
                created.then_some("first login: citizen created"),
            )
        }
        Purpose::Link | Purpose::StepUp => {
            // The browser must still hold the very session that asked, live.
            let asking = presented.map(session::hash_token);
            let live = match (&pending.session_hash, asking) {
                (Some(wanted), Some(asking)) if *wanted == asking => {
                    crate::identity::store::find_session(tx, wanted)?
                        .filter(|row| row.expires_at > session::now_unix())
                }
                _ => None,
            };
            let citizen_id = live.ok_or(LoginError::Session)?.citizen_id;
            link(tx, citizen_id, &key, done, &now)?;
            if pending.purpose == Purpose::Link {
                return Ok(None);
            }
            (citizen_id, Some("step-up"))
        }
    };
    let token = session::open(
        tx,
        app,
        &session::Login {
            previous_token: presented,
            citizen_id,
            town_id: done.town_id,
            provider: &done.provider_id,
            loa: done.loa,
            ip: &done.ip,
            detail,
            kiosk_id: None,
        },
    )?;
    Ok(Some(token))
}

/// Makes sure the identity belongs to `citizen_id`: linked now if new, refused if another
/// citizen's (people are never merged).
fn link(
    tx: &rusqlite::Connection,
    citizen_id: i64,
    key: &IdentityKey<'_>,
    done: &Done,
    now: &str,
) -> Result<(), LoginError> {
    match crate::identity::store::citizen_by_identity(tx, key.issuer, key.subject)? {
        Some(owner) if owner != citizen_id => Err(LoginError::LinkedElsewhere),
        Some(_) => {
            crate::identity::store::mark_identity_used(tx, key.issuer, key.subject, now)?;
            Ok(())
        }
        None => {
            store::insert_identity(tx, citizen_id, key, now)?;
            audit::record(
                tx,
                &AuditEvent {
                    event: "identity_linked",
                    town_id: Some(done.town_id),
                    citizen_id: Some(citizen_id),
                    provider: Some(&done.provider_id),
                    loa: Some(crate::identity::store::loa_str(done.loa)),
                    ip: Some(&done.ip),
                    ..Default::default()
                },
            )?;
            Ok(())
        }
    }
}

/// Names longer than this are cut (a provider's bug or a hostile claim must not fill pages).
const MAX_NAME_CHARS: usize = 100;
/// RFC 5321's limit of a forward path; a longer "address" is not kept.
const MAX_EMAIL_CHARS: usize = 254;

fn text(claims: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| match claims.get(*name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// At most `max` characters, control characters left out.
fn bounded(value: Option<String>, max: usize) -> Option<String> {
    value
        .map(|v| {
            v.chars()
                .filter(|c| !c.is_control())
                .take(max)
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .filter(|v| !v.is_empty())
}

/// The person the claims describe. Standard names first, then NIA's eIDAS names, then Bank
/// iD's `verified_claims.claims`, and where only a full `name` came, split at its last space
/// (as a card's common name is).
fn person(settings: &LoginSettings, claims: &Map<String, Value>) -> Result<Person, LoginError> {
    let subject = text(claims, &[settings.subject_claim.as_str()])
        .ok_or_else(|| LoginError::Token(format!("no {} claim", settings.subject_claim)))?;
    let verified = claims
        .get("verified_claims")
        .and_then(|v| v.get("claims"))
        .and_then(Value::as_object);
    let from_verified = |name: &str| verified.and_then(|v| text(v, &[name]));
    let mut given_name =
        text(claims, &["given_name", "CurrentGivenName"]).or_else(|| from_verified("given_name"));
    let mut family_name = text(claims, &["family_name", "CurrentFamilyName"])
        .or_else(|| from_verified("family_name"));
    if given_name.is_none() && family_name.is_none() {
        if let Some(full) = text(claims, &["name"]).or_else(|| from_verified("name")) {
            match full.rsplit_once(' ') {
                Some((given, family)) => {
                    given_name = Some(given.trim().to_owned());
                    family_name = Some(family.to_owned());
                }
                None => family_name = Some(full),
            }
        }
    }
    let email = text(claims, &["email", "eMail"]).filter(|e| e.chars().count() <= MAX_EMAIL_CHARS);
    Ok(Person {
        subject,
        given_name: bounded(given_name, MAX_NAME_CHARS),
        family_name: bounded(family_name, MAX_NAME_CHARS),
        email,
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
