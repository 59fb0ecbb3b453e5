//! Signatures: HMAC-SHA256 with the merchant's secret over a canonical string, lower-case hex.
//!
//! Three canonical strings, each starting with its own tag so that a signature made for one
//! purpose is never valid for another:
//!
//! ```text
//! GWSIM1-REQUEST\n{merchant_id}\n{METHOD}\n{path_and_query}\n{timestamp}\n{nonce}\n{sha256_hex(body)}
//! GWSIM1-NOTIFY\n{merchant_id}\n{timestamp}\n{nonce}\n{sha256_hex(body)}
//! GWSIM1-RETURN\n{merchant_id}\n{payment_id}\n{merchant_order_id}\n{status}
//! ```

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{MAX_CLOCK_SKEW_SECS, PaymentStatus, ReturnParams, headers};

type HmacSha256 = Hmac<Sha256>;

/// Lower-case hex SHA-256 of a body (of the empty string for a request without one).
pub fn body_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// The string an API request's signature covers. `path_and_query` is the request target exactly
/// as sent (`/api/payments/pay_1`, with `?…` when there is a query); `method` is upper case.
pub fn request_canonical(
    merchant_id: &str,
    method: &str,
    path_and_query: &str,
    timestamp: i64,
    nonce: &str,
    body: &[u8],
) -> String {
    format!(
        "GWSIM1-REQUEST\n{merchant_id}\n{}\n{path_and_query}\n{timestamp}\n{nonce}\n{}",
        method.to_ascii_uppercase(),
        body_hash(body)
    )
}

/// The string a notification's signature covers. The notify URL is not part of it, so a proxy
/// that rewrites the merchant's path does not break verification; the body names the payment.
pub fn notification_canonical(
    merchant_id: &str,
    timestamp: i64,
    nonce: &str,
    body: &[u8],
) -> String {
    format!(
        "GWSIM1-NOTIFY\n{merchant_id}\n{timestamp}\n{nonce}\n{}",
        body_hash(body)
    )
}

/// The string the `signature` query parameter on the return URL covers.
pub fn return_canonical(
    merchant_id: &str,
    payment_id: &str,
    merchant_order_id: &str,
    status: PaymentStatus,
) -> String {
    format!("GWSIM1-RETURN\n{merchant_id}\n{payment_id}\n{merchant_order_id}\n{status}")
}

/// HMAC-SHA256 of `canonical` under `secret`, lower-case hex.
pub fn sign(secret: &[u8], canonical: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(canonical.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `signature_hex` is the signature of `canonical` (constant-time comparison).
pub fn verify(secret: &[u8], canonical: &str, signature_hex: &str) -> bool {
    let Ok(expected) = hex::decode(signature_hex) else {
        return false;
    };
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(canonical.as_bytes());
    mac.verify_slice(&expected).is_ok()
}

/// Why a signed message was refused. [`VerifyError::code`] is the API's `error` code.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum VerifyError {
    MissingHeader(&'static str),
    MalformedHeader {
        header: &'static str,
        problem: &'static str,
    },
    UnknownMerchant(String),
    /// A notification signed for another merchant than the receiver.
    WrongMerchant(String),
    StaleTimestamp {
        timestamp: i64,
        now: i64,
    },
    BadSignature,
    ReplayedNonce,
}

impl VerifyError {
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::MissingHeader(_) => "missing_header",
            VerifyError::MalformedHeader { .. } => "malformed_header",
            VerifyError::UnknownMerchant(_) => "unknown_merchant",
            VerifyError::WrongMerchant(_) => "wrong_merchant",
            VerifyError::StaleTimestamp { .. } => "stale_timestamp",
            VerifyError::BadSignature => "bad_signature",
            VerifyError::ReplayedNonce => "replayed_nonce",
        }
    }
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::MissingHeader(h) => write!(f, "header {h} is missing"),
            VerifyError::MalformedHeader { header, problem } => {
                write!(f, "header {header} is malformed: {problem}")
            }
            VerifyError::UnknownMerchant(id) => write!(f, "merchant {id:?} is not known"),
            VerifyError::WrongMerchant(id) => {
                write!(f, "signed for merchant {id:?}, not for this one")
            }
            VerifyError::StaleTimestamp { timestamp, now } => write!(
                f,
                "X-Timestamp {timestamp} is {} s away from the receiver's clock ({now}); \
                 at most {MAX_CLOCK_SKEW_SECS} s allowed",
                (now - timestamp).abs()
            ),
            VerifyError::BadSignature => f.write_str(
                "X-Signature does not match: sign the canonical string (see PROTOCOL.md) \
                 with the merchant's secret, HMAC-SHA256, lower-case hex",
            ),
            VerifyError::ReplayedNonce => f.write_str("X-Nonce was already used"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// The four signature headers of a request or a notification.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SignatureHeaders {
    pub merchant_id: String,
    /// Unix time in seconds.
    pub timestamp: i64,
    /// 16–128 characters of `A-Z a-z 0-9 - _`, never reused within the timestamp window.
    pub nonce: String,
    pub signature: String,
}

impl SignatureHeaders {
    /// Reads the headers through `get` (a header name in lower case → its value), so any HTTP
    /// library's header map fits.
    pub fn from_lookup<'a>(
        get: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<SignatureHeaders, VerifyError> {
        let need = |name: &'static str, shown: &'static str| {
            get(name)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .ok_or(VerifyError::MissingHeader(shown))
        };
        let merchant_id = need(headers::MERCHANT_ID, "X-Merchant-Id")?;
        let timestamp = need(headers::TIMESTAMP, "X-Timestamp")?;
        let nonce = need(headers::NONCE, "X-Nonce")?;
        let signature = need(headers::SIGNATURE, "X-Signature")?;
        let timestamp = timestamp
            .parse::<i64>()
            .map_err(|_| VerifyError::MalformedHeader {
                header: "X-Timestamp",
                problem: "not a whole number of seconds since 1970",
            })?;
        if !nonce_is_valid(nonce) {
            return Err(VerifyError::MalformedHeader {
                header: "X-Nonce",
                problem: "16 to 128 characters of A-Z a-z 0-9 - _ expected",
            });
        }
        if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(VerifyError::MalformedHeader {
                header: "X-Signature",
                problem: "64 hex digits expected",
            });
        }
        Ok(SignatureHeaders {
            merchant_id: merchant_id.to_owned(),
            timestamp,
            nonce: nonce.to_owned(),
            signature: signature.to_ascii_lowercase(),
        })
    }

    /// (header name, value) pairs to put on the HTTP message.
    pub fn pairs(&self) -> [(&'static str, String); 4] {
        [
            (headers::MERCHANT_ID, self.merchant_id.clone()),
            (headers::TIMESTAMP, self.timestamp.to_string()),
            (headers::NONCE, self.nonce.clone()),
            (headers::SIGNATURE, self.signature.clone()),
        ]
    }

    fn check_time(&self, now: i64) -> Result<(), VerifyError> {
        if (now - self.timestamp).abs() > MAX_CLOCK_SKEW_SECS {
            return Err(VerifyError::StaleTimestamp {
                timestamp: self.timestamp,
                now,
            });
        }
        Ok(())
    }
}

pub fn nonce_is_valid(nonce: &str) -> bool {
    (16..=128).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Signs an API request (the merchant's side).
pub fn sign_request(
    merchant_id: &str,
    secret: &[u8],
    method: &str,
    path_and_query: &str,
    body: &[u8],
    timestamp: i64,
    nonce: &str,
) -> SignatureHeaders {
    let canonical = request_canonical(merchant_id, method, path_and_query, timestamp, nonce, body);
    SignatureHeaders {
        merchant_id: merchant_id.to_owned(),
        timestamp,
        nonce: nonce.to_owned(),
        signature: sign(secret, &canonical),
    }
}

/// Checks an API request's timestamp and signature (the gateway's side). The caller looks up the
/// secret by `headers.merchant_id` first and refuses a nonce it has seen within the window after.
pub fn verify_request(
    headers: &SignatureHeaders,
    secret: &[u8],
    method: &str,
    path_and_query: &str,
    body: &[u8],
    now: i64,
) -> Result<(), VerifyError> {
    headers.check_time(now)?;
    let canonical = request_canonical(
        &headers.merchant_id,
        method,
        path_and_query,
        headers.timestamp,
        &headers.nonce,
        body,
    );
    if !verify(secret, &canonical, &headers.signature) {
        return Err(VerifyError::BadSignature);
    }
    Ok(())
}

/// Signs a notification body (the gateway's side).
pub fn sign_notification(
    merchant_id: &str,
    secret: &[u8],
    body: &[u8],
    timestamp: i64,
    nonce: &str,
) -> SignatureHeaders {
    let canonical = notification_canonical(merchant_id, timestamp, nonce, body);
    SignatureHeaders {
        merchant_id: merchant_id.to_owned(),
        timestamp,
        nonce: nonce.to_owned(),
        signature: sign(secret, &canonical),
    }
}

/// Checks a notification (the merchant's side): it is for `merchant_id`, fresh, and signed with
/// `secret`. Parse the body only after this succeeds.
pub fn verify_notification(
    headers: &SignatureHeaders,
    merchant_id: &str,
    secret: &[u8],
    body: &[u8],
    now: i64,
) -> Result<(), VerifyError> {
    if headers.merchant_id != merchant_id {
        return Err(VerifyError::WrongMerchant(headers.merchant_id.clone()));
    }
    headers.check_time(now)?;
    let canonical = notification_canonical(merchant_id, headers.timestamp, &headers.nonce, body);
    if !verify(secret, &canonical, &headers.signature) {
        return Err(VerifyError::BadSignature);
    }
    Ok(())
}

/// The `signature` query parameter of a return URL (the gateway's side).
pub fn sign_return(
    merchant_id: &str,
    secret: &[u8],
    payment_id: &str,
    merchant_order_id: &str,
    status: PaymentStatus,
) -> String {
    sign(
        secret,
        &return_canonical(merchant_id, payment_id, merchant_order_id, status),
    )
}

/// Checks the parameters the payer's browser brought back (the merchant's side). A valid
/// signature says the gateway sent the payer back with this status; credit only on the signed
/// notification or a status query, since a return link can be opened again later.
pub fn verify_return(merchant_id: &str, secret: &[u8], params: &ReturnParams) -> bool {
    verify(
        secret,
        &return_canonical(
            merchant_id,
            &params.payment_id,
            &params.merchant_order_id,
            params.status,
        ),
        &params.signature,
    )
}
