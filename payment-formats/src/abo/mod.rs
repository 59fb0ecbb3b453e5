//! ABO / GPC bank statements ("Best" format of Czech banks).
//!
//! The file is a sequence of 128-character Windows-1250 records (or UTF-8 ones, see
//! `encoding`) ended by CRLF (LF alone is accepted too; empty lines and a trailing Ctrl-Z, even
//! one right after the last record, are ignored). Columns are 1-based:
//!
//! - `074` statement header: 4-19 account, 20-39 short name, 40-45 old balance date, 46-59 old
//!   balance in haléř and 60 its sign, 61-74 new balance and 75 its sign, 76-89 debit turnover
//!   and 90 its sign, 91-104 credit turnover and 105 its sign, 106-108 statement number,
//!   109-114 accounting date (dates are `DDMMYY`). Columns 115-128 are filler: a header
//!   shortened to 114 characters is accepted.
//! - `075` item: 4-19 own account, 20-35 counter-account, 36-48 document number, 49-60 amount in
//!   haléř, 61 accounting code (1 debit, 2 credit, 4 reversed debit, 5 reversed credit; files
//!   of Česká spořitelna: 3 reversed debit, 4 reversed credit, see `codes`), 62-71
//!   variable symbol, 72-81 `00` + counter-party bank code (74-77) + constant symbol (78-81),
//!   82-91 specific symbol, 92-97 value date, 98-117 counter-party name, 118 `0`, 119-122
//!   currency (numeric ISO 4217, `0203` = CZK), 123-128 due (booking) date.
//! - `076` additional data (layout differs by bank): accepted after an item and ignored.
//! - `078` / `079` message lines ("AV" fields of some banks): their text, spaces collapsed, is
//!   appended to the previous item's message.
//!
//! A file may hold several statements (several `074` blocks, e.g. several accounts).
//!
//! **Completeness**: a file cut off at a line break would parse cleanly with items missing, so
//! each header's debit and credit turnovers must match its items (three bank conventions of
//! counting reversals are accepted). The balances are not checked: a "movements since the last
//! download" export carries balances of another period ([`Statement::balances_add_up`] tells).
//!
//! **Item ids** are `abo:{account}:{digest}:{n}`: `digest` covers the whole `075` record
//! (own account, counter-account, the bank's document number, amount, code, symbols, dates,
//! name) and `n` counts byte-identical records within one statement. The statement number is
//! deliberately left out: the same `075` record appears in a bank's "movements" export and in
//! its official statement, and importing both must not book a payment twice. Two byte-identical
//! movements (same document number too) in one statement stay two items. The one case this
//! cannot tell apart: two identical records split across two separate partial exports.
//!
//! **Account order**: some banks (KB, ČS "KM" exports) write account numbers in their internal
//! digit order. [`AccountOrder::Auto`] (the default) reads the header account in the standard
//! order when that passes the Czech mod-11 check, else in the internal order when that does,
//! and reads the statement's counter-accounts the same way.

mod codes;
mod encoding;
mod fields;
mod turnovers;

use crate::VisitError;
use crate::account::{domestic, from_internal_order, valid_standard};
use crate::id::{Occurrences, digest};
use crate::statement::{AccountId, Format, Issues, ParseError, Statement, StatementItem};
use crate::symbols::normalize;
use codes::Reversals;
use fields::{Fields, currency};
use std::fmt::Write as _;
use turnovers::Turnovers;

/// How account numbers are written in the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AccountOrder {
    /// Decide per statement from the mod-11 check of the header account.
    #[default]
    Auto,
    /// `prefix(6) number(10)` as people write them.
    Standard,
    /// The internal digit order of KB and ČS exports.
    Internal,
}

/// Parses an ABO/GPC file with [`AccountOrder::Auto`].
pub fn parse(bytes: &[u8]) -> Result<Vec<Statement>, ParseError> {
    parse_with(bytes, AccountOrder::Auto)
}

/// Parses an ABO/GPC file. Any bad record makes the whole file fail, listing every problem
/// found (up to [`crate::MAX_ISSUES`]), so that no half-read file is imported.
pub fn parse_with(bytes: &[u8], order: AccountOrder) -> Result<Vec<Statement>, ParseError> {
    let collect = |statement: &mut Statement, item: StatementItem| {
        statement.items.push(item);
        Ok::<(), std::convert::Infallible>(())
    };
    match read(bytes, order, collect) {
        Ok(statements) => Ok(statements),
        Err(VisitError::Parse(error)) => Err(error),
        Err(VisitError::Visit(never)) => match never {},
    }
}

/// Reads an ABO/GPC file with [`AccountOrder::Auto`], handing each item to `visit` as soon as it
/// is complete instead of keeping it; see [`crate::visit_statement`].
pub fn visit<E>(
    bytes: &[u8],
    mut visit: impl FnMut(&Statement, StatementItem) -> Result<(), E>,
) -> Result<Vec<Statement>, VisitError<E>> {
    read(
        bytes,
        AccountOrder::Auto,
        |statement: &mut Statement, item| visit(statement, item),
    )
}

/// The one reader behind [`parse_with`] and [`visit`]: `emit` gets each item once it is
/// complete (its `078`/`079` message lines read), with its statement, only while the file has
/// shown no problem. The turnovers are summed as the items go by, so a caller that does not keep
/// the items still gets the completeness check.
fn read<E>(
    bytes: &[u8],
    order: AccountOrder,
    mut emit: impl FnMut(&mut Statement, StatementItem) -> Result<(), E>,
) -> Result<Vec<Statement>, VisitError<E>> {
    let mut issues = Issues::default();
    let mut statements: Vec<Statement> = Vec::new();
    // Per current statement: account order, its account digits and repeated-record counter.
    let mut current: Option<(bool, String, Occurrences)> = None;
    // Per statement: the header's line and turnovers, checked against the items at the end.
    let mut turnovers: Vec<Turnovers> = Vec::new();
    // The last item read, held back until the next 074/075 record or the end of the file: a
    // 078/079 message record may still add to it.
    let mut pending: Option<StatementItem> = None;
    // Whether the current statement's first item was emitted (its currency is that item's).
    let mut currency_set = false;
    let mut flush = |pending: &mut Option<StatementItem>,
                     statements: &mut Vec<Statement>,
                     currency_set: &mut bool,
                     issues: &Issues|
     -> Result<(), E> {
        let (Some(item), Some(statement)) = (pending.take(), statements.last_mut()) else {
            return Ok(());
        };
        if !issues.is_empty() {
            // The file fails anyway: nothing more is handed over.
            return Ok(());
        }
        if !*currency_set {
            statement.currency.clone_from(&item.currency);
            *currency_set = true;
        }
        emit(statement, item)
    };

    let converted = match encoding::to_windows_1250(bytes) {
        Ok(converted) => converted,
        Err(problem) => {
            issues.push(crate::Location::File, "encoding", problem);
            return Err(VisitError::Parse(issues.into_error(Some(Format::Abo))));
        }
    };
    // DOS-era tools end a file with Ctrl-Z, some right after the last record's last column.
    let bytes = converted.strip_suffix(b"\x1a").unwrap_or(&converted);
    let reversals = Reversals::of_file(bytes);
    let mut id = String::new();
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = index + 1;
        let record = raw.strip_suffix(b"\r").unwrap_or(raw);
        if record.iter().all(|&b| b == b' ' || b == b'\t' || b == 0x1a) {
            continue;
        }
        let mut f = Fields::new(line, record, &mut issues);
        match &record[..record.len().min(3)] {
            b"074" => {
                if let Some((statement, internal, totals)) = header(&mut f, order) {
                    flush(&mut pending, &mut statements, &mut currency_set, f.issues())
                        .map_err(VisitError::Visit)?;
                    let account = match &statement.account {
                        AccountId::Domestic(a) | AccountId::Iban(a) => a.clone(),
                    };
                    current = Some((internal, account, Occurrences::default()));
                    statements.push(statement);
                    turnovers.push(totals);
                    currency_set = false;
                } else {
                    // Keep checking the items, but they belong to no statement.
                    current = Some((false, String::new(), Occurrences::default()));
                }
            }
            b"075" => match current.as_mut() {
                None => f.fail_record(
                    "record type 075",
                    "item before any 074 statement header".into(),
                ),
                Some((internal, account, seen)) => {
                    if let Some(mut it) = item(&mut f, *internal, reversals) {
                        let key = digest([record]);
                        id.clear();
                        let _ = write!(id, "abo:{account}:{key}:{}", seen.next(&key));
                        it.id.clone_from(&id);
                        if let Some(statement) = statements.last() {
                            if it.booked_on.is_none() {
                                it.booked_on = statement.date;
                            }
                            if let Some(totals) = turnovers.last_mut() {
                                totals.add(it.kind, it.amount_halere);
                            }
                            flush(&mut pending, &mut statements, &mut currency_set, f.issues())
                                .map_err(VisitError::Visit)?;
                            pending = Some(it);
                        }
                    }
                }
            },
            b"076" | b"078" | b"079" => {
                if record.len() > 128 {
                    let len = record.len();
                    f.fail_record(
                        "record length",
                        format!("expected at most 128 characters, found {len}"),
                    );
                } else if current.is_none() {
                    f.fail_record(
                        "record type",
                        "additional record before any 074 statement header".into(),
                    );
                } else if record[2] != b'6' {
                    // 078/079: message lines; 076 (bank-specific additional data) is skipped.
                    match pending.as_mut() {
                        None => f.fail_record(
                            "record type",
                            "message record without a preceding 075 item".into(),
                        ),
                        Some(item) => {
                            if let Some(text) = f.text(4, 128) {
                                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                                item.message = Some(match item.message.take() {
                                    Some(m) => format!("{m} {text}"),
                                    None => text,
                                });
                            }
                        }
                    }
                }
            }
            _ => {
                let kind = fields::decode(&record[..record.len().min(3)]);
                f.fail_record(
                    "record type (columns 1-3)",
                    format!("expected 074 or 075, found {kind:?}"),
                );
            }
        }
    }

    if statements.is_empty() && issues.is_empty() {
        issues.push(
            crate::Location::File,
            "074 statement header",
            "expected at least one statement, found none",
        );
    }
    if issues.is_empty() {
        for totals in &turnovers {
            totals.check(&mut issues);
        }
    }
    if issues.is_empty() {
        // The last item, now that no message line can follow (and the totals agree).
        flush(&mut pending, &mut statements, &mut currency_set, &issues)
            .map_err(VisitError::Visit)?;
        Ok(statements)
    } else {
        Err(VisitError::Parse(issues.into_error(Some(Format::Abo))))
    }
}

/// Reads a `074` header; returns the statement, whether its accounts are in internal order,
/// and its turnovers.
fn header(f: &mut Fields, order: AccountOrder) -> Option<(Statement, bool, Turnovers)> {
    if !(114..=128).contains(&f.bytes.len()) {
        let len = f.bytes.len();
        f.fail_record(
            "record length",
            format!("expected 128 characters (114 without filler), found {len}"),
        );
        return None;
    }
    let account = f.digits("account", 4, 19);
    f.date("old balance date", 40, true);
    let old = f.amount("old balance", 46, 59);
    let old_sign = f.one_of("old balance sign", 60, b"+-");
    let new = f.amount("new balance", 61, 74);
    let new_sign = f.one_of("new balance sign", 75, b"+-");
    // Turnovers are checked for shape only; banks disagree on their signs ('0', '+', '-').
    let debit = f.amount("debit turnover", 76, 89);
    f.one_of("debit turnover sign", 90, b"0+-");
    let credit = f.amount("credit turnover", 91, 104);
    f.one_of("credit turnover sign", 105, b"0+-");
    let number = f.digits_or_blank("statement number", 106, 108);
    let date = f.date("accounting date", 109, false);
    if !f.ok {
        return None;
    }
    let digits: [u8; 16] = account?.try_into().ok()?;
    let internal = match order {
        AccountOrder::Standard => false,
        AccountOrder::Internal => true,
        AccountOrder::Auto => {
            !valid_standard(&digits) && valid_standard(&from_internal_order(&digits))
        }
    };
    let digits = if internal {
        from_internal_order(&digits)
    } else {
        digits
    };
    let text = std::str::from_utf8(&digits).ok()?;
    let signed = |amount: i64, sign: u8| if sign == b'-' { -amount } else { amount };
    let number = number?.trim_start_matches('0');
    Some((
        Statement {
            format: Format::Abo,
            account: AccountId::Domestic(domestic(&text[..6], &text[6..])),
            number: if number.is_empty() {
                "0".into()
            } else {
                number.into()
            },
            date: date?,
            currency: "CZK".into(),
            opening_balance_halere: Some(signed(old?, old_sign?)),
            closing_balance_halere: Some(signed(new?, new_sign?)),
            items: Vec::new(),
        },
        internal,
        Turnovers {
            line: f.line,
            debit: debit?,
            credit: credit?,
            sums: [0; 4],
        },
    ))
}

/// Reads a `075` item (its id is filled in by the caller).
fn item(f: &mut Fields, internal: bool, reversals: Reversals) -> Option<StatementItem> {
    if f.bytes.len() != 128 {
        let len = f.bytes.len();
        f.fail_record(
            "record length",
            format!("expected 128 characters, found {len}"),
        );
        return None;
    }
    f.digits("own account", 4, 19);
    let counter = f.digits_or_blank("counter-account", 20, 35);
    let document = f.cols(36, 48);
    if !document
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b' ')
    {
        f.fail("document number", 36, 48, "digits or letters");
    }
    let amount = f.amount("amount", 49, 60);
    let code = f.one_of("accounting code", 61, reversals.allowed());
    let vs = f.digits_or_blank("variable symbol", 62, 71);
    // Columns 72-73 are "00"; only their shape is checked.
    f.digits_or_blank("constant symbol field", 72, 73);
    let bank = f.digits_or_blank("counter-party bank code", 74, 77);
    let ks = f.digits_or_blank("constant symbol", 78, 81);
    let ss = f.digits_or_blank("specific symbol", 82, 91);
    let value_on = f.date("value date", 92, true);
    let currency_code = f.digits("currency", 118, 122);
    let due_on = f.date("due date", 123, true);
    if !f.ok {
        return None;
    }
    let kind = reversals.kind(code?);
    let counter_account = counter.and_then(|c| {
        let digits: [u8; 16] = format!("{c:0>16}").into_bytes().try_into().ok()?;
        let digits = if internal {
            from_internal_order(&digits)
        } else {
            digits
        };
        let text = std::str::from_utf8(&digits).ok()?;
        let account = domestic(&text[..6], &text[6..]);
        let bank = bank?.trim_start_matches('0');
        match (account.is_empty(), bank.is_empty()) {
            (true, _) => None,
            (false, true) => Some(account),
            (false, false) => Some(format!("{account}/{bank:0>4}")),
        }
    });
    let document = std::str::from_utf8(document)
        .ok()?
        .trim()
        .trim_start_matches('0');
    let value_on = value_on?;
    Some(StatementItem {
        id: String::new(),
        kind,
        amount_halere: kind.sign() * amount?,
        currency: currency(std::str::from_utf8(currency_code?).ok()?),
        vs: vs.and_then(normalize),
        ss: ss.and_then(normalize),
        ks: ks.and_then(normalize),
        counter_account,
        counter_name: f.text(98, 117),
        message: None,
        booked_on: due_on?.or(value_on),
        value_on,
        bank_reference: (!document.is_empty()).then(|| document.to_owned()),
        end_to_end_id: None,
    })
}
