use crate::i18n::use_tr;
use dioxus::prelude::*;

/// Shown on every screen of the demo town, so nobody mistakes it for a real office.
#[component]
pub fn DemoBanner() -> Element {
    let tr = use_tr();
    rsx! {
        div { class: "demo-banner",
            p {
                strong { {tr.t("demo.banner")} }
            }
        }
    }
}
