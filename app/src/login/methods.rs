use crate::api::ApiClient;
use crate::i18n::{Tr, use_tr};
use dioxus::prelude::*;
use portal_domain::wire::{Loa, LoginKind, LoginMethod};

/// Identity providers (NIA, Bank iD, MojeID, others): plain links to the server, which starts
/// the provider's own flow and sends the citizen back to `next`.
#[component]
pub fn ExternalMethods(methods: Vec<LoginMethod>, next: String) -> Element {
    let tr = use_tr();
    rsx! {
        section { class: "login-section", aria_labelledby: "login-external",
            h2 { id: "login-external", {tr.t("login.external.heading")} }
            MethodLinks { methods, start: Start::Login, next, class: "login-method" }
        }
    }
}

/// Why a provider login is started (the server's `intent`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Start {
    Login,
    /// Add the provider to the logged-in citizen.
    Link,
    /// Log in again, at this level or higher, as the same citizen.
    StepUp(Loa),
}

/// One big link per provider, with its logo, name and a plain-language description.
#[component]
pub fn MethodLinks(
    methods: Vec<LoginMethod>,
    start: Start,
    next: String,
    class: &'static str,
) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    #[cfg(target_arch = "wasm32")]
    let _ = tr; // only the kiosk's branch below speaks
    // At a kiosk a link would leave the kiosk (the webview opens other sites in a system
    // browser): logins go through the kiosk's own browser, linking and step-up not at all.
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(kiosk) = try_use_context::<KioskProviderLogin>() {
        if start != Start::Login {
            return rsx! { p { class: "login-note", {tr.t("kiosk.provider.not_here")} } };
        }
        return rsx! {
            ul { class: "login-methods",
                for method in methods {
                    li { key: "{method.id}",
                        button {
                            r#type: "button",
                            class: "{class}",
                            onclick: {
                                let method = method.clone();
                                move |_| kiosk.start.call(method.clone())
                            },
                            MethodFace { method: method.clone() }
                        }
                    }
                }
            }
        };
    }
    rsx! {
        ul { class: "login-methods",
            for method in methods {
                li { key: "{method.id}",
                    a { class: "{class}", href: api.url(&start_path(&method.id, start, &next)),
                        MethodFace { method: method.clone() }
                    }
                }
            }
        }
    }
}

/// Given by the kiosk: starts a provider's login in the kiosk's own browser.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy)]
pub struct KioskProviderLogin {
    pub start: Callback<LoginMethod>,
}

/// A provider's logo, name and a plain-language description.
#[component]
fn MethodFace(method: LoginMethod) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    rsx! {
        img {
            class: "login-method__logo",
            src: api.url(logo_path(method.kind)),
            // The name is right next to it: the logo adds nothing to read out.
            alt: "",
            width: "48",
            height: "48",
        }
        span { class: "login-method__text",
            span { class: "login-method__title", {method_title(tr, &method)} }
            span { class: "login-method__description", {kind_description(tr, method.kind)} }
        }
    }
}

/// The name a citizen knows the provider by: the town's label for a generic provider.
pub fn method_title(tr: Tr, method: &LoginMethod) -> String {
    match (&method.name, method.kind) {
        (Some(name), LoginKind::Oidc) => name.clone(),
        _ => kind_title(tr, method.kind).to_string(),
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

/// Our own simple marks (not the providers' trademarks), served with the web client.
pub fn logo_path(kind: LoginKind) -> &'static str {
    match kind {
        LoginKind::Demo => "/assets/logos/demo.svg",
        LoginKind::Nia => "/assets/logos/nia.svg",
        LoginKind::BankId => "/assets/logos/bank-id.svg",
        LoginKind::MojeId => "/assets/logos/moje-id.svg",
        LoginKind::EObcanka => "/assets/logos/e-obcanka.svg",
        LoginKind::Oidc => "/assets/logos/oidc.svg",
    }
}

/// `/api/auth/{id}/start?…`: the server sends the citizen back to `next` afterwards.
pub fn start_path(method_id: &str, start: Start, next: &str) -> String {
    let mut params = Vec::new();
    match start {
        Start::Login => {}
        Start::Link => params.push("intent=link".to_string()),
        Start::StepUp(loa) => {
            params.push("intent=step_up".to_string());
            params.push(format!("loa={}", loa_code(loa)));
        }
    }
    if !next.is_empty() {
        params.push(format!("next={}", encode(next)));
    }
    let mut path = format!("/api/auth/{method_id}/start");
    if !params.is_empty() {
        path.push('?');
        path.push_str(&params.join("&"));
    }
    path
}

pub fn loa_code(loa: Loa) -> &'static str {
    match loa {
        Loa::Low => "low",
        Loa::Substantial => "substantial",
        Loa::High => "high",
    }
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_links_carry_intent_level_and_next_encoded() {
        assert_eq!(start_path("nia", Start::Login, ""), "/api/auth/nia/start");
        assert_eq!(
            start_path("nia", Start::Login, "/profil"),
            "/api/auth/nia/start?next=/profil"
        );
        assert_eq!(
            start_path("mojeid", Start::Login, "/a?b=c&d"),
            "/api/auth/mojeid/start?next=/a%3Fb%3Dc%26d"
        );
        assert_eq!(
            start_path("bankid", Start::Link, "/profil"),
            "/api/auth/bankid/start?intent=link&next=/profil"
        );
        assert_eq!(
            start_path("bankid", Start::StepUp(Loa::Substantial), "/profil"),
            "/api/auth/bankid/start?intent=step_up&loa=substantial&next=/profil"
        );
    }
}
