//! Calendar dates as Czech people write them (`25. 11. 2026`), and as the English UI shows them.
//!
//! Written by hand rather than with chrono's format strings: the rules are tiny, and the client
//! then carries no strftime machinery.

use crate::ParseError;
use chrono::{Datelike, NaiveDate};

const ENGLISH_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parses `25. 11. 2026`, `25.11.2026`, `5. 1. 2026` and ISO `2026-11-25` (what `<input
/// type="date">` yields). The year must have four digits; the date must exist.
pub fn parse_czech_date(text: &str) -> Result<NaiveDate, ParseError> {
    let invalid = ParseError::new("date.invalid");
    let text = text.trim();
    if text.is_empty() {
        return Err(ParseError::new("date.empty"));
    }
    let parts: Vec<&str> = if text.contains('-') {
        text.split('-').collect()
    } else {
        text.split('.').map(str::trim).collect()
    };
    let [a, b, c] = parts[..] else {
        return Err(invalid);
    };
    let (year, month, day) = if text.contains('-') {
        (a, b, c)
    } else {
        (c, b, a)
    };
    let number = |s: &str, lengths: std::ops::RangeInclusive<usize>| {
        let ok = lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| s.parse::<u32>().ok()).flatten().ok_or(invalid)
    };
    let (year, month, day) = (
        number(year, 4..=4)?,
        number(month, 1..=2)?,
        number(day, 1..=2)?,
    );
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(ParseError::new("date.nonexistent"))
}

/// `25. 11. 2026`: day and month without leading zeros, as Czech style guides write it.
pub fn format_czech_date(date: NaiveDate) -> String {
    format!("{}. {}. {}", date.day(), date.month(), date.year())
}

/// `25 Nov 2026`: unambiguous for readers on both sides of the Atlantic.
pub fn format_english_date(date: NaiveDate) -> String {
    let month = ENGLISH_MONTHS[date.month0() as usize];
    format!("{} {month} {}", date.day(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn code(text: &str) -> &'static str {
        parse_czech_date(text).unwrap_err().code
    }

    #[test]
    fn accepted_forms() {
        let d = ymd(2026, 11, 25);
        for text in [
            "25. 11. 2026",
            "25.11.2026",
            " 25 .11 . 2026 ",
            "2026-11-25",
            "25.\u{a0}11.\u{a0}2026",
        ] {
            assert_eq!(parse_czech_date(text), Ok(d), "{text}");
        }
        assert_eq!(parse_czech_date("5. 1. 2026"), Ok(ymd(2026, 1, 5)));
        assert_eq!(parse_czech_date("05.01.2026"), Ok(ymd(2026, 1, 5)));
        assert_eq!(parse_czech_date("2024-02-29"), Ok(ymd(2024, 2, 29)));
    }

    #[test]
    fn rejected_forms() {
        assert_eq!(code(""), "date.empty");
        assert_eq!(code("25/11/2026"), "date.invalid");
        assert_eq!(code("25. 11. 26"), "date.invalid");
        assert_eq!(code("25. 11."), "date.invalid");
        assert_eq!(code("25. 11. 2026."), "date.invalid");
        assert_eq!(code("+25. 11. 2026"), "date.invalid");
        assert_eq!(code("2026-11-25T10:00"), "date.invalid");
        assert_eq!(code("29. 2. 2025"), "date.nonexistent");
        assert_eq!(code("31. 4. 2026"), "date.nonexistent");
        assert_eq!(code("1. 13. 2026"), "date.nonexistent");
        assert_eq!(code("0. 1. 2026"), "date.nonexistent");
    }

    #[test]
    fn formats() {
        let d = ymd(2026, 11, 25);
        assert_eq!(format_czech_date(d), "25. 11. 2026");
        assert_eq!(format_english_date(d), "25 Nov 2026");
        assert_eq!(format_czech_date(ymd(2026, 1, 5)), "5. 1. 2026");
        assert_eq!(format_english_date(ymd(2026, 1, 5)), "5 Jan 2026");
    }
}
