//! Card payments through the town's gateway (`gateway_sim::protocol`, `gateway-sim/PROTOCOL.md`).
//!
//! A citizen picks obligations and starts an attempt (`POST /api/payments/card`): the portal
//! creates the payment at the gateway with a signed request and sends the browser there. The
//! browser comes back to `/api/payments/card/return` with a signed status, which is shown but
//! never credited: money is credited only from what the gateway itself says, in a signed
//! notification (`/api/payments/card/notify`) or an answer to a signed status query (after the
//! return, on `GET /api/payments/card/{id}`, and by the [`recovery`] poller for attempts nobody
//! heard the end of). All three paths go through [`apply::apply`], which credits a payment once,
//! in one write transaction, from obligations read inside it.

pub mod apply;
pub mod batch;
pub mod client;
pub mod handlers;
pub mod notify;
pub mod recovery;
pub mod refund;
pub mod settings;
pub mod start;
pub mod store;

use crate::state::AppState;
use crate::towns::Town;
use settings::GatewaySettings;

// The attempt as the citizen sees it is a wire type shared with the client.
pub use portal_domain::wire::{CardPayment, CardPaymentItem, CardPaymentRequest};

/// The gateway of `town`: its `[town.gateway]`, or for the demo town in demo mode the one from
/// `PORTAL_DEMO_GATEWAY_*`. `None`: the town takes no cards.
pub fn gateway_for<'s>(state: &'s AppState, town: &Town) -> Option<&'s GatewaySettings> {
    gateway_for_slug(state, &town.info.slug, town.info.demo)
}

pub fn gateway_for_slug<'s>(
    state: &'s AppState,
    slug: &str,
    demo_town: bool,
) -> Option<&'s GatewaySettings> {
    if demo_town {
        return state
            .config
            .demo
            .then_some(state.config.demo_gateway.as_ref())
            .flatten();
    }
    state
        .config
        .towns
        .iter()
        .find(|t| t.slug == slug)
        .and_then(|t| t.gateway.as_ref())
}

/// The time as stored in the card tables: fixed width, so text order is time order.
pub fn now_text() -> String {
    time_text(chrono::Utc::now())
}

pub fn time_text(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Where the client page shows the outcome (`/platby?platba=…&id=…`), by attempt status.
pub fn outcome_word(status: &str) -> &'static str {
    match status {
        "paid" => "ok",
        "declined" => "zamitnuto",
        "cancelled" | "expired" => "zruseno",
        _ => "ceka",
    }
}

/// Applies what the gateway said (`via`: notification, return, status, poll) in a write
/// transaction (shared with the messages that arrived meanwhile: [`batch`]) and logs anything
/// unusual. Returns once it is committed.
pub async fn record(
    state: &AppState,
    town_id: i64,
    view: apply::View,
    via: &'static str,
) -> Result<apply::Outcome, crate::db::DbError> {
    let payment = view.payment_id.clone();
    let outcome = state.card_writer.apply(town_id, view).await?;
    match &outcome {
        apply::Outcome::Unknown => {
            tracing::warn!(via, %payment, town_id, "gateway message about no attempt of ours")
        }
        apply::Outcome::AmountMismatch { attempt_id } => tracing::error!(
            via, %payment, attempt_id, "gateway amount differs from the attempt's: not credited"
        ),
        apply::Outcome::Stale { .. } => {}
        apply::Outcome::Applied {
            attempt_id,
            status,
            credited,
        } => tracing::info!(via, %payment, attempt_id, status, ?credited, "card payment updated"),
    }
    Ok(outcome)
}

/// Asks the gateway for the payment's status and records it.
pub async fn refresh(
    state: &AppState,
    gateway: &GatewaySettings,
    town_id: i64,
    gateway_payment_id: &str,
    via: &'static str,
) -> Result<apply::Outcome, String> {
    let payment = client::Gateway::new(gateway)
        .status(gateway_payment_id)
        .await
        .map_err(|e| e.to_string())?;
    record(state, town_id, apply::View::from(&payment), via)
        .await
        .map_err(|e| e.to_string())
}
