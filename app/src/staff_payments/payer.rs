//! `/sprava/platby/platce?ucet=N`: one payer found by portal account number (never by name:
//! the office looks up the person in front of it, not browses people).

use super::payer_view::{Dogs, Households, PayerView};
use super::{StaffFrame, StaffLoadError, TextField, error_text, focus};
use crate::api::{ApiClient, ApiError};
use crate::i18n::use_tr;
use crate::layout::Loading;
use crate::routes::Route;
use dioxus::prelude::*;

#[component]
pub fn StaffPayer(ucet: String) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let nav = use_navigator();
    let account = use_signal(|| ucet.clone());
    let mut account_error = use_signal(|| None::<String>);
    let wanted = ucet.trim().parse::<i64>().ok().filter(|n| *n > 0);
    let mut payer = use_resource(use_reactive!(|wanted| {
        let api = api.clone();
        async move {
            match wanted {
                Some(n) => Some(api.payer(n).await),
                None => None,
            }
        }
    }));
    let loaded = payer.read().as_ref().is_some_and(|p| p.is_some());
    use_effect(use_reactive!(|loaded| {
        if loaded {
            focus("payer-result");
        }
    }));

    let submit = move |event: FormEvent| {
        event.prevent_default();
        let text = account.peek().trim().to_string();
        match text.parse::<i64>() {
            Ok(n) if n > 0 => {
                account_error.set(None);
                nav.push(Route::StaffPayer {
                    ucet: n.to_string(),
                });
            }
            _ => account_error.set(Some("staff.account_number".to_string())),
        }
    };

    rsx! {
        StaffFrame { title: tr.t("staff_payments.payer.title").to_string(), back: true,
            p { class: "lead", {tr.t("staff_payments.payer.intro")} }
            form { class: "form card", role: "search", novalidate: true, onsubmit: submit,
                TextField {
                    id: "payer-account",
                    label: tr.t("staff_payments.payer.account").to_string(),
                    hint: tr.t("staff_payments.payer.account_hint").to_string(),
                    error: account_error(),
                    inputmode: "numeric".to_string(),
                    value: account,
                }
                button { r#type: "submit", class: "button", {tr.t("staff_payments.payer.submit")} }
            }
            match &*payer.read() {
                None => rsx! { Loading {} },
                Some(None) => rsx! {},
                Some(Some(Err(ApiError::NotFound))) => rsx! {
                    p { id: "payer-result", class: "alert alert--info", role: "status", tabindex: "-1",
                        {tr.tf("staff_payments.payer.not_found", &[("account", ucet.trim())])}
                    }
                    // Someone new to the registers: their first household or dog starts here.
                    if let Some(account) = wanted {
                        Households { account, households: Vec::new(), on_changed: move |_| payer.restart() }
                        Dogs { account, dogs: Vec::new(), on_changed: move |_| payer.restart() }
                    }
                },
                Some(Some(Err(ApiError::Server { status: 403, .. }))) => rsx! {
                    p { id: "payer-result", class: "alert alert--error", role: "alert",
                        {error_text(tr, &ApiError::Server { status: 403, code: None })}
                    }
                },
                Some(Some(Err(error))) => rsx! {
                    StaffLoadError { error: error.clone(), on_retry: move |_| payer.restart() }
                },
                Some(Some(Ok(overview))) => rsx! {
                    PayerView { payer: overview.clone(), on_changed: move |_| payer.restart() }
                },
            }
        }
    }
}
