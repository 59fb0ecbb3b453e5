//! "Platby": what the citizen owes the town, each obligation with its QR Platba, and how every
//! payment was matched.

mod basket;
mod card;
pub mod detail;

use basket::PayAllByTransfer;
use card::PayByCard;

pub use detail::ObligationPage;

use crate::api::ApiClient;
use crate::i18n::{Tr, format_date, use_tr};
use crate::layout::{LoadError, Loading, PageTitle};
use crate::routes::Route;
use dioxus::prelude::*;
use portal_domain::Amount;
use portal_domain::wire::{Obligation, ObligationList};

pub fn money(halere: i64) -> String {
    Amount::from_halere(halere).format_czk()
}

pub fn status_text(tr: Tr, status: &str) -> &'static str {
    match status {
        "unpaid" => tr.t("payments.status.unpaid"),
        "partly_paid" => tr.t("payments.status.partly_paid"),
        "paid" => tr.t("payments.status.paid"),
        "overpaid" => tr.t("payments.status.overpaid"),
        "cancelled" => tr.t("payments.status.cancelled"),
        _ => tr.t("payments.status.other"),
    }
}

/// The outcome of a card payment the gateway sent the citizen back with (`?platba=`).
fn outcome_key(outcome: &str) -> Option<(&'static str, &'static str)> {
    match outcome {
        "ok" => Some(("alert alert--success", "payments.card.ok")),
        "zamitnuto" => Some(("alert alert--error", "payments.card.declined")),
        "zruseno" => Some(("alert alert--info", "payments.card.cancelled")),
        "chyba" => Some(("alert alert--error", "payments.card.unverified")),
        "" => None,
        _ => Some(("alert alert--info", "payments.card.pending")),
    }
}

#[component]
pub fn Payments(platba: String) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let mut list = use_resource(move || {
        let api = api.clone();
        async move { api.obligations().await }
    });
    rsx! {
        PageTitle { title: tr.t("payments.title") }
        h1 { {tr.t("payments.title")} }
        if let Some((class, key)) = outcome_key(&platba) {
            div { class: "{class}", role: "status", p { {tr.t(key)} } }
        }
        match &*list.read() {
            None => rsx! { Loading {} },
            Some(Err(error)) => rsx! {
                LoadError { error: error.clone(), on_retry: move |_| list.restart() }
            },
            Some(Ok(list)) => rsx! { ObligationsView { list: list.clone() } },
        }
    }
}

#[component]
pub fn ObligationsView(list: ObligationList) -> Element {
    let tr = use_tr();
    let (open, settled): (Vec<Obligation>, Vec<Obligation>) = list
        .obligations
        .iter()
        .cloned()
        .partition(|o| o.status == "unpaid" || o.status == "partly_paid");
    rsx! {
        section { class: "card payments-summary", aria_labelledby: "payments-owed",
            h2 { id: "payments-owed", {tr.t("payments.owed")} }
            p { class: "payments-summary__total", {money(list.owed_halere)} }
            if list.overpaid_halere > 0 {
                p { {tr.tf("payments.overpaid", &[("amount", &money(list.overpaid_halere))])} }
            }
        }
        section { aria_labelledby: "payments-open",
            h2 { id: "payments-open", {tr.t("payments.open")} }
            if open.is_empty() {
                p { {tr.t("payments.none_open")} }
            } else {
                ObligationTable { obligations: open.clone() }
                PayByCard {
                    obligation_ids: open.iter().map(|o| o.id).collect::<Vec<_>>(),
                    label: tr.tf("payments.card.pay_all", &[("amount", &money(list.owed_halere))]),
                    next: "/platby".to_string(),
                }
                if open.len() > 1 {
                    PayAllByTransfer { obligation_ids: open.iter().map(|o| o.id).collect::<Vec<_>>() }
                }
            }
        }
        if !settled.is_empty() {
            section { aria_labelledby: "payments-settled",
                h2 { id: "payments-settled", {tr.t("payments.settled")} }
                ObligationTable { obligations: settled }
            }
        }
    }
}

#[component]
fn ObligationTable(obligations: Vec<Obligation>) -> Element {
    let tr = use_tr();
    rsx! {
        table { class: "table obligations",
            thead {
                tr {
                    th { scope: "col", {tr.t("payments.table.item")} }
                    th { scope: "col", {tr.t("payments.table.amount")} }
                    th { scope: "col", {tr.t("payments.table.remaining")} }
                    th { scope: "col", {tr.t("payments.table.due")} }
                    th { scope: "col", {tr.t("payments.table.status")} }
                }
            }
            tbody {
                for o in obligations {
                    tr { key: "{o.id}",
                        td {
                            Link { to: Route::Obligation { id: o.id },
                                "{o.description}"
                                if let Some(period) = &o.period { " {period}" }
                            }
                        }
                        td { {money(o.amount_halere)} }
                        td { {money((o.amount_halere - o.paid_halere).max(0))} }
                        td { {format_date(tr, o.due_date)} }
                        td { span { class: "badge badge--{o.status}", {status_text(tr, &o.status)} } }
                    }
                }
            }
        }
    }
}
