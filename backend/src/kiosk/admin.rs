//! The back office's kiosk list: register a kiosk (its credential is shown once), change its
//! profile (the kiosk picks it up at its next poll), revoke it.

use super::store::{self, NewKioskRow};
use crate::audit::{self, AuditEvent};
use crate::error::ApiError;
use crate::identity::session::{hash_token, random_token};
use crate::staff::AdminSession;
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::{ApiJson, ClientIp};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portal_domain::wire::{
    FieldErrorBody, KioskCredential, KioskProfileBody, KioskSummary, NewKiosk,
};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

/// Body of `PUT /api/admin/kiosks/{id}/profile`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProfileUpdate {
    pub profile: String,
}

fn field(field: &str, code: &str, message: String) -> FieldErrorBody {
    FieldErrorBody {
        field: field.to_owned(),
        code: code.to_owned(),
        message: format!("{field}: {message}"),
    }
}

fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 64
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// The profile checked by `kiosk-config`'s own validator, and for this kiosk of this town.
/// Every problem is one field error on `profile`, naming its line and key.
fn check_profile(text: &str, slug: &str, town_slug: &str) -> Vec<FieldErrorBody> {
    match kiosk_config::KioskProfile::parse(text) {
        Err(errors) => errors
            .iter()
            .map(|e| {
                field(
                    "profile",
                    "kiosk.profile_invalid",
                    format!("line {}: {}: {}", e.line, e.key, e.message),
                )
            })
            .collect(),
        Ok(profile) => {
            let mut errors = Vec::new();
            if profile.id != slug {
                errors.push(field(
                    "profile",
                    "kiosk.profile_id",
                    format!("id: must be {slug:?}, the kiosk's id"),
                ));
            }
            if profile.town != town_slug {
                errors.push(field(
                    "profile",
                    "kiosk.profile_town",
                    format!("town: must be {town_slug:?}, this town"),
                ));
            }
            errors
        }
    }
}

fn record(
    tx: &rusqlite::Connection,
    event: &'static str,
    town_id: i64,
    citizen_id: i64,
    ip: &str,
    slug: &str,
) -> Result<(), crate::db::DbError> {
    audit::record(
        tx,
        &AuditEvent {
            event,
            town_id: Some(town_id),
            citizen_id: Some(citizen_id),
            provider: None,
            loa: None,
            ip: Some(ip),
            detail: Some(slug),
        },
    )
}

/// The town's kiosks with their last contact.
#[utoipa::path(get, path = "/api/admin/kiosks", tag = "kiosk",
    security(("session" = ["admin"])),
    responses((status = 200, body = Vec<KioskSummary>), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    AdminSession(session): AdminSession,
) -> Result<ApiJson<Vec<KioskSummary>>, ApiError> {
    let town_id = session.row.town_id;
    Ok(ApiJson(
        state
            .db
            .read(move |conn| store::list(conn, town_id))
            .await?,
    ))
}

/// Registers a kiosk and returns its device credential, this once.
#[utoipa::path(post, path = "/api/admin/kiosks", tag = "kiosk", request_body = NewKiosk,
    params(("X-CSRF-Token" = String, Header)),
    security(("session" = ["admin"])),
    responses((status = 201, body = KioskCredential), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody),
              (status = 409, body = portal_domain::wire::ErrorBody, description = "kiosk_exists"),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    client: ClientIp,
    AdminSession(session): AdminSession,
    ApiJson(request): ApiJson<NewKiosk>,
) -> Result<(StatusCode, ApiJson<KioskCredential>), ApiError> {
    let mut errors = Vec::new();
    if !valid_slug(&request.id) {
        errors.push(field(
            "id",
            "kiosk.id_invalid",
            "use 1-64 lowercase letters, digits, '-' and '_'".into(),
        ));
    }
    let name = request.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(field(
            "name",
            "kiosk.name_invalid",
            "1-100 characters".into(),
        ));
    }
    errors.extend(check_profile(
        &request.profile,
        &request.id,
        &town.info.slug,
    ));
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let credential = random_token();
    let credential_hash = hash_token(&credential);
    let (town_id, citizen_id, ip) = (town.id, session.citizen_id(), client.to_string());
    let slug = request.id.clone();
    state
        .db
        .write(move |tx| -> Result<(), ApiError> {
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let row = NewKioskRow {
                town_id,
                slug: &slug,
                name: &name,
                credential_hash: &credential_hash,
                profile: &request.profile,
                now: &now,
            };
            store::insert(tx, &row)?.ok_or(ApiError::Conflict("kiosk_exists"))?;
            record(tx, "kiosk_registered", town_id, citizen_id, &ip, &slug)?;
            Ok(())
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(KioskCredential {
            id: request.id,
            credential,
        }),
    ))
}

/// The kiosk's profile text and version; `None` when the town has no such kiosk.
fn read_profile(
    conn: &rusqlite::Connection,
    town_id: i64,
    slug: &str,
) -> Result<Option<KioskProfileBody>, crate::db::DbError> {
    Ok(conn
        .query_row(
            "SELECT slug, profile_version, profile FROM kiosks WHERE town_id = ?1 AND slug = ?2",
            rusqlite::params![town_id, slug],
            |row| {
                Ok(KioskProfileBody {
                    kiosk: row.get(0)?,
                    version: row.get(1)?,
                    profile: row.get(2)?,
                })
            },
        )
        .optional()?)
}

/// A kiosk's current profile and its version, for the back office to edit (a revoked kiosk's
/// too, to read).
#[utoipa::path(get, path = "/api/admin/kiosks/{id}/profile", tag = "kiosk",
    params(("id" = String, Path)),
    security(("session" = ["admin"])),
    responses((status = 200, body = KioskProfileBody), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 404, body = portal_domain::wire::ErrorBody)))]
pub async fn profile(
    State(state): State<AppState>,
    AdminSession(session): AdminSession,
    Path(slug): Path<String>,
) -> Result<ApiJson<KioskProfileBody>, ApiError> {
    let town_id = session.row.town_id;
    let found = state
        .db
        .read(move |conn| read_profile(conn, town_id, &slug))
        .await?;
    found.map(ApiJson).ok_or(ApiError::NotFound)
}

/// Replaces a kiosk's profile; the kiosk applies it at its next poll.
#[utoipa::path(put, path = "/api/admin/kiosks/{id}/profile", tag = "kiosk", request_body = ProfileUpdate,
    params(("id" = String, Path), ("X-CSRF-Token" = String, Header)),
    security(("session" = ["admin"])),
    responses((status = 200, body = KioskSummary), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 404, body = portal_domain::wire::ErrorBody),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn update_profile(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    client: ClientIp,
    AdminSession(session): AdminSession,
    Path(slug): Path<String>,
    ApiJson(request): ApiJson<ProfileUpdate>,
) -> Result<ApiJson<KioskSummary>, ApiError> {
    let errors = check_profile(&request.profile, &slug, &town.info.slug);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let (town_id, citizen_id, ip) = (town.id, session.citizen_id(), client.to_string());
    let summary = state
        .db
        .write(move |tx| -> Result<KioskSummary, ApiError> {
            if !store::set_profile(tx, town_id, &slug, &request.profile)? {
                return Err(ApiError::NotFound);
            }
            record(tx, "kiosk_profile_changed", town_id, citizen_id, &ip, &slug)?;
            store::find(tx, town_id, &slug)?.ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(ApiJson(summary))
}

/// Revokes a kiosk: its credential stops working and any session at it ends.
#[utoipa::path(delete, path = "/api/admin/kiosks/{id}", tag = "kiosk",
    params(("id" = String, Path), ("X-CSRF-Token" = String, Header)),
    security(("session" = ["admin"])),
    responses((status = 204), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 404, body = portal_domain::wire::ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    client: ClientIp,
    AdminSession(session): AdminSession,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    let (town_id, citizen_id, ip) = (town.id, session.citizen_id(), client.to_string());
    state
        .db
        .write(move |tx| -> Result<(), ApiError> {
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            store::revoke(tx, town_id, &slug, &now)?.ok_or(ApiError::NotFound)?;
            record(tx, "kiosk_revoked", town_id, citizen_id, &ip, &slug)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
