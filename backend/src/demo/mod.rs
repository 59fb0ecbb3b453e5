//! The demo town "Dolní Lhota": fictitious people and data for every module that exists, so a
//! newcomer sees a living portal. Seeded once, in demo mode only; running it again changes nothing.

use crate::db::DbError;
use crate::towns::store::{self as towns, NewTown};
use chrono::{Datelike, NaiveDate, Utc};
use portal_domain::wire::{Address, DemoPersona, Module, Role};
use rusqlite::{Connection, params};

pub const TOWN_SLUG: &str = "dolni-lhota";

/// The demo town hall's opening hours (Czech, as a town would write them).
pub const OPENING_HOURS: &[&str] = &[
    "Po, St: 8:00–12:00, 13:00–17:00",
    "Út, Čt: 8:00–12:00, 13:00–15:00",
    "Pá: 8:00–12:00",
];

struct Persona {
    id: &'static str,
    given_name: &'static str,
    family_name: &'static str,
    date_of_birth: &'static str,
    street: &'static str,
    email: Option<&'static str>,
    staff_role: Option<(&'static str, Option<Module>)>,
}

const PERSONAS: &[Persona] = &[
    Persona {
        id: "jana",
        given_name: "Jana",
        family_name: "Nováková",
        date_of_birth: "1985-03-14",
        street: "Náměstí Míru 12",
        email: Some("jana.novakova@example.cz"),
        staff_role: None,
    },
    Persona {
        id: "petr",
        given_name: "Petr",
        family_name: "Svoboda",
        date_of_birth: "1972-11-02",
        street: "Lipová 7",
        email: None,
        staff_role: None,
    },
    Persona {
        id: "marie",
        given_name: "Marie",
        family_name: "Dvořáková",
        date_of_birth: "1990-06-21",
        street: "U Školy 3",
        email: Some("marie.dvorakova@example.cz"),
        staff_role: Some(("official", Some(Module::Payments))),
    },
    Persona {
        id: "tomas",
        given_name: "Tomáš",
        family_name: "Král",
        date_of_birth: "1968-01-30",
        street: "Zahradní 44",
        email: Some("tomas.kral@example.cz"),
        staff_role: Some(("admin", None)),
    },
];

pub fn personas() -> Vec<DemoPersona> {
    PERSONAS
        .iter()
        .map(|p| DemoPersona {
            id: p.id.into(),
            display_name: format!("{} {}", p.given_name, p.family_name),
            roles: match p.staff_role {
                Some(("admin", _)) => vec![Role::Citizen, Role::Admin],
                Some(_) => vec![Role::Citizen, Role::Official],
                None => vec![Role::Citizen],
            },
        })
        .collect()
}

/// Creates the demo town and its people unless they exist. Returns the town's id.
pub fn seed(conn: &Connection) -> Result<i64, DbError> {
    if let Some(id) = towns::id_by_slug(conn, TOWN_SLUG)? {
        return Ok(id);
    }
    let now = Utc::now().to_rfc3339();
    let town_id = towns::insert(
        conn,
        &NewTown {
            slug: TOWN_SLUG,
            name: "Dolní Lhota",
            ico: "00298760",
            address: Address {
                street: "Náměstí Míru 1".into(),
                city: "Dolní Lhota".into(),
                psc: "51234".into(),
            },
            coat_of_arms_url: Some("/assets/demo/coat-of-arms.svg"),
            bank_account: "CZ6508000000192000145399",
            modules: &[Module::Payments, Module::Notifications],
            hostnames: &[],
            is_demo: true,
        },
        &now,
    )?;
    let mut ids = Vec::new();
    for persona in PERSONAS {
        let citizen_id = insert_persona(conn, persona, town_id, &now)?;
        seed_obligations(conn, persona, town_id, citizen_id, &now)?;
        seed_messages(conn, persona, town_id, citizen_id, &now)?;
        ids.push((persona.id, citizen_id));
    }
    let citizen = |id: &str| ids.iter().find(|(p, _)| *p == id).map(|(_, c)| *c);
    crate::payments::fees::demo::seed(conn, town_id, citizen, &now)?;
    Ok(town_id)
}

fn insert_persona(conn: &Connection, p: &Persona, town_id: i64, now: &str) -> Result<i64, DbError> {
    conn.execute(
        "INSERT INTO citizens (given_name, family_name, date_of_birth, street, city, psc, email,
                               is_demo, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'Dolní Lhota', '51234', ?5, 1, ?6, ?6)",
        params![
            p.given_name,
            p.family_name,
            p.date_of_birth,
            p.street,
            p.email,
            now
        ],
    )?;
    let citizen_id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO identities (citizen_id, provider, subject, linked_at) VALUES (?1, ?2, ?3, ?4)",
        params![citizen_id, crate::identity::demo::PROVIDER, p.id, now],
    )?;
    if let Some((role, module)) = p.staff_role {
        conn.execute(
            "INSERT INTO role_grants (citizen_id, town_id, role, module, granted_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![citizen_id, town_id, role, module.map(Module::as_str), now],
        )?;
    }
    Ok(citizen_id)
}

fn seed_obligations(
    conn: &Connection,
    p: &Persona,
    town_id: i64,
    citizen_id: i64,
    now: &str,
) -> Result<(), DbError> {
    let year = Utc::now().year();
    let date = |y: i32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y, m, d)
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    // (item, description, amount in haléř, paid, due date)
    let items: Vec<(&str, &str, i64, i64, String)> = match p.id {
        "jana" => vec![
            (
                "waste_fee",
                "Poplatek za odpady",
                90_000,
                90_000,
                date(year, 3, 31),
            ),
            (
                "dog_fee",
                "Poplatek ze psa",
                60_000,
                0,
                date(year + 1, 3, 31),
            ),
            (
                "waste_fee",
                "Poplatek za odpady",
                90_000,
                0,
                date(year + 1, 3, 31),
            ),
        ],
        "petr" => vec![(
            "waste_fee",
            "Poplatek za odpady",
            90_000,
            90_000,
            date(year, 3, 31),
        )],
        _ => vec![],
    };
    for (index, (item, description, amount, paid, due)) in items.iter().enumerate() {
        let status = if paid >= amount { "paid" } else { "unpaid" };
        let variable_symbol = format!("{}{:04}{}", year % 100, citizen_id, index + 1);
        conn.execute(
            "INSERT INTO obligations (town_id, payer_id, item, description, period, amount_halere,
                                      paid_halere, due_date, variable_symbol, status, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                town_id,
                citizen_id,
                item,
                description,
                due.get(..4),
                amount,
                paid,
                due,
                variable_symbol,
                status,
                now
            ],
        )?;
    }
    Ok(())
}

fn seed_messages(
    conn: &Connection,
    p: &Persona,
    town_id: i64,
    citizen_id: i64,
    now: &str,
) -> Result<(), DbError> {
    let messages: &[(&str, &str, bool)] = match p.id {
        "jana" => &[
            (
                "Svoz bioodpadu",
                "Od dubna se bioodpad sváží každé pondělí.",
                false,
            ),
            (
                "Uzavírka Lipové ulice",
                "Lipová ulice bude 14 dní uzavřena.",
                false,
            ),
            (
                "Vítejte v portálu",
                "Toto je demo portál fiktivního města.",
                true,
            ),
        ],
        _ => &[(
            "Vítejte v portálu",
            "Toto je demo portál fiktivního města.",
            false,
        )],
    };
    for (subject, body, read) in messages {
        conn.execute(
            "INSERT INTO messages (town_id, citizen_id, subject, body, sent_at, read_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![town_id, citizen_id, subject, body, now, read.then_some(now)],
        )?;
    }
    Ok(())
}
