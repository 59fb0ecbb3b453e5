//! Bank statements in (ABO/GPC or camt.053, parsed by `payment-formats`): every credit becomes a
//! payment, matched to obligations by [`ledger::allocate`], or left for staff when it matches
//! nothing. All in the caller's one transaction: a file is imported whole or not at all.
//!
//! Twice the same file imports nothing (its SHA-256 is remembered); the same bank movement in two
//! different files (a daily export and the monthly statement) credits once, by the item's id.
//! For speed the town's obligations are read once into memory, matched there, and only the
//! changes are written (100 000 items in one transaction; `cargo run --release -p
//! portal-backend --example import_bench`).

use super::ledger::{self, Note, Open};
use crate::db::DbError;
use payment_formats::{Statement, StatementItem};
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

/// Every obligation of the town, by variable symbol (paid ones too: a repeated payment
/// overpays rather than disappears).
fn obligations_by_symbol(
    conn: &Connection,
    town_id: i64,
) -> Result<HashMap<String, Vec<Open>>, ImportError> {
    let mut stmt = conn.prepare(
        "SELECT id, variable_symbol, amount_halere, paid_halere, specific_symbol, due_date, status
         FROM obligations WHERE town_id = ?1",
    )?;
    let mut map: HashMap<String, Vec<Open>> = HashMap::new();
    let rows = stmt.query_map([town_id], |r| {
        Ok((
            r.get::<_, String>(1)?,
            Open {
                id: r.get(0)?,
                amount_halere: r.get(2)?,
                paid_halere: r.get(3)?,
                specific_symbol: r.get(4)?,
                due_date: r.get(5)?,
                cancelled: r.get::<_, String>(6)? == "cancelled",
            },
        ))
    })?;
    for row in rows {
        let (symbol, open) = row?;
        map.entry(normalise(&symbol)).or_default().push(open);
    }
    Ok(map)
}

/// Symbols compare without leading zeros (`0001234` and `1234` are the same VS).
fn normalise(symbol: &str) -> String {
    let trimmed = symbol.trim().trim_start_matches('0');
    if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed.into()
    }
}

/// Parses `bytes` and imports every statement in it into `town_id` (or the town whose account
/// it is). `actor` is the staff member who uploaded it (`None` from the command line).
pub fn import(
    tx: &Connection,
    bytes: &[u8],
    town_id: Option<i64>,
    actor: Option<i64>,
) -> Result<(i64, ImportReport), ImportError> {
    let statements = payment_formats::parse_statement(bytes)?;
    let town_id = match town_id {
        Some(town) => {
            check_account(tx, town, &statements)?;
            town
        }
        None => town_for(tx, &statements)?,
    };
    let format = statements
        .first()
        .map(|s| format!("{:?}", s.format).to_lowercase())
        .unwrap_or_default();
    let mut report = ImportReport {
        format: format.clone(),
        items: statements.iter().map(|s| s.items.len()).sum(),
        ..ImportReport::default()
    };
    let hash = hex::encode(Sha256::digest(bytes));
    let seen: Option<i64> = tx
        .query_row(
            "SELECT id FROM statement_imports WHERE town_id = ?1 AND file_sha256 = ?2",
            params![town_id, hash],
            |r| r.get(0),
        )
        .optional()?;
    if seen.is_some() {
        report.already_imported = true;
        return Ok((town_id, report));
    }
    let now = chrono::Utc::now().to_rfc3339();
    tx.execute(
        "INSERT INTO statement_imports (town_id, file_sha256, format, items, credited, unmatched,
                                        duplicates, skipped, imported_at, imported_by)
         VALUES (?1, ?2, ?3, ?4, 0, 0, 0, 0, ?5, ?6)",
        params![town_id, hash, format, report.items as i64, now, actor],
    )?;
    let import_id = tx.last_insert_rowid();
    let mut by_symbol = obligations_by_symbol(tx, town_id)?;
    let mut writer = Writer::new(tx, town_id, import_id, &now)?;
    for item in statements.iter().flat_map(|s| &s.items) {
        if !item.is_incoming_payment() {
            report.skipped += 1;
            continue;
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
            (Some(vs), _) => match by_symbol.get_mut(&normalise(vs)) {
                Some(candidates) => {
                    ledger::allocate(item.amount_halere, item.ss.as_deref(), candidates)
                }
                None => ledger::Allocation {
                    note: Note::UnknownSymbol,
                    parts: Vec::new(),
                },
            },
        };
        if writer.payment(item, &allocation)? {
            if allocation.note.is_matched() {
                report.credited += 1;
            } else {
                report.unmatched += 1;
            }
        } else {
            // Imported before: undo the allocation made in memory.
            report.duplicates += 1;
            if let Some(candidates) = item
                .vs
                .as_deref()
                .and_then(|vs| by_symbol.get_mut(&normalise(vs)))
            {
                for (id, amount) in &allocation.parts {
                    if let Some(o) = candidates.iter_mut().find(|o| o.id == *id) {
                        o.paid_halere -= amount;
                    }
                }
            }
        }
    }
    writer.finish(&by_symbol)?;
    tx.execute(
        "UPDATE statement_imports SET credited = ?2, unmatched = ?3, duplicates = ?4, skipped = ?5
         WHERE id = ?1",
        params![
            import_id,
            report.credited as i64,
            report.unmatched as i64,
            report.duplicates as i64,
            report.skipped as i64
        ],
    )?;
    Ok((town_id, report))
}

/// Writes payments, allocations and events with cached statements, and the obligations that
/// changed once at the end.
struct Writer<'c> {
    tx: &'c Connection,
    town_id: i64,
    import_id: i64,
    now: &'c str,
    touched: std::collections::HashSet<i64>,
}

impl<'c> Writer<'c> {
    fn new(
        tx: &'c Connection,
        town_id: i64,
        import_id: i64,
        now: &'c str,
    ) -> Result<Self, ImportError> {
        Ok(Writer {
            tx,
            town_id,
            import_id,
            now,
            touched: Default::default(),
        })
    }

    /// Stores the payment and its allocation; `false` when it was there already.
    fn payment(
        &mut self,
        item: &StatementItem,
        allocation: &ledger::Allocation,
    ) -> Result<bool, ImportError> {
        let state = if allocation.note.is_matched() {
            "matched"
        } else {
            "unmatched"
        };
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO payments (town_id, source, external_id, amount_halere, received_on,
                                   variable_symbol, specific_symbol, constant_symbol,
                                   counter_account, counter_name, message, import_id, state,
                                   match_note, created_at)
             VALUES (?1, 'bank', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT (town_id, source, external_id) DO NOTHING",
        )?;
        let received = item
            .booked_on
            .or(item.value_on)
            .map(|d| d.to_string())
            .unwrap_or_else(|| self.now[..10].to_owned());
        let inserted = insert.execute(params![
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
            allocation.note.as_str(),
            self.now
        ])?;
        if inserted == 0 {
            return Ok(false);
        }
        let payment_id = self.tx.last_insert_rowid();
        let actor = super::credit::Actor::default();
        super::credit::record_allocation(
            self.tx, payment_id, allocation, "payment", actor, self.now,
        )?;
        self.touched.extend(
            allocation
                .parts
                .iter()
                .map(|(obligation_id, _)| *obligation_id),
        );
        Ok(true)
    }

    /// The new paid amounts and statuses of every obligation a payment reached, in id order
    /// (neighbouring rows share pages, so the page cache is not thrashed).
    fn finish(self, by_symbol: &HashMap<String, Vec<Open>>) -> Result<(), ImportError> {
        let mut changed: Vec<&Open> = by_symbol
            .values()
            .flatten()
            .filter(|o| self.touched.contains(&o.id))
            .collect();
        changed.sort_unstable_by_key(|o| o.id);
        for open in changed {
            super::credit::store_paid(self.tx, open)?;
        }
        Ok(())
    }
}
