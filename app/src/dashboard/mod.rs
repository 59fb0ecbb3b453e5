//! "Přehled": the first page after login, one tile per module the town uses.

mod summary;
mod tiles;

pub use summary::{module_title, summary_text};
pub use tiles::Tiles;

use crate::api::ApiClient;
use crate::i18n::use_tr;
use crate::layout::{LoadError, Loading, PageTitle, use_town};
use crate::session::Session;
use dioxus::prelude::*;

#[component]
pub fn Dashboard() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let session = use_context::<Signal<Session>>();
    let modules = use_town().map(|t| t.modules).unwrap_or_default();
    let mut data = use_resource(move || {
        let api = api.clone();
        async move { api.dashboard().await }
    });
    let greeting = session
        .read()
        .info()
        .map(|info| tr.tf("dashboard.greeting", &[("name", &info.display_name)]));

    rsx! {
        PageTitle { title: tr.t("dashboard.title") }
        h1 { {tr.t("dashboard.title")} }
        if let Some(greeting) = greeting {
            p { class: "lead", {greeting} }
        }
        match &*data.read() {
            None => rsx! { Loading {} },
            Some(Err(error)) => rsx! {
                LoadError { error: error.clone(), on_retry: move |_| data.restart() }
            },
            Some(Ok(dashboard)) => rsx! {
                Tiles { modules: modules.clone(), dashboard: dashboard.clone() }
            },
        }
    }
}
