//! SQL for messages.

use crate::db::DbError;
use rusqlite::{Connection, params};

pub fn unread_count(conn: &Connection, town_id: i64, citizen_id: i64) -> Result<u32, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM messages WHERE town_id = ?1 AND citizen_id = ?2 AND read_at IS NULL",
    )?;
    Ok(stmt.query_row(params![town_id, citizen_id], |r| r.get(0))?)
}
