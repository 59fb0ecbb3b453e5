//! "Ways to log in": the identities linked to this account, linking another provider and
//! removing one (which needs a "substantial" login: the server may ask for a step-up).

use crate::api::{ApiClient, ApiError};
use crate::i18n::{Tr, format_datetime, use_tr};
use crate::layout::use_town;
use crate::login::StepUp;
use crate::login::methods::{MethodLinks, Start, kind_title, method_title};
use crate::session::Session;
use dioxus::prelude::*;
use portal_domain::wire::{LinkedIdentity, Loa, LoginKind, LoginMethod};

#[component]
pub fn Identities(identities: Vec<LinkedIdentity>, on_changed: EventHandler<()>) -> Element {
    let tr = use_tr();
    let methods = use_town().map(|t| t.login_methods).unwrap_or_default();
    let step_up = use_signal(|| None::<Loa>);
    let error = use_signal(|| None::<ApiError>);
    let linked: Vec<&str> = identities
        .iter()
        .filter_map(|i| i.login_id.as_deref())
        .collect();
    let linkable: Vec<LoginMethod> = methods
        .iter()
        .filter(|m| m.kind != LoginKind::Demo && !linked.contains(&m.id.as_str()))
        .cloned()
        .collect();
    let removable = identities.len() > 1;
    let rows: Vec<(i64, String)> = identities
        .iter()
        .map(|i| (i.id, identity_text(tr, &methods, i)))
        .collect();

    rsx! {
        section { class: "card", aria_labelledby: "profile-identities",
            h2 { id: "profile-identities", {tr.t("profile.identities")} }
            if rows.is_empty() {
                p { {tr.t("profile.no_identities")} }
            } else {
                ul { class: "identities",
                    for (id, text) in rows {
                        li { key: "{id}", class: "identities__item",
                            span { {text.clone()} }
                            if removable {
                                RemoveButton { id, text: text.clone(), step_up, error, on_changed }
                            }
                        }
                    }
                }
            }
            if let Some(e) = error() {
                p { class: "alert alert--error", role: "alert", {tr.error(e.message_code())} }
            }
            if let Some(required) = step_up() {
                StepUp { required, next: "/profil".to_string() }
            }
            if !linkable.is_empty() {
                h3 { {tr.t("profile.link.heading")} }
                p { {tr.t("profile.link.text")} }
                MethodLinks { methods: linkable, start: Start::Link, next: "/profil".to_string(), class: "link-method" }
            }
        }
    }
}

/// Removes one identity; a "loa_required" answer opens the step-up panel instead.
#[component]
fn RemoveButton(
    id: i64,
    text: String,
    step_up: Signal<Option<Loa>>,
    error: Signal<Option<ApiError>>,
    on_changed: EventHandler<()>,
) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    rsx! {
        button {
            r#type: "button",
            class: "button button--secondary identities__remove",
            aria_label: tr.tf("profile.identity.remove_named", &[("identity", &text)]),
            onclick: move |_| {
                let api = api.clone();
                async move {
                    let csrf = session.peek().csrf_token().unwrap_or_default();
                    match api.unlink_identity(&csrf, id).await {
                        Ok(()) => {
                            error.set(None);
                            on_changed.call(());
                        }
                        Err(ApiError::LoaRequired(loa)) => step_up.set(Some(loa)),
                        Err(e) => error.set(Some(e)),
                    }
                }
            },
            {tr.t("profile.identity.remove")}
        }
    }
}

/// "MojeID, linked 1 March 2026 …, last login …".
fn identity_text(tr: Tr, methods: &[LoginMethod], identity: &LinkedIdentity) -> String {
    let configured =
        (identity.login_id.as_deref()).and_then(|id| methods.iter().find(|m| m.id == id));
    let provider = match (configured, identity.kind) {
        (Some(method), _) => method_title(tr, method),
        (None, Some(kind)) => kind_title(tr, kind).to_string(),
        // A login since removed from the town's configuration: its issuer is better than nothing.
        (None, None) => identity.provider.clone(),
    };
    let linked = tr.tf(
        "profile.identity.linked",
        &[
            ("provider", &provider),
            ("at", &format_datetime(tr, identity.linked_at)),
        ],
    );
    match identity.last_login_at {
        Some(at) => tr.tf(
            "profile.identity.last_login",
            &[("linked", &linked), ("at", &format_datetime(tr, at))],
        ),
        None => linked,
    }
}
