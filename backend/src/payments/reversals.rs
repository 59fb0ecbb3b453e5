//! Credits the bank took back (reversal items on a statement, `payment_reversals`). The import
//! pairs a reversal with the payment it reverses when exactly that payment can be told
//! (`import::reversals`); the rest wait here for staff, who pick the payment by hand. Either way
//! [`take_back`] marks the payment reversed and the obligations it paid owe it again, with a
//! history event each.

use super::credit::{self, Actor};
use super::ledger::Note;
use super::manual::{audit_money, invalid, reason};
use super::staff::PaymentsOfficial;
use crate::db::DbError;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{ApiJson, ClientIp};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use portal_domain::wire::{PairReversal, ReversalCandidate, UnpairedReversal};
use rusqlite::{Connection, OptionalExtension, params};

/// Links reversal `reversal_id` to `payment`, marks the payment reversed and writes a
/// `reversal` event (negative amount, `actor`: the official and their reason, or nobody for the
/// import) in the history of each obligation it paid. Answers those
/// obligations and the amounts they paid: the caller lowers their paid amounts.
pub fn take_back(
    tx: &Connection,
    reversal_id: i64,
    payment: i64,
    actor: Actor<'_>,
    now: &str,
) -> Result<Vec<(i64, i64)>, DbError> {
    tx.execute(
        "UPDATE payment_reversals SET payment_id = ?2 WHERE id = ?1",
        params![reversal_id, payment],
    )?;
    tx.execute(
        "UPDATE payments SET match_note = ?2 WHERE id = ?1",
        params![payment, Note::Reversed.as_str()],
    )?;
    let shares: Vec<(i64, i64)> = tx
        .prepare_cached(
            "SELECT obligation_id, amount_halere FROM payment_allocations WHERE payment_id = ?1",
        )?
        .query_map([payment], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut history = tx.prepare_cached(
        "INSERT INTO obligation_events (obligation_id, at, event, amount_halere, payment_id,
                                        actor_id, note)
         VALUES (?1, ?2, 'reversal', ?3, ?4, ?5, ?6)",
    )?;
    for &(obligation, amount) in &shares {
        history.execute(params![
            obligation,
            now,
            -amount,
            payment,
            actor.citizen_id,
            actor.reason
        ])?;
    }
    Ok(shares)
}

/// Reversals no payment was found for, each with the payments it may reverse.
#[utoipa::path(get, path = "/api/staff/payments/reversals", tag = "payments",
    security(("session" = ["official:payments"])),
    responses((status = 200, body = Vec<UnpairedReversal>), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody)))]
pub async fn unpaired(
    State(state): State<AppState>,
    PaymentsOfficial(session): PaymentsOfficial,
) -> Result<ApiJson<Vec<UnpairedReversal>>, ApiError> {
    let town_id = session.row.town_id;
    let list = state
        .db
        .read(move |conn| unpaired_of(conn, town_id))
        .await?;
    Ok(ApiJson(list))
}

fn unpaired_of(conn: &Connection, town_id: i64) -> Result<Vec<UnpairedReversal>, DbError> {
    let date = |text: String| text.parse().unwrap_or(NaiveDate::MIN);
    let mut reversals: Vec<UnpairedReversal> = conn
        .prepare(
            "SELECT id, received_on, amount_halere, variable_symbol, counter_account
             FROM payment_reversals WHERE town_id = ?1 AND payment_id IS NULL
             ORDER BY received_on, id",
        )?
        .query_map([town_id], |r| {
            Ok(UnpairedReversal {
                id: r.get(0)?,
                received_on: date(r.get(1)?),
                amount_halere: r.get(2)?,
                variable_symbol: r.get(3)?,
                counter_account: r.get(4)?,
                candidates: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    // No index on the amount (it would cost every imported credit): a scan per reversal, and
    // unpaired reversals are few.
    let mut candidates = conn.prepare(
        "SELECT id, received_on, variable_symbol, counter_account, counter_name FROM payments
         WHERE town_id = ?1 AND source = 'bank' AND amount_halere = ?2 AND received_on <= ?3
           AND match_note <> 'reversed'
         ORDER BY received_on DESC, id DESC LIMIT 20",
    )?;
    for reversal in &mut reversals {
        let received = reversal.received_on.to_string();
        reversal.candidates = candidates
            .query_map(params![town_id, reversal.amount_halere, received], |r| {
                Ok(ReversalCandidate {
                    payment_id: r.get(0)?,
                    received_on: date(r.get(1)?),
                    variable_symbol: r.get(2)?,
                    counter_account: r.get(3)?,
                    counter_name: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
    }
    Ok(reversals)
}

/// Pairs an unpaired reversal with the bank payment it takes back, with the official's reason:
/// the obligations that payment paid owe it again.
#[utoipa::path(post, path = "/api/staff/payments/reversals/{id}/pair", tag = "payments",
    request_body = PairReversal,
    params(("id" = i64, Path), ("X-CSRF-Token" = String, Header)),
    security(("session" = ["official:payments"])),
    responses((status = 204, description = "paired; the payment is taken back"),
              (status = 401, body = portal_domain::wire::ErrorBody), (status = 403, body = portal_domain::wire::ErrorBody),
              (status = 404, body = portal_domain::wire::ErrorBody),
              (status = 409, body = portal_domain::wire::ErrorBody, description = "already_paired"),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn pair(
    State(state): State<AppState>,
    Path(reversal_id): Path<i64>,
    client: ClientIp,
    PaymentsOfficial(session): PaymentsOfficial,
    ApiJson(request): ApiJson<PairReversal>,
) -> Result<StatusCode, ApiError> {
    let why = reason(&request.reason)?;
    let (town_id, official, ip) = (
        session.row.town_id,
        session.citizen_id(),
        client.to_string(),
    );
    state
        .db
        .write(move |tx| {
            let reversal: Option<(i64, String, Option<i64>)> = tx
                .query_row(
                    "SELECT amount_halere, received_on, payment_id FROM payment_reversals
                     WHERE id = ?1 AND town_id = ?2",
                    params![reversal_id, town_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (amount, received, paired) = reversal.ok_or(ApiError::NotFound)?;
            if paired.is_some() {
                return Err(ApiError::Conflict("already_paired"));
            }
            let payment = request.payment_id;
            let fits: Option<bool> = tx
                .query_row(
                    "SELECT amount_halere = ?3 AND received_on <= ?4 AND match_note <> 'reversed'
                     FROM payments WHERE id = ?1 AND town_id = ?2 AND source = 'bank'",
                    params![payment, town_id, amount, received],
                    |r| r.get(0),
                )
                .optional()?;
            if fits != Some(true) {
                return Err(invalid(
                    "payment_id",
                    "reversal.payment",
                    "not a bank payment of this amount received before the reversal and not \
                     taken back yet",
                ));
            }
            let now = chrono::Utc::now().to_rfc3339();
            let actor = Actor {
                citizen_id: Some(official),
                reason: Some(&why),
            };
            for (obligation, amount) in take_back(tx, reversal_id, payment, actor, &now)? {
                if let Some(mut open) = credit::open_obligation(tx, town_id, obligation)? {
                    open.paid_halere = (open.paid_halere - amount).max(0);
                    credit::store_paid(tx, &open)?;
                }
            }
            let detail = format!("reversal {reversal_id} takes back payment {payment}: {why}");
            audit_money(tx, "reversal_paired", town_id, official, &ip, &detail)?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}
