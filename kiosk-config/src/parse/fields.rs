//! Readers for single values (each reports a wrong type itself) and the checks of each key.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::str::FromStr;

use toml::de::{DeTable, DeValue};

use super::{Checker, Value, join_key};
use crate::backend_url::check_backend_url;
use crate::{Accessibility, Module, WINDOW_SIZE_RANGE, WindowSettings};

impl Checker<'_> {
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

    pub(super) fn int_in(
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
    pub(super) fn parsed<T: FromStr<Err: std::fmt::Display>>(
        &mut self,
        key: &str,
        v: &Value<'_>,
    ) -> Option<T> {
        let s = self.string(key, v)?;
        match s.parse() {
            Ok(t) => Some(t),
            Err(error) => {
                self.at(v.span(), key, error.to_string());
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
            Err(error) => {
                self.at(v.span(), key, error.to_string());
                None
            }
        }
    }

    pub(super) fn identifier(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
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

    pub(super) fn town(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
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

    pub(super) fn backend_url(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
        self.checked(key, v, check_backend_url)
    }

    pub(super) fn reader_pattern(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
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

    pub(super) fn modules(&mut self, key: &str, v: &Value<'_>) -> Option<Vec<Module>> {
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

    pub(super) fn trust_anchors(&mut self, key: &str, v: &Value<'_>) -> Option<Vec<PathBuf>> {
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

    pub(super) fn accessibility(&mut self, key: &str, v: &Value<'_>) -> Option<Accessibility> {
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

    pub(super) fn window(&mut self, key: &str, v: &Value<'_>) -> Option<WindowSettings> {
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
