//! SQL for obligations.

use crate::db::DbError;
use chrono::NaiveDate;
use portal_domain::wire::{
    Obligation, ObligationDetail, ObligationEvent, PaymentShare, UnmatchedPayment,
};
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owed {
    pub count: u32,
    pub total_halere: i64,
    pub next_due: Option<NaiveDate>,
}

/// Unpaid and partly paid obligations of one payer in one town.
pub fn owed_by(conn: &Connection, town_id: i64, payer_id: i64) -> Result<Owed, DbError> {
    // `+status`: seek the index on (town_id, payer_id) and test the status row by row. An IN list
    // on the index's status column makes SQLite build a temporary table on every call, which
    // costs more than scanning one payer's obligations (this runs on every dashboard view).
    let mut stmt = conn.prepare_cached(
        "SELECT count(*), coalesce(sum(amount_halere - paid_halere), 0), min(due_date)
         FROM obligations
         WHERE town_id = ?1 AND payer_id = ?2 AND +status IN ('unpaid', 'partly_paid')",
    )?;
    Ok(stmt.query_row(params![town_id, payer_id], |row| {
        let due: Option<String> = row.get(2)?;
        Ok(Owed {
            count: row.get(0)?,
            total_halere: row.get(1)?,
            next_due: due.and_then(|d| d.parse().ok()),
        })
    })?)
}

const OBLIGATION_COLUMNS: &str = "id, item, description, period, amount_halere, paid_halere, \
     due_date, variable_symbol, specific_symbol, constant_symbol, status";

fn obligation_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Obligation> {
    Ok(Obligation {
        id: row.get(0)?,
        item: row.get(1)?,
        description: row.get(2)?,
        period: row.get(3)?,
        amount_halere: row.get(4)?,
        paid_halere: row.get(5)?,
        due_date: row.get::<_, String>(6)?.parse().unwrap_or(NaiveDate::MIN),
        variable_symbol: row.get(7)?,
        specific_symbol: row.get(8)?,
        constant_symbol: row.get(9)?,
        status: row.get(10)?,
    })
}

/// A payer's obligations in a town, the latest due date first.
pub fn obligations_of(
    conn: &Connection,
    town_id: i64,
    payer_id: i64,
) -> Result<Vec<Obligation>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {OBLIGATION_COLUMNS} FROM obligations WHERE town_id = ?1 AND payer_id = ?2
         ORDER BY due_date DESC, id DESC"
    ))?;
    let rows = stmt.query_map(params![town_id, payer_id], obligation_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One obligation of this payer, with its payments and history (`spayd` left for the caller).
pub fn obligation_detail(
    conn: &Connection,
    town_id: i64,
    payer_id: i64,
    id: i64,
) -> Result<Option<ObligationDetail>, DbError> {
    let obligation = conn
        .query_row(
            &format!(
                "SELECT {OBLIGATION_COLUMNS} FROM obligations
                 WHERE id = ?1 AND town_id = ?2 AND payer_id = ?3"
            ),
            params![id, town_id, payer_id],
            obligation_row,
        )
        .optional()?;
    let Some(obligation) = obligation else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.source, p.received_on, a.amount_halere, p.amount_halere, p.match_note
         FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
         WHERE a.obligation_id = ?1 ORDER BY p.received_on, p.id",
    )?;
    let payments = stmt
        .query_map([id], |r| {
            Ok(PaymentShare {
                payment_id: r.get(0)?,
                source: r.get(1)?,
                received_on: r.get::<_, String>(2)?.parse().unwrap_or(NaiveDate::MIN),
                amount_halere: r.get(3)?,
                payment_halere: r.get(4)?,
                matched_by: r.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let history = history(conn, id)?;
    Ok(Some(ObligationDetail {
        obligation,
        payments,
        history,
        spayd: None,
    }))
}

/// Everything that happened to an obligation's money, in order: the events of
/// `obligation_events` (created, refunds, and payments credited before migration 15) and the
/// payments' shares, which are their own events (`payment_allocations.event`).
fn history(conn: &Connection, id: i64) -> Result<Vec<ObligationEvent>, DbError> {
    // Times are RFC 3339 written with and without milliseconds, so they are compared parsed.
    // At the same instant an obligation is created before it is paid, and paid before a refund.
    let mut stmt = conn.prepare_cached(
        "SELECT at, event, amount_halere, note, id,
                CASE event WHEN 'created' THEN 0 ELSE 2 END
         FROM obligation_events WHERE obligation_id = ?1
         UNION ALL
         SELECT a.created_at, a.event, a.amount_halere, coalesce(a.reason, p.match_note), a.id, 1
         FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
         WHERE a.obligation_id = ?1 AND a.event IS NOT NULL",
    )?;
    let mut rows = stmt
        .query_map([id], |r| {
            let event = ObligationEvent {
                at: r
                    .get::<_, String>(0)?
                    .parse()
                    .unwrap_or(chrono::DateTime::UNIX_EPOCH),
                event: r.get(1)?,
                amount_halere: r.get(2)?,
                note: r.get(3)?,
            };
            Ok(((event.at, r.get::<_, i64>(5)?, r.get::<_, i64>(4)?), event))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.sort_unstable_by_key(|(order, _)| *order);
    Ok(rows.into_iter().map(|(_, event)| event).collect())
}

/// Payments that matched nothing, oldest first, for the staff queue.
pub fn unmatched(conn: &Connection, town_id: i64) -> Result<Vec<UnmatchedPayment>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, source, amount_halere, received_on, variable_symbol, specific_symbol,
                counter_account, counter_name, message, match_note
         FROM payments WHERE town_id = ?1 AND state = 'unmatched' AND match_note <> 'reversed'
         ORDER BY received_on, id",
    )?;
    let rows = stmt.query_map([town_id], |r| {
        Ok(UnmatchedPayment {
            id: r.get(0)?,
            source: r.get(1)?,
            amount_halere: r.get(2)?,
            received_on: r.get::<_, String>(3)?.parse().unwrap_or(NaiveDate::MIN),
            variable_symbol: r.get(4)?,
            specific_symbol: r.get(5)?,
            counter_account: r.get(6)?,
            counter_name: r.get(7)?,
            message: r.get(8)?,
            reason: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
