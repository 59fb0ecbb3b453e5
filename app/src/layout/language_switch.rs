use crate::i18n::{Lang, use_tr};
use crate::platform;
use dioxus::prelude::*;

/// Two buttons, each labelled in its own language (with a matching `lang`), the current one
/// marked with `aria-pressed` and not by colour alone.
#[component]
pub fn LanguageSwitch() -> Element {
    let tr = use_tr();
    let mut lang = use_context::<Signal<Lang>>();
    let current = lang();
    rsx! {
        div { class: "lang-switch", role: "group", aria_label: tr.t("layout.language"),
            for option in Lang::ALL {
                button {
                    key: "{option.code()}",
                    r#type: "button",
                    class: "lang-switch__button",
                    lang: option.code(),
                    aria_pressed: if option == current { "true" } else { "false" },
                    onclick: move |_| {
                        lang.set(option);
                        platform::store_language(option);
                    },
                    {label(option)}
                }
            }
        }
    }
}

fn label(lang: Lang) -> &'static str {
    // Each name in its own language, whatever the current one is.
    let tr = crate::i18n::Tr::new(lang);
    match lang {
        Lang::Cs => tr.t("language.cs"),
        Lang::En => tr.t("language.en"),
    }
}
