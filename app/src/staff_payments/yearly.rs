//! `/sprava/platby/rocni-predpis`: the yearly run, which charges every household member and
//! registered dog of 1 January; running it again creates nothing twice.

use super::{StaffFrame, TextField, error_text, field_code, focus, form_error, use_focus_request};
use crate::api::{ApiClient, ApiError, YearlyRunReport, YearlyRunRequest};
use crate::i18n::{format_count, use_tr};
use crate::session::Session;
use dioxus::prelude::*;

#[component]
pub fn StaffYearlyRun() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let year = use_signal(String::new);
    let fee = use_signal(String::new);
    let mut year_error = use_signal(|| None::<String>);
    let mut fee_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);
    let mut report = use_signal(|| None::<YearlyRunReport>);
    let mut focus_to = use_focus_request();
    use_effect(move || {
        if report.read().is_some() {
            focus("yearly-result");
        }
    });

    let submit = move |event: FormEvent| {
        event.prevent_default();
        let api = api.clone();
        async move {
            if *busy.peek() {
                return;
            }
            report.set(None);
            error.set(None);
            let parsed = year
                .peek()
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y));
            year_error.set(parsed.is_none().then(|| "yearly_run.year".to_string()));
            fee_error.set(None);
            let Some(year) = parsed else {
                focus_to.set(Some("yearly-year"));
                return;
            };
            let code = fee.peek().trim().to_string();
            let body = YearlyRunRequest {
                year,
                fee_code: (!code.is_empty()).then_some(code),
            };
            busy.set(true);
            let csrf = session.peek().csrf_token().unwrap_or_default();
            let result = api.yearly_run(&csrf, &body).await;
            busy.set(false);
            match result {
                Ok(r) => report.set(Some(r)),
                Err(e) => {
                    let (year_code, fee_code) =
                        (field_code(&e, "year"), field_code(&e, "fee_code"));
                    focus_to.set(match (&year_code, &fee_code) {
                        (Some(_), _) => Some("yearly-year"),
                        (None, Some(_)) => Some("yearly-fee"),
                        (None, None) => None,
                    });
                    year_error.set(year_code);
                    fee_error.set(fee_code);
                    error.set(form_error(&e, &["year", "fee_code"]));
                }
            }
        }
    };

    rsx! {
        StaffFrame { title: tr.t("staff_payments.yearly.title").to_string(), back: true,
            p { class: "lead", {tr.t("staff_payments.yearly.intro")} }
            super::fees::FeeTypes {}
            form { class: "form card", novalidate: true, onsubmit: submit,
                TextField {
                    id: "yearly-year",
                    label: tr.t("staff_payments.yearly.year").to_string(),
                    error: year_error(),
                    inputmode: "numeric".to_string(),
                    value: year,
                }
                TextField {
                    id: "yearly-fee",
                    label: tr.t("staff_payments.yearly.fee").to_string(),
                    hint: tr.t("staff_payments.yearly.fee_hint").to_string(),
                    error: fee_error(),
                    value: fee,
                }
                if let Some(e) = error() {
                    p { class: "alert alert--error", role: "alert", {error_text(tr, &e)} }
                }
                button { r#type: "submit", class: "button", disabled: busy(),
                    {tr.t("staff_payments.yearly.submit")}
                }
            }
            if let Some(r) = report() {
                YearlySummary { report: r }
            }
        }
    }
}

#[component]
fn YearlySummary(report: YearlyRunReport) -> Element {
    let tr = use_tr();
    let count = |n: u64| format_count(tr.lang, u32::try_from(n).unwrap_or(u32::MAX));
    rsx! {
        section { class: "card", aria_labelledby: "yearly-result",
            h2 { id: "yearly-result", tabindex: "-1",
                {tr.tf("staff_payments.yearly.result", &[("year", &report.year.to_string())])}
            }
            p { role: "status",
                {tr.tf("staff_payments.yearly.created", &[("count", &count(report.created))])}
            }
            p { {tr.tf("staff_payments.yearly.existing", &[("count", &count(report.existing))])} }
        }
    }
}
