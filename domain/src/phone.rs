//! Czech phone numbers.

use crate::ParseError;
use std::fmt;

/// A Czech phone number: nine digits, optionally preceded by `+420` or `00420`, spaces allowed
/// between digits. Stored as `+420` followed by the nine digits.
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
            .unwrap_or(&compact);
        if !national.chars().all(|c| c.is_ascii_digit()) {
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
