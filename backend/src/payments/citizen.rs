//! The citizen's side: what I owe, one obligation with its payments and history, and the QR
//! Platba to pay it. Only the payer's own obligations exist here (others' are "not found").

use super::store;
use crate::error::ApiError;
use crate::identity::session::CurrentSession;
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::ApiJson;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use payment_formats::qr::QrMatrix;
use payment_formats::spayd::Spayd;
use portal_domain::wire::{Obligation, ObligationDetail, ObligationList};

/// The citizen's obligations, newest due date first, with what is owed in all.
#[utoipa::path(get, path = "/api/payments/obligations", tag = "payments",
    security(("session" = [])),
    responses((status = 200, body = ObligationList), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    session: CurrentSession,
) -> Result<ApiJson<ObligationList>, ApiError> {
    let (town_id, citizen_id) = (session.row.town_id, session.citizen_id());
    let obligations = state
        .db
        .read(move |conn| store::obligations_of(conn, town_id, citizen_id))
        .await?;
    let owed_halere = obligations
        .iter()
        .filter(|o| o.status != "cancelled")
        .map(|o| (o.amount_halere - o.paid_halere).max(0))
        .sum();
    let overpaid_halere = obligations
        .iter()
        .map(|o| (o.paid_halere - o.amount_halere).max(0))
        .sum();
    Ok(ApiJson(ObligationList {
        obligations,
        owed_halere,
        overpaid_halere,
    }))
}

async fn own_detail(
    state: &AppState,
    session: &CurrentSession,
    id: i64,
) -> Result<ObligationDetail, ApiError> {
    let (town_id, citizen_id) = (session.row.town_id, session.citizen_id());
    let found = state
        .db
        .read(move |conn| store::obligation_detail(conn, town_id, citizen_id, id))
        .await?;
    found.ok_or(ApiError::NotFound)
}

/// The QR Platba for what is still owed on `obligation`, to the town's account.
pub fn spayd_for(town: &crate::towns::Town, obligation: &Obligation) -> Option<Spayd> {
    let owed = obligation.amount_halere - obligation.paid_halere;
    if owed <= 0 || obligation.status == "cancelled" {
        return None;
    }
    let mut builder = Spayd::builder(&town.info.bank_account)
        .amount_halere(owed)
        .variable_symbol(&obligation.variable_symbol)
        .message(&obligation.description)
        .recipient_name(&town.info.name)
        .due_date(obligation.due_date);
    if let Some(ss) = &obligation.specific_symbol {
        builder = builder.specific_symbol(ss);
    }
    if let Some(ks) = &obligation.constant_symbol {
        builder = builder.constant_symbol(ks);
    }
    match builder.build() {
        Ok(spayd) => Some(spayd),
        Err(error) => {
            // Data we stored ourselves: a bug or a bad import, not the citizen's problem.
            tracing::error!(obligation = obligation.id, %error, "no QR Platba for an obligation");
            None
        }
    }
}

/// One of the citizen's obligations: its payments (and how each was matched) and history.
#[utoipa::path(get, path = "/api/payments/obligations/{id}", tag = "payments",
    params(("id" = i64, Path)),
    security(("session" = [])),
    responses((status = 200, body = ObligationDetail), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 404, body = portal_domain::wire::ErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    Path(id): Path<i64>,
    session: CurrentSession,
) -> Result<ApiJson<ObligationDetail>, ApiError> {
    let mut detail = own_detail(&state, &session, id).await?;
    detail.spayd = spayd_for(&town, &detail.obligation).map(|s| s.as_str().to_owned());
    Ok(ApiJson(detail))
}

/// The QR Platba image for an obligation: `svg` for the screen, `png` for print and download.
#[utoipa::path(get, path = "/api/payments/obligations/{id}/qr/{format}", tag = "payments",
    params(("id" = i64, Path), ("format" = String, Path, description = "svg or png")),
    security(("session" = [])),
    responses((status = 200, description = "image/svg+xml or image/png"),
              (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 404, body = portal_domain::wire::ErrorBody, description = "not the citizen's, nothing owed, or another format")))]
pub async fn qr(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    Path((id, format)): Path<(i64, String)>,
    session: CurrentSession,
) -> Result<Response, ApiError> {
    let detail = own_detail(&state, &session, id).await?;
    let spayd = spayd_for(&town, &detail.obligation).ok_or(ApiError::NotFound)?;
    let title = format!("QR Platba: {}", detail.obligation.description);
    qr_image(&spayd, &title, &format)
}

/// A QR Platba as an SVG (for the page) or PNG (to print) answer; another format is not found.
/// Never cached: it names what someone owes.
pub fn qr_image(spayd: &Spayd, title: &str, format: &str) -> Result<Response, ApiError> {
    let matrix = QrMatrix::new(spayd).map_err(|e| ApiError::Internal(e.to_string()))?;
    let private = (CACHE_CONTROL, "private, no-store");
    match format {
        "svg" => {
            let svg = matrix.to_svg(title, 240);
            Ok(([(CONTENT_TYPE, "image/svg+xml"), private], svg).into_response())
        }
        "png" => {
            let png = matrix
                .to_png(8)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(([(CONTENT_TYPE, "image/png"), private], png).into_response())
        }
        _ => Err(ApiError::NotFound),
    }
}
