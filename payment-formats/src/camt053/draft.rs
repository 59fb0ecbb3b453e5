//! What is collected while an entry (`Ntry`) is read, and how it becomes statement items.

use crate::id::{Occurrences, digest};
use crate::statement::{ItemKind, StatementItem};
use crate::symbols::{Symbols, normalize, scan};
use chrono::NaiveDate;

/// One party of a transaction (debtor or creditor side).
#[derive(Debug, Default)]
pub(super) struct Party {
    pub name: Option<String>,
    pub ultimate_name: Option<String>,
    pub iban: Option<String>,
    pub other_account: Option<String>,
    /// Bank code from the agent's clearing-system member id or other id (`0800`).
    pub bank_code: Option<String>,
}

impl Party {
    fn into_account(self) -> Option<String> {
        if self.iban.is_some() {
            return self.iban;
        }
        let other = self.other_account?;
        match &self.bank_code {
            Some(bank)
                if !other.contains('/')
                    && bank.len() == 4
                    && bank.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(format!("{other}/{bank}"))
            }
            _ => Some(other),
        }
    }

    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.ultimate_name.is_none()
            && self.iban.is_none()
            && self.other_account.is_none()
    }
}

/// `TxDtls`: details of one transaction inside an entry.
#[derive(Debug, Default)]
pub(super) struct TxDraft {
    pub amount: Option<i64>,
    pub end_to_end_id: Option<String>,
    pub acct_svcr_ref: Option<String>,
    pub debtor: Party,
    pub creditor: Party,
    pub ustrd: Vec<String>,
    pub addtl_tx_inf: Option<String>,
    /// From `Strd/CdtrRefInf`: typed (`Tp` VS/SS/KS) or prefixed (`VS:123`) references, and
    /// from `Refs/Prtry` typed `VS`/`SS`/`KS`.
    pub structured: Symbols,
    /// A purely numeric `CdtrRefInf/Ref` without type or prefix: taken as VS if nothing better.
    pub plain_ref: Option<String>,
    /// The `CdtrRefInf` being read: its type code and reference.
    pub ref_type: Option<String>,
    pub ref_text: Option<String>,
    /// The `Refs/Prtry` being read: a bank's own reference, with its type (`VS`, `SS`, `KS`).
    pub prtry_type: Option<String>,
    pub prtry_ref: Option<String>,
}

impl TxDraft {
    /// Called at the end of each `CdtrRefInf`.
    pub(super) fn finish_creditor_reference(&mut self) {
        let (Some(reference), kind) = (self.ref_text.take(), self.ref_type.take()) else {
            self.ref_type = None;
            return;
        };
        if let Some(typed) = kind.and_then(|kind| Symbols::typed(&kind, &reference)) {
            self.structured.fill_from(typed);
            return;
        }
        let found = scan(&reference);
        if found != Symbols::default() {
            self.structured.fill_from(found);
        } else if reference.len() <= 10 && self.plain_ref.is_none() {
            self.plain_ref = normalize(&reference);
        }
    }

    /// Called at the end of each `Refs/Prtry`: a symbol when its type names one, else nothing
    /// (other proprietary references are the bank's, not the payer's).
    pub(super) fn finish_proprietary_reference(&mut self) {
        let (kind, reference) = (self.prtry_type.take(), self.prtry_ref.take());
        if let (Some(kind), Some(reference)) = (kind, reference) {
            self.structured
                .fill_from(Symbols::typed(&kind, &reference).unwrap_or_default());
        }
    }

    fn symbols(&self, entry_info: Option<&str>) -> Symbols {
        let mut symbols = self.structured.clone();
        if let Some(e2e) = &self.end_to_end_id {
            symbols.fill_from(scan(e2e));
        }
        if symbols.vs.is_none() {
            symbols.vs = self.plain_ref.clone();
        }
        let texts = self.ustrd.iter().map(String::as_str);
        for text in texts.chain(self.addtl_tx_inf.as_deref()).chain(entry_info) {
            if symbols.is_complete() {
                break;
            }
            symbols.fill_from(scan(text));
        }
        symbols
    }
}

/// `Ntry`: one booked movement.
#[derive(Debug, Default)]
pub(super) struct EntryDraft {
    pub amount: Option<i64>,
    pub currency: Option<String>,
    pub credit: Option<bool>,
    pub reversal: bool,
    pub status: Option<String>,
    pub booked_on: Option<NaiveDate>,
    pub value_on: Option<NaiveDate>,
    pub acct_svcr_ref: Option<String>,
    pub ntry_ref: Option<String>,
    pub addtl_ntry_inf: Option<String>,
    pub txs: Vec<TxDraft>,
}

/// The statement-level context an entry needs to become items.
pub(super) struct Context<'s> {
    pub account: &'s str,
    pub seen: &'s mut Occurrences,
}

impl EntryDraft {
    /// Whether the entry is booked (a statement may list pending entries; they are skipped).
    pub(super) fn is_booked(&self) -> bool {
        self.status.as_deref().is_none_or(|s| s.trim() == "BOOK")
    }

    fn kind(&self) -> ItemKind {
        match (self.credit.unwrap_or(true), self.reversal) {
            (true, false) => ItemKind::Credit,
            (false, false) => ItemKind::Debit,
            (false, true) => ItemKind::CreditReversal,
            (true, true) => ItemKind::DebitReversal,
        }
    }

    /// Whether the transaction details are separate items: several, each with its own amount,
    /// adding up to the entry's amount (a batch booking).
    pub(super) fn split_amounts(&self) -> Option<i64> {
        if self.txs.len() < 2 {
            return None;
        }
        self.txs
            .iter()
            .try_fold(0i64, |sum, tx| sum.checked_add(tx.amount?))
    }

    /// The items of a checked entry (amount, direction and currency present).
    pub(super) fn into_items(self, ctx: Context<'_>, split: bool, out: &mut Vec<StatementItem>) {
        let Context { account, seen } = ctx;
        let kind = self.kind();
        let entry = Shared {
            kind,
            currency: self.currency.unwrap_or_default(),
            booked_on: self.booked_on.or(self.value_on),
            value_on: self.value_on,
            acct_svcr_ref: self.acct_svcr_ref,
            ntry_ref: self.ntry_ref,
            addtl_ntry_inf: self.addtl_ntry_inf,
        };
        if split {
            for (i, tx) in self.txs.into_iter().enumerate() {
                let amount = tx.amount.unwrap_or(0);
                out.push(entry.item(tx, amount, Some(i + 1), account, seen));
            }
        } else {
            let mut txs = self.txs;
            // Several transactions without their own amounts: none of them speaks for the entry.
            let tx = if txs.len() == 1 {
                txs.pop().unwrap_or_default()
            } else {
                TxDraft::default()
            };
            out.push(entry.item(tx, self.amount.unwrap_or(0), None, account, seen));
        }
    }
}

/// What all items of one entry share.
struct Shared {
    kind: ItemKind,
    currency: String,
    booked_on: Option<NaiveDate>,
    value_on: Option<NaiveDate>,
    acct_svcr_ref: Option<String>,
    ntry_ref: Option<String>,
    addtl_ntry_inf: Option<String>,
}

impl Shared {
    fn item(
        &self,
        tx: TxDraft,
        amount: i64,
        part: Option<usize>,
        account: &str,
        seen: &mut Occurrences,
    ) -> StatementItem {
        let symbols = tx.symbols(self.addtl_ntry_inf.as_deref());
        // The other party: the debtor of money received, the creditor of money sent.
        let (first, second) = if self.kind.sign() > 0 {
            (tx.debtor, tx.creditor)
        } else {
            (tx.creditor, tx.debtor)
        };
        let party = if first.is_empty() { second } else { first };
        let mut ustrd = tx.ustrd;
        let message = match ustrd.len() {
            0 => tx.addtl_tx_inf.or_else(|| self.addtl_ntry_inf.clone()),
            1 => ustrd.pop(),
            _ => Some(ustrd.join(" ")),
        };
        let mut item = StatementItem {
            id: String::new(),
            kind: self.kind,
            amount_halere: self.kind.sign() * amount,
            currency: self.currency.clone(),
            vs: symbols.vs,
            ss: symbols.ss,
            ks: symbols.ks,
            counter_name: party.name.clone().or_else(|| party.ultimate_name.clone()),
            counter_account: party.into_account(),
            message,
            booked_on: self.booked_on,
            value_on: self.value_on,
            bank_reference: self.acct_svcr_ref.clone().or(tx.acct_svcr_ref),
            end_to_end_id: tx.end_to_end_id,
        };
        item.id = item_id(&item, account, part, self.ntry_ref.as_deref(), seen);
        item
    }
}

fn kind_code(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Credit => "C",
        ItemKind::Debit => "D",
        ItemKind::CreditReversal => "RC",
        ItemKind::DebitReversal => "RD",
    }
}

/// `camt:{account}:ref:{AcctSvcrRef}[/{part}]:{kind}:{n}` when the bank gives its reference
/// (unique per movement at Czech banks; the kind keeps a reversal that reuses the reference of
/// the original apart), else `camt:{account}:h:{digest}:{n}` over the item's fields.
fn item_id(
    item: &StatementItem,
    account: &str,
    part: Option<usize>,
    ntry_ref: Option<&str>,
    seen: &mut Occurrences,
) -> String {
    let kind = kind_code(item.kind);
    let part = part.map(|p| format!("/{p}")).unwrap_or_default();
    let mut id = String::with_capacity(account.len() + 64);
    id.push_str("camt:");
    id.push_str(account);
    id.push(':');
    let key_start = id.len();
    match &item.bank_reference {
        Some(reference) => {
            id.push_str("ref:");
            id.push_str(reference);
            id.push_str(&part);
            id.push(':');
            id.push_str(kind);
        }
        None => {
            let amount = item.amount_halere.to_string();
            let booked = item.booked_on.map(|d| d.to_string()).unwrap_or_default();
            let value = item.value_on.map(|d| d.to_string()).unwrap_or_default();
            let field = |f: &Option<String>| f.as_deref().unwrap_or("").as_bytes().to_vec();
            let parts: Vec<Vec<u8>> = vec![
                kind.into(),
                amount.into_bytes(),
                item.currency.as_bytes().to_vec(),
                booked.into_bytes(),
                value.into_bytes(),
                ntry_ref.unwrap_or("").as_bytes().to_vec(),
                field(&item.end_to_end_id),
                field(&item.vs),
                field(&item.ss),
                field(&item.ks),
                field(&item.counter_account),
                field(&item.counter_name),
                field(&item.message),
                part.into_bytes(),
            ];
            id.push_str("h:");
            id.push_str(&digest(parts.iter().map(Vec::as_slice)));
        }
    }
    let n = seen.next(&id[key_start..]);
    id.push(':');
    id.push_str(&n.to_string());
    id
}
