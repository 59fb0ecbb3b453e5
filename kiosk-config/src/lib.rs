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

use std::collections::BTreeSet;
use std::fmt;
use std::ops::{Range, RangeInclusive};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;
use sha2::{Digest, Sha256};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Allowed values of `idle_timeout_seconds`.
pub const IDLE_TIMEOUT_RANGE: RangeInclusive<u32> = 30..=1800;
/// Allowed values of `window.width` and `window.height`, in pixels.
pub const WINDOW_SIZE_RANGE: RangeInclusive<u32> = 240..=8192;
/// Allowed number of digits in a staff exit PIN (the kiosk's exit keypad has digits only).
pub const PIN_LENGTH_RANGE: RangeInclusive<usize> = 4..=12;
/// Allowed salt length in bytes in `staff_exit_pin_hash`.
pub const SALT_LENGTH_RANGE: RangeInclusive<usize> = 8..=64;
/// Salt length that [`generate_salt`] produces.
pub const SALT_LENGTH: usize = 16;
/// The scheme prefix of `staff_exit_pin_hash`.
pub const PIN_HASH_SCHEME: &str = "sha256";

// ---------------------------------------------------------------------------------------------
// Value types
// ---------------------------------------------------------------------------------------------

/// A portal module that a kiosk can offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Module {
    Payments,
    Filing,
    Bookings,
    Subsidies,
    Notifications,
}

impl Module {
    /// Every module, in the order the portal shows them.
    pub const ALL: [Module; 5] = [
        Module::Payments,
        Module::Filing,
        Module::Bookings,
        Module::Subsidies,
        Module::Notifications,
    ];

    /// The name used in profiles.
    pub fn as_str(self) -> &'static str {
        match self {
            Module::Payments => "payments",
            Module::Filing => "filing",
            Module::Bookings => "bookings",
            Module::Subsidies => "subsidies",
            Module::Notifications => "notifications",
        }
    }
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Module {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Module::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown module {s:?}; expected one of: {}",
                    Module::ALL.map(Module::as_str).join(", ")
                )
            })
    }
}

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

/// A parsed `staff_exit_pin_hash`: `sha256:<salt hex>:<digest hex>` where the digest is
/// `SHA-256(salt bytes ‖ PIN as UTF-8)`.
///
/// A short numeric PIN cannot be protected against offline guessing by any hash (there are only
/// 10⁴–10¹² of them), so the profile file must still be readable only by the kiosk's
/// administrators; the hash keeps the PIN out of plain sight in the file, its backups, support
/// tickets and screenshots.
#[derive(Clone, PartialEq, Eq)]
pub struct PinHash {
    salt: Vec<u8>,
    digest: [u8; 32],
}

impl PinHash {
    /// Hashes `pin` with `salt`.
    pub fn new(pin: &str, salt: &[u8]) -> PinHash {
        PinHash {
            salt: salt.to_vec(),
            digest: pin_digest(pin, salt),
        }
    }

    /// True when `pin` is the PIN this hash was made from. The digests are compared in
    /// constant time, so the comparison's duration does not tell how many bytes matched.
    pub fn verify(&self, pin: &str) -> bool {
        let candidate = pin_digest(pin, &self.salt);
        let diff = candidate
            .iter()
            .zip(self.digest.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        // black_box keeps the optimiser from turning the fold into an early-exit comparison.
        std::hint::black_box(diff) == 0
    }

    /// The salt bytes.
    pub fn salt(&self) -> &[u8] {
        &self.salt
    }
}

fn pin_digest(pin: &str, salt: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(pin.as_bytes());
    hasher.finalize().into()
}

impl fmt::Display for PinHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{PIN_HASH_SCHEME}:{}:{}",
            hex::encode(&self.salt),
            hex::encode(self.digest)
        )
    }
}

impl fmt::Debug for PinHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PinHash({self})")
    }
}

impl Serialize for PinHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FromStr for PinHash {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const FORMAT: &str =
            "expected \"sha256:<salt hex>:<digest hex>\" (make one with `kiosk-config hash-pin`)";
        let parts: Vec<&str> = s.split(':').collect();
        let [scheme, salt, digest] = parts[..] else {
            return Err(format!("not a PIN hash; {FORMAT}"));
        };
        if scheme != PIN_HASH_SCHEME {
            return Err(format!("unsupported hash scheme {scheme:?}; {FORMAT}"));
        }
        let salt = decode_hex(salt).map_err(|e| format!("salt {e}; {FORMAT}"))?;
        if !SALT_LENGTH_RANGE.contains(&salt.len()) {
            return Err(format!(
                "salt must be {} to {} bytes ({} to {} hex digits), found {} bytes",
                SALT_LENGTH_RANGE.start(),
                SALT_LENGTH_RANGE.end(),
                SALT_LENGTH_RANGE.start() * 2,
                SALT_LENGTH_RANGE.end() * 2,
                salt.len()
            ));
        }
        let digest = decode_hex(digest).map_err(|e| format!("digest {e}; {FORMAT}"))?;
        let digest: [u8; 32] = digest.try_into().map_err(|d: Vec<u8>| {
            format!(
                "digest must be 32 bytes (64 hex digits), found {} bytes",
                d.len()
            )
        })?;
        Ok(PinHash { salt, digest })
    }
}

fn decode_hex(s: &str) -> Result<Vec<u8>, String> {
    if s.is_empty() {
        return Err("is empty".into());
    }
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("is not hexadecimal".into());
    }
    hex::decode(s).map_err(|e| match e {
        hex::FromHexError::OddLength => "has an odd number of hex digits".into(),
        e => e.to_string(),
    })
}

/// Hashes a staff exit PIN with `salt` into the `staff_exit_pin_hash` format
/// `sha256:<salt hex>:<digest hex>`, where the digest is `SHA-256(salt ‖ pin)`.
///
/// Use [`generate_salt`] for the salt. The PIN is hashed as given; [`check_pin_format`] tells
/// whether it is a PIN the kiosk's keypad can enter.
pub fn hash_pin(pin: &str, salt: &[u8]) -> String {
    PinHash::new(pin, salt).to_string()
}

/// A fresh random salt from the operating system's generator.
pub fn generate_salt() -> [u8; SALT_LENGTH] {
    let mut salt = [0u8; SALT_LENGTH];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt);
    salt
}

/// Checks that `pin` is 4 to 12 ASCII digits.
pub fn check_pin_format(pin: &str) -> Result<(), String> {
    if !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the PIN must consist of digits 0-9 only".into());
    }
    if !PIN_LENGTH_RANGE.contains(&pin.len()) {
        return Err(format!(
            "the PIN must have {} to {} digits, found {}",
            PIN_LENGTH_RANGE.start(),
            PIN_LENGTH_RANGE.end(),
            pin.len()
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The profile
// ---------------------------------------------------------------------------------------------

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
        let mut cx = Checker {
            text,
            errors: Vec::new(),
        };
        let (document, syntax_errors) = DeTable::parse_recoverable(text);
        if !syntax_errors.is_empty() {
            // What the parser recovered is a guess: checking it would add confusing errors.
            for e in syntax_errors {
                let offset = e.span().map_or(0, |s| s.start);
                let key = cx.key_at(offset);
                let message = e.message().trim().replace('\n', " ");
                cx.push(offset, key, format!("TOML syntax error: {message}"));
            }
            return Err(cx.finish());
        }
        let profile = cx.profile(&document);
        match profile {
            Some(p) if cx.errors.is_empty() => Ok(p),
            _ => Err(cx.finish()),
        }
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

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// One problem in a profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}: {key}: {message}")]
pub struct ProfileError {
    /// 1-based line number; 0 when the problem concerns the whole file (it could not be read).
    pub line: usize,
    /// The key path, e.g. `accessibility.high_contrast` or `enabled_modules[2]`.
    pub key: String,
    /// A plain English description.
    pub message: String,
}

/// All problems found in one profile, sorted by line. `Display` prints one
/// `FILE:LINE: key: message` line per problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileErrors {
    file: String,
    errors: Vec<ProfileError>,
}

impl ProfileErrors {
    /// The same errors, naming `file` in `Display`.
    pub fn with_file(mut self, file: impl AsRef<Path>) -> ProfileErrors {
        self.file = file.as_ref().display().to_string();
        self
    }

    /// The file name used in `Display` (`<input>` for [`KioskProfile::parse`]).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The problems, sorted by line; never empty.
    pub fn errors(&self) -> &[ProfileError] {
        &self.errors
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Always false: a `ProfileErrors` holds at least one error.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, ProfileError> {
        self.errors.iter()
    }
}

impl<'a> IntoIterator for &'a ProfileErrors {
    type Item = &'a ProfileError;
    type IntoIter = std::slice::Iter<'a, ProfileError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

impl fmt::Display for ProfileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match (e.line, e.key.is_empty()) {
                (0, true) => write!(f, "{}: {}", self.file, e.message)?,
                (0, false) => write!(f, "{}: {}: {}", self.file, e.key, e.message)?,
                (line, _) => write!(f, "{}:{}: {}: {}", self.file, line, e.key, e.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ProfileErrors {}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

type Value<'i> = Spanned<DeValue<'i>>;

struct Checker<'t> {
    text: &'t str,
    errors: Vec<ProfileError>,
}

impl Checker<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.text.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn push(&mut self, offset: usize, key: impl Into<String>, message: impl Into<String>) {
        let line = self.line_of(offset);
        self.errors.push(ProfileError {
            line,
            key: key.into(),
            message: message.into(),
        });
    }

    fn at(&mut self, span: Range<usize>, key: &str, message: impl Into<String>) {
        self.push(span.start, key, message);
    }

    fn finish(mut self) -> ProfileErrors {
        self.errors.sort_by_key(|e| e.line);
        ProfileErrors {
            file: "<input>".into(),
            errors: self.errors,
        }
    }

    /// Best guess of the key a syntax error is about: the left-hand side of the `=` on its line,
    /// prefixed with the table header above it; `toml` when nothing fits.
    fn key_at(&self, offset: usize) -> String {
        let offset = offset.min(self.text.len());
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        let line = self.text[line_start..line_end].trim();
        let header = self.text[..line_start]
            .lines()
            .rev()
            .map(str::trim)
            .find(|l| l.starts_with('['))
            .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
        if let Some(name) = line.strip_prefix('[') {
            let name = name.trim_end_matches(']').trim();
            if is_plain_key(name) {
                return name.to_string();
            }
        }
        let lhs = line.split_once('=').map(|(k, _)| k.trim()).unwrap_or("");
        if is_plain_key(lhs) {
            return match header {
                Some(h) if is_plain_key(&h) => format!("{h}.{lhs}"),
                _ => lhs.to_string(),
            };
        }
        "toml".to_string()
    }

    fn profile(&mut self, doc: &Spanned<DeTable<'_>>) -> Option<KioskProfile> {
        let mut id = None;
        let mut town = None;
        let mut backend_url = None;
        let mut enabled_modules = None;
        let mut idle_timeout_seconds = None;
        let mut reader_name_pattern = None;
        let mut default_language = None;
        let mut accessibility = None;
        let mut staff_exit_pin_hash = None;
        let mut trust_anchors = None;
        let mut window = None;

        for (k, v) in doc.get_ref() {
            let key = k.get_ref().as_ref();
            match key {
                "id" => id = Some(self.identifier(key, v)),
                "town" => town = Some(self.town(key, v)),
                "backend_url" => backend_url = Some(self.backend_url(key, v)),
                "enabled_modules" => enabled_modules = Some(self.modules(key, v)),
                "idle_timeout_seconds" => {
                    idle_timeout_seconds = Some(self.int_in(key, v, IDLE_TIMEOUT_RANGE, "seconds"))
                }
                "reader_name_pattern" => reader_name_pattern = Some(self.reader_pattern(key, v)),
                "default_language" => {
                    default_language = Some(self.parsed::<Language>(key, v).map(|l| l.to_string()))
                }
                "accessibility" => accessibility = Some(self.accessibility(key, v)),
                "staff_exit_pin_hash" => staff_exit_pin_hash = Some(self.parsed(key, v)),
                "trust_anchors" => trust_anchors = Some(self.trust_anchors(key, v)),
                "window" => window = Some(self.window(key, v)),
                _ => self.unknown_key(k, key, None, &TOP_LEVEL_KEYS),
            }
        }

        // A missing key has no line of its own: point at the top of the file.
        let mut required = |present: bool, key: &str, hint: &str| {
            if !present {
                self.push(0, key, format!("missing required key ({hint})"));
            }
        };
        required(
            id.is_some(),
            "id",
            "the kiosk's identifier, e.g. \"lobby-1\"",
        );
        required(
            town.is_some(),
            "town",
            "the town's slug, e.g. \"dolni-lhota\"",
        );
        required(
            backend_url.is_some(),
            "backend_url",
            "e.g. \"https://portal.example.cz\"",
        );
        required(
            enabled_modules.is_some(),
            "enabled_modules",
            "e.g. [\"payments\", \"filing\"]",
        );
        required(
            idle_timeout_seconds.is_some(),
            "idle_timeout_seconds",
            "30 to 1800",
        );
        required(
            staff_exit_pin_hash.is_some(),
            "staff_exit_pin_hash",
            "make one with `kiosk-config hash-pin`",
        );

        // Each slot: None = key absent, Some(None) = key present but invalid (already reported).
        Some(KioskProfile {
            id: id??,
            town: town??,
            backend_url: backend_url??,
            enabled_modules: enabled_modules??,
            idle_timeout_seconds: idle_timeout_seconds??,
            reader_name_pattern: reader_name_pattern.unwrap_or(Some("*".to_string()))?,
            default_language: default_language.unwrap_or(Some(Language::default().to_string()))?,
            accessibility: accessibility.unwrap_or(Some(Accessibility::default()))?,
            staff_exit_pin_hash: staff_exit_pin_hash??,
            trust_anchors: trust_anchors.unwrap_or(Some(Vec::new()))?,
            window: window.unwrap_or(Some(WindowSettings::default()))?,
        })
    }

    fn unknown_key(
        &mut self,
        k: &Spanned<std::borrow::Cow<'_, str>>,
        key: &str,
        table: Option<&str>,
        allowed: &[&str],
    ) {
        let path = join_key(table, key);
        let message = match allowed.iter().find(|a| similar(a, key)) {
            Some(guess) => format!("unknown key; did you mean `{}`?", join_key(table, guess)),
            None => format!("unknown key; allowed keys here: {}", allowed.join(", ")),
        };
        self.at(k.span(), &path, message);
    }

    fn type_error(&mut self, key: &str, v: &Value<'_>, expected: &str) {
        let found = v.get_ref().type_str();
        let article = if found.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        self.at(
            v.span(),
            key,
            format!("expected {expected}, found {article} {found}"),
        );
    }

    fn string<'v>(&mut self, key: &str, v: &'v Value<'_>) -> Option<&'v str> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.as_ref()),
            _ => {
                self.type_error(key, v, "a string");
                None
            }
        }
    }

    fn boolean(&mut self, key: &str, v: &Value<'_>) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.type_error(key, v, "a boolean (true or false)");
                None
            }
        }
    }

    fn int_in(
        &mut self,
        key: &str,
        v: &Value<'_>,
        range: RangeInclusive<u32>,
        unit: &str,
    ) -> Option<u32> {
        let DeValue::Integer(i) = v.get_ref() else {
            self.type_error(key, v, "an integer");
            return None;
        };
        let value = i128::from_str_radix(i.as_str(), i.radix()).ok();
        match value.and_then(|n| u32::try_from(n).ok()) {
            Some(n) if range.contains(&n) => Some(n),
            _ => {
                self.at(
                    v.span(),
                    key,
                    format!(
                        "must be between {} and {} {unit}, found {i}",
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
        }
    }

    /// A string value parsed with `FromStr`, whose error is the message.
    fn parsed<T: FromStr<Err = String>>(&mut self, key: &str, v: &Value<'_>) -> Option<T> {
        let s = self.string(key, v)?;
        match s.parse() {
            Ok(t) => Some(t),
            Err(message) => {
                self.at(v.span(), key, message);
                None
            }
        }
    }

    fn checked(
        &mut self,
        key: &str,
        v: &Value<'_>,
        check: impl FnOnce(&str) -> Result<(), String>,
    ) -> Option<String> {
        let s = self.string(key, v)?;
        match check(s) {
            Ok(()) => Some(s.to_string()),
            Err(message) => {
                self.at(v.span(), key, message);
                None
            }
        }
    }

    fn identifier(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
        self.checked(key, v, |s| {
            if s.is_empty() || s.len() > 64 {
                return Err("must be 1 to 64 characters long".into());
            }
            if !s
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            {
                return Err(format!(
                    "{s:?} may contain only lowercase letters a-z, digits, '-' and '_'"
                ));
            }
            Ok(())
        })
    }

    fn town(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
        self.checked(key, v, |s| {
            let ok = !s.is_empty()
                && s.len() <= 63
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !s.starts_with('-')
                && !s.ends_with('-')
                && !s.contains("--");
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "{s:?} is not a town slug: use lowercase letters a-z, digits and single \
                     hyphens, without diacritics (e.g. \"dolni-lhota\")"
                ))
            }
        })
    }

    fn backend_url(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
        self.checked(key, v, check_backend_url)
    }

    fn reader_pattern(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
        self.checked(key, v, |s| {
            if s.is_empty() {
                Err("must not be empty; use \"*\" for any reader".into())
            } else if s.chars().any(char::is_control) {
                Err("must not contain control characters".into())
            } else if s.len() > 256 {
                Err("must be at most 256 bytes long".into())
            } else {
                Ok(())
            }
        })
    }

    fn modules(&mut self, key: &str, v: &Value<'_>) -> Option<Vec<Module>> {
        let DeValue::Array(items) = v.get_ref() else {
            self.type_error(key, v, "an array of module names");
            return None;
        };
        let mut modules = Vec::new();
        let mut seen = BTreeSet::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let path = format!("{key}[{i}]");
            match self.parsed::<Module>(&path, item) {
                Some(m) if !seen.insert(m) => {
                    self.at(
                        item.span(),
                        &path,
                        format!("module \"{m}\" is listed twice"),
                    );
                    ok = false;
                }
                Some(m) => modules.push(m),
                None => ok = false,
            }
        }
        if ok && modules.is_empty() {
            self.at(
                v.span(),
                key,
                format!(
                    "must enable at least one module of: {}",
                    Module::ALL.map(Module::as_str).join(", ")
                ),
            );
            return None;
        }
        ok.then_some(modules)
    }

    fn trust_anchors(&mut self, key: &str, v: &Value<'_>) -> Option<Vec<PathBuf>> {
        let DeValue::Array(items) = v.get_ref() else {
            self.type_error(key, v, "an array of file paths");
            return None;
        };
        let mut paths = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let path = format!("{key}[{i}]");
            match self.checked(&path, item, |s| {
                if s.trim().is_empty() {
                    Err(
                        "must be the path of a PEM CA certificate file, found an empty string"
                            .into(),
                    )
                } else {
                    Ok(())
                }
            }) {
                Some(p) => paths.push(PathBuf::from(p)),
                None => ok = false,
            }
        }
        ok.then_some(paths)
    }

    fn table<'v, 'i>(&mut self, key: &str, v: &'v Value<'i>) -> Option<&'v DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.type_error(key, v, &format!("a table ([{key}])"));
                None
            }
        }
    }

    fn accessibility(&mut self, key: &str, v: &Value<'_>) -> Option<Accessibility> {
        let table = self.table(key, v)?;
        let mut result = Accessibility::default();
        let mut ok = true;
        for (k, value) in table {
            let name = k.get_ref().as_ref();
            let path = join_key(Some(key), name);
            match name {
                "high_contrast" | "large_text" => match self.boolean(&path, value) {
                    Some(b) if name == "high_contrast" => result.high_contrast = b,
                    Some(b) => result.large_text = b,
                    None => ok = false,
                },
                _ => {
                    self.unknown_key(k, name, Some(key), &["high_contrast", "large_text"]);
                    ok = false;
                }
            }
        }
        ok.then_some(result)
    }

    fn window(&mut self, key: &str, v: &Value<'_>) -> Option<WindowSettings> {
        let table = self.table(key, v)?;
        let mut result = WindowSettings::default();
        let mut ok = true;
        for (k, value) in table {
            let name = k.get_ref().as_ref();
            let path = join_key(Some(key), name);
            match name {
                "fullscreen" => match self.boolean(&path, value) {
                    Some(b) => result.fullscreen = b,
                    None => ok = false,
                },
                "width" | "height" => {
                    match self.int_in(&path, value, WINDOW_SIZE_RANGE, "pixels") {
                        Some(n) if name == "width" => result.width = n,
                        Some(n) => result.height = n,
                        None => ok = false,
                    }
                }
                _ => {
                    self.unknown_key(k, name, Some(key), &["fullscreen", "width", "height"]);
                    ok = false;
                }
            }
        }
        ok.then_some(result)
    }
}

const TOP_LEVEL_KEYS: [&str; 11] = [
    "id",
    "town",
    "backend_url",
    "enabled_modules",
    "idle_timeout_seconds",
    "reader_name_pattern",
    "default_language",
    "accessibility",
    "staff_exit_pin_hash",
    "trust_anchors",
    "window",
];

fn join_key(table: Option<&str>, key: &str) -> String {
    let key = if is_plain_key(key) {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    match table {
        Some(t) => format!("{t}.{key}"),
        None => key,
    }
}

fn is_plain_key(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// True when `candidate` is probably what someone meant by typing `typed`: equal ignoring case
/// and `-`/`_`, at most two edits apart, or a shortening of it (`idle_timeout`).
fn similar(candidate: &str, typed: &str) -> bool {
    let norm = |s: &str| s.to_ascii_lowercase().replace('-', "_");
    let (a, b) = (norm(candidate), norm(typed));
    edit_distance(&a, &b) <= 2 || (b.len() >= 4 && a.starts_with(&b))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `http://` or `https://`, a host, an optional port, an optional path; no credentials, query or
/// fragment. Plain http only for a loopback host: the kiosk carries citizens' data.
fn check_backend_url(s: &str) -> Result<(), String> {
    let (scheme, rest) = if let Some(rest) = s.strip_prefix("https://") {
        ("https", rest)
    } else if let Some(rest) = s.strip_prefix("http://") {
        ("http", rest)
    } else {
        return Err(format!(
            "{s:?} is not an http:// or https:// URL (e.g. \"https://portal.example.cz\")"
        ));
    };
    if let Some(bad) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{s:?} contains the character {bad:?}"));
    }
    if s.contains(['?', '#']) {
        return Err(format!(
            "{s:?} must not have a query (?) or fragment (#): give the backend's base URL"
        ));
    }
    let (authority, _path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if authority.contains('@') {
        return Err(format!("{s:?} must not contain credentials (user@host)"));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((addr, after)) = v6.split_once(']') else {
            return Err(format!("{s:?} has an unclosed [IPv6 address]"));
        };
        if addr.is_empty()
            || !addr
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(format!("{s:?} has an invalid IPv6 address"));
        }
        match after {
            "" => (addr, None),
            p if p.starts_with(':') => (addr, Some(&p[1..])),
            _ => return Err(format!("{s:?} has junk after the IPv6 address")),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(format!("{s:?} has no host name"));
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !authority.starts_with('[') && !host.split('.').all(label_ok) {
        return Err(format!("{s:?} has an invalid host name {host:?}"));
    }
    if let Some(port) = port {
        match port.parse::<u16>() {
            Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => return Err(format!("{s:?} has an invalid port {port:?} (1-65535)")),
        }
    }
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || (host.starts_with("127.")
            && host.split('.').count() == 4
            && host.split('.').all(|o| o.parse::<u8>().is_ok()));
    if scheme == "http" && !loopback {
        return Err(format!(
            "{s:?} uses plain http to another machine; use https (plain http is accepted only \
             for 127.0.0.1, ::1 and localhost)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
