//! An on-screen keyboard for the kiosk's text fields (a touch screen has no keys).
//!
//! The keys type into the text field that last had focus: a small script remembers it (a tap
//! on a key takes the focus away), inserts at the caret and fires `input`, so the page's own
//! `oninput` handlers see the text as if typed.

use crate::i18n::use_tr;
use dioxus::prelude::*;

const ROWS: [&str; 5] = [
    "1 2 3 4 5 6 7 8 9 0",
    "ě š č ř ž ý á í é ú ů",
    "q w e r t z u i o p",
    "a s d f g h j k l @",
    "y x c v b n m , . -",
];

/// Remembers the focused text field; installed once per page load.
const TRACK_FOCUS: &str = "if (!window.__kioskTrack) { window.__kioskTrack = true; \
    document.addEventListener('focusin', e => { const t = e.target; \
    if (t && (t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && \
    !['checkbox','radio','button','submit','file'].includes(t.type)))) window.__kioskTarget = t; }); }";

fn type_script(text: &str) -> String {
    // Key labels are fixed strings above; JSON-encode anyway so no key can break the script.
    let text = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into());
    format!(
        "const t = window.__kioskTarget; if (t && document.contains(t)) {{ t.focus(); \
         const s = t.selectionStart ?? t.value.length, e = t.selectionEnd ?? t.value.length; \
         const x = {text}; if (x === '\\b') {{ if (s === e && s > 0) t.setRangeText('', s - 1, e, 'end'); \
         else t.setRangeText('', s, e, 'end'); }} else t.setRangeText(x, s, e, 'end'); \
         t.dispatchEvent(new Event('input', {{ bubbles: true }})); }}"
    )
}

fn send(text: &str) {
    #[cfg(feature = "desktop")]
    {
        let _ = dioxus::document::eval(&type_script(text));
    }
    #[cfg(not(feature = "desktop"))]
    let _ = type_script(text);
}

#[component]
pub fn OnScreenKeyboard() -> Element {
    let tr = use_tr();
    let mut open = use_signal(|| false);
    let mut capitals = use_signal(|| false);
    use_hook(|| {
        #[cfg(feature = "desktop")]
        {
            let _ = dioxus::document::eval(TRACK_FOCUS);
        }
    });
    if !open() {
        return rsx! {
            button {
                class: "kiosk-keyboard-toggle",
                r#type: "button",
                "aria-expanded": "false",
                onclick: move |_| open.set(true),
                "⌨ "
                {tr.t("kiosk.keyboard.label")}
            }
        };
    }
    let upper = capitals();
    rsx! {
        div { class: "kiosk-keyboard", role: "group", "aria-label": tr.t("kiosk.keyboard.label"),
            for (r, row) in ROWS.iter().enumerate() {
                div { key: "{r}", class: "kiosk-keyboard__row",
                    for key in row.split(' ') {
                        {
                            let shown = if upper { key.to_uppercase() } else { key.to_string() };
                            let typed = shown.clone();
                            rsx! {
                                button {
                                    key: "{key}",
                                    class: "kiosk-keyboard__key",
                                    r#type: "button",
                                    onclick: move |_| send(&typed),
                                    "{shown}"
                                }
                            }
                        }
                    }
                }
            }
            div { class: "kiosk-keyboard__row",
                button {
                    class: "kiosk-keyboard__key kiosk-keyboard__key--wide",
                    r#type: "button",
                    "aria-pressed": if upper { "true" } else { "false" },
                    onclick: move |_| capitals.toggle(),
                    {tr.t("kiosk.keyboard.shift")}
                }
                button {
                    class: "kiosk-keyboard__key kiosk-keyboard__key--space",
                    r#type: "button",
                    onclick: move |_| send(" "),
                    {tr.t("kiosk.keyboard.space")}
                }
                button {
                    class: "kiosk-keyboard__key kiosk-keyboard__key--wide",
                    r#type: "button",
                    onclick: move |_| send("\u{8}"),
                    {tr.t("kiosk.keyboard.backspace")}
                }
                button {
                    class: "kiosk-keyboard__key kiosk-keyboard__key--wide",
                    r#type: "button",
                    "aria-expanded": "true",
                    onclick: move |_| open.set(false),
                    {tr.t("kiosk.keyboard.hide")}
                }
            }
        }
    }
}
