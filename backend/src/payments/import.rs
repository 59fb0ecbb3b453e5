//! Bank statements in (ABO/GPC or camt.053, parsed by `payment-formats`): every credit becomes a
//! payment, matched to obligations by [`ledger::allocate`], or left for staff when it matches
//! nothing. All in the caller's one transaction: a file is imported whole or not at all.
//!
//! Twice the same file imports nothing (its SHA-256 is remembered); the same bank movement in two
//! different files (a daily export and the monthly statement) credits once, by the item's id.
//! For speed and memory the file's items are matched as the parser reads them (never all of them
//! in memory at once), against the town's obligations read once into memory, and written in
//! multi-row statements of [`BATCH`] rows; the obligations that changed are written once at the
//! end (100 000 items in one transaction; `cargo run --release -p portal-backend --example
//! import_bench`).
//!
//! What a row still costs is SQLite's: per credit a payment, an allocation, a history event
//! (six b-trees with their indexes, foreign-key lookups) and the obligation's update (its row
//! and the `obligations_payer` index, as `status` changes). The CHECK constraints with an
//! `IN (…)` list (`obligations.status`, `payments.source`) build a temporary b-tree for every
//! row written, even in a multi-row statement (seen in `EXPLAIN`).

use super::ledger::{self, Note, Open};
use crate::db::DbError;
use chrono::{Datelike, NaiveDate};
use payment_formats::{AccountId, Format, Statement, StatementItem, VisitError};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub format: String,
    /// Items in the file (all kinds).
    pub items: usize,
    /// Credits matched to obligations.
    pub credited: usize,
    /// Credits left for staff to pair by hand.
    pub unmatched: usize,
    /// Credits already imported before (from this or another file).
    pub duplicates: usize,
    /// Debits and reversals: not payments to the town.
    pub skipped: usize,
    /// The very same file was imported before: nothing was done.
    pub already_imported: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Parse(#[from] payment_formats::ParseError),
    /// The statement is for an account that is not this town's (or no town's).
    #[error("statement {statement}: account {account} is not the town's account")]
    Account { statement: String, account: String },
    #[error("{0}")]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        ImportError::Db(e.into())
    }
}

/// The town whose account every statement in the file is for; `None` when some statement
/// names another account (the error says which).
pub fn town_for(conn: &Connection, statements: &[Statement]) -> Result<i64, ImportError> {
    let mut stmt = conn.prepare("SELECT id, bank_account FROM towns")?;
    let towns: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut found = None;
    for statement in statements {
        let town = towns
            .iter()
            .find(|(_, iban)| statement.account.matches_iban(iban))
            .map(|(id, _)| *id);
        match (town, found) {
            (Some(town), None) => found = Some(town),
            (Some(town), Some(before)) if town == before => {}
            _ => {
                return Err(ImportError::Account {
                    statement: statement.number.clone(),
                    account: format!("{:?}", statement.account),
                });
            }
        }
    }
    found.ok_or_else(|| ImportError::Account {
        statement: "-".into(),
        account: "none".into(),
    })
}

/// Checks that every statement is for `town_id`'s account.
fn check_account(
    conn: &Connection,
    town_id: i64,
    statements: &[Statement],
) -> Result<(), ImportError> {
    let iban: String = conn.query_row(
        "SELECT bank_account FROM towns WHERE id = ?1",
        [town_id],
        |r| r.get(0),
    )?;
    match statements.iter().find(|s| !s.account.matches_iban(&iban)) {
        None => Ok(()),
        Some(s) => Err(ImportError::Account {
            statement: s.number.clone(),
            account: format!("{:?}", s.account),
        }),
    }
}

/// Every obligation of the town, grouped by variable symbol (paid ones too: a repeated payment
/// overpays rather than disappears). One flat list sorted by symbol and an index from each
/// symbol to its run, so a hundred thousand obligations cost one allocation each (the due
/// date), not four.
struct Obligations {
    list: Vec<Open>,
    /// Set for the obligations a payment reached: their paid amount and status are stored.
    touched: Vec<bool>,
    /// Numeric symbols (all of them in practice), without leading zeros, to their run.
    numeric: HashMap<u64, (u32, u32)>,
    /// Any other symbol, normalised.
    other: HashMap<String, (u32, u32)>,
    /// Baskets' symbols (see `payments::baskets`) to where their obligations are in `list`.
    baskets: HashMap<u64, Vec<usize>>,
}

/// A symbol's key: its number when it is all digits (and fits), else its normalised text.
enum Key<'a> {
    Number(u64),
    Text(&'a str),
}

fn key(symbol: &str) -> Key<'_> {
    let normal = normalise(symbol);
    if !normal.is_empty() && normal.len() <= 19 && normal.bytes().all(|b| b.is_ascii_digit()) {
        Key::Number(
            normal
                .bytes()
                .fold(0u64, |n, b| n * 10 + u64::from(b - b'0')),
        )
    } else {
        Key::Text(normal)
    }
}

impl Obligations {
    fn load(conn: &Connection, town_id: i64) -> Result<Self, ImportError> {
        let mut stmt = conn.prepare(
            "SELECT id, variable_symbol, amount_halere, paid_halere, specific_symbol, due_date,
                    status = 'cancelled'
             FROM obligations WHERE town_id = ?1",
        )?;
        // (numeric key or u64::MAX, index into texts), the obligation.
        let mut keyed: Vec<((u64, u32), Open)> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut rows = stmt.query([town_id])?;
        while let Some(r) = rows.next()? {
            let symbol = r.get_ref(1)?.as_str().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
            })?;
            let sort = match key(symbol) {
                Key::Number(n) => (n, 0),
                Key::Text(text) => {
                    texts.push(text.to_owned());
                    (u64::MAX, (texts.len() - 1) as u32)
                }
            };
            keyed.push((
                sort,
                Open {
                    id: r.get(0)?,
                    amount_halere: r.get(2)?,
                    paid_halere: r.get(3)?,
                    specific_symbol: r.get(4)?,
                    due_date: r.get(5)?,
                    cancelled: r.get(6)?,
                },
            ));
        }
        // Text symbols sort by their text, so equal ones form one run.
        keyed.sort_unstable_by(|(a, x), (b, y)| {
            a.0.cmp(&b.0)
                .then_with(|| {
                    if a.0 == u64::MAX {
                        texts[a.1 as usize].cmp(&texts[b.1 as usize])
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .then(x.id.cmp(&y.id))
        });
        let mut numeric = HashMap::with_capacity(keyed.len());
        let mut other: HashMap<String, (u32, u32)> = HashMap::new();
        let mut start = 0;
        while start < keyed.len() {
            let same = |k: &(u64, u32)| {
                let first = &keyed[start].0;
                k.0 == first.0
                    && (k.0 != u64::MAX || texts[k.1 as usize] == texts[first.1 as usize])
            };
            let end = start + keyed[start..].iter().take_while(|(k, _)| same(k)).count();
            let run = (start as u32, (end - start) as u32);
            match keyed[start].0 {
                (u64::MAX, text) => {
                    other.insert(std::mem::take(&mut texts[text as usize]), run);
                }
                (number, _) => {
                    numeric.insert(number, run);
                }
            }
            start = end;
        }
        let list: Vec<Open> = keyed.into_iter().map(|(_, open)| open).collect();
        let baskets = Self::baskets(conn, town_id, &list)?;
        Ok(Obligations {
            touched: vec![false; list.len()],
            list,
            numeric,
            other,
            baskets,
        })
    }

    fn baskets(
        conn: &Connection,
        town_id: i64,
        list: &[Open],
    ) -> Result<HashMap<u64, Vec<usize>>, ImportError> {
        let members = super::baskets::members_in_town(conn, town_id)?;
        if members.is_empty() {
            return Ok(HashMap::new());
        }
        let wanted: std::collections::HashSet<i64> = members.iter().map(|m| m.1).collect();
        let position: HashMap<i64, usize> = list
            .iter()
            .enumerate()
            .filter(|(_, o)| wanted.contains(&o.id))
            .map(|(i, o)| (o.id, i))
            .collect();
        let mut baskets: HashMap<u64, Vec<usize>> = HashMap::new();
        for (symbol, id) in members {
            if let (Key::Number(n), Some(at)) = (key(&symbol), position.get(&id)) {
                baskets.entry(n).or_default().push(*at);
            }
        }
        Ok(baskets)
    }

    /// A payment with a basket's symbol: the basket's obligations share it, oldest due first.
    fn allocate_to_basket(&mut self, symbol: &str, amount: i64) -> Option<ledger::Allocation> {
        let Key::Number(n) = key(symbol) else {
            return None;
        };
        let positions = self.baskets.get(&n)?.clone();
        let mut members: Vec<Open> = positions.iter().map(|&i| self.list[i].clone()).collect();
        let allocation = ledger::allocate(amount, None, &mut members);
        for (&at, member) in positions.iter().zip(&members) {
            if member.paid_halere != self.list[at].paid_halere {
                self.list[at].paid_halere = member.paid_halere;
                self.touched[at] = true;
            }
        }
        Some(allocation)
    }

    /// Where in `list` the obligations with this variable symbol are.
    fn with_symbol(&self, symbol: &str) -> Option<std::ops::Range<usize>> {
        let (start, len) = match key(symbol) {
            Key::Number(n) => *self.numeric.get(&n)?,
            Key::Text(text) => *self.other.get(text)?,
        };
        Some(start as usize..start as usize + len as usize)
    }
}

/// Symbols compare without leading zeros (`0001234` and `1234` are the same VS).
fn normalise(symbol: &str) -> &str {
    let trimmed = symbol.trim().trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }
}

/// Parses `bytes` and imports every statement in it into `town_id` (or the town whose account
/// it is). `actor` is the staff member who uploaded it (`None` from the command line).
///
/// The items are matched and written as the parser reads them (see
/// [`payment_formats::visit_statement`]), so the file's items are never all in memory. A file
/// found bad further on fails the whole import: everything it wrote is rolled back to a
/// savepoint taken at the start (and the caller's transaction fails too). Called outside a
/// transaction, it runs in one of its own.
pub fn import(
    tx: &Connection,
    bytes: &[u8],
    town_id: Option<i64>,
    actor: Option<i64>,
) -> Result<(i64, ImportReport), ImportError> {
    let own = tx.is_autocommit();
    tx.execute_batch(if own {
        "BEGIN IMMEDIATE"
    } else {
        "SAVEPOINT statement_import"
    })?;
    let result = import_in_savepoint(tx, bytes, town_id, actor);
    match (&result, own) {
        (Ok(_), true) => tx.execute_batch("COMMIT")?,
        (Ok(_), false) => tx.execute_batch("RELEASE statement_import")?,
        // The import's own error is the one to report; SQLite may have rolled back already.
        (Err(_), true) => {
            let _ = tx.execute_batch("ROLLBACK");
        }
        (Err(_), false) => {
            let _ = tx.execute_batch("ROLLBACK TO statement_import; RELEASE statement_import");
        }
    }
    result
}

/// Where an import stands while the items go by.
enum Phase<'c> {
    /// No item yet: the town is known at the first one.
    Waiting,
    Importing(Box<Importer<'c>>),
    /// The file was imported before, or a statement is not for the town (the check at the
    /// end says which): the remaining items are only counted.
    Ignoring {
        already_imported: bool,
    },
}

fn import_in_savepoint(
    tx: &Connection,
    bytes: &[u8],
    town_id: Option<i64>,
    actor: Option<i64>,
) -> Result<(i64, ImportReport), ImportError> {
    let hash = hex::encode(Sha256::digest(bytes));
    let now = chrono::Utc::now().to_rfc3339();
    let towns: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, bank_account FROM towns")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    // The town a statement's account belongs to (the given one only if it is its account).
    let town_of = |account: &AccountId| -> Option<i64> {
        towns
            .iter()
            .filter(|(id, _)| town_id.is_none_or(|t| t == *id))
            .find(|(_, iban)| account.matches_iban(iban))
            .map(|(id, _)| *id)
    };
    let mut report = ImportReport::default();
    let mut phase = Phase::Waiting;
    let mut account: Option<AccountId> = None;
    let visited = payment_formats::visit_statement(bytes, |statement, item| {
        report.items += 1;
        if account.as_ref() != Some(&statement.account) {
            let town = town_of(&statement.account);
            phase = match (std::mem::replace(&mut phase, Phase::Waiting), town) {
                (Phase::Waiting, Some(town)) => {
                    Importer::begin(tx, town, &hash, format_name(statement.format), actor, &now)?
                }
                (Phase::Importing(importer), Some(town)) if importer.town_id == town => {
                    Phase::Importing(importer)
                }
                (Phase::Ignoring { already_imported }, _) => Phase::Ignoring { already_imported },
                _ => Phase::Ignoring {
                    already_imported: false,
                },
            };
            account = Some(statement.account.clone());
        }
        if let Phase::Importing(importer) = &mut phase {
            importer.item(item, &mut report)?;
        }
        Ok::<_, ImportError>(())
    });
    let statements = match visited {
        Ok(statements) => statements,
        Err(VisitError::Parse(error)) => return Err(error.into()),
        Err(VisitError::Visit(error)) => return Err(error),
    };
    // Every statement (those without items too) for the one town, with the same errors as
    // before any item was written.
    let town_id = match town_id {
        Some(town) => {
            check_account(tx, town, &statements)?;
            town
        }
        None => town_for(tx, &statements)?,
    };
    report.format = statements
        .first()
        .map(|s| format_name(s.format))
        .unwrap_or_default()
        .to_owned();
    if let Phase::Waiting = phase {
        // A file without items: the import is still recorded (or found recorded).
        phase = Importer::begin(tx, town_id, &hash, &report.format, actor, &now)?;
    }
    match phase {
        Phase::Importing(importer) => {
            importer.finish(&report)?;
            Ok((town_id, report))
        }
        Phase::Ignoring {
            already_imported: true,
        } => Ok((
            town_id,
            ImportReport {
                format: report.format,
                items: report.items,
                already_imported: true,
                ..ImportReport::default()
            },
        )),
        // The account checks above fail for every statement the items skipped.
        _ => Err(ImportError::Account {
            statement: "-".into(),
            account: "another town's".into(),
        }),
    }
}

/// `abo` or `camt053`, as `statement_imports.format` has them.
fn format_name(format: Format) -> &'static str {
    match format {
        Format::Abo => "abo",
        Format::Camt053 => "camt053",
    }
}

/// The `YYYY-MM-DD` text of a date, without an allocation.
fn iso_date(date: NaiveDate, buf: &mut [u8; 10]) -> &str {
    let digits = |buf: &mut [u8], mut n: u32| {
        for slot in buf.iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    digits(&mut buf[0..4], date.year().clamp(0, 9999) as u32);
    buf[4] = b'-';
    digits(&mut buf[5..7], date.month());
    buf[7] = b'-';
    digits(&mut buf[8..10], date.day());
    std::str::from_utf8(buf).unwrap_or("0000-00-00")
}

/// Rows per multi-row INSERT / UPDATE: each statement execution has a fixed cost (cursors
/// opened on the table and each of its indexes, then closed; the statement reset), paid here
/// once per batch instead of once per row.
const BATCH: usize = 64;

/// A credit waiting for the next batch: the item and what the ledger decided for it.
struct Credit {
    item: StatementItem,
    note: Note,
    parts: Vec<(i64, i64)>,
}

/// The import of one file into one town: its obligations in memory, the statements that write.
struct Importer<'c> {
    town_id: i64,
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
    fn begin(
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
    fn item(&mut self, item: StatementItem, report: &mut ImportReport) -> Result<(), ImportError> {
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
    fn write_batch(&mut self) -> Result<(), ImportError> {
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
    fn write_parts(&mut self, all: bool) -> Result<(), ImportError> {
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
    fn finish(mut self, report: &ImportReport) -> Result<(), ImportError> {
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
