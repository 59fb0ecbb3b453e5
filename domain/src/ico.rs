//! IČO, the identification number of a Czech business or public body.

use crate::ParseError;
use std::fmt;

/// Eight digits, the last a mod-11 check digit. Older IČO were printed with fewer digits; they
/// are the same number left-padded with zeros, which is how the registers (ARES) store them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ico(String);

impl Ico {
    pub fn parse(text: &str) -> Result<Ico, ParseError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(ParseError::new("ico.empty"));
        }
        if !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new("ico.invalid"));
        }
        if compact.len() > 8 {
            return Err(ParseError::new("ico.length"));
        }
        let padded = format!("{compact:0>8}");
        let digits: Vec<u32> = padded.bytes().map(|b| u32::from(b - b'0')).collect();
        // Weights 8, 7, …, 2 over the first seven digits.
        let sum: u32 = digits[..7]
            .iter()
            .zip((2..=8).rev())
            .map(|(d, w)| d * w)
            .sum();
        // r = 0 gives 1 and r = 1 gives 0, because a check digit has only one place.
        let check = (11 - sum % 11) % 10;
        if digits[7] != check {
            return Err(ParseError::new("ico.checksum"));
        }
        Ok(Ico(padded))
    }

    /// Always eight digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ico {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> &'static str {
        Ico::parse(text).unwrap_err().code
    }

    #[test]
    fn valid_numbers() {
        assert_eq!(Ico::parse("25596641").unwrap().as_str(), "25596641");
        assert_eq!(Ico::parse(" 255 96 641 ").unwrap().to_string(), "25596641");
        // The City of Prague: remainder 0 gives check digit 1.
        assert_eq!(Ico::parse("00064581").unwrap().as_str(), "00064581");
        // Short form, left-padded.
        assert_eq!(Ico::parse("64581").unwrap().as_str(), "00064581");
    }

    #[test]
    fn remainder_zero_and_one() {
        // 0000001: sum 2, r = 2 → 9. 0000000: r = 0 → 1. 0000006: sum 12, r = 1 → 0.
        assert!(Ico::parse("00000019").is_ok());
        assert!(Ico::parse("00000001").is_ok());
        assert!(Ico::parse("00000060").is_ok());
        assert_eq!(code("00000061"), "ico.checksum");
    }

    #[test]
    fn invalid_numbers() {
        assert_eq!(code("25596642"), "ico.checksum");
        assert_eq!(code(""), "ico.empty");
        assert_eq!(code("CZ25596641"), "ico.invalid");
        assert_eq!(code("2559-6641"), "ico.invalid");
        assert_eq!(code("255966410"), "ico.length");
    }
}
