//! "Pracovníci úřadu": the town's admin grants and revokes staff roles. A person gets a role
//! after logging in once; they read their portal account number on their profile page.

mod form;

use crate::api::{ApiClient, ApiError};
use crate::i18n::{Tr, format_datetime, use_tr};
use crate::layout::{LoadError, Loading, PageTitle};
use crate::login::StepUp;
use crate::session::Session;
use dioxus::prelude::*;
use form::GrantForm;
use portal_domain::wire::{Module, Role, StaffGrant};

#[component]
pub fn Staff() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let is_admin = session
        .read()
        .info()
        .is_some_and(|i| i.roles.contains(&Role::Admin));
    let mut grants = use_resource(move || {
        let api = api.clone();
        async move { api.staff().await }
    });
    rsx! {
        PageTitle { title: tr.t("staff.title") }
        h1 { {tr.t("staff.title")} }
        if !is_admin && session.read().info().is_some() {
            p { class: "alert alert--info", {tr.t("staff.admins_only")} }
        } else {
            p { class: "lead", {tr.t("staff.intro")} }
            match &*grants.read() {
                None => rsx! { Loading {} },
                Some(Err(ApiError::LoaRequired(required))) => rsx! {
                    StepUp { required: *required, next: "/sprava/pracovnici".to_string() }
                },
                Some(Err(error)) => rsx! {
                    LoadError { error: error.clone(), on_retry: move |_| grants.restart() }
                },
                Some(Ok(list)) => rsx! {
                    GrantTable { grants: list.clone(), on_changed: move |_| grants.restart() }
                    GrantForm { on_granted: move |_| grants.restart() }
                },
            }
        }
    }
}

pub fn role_text(tr: Tr, role: Role, module: Option<Module>) -> String {
    match (role, module) {
        (Role::Admin, _) => tr.t("staff.role.admin").to_string(),
        (_, None) => tr.t("staff.role.official_all").to_string(),
        (_, Some(module)) => tr.tf(
            "staff.role.official_in",
            &[("module", module_name(tr, module))],
        ),
    }
}

pub fn module_name(tr: Tr, module: Module) -> &'static str {
    match module {
        Module::Payments => tr.t("module.payments"),
        Module::Filing => tr.t("module.filing"),
        Module::Bookings => tr.t("module.bookings"),
        Module::Subsidies => tr.t("module.subsidies"),
        Module::Notifications => tr.t("module.notifications"),
    }
}

#[component]
fn GrantTable(grants: Vec<StaffGrant>, on_changed: EventHandler<()>) -> Element {
    let tr = use_tr();
    let error = use_signal(|| None::<ApiError>);
    rsx! {
        table { class: "table",
            caption { {tr.t("staff.table.caption")} }
            thead {
                tr {
                    th { scope: "col", {tr.t("staff.table.person")} }
                    th { scope: "col", {tr.t("staff.table.account")} }
                    th { scope: "col", {tr.t("staff.table.role")} }
                    th { scope: "col", {tr.t("staff.table.since")} }
                    th { scope: "col", span { class: "visually-hidden", {tr.t("staff.table.actions")} } }
                }
            }
            tbody {
                for grant in grants {
                    tr { key: "{grant.id}",
                        td { "{grant.display_name}" }
                        td { "{grant.account}" }
                        td { {role_text(tr, grant.role, grant.module)} }
                        td { {format_datetime(tr, grant.granted_at)} }
                        td {
                            RevokeButton { grant: grant.clone(), error, on_changed }
                        }
                    }
                }
            }
        }
        if let Some(e) = error() {
            p { class: "alert alert--error", role: "alert", {tr.error(e.message_code())} }
        }
    }
}

#[component]
fn RevokeButton(
    grant: StaffGrant,
    error: Signal<Option<ApiError>>,
    on_changed: EventHandler<()>,
) -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let role = role_text(tr, grant.role, grant.module);
    rsx! {
        button {
            r#type: "button",
            class: "button button--secondary",
            aria_label: tr.tf("staff.revoke_named", &[("name", &grant.display_name), ("role", &role)]),
            onclick: move |_| {
                let api = api.clone();
                let id = grant.id;
                async move {
                    let csrf = session.peek().csrf_token().unwrap_or_default();
                    match api.revoke_role(&csrf, id).await {
                        Ok(()) => {
                            error.set(None);
                            on_changed.call(());
                        }
                        Err(e) => error.set(Some(e)),
                    }
                }
            },
            {tr.t("staff.revoke")}
        }
    }
}
