//! Notification delivery: retries with backoff, and every test fault (drop, duplicate, reorder,
//! forge, delay) plus notifications on demand.

mod common;

use std::time::{Duration, Instant};

use common::*;
use gateway_sim::TestPayment;
use gateway_sim::protocol::PaymentStatus;
use gateway_sim::protocol::sign::VerifyError;
use serde_json::json;

async fn listing(sim: &gateway_sim::Running) -> Vec<TestPayment> {
    http()
        .get(sim.url("/_test/payments"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn retried_with_backoff_until_the_merchant_answers_2xx() {
    let sim = start().await; // backoff 20 ms, doubling
    let shop = Merchantd::start().await;
    shop.answer_next(&[500, 500]);
    let id = create(&sim, "ORD-R", 100, &shop).await;
    act(&sim, &id, "pay").await;

    let got = shop.wait_until("three attempts", |l| l.len() >= 3).await;
    let answers: Vec<u16> = got.iter().map(|r| r.answered).collect();
    assert_eq!(answers, [500, 500, 200]);
    assert!(
        got.iter().all(|r| r.verified.is_ok()),
        "each attempt signed afresh"
    );
    let gaps = [got[1].at - got[0].at, got[2].at - got[1].at];
    assert!(gaps[0] >= Duration::from_millis(18), "{gaps:?}");
    assert!(gaps[1] >= Duration::from_millis(38), "doubled: {gaps:?}");
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(shop.received().len(), 3, "nothing after the 200");

    let listed = listing(&sim).await;
    let outcomes: Vec<(u32, &str)> = listed[0]
        .deliveries
        .iter()
        .map(|d| (d.attempt, d.outcome.as_str()))
        .collect();
    assert_eq!(outcomes, [(1, "500"), (2, "500"), (3, "200")]);
    assert_eq!(listed[0].settled_version, 2);
}

#[tokio::test]
async fn gives_up_after_the_configured_attempts() {
    let sim = start_with(|c| c.notify.attempts = 3).await;
    let shop = Merchantd::start().await;
    shop.answer_next(&[503, 503, 503, 503]);
    let id = create(&sim, "ORD-G", 100, &shop).await;
    act(&sim, &id, "pay").await;
    shop.wait_until("three attempts", |l| l.len() == 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(shop.received().len(), 3);

    // An unreachable merchant is recorded as an error, not a crash.
    let dead = Merchantd {
        url: "http://127.0.0.1:9".into(),
        ..Merchantd::start().await
    };
    let id = create(&sim, "ORD-DEAD", 100, &dead).await;
    act(&sim, &id, "pay").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let listed = listing(&sim).await;
    let p = listed.iter().find(|p| p.payment.payment_id == id).unwrap();
    assert_eq!(p.deliveries.len(), 3);
    assert!(
        p.deliveries[0].outcome.starts_with("error: "),
        "{:?}",
        p.deliveries
    );
}

#[tokio::test]
async fn dropped_notification_is_recovered_by_a_status_query() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    set_faults(&sim, json!({"drop_notifications": true})).await;
    let id = create(&sim, "ORD-D", 100, &shop).await;
    act(&sim, &id, "pay").await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert!(shop.received().is_empty());
    assert_eq!(status(&sim, &id).await["status"], "paid");
    let listed = listing(&sim).await;
    assert_eq!(listed[0].deliveries[0].outcome, "dropped");

    // Faults off again: a resend on demand arrives.
    set_faults(&sim, json!({})).await;
    let res = http()
        .post(sim.url(&format!("/_test/notify/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let got = shop
        .wait_until("the resent notification", |l| !l.is_empty())
        .await;
    assert_eq!(genuine(&got), [("paid".to_owned(), 2)]);
}

#[tokio::test]
async fn duplicates_are_sent_as_configured() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    set_faults(&sim, json!({"duplicate_notifications": 2})).await;
    let id = create(&sim, "ORD-2X", 100, &shop).await;
    act(&sim, &id, "pay").await;
    let got = shop.wait_until("three copies", |l| l.len() >= 3).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(shop.received().len(), 3);
    let ids: Vec<String> = got
        .iter()
        .map(|r| r.notification.clone().unwrap().event_id)
        .collect();
    assert_eq!(
        ids,
        vec![format!("{id}.v2"); 3],
        "one event, three deliveries"
    );
}

#[tokio::test]
async fn reorder_sends_the_older_status_after_the_newer() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    let id = create(&sim, "ORD-RO", 1_000, &shop).await;
    act(&sim, &id, "pay").await;
    shop.wait_until("paid", |l| l.len() == 1).await;
    set_faults(&sim, json!({"reorder": true})).await;
    let (code, _) = api(
        &sim,
        "POST",
        &format!("/api/payments/{id}/refunds"),
        Some(json!({"refund_id": "R-1", "amount_halere": 400})),
    )
    .await;
    assert_eq!(code, 201);
    let got = shop
        .wait_until("refund then the older paid", |l| l.len() == 3)
        .await;
    assert_eq!(
        genuine(&got),
        [
            ("paid".into(), 2),
            ("partially_refunded".into(), 3),
            ("paid".into(), 2)
        ]
    );
}

#[tokio::test]
async fn forged_notification_has_a_bad_signature_and_is_used_once() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    set_faults(&sim, json!({"forge": true})).await;
    let id = create(&sim, "ORD-F", 100, &shop).await;
    act(&sim, &id, "cancel").await;
    let got = shop
        .wait_until("forged, then genuine", |l| l.len() == 2)
        .await;
    assert_eq!(got[0].verified, Err(VerifyError::BadSignature));
    assert_eq!(got[0].answered, 401);
    let forged = got[0].notification.clone().unwrap();
    assert_eq!(
        forged.status,
        PaymentStatus::Paid,
        "the attacker claims paid"
    );
    assert_eq!(got[1].verified, Ok(()));
    assert_eq!(
        got[1].notification.clone().unwrap().status,
        PaymentStatus::Cancelled
    );

    let faults: serde_json::Value = http()
        .get(sim.url("/_test/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["forge"], false, "forge is used up");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(shop.received().len(), 2, "a refused forgery is not retried");
}

#[tokio::test]
async fn delayed_notifications_arrive_late() {
    let sim = start().await;
    let shop = Merchantd::start().await;
    set_faults(&sim, json!({"delay_notifications_ms": 300})).await;
    let id = create(&sim, "ORD-L", 100, &shop).await;
    let paid_at = Instant::now();
    act(&sim, &id, "pay").await;
    let got = shop
        .wait_until("the late notification", |l| !l.is_empty())
        .await;
    assert!(got[0].at - paid_at >= Duration::from_millis(290));
}

#[tokio::test]
async fn fault_settings_are_checked() {
    let sim = start().await;
    for bad in [
        json!({"duplicate_notifications": 11}),
        json!({"drop": true}),
        json!({"delay_notifications_ms": 60_001}),
    ] {
        let res = http()
            .post(sim.url("/_test/faults"))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{bad}");
    }
    let res = http()
        .post(sim.url("/_test/notify/pay_nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
