//! Obligations and payments. For now: what a citizen owes, for the dashboard tile. The payments
//! issue grows fee registers, QR Platba, the card gateway and bank statements here.

pub mod store;

use crate::db::DbError;
use portal_domain::wire::TileSummary;
use rusqlite::Connection;

pub fn tile_summary(
    conn: &Connection,
    town_id: i64,
    citizen_id: i64,
) -> Result<TileSummary, DbError> {
    let owed = store::owed_by(conn, town_id, citizen_id)?;
    Ok(TileSummary::Payments {
        unpaid_count: owed.count,
        unpaid_total_halere: owed.total_halere,
        next_due: owed.next_due,
    })
}
