//! The one shape both statement parsers produce, so that the backend matches payments without
//! knowing which format a bank exported.

use chrono::NaiveDate;
use std::fmt;

/// The file format a statement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// ABO / GPC ("Best"): 128-character Windows-1250 records.
    Abo,
    /// ISO 20022 camt.053 XML (BankToCustomerStatement).
    Camt053,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Abo => "ABO/GPC",
            Format::Camt053 => "camt.053",
        })
    }
}

/// The account a statement is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AccountId {
    /// An IBAN, upper case, without spaces (camt.053).
    Iban(String),
    /// A Czech domestic account without bank code, `prefix-number` or `number` without leading
    /// zeros (ABO headers carry no bank code; a camt.053 `Acct/Id/Othr/Id` is read the same
    /// way, or kept as given when it is not a Czech account number).
    Domestic(String),
}

impl AccountId {
    /// Whether this is the account of `iban` (any spacing or case). A domestic account matches
    /// the prefix and number of a Czech IBAN, whatever its bank code.
    pub fn matches_iban(&self, iban: &str) -> bool {
        let iban: String = iban
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        match self {
            AccountId::Iban(own) => *own == iban,
            AccountId::Domestic(own) => {
                iban.len() == 24
                    && iban.starts_with("CZ")
                    && crate::account::domestic(&iban[8..14], &iban[14..24]) == *own
            }
        }
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountId::Iban(s) | AccountId::Domestic(s) => f.write_str(s),
        }
    }
}

/// What an item did to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// Money received: the items a payment is matched against.
    Credit,
    /// Money sent.
    Debit,
    /// A credit taken back by the bank (ABO code 5, camt `DBIT` + `RvslInd`): money out.
    CreditReversal,
    /// A debit returned by the bank (ABO code 4, camt `CRDT` + `RvslInd`): money in.
    DebitReversal,
}

impl ItemKind {
    /// +1 when the kind adds money to the account, -1 when it takes money away.
    pub fn sign(self) -> i64 {
        match self {
            ItemKind::Credit | ItemKind::DebitReversal => 1,
            ItemKind::Debit | ItemKind::CreditReversal => -1,
        }
    }
}

/// One bank statement: one account, one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub format: Format,
    pub account: AccountId,
    /// ABO: the statement's sequence number (`3`); camt.053: `Stmt/Id`.
    pub number: String,
    /// ABO: the accounting date of the header; camt.053: the closing balance date, else the
    /// end of `FrToDt`, else the creation date.
    pub date: Option<NaiveDate>,
    /// ISO 4217 code of the account's currency, e.g. `CZK`.
    pub currency: String,
    /// Signed, in haléř (1/100 of the currency unit).
    pub opening_balance_halere: Option<i64>,
    /// Signed, in haléř.
    pub closing_balance_halere: Option<i64>,
    pub items: Vec<StatementItem>,
}

impl Statement {
    /// Whether opening balance + the items = closing balance; `None` when a balance is missing.
    /// A "movements since the last download" export may legitimately fail this check (its
    /// header balances cover another period), so it is a warning for the caller, not an error.
    pub fn balances_add_up(&self) -> Option<bool> {
        let (open, close) = (self.opening_balance_halere?, self.closing_balance_halere?);
        let moved = self
            .items
            .iter()
            .try_fold(0i64, |sum, item| sum.checked_add(item.amount_halere))?;
        Some(open.checked_add(moved) == Some(close))
    }
}

/// One booked movement on the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementItem {
    /// Stable identity for idempotent import: the same movement gets the same id however often
    /// its file is imported. See the crate documentation for how it is built per format.
    pub id: String,
    pub kind: ItemKind,
    /// The effect on the balance in haléř: positive for [`ItemKind::Credit`] and
    /// [`ItemKind::DebitReversal`], negative for the other two.
    pub amount_halere: i64,
    /// ISO 4217 code, e.g. `CZK` (ABO: from the numeric code; an unknown one stays numeric).
    pub currency: String,
    /// Variable symbol without leading zeros (as `portal_domain::VariableSymbol` keeps it).
    pub vs: Option<String>,
    /// Specific symbol without leading zeros.
    pub ss: Option<String>,
    /// Constant symbol without leading zeros (`0308` is `308`).
    pub ks: Option<String>,
    /// The other party's account: an IBAN, or Czech `prefix-number/bank`, or what the bank gave.
    pub counter_account: Option<String>,
    pub counter_name: Option<String>,
    /// Message for the recipient / remittance information.
    pub message: Option<String>,
    /// The day the bank booked the movement.
    pub booked_on: Option<NaiveDate>,
    /// The value date, when the bank gives one.
    pub value_on: Option<NaiveDate>,
    /// The bank's own reference: ABO document number, camt.053 `AcctSvcrRef`.
    pub bank_reference: Option<String>,
    /// camt.053 `EndToEndId` as given (ABO has none).
    pub end_to_end_id: Option<String>,
}

impl StatementItem {
    /// A received payment that may settle an obligation (a credit, not a reversal).
    pub fn is_incoming_payment(&self) -> bool {
        self.kind == ItemKind::Credit
    }
}

/// Where in the input a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// 1-based line of an ABO file.
    Line(usize),
    /// Element path in a camt.053 file, e.g. `Document/BkToCstmrStmt/Stmt[2]/Ntry[17]/Amt`.
    XmlPath(String),
    /// The file as a whole (empty, unknown format, unreadable).
    File,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::XmlPath(p) => f.write_str(p),
            Location::File => f.write_str("file"),
        }
    }
}

/// One thing wrong with an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub location: Location,
    /// The field, e.g. `amount (columns 49-60)` or `Amt`.
    pub field: String,
    /// What was expected and what was found.
    pub problem: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}: {}", self.location, self.field, self.problem)
    }
}

/// At most this many issues are collected; the rest are only counted.
pub const MAX_ISSUES: usize = 50;

/// A file that could not be parsed. It yields no statements at all, so that a half-read file
/// is never half-imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// The format the file was read as, when it was recognised.
    pub format: Option<Format>,
    /// The first [`MAX_ISSUES`] problems, in file order.
    pub issues: Vec<Issue>,
    /// How many problems were found in all (may exceed `issues.len()`).
    pub total: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format {
            Some(format) => write!(f, "invalid {format} file")?,
            None => f.write_str("unreadable statement file")?,
        }
        write!(
            f,
            " ({} problem{})",
            self.total,
            if self.total == 1 { "" } else { "s" }
        )?;
        for issue in &self.issues {
            write!(f, "\n  {issue}")?;
        }
        if self.total > self.issues.len() {
            write!(f, "\n  … and {} more", self.total - self.issues.len())?;
        }
        Ok(())
    }
}

/// Collects issues up to [`MAX_ISSUES`] while counting all of them.
#[derive(Debug, Default)]
pub(crate) struct Issues {
    list: Vec<Issue>,
    total: usize,
}

impl Issues {
    pub(crate) fn push(
        &mut self,
        location: Location,
        field: impl Into<String>,
        problem: impl Into<String>,
    ) {
        self.total += 1;
        if self.list.len() < MAX_ISSUES {
            self.list.push(Issue {
                location,
                field: field.into(),
                problem: problem.into(),
            });
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub(crate) fn total(&self) -> usize {
        self.total
    }

    pub(crate) fn into_error(self, format: Option<Format>) -> ParseError {
        ParseError {
            format,
            issues: self.list,
            total: self.total,
        }
    }
}
