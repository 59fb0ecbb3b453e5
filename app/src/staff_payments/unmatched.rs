//! `/sprava/platby/nesparovane`: payments that matched no obligation, each paired by hand with
//! an obligation (by its number, or by the variable symbol it should have carried) and a reason
//! kept in the obligation's history.

use super::assign::AssignForm;
use super::reversals::UnpairedReversals;
use super::{StaffFrame, StaffLoadError, focus};
use crate::api::ApiClient;
use crate::i18n::{Tr, format_date, use_tr};
use crate::layout::Loading;
use crate::payments::money;
use dioxus::prelude::*;
use portal_domain::wire::UnmatchedPayment;

#[component]
pub fn StaffUnmatched() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let mut list = use_resource(move || {
        let api = api.clone();
        async move { api.unmatched_payments().await }
    });
    let mut selected = use_signal(|| None::<UnmatchedPayment>);
    let mut done = use_signal(|| None::<i64>);
    use_effect(move || {
        if done.read().is_some() {
            focus("assign-done");
        }
    });
    rsx! {
        StaffFrame { title: tr.t("staff_payments.unmatched.title").to_string(), back: true,
            p { class: "lead", {tr.t("staff_payments.unmatched.intro")} }
            if let Some(id) = done() {
                p { id: "assign-done", class: "alert alert--success", role: "status", tabindex: "-1",
                    {tr.tf("staff_payments.assign.done", &[("id", &id.to_string())])}
                }
            }
            match &*list.read() {
                None => rsx! { Loading {} },
                Some(Err(error)) => rsx! {
                    StaffLoadError { error: error.clone(), on_retry: move |_| list.restart() }
                },
                Some(Ok(payments)) if payments.is_empty() => rsx! {
                    p { {tr.t("staff_payments.unmatched.none")} }
                },
                Some(Ok(payments)) => rsx! {
                    UnmatchedTable {
                        payments: payments.clone(),
                        on_pick: move |p: UnmatchedPayment| {
                            done.set(None);
                            selected.set(Some(p));
                        },
                    }
                },
            }
            if let Some(payment) = selected() {
                AssignForm {
                    key: "{payment.id}",
                    payment,
                    on_assigned: move |id: i64| {
                        selected.set(None);
                        done.set(Some(id));
                        list.restart();
                    },
                    on_cancel: move |_| selected.set(None),
                }
            }
            UnpairedReversals {}
        }
    }
}

pub fn reason_text(tr: Tr, reason: &str) -> &'static str {
    match reason {
        "no_symbol" => tr.t("staff_payments.reason.no_symbol"),
        "unknown_symbol" => tr.t("staff_payments.reason.unknown_symbol"),
        "currency" => tr.t("staff_payments.reason.currency"),
        _ => tr.t("staff_payments.reason.other"),
    }
}

#[component]
pub fn UnmatchedTable(
    payments: Vec<UnmatchedPayment>,
    on_pick: EventHandler<UnmatchedPayment>,
) -> Element {
    let tr = use_tr();
    rsx! {
        table { class: "table",
            caption { {tr.t("staff_payments.unmatched.caption")} }
            thead {
                tr {
                    th { scope: "col", {tr.t("staff_payments.col.received")} }
                    th { scope: "col", {tr.t("staff_payments.col.amount")} }
                    th { scope: "col", {tr.t("staff_payments.col.vs")} }
                    th { scope: "col", {tr.t("staff_payments.col.counterparty")} }
                    th { scope: "col", {tr.t("staff_payments.col.message")} }
                    th { scope: "col", {tr.t("staff_payments.col.why")} }
                    th { scope: "col", span { class: "visually-hidden", {tr.t("staff_payments.col.actions")} } }
                }
            }
            tbody {
                for p in payments {
                    tr { key: "{p.id}",
                        td { {format_date(tr, p.received_on)} }
                        td { {money(p.amount_halere)} }
                        td { {p.variable_symbol.clone().unwrap_or_default()} }
                        td {
                            {p.counter_name.clone().unwrap_or_default()}
                            if let Some(account) = &p.counter_account {
                                br {}
                                "{account}"
                            }
                        }
                        td { {p.message.clone().unwrap_or_default()} }
                        td { {reason_text(tr, &p.reason)} }
                        td {
                            button {
                                r#type: "button",
                                class: "button button--secondary",
                                aria_label: tr.tf("staff_payments.assign.open_named", &[
                                    ("amount", &money(p.amount_halere)),
                                    ("date", &format_date(tr, p.received_on)),
                                ]),
                                onclick: {
                                    let p = p.clone();
                                    move |_| on_pick.call(p.clone())
                                },
                                {tr.t("staff_payments.assign.open")}
                            }
                        }
                    }
                }
            }
        }
    }
}
