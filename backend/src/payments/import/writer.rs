//! Writing an import: per credit its payment and allocations (its history events), and at the end
//! the obligations that changed, once each.
//!
//! Payments are written one row per statement execution, with the statement prepared once per
//! import. Several payments per statement (tried up to 2026-11) cost more: SQLite keeps a
//! statement journal for a statement writing several rows that may fail halfway, that is a
//! copy of each page the statement changes, and the payments' unique index is keyed by a hash,
//! so 64 rows change ~64 pages: past 64 KiB the journal goes to a temporary file (3.5 page
//! writes per credit, seen with strace). Nor could such a statement tell which of its payments
//! were imported before. `RETURNING` and `UPDATE … FROM (VALUES …)` add a temporary table per
//! execution. The small rows that follow a payment are written in batches (`shares`).

use super::obligations::Obligations;
use super::reversals::{self, Reversal};
use super::shares::Shares;
use super::{ImportError, ImportReport, Phase, iso_date};
use crate::payments::ledger::{self, Note};
use payment_formats::{ItemKind, StatementItem};
use rusqlite::{Connection, OptionalExtension, Statement, params};

/// Writes a credit's payment, or nothing when the same bank movement was imported before (from
/// any file, this one too): one search of the unique index instead of a look-up and then the
/// insert's own. One row per statement: see the module documentation.
fn prepare_payment(tx: &Connection) -> rusqlite::Result<Statement<'_>> {
    tx.prepare(
        "INSERT INTO payments (id, town_id, source, external_id, amount_halere, received_on,
                               variable_symbol, specific_symbol, constant_symbol,
                               counter_account, counter_name, message, import_id, state,
                               match_note, created_at)
         VALUES (?1, ?2, 'bank', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (town_id, source, external_id) DO NOTHING",
    )
}

/// The day an item was booked (or its value date), as ISO text in `day`; today without either.
fn received_on<'b>(item: &StatementItem, now: &'b str, day: &'b mut [u8; 10]) -> &'b str {
    match item.booked_on.or(item.value_on) {
        Some(date) => iso_date(date, day),
        None => &now[..10],
    }
}

/// The import of one file into one town: its obligations in memory, the statements that write.
pub(super) struct Importer<'c> {
    pub(super) town_id: i64,
    import_id: i64,
    now: &'c str,
    obligations: Obligations,
    /// The id of the next payment. Given here as SQLite would give it (one more than the
    /// largest: the table has no AUTOINCREMENT, and nobody else writes in this transaction),
    /// so the allocations know it without `RETURNING` or `last_insert_rowid`.
    next_id: i64,
    /// Where in `obligations.list` the last credit's allocation went (to take it back).
    reached: Vec<usize>,
    payment: Statement<'c>,
    shares: Shares<'c>,
    tx: &'c Connection,
}

impl<'c> Importer<'c> {
    /// Records the import (or finds the same file imported before) and reads the town's
    /// obligations.
    pub(super) fn begin(
        tx: &'c Connection,
        town_id: i64,
        hash: &str,
        format: &str,
        actor: Option<i64>,
        now: &'c str,
    ) -> Result<Phase<'c>, ImportError> {
        let seen: Option<i64> = tx
            .query_row(
                "SELECT id FROM statement_imports WHERE town_id = ?1 AND file_sha256 = ?2",
                params![town_id, hash],
                |r| r.get(0),
            )
            .optional()?;
        if seen.is_some() {
            return Ok(Phase::Ignoring {
                already_imported: true,
            });
        }
        tx.execute(
            "INSERT INTO statement_imports (town_id, file_sha256, format, items, credited,
                                            unmatched, duplicates, skipped, imported_at,
                                            imported_by)
             VALUES (?1, ?2, ?3, 0, 0, 0, 0, 0, ?4, ?5)",
            params![town_id, hash, format, now, actor],
        )?;
        let import_id = tx.last_insert_rowid();
        let obligations = Obligations::load(tx, town_id)?;
        let last: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) FROM payments", [], |r| {
            r.get(0)
        })?;
        Ok(Phase::Importing(Box::new(Importer {
            town_id,
            import_id,
            now,
            obligations,
            next_id: last + 1,
            reached: Vec::new(),
            payment: prepare_payment(tx)?,
            shares: Shares::new(tx, now)?,
            tx,
        })))
    }

    /// Matches one item and writes it.
    pub(super) fn item(
        &mut self,
        item: StatementItem,
        report: &mut ImportReport,
    ) -> Result<(), ImportError> {
        if item.kind == ItemKind::CreditReversal {
            return self.reversal(&item, report);
        }
        if !item.is_incoming_payment() {
            report.skipped += 1;
            return Ok(());
        }
        // Matched first (in memory), so the payment row is written with its state at once;
        // taken back below if the movement turns out to be imported before.
        let allocation = self.allocate(&item);
        let payment = self.next_id;
        let mut day = [0u8; 10];
        let received = received_on(&item, self.now, &mut day);
        let note = allocation.note.as_str();
        let state = if allocation.note.is_matched() {
            "matched"
        } else {
            "unmatched"
        };
        let written = self.payment.execute(params![
            payment,
            self.town_id,
            item.id,
            item.amount_halere,
            received,
            item.vs,
            item.ss,
            item.ks,
            item.counter_account,
            item.counter_name,
            item.message,
            self.import_id,
            state,
            note,
            self.now,
        ])?;
        if written == 0 {
            // The same movement imported before (this file's earlier items too): counted, not
            // credited again.
            self.take_back(&allocation);
            report.duplicates += 1;
            return Ok(());
        }
        self.next_id += 1;
        if allocation.note.is_matched() {
            report.credited += 1;
        } else {
            report.unmatched += 1;
        }
        for &(obligation, amount) in &allocation.parts {
            self.shares.add(payment, obligation, amount)?;
        }
        Ok(())
    }

    /// Takes back the payment a credit reversal reverses (see `reversals`).
    fn reversal(
        &mut self,
        item: &StatementItem,
        report: &mut ImportReport,
    ) -> Result<(), ImportError> {
        // The payment may be one of this file's, its allocations still waiting in `shares`.
        self.shares.flush()?;
        let mut day = [0u8; 10];
        let received = received_on(item, self.now, &mut day);
        let at = reversals::Import {
            tx: self.tx,
            town_id: self.town_id,
            import_id: self.import_id,
            now: self.now,
        };
        match reversals::apply(&at, item, received, &mut self.obligations)? {
            Reversal::Applied => report.reversed += 1,
            Reversal::Unpaired => report.reversals_unpaired += 1,
            Reversal::Duplicate => report.duplicates += 1,
        }
        Ok(())
    }

    /// How a credit is matched; the obligations it pays are marked to be stored.
    fn allocate(&mut self, item: &StatementItem) -> ledger::Allocation {
        let unmatched = |note| ledger::Allocation {
            note,
            parts: Vec::new(),
        };
        if item.currency != "CZK" {
            return unmatched(Note::Currency);
        }
        let Some(vs) = &item.vs else {
            return unmatched(Note::NoSymbol);
        };
        let Some(run) = self.obligations.with_symbol(vs) else {
            return self
                .obligations
                .allocate_to_basket(vs, item.amount_halere, &mut self.reached)
                .unwrap_or_else(|| unmatched(Note::UnknownSymbol));
        };
        let allocation = ledger::allocate(
            item.amount_halere,
            item.ss.as_deref(),
            &mut self.obligations.list[run.clone()],
        );
        self.reached.clear();
        for (id, _) in &allocation.parts {
            let list = &self.obligations.list[run.clone()];
            if let Some(offset) = list.iter().position(|o| o.id == *id) {
                self.obligations.touched[run.start + offset] = true;
                self.reached.push(run.start + offset);
            }
        }
        allocation
    }

    /// Undoes [`Self::allocate`] in memory for a credit that was not written. The obligations
    /// stay marked: storing an unchanged amount again is harmless, and duplicates are rare.
    fn take_back(&mut self, allocation: &ledger::Allocation) {
        for &(id, amount) in &allocation.parts {
            if let Some(&at) = self
                .reached
                .iter()
                .find(|&&at| self.obligations.list[at].id == id)
            {
                self.obligations.list[at].paid_halere -= amount;
            }
        }
    }

    /// Writes the new paid amounts and statuses of every obligation a payment reached (in id
    /// order: neighbouring rows share pages), and the import's counts.
    pub(super) fn finish(self, report: &ImportReport) -> Result<(), ImportError> {
        let Importer {
            tx,
            import_id,
            obligations,
            payment,
            shares,
            ..
        } = self;
        drop(payment);
        shares.finish()?;
        let mut changed: Vec<&ledger::Open> = obligations
            .list
            .iter()
            .zip(&obligations.touched)
            .filter_map(|(open, touched)| touched.then_some(open))
            .collect();
        changed.sort_unstable_by_key(|o| o.id);
        let mut update =
            tx.prepare("UPDATE obligations SET paid_halere = ?2, status = ?3 WHERE id = ?1")?;
        for open in changed {
            let status = ledger::status(open.amount_halere, open.paid_halere, open.cancelled);
            update.execute(params![open.id, open.paid_halere, status])?;
        }
        tx.execute(
            "UPDATE statement_imports SET items = ?2, credited = ?3, unmatched = ?4,
                                          duplicates = ?5, skipped = ?6, reversed = ?7,
                                          reversals_unpaired = ?8
             WHERE id = ?1",
            params![
                import_id,
                report.items as i64,
                report.credited as i64,
                report.unmatched as i64,
                report.duplicates as i64,
                report.skipped as i64,
                report.reversed as i64,
                report.reversals_unpaired as i64
            ],
        )?;
        Ok(())
    }
}
