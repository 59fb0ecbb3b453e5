use super::{module_title, summary_text};
use crate::i18n::use_tr;
use dioxus::prelude::*;
use portal_domain::wire::{Dashboard, Module};

/// One card per enabled module, in the town's order. Module pages come later, so the cards
/// are not links yet: a link to a missing page would be a dead end.
#[component]
pub fn Tiles(modules: Vec<Module>, dashboard: Dashboard) -> Element {
    let tr = use_tr();
    rsx! {
        ul { class: "tiles",
            for module in modules {
                li { key: "{module.as_str()}", class: "tile tile--{module.as_str()}",
                    h2 { class: "tile__title", {module_title(tr, module)} }
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
