//! The TOML walker: reads a profile document key by key and collects every problem with its
//! line and key path, instead of stopping at the first.
//!
//! [`Checker::profile`] walks the top level; the readers for single values and the nested tables
//! are in [`fields`].

mod fields;

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::{
    Accessibility, IDLE_TIMEOUT_RANGE, KioskProfile, Language, ProfileError, ProfileErrors,
    WindowSettings,
};

/// Parses and validates a profile; see [`KioskProfile::parse`].
pub(crate) fn parse_profile(text: &str) -> Result<KioskProfile, ProfileErrors> {
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
