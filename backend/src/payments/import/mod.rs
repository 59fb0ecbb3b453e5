//! Bank statements in (ABO/GPC or camt.053, parsed by `payment-formats`): every credit becomes a
//! payment, matched to obligations by [`ledger::allocate`], or left for staff when it matches
//! nothing. All in one transaction of the import's own: a file is imported whole or not at all.
//!
//! Twice the same file imports nothing (its SHA-256 is remembered); the same bank movement in two
//! different files (a daily export and the monthly statement) credits once, by the item's id.
//! For speed and memory the file is read on a thread of its own (`parallel`) and its items are
//! matched as they come (never all of them in memory at once), against the town's obligations
//! read once into memory (`obligations`), and written right away by statements prepared once
//! (`writer`: payments one row per statement, `shares`: allocations in batches); the
//! obligations that changed are written once at the end (100 000 items in one transaction;
//! `cargo run --release -p portal-backend --example import_bench`).
//!
//! What a row still costs is SQLite's: per credit a payment (its row and unique index, which
//! also finds a movement imported before), an allocation (row and two indexes; it is also the
//! obligation's history event, since migration 15) and the obligation's row. `pragmas` says
//! which of SQLite's per-row checks the import makes unnecessary, and how.

use crate::db::DbError;
use chrono::{Datelike, NaiveDate};
use payment_formats::{AccountId, Format, Statement, VisitError};
use rusqlite::Connection;

mod obligations;
mod parallel;
mod pragmas;
mod reversals;
mod shares;
mod writer;

use crate::audit::{self, AuditEvent};
use pragmas::ImportPragmas;
use sha2::{Digest, Sha256};
use writer::Importer;

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
    /// Debits and debit reversals: not payments to the town.
    pub skipped: usize,
    /// Credit reversals that took back a payment (see `reversals`).
    pub reversed: usize,
    /// Credit reversals with no payment found to take back: for staff to check.
    pub reversals_unpaired: usize,
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
    /// A caller's mistake: the import runs in a transaction of its own.
    #[error("a statement import cannot run inside another transaction")]
    InTransaction,
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

/// Who uploaded a statement, for the audit log (`None` from the command line).
#[derive(Debug, Clone, Copy)]
pub struct Uploader<'a> {
    pub citizen_id: i64,
    pub ip: &'a str,
}

/// Parses `bytes` and imports every statement in it into `town_id` (or the town whose account
/// it is), in one `BEGIN IMMEDIATE` transaction of its own, with its audit record: a file is
/// imported whole or not at all. `conn` must not be in a transaction.
///
/// The items are matched and written as the parser reads them (see
/// [`payment_formats::visit_statement`]), so the file's items are never all in memory. A file
/// found bad further on fails the whole import, and everything it wrote is rolled back.
///
/// No savepoint: under one, SQLite first copies every page the import changes that existed
/// before into a statement journal (a temporary file past 64 KiB), and for an import that is
/// most of the payments' unique index; it cost more than all the parsing.
pub fn import(
    conn: &Connection,
    bytes: &[u8],
    town_id: Option<i64>,
    by: Option<Uploader<'_>>,
) -> Result<(i64, ImportReport), ImportError> {
    let _pragmas = ImportPragmas::new(conn)?;
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let imported = import_in_transaction(conn, bytes, town_id, by.map(|u| u.citizen_id)).and_then(
        |(town_id, report)| {
            let detail = format!(
                "{}: {} credited, {} unmatched, {} duplicates, {} reversed, {} reversals unpaired{}",
                report.format,
                report.credited,
                report.unmatched,
                report.duplicates,
                report.reversed,
                report.reversals_unpaired,
                if by.is_none() { " (command line)" } else { "" }
            );
            audit::record(
                conn,
                &AuditEvent {
                    event: "statement_imported",
                    town_id: Some(town_id),
                    citizen_id: by.map(|u| u.citizen_id),
                    ip: by.map(|u| u.ip),
                    detail: Some(&detail),
                    ..Default::default()
                },
            )?;
            Ok((town_id, report))
        },
    );
    // On an error the guard rolls back (SQLite may have done so already).
    let imported = imported?;
    conn.execute_batch("COMMIT")?;
    Ok(imported)
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

fn import_in_transaction(
    tx: &Connection,
    bytes: &[u8],
    town_id: Option<i64>,
    actor: Option<i64>,
) -> Result<(i64, ImportReport), ImportError> {
    // Hashed when the first item arrives: by then the parser is reading on its own thread.
    let file_hash = std::cell::OnceCell::new();
    let hash = || {
        file_hash
            .get_or_init(|| hex::encode(Sha256::digest(bytes)))
            .as_str()
    };
    // As card payments write times (and 11 bytes shorter than `to_rfc3339`, three times a credit).
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
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
    let visited = parallel::visit_statement(bytes, |statement, item| {
        report.items += 1;
        if account.as_ref() != Some(&statement.account) {
            let town = town_of(&statement.account);
            phase = match (std::mem::replace(&mut phase, Phase::Waiting), town) {
                (Phase::Waiting, Some(town)) => {
                    Importer::begin(tx, town, hash(), format_name(statement.format), actor, &now)?
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
        phase = Importer::begin(tx, town_id, hash(), &report.format, actor, &now)?;
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
