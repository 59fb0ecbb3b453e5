//! The poller: attempts still `created` a while after they started (`card.poll_after`) are
//! asked about at the gateway, and what it says is applied exactly as a notification would be.
//! So a lost notification, or a portal that was down while the gateway retried, still ends in
//! the payment credited. Started beside the session purge, stopped with the server.

use super::{gateway_for_slug, refresh, store, time_text};
use crate::state::AppState;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Attempts polled per round; the rest wait for the next one.
const BATCH: usize = 50;
/// An attempt the gateway never created (its create failed) is given up after this long.
const GIVE_UP_UNCREATED: Duration = Duration::from_secs(3600);
/// Attempts older than this are no longer polled: the gateway expires a payment nobody acted on
/// within minutes, so one still `created` here is stuck (e.g. an amount that differs, logged as
/// an error each time it was polled) and needs a person.
const STOP_POLLING: Duration = Duration::from_secs(2 * 24 * 3600);

pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let every = (state.config.card.poll_interval / 2).max(Duration::from_millis(10));
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match poll_once(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(attempts = n, "polled card payments"),
                Err(error) => tracing::warn!(%error, "polling card payments failed"),
            }
        }
    })
}

/// One round: asks the gateway about every due attempt; returns how many were asked about.
pub async fn poll_once(state: &AppState) -> Result<usize, String> {
    let now = chrono::Utc::now();
    let ago = |d: Duration| time_text(now - chrono::Duration::from_std(d).unwrap_or_default());
    let started_before = ago(state.config.card.poll_after);
    let polled_before = ago(state.config.card.poll_interval);
    let started_after = ago(STOP_POLLING);
    let give_up = ago(GIVE_UP_UNCREATED);
    let now_text = time_text(now);
    let due = state
        .db
        .write(move |tx| {
            store::expire_uncreated(tx, &give_up, &now_text)?;
            let window = store::DueWindow {
                started_before: &started_before,
                started_after: &started_after,
                polled_before: &polled_before,
            };
            store::take_due(tx, &window, &now_text, BATCH)
        })
        .await
        .map_err(|e| e.to_string())?;
    for attempt in &due {
        let Some(gateway) = gateway_for_slug(state, &attempt.slug, attempt.demo_town) else {
            continue;
        };
        let result = refresh(
            state,
            gateway,
            attempt.town_id,
            &attempt.gateway_payment_id,
            "poll",
        )
        .await;
        if let Err(error) = result {
            tracing::warn!(attempt = attempt.attempt_id, %error, "card payment status query failed");
        }
    }
    Ok(due.len())
}
