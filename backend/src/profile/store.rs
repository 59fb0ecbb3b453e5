//! SQL for the citizen's own record.

use crate::db::DbError;
use chrono::{DateTime, Utc};
use portal_domain::wire::{Address, ContactSettings, LinkedIdentity, LoginKind, Profile};
use rusqlite::{Connection, params};

pub fn profile(conn: &Connection, citizen_id: i64) -> Result<Profile, DbError> {
    let mut profile = conn.query_row(
        "SELECT given_name, family_name, date_of_birth, street, city, psc, email, phone
         FROM citizens WHERE id = ?1",
        [citizen_id],
        |row| {
            let street: Option<String> = row.get(3)?;
            let city: Option<String> = row.get(4)?;
            let psc: Option<String> = row.get(5)?;
            let date_of_birth: Option<String> = row.get(2)?;
            Ok(Profile {
                citizen_id,
                given_name: row.get(0)?,
                family_name: row.get(1)?,
                date_of_birth: date_of_birth.and_then(|d| d.parse().ok()),
                address: match (street, city, psc) {
                    (Some(street), Some(city), Some(psc)) => Some(Address { street, city, psc }),
                    _ => None,
                },
                contact: ContactSettings {
                    email: row.get(6)?,
                    phone: row.get(7)?,
                },
                identities: Vec::new(),
            })
        },
    )?;
    let mut stmt = conn.prepare(
        "SELECT id, provider, login_id, linked_at, last_login_at FROM identities
         WHERE citizen_id = ?1 ORDER BY id",
    )?;
    let parse_time = |text: String| text.parse::<DateTime<Utc>>().ok();
    profile.identities = stmt
        .query_map([citizen_id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
            ))
        })?
        .filter_map(|r| r.ok())
        .filter_map(|(id, provider, login_id, linked, last)| {
            Some(LinkedIdentity {
                id,
                kind: (provider == crate::identity::demo::PROVIDER).then_some(LoginKind::Demo),
                provider,
                login_id,
                linked_at: parse_time(linked)?,
                last_login_at: last.and_then(parse_time),
            })
        })
        .collect();
    Ok(profile)
}

pub fn update_contact(
    conn: &Connection,
    citizen_id: i64,
    contact: &ContactSettings,
) -> Result<(), DbError> {
    conn.execute(
        "UPDATE citizens SET email = ?2, phone = ?3, updated_at = ?4 WHERE id = ?1",
        params![
            citizen_id,
            contact.email,
            contact.phone,
            Utc::now().to_rfc3339()
        ],
    )?;
    Ok(())
}
