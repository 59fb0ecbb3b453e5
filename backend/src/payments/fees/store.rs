//! SQL for fee types and the registers (households with members, dogs).

use super::settings::FeeSettings;
use crate::db::DbError;
use rusqlite::{Connection, params};

/// Stores a town's fee types as configured; fee types no longer configured are removed
/// (obligations keep their fee code as `item`).
pub fn replace_fees(
    conn: &Connection,
    town_id: i64,
    fees: &[FeeSettings],
    now: &str,
) -> Result<(), DbError> {
    let codes: Vec<&str> = fees.iter().map(|f| f.code.as_str()).collect();
    let mut stmt = conn.prepare("SELECT code FROM fee_types WHERE town_id = ?1")?;
    let stored: Vec<String> = stmt
        .query_map([town_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for code in stored.iter().filter(|c| !codes.contains(&c.as_str())) {
        conn.execute(
            "DELETE FROM fee_types WHERE town_id = ?1 AND code = ?2",
            params![town_id, code],
        )?;
    }
    for fee in fees {
        upsert_fee(conn, town_id, fee, now)?;
    }
    Ok(())
}

pub fn upsert_fee(
    conn: &Connection,
    town_id: i64,
    fee: &FeeSettings,
    now: &str,
) -> Result<(), DbError> {
    let settings = serde_json::to_string(fee)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.execute(
        "INSERT INTO fee_types (town_id, code, name, kind, settings, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (town_id, code) DO UPDATE
         SET name = excluded.name, kind = excluded.kind, settings = excluded.settings,
             updated_at = excluded.updated_at",
        params![
            town_id,
            fee.code,
            fee.name,
            fee.kind.as_str(),
            settings,
            now
        ],
    )?;
    Ok(())
}

/// The town's fee types, by code.
pub fn fees(conn: &Connection, town_id: i64) -> Result<Vec<FeeSettings>, DbError> {
    let mut stmt =
        conn.prepare_cached("SELECT settings FROM fee_types WHERE town_id = ?1 ORDER BY code")?;
    let rows = stmt.query_map([town_id], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        let fee = serde_json::from_str(&row?).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })?;
        out.push(fee);
    }
    Ok(out)
}

/// A household member in the register on a day, with what the run needs.
#[derive(Debug, Clone)]
pub struct MemberOn {
    pub id: i64,
    pub payer_id: i64,
    pub name: String,
    pub date_of_birth: String,
    pub rate_class: Option<String>,
}

/// Members of the town's households valid on `day` (YYYY-MM-DD), born by then.
pub fn members_on(conn: &Connection, town_id: i64, day: &str) -> Result<Vec<MemberOn>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, h.payer_id, m.name, m.date_of_birth, m.rate_class
         FROM household_members m JOIN households h ON h.id = m.household_id
         WHERE h.town_id = ?1 AND m.valid_from <= ?2 AND (m.valid_to IS NULL OR m.valid_to >= ?2)
           AND m.date_of_birth <= ?2
         ORDER BY h.id, m.id",
    )?;
    let rows = stmt.query_map(params![town_id, day], |r| {
        Ok(MemberOn {
            id: r.get(0)?,
            payer_id: r.get(1)?,
            name: r.get(2)?,
            date_of_birth: r.get(3)?,
            rate_class: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A registered dog on a day, with its owner's date of birth.
#[derive(Debug, Clone)]
pub struct DogOn {
    pub id: i64,
    pub owner_id: i64,
    pub name: String,
    pub owner_born: Option<String>,
    pub exempt: bool,
}

/// The town's dogs registered on `day`, each owner's dogs together, the longest registered first.
pub fn dogs_on(conn: &Connection, town_id: i64, day: &str) -> Result<Vec<DogOn>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.owner_id, d.name, c.date_of_birth, d.exempt
         FROM dogs d JOIN citizens c ON c.id = d.owner_id
         WHERE d.town_id = ?1 AND d.registered_on <= ?2 AND (d.ended_on IS NULL OR d.ended_on >= ?2)
         ORDER BY d.owner_id, d.registered_on, d.id",
    )?;
    let rows = stmt.query_map(params![town_id, day], |r| {
        Ok(DogOn {
            id: r.get(0)?,
            owner_id: r.get(1)?,
            name: r.get(2)?,
            owner_born: r.get(3)?,
            exempt: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn insert_household(
    conn: &Connection,
    town_id: i64,
    payer_id: i64,
    address: &str,
    now: &str,
) -> Result<i64, DbError> {
    conn.execute(
        "INSERT INTO households (town_id, payer_id, address, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![town_id, payer_id, address, now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A member for the register: (name, date of birth, citizen, rate class override, valid from).
pub struct NewMember<'a> {
    pub name: &'a str,
    pub date_of_birth: &'a str,
    pub citizen_id: Option<i64>,
    pub rate_class: Option<&'a str>,
    pub valid_from: &'a str,
}

pub fn insert_member(
    conn: &Connection,
    household_id: i64,
    m: &NewMember<'_>,
) -> Result<i64, DbError> {
    conn.execute(
        "INSERT INTO household_members (household_id, name, date_of_birth, citizen_id, rate_class,
                                        valid_from)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            household_id,
            m.name,
            m.date_of_birth,
            m.citizen_id,
            m.rate_class,
            m.valid_from
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn insert_dog(
    conn: &Connection,
    town_id: i64,
    owner_id: i64,
    name: &str,
    registered_on: &str,
) -> Result<i64, DbError> {
    conn.execute(
        "INSERT INTO dogs (town_id, owner_id, name, registered_on) VALUES (?1, ?2, ?3, ?4)",
        params![town_id, owner_id, name, registered_on],
    )?;
    Ok(conn.last_insert_rowid())
}
