//! Fee types (configured per town as `[[town.fee]]`), the registers they charge (households
//! with members, dogs) and the yearly run that turns them into obligations.

pub mod demo;
pub mod registers;
pub mod run;
pub mod settings;
pub mod store;

use super::staff::PaymentsOfficial;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{ApiJson, ClientIp};
use axum::extract::State;
use portal_domain::wire::FieldErrorBody;
use run::RunError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YearlyRunRequest {
    pub year: i32,
    /// One fee's code; all the town's fees when absent.
    pub fee_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct YearlyRunReport {
    pub year: i32,
    /// Obligations created by this run.
    pub created: u64,
    /// Obligations an earlier run had created already.
    pub existing: u64,
}

fn run_error(error: RunError) -> ApiError {
    let field = match &error {
        RunError::Year(_) => "year",
        RunError::UnknownFee(_) => "fee_code",
        RunError::Symbol { .. } => "variable_symbol",
        RunError::Db(_) => {
            let RunError::Db(e) = error else {
                unreachable!()
            };
            return e.into();
        }
    };
    ApiError::Validation(vec![FieldErrorBody {
        field: field.into(),
        code: format!("yearly_run.{field}"),
        message: error.to_string(),
    }])
}

/// Generates the year's obligations from the registers for the official's town. Running it
/// again creates nothing twice.
#[utoipa::path(post, path = "/api/staff/payments/yearly-run", tag = "payments",
    request_body = YearlyRunRequest,
    params(("X-CSRF-Token" = String, Header)),
    security(("session" = ["official:payments"])),
    responses((status = 200, body = YearlyRunReport), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn yearly_run(
    State(state): State<AppState>,
    client: ClientIp,
    PaymentsOfficial(session): PaymentsOfficial,
    ApiJson(request): ApiJson<YearlyRunRequest>,
) -> Result<ApiJson<YearlyRunReport>, ApiError> {
    let (town_id, actor) = (session.row.town_id, session.citizen_id());
    let ip = client.to_string();
    let year = request.year;
    let report = state
        .db
        .write(move |tx| {
            run::run(
                tx,
                town_id,
                year,
                request.fee_code.as_deref(),
                Some(actor),
                Some(&ip),
            )
        })
        .await
        .map_err(run_error)?;
    Ok(ApiJson(YearlyRunReport {
        year,
        created: report.created,
        existing: report.existing,
    }))
}
