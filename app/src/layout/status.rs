//! Waiting and failing, shown the same way on every view that talks to the server.

use super::use_town;
use crate::api::ApiError;
use crate::i18n::use_tr;
use crate::platform;
use crate::routes::Route;
use crate::session::Session;
use dioxus::prelude::*;

#[component]
pub fn Loading() -> Element {
    let tr = use_tr();
    rsx! {
        div { class: "loading", role: "status", aria_live: "polite", aria_busy: "true",
            span { class: "loading__spinner", aria_hidden: "true" }
            span { {tr.t("status.loading")} }
        }
    }
}

/// An error with a retry button. A 401 sends the user to the login page instead, remembering
/// the page they were on.
#[component]
pub fn LoadError(error: ApiError, on_retry: EventHandler<()>) -> Element {
    let tr = use_tr();
    let route = use_route::<Route>();
    let nav = use_navigator();
    let mut session = use_context::<Signal<Session>>();
    let unauthenticated = error == ApiError::Unauthenticated;
    use_effect(move || {
        if unauthenticated {
            session.set(Session::Anonymous);
            nav.replace(Route::login_returning_to(&route));
        }
    });
    if unauthenticated {
        return rsx! {
            p { class: "loading", role: "status", {tr.t("status.redirecting_to_login")} }
        };
    }
    rsx! {
        div { class: "alert alert--error", role: "alert",
            p { {tr.error(error.message_code())} }
            button {
                r#type: "button",
                class: "button button--secondary",
                onclick: move |_| on_retry.call(()),
                {tr.t("status.retry")}
            }
        }
    }
}

/// Sets the window title to `page – town`, which is what screen readers announce first.
#[component]
pub fn PageTitle(title: String) -> Element {
    let town = use_town().map(|t| t.name).unwrap_or_default();
    let full = format!("{title} – {town}");
    // After rendering, and again whenever the title or the town's name changes.
    use_effect(use_reactive!(|full| platform::set_title(&full)));
    rsx! {}
}
