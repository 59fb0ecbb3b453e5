//! Money in Czech crowns, counted in haléř (1/100 Kč) as integers: never floats.

use crate::ParseError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Amount(i64);

impl Amount {
    pub const ZERO: Amount = Amount(0);

    pub const fn from_halere(halere: i64) -> Amount {
        Amount(halere)
    }

    pub const fn halere(self) -> i64 {
        self.0
    }

    /// Parses what a person types: `1500`, `1 500`, `1500,5`, `1 500,50 Kč`, `1500.50`.
    pub fn parse(text: &str) -> Result<Amount, ParseError> {
        let cleaned: String = text
            .trim()
            .trim_end_matches("Kč")
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
            .collect();
        if cleaned.is_empty() {
            return Err(ParseError::new("amount.empty"));
        }
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let (whole, fraction) = match digits.split_once([',', '.']) {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
            return Err(ParseError::new("amount.invalid"));
        }
        if fraction.len() > 2 {
            return Err(ParseError::new("amount.too_precise"));
        }
        let whole: i64 = whole.parse().map_err(|_| ParseError::new("amount.too_large"))?;
        let fraction: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
        let halere = whole
            .checked_mul(100)
            .and_then(|h| h.checked_add(fraction))
            .ok_or(ParseError::new("amount.too_large"))?;
        Ok(Amount(if negative { -halere } else { halere }))
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
