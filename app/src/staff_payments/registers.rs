//! What an official changes on a payer's page: households and their members, dogs (the
//! registers the yearly run charges from), and refunds of card payments. Each change is a small
//! form behind a disclosure button; the server checks everything again and names the field of
//! any refusal, shown inline. Nothing is deleted: a registration ends on a date.

use super::{TextField, error_text, field_code, form_error, fresh_key};
use crate::api::{ApiClient, ApiError, RegisterChange};
use crate::i18n::use_tr;
use crate::payments::money;
use crate::session::Session;
use dioxus::prelude::*;
use portal_domain::Amount;
use portal_domain::wire::{EndRegistration, NewDog, NewHousehold, NewHouseholdMember, NewRefund};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Date,
    Amount,
    RateClass,
    Exempt,
}

/// One input: the API's field name (refusals name it) and its label's i18n key.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Field {
    name: &'static str,
    label: &'static str,
    kind: Kind,
}

const fn field(name: &'static str, label: &'static str, kind: Kind) -> Field {
    Field { name, label, kind }
}

/// A change form, and what it changes.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeForm {
    NewHousehold { payer: i64 },
    NewMember { household: i64 },
    EndMember { member: i64 },
    NewDog { owner: i64 },
    EndDog { dog: i64 },
    Refund { card_payment: i64, left_halere: i64 },
}

impl ChangeForm {
    fn fields(&self) -> &'static [Field] {
        const ADDRESS: &[Field] = &[field("address", "staff_payments.reg.address", Kind::Text)];
        const MEMBER: &[Field] = &[
            field("name", "staff_payments.col.name", Kind::Text),
            field("date_of_birth", "staff_payments.col.born", Kind::Date),
            field("rate_class", "staff_payments.col.rate", Kind::RateClass),
            field("valid_from", "staff_payments.col.from", Kind::Date),
        ];
        const END: &[Field] = &[field("date", "staff_payments.reg.last_day", Kind::Date)];
        const DOG: &[Field] = &[
            field("name", "staff_payments.col.name", Kind::Text),
            field("registered_on", "staff_payments.col.registered", Kind::Date),
            field("exempt", "staff_payments.reg.exempt_dog", Kind::Exempt),
        ];
        const REFUND: &[Field] = &[
            field("amount_halere", "staff_payments.field.amount", Kind::Amount),
            field("reason", "staff_payments.field.reason", Kind::Text),
        ];
        match self {
            ChangeForm::NewHousehold { .. } => ADDRESS,
            ChangeForm::NewMember { .. } => MEMBER,
            ChangeForm::EndMember { .. } | ChangeForm::EndDog { .. } => END,
            ChangeForm::NewDog { .. } => DOG,
            ChangeForm::Refund { .. } => REFUND,
        }
    }

    /// The i18n key of the button that opens the form (and of its heading).
    fn title(&self) -> &'static str {
        match self {
            ChangeForm::NewHousehold { .. } => "staff_payments.reg.new_household",
            ChangeForm::NewMember { .. } => "staff_payments.reg.new_member",
            ChangeForm::EndMember { .. } => "staff_payments.reg.end_member",
            ChangeForm::NewDog { .. } => "staff_payments.reg.new_dog",
            ChangeForm::EndDog { .. } => "staff_payments.reg.end_dog",
            ChangeForm::Refund { .. } => "staff_payments.reg.refund",
        }
    }

    /// Whether the browser can send these values.
    #[cfg(test)]
    pub fn check(&self, values: &[String]) -> Result<(), Vec<Option<String>>> {
        self.build(values, "form-check").map(|_| ())
    }

    /// The request, or the error codes of the fields the browser can already tell are wrong.
    fn build(&self, values: &[String], key: &str) -> Result<RegisterChange, Vec<Option<String>>> {
        let text = |i: usize| values[i].trim().to_string();
        let end = || EndRegistration { date: text(0) };
        Ok(match *self {
            ChangeForm::NewHousehold { payer } => RegisterChange::NewHousehold(NewHousehold {
                payer_account: payer,
                address: text(0),
            }),
            ChangeForm::NewMember { household } => RegisterChange::NewMember(
                household,
                NewHouseholdMember {
                    name: text(0),
                    date_of_birth: text(1),
                    rate_class: Some(text(2)).filter(|c| !c.is_empty()),
                    valid_from: text(3),
                },
            ),
            ChangeForm::EndMember { member } => RegisterChange::EndMember(member, end()),
            ChangeForm::NewDog { owner } => RegisterChange::NewDog(NewDog {
                owner_account: owner,
                name: text(0),
                registered_on: text(1),
                exempt: !text(2).is_empty(),
            }),
            ChangeForm::EndDog { dog } => RegisterChange::EndDog(dog, end()),
            ChangeForm::Refund { card_payment, .. } => {
                let amount = match Amount::parse(&text(0)) {
                    Ok(amount) if amount.halere() > 0 => amount.halere(),
                    Ok(_) => return Err(vec![Some("amount.invalid".into()), None]),
                    Err(e) => return Err(vec![Some(e.code.to_string()), None]),
                };
                RegisterChange::Refund(
                    card_payment,
                    NewRefund {
                        amount_halere: amount,
                        reason: text(1),
                        idempotency_key: key.to_string(),
                    },
                )
            }
        })
    }
}

/// A button that opens one change form; `on_done` after the server accepted it.
#[component]
pub fn ChangeButton(form: ChangeForm, id: String, on_done: EventHandler<()>) -> Element {
    let tr = use_tr();
    let mut open = use_signal(|| false);
    let form_id = format!("{id}-form");
    rsx! {
        div { class: "register-change",
            button {
                r#type: "button",
                class: "button button--secondary",
                aria_expanded: if open() { "true" } else { "false" },
                aria_controls: "{form_id}",
                onclick: move |_| open.toggle(),
                {tr.t(form.title())}
            }
            if open() {
                ChangeFormView {
                    form: form.clone(),
                    id: form_id.clone(),
                    on_done: move |_| {
                        open.set(false);
                        on_done.call(());
                    },
                }
            }
        }
    }
}

#[component]
fn ChangeFormView(form: ChangeForm, id: String, on_done: EventHandler<()>) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let fields = form.fields();
    let values = use_hook(|| {
        fields
            .iter()
            .map(|_| Signal::new(String::new()))
            .collect::<Vec<_>>()
    });
    let key = use_hook(fresh_key);
    let mut errors = use_signal(|| vec![None::<String>; fields.len()]);
    let mut error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);

    let submit = {
        let (form, values) = (form.clone(), values.clone());
        move |event: FormEvent| {
            event.prevent_default();
            let (api, form, key) = (api.clone(), form.clone(), key.clone());
            let typed: Vec<String> = values.iter().map(|v| v.peek().clone()).collect();
            async move {
                if *busy.peek() {
                    return;
                }
                error.set(None);
                let change = match form.build(&typed, &key) {
                    Ok(change) => change,
                    Err(found) => return errors.set(found),
                };
                errors.set(vec![None; fields.len()]);
                busy.set(true);
                let csrf = session.peek().csrf_token().unwrap_or_default();
                let result = api.change_register(&csrf, &change).await;
                busy.set(false);
                match result {
                    Ok(()) => on_done.call(()),
                    Err(e) => {
                        errors.set(fields.iter().map(|f| field_code(&e, f.name)).collect());
                        let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
                        error.set(form_error(&e, &names));
                    }
                }
            }
        }
    };

    let heading_id = format!("{id}-heading");
    rsx! {
        form { id: "{id}", class: "form card", novalidate: true, onsubmit: submit,
            aria_labelledby: "{heading_id}",
            h3 { id: "{heading_id}", {tr.t(form.title())} }
            if let ChangeForm::Refund { left_halere, .. } = form {
                p { {tr.tf("staff_payments.reg.refund_left", &[("amount", &money(left_halere))])} }
            }
            for (i, f) in fields.iter().enumerate() {
                FieldInput {
                    key: "{f.name}",
                    id: format!("{id}-{}", f.name),
                    field: *f,
                    value: values[i],
                    error: errors.read()[i].clone(),
                }
            }
            if let Some(e) = error() {
                p { class: "alert alert--error", role: "alert", {error_text(tr, &e)} }
            }
            button { r#type: "submit", class: "button", disabled: busy(), aria_disabled: busy(),
                {tr.t("staff_payments.reg.save")}
            }
        }
    }
}

#[component]
fn FieldInput(id: String, field: Field, value: Signal<String>, error: Option<String>) -> Element {
    let tr = use_tr();
    let mut value = value;
    let label = tr.t(field.label).to_string();
    match field.kind {
        Kind::Text => rsx! { TextField { id, label, value, error } },
        Kind::Date => rsx! { TextField { id, label, value, error, kind: "date".to_string() } },
        Kind::Amount => rsx! {
            TextField { id, label, value, error, inputmode: "decimal".to_string(),
                hint: tr.t("staff_payments.field.amount_hint").to_string() }
        },
        Kind::RateClass => rsx! {
            div { class: "field",
                label { r#for: "{id}", "{label}" }
                select { id: "{id}", onchange: move |e| value.set(e.value()),
                    for (code, text) in [("", "staff_payments.rate.by_age"), ("adult", "staff_payments.rate.adult"),
                        ("child", "staff_payments.rate.child"), ("pensioner", "staff_payments.rate.pensioner"),
                        ("exempt", "staff_payments.rate.exempt")] {
                        option { value: "{code}", selected: *value.read() == code, {tr.t(text)} }
                    }
                }
                if let Some(code) = &error {
                    p { class: "field__error", {tr.error(code)} }
                }
            }
        },
        Kind::Exempt => rsx! {
            div { class: "field field--checkbox",
                input {
                    id: "{id}",
                    r#type: "checkbox",
                    checked: !value.read().is_empty(),
                    onchange: move |e| value.set(if e.checked() { "yes".into() } else { String::new() }),
                }
                label { r#for: "{id}", "{label}" }
            }
        },
    }
}
