//! Money staff handle by hand: a payment entered with a reason (cash at the counter, a transfer
//! the bank file missed) and a payment from the unmatched queue paired with an obligation. Each
//! is one write transaction with a history event naming the official and an audit record.

use super::credit::{self, Actor};
use super::ledger::{self, Note};
use super::staff::PaymentsOfficial;
use crate::audit::{self, AuditEvent};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{ApiJson, ClientIp};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portal_domain::wire::{AssignPayment, FieldErrorBody, ManualPayment};
use rusqlite::{Connection, OptionalExtension, params};

pub(super) fn invalid(field: &str, code: &str, message: &str) -> ApiError {
    ApiError::Validation(vec![FieldErrorBody {
        field: field.into(),
        code: code.into(),
        message: format!("{field}: {message}"),
    }])
}

/// A reason is required and kept for years: short plain text.
pub(super) fn reason(text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 200 {
        return Err(invalid(
            "reason",
            "manual.reason",
            "give a reason of 1-200 characters",
        ));
    }
    Ok(text.to_owned())
}

pub(super) fn audit_money(
    tx: &Connection,
    event: &str,
    town_id: i64,
    actor: i64,
    ip: &str,
    detail: &str,
) -> Result<(), ApiError> {
    audit::record(
        tx,
        &AuditEvent {
            event,
            town_id: Some(town_id),
            citizen_id: Some(actor),
            ip: Some(ip),
            detail: Some(detail),
            ..Default::default()
        },
    )?;
    Ok(())
}

/// Records a payment received outside the bank and the gateway, credited to one obligation.
#[utoipa::path(post, path = "/api/staff/payments/manual", tag = "payments", request_body = ManualPayment,
    params(("X-CSRF-Token" = String, Header)),
    security(("session" = ["official:payments"])),
    responses((status = 201, description = "recorded; the body is the payment id"),
              (status = 200, description = "recorded before with this idempotency key"),
              (status = 401, body = portal_domain::wire::ErrorBody), (status = 403, body = portal_domain::wire::ErrorBody),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn enter(
    State(state): State<AppState>,
    client: ClientIp,
    PaymentsOfficial(session): PaymentsOfficial,
    ApiJson(request): ApiJson<ManualPayment>,
) -> Result<(StatusCode, ApiJson<i64>), ApiError> {
    let why = reason(&request.reason)?;
    if !(1..=10_000_000_000).contains(&request.amount_halere) {
        return Err(invalid(
            "amount_halere",
            "amount.invalid",
            "must be positive (haléř)",
        ));
    }
    let key = match request.idempotency_key.as_deref().map(str::trim) {
        Some(k) if !k.is_empty() && k.len() <= 100 => format!("manual:{k}"),
        Some(_) => return Err(invalid("idempotency_key", "manual.key", "1-100 characters")),
        None => format!("manual:{}", uuid::Uuid::new_v4()),
    };
    let (town_id, actor, ip) = (
        session.row.town_id,
        session.citizen_id(),
        client.to_string(),
    );
    state
        .db
        .write(move |tx| {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM payments WHERE town_id = ?1 AND source = 'manual'
                     AND external_id = ?2",
                    params![town_id, key],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = existing {
                return Ok((StatusCode::OK, ApiJson(id)));
            }
            let mut open = credit::open_obligation(tx, town_id, request.obligation_id)?
                .ok_or_else(|| {
                    invalid("obligation_id", "manual.obligation", "no such obligation")
                })?;
            let now = chrono::Utc::now().to_rfc3339();
            tx.execute(
                "INSERT INTO payments (town_id, source, external_id, amount_halere, received_on,
                                       message, state, match_note, created_at)
                 VALUES (?1, 'manual', ?2, ?3, ?4, ?5, 'matched', 'manual', ?6)",
                params![
                    town_id,
                    key,
                    request.amount_halere,
                    request.received_on.to_string(),
                    why,
                    now
                ],
            )?;
            let payment_id = tx.last_insert_rowid();
            let mut allocation =
                ledger::allocate(request.amount_halere, None, std::slice::from_mut(&mut open));
            if allocation.parts.is_empty() {
                return Err(invalid(
                    "obligation_id",
                    "manual.cancelled",
                    "the obligation is cancelled",
                ));
            }
            allocation.note = Note::Manual;
            let who = Actor {
                citizen_id: Some(actor),
                reason: Some(&why),
            };
            credit::record_allocation(tx, payment_id, &allocation, "manual_payment", who, &now)?;
            credit::store_paid(tx, &open)?;
            let detail = format!(
                "payment {payment_id}: {} haléř to obligation {}: {why}",
                request.amount_halere, request.obligation_id
            );
            audit_money(tx, "payment_entered", town_id, actor, &ip, &detail)?;
            Ok((StatusCode::CREATED, ApiJson(payment_id)))
        })
        .await
}

/// Pairs a payment that matched nothing with an obligation (all of its amount).
#[utoipa::path(post, path = "/api/staff/payments/{id}/assign", tag = "payments", request_body = AssignPayment,
    params(("id" = i64, Path), ("X-CSRF-Token" = String, Header)),
    security(("session" = ["official:payments"])),
    responses((status = 204), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 404, body = portal_domain::wire::ErrorBody),
              (status = 409, body = portal_domain::wire::ErrorBody, description = "already_matched, payment_reversed"),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn assign(
    State(state): State<AppState>,
    Path(payment_id): Path<i64>,
    client: ClientIp,
    PaymentsOfficial(session): PaymentsOfficial,
    ApiJson(request): ApiJson<AssignPayment>,
) -> Result<StatusCode, ApiError> {
    let why = reason(&request.reason)?;
    let (town_id, actor, ip) = (
        session.row.town_id,
        session.citizen_id(),
        client.to_string(),
    );
    state
        .db
        .write(move |tx| {
            let payment: Option<(i64, String, String)> = tx
                .query_row(
                    "SELECT amount_halere, state, match_note FROM payments
                     WHERE id = ?1 AND town_id = ?2",
                    params![payment_id, town_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (amount, payment_state, note) = payment.ok_or(ApiError::NotFound)?;
            if note == Note::Reversed.as_str() {
                return Err(ApiError::Conflict("payment_reversed"));
            }
            if payment_state != "unmatched" {
                return Err(ApiError::Conflict("already_matched"));
            }
            let mut open = credit::open_obligation(tx, town_id, request.obligation_id)?
                .ok_or_else(|| {
                    invalid("obligation_id", "manual.obligation", "no such obligation")
                })?;
            let mut allocation = ledger::allocate(amount, None, std::slice::from_mut(&mut open));
            if allocation.parts.is_empty() {
                return Err(invalid(
                    "obligation_id",
                    "manual.cancelled",
                    "the obligation is cancelled",
                ));
            }
            allocation.note = Note::Manual;
            let now = chrono::Utc::now().to_rfc3339();
            let who = Actor {
                citizen_id: Some(actor),
                reason: Some(&why),
            };
            credit::record_allocation(tx, payment_id, &allocation, "payment_assigned", who, &now)?;
            credit::store_paid(tx, &open)?;
            tx.execute(
                "UPDATE payments SET state = 'matched', match_note = 'manual' WHERE id = ?1",
                [payment_id],
            )?;
            let detail = format!(
                "payment {payment_id} to obligation {}: {why}",
                request.obligation_id
            );
            audit_money(tx, "payment_assigned", town_id, actor, &ip, &detail)?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}
