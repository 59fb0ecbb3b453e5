//! Help pages. The first: how to open this portal from a tile on the national Portál občana.

use crate::api::ApiClient;
use crate::i18n::use_tr;
use crate::layout::{PageTitle, use_town};
use dioxus::prelude::*;

/// The backend route that starts the NIA login for someone coming from the tile.
pub const ENTRY_PATH: &str = "/vstup/portal-obcana";

#[component]
pub fn PortalObcanaHelp() -> Element {
    let tr = use_tr();
    let api = use_context::<ApiClient>();
    let town = use_town().map(|t| t.name).unwrap_or_default();
    let entry = api.url(ENTRY_PATH);
    rsx! {
        PageTitle { title: tr.t("help.portal_obcana.title") }
        h1 { {tr.t("help.portal_obcana.title")} }
        p { class: "lead", {tr.tf("help.portal_obcana.intro", &[("town", &town)])} }
        h2 { {tr.t("help.portal_obcana.steps")} }
        ol { class: "steps",
            li { {tr.t("help.portal_obcana.step1")} }
            li { {tr.t("help.portal_obcana.step2")} }
            li { {tr.tf("help.portal_obcana.step3", &[("town", &town)])} }
            li {
                {tr.t("help.portal_obcana.step4")}
                " "
                code { class: "entry-url", "{entry}" }
            }
        }
        h2 { {tr.t("help.portal_obcana.after")} }
        p { {tr.t("help.portal_obcana.after_text")} }
        p {
            a { class: "button", href: "{entry}", {tr.t("help.portal_obcana.try")} }
        }
    }
}
