//! Translations: flat key → text catalogs in `assets/i18n/*.json`, compiled into the binary.
//!
//! Every user-visible string goes through [`Tr::t`] (or [`Tr::tf`], [`Tr::plural`]) with a
//! literal key, so a test can scan the sources and check that each key exists.

mod format;
mod plural;

pub use format::{format_count, format_date, format_datetime, format_psc};
pub use plural::plural_category;

use dioxus::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;

// Copies that build.rs writes: compact, and in the citizens' web bundle (wasm32 without the
// `office` feature) without the back office's texts.
const CS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/i18n/cs.json"));
const EN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/i18n/en.json"));
// The kiosk's screens exist outside the browser only; the web bundle goes without their texts.
#[cfg(not(target_arch = "wasm32"))]
const KIOSK_CS_JSON: &str = include_str!("../../../assets/i18n/kiosk.cs.json");
#[cfg(not(target_arch = "wasm32"))]
const KIOSK_EN_JSON: &str = include_str!("../../../assets/i18n/kiosk.en.json");

/// The languages the portal speaks. Czech is the default: it is the town office's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Cs,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Cs, Lang::En];

    /// The BCP 47 tag, used for `<html lang>` and for storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Cs => "cs",
            Lang::En => "en",
        }
    }

    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "cs" | "cz" | "cs-cz" => Some(Lang::Cs),
            "en" | "en-gb" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }
}

type Catalog = HashMap<String, String>;

fn parse_catalog(json: &str) -> Catalog {
    // The catalogs are compiled in and checked by tests, so a broken one is a build bug.
    serde_json::from_str(json).expect("translation catalog is valid JSON")
}

#[cfg(not(target_arch = "wasm32"))]
fn with_kiosk(mut catalog: Catalog, lang: Lang) -> Catalog {
    catalog.extend(parse_catalog(match lang {
        Lang::Cs => KIOSK_CS_JSON,
        Lang::En => KIOSK_EN_JSON,
    }));
    catalog
}

#[cfg(target_arch = "wasm32")]
fn with_kiosk(catalog: Catalog, _lang: Lang) -> Catalog {
    catalog
}

/// The catalog of a language, parsed once.
pub fn catalog(lang: Lang) -> &'static Catalog {
    static CS: OnceLock<Catalog> = OnceLock::new();
    static EN: OnceLock<Catalog> = OnceLock::new();
    match lang {
        Lang::Cs => CS.get_or_init(|| with_kiosk(parse_catalog(CS_JSON), Lang::Cs)),
        Lang::En => EN.get_or_init(|| with_kiosk(parse_catalog(EN_JSON), Lang::En)),
    }
}

/// Looks a key up in one language; `None` when it is missing.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    catalog(lang).get(key).map(String::as_str)
}

/// A translator for one language. Cheap to copy into closures and pure functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Tr { lang }
    }

    /// The text for a literal key. A missing key shows itself, which tests catch.
    pub fn t(self, key: &'static str) -> &'static str {
        lookup(self.lang, key).unwrap_or(key)
    }

    /// The text for a key with `{name}` placeholders filled in.
    pub fn tf(self, key: &'static str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// `{base}.one` / `.few` / `.other` chosen by the language's plural rule, with `{count}`.
    pub fn plural(self, base: &'static str, n: u32) -> String {
        let key = format!("{base}.{}", plural_category(self.lang, n).suffix());
        let text = lookup(self.lang, &key).unwrap_or(base);
        fill(text, &[("count", &format_count(self.lang, n))])
    }

    /// The message for a server or domain error code (`email.invalid`, `unauthenticated`),
    /// falling back to a generic one for codes this client does not know yet.
    pub fn error(self, code: &str) -> &'static str {
        lookup(self.lang, &format!("error.{code}")).unwrap_or_else(|| self.t("error.unknown"))
    }
}

/// Replaces each `{name}` in `text` by its value.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The translator for the current language; the component re-renders when it changes.
pub fn use_tr() -> Tr {
    let lang = use_context::<Signal<Lang>>();
    Tr::new(lang())
}

#[cfg(test)]
mod tests;
