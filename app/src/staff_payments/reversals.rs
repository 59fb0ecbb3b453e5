//! Credits the bank took back that the statement import could not pair with the payment they
//! reverse (shown on `/sprava/platby/nesparovane`, below the unmatched payments). An official
//! picks the payment among those of the same amount, with a reason; its obligations then owe
//! it again.

use super::{StaffLoadError, TextField, error_text, field_code, focus, form_error};
use crate::api::{ApiClient, ApiError};
use crate::i18n::{format_date, use_tr};
use crate::layout::Loading;
use crate::payments::money;
use crate::session::Session;
use dioxus::prelude::*;
use portal_domain::wire::{PairReversal, UnpairedReversal};

#[component]
pub fn UnpairedReversals() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let mut list = use_resource(move || {
        let api = api.clone();
        async move { api.unpaired_reversals().await }
    });
    let mut done = use_signal(|| false);
    use_effect(move || {
        if done() {
            focus("reversal-done");
        }
    });
    let reversals = match &*list.read() {
        None => return rsx! { Loading {} },
        Some(Err(error)) => {
            return rsx! {
                StaffLoadError { error: error.clone(), on_retry: move |_| list.restart() }
            };
        }
        Some(Ok(reversals)) => reversals.clone(),
    };
    rsx! {
        section { aria_labelledby: "reversals-heading",
            h2 { id: "reversals-heading", {tr.t("staff_payments.reversals.title")} }
            if done() {
                p { id: "reversal-done", class: "alert alert--success", role: "status", tabindex: "-1",
                    {tr.t("staff_payments.reversals.done")}
                }
            }
            if reversals.is_empty() {
                p { {tr.t("staff_payments.reversals.none")} }
            } else {
                p { {tr.t("staff_payments.reversals.intro")} }
            }
            for reversal in reversals {
                PairForm {
                    key: "{reversal.id}",
                    reversal,
                    on_paired: move |_| {
                        done.set(true);
                        list.restart();
                    },
                }
            }
        }
    }
}

#[component]
pub fn PairForm(reversal: UnpairedReversal, on_paired: EventHandler<()>) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let mut payment = use_signal(|| None::<i64>);
    let reason = use_signal(String::new);
    let mut payment_error = use_signal(|| None::<String>);
    let mut reason_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);
    let id = reversal.id;

    let submit = move |event: FormEvent| {
        event.prevent_default();
        let api = api.clone();
        async move {
            let why = reason.peek().trim().to_string();
            payment_error.set(payment().is_none().then(|| "reversal.payment".to_string()));
            reason_error.set(why.is_empty().then(|| "manual.reason".to_string()));
            let Some(payment_id) = payment() else {
                focus(&format!("reversal-{id}-candidates"));
                return;
            };
            if why.is_empty() {
                focus(&format!("reversal-{id}-reason"));
                return;
            }
            busy.set(true);
            error.set(None);
            let csrf = session.peek().csrf_token().unwrap_or_default();
            let body = PairReversal {
                payment_id,
                reason: why,
            };
            let result = api.pair_reversal(&csrf, id, &body).await;
            busy.set(false);
            match result {
                Ok(()) => on_paired.call(()),
                Err(e) => {
                    payment_error.set(field_code(&e, "payment_id"));
                    reason_error.set(field_code(&e, "reason"));
                    error.set(form_error(&e, &["payment_id", "reason"]));
                }
            }
        }
    };

    let heading = format!("reversal-{id}-heading");
    let group = format!("reversal-{id}-candidates");
    let group_error = format!("{group}-error");
    rsx! {
        form { class: "form card", novalidate: true, onsubmit: submit, aria_labelledby: "{heading}",
            h3 { id: "{heading}",
                {tr.tf("staff_payments.reversals.heading", &[
                    ("amount", &money(reversal.amount_halere)),
                    ("date", &format_date(tr, reversal.received_on)),
                ])}
            }
            p {
                {tr.t("staff_payments.col.vs")}
                ": {reversal.variable_symbol.clone().unwrap_or_default()} · "
                {tr.t("staff_payments.col.counterparty")}
                ": {reversal.counter_account.clone().unwrap_or_default()}"
            }
            if reversal.candidates.is_empty() {
                p { {tr.t("staff_payments.reversals.no_candidates")} }
            } else {
                fieldset {
                    id: "{group}",
                    tabindex: "-1",
                    class: if payment_error().is_some() { "field field--invalid" } else { "field" },
                    aria_describedby: payment_error().is_some().then(|| group_error.clone()),
                    legend { {tr.t("staff_payments.reversals.which")} }
                    if let Some(code) = payment_error() {
                        p { id: "{group_error}", class: "field__error", {tr.error(&code)} }
                    }
                    for c in reversal.candidates.clone() {
                        div { key: "{c.payment_id}",
                            input {
                                id: "reversal-{id}-payment-{c.payment_id}",
                                r#type: "radio",
                                name: "reversal-{id}-payment",
                                checked: payment() == Some(c.payment_id),
                                onchange: move |_| payment.set(Some(c.payment_id)),
                            }
                            " "
                            label { r#for: "reversal-{id}-payment-{c.payment_id}",
                                {format_date(tr, c.received_on)}
                                ", VS {c.variable_symbol.clone().unwrap_or_default()}, "
                                {c.counter_name.clone().or(c.counter_account.clone()).unwrap_or_default()}
                                " (#{c.payment_id})"
                            }
                        }
                    }
                }
                TextField {
                    id: "reversal-{id}-reason",
                    label: tr.t("staff_payments.field.reason").to_string(),
                    hint: tr.t("staff_payments.field.reason_hint").to_string(),
                    error: reason_error(),
                    value: reason,
                }
                if let Some(e) = error() {
                    p { class: "alert alert--error", role: "alert", {error_text(tr, &e)} }
                }
                button { r#type: "submit", class: "button", disabled: busy(),
                    {tr.t("staff_payments.reversals.submit")}
                }
            }
        }
    }
}
