//! Writing what the ledger decided: a payment's allocations, the obligations' history and their
//! new paid amounts and statuses. Shared by the statement import and staff entries.

use super::ledger::{self, Allocation, Open};
use crate::db::DbError;
use rusqlite::{Connection, params};

/// Who did it and why, for the obligation's history (staff entries).
#[derive(Debug, Clone, Copy, Default)]
pub struct Actor<'a> {
    pub citizen_id: Option<i64>,
    pub reason: Option<&'a str>,
}

/// Records `allocation` of payment `payment_id`: one allocation and one history event per part.
pub fn record_allocation(
    tx: &Connection,
    payment_id: i64,
    allocation: &Allocation,
    event: &str,
    actor: Actor<'_>,
    now: &str,
) -> Result<(), DbError> {
    let mut allocate = tx.prepare_cached(
        "INSERT INTO payment_allocations (payment_id, obligation_id, amount_halere, created_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut history = tx.prepare_cached(
        "INSERT INTO obligation_events (obligation_id, at, event, amount_halere, payment_id,
                                        actor_id, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let note = actor.reason.unwrap_or(allocation.note.as_str());
    for (obligation_id, amount) in &allocation.parts {
        allocate.execute(params![payment_id, obligation_id, amount, now])?;
        history.execute(params![
            obligation_id,
            now,
            event,
            amount,
            payment_id,
            actor.citizen_id,
            note
        ])?;
    }
    Ok(())
}

/// Stores an obligation's paid amount and the status that follows from it.
pub fn store_paid(tx: &Connection, open: &Open) -> Result<(), DbError> {
    let status = ledger::status(open.amount_halere, open.paid_halere, open.cancelled);
    tx.prepare_cached("UPDATE obligations SET paid_halere = ?2, status = ?3 WHERE id = ?1")?
        .execute(params![open.id, open.paid_halere, status])?;
    Ok(())
}

/// One obligation of a town as the ledger needs it, read inside the caller's transaction.
pub fn open_obligation(tx: &Connection, town_id: i64, id: i64) -> Result<Option<Open>, DbError> {
    use rusqlite::OptionalExtension;
    Ok(tx
        .query_row(
            "SELECT id, amount_halere, paid_halere, specific_symbol, due_date, status
             FROM obligations WHERE id = ?1 AND town_id = ?2",
            params![id, town_id],
            |r| {
                Ok(Open {
                    id: r.get(0)?,
                    amount_halere: r.get(1)?,
                    paid_halere: r.get(2)?,
                    specific_symbol: r.get(3)?,
                    due_date: r.get(4)?,
                    cancelled: r.get::<_, String>(5)? == "cancelled",
                })
            },
        )
        .optional()?)
}
