//! `POST /api/payments/card/notify`: the gateway's server-to-server notification. No session
//! and no CSRF token: the gateway's signature (merchant id, timestamp within 300 s, HMAC of the
//! body) is the only credential. A forged one is answered 401, logged and audited, and changes
//! nothing. A genuine one is applied ([`super::apply`]) and answered 200 only after the
//! transaction committed, so the gateway retries anything not stored.

use super::{apply, gateway_for, record};
use crate::error::ApiError;
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::ClientIp;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gateway_sim::protocol::Notification;
use gateway_sim::protocol::sign::{SignatureHeaders, VerifyError, verify_notification};
use portal_domain::wire::ErrorBody;
use serde::Serialize;
use utoipa::ToSchema;

/// The answer to a notification the portal took.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotifyAck {
    /// applied (recorded; `credited` says whether it credited a payment), duplicate (not newer
    /// than what is recorded) or ignored (names no attempt of ours, or an amount that differs:
    /// logged for staff, retrying would not help).
    pub result: &'static str,
    pub credited: bool,
}

fn refused(status: StatusCode, code: &str, message: String) -> Response {
    let body = ErrorBody {
        code: code.to_owned(),
        message,
        fields: Vec::new(),
        required_loa: None,
    };
    (status, Json(body)).into_response()
}

/// Takes a notification from the town's gateway (see `gateway-sim/PROTOCOL.md`).
#[utoipa::path(post, path = "/api/payments/card/notify", tag = "payments",
    request_body(content = String, content_type = "application/json",
                 description = "The gateway's notification, signed in X-Merchant-Id, X-Timestamp, X-Nonce, X-Signature"),
    responses((status = 200, body = NotifyAck, description = "stored (or known already)"),
              (status = 400, body = portal_domain::wire::ErrorBody, description = "signed, but not a notification"),
              (status = 401, body = portal_domain::wire::ErrorBody, description = "signature missing, stale or wrong: nothing changed"),
              (status = 404, body = portal_domain::wire::ErrorBody, description = "the town takes no cards")))]
pub async fn notify(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    client: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let gateway = gateway_for(&state, &town).ok_or(ApiError::NotFound)?;
    let verified =
        SignatureHeaders::from_lookup(|name| headers.get(name).and_then(|v| v.to_str().ok()))
            .and_then(|signed| {
                verify_notification(
                    &signed,
                    &gateway.merchant_id,
                    gateway.secret.expose().as_bytes(),
                    &body,
                    chrono::Utc::now().timestamp(),
                )
            });
    if let Err(error) = verified {
        return forged(&state, town.id, client, error).await;
    }
    let notification: Notification = match serde_json::from_slice(&body) {
        Ok(n) => n,
        Err(error) => {
            tracing::warn!(%error, "signed card notification that is not one");
            return Ok(refused(
                StatusCode::BAD_REQUEST,
                "invalid_notification",
                format!("not a notification: {error}"),
            ));
        }
    };
    let outcome = record(
        &state,
        town.id,
        apply::View::from(&notification),
        "notification",
    )
    .await?;
    let ack = match outcome {
        apply::Outcome::Applied { credited, .. } => NotifyAck {
            result: "applied",
            credited: credited.is_some(),
        },
        apply::Outcome::Stale { .. } => NotifyAck {
            result: "duplicate",
            credited: false,
        },
        apply::Outcome::Unknown | apply::Outcome::AmountMismatch { .. } => NotifyAck {
            result: "ignored",
            credited: false,
        },
    };
    Ok(Json(ack).into_response())
}

/// 401 for a notification that is not the gateway's, after a warning and an audit record.
async fn forged(
    state: &AppState,
    town_id: i64,
    client: ClientIp,
    error: VerifyError,
) -> Result<Response, ApiError> {
    tracing::warn!(ip = %client, code = error.code(), %error, "card notification refused");
    // The message may quote a header the sender chose: keep it short.
    let detail: String = format!("{}: {error}", error.code())
        .chars()
        .take(200)
        .collect();
    // Through the card writer: a flood of forgeries shares its commits, and does not queue on
    // SQLite's lock (whose busy handler sleeps) against the notifications it writes.
    state
        .card_writer
        .refused(town_id, client.to_string(), detail)
        .await?;
    Ok(refused(
        StatusCode::UNAUTHORIZED,
        error.code(),
        error.to_string(),
    ))
}
