//! An official returns money from a card payment: the gateway refunds it (signed request,
//! idempotent by the refund id), then the obligations the payment paid owe that much again,
//! the last-paid first, each change in their history and the audit log.

use super::client::Gateway;
use super::{gateway_for, store};
use crate::audit::{self, AuditEvent};
use crate::error::ApiError;
use crate::payments::credit;
use crate::payments::staff::PaymentsOfficial;
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::{ApiJson, ClientIp};
use axum::extract::{Path, State};
use gateway_sim::protocol::CreateRefund;
use portal_domain::wire::{FieldErrorBody, NewRefund, RefundDone};
use rusqlite::{Connection, OptionalExtension, params};

fn invalid(field: &str, code: &str, message: &str) -> ApiError {
    ApiError::Validation(vec![FieldErrorBody {
        field: field.into(),
        code: format!("refund.{code}"),
        message: format!("{field}: {message}"),
    }])
}

fn refunded_so_far(conn: &Connection, attempt: i64) -> Result<i64, crate::db::DbError> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(amount_halere), 0) FROM card_refunds WHERE card_payment_id = ?1",
        [attempt],
        |r| r.get(0),
    )?)
}

/// Returns `amount_halere` of card payment attempt `id` to the payer.
#[utoipa::path(post, path = "/api/staff/payments/card/{id}/refund", tag = "payments",
    request_body = NewRefund, params(("id" = i64, Path), ("X-CSRF-Token" = String, Header)),
    security(("session" = ["official:payments"])),
    responses((status = 200, body = RefundDone), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 404, body = portal_domain::wire::ErrorBody),
              (status = 409, body = portal_domain::wire::ErrorBody, description = "not_refundable: the payment was not paid"),
              (status = 422, body = portal_domain::wire::ErrorBody),
              (status = 502, body = portal_domain::wire::ErrorBody, description = "gateway_unavailable")))]
pub async fn refund(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    client: ClientIp,
    PaymentsOfficial(session): PaymentsOfficial,
    Path(id): Path<i64>,
    ApiJson(request): ApiJson<NewRefund>,
) -> Result<ApiJson<RefundDone>, ApiError> {
    let reason = request.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(invalid(
            "reason",
            "reason",
            "say why, in 1 to 200 characters",
        ));
    }
    let key_ok = (8..=40).contains(&request.idempotency_key.len())
        && request
            .idempotency_key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !key_ok {
        return Err(invalid(
            "idempotency_key",
            "key",
            "8 to 40 of A-Z a-z 0-9 _ -",
        ));
    }
    if request.amount_halere <= 0 {
        return Err(invalid("amount_halere", "amount", "more than zero"));
    }
    let gateway = gateway_for(&state, &town).ok_or(ApiError::NotFound)?;
    let town_id = town.id;
    let refund_id = format!("R{id}-{}", request.idempotency_key);
    let key = refund_id.clone();
    let (attempt, refunded, done_before) = state
        .db
        .read(move |conn| {
            let attempt = store::by_id(conn, id)?.filter(|a| a.town_id == town_id);
            let done: Option<i64> = conn
                .query_row(
                    "SELECT amount_halere FROM card_refunds WHERE refund_id = ?1",
                    [&key],
                    |r| r.get(0),
                )
                .optional()?;
            Ok((attempt, refunded_so_far(conn, id)?, done))
        })
        .await?;
    let attempt = attempt.ok_or(ApiError::NotFound)?;
    if let Some(amount) = done_before {
        // The same request again (a double click, a retry after a timeout): the same refund.
        return Ok(ApiJson(RefundDone {
            refund_id,
            amount_halere: amount,
            refunded_total_halere: refunded,
        }));
    }
    let (Some(payment_id), "paid") = (
        attempt.gateway_payment_id.as_deref(),
        attempt.status.as_str(),
    ) else {
        return Err(ApiError::Conflict("not_refundable"));
    };
    if request.amount_halere > attempt.amount_halere - refunded {
        return Err(invalid(
            "amount_halere",
            "exceeds",
            &format!(
                "at most {} haléř are left to refund",
                attempt.amount_halere - refunded
            ),
        ));
    }
    Gateway::new(gateway)
        .refund(
            payment_id,
            &CreateRefund {
                refund_id: refund_id.clone(),
                amount_halere: request.amount_halere,
            },
        )
        .await
        .map_err(|e| ApiError::BadGateway {
            code: "gateway_unavailable",
            cause: format!("refund of card payment {id}: {e}"),
        })?;
    let (actor, ip, amount, key) = (
        session.citizen_id(),
        client.to_string(),
        request.amount_halere,
        refund_id.clone(),
    );
    let total = state
        .db
        .write(move |tx| -> Result<i64, ApiError> {
            let now = chrono::Utc::now().to_rfc3339();
            let inserted = tx.execute(
                "INSERT INTO card_refunds (card_payment_id, refund_id, amount_halere, reason,
                                           actor_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (refund_id) DO NOTHING",
                params![id, key, amount, reason, actor, now],
            )?;
            if inserted == 1 {
                take_back(tx, town_id, id, amount, actor, &reason, &now)?;
                audit::record(
                    tx,
                    &AuditEvent {
                        event: "card_refunded",
                        town_id: Some(town_id),
                        citizen_id: Some(actor),
                        ip: Some(&ip),
                        detail: Some(&format!("card payment {id}: {amount} haléř")),
                        ..Default::default()
                    },
                )?;
            }
            Ok(refunded_so_far(tx, id)?)
        })
        .await?;
    Ok(ApiJson(RefundDone {
        refund_id,
        amount_halere: request.amount_halere,
        refunded_total_halere: total,
    }))
}

/// Lowers what the attempt's obligations have paid by `amount`, the last item first.
fn take_back(
    tx: &Connection,
    town_id: i64,
    attempt: i64,
    mut amount: i64,
    actor: i64,
    reason: &str,
    now: &str,
) -> Result<(), ApiError> {
    let mut history = tx.prepare_cached(
        "INSERT INTO obligation_events (obligation_id, at, event, amount_halere, actor_id, note)
         VALUES (?1, ?2, 'refund', ?3, ?4, ?5)",
    )?;
    for item in store::items(tx, attempt)?.iter().rev() {
        if amount == 0 {
            break;
        }
        let Some(mut open) = credit::open_obligation(tx, town_id, item.obligation_id)? else {
            continue;
        };
        let back = amount.min(item.amount_halere).min(open.paid_halere);
        if back <= 0 {
            continue;
        }
        open.paid_halere -= back;
        credit::store_paid(tx, &open)?;
        history.execute(params![open.id, now, -back, actor, reason])?;
        amount -= back;
    }
    Ok(())
}
