//! One obligation: how much, by when, to which account with which symbols, the QR Platba, and
//! every payment with how it was matched.

use super::{money, status_text};
use crate::api::ApiClient;
use crate::i18n::{Tr, format_date, format_datetime, use_tr};
use crate::layout::{LoadError, Loading, PageTitle, use_town};
use crate::routes::Route;
use dioxus::prelude::*;
use portal_domain::Iban;
use portal_domain::wire::{ObligationDetail, ObligationEvent};

#[component]
pub fn ObligationPage(id: i64) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let mut detail = use_resource(move || {
        let api = api.clone();
        async move { api.obligation(id).await }
    });
    rsx! {
        PageTitle { title: tr.t("payments.detail.title") }
        p { Link { to: Route::Payments { platba: String::new() }, {tr.t("payments.back")} } }
        match &*detail.read() {
            None => rsx! { h1 { {tr.t("payments.detail.title")} } Loading {} },
            Some(Err(error)) => rsx! {
                h1 { {tr.t("payments.detail.title")} }
                LoadError { error: error.clone(), on_retry: move |_| detail.restart() }
            },
            Some(Ok(d)) => rsx! { ObligationView { detail: d.clone() } },
        }
    }
}

pub fn matched_text(tr: Tr, how: &str) -> &'static str {
    match how {
        "exact" => tr.t("payments.matched.exact"),
        "partial" => tr.t("payments.matched.partial"),
        "over" => tr.t("payments.matched.over"),
        "already_paid" => tr.t("payments.matched.already_paid"),
        "manual" => tr.t("payments.matched.manual"),
        "reversed" => tr.t("payments.matched.reversed"),
        _ => tr.t("payments.matched.other"),
    }
}

/// One line of an obligation's history: what happened, the amount, and how a payment matched
/// or the office's reason.
fn history_text(tr: Tr, e: &ObligationEvent) -> String {
    let what = match e.event.as_str() {
        "created" => tr.t("payments.history.created"),
        "payment" => tr.t("payments.history.payment"),
        "manual_payment" => tr.t("payments.history.manual_payment"),
        "payment_assigned" => tr.t("payments.history.payment_assigned"),
        "refund" => tr.t("payments.history.refund"),
        "reversal" => tr.t("payments.history.reversal"),
        _ => tr.t("payments.history.other"),
    };
    let mut line = what.to_owned();
    if let Some(amount) = e.amount_halere {
        line += &format!(": {}", money(amount.abs()));
    }
    match (e.event.as_str(), e.note.as_deref()) {
        // Obligations are created by the yearly run or by staff: nothing for the citizen to read.
        ("created", _) | (_, None | Some("")) => {}
        // A payment's note is how it matched (a code); staff entries and refunds carry a reason.
        ("payment", Some(code)) => line += &format!(" ({})", matched_text(tr, code)),
        (_, Some(reason)) => line += &format!(" ({reason})"),
    }
    line
}

fn source_text(tr: Tr, source: &str) -> &'static str {
    match source {
        "bank" => tr.t("payments.source.bank"),
        "card" => tr.t("payments.source.card"),
        _ => tr.t("payments.source.manual"),
    }
}

#[component]
pub fn ObligationView(detail: ObligationDetail) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let town = use_town();
    let o = detail.obligation.clone();
    let remaining = (o.amount_halere - o.paid_halere).max(0);
    let account = town
        .as_ref()
        .and_then(|t| Iban::parse(&t.bank_account).ok())
        .map(|iban| iban.to_string())
        .unwrap_or_default();
    let qr_svg = api.url(&format!("/api/payments/obligations/{}/qr/svg", o.id));
    let qr_png = api.url(&format!("/api/payments/obligations/{}/qr/png", o.id));
    rsx! {
        h1 { "{o.description}" if let Some(period) = &o.period { " {period}" } }
        section { class: "card", aria_labelledby: "obligation-facts",
            h2 { id: "obligation-facts", {tr.t("payments.detail.facts")} }
            dl { class: "facts",
                dt { {tr.t("payments.table.amount")} }
                dd { {money(o.amount_halere)} }
                dt { {tr.t("payments.detail.paid")} }
                dd { {money(o.paid_halere)} }
                dt { {tr.t("payments.table.remaining")} }
                dd { {money(remaining)} }
                dt { {tr.t("payments.table.due")} }
                dd { {format_date(tr, o.due_date)} }
                dt { {tr.t("payments.table.status")} }
                dd { {status_text(tr, &o.status)} }
            }
        }
        if detail.spayd.is_some() {
            section { class: "card", aria_labelledby: "obligation-card",
                h2 { id: "obligation-card", {tr.t("payments.card.heading")} }
                super::PayByCard {
                    obligation_ids: vec![o.id],
                    label: tr.tf("payments.card.pay", &[("amount", &money(remaining))]),
                    next: format!("/platby/{}", o.id),
                }
            }
            section { class: "card pay-by-transfer", aria_labelledby: "obligation-pay",
                h2 { id: "obligation-pay", {tr.t("payments.detail.pay")} }
                p { {tr.t("payments.detail.qr_intro")} }
                img {
                    class: "qr",
                    src: "{qr_svg}",
                    width: "240",
                    height: "240",
                    alt: tr.tf("payments.detail.qr_alt", &[("amount", &money(remaining)), ("vs", &o.variable_symbol)]),
                }
                p { a { href: "{qr_png}", download: "qr-platba-{o.variable_symbol}.png", {tr.t("payments.detail.qr_download")} } }
                dl { class: "facts",
                    dt { {tr.t("payments.detail.account")} }
                    dd { class: "copyable", "{account}" }
                    dt { {tr.t("payments.detail.vs")} }
                    dd { class: "copyable", "{o.variable_symbol}" }
                    if let Some(ss) = &o.specific_symbol {
                        dt { {tr.t("payments.detail.ss")} }
                        dd { "{ss}" }
                    }
                    dt { {tr.t("payments.table.remaining")} }
                    dd { {money(remaining)} }
                }
            }
        }
        section { class: "card", aria_labelledby: "obligation-payments",
            h2 { id: "obligation-payments", {tr.t("payments.detail.payments")} }
            if detail.payments.is_empty() {
                p { {tr.t("payments.detail.no_payments")} }
            } else {
                ul { class: "payment-shares",
                    for p in detail.payments.iter() {
                        li { key: "{p.payment_id}",
                            {tr.tf("payments.detail.share", &[
                                ("date", &format_date(tr, p.received_on)),
                                ("source", source_text(tr, &p.source)),
                                ("amount", &money(p.amount_halere)),
                                ("how", matched_text(tr, &p.matched_by)),
                            ])}
                        }
                    }
                }
            }
            if !detail.history.is_empty() {
                h3 { {tr.t("payments.detail.history")} }
                ul { class: "history",
                    for (i, e) in detail.history.iter().enumerate() {
                        li { key: "{i}",
                            {format_datetime(tr, e.at)}
                            " – "
                            {history_text(tr, e)}
                        }
                    }
                }
            }
        }
    }
}
