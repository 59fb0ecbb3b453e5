use super::{module_title, summary_text};
use crate::i18n::use_tr;
use crate::routes::Route;
use dioxus::prelude::*;
use portal_domain::wire::{Dashboard, Module};

/// One card per enabled module, in the town's order. A card links to its module's page where
/// there is one (a link to a missing page would be a dead end).
#[component]
pub fn Tiles(modules: Vec<Module>, dashboard: Dashboard) -> Element {
    let tr = use_tr();
    rsx! {
        ul { class: "tiles",
            for module in modules {
                li { key: "{module.as_str()}", class: "tile tile--{module.as_str()}",
                    h2 { class: "tile__title",
                        if module == Module::Payments {
                            // A plain link that the router takes over on click (the tiles also
                            // render outside a router, in tests).
                            a {
                                href: "/platby",
                                onclick: move |event: MouseEvent| {
                                    event.prevent_default();
                                    navigator().push(Route::Payments { platba: String::new() });
                                },
                                {module_title(tr, module)}
                            }
                        } else {
                            {module_title(tr, module)}
                        }
                    }
                    p { class: "tile__summary",
                        match dashboard.tiles.iter().find(|t| t.module == module) {
                            Some(tile) => summary_text(tr, &tile.summary),
                            None => tr.t("dashboard.unavailable").to_string(),
                        }
                    }
                }
            }
        }
    }
}
