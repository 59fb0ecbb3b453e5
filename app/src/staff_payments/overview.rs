//! `/sprava/platby`: the office's payments overview, one link per task.

use super::StaffFrame;
use crate::i18n::use_tr;
use crate::routes::Route;
use dioxus::prelude::*;

#[component]
pub fn StaffPayments() -> Element {
    let tr = use_tr();
    let sections = [
        (
            Route::StaffStatements {},
            tr.t("staff_payments.statements.title"),
            tr.t("staff_payments.statements.summary"),
        ),
        (
            Route::StaffUnmatched {},
            tr.t("staff_payments.unmatched.title"),
            tr.t("staff_payments.unmatched.summary"),
        ),
        (
            Route::StaffManualPayment {},
            tr.t("staff_payments.manual.title"),
            tr.t("staff_payments.manual.summary"),
        ),
        (
            Route::StaffArrears {},
            tr.t("staff_payments.arrears.title"),
            tr.t("staff_payments.arrears.summary"),
        ),
        (
            Route::StaffYearlyRun {},
            tr.t("staff_payments.yearly.title"),
            tr.t("staff_payments.yearly.summary"),
        ),
        (
            Route::StaffPayer {
                ucet: String::new(),
            },
            tr.t("staff_payments.payer.title"),
            tr.t("staff_payments.payer.summary"),
        ),
    ];
    rsx! {
        StaffFrame { title: tr.t("staff_payments.title").to_string(), back: false,
            p { class: "lead", {tr.t("staff_payments.intro")} }
            ul { class: "tiles",
                for (route, title, summary) in sections {
                    li { key: "{title}", class: "tile",
                        h2 { class: "tile__title", Link { to: route, "{title}" } }
                        p { class: "tile__summary", "{summary}" }
                    }
                }
            }
        }
    }
}
