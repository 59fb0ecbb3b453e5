//! The merchant API: creating payments (idempotency, validation), authentication refusals,
//! status queries.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

#[tokio::test]
async fn create_is_idempotent_by_merchant_order_id() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    let body = payment_body("ORD-1", 12_345, &shop);

    let (code, first) = api(&sim, "POST", "/api/payments", Some(body.clone())).await;
    assert_eq!(code, StatusCode::CREATED, "{first}");
    assert_eq!(first["status"], "created");
    assert_eq!(first["version"], 1);
    assert_eq!(first["amount_halere"], 12_345);
    let id = first["payment_id"].as_str().unwrap();
    assert_eq!(first["redirect_url"], sim.url(&format!("/pay/{id}")));

    // Same id, same content (keys in another order): the same payment, 200.
    let reordered = json!({
        "notify_url": body["notify_url"], "return_url": body["return_url"],
        "description": body["description"], "currency": "CZK",
        "amount_halere": 12_345, "merchant_order_id": "ORD-1",
    });
    let (code, again) = api(&sim, "POST", "/api/payments", Some(reordered)).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(again, first);

    // Same id, other amount: 409 naming the payment.
    let mut changed = body.clone();
    changed["amount_halere"] = json!(12_346);
    let (code, err) = api(&sim, "POST", "/api/payments", Some(changed)).await;
    assert_eq!(code, StatusCode::CONFLICT);
    assert_eq!(err["error"], "idempotency_conflict");
    assert!(err["message"].as_str().unwrap().contains(id), "{err}");

    // Another merchant may use the same order id: its own payment.
    let mut call = Call::new(&sim, "POST", "/api/payments", Some(body));
    call.merchant = "other";
    call.secret = "other-secret-0123456789";
    let (code, theirs) = call.send().await;
    assert_eq!(code, StatusCode::CREATED);
    assert_ne!(theirs["payment_id"], first["payment_id"]);

    // ...and cannot read ours.
    let path = format!("/api/payments/{id}");
    let mut call = Call::new(&sim, "GET", &path, None);
    call.merchant = "other";
    call.secret = "other-secret-0123456789";
    let (code, err) = call.send().await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    assert_eq!(err["error"], "unknown_payment");
}

#[tokio::test]
async fn create_validates_fields_by_name() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    let cases = [
        ("currency", json!("EUR"), "currency"),
        ("amount_halere", json!(0), "amount_halere"),
        ("amount_halere", json!(10.5), "amount_halere"),
        ("merchant_order_id", json!("has space"), "merchant_order_id"),
        ("description", json!(""), "description"),
        ("return_url", json!("/relative"), "return_url"),
        ("notify_url", json!("ftp://x/"), "notify_url"),
        (
            "items",
            json!([{"name": "Pes", "amount_halere": 100}]),
            "items",
        ),
        ("surprise", json!(1), "surprise"),
    ];
    for (field, value, named) in cases {
        let mut body = payment_body("ORD-V", 500, &shop);
        body[field] = value;
        let (code, err) = api(&sim, "POST", "/api/payments", Some(body)).await;
        assert_eq!(code, StatusCode::BAD_REQUEST, "{field}: {err}");
        assert!(
            err["message"].as_str().unwrap().contains(named),
            "{field}: {err}"
        );
    }
    let mut body = payment_body("ORD-I", 500, &shop);
    body["items"] = json!([
        {"name": "Poplatek za psa", "amount_halere": 300},
        {"name": "Další pes", "amount_halere": 200, "quantity": 2},
    ]);
    let (code, _) = api(&sim, "POST", "/api/payments", Some(body)).await;
    assert_eq!(code, StatusCode::CREATED);
}

#[tokio::test]
async fn refusals_name_the_problem() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    let body = Some(payment_body("ORD-A", 100, &shop));

    // Wrong secret.
    let mut call = Call::new(&sim, "POST", "/api/payments", body.clone());
    call.secret = "not-the-secret-at-all";
    let (code, err) = call.send().await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
    assert_eq!(err["error"], "bad_signature");
    assert!(
        err["message"].as_str().unwrap().contains("X-Signature"),
        "{err}"
    );

    // Body changed after signing.
    let call = Call::new(&sim, "POST", "/api/payments", body.clone());
    let headers = call.headers();
    let mut tampered = Call::new(
        &sim,
        "POST",
        "/api/payments",
        Some(payment_body("ORD-A", 1, &shop)),
    );
    tampered.nonce = call.nonce.clone();
    let (code, err) = tampered.send_with(&headers).await;
    assert_eq!(
        (code, err["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("bad_signature"))
    );

    // Stale and future timestamps.
    for skew in [-301, 301] {
        let mut call = Call::new(&sim, "POST", "/api/payments", body.clone());
        call.timestamp = now() + skew;
        let (code, err) = call.send().await;
        assert_eq!(code, StatusCode::UNAUTHORIZED);
        assert_eq!(err["error"], "stale_timestamp", "{err}");
        assert!(err["message"].as_str().unwrap().contains("X-Timestamp"));
    }

    // Unknown merchant.
    let mut call = Call::new(&sim, "POST", "/api/payments", body.clone());
    call.merchant = "nobody";
    let (code, err) = call.send().await;
    assert_eq!(
        (code, err["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unknown_merchant"))
    );

    // Missing header.
    let res = http()
        .get(sim.url("/api/payments/pay_x"))
        .header("x-merchant-id", MERCHANT)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["error"], "missing_header");
    assert!(
        err["message"].as_str().unwrap().contains("X-Timestamp"),
        "{err}"
    );

    // Replay: the same signed request twice.
    let call = Call::new(&sim, "POST", "/api/payments", body.clone());
    let headers = call.headers();
    let (code, _) = call.send_with(&headers).await;
    assert_eq!(code, StatusCode::CREATED);
    let (code, err) = call.send_with(&headers).await;
    assert_eq!(
        (code, err["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("replayed_nonce"))
    );

    // A refused request did not use up its nonce: signed properly, it goes through.
    let mut call = Call::new(&sim, "GET", "/api/payments/pay_missing", None);
    call.secret = "wrong-secret-wrong";
    let nonce = call.nonce.clone();
    assert_eq!(call.send().await.0, StatusCode::UNAUTHORIZED);
    let mut call = Call::new(&sim, "GET", "/api/payments/pay_missing", None);
    call.nonce = nonce;
    assert_eq!(call.send().await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn status_query_and_no_test_controls_by_default() {
    let sim = start_with(|c| c.test_controls = false).await;
    let shop = Merchantd::start().await;
    let id = create(&sim, "ORD-S", 250, &shop).await;
    let payment = status(&sim, &id).await;
    assert_eq!(payment["status"], "created");
    assert_eq!(payment["merchant_order_id"], "ORD-S");
    assert_eq!(payment["refunded_halere"], 0);
    assert!(payment["paid_at"].is_null());
    let res = http().get(sim.url("/_test/payments")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let health: serde_json::Value = http()
        .get(sim.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
}
