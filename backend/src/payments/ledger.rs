//! Where money goes: the pure rules that match one incoming payment to obligations and split it.
//! No SQL here, so the rules are tested on their own and the importer can apply them to a
//! hundred thousand items in memory before writing.
//!
//! Matching: the variable symbol picks the obligations (and the specific symbol too, when both
//! the payment and the obligation carry one). Open ones (unpaid, partly paid) are paid in order
//! of due date; what is left over goes to the last of them (overpaid). A payment whose symbols
//! name only obligations already paid overpays the latest of them, so it is never lost and staff
//! see it. Cancelled obligations take nothing. No symbol, an unknown one or a foreign currency:
//! the payment waits for staff (unmatched), with the reason.

/// An obligation as the matcher needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    pub id: i64,
    pub amount_halere: i64,
    pub paid_halere: i64,
    pub specific_symbol: Option<String>,
    pub due_date: String,
    pub cancelled: bool,
}

impl Open {
    fn owed(&self) -> i64 {
        (self.amount_halere - self.paid_halere).max(0)
    }
}

/// Why a payment matched as it did, or why not. Stored as `payments.match_note`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    /// Paid exactly what was owed (one or more obligations).
    Exact,
    /// Less than owed: the obligations stay partly paid.
    Partial,
    /// More than owed: the surplus sits on the last obligation (overpaid).
    Over,
    /// The obligations were already paid: the whole amount is an overpayment.
    AlreadyPaid,
    NoSymbol,
    UnknownSymbol,
    Currency,
    /// Allocated by hand by a staff member.
    Manual,
    /// Taken back by the bank (a reversal on a later statement): what it paid is owed again.
    Reversed,
}

impl Note {
    pub fn as_str(self) -> &'static str {
        match self {
            Note::Exact => "exact",
            Note::Partial => "partial",
            Note::Over => "over",
            Note::AlreadyPaid => "already_paid",
            Note::NoSymbol => "no_symbol",
            Note::UnknownSymbol => "unknown_symbol",
            Note::Currency => "currency",
            Note::Manual => "manual",
            Note::Reversed => "reversed",
        }
    }

    pub fn is_matched(self) -> bool {
        !matches!(self, Note::NoSymbol | Note::UnknownSymbol | Note::Currency)
    }
}

/// The outcome for one payment: how much goes to which obligation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub note: Note,
    pub parts: Vec<(i64, i64)>,
}

/// Splits `amount` over the obligations `candidates` (those whose variable symbol matched).
/// `candidates` are updated (their `paid_halere` grows), so a second payment in the same batch
/// sees the first.
pub fn allocate(amount: i64, specific_symbol: Option<&str>, candidates: &mut [Open]) -> Allocation {
    let mut chosen: Vec<&mut Open> = candidates
        .iter_mut()
        .filter(|o| !o.cancelled)
        .filter(|o| match (specific_symbol, o.specific_symbol.as_deref()) {
            (Some(sent), Some(wanted)) => sent == wanted,
            _ => true,
        })
        .collect();
    if chosen.is_empty() {
        return Allocation {
            note: Note::UnknownSymbol,
            parts: Vec::new(),
        };
    }
    chosen.sort_by(|a, b| a.due_date.cmp(&b.due_date).then(a.id.cmp(&b.id)));
    let owed_before: i64 = chosen.iter().map(|o| o.owed()).sum();
    let mut left = amount;
    let mut parts: Vec<(i64, i64)> = Vec::new();
    for obligation in chosen.iter_mut().filter(|o| o.owed() > 0) {
        if left == 0 {
            break;
        }
        let take = left.min(obligation.owed());
        obligation.paid_halere += take;
        parts.push((obligation.id, take));
        left -= take;
    }
    if left > 0 {
        // The surplus stays with the town, visible: on the last obligation paid (or, when all
        // were paid before, the latest one).
        let last = chosen.last_mut().expect("not empty");
        last.paid_halere += left;
        match parts.iter_mut().find(|(id, _)| *id == last.id) {
            Some(part) => part.1 += left,
            None => parts.push((last.id, left)),
        }
    }
    let note = if owed_before == 0 {
        Note::AlreadyPaid
    } else if amount == owed_before {
        Note::Exact
    } else if amount < owed_before {
        Note::Partial
    } else {
        Note::Over
    };
    Allocation { note, parts }
}

/// The status an obligation has with this much paid.
pub fn status(amount: i64, paid: i64, cancelled: bool) -> &'static str {
    if cancelled {
        "cancelled"
    } else if paid == 0 {
        "unpaid"
    } else if paid < amount {
        "partly_paid"
    } else if paid == amount {
        "paid"
    } else {
        "overpaid"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(id: i64, amount: i64, paid: i64, due: &str) -> Open {
        Open {
            id,
            amount_halere: amount,
            paid_halere: paid,
            specific_symbol: None,
            due_date: due.into(),
            cancelled: false,
        }
    }

    #[test]
    fn instalments_are_paid_in_due_order_and_the_surplus_stays_on_the_last() {
        let mut two = vec![open(2, 500, 0, "2026-09-30"), open(1, 500, 0, "2026-03-31")];
        let a = allocate(700, None, &mut two);
        assert_eq!(a.note, Note::Partial);
        assert_eq!(a.parts, vec![(1, 500), (2, 200)]);
        let b = allocate(400, None, &mut two);
        assert_eq!(b.note, Note::Over);
        assert_eq!(b.parts, vec![(2, 400)]);
        assert_eq!(two[0].paid_halere, 600, "obligation 2 is overpaid by 100");
        assert_eq!(status(500, 600, false), "overpaid");
    }

    #[test]
    fn exact_partial_already_paid_and_unknown() {
        let mut one = vec![open(1, 1000, 0, "2026-03-31")];
        assert_eq!(allocate(1000, None, &mut one).note, Note::Exact);
        let again = allocate(1000, None, &mut one);
        assert_eq!(again.note, Note::AlreadyPaid);
        assert_eq!(again.parts, vec![(1, 1000)]);
        assert_eq!(one[0].paid_halere, 2000);
        assert_eq!(allocate(5, None, &mut []).note, Note::UnknownSymbol);
    }

    #[test]
    fn specific_symbol_narrows_and_cancelled_takes_nothing() {
        let mut candidates = vec![
            Open {
                specific_symbol: Some("1".into()),
                ..open(1, 100, 0, "2026-01-01")
            },
            Open {
                specific_symbol: Some("2".into()),
                ..open(2, 100, 0, "2026-01-01")
            },
            Open {
                cancelled: true,
                ..open(3, 100, 0, "2025-01-01")
            },
        ];
        assert_eq!(
            allocate(100, Some("2"), &mut candidates).parts,
            vec![(2, 100)]
        );
        assert_eq!(
            allocate(100, Some("9"), &mut candidates).note,
            Note::UnknownSymbol
        );
        assert_eq!(allocate(100, None, &mut candidates).parts, vec![(1, 100)]);
    }

    #[test]
    fn statuses() {
        assert_eq!(status(100, 0, false), "unpaid");
        assert_eq!(status(100, 1, false), "partly_paid");
        assert_eq!(status(100, 100, false), "paid");
        assert_eq!(status(100, 0, true), "cancelled");
    }
}
