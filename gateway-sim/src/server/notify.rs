//! Server-to-server notifications: one background task per status change, retried with backoff
//! until the merchant answers 2xx, shaped by the test faults (see `testctl`).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::App;
use super::store::{Delivery, DeliveryKind, PaymentRecord};
use crate::protocol::sign::sign_notification;
use crate::protocol::{Notification, PaymentStatus};

/// Deliveries kept per payment for `GET /_test/payments`; older ones are forgotten.
const MAX_DELIVERIES_KEPT: usize = 200;

/// Sends the notification of `version` (a status change of `record`) in the background.
pub fn status_changed(app: &Arc<App>, record: &PaymentRecord, version: u64) {
    tracing::info!(
        payment_id = %record.payment_id,
        status = %record.status,
        version,
        "payment status changed"
    );
    spawn_event(app, &record.payment_id, version, DeliveryKind::Genuine);
}

/// Sends the payment's current state again (test control), through the same faults.
pub fn resend(app: &Arc<App>, record: &PaymentRecord) {
    spawn_event(
        app,
        &record.payment_id,
        record.version,
        DeliveryKind::Manual,
    );
}

/// After a restart from a state file: deliver what was still being delivered at the stop.
pub fn resume_unsettled(app: &Arc<App>) {
    let pending: Vec<(String, u64)> = app.store.with(|s| {
        s.payments
            .values()
            .filter(|p| p.version > p.settled_version)
            .map(|p| (p.payment_id.clone(), p.version))
            .collect()
    });
    for (payment_id, version) in pending {
        spawn_event(app, &payment_id, version, DeliveryKind::Genuine);
    }
}

fn spawn_event(app: &Arc<App>, payment_id: &str, version: u64, kind: DeliveryKind) {
    let app = app.clone();
    let payment_id = payment_id.to_owned();
    tokio::spawn(async move { run_event(app, payment_id, version, kind).await });
}

async fn run_event(app: Arc<App>, payment_id: String, version: u64, kind: DeliveryKind) {
    let faults = app.take_faults();
    if faults.drop_notifications {
        record(&app, &payment_id, version, kind, 0, "dropped".into());
        if kind == DeliveryKind::Genuine {
            settle(&app, &payment_id, version);
        }
        tracing::info!(%payment_id, version, "notification dropped (test fault)");
        return;
    }
    if faults.delay_notifications_ms > 0
        && sleep_or_shutdown(&app, Duration::from_millis(faults.delay_notifications_ms)).await
    {
        return;
    }
    if faults.forge {
        deliver(&app, &payment_id, version, DeliveryKind::Forged).await;
    }
    deliver(&app, &payment_id, version, kind).await;
    if kind == DeliveryKind::Genuine {
        settle(&app, &payment_id, version);
    }
    for _ in 0..faults.duplicate_notifications {
        deliver(&app, &payment_id, version, DeliveryKind::Duplicate).await;
    }
    if faults.reorder && version > 1 {
        deliver(&app, &payment_id, version - 1, DeliveryKind::Reordered).await;
    }
}

/// Delivers one notification, retrying until a 2xx answer or the last attempt. A forged one is
/// tried once. Returns whether the merchant took it.
async fn deliver(app: &Arc<App>, payment_id: &str, version: u64, kind: DeliveryKind) -> bool {
    let attempts = if kind == DeliveryKind::Forged {
        1
    } else {
        app.config.notify.attempts
    };
    for attempt in 1..=attempts {
        if app.is_shutting_down() {
            return false;
        }
        let Some((mut notification, merchant_id, url)) = app.store.with(|s| {
            let p = s.payments.get(payment_id)?;
            let n = p.notification(version)?;
            Some((n, p.merchant_id.clone(), p.request.notify_url.clone()))
        }) else {
            return false;
        };
        let secret = match kind {
            DeliveryKind::Forged => {
                // What an attacker would send: "paid", signed without knowing the secret.
                notification.status = PaymentStatus::Paid;
                notification.paid_at.get_or_insert_with(Utc::now);
                format!("forged-{}", hex::encode(rand::random::<[u8; 16]>()))
            }
            _ => match app.merchants.get(&merchant_id) {
                Some(m) => m.secret.clone(),
                None => return false,
            },
        };
        let outcome = post(app, &url, &merchant_id, secret.as_bytes(), &notification).await;
        let delivered = outcome.as_ref().is_ok_and(|code| (200..300).contains(code));
        let shown = match &outcome {
            Ok(code) => code.to_string(),
            Err(e) => format!("error: {e}"),
        };
        tracing::info!(
            %payment_id,
            version,
            kind = ?kind,
            attempt,
            outcome = %shown,
            "notification sent"
        );
        record(app, payment_id, version, kind, attempt, shown);
        if delivered {
            return true;
        }
        if attempt < attempts
            && sleep_or_shutdown(app, app.config.notify.delay_after(attempt)).await
        {
            return false;
        }
    }
    if kind != DeliveryKind::Forged {
        tracing::warn!(%payment_id, version, attempts, "notification not delivered, giving up");
    }
    false
}

async fn post(
    app: &App,
    url: &str,
    merchant_id: &str,
    secret: &[u8],
    notification: &Notification,
) -> Result<u16, String> {
    let body = serde_json::to_vec(notification).map_err(|e| e.to_string())?;
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let signed = sign_notification(merchant_id, secret, &body, Utc::now().timestamp(), &nonce);
    let mut request = app
        .http
        .post(url)
        .timeout(app.config.notify.timeout)
        .header("content-type", "application/json");
    for (name, value) in signed.pairs() {
        request = request.header(name, value);
    }
    let response = request.body(body).send().await.map_err(|e| {
        // reqwest's Display hides the cause ("error sending request"); name it.
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            text = format!("{text}: {s}");
            source = s.source();
        }
        text
    })?;
    Ok(response.status().as_u16())
}

fn record(
    app: &App,
    payment_id: &str,
    version: u64,
    kind: DeliveryKind,
    attempt: u32,
    outcome: String,
) {
    app.store.update(|s| {
        let Some(p) = s.payments.get_mut(payment_id) else {
            return;
        };
        let status = p.notification(version).map_or(p.status, |n| n.status);
        let status = if kind == DeliveryKind::Forged {
            PaymentStatus::Paid
        } else {
            status
        };
        p.deliveries.push(Delivery {
            event_id: Notification::event_id_for(payment_id, version),
            version,
            status,
            kind,
            attempt,
            outcome,
            at: Utc::now(),
        });
        if p.deliveries.len() > MAX_DELIVERIES_KEPT {
            let extra = p.deliveries.len() - MAX_DELIVERIES_KEPT;
            p.deliveries.drain(..extra);
        }
    });
}

fn settle(app: &App, payment_id: &str, version: u64) {
    app.store.update(|s| {
        if let Some(p) = s.payments.get_mut(payment_id) {
            p.settled_version = p.settled_version.max(version);
        }
    });
}

/// Sleeps; true when the simulator began shutting down meanwhile.
async fn sleep_or_shutdown(app: &App, wait: Duration) -> bool {
    let mut rx = app.shutdown.clone();
    if *rx.borrow() {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(wait) => false,
        _ = rx.changed() => true,
    }
}
