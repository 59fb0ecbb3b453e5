//! Messages from the town office to a citizen. For now: the unread count for the dashboard tile;
//! the notifications issue adds e-mail and the message list.

pub mod store;

use crate::db::DbError;
use portal_domain::wire::TileSummary;
use rusqlite::Connection;

pub fn tile_summary(
    conn: &Connection,
    town_id: i64,
    citizen_id: i64,
) -> Result<TileSummary, DbError> {
    Ok(TileSummary::Notifications {
        unread: store::unread_count(conn, town_id, citizen_id)?,
    })
}
