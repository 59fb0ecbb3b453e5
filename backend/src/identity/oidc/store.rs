//! SQL for OpenID Connect logins: pending logins (state, nonce, PKCE verifier, purpose) and the
//! citizens behind provider identities.

use crate::db::DbError;
use crate::identity::store::{citizen_by_identity, loa_str, mark_identity_used, parse_loa};
use portal_domain::wire::Loa;
use rusqlite::{Connection, OptionalExtension, params};

/// A pending login lives this long: enough to log in at the provider, short for a stolen state.
pub const PENDING_TTL_SECS: i64 = 10 * 60;

/// What a login at a provider is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Log in (the citizen is found or created by the identity).
    Login,
    /// Add this identity to the logged-in citizen.
    Link,
    /// Reach a higher level of assurance as the logged-in citizen.
    StepUp,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Login => "login",
            Purpose::Link => "link",
            Purpose::StepUp => "step_up",
        }
    }

    fn parse(text: &str) -> Purpose {
        match text {
            "link" => Purpose::Link,
            "step_up" => Purpose::StepUp,
            _ => Purpose::Login,
        }
    }
}

pub struct PendingLogin {
    pub state_hash: String,
    pub browser_hash: String,
    pub town_id: i64,
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: Option<String>,
    pub next_path: String,
    pub created_at: i64,
    pub purpose: Purpose,
    /// For linking and step-up: the hash of the session that asked.
    pub session_hash: Option<String>,
    pub wanted_loa: Loa,
}

pub fn insert_pending(conn: &Connection, p: &PendingLogin) -> Result<(), DbError> {
    // Old rows go whenever a new one comes, so the table stays small without a timer.
    conn.execute(
        "DELETE FROM oidc_pending_logins WHERE created_at <= ?1",
        [p.created_at - PENDING_TTL_SECS],
    )?;
    conn.execute(
        "INSERT INTO oidc_pending_logins (state_hash, browser_hash, town_id, provider, nonce,
                                          pkce_verifier, next_path, created_at, purpose,
                                          session_hash, wanted_loa)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            p.state_hash,
            p.browser_hash,
            p.town_id,
            p.provider,
            p.nonce,
            // The column predates optional PKCE: an empty verifier means none was sent.
            p.pkce_verifier.as_deref().unwrap_or(""),
            p.next_path,
            p.created_at,
            p.purpose.as_str(),
            p.session_hash,
            loa_str(p.wanted_loa),
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
                       next_path, created_at, purpose, session_hash, wanted_loa",
            [state_hash],
            |row| {
                let verifier: String = row.get(5)?;
                Ok(PendingLogin {
                    state_hash: row.get(0)?,
                    browser_hash: row.get(1)?,
                    town_id: row.get(2)?,
                    provider: row.get(3)?,
                    nonce: row.get(4)?,
                    pkce_verifier: (!verifier.is_empty()).then_some(verifier),
                    next_path: row.get(6)?,
                    created_at: row.get(7)?,
                    purpose: Purpose::parse(&row.get::<_, String>(8)?),
                    session_hash: row.get(9)?,
                    wanted_loa: parse_loa(&row.get::<_, String>(10)?),
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

/// An identity: the issuer namespaces the subject (`sub` is unique only per issuer); `login_id`
/// is the town's login it came through, for display.
pub struct IdentityKey<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    pub login_id: &'a str,
}

/// The citizen behind this identity, created with it at the first login. Identities are keyed
/// by (provider, subject) only: never merged with others by name or birth date.
/// Returns the citizen id and whether it was created now.
pub fn find_or_create_citizen(
    conn: &Connection,
    key: &IdentityKey<'_>,
    person: &Person,
    now: &str,
) -> Result<(i64, bool), DbError> {
    if let Some(id) = citizen_by_identity(conn, key.issuer, key.subject)? {
        mark_identity_used(conn, key.issuer, key.subject, now)?;
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
    insert_identity(conn, citizen_id, key, now)?;
    Ok((citizen_id, true))
}

pub fn insert_identity(
    conn: &Connection,
    citizen_id: i64,
    key: &IdentityKey<'_>,
    now: &str,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO identities (citizen_id, provider, subject, linked_at, last_login_at, login_id)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        params![citizen_id, key.issuer, key.subject, now, key.login_id],
    )?;
    Ok(())
}
