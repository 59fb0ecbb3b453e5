//! The office's view of one payer (`GET /api/staff/payments/payers/{account}`): obligations,
//! payments and register entries, by portal account number, for officials for payments of the
//! payer's town only.

use crate::helpers::{TestApp, error_body, spawn_app};
use reqwest::Method;
use serde_json::json;

const PAYERS: &str = "/api/staff/payments/payers";

/// Jana (logged in), Marie (official for payments) and Jana's account number.
async fn jana_and_marie() -> (TestApp, TestApp, i64) {
    let mut jana = spawn_app().await;
    let account = jana.login_as("jana").await.citizen_id;
    let mut marie = jana.another_browser();
    marie.login_as("marie").await;
    (jana, marie, account)
}

#[tokio::test]
async fn an_official_sees_a_payers_obligations_payments_and_registers() {
    let (jana, marie, account) = jana_and_marie().await;
    let own = jana.get_json("/api/payments/obligations").await;
    let payer = marie.get_json(&format!("{PAYERS}/{account}")).await;
    assert_eq!(payer["account"], account);
    assert_eq!(payer["name"], "Jana Nováková");
    assert_eq!(payer["obligations"], own["obligations"]);
    assert_eq!(payer["owed_halere"], own["owed_halere"]);
    assert_eq!(payer["payments"], json!([]));
    let households = payer["households"].as_array().unwrap();
    assert_eq!(households.len(), 1, "{payer}");
    assert_eq!(households[0]["members"].as_array().unwrap().len(), 3);
    let dogs = payer["dogs"].as_array().unwrap();
    assert_eq!(dogs.len(), 1, "{payer}");
    assert_eq!(dogs[0]["name"], "Bára");

    // A payment entered at the counter shows up with how it was matched.
    let first = &own["obligations"][0];
    let (id, amount) = (
        first["id"].as_i64().unwrap(),
        first["amount_halere"].as_i64().unwrap(),
    );
    let entered = marie
        .send_json(
            Method::POST,
            "/api/staff/payments/manual",
            &json!({"obligation_id": id, "amount_halere": amount, "received_on": "2026-11-20",
                    "reason": "Hotově na pokladně"}),
        )
        .await;
    assert_eq!(entered.status(), 201);
    let payer = marie.get_json(&format!("{PAYERS}/{account}")).await;
    let payments = payer["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 1, "{payer}");
    assert_eq!(payments[0]["obligation_id"], id);
    assert_eq!(payments[0]["amount_halere"], amount);
    assert_eq!(payments[0]["source"], "manual");
    assert_eq!(payments[0]["matched_by"], "manual");
}

#[tokio::test]
async fn unknown_accounts_and_other_towns_payers_are_not_found() {
    let (jana, marie, _) = jana_and_marie().await;
    error_body(marie.get(&format!("{PAYERS}/999999")).await, 404).await;
    // Someone who owes another town only: they do not exist for this town's office.
    let db = rusqlite::Connection::open(jana.data_path().join("portal.sqlite3")).unwrap();
    db.execute_batch(
        "INSERT INTO towns (slug, name, ico, street, city, psc, bank_account, created_at)
           VALUES ('jina', 'Jiná Obec', '00298760', 'Náměstí 1', 'Jiná Obec', '51234',
                   'CZ6508000000192000145399', 'x');
         INSERT INTO citizens (given_name, family_name, created_at, updated_at)
           VALUES ('Karel', 'Odjinud', 'x', 'x');
         INSERT INTO obligations (town_id, payer_id, item, description, amount_halere, due_date,
                                  variable_symbol, created_at)
           SELECT t.id, c.id, 'rent', 'Nájem', 10000, '2026-06-30', '123', 'x'
           FROM towns t, citizens c WHERE t.slug = 'jina' AND c.family_name = 'Odjinud';
         INSERT INTO dogs (town_id, owner_id, name, registered_on)
           SELECT t.id, c.id, 'Cizí', '2020-01-01'
           FROM towns t, citizens c WHERE t.slug = 'jina' AND c.family_name = 'Odjinud';",
    )
    .unwrap();
    let karel: i64 = db
        .query_row(
            "SELECT id FROM citizens WHERE family_name = 'Odjinud'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    error_body(marie.get(&format!("{PAYERS}/{karel}")).await, 404).await;
}

#[tokio::test]
async fn citizens_and_officials_of_other_modules_are_refused() {
    let (jana, _marie, account) = jana_and_marie().await;
    error_body(jana.get(&format!("{PAYERS}/{account}")).await, 403).await;

    // Petr becomes an official for the filing office: still no payments data.
    let mut petr = jana.another_browser();
    let petr_account = petr.login_as("petr").await.citizen_id;
    let mut admin = jana.another_browser();
    admin.login_as("tomas").await;
    let granted = admin
        .send_json(
            Method::POST,
            "/api/admin/staff",
            &json!({"account": petr_account, "role": "official", "module": "filing"}),
        )
        .await;
    assert_eq!(granted.status(), 201);
    error_body(petr.get(&format!("{PAYERS}/{account}")).await, 403).await;

    let anonymous = jana.another_browser();
    error_body(anonymous.get(&format!("{PAYERS}/{account}")).await, 401).await;
}

#[tokio::test]
async fn obligations_are_found_by_variable_symbol_in_the_officials_town() {
    let (jana, marie, account) = jana_and_marie().await;
    let own = jana.get_json("/api/payments/obligations").await;
    let first = &own["obligations"][0];
    let vs = first["variable_symbol"].as_str().unwrap();
    let found = marie
        .get_json(&format!("/api/staff/payments/obligations?vs={vs}"))
        .await;
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["obligation_id"], first["id"]);
    assert_eq!(found[0]["payer_account"], account);
    assert_eq!(found[0]["payer_name"], "Jana Nováková");
    assert_eq!(
        marie
            .get_json("/api/staff/payments/obligations?vs=9999999999")
            .await,
        json!([])
    );
    let bad = marie.get("/api/staff/payments/obligations?vs=12a").await;
    assert_eq!(error_body(bad, 422).await["fields"][0]["field"], "vs");
    let citizen = jana
        .get(&format!("/api/staff/payments/obligations?vs={vs}"))
        .await;
    error_body(citizen, 403).await;
}
