//! What each element's text means, per container (transaction, entry, balance, statement),
//! and how a closed container becomes part of the result.

use super::{BAL_AT, BalDraft, NTRY_AT, Parser, STMT_AT, StmtDraft, TX_AT, parse_date};
use crate::account::normalize_domestic;
use crate::camt053::draft::{Context, EntryDraft, Party, TxDraft};
use crate::camt053::names::*;
use crate::decimal::parse_hundredths;
use crate::statement::{AccountId, Format, Statement};
use chrono::NaiveDate;

impl Parser<'_, '_> {
    /// The open element path below the container opened at `depth[at]`, without allocating;
    /// deeper paths than any the parser looks for come back empty.
    fn relative(&self, at: usize, depth: usize) -> ([u16; 8], usize) {
        let mut buf = [u16::MAX; 8];
        let rel = &self.stack[self.depth[at]..depth];
        if rel.len() > buf.len() {
            return (buf, 0);
        }
        buf[..rel.len()].copy_from_slice(rel);
        (buf, rel.len())
    }

    fn amount(&mut self, value: &str) -> Option<i64> {
        match parse_hundredths(value) {
            Ok(amount) => Some(amount),
            Err(problem) => {
                self.fail("Amt", format!("{problem}, found {value:?}"));
                None
            }
        }
    }

    fn date(&mut self, value: &str) -> Option<NaiveDate> {
        let date = parse_date(value);
        if date.is_none() {
            let field = self
                .stack
                .last()
                .map_or("Dt", |&id| self.names.text(id))
                .to_owned();
            self.fail(
                &field,
                format!("expected a date YYYY-MM-DD, found {value:?}"),
            );
        }
        date
    }

    pub(super) fn tx_field(&mut self, depth: usize, value: &str) {
        let owned = || (!value.is_empty()).then(|| value.to_owned());
        let (buf, len) = self.relative(TX_AT, depth);
        let rel = &buf[..len];
        let amount = match rel {
            [AMT] | [AMT_DTLS, TX_AMT, AMT] => self.amount(value),
            _ => None,
        };
        let Some(tx) = self.tx.as_mut() else { return };
        match rel {
            [AMT] | [AMT_DTLS, TX_AMT, AMT] => tx.amount = tx.amount.or(amount),
            [REFS, END_TO_END_ID] if !value.eq_ignore_ascii_case("NOTPROVIDED") => {
                tx.end_to_end_id = owned()
            }
            [REFS, ACCT_SVCR_REF] => tx.acct_svcr_ref = owned(),
            [REFS, PRTRY, TP] => tx.prtry_type = owned(),
            [REFS, PRTRY, REF] => tx.prtry_ref = owned(),
            [REFS, PRTRY] => tx.finish_proprietary_reference(),
            [RLTD_PTIES, side @ (DBTR | CDTR), NM]
            | [RLTD_PTIES, side @ (DBTR | CDTR), PTY, NM] => {
                side_of(tx, *side).name = owned();
            }
            [RLTD_PTIES, side @ (ULTMT_DBTR | ULTMT_CDTR), NM]
            | [RLTD_PTIES, side @ (ULTMT_DBTR | ULTMT_CDTR), PTY, NM] => {
                side_of(tx, *side).ultimate_name = owned();
            }
            [RLTD_PTIES, side @ (DBTR_ACCT | CDTR_ACCT), ID, IBAN] => {
                side_of(tx, *side).iban = owned().map(|v| v.replace(' ', "").to_ascii_uppercase());
            }
            [RLTD_PTIES, side @ (DBTR_ACCT | CDTR_ACCT), ID, OTHR, ID] => {
                side_of(tx, *side).other_account = owned()
            }
            [
                RLTD_AGTS,
                side @ (DBTR_AGT | CDTR_AGT),
                FIN_INSTN_ID,
                CLR_SYS_MMB_ID,
                MMB_ID,
            ]
            | [
                RLTD_AGTS,
                side @ (DBTR_AGT | CDTR_AGT),
                FIN_INSTN_ID,
                OTHR,
                ID,
            ] => {
                let party = side_of(tx, *side);
                party.bank_code = party.bank_code.take().or_else(owned);
            }
            [RMT_INF, USTRD] => tx.ustrd.extend(owned()),
            [RMT_INF, STRD, CDTR_REF_INF, REF] => tx.ref_text = owned(),
            [RMT_INF, STRD, CDTR_REF_INF, TP, CD_OR_PRTRY, CD | PRTRY] => tx.ref_type = owned(),
            [RMT_INF, STRD, CDTR_REF_INF] => tx.finish_creditor_reference(),
            [ADDTL_TX_INF] => tx.addtl_tx_inf = owned(),
            _ => {}
        }
    }

    pub(super) fn entry_field(&mut self, depth: usize, value: &str) {
        let owned = || (!value.is_empty()).then(|| value.to_owned());
        let (buf, len) = self.relative(NTRY_AT, depth);
        let rel = &buf[..len];
        match rel {
            [AMT] => {
                let amount = self.amount(value);
                let currency = self.amount_currency.take();
                if let Some(entry) = self.entry.as_mut() {
                    entry.amount = amount;
                    entry.currency = currency;
                }
            }
            [CDT_DBT_IND] => {
                let credit = self.credit_debit(value);
                if let Some(e) = self.entry.as_mut() {
                    e.credit = credit;
                }
            }
            [RVSL_IND] => {
                let reversal = match value {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => {
                        self.fail(
                            "RvslInd",
                            format!("expected true or false, found {value:?}"),
                        );
                        false
                    }
                };
                if let Some(e) = self.entry.as_mut() {
                    e.reversal = reversal;
                }
            }
            [BOOKG_DT, DT | DT_TM] => {
                let date = self.date(value);
                if let Some(e) = self.entry.as_mut() {
                    e.booked_on = date;
                }
            }
            [VAL_DT, DT | DT_TM] => {
                let date = self.date(value);
                if let Some(e) = self.entry.as_mut() {
                    e.value_on = date;
                }
            }
            _ => {
                let Some(entry) = self.entry.as_mut() else {
                    return;
                };
                match rel {
                    [STS] | [STS, CD] if !value.is_empty() => entry.status = owned(),
                    [ACCT_SVCR_REF] => entry.acct_svcr_ref = owned(),
                    [NTRY_REF] => entry.ntry_ref = owned(),
                    [ADDTL_NTRY_INF] => entry.addtl_ntry_inf = owned(),
                    _ => {}
                }
            }
        }
    }

    fn credit_debit(&mut self, value: &str) -> Option<bool> {
        match value {
            "CRDT" => Some(true),
            "DBIT" => Some(false),
            _ => {
                self.fail(
                    "CdtDbtInd",
                    format!("expected CRDT or DBIT, found {value:?}"),
                );
                None
            }
        }
    }

    pub(super) fn finish_entry(&mut self) {
        if let Some(entry) = self.entry.take() {
            self.check_entry(entry);
        }
        // Only now: the checks above name the entry as `Ntry[n]` in their paths.
        self.depth[NTRY_AT] = 0;
    }

    fn check_entry(&mut self, mut entry: EntryDraft) {
        if entry.amount.is_none() && self.issues.total() == self.issues_at_entry {
            self.fail_child("Amt", "missing: expected the entry amount");
        }
        if entry.credit.is_none() && self.issues.total() == self.issues_at_entry {
            self.fail_child("CdtDbtInd", "missing: expected CRDT or DBIT");
        }
        let no_date = entry.booked_on.is_none() && entry.value_on.is_none();
        if no_date && self.issues.total() == self.issues_at_entry {
            self.fail_child("BookgDt", "missing: expected a booking or value date");
        }
        let Some(stmt) = self.stmt.as_mut() else {
            return;
        };
        if entry.currency.is_none() {
            entry.currency = stmt.currency.clone();
        }
        if entry.currency.is_none() {
            self.fail_child("Amt", "missing Ccy attribute and no account currency");
            return;
        }
        let split = match entry.split_amounts() {
            Some(sum) if Some(sum) == entry.amount => true,
            Some(sum) => {
                let amount = entry.amount.unwrap_or(0);
                self.fail_child(
                    "NtryDtls",
                    &format!(
                        "transaction amounts add up to {sum} haléř, the entry Amt is {amount}"
                    ),
                );
                false
            }
            None => false,
        };
        let Some(stmt) = self.stmt.as_mut() else {
            return;
        };
        if self.issues.total() == self.issues_at_entry && entry.is_booked() {
            let account = stmt
                .iban
                .clone()
                .or_else(|| stmt.other_account.clone())
                .unwrap_or_default();
            entry.into_items(
                Context {
                    account: &account,
                    seen: &mut stmt.seen,
                },
                split,
                &mut stmt.items,
            );
        }
    }

    pub(super) fn balance_field(&mut self, depth: usize, value: &str) {
        let (buf, len) = self.relative(BAL_AT, depth);
        let mut update = BalDraft::default();
        match &buf[..len] {
            [TP, CD_OR_PRTRY, CD | PRTRY] => update.code = Some(value.to_owned()),
            [AMT] => update.amount = self.amount(value),
            [CDT_DBT_IND] => update.credit = self.credit_debit(value),
            [DT, DT | DT_TM] => update.date = self.date(value),
            _ => return,
        }
        if let Some(bal) = self.bal.as_mut() {
            bal.code = update.code.or(bal.code.take());
            bal.amount = update.amount.or(bal.amount);
            bal.credit = update.credit.or(bal.credit);
            bal.date = update.date.or(bal.date);
        }
    }

    pub(super) fn finish_balance(&mut self) {
        let Some(bal) = self.bal.take() else { return };
        self.depth[BAL_AT] = 0;
        let Some(stmt) = self.stmt.as_mut() else {
            return;
        };
        let signed = bal
            .amount
            .map(|a| if bal.credit == Some(false) { -a } else { a });
        match bal.code.as_deref() {
            Some("OPBD") => stmt.opening = signed.or(stmt.opening),
            Some("PRCD") => stmt.opening = stmt.opening.or(signed),
            Some("CLBD") => {
                stmt.closing = signed;
                stmt.closing_date = bal.date;
            }
            _ => {}
        }
    }

    pub(super) fn statement_field(&mut self, depth: usize, value: &str) {
        let (buf, len) = self.relative(STMT_AT, depth);
        let rel = &buf[..len];
        let Some(stmt) = self.stmt.as_mut() else {
            return;
        };
        let owned = || (!value.is_empty()).then(|| value.to_owned());
        match rel {
            [ID] => stmt.id = owned(),
            [ACCT, ID, IBAN] => {
                stmt.iban = owned().map(|v| v.replace(' ', "").to_ascii_uppercase())
            }
            [ACCT, ID, OTHR, ID] => stmt.other_account = owned(),
            [ACCT, CCY] => stmt.currency = owned(),
            [CRE_DT_TM] => stmt.created = parse_date(value),
            [FR_TO_DT, TO_DT_TM] => stmt.to_date = parse_date(value),
            _ => {}
        }
    }

    pub(super) fn finish_statement(&mut self) {
        if let Some(stmt) = self.stmt.take() {
            self.check_statement(stmt);
        }
        self.depth[STMT_AT] = 0;
    }

    fn check_statement(&mut self, stmt: StmtDraft) {
        let account = match (stmt.iban, stmt.other_account) {
            (Some(iban), _) => Some(AccountId::Iban(iban)),
            (None, Some(other)) => Some(AccountId::Domestic(normalize_domestic(&other))),
            (None, None) => None,
        };
        if account.is_none() {
            self.fail_child("Acct", "missing: expected Acct/Id/IBAN or Acct/Id/Othr/Id");
        }
        if stmt.id.is_none() {
            self.fail_child("Id", "missing: expected the statement identification");
        }
        let (Some(account), Some(number)) = (account, stmt.id) else {
            return;
        };
        let currency = stmt
            .currency
            .or_else(|| stmt.items.first().map(|i| i.currency.clone()))
            .unwrap_or_default();
        self.statements.push(Statement {
            format: Format::Camt053,
            account,
            number,
            date: stmt.closing_date.or(stmt.to_date).or(stmt.created),
            currency,
            opening_balance_halere: stmt.opening,
            closing_balance_halere: stmt.closing,
            items: stmt.items,
        });
    }
}

fn side_of(tx: &mut TxDraft, side: u16) -> &mut Party {
    if matches!(side, DBTR | DBTR_ACCT | DBTR_AGT | ULTMT_DBTR) {
        &mut tx.debtor
    } else {
        &mut tx.creditor
    }
}
