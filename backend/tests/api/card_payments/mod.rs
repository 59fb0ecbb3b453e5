//! Card payments end to end: the portal and `gateway-sim` on 127.0.0.1, the payer's browser
//! driven by hand (no redirects followed automatically). Paying a basket, double clicks,
//! duplicated, reordered, forged and dropped notifications, declines and cancels, who may pay
//! what, and a card payment racing a bank statement for the same obligation. `bench` measures
//! notification throughput (ignored: run by hand).

mod access;
mod bench;
mod flows;
mod race;

use crate::helpers::{TestApp, spawn_with};
use gateway_sim::{Config as SimConfig, Merchant, Running};
use portal_backend::identity::oidc::settings::Secret;
use portal_backend::payments::card::settings::GatewaySettings;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

pub const MERCHANT: &str = "dolni-lhota";
pub const SECRET: &str = "test-secret-0123456789abcdef";

/// The simulator, and the portal whose demo town pays through it, with Jana logged in. The
/// poller asks about attempts `poll_after` after they started.
pub async fn setup(poll_after: Duration) -> (Running, TestApp) {
    let mut config = SimConfig::new(vec![Merchant::new(MERCHANT, SECRET)]);
    config.test_controls = true;
    config.notify.backoff = Duration::from_millis(50);
    config.notify.backoff_max = Duration::from_millis(200);
    let sim = gateway_sim::spawn(config).await.expect("simulator starts");
    let url = sim.url.clone();
    let mut jana = spawn_with(move |c| {
        c.demo_gateway = Some(GatewaySettings {
            url,
            merchant_id: MERCHANT.into(),
            secret: Secret::new(SECRET),
            timeout: Duration::from_secs(5),
        });
        c.card.poll_after = poll_after;
        c.card.poll_interval = Duration::from_millis(100);
    })
    .await;
    jana.login_as("jana").await;
    (sim, jana)
}

/// Without the poller getting in the way of what a test watches.
pub async fn setup_quiet() -> (Running, TestApp) {
    setup(Duration::from_secs(3600)).await
}

pub async fn faults(sim: &Running, faults: Value) {
    let response = reqwest::Client::new()
        .post(sim.url("/_test/faults"))
        .json(&faults)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// Jana's obligations still owed on: (id, variable symbol, amount).
pub async fn open_obligations(app: &TestApp) -> Vec<(i64, String, i64)> {
    let list = app.get_json("/api/payments/obligations").await;
    list["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["status"] == "unpaid")
        .map(|o| {
            (
                o["id"].as_i64().unwrap(),
                o["variable_symbol"].as_str().unwrap().to_owned(),
                o["amount_halere"].as_i64().unwrap(),
            )
        })
        .collect()
}

pub async fn start(app: &TestApp, ids: &[i64]) -> reqwest::Response {
    app.send_json(
        Method::POST,
        "/api/payments/card",
        &json!({ "obligation_ids": ids }),
    )
    .await
}

pub async fn started(app: &TestApp, ids: &[i64]) -> Value {
    let response = start(app, ids).await;
    assert_eq!(response.status(), 200);
    let attempt: Value = response.json().await.unwrap();
    assert_eq!(attempt["status"], "created", "{attempt}");
    attempt
}

pub fn location(response: &reqwest::Response) -> String {
    assert_eq!(response.status(), 303, "{}", response.url());
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The payer presses a button on the gateway's page; returns where the gateway sends them.
pub async fn payer_acts(attempt: &Value, action: &str) -> String {
    let page = attempt["redirect_url"].as_str().unwrap();
    let browser = crate::helpers::new_client();
    assert_eq!(browser.get(page).send().await.unwrap().status(), 200);
    let response = browser
        .post(page)
        .form(&[("action", action)])
        .send()
        .await
        .unwrap();
    location(&response)
}

/// Jana's browser comes back to the portal; returns the client page it is sent to.
pub async fn come_back(app: &TestApp, return_url: &str) -> String {
    location(&app.client.get(return_url).send().await.unwrap())
}

/// The test's own connection: it waits for the portal's writers instead of failing at once.
pub fn db(app: &TestApp) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(app.data_path().join("portal.sqlite3")).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    conn
}

pub fn count(app: &TestApp, sql: &str) -> i64 {
    db(app).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The simulator's deliveries of notifications about `payment_id`.
pub async fn deliveries(sim: &Running, payment_id: &str) -> Vec<Value> {
    let all: Value = reqwest::get(sim.url("/_test/payments"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let payment = all
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["payment_id"] == payment_id)
        .cloned()
        .unwrap_or(Value::Null);
    payment["deliveries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Waits (up to 10 s) until `done` holds for the deliveries of `payment_id`.
pub async fn wait_deliveries(sim: &Running, payment_id: &str, done: impl Fn(&[Value]) -> bool) {
    for _ in 0..200 {
        if done(&deliveries(sim, payment_id).await) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("deliveries: {:#?}", deliveries(sim, payment_id).await);
}

/// The gateway's payment id of a portal attempt.
pub fn gateway_id(app: &TestApp, attempt: &Value) -> String {
    db(app)
        .query_row(
            "SELECT gateway_payment_id FROM card_payments WHERE id = ?1",
            [attempt["id"].as_i64().unwrap()],
            |r| r.get(0),
        )
        .unwrap()
}

pub fn card_payments_of(app: &TestApp) -> (i64, i64) {
    (
        count(app, "SELECT count(*) FROM payments WHERE source = 'card'"),
        count(
            app,
            "SELECT count(*) FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
             WHERE p.source = 'card'",
        ),
    )
}
