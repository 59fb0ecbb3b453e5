//! The payer's journeys: paid, declined, cancelled; notifications duplicated, reordered,
//! forged and dropped; the return never credits on its own.

use super::*;
use crate::helpers::error_body;
use gateway_sim::protocol::PaymentStatus;
use gateway_sim::protocol::sign::{sign_notification, sign_return};

#[tokio::test]
async fn a_basket_paid_by_card_is_credited_once_with_an_allocation_per_obligation() {
    let (sim, jana) = setup_quiet().await;
    let open = open_obligations(&jana).await;
    let ids: Vec<i64> = open.iter().map(|o| o.0).collect();
    assert_eq!(ids.len(), 2);
    let attempt = started(&jana, &ids).await;
    assert_eq!(attempt["amount_halere"], open[0].2 + open[1].2);
    // A double click (in any order) is the same attempt and the same gateway payment.
    let again = started(&jana, &[ids[1], ids[0], ids[1]]).await;
    assert_eq!(
        (&again["id"], &again["redirect_url"]),
        (&attempt["id"], &attempt["redirect_url"])
    );
    assert_eq!(count(&jana, "SELECT count(*) FROM card_payments"), 1);

    let back = payer_acts(&attempt, "pay").await;
    assert!(
        back.starts_with(&jana.url("/api/payments/card/return?")),
        "{back}"
    );
    let page = come_back(&jana, &back).await;
    assert_eq!(page, format!("/platby?platba=ok&id={}", attempt["id"]));
    assert!(open_obligations(&jana).await.is_empty());
    // The notification arrives as well (before or after the return): nothing more happens.
    let payment_id = gateway_id(&jana, &attempt);
    wait_deliveries(&sim, &payment_id, |d| {
        d.iter().any(|d| d["outcome"] == "200")
    })
    .await;
    assert_eq!(card_payments_of(&jana), (1, 2));
    for (id, _, amount) in &open {
        let detail = jana
            .get_json(&format!("/api/payments/obligations/{id}"))
            .await;
        assert_eq!(detail["obligation"]["status"], "paid");
        assert_eq!(detail["obligation"]["paid_halere"], *amount);
        assert_eq!(detail["payments"][0]["source"], "card");
        assert_eq!(detail["payments"][0]["matched_by"], "exact");
        assert_eq!(detail["payments"][0]["amount_halere"], *amount);
    }
    let now = jana
        .get_json(&format!("/api/payments/card/{}", attempt["id"]))
        .await;
    assert_eq!(now["status"], "paid");
    assert_eq!(now["redirect_url"], Value::Null);
    assert!(now["payment_id"].is_i64(), "{now}");
    // The return link opened again changes nothing; paying again is refused.
    assert_eq!(come_back(&jana, &back).await, page);
    let error = error_body(start(&jana, &ids).await, 422).await;
    assert_eq!(error["fields"][0]["field"], "obligation_ids[0]");
    assert_eq!(card_payments_of(&jana), (1, 2));
}

#[tokio::test]
async fn duplicated_and_reordered_notifications_credit_once() {
    let (sim, jana) = setup_quiet().await;
    faults(&sim, json!({"duplicate_notifications": 3, "reorder": true})).await;
    let ids: Vec<i64> = open_obligations(&jana).await.iter().map(|o| o.0).collect();
    let attempt = started(&jana, &ids).await;
    // The browser never comes back: only notifications tell the portal.
    payer_acts(&attempt, "pay").await;
    let payment_id = gateway_id(&jana, &attempt);
    wait_deliveries(&sim, &payment_id, |d| {
        let taken = |kind: &str| {
            d.iter()
                .filter(|d| d["kind"] == kind && d["outcome"] == "200")
                .count()
        };
        taken("genuine") == 1 && taken("duplicate") == 3 && taken("reordered") == 1
    })
    .await;
    assert!(open_obligations(&jana).await.is_empty());
    assert_eq!(card_payments_of(&jana), (1, 2));
    let paid: i64 = count(
        &jana,
        "SELECT sum(paid_halere - amount_halere) FROM obligations",
    );
    assert_eq!(paid, 0, "nothing overpaid");
    let (status, version): (String, i64) = db(&jana)
        .query_row(
            "SELECT status, gateway_version FROM card_payments",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), version), ("paid", 2));
}

#[tokio::test]
async fn forged_notifications_are_refused_logged_and_credit_nothing() {
    let (sim, jana) = setup_quiet().await;
    let ids: Vec<i64> = open_obligations(&jana).await.iter().map(|o| o.0).collect();
    let attempt = started(&jana, &ids).await;
    let payment_id = gateway_id(&jana, &attempt);
    let order: String = db(&jana)
        .query_row("SELECT merchant_order_id FROM card_payments", [], |r| {
            r.get(0)
        })
        .unwrap();
    // Someone who knows the ids but not the secret claims the payment was made.
    let body = serde_json::to_vec(&json!({
        "event_id": format!("{payment_id}.v2"), "payment_id": payment_id,
        "merchant_order_id": order, "status": "paid", "version": 2,
        "amount_halere": attempt["amount_halere"], "refunded_halere": 0,
        "paid_at": "2026-01-01T00:00:00Z", "changed_at": "2026-01-01T00:00:00Z",
    }))
    .unwrap();
    let now = chrono::Utc::now().timestamp();
    let notify = |secret: &'static str, timestamp: i64| {
        let signed = sign_notification(
            MERCHANT,
            secret.as_bytes(),
            &body,
            timestamp,
            &format!("nonce-{timestamp}-{secret}"),
        );
        let mut request = reqwest::Client::new()
            .post(jana.url("/api/payments/card/notify"))
            .header("content-type", "application/json")
            .body(body.clone());
        for (name, value) in signed.pairs() {
            request = request.header(name, value);
        }
        request.send()
    };
    let wrong_key = error_body(notify("not-the-secret-at-all", now).await.unwrap(), 401).await;
    assert_eq!(wrong_key["code"], "bad_signature");
    let stale = error_body(notify(SECRET, now - 3600).await.unwrap(), 401).await;
    assert_eq!(stale["code"], "stale_timestamp");
    let unsigned = reqwest::Client::new()
        .post(jana.url("/api/payments/card/notify"))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(error_body(unsigned, 401).await["code"], "missing_header");

    // The gateway's own forgery fault: a "paid" with a wrong key before the genuine decline.
    faults(&sim, json!({"forge": true})).await;
    let back = payer_acts(&attempt, "decline").await;
    wait_deliveries(&sim, &payment_id, |d| {
        d.iter()
            .any(|d| d["kind"] == "forged" && d["outcome"] == "401")
            && d.iter()
                .any(|d| d["kind"] == "genuine" && d["outcome"] == "200")
    })
    .await;
    assert_eq!(
        come_back(&jana, &back).await,
        format!("/platby?platba=zamitnuto&id={}", attempt["id"])
    );
    assert_eq!(open_obligations(&jana).await.len(), 2, "nothing credited");
    assert_eq!(card_payments_of(&jana), (0, 0));
    let refused = count(
        &jana,
        "SELECT count(*) FROM audit_log WHERE event = 'card_notification_refused'",
    );
    assert_eq!(refused, 4, "three of ours, one of the gateway's");
}

#[tokio::test]
async fn a_dropped_notification_is_recovered_by_polling() {
    let (sim, jana) = setup(Duration::from_millis(300)).await;
    faults(&sim, json!({"drop_notifications": true})).await;
    let ids: Vec<i64> = open_obligations(&jana).await.iter().map(|o| o.0).collect();
    let attempt = started(&jana, &ids).await;
    payer_acts(&attempt, "pay").await;
    let payment_id = gateway_id(&jana, &attempt);
    wait_deliveries(&sim, &payment_id, |d| {
        d.iter().any(|d| d["outcome"] == "dropped")
    })
    .await;
    // Nobody tells the portal; the poller asks the gateway by itself.
    for _ in 0..100 {
        if open_obligations(&jana).await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(open_obligations(&jana).await.is_empty(), "never credited");
    assert_eq!(card_payments_of(&jana), (1, 2));
}

#[tokio::test]
async fn declined_and_cancelled_payments_credit_nothing_and_say_so() {
    let (_sim, jana) = setup_quiet().await;
    let ids: Vec<i64> = open_obligations(&jana).await.iter().map(|o| o.0).collect();
    let first = started(&jana, &ids).await;
    let back = payer_acts(&first, "decline").await;
    let page = come_back(&jana, &back).await;
    assert_eq!(page, format!("/platby?platba=zamitnuto&id={}", first["id"]));
    let now = jana
        .get_json(&format!("/api/payments/card/{}", first["id"]))
        .await;
    assert_eq!(
        (now["status"].as_str(), &now["redirect_url"]),
        (Some("declined"), &Value::Null)
    );
    // Trying again is a new attempt (the declined one is over), which the payer cancels.
    let second = started(&jana, &ids).await;
    assert_ne!(second["id"], first["id"]);
    let back = payer_acts(&second, "cancel").await;
    let page = come_back(&jana, &back).await;
    assert_eq!(page, format!("/platby?platba=zruseno&id={}", second["id"]));
    assert_eq!(open_obligations(&jana).await.len(), 2);
    assert_eq!(card_payments_of(&jana), (0, 0));
}

#[tokio::test]
async fn the_return_alone_credits_nothing_and_a_forged_one_is_refused() {
    let (_sim, jana) = setup_quiet().await;
    let ids: Vec<i64> = open_obligations(&jana).await.iter().map(|o| o.0).collect();
    let attempt = started(&jana, &ids).await;
    let payment_id = gateway_id(&jana, &attempt);
    let order: String = db(&jana)
        .query_row("SELECT merchant_order_id FROM card_payments", [], |r| {
            r.get(0)
        })
        .unwrap();
    let url = |status: PaymentStatus, signature: &str| {
        jana.url(&format!(
            "/api/payments/card/return?payment_id={payment_id}&merchant_order_id={order}&status={status}&signature={signature}"
        ))
    };
    // Correctly signed "paid", but the gateway still waits for the payer: shown as pending.
    let signed = sign_return(
        MERCHANT,
        SECRET.as_bytes(),
        &payment_id,
        &order,
        PaymentStatus::Paid,
    );
    let page = come_back(&jana, &url(PaymentStatus::Paid, &signed)).await;
    assert_eq!(page, format!("/platby?platba=ceka&id={}", attempt["id"]));
    let page = come_back(&jana, &url(PaymentStatus::Paid, &"0".repeat(64))).await;
    assert_eq!(page, "/platby?platba=chyba");
    assert_eq!(open_obligations(&jana).await.len(), 2);
    assert_eq!(card_payments_of(&jana), (0, 0));
    let refused = count(
        &jana,
        "SELECT count(*) FROM audit_log WHERE event = 'card_return_refused'",
    );
    assert_eq!(refused, 1);
    // Another citizen bringing Jana's genuine return learns nothing.
    let mut petr = jana.another_browser();
    petr.login_as("petr").await;
    assert_eq!(
        come_back(&petr, &url(PaymentStatus::Paid, &signed)).await,
        "/platby?platba=chyba"
    );
    // Jana's session ended while she was at the gateway: the genuine return still lands on the
    // page (which asks her to log in), a forged one still does not.
    let logged_out = jana.another_browser();
    assert_eq!(
        come_back(&logged_out, &url(PaymentStatus::Paid, &signed)).await,
        format!("/platby?platba=ceka&id={}", attempt["id"])
    );
    assert_eq!(
        come_back(&logged_out, &url(PaymentStatus::Paid, &"1".repeat(64))).await,
        "/platby?platba=chyba"
    );
}

#[tokio::test]
async fn a_gateway_that_does_not_answer_is_a_502_that_names_it_and_charges_nothing() {
    // A port nothing listens on: the gateway is down.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let mut jana = spawn_with(move |c| {
        c.demo_gateway = Some(GatewaySettings {
            url,
            merchant_id: MERCHANT.into(),
            secret: Secret::new(SECRET),
            timeout: Duration::from_millis(500),
        });
    })
    .await;
    jana.login_as("jana").await;
    let ids: Vec<i64> = open_obligations(&jana).await.iter().map(|o| o.0).collect();
    let body = error_body(start(&jana, &ids).await, 502).await;
    assert_eq!(body["code"], "gateway_unavailable");
    assert!(
        !body["message"].as_str().unwrap().contains("127.0.0.1"),
        "{body}"
    );
    assert_eq!(open_obligations(&jana).await.len(), 2);
}

#[tokio::test]
async fn an_official_refunds_part_of_a_card_payment_once_and_the_obligation_owes_it_again() {
    let (sim, jana) = setup_quiet().await;
    let open = open_obligations(&jana).await;
    let ids: Vec<i64> = open.iter().map(|o| o.0).collect();
    let attempt = started(&jana, &ids).await;
    let back = payer_acts(&attempt, "pay").await;
    come_back(&jana, &back).await;
    assert!(open_obligations(&jana).await.is_empty());
    let mut marie = jana.another_browser();
    marie.login_as("marie").await;
    let path = format!("/api/staff/payments/card/{}/refund", attempt["id"]);
    let body = json!({"amount_halere": 10_000, "reason": "Poplatek prominut radou",
                      "idempotency_key": "refund-0001"});

    let done = marie.send_json(Method::POST, &path, &body).await;
    assert_eq!(done.status(), 200);
    let done: Value = done.json().await.unwrap();
    assert_eq!(done["refunded_total_halere"], 10_000);
    // The same request again (a retry) is the same refund: nothing more is returned.
    let again: Value = marie
        .send_json(Method::POST, &path, &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["refunded_total_halere"], 10_000);
    let payment_id = gateway_id(&jana, &attempt);
    let at_gateway: Value = reqwest::get(sim.url("/_test/payments"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let text = at_gateway.to_string();
    assert!(
        text.contains(&payment_id) && text.contains("partially_refunded"),
        "{text}"
    );
    // One obligation owes the refunded amount again, with the reason in its history.
    let list = jana.get_json("/api/payments/obligations").await;
    assert_eq!(list["owed_halere"], 10_000, "{list}");
    let owing: Vec<&Value> = list["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["status"] == "partly_paid")
        .collect();
    assert_eq!(owing.len(), 1, "{list}");
    let detail = jana
        .get_json(&format!("/api/payments/obligations/{}", owing[0]["id"]))
        .await;
    assert!(
        detail["history"]
            .to_string()
            .contains("Poplatek prominut radou"),
        "{detail}"
    );

    // More than is left, a missing reason and a citizen are refused.
    let too_much =
        json!({"amount_halere": 10_000_000, "reason": "x", "idempotency_key": "refund-0002"});
    let body = error_body(marie.send_json(Method::POST, &path, &too_much).await, 422).await;
    assert_eq!(body["fields"][0]["code"], "refund.exceeds");
    let no_reason = json!({"amount_halere": 100, "reason": " ", "idempotency_key": "refund-0003"});
    assert_eq!(
        marie
            .send_json(Method::POST, &path, &no_reason)
            .await
            .status(),
        422
    );
    let citizen = json!({"amount_halere": 100, "reason": "x", "idempotency_key": "refund-0004"});
    assert_eq!(
        jana.send_json(Method::POST, &path, &citizen).await.status(),
        403
    );
}
