//! The yearly run on the demo town: obligations from the registers (Jana's household with two
//! children and a dog, Petr with two dogs, and people added here: a pensioner with dogs, an
//! exempt member, registrations that ended or began too late), rates by class, instalments
//! and variable symbols from the fee types, idempotence, who may run it, the command line.

use crate::helpers::{TestApp, error_body, spawn_app};
use serde_json::{Value, json};

const RUN: &str = "/api/staff/payments/yearly-run";

fn db(app: &TestApp) -> rusqlite::Connection {
    rusqlite::Connection::open(app.data_path().join("portal.sqlite3")).unwrap()
}

fn count(app: &TestApp, sql: &str) -> i64 {
    db(app).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Anna (born 1950, a pensioner) with a household of herself, an exempt member and a member who
/// moved out in 2026; her dogs: an exempt one, two charged, one gone in 2026, one from 2027-01-02.
fn add_anna(app: &TestApp) {
    let db = db(app);
    db.execute_batch(
        "INSERT INTO citizens (given_name, family_name, date_of_birth, created_at, updated_at)
           VALUES ('Anna', 'Veselá', '1950-05-05', 'x', 'x');
         INSERT INTO households (town_id, payer_id, address, created_at)
           VALUES (1, last_insert_rowid(), 'Polní 2', 'x');
         INSERT INTO household_members (household_id, name, date_of_birth, rate_class, valid_from, valid_to)
           VALUES (last_insert_rowid(), 'Anna Veselá', '1950-05-05', NULL, '2000-01-01', NULL);
         INSERT INTO household_members (household_id, name, date_of_birth, rate_class, valid_from, valid_to)
           SELECT household_id, 'Karel Veselý', '1980-01-01', 'exempt', '2000-01-01', NULL
           FROM household_members WHERE name = 'Anna Veselá';
         INSERT INTO household_members (household_id, name, date_of_birth, rate_class, valid_from, valid_to)
           SELECT household_id, 'Odstěhovaný', '1980-01-01', NULL, '2000-01-01', '2026-12-31'
           FROM household_members WHERE name = 'Anna Veselá';
         INSERT INTO dogs (town_id, owner_id, name, registered_on, ended_on, exempt)
           SELECT 1, id, 'Vodič', '2010-01-01', NULL, 1 FROM citizens WHERE given_name = 'Anna';
         INSERT INTO dogs (town_id, owner_id, name, registered_on, ended_on, exempt)
           SELECT 1, id, 'Alík', '2015-01-01', NULL, 0 FROM citizens WHERE given_name = 'Anna';
         INSERT INTO dogs (town_id, owner_id, name, registered_on, ended_on, exempt)
           SELECT 1, id, 'Punťa', '2016-01-01', NULL, 0 FROM citizens WHERE given_name = 'Anna';
         INSERT INTO dogs (town_id, owner_id, name, registered_on, ended_on, exempt)
           SELECT 1, id, 'Starý', '2005-01-01', '2026-06-30', 0 FROM citizens WHERE given_name = 'Anna';
         INSERT INTO dogs (town_id, owner_id, name, registered_on, ended_on, exempt)
           SELECT 1, id, 'Nový', '2027-01-02', NULL, 0 FROM citizens WHERE given_name = 'Anna';",
    )
    .unwrap();
}

async fn marie(app: &TestApp) -> TestApp {
    let mut marie = app.another_browser();
    marie.login_as("marie").await;
    marie
}

async fn run(official: &TestApp, body: Value) -> Value {
    let response = official.send_json(reqwest::Method::POST, RUN, &body).await;
    assert_eq!(response.status(), 200, "yearly run {body}");
    response.json().await.unwrap()
}

/// The run's obligations: description → (amount, due date, VS, KS), in id order.
fn created(app: &TestApp) -> Vec<(String, i64, String, String, Option<String>)> {
    let db = db(app);
    let mut stmt = db
        .prepare(
            "SELECT description, amount_halere, due_date, variable_symbol, constant_symbol
             FROM obligations WHERE subject_key IS NOT NULL ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn amount_of(rows: &[(String, i64, String, String, Option<String>)], description: &str) -> i64 {
    rows.iter()
        .find(|r| r.0 == description)
        .unwrap_or_else(|| panic!("no obligation {description:?} in {rows:#?}"))
        .1
}

#[tokio::test]
async fn the_run_charges_by_class_splits_instalments_and_keys_symbols() {
    let app = spawn_app().await;
    add_anna(&app);
    let marie = marie(&app).await;
    let report = run(&marie, json!({"year": 2027})).await;
    // Waste: Jana, Eliška, Matěj, Petr, Anna × 2 instalments; dogs: Bára, Rex, Azor, Alík, Punťa.
    assert_eq!(report, json!({"year": 2027, "created": 15, "existing": 0}));
    let rows = created(&app);
    assert_eq!(rows.len(), 15);
    let waste = |name: &str, i: u32| format!("Poplatek za odpady – {name} ({i}. splátka)");
    let dog = |name: &str| format!("Poplatek ze psa – {name}");
    assert_eq!(amount_of(&rows, &waste("Jana Nováková", 1)), 45_000);
    assert_eq!(amount_of(&rows, &waste("Jana Nováková", 2)), 45_000);
    assert_eq!(
        amount_of(&rows, &waste("Eliška Nováková", 2)),
        22_500,
        "child"
    );
    assert_eq!(
        amount_of(&rows, &waste("Anna Veselá", 1)),
        22_500,
        "pensioner"
    );
    assert!(rows.iter().all(|r| !r.0.contains("Karel")), "exempt");
    assert!(
        rows.iter().all(|r| !r.0.contains("Odstěhovaný")),
        "moved out"
    );
    assert_eq!(amount_of(&rows, &dog("Bára")), 60_000, "Jana's first dog");
    assert_eq!(amount_of(&rows, &dog("Rex")), 60_000, "Petr's first dog");
    assert_eq!(amount_of(&rows, &dog("Azor")), 90_000, "Petr's further dog");
    assert_eq!(amount_of(&rows, &dog("Alík")), 20_000, "pensioner's first");
    assert_eq!(
        amount_of(&rows, &dog("Punťa")),
        30_000,
        "pensioner's further"
    );
    for gone in ["Vodič", "Starý", "Nový"] {
        assert!(rows.iter().all(|r| !r.0.contains(gone)), "{gone}");
    }
    // Due dates and symbols per the fee types: "{year2}1{subject:5}{instalment}" for waste.
    let eliska: i64 = db(&app)
        .query_row(
            "SELECT id FROM household_members WHERE name = 'Eliška Nováková'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let second = rows
        .iter()
        .find(|r| r.0 == waste("Eliška Nováková", 2))
        .unwrap();
    assert_eq!(second.2, "2027-09-30");
    assert_eq!(second.3, format!("271{eliska:05}2"));
    assert_eq!(second.4.as_deref(), Some("1148"));
    let bara = rows.iter().find(|r| r.0 == dog("Bára")).unwrap();
    assert_eq!(bara.2, "2027-03-31");
    assert!(
        bara.3.starts_with("272") && bara.3.ends_with('1'),
        "{}",
        bara.3
    );
    // Every obligation has its 'created' event by Marie; the run is audited.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM obligation_events e JOIN obligations o ON o.id = e.obligation_id
             JOIN identities i ON i.citizen_id = e.actor_id
             WHERE e.event = 'created' AND o.subject_key IS NOT NULL AND i.subject = 'marie'"
        ),
        15
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE event = 'yearly_run'"
        ),
        1
    );
}

#[tokio::test]
async fn running_twice_creates_nothing_new() {
    let app = spawn_app().await;
    let marie = marie(&app).await;
    let dogs = run(&marie, json!({"year": 2027, "fee_code": "dog"})).await;
    assert_eq!(dogs, json!({"year": 2027, "created": 3, "existing": 0}));
    let all = run(&marie, json!({"year": 2027})).await;
    assert_eq!(all, json!({"year": 2027, "created": 8, "existing": 3}));
    let again = run(&marie, json!({"year": 2027})).await;
    assert_eq!(again, json!({"year": 2027, "created": 0, "existing": 11}));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM obligations WHERE subject_key IS NOT NULL"
        ),
        11
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE event = 'yearly_run'"
        ),
        3
    );
    let next_year = run(&marie, json!({"year": 2028})).await;
    assert_eq!(next_year["created"], 11);
    let unknown = marie
        .send_json(
            reqwest::Method::POST,
            RUN,
            &json!({"year": 2027, "fee_code": "cats"}),
        )
        .await;
    let body = error_body(unknown, 422).await;
    assert_eq!(body["fields"][0]["field"], "fee_code", "{body}");
}

#[tokio::test]
async fn the_remainder_of_a_split_goes_on_the_last_instalment() {
    let app = spawn_app().await;
    db(&app)
        .execute(
            "UPDATE fee_types SET settings = json_set(settings, '$.rates.adult', 90001)
             WHERE code = 'waste'",
            [],
        )
        .unwrap();
    let marie = marie(&app).await;
    run(&marie, json!({"year": 2027, "fee_code": "waste"})).await;
    let rows = created(&app);
    let jana: Vec<i64> = rows
        .iter()
        .filter(|r| r.0.contains("Jana Nováková"))
        .map(|r| r.1)
        .collect();
    assert_eq!(jana, [45_000, 45_001]);
}

#[tokio::test]
async fn jana_sees_what_she_pays_for_her_household() {
    let mut jana = spawn_app().await;
    jana.login_as("jana").await;
    let before = jana.get_json("/api/payments/obligations").await;
    assert_eq!(before["obligations"].as_array().unwrap().len(), 3);
    let marie = marie(&jana).await;
    run(&marie, json!({"year": 2027})).await;
    let after = jana.get_json("/api/payments/obligations").await;
    let list = after["obligations"].as_array().unwrap();
    // Her own waste fee, her two children's (two instalments each) and her dog's.
    assert_eq!(list.len(), 3 + 6 + 1, "{after}");
    let mine: Vec<&Value> = list
        .iter()
        .filter(|o| o["item"] == "waste" || o["item"] == "dog")
        .collect();
    assert!(mine.iter().all(|o| o["period"] == "2027"));
    assert!(
        mine.iter()
            .any(|o| o["description"].as_str().unwrap().contains("Matěj Novák"))
    );
    assert!(mine.iter().all(|o| o["status"] == "unpaid"));
    let added: i64 = mine
        .iter()
        .map(|o| o["amount_halere"].as_i64().unwrap())
        .sum();
    assert_eq!(added, 90_000 + 2 * 45_000 + 60_000);
    assert_eq!(
        after["owed_halere"].as_i64().unwrap() - before["owed_halere"].as_i64().unwrap(),
        added
    );
    // Petr does not see Jana's.
    let mut petr = jana.another_browser();
    petr.login_as("petr").await;
    let his = petr.get_json("/api/payments/obligations").await;
    assert_eq!(his["obligations"].as_array().unwrap().len(), 1 + 2 + 2);
}

#[tokio::test]
async fn citizens_may_not_run_it() {
    let mut jana = spawn_app().await;
    let nobody = jana
        .send_json(reqwest::Method::POST, RUN, &json!({"year": 2027}))
        .await;
    assert_eq!(nobody.status(), 401);
    jana.login_as("jana").await;
    let response = jana
        .send_json(reqwest::Method::POST, RUN, &json!({"year": 2027}))
        .await;
    error_body(response, 403).await;
    assert_eq!(
        count(
            &jana,
            "SELECT count(*) FROM obligations WHERE subject_key IS NOT NULL"
        ),
        0
    );
}

#[tokio::test]
async fn the_command_line_runs_the_year() {
    let app = spawn_app().await;
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_portal-backend"))
            .args(["yearly-run", "--year", "2027", "--town", "dolni-lhota"])
            .env("PORTAL_DATA_DIR", app.data_path())
            .output()
            .unwrap()
    };
    let first = run();
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        stdout.contains("11 obligations created, 0 existed"),
        "{stdout}"
    );
    let second = String::from_utf8_lossy(&run().stdout).into_owned();
    assert!(
        second.contains("0 obligations created, 11 existed"),
        "{second}"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM obligation_events WHERE event = 'created' AND actor_id IS NULL
             AND note = 'yearly_run:2027'"
        ),
        11
    );
}
