use crate::api::{ApiClient, ApiError};
use crate::i18n::{Tr, use_tr};
use crate::layout::{LoadError, Loading};
use crate::routes::Route;
use crate::session::Session;
use dioxus::prelude::*;
use portal_domain::wire::{DemoPersona, Role};

/// The demo town's fictitious people, one big button each, clearly marked as a demo.
#[component]
pub fn DemoLogin(next: String) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let mut personas = use_resource({
        let api = api.clone();
        move || {
            let api = api.clone();
            async move { api.demo_personas().await }
        }
    });
    rsx! {
        section { class: "login-section login-section--demo", aria_labelledby: "login-demo",
            h2 { id: "login-demo",
                span { class: "badge badge--demo", {tr.t("demo.badge")} }
                " "
                {tr.t("login.demo.heading")}
            }
            p { {tr.t("login.demo.explanation")} }
            match &*personas.read() {
                None => rsx! { Loading {} },
                Some(Err(error)) => rsx! {
                    LoadError { error: error.clone(), on_retry: move |_| personas.restart() }
                },
                Some(Ok(list)) => rsx! {
                    PersonaButtons { personas: list.clone(), next: next.clone() }
                },
            }
        }
    }
}

#[component]
fn PersonaButtons(personas: Vec<DemoPersona>, next: String) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let mut session = use_context::<Signal<Session>>();
    let nav = use_navigator();
    let mut busy = use_signal(|| false);
    let mut failure = use_signal(|| None::<ApiError>);

    rsx! {
        ul { class: "personas", aria_busy: if busy() { "true" } else { "false" },
            for persona in personas {
                li { key: "{persona.id}",
                    button {
                        r#type: "button",
                        class: "persona",
                        disabled: busy(),
                        onclick: {
                            let api = api.clone();
                            let id = persona.id.clone();
                            let next = next.clone();
                            move |_| {
                                let api = api.clone();
                                let id = id.clone();
                                let next = next.clone();
                                async move {
                                    busy.set(true);
                                    failure.set(None);
                                    match api.demo_login(&id).await {
                                        Ok(info) => {
                                            session.set(Session::Active(info));
                                            nav.replace(Route::after_login(&next));
                                        }
                                        Err(error) => failure.set(Some(error)),
                                    }
                                    busy.set(false);
                                }
                            }
                        },
                        span { class: "persona__name",
                            {tr.tf("login.demo.as", &[("name", &persona.display_name)])}
                        }
                        span { class: "persona__roles", {roles_text(tr, &persona.roles)} }
                    }
                }
            }
        }
        // Always present, so screen readers announce a failure when it appears.
        div { class: "form-status", role: "alert",
            if let Some(error) = failure() {
                p { class: "alert alert--error", {tr.error(error.message_code())} }
            }
        }
    }
}

fn roles_text(tr: Tr, roles: &[Role]) -> String {
    roles
        .iter()
        .map(|role| match role {
            Role::Citizen => tr.t("role.citizen"),
            Role::Official => tr.t("role.official"),
            Role::Admin => tr.t("role.admin"),
            Role::KioskDevice => tr.t("role.kiosk_device"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
