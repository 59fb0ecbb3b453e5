//! Callback handling under load: 32 browsers come back from the provider at once; each callback
//! exchanges its code at the local provider, validates the ID token, asks userinfo and opens a
//! session. Ignored by default (a measurement, not a check):
//!   cargo test -p portal-backend --release --test api oidc::bench -- --ignored --nocapture

use super::*;
use std::time::{Duration, Instant};

const CONCURRENT: usize = 32;
const ROUNDS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn callbacks_with_32_concurrent_logins() {
    let port = free_port();
    let provider = provider::OidcProvider::start(&provider_config(port, json!({}))).await;
    let login = format!(
        "[[town.login]]\nid = \"{PROVIDER_ID}\"\nissuer = \"{}\"\nclient_id = \"portal\"\n\
         client_secret = \"test-secret-not-real\"\n{PLAIN}",
        provider.issuer
    );
    // Every login comes from 127.0.0.1 here: lift the per-address limit for the measurement.
    let portal = spawn_portal_with(port, "login_attempts_per_minute = 100000", &login).await;
    let portal = std::sync::Arc::new(portal);
    let mut latencies: Vec<Duration> = Vec::new();
    let mut busy = Duration::ZERO;
    for _ in 0..ROUNDS {
        // Everything up to the callback first, so only the callbacks are timed.
        let mut ready = Vec::new();
        for _ in 0..CONCURRENT {
            let client = browser();
            let url = until_callback(&client, &portal, &provider, "/", "alice").await;
            ready.push((client, url));
        }
        let began = Instant::now();
        let tasks: Vec<_> = ready
            .into_iter()
            .map(|(client, url)| {
                tokio::spawn(async move {
                    let t = Instant::now();
                    let to = callback(&client, &url).await;
                    assert_eq!(to, "/");
                    t.elapsed()
                })
            })
            .collect();
        for task in tasks {
            latencies.push(task.await.unwrap());
        }
        busy += began.elapsed();
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{} callbacks, {CONCURRENT} at a time: p50 {:?}, p99 {:?}, max {:?}, {:.0} logins/s",
        latencies.len(),
        at(0.5),
        at(0.99),
        latencies[latencies.len() - 1],
        latencies.len() as f64 / busy.as_secs_f64()
    );
}
