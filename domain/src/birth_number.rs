//! Rodné číslo, the Czech (and Slovak) birth number.
//!
//! `YYMMDD/XXXX`: the birth date, a serial and, since 1954, a check digit. The month carries the
//! sex (+50 for women) and, since 2004 when some days ran out of serials, +20 more. Birth numbers
//! are personal data: they must never reach logs, so `Debug` and `Display` hide the serial.

use crate::ParseError;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A birth number whose date exists and whose check digit is right. No clock is consulted, so a
/// date in the future is not rejected here.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BirthNumber {
    /// `YYMMDD/XXXX` (or `YYMMDD/XXX` for the 9-digit numbers of births before 1954).
    normalized: String,
    date_of_birth: NaiveDate,
    female: bool,
}

impl BirthNumber {
    /// Accepts `YYMMDD/XXXX`, `YYMMDDXXXX` and the 9-digit forms, spaces ignored.
    pub fn parse(text: &str) -> Result<BirthNumber, ParseError> {
        let invalid = ParseError::new("birth_number.invalid");
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(ParseError::new("birth_number.empty"));
        }
        // The slash, when written, sits right after the date.
        let digits = match compact.split_once('/') {
            Some((date, serial)) if date.len() == 6 => format!("{date}{serial}"),
            Some(_) => return Err(invalid),
            None => compact,
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid);
        }
        let short = match digits.len() {
            9 => true,
            10 => false,
            _ => return Err(ParseError::new("birth_number.length")),
        };
        // Two ASCII digits always parse.
        let pair = |i: usize| digits[i..i + 2].parse::<u32>().unwrap_or(0);
        let (yy, mm, dd) = (pair(0), pair(2), pair(4));

        // 9 digits were issued only until 1953; 10-digit numbers started in 1954, so a 10-digit
        // YY below 54 can only mean the 2000s.
        let year = match (short, yy) {
            (true, 54..) => return Err(ParseError::new("birth_number.length")),
            (true, _) | (false, 54..) => 1900 + yy,
            (false, _) => 2000 + yy,
        };
        let bad_date = ParseError::new("birth_number.invalid_date");
        let (female, extended, month) = match mm {
            1..=12 => (false, false, mm),
            21..=32 => (false, true, mm - 20),
            51..=62 => (true, false, mm - 50),
            71..=82 => (true, true, mm - 70),
            _ => return Err(bad_date),
        };
        if extended && year < 2004 {
            return Err(bad_date);
        }
        let date_of_birth = NaiveDate::from_ymd_opt(year as i32, month, dd).ok_or(bad_date)?;

        if !short {
            let value: u64 = digits.parse().map_err(|_| invalid)?;
            // Until 1985 a remainder of 10 was written as check digit 0 (the number is then not
            // divisible by 11); such numbers stay valid for life.
            let historical = (value / 10) % 11 == 10 && value % 10 == 0 && year < 1986;
            if value % 11 != 0 && !historical {
                return Err(ParseError::new("birth_number.checksum"));
            }
        }
        Ok(BirthNumber {
            normalized: format!("{}/{}", &digits[..6], &digits[6..]),
            date_of_birth,
            female,
        })
    }

    /// The full number, `YYMMDD/XXXX`. Call it only where the number is really needed.
    pub fn as_str(&self) -> &str {
        &self.normalized
    }

    pub fn date_of_birth(&self) -> NaiveDate {
        self.date_of_birth
    }

    pub fn is_female(&self) -> bool {
        self.female
    }

    /// `YYMMDD/****`: enough for a person to recognise their own number on screen.
    pub fn masked(&self) -> String {
        format!("{}/****", &self.normalized[..6])
    }

    /// The year of birth, for convenience (same as `date_of_birth().year()`).
    pub fn year_of_birth(&self) -> i32 {
        self.date_of_birth.year()
    }
}

/// Never the number itself: a stray `{:?}` in a log line must not leak it.
impl fmt::Debug for BirthNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BirthNumber(***)")
    }
}

/// The masked form, for the same reason; `as_str()` gives the full number on purpose.
impl fmt::Display for BirthNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn code(text: &str) -> &'static str {
        BirthNumber::parse(text).unwrap_err().code
    }

    #[test]
    fn ten_digit_man_with_and_without_slash() {
        let a = BirthNumber::parse("736028/5163").unwrap();
        let b = BirthNumber::parse(" 7360285163 ").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "736028/5163");
        assert_eq!(a.date_of_birth(), ymd(1973, 10, 28));
        assert!(a.is_female());
    }

    #[test]
    fn man_born_in_the_2000s() {
        let n = BirthNumber::parse("010101/0008").unwrap();
        assert_eq!(n.date_of_birth(), ymd(2001, 1, 1));
        assert!(!n.is_female());
    }

    #[test]
    fn nine_digits_only_before_1954() {
        let n = BirthNumber::parse("531231/123").unwrap();
        assert_eq!(n.date_of_birth(), ymd(1953, 12, 31));
        assert_eq!(n.as_str(), "531231/123");
        assert_eq!(code("540101/123"), "birth_number.length");
        let old = BirthNumber::parse("005101/000").unwrap();
        assert_eq!(old.date_of_birth(), ymd(1900, 1, 1));
        assert!(old.is_female());
        assert_eq!(code("532101/123"), "birth_number.invalid_date");
    }

    #[test]
    fn women_plus_fifty_and_extension_plus_twenty_and_seventy() {
        let woman = BirthNumber::parse("855101/0006").unwrap();
        assert!(woman.is_female());
        assert_eq!(woman.date_of_birth(), ymd(1985, 1, 1));
        let man = BirthNumber::parse("042101/0007").unwrap();
        assert!(!man.is_female());
        assert_eq!(man.date_of_birth(), ymd(2004, 1, 1));
        let woman = BirthNumber::parse("047101/0001").unwrap();
        assert!(woman.is_female());
        assert_eq!(woman.date_of_birth(), ymd(2004, 1, 1));
        // The extension did not exist before 2004.
        assert_eq!(code("032101/0008"), "birth_number.invalid_date");
        assert_eq!(code("857101/0008"), "birth_number.invalid_date");
    }

    #[test]
    fn remainder_ten_exception_only_before_1986() {
        // 855101004 % 11 == 10 with check digit 0.
        let n = BirthNumber::parse("855101/0040").unwrap();
        assert!(n.is_female());
        assert_eq!(code("860101/0100"), "birth_number.checksum");
    }

    #[test]
    fn calendar_dates_are_checked() {
        assert!(BirthNumber::parse("000229/0002").is_ok()); // 2000 was a leap year
        assert_eq!(code("010229/0001"), "birth_number.invalid_date");
        assert_eq!(code("850230/0001"), "birth_number.invalid_date");
        assert_eq!(code("851301/0001"), "birth_number.invalid_date");
        assert_eq!(code("850100/0001"), "birth_number.invalid_date");
    }

    #[test]
    fn malformed_input() {
        assert_eq!(code(""), "birth_number.empty");
        assert_eq!(code("85510/11234"), "birth_number.invalid");
        assert_eq!(code("855101-1234"), "birth_number.invalid");
        assert_eq!(code("855101/12/34"), "birth_number.invalid");
        assert_eq!(code("855101/12345"), "birth_number.length");
        assert_eq!(code("855101/0007"), "birth_number.checksum");
    }

    #[test]
    fn never_printed_in_full() {
        let n = BirthNumber::parse("736028/5163").unwrap();
        assert_eq!(format!("{n:?}"), "BirthNumber(***)");
        assert_eq!(n.to_string(), "736028/****");
        assert_eq!(n.masked(), "736028/****");
    }
}
