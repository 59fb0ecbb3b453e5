//! ISO 20022 camt.053 (BankToCustomerStatement), versions `camt.053.001.02` to `.08`, read
//! with quick-xml's streaming reader: one pass, no DOM, only the fields below are kept.
//!
//! Per statement (`Stmt`): `Id`, the account (`Acct/Id/IBAN`, else `Acct/Id/Othr/Id`), its
//! currency, the opening (`OPBD`, else `PRCD`) and closing (`CLBD`) balances.
//! Per entry (`Ntry`): `Amt` (exact decimal to haléř) and its `Ccy`, `CdtDbtInd`, `RvslInd`,
//! `BookgDt`, `ValDt`, `AcctSvcrRef`; per transaction (`NtryDtls/TxDtls`): `Refs/EndToEndId`,
//! the debtor or creditor name and account (`Nm` or `Pty/Nm` from version .08), the bank
//! code of their agent, `RmtInf/Ustrd` (the message) and `RmtInf/Strd/CdtrRefInf`.
//!
//! Symbols are taken, in this order, from `CdtrRefInf` (typed `VS`/`SS`/`KS` or prefixed
//! `VS:123`) and `Refs/Prtry` (typed `VS`/`SS`/`KS`), `EndToEndId` (`/VS123/SS456/KS0308`), a
//! purely numeric `CdtrRefInf/Ref` (as VS),
//! `Ustrd`, `AddtlTxInf` and `AddtlNtryInf`; see the `symbols` module for the shapes.
//!
//! An entry with several `TxDtls` that each carry an amount (a batch) becomes one item per
//! transaction; otherwise an entry is one item. Entries whose status is not `BOOK` are skipped.

mod draft;
mod names;
mod reader;

use crate::statement::{Format, ParseError};
use crate::{Issues, Location, Statement};
use encoding_rs::Encoding;
use std::borrow::Cow;

/// Oldest and newest supported `camt.053.001.NN` versions.
pub const VERSIONS: std::ops::RangeInclusive<u8> = 2..=8;

/// Parses a camt.053 document. Any problem makes the whole file fail, listing every problem
/// found (up to [`crate::MAX_ISSUES`]), each with its element path.
pub fn parse(bytes: &[u8]) -> Result<Vec<Statement>, ParseError> {
    let mut issues = Issues::default();
    let text = match to_utf8(bytes) {
        Ok(text) => text,
        Err(problem) => {
            issues.push(Location::File, "encoding", problem);
            return Err(issues.into_error(Some(Format::Camt053)));
        }
    };
    let statements = reader::Parser::new(&text, &mut issues).run();
    if issues.is_empty() {
        if statements.is_empty() {
            issues.push(
                Location::XmlPath("Document/BkToCstmrStmt".into()),
                "Stmt",
                "expected at least one statement, found none",
            );
        } else {
            return Ok(statements);
        }
    }
    Err(issues.into_error(Some(Format::Camt053)))
}

/// The document as UTF-8: a UTF-8 BOM is dropped; UTF-16 (by BOM) and other encodings
/// declared in the XML declaration (`windows-1250`, `iso-8859-2`) are transcoded.
fn to_utf8(bytes: &[u8]) -> Result<Cow<'_, [u8]>, String> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        if encoding == encoding_rs::UTF_8 {
            return Ok(Cow::Borrowed(body));
        }
        let (text, bad) = encoding.decode_without_bom_handling(body);
        return if bad {
            Err(format!("invalid {} text", encoding.name()))
        } else {
            Ok(Cow::Owned(text.into_owned().into_bytes()))
        };
    }
    let head = &bytes[..bytes.len().min(200)];
    let declared = head
        .strip_prefix(b"<?xml")
        .and_then(|rest| rest.split(|&b| b == b'>').next())
        .and_then(|decl| {
            let at = decl.windows(8).position(|w| w == b"encoding")?;
            let rest = &decl[at + 8..];
            let quote = rest.iter().position(|&b| b == b'"' || b == b'\'')?;
            let value = &rest[quote + 1..];
            let end = value.iter().position(|&b| b == rest[quote])?;
            Some(&value[..end])
        });
    match declared {
        None => Ok(Cow::Borrowed(bytes)),
        Some(label) => match Encoding::for_label(label) {
            Some(encoding) if encoding == encoding_rs::UTF_8 => Ok(Cow::Borrowed(bytes)),
            Some(encoding) => {
                let (text, bad) = encoding
                    .decode_without_bom_handling_and_without_replacement(bytes)
                    .map_or((Cow::Borrowed(""), true), |t| (t, false));
                if bad {
                    Err(format!("invalid {} text", encoding.name()))
                } else {
                    Ok(Cow::Owned(text.into_owned().into_bytes()))
                }
            }
            None => Err(format!(
                "unknown encoding {:?} in the XML declaration",
                String::from_utf8_lossy(label)
            )),
        },
    }
}

/// The `NN` of a `urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN` namespace.
pub(crate) fn namespace_version(namespace: &str) -> Option<u8> {
    let version = namespace.strip_prefix("urn:iso:std:iso:20022:tech:xsd:camt.053.001.")?;
    (version.len() == 2).then(|| version.parse().ok()).flatten()
}
