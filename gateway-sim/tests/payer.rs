//! The payer's side: the page, pay / decline / cancel with the signed return, expiry.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use gateway_sim::protocol::sign::verify_return;
use gateway_sim::protocol::{PaymentStatus, ReturnParams};
use serde_json::json;

fn return_params(location: &str) -> (url::Url, ReturnParams) {
    let url = url::Url::parse(location).unwrap();
    let get = |k: &str| {
        url.query_pairs()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| panic!("{k} missing in {location}"))
    };
    let params = ReturnParams {
        payment_id: get("payment_id"),
        merchant_order_id: get("merchant_order_id"),
        status: PaymentStatus::parse(&get("status")).unwrap(),
        signature: get("signature"),
    };
    (url, params)
}

#[tokio::test]
async fn page_is_czech_and_shows_the_amount_and_buttons() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    let mut body = payment_body("ORD-P", 123_450, &shop);
    body["description"] = json!("Poplatek <za> psa");
    body["items"] = json!([{"name": "Pes Alík", "amount_halere": 123_450}]);
    let (code, created) = api(&sim, "POST", "/api/payments", Some(body)).await;
    assert_eq!(code, StatusCode::CREATED);
    let page = http()
        .get(created["redirect_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"cs\">"));
    assert!(html.contains("1\u{a0}234,50\u{a0}Kč"), "{html}");
    assert!(html.contains("Poplatek &lt;za&gt; psa"), "escaped: {html}");
    assert!(html.contains("Pes Alík"));
    for (value, label) in [
        ("pay", "Zaplatit"),
        ("decline", "Zamítnout"),
        ("cancel", "Zrušit"),
    ] {
        assert!(
            html.contains(&format!("name=\"action\" value=\"{value}\"")),
            "{value}"
        );
        assert!(html.contains(&format!(">{label}</button>")), "{label}");
    }

    let missing = http().get(sim.url("/pay/pay_nope")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let bad = http()
        .post(sim.url(&format!("/pay/{}", created["payment_id"].as_str().unwrap())))
        .form(&[("action", "steal")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn pay_redirects_with_a_verifiable_signature_and_notifies() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    let id = create(&sim, "ORD-PAY", 50_000, &shop).await;

    let location = act(&sim, &id, "pay").await;
    let (url, params) = return_params(&location);
    assert!(
        location.starts_with(&format!("{}/return?basket=7&", shop.url)),
        "{location}"
    );
    assert_eq!(url.path(), "/return");
    assert_eq!(
        (params.payment_id.as_str(), params.status),
        (id.as_str(), PaymentStatus::Paid)
    );
    assert_eq!(params.merchant_order_id, "ORD-PAY");
    assert!(verify_return(MERCHANT, SECRET.as_bytes(), &params));
    let mut forged = params.clone();
    forged.status = PaymentStatus::Cancelled;
    assert!(!verify_return(MERCHANT, SECRET.as_bytes(), &forged));
    assert!(!verify_return(MERCHANT, b"another-secret", &params));

    let got = shop
        .wait_until("the paid notification", |l| !l.is_empty())
        .await;
    assert_eq!(got[0].verified, Ok(()));
    let n = got[0].notification.clone().unwrap();
    assert_eq!(
        (n.status, n.version, n.amount_halere),
        (PaymentStatus::Paid, 2, 50_000)
    );
    assert_eq!(n.payment_id, id);
    assert_eq!(n.merchant_order_id, "ORD-PAY");
    assert_eq!(n.event_id, format!("{id}.v2"));
    assert!(n.paid_at.is_some());

    let payment = status(&sim, &id).await;
    assert_eq!(payment["status"], "paid");
    assert_eq!(payment["paid_at"], serde_json::to_value(n.paid_at).unwrap());

    // A second decision changes nothing: back to the shop with the status it has.
    let again = act(&sim, &id, "cancel").await;
    assert_eq!(return_params(&again).1.status, PaymentStatus::Paid);
    let html = http()
        .get(sim.url(&format!("/pay/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Platba je zaplacena."), "{html}");
    assert!(!html.contains("<form"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(shop.received().len(), 1, "no notification without a change");
}

#[tokio::test]
async fn decline_and_cancel() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    for (action, status) in [
        ("decline", PaymentStatus::Declined),
        ("cancel", PaymentStatus::Cancelled),
    ] {
        let id = create(&sim, &format!("ORD-{action}"), 700, &shop).await;
        let (_, params) = return_params(&act(&sim, &id, action).await);
        assert_eq!(params.status, status);
        assert!(verify_return(MERCHANT, SECRET.as_bytes(), &params));
        let got = shop
            .wait_until(action, |l| {
                l.iter()
                    .any(|r| r.notification.as_ref().is_some_and(|n| n.payment_id == id))
            })
            .await;
        let n = got
            .iter()
            .rev()
            .find_map(|r| r.notification.clone())
            .unwrap();
        assert_eq!((n.status, n.paid_at), (status, None));
        assert_eq!(status_of(&sim, &id).await, status.as_str());
    }
}

async fn status_of(sim: &gateway_sim::Running, id: &str) -> String {
    status(sim, id).await["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn unpaid_payments_expire_and_notify() {
    let sim = start_with(|c| c.expire_after = Duration::from_millis(150)).await;
    let shop = Merchantd::start().await;
    let id = create(&sim, "ORD-EXP", 900, &shop).await;
    assert_eq!(status_of(&sim, &id).await, "created");

    // The sweeper expires it without anyone asking, and the merchant hears of it.
    let got = shop
        .wait_until("the expiry notification", |l| !l.is_empty())
        .await;
    let n = got[0].notification.clone().unwrap();
    assert_eq!((n.status, n.version), (PaymentStatus::Expired, 2));
    assert_eq!(status_of(&sim, &id).await, "expired");

    // Too late to pay.
    let (_, params) = return_params(&act(&sim, &id, "pay").await);
    assert_eq!(params.status, PaymentStatus::Expired);
    let (code, err) = api(
        &sim,
        "POST",
        &format!("/api/payments/{id}/refunds"),
        Some(json!({"refund_id": "R1", "amount_halere": 1})),
    )
    .await;
    assert_eq!(
        (code, err["error"].as_str()),
        (StatusCode::CONFLICT, Some("not_refundable"))
    );

    // Test control: expire on demand, with a long expiry configured.
    let sim = start().await;
    let id = create(&sim, "ORD-EXP2", 900, &shop).await;
    let res = http()
        .post(sim.url(&format!("/_test/payments/{id}/expire")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(status_of(&sim, &id).await, "expired");
}
