//! Test controls under `/_test/…`, served only with `--test-controls`: fault injection for
//! notifications, notifications on demand, forced expiry and a listing of everything.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::App;
use super::api::ApiError;
use super::notify;
use super::store::Delivery;
use crate::protocol::Payment;

/// How notifications misbehave. Every field is optional in `POST /_test/faults` (missing = off);
/// the faults stay until the next POST, except `forge`, which is used up by one notification.
#[derive(Serialize, Deserialize, Default, Clone, PartialEq, Eq, Debug)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Change the status but send nothing: the merchant must find out by a status query.
    pub drop_notifications: bool,
    /// Send each notification this many extra times (after the first delivery, 0 to 10).
    pub duplicate_notifications: u32,
    /// Wait this long before a notification's first attempt (at most 60 000).
    pub delay_notifications_ms: u64,
    /// After each notification, send the payment's previous version again (older after newer).
    pub reorder: bool,
    /// Before the next notification, send one claiming `paid` signed with a wrong key.
    pub forge: bool,
}

/// One payment in `GET /_test/payments`.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct TestPayment {
    pub merchant_id: String,
    #[serde(flatten)]
    pub payment: Payment,
    pub return_url: String,
    pub notify_url: String,
    /// Versions up to this one need no more notification work.
    pub settled_version: u64,
    pub deliveries: Vec<Delivery>,
}

pub fn router() -> axum::Router<Arc<App>> {
    axum::Router::new()
        .route("/_test/faults", get(get_faults).post(set_faults))
        .route("/_test/notify/{id}", post(notify_now))
        .route("/_test/payments", get(list_payments))
        .route("/_test/payments/{id}/expire", post(expire_now))
}

async fn get_faults(State(app): State<Arc<App>>) -> Json<Faults> {
    Json(app.faults.lock().unwrap_or_else(|e| e.into_inner()).clone())
}

async fn set_faults(
    State(app): State<Arc<App>>,
    body: axum::body::Bytes,
) -> Result<Json<Faults>, ApiError> {
    let faults: Faults = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("faults: {e}"),
        )
    })?;
    if faults.duplicate_notifications > 10 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_field",
            "duplicate_notifications: 0 to 10 expected",
        ));
    }
    if faults.delay_notifications_ms > 60_000 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_field",
            "delay_notifications_ms: 0 to 60000 expected",
        ));
    }
    tracing::info!(?faults, "test faults set");
    *app.faults.lock().unwrap_or_else(|e| e.into_inner()) = faults.clone();
    Ok(Json(faults))
}

fn unknown(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_payment",
        format!("payment {id:?} does not exist"),
    )
}

async fn notify_now(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record = app
        .store
        .with(|s| s.payments.get(&id).cloned())
        .ok_or_else(|| unknown(&id))?;
    notify::resend(&app, &record);
    let answer = serde_json::json!({"payment_id": record.payment_id, "version": record.version});
    Ok((StatusCode::ACCEPTED, Json(answer)).into_response())
}

async fn expire_now(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Payment>, ApiError> {
    let (record, version) = app.store.update(|s| {
        let p = s.payments.get_mut(&id).ok_or_else(|| unknown(&id))?;
        p.expires_at = p.expires_at.min(Utc::now());
        let version = p.expire_if_due(Utc::now());
        Ok::<_, ApiError>((p.clone(), version))
    })?;
    if let Some(version) = version {
        notify::status_changed(&app, &record, version);
    }
    Ok(Json(record.view(&app.base_url)))
}

async fn list_payments(State(app): State<Arc<App>>) -> Json<Vec<TestPayment>> {
    let list = app.store.with(|s| {
        s.payments
            .values()
            .map(|p| TestPayment {
                merchant_id: p.merchant_id.clone(),
                payment: p.view(&app.base_url),
                return_url: p.request.return_url.clone(),
                notify_url: p.request.notify_url.clone(),
                settled_version: p.settled_version,
                deliveries: p.deliveries.clone(),
            })
            .collect()
    });
    Json(list)
}
