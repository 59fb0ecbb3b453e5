//! Officials keep the registers the yearly run charges: a household for a payer with its
//! members, dogs, the last day of a registration; and see the town's fee types. Every change is
//! audited; bad input is named by field; citizens may not touch the registers.

use crate::helpers::{TestApp, error_body, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn as_persona(app: &TestApp, persona: &str) -> (TestApp, i64) {
    let mut browser = app.another_browser();
    let info = browser.login_as(persona).await;
    (browser, info.citizen_id)
}

async fn created(official: &TestApp, path: &str, body: Value) -> i64 {
    let response = official.send_json(Method::POST, path, &body).await;
    assert_eq!(response.status(), 201, "POST {path} {body}");
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn count(app: &TestApp, sql: &str) -> i64 {
    rusqlite::Connection::open(app.data_path().join("portal.sqlite3"))
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn an_official_registers_a_household_and_a_dog_and_the_yearly_run_charges_them() {
    let app = spawn_app().await;
    let (_petr, petr_id) = as_persona(&app, "petr").await;
    let (marie, _) = as_persona(&app, "marie").await;

    let fees = marie.get_json("/api/staff/payments/fees").await;
    let codes: Vec<&str> = fees
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.len() >= 2, "{fees}");
    assert!(fees[0]["rates"].as_object().is_some_and(|r| !r.is_empty()));
    assert!(
        fees[0]["instalments"][0]["due"]
            .as_str()
            .unwrap()
            .contains('-')
    );

    let household = created(
        &marie,
        "/api/staff/payments/registers/households",
        json!({"payer_account": petr_id, "address": "Lipová 7"}),
    )
    .await;
    let child = created(
        &marie,
        &format!("/api/staff/payments/registers/households/{household}/members"),
        json!({"name": "Ema Dvořáková", "date_of_birth": "2019-04-01", "valid_from": "2019-04-01"}),
    )
    .await;
    let moved_out = created(
        &marie,
        &format!("/api/staff/payments/registers/households/{household}/members"),
        json!({"name": "Jan Dvořák", "date_of_birth": "1990-01-01", "valid_from": "2010-01-01"}),
    )
    .await;
    let ended = marie
        .send_json(
            Method::POST,
            &format!("/api/staff/payments/registers/members/{moved_out}/end"),
            &json!({"date": "2026-06-30"}),
        )
        .await;
    assert_eq!(ended.status(), 204);
    let dog = created(
        &marie,
        "/api/staff/payments/registers/dogs",
        json!({"owner_account": petr_id, "name": "Rex", "registered_on": "2020-05-05"}),
    )
    .await;
    assert!(child > 0 && dog > 0);

    let run = marie
        .send_json(
            Method::POST,
            "/api/staff/payments/yearly-run",
            &json!({"year": 2027}),
        )
        .await;
    assert_eq!(run.status(), 200);
    let charged = |name: &str| {
        count(
            &app,
            &format!(
                "SELECT count(*) FROM obligations WHERE payer_id = {petr_id} AND description LIKE '%{name}%'"
            ),
        )
    };
    assert!(charged("Ema Dvořáková") >= 1, "the child is charged");
    assert_eq!(charged("Jan Dvořák"), 0, "who moved out in 2026 is not");
    assert!(charged("Rex") >= 1, "the dog is charged");
    assert!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE event = 'register_changed'"
        ) >= 5
    );
}

#[tokio::test]
async fn bad_register_entries_are_named_and_citizens_are_refused() {
    let app = spawn_app().await;
    let (jana, jana_id) = as_persona(&app, "jana").await;
    let (marie, _) = as_persona(&app, "marie").await;

    let bad = marie
        .send_json(
            Method::POST,
            "/api/staff/payments/registers/households",
            &json!({"payer_account": 999_999, "address": " "}),
        )
        .await;
    let body = error_body(bad, 422).await;
    assert_eq!(body["fields"][0]["field"], "address", "{body}");
    let unknown = marie
        .send_json(
            Method::POST,
            "/api/staff/payments/registers/households",
            &json!({"payer_account": 999_999, "address": "Lipová 7"}),
        )
        .await;
    assert_eq!(
        error_body(unknown, 422).await["fields"][0]["code"],
        "register.account_unknown"
    );
    let household = created(
        &marie,
        "/api/staff/payments/registers/households",
        json!({"payer_account": jana_id, "address": "Lipová 7"}),
    )
    .await;
    let member = marie
        .send_json(
            Method::POST,
            &format!("/api/staff/payments/registers/households/{household}/members"),
            &json!({"name": "", "date_of_birth": "1. 4. 2019", "valid_from": "2019-04-01",
                    "rate_class": "vip"}),
        )
        .await;
    let body = error_body(member, 422).await;
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "date_of_birth", "rate_class"], "{body}");
    let nowhere = marie
        .send_json(
            Method::POST,
            "/api/staff/payments/registers/households/999999/members",
            &json!({"name": "X", "date_of_birth": "2000-01-01", "valid_from": "2000-01-01"}),
        )
        .await;
    assert_eq!(nowhere.status(), 404);
    let too_early = marie
        .send_json(
            Method::POST,
            "/api/staff/payments/registers/dogs/1/end",
            &json!({"date": "1900-01-01"}),
        )
        .await;
    assert_eq!(
        error_body(too_early, 422).await["fields"][0]["code"],
        "register.before_start"
    );
    // A citizen cannot register anything, nor read the fee types' page for staff.
    let refused = jana
        .send_json(
            Method::POST,
            "/api/staff/payments/registers/dogs",
            &json!({"owner_account": jana_id, "name": "Rex", "registered_on": "2020-05-05"}),
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(jana.get("/api/staff/payments/fees").await.status(), 403);
}
