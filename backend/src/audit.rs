//! The audit log: who did what, when, from where. Callers pass only what may be kept for years:
//! never tokens, PINs, card data or birth numbers.

use crate::db::DbError;
use rusqlite::{Connection, params};

#[derive(Debug, Default)]
pub struct AuditEvent<'a> {
    pub event: &'a str,
    pub town_id: Option<i64>,
    pub citizen_id: Option<i64>,
    pub provider: Option<&'a str>,
    pub loa: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub detail: Option<&'a str>,
}

pub fn record(conn: &Connection, event: &AuditEvent<'_>) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, town_id, citizen_id, event, provider, loa, ip, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        chrono::Utc::now().to_rfc3339(),
        event.town_id,
        event.citizen_id,
        event.event,
        event.provider,
        event.loa,
        event.ip,
        event.detail
    ])?;
    Ok(())
}
