//! The gateway protocol: wire types (this file) and signatures ([`sign`]). Both the simulator and
//! the portal's gateway adapter use this module, so the protocol has one definition.
//! `PROTOCOL.md` beside `Cargo.toml` describes it for people.

pub mod sign;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use sign::{
    SignatureHeaders, VerifyError, body_hash, notification_canonical, request_canonical,
    return_canonical, sign, verify,
};

/// Header names (HTTP header names are case-insensitive; these are the lower-case spellings).
pub mod headers {
    pub const MERCHANT_ID: &str = "x-merchant-id";
    pub const TIMESTAMP: &str = "x-timestamp";
    pub const NONCE: &str = "x-nonce";
    pub const SIGNATURE: &str = "x-signature";
}

/// A signed message's timestamp may differ from the receiver's clock by this much at most.
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;

/// The only currency the gateway takes.
pub const CURRENCY_CZK: &str = "CZK";

/// Where a payment is in its life. `created` is the only state the payer can act on; a paid
/// payment can later become `partially_refunded` and `refunded`.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Created,
    Paid,
    Declined,
    Cancelled,
    Expired,
    Refunded,
    PartiallyRefunded,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 7] = [
        PaymentStatus::Created,
        PaymentStatus::Paid,
        PaymentStatus::Declined,
        PaymentStatus::Cancelled,
        PaymentStatus::Expired,
        PaymentStatus::Refunded,
        PaymentStatus::PartiallyRefunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Created => "created",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Declined => "declined",
            PaymentStatus::Cancelled => "cancelled",
            PaymentStatus::Expired => "expired",
            PaymentStatus::Refunded => "refunded",
            PaymentStatus::PartiallyRefunded => "partially_refunded",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentStatus> {
        PaymentStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The money reached the merchant (refunds may have sent part or all of it back).
    pub fn was_paid(self) -> bool {
        matches!(
            self,
            PaymentStatus::Paid | PaymentStatus::PartiallyRefunded | PaymentStatus::Refunded
        )
    }
}

impl std::fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `POST /api/payments` body. `merchant_order_id` is the idempotency key: the same id with the
/// same content returns the existing payment, with different content it is refused (409).
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreatePayment {
    pub merchant_order_id: String,
    /// Whole haléř (1 CZK = 100 haléř); a JSON number with a fraction is refused.
    #[serde(deserialize_with = "whole_halere")]
    pub amount_halere: i64,
    pub currency: String,
    pub description: String,
    pub return_url: String,
    pub notify_url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
}

/// One line of a payment; when items are given, their `amount_halere` add up to the payment's.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub name: String,
    /// The line's total, not the unit price.
    #[serde(deserialize_with = "whole_halere")]
    pub amount_halere: i64,
    #[serde(default = "one")]
    pub quantity: u32,
}

fn one() -> u32 {
    1
}

/// A payment as the API returns it (create, status query, refund).
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Payment {
    pub payment_id: String,
    pub merchant_order_id: String,
    pub status: PaymentStatus,
    /// Grows by one with every status change; notifications carry it so that a receiver can
    /// ignore one older than what it already knows.
    pub version: u64,
    pub amount_halere: i64,
    pub currency: String,
    pub description: String,
    pub refunded_halere: i64,
    /// Where the merchant sends the payer's browser.
    pub redirect_url: String,
    pub created_at: DateTime<Utc>,
    /// A `created` payment turns `expired` at this time.
    pub expires_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub refunds: Vec<Refund>,
}

/// `POST /api/payments/{id}/refunds` body; `refund_id` is the idempotency key.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateRefund {
    pub refund_id: String,
    #[serde(deserialize_with = "whole_halere")]
    pub amount_halere: i64,
}

#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Refund {
    pub refund_id: String,
    pub amount_halere: i64,
    pub created_at: DateTime<Utc>,
}

/// The answer to a refund: the refund and the payment after it.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct RefundResponse {
    pub refund: Refund,
    pub payment: Payment,
}

/// The server-to-server notification's JSON body. Delivery is at least once and may come out of
/// order: `event_id` is the same for every delivery of one status change, `version` orders them.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Notification {
    pub event_id: String,
    pub payment_id: String,
    pub merchant_order_id: String,
    pub status: PaymentStatus,
    pub version: u64,
    pub amount_halere: i64,
    pub refunded_halere: i64,
    pub paid_at: Option<DateTime<Utc>>,
    pub changed_at: DateTime<Utc>,
}

impl Notification {
    /// The event id of a payment's `version`: stable across retries and duplicates.
    pub fn event_id_for(payment_id: &str, version: u64) -> String {
        format!("{payment_id}.v{version}")
    }
}

/// The query parameters added to `return_url` when the payer comes back.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct ReturnParams {
    pub payment_id: String,
    pub merchant_order_id: String,
    pub status: PaymentStatus,
    pub signature: String,
}

/// Every error answer: a stable machine `error` code and a message for people.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
}

/// Reads an `amount_halere`: a JSON integer; the error names the field (serde's own does not).
fn whole_halere<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    struct Halere;
    impl serde::de::Visitor<'_> for Halere {
        type Value = i64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("amount_halere as a whole number of haléř")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::custom("amount_halere: too large"))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
            Err(E::custom(format!(
                "amount_halere: whole haléř expected, not {v} (1 CZK = 100 haléř)"
            )))
        }
    }
    d.deserialize_any(Halere)
}
