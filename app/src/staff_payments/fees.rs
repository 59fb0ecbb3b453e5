//! The town's fee types on the yearly run's page: what the run will charge, and when.

use crate::api::ApiClient;
use crate::i18n::{Tr, use_tr};
use crate::payments::money;
use dioxus::prelude::*;
use portal_domain::wire::FeeType;

fn rate_name(tr: Tr, class: &str) -> String {
    match class {
        "adult" => tr.t("staff_payments.fees.rate.adult").into(),
        "child" => tr.t("staff_payments.fees.rate.child").into(),
        "pensioner" => tr.t("staff_payments.fees.rate.pensioner").into(),
        "first" => tr.t("staff_payments.fees.rate.first").into(),
        "further" => tr.t("staff_payments.fees.rate.further").into(),
        "pensioner_first" => tr.t("staff_payments.fees.rate.pensioner_first").into(),
        "pensioner_further" => tr.t("staff_payments.fees.rate.pensioner_further").into(),
        other => other.into(),
    }
}

/// `MM-DD` as a Czech or English day of the month.
fn due(tr: Tr, mm_dd: &str) -> String {
    let (month, day) = mm_dd.split_once('-').unwrap_or((mm_dd, ""));
    let (month, day) = (month.trim_start_matches('0'), day.trim_start_matches('0'));
    match tr.lang {
        crate::i18n::Lang::Cs => format!("{day}. {month}."),
        crate::i18n::Lang::En => format!("{day}/{month}"),
    }
}

#[component]
pub fn FeeTypes() -> Element {
    let api = use_context::<ApiClient>();
    let fees = use_resource(move || {
        let api = api.clone();
        async move { api.fee_types().await }
    });
    let Some(Ok(fees)) = &*fees.read() else {
        return rsx! {};
    };
    rsx! {
        FeeTable { fees: fees.clone() }
    }
}

#[component]
pub fn FeeTable(fees: Vec<FeeType>) -> Element {
    let tr = use_tr();
    rsx! {
        table { class: "table",
            caption { {tr.t("staff_payments.fees.caption")} }
            thead {
                tr {
                    th { scope: "col", {tr.t("staff_payments.fees.fee")} }
                    th { scope: "col", {tr.t("staff_payments.fees.rates")} }
                    th { scope: "col", {tr.t("staff_payments.fees.instalments")} }
                }
            }
            tbody {
                for fee in fees {
                    tr { key: "{fee.code}",
                        th { scope: "row", "{fee.name} " span { class: "muted", "({fee.code})" } }
                        td {
                            ul { class: "plain",
                                for (class, halere) in fee.rates.iter() {
                                    li { key: "{class}", {format!("{}: {}", rate_name(tr, class), money(*halere))} }
                                }
                            }
                        }
                        td {
                            ul { class: "plain",
                                for (i, instalment) in fee.instalments.iter().enumerate() {
                                    li { key: "{i}", {format!("{} – {} %", due(tr, &instalment.due), instalment.share_percent)} }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
