//! Credits the bank took back (a statement's credit reversal items). A reversal takes back the
//! bank payment it reverses: the one with the same amount and variable symbol, received on or
//! before it and not taken back yet, from the same counter account when both name one (the
//! latest such payment). The obligations that payment paid owe it again, and their history
//! says so. A reversal with no such payment is kept and counted, for staff to check against
//! the bank; it is never applied to a guess.
//!
//! Reversals are rare (a bank's correction), so each costs a few queries of its own; the
//! payments are found through the obligations of the symbol (indexed) or the unmatched queue,
//! not by scanning every payment.

use super::obligations::{Obligations, same_symbol};
use crate::db::DbError;
use crate::payments::reversals;
use payment_formats::StatementItem;
use rusqlite::{Connection, params};

/// What a reversal item did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reversal {
    /// A payment was taken back.
    Applied,
    /// No payment to take back was found.
    Unpaired,
    /// The same reversal was imported before.
    Duplicate,
}

/// Where a reversal is written, and the import it belongs to.
pub(super) struct Import<'c> {
    pub(super) tx: &'c Connection,
    pub(super) town_id: i64,
    pub(super) import_id: i64,
    pub(super) now: &'c str,
}

/// Applies reversal `item` (dated `received`), with the town's `obligations` in memory: the
/// ones it makes owe again are marked to be stored. The payments' allocations must be written
/// before (those of this import included).
pub(super) fn apply(
    at: &Import<'_>,
    item: &StatementItem,
    received: &str,
    obligations: &mut Obligations,
) -> Result<Reversal, DbError> {
    // The item's amount is its effect on the balance: negative.
    let amount = item.amount_halere.abs();
    let inserted = at
        .tx
        .prepare_cached(
            "INSERT INTO payment_reversals (town_id, external_id, amount_halere, received_on,
                                            variable_symbol, counter_account, import_id,
                                            created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (town_id, external_id) DO NOTHING",
        )?
        .execute(params![
            at.town_id,
            item.id,
            amount,
            received,
            item.vs,
            item.counter_account,
            at.import_id,
            at.now
        ])?;
    if inserted == 0 {
        return Ok(Reversal::Duplicate);
    }
    let reversal_id = at.tx.last_insert_rowid();
    let Some(payment) = reversed_payment(at, item, amount, received, obligations)? else {
        return Ok(Reversal::Unpaired);
    };
    let shares = reversals::take_back(
        at.tx,
        reversal_id,
        payment,
        crate::payments::credit::Actor::default(),
        at.now,
    )?;
    for (obligation, amount) in shares {
        if let Some(position) = obligations.list.iter().position(|o| o.id == obligation) {
            let open = &mut obligations.list[position];
            open.paid_halere = (open.paid_halere - amount).max(0);
            obligations.touched[position] = true;
        }
    }
    Ok(Reversal::Applied)
}

/// The payment `item` takes back, if there is one.
fn reversed_payment(
    at: &Import<'_>,
    item: &StatementItem,
    amount: i64,
    received: &str,
    obligations: &Obligations,
) -> rusqlite::Result<Option<i64>> {
    // (id, received_on, counter_account): a matched payment of one of the symbol's
    // obligations (or its basket's), or one waiting in the unmatched queue with the same
    // symbol. A payment staff assigned by hand to another symbol's obligation is not found:
    // its reversal is reported unpaired, for staff.
    let mut candidates: Vec<(i64, String, Option<String>)> = Vec::new();
    if let Some(vs) = item.vs.as_deref() {
        let mut paid = at.tx.prepare_cached(
            "SELECT p.id, p.received_on, p.counter_account
             FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
             WHERE a.obligation_id = ?1 AND p.town_id = ?2 AND p.source = 'bank'
               AND p.amount_halere = ?3 AND p.match_note <> 'reversed' AND p.received_on <= ?4",
        )?;
        for position in obligations.paid_by_symbol(vs) {
            let id = obligations.list[position].id;
            let rows = paid.query_map(params![id, at.town_id, amount, received], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            candidates.extend(rows.collect::<Result<Vec<_>, _>>()?);
        }
    }
    let mut waiting = at.tx.prepare_cached(
        "SELECT id, received_on, counter_account, variable_symbol FROM payments
         WHERE town_id = ?1 AND state = 'unmatched' AND source = 'bank' AND amount_halere = ?2
           AND match_note <> 'reversed' AND received_on <= ?3",
    )?;
    let rows = waiting.query_map(params![at.town_id, amount, received], |r| {
        let candidate: (i64, String, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?);
        Ok((candidate, r.get::<_, Option<String>>(3)?))
    })?;
    for row in rows {
        let (candidate, symbol) = row?;
        let same = match (item.vs.as_deref(), symbol.as_deref()) {
            (Some(a), Some(b)) => same_symbol(a, b),
            // Without a symbol only the counter account can tell: it must be there.
            (None, None) => item.counter_account.is_some() && candidate.2.is_some(),
            _ => false,
        };
        if same {
            candidates.push(candidate);
        }
    }
    let from_payer = |account: &Option<String>| match (&item.counter_account, account) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    Ok(candidates
        .into_iter()
        .filter(|(_, _, account)| from_payer(account))
        .max_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)))
        .map(|(id, _, _)| id))
}
