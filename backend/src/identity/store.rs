//! SQL for sessions, identities and role grants.

use crate::db::DbError;
use portal_domain::wire::{Loa, Role};
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub citizen_id: i64,
    pub town_id: i64,
    pub provider: String,
    pub loa: Loa,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// The kiosk a card login at a lobby kiosk bound this session to.
    pub kiosk_id: Option<i64>,
    /// That kiosk's credential hash; `None` once the kiosk is revoked, which ends its sessions.
    pub kiosk_credential_hash: Option<String>,
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub citizen_id: i64,
    pub town_id: i64,
    pub provider: &'a str,
    pub loa: Loa,
    pub csrf_token: &'a str,
    pub now: i64,
    pub expires_at: i64,
    pub kiosk_id: Option<i64>,
}

pub fn loa_str(loa: Loa) -> &'static str {
    match loa {
        Loa::Low => "low",
        Loa::Substantial => "substantial",
        Loa::High => "high",
    }
}

pub fn parse_loa(text: &str) -> Loa {
    match text {
        "high" => Loa::High,
        "substantial" => Loa::Substantial,
        _ => Loa::Low,
    }
}

pub fn insert_session(conn: &Connection, s: &NewSession<'_>) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO sessions (token_hash, citizen_id, town_id, provider, loa, csrf_token,
                               created_at, last_seen_at, expires_at, kiosk_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)",
        params![
            s.token_hash,
            s.citizen_id,
            s.town_id,
            s.provider,
            loa_str(s.loa),
            s.csrf_token,
            s.now,
            s.expires_at,
            s.kiosk_id
        ],
    )?;
    Ok(())
}

pub fn find_session(conn: &Connection, token_hash: &str) -> Result<Option<SessionRow>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.citizen_id, s.town_id, s.provider, s.loa, s.csrf_token, s.created_at,
                s.last_seen_at, s.expires_at, s.kiosk_id,
                CASE WHEN k.revoked_at IS NULL THEN k.credential_hash END
         FROM sessions s LEFT JOIN kiosks k ON k.id = s.kiosk_id
         WHERE s.token_hash = ?1",
    )?;
    Ok(stmt
        .query_row([token_hash], |row| {
            Ok(SessionRow {
                citizen_id: row.get(0)?,
                town_id: row.get(1)?,
                provider: row.get(2)?,
                loa: parse_loa(&row.get::<_, String>(3)?),
                csrf_token: row.get(4)?,
                created_at: row.get(5)?,
                last_seen_at: row.get(6)?,
                expires_at: row.get(7)?,
                kiosk_id: row.get(8)?,
                kiosk_credential_hash: row.get(9)?,
            })
        })
        .optional()?)
}

pub fn touch_session(conn: &Connection, token_hash: &str, now: i64) -> Result<(), DbError> {
    conn.execute(
        "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
        params![token_hash, now],
    )?;
    Ok(())
}

pub fn delete_session(conn: &Connection, token_hash: &str) -> Result<(), DbError> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// "Log out everywhere".
pub fn delete_sessions_of(conn: &Connection, citizen_id: i64) -> Result<usize, DbError> {
    Ok(conn.execute("DELETE FROM sessions WHERE citizen_id = ?1", [citizen_id])?)
}

pub fn purge_expired_sessions(
    conn: &Connection,
    now: i64,
    idle_secs: i64,
) -> Result<usize, DbError> {
    Ok(conn.execute(
        "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen_at <= ?1 - ?2",
        params![now, idle_secs],
    )?)
}

pub fn citizen_by_identity(
    conn: &Connection,
    provider: &str,
    subject: &str,
) -> Result<Option<i64>, DbError> {
    Ok(conn
        .query_row(
            "SELECT citizen_id FROM identities WHERE provider = ?1 AND subject = ?2",
            params![provider, subject],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn mark_identity_used(
    conn: &Connection,
    provider: &str,
    subject: &str,
    now: &str,
) -> Result<(), DbError> {
    conn.execute(
        "UPDATE identities SET last_login_at = ?3 WHERE provider = ?1 AND subject = ?2",
        params![provider, subject, now],
    )?;
    Ok(())
}

pub fn display_name(conn: &Connection, citizen_id: i64) -> Result<String, DbError> {
    Ok(conn.query_row(
        "SELECT given_name || ' ' || family_name FROM citizens WHERE id = ?1",
        [citizen_id],
        |r| r.get(0),
    )?)
}

/// Citizen always; staff roles as granted in this town.
pub fn roles_in_town(
    conn: &Connection,
    citizen_id: i64,
    town_id: i64,
) -> Result<Vec<Role>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT role FROM role_grants WHERE citizen_id = ?1 AND town_id = ?2 ORDER BY role",
    )?;
    let mut roles = vec![Role::Citizen];
    for role in stmt.query_map(params![citizen_id, town_id], |r| r.get::<_, String>(0))? {
        match role?.as_str() {
            "admin" => roles.push(Role::Admin),
            "official" => roles.push(Role::Official),
            _ => {}
        }
    }
    Ok(roles)
}
