//! Step-up: an action needs a stronger login than the citizen used. The panel offers the
//! town's providers that can give the level; the server brings the citizen back to `next`
//! as the same person at the higher level.

use super::methods::{MethodLinks, Start};
use crate::i18n::use_tr;
use crate::layout::use_town;
use dioxus::prelude::*;
use portal_domain::wire::{Loa, LoginKind};

#[component]
pub fn StepUp(required: Loa, next: String) -> Element {
    let tr = use_tr();
    let methods: Vec<_> = use_town()
        .map(|t| t.login_methods)
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m.kind != LoginKind::Demo && m.max_loa >= required)
        .collect();
    let level = match required {
        Loa::Low => tr.t("loa.low"),
        Loa::Substantial => tr.t("loa.substantial"),
        Loa::High => tr.t("loa.high"),
    };
    rsx! {
        section { class: "alert alert--info step-up", role: "alert", aria_labelledby: "step-up-heading",
            h2 { id: "step-up-heading", {tr.t("step_up.heading")} }
            p { {tr.tf("step_up.text", &[("level", level)])} }
            if methods.is_empty() {
                p { {tr.t("step_up.none")} }
            } else {
                MethodLinks { methods, start: Start::StepUp(required), next, class: "login-method" }
            }
        }
    }
}
