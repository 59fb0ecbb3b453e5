//! Writing what the ledger decided: a payment's allocations (which are also the obligations'
//! payment history) and the obligations' new paid amounts and statuses. Shared by the card
//! writer and staff entries; the statement import writes the same rows in batches (`import`).

use super::ledger::{self, Allocation, Open};
use crate::db::DbError;
use rusqlite::{Connection, params};

/// Who did it and why, for the obligation's history (staff entries).
#[derive(Debug, Clone, Copy, Default)]
pub struct Actor<'a> {
    pub citizen_id: Option<i64>,
    pub reason: Option<&'a str>,
}

/// Records `allocation` of payment `payment_id`: one allocation per part, which is also the
/// part's event in the obligation's history (`event`, the actor and their reason).
pub fn record_allocation(
    tx: &Connection,
    payment_id: i64,
    allocation: &Allocation,
    event: &str,
    actor: Actor<'_>,
    now: &str,
) -> Result<(), DbError> {
    let mut allocate = tx.prepare_cached(
        "INSERT INTO payment_allocations (payment_id, obligation_id, amount_halere, created_at,
                                          event, actor_id, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (obligation_id, amount) in &allocation.parts {
        allocate.execute(params![
            payment_id,
            obligation_id,
            amount,
            now,
            event,
            actor.citizen_id,
            actor.reason
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
