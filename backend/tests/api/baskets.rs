//! Baskets: Jana pays several obligations with one bank transfer. One variable symbol, one QR
//! Platba; the statement import spreads the transfer over the basket's obligations.

use crate::helpers::error_body;
use crate::payments::{abo, jana_and_marie, obligations, unpaid, upload};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn one_transfer_with_the_baskets_symbol_pays_all_its_obligations() {
    let (jana, marie) = jana_and_marie().await;
    let open = unpaid(&jana).await;
    assert!(open.len() >= 2, "{open:?}");
    let ids: Vec<i64> = open.iter().map(|o| o.0).collect();
    let total: i64 = open.iter().map(|o| o.2).sum();

    let response = jana
        .send_json(
            Method::POST,
            "/api/payments/baskets",
            &json!({"obligation_ids": ids}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let basket: Value = response.json().await.unwrap();
    let vs = basket["variable_symbol"].as_str().unwrap().to_owned();
    assert!(vs.starts_with("99") && vs.len() == 10, "{basket}");
    assert_eq!(basket["amount_halere"], total);
    let spayd = basket["spayd"].as_str().unwrap();
    assert!(spayd.contains(&format!("X-VS:{vs}")), "{spayd}");
    assert!(
        spayd.contains(&format!("AM:{}.{:02}", total / 100, total % 100)),
        "{spayd}"
    );

    // The same choice again is the same basket; the QR is there in both formats.
    let again: Value = jana
        .send_json(
            Method::POST,
            "/api/payments/baskets",
            &json!({"obligation_ids": ids}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["id"], basket["id"]);
    for format in ["svg", "png"] {
        let qr = jana
            .get(&format!(
                "/api/payments/baskets/{}/qr/{format}",
                basket["id"]
            ))
            .await;
        assert_eq!(qr.status(), 200, "{format}");
    }

    // The bank transfer arrives with the basket's symbol: every obligation in it is paid.
    let imported = upload(&marie, abo(1, &[(total, &vs, "")])).await;
    assert_eq!(imported.status(), 200);
    let report: Value = imported.json().await.unwrap();
    assert_eq!(
        (report["credited"].as_u64(), report["unmatched"].as_u64()),
        (Some(1), Some(0)),
        "{report}"
    );
    let after = obligations(&jana).await;
    for id in &ids {
        let o = after["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == *id)
            .unwrap();
        assert_eq!(o["status"], "paid", "{o}");
    }
    assert_eq!(after["owed_halere"], 0);
    jana.assert_database_consistent();
}

#[tokio::test]
async fn a_basket_takes_only_the_citizens_own_open_obligations() {
    let (jana, _marie) = jana_and_marie().await;
    let open = unpaid(&jana).await;
    let one = jana
        .send_json(
            Method::POST,
            "/api/payments/baskets",
            &json!({"obligation_ids": [open[0].0]}),
        )
        .await;
    assert_eq!(
        error_body(one, 422).await["fields"][0]["code"],
        "basket.count"
    );
    let foreign = jana
        .send_json(
            Method::POST,
            "/api/payments/baskets",
            &json!({"obligation_ids": [open[0].0, 999_999]}),
        )
        .await;
    assert_eq!(
        error_body(foreign, 422).await["fields"][0]["code"],
        "basket.not_open"
    );
    // Another citizen sees no basket of Jana's.
    let created: Value = jana
        .send_json(
            Method::POST,
            "/api/payments/baskets",
            &json!({"obligation_ids": [open[0].0, open[1].0]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut petr = jana.another_browser();
    petr.login_as("petr").await;
    let seen = petr
        .get(&format!("/api/payments/baskets/{}/qr/svg", created["id"]))
        .await;
    assert_eq!(seen.status(), 404);
}
