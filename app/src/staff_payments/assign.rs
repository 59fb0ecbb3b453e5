//! The form that pairs one unmatched payment with an obligation, named by its number or by the
//! variable symbol the payment should have carried, with a reason.

use super::{TextField, error_text, field_code, focus, form_error, use_focus_request};
use crate::api::{ApiClient, ApiError};
use crate::i18n::{format_date, use_tr};
use crate::payments::money;
use crate::session::Session;
use dioxus::prelude::*;
use portal_domain::VariableSymbol;
use portal_domain::wire::{AssignPayment, UnmatchedPayment};

#[component]
pub fn AssignForm(
    payment: UnmatchedPayment,
    on_assigned: EventHandler<i64>,
    on_cancel: EventHandler<()>,
) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let obligation = use_signal(String::new);
    let reason = use_signal(String::new);
    let mut obligation_error = use_signal(|| None::<String>);
    let mut reason_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);
    let mut by = use_signal(|| "id".to_string());
    let mut focus_to = use_focus_request();
    use_effect(|| focus("assign-heading"));
    let payment_id = payment.id;

    let submit = move |event: FormEvent| {
        event.prevent_default();
        let api = api.clone();
        async move {
            let text = obligation.peek().trim().to_string();
            let why = reason.peek().trim().to_string();
            reason_error.set(why.is_empty().then(|| "manual.reason".to_string()));
            let by_symbol = by() == "vs";
            let checked = if by_symbol {
                VariableSymbol::parse(&text)
                    .map(|vs| vs.to_string())
                    .map_err(|e| e.code.to_string())
            } else {
                text.parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .map(|id| id.to_string())
                    .ok_or_else(|| "staff_payments.obligation_number".to_string())
            };
            obligation_error.set(checked.clone().err());
            let (Ok(wanted), false) = (checked.clone(), why.is_empty()) else {
                focus_to.set(Some(if checked.is_err() {
                    "assign-obligation"
                } else {
                    "assign-reason"
                }));
                return;
            };
            busy.set(true);
            error.set(None);
            let obligation_id = if by_symbol {
                match resolve_symbol(&api, &wanted).await {
                    Ok(id) => id,
                    Err(Lookup::Field(code)) => {
                        busy.set(false);
                        obligation_error.set(Some(code));
                        focus_to.set(Some("assign-obligation"));
                        return;
                    }
                    Err(Lookup::Failed(e)) => {
                        busy.set(false);
                        error.set(Some(e));
                        return;
                    }
                }
            } else {
                wanted.parse().unwrap_or_default()
            };
            let csrf = session.peek().csrf_token().unwrap_or_default();
            let body = AssignPayment {
                obligation_id,
                reason: why,
            };
            let result = api.assign_payment(&csrf, payment_id, &body).await;
            busy.set(false);
            match result {
                Ok(()) => on_assigned.call(payment_id),
                Err(e) => {
                    let obligation_code = field_code(&e, "obligation_id");
                    let reason_code = field_code(&e, "reason");
                    focus_to.set(match (&obligation_code, &reason_code) {
                        (Some(_), _) => Some("assign-obligation"),
                        (None, Some(_)) => Some("assign-reason"),
                        (None, None) => None,
                    });
                    obligation_error.set(obligation_code);
                    reason_error.set(reason_code);
                    error.set(form_error(&e, &["obligation_id", "reason"]));
                }
            }
        }
    };

    rsx! {
        form { class: "form card", novalidate: true, onsubmit: submit, aria_labelledby: "assign-heading",
            h2 { id: "assign-heading", tabindex: "-1",
                {tr.tf("staff_payments.assign.heading", &[
                    ("amount", &money(payment.amount_halere)),
                    ("date", &format_date(tr, payment.received_on)),
                ])}
            }
            fieldset { class: "field",
                legend { {tr.t("staff_payments.assign.by")} }
                for (value, label) in [("id", tr.t("staff_payments.assign.by_id")), ("vs", tr.t("staff_payments.assign.by_vs"))] {
                    div { key: "{value}",
                        input {
                            id: "assign-by-{value}",
                            r#type: "radio",
                            name: "assign-by",
                            value,
                            checked: by() == value,
                            onchange: move |_| by.set(value.to_string()),
                        }
                        " "
                        label { r#for: "assign-by-{value}", "{label}" }
                    }
                }
            }
            TextField {
                id: "assign-obligation",
                label: if by() == "vs" { tr.t("staff_payments.field.vs").to_string() } else { tr.t("staff_payments.field.obligation").to_string() },
                hint: if by() == "vs" { tr.t("staff_payments.field.vs_hint").to_string() } else { tr.t("staff_payments.field.obligation_hint").to_string() },
                error: obligation_error(),
                inputmode: "numeric".to_string(),
                value: obligation,
            }
            TextField {
                id: "assign-reason",
                label: tr.t("staff_payments.field.reason").to_string(),
                hint: tr.t("staff_payments.field.reason_hint").to_string(),
                error: reason_error(),
                value: reason,
            }
            if let Some(e) = error() {
                p { class: "alert alert--error", role: "alert", {error_text(tr, &e)} }
            }
            button { r#type: "submit", class: "button", disabled: busy(), {tr.t("staff_payments.assign.submit")} }
            " "
            button { r#type: "button", class: "button button--secondary", onclick: move |_| on_cancel.call(()),
                {tr.t("staff_payments.cancel")}
            }
        }
    }
}

enum Lookup {
    /// An error to show at the field (no obligation, or several, with this symbol).
    Field(String),
    Failed(ApiError),
}

/// The one obligation (not cancelled) with this variable symbol.
async fn resolve_symbol(api: &ApiClient, vs: &str) -> Result<i64, Lookup> {
    let found = api
        .obligations_by_symbol(vs)
        .await
        .map_err(Lookup::Failed)?;
    let open: Vec<i64> = found
        .iter()
        .filter(|o| o.status != "cancelled")
        .map(|o| o.obligation_id)
        .collect();
    match open[..] {
        [id] => Ok(id),
        [] => Err(Lookup::Field("staff_payments.vs_unknown".into())),
        _ => Err(Lookup::Field("staff_payments.vs_ambiguous".into())),
    }
}
