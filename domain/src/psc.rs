//! PSČ, the Czech postal code.

use crate::ParseError;
use std::fmt;

/// Five digits, written `123 45`. Czech codes start with 1–7; 0, 8 and 9 belong to Slovakia
/// (the two countries shared one numbering), so they are rejected here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Psc(String);

impl Psc {
    /// Accepts `12345` and `123 45` (any spaces, including non-breaking ones).
    pub fn parse(text: &str) -> Result<Psc, ParseError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(ParseError::new("psc.empty"));
        }
        if !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new("psc.invalid"));
        }
        if compact.len() != 5 {
            return Err(ParseError::new("psc.length"));
        }
        if !(b'1'..=b'7').contains(&compact.as_bytes()[0]) {
            return Err(ParseError::new("psc.invalid"));
        }
        Ok(Psc(compact))
    }

    /// Five digits, no space: the form stored and sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `123 45`, as written on envelopes.
impl fmt::Display for Psc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", &self.0[..3], &self.0[3..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> &'static str {
        Psc::parse(text).unwrap_err().code
    }

    #[test]
    fn valid() {
        let p = Psc::parse("110 00").unwrap();
        assert_eq!(p.as_str(), "11000");
        assert_eq!(p.to_string(), "110 00");
        assert_eq!(Psc::parse("79001").unwrap().to_string(), "790 01");
        assert_eq!(Psc::parse("602\u{a0}00").unwrap().as_str(), "60200");
    }

    #[test]
    fn invalid() {
        assert_eq!(code(""), "psc.empty");
        assert_eq!(code("811 01"), "psc.invalid"); // Bratislava
        assert_eq!(code("011 00"), "psc.invalid");
        assert_eq!(code("110-00"), "psc.invalid");
        assert_eq!(code("1100"), "psc.length");
        assert_eq!(code("110 000"), "psc.length");
    }
}
