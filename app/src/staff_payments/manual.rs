//! `/sprava/platby/rucni-platba`: a payment received outside the bank file and the gateway
//! (cash at the counter, a transfer the bank file missed), entered with a reason. Each filled-in
//! form carries its own idempotency key, so sending it twice records one payment.

use super::{
    StaffFrame, TextField, error_text, field_code, focus, form_error, fresh_key, use_focus_request,
};
use crate::api::{ApiClient, ApiError};
use crate::i18n::use_tr;
use crate::payments::money;
use crate::session::Session;
use dioxus::prelude::*;
use portal_domain::wire::ManualPayment;
use portal_domain::{Amount, parse_czech_date};

#[component]
pub fn StaffManualPayment() -> Element {
    let tr = use_tr();
    rsx! {
        StaffFrame { title: tr.t("staff_payments.manual.title").to_string(), back: true,
            p { class: "lead", {tr.t("staff_payments.manual.intro")} }
            ManualPaymentForm {}
        }
    }
}

/// The input of the first field in error, in the form's order.
fn first_invalid(errors: &[Option<String>; 4]) -> Option<&'static str> {
    let ids = [
        "manual-obligation",
        "manual-amount",
        "manual-date",
        "manual-reason",
    ];
    errors
        .iter()
        .zip(ids)
        .find(|(e, _)| e.is_some())
        .map(|(_, id)| id)
}

/// A successful entry: (payment id, amount, obligation).
type Recorded = (i64, i64, i64);

#[component]
pub fn ManualPaymentForm() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let mut obligation = use_signal(String::new);
    let mut amount = use_signal(String::new);
    let date = use_signal(String::new);
    let mut reason = use_signal(String::new);
    let mut key = use_signal(fresh_key);
    let mut errors = use_signal(|| [None::<String>, None, None, None]);
    let mut error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);
    let mut recorded = use_signal(|| None::<Recorded>);
    let mut focus_to = use_focus_request();
    use_effect(move || {
        if recorded.read().is_some() {
            focus("manual-done");
        }
    });

    let submit = move |event: FormEvent| {
        event.prevent_default();
        let api = api.clone();
        async move {
            // A second click while the first is on its way sends nothing.
            if *busy.peek() {
                return;
            }
            recorded.set(None);
            error.set(None);
            let obligation_id = obligation
                .peek()
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0);
            let halere = Amount::parse(&amount.peek()).map(Amount::halere);
            let received_on = parse_czech_date(&date.peek());
            let why = reason.peek().trim().to_string();
            let checked = [
                obligation_id
                    .is_none()
                    .then(|| "staff_payments.obligation_number".to_string()),
                match halere {
                    Ok(h) if h > 0 => None,
                    Ok(_) => Some("amount.invalid".to_string()),
                    Err(e) => Some(e.code.to_string()),
                },
                received_on.err().map(|e| e.code.to_string()),
                why.is_empty().then(|| "manual.reason".to_string()),
            ];
            let valid = checked.iter().all(Option::is_none);
            focus_to.set(first_invalid(&checked));
            errors.set(checked);
            let (Some(obligation_id), Ok(amount_halere), Ok(received_on), true) =
                (obligation_id, halere, received_on, valid)
            else {
                return;
            };
            busy.set(true);
            let body = ManualPayment {
                obligation_id,
                amount_halere,
                received_on,
                reason: why,
                idempotency_key: Some(key.peek().clone()),
            };
            let csrf = session.peek().csrf_token().unwrap_or_default();
            let result = api.enter_payment(&csrf, &body).await;
            busy.set(false);
            match result {
                Ok(id) => {
                    recorded.set(Some((id, amount_halere, obligation_id)));
                    // The next payment is a new form with a new key.
                    key.set(fresh_key());
                    obligation.set(String::new());
                    amount.set(String::new());
                    reason.set(String::new());
                }
                Err(e) => {
                    let named = [
                        field_code(&e, "obligation_id"),
                        field_code(&e, "amount_halere"),
                        field_code(&e, "received_on"),
                        field_code(&e, "reason"),
                    ];
                    focus_to.set(first_invalid(&named));
                    errors.set(named);
                    let fields = ["obligation_id", "amount_halere", "received_on", "reason"];
                    error.set(form_error(&e, &fields));
                }
            }
        }
    };

    let [obligation_error, amount_error, date_error, reason_error] = errors();
    rsx! {
        if let Some((id, halere, obligation_id)) = recorded() {
            p { id: "manual-done", class: "alert alert--success", role: "status", tabindex: "-1",
                {tr.tf("staff_payments.manual.done", &[
                    ("id", &id.to_string()),
                    ("amount", &money(halere)),
                    ("obligation", &obligation_id.to_string()),
                ])}
            }
        }
        form { class: "form card", novalidate: true, onsubmit: submit, aria_labelledby: "manual-heading",
            h2 { id: "manual-heading", tabindex: "-1", {tr.t("staff_payments.manual.heading")} }
            TextField {
                id: "manual-obligation",
                label: tr.t("staff_payments.field.obligation").to_string(),
                hint: tr.t("staff_payments.field.obligation_hint").to_string(),
                error: obligation_error,
                inputmode: "numeric".to_string(),
                value: obligation,
            }
            TextField {
                id: "manual-amount",
                label: tr.t("staff_payments.field.amount").to_string(),
                hint: tr.t("staff_payments.field.amount_hint").to_string(),
                error: amount_error,
                inputmode: "decimal".to_string(),
                value: amount,
            }
            TextField {
                id: "manual-date",
                label: tr.t("staff_payments.field.received_on").to_string(),
                error: date_error,
                kind: "date".to_string(),
                value: date,
            }
            TextField {
                id: "manual-reason",
                label: tr.t("staff_payments.field.reason").to_string(),
                hint: tr.t("staff_payments.field.reason_hint").to_string(),
                error: reason_error,
                value: reason,
            }
            if let Some(e) = error() {
                p { class: "alert alert--error", role: "alert", {error_text(tr, &e)} }
            }
            button { r#type: "submit", class: "button", disabled: busy(), aria_disabled: busy(),
                {tr.t("staff_payments.manual.submit")}
            }
        }
    }
}
