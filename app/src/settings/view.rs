use super::ContactForm;
use crate::api::{ApiClient, ApiError};
use crate::i18n::{Tr, use_tr};
use crate::routes::Route;
use crate::session::Session;
use dioxus::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Idle,
    Saving,
    Saved,
    /// Invalid input: the errors are next to the fields.
    Invalid,
    Failed(ApiError),
}

/// The contact form. Fields are checked when the user leaves them and again on submit.
#[component]
pub fn ContactFormView(initial: ContactForm) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let mut session = use_context::<Signal<Session>>();
    let mut form = use_signal(|| initial);
    let mut status = use_signal(|| Status::Idle);

    let submit = move |event: FormEvent| {
        event.prevent_default();
        // Taken when used, not as a hook: the form also renders outside a router in tests.
        let nav = navigator();
        let api = api.clone();
        async move {
            let Some(settings) = form.write().validate() else {
                status.set(Status::Invalid);
                return;
            };
            let Some(csrf) = session.peek().csrf_token() else {
                nav.replace(Route::login_returning_to(&Route::Settings {}));
                return;
            };
            status.set(Status::Saving);
            match api.put_contact(&csrf, &settings).await {
                Ok(saved) => {
                    form.set(ContactForm::from_settings(&saved));
                    status.set(Status::Saved);
                }
                Err(ApiError::Unauthenticated) => {
                    session.set(Session::Anonymous);
                    nav.replace(Route::login_returning_to(&Route::Settings {}));
                }
                Err(ApiError::Invalid { fields, code }) => {
                    if form.write().apply_server_errors(&fields) {
                        status.set(Status::Invalid);
                    } else {
                        status.set(Status::Failed(ApiError::Invalid { code, fields }));
                    }
                }
                Err(error) => status.set(Status::Failed(error)),
            }
        }
    };

    let current = form();
    rsx! {
        form { class: "form", novalidate: true, onsubmit: submit,
            p { class: "form__intro", {tr.t("settings.intro")} }
            Field {
                id: "email",
                label: tr.t("settings.email.label"),
                hint: tr.t("settings.email.hint"),
                input_type: "email",
                autocomplete: "email",
                value: current.email.clone(),
                error: current.email_error.clone(),
                oninput: move |v: String| form.write().email = v,
                onblur: move |_| {
                    form.write().validate_email();
                },
            }
            Field {
                id: "phone",
                label: tr.t("settings.phone.label"),
                hint: tr.t("settings.phone.hint"),
                input_type: "tel",
                autocomplete: "tel",
                value: current.phone.clone(),
                error: current.phone_error.clone(),
                oninput: move |v: String| form.write().phone = v,
                onblur: move |_| {
                    form.write().validate_phone();
                },
            }
            button {
                r#type: "submit",
                class: "button button--primary",
                disabled: status() == Status::Saving,
                {tr.t("settings.save")}
            }
            // Present from the start: live regions only announce changes to existing nodes.
            div { class: "form-status", role: "status", aria_live: "polite",
                {status_message(tr, &status())}
            }
        }
    }
}

fn status_message(tr: Tr, status: &Status) -> Element {
    match status {
        Status::Idle => rsx! {},
        Status::Saving => rsx! { p { {tr.t("settings.saving")} } },
        Status::Saved => rsx! { p { class: "alert alert--success", {tr.t("settings.saved")} } },
        Status::Invalid => {
            rsx! { p { class: "alert alert--error", {tr.t("settings.fix_errors")} } }
        }
        Status::Failed(error) => rsx! {
            p { class: "alert alert--error", {tr.error(error.message_code())} }
        },
    }
}

/// A labelled input with its hint and, when invalid, its error, wired up for screen readers.
#[component]
fn Field(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    input_type: &'static str,
    autocomplete: &'static str,
    value: String,
    error: Option<String>,
    oninput: EventHandler<String>,
    onblur: EventHandler<()>,
) -> Element {
    let tr = use_tr();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = match error {
        Some(_) => format!("{hint_id} {error_id}"),
        None => hint_id.clone(),
    };
    rsx! {
        div { class: if error.is_some() { "field field--invalid" } else { "field" },
            label { class: "field__label", r#for: id, {label} }
            p { id: "{hint_id}", class: "field__hint", {hint} }
            if let Some(code) = &error {
                p { id: "{error_id}", class: "field__error",
                    // The word makes the error clear without relying on the red colour.
                    strong { {tr.t("settings.error_prefix")} }
                    " {tr.error(code)}"
                }
            }
            input {
                id,
                name: id,
                class: "field__input",
                r#type: input_type,
                autocomplete,
                value,
                aria_invalid: if error.is_some() { "true" } else { "false" },
                aria_describedby: described_by,
                oninput: move |e: FormEvent| oninput.call(e.value()),
                onblur: move |_| onblur.call(()),
            }
        }
    }
}
