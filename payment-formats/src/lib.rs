//! Payment formats for obligations and payments (issue #5), pure and IO-free: the QR Platba
//! string and its QR image for a payment request, and the two bank statement formats Czech
//! banks export, parsed into one [`Statement`] shape.
//!
//! - [`spayd`]: `SPD*1.0*ACC:…*AM:1500.00*CC:CZK*…*CRC32:…` from a builder that checks every
//!   input ([`spayd::SpaydError`] names the attribute).
//! - [`qr`]: that string as a QR code (error correction M), SVG with a text alternative for the
//!   web, PNG for print.
//! - [`abo`]: ABO/GPC statements (128-character records, Windows-1250 or UTF-8).
//! - [`camt053`]: ISO 20022 camt.053 statements, versions .02 to .08.
//! - [`parse_statement`]: either of the two, recognised by content.
//!
//! Amounts are integers in haléř (`i64`), never floats; decimal text is parsed digit by digit.
//!
//! ```
//! use payment_formats::{parse_statement, qr::QrMatrix, spayd::Spayd};
//!
//! let spayd = Spayd::builder("CZ58 5500 0000 0012 6509 8001")
//!     .amount_halere(150_000)
//!     .variable_symbol("2025001")
//!     .message("Poplatek za psa – Dolní Lhota")
//!     .build()?;
//! assert!(spayd.as_str().starts_with("SPD*1.0*ACC:CZ5855000000001265098001*AM:1500.00*CC:CZK*"));
//! let svg = QrMatrix::new(&spayd)?.to_svg("QR Platba: 1 500,00 Kč", 200);
//! assert!(svg.contains("<title>QR Platba: 1 500,00 Kč</title>"));
//!
//! # let file: &[u8] = include_bytes!("../tests/fixtures/abo_czech.gpc");
//! for statement in parse_statement(file)? {
//!     for item in statement.items.iter().filter(|i| i.is_incoming_payment()) {
//!         // match item.vs / item.amount_halere against open obligations, keyed by item.id
//!         # let _ = (&item.id, &item.vs, item.amount_halere);
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Why not the `spayd` crate
//!
//! The `spayd` crate (0.2.2, Apache-2.0, one maintainer, last release July 2024) parses and
//! writes SPAYD and checks the CRC32 over the same canonical form. It was not used because:
//! it validates no attribute (lengths, digits, dates, IBAN), which is what the builder here is
//! mostly about; it percent-encodes non-ASCII text as UTF-8 (`%C5%98`), which bank apps show
//! literally, while this crate transliterates to ASCII (see [`spayd`]); and it would add `nom`
//! 7 and `thiserror` 1 next to the workspace's `thiserror` 2 for what is here about 30 lines
//! (sorting, escaping, `crc32fast`). Its CRC32 test vector is reproduced in the tests.
//!
//! # Item identity
//!
//! Every [`StatementItem::id`] is stable across re-imports of the same file, so the backend
//! can import idempotently with a unique index on it:
//! - ABO: `abo:{account}:{digest of the 075 record}:{n}`, see [`abo`] for why the statement
//!   number is not part of it;
//! - camt.053: `camt:{IBAN}:ref:{AcctSvcrRef}:{kind}:{n}` when the bank gives its reference,
//!   else `camt:{IBAN}:h:{digest of the item's fields}:{n}`;
//!
//! where `n` numbers otherwise identical items within one statement (0 for the first).

pub mod abo;
mod account;
pub mod camt053;
mod decimal;
mod id;
pub mod qr;
pub mod spayd;
mod statement;
mod symbols;

pub(crate) use statement::Issues;
pub use statement::{
    AccountId, Format, Issue, ItemKind, Location, MAX_ISSUES, ParseError, Statement, StatementItem,
};

/// Why [`visit_statement`] stopped: the file is not valid, or the visitor failed.
#[derive(Debug)]
pub enum VisitError<E> {
    /// The same error [`parse_statement`] gives for the file.
    Parse(ParseError),
    /// The visitor's own error; reading stopped there.
    Visit(E),
}

/// Reads a statement file like [`parse_statement`] but hands each item to `visit` as soon as
/// it is complete instead of keeping them all: an ABO file of 100 000 items then needs memory
/// for the file and one item, not for every item at once (about 50 MB less).
///
/// `visit` gets the statement the item belongs to (its header: `items` is empty, `currency`
/// is the first item's) and the item, in file order, with the same values
/// [`parse_statement`] would give. The statements are returned at the end, without items.
///
/// Items are handed over only while the file has shown no problem, but a problem found later
/// (a bad record further on, turnovers that do not add up) still fails the whole call with the
/// [`ParseError`] [`parse_statement`] gives: a caller must then undo what it did with the
/// items it got, e.g. roll back its transaction. camt.053 files are parsed whole first (only
/// ABO is read item by item).
pub fn visit_statement<E>(
    bytes: &[u8],
    mut visit: impl FnMut(&Statement, StatementItem) -> Result<(), E>,
) -> Result<Vec<Statement>, VisitError<E>> {
    if detect_format(bytes) == Some(Format::Abo) {
        return abo::visit(bytes, visit);
    }
    let mut statements = parse_statement(bytes).map_err(VisitError::Parse)?;
    for statement in &mut statements {
        let items = std::mem::take(&mut statement.items);
        for item in items {
            visit(statement, item).map_err(VisitError::Visit)?;
        }
    }
    Ok(statements)
}

/// Which format a statement file is in, by content: XML (after an optional byte-order mark
/// and whitespace) is camt.053, a first record `074` is ABO.
pub fn detect_format(bytes: &[u8]) -> Option<Format> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Some(Format::Camt053);
    }
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    match &bytes[start..] {
        [b'<', ..] => Some(Format::Camt053),
        rest if rest.starts_with(b"074") => Some(Format::Abo),
        _ => None,
    }
}

/// Parses a bank statement file of either format. All statements of the file, or an error
/// listing the problems found (and then no statement at all).
pub fn parse_statement(bytes: &[u8]) -> Result<Vec<Statement>, ParseError> {
    match detect_format(bytes) {
        Some(Format::Abo) => abo::parse(bytes),
        Some(Format::Camt053) => camt053::parse(bytes),
        None => {
            let mut issues = Issues::default();
            let problem = if bytes.iter().all(u8::is_ascii_whitespace) {
                "the file is empty"
            } else {
                "expected a camt.053 XML document or an ABO/GPC file starting with a 074 record"
            };
            issues.push(Location::File, "format", problem);
            Err(issues.into_error(None))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `visit_statement` hands over, rebuilt into statements with items.
    fn visited(bytes: &[u8]) -> Result<Vec<Statement>, ParseError> {
        let mut items: Vec<(String, StatementItem)> = Vec::new();
        let statements = visit_statement(bytes, |statement, item| {
            assert!(statement.items.is_empty());
            items.push((statement.number.clone(), item));
            Ok::<(), ()>(())
        });
        let mut statements = match statements {
            Ok(statements) => statements,
            Err(VisitError::Parse(error)) => return Err(error),
            Err(VisitError::Visit(())) => unreachable!(),
        };
        for (number, item) in items {
            let statement = statements
                .iter_mut()
                .find(|s| s.number == number)
                .expect("the item's statement is returned");
            statement.items.push(item);
        }
        Ok(statements)
    }

    #[test]
    fn visiting_gives_what_parsing_gives() {
        let files: [&[u8]; 8] = [
            include_bytes!("../tests/fixtures/abo_czech.gpc"),
            include_bytes!("../tests/fixtures/abo_multi.gpc"),
            include_bytes!("../tests/fixtures/abo_bad.gpc"),
            include_bytes!("../tests/fixtures/abo_cs_reversals.gpc"),
            include_bytes!("../tests/fixtures/abo_moneta_utf8.gpc"),
            include_bytes!("../tests/fixtures/camt053_v02_csob.xml"),
            include_bytes!("../tests/fixtures/camt053_v08_fio.xml"),
            include_bytes!("../tests/fixtures/camt053_malformed.xml"),
        ];
        for file in files {
            assert_eq!(visited(file), parse_statement(file));
        }
        assert!(parse_statement(files[1]).unwrap().len() > 1);
    }

    #[test]
    fn message_lines_reach_the_last_item_and_a_late_problem_fails_the_file() {
        let good: &[u8] = include_bytes!("../tests/fixtures/abo_czech.gpc");
        let text = String::from_utf8_lossy(good);
        // The file with a message line after its last item.
        let mut with_message = good.to_vec();
        if !with_message.ends_with(b"\n") {
            with_message.extend_from_slice(b"\r\n");
        }
        with_message.extend_from_slice(format!("078{:<125}\r\n", "Poplatek  za   psa").as_bytes());
        let parsed = parse_statement(&with_message).unwrap();
        assert_eq!(visited(&with_message), Ok(parsed.clone()));
        let last = parsed[0].items.last().unwrap();
        assert!(
            last.message
                .as_deref()
                .unwrap()
                .ends_with("Poplatek za psa")
        );
        // A bad record at the end: some items were handed over, and then the file fails.
        let mut bad = good.to_vec();
        bad.extend_from_slice(b"075 broken\r\n");
        let mut handed = 0;
        let result = visit_statement(&bad, |_, _| {
            handed += 1;
            Ok::<(), ()>(())
        });
        assert!(matches!(result, Err(VisitError::Parse(_))));
        assert_eq!(Err(visited(&bad).unwrap_err()), parse_statement(&bad));
        assert!(text.lines().count() > 2 && handed > 0);
        // The visitor's error stops the reading.
        let stopped = visit_statement(good, |_, _| Err("stop"));
        assert!(matches!(stopped, Err(VisitError::Visit("stop"))));
    }
}
