//! One payer as the office sees them: what they owe, their obligations, the payments credited
//! and their entries in the registers (households, dogs), with the changes an official makes
//! there (see [`super::registers`]); `on_changed` reloads the page's data after one.

use super::registers::{ChangeButton, ChangeForm};
use crate::i18n::{Tr, format_date, use_tr};
use crate::payments::{money, status_text};
use dioxus::prelude::*;
use portal_domain::wire::{
    PayerCardPayment, PayerDog, PayerHousehold, PayerOverview, PayerPayment,
};

fn source_text(tr: Tr, source: &str) -> &'static str {
    match source {
        "bank" => tr.t("payments.source.bank"),
        "card" => tr.t("payments.source.card"),
        "manual" => tr.t("payments.source.manual"),
        _ => tr.t("payments.matched.other"),
    }
}

fn matched_text(tr: Tr, how: &str) -> &'static str {
    match how {
        "exact" => tr.t("payments.matched.exact"),
        "partial" => tr.t("payments.matched.partial"),
        "over" => tr.t("payments.matched.over"),
        "already_paid" => tr.t("payments.matched.already_paid"),
        "manual" => tr.t("payments.matched.manual"),
        _ => tr.t("payments.matched.other"),
    }
}

fn rate_class_text(tr: Tr, class: Option<&str>) -> &'static str {
    match class {
        Some("adult") => tr.t("staff_payments.rate.adult"),
        Some("child") => tr.t("staff_payments.rate.child"),
        Some("pensioner") => tr.t("staff_payments.rate.pensioner"),
        Some("exempt") => tr.t("staff_payments.rate.exempt"),
        _ => tr.t("staff_payments.rate.by_age"),
    }
}

#[component]
pub fn PayerView(payer: PayerOverview, on_changed: EventHandler<()>) -> Element {
    let tr = use_tr();
    rsx! {
        section { class: "card payments-summary", aria_labelledby: "payer-result",
            h2 { id: "payer-result", tabindex: "-1", "{payer.name} ({payer.account})" }
            p { {tr.tf("staff_payments.payer.owed", &[("amount", &money(payer.owed_halere))])} }
        }
        section { aria_labelledby: "payer-obligations",
            h2 { id: "payer-obligations", {tr.t("staff_payments.payer.obligations")} }
            if payer.obligations.is_empty() {
                p { {tr.t("staff_payments.payer.no_obligations")} }
            } else {
                table { class: "table",
                    caption { class: "visually-hidden", {tr.t("staff_payments.payer.obligations")} }
                    thead {
                        tr {
                            th { scope: "col", {tr.t("staff_payments.col.obligation")} }
                            th { scope: "col", {tr.t("staff_payments.col.item")} }
                            th { scope: "col", {tr.t("staff_payments.col.vs")} }
                            th { scope: "col", {tr.t("staff_payments.col.amount")} }
                            th { scope: "col", {tr.t("staff_payments.col.paid")} }
                            th { scope: "col", {tr.t("payments.table.due")} }
                            th { scope: "col", {tr.t("payments.table.status")} }
                        }
                    }
                    tbody {
                        for o in payer.obligations.clone() {
                            tr { key: "{o.id}",
                                td { "{o.id}" }
                                th { scope: "row",
                                    "{o.description}"
                                    if let Some(period) = &o.period { " {period}" }
                                }
                                td { "{o.variable_symbol}" }
                                td { {money(o.amount_halere)} }
                                td { {money(o.paid_halere)} }
                                td { {format_date(tr, o.due_date)} }
                                td { span { class: "badge badge--{o.status}", {status_text(tr, &o.status)} } }
                            }
                        }
                    }
                }
            }
        }
        PaymentsTable { payments: payer.payments.clone() }
        CardPayments { payments: payer.card_payments.clone(), on_changed }
        Households { account: payer.account, households: payer.households.clone(), on_changed }
        Dogs { account: payer.account, dogs: payer.dogs.clone(), on_changed }
    }
}

#[component]
fn PaymentsTable(payments: Vec<PayerPayment>) -> Element {
    let tr = use_tr();
    rsx! {
        section { aria_labelledby: "payer-payments",
            h2 { id: "payer-payments", {tr.t("staff_payments.payer.payments")} }
            if payments.is_empty() {
                p { {tr.t("staff_payments.payer.no_payments")} }
            } else {
                table { class: "table",
                    caption { class: "visually-hidden", {tr.t("staff_payments.payer.payments")} }
                    thead {
                        tr {
                            th { scope: "col", {tr.t("staff_payments.col.received")} }
                            th { scope: "col", {tr.t("staff_payments.col.source")} }
                            th { scope: "col", {tr.t("staff_payments.col.amount")} }
                            th { scope: "col", {tr.t("staff_payments.col.obligation")} }
                            th { scope: "col", {tr.t("staff_payments.col.matched")} }
                        }
                    }
                    tbody {
                        for (i, p) in payments.into_iter().enumerate() {
                            tr { key: "{i}",
                                td { {format_date(tr, p.received_on)} }
                                td { {source_text(tr, &p.source)} }
                                td { {money(p.amount_halere)} }
                                td { "{p.obligation_id}" }
                                td { {matched_text(tr, &p.matched_by)} }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
pub fn Households(
    account: i64,
    households: Vec<PayerHousehold>,
    on_changed: EventHandler<()>,
) -> Element {
    let tr = use_tr();
    rsx! {
        section { aria_labelledby: "payer-households",
            h2 { id: "payer-households", {tr.t("staff_payments.payer.households")} }
            if households.is_empty() {
                p { {tr.t("staff_payments.payer.no_households")} }
            }
            for h in households {
                table { key: "{h.id}", class: "table",
                    caption { {tr.tf("staff_payments.payer.household", &[("address", &h.address)])} }
                    thead {
                        tr {
                            th { scope: "col", {tr.t("staff_payments.col.name")} }
                            th { scope: "col", {tr.t("staff_payments.col.born")} }
                            th { scope: "col", {tr.t("staff_payments.col.rate")} }
                            th { scope: "col", {tr.t("staff_payments.col.from")} }
                            th { scope: "col", {tr.t("staff_payments.col.to")} }
                            th { scope: "col", {tr.t("staff_payments.col.change")} }
                        }
                    }
                    tbody {
                        for (i, m) in h.members.into_iter().enumerate() {
                            tr { key: "{i}",
                                th { scope: "row", "{m.name}" }
                                td { {format_date(tr, m.date_of_birth)} }
                                td { {rate_class_text(tr, m.rate_class.as_deref())} }
                                td { {format_date(tr, m.valid_from)} }
                                td { {m.valid_to.map(|d| format_date(tr, d)).unwrap_or_default()} }
                                td {
                                    if m.valid_to.is_none() {
                                        ChangeButton { form: ChangeForm::EndMember { member: m.id },
                                            id: format!("end-member-{}", m.id), on_done: on_changed }
                                    }
                                }
                            }
                        }
                    }
                }
                ChangeButton { form: ChangeForm::NewMember { household: h.id },
                    id: format!("new-member-{}", h.id), on_done: on_changed }
            }
            ChangeButton { form: ChangeForm::NewHousehold { payer: account },
                id: "new-household".to_string(), on_done: on_changed }
        }
    }
}

#[component]
pub fn Dogs(account: i64, dogs: Vec<PayerDog>, on_changed: EventHandler<()>) -> Element {
    let tr = use_tr();
    rsx! {
        section { aria_labelledby: "payer-dogs",
            h2 { id: "payer-dogs", {tr.t("staff_payments.payer.dogs")} }
            if dogs.is_empty() {
                p { {tr.t("staff_payments.payer.no_dogs")} }
            } else {
                table { class: "table",
                    caption { class: "visually-hidden", {tr.t("staff_payments.payer.dogs")} }
                    thead {
                        tr {
                            th { scope: "col", {tr.t("staff_payments.col.name")} }
                            th { scope: "col", {tr.t("staff_payments.col.registered")} }
                            th { scope: "col", {tr.t("staff_payments.col.ended")} }
                            th { scope: "col", {tr.t("staff_payments.col.exempt")} }
                            th { scope: "col", {tr.t("staff_payments.col.change")} }
                        }
                    }
                    tbody {
                        for d in dogs {
                            tr { key: "{d.id}",
                                th { scope: "row", "{d.name}" }
                                td { {format_date(tr, d.registered_on)} }
                                td { {d.ended_on.map(|e| format_date(tr, e)).unwrap_or_default()} }
                                td { if d.exempt { {tr.t("staff_payments.yes")} } else { {tr.t("staff_payments.no")} } }
                                td {
                                    if d.ended_on.is_none() {
                                        ChangeButton { form: ChangeForm::EndDog { dog: d.id },
                                            id: format!("end-dog-{}", d.id), on_done: on_changed }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            ChangeButton { form: ChangeForm::NewDog { owner: account },
                id: "new-dog".to_string(), on_done: on_changed }
        }
    }
}

/// Paid card payments, with what is left to refund.
#[component]
fn CardPayments(payments: Vec<PayerCardPayment>, on_changed: EventHandler<()>) -> Element {
    let tr = use_tr();
    if payments.is_empty() {
        return rsx! {};
    }
    rsx! {
        section { aria_labelledby: "payer-card-payments",
            h2 { id: "payer-card-payments", {tr.t("staff_payments.payer.card_payments")} }
            table { class: "table",
                caption { class: "visually-hidden", {tr.t("staff_payments.payer.card_payments")} }
                thead {
                    tr {
                        th { scope: "col", {tr.t("staff_payments.col.received")} }
                        th { scope: "col", {tr.t("staff_payments.col.amount")} }
                        th { scope: "col", {tr.t("staff_payments.col.refunded")} }
                        th { scope: "col", {tr.t("staff_payments.col.change")} }
                    }
                }
                tbody {
                    for p in payments {
                        tr { key: "{p.id}",
                            td { {format_date(tr, p.paid_on)} }
                            td { {money(p.amount_halere)} }
                            td { {money(p.refunded_halere)} }
                            td {
                                if p.refunded_halere < p.amount_halere {
                                    ChangeButton {
                                        form: ChangeForm::Refund {
                                            card_payment: p.id,
                                            left_halere: p.amount_halere - p.refunded_halere,
                                        },
                                        id: format!("refund-{}", p.id),
                                        on_done: on_changed,
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
