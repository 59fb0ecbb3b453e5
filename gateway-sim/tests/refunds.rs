//! Refunds: partial, full, over-refund refused, idempotent by refund_id, notifications.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

async fn refund(
    sim: &gateway_sim::Running,
    id: &str,
    refund_id: &str,
    amount: i64,
) -> (StatusCode, Value) {
    let body = json!({"refund_id": refund_id, "amount_halere": amount});
    api(
        sim,
        "POST",
        &format!("/api/payments/{id}/refunds"),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn partial_then_full_refund() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    let id = create(&sim, "ORD-RF", 10_000, &shop).await;

    let (code, err) = refund(&sim, &id, "R-0", 100).await;
    assert_eq!(
        (code, err["error"].as_str()),
        (StatusCode::CONFLICT, Some("not_refundable"))
    );
    assert!(
        err["message"].as_str().unwrap().contains("created"),
        "{err}"
    );

    act(&sim, &id, "pay").await;
    let (code, first) = refund(&sim, &id, "R-1", 3_000).await;
    assert_eq!(code, StatusCode::CREATED, "{first}");
    assert_eq!(first["refund"]["refund_id"], "R-1");
    assert_eq!(first["payment"]["status"], "partially_refunded");
    assert_eq!(first["payment"]["refunded_halere"], 3_000);

    // The same refund again: nothing new, the same answer.
    let (code, again) = refund(&sim, &id, "R-1", 3_000).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(again, first);
    // The same refund id for another amount: refused.
    let (code, err) = refund(&sim, &id, "R-1", 2_000).await;
    assert_eq!(
        (code, err["error"].as_str()),
        (StatusCode::CONFLICT, Some("idempotency_conflict"))
    );

    // More than what is left: refused, naming what is left.
    let (code, err) = refund(&sim, &id, "R-2", 7_001).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"], "refund_exceeds_paid");
    assert!(err["message"].as_str().unwrap().contains("7000"), "{err}");

    let (code, full) = refund(&sim, &id, "R-2", 7_000).await;
    assert_eq!(code, StatusCode::CREATED);
    assert_eq!(full["payment"]["status"], "refunded");
    assert_eq!(full["payment"]["refunded_halere"], 10_000);
    assert_eq!(full["payment"]["refunds"].as_array().unwrap().len(), 2);

    let (code, err) = refund(&sim, &id, "R-3", 1).await;
    assert_eq!(
        (code, err["error"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("refund_exceeds_paid")
        )
    );
    let (code, err) = refund(&sim, &id, "bad id", 1).await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    assert!(err["message"].as_str().unwrap().starts_with("refund_id"));

    let payment = status(&sim, &id).await;
    assert_eq!(payment["status"], "refunded");
    assert_eq!(payment["version"], 4);
    let got = shop
        .wait_until("three notifications", |l| l.len() == 3)
        .await;
    assert_eq!(
        genuine(&got),
        [
            ("paid".into(), 2),
            ("partially_refunded".into(), 3),
            ("refunded".into(), 4)
        ]
    );
    let last = got[2].notification.clone().unwrap();
    assert_eq!((last.refunded_halere, last.amount_halere), (10_000, 10_000));
    assert!(last.paid_at.is_some(), "paid_at stays after refunds");
}

#[tokio::test]
async fn refund_of_an_unknown_payment() {
    let sim = start().await;
    let (code, err) = refund(&sim, "pay_nope", "R-1", 1).await;
    assert_eq!(
        (code, err["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown_payment"))
    );
}
