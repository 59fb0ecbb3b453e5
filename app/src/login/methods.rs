use crate::api::ApiClient;
use crate::i18n::{Tr, use_tr};
use dioxus::prelude::*;
use portal_domain::wire::{LoginKind, LoginMethod};

/// Identity providers (NIA, Bank iD, MojeID, eObčanka): plain links to the server, which
/// starts the provider's own flow.
#[component]
pub fn ExternalMethods(methods: Vec<LoginMethod>) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    rsx! {
        section { class: "login-section", aria_labelledby: "login-external",
            h2 { id: "login-external", {tr.t("login.external.heading")} }
            ul { class: "login-methods",
                for method in methods {
                    li { key: "{method.id}",
                        a {
                            class: "login-method",
                            href: api.url(&format!("/api/auth/{}/start", method.id)),
                            span { class: "login-method__title", {kind_title(tr, method.kind)} }
                            span { class: "login-method__description", {kind_description(tr, method.kind)} }
                        }
                    }
                }
            }
        }
    }
}

pub fn kind_title(tr: Tr, kind: LoginKind) -> &'static str {
    match kind {
        LoginKind::Demo => tr.t("login.demo.heading"),
        LoginKind::Nia => tr.t("login.nia.title"),
        LoginKind::BankId => tr.t("login.bank_id.title"),
        LoginKind::MojeId => tr.t("login.moje_id.title"),
        LoginKind::EObcanka => tr.t("login.e_obcanka.title"),
    }
}

pub fn kind_description(tr: Tr, kind: LoginKind) -> &'static str {
    match kind {
        LoginKind::Demo => tr.t("login.demo.explanation"),
        LoginKind::Nia => tr.t("login.nia.description"),
        LoginKind::BankId => tr.t("login.bank_id.description"),
        LoginKind::MojeId => tr.t("login.moje_id.description"),
        LoginKind::EObcanka => tr.t("login.e_obcanka.description"),
    }
}
