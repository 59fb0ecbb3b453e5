//! SQL for obligations.

use crate::db::DbError;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

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
