//! "Kiosky": the town's lobby kiosks for admins. The list with each kiosk's profile version and
//! last contact, registering a kiosk (its credential is shown once), changing a kiosk's profile
//! (the kiosk picks it up at its next poll) and revoking a kiosk after a confirmation.

pub mod profile;
pub mod register;
pub mod table;

use crate::api::{ApiClient, ApiError};
use crate::i18n::{Tr, use_tr};
use crate::layout::{Loading, PageTitle};
use crate::routes::Route;
use crate::session::Session;
use crate::staff_payments::{StaffLoadError, focus};
use dioxus::prelude::*;
use portal_domain::wire::Role;
use profile::ProfileEditor;
use register::RegisterForm;
use table::KioskTable;

/// What the page last did, announced and focused above the list.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Saved { id: String, version: i64 },
    Revoked { id: String },
}

#[component]
pub fn Kiosks() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let is_admin = session
        .read()
        .info()
        .is_some_and(|i| i.roles.contains(&Role::Admin));
    let anonymous = *session.read() == Session::Anonymous;
    let route = use_route::<Route>();
    let mut list = use_resource(move || {
        let api = api.clone();
        async move { api.kiosks().await }
    });
    let mut editing = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<Notice>);
    use_effect(move || {
        if notice.read().is_some() {
            focus("kiosks-notice");
        }
    });
    let title = tr.t("kiosks.title").to_string();

    rsx! {
        PageTitle { title: title.clone() }
        h1 { id: "page-heading", tabindex: "-1", "{title}" }
        if anonymous {
            p { class: "alert alert--info",
                {tr.t("kiosks.admins_only")}
                " "
                Link { to: Route::login_returning_to(&route), {tr.t("layout.login")} }
            }
        } else if !is_admin {
            p { class: "alert alert--info", {tr.t("kiosks.admins_only")} }
        } else {
            p { class: "lead", {tr.t("kiosks.intro")} }
            if let Some(n) = notice() {
                p { id: "kiosks-notice", class: "alert alert--success", role: "status", tabindex: "-1",
                    {notice_text(tr, &n)}
                }
            }
            match &*list.read() {
                None => rsx! { Loading {} },
                Some(Err(error)) => rsx! {
                    StaffLoadError { error: error.clone(), on_retry: move |_| list.restart() }
                },
                Some(Ok(kiosks)) => rsx! {
                    KioskTable {
                        kiosks: kiosks.clone(),
                        on_edit: move |id: String| {
                            notice.set(None);
                            editing.set(Some(id));
                        },
                        on_revoked: move |id: String| {
                            if editing.peek().as_deref() == Some(id.as_str()) {
                                editing.set(None);
                            }
                            notice.set(Some(Notice::Revoked { id }));
                            list.restart();
                        },
                    }
                },
            }
            if let Some(id) = editing() {
                ProfileEditor {
                    key: "{id}",
                    id: id.clone(),
                    on_saved: move |(id, version): (String, i64)| {
                        editing.set(None);
                        notice.set(Some(Notice::Saved { id, version }));
                        list.restart();
                    },
                    on_cancel: move |_| editing.set(None),
                }
            }
            RegisterForm { on_registered: move |_| list.restart() }
        }
    }
}

pub fn notice_text(tr: Tr, notice: &Notice) -> String {
    match notice {
        Notice::Saved { id, version } => tr.tf(
            "kiosks.edit.saved",
            &[("id", id), ("version", &version.to_string())],
        ),
        Notice::Revoked { id } => tr.tf("kiosks.revoke.done", &[("id", id)]),
    }
}

/// The message for an API error, with 403 worded for this page.
pub fn error_text(tr: Tr, error: &ApiError) -> &'static str {
    match error {
        ApiError::Server { status: 403, .. } => tr.t("kiosks.admins_only"),
        other => tr.error(other.message_code()),
    }
}
