//! The profile's value types: modules, languages and the `[accessibility]` and `[window]`
//! tables.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use serde::Serialize;

/// Allowed values of `window.width` and `window.height`, in pixels.
pub const WINDOW_SIZE_RANGE: RangeInclusive<u32> = 240..=8192;

/// A portal module that a kiosk can offer: the same list the whole portal uses.
pub use portal_domain::wire::Module;

/// The language the kiosk starts in (and returns to after an idle timeout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Cs,
    En,
}

impl Language {
    /// The ISO 639-1 code used in profiles (and in `<html lang>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Cs => "cs",
            Language::En => "en",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Language {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "cs" => Ok(Language::Cs),
            "en" => Ok(Language::En),
            _ => Err(format!("unknown language {s:?}; expected \"cs\" or \"en\"")),
        }
    }
}

/// The `[accessibility]` table: the kiosk's starting presentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Accessibility {
    pub high_contrast: bool,
    pub large_text: bool,
}

/// The `[window]` table: the kiosk window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WindowSettings {
    pub fullscreen: bool,
    pub width: u32,
    pub height: u32,
}

impl Default for WindowSettings {
    /// Full screen on a portrait 1080×1920 totem, the usual lobby kiosk panel.
    fn default() -> Self {
        WindowSettings {
            fullscreen: true,
            width: 1080,
            height: 1920,
        }
    }
}
