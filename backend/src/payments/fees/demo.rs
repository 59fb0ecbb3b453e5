//! The demo town's fee types and registers: a waste fee (two instalments) and a dog fee;
//! Jana's household (Jana and two children) with one dog, Petr alone with two dogs.

use super::settings::{FeeSettings, RawFee, RawInstalment};
use super::store::{self, NewMember};
use crate::db::DbError;
use rusqlite::Connection;

fn raw_fees() -> Vec<RawFee> {
    let rates = |pairs: &[(&str, i64)]| pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
    let due = |due: &str, share_percent| RawInstalment {
        due: due.into(),
        share_percent,
    };
    vec![
        RawFee {
            code: "waste".into(),
            name: "Poplatek za odpady".into(),
            kind: "per_person".into(),
            rates: rates(&[("adult", 90_000), ("child", 45_000), ("pensioner", 45_000)]),
            instalments: vec![due("03-31", 50), due("09-30", 50)],
            variable_symbol: "{year2}1{subject:5}{instalment}".into(),
            specific_symbol: None,
            constant_symbol: Some("1148".into()),
        },
        RawFee {
            code: "dog".into(),
            name: "Poplatek ze psa".into(),
            kind: "per_dog".into(),
            rates: rates(&[
                ("first", 60_000),
                ("further", 90_000),
                ("pensioner_first", 20_000),
                ("pensioner_further", 30_000),
            ]),
            instalments: vec![due("03-31", 100)],
            variable_symbol: "{year2}2{subject:5}{instalment}".into(),
            specific_symbol: None,
            constant_symbol: Some("1148".into()),
        },
    ]
}

/// Seeds the fees and registers; `citizen` finds a persona's citizen id.
pub fn seed(
    conn: &Connection,
    town_id: i64,
    citizen: impl Fn(&str) -> Option<i64>,
    now: &str,
) -> Result<(), DbError> {
    for (i, raw) in raw_fees().into_iter().enumerate() {
        let fee = FeeSettings::parse(&format!("demo.fee[{i}]"), raw)
            .expect("the demo's fee types are valid");
        store::upsert_fee(conn, town_id, &fee, now)?;
    }
    if let Some(jana) = citizen("jana") {
        let household =
            store::insert_household(conn, town_id, jana, "Náměstí Míru 12, Dolní Lhota", now)?;
        for (name, born, citizen_id) in [
            ("Jana Nováková", "1985-03-14", Some(jana)),
            ("Eliška Nováková", "2014-05-10", None),
            ("Matěj Novák", "2018-09-01", None),
        ] {
            let member = NewMember {
                name,
                date_of_birth: born,
                citizen_id,
                rate_class: None,
                valid_from: "2020-01-01",
            };
            store::insert_member(conn, household, &member)?;
        }
        store::insert_dog(conn, town_id, jana, "Bára", "2021-04-01")?;
    }
    if let Some(petr) = citizen("petr") {
        let household = store::insert_household(conn, town_id, petr, "Lipová 7, Dolní Lhota", now)?;
        let member = NewMember {
            name: "Petr Svoboda",
            date_of_birth: "1972-11-02",
            citizen_id: Some(petr),
            rate_class: None,
            valid_from: "2020-01-01",
        };
        store::insert_member(conn, household, &member)?;
        store::insert_dog(conn, town_id, petr, "Rex", "2018-06-01")?;
        store::insert_dog(conn, town_id, petr, "Azor", "2022-02-15")?;
    }
    Ok(())
}
