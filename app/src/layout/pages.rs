//! Small pages that belong to the frame rather than to a feature.

use super::PageTitle;
use crate::i18n::use_tr;
use crate::routes::Route;
use dioxus::prelude::*;

#[component]
pub fn NotFound(segments: Vec<String>) -> Element {
    let tr = use_tr();
    let _ = segments;
    rsx! {
        PageTitle { title: tr.t("not_found.title") }
        h1 { {tr.t("not_found.title")} }
        p { {tr.t("not_found.text")} }
        p {
            Link { to: Route::Dashboard {}, {tr.t("not_found.back")} }
        }
    }
}

#[component]
pub fn Accessibility() -> Element {
    let tr = use_tr();
    rsx! {
        PageTitle { title: tr.t("accessibility.title") }
        h1 { {tr.t("accessibility.title")} }
        p { {tr.t("accessibility.intro")} }
        h2 { {tr.t("accessibility.compliance.heading")} }
        p { {tr.t("accessibility.compliance.text")} }
        h2 { {tr.t("accessibility.feedback.heading")} }
        p { {tr.t("accessibility.feedback.text")} }
    }
}
