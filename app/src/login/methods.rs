use crate::api::ApiClient;
use crate::i18n::{Tr, use_tr};
use dioxus::prelude::*;
use portal_domain::wire::{LoginKind, LoginMethod};

/// Identity providers (NIA, Bank iD, MojeID, eObčanka): plain links to the server, which
/// starts the provider's own flow.
#[component]
pub fn ExternalMethods(methods: Vec<LoginMethod>, next: String) -> Element {
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
                            href: api.url(&start_path(&method.id, &next)),
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
        LoginKind::Oidc => tr.t("login.oidc.title"),
    }
}

pub fn kind_description(tr: Tr, kind: LoginKind) -> &'static str {
    match kind {
        LoginKind::Demo => tr.t("login.demo.explanation"),
        LoginKind::Nia => tr.t("login.nia.description"),
        LoginKind::BankId => tr.t("login.bank_id.description"),
        LoginKind::MojeId => tr.t("login.moje_id.description"),
        LoginKind::EObcanka => tr.t("login.e_obcanka.description"),
        LoginKind::Oidc => tr.t("login.oidc.description"),
    }
}

/// `/api/auth/{id}/start?next=…`: the server sends the citizen back to `next` afterwards.
pub fn start_path(method_id: &str, next: &str) -> String {
    let mut path = format!("/api/auth/{method_id}/start");
    if !next.is_empty() {
        path.push_str("?next=");
        for byte in next.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                    path.push(byte as char)
                }
                _ => path.push_str(&format!("%{byte:02X}")),
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::start_path;

    #[test]
    fn start_links_carry_next_encoded() {
        assert_eq!(start_path("nia", ""), "/api/auth/nia/start");
        assert_eq!(
            start_path("nia", "/profil"),
            "/api/auth/nia/start?next=/profil"
        );
        assert_eq!(
            start_path("mojeid", "/a?b=c&d"),
            "/api/auth/mojeid/start?next=/a%3Fb%3Dc%26d"
        );
    }
}
