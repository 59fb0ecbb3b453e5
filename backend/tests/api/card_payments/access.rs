//! Who may pay what: a substantial login, the citizen's own open obligations, a town with a
//! gateway.

use super::*;
use crate::helpers::{error_body, spawn_app};

#[tokio::test]
async fn paying_needs_a_substantial_login_and_the_citizens_own_open_obligations() {
    let (_sim, mut jana) = setup_quiet().await;
    let ids: Vec<i64> = open_obligations(&jana).await.iter().map(|o| o.0).collect();
    db(&jana)
        .execute("UPDATE sessions SET loa = 'low'", [])
        .unwrap();
    let error = error_body(start(&jana, &ids).await, 403).await;
    assert_eq!(
        (error["code"].as_str(), error["required_loa"].as_str()),
        (Some("loa_required"), Some("substantial"))
    );
    jana.login_as("jana").await;
    let attempt = started(&jana, &ids[..1]).await;

    let mut petr = jana.another_browser();
    petr.login_as("petr").await;
    let petrs: i64 = db(&jana)
        .query_row(
            "SELECT o.id FROM obligations o JOIN citizens c ON c.id = o.payer_id
             WHERE c.given_name = 'Petr'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // Someone else's obligation (even beside her own) or none at all: as if it did not exist.
    for basket in [vec![petrs], vec![ids[0], petrs], vec![999_999]] {
        error_body(start(&jana, &basket).await, 404).await;
    }
    error_body(start(&petr, &ids).await, 404).await;
    let url = format!("/api/payments/card/{}", attempt["id"]);
    error_body(petr.get(&url).await, 404).await;
    let paid: i64 = db(&jana)
        .query_row(
            "SELECT o.id FROM obligations o JOIN citizens c ON c.id = o.payer_id
             WHERE c.given_name = 'Jana' AND o.status = 'paid'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let error = error_body(start(&jana, &[ids[0], paid]).await, 422).await;
    assert_eq!(error["fields"][0]["field"], "obligation_ids[1]");
    let error = error_body(start(&jana, &[]).await, 422).await;
    assert_eq!(error["fields"][0]["code"], "empty");
    let response = jana
        .send_json(
            Method::POST,
            "/api/payments/card",
            &json!({"obligation_ids": ids, "tip": 1}),
        )
        .await;
    assert_eq!(error_body(response, 400).await["fields"][0]["field"], "tip");
    let no_csrf = jana
        .client
        .post(jana.url("/api/payments/card"))
        .json(&json!({"obligation_ids": ids}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_body(no_csrf, 403).await["code"], "csrf");

    // A town without a gateway takes no cards.
    let mut plain = spawn_app().await;
    plain.login_as("jana").await;
    let error = error_body(start(&plain, &ids).await, 409).await;
    assert_eq!(error["code"], "card_unavailable");
    error_body(plain.get("/api/payments/card/notify").await, 405).await;
}
