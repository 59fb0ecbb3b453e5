//! `/sprava/platby/nedoplatky`: who owes what past the due date, the oldest first, and the CSV
//! export of a period's payments for the accounting system.

use super::{StaffFrame, StaffLoadError, TextField};
use crate::api::ApiClient;
use crate::i18n::{format_date, use_tr};
use crate::layout::Loading;
use crate::payments::money;
use crate::routes::Route;
use dioxus::prelude::*;
use portal_domain::wire::Arrear;

#[component]
pub fn StaffArrears() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let mut list = use_resource(move || {
        let api = api.clone();
        async move { api.arrears().await }
    });
    rsx! {
        StaffFrame { title: tr.t("staff_payments.arrears.title").to_string(), back: true,
            match &*list.read() {
                None => rsx! { Loading {} },
                Some(Err(error)) => rsx! {
                    StaffLoadError { error: error.clone(), on_retry: move |_| list.restart() }
                },
                Some(Ok(arrears)) if arrears.is_empty() => rsx! {
                    p { {tr.t("staff_payments.arrears.none")} }
                },
                Some(Ok(arrears)) => rsx! { ArrearsTable { arrears: arrears.clone() } },
            }
            ExportForm {}
        }
    }
}

#[component]
pub fn ArrearsTable(arrears: Vec<Arrear>) -> Element {
    let tr = use_tr();
    let total: i64 = arrears.iter().map(|a| a.owed_halere).sum();
    rsx! {
        p { class: "lead", {tr.tf("staff_payments.arrears.total", &[("amount", &money(total))])} }
        table { class: "table",
            caption { {tr.t("staff_payments.arrears.caption")} }
            thead {
                tr {
                    th { scope: "col", {tr.t("staff_payments.col.payer")} }
                    th { scope: "col", {tr.t("staff_payments.col.item")} }
                    th { scope: "col", {tr.t("staff_payments.col.obligation")} }
                    th { scope: "col", {tr.t("staff_payments.col.vs")} }
                    th { scope: "col", {tr.t("staff_payments.col.overdue_since")} }
                    th { scope: "col", {tr.t("staff_payments.col.owed")} }
                }
            }
            tbody {
                for (a, payer) in arrears.into_iter().map(|a| {
                    let payer = Route::StaffPayer { ucet: a.payer_account.to_string() };
                    (a, payer)
                }) {
                    tr { key: "{a.obligation_id}",
                        th { scope: "row",
                            // A plain link the router takes over on click (the table also
                            // renders outside a router, in tests).
                            a {
                                href: "{payer}",
                                onclick: {
                                    let payer = payer.clone();
                                    move |event: MouseEvent| {
                                        event.prevent_default();
                                        navigator().push(payer.clone());
                                    }
                                },
                                "{a.payer_name}"
                            }
                            " ({a.payer_account})"
                        }
                        td { "{a.description}" }
                        td { "{a.obligation_id}" }
                        td { "{a.variable_symbol}" }
                        td { {format_date(tr, a.due_date)} }
                        td { {money(a.owed_halere)} }
                    }
                }
            }
        }
    }
}

/// A period (either end may stay empty) and the link that downloads its payments as CSV.
#[component]
fn ExportForm() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let from = use_signal(String::new);
    let to = use_signal(String::new);
    let href = api.export_url(&from(), &to());
    rsx! {
        section { class: "card", aria_labelledby: "export-heading",
            h2 { id: "export-heading", {tr.t("staff_payments.export.heading")} }
            p { {tr.t("staff_payments.export.intro")} }
            TextField {
                id: "export-from",
                label: tr.t("staff_payments.export.from").to_string(),
                kind: "date".to_string(),
                value: from,
            }
            TextField {
                id: "export-to",
                label: tr.t("staff_payments.export.to").to_string(),
                kind: "date".to_string(),
                value: to,
            }
            p {
                a { class: "button", href: "{href}", download: "platby.csv",
                    {tr.t("staff_payments.export.download")}
                }
            }
        }
    }
}
