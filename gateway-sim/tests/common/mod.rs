//! Test harness: the simulator in-process on port 0, a signed API client, and a tiny merchant
//! that records the notifications it receives.
#![allow(dead_code)] // Each test file uses a part of it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use gateway_sim::protocol::sign::{SignatureHeaders, sign_request, verify_notification};
use gateway_sim::protocol::{Notification, VerifyError};
use gateway_sim::{Config, Merchant, Running};
use serde_json::{Value, json};

pub const MERCHANT: &str = "town";
pub const SECRET: &str = "town-secret-0123456789";

/// A fresh simulator with test controls and quick retries (20 ms, doubling).
pub async fn start() -> Running {
    start_with(|_| {}).await
}

pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Running {
    let mut config = Config::new(vec![
        Merchant::new(MERCHANT, SECRET),
        Merchant::new("other", "other-secret-0123456789"),
    ]);
    config.test_controls = true;
    config.notify.backoff = Duration::from_millis(20);
    config.notify.attempts = 5;
    adjust(&mut config);
    gateway_sim::spawn(config).await.expect("simulator starts")
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

static NONCES: AtomicU64 = AtomicU64::new(0);

pub fn nonce() -> String {
    format!("test-nonce-{:012}", NONCES.fetch_add(1, Ordering::Relaxed))
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A merchant-signed API call; `timestamp` and `nonce` can be forced to test refusals.
pub struct Call<'a> {
    pub sim: &'a Running,
    pub method: &'a str,
    pub path: &'a str,
    pub body: Option<Value>,
    pub merchant: &'a str,
    pub secret: &'a str,
    pub timestamp: i64,
    pub nonce: String,
}

impl<'a> Call<'a> {
    pub fn new(sim: &'a Running, method: &'a str, path: &'a str, body: Option<Value>) -> Self {
        Call {
            sim,
            method,
            path,
            body,
            merchant: MERCHANT,
            secret: SECRET,
            timestamp: now(),
            nonce: nonce(),
        }
    }

    pub fn headers(&self) -> SignatureHeaders {
        let body = self.body_bytes();
        sign_request(
            self.merchant,
            self.secret.as_bytes(),
            self.method,
            self.path,
            &body,
            self.timestamp,
            &self.nonce,
        )
    }

    fn body_bytes(&self) -> Vec<u8> {
        self.body
            .as_ref()
            .map(|b| serde_json::to_vec(b).unwrap())
            .unwrap_or_default()
    }

    pub async fn send_with(&self, headers: &SignatureHeaders) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).unwrap();
        let mut req = http().request(method, self.sim.url(self.path));
        for (name, value) in headers.pairs() {
            req = req.header(name, value);
        }
        if self.body.is_some() {
            req = req
                .header("content-type", "application/json")
                .body(self.body_bytes());
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let value = res.json().await.unwrap_or(Value::Null);
        (status, value)
    }

    pub async fn send(&self) -> (StatusCode, Value) {
        self.send_with(&self.headers()).await
    }
}

pub async fn api(
    sim: &Running,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    Call::new(sim, method, path, body).send().await
}

pub fn payment_body(order: &str, amount: i64, merchant: &Merchantd) -> Value {
    json!({
        "merchant_order_id": order,
        "amount_halere": amount,
        "currency": "CZK",
        "description": "Poplatek za odpad 2026",
        "return_url": format!("{}/return?basket=7", merchant.url),
        "notify_url": format!("{}/notify", merchant.url),
    })
}

/// Creates a payment; returns its id.
pub async fn create(sim: &Running, order: &str, amount: i64, merchant: &Merchantd) -> String {
    let (status, body) = api(
        sim,
        "POST",
        "/api/payments",
        Some(payment_body(order, amount, merchant)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["payment_id"].as_str().unwrap().to_owned()
}

/// The payer's decision through the form; returns the 303's Location.
pub async fn act(sim: &Running, payment_id: &str, action: &str) -> String {
    let res = http()
        .post(sim.url(&format!("/pay/{payment_id}")))
        .form(&[("action", action)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res.headers()["location"].to_str().unwrap().to_owned()
}

pub async fn status(sim: &Running, payment_id: &str) -> Value {
    let (code, body) = api(sim, "GET", &format!("/api/payments/{payment_id}"), None).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    body
}

pub async fn set_faults(sim: &Running, faults: Value) {
    let res = http()
        .post(sim.url("/_test/faults"))
        .json(&faults)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}

/// One notification as the merchant received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub verified: Result<(), VerifyError>,
    pub notification: Option<Notification>,
    pub answered: u16,
    pub at: Instant,
}

/// A merchant server: `POST /notify` verifies and records; it answers with the statuses queued
/// in `answers` first, then 200 (401 for a notification that fails verification).
pub struct Merchantd {
    pub url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub answers: Arc<Mutex<VecDeque<u16>>>,
}

#[derive(Clone)]
struct MerchantState {
    received: Arc<Mutex<Vec<Received>>>,
    answers: Arc<Mutex<VecDeque<u16>>>,
}

impl Merchantd {
    pub async fn start() -> Merchantd {
        let state = MerchantState {
            received: Arc::default(),
            answers: Arc::default(),
        };
        let app = axum::Router::new()
            .route("/notify", axum::routing::post(receive))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Merchantd {
            url,
            received: state.received,
            answers: state.answers,
        }
    }

    pub fn answer_next(&self, codes: &[u16]) {
        self.answers.lock().unwrap().extend(codes.iter().copied());
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `done` holds for the received list (at most 5 s).
    pub async fn wait_until(
        &self,
        what: &str,
        done: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let list = self.received();
            if done(&list) {
                return list;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}: {list:#?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn receive(
    State(state): State<MerchantState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let verified = SignatureHeaders::from_lookup(|n| headers.get(n).and_then(|v| v.to_str().ok()))
        .and_then(|h| verify_notification(&h, MERCHANT, SECRET.as_bytes(), &body, now()));
    let notification = serde_json::from_slice(&body).ok();
    let answered = if verified.is_err() {
        401
    } else {
        state.answers.lock().unwrap().pop_front().unwrap_or(200)
    };
    state.received.lock().unwrap().push(Received {
        verified,
        notification,
        answered,
        at: Instant::now(),
    });
    StatusCode::from_u16(answered).unwrap()
}

/// Every verified notification's (status, version), in arrival order.
pub fn genuine(list: &[Received]) -> Vec<(String, u64)> {
    list.iter()
        .filter(|r| r.verified.is_ok())
        .filter_map(|r| r.notification.as_ref())
        .map(|n| (n.status.to_string(), n.version))
        .collect()
}
