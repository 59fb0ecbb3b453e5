//! The ways a citizen logs in: linking happens through a provider login
//! (`/api/auth/{id}/start?intent=link`, see `oidc`); removing one is here.

use super::session::CurrentSession;
use crate::audit::{self, AuditEvent};
use crate::error::ApiError;
use crate::state::AppState;
use crate::towns::CurrentTown;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::delete;
use portal_domain::wire::{LinkedIdentity, Loa};
use rusqlite::{OptionalExtension, params};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/me/identities/{id}", delete(unlink))
}

/// Fills in which kind of login each identity came through, from the town's configuration.
pub fn name_kinds(state: &AppState, town_slug: &str, identities: &mut [LinkedIdentity]) {
    for identity in identities.iter_mut().filter(|i| i.kind.is_none()) {
        identity.kind = (identity.login_id.as_deref())
            .and_then(|id| state.oidc.get(town_slug, id))
            .map(|p| p.settings.kind.login_kind());
    }
}

/// Removes one of the citizen's own login identities. Needs a login at level "substantial"
/// (someone who only borrowed a weak login must not rearrange the account) and keeps at least
/// one identity, so the citizen can still log in.
#[utoipa::path(delete, path = "/api/me/identities/{id}", tag = "identity",
    params(("id" = i64, Path), ("X-CSRF-Token" = String, Header)),
    security(("session" = [])),
    responses((status = 204), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody, description = "loa_required"),
              (status = 404, body = portal_domain::wire::ErrorBody),
              (status = 409, body = portal_domain::wire::ErrorBody, description = "last_identity")))]
pub async fn unlink(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    Path(id): Path<i64>,
    client: crate::web::ClientIp,
    session: CurrentSession,
) -> Result<StatusCode, ApiError> {
    session.require_loa(Loa::Substantial)?;
    let citizen_id = session.citizen_id();
    state
        .db
        .write(move |tx| {
            // Someone else's identity is "not found": its existence is not ours to confirm.
            let login_id: Option<Option<String>> = tx
                .query_row(
                    "SELECT login_id FROM identities WHERE id = ?1 AND citizen_id = ?2",
                    params![id, citizen_id],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(login_id) = login_id else {
                return Err(ApiError::NotFound);
            };
            let count: i64 = tx.query_row(
                "SELECT count(*) FROM identities WHERE citizen_id = ?1",
                [citizen_id],
                |r| r.get(0),
            )?;
            if count <= 1 {
                return Err(ApiError::Conflict("last_identity"));
            }
            tx.execute("DELETE FROM identities WHERE id = ?1", [id])?;
            audit::record(
                tx,
                &AuditEvent {
                    event: "identity_unlinked",
                    town_id: Some(town.id),
                    citizen_id: Some(citizen_id),
                    provider: login_id.as_deref(),
                    ip: Some(&client.to_string()),
                    ..Default::default()
                },
            )?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
