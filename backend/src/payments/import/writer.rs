//! Writing an import: payments, allocations and history events in multi-row statements, and the
//! obligations that changed once at the end.

use super::obligations::Obligations;
use super::{ImportError, ImportReport, Phase, iso_date};
use crate::payments::ledger::{self, Note, Open};
use payment_formats::StatementItem;
use rusqlite::{Connection, OptionalExtension, params};

/// Rows per multi-row INSERT / UPDATE: each statement execution has a fixed cost (cursors
/// opened on the table and each of its indexes, then closed; the statement reset), paid here
/// once per batch instead of once per row.
pub(super) const BATCH: usize = 64;

/// A credit waiting for the next batch: the item and what the ledger decided for it.
struct Credit {
    item: StatementItem,
    note: Note,
    parts: Vec<(i64, i64)>,
}

/// The import of one file into one town: its obligations in memory, the statements that write.
pub(super) struct Importer<'c> {
    pub(super) town_id: i64,
    import_id: i64,
    now: &'c str,
    obligations: Obligations,
    /// Whether a bank movement was imported before (from any file).
    seen: rusqlite::Statement<'c>,
    /// Credits not yet written (at most [`BATCH`]).
    batch: Vec<Credit>,
    /// Allocations of written payments not yet written: (payment, obligation, amount, note).
    parts: Vec<(i64, i64, i64, Note)>,
    tx: &'c Connection,
}

/// `INSERT INTO payments` of `rows` rows, giving back each new id with its external id.
fn insert_payments_sql(rows: usize) -> String {
    let row = "(?, 'bank', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    format!(
        "INSERT INTO payments (town_id, source, external_id, amount_halere, received_on,
                               variable_symbol, specific_symbol, constant_symbol,
                               counter_account, counter_name, message, import_id, state,
                               match_note, created_at)
         VALUES {}
         RETURNING id, external_id",
        vec![row; rows].join(", ")
    )
}

/// `INSERT INTO payment_allocations` of `rows` rows (as `credit::record_allocation` writes them).
fn insert_allocations_sql(rows: usize) -> String {
    format!(
        "INSERT INTO payment_allocations (payment_id, obligation_id, amount_halere, created_at)
         VALUES {}",
        vec!["(?, ?, ?, ?)"; rows].join(", ")
    )
}

/// `INSERT INTO obligation_events` of `rows` rows (as `credit::record_allocation` writes them
/// for a payment without a staff actor).
fn insert_events_sql(rows: usize) -> String {
    format!(
        "INSERT INTO obligation_events (obligation_id, at, event, amount_halere, payment_id,
                                        actor_id, note)
         VALUES {}",
        vec!["(?, ?, 'payment', ?, ?, NULL, ?)"; rows].join(", ")
    )
}

/// `UPDATE obligations` of `rows` obligations' paid amount and status.
fn update_obligations_sql(rows: usize) -> String {
    format!(
        "UPDATE obligations SET paid_halere = v.column2, status = v.column3
         FROM (VALUES {}) AS v
         WHERE obligations.id = v.column1",
        vec!["(?, ?, ?)"; rows].join(", ")
    )
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
        let seen = tx.prepare(
            "SELECT 1 FROM payments WHERE town_id = ?1 AND source = 'bank' AND external_id = ?2",
        )?;
        Ok(Phase::Importing(Box::new(Importer {
            town_id,
            import_id,
            now,
            obligations,
            seen,
            batch: Vec::with_capacity(BATCH),
            parts: Vec::with_capacity(2 * BATCH),
            tx,
        })))
    }

    /// Matches one item; written with its batch.
    pub(super) fn item(
        &mut self,
        item: StatementItem,
        report: &mut ImportReport,
    ) -> Result<(), ImportError> {
        if !item.is_incoming_payment() {
            report.skipped += 1;
            return Ok(());
        }
        // The same movement imported before (from this file's earlier items too, also those
        // still in the batch): counted, not credited again.
        if self.batch.iter().any(|c| c.item.id == item.id)
            || self.seen.exists(params![self.town_id, item.id])?
        {
            report.duplicates += 1;
            return Ok(());
        }
        let allocation = match (&item.vs, item.currency.as_str()) {
            (_, currency) if currency != "CZK" => ledger::Allocation {
                note: Note::Currency,
                parts: Vec::new(),
            },
            (None, _) => ledger::Allocation {
                note: Note::NoSymbol,
                parts: Vec::new(),
            },
            (Some(vs), _) => match self.obligations.with_symbol(vs) {
                Some(run) => {
                    let allocation = ledger::allocate(
                        item.amount_halere,
                        item.ss.as_deref(),
                        &mut self.obligations.list[run.clone()],
                    );
                    for (id, _) in &allocation.parts {
                        let list = &self.obligations.list[run.clone()];
                        if let Some(offset) = list.iter().position(|o| o.id == *id) {
                            self.obligations.touched[run.start + offset] = true;
                        }
                    }
                    allocation
                }
                None => self
                    .obligations
                    .allocate_to_basket(vs, item.amount_halere)
                    .unwrap_or(ledger::Allocation {
                        note: Note::UnknownSymbol,
                        parts: Vec::new(),
                    }),
            },
        };
        if allocation.note.is_matched() {
            report.credited += 1;
        } else {
            report.unmatched += 1;
        }
        self.batch.push(Credit {
            item,
            note: allocation.note,
            parts: allocation.parts,
        });
        if self.batch.len() == BATCH {
            self.write_batch()?;
        }
        Ok(())
    }

    /// Writes the batch's payments, then their allocations and history events (whole batches
    /// of those; the rest waits for the next payments or [`Self::finish`]).
    pub(super) fn write_batch(&mut self) -> Result<(), ImportError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let mut insert = self
            .tx
            .prepare_cached(&insert_payments_sql(self.batch.len()))?;
        let mut at = 1;
        let mut days = [[0u8; 10]; BATCH];
        for (credit, day) in self.batch.iter().zip(days.iter_mut()) {
            let item = &credit.item;
            let state = if credit.note.is_matched() {
                "matched"
            } else {
                "unmatched"
            };
            let received = match item.booked_on.or(item.value_on) {
                Some(date) => iso_date(date, day),
                None => &self.now[..10],
            };
            let values: [&dyn rusqlite::ToSql; 14] = [
                &self.town_id,
                &item.id,
                &item.amount_halere,
                &received,
                &item.vs,
                &item.ss,
                &item.ks,
                &item.counter_account,
                &item.counter_name,
                &item.message,
                &self.import_id,
                &state,
                &credit.note.as_str(),
                &self.now,
            ];
            for value in values {
                insert.raw_bind_parameter(at, value)?;
                at += 1;
            }
        }
        let mut rows = insert.raw_query();
        let mut written = 0;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let external = row.get_ref(1)?.as_str().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
            })?;
            // Rows come back in the order given in practice; SQLite does not promise it.
            let credit = match self.batch.get(written) {
                Some(c) if c.item.id == external => c,
                _ => self
                    .batch
                    .iter()
                    .find(|c| c.item.id == external)
                    .ok_or(rusqlite::Error::QueryReturnedNoRows)?,
            };
            self.parts.extend(
                credit
                    .parts
                    .iter()
                    .map(|&(obligation, amount)| (id, obligation, amount, credit.note)),
            );
            written += 1;
        }
        drop(rows);
        if written != self.batch.len() {
            // Cannot happen: every item was checked not to be there.
            return Err(rusqlite::Error::StatementChangedRows(written).into());
        }
        self.batch.clear();
        self.write_parts(false)
    }

    /// Writes the allocations and history events waiting, in whole batches (all of them when
    /// `all`).
    pub(super) fn write_parts(&mut self, all: bool) -> Result<(), ImportError> {
        let whole = self.parts.len() / BATCH * BATCH;
        let (full, rest) = self.parts.split_at(whole);
        let mut chunks: Vec<&[(i64, i64, i64, Note)]> = full.chunks(BATCH).collect();
        if all && !rest.is_empty() {
            chunks.push(rest);
        }
        for chunk in &chunks {
            let mut allocate = self
                .tx
                .prepare_cached(&insert_allocations_sql(chunk.len()))?;
            let mut at = 1;
            for (payment, obligation, amount, _) in chunk.iter() {
                let values: [&dyn rusqlite::ToSql; 4] = [payment, obligation, amount, &self.now];
                for value in values {
                    allocate.raw_bind_parameter(at, value)?;
                    at += 1;
                }
            }
            allocate.raw_execute()?;
            let mut history = self.tx.prepare_cached(&insert_events_sql(chunk.len()))?;
            let mut at = 1;
            for (payment, obligation, amount, note) in chunk.iter() {
                let values: [&dyn rusqlite::ToSql; 5] =
                    [obligation, &self.now, amount, payment, &note.as_str()];
                for value in values {
                    history.raw_bind_parameter(at, value)?;
                    at += 1;
                }
            }
            history.raw_execute()?;
        }
        let done: usize = chunks.iter().map(|c| c.len()).sum();
        self.parts.drain(..done);
        Ok(())
    }

    /// Writes what is still waiting, the new paid amounts and statuses of every obligation a
    /// payment reached (in id order: neighbouring rows share pages), and the import's counts.
    pub(super) fn finish(mut self, report: &ImportReport) -> Result<(), ImportError> {
        self.write_batch()?;
        self.write_parts(true)?;
        let Importer {
            tx,
            import_id,
            obligations,
            ..
        } = self;
        let mut changed: Vec<&Open> = obligations
            .list
            .iter()
            .zip(&obligations.touched)
            .filter_map(|(open, touched)| touched.then_some(open))
            .collect();
        changed.sort_unstable_by_key(|o| o.id);
        for chunk in changed.chunks(BATCH) {
            let mut update = tx.prepare_cached(&update_obligations_sql(chunk.len()))?;
            let mut at = 1;
            for open in chunk {
                let status = ledger::status(open.amount_halere, open.paid_halere, open.cancelled);
                update.raw_bind_parameter(at, open.id)?;
                update.raw_bind_parameter(at + 1, open.paid_halere)?;
                update.raw_bind_parameter(at + 2, status)?;
                at += 3;
            }
            update.raw_execute()?;
        }
        tx.execute(
            "UPDATE statement_imports SET items = ?2, credited = ?3, unmatched = ?4,
                                          duplicates = ?5, skipped = ?6
             WHERE id = ?1",
            params![
                import_id,
                report.items as i64,
                report.credited as i64,
                report.unmatched as i64,
                report.duplicates as i64,
                report.skipped as i64
            ],
        )?;
        Ok(())
    }
}
