//! The list of the town's kiosks, and revoking one after a confirmation step.

use super::error_text;
use crate::api::{ApiClient, ApiError};
use crate::i18n::{format_datetime, use_tr};
use crate::session::Session;
use crate::staff_payments::focus;
use dioxus::prelude::*;
use portal_domain::wire::KioskSummary;

#[component]
pub fn KioskTable(
    kiosks: Vec<KioskSummary>,
    on_edit: EventHandler<String>,
    on_revoked: EventHandler<String>,
) -> Element {
    let tr = use_tr();
    let mut confirming = use_signal(|| None::<KioskSummary>);
    if kiosks.is_empty() {
        return rsx! {
            p { {tr.t("kiosks.none")} }
        };
    }
    rsx! {
        table { class: "table",
            caption { {tr.t("kiosks.table.caption")} }
            thead {
                tr {
                    th { scope: "col", {tr.t("kiosks.table.name")} }
                    th { scope: "col", {tr.t("kiosks.table.id")} }
                    th { scope: "col", {tr.t("kiosks.table.version")} }
                    th { scope: "col", {tr.t("kiosks.table.last_contact")} }
                    th { scope: "col", {tr.t("kiosks.table.state")} }
                    th { scope: "col", span { class: "visually-hidden", {tr.t("kiosks.table.actions")} } }
                }
            }
            tbody {
                for kiosk in kiosks {
                    tr { key: "{kiosk.id}",
                        th { scope: "row", "{kiosk.name}" }
                        td { code { "{kiosk.id}" } }
                        td { "{kiosk.profile_version}" }
                        td {
                            match kiosk.last_contact {
                                Some(at) => format_datetime(tr, at),
                                None => tr.t("kiosks.never").to_string(),
                            }
                        }
                        td {
                            if kiosk.revoked {
                                {tr.t("kiosks.state.revoked")}
                            } else {
                                {tr.t("kiosks.state.active")}
                            }
                        }
                        td {
                            if !kiosk.revoked {
                                KioskActions { kiosk: kiosk.clone(), on_edit, confirming }
                            }
                        }
                    }
                }
            }
        }
        if let Some(kiosk) = confirming() {
            RevokeConfirm {
                key: "{kiosk.id}",
                kiosk,
                on_done: move |id: String| {
                    confirming.set(None);
                    on_revoked.call(id);
                },
                on_cancel: move |_| confirming.set(None),
            }
        }
    }
}

#[component]
fn KioskActions(
    kiosk: KioskSummary,
    on_edit: EventHandler<String>,
    confirming: Signal<Option<KioskSummary>>,
) -> Element {
    let tr = use_tr();
    let named = [("name", kiosk.name.as_str())];
    let id = kiosk.id.clone();
    rsx! {
        div { class: "button-group",
            button {
                r#type: "button",
                class: "button button--secondary",
                aria_label: tr.tf("kiosks.edit.open_named", &named),
                onclick: move |_| on_edit.call(id.clone()),
                {tr.t("kiosks.edit.open")}
            }
            button {
                r#type: "button",
                class: "button button--secondary",
                aria_label: tr.tf("kiosks.revoke.open_named", &named),
                onclick: move |_| confirming.set(Some(kiosk.clone())),
                {tr.t("kiosks.revoke.open")}
            }
        }
    }
}

/// "Really revoke?": what revoking does, then the revoke itself or a way back.
#[component]
pub fn RevokeConfirm(
    kiosk: KioskSummary,
    on_done: EventHandler<String>,
    on_cancel: EventHandler<()>,
) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<ApiError>);
    use_effect(|| focus("revoke-heading"));
    let id = kiosk.id.clone();
    let revoke = move |_| {
        let api = api.clone();
        let id = id.clone();
        async move {
            if *busy.peek() {
                return;
            }
            busy.set(true);
            let csrf = session.peek().csrf_token().unwrap_or_default();
            let result = api.revoke_kiosk(&csrf, &id).await;
            busy.set(false);
            match result {
                Ok(()) => on_done.call(id),
                Err(e) => error.set(Some(e)),
            }
        }
    };
    rsx! {
        section { class: "card", aria_labelledby: "revoke-heading",
            h2 { id: "revoke-heading", tabindex: "-1",
                {tr.tf("kiosks.revoke.heading", &[("name", &kiosk.name), ("id", &kiosk.id)])}
            }
            p { {tr.t("kiosks.revoke.explain")} }
            if let Some(e) = error() {
                p { class: "alert alert--error", role: "alert", {error_text(tr, &e)} }
            }
            div { class: "button-group",
                button { r#type: "button", class: "button", disabled: busy(), onclick: revoke,
                    {tr.t("kiosks.revoke.confirm")}
                }
                button {
                    r#type: "button",
                    class: "button button--secondary",
                    onclick: move |_| on_cancel.call(()),
                    {tr.t("kiosks.revoke.cancel")}
                }
            }
        }
    }
}
