//! What the gateway says about a payment, applied: the one place a card payment is credited.
//!
//! Notifications, status queries after the return, the citizen's status check and the recovery
//! poller all end here, inside one write transaction. A status older than (or as old as) the
//! one recorded is ignored, so duplicated and reordered notifications change nothing; `paid`
//! writes one `payments` row (source `card`, external id = the gateway's payment id, unique) and
//! its allocations, from the obligations as they are inside the transaction. A bank statement
//! imported meanwhile is thus seen, and the obligation ends overpaid rather than short.

use super::store::{self, Attempt};
use crate::db::DbError;
use crate::payments::credit;
use crate::payments::ledger::{self, Allocation, Note, Open};
use chrono::{DateTime, Utc};
use gateway_sim::protocol::{Notification, Payment, PaymentStatus};
use rusqlite::{Connection, params};

/// The facts of a gateway message that matter here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub payment_id: String,
    pub merchant_order_id: String,
    pub status: PaymentStatus,
    pub version: u64,
    pub amount_halere: i64,
    pub paid_at: Option<DateTime<Utc>>,
}

impl From<&Notification> for View {
    fn from(n: &Notification) -> View {
        View {
            payment_id: n.payment_id.clone(),
            merchant_order_id: n.merchant_order_id.clone(),
            status: n.status,
            version: n.version,
            amount_halere: n.amount_halere,
            paid_at: n.paid_at,
        }
    }
}

impl From<&Payment> for View {
    fn from(p: &Payment) -> View {
        View {
            payment_id: p.payment_id.clone(),
            merchant_order_id: p.merchant_order_id.clone(),
            status: p.status,
            version: p.version,
            amount_halere: p.amount_halere,
            paid_at: p.paid_at,
        }
    }
}

/// What applying did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No attempt of this town has this payment.
    Unknown,
    /// The gateway's amount is not the attempt's: nothing recorded (logged as an error).
    AmountMismatch { attempt_id: i64 },
    /// Not newer than what is recorded: nothing changed.
    Stale { attempt_id: i64, status: String },
    /// Recorded; `credited` is the new payment when this made the attempt paid.
    Applied {
        attempt_id: i64,
        status: String,
        credited: Option<i64>,
    },
}

/// The attempt's status for a gateway status. Refunds keep an attempt `paid`: the money came.
pub fn attempt_status(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Created => "created",
        PaymentStatus::Paid | PaymentStatus::PartiallyRefunded | PaymentStatus::Refunded => "paid",
        PaymentStatus::Declined => "declined",
        PaymentStatus::Cancelled => "cancelled",
        PaymentStatus::Expired => "expired",
    }
}

/// Applies `view` to the town's attempt it names. Run inside a write transaction.
pub fn apply(tx: &Connection, town_id: i64, view: &View) -> Result<Outcome, DbError> {
    let Some(attempt) = store::by_gateway(tx, town_id, &view.payment_id, &view.merchant_order_id)?
    else {
        return Ok(Outcome::Unknown);
    };
    if attempt.merchant_order_id != view.merchant_order_id {
        return Ok(Outcome::Unknown);
    }
    if view.amount_halere != attempt.amount_halere {
        return Ok(Outcome::AmountMismatch {
            attempt_id: attempt.id,
        });
    }
    let version = i64::try_from(view.version).unwrap_or(i64::MAX);
    if version <= attempt.gateway_version {
        return Ok(Outcome::Stale {
            attempt_id: attempt.id,
            status: attempt.status,
        });
    }
    // A paid attempt stays paid whatever comes later (the gateway never un-pays one).
    let status = if attempt.status == "paid" {
        "paid"
    } else {
        attempt_status(view.status)
    };
    let now = super::now_text();
    let credited = if status == "paid" && attempt.payment_id.is_none() {
        Some(credit(tx, &attempt, view, &now)?)
    } else {
        None
    };
    tx.prepare_cached(
        "UPDATE card_payments
         SET status = ?2, gateway_version = ?3, payment_id = coalesce(payment_id, ?4),
             updated_at = ?5
         WHERE id = ?1",
    )?
    .execute(params![attempt.id, status, version, credited, now])?;
    if attempt.gateway_payment_id.is_none() {
        // The notification came before the create's answer was stored.
        store::set_gateway_id(tx, attempt.id, &view.payment_id)?;
    }
    Ok(Outcome::Applied {
        attempt_id: attempt.id,
        status: status.to_owned(),
        credited,
    })
}

/// Splits a card payment over its basket: each line's amount to its own obligation (the
/// surplus, when a line was paid meanwhile, stays on it: overpaid); a cancelled obligation's
/// line goes to the rest of the basket by [`ledger::allocate`]. `opens` are the lines'
/// obligations, in the same order as `amounts`.
pub fn split(amounts: &[i64], opens: &mut [Open]) -> Allocation {
    fn add(parts: &mut Vec<(i64, i64)>, more: Vec<(i64, i64)>) {
        for (id, amount) in more {
            match parts.iter_mut().find(|(p, _)| *p == id) {
                Some(part) => part.1 += amount,
                None => parts.push((id, amount)),
            }
        }
    }
    let mut parts: Vec<(i64, i64)> = Vec::new();
    let mut notes = Vec::new();
    let mut left = 0;
    for (amount, open) in amounts.iter().zip(opens.iter_mut()) {
        if open.cancelled {
            left += amount;
            continue;
        }
        let one = ledger::allocate(*amount, None, std::slice::from_mut(open));
        notes.push(one.note);
        add(&mut parts, one.parts);
    }
    if left > 0 {
        let rest = ledger::allocate(left, None, opens);
        if rest.parts.is_empty() {
            // Every obligation of the basket was cancelled: staff pair it by hand.
            return Allocation {
                note: Note::UnknownSymbol,
                parts,
            };
        }
        notes.push(Note::Over);
        add(&mut parts, rest.parts);
    }
    let note = if notes.iter().all(|n| *n == Note::Exact) {
        Note::Exact
    } else if notes.iter().all(|n| *n == Note::AlreadyPaid) {
        Note::AlreadyPaid
    } else if notes
        .iter()
        .any(|n| matches!(n, Note::Over | Note::AlreadyPaid))
    {
        Note::Over
    } else {
        Note::Partial
    };
    Allocation { note, parts }
}

/// Writes the payment, its allocations and the obligations' new state; returns the payment id.
/// The obligations' events are the money's audit trail (as for bank statements).
fn credit(tx: &Connection, attempt: &Attempt, view: &View, now: &str) -> Result<i64, DbError> {
    let mut stmt = tx.prepare_cached(
        "SELECT i.amount_halere, o.id, o.amount_halere, o.paid_halere, o.specific_symbol,
                o.due_date, o.status
         FROM card_payment_items i JOIN obligations o ON o.id = i.obligation_id
         WHERE i.card_payment_id = ?1",
    )?;
    let mut rows: Vec<(i64, Open)> = stmt
        .query_map([attempt.id], |r| {
            Ok((
                r.get(0)?,
                Open {
                    id: r.get(1)?,
                    amount_halere: r.get(2)?,
                    paid_halere: r.get(3)?,
                    specific_symbol: r.get(4)?,
                    due_date: r.get(5)?,
                    cancelled: r.get::<_, String>(6)? == "cancelled",
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    // Oldest due first. Sorted here: an ORDER BY costs SQLite a sorter per credit.
    rows.sort_by(|(_, a), (_, b)| (&a.due_date, a.id).cmp(&(&b.due_date, b.id)));
    let amounts: Vec<i64> = rows.iter().map(|(a, _)| *a).collect();
    let mut opens: Vec<Open> = rows.into_iter().map(|(_, o)| o).collect();
    let allocation = split(&amounts, &mut opens);
    let state = if allocation.parts.is_empty() {
        "unmatched"
    } else {
        "matched"
    };
    let received_on = view
        .paid_at
        .unwrap_or_else(Utc::now)
        .date_naive()
        .to_string();
    let inserted = tx
        .prepare_cached(
            "INSERT INTO payments (town_id, source, external_id, amount_halere, received_on,
                                   message, state, match_note, created_at)
             VALUES (?1, 'card', ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (town_id, source, external_id) DO NOTHING",
        )?
        .execute(params![
            attempt.town_id,
            view.payment_id,
            attempt.amount_halere,
            received_on,
            format!("Platba kartou {}", attempt.merchant_order_id),
            state,
            allocation.note.as_str(),
            now
        ])?;
    if inserted == 0 {
        // Credited before (the attempt lost its link to it): never twice.
        return Ok(tx.query_row(
            "SELECT id FROM payments WHERE town_id = ?1 AND source = 'card' AND external_id = ?2",
            params![attempt.town_id, view.payment_id],
            |r| r.get(0),
        )?);
    }
    let payment_id = tx.last_insert_rowid();
    credit::record_allocation(
        tx,
        payment_id,
        &allocation,
        "payment",
        credit::Actor::default(),
        now,
    )?;
    for open in opens
        .iter()
        .filter(|o| allocation.parts.iter().any(|(id, _)| *id == o.id))
    {
        credit::store_paid(tx, open)?;
    }
    Ok(payment_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(id: i64, amount: i64, paid: i64) -> Open {
        Open {
            id,
            amount_halere: amount,
            paid_halere: paid,
            specific_symbol: None,
            due_date: "2026-03-31".into(),
            cancelled: false,
        }
    }

    #[test]
    fn each_line_pays_its_own_obligation() {
        let mut opens = vec![open(1, 600, 0), open(2, 900, 0)];
        let a = split(&[600, 900], &mut opens);
        assert_eq!((a.note, a.parts), (Note::Exact, vec![(1, 600), (2, 900)]));
        assert_eq!((opens[0].paid_halere, opens[1].paid_halere), (600, 900));
    }

    #[test]
    fn a_line_paid_meanwhile_ends_overpaid() {
        // The bank paid obligation 1 while the card payment was under way.
        let mut opens = vec![open(1, 600, 600), open(2, 900, 0)];
        let a = split(&[600, 900], &mut opens);
        assert_eq!((a.note, a.parts), (Note::Over, vec![(1, 600), (2, 900)]));
        assert_eq!(opens[0].paid_halere, 1200);
        assert_eq!(ledger::status(600, 1200, false), "overpaid");
        let mut paid = vec![open(1, 600, 600)];
        assert_eq!(split(&[600], &mut paid).note, Note::AlreadyPaid);
    }

    #[test]
    fn a_cancelled_line_goes_to_the_rest_and_all_cancelled_waits_for_staff() {
        let mut opens = vec![
            Open {
                cancelled: true,
                ..open(1, 600, 0)
            },
            open(2, 900, 0),
        ];
        let a = split(&[600, 900], &mut opens);
        assert_eq!((a.note, a.parts), (Note::Over, vec![(2, 1500)]));
        let mut none = vec![Open {
            cancelled: true,
            ..open(1, 600, 0)
        }];
        let a = split(&[600], &mut none);
        assert_eq!((a.note, a.parts.len()), (Note::UnknownSymbol, 0));
    }
}
