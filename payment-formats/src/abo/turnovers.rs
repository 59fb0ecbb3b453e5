//! The completeness check of a statement: its header's turnovers against its items.

use crate::statement::{Issues, ItemKind};

/// The debit and credit turnovers of a `074` header (absolute values: banks disagree on their
/// signs) and the header's line.
pub(super) struct Turnovers {
    pub line: usize,
    pub debit: i64,
    pub credit: i64,
    /// The statement's items so far, absolute amounts summed per kind (see [`Self::add`]).
    pub sums: [i64; 4],
}

impl Turnovers {
    fn slot(kind: ItemKind) -> usize {
        match kind {
            ItemKind::Credit => 0,
            ItemKind::Debit => 1,
            ItemKind::CreditReversal => 2,
            ItemKind::DebitReversal => 3,
        }
    }

    /// Counts one item of the statement (the items need not be kept for [`Self::check`]).
    pub(super) fn add(&mut self, kind: ItemKind, amount_halere: i64) {
        let sum = &mut self.sums[Self::slot(kind)];
        *sum = sum.saturating_add(amount_halere.abs());
    }

    /// A file cut off at a line break parses cleanly but lacks items: the header's turnovers
    /// tell. Banks count reversals differently, so a turnover may be the side's items alone,
    /// net of their reversals, or with the other side's reversals (money in / money out); any
    /// of the three is accepted. Headers with both turnovers zero (some exports leave them
    /// empty) are not checked.
    pub(super) fn check(&self, issues: &mut Issues) {
        if self.debit == 0 && self.credit == 0 {
            return;
        }
        let sum = |kind: ItemKind| -> i64 { self.sums[Self::slot(kind)] };
        let (credits, credit_reversals) = (sum(ItemKind::Credit), sum(ItemKind::CreditReversal));
        let (debits, debit_reversals) = (sum(ItemKind::Debit), sum(ItemKind::DebitReversal));
        let checks = [
            (
                "credit",
                "columns 91-104",
                self.credit,
                credits,
                credit_reversals,
                debit_reversals,
            ),
            (
                "debit",
                "columns 76-89",
                self.debit,
                debits,
                debit_reversals,
                credit_reversals,
            ),
        ];
        for (side, columns, header, items, own_reversals, other_reversals) in checks {
            let accepted = [
                items,
                (items - own_reversals).abs(),
                items + other_reversals,
            ];
            if !accepted.contains(&header) {
                issues.push(
                    crate::Location::Line(self.line),
                    format!("{side} turnover ({columns})"),
                    format!(
                        "the statement's {side} items add up to {items} haléř, the header says \
                         {header}: is the file complete?"
                    ),
                );
            }
        }
    }
}
