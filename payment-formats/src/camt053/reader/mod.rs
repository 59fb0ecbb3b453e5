//! The streaming pass: a stack of element ids, the text of the current element, and drafts
//! for the statement, balance, entry and transaction being read. What each element's text
//! means is in `fields`.

mod fields;

use super::draft::{EntryDraft, TxDraft};
use super::names::*;
use super::{VERSIONS, namespace_version};
use crate::id::Occurrences;
use crate::statement::{Issues, Location, Statement, StatementItem};
use chrono::NaiveDate;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::fmt::Write;

#[derive(Debug, Default)]
struct StmtDraft {
    id: Option<String>,
    iban: Option<String>,
    other_account: Option<String>,
    currency: Option<String>,
    opening: Option<i64>,
    closing: Option<i64>,
    closing_date: Option<NaiveDate>,
    to_date: Option<NaiveDate>,
    created: Option<NaiveDate>,
    items: Vec<StatementItem>,
    seen: Occurrences,
}

#[derive(Debug, Default)]
struct BalDraft {
    code: Option<String>,
    amount: Option<i64>,
    credit: Option<bool>,
    date: Option<NaiveDate>,
}

pub(super) struct Parser<'a, 'i> {
    reader: Reader<&'a [u8]>,
    issues: &'i mut Issues,
    names: Names,
    stack: Vec<u16>,
    text: String,
    /// `Ccy` of the `Amt` element being read.
    amount_currency: Option<String>,
    stmt: Option<StmtDraft>,
    bal: Option<BalDraft>,
    entry: Option<EntryDraft>,
    tx: Option<TxDraft>,
    /// Stack depth of the open `Stmt`, `Bal`, `Ntry`, `TxDtls` (0 when none is open).
    depth: [usize; 4],
    /// 1-based positions of the current `Stmt`, `Ntry` (in its statement), `TxDtls` (in its entry).
    index: [usize; 3],
    /// Issues recorded when the current entry started: more means the entry is bad.
    issues_at_entry: usize,
    fatal: bool,
    statements: Vec<Statement>,
}

const STMT_AT: usize = 0;
const BAL_AT: usize = 1;
const NTRY_AT: usize = 2;
const TX_AT: usize = 3;

impl<'a, 'i> Parser<'a, 'i> {
    pub(super) fn new(xml: &'a [u8], issues: &'i mut Issues) -> Self {
        let mut reader = Reader::from_reader(xml);
        reader.config_mut().expand_empty_elements = true;
        Parser {
            reader,
            issues,
            names: Names::new(),
            stack: Vec::with_capacity(16),
            text: String::new(),
            amount_currency: None,
            stmt: None,
            bal: None,
            entry: None,
            tx: None,
            depth: [0; 4],
            index: [0; 3],
            issues_at_entry: 0,
            fatal: false,
            statements: Vec::new(),
        }
    }

    pub(super) fn run(mut self) -> Vec<Statement> {
        while !self.fatal {
            match self.reader.read_event() {
                Ok(Event::Start(e)) => self.start(&e),
                Ok(Event::End(_)) => self.end(),
                // Whitespace before any content is trimmed anyway: skip it undecoded (most
                // text events of an indented file are such).
                Ok(Event::Text(t))
                    if self.text.is_empty() && t.iter().all(u8::is_ascii_whitespace) => {}
                Ok(Event::Text(t)) => match std::str::from_utf8(&t) {
                    // Without carriage returns there are no line ends to normalise.
                    Ok(text) if !text.contains('\r') => self.text.push_str(text),
                    _ => match t.xml10_content() {
                        Ok(text) => self.text.push_str(&text),
                        Err(e) => self.fail_fatal(format!("undecodable text: {e}")),
                    },
                },
                Ok(Event::CData(c)) => match c.decode() {
                    Ok(text) => self.text.push_str(&text),
                    Err(e) => self.fail_fatal(format!("undecodable text: {e}")),
                },
                Ok(Event::GeneralRef(r)) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        Ok(None) => r
                            .decode()
                            .ok()
                            .and_then(|name| resolve_predefined_entity(&name))
                            .map(str::to_owned),
                        Err(_) => None,
                    };
                    match resolved {
                        Some(text) => self.text.push_str(&text),
                        None => self.fail_fatal(format!(
                            "unknown entity &{};",
                            String::from_utf8_lossy(&r)
                        )),
                    }
                }
                Ok(Event::Eof) => {
                    if !self.stack.is_empty() {
                        self.fail_fatal("malformed XML: the file ends inside this element".into());
                    }
                    break;
                }
                Ok(_) => {}
                Err(e) => {
                    let at = self.reader.error_position();
                    self.fail_fatal(format!("malformed XML at byte {at}: {e}"));
                }
            }
        }
        self.statements
    }

    /// The current element path, e.g. `Document/BkToCstmrStmt/Stmt[2]/Ntry[17]/Amt`.
    fn path(&self) -> String {
        let mut out = String::new();
        for (i, &id) in self.stack.iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(self.names.text(id));
            let open = |at: usize| self.depth[at] == i + 1;
            let position = match id {
                STMT if open(STMT_AT) => Some(self.index[0]),
                NTRY if open(NTRY_AT) => Some(self.index[1]),
                TX_DTLS if open(TX_AT) => Some(self.index[2]),
                _ => None,
            };
            if let Some(n) = position {
                let _ = write!(out, "[{n}]");
            }
        }
        out
    }

    fn fail(&mut self, field: &str, problem: String) {
        let path = self.path();
        self.issues.push(Location::XmlPath(path), field, problem);
    }

    /// A problem below the current element, e.g. a missing child.
    fn fail_child(&mut self, child: &str, problem: &str) {
        let path = format!("{}/{child}", self.path());
        self.issues.push(Location::XmlPath(path), child, problem);
    }

    fn fail_fatal(&mut self, problem: String) {
        let field = self
            .stack
            .last()
            .map_or("document", |&id| self.names.text(id))
            .to_owned();
        self.fail(&field, problem);
        self.fatal = true;
    }

    fn start(&mut self, e: &BytesStart) {
        let id = self.names.id(e.local_name().as_ref());
        self.stack.push(id);
        self.text.clear();
        let depth = self.stack.len();
        match (depth, id) {
            (1, DOCUMENT) => self.check_namespace(e),
            (1, _) => self.fail_fatal("expected a camt.053 Document root element".into()),
            (2, BK_TO_CSTMR_STMT) => {}
            (2, _) => self.fail_fatal("expected BkToCstmrStmt (a camt.053 bank statement)".into()),
            (3, STMT) => {
                self.index = [self.index[0] + 1, 0, 0];
                self.depth[STMT_AT] = depth;
                self.stmt = Some(StmtDraft::default());
            }
            _ => {}
        }
        if self.stmt.is_some() && self.entry.is_none() && self.bal.is_none() {
            match &self.stack[self.depth[STMT_AT]..] {
                [BAL] => {
                    self.depth[BAL_AT] = depth;
                    self.bal = Some(BalDraft::default());
                }
                [NTRY] => {
                    self.depth[NTRY_AT] = depth;
                    self.index = [self.index[0], self.index[1] + 1, 0];
                    self.issues_at_entry = self.issues.total();
                    self.entry = Some(EntryDraft::default());
                }
                _ => {}
            }
        } else if self.entry.is_some()
            && self.tx.is_none()
            && self.stack[self.depth[NTRY_AT]..] == [NTRY_DTLS, TX_DTLS]
        {
            self.depth[TX_AT] = depth;
            self.index[2] += 1;
            self.tx = Some(TxDraft::default());
        }
        if id == AMT {
            self.amount_currency = e.try_get_attribute("Ccy").ok().flatten().and_then(|a| {
                a.normalized_value(XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.trim().to_owned())
            });
        }
    }

    fn check_namespace(&mut self, e: &BytesStart) {
        let namespaces: Vec<String> = e
            .attributes()
            .flatten()
            .filter(|a| a.key.as_ref() == b"xmlns" || a.key.as_ref().starts_with(b"xmlns:"))
            .filter_map(|a| {
                a.normalized_value(XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .collect();
        match namespaces
            .iter()
            .find_map(|ns| namespace_version(ns).map(|v| (ns, v)))
        {
            Some((_, version)) if VERSIONS.contains(&version) => {}
            Some((ns, _)) => self.fail_fatal(format!(
                "unsupported version {ns} (supported camt.053.001.{:02} to .{:02})",
                VERSIONS.start(),
                VERSIONS.end()
            )),
            None => self.fail_fatal(format!(
                "expected the namespace urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN, found {}",
                if namespaces.is_empty() {
                    "none".to_owned()
                } else {
                    namespaces.join(", ")
                }
            )),
        }
    }

    fn end(&mut self) {
        let depth = self.stack.len();
        let text = std::mem::take(&mut self.text);
        let value = text.trim();
        if self.tx.is_some() {
            if depth == self.depth[TX_AT] {
                let tx = self.tx.take();
                self.depth[TX_AT] = 0;
                if let Some(entry) = self.entry.as_mut() {
                    entry.txs.extend(tx);
                }
            } else {
                self.tx_field(depth, value);
            }
        } else if self.entry.is_some() {
            if depth == self.depth[NTRY_AT] {
                self.finish_entry();
            } else {
                self.entry_field(depth, value);
            }
        } else if self.bal.is_some() {
            if depth == self.depth[BAL_AT] {
                self.finish_balance();
            } else {
                self.balance_field(depth, value);
            }
        } else if self.stmt.is_some() {
            if depth == self.depth[STMT_AT] {
                self.finish_statement();
            } else {
                self.statement_field(depth, value);
            }
        }
        self.stack.pop();
        self.text = text;
        self.text.clear();
    }
}

/// `YYYY-MM-DD`, optionally followed by a time (`T…`) or a time zone (`Z`, `+01:00`).
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.trim().as_bytes();
    if b.len() < 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b.get(10), None | Some(b'T' | b'Z' | b'+' | b'-'))
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}
