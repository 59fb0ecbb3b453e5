//! The merchant API: `/api/payments…`, every call signed (see `protocol::sign`).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{TimeDelta, Utc};
use serde::de::DeserializeOwned;

use super::App;
use super::config::id_is_valid;
use super::notify;
use super::store::{PaymentRecord, Snapshot};
use crate::protocol::sign::{SignatureHeaders, verify_request};
use crate::protocol::{
    CURRENCY_CZK, CreatePayment, CreateRefund, ErrorBody, PaymentStatus, Refund, RefundResponse,
    VerifyError,
};

/// The largest payment: 100 million CZK.
pub const MAX_AMOUNT_HALERE: i64 = 10_000_000_000;

pub fn router() -> axum::Router<Arc<App>> {
    axum::Router::new()
        .route("/api/payments", post(create_payment))
        .route("/api/payments/{id}", get(payment_status))
        .route("/api/payments/{id}/refunds", post(create_refund))
}

/// An error answer: status, machine code, message for people.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    fn invalid(field: &str, problem: &str) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_field",
            format!("{field}: {problem}"),
        )
    }

    fn unknown_payment(id: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_payment",
            format!("payment {id:?} does not exist for this merchant"),
        )
    }
}

impl From<VerifyError> for ApiError {
    fn from(e: VerifyError) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, e.code(), e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code.to_owned(),
            message: self.message,
        };
        (self.status, Json(body)).into_response()
    }
}

/// Checks the signature headers; returns the merchant id. Order: headers present and well
/// formed, merchant known, timestamp fresh, signature right, nonce unused (a forged request never
/// uses up a nonce).
fn authenticate(
    app: &App,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<String, ApiError> {
    let result = (|| {
        let signed =
            SignatureHeaders::from_lookup(|name| headers.get(name).and_then(|v| v.to_str().ok()))?;
        let merchant = app
            .merchants
            .get(&signed.merchant_id)
            .ok_or_else(|| VerifyError::UnknownMerchant(signed.merchant_id.clone()))?;
        let target = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
        let now = Utc::now().timestamp();
        verify_request(
            &signed,
            merchant.secret.as_bytes(),
            method.as_str(),
            target,
            body,
            now,
        )?;
        let fresh = app
            .store
            .with(|s| s.use_nonce(&signed.merchant_id, &signed.nonce, signed.timestamp, now));
        if !fresh {
            return Err(VerifyError::ReplayedNonce);
        }
        Ok(signed.merchant_id)
    })();
    result.map_err(|e| {
        tracing::warn!(code = e.code(), %method, path = uri.path(), "request refused: {e}");
        ApiError::from(e)
    })
}

fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not a valid request: {e}"),
        )
    })
}

fn check_text(field: &str, text: &str, max: usize) -> Result<(), ApiError> {
    if text.trim().is_empty() || text.chars().count() > max {
        return Err(ApiError::invalid(
            field,
            &format!("1 to {max} characters expected"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            field,
            "control characters are not allowed",
        ));
    }
    Ok(())
}

fn check_url(field: &str, text: &str) -> Result<(), ApiError> {
    let url = url::Url::parse(text)
        .map_err(|e| ApiError::invalid(field, &format!("not an absolute URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(ApiError::invalid(
            field,
            "an http or https URL with a host expected",
        ));
    }
    if url.fragment().is_some() {
        return Err(ApiError::invalid(field, "a fragment (#…) is not allowed"));
    }
    Ok(())
}

fn check_amount(field: &str, amount: i64) -> Result<(), ApiError> {
    if !(1..=MAX_AMOUNT_HALERE).contains(&amount) {
        return Err(ApiError::invalid(
            field,
            &format!("whole haléř from 1 to {MAX_AMOUNT_HALERE} expected"),
        ));
    }
    Ok(())
}

fn validate(req: &CreatePayment) -> Result<(), ApiError> {
    if !id_is_valid(&req.merchant_order_id) {
        return Err(ApiError::invalid(
            "merchant_order_id",
            "1 to 64 characters of A-Z a-z 0-9 . _ - expected",
        ));
    }
    check_amount("amount_halere", req.amount_halere)?;
    if req.currency != CURRENCY_CZK {
        return Err(ApiError::invalid("currency", "only \"CZK\" is accepted"));
    }
    check_text("description", &req.description, 255)?;
    check_url("return_url", &req.return_url)?;
    check_url("notify_url", &req.notify_url)?;
    if req.items.len() > 100 {
        return Err(ApiError::invalid("items", "at most 100 items"));
    }
    for (i, item) in req.items.iter().enumerate() {
        check_text(&format!("items[{i}].name"), &item.name, 255)?;
        check_amount(&format!("items[{i}].amount_halere"), item.amount_halere)?;
        if item.quantity == 0 {
            return Err(ApiError::invalid(
                &format!("items[{i}].quantity"),
                "at least 1",
            ));
        }
    }
    let total: i64 = req.items.iter().map(|i| i.amount_halere).sum();
    if !req.items.is_empty() && total != req.amount_halere {
        return Err(ApiError::invalid(
            "items",
            &format!(
                "the items add up to {total}, not to amount_halere {}",
                req.amount_halere
            ),
        ));
    }
    Ok(())
}

fn new_payment_id() -> String {
    let bytes: [u8; 12] = rand::random();
    format!("pay_{}", hex::encode(bytes))
}

async fn create_payment(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let merchant_id = authenticate(&app, &method, &uri, &headers, &body)?;
    let req: CreatePayment = parse_json(&body)?;
    validate(&req)?;
    let now = Utc::now();
    let expire_after = TimeDelta::from_std(app.config.expire_after).unwrap_or(TimeDelta::MAX);
    let (record, created) = app.store.update(|s| {
        let key = super::store::State::order_key(&merchant_id, &req.merchant_order_id);
        if let Some(existing) = s.by_order.get(&key).and_then(|id| s.payments.get(id)) {
            if existing.request != req {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "idempotency_conflict",
                    format!(
                        "merchant_order_id {:?} was already used for payment {} with other content",
                        req.merchant_order_id, existing.payment_id
                    ),
                ));
            }
            return Ok((existing.clone(), false));
        }
        let record = PaymentRecord {
            payment_id: new_payment_id(),
            merchant_id: merchant_id.clone(),
            request: req.clone(),
            status: PaymentStatus::Created,
            version: 1,
            created_at: now,
            expires_at: now.checked_add_signed(expire_after).unwrap_or(now),
            paid_at: None,
            refunds: Vec::new(),
            history: vec![Snapshot {
                version: 1,
                status: PaymentStatus::Created,
                refunded_halere: 0,
                paid_at: None,
                changed_at: now,
            }],
            settled_version: 1,
            deliveries: Vec::new(),
        };
        s.insert(record.clone());
        Ok((record, true))
    })?;
    if created {
        tracing::info!(
            payment_id = %record.payment_id,
            merchant_id = %merchant_id,
            merchant_order_id = %record.request.merchant_order_id,
            amount_halere = record.request.amount_halere,
            "payment created"
        );
    }
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(record.view(&app.base_url))).into_response())
}

async fn payment_status(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let merchant_id = authenticate(&app, &method, &uri, &headers, &body)?;
    let now = Utc::now();
    let (record, expired) = app
        .store
        .update_if(|s| match s.payment_of(&merchant_id, &id) {
            Some(p) => {
                let expired = p.expire_if_due(now);
                (Ok((p.clone(), expired)), expired.is_some())
            }
            None => (Err(ApiError::unknown_payment(&id)), false),
        })?;
    if let Some(version) = expired {
        notify::status_changed(&app, &record, version);
    }
    Ok(Json(record.view(&app.base_url)).into_response())
}

async fn create_refund(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let merchant_id = authenticate(&app, &method, &uri, &headers, &body)?;
    let req: CreateRefund = parse_json(&body)?;
    if !id_is_valid(&req.refund_id) {
        return Err(ApiError::invalid(
            "refund_id",
            "1 to 64 characters of A-Z a-z 0-9 . _ - expected",
        ));
    }
    check_amount("amount_halere", req.amount_halere)?;
    let now = Utc::now();
    let (record, refund, new_version) = app.store.update(|s| {
        let p = s
            .payment_of(&merchant_id, &id)
            .ok_or_else(|| ApiError::unknown_payment(&id))?;
        if let Some(done) = p.refunds.iter().find(|r| r.refund_id == req.refund_id) {
            if done.amount_halere != req.amount_halere {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "idempotency_conflict",
                    format!(
                        "refund_id {:?} was already used for {} haléř",
                        req.refund_id, done.amount_halere
                    ),
                ));
            }
            return Ok((p.clone(), done.clone(), None));
        }
        if !p.status.was_paid() {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "not_refundable",
                format!(
                    "the payment is {}; only a paid payment can be refunded",
                    p.status
                ),
            ));
        }
        let remaining = p.request.amount_halere - p.refunded_halere();
        if req.amount_halere > remaining {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "refund_exceeds_paid",
                format!(
                    "a refund of {} haléř exceeds the {remaining} haléř not yet refunded",
                    req.amount_halere
                ),
            ));
        }
        let refund = Refund {
            refund_id: req.refund_id.clone(),
            amount_halere: req.amount_halere,
            created_at: now,
        };
        p.refunds.push(refund.clone());
        let status = if req.amount_halere == remaining {
            PaymentStatus::Refunded
        } else {
            PaymentStatus::PartiallyRefunded
        };
        let version = p.change(status, now);
        Ok((p.clone(), refund, Some(version)))
    })?;
    let status = match new_version {
        Some(version) => {
            tracing::info!(
                payment_id = %record.payment_id,
                refund_id = %refund.refund_id,
                amount_halere = refund.amount_halere,
                status = %record.status,
                "refund made"
            );
            notify::status_changed(&app, &record, version);
            StatusCode::CREATED
        }
        None => StatusCode::OK,
    };
    let answer = RefundResponse {
        refund,
        payment: record.view(&app.base_url),
    };
    Ok((status, Json(answer)).into_response())
}
