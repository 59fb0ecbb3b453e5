//! The browser's way back from the gateway, and the citizen's look at an attempt.

use super::{CardPayment, gateway_for, outcome_word, refresh, store};
use crate::audit::{self, AuditEvent};
use crate::error::ApiError;
use crate::identity::session::CurrentSession;
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::{ApiJson, ClientIp};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gateway_sim::protocol::{PaymentStatus, ReturnParams, sign::verify_return};
use std::collections::HashMap;

/// The client page that shows how a card payment ended.
pub const CLIENT_PAGE: &str = "/platby";

fn back(word: &str, attempt: Option<i64>) -> Response {
    let to = match attempt {
        Some(id) => format!("{CLIENT_PAGE}?platba={word}&id={id}"),
        None => format!("{CLIENT_PAGE}?platba={word}"),
    };
    Redirect::to(&to).into_response()
}

/// Where the gateway sends the payer's browser back. The signed status only decides what to
/// show, never what to credit: an attempt still `created` here is asked about at the gateway
/// (a signed status query, which does credit). Then 303 to
/// `/platby?platba=ok|zamitnuto|zruseno|ceka&id=ATTEMPT`, or `?platba=chyba` when the return
/// is not genuine or another citizen's. A payer whose session ended while paying (a slow bank
/// confirmation) still gets a genuine return settled and lands on the page, which asks them to
/// log in again and then shows the outcome.
#[utoipa::path(get, path = "/api/payments/card/return", tag = "payments",
    params(("payment_id" = String, Query), ("merchant_order_id" = String, Query),
           ("status" = String, Query), ("signature" = String, Query)),
    responses((status = 303, description = "to /platby?platba=ok|zamitnuto|zruseno|ceka&id=ATTEMPT, or ?platba=chyba"),
              (status = 404, body = portal_domain::wire::ErrorBody, description = "the town takes no cards")))]
pub async fn card_return(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    session: Option<CurrentSession>,
    client: ClientIp,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let gateway = gateway_for(&state, &town).ok_or(ApiError::NotFound)?;
    let field = |name: &str| query.get(name).cloned().unwrap_or_default();
    let Some(status) = PaymentStatus::parse(&field("status")) else {
        return Ok(back("chyba", None));
    };
    let params = ReturnParams {
        payment_id: field("payment_id"),
        merchant_order_id: field("merchant_order_id"),
        status,
        signature: field("signature"),
    };
    if !verify_return(
        &gateway.merchant_id,
        gateway.secret.expose().as_bytes(),
        &params,
    ) {
        tracing::warn!(ip = %client, "card payment return with a bad signature");
        let (town_id, ip) = (town.id, client.to_string());
        let citizen_id = session.as_ref().map(CurrentSession::citizen_id);
        state
            .db
            .write(move |tx| {
                audit::record(
                    tx,
                    &AuditEvent {
                        event: "card_return_refused",
                        town_id: Some(town_id),
                        citizen_id,
                        ip: Some(&ip),
                        detail: Some("bad signature"),
                        ..Default::default()
                    },
                )
            })
            .await?;
        return Ok(back("chyba", None));
    }
    let town_id = town.id;
    let payer_id = session.as_ref().map(CurrentSession::citizen_id);
    let (payment_id, order) = (params.payment_id.clone(), params.merchant_order_id.clone());
    // Logged in as someone else: nothing to see. Not logged in: the signature vouches for it.
    let found = state
        .db
        .read(move |conn| store::by_gateway(conn, town_id, &payment_id, &order))
        .await?
        .filter(|a| payer_id.is_none_or(|payer| a.payer_id == payer));
    let Some(attempt) = found else {
        return Ok(back("chyba", None));
    };
    if attempt.status == "created" {
        if let Err(error) = refresh(&state, gateway, town_id, &params.payment_id, "return").await {
            tracing::warn!(attempt = attempt.id, %error, "status query after the return failed");
        }
    }
    let id = attempt.id;
    let now = state
        .db
        .read(move |conn| store::by_id(conn, id))
        .await?
        .map_or(attempt.status, |a| a.status);
    Ok(back(outcome_word(&now), Some(id)))
}

/// One of the citizen's card payment attempts. While it is `created`, the gateway is asked
/// first, so this also settles an attempt whose notification is late or lost.
#[utoipa::path(get, path = "/api/payments/card/{id}", tag = "payments",
    params(("id" = i64, Path)),
    security(("session" = [])),
    responses((status = 200, body = CardPayment), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 404, body = portal_domain::wire::ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    Path(id): Path<i64>,
    session: CurrentSession,
) -> Result<ApiJson<CardPayment>, ApiError> {
    let (town_id, payer_id) = (town.id, session.citizen_id());
    let attempt = state
        .db
        .read(move |conn| store::by_id(conn, id))
        .await?
        .filter(|a| a.town_id == town_id && a.payer_id == payer_id)
        .ok_or(ApiError::NotFound)?;
    if let (Some(gateway), Some(payment_id), "created") = (
        gateway_for(&state, &town),
        attempt.gateway_payment_id.as_deref(),
        attempt.status.as_str(),
    ) {
        if let Err(error) = refresh(&state, gateway, town_id, payment_id, "status").await {
            tracing::warn!(attempt = id, %error, "status query failed");
        }
    }
    let view = state
        .db
        .read(move |conn| store::view(conn, town_id, payer_id, id))
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(ApiJson(view))
}
