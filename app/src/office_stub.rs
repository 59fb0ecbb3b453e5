//! Stand-ins for the back office's pages in the citizen bundle (built without the `office`
//! feature). The routes stay, so `/sprava/...` links, `next` after login and history all parse;
//! reaching one loads the page from the server, which answers `/sprava` paths with the office
//! bundle (`office.html`, see `scripts/build-web.sh`).

use crate::i18n::use_tr;
use crate::routes::Route;
use dioxus::prelude::*;

/// Replaces the citizen bundle with the server's page for the current office route.
fn office_page() -> Element {
    let tr = use_tr();
    let url = use_route::<Route>().to_string();
    let mut stuck = use_signal(|| false);
    let target = url.clone();
    use_effect(move || {
        if !load_from_server(&target) {
            stuck.set(true);
        }
    });
    rsx! {
        p { role: "status", {tr.t("status.loading")} }
        if stuck() {
            p { a { href: "{url}", "{url}" } }
        }
    }
}

/// Starts a full page load of `url`, replacing the history entry the router just pushed.
/// Returns false when that would loop: the same URL was loaded moments ago and the server
/// still sent the citizen bundle (an old server, or a build without `office.html`).
#[cfg(all(target_arch = "wasm32", feature = "web"))]
fn load_from_server(url: &str) -> bool {
    const KEY: &str = "portal.office-load";
    const LOOP_MS: f64 = 10_000.0;
    let Some(window) = web_sys::window() else {
        return false;
    };
    let now = js_sys::Date::now();
    let storage = window.session_storage().ok().flatten();
    if let Some(storage) = &storage {
        let last = storage.get_item(KEY).ok().flatten().unwrap_or_default();
        if let Some((last_url, at)) = last.rsplit_once(' ')
            && last_url == url
            && at.parse::<f64>().is_ok_and(|at| now - at < LOOP_MS)
        {
            let _ = storage.remove_item(KEY);
            return false;
        }
        let _ = storage.set_item(KEY, &format!("{url} {now}"));
    }
    window.location().replace(url).is_ok()
}

/// Outside the browser there is no server page to load; the link is shown instead.
#[cfg(not(all(target_arch = "wasm32", feature = "web")))]
fn load_from_server(_url: &str) -> bool {
    false
}

#[component]
pub fn Staff() -> Element {
    office_page()
}

#[component]
pub fn Kiosks() -> Element {
    office_page()
}

#[component]
pub fn StaffPayments() -> Element {
    office_page()
}

#[component]
pub fn StaffStatements() -> Element {
    office_page()
}

#[component]
pub fn StaffUnmatched() -> Element {
    office_page()
}

#[component]
pub fn StaffManualPayment() -> Element {
    office_page()
}

#[component]
pub fn StaffArrears() -> Element {
    office_page()
}

#[component]
pub fn StaffYearlyRun() -> Element {
    office_page()
}

#[component]
pub fn StaffPayer(ucet: String) -> Element {
    let _ = ucet; // part of the URL, which office_page reads whole
    office_page()
}
