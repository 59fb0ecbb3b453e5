//! E-mail addresses as the portal accepts them for notifications.

use crate::ParseError;
use std::fmt;

/// A syntactically plausible e-mail address: one `@`, a non-empty local part, a domain with a dot,
/// no spaces, at most 254 characters. Stored trimmed, with the domain lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, ParseError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ParseError::new("email.empty"));
        }
        if text.chars().count() > 254 {
            return Err(ParseError::new("email.too_long"));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ParseError::new("email.invalid"));
        }
        let Some((local, domain)) = text.rsplit_once('@') else {
            return Err(ParseError::new("email.missing_at"));
        };
        let labels_ok = domain.split('.').all(|l| {
            !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && !l.contains('@')
        });
        if local.is_empty() || local.contains('@') || !domain.contains('.') || !labels_ok {
            return Err(ParseError::new("email.invalid"));
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
