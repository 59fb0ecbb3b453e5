//! A PIN pad for touch screens: the IOK before a card login, the staff PIN to leave the kiosk.
//!
//! The digits live in one signal and are shown as dots only; submitting moves them into a
//! [`Zeroizing`] string (wiped when dropped) and clears the signal. A physical keyboard works too.

use crate::i18n::use_tr;
use dioxus::prelude::*;
use zeroize::Zeroizing;

/// The longest PIN the pad takes (the IOK has 4–10 digits).
pub const MAX_DIGITS: usize = 10;

/// A typed PIN on its way to the card; wiped when dropped.
pub struct PinEntry(pub Zeroizing<String>);

// Event payloads must be comparable for props; PINs are never compared.
impl PartialEq for PinEntry {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

impl Clone for PinEntry {
    fn clone(&self) -> Self {
        PinEntry(self.0.clone())
    }
}

#[component]
pub fn PinPad(
    /// i18n keys.
    title: &'static str,
    label: &'static str,
    /// IOK tries left, when known; at 1 the pad warns before the last try.
    tries_left: Option<u8>,
    /// i18n key of the last refusal.
    error: Option<&'static str>,
    on_submit: EventHandler<PinEntry>,
    on_cancel: EventHandler<()>,
) -> Element {
    let tr = use_tr();
    let mut digits = use_signal(String::new);
    let mut press = move |digit: char| {
        if digits.peek().len() < MAX_DIGITS {
            digits.write().push(digit);
        }
    };
    let mut submit = move || {
        let typed = std::mem::take(&mut *digits.write());
        on_submit.call(PinEntry(Zeroizing::new(typed)));
    };
    // Keys typed on a physical keyboard reach the pad only when it has the focus.
    use_effect(|| {
        #[cfg(feature = "desktop")]
        {
            let _ = dioxus::document::eval("document.querySelector('.kiosk-pin')?.focus();");
        }
    });
    let count = digits.read().len();
    let dots: String = "●".repeat(count);
    rsx! {
        section {
            class: "kiosk-pin",
            "aria-labelledby": "kiosk-pin-title",
            tabindex: "-1",
            onkeydown: move |event: KeyboardEvent| match event.key() {
                Key::Character(c) if c.len() == 1 && c.chars().all(|c| c.is_ascii_digit()) => {
                    press(c.chars().next().unwrap_or('0'))
                }
                Key::Backspace => {
                    digits.write().pop();
                }
                Key::Enter => submit(),
                Key::Escape => on_cancel.call(()),
                _ => {}
            },
            h1 { id: "kiosk-pin-title", {tr.t(title)} }
            if let Some(tries) = tries_left {
                p { class: "kiosk-pin__tries", {tr.tf("kiosk.pin.tries", &[("n", &tries.to_string())])} }
                if tries == 1 {
                    p { class: "kiosk-pin__warning", role: "alert", {tr.t("kiosk.pin.last_try")} }
                }
            }
            if let Some(error) = error {
                p { class: "kiosk-pin__error", role: "alert", id: "kiosk-pin-error", {tr.t(error)} }
            }
            div {
                class: "kiosk-pin__display",
                role: "status",
                "aria-label": tr.t(label),
                span { "aria-hidden": "true", {dots} }
                span { class: "visually-hidden", {tr.tf("kiosk.pin.entered", &[("n", &count.to_string())])} }
            }
            div { class: "kiosk-keypad",
                for digit in ['1', '2', '3', '4', '5', '6', '7', '8', '9'] {
                    button {
                        key: "{digit}",
                        class: "kiosk-key",
                        r#type: "button",
                        onclick: move |_| press(digit),
                        "{digit}"
                    }
                }
                button {
                    class: "kiosk-key kiosk-key--action",
                    r#type: "button",
                    "aria-label": tr.t("kiosk.pin.delete"),
                    onclick: move |_| {
                        digits.write().pop();
                    },
                    "⌫"
                }
                button {
                    class: "kiosk-key",
                    r#type: "button",
                    onclick: move |_| press('0'),
                    "0"
                }
                button {
                    class: "kiosk-key kiosk-key--submit",
                    r#type: "button",
                    onclick: move |_| submit(),
                    {tr.t("kiosk.pin.submit")}
                }
            }
            button {
                class: "button button--secondary kiosk-button",
                r#type: "button",
                onclick: move |_| {
                    digits.write().clear();
                    on_cancel.call(());
                },
                {tr.t("kiosk.pin.cancel")}
            }
        }
    }
}
