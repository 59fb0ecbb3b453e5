//! Registering a kiosk: its id, name and first profile (a template for this town, following the
//! id until the profile is edited), then its credential, shown this once.

use super::error_text;
use super::profile::{ProfileField, profile_problems};
use crate::api::{ApiClient, ApiError};
use crate::i18n::{Tr, use_tr};
use crate::layout::use_town;
use crate::session::Session;
use crate::staff_payments::{TextField, field_code, focus, form_error, use_focus_request};
use dioxus::prelude::*;
use portal_domain::wire::{KioskCredential, NewKiosk, TownInfo};

/// The demo's exit PIN "2468" (as in `kiosk-config/examples/lobby.toml`); offered only in the
/// demo town.
const DEMO_PIN_HASH: &str = "sha256:92f561f5cab1516f1e514920c9099470:92b11c3e2f933f89b8116aa06c3fe70c744a17e027823d892fece3c66fcd5f46";

/// A first profile for a kiosk of this town talking to `backend_url` (the page's origin). A
/// real town's template leaves the exit PIN hash empty: the admin makes one, the server says so.
pub fn profile_template(tr: Tr, id: &str, town: &TownInfo, backend_url: &str) -> String {
    let mut modules: Vec<String> = town
        .modules
        .iter()
        .map(|m| format!("{:?}", m.as_str()))
        .collect();
    if modules.is_empty() {
        modules.push("\"payments\"".into());
    }
    let (pin_comment, pin_hash) = if town.demo {
        (tr.t("kiosks.template.pin_demo"), DEMO_PIN_HASH)
    } else {
        (tr.t("kiosks.template.pin"), "")
    };
    format!(
        "# {header}\nid = {id:?}\ntown = {town:?}\nbackend_url = {backend_url:?}\n\
         enabled_modules = [{modules}]\n# {idle}\nidle_timeout_seconds = 120\n\
         reader_name_pattern = \"*\"\ndefault_language = \"cs\"\n# {pin_comment}\n\
         staff_exit_pin_hash = {pin_hash:?}\ntrust_anchors = []\n\n\
         [accessibility]\nhigh_contrast = false\nlarge_text = false\n\n\
         [window]\nfullscreen = true\nwidth = 1080\nheight = 1920\n",
        header = tr.tf("kiosks.template.header", &[("town", &town.name)]),
        town = town.slug,
        modules = modules.join(", "),
        idle = tr.t("kiosks.template.idle"),
    )
}

#[component]
pub fn RegisterForm(on_registered: EventHandler<()>) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let town = use_town();
    let origin = api.url("");
    let template = use_callback(move |id: String| match &town {
        Some(town) => profile_template(tr, &id, town, &origin),
        None => String::new(),
    });
    let mut id = use_signal(String::new);
    let mut name = use_signal(String::new);
    let mut profile = use_signal(|| template(String::new()));
    let mut touched = use_signal(|| false);
    // Until the admin edits the profile, its `id` follows the id field.
    use_effect(move || {
        let id = id();
        if !*touched.peek() {
            profile.set(template(id));
        }
    });
    let mut id_error = use_signal(|| None::<String>);
    let mut name_error = use_signal(|| None::<String>);
    let mut problems = use_signal(Vec::new);
    let mut error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);
    let mut issued = use_signal(|| None::<KioskCredential>);
    let mut focus_to = use_focus_request();
    use_effect(move || {
        if issued.read().is_some() {
            focus("credential-heading");
        }
    });

    let submit = move |event: FormEvent| {
        event.prevent_default();
        let api = api.clone();
        async move {
            if *busy.peek() {
                return;
            }
            issued.set(None);
            let body = NewKiosk {
                id: id.peek().trim().to_string(),
                name: name.peek().trim().to_string(),
                profile: profile.peek().clone(),
            };
            busy.set(true);
            let csrf = session.peek().csrf_token().unwrap_or_default();
            let result = api.register_kiosk(&csrf, &body).await;
            busy.set(false);
            match result {
                Ok(credential) => {
                    id_error.set(None);
                    name_error.set(None);
                    error.set(None);
                    problems.set(Vec::new());
                    touched.set(false);
                    id.set(String::new());
                    name.set(String::new());
                    issued.set(Some(credential));
                    on_registered.call(());
                }
                Err(e) => {
                    let exists = e.message_code() == "kiosk_exists";
                    let id_code = field_code(&e, "id").or(exists.then(|| "kiosk_exists".into()));
                    let name_code = field_code(&e, "name");
                    let named = profile_problems(&e);
                    focus_to.set(if id_code.is_some() {
                        Some("kiosk-id")
                    } else if name_code.is_some() {
                        Some("kiosk-name")
                    } else {
                        (!named.is_empty()).then_some("kiosk-profile")
                    });
                    id_error.set(id_code);
                    name_error.set(name_code);
                    problems.set(named);
                    error.set(form_error(&e, &["id", "name", "profile"]).filter(|_| !exists));
                }
            }
        }
    };

    rsx! {
        if let Some(credential) = issued() {
            CredentialNotice { credential, on_dismiss: move |_| issued.set(None) }
        }
        form { class: "form form--wide card", novalidate: true, onsubmit: submit,
            h2 { {tr.t("kiosks.register.heading")} }
            TextField {
                id: "kiosk-id",
                label: tr.t("kiosks.register.id").to_string(),
                hint: tr.t("kiosks.register.id_hint").to_string(),
                error: id_error(),
                value: id,
            }
            TextField {
                id: "kiosk-name",
                label: tr.t("kiosks.register.name").to_string(),
                hint: tr.t("kiosks.register.name_hint").to_string(),
                error: name_error(),
                value: name,
            }
            ProfileField { id: "kiosk-profile", value: profile, problems: problems(), touched }
            if let Some(e) = error() {
                p { class: "alert alert--error", role: "alert", {error_text(tr, &e)} }
            }
            button { r#type: "submit", class: "button", disabled: busy(), {tr.t("kiosks.register.submit")} }
        }
    }
}

/// The new kiosk's credential, this once, and where it goes.
#[component]
pub fn CredentialNotice(credential: KioskCredential, on_dismiss: EventHandler<()>) -> Element {
    let tr = use_tr();
    rsx! {
        section { class: "card alert alert--success", aria_labelledby: "credential-heading",
            h2 { id: "credential-heading", tabindex: "-1",
                {tr.tf("kiosks.credential.heading", &[("id", &credential.id)])}
            }
            p { {tr.t("kiosks.credential.label")} }
            p { class: "copyable", code { id: "kiosk-credential", "{credential.credential}" } }
            p { {tr.t("kiosks.credential.instruction")} }
            p { strong { {tr.t("kiosks.credential.once")} } }
            button {
                r#type: "button",
                class: "button button--secondary",
                onclick: move |_| on_dismiss.call(()),
                {tr.t("kiosks.credential.dismiss")}
            }
        }
    }
}
