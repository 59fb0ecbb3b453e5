//! E-mail addresses as the portal accepts them for notifications.

use crate::ParseError;
use std::fmt;

/// Characters RFC 5322 allows in an unquoted local part besides letters and digits. Quoted local
/// parts (`"jan novak"@…`) are left out on purpose: nobody uses them, and without them a comma,
/// `<` or `;` can never sneak a second recipient into a mail header.
const LOCAL_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~";

/// A syntactically plausible e-mail address: `local@domain`, the local part a dot-separated run
/// of RFC 5322 atoms (at most 64 bytes), the domain at least two labels of letters, digits and
/// hyphens (at most 63 bytes each, not all-digit at the end), at most 254 bytes in all.
/// Non-ASCII letters are allowed (RFC 6531). Stored trimmed, with the domain lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, ParseError> {
        let invalid = ParseError::new("email.invalid");
        let text = text.trim();
        if text.is_empty() {
            return Err(ParseError::new("email.empty"));
        }
        // SMTP limits the path to 254 octets, not characters.
        if text.len() > 254 {
            return Err(ParseError::new("email.too_long"));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid);
        }
        let Some((local, domain)) = text.rsplit_once('@') else {
            return Err(ParseError::new("email.missing_at"));
        };
        let local_ok = local.len() <= 64
            && local.split('.').all(|atom| {
                !atom.is_empty()
                    && atom
                        .chars()
                        .all(|c| c.is_alphanumeric() || !c.is_ascii() || LOCAL_SPECIALS.contains(c))
            });
        let labels: Vec<&str> = domain.split('.').collect();
        let labels_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && !labels
                .last()
                .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()));
        if !local_ok || !labels_ok {
            return Err(invalid);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> &'static str {
        Email::parse(text).unwrap_err().code
    }

    #[test]
    fn accepted() {
        assert_eq!(
            Email::parse(" Jan.Novak@Mesto-Example.CZ ")
                .unwrap()
                .as_str(),
            "Jan.Novak@mesto-example.cz"
        );
        assert!(Email::parse("jan+portal@example.cz").is_ok());
        assert!(Email::parse("o'brien@example.ie").is_ok());
        assert!(Email::parse("jiří@příklad.cz").is_ok());
        assert_eq!(Email::parse("a@b.cz").unwrap().to_string(), "a@b.cz");
    }

    #[test]
    fn rejected() {
        assert_eq!(code(""), "email.empty");
        assert_eq!(code("jan.novak.cz"), "email.missing_at");
        assert_eq!(
            code(&format!("{}@example.cz", "a".repeat(250))),
            "email.too_long"
        );
        for text in [
            "jan@novak",
            "@example.cz",
            "jan@@example.cz",
            "jan novak@example.cz",
            "jan@example..cz",
            "jan@-example.cz",
            "jan@example.cz.",
            ".jan@example.cz",
            "jan..novak@example.cz",
            "jan,eva@example.cz",
            "<jan@example.cz>",
            "jan@exam_ple.cz",
            "jan@10.0.0.1",
            "jan\n@example.cz",
        ] {
            assert_eq!(code(text), "email.invalid", "{text}");
        }
        assert_eq!(
            code(&format!("{}@example.cz", "a".repeat(65))),
            "email.invalid"
        );
    }
}
