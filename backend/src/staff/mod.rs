//! The back office's people: an admin grants and revokes staff roles in their town.
//!
//! A person becomes staff by logging in once (which creates their portal account, shown as an
//! account number on their profile page) and then being granted a role here by an admin.

pub mod first_admin;
pub mod store;

use crate::audit::{self, AuditEvent};
use crate::error::ApiError;
use crate::identity::session::CurrentSession;
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::{ApiJson, ClientIp};
use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{delete, get};
use portal_domain::wire::{FieldErrorBody, Loa, Module, NewStaffGrant, Role, StaffGrant};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/admin/staff", get(list).post(grant))
        .route("/api/admin/staff/{id}", delete(revoke))
}

/// Fails unless the session's citizen holds `role` in this town (for an official: in `module`
/// or every module). Staff actions also need a login at level "substantial".
pub async fn require_role(
    state: &AppState,
    session: &CurrentSession,
    role: Role,
    module: Option<Module>,
) -> Result<(), ApiError> {
    let (citizen_id, town_id) = (session.citizen_id(), session.row.town_id);
    let holds = state
        .db
        .read(move |conn| store::holds(conn, citizen_id, town_id, role, module))
        .await?;
    if !holds {
        return Err(ApiError::Forbidden("forbidden"));
    }
    session.require_loa(Loa::Substantial)
}

/// A session of this town's admin. As an extractor it runs before the body is read, so a
/// citizen learns nothing about what the endpoint takes: 403 whatever they send.
pub struct AdminSession(pub CurrentSession);

impl FromRequestParts<AppState> for AdminSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = CurrentSession::from_request_parts(parts, state).await?;
        require_role(state, &session, Role::Admin, None).await?;
        Ok(AdminSession(session))
    }
}

/// Everyone holding a staff role in this town.
#[utoipa::path(get, path = "/api/admin/staff", tag = "staff",
    security(("session" = ["admin"])),
    responses((status = 200, body = Vec<StaffGrant>), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    AdminSession(session): AdminSession,
) -> Result<ApiJson<Vec<StaffGrant>>, ApiError> {
    let town_id = session.row.town_id;
    let grants = state
        .db
        .read(move |conn| store::list(conn, town_id))
        .await?;
    Ok(ApiJson(grants))
}

fn field(field: &str, code: &str, message: &str) -> FieldErrorBody {
    FieldErrorBody {
        field: field.to_owned(),
        code: code.to_owned(),
        message: format!("{field}: {message}"),
    }
}

/// Grants a role to the person with this portal account number.
#[utoipa::path(post, path = "/api/admin/staff", tag = "staff", request_body = NewStaffGrant,
    params(("X-CSRF-Token" = String, Header)),
    security(("session" = ["admin"])),
    responses((status = 201, body = StaffGrant), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody),
              (status = 409, body = portal_domain::wire::ErrorBody, description = "already_granted"),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn grant(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    client: ClientIp,
    AdminSession(session): AdminSession,
    ApiJson(request): ApiJson<NewStaffGrant>,
) -> Result<(StatusCode, ApiJson<StaffGrant>), ApiError> {
    let mut errors = Vec::new();
    match (request.role, request.module) {
        (Role::Official, _) | (Role::Admin, None) => {}
        (Role::Admin, Some(_)) => errors.push(field(
            "module",
            "staff.module_for_admin",
            "an admin has no module",
        )),
        _ => errors.push(field("role", "staff.role", "expected official or admin")),
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let (admin, town_id) = (session.citizen_id(), town.id);
    let grant = state
        .db
        .write(move |tx| {
            let account = request.account;
            if !store::has_logged_in_here(tx, account, town_id)? {
                return Err(ApiError::Validation(vec![field(
                    "account",
                    "staff.unknown_account",
                    "no one with this account number has logged in to this portal",
                )]));
            }
            if store::exists(tx, account, town_id, request.role, request.module)? {
                return Err(ApiError::Conflict("already_granted"));
            }
            let id = store::insert(tx, account, town_id, request.role, request.module)?;
            let detail = grant_detail(account, request.role, request.module);
            audit::record(
                tx,
                &AuditEvent {
                    event: "role_granted",
                    town_id: Some(town_id),
                    citizen_id: Some(admin),
                    ip: Some(&client.to_string()),
                    detail: Some(&detail),
                    ..Default::default()
                },
            )?;
            store::list(tx, town_id)?
                .into_iter()
                .find(|g| g.id == id)
                .ok_or_else(|| ApiError::Internal("grant vanished".into()))
        })
        .await?;
    Ok((StatusCode::CREATED, ApiJson(grant)))
}

fn grant_detail(account: i64, role: Role, module: Option<Module>) -> String {
    let role = if role == Role::Admin {
        "admin"
    } else {
        "official"
    };
    match module {
        Some(module) => format!("account {account}: {role} ({module})"),
        None => format!("account {account}: {role}"),
    }
}

/// Takes a role away. The town's last admin cannot be removed (someone must be able to grant).
#[utoipa::path(delete, path = "/api/admin/staff/{id}", tag = "staff",
    params(("id" = i64, Path), ("X-CSRF-Token" = String, Header)),
    security(("session" = ["admin"])),
    responses((status = 204), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody),
              (status = 404, body = portal_domain::wire::ErrorBody),
              (status = 409, body = portal_domain::wire::ErrorBody, description = "last_admin")))]
pub async fn revoke(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    Path(id): Path<i64>,
    client: ClientIp,
    AdminSession(session): AdminSession,
) -> Result<StatusCode, ApiError> {
    let (admin, town_id) = (session.citizen_id(), town.id);
    state
        .db
        .write(move |tx| {
            let (holder, role, module) = store::find(tx, id, town_id)?.ok_or(ApiError::NotFound)?;
            if role == "admin" && store::admin_count(tx, town_id)? <= 1 {
                return Err(ApiError::Conflict("last_admin"));
            }
            store::delete(tx, id)?;
            let role = if role == "admin" {
                Role::Admin
            } else {
                Role::Official
            };
            let detail = grant_detail(holder, role, module.as_deref().and_then(Module::parse));
            audit::record(
                tx,
                &AuditEvent {
                    event: "role_revoked",
                    town_id: Some(town_id),
                    citizen_id: Some(admin),
                    ip: Some(&client.to_string()),
                    detail: Some(&detail),
                    ..Default::default()
                },
            )?;
            // Sessions carry no roles: the next request already sees the change.
            Ok::<_, ApiError>(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
