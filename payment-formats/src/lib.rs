//! Payment formats for obligations and payments (issue #5), pure and IO-free: the QR Platba
//! string and its QR image for a payment request, and the two bank statement formats Czech
//! banks export, parsed into one [`Statement`] shape.
//!
//! - [`spayd`]: `SPD*1.0*ACC:…*AM:1500.00*CC:CZK*…*CRC32:…` from a builder that checks every
//!   input ([`spayd::SpaydError`] names the attribute).
//! - [`qr`]: that string as a QR code (error correction M), SVG with a text alternative for the
//!   web, PNG for print.
//! - [`abo`]: ABO/GPC statements (Windows-1250, 128-character records).
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
