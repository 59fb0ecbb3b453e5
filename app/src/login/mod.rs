//! Login: every method the town offers; the demo town's fictitious people as big buttons.

mod demo;
pub mod methods;
mod step_up;

pub use step_up::StepUp;

use crate::i18n::use_tr;
use crate::layout::{PageTitle, use_town};
use crate::routes::Route;
use crate::session::Session;
use demo::DemoLogin;
use dioxus::prelude::*;
use methods::ExternalMethods;
use portal_domain::wire::LoginKind;

#[component]
pub fn Login(next: String, error: String) -> Element {
    let tr = use_tr();
    let session = use_context::<Signal<Session>>();
    let methods = use_town().map(|t| t.login_methods).unwrap_or_default();
    let external: Vec<_> = methods
        .iter()
        .filter(|m| m.kind != LoginKind::Demo)
        .cloned()
        .collect();
    let demo = methods.iter().any(|m| m.kind == LoginKind::Demo);
    let logged_in_as = session.read().info().map(|i| i.display_name.clone());

    rsx! {
        PageTitle { title: tr.t("login.title") }
        h1 { {tr.t("login.title")} }
        if !error.is_empty() {
            div { class: "alert alert--error", role: "alert",
                p { {tr.t(failure_key(&error))} }
            }
        }
        if let Some(name) = logged_in_as {
            div { class: "alert alert--info",
                p { {tr.tf("login.already", &[("name", &name)])} }
                p {
                    Link { to: Route::after_login(&next), {tr.t("login.continue")} }
                }
            }
        }
        p { class: "lead", {tr.t("login.intro")} }
        if !external.is_empty() {
            ExternalMethods { methods: external, next: next.clone() }
        }
        if demo {
            DemoLogin { next: next.clone() }
        }
        if methods.is_empty() {
            p { class: "alert alert--info", {tr.t("login.none")} }
        }
    }
}

/// The catalog key explaining a failed identity-provider login (codes from the server's callback).
pub fn failure_key(code: &str) -> &'static str {
    match code {
        "cancelled" => "login.error.cancelled",
        "state" => "login.error.state",
        "provider" => "login.error.provider",
        "token" => "login.error.token",
        "loa" => "login.error.loa",
        "session" => "login.error.session",
        "linked_elsewhere" => "login.error.linked_elsewhere",
        "rate" => "login.error.rate",
        _ => "login.error.other",
    }
}
