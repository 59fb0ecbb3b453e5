//! The frame around every page: skip link, header, main landmark, footer.

mod demo_banner;
mod footer;
mod header;
mod language_switch;
mod pages;
mod status;
mod user_menu;

pub use demo_banner::DemoBanner;
#[cfg(feature = "desktop")]
pub use header::Header;
pub use pages::{Accessibility, NotFound};
pub use status::{LoadError, Loading, PageTitle};

use crate::api::ApiClient;
use crate::app::{load_session, load_town};
use crate::i18n::use_tr;
use crate::routes::Route;
use crate::session::{Session, TownState};
use dioxus::prelude::*;

/// The router's layout. Pages render only once the town is known: every page needs it.
#[component]
pub fn Shell() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let town = use_context::<Signal<TownState>>();
    let session = use_context::<Signal<Session>>();
    let body = match &*town.read() {
        TownState::Ready(_) => rsx! { Outlet::<Route> {} },
        TownState::Loading => rsx! { Loading {} },
        TownState::Failed(error) => rsx! {
            h1 { {tr.t("layout.town_unavailable")} }
            LoadError {
                error: error.clone(),
                on_retry: move |_| {
                    spawn(load_town(api.clone(), town));
                    // The session probe failed the same way and was taken as "logged out":
                    // ask again, or a logged-in person would see the login link.
                    spawn(load_session(api.clone(), session));
                },
            }
        },
    };
    let page = rsx! {
        a { class: "skip-link", href: "#content", {tr.t("layout.skip_link")} }
        header::Header {}
        // tabindex -1 lets the skip link move keyboard focus here.
        main { id: "content", class: "page", tabindex: "-1",
            div { class: "container", {body} }
        }
        footer::Footer {}
    };
    #[cfg(feature = "desktop")]
    return rsx! {
        crate::kiosk::frame::KioskFrame { {page} }
    };
    #[cfg(not(feature = "desktop"))]
    page
}

/// The town, when loaded. Pages are rendered only then (see [`Shell`]).
pub fn use_town() -> Option<portal_domain::wire::TownInfo> {
    let town = use_context::<Signal<TownState>>();
    town.read().ready().cloned()
}

/// An image path from the server made absolute: the kiosk's webview is not on the backend's
/// origin.
pub fn server_url(api: &ApiClient, path: &str) -> String {
    if path.starts_with('/') && !path.starts_with("//") {
        api.url(path)
    } else {
        path.to_string()
    }
}
