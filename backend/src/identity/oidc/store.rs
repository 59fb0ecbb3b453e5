//! SQL for OpenID Connect logins: pending logins (state, nonce, PKCE verifier) and the
//! citizens behind provider identities.

use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension, params};

/// A pending login lives this long: enough to log in at the provider, short for a stolen state.
pub const PENDING_TTL_SECS: i64 = 10 * 60;

pub struct PendingLogin {
    pub state_hash: String,
    pub browser_hash: String,
    pub town_id: i64,
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next_path: String,
    pub created_at: i64,
}

pub fn insert_pending(conn: &Connection, p: &PendingLogin) -> Result<(), DbError> {
    // Old rows go whenever a new one comes, so the table stays small without a timer.
    conn.execute(
        "DELETE FROM oidc_pending_logins WHERE created_at <= ?1",
        [p.created_at - PENDING_TTL_SECS],
    )?;
    conn.execute(
        "INSERT INTO oidc_pending_logins (state_hash, browser_hash, town_id, provider, nonce,
                                          pkce_verifier, next_path, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            p.state_hash,
            p.browser_hash,
            p.town_id,
            p.provider,
            p.nonce,
            p.pkce_verifier,
            p.next_path,
            p.created_at
        ],
    )?;
    Ok(())
}

/// Removes and returns the pending login for a state: whatever happens next, a state is used once.
pub fn take_pending(conn: &Connection, state_hash: &str) -> Result<Option<PendingLogin>, DbError> {
    Ok(conn
        .query_row(
            "DELETE FROM oidc_pending_logins WHERE state_hash = ?1
             RETURNING state_hash, browser_hash, town_id, provider, nonce, pkce_verifier,
                       next_path, created_at",
            [state_hash],
            |row| {
                Ok(PendingLogin {
                    state_hash: row.get(0)?,
                    browser_hash: row.get(1)?,
                    town_id: row.get(2)?,
                    provider: row.get(3)?,
                    nonce: row.get(4)?,
                    pkce_verifier: row.get(5)?,
                    next_path: row.get(6)?,
                    created_at: row.get(7)?,
                })
            },
        )
        .optional()?)
}

/// What a provider told us about the person, already mapped to the portal's fields.
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub subject: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
}

/// The citizen behind this identity, created with it at the first login. Identities are keyed
/// by (provider, subject) only: never merged with others by name or birth date.
/// Returns the citizen id and whether it was created now.
pub fn find_or_create_citizen(
    conn: &Connection,
    provider: &str,
    person: &Person,
    now: &str,
) -> Result<(i64, bool), DbError> {
    if let Some(id) = super::super::store::citizen_by_identity(conn, provider, &person.subject)? {
        super::super::store::mark_identity_used(conn, provider, &person.subject, now)?;
        return Ok((id, false));
    }
    conn.execute(
        "INSERT INTO citizens (given_name, family_name, email, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
        params![
            person.given_name.as_deref().unwrap_or(""),
            person.family_name.as_deref().unwrap_or(""),
            person.email,
            now
        ],
    )?;
    let citizen_id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO identities (citizen_id, provider, subject, linked_at, last_login_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
        params![citizen_id, provider, person.subject, now],
    )?;
    Ok((citizen_id, true))
}
