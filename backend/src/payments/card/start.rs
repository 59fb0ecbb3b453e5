//! `POST /api/payments/card`: a basket of the citizen's open obligations becomes a payment at
//! the gateway, and the browser is sent to its page.
//!
//! Idempotency: the basket (payer, obligations and what is owed on each) is hashed; the same
//! basket within [`REUSE_WINDOW`] finds the attempt it started, as long as the gateway still
//! waits for the payer. Every attempt has its own `merchant_order_id`, the gateway's idempotency
//! key, so repeating the create (a lost answer, a double click racing the first) returns the
//! same gateway payment.

use super::client::Gateway;
use super::store::{self, Attempt, BasketError, Line};
use super::{CardPayment, CardPaymentRequest, apply, gateway_for, refresh};
use crate::error::ApiError;
use crate::identity::session::CurrentSession;
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::ApiJson;
use axum::extract::{FromRequestParts, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use gateway_sim::protocol::{CURRENCY_CZK, CreatePayment, Item, PaymentStatus};
use portal_domain::wire::{FieldErrorBody, Loa};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// A double click (or a second tab) within this long pays through the same attempt.
pub const REUSE_WINDOW: Duration = Duration::from_secs(5 * 60);
/// The gateway takes at most 100 items; a basket is far smaller.
pub const MAX_ITEMS: usize = 50;

/// A session that may pay: logged in at level "substantial" or higher, checked before the body
/// is read.
pub struct Payer(pub CurrentSession);

impl FromRequestParts<AppState> for Payer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = CurrentSession::from_request_parts(parts, state).await?;
        session.require_loa(Loa::Substantial)?;
        Ok(Payer(session))
    }
}

fn invalid(field: &str, code: &str, message: &str) -> ApiError {
    ApiError::Validation(vec![FieldErrorBody {
        field: field.to_owned(),
        code: code.to_owned(),
        message: format!("{field}: {message}"),
    }])
}

/// Starts paying the obligations by card (or finds the attempt this basket started moments
/// ago) and answers where to send the browser (`redirect_url`).
#[utoipa::path(post, path = "/api/payments/card", tag = "payments",
    request_body = CardPaymentRequest,
    params(("X-CSRF-Token" = String, Header)),
    security(("session" = [])),
    responses((status = 200, body = CardPayment, description = "The attempt, status created: send the browser to redirect_url"),
              (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody, description = "loa_required (paying needs substantial) or csrf"),
              (status = 404, body = portal_domain::wire::ErrorBody, description = "an obligation is not the citizen's"),
              (status = 409, body = portal_domain::wire::ErrorBody, description = "card_unavailable: the town takes no cards"),
              (status = 422, body = portal_domain::wire::ErrorBody, description = "obligation_ids empty, too many, or one not open"),
              (status = 500, body = portal_domain::wire::ErrorBody, description = "the gateway refused or did not answer")))]
pub async fn start(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    headers: HeaderMap,
    Payer(session): Payer,
    ApiJson(request): ApiJson<CardPaymentRequest>,
) -> Result<ApiJson<CardPayment>, ApiError> {
    let gateway = gateway_for(&state, &town).ok_or(ApiError::Conflict("card_unavailable"))?;
    let mut ids: Vec<i64> = Vec::new();
    for id in request.obligation_ids {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(invalid("obligation_ids", "empty", "pick at least one"));
    }
    if ids.len() > MAX_ITEMS {
        return Err(invalid(
            "obligation_ids",
            "too_many",
            &format!("at most {MAX_ITEMS}"),
        ));
    }
    let origin = origin(&state, &headers).ok_or_else(|| ApiError::BadRequest {
        code: "bad_host",
        message: "The Host header is missing or not a host name.".into(),
        fields: Vec::new(),
    })?;
    let (town_id, payer_id) = (town.id, session.citizen_id());
    let (mut attempt, mut lines, reused) = open_attempt(&state, town_id, payer_id, &ids).await?;
    if reused {
        if let Some(payment_id) = attempt.gateway_payment_id.clone() {
            // The payer may have cancelled it at the gateway meanwhile: then start anew.
            let now = refresh(&state, gateway, town_id, &payment_id, "start").await;
            let still_waiting = match &now {
                Ok(
                    apply::Outcome::Applied { status, .. } | apply::Outcome::Stale { status, .. },
                ) => status == "created",
                _ => true,
            };
            if !still_waiting {
                (attempt, lines, _) = open_attempt(&state, town_id, payer_id, &ids).await?;
            }
        }
    }
    if attempt.redirect_url.is_none() {
        let request = create_request(&town.info.name, &attempt, &lines, &origin);
        let payment =
            Gateway::new(gateway)
                .create(&request)
                .await
                .map_err(|e| ApiError::BadGateway {
                    code: "gateway_unavailable",
                    cause: format!("card payment {}: {e}", attempt.id),
                })?;
        let (id, gateway_id, url) = (
            attempt.id,
            payment.payment_id.clone(),
            payment.redirect_url.clone(),
        );
        state
            .db
            .write(move |tx| store::set_gateway(tx, id, &gateway_id, &url))
            .await?;
        if payment.status != PaymentStatus::Created {
            super::record(&state, town_id, apply::View::from(&payment), "create").await?;
        }
    }
    let id = attempt.id;
    let view = state
        .db
        .read(move |conn| store::view(conn, town_id, payer_id, id))
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(ApiJson(view))
}

/// The basket checked and its attempt: one started within the reuse window, or a new one.
/// `true` when it was found rather than started.
async fn open_attempt(
    state: &AppState,
    town_id: i64,
    payer_id: i64,
    ids: &[i64],
) -> Result<(Attempt, Vec<Line>, bool), ApiError> {
    let ids = ids.to_vec();
    state
        .db
        .write(move |tx| {
            let lines = match store::basket(tx, town_id, payer_id, &ids)? {
                Ok(lines) => lines,
                Err(BasketError::NotFound) => return Err(ApiError::NotFound),
                Err(BasketError::NotOpen(i)) => {
                    return Err(invalid(
                        &format!("obligation_ids[{i}]"),
                        "obligation.not_open",
                        "nothing is owed on this obligation",
                    ));
                }
            };
            let key = basket_key(payer_id, &lines);
            let window = chrono::Duration::from_std(REUSE_WINDOW).unwrap_or_default();
            let since = super::time_text(chrono::Utc::now() - window);
            if let Some(found) = store::reusable(tx, town_id, payer_id, &key, &since)? {
                return Ok((found, lines, true));
            }
            let salt: [u8; 4] = rand::random();
            let order = format!("card-{town_id}-{}-{}", &key[..12], hex::encode(salt));
            let now = super::now_text();
            let attempt = store::insert(tx, town_id, payer_id, &order, &key, &lines, &now)?;
            Ok((attempt, lines, false))
        })
        .await
}

/// The basket as a hash: the payer, and each obligation with what is owed on it.
pub fn basket_key(payer_id: i64, lines: &[Line]) -> String {
    let mut sorted: Vec<(i64, i64)> = lines
        .iter()
        .map(|l| (l.obligation_id, l.amount_halere))
        .collect();
    sorted.sort_unstable();
    let mut text = payer_id.to_string();
    for (id, amount) in sorted {
        text.push_str(&format!("|{id}:{amount}"));
    }
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The create request; the same attempt always gives the same request, so repeating it is
/// idempotent at the gateway.
fn create_request(town: &str, attempt: &Attempt, lines: &[Line], origin: &str) -> CreatePayment {
    let description = match lines {
        [one] => one.name.clone(),
        more => {
            let n = more.len();
            let word = if (2..=4).contains(&n) {
                "položky"
            } else {
                "položek"
            };
            format!("{town}: {n} {word}")
        }
    };
    CreatePayment {
        merchant_order_id: attempt.merchant_order_id.clone(),
        amount_halere: attempt.amount_halere,
        currency: CURRENCY_CZK.to_owned(),
        description: description.chars().take(255).collect(),
        return_url: format!("{origin}/api/payments/card/return"),
        notify_url: format!("{origin}/api/payments/card/notify"),
        items: lines
            .iter()
            .map(|l| Item {
                name: l.name.clone(),
                amount_halere: l.amount_halere,
                quantity: 1,
            })
            .collect(),
    }
}

/// This portal's address as the browser sees it, when the Host header is a plain host name.
fn origin(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let host = headers.get(axum::http::header::HOST)?.to_str().ok()?;
    let plain = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    plain.then(|| crate::identity::oidc::origin(state, headers))?
}
