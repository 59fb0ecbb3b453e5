//! The office's money work on the demo town: a payment entered by hand (once, however often
//! the form is sent), an unmatched bank payment paired by hand, arrears, the CSV export.

use crate::helpers::{TestApp, error_body, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn jana_and_marie() -> (TestApp, TestApp) {
    let mut jana = spawn_app().await;
    jana.login_as("jana").await;
    let mut marie = jana.another_browser();
    marie.login_as("marie").await;
    (jana, marie)
}

/// Jana's first unpaid obligation: (id, amount).
async fn first_unpaid(jana: &TestApp) -> (i64, i64) {
    let list = jana.get_json("/api/payments/obligations").await;
    let o = list["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["status"] == "unpaid")
        .unwrap()
        .clone();
    (
        o["id"].as_i64().unwrap(),
        o["amount_halere"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn a_payment_entered_by_hand_is_recorded_once_with_its_reason() {
    let (jana, marie) = jana_and_marie().await;
    let (id, amount) = first_unpaid(&jana).await;
    let body = json!({
        "obligation_id": id, "amount_halere": amount, "received_on": "2026-11-20",
        "reason": "Hotově na pokladně, doklad 123", "idempotency_key": "form-77",
    });
    let first = marie
        .send_json(Method::POST, "/api/staff/payments/manual", &body)
        .await;
    assert_eq!(first.status(), 201);
    let again = marie
        .send_json(Method::POST, "/api/staff/payments/manual", &body)
        .await;
    assert_eq!(
        again.status(),
        200,
        "the same form twice records one payment"
    );
    let detail = jana
        .get_json(&format!("/api/payments/obligations/{id}"))
        .await;
    assert_eq!(detail["obligation"]["status"], "paid");
    assert_eq!(detail["payments"].as_array().unwrap().len(), 1);
    assert_eq!(detail["payments"][0]["matched_by"], "manual");
    assert_eq!(
        detail["history"][0]["note"],
        "Hotově na pokladně, doklad 123"
    );

    for (bad, field) in [
        (
            json!({"obligation_id": id, "amount_halere": 0, "received_on": "2026-11-20", "reason": "x"}),
            "amount_halere",
        ),
        (
            json!({"obligation_id": id, "amount_halere": 100, "received_on": "2026-11-20", "reason": " "}),
            "reason",
        ),
        (
            json!({"obligation_id": 99999, "amount_halere": 100, "received_on": "2026-11-20", "reason": "x"}),
            "obligation_id",
        ),
    ] {
        let response = marie
            .send_json(Method::POST, "/api/staff/payments/manual", &bad)
            .await;
        assert_eq!(error_body(response, 422).await["fields"][0]["field"], field);
    }
    let citizen = jana
        .send_json(Method::POST, "/api/staff/payments/manual", &body)
        .await;
    assert_eq!(citizen.status(), 403);
}

#[tokio::test]
async fn an_unmatched_payment_is_paired_by_hand_and_arrears_and_export_follow() {
    let (jana, marie) = jana_and_marie().await;
    let (id, amount) = first_unpaid(&jana).await;
    // A transfer without a usable symbol arrives in the staff queue.
    let db = rusqlite::Connection::open(jana.data_path().join("portal.sqlite3")).unwrap();
    db.execute(
        "INSERT INTO payments (town_id, source, external_id, amount_halere, received_on,
                               counter_name, state, match_note, created_at)
         VALUES (1, 'bank', 'test-1', ?1, '2026-11-21', 'Jana Nováková', 'unmatched',
                 'no_symbol', '2026-11-21T08:00:00Z')",
        [amount],
    )
    .unwrap();
    // And an obligation of Jana's that is overdue.
    db.execute(
        "INSERT INTO obligations (town_id, payer_id, item, description, period, amount_halere,
                                  due_date, variable_symbol, created_at)
         SELECT 1, id, 'rent', 'Nájem za hrobové místo', '2025', 30000, '2025-06-30', '7700123',
                '2025-01-01T00:00:00Z' FROM citizens WHERE given_name = 'Jana'",
        [],
    )
    .unwrap();
    let queue = marie.get_json("/api/staff/payments/unmatched").await;
    let payment = queue[0]["id"].as_i64().unwrap();
    let body = json!({"obligation_id": id, "reason": "Zpráva pro příjemce: pes Alík"});
    let assigned = marie
        .send_json(
            Method::POST,
            &format!("/api/staff/payments/{payment}/assign"),
            &body,
        )
        .await;
    assert_eq!(assigned.status(), 204);
    let twice = marie
        .send_json(
            Method::POST,
            &format!("/api/staff/payments/{payment}/assign"),
            &body,
        )
        .await;
    assert_eq!(error_body(twice, 409).await["code"], "already_matched");
    assert_eq!(
        marie.get_json("/api/staff/payments/unmatched").await,
        json!([])
    );
    let detail = jana
        .get_json(&format!("/api/payments/obligations/{id}"))
        .await;
    assert_eq!(detail["obligation"]["status"], "paid");

    let arrears: Value = marie.get_json("/api/staff/payments/arrears").await;
    assert_eq!(arrears.as_array().unwrap().len(), 1, "{arrears}");
    assert_eq!(arrears[0]["description"], "Nájem za hrobové místo");
    assert_eq!(arrears[0]["payer_name"], "Jana Nováková");

    let csv = marie
        .get("/api/staff/payments/export?from=2026-11-01&to=2026-11-30")
        .await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("payment_id,received_on,source,payment_czk"),
        "{text}"
    );
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[1].contains(&format!(",{}.00,", amount / 100)),
        "{text}"
    );
    assert!(lines[1].contains(",manual,"), "{text}");
    let bad = marie.get("/api/staff/payments/export?from=listopad").await;
    assert_eq!(error_body(bad, 422).await["fields"][0]["field"], "from");
}
