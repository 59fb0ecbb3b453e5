//! A kiosk's profile: the TOML text area with every problem the server named (by line and key)
//! linked to it, and the editor that loads a kiosk's current profile and saves a changed one.

use super::error_text;
use crate::api::{ApiClient, ApiError};
use crate::i18n::{Tr, use_tr};
use crate::layout::Loading;
use crate::session::Session;
use crate::staff_payments::{StaffLoadError, focus, form_error, use_focus_request};
use dioxus::prelude::*;
use portal_domain::wire::{FieldErrorBody, KioskProfileBody};

/// The server's problems with the `profile` field.
pub fn profile_problems(error: &ApiError) -> Vec<FieldErrorBody> {
    match error {
        ApiError::Invalid { fields, .. } => fields
            .iter()
            .filter(|f| f.field == "profile")
            .cloned()
            .collect(),
        _ => vec![],
    }
}

/// One problem in words: "Řádek 5: idle_timeout_seconds: …" for a line of the file, the
/// problem alone for a missing key (line 0), the catalog's text for a wrong id or town.
pub fn problem_text(tr: Tr, problem: &FieldErrorBody) -> String {
    if problem.code != "kiosk.profile_invalid" {
        return tr.error(&problem.code).to_string();
    }
    let message = problem
        .message
        .strip_prefix("profile: ")
        .unwrap_or(&problem.message);
    let Some((line, rest)) = message
        .strip_prefix("line ")
        .and_then(|m| m.split_once(": "))
    else {
        return message.to_string();
    };
    match line.parse::<u32>() {
        Ok(0) => rest.to_string(),
        Ok(n) => tr.tf(
            "kiosks.profile.line",
            &[("line", &n.to_string()), ("problem", rest)],
        ),
        Err(_) => message.to_string(),
    }
}

/// The profile's text area: a hint, and the server's problems listed one per line, all linked
/// by `aria-describedby`. `touched` turns true at the first keystroke.
#[component]
pub fn ProfileField(
    id: String,
    value: Signal<String>,
    problems: Vec<FieldErrorBody>,
    touched: Signal<bool>,
) -> Element {
    let tr = use_tr();
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let invalid = !problems.is_empty();
    let described = if invalid {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    rsx! {
        div { class: if invalid { "field field--invalid" } else { "field" },
            label { class: "field__label", r#for: "{id}", {tr.t("kiosks.profile.label")} }
            p { id: "{hint_id}", class: "field__hint", {tr.t("kiosks.profile.hint")} }
            if invalid {
                div { id: "{error_id}", class: "field__error",
                    p { {tr.t("kiosks.profile.errors")} }
                    ul {
                        for (i, problem) in problems.iter().enumerate() {
                            li { key: "{i}", {problem_text(tr, problem)} }
                        }
                    }
                }
            }
            textarea {
                id: "{id}",
                class: "field__input kiosk-profile",
                rows: "22",
                spellcheck: "false",
                autocomplete: "off",
                aria_invalid: if invalid { "true" } else { "false" },
                aria_describedby: "{described}",
                value: "{value}",
                oninput: move |e| {
                    touched.set(true);
                    value.set(e.value());
                },
            }
        }
    }
}

/// Loads the kiosk's profile, then the form that changes it.
#[component]
pub fn ProfileEditor(
    id: String,
    on_saved: EventHandler<(String, i64)>,
    on_cancel: EventHandler<()>,
) -> Element {
    let api = use_context::<ApiClient>();
    let kiosk = id.clone();
    let mut loaded = use_resource(move || {
        let (api, kiosk) = (api.clone(), kiosk.clone());
        async move { api.admin_kiosk_profile(&kiosk).await }
    });
    match &*loaded.read() {
        None => rsx! { Loading {} },
        Some(Err(error)) => rsx! {
            StaffLoadError { error: error.clone(), on_retry: move |_| loaded.restart() }
        },
        Some(Ok(body)) => rsx! {
            ProfileEditForm { body: body.clone(), on_saved, on_cancel }
        },
    }
}

#[component]
pub fn ProfileEditForm(
    body: KioskProfileBody,
    on_saved: EventHandler<(String, i64)>,
    on_cancel: EventHandler<()>,
) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let text = use_signal(|| body.profile.clone());
    let touched = use_signal(|| false);
    let mut problems = use_signal(Vec::<FieldErrorBody>::new);
    let mut error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);
    let mut focus_to = use_focus_request();
    use_effect(|| focus("edit-heading"));
    let kiosk = body.kiosk.clone();

    let submit = move |event: FormEvent| {
        event.prevent_default();
        let (api, kiosk) = (api.clone(), kiosk.clone());
        async move {
            if *busy.peek() {
                return;
            }
            busy.set(true);
            let csrf = session.peek().csrf_token().unwrap_or_default();
            let result = api.update_kiosk_profile(&csrf, &kiosk, &text.peek()).await;
            busy.set(false);
            match result {
                Ok(summary) => on_saved.call((summary.id, summary.profile_version)),
                Err(e) => {
                    let named = profile_problems(&e);
                    focus_to.set((!named.is_empty()).then_some("edit-profile"));
                    problems.set(named);
                    error.set(form_error(&e, &["profile"]));
                }
            }
        }
    };

    let version = body.version.to_string();
    rsx! {
        form { class: "form form--wide card", novalidate: true, onsubmit: submit,
            h2 { id: "edit-heading", tabindex: "-1",
                {tr.tf("kiosks.edit.heading", &[("id", &body.kiosk), ("version", &version)])}
            }
            ProfileField { id: "edit-profile", value: text, problems: problems(), touched }
            if let Some(e) = error() {
                p { class: "alert alert--error", role: "alert", {error_text(tr, &e)} }
            }
            div { class: "button-group",
                button { r#type: "submit", class: "button", disabled: busy(), {tr.t("kiosks.edit.submit")} }
                button {
                    r#type: "button",
                    class: "button button--secondary",
                    onclick: move |_| on_cancel.call(()),
                    {tr.t("kiosks.edit.cancel")}
                }
            }
        }
    }
}
