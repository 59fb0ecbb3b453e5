//! Obligations and payments as the API shows them. Amounts are integers in haléř.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What a citizen owes (or owed) the town.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Obligation {
    pub id: i64,
    /// e.g. `waste_fee`, `dog_fee`.
    pub item: String,
    pub description: String,
    pub period: Option<String>,
    pub amount_halere: i64,
    pub paid_halere: i64,
    pub due_date: NaiveDate,
    pub variable_symbol: String,
    pub specific_symbol: Option<String>,
    pub constant_symbol: Option<String>,
    /// unpaid, partly_paid, paid, overpaid or cancelled.
    pub status: String,
}

/// The citizen's obligations with what is still owed in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ObligationList {
    pub obligations: Vec<Obligation>,
    pub owed_halere: i64,
    /// Paid beyond what was owed (to be refunded or set off by the office).
    pub overpaid_halere: i64,
}

/// One payment's share in an obligation, and how it was matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PaymentShare {
    pub payment_id: i64,
    /// bank, card or manual.
    pub source: String,
    pub received_on: NaiveDate,
    /// This obligation's part of the payment.
    pub amount_halere: i64,
    /// The whole payment.
    pub payment_halere: i64,
    /// exact, partial, over, already_paid or manual.
    pub matched_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ObligationEvent {
    pub at: DateTime<Utc>,
    /// payment, manual_payment, cancelled…
    pub event: String,
    pub amount_halere: Option<i64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ObligationDetail {
    pub obligation: Obligation,
    pub payments: Vec<PaymentShare>,
    pub history: Vec<ObligationEvent>,
    /// The QR Platba (SPAYD) text for what is still owed; `None` when nothing is.
    pub spayd: Option<String>,
}

/// What importing a bank statement did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatementImportReport {
    pub format: String,
    pub items: u64,
    pub credited: u64,
    pub unmatched: u64,
    pub duplicates: u64,
    pub skipped: u64,
    /// Credits the bank took back (reversal items) that took back a payment.
    #[serde(default)]
    pub reversed: u64,
    /// Reversal items with no payment found to take back: for staff to check.
    #[serde(default)]
    pub reversals_unpaired: u64,
    pub already_imported: bool,
}

/// A payment that matched no obligation, waiting for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UnmatchedPayment {
    pub id: i64,
    pub source: String,
    pub amount_halere: i64,
    pub received_on: NaiveDate,
    pub variable_symbol: Option<String>,
    pub specific_symbol: Option<String>,
    pub counter_account: Option<String>,
    pub counter_name: Option<String>,
    pub message: Option<String>,
    /// no_symbol, unknown_symbol or currency.
    pub reason: String,
}

/// A payment staff enter by hand (cash at the counter, a transfer the bank file missed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ManualPayment {
    pub obligation_id: i64,
    pub amount_halere: i64,
    pub received_on: NaiveDate,
    /// Why it is entered by hand; kept in the obligation's history and the audit log.
    pub reason: String,
    /// Sent again with a retried request, it records the payment once.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

/// Pairs a payment from the unmatched queue with an obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignPayment {
    pub obligation_id: i64,
    pub reason: String,
}

/// A credit the bank took back (a reversal on a statement) that the import could not pair with
/// the payment it reverses, waiting for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UnpairedReversal {
    pub id: i64,
    pub received_on: NaiveDate,
    pub amount_halere: i64,
    pub variable_symbol: Option<String>,
    pub counter_account: Option<String>,
    /// Bank payments it may reverse: the same amount, received before it, not taken back yet
    /// (the latest first, at most 20).
    pub candidates: Vec<ReversalCandidate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReversalCandidate {
    pub payment_id: i64,
    pub received_on: NaiveDate,
    pub variable_symbol: Option<String>,
    pub counter_account: Option<String>,
    pub counter_name: Option<String>,
}

/// Pairs an unpaired reversal with the payment it takes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PairReversal {
    pub payment_id: i64,
    pub reason: String,
}

/// An obligation past its due date and not fully paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Arrear {
    pub obligation_id: i64,
    pub payer_account: i64,
    pub payer_name: String,
    pub description: String,
    pub due_date: NaiveDate,
    pub owed_halere: i64,
    pub variable_symbol: String,
}

/// A household in the register, as the office sees it on a payer's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PayerHousehold {
    pub id: i64,
    pub address: String,
    pub members: Vec<PayerHouseholdMember>,
}

/// A member of a household; `valid_to` is set once they moved out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PayerHouseholdMember {
    /// For `POST /api/staff/payments/registers/members/{id}/end`.
    #[serde(default)]
    pub id: i64,
    pub name: String,
    pub date_of_birth: NaiveDate,
    /// adult, child, pensioner or exempt when set by hand; `None`: by age.
    pub rate_class: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// A dog in the register of the payer's town.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PayerDog {
    pub id: i64,
    pub name: String,
    pub registered_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub exempt: bool,
}

/// A payment credited (wholly or in part) to one of the payer's obligations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PayerPayment {
    pub payment_id: i64,
    pub obligation_id: i64,
    /// bank, card or manual.
    pub source: String,
    pub received_on: NaiveDate,
    /// The part credited to this obligation.
    pub amount_halere: i64,
    /// exact, partial, over, already_paid or manual.
    pub matched_by: String,
}

/// Everything the office holds about one payer in its town, found by portal account number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PayerOverview {
    pub account: i64,
    pub name: String,
    pub obligations: Vec<Obligation>,
    pub owed_halere: i64,
    pub payments: Vec<PayerPayment>,
    pub households: Vec<PayerHousehold>,
    pub dogs: Vec<PayerDog>,
    /// The payer's paid card payments, newest first, for refunds.
    #[serde(default)]
    pub card_payments: Vec<PayerCardPayment>,
}

/// A paid card payment: what can still be returned with
/// `POST /api/staff/payments/card/{id}/refund`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PayerCardPayment {
    pub id: i64,
    pub paid_on: NaiveDate,
    pub amount_halere: i64,
    pub refunded_halere: i64,
}

/// An obligation found by its variable symbol, with whose it is, for pairing a payment by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ObligationBySymbol {
    pub obligation_id: i64,
    pub payer_account: i64,
    pub payer_name: String,
    pub description: String,
    pub period: Option<String>,
    pub amount_halere: i64,
    pub paid_halere: i64,
    pub due_date: NaiveDate,
    pub status: String,
}

/// `POST /api/payments/card` body: the obligations to pay, each the citizen's own and still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CardPaymentRequest {
    /// 1 to 50 obligation ids; repeats count once.
    pub obligation_ids: Vec<i64>,
}

/// One obligation of a card payment attempt and what the attempt pays on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CardPaymentItem {
    pub obligation_id: i64,
    pub amount_halere: i64,
}

/// A card payment attempt as the citizen sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CardPayment {
    pub id: i64,
    /// created (waiting for the payer or the gateway), paid, declined, cancelled or expired.
    pub status: String,
    pub amount_halere: i64,
    pub items: Vec<CardPaymentItem>,
    /// The gateway's payment page; only while the attempt is `created`.
    pub redirect_url: Option<String>,
    /// The payment credited (see the obligations' `payments`), once `paid`.
    pub payment_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

/// A fee type as the town's ordinance sets it (configuration, shown to officials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeeType {
    pub code: String,
    pub name: String,
    /// `per_person` or `per_dog`.
    pub kind: String,
    /// Yearly rate in haléř per class (`adult`, `child`, `pensioner`; `first`, `further`,
    /// `pensioner_first`, `pensioner_further`).
    pub rates: std::collections::BTreeMap<String, i64>,
    pub instalments: Vec<FeeInstalment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeeInstalment {
    /// `MM-DD`.
    pub due: String,
    pub share_percent: u32,
}

/// Body of `POST /api/staff/payments/registers/households`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewHousehold {
    /// The payer's portal account number (on their profile page).
    pub payer_account: i64,
    pub address: String,
}

/// Body of `POST /api/staff/payments/registers/households/{id}/members`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewHouseholdMember {
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// `adult`, `child`, `pensioner` or `exempt`; absent: by age on 1 January.
    #[serde(default)]
    pub rate_class: Option<String>,
    /// `YYYY-MM-DD`: registered from this day.
    pub valid_from: String,
}

/// Body of `POST /api/staff/payments/registers/dogs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewDog {
    pub owner_account: i64,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub registered_on: String,
    /// Guide and assistance dogs: charged nothing, not counted.
    #[serde(default)]
    pub exempt: bool,
}

/// Body of `POST …/members/{id}/end` and `POST …/dogs/{id}/end`: the last registered day
/// (moved out, died, the dog is gone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EndRegistration {
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// The id of what a register request created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Created {
    pub id: i64,
}

/// Body of `POST /api/payments/baskets`: several of the citizen's open obligations to pay with
/// one bank transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewBasket {
    /// 2 to 50 obligation ids; repeats count once.
    pub obligation_ids: Vec<i64>,
}

/// A basket and its QR Platba: one transfer with `variable_symbol` pays all its obligations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Basket {
    pub id: i64,
    pub variable_symbol: String,
    /// What the obligations still owed when the basket was made.
    pub amount_halere: i64,
    pub obligation_ids: Vec<i64>,
    pub spayd: String,
}

/// Body of `POST /api/staff/payments/card/{id}/refund`: return money from a card payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRefund {
    pub amount_halere: i64,
    /// Why (kept in the obligations' history and the audit log).
    pub reason: String,
    /// 8–40 characters `A-Z a-z 0-9 _ -`, new for each refund the official means: a repeated
    /// request with the same key is the same refund.
    pub idempotency_key: String,
}

/// A refund done: how much this one returned and how much of the card payment is returned now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RefundDone {
    pub refund_id: String,
    pub amount_halere: i64,
    pub refunded_total_halere: i64,
}
