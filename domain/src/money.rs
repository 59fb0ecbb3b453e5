//! Money in Czech crowns, counted in haléř (1/100 Kč) as integers: never floats.

use crate::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Amount(i64);

/// Currency marks a person may type after the number.
const CURRENCY_SUFFIXES: [&str; 5] = ["Kč", "kč", "KČ", "CZK", "czk"];

impl Amount {
    pub const ZERO: Amount = Amount(0);

    pub const fn from_halere(halere: i64) -> Amount {
        Amount(halere)
    }

    pub const fn halere(self) -> i64 {
        self.0
    }

    /// Parses what a person types: `1500`, `1 500`, `1500,5`, `1 500,50 Kč`, `1500.50`,
    /// `1 500,- Kč` (the Czech way of writing whole crowns), negative amounts with `-` or `−`.
    pub fn parse(text: &str) -> Result<Amount, ParseError> {
        let mut text = text.trim();
        for suffix in CURRENCY_SUFFIXES {
            text = text.strip_suffix(suffix).unwrap_or(text).trim_end();
        }
        // Spaces of any kind (a non-breaking one is what `format_czk` writes) group thousands.
        let cleaned: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == '\u{2212}' { '-' } else { c })
            .collect();
        if cleaned.is_empty() {
            return Err(ParseError::new("amount.empty"));
        }
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let (whole, fraction) = match digits.split_once([',', '.']) {
            Some((w, "-")) => (w, ""),
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
            return Err(ParseError::new("amount.invalid"));
        }
        if fraction.len() > 2 {
            return Err(ParseError::new("amount.too_precise"));
        }
        let too_large = ParseError::new("amount.too_large");
        let whole: i64 = whole.parse().map_err(|_| too_large)?;
        let fraction: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
        // Built with the sign already applied, so that i64::MIN (one more than i64::MAX in
        // magnitude) parses back from its own `format_czk`.
        let sign = if negative { -1 } else { 1 };
        let halere = whole
            .checked_mul(100 * sign)
            .and_then(|h| h.checked_add(fraction * sign))
            .ok_or(too_large)?;
        Ok(Amount(halere))
    }

    /// Czech format: `1 500,00 Kč` with non-breaking spaces as thousands separators.
    pub fn format_czk(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push('\u{a0}');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped},{:02}\u{a0}Kč", abs % 100)
    }
}

/// Same as [`Amount::format_czk`].
impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_czk())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn halere(text: &str) -> i64 {
        Amount::parse(text).unwrap().halere()
    }

    fn code(text: &str) -> &'static str {
        Amount::parse(text).unwrap_err().code
    }

    #[test]
    fn what_people_type() {
        assert_eq!(halere("1500"), 150_000);
        assert_eq!(halere("1 500"), 150_000);
        assert_eq!(halere("1500,5"), 150_050);
        assert_eq!(halere("1 500,50 Kč"), 150_050);
        assert_eq!(halere("1500.50"), 150_050);
        assert_eq!(halere("1 500,- Kč"), 150_000);
        assert_eq!(halere("250 CZK"), 25_000);
        assert_eq!(halere("0,05"), 5);
        assert_eq!(halere("-12,30"), -1230);
        assert_eq!(halere("\u{2212}12,30 Kč"), -1230);
    }

    #[test]
    fn rejected() {
        assert_eq!(code("  Kč "), "amount.empty");
        assert_eq!(code("1.500,00"), "amount.invalid");
        assert_eq!(code(",50"), "amount.invalid");
        assert_eq!(code("--5"), "amount.invalid");
        assert_eq!(code("1,005"), "amount.too_precise");
        assert_eq!(code("92233720368547758,08"), "amount.too_large");
    }

    #[test]
    fn format_and_round_trip() {
        assert_eq!(
            Amount::from_halere(150_050).format_czk(),
            "1\u{a0}500,50\u{a0}Kč"
        );
        assert_eq!(Amount::from_halere(-5).to_string(), "-0,05\u{a0}Kč");
        assert_eq!(Amount::ZERO.format_czk(), "0,00\u{a0}Kč");
        for x in [i64::MIN, i64::MAX, -1, 0, 99, 100_000_000] {
            let a = Amount::from_halere(x);
            assert_eq!(Amount::parse(&a.format_czk()), Ok(a));
        }
    }
}
