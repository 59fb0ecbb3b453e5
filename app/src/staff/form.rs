//! The form that grants a role: account number, role, module.

use crate::api::{ApiClient, ApiError};
use crate::i18n::use_tr;
use crate::session::Session;
use dioxus::prelude::*;
use portal_domain::wire::{Module, NewStaffGrant, Role};

#[component]
pub fn GrantForm(on_granted: EventHandler<()>) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let mut account = use_signal(String::new);
    let mut role = use_signal(|| "official".to_string());
    let mut module = use_signal(|| "payments".to_string());
    let mut account_error = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<ApiError>);
    let mut done = use_signal(|| false);

    let submit = move |event: FormEvent| {
        event.prevent_default();
        let api = api.clone();
        async move {
            done.set(false);
            let Ok(number) = account.peek().trim().parse::<i64>() else {
                account_error.set(Some("staff.account_number".to_string()));
                return;
            };
            account_error.set(None);
            let grant = NewStaffGrant {
                account: number,
                role: if *role.peek() == "admin" {
                    Role::Admin
                } else {
                    Role::Official
                },
                module: match role.peek().as_str() {
                    "admin" => None,
                    _ => Module::parse(&module.peek()),
                },
            };
            let csrf = session.peek().csrf_token().unwrap_or_default();
            match api.grant_role(&csrf, &grant).await {
                Ok(_) => {
                    error.set(None);
                    account.set(String::new());
                    done.set(true);
                    on_granted.call(());
                }
                Err(ApiError::Invalid { fields, code }) => {
                    match fields.iter().find(|f| f.field == "account") {
                        Some(field) => account_error.set(Some(field.code.clone())),
                        None => error.set(Some(ApiError::Invalid { fields, code })),
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        }
    };

    let invalid = account_error().is_some();
    rsx! {
        form { class: "form card", novalidate: true, onsubmit: submit,
            h2 { {tr.t("staff.grant.heading")} }
            div { class: if invalid { "field field--invalid" } else { "field" },
                label { r#for: "grant-account", {tr.t("staff.grant.account")} }
                p { id: "grant-account-hint", class: "field__hint", {tr.t("staff.grant.account_hint")} }
                if let Some(code) = account_error() {
                    p { id: "grant-account-error", class: "field__error", {tr.error(&code)} }
                }
                input {
                    id: "grant-account",
                    r#type: "text",
                    inputmode: "numeric",
                    autocomplete: "off",
                    aria_invalid: if invalid { "true" } else { "false" },
                    aria_describedby: if invalid { "grant-account-hint grant-account-error" } else { "grant-account-hint" },
                    value: "{account}",
                    oninput: move |e| account.set(e.value()),
                }
            }
            div { class: "field",
                label { r#for: "grant-role", {tr.t("staff.grant.role")} }
                select { id: "grant-role", value: "{role}", onchange: move |e| role.set(e.value()),
                    option { value: "official", {tr.t("staff.role.official")} }
                    option { value: "admin", {tr.t("staff.role.admin")} }
                }
            }
            if role() == "official" {
                div { class: "field",
                    label { r#for: "grant-module", {tr.t("staff.grant.module")} }
                    select { id: "grant-module", value: "{module}", onchange: move |e| module.set(e.value()),
                        for m in Module::ALL {
                            option { key: "{m.as_str()}", value: m.as_str(), {super::module_name(tr, m)} }
                        }
                        option { value: "all", {tr.t("staff.grant.all_modules")} }
                    }
                }
            }
            if let Some(e) = error() {
                p { class: "alert alert--error", role: "alert", {tr.error(e.message_code())} }
            }
            if done() {
                p { class: "alert alert--success", role: "status", {tr.t("staff.grant.done")} }
            }
            button { r#type: "submit", class: "button", {tr.t("staff.grant.submit")} }
        }
    }
}
