//! SQL for kiosks, their login nonces and the sessions bound to them.

use crate::db::DbError;
use portal_domain::wire::KioskSummary;
use rusqlite::{Connection, OptionalExtension, params};

/// A kiosk as its credential finds it.
#[derive(Debug, Clone)]
pub struct KioskRow {
    pub id: i64,
    pub town_id: i64,
    pub slug: String,
    pub revoked: bool,
    pub last_contact_at: Option<String>,
}

pub struct NewKioskRow<'a> {
    pub town_id: i64,
    pub slug: &'a str,
    pub name: &'a str,
    pub credential_hash: &'a str,
    pub profile: &'a str,
    pub now: &'a str,
}

/// Inserts a kiosk; `None` when the town already has one with this slug.
pub fn insert(conn: &Connection, kiosk: &NewKioskRow<'_>) -> Result<Option<i64>, DbError> {
    let inserted = conn.execute(
        "INSERT INTO kiosks (town_id, slug, name, credential_hash, profile, registered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (town_id, slug) DO NOTHING",
        params![
            kiosk.town_id,
            kiosk.slug,
            kiosk.name,
            kiosk.credential_hash,
            kiosk.profile,
            kiosk.now
        ],
    )?;
    Ok((inserted == 1).then(|| conn.last_insert_rowid()))
}

pub fn by_credential(
    conn: &Connection,
    credential_hash: &str,
) -> Result<Option<KioskRow>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, town_id, slug, revoked_at IS NOT NULL, last_contact_at
         FROM kiosks WHERE credential_hash = ?1",
    )?;
    Ok(stmt
        .query_row([credential_hash], |row| {
            Ok(KioskRow {
                id: row.get(0)?,
                town_id: row.get(1)?,
                slug: row.get(2)?,
                revoked: row.get(3)?,
                last_contact_at: row.get(4)?,
            })
        })
        .optional()?)
}

pub fn touch(conn: &Connection, kiosk_id: i64, now: &str) -> Result<(), DbError> {
    conn.execute(
        "UPDATE kiosks SET last_contact_at = ?2 WHERE id = ?1",
        params![kiosk_id, now],
    )?;
    Ok(())
}

fn summary(row: &rusqlite::Row<'_>) -> rusqlite::Result<KioskSummary> {
    let parse = |text: Option<String>| {
        text.and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    Ok(KioskSummary {
        id: row.get(0)?,
        name: row.get(1)?,
        profile_version: row.get(2)?,
        last_contact: parse(row.get(3)?),
        registered_at: parse(row.get(4)?).unwrap_or_default(),
        revoked: row.get(5)?,
    })
}

const SUMMARY_COLUMNS: &str = "slug, name, profile_version, last_contact_at, registered_at,
                               revoked_at IS NOT NULL";

pub fn list(conn: &Connection, town_id: i64) -> Result<Vec<KioskSummary>, DbError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM kiosks WHERE town_id = ?1 ORDER BY slug"
    ))?;
    let rows = stmt.query_map([town_id], summary)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn find(conn: &Connection, town_id: i64, slug: &str) -> Result<Option<KioskSummary>, DbError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM kiosks WHERE town_id = ?1 AND slug = ?2"
    ))?;
    Ok(stmt.query_row(params![town_id, slug], summary).optional()?)
}

/// The kiosk's profile and its version.
pub fn profile(conn: &Connection, kiosk_id: i64) -> Result<(String, i64), DbError> {
    Ok(conn.query_row(
        "SELECT profile, profile_version FROM kiosks WHERE id = ?1",
        [kiosk_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?)
}

/// Stores a new profile (version + 1); false when there is no such live kiosk.
pub fn set_profile(
    conn: &Connection,
    town_id: i64,
    slug: &str,
    profile: &str,
) -> Result<bool, DbError> {
    Ok(conn.execute(
        "UPDATE kiosks SET profile = ?3, profile_version = profile_version + 1
         WHERE town_id = ?1 AND slug = ?2 AND revoked_at IS NULL AND profile <> ?3",
        params![town_id, slug, profile],
    )? == 1
        || find(conn, town_id, slug)?.is_some_and(|k| !k.revoked))
}

/// Revokes the kiosk: its credential stops working and its sessions end. Returns its id.
pub fn revoke(
    conn: &Connection,
    town_id: i64,
    slug: &str,
    now: &str,
) -> Result<Option<i64>, DbError> {
    let id: Option<i64> = conn
        .query_row(
            "UPDATE kiosks SET revoked_at = COALESCE(revoked_at, ?3)
             WHERE town_id = ?1 AND slug = ?2 RETURNING id",
            params![town_id, slug, now],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(id) = id {
        end_sessions(conn, id)?;
        conn.execute("DELETE FROM kiosk_nonces WHERE kiosk_id = ?1", [id])?;
    }
    Ok(id)
}

pub fn insert_nonce(
    conn: &Connection,
    nonce_hash: &str,
    kiosk_id: i64,
    origin: &str,
    expires_at: i64,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO kiosk_nonces (nonce_hash, kiosk_id, origin, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![nonce_hash, kiosk_id, origin, expires_at],
    )?;
    Ok(())
}

/// Uses up a nonce issued to this kiosk: returns its origin and expiry. A nonce of another kiosk
/// is neither returned nor used up.
pub fn take_nonce(
    conn: &Connection,
    nonce_hash: &str,
    kiosk_id: i64,
) -> Result<Option<(String, i64)>, DbError> {
    Ok(conn
        .query_row(
            "DELETE FROM kiosk_nonces WHERE nonce_hash = ?1 AND kiosk_id = ?2
             RETURNING origin, expires_at",
            params![nonce_hash, kiosk_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?)
}

pub fn purge_nonces(conn: &Connection, now: i64) -> Result<usize, DbError> {
    Ok(conn.execute("DELETE FROM kiosk_nonces WHERE expires_at <= ?1", [now])?)
}

/// Ends every session bound to the kiosk (the card was pulled out, the visitor walked away).
pub fn end_sessions(conn: &Connection, kiosk_id: i64) -> Result<usize, DbError> {
    Ok(conn.execute("DELETE FROM sessions WHERE kiosk_id = ?1", [kiosk_id])?)
}
