//! SQL for towns.

use crate::db::DbError;
use portal_domain::wire::{Address, Module, TownInfo};
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone)]
pub struct Town {
    pub id: i64,
    pub info: TownInfo,
    pub hostnames: Vec<String>,
}

impl Town {
    pub fn has_module(&self, module: Module) -> bool {
        self.info.modules.contains(&module)
    }
}

pub struct NewTown<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub ico: &'a str,
    pub address: Address,
    pub coat_of_arms_url: Option<&'a str>,
    pub bank_account: &'a str,
    pub modules: &'a [Module],
    pub hostnames: &'a [&'a str],
    pub is_demo: bool,
}

pub fn all(conn: &Connection) -> Result<Vec<Town>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT id, slug, name, ico, street, city, psc, coat_of_arms_url, bank_account, is_demo
         FROM towns ORDER BY id",
    )?;
    let mut towns = stmt
        .query_map([], |row| {
            Ok(Town {
                id: row.get(0)?,
                info: TownInfo {
                    slug: row.get(1)?,
                    name: row.get(2)?,
                    ico: row.get(3)?,
                    address: Address {
                        street: row.get(4)?,
                        city: row.get(5)?,
                        psc: row.get(6)?,
                    },
                    coat_of_arms_url: row.get(7)?,
                    bank_account: row.get(8)?,
                    modules: Vec::new(),
                    login_methods: Vec::new(),
                    opening_hours: Vec::new(),
                    demo: row.get(9)?,
                },
                hostnames: Vec::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut modules = conn.prepare("SELECT module FROM town_modules WHERE town_id = ?1")?;
    let mut hosts = conn.prepare("SELECT hostname FROM town_hostnames WHERE town_id = ?1")?;
    for town in &mut towns {
        let names = modules
            .query_map([town.id], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        town.info.modules = names.iter().filter_map(|m| Module::parse(m)).collect();
        town.info.modules.sort();
        town.hostnames = hosts
            .query_map([town.id], |row| row.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
    }
    Ok(towns)
}

pub fn id_by_slug(conn: &Connection, slug: &str) -> Result<Option<i64>, DbError> {
    Ok(conn
        .query_row("SELECT id FROM towns WHERE slug = ?1", [slug], |r| r.get(0))
        .optional()?)
}

pub fn count_non_demo(conn: &Connection) -> Result<i64, DbError> {
    Ok(
        conn.query_row("SELECT count(*) FROM towns WHERE is_demo = 0", [], |r| {
            r.get(0)
        })?,
    )
}

pub fn insert(conn: &Connection, town: &NewTown<'_>, now: &str) -> Result<i64, DbError> {
    conn.execute(
        "INSERT INTO towns (slug, name, ico, street, city, psc, coat_of_arms_url, bank_account,
                            is_demo, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            town.slug,
            town.name,
            town.ico,
            town.address.street,
            town.address.city,
            town.address.psc,
            town.coat_of_arms_url,
            town.bank_account,
            town.is_demo,
            now
        ],
    )?;
    let id = conn.last_insert_rowid();
    for module in town.modules {
        conn.execute(
            "INSERT INTO town_modules (town_id, module) VALUES (?1, ?2)",
            params![id, module.as_str()],
        )?;
    }
    for host in town.hostnames {
        conn.execute(
            "INSERT INTO town_hostnames (hostname, town_id) VALUES (?1, ?2)",
            params![host.to_ascii_lowercase(), id],
        )?;
    }
    Ok(id)
}

/// Creates the town or brings an existing one (same slug) in line with the settings.
pub fn upsert(
    conn: &Connection,
    town: &super::settings::TownSettings,
    now: &str,
) -> Result<i64, DbError> {
    let Some(id) = id_by_slug(conn, &town.slug)? else {
        let hostnames: Vec<&str> = town.hostnames.iter().map(String::as_str).collect();
        return insert(
            conn,
            &NewTown {
                slug: &town.slug,
                name: &town.name,
                ico: &town.ico,
                address: town.address.clone(),
                coat_of_arms_url: town.coat_of_arms_url.as_deref(),
                bank_account: &town.bank_account,
                modules: &town.modules,
                hostnames: &hostnames,
                is_demo: false,
            },
            now,
        );
    };
    conn.execute(
        "UPDATE towns SET name = ?2, ico = ?3, street = ?4, city = ?5, psc = ?6,
                          coat_of_arms_url = ?7, bank_account = ?8
         WHERE id = ?1",
        params![
            id,
            town.name,
            town.ico,
            town.address.street,
            town.address.city,
            town.address.psc,
            town.coat_of_arms_url,
            town.bank_account
        ],
    )?;
    conn.execute("DELETE FROM town_modules WHERE town_id = ?1", [id])?;
    conn.execute("DELETE FROM town_hostnames WHERE town_id = ?1", [id])?;
    for module in &town.modules {
        conn.execute(
            "INSERT INTO town_modules (town_id, module) VALUES (?1, ?2)",
            params![id, module.as_str()],
        )?;
    }
    for host in &town.hostnames {
        conn.execute(
            "INSERT INTO town_hostnames (hostname, town_id) VALUES (?1, ?2)",
            params![host, id],
        )?;
    }
    Ok(id)
}
