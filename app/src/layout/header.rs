use super::language_switch::LanguageSwitch;
use super::user_menu::UserMenu;
use super::{DemoBanner, server_url, use_town};
use crate::api::ApiClient;
use crate::i18n::use_tr;
use crate::routes::Route;
use dioxus::prelude::*;

#[component]
pub fn Header() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let town = use_town();
    let demo = town.as_ref().is_some_and(|t| t.demo);
    let name = town.as_ref().map(|t| t.name.clone()).unwrap_or_default();
    let arms = town
        .as_ref()
        .and_then(|t| t.coat_of_arms_url.as_deref())
        .map(|url| server_url(&api, url));
    rsx! {
        header { class: "gov-header",
            if demo {
                DemoBanner {}
            }
            div { class: "container gov-header__inner",
                Link { class: "brand", to: Route::Dashboard {},
                    if let Some(src) = arms {
                        // Decorative: the town's name follows as text.
                        img {
                            class: "brand__arms",
                            src,
                            alt: "",
                            width: "40",
                            height: "48",
                        }
                    }
                    span { class: "brand__text",
                        span { class: "brand__town", "{name}" }
                        span { class: "brand__portal", {tr.t("layout.portal_name")} }
                    }
                }
                div { class: "gov-header__tools",
                    LanguageSwitch {}
                    UserMenu {}
                }
            }
        }
    }
}
