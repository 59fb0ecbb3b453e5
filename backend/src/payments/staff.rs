//! The office's side: bank statements uploaded by staff, and the queue of payments that
//! matched nothing. Officials for payments (or every module) only, at level "substantial".

use super::import::{self, ImportError};
use super::store;
use crate::error::ApiError;
use crate::identity::session::CurrentSession;
use crate::staff::require_role;
use crate::state::AppState;
use crate::web::{ApiJson, ClientIp};
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use portal_domain::wire::{FieldErrorBody, Module, Role, StatementImportReport, UnmatchedPayment};

/// Statements are files of up to ~100 000 items: camt.053 at ~800 bytes an item.
pub const STATEMENT_LIMIT: usize = 128 * 1024 * 1024;

/// A session of an official for payments in this town, checked before the body is read.
pub struct PaymentsOfficial(pub CurrentSession);

impl FromRequestParts<AppState> for PaymentsOfficial {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = CurrentSession::from_request_parts(parts, state).await?;
        require_role(state, &session, Role::Official, Some(Module::Payments)).await?;
        Ok(PaymentsOfficial(session))
    }
}

/// An import error for the uploader: the parser's problems each as a field, by line or path.
pub fn import_error(error: ImportError) -> ApiError {
    match error {
        ImportError::Parse(parse) => {
            let mut fields: Vec<FieldErrorBody> = parse
                .issues
                .iter()
                .map(|issue| FieldErrorBody {
                    field: format!("{}: {}", issue.location, issue.field),
                    code: "statement.invalid".into(),
                    message: issue.problem.clone(),
                })
                .collect();
            if parse.total > parse.issues.len() {
                fields.push(FieldErrorBody {
                    field: "file".into(),
                    code: "statement.more_problems".into(),
                    message: format!("{} more problems", parse.total - parse.issues.len()),
                });
            }
            ApiError::Validation(fields)
        }
        ImportError::Account { statement, account } => ApiError::Validation(vec![FieldErrorBody {
            field: "account".into(),
            code: "statement.account".into(),
            message: format!("statement {statement} is for account {account}, not the town's"),
        }]),
        ImportError::Db(e) => e.into(),
        ImportError::InTransaction => ApiError::Internal(error.to_string()),
    }
}

pub fn report(r: import::ImportReport) -> StatementImportReport {
    StatementImportReport {
        format: r.format,
        items: r.items as u64,
        credited: r.credited as u64,
        unmatched: r.unmatched as u64,
        duplicates: r.duplicates as u64,
        skipped: r.skipped as u64,
        reversed: r.reversed as u64,
        reversals_unpaired: r.reversals_unpaired as u64,
        already_imported: r.already_imported,
    }
}

/// Imports a bank statement (ABO/GPC or camt.053, sent as the raw body). A file with any
/// problem is refused whole, each problem named by line (ABO) or element path (XML).
#[utoipa::path(post, path = "/api/staff/payments/statements", tag = "payments",
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    params(("X-CSRF-Token" = String, Header)),
    security(("session" = ["official:payments"])),
    responses((status = 200, body = StatementImportReport), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn upload_statement(
    State(state): State<AppState>,
    client: ClientIp,
    PaymentsOfficial(session): PaymentsOfficial,
    body: Bytes,
) -> Result<ApiJson<StatementImportReport>, ApiError> {
    let (town_id, actor) = (session.row.town_id, session.citizen_id());
    let ip = client.to_string();
    let result = state
        .db
        .with_connection(move |conn| {
            let by = import::Uploader {
                citizen_id: actor,
                ip: &ip,
            };
            Ok(import::import(conn, &body, Some(town_id), Some(by)).map(|(_, report)| report))
        })
        .await
        .map_err(ImportError::from)
        .and_then(|imported| imported);
    match result {
        Ok(r) => Ok(ApiJson(report(r))),
        Err(error) => Err(import_error(error)),
    }
}

/// Payments that matched no obligation, for pairing by hand.
#[utoipa::path(get, path = "/api/staff/payments/unmatched", tag = "payments",
    security(("session" = ["official:payments"])),
    responses((status = 200, body = Vec<UnmatchedPayment>), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody)))]
pub async fn unmatched(
    State(state): State<AppState>,
    PaymentsOfficial(session): PaymentsOfficial,
) -> Result<ApiJson<Vec<UnmatchedPayment>>, ApiError> {
    let town_id = session.row.town_id;
    let list = state
        .db
        .read(move |conn| store::unmatched(conn, town_id))
        .await?;
    Ok(ApiJson(list))
}
