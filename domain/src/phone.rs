//! Czech phone numbers.

use crate::ParseError;
use std::fmt;

/// A Czech phone number: nine digits, optionally preceded by `+420`, `00420` or `420`, spaces
/// allowed between digits. Stored as `+420` followed by the nine digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(text: &str) -> Result<PhoneNumber, ParseError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(ParseError::new("phone.empty"));
        }
        let national = compact
            .strip_prefix("+420")
            .or_else(|| compact.strip_prefix("00420"))
            // `420 777 123 456`, the country code typed without `+`: twelve digits can't be a
            // national number, so the prefix is unambiguous.
            .or_else(|| compact.strip_prefix("420").filter(|rest| rest.len() == 9))
            .unwrap_or(&compact);
        if !national.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new("phone.invalid"));
        }
        if national.len() != 9 {
            return Err(ParseError::new("phone.length"));
        }
        // Czech numbers never start with 0 or 1 in the national part.
        if national.starts_with('0') || national.starts_with('1') {
            return Err(ParseError::new("phone.invalid"));
        }
        Ok(PhoneNumber(format!("+420{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `+420 777 123 456`
    pub fn display_grouped(&self) -> String {
        let n = &self.0[4..];
        format!("+420 {} {} {}", &n[0..3], &n[3..6], &n[6..9])
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> &'static str {
        PhoneNumber::parse(text).unwrap_err().code
    }

    #[test]
    fn accepted_forms() {
        for text in [
            "777123456",
            "777 123 456",
            "+420 777 123 456",
            "00420777123456",
            "420 777 123 456",
        ] {
            assert_eq!(
                PhoneNumber::parse(text).unwrap().as_str(),
                "+420777123456",
                "{text}"
            );
        }
        let p = PhoneNumber::parse("777\u{a0}123\u{a0}456").unwrap();
        assert_eq!(p.display_grouped(), "+420 777 123 456");
        assert_eq!(p.to_string(), "+420777123456");
        // A national number that itself starts with 420 is not mistaken for the country code.
        assert_eq!(
            PhoneNumber::parse("420 123 456").unwrap().as_str(),
            "+420420123456"
        );
    }

    #[test]
    fn rejected() {
        assert_eq!(code(" "), "phone.empty");
        assert_eq!(code("+421 903 123 456"), "phone.invalid");
        assert_eq!(code("777-123-456"), "phone.invalid");
        assert_eq!(code("077 123 456"), "phone.invalid");
        assert_eq!(code("+420"), "phone.length");
        assert_eq!(code("777 123 45"), "phone.length");
        assert_eq!(code("4207771234567"), "phone.length");
    }
}
