//! Kiosk profiles: the TOML file that configures one lobby kiosk of the citizen portal.
//!
//! A profile is parsed with [`KioskProfile::parse`] (from text) or [`KioskProfile::load`] (from
//! a file). Validation collects *every* problem it finds rather than stopping at the first, and
//! each problem names the line, the key path and a plain English message, so that a town's IT
//! administrator can fix a profile in one go:
//!
//! ```text
//! lobby.toml:7: idle_timeout_seconds: must be between 30 and 1800 seconds, found 5
//! lobby.toml:12: accessibility.high_contrast: expected a boolean (true or false), found a string
//! ```
//!
//! # Format
//!
//! ```toml
//! id = "lobby-1"                       # required; a-z, 0-9, '-' and '_', at most 64 characters
//! town = "dolni-lhota"                 # required; the town's slug
//! backend_url = "https://portal.example.cz"   # required; http only on loopback
//! enabled_modules = ["payments", "filing", "bookings", "subsidies", "notifications"]  # required
//! idle_timeout_seconds = 120           # required; 30..=1800
//! reader_name_pattern = "*"            # optional, default "*"; `*` and `?` wildcards
//! default_language = "cs"              # optional, default "cs"; "cs" or "en"
//! staff_exit_pin_hash = "sha256:<salt hex>:<digest hex>"   # required; see `hash_pin`
//! trust_anchors = []                   # optional, default empty; paths of PEM CA certificates
//!
//! [accessibility]                      # optional
//! high_contrast = false
//! large_text = false
//!
//! [window]                             # optional
//! fullscreen = true
//! width = 1080
//! height = 1920
//! ```
//!
//! Unknown keys are errors: a misspelt key would otherwise silently fall back to a default.

mod backend_url;
mod errors;
mod parse;
mod pin;
mod values;

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use errors::{ProfileError, ProfileErrors};
pub use pin::{
    PIN_HASH_SCHEME, PIN_LENGTH_RANGE, PinHash, SALT_LENGTH, SALT_LENGTH_RANGE, check_pin_format,
    generate_salt, hash_pin,
};
pub use values::{Accessibility, Language, Module, WINDOW_SIZE_RANGE, WindowSettings};

/// Allowed values of `idle_timeout_seconds`.
pub const IDLE_TIMEOUT_RANGE: RangeInclusive<u32> = 30..=1800;

/// One kiosk's configuration. Every value has been validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KioskProfile {
    /// The kiosk's identifier, e.g. `lobby-1` (lowercase letters, digits, `-`, `_`).
    pub id: String,
    /// The town's slug, e.g. `dolni-lhota`.
    pub town: String,
    /// The backend's base URL, `http://` or `https://`; plain http only for a loopback host.
    pub backend_url: String,
    /// The modules this kiosk offers, in the profile's order, without duplicates, at least one.
    pub enabled_modules: Vec<Module>,
    /// Seconds without input after which the kiosk clears the session and returns home.
    pub idle_timeout_seconds: u32,
    /// Which PC/SC card reader to use: a pattern with `*` (any run) and `?` (one character).
    pub reader_name_pattern: String,
    /// The language the kiosk starts in: `"cs"` or `"en"` (validated; see [`Self::language`]).
    pub default_language: String,
    pub accessibility: Accessibility,
    /// Hash of the PIN that staff type to leave the kiosk mode. Check with [`Self::verify_pin`].
    pub staff_exit_pin_hash: PinHash,
    /// Files of PEM CA certificates to trust for `backend_url` (e.g. a town's own CA); may be
    /// empty. [`KioskProfile::load`] resolves relative paths against the profile's folder.
    pub trust_anchors: Vec<PathBuf>,
    pub window: WindowSettings,
}

impl KioskProfile {
    /// Parses and validates a profile. Errors name `<input>` as the file; see
    /// [`ProfileErrors::with_file`].
    pub fn parse(text: &str) -> Result<KioskProfile, ProfileErrors> {
        parse::parse_profile(text)
    }

    /// Reads, parses and validates a profile file. Relative `trust_anchors` are resolved against
    /// the file's folder. Errors carry the path as their file name.
    pub fn load(path: impl AsRef<Path>) -> Result<KioskProfile, ProfileErrors> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| ProfileErrors {
            file: path.display().to_string(),
            errors: vec![ProfileError {
                line: 0,
                key: String::new(),
                message: format!("cannot read the file: {e}"),
            }],
        })?;
        let mut profile = KioskProfile::parse(&text).map_err(|e| e.with_file(path))?;
        let base = path.parent().unwrap_or(Path::new(""));
        for anchor in &mut profile.trust_anchors {
            if anchor.is_relative() {
                *anchor = base.join(&*anchor);
            }
        }
        Ok(profile)
    }

    /// True when `pin` is the staff exit PIN (constant-time comparison of the digests).
    pub fn verify_pin(&self, pin: &str) -> bool {
        self.staff_exit_pin_hash.verify(pin)
    }

    /// `default_language` as a [`Language`].
    pub fn language(&self) -> Language {
        self.default_language.parse().unwrap_or_default()
    }

    /// True when the kiosk offers `module`.
    pub fn has_module(&self, module: Module) -> bool {
        self.enabled_modules.contains(&module)
    }

    /// True when a PC/SC reader called `reader_name` matches `reader_name_pattern`.
    pub fn reader_matches(&self, reader_name: &str) -> bool {
        glob_match(&self.reader_name_pattern, reader_name)
    }
}

/// Matches `text` against `pattern`, where `*` stands for any run of characters (also none) and
/// `?` for exactly one character; everything else matches itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with backtracking to the last `*`: linear for typical reader names,
    // and never exponential.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && p[pi] == t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests;
