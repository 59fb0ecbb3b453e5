//! The warning before an idle visit ends: a modal with the seconds left and a way to go on.

use crate::i18n::use_tr;
use dioxus::prelude::*;

#[component]
pub fn Countdown(seconds_left: u64, on_continue: EventHandler<()>) -> Element {
    let tr = use_tr();
    rsx! {
        div { class: "kiosk-overlay",
            div {
                class: "kiosk-dialog",
                role: "alertdialog",
                "aria-modal": "true",
                "aria-labelledby": "kiosk-countdown-title",
                "aria-describedby": "kiosk-countdown-text",
                h2 { id: "kiosk-countdown-title", {tr.t("kiosk.countdown.title")} }
                p { id: "kiosk-countdown-text", "aria-live": "polite",
                    {tr.tf("kiosk.countdown.text", &[("n", &seconds_left.to_string())])}
                }
                button {
                    class: "button button--primary kiosk-button",
                    r#type: "button",
                    autofocus: true,
                    onclick: move |_| on_continue.call(()),
                    {tr.t("kiosk.countdown.continue")}
                }
            }
        }
    }
}
