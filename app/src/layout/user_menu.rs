use crate::api::ApiClient;
use crate::i18n::use_tr;
use crate::routes::Route;
use crate::session::Session;
use dioxus::prelude::*;
use portal_domain::wire::Role;

/// The logged-in person's name opening profile / settings / logout, or a login link.
#[component]
pub fn UserMenu() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let mut session = use_context::<Signal<Session>>();
    let mut open = use_signal(|| false);
    let nav = use_navigator();

    let Some(info) = session.read().info().cloned() else {
        return rsx! {
            Link { class: "gov-header__login", to: Route::login(String::new()),
                {tr.t("layout.login")}
            }
        };
    };

    let logout = move |_| {
        let api = api.clone();
        async move {
            let csrf = session.peek().csrf_token().unwrap_or_default();
            // Logged out locally whatever the server says: a kiosk must never keep a session.
            let result = api.logout(&csrf).await;
            open.set(false);
            session.set(Session::Anonymous);
            // Then the provider's own logout, so the next person at this browser is not let
            // straight back in by the provider's session.
            let provider_logout = result.ok().and_then(|r| r.provider_logout_url);
            if !provider_logout.is_some_and(|url| crate::platform::leave_for(&url)) {
                nav.replace(Route::login(String::new()));
            }
        }
    };

    rsx! {
        nav { class: "user-menu", aria_label: tr.t("layout.user_menu"),
            button {
                r#type: "button",
                class: "user-menu__toggle",
                aria_expanded: if open() { "true" } else { "false" },
                aria_controls: "user-menu-list",
                onclick: move |_| open.toggle(),
                span { class: "visually-hidden", {tr.t("layout.logged_in_as")} }
                " {info.display_name}"
            }
            ul { id: "user-menu-list", class: "user-menu__list", hidden: !open(),
                li {
                    Link { to: Route::Profile {}, onclick: move |_| open.set(false),
                        {tr.t("profile.title")}
                    }
                }
                li {
                    Link { to: Route::Settings {}, onclick: move |_| open.set(false),
                        {tr.t("settings.title")}
                    }
                }
                if info.roles.contains(&Role::Official) {
                    li {
                        Link { to: Route::StaffPayments {}.office_link(), onclick: move |_| open.set(false),
                            {tr.t("staff_payments.title")}
                        }
                    }
                }
                if info.roles.contains(&Role::Admin) {
                    li {
                        Link { to: Route::Staff {}.office_link(), onclick: move |_| open.set(false),
                            {tr.t("staff.title")}
                        }
                    }
                    li { Link { to: Route::KioskAdmin {}.office_link(), onclick: move |_| open.set(false), {tr.t("kiosks.title")} } }
                }
                li {
                    button { r#type: "button", class: "user-menu__logout", onclick: logout,
                        {tr.t("layout.logout")}
                    }
                }
            }
        }
    }
}
