//! The welcome screen: what anyone in the lobby sees without a card.

use super::ReaderStatus;
use crate::dashboard::module_title;
use crate::i18n::use_tr;
use dioxus::prelude::*;
use portal_domain::wire::TownInfo;

#[component]
pub fn Welcome(
    town: TownInfo,
    reader: ReaderStatus,
    high_contrast: bool,
    large_text: bool,
    on_contrast: EventHandler<()>,
    on_large_text: EventHandler<()>,
    on_other_login: EventHandler<()>,
    on_staff: EventHandler<()>,
) -> Element {
    let tr = use_tr();
    let reader_note = match reader {
        ReaderStatus::Ready => None,
        ReaderStatus::NoReader => Some(tr.t("kiosk.welcome.no_reader")),
        ReaderStatus::ServiceDown => Some(tr.t("kiosk.welcome.service_down")),
    };
    rsx! {
        section { class: "kiosk-welcome", "aria-labelledby": "kiosk-welcome-title",
            h1 { id: "kiosk-welcome-title",
                {tr.t("kiosk.welcome.title")}
                " "
                span { class: "kiosk-welcome__town", {town.name.clone()} }
            }
            div { class: "kiosk-card-prompt", role: "status",
                p { class: "kiosk-card-prompt__title", {tr.t("kiosk.welcome.insert_card")} }
                p { {tr.t("kiosk.welcome.insert_card_hint")} }
                if let Some(note) = reader_note {
                    p { class: "kiosk-card-prompt__warning", {note} }
                }
            }
            div { class: "kiosk-welcome__columns",
                section { "aria-labelledby": "kiosk-hours",
                    h2 { id: "kiosk-hours", {tr.t("kiosk.welcome.hours")} }
                    if town.opening_hours.is_empty() {
                        p { {tr.t("kiosk.welcome.hours_unknown")} }
                    } else {
                        ul { class: "kiosk-list",
                            for line in town.opening_hours.iter() {
                                li { key: "{line}", {line.clone()} }
                            }
                        }
                    }
                }
                section { "aria-labelledby": "kiosk-services",
                    h2 { id: "kiosk-services", {tr.t("kiosk.welcome.services")} }
                    ul { class: "kiosk-list",
                        for module in town.modules.iter().copied() {
                            li { key: "{module.as_str()}", {module_title(tr, module)} }
                        }
                    }
                }
            }
            div { class: "kiosk-actions",
                button {
                    class: "button button--secondary kiosk-button",
                    r#type: "button",
                    onclick: move |_| on_other_login.call(()),
                    {tr.t("kiosk.welcome.other_login")}
                }
            }
            div { class: "kiosk-toggles", role: "group", "aria-label": tr.t("kiosk.welcome.display"),
                button {
                    class: "kiosk-toggle",
                    r#type: "button",
                    "aria-pressed": if high_contrast { "true" } else { "false" },
                    onclick: move |_| on_contrast.call(()),
                    {tr.t("kiosk.a11y.contrast")}
                }
                button {
                    class: "kiosk-toggle",
                    r#type: "button",
                    "aria-pressed": if large_text { "true" } else { "false" },
                    onclick: move |_| on_large_text.call(()),
                    {tr.t("kiosk.a11y.large")}
                }
            }
            button {
                class: "kiosk-staff",
                r#type: "button",
                onclick: move |_| on_staff.call(()),
                {tr.t("kiosk.welcome.staff")}
            }
        }
    }
}
