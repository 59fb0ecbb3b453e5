//! The credits' shares of obligations: their `payment_allocations` rows, written [`ROWS`] at a
//! time. Each row is also the payment's event in the obligation's history (`event` 'payment',
//! no actor; the payment's match note says how it matched).
//!
//! For one small row per credit, a statement per row cost more in SQLite's per-execution work
//! (binding, opening cursors on the table and its indexes, halting) than in the writing. A
//! statement that writes several rows and may fail halfway needs a statement journal (see
//! `writer`); `INSERT OR ROLLBACK` needs none, because a failure ends the whole transaction,
//! which is what a failed import does anyway.

use rusqlite::{Connection, Statement};

/// Rows per statement.
const ROWS: usize = 32;

/// One part of a credit: `amount` of payment `payment` went to obligation `obligation`.
struct Share {
    payment: i64,
    obligation: i64,
    amount: i64,
}

pub(super) struct Shares<'c> {
    waiting: Vec<Share>,
    allocations: Statement<'c>,
    tx: &'c Connection,
    now: &'c str,
}

impl<'c> Shares<'c> {
    pub(super) fn new(tx: &'c Connection, now: &'c str) -> rusqlite::Result<Self> {
        Ok(Shares {
            waiting: Vec::with_capacity(ROWS),
            allocations: tx.prepare(&allocations_sql(ROWS))?,
            tx,
            now,
        })
    }

    pub(super) fn add(
        &mut self,
        payment: i64,
        obligation: i64,
        amount: i64,
    ) -> rusqlite::Result<()> {
        self.waiting.push(Share {
            payment,
            obligation,
            amount,
        });
        if self.waiting.len() == ROWS {
            write(&mut self.allocations, &self.waiting, self.now)?;
            self.waiting.clear();
        }
        Ok(())
    }

    /// Writes what is waiting now, in a statement of its own size (rare: see `reversals`).
    pub(super) fn flush(&mut self) -> rusqlite::Result<()> {
        let count = self.waiting.len();
        if count == 0 {
            return Ok(());
        }
        let mut allocations = self.tx.prepare(&allocations_sql(count))?;
        write(&mut allocations, &self.waiting, self.now)?;
        self.waiting.clear();
        Ok(())
    }

    /// Writes what is still waiting.
    pub(super) fn finish(mut self) -> rusqlite::Result<()> {
        self.flush()
    }
}

fn write(allocations: &mut Statement<'_>, shares: &[Share], now: &str) -> rusqlite::Result<()> {
    allocations.raw_bind_parameter(1, now)?;
    for (row, share) in shares.iter().enumerate() {
        let at = 2 + 3 * row;
        allocations.raw_bind_parameter(at, share.payment)?;
        allocations.raw_bind_parameter(at + 1, share.obligation)?;
        allocations.raw_bind_parameter(at + 2, share.amount)?;
    }
    allocations.raw_execute()?;
    Ok(())
}

/// As `credit::record_allocation` writes them, for a payment without a staff actor; `?1` is
/// the time.
fn allocations_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|row| {
            let at = 2 + 3 * row;
            format!("(?{at}, ?{}, ?{}, ?1, 'payment')", at + 1, at + 2)
        })
        .collect();
    format!(
        "INSERT OR ROLLBACK INTO payment_allocations (payment_id, obligation_id, amount_halere,
                                                     created_at, event)
         VALUES {}",
        values.join(", ")
    )
}
