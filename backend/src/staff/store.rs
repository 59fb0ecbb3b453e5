//! SQL for staff role grants.

use crate::db::DbError;
use chrono::{DateTime, Utc};
use portal_domain::wire::{Module, Role, StaffGrant};
use rusqlite::{Connection, OptionalExtension, params};

fn role_str(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        _ => "official",
    }
}

pub fn list(conn: &Connection, town_id: i64) -> Result<Vec<StaffGrant>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT g.id, g.citizen_id, c.given_name || ' ' || c.family_name, g.role, g.module,
                g.granted_at
         FROM role_grants g JOIN citizens c ON c.id = g.citizen_id
         WHERE g.town_id = ?1 ORDER BY c.family_name, c.given_name, g.role, g.module",
    )?;
    let rows = stmt.query_map([town_id], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, Option<String>>(4)?,
            row.get::<_, String>(5)?,
        ))
    })?;
    let mut grants = Vec::new();
    for row in rows {
        let (id, account, display_name, role, module, granted_at) = row?;
        grants.push(StaffGrant {
            id,
            account,
            display_name,
            role: if role == "admin" {
                Role::Admin
            } else {
                Role::Official
            },
            module: module.as_deref().and_then(Module::parse),
            granted_at: granted_at
                .parse::<DateTime<Utc>>()
                .unwrap_or(DateTime::UNIX_EPOCH),
        });
    }
    Ok(grants)
}

/// Whether `citizen_id` holds `role` here; for an official, in `module` (or every module).
pub fn holds(
    conn: &Connection,
    citizen_id: i64,
    town_id: i64,
    role: Role,
    module: Option<Module>,
) -> Result<bool, DbError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM role_grants
             WHERE citizen_id = ?1 AND town_id = ?2 AND role = ?3
               AND (?4 IS NULL OR module IS NULL OR module = ?4)",
            params![
                citizen_id,
                town_id,
                role_str(role),
                module.map(Module::as_str)
            ],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Whether this person has ever logged in to this town's portal: only they can be staff here.
pub fn has_logged_in_here(
    conn: &Connection,
    citizen_id: i64,
    town_id: i64,
) -> Result<bool, DbError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM audit_log WHERE citizen_id = ?1 AND town_id = ?2 AND event = 'login'
             UNION ALL
             SELECT 1 FROM sessions WHERE citizen_id = ?1 AND town_id = ?2
             LIMIT 1",
            params![citizen_id, town_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The same grant already exists (NULL modules compare equal here, unlike in UNIQUE).
pub fn exists(
    conn: &Connection,
    citizen_id: i64,
    town_id: i64,
    role: Role,
    module: Option<Module>,
) -> Result<bool, DbError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM role_grants WHERE citizen_id = ?1 AND town_id = ?2 AND role = ?3
               AND module IS ?4",
            params![
                citizen_id,
                town_id,
                role_str(role),
                module.map(Module::as_str)
            ],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub fn insert(
    conn: &Connection,
    citizen_id: i64,
    town_id: i64,
    role: Role,
    module: Option<Module>,
) -> Result<i64, DbError> {
    conn.execute(
        "INSERT INTO role_grants (citizen_id, town_id, role, module, granted_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            citizen_id,
            town_id,
            role_str(role),
            module.map(Module::as_str),
            Utc::now().to_rfc3339()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A grant of this town: (holder, role, module).
pub fn find(
    conn: &Connection,
    id: i64,
    town_id: i64,
) -> Result<Option<(i64, String, Option<String>)>, DbError> {
    Ok(conn
        .query_row(
            "SELECT citizen_id, role, module FROM role_grants WHERE id = ?1 AND town_id = ?2",
            params![id, town_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

pub fn admin_count(conn: &Connection, town_id: i64) -> Result<i64, DbError> {
    Ok(conn.query_row(
        "SELECT count(DISTINCT citizen_id) FROM role_grants WHERE town_id = ?1 AND role = 'admin'",
        [town_id],
        |r| r.get(0),
    )?)
}

pub fn delete(conn: &Connection, id: i64) -> Result<(), DbError> {
    conn.execute("DELETE FROM role_grants WHERE id = ?1", [id])?;
    Ok(())
}
