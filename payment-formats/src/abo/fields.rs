//! Reading fixed columns of one ABO record, reporting every bad field with its line and columns.

use crate::statement::{Issues, Location};
use chrono::NaiveDate;
use encoding_rs::WINDOWS_1250;

/// One record (line without its line break) and where it is.
pub(super) struct Fields<'a, 'i> {
    pub line: usize,
    pub bytes: &'a [u8],
    issues: &'i mut Issues,
    /// False once any field of this record was bad.
    pub ok: bool,
}

/// Windows-1250 text of a byte slice (ABO text fields and error messages).
pub(super) fn decode(bytes: &[u8]) -> String {
    WINDOWS_1250
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

impl<'a, 'i> Fields<'a, 'i> {
    pub fn new(line: usize, bytes: &'a [u8], issues: &'i mut Issues) -> Self {
        Fields {
            line,
            bytes,
            issues,
            ok: true,
        }
    }

    /// The problems found so far (in this record and before it).
    pub fn issues(&self) -> &Issues {
        self.issues
    }

    /// Columns `from..=to`, 1-based as in the format descriptions; short records read as spaces.
    pub fn cols(&self, from: usize, to: usize) -> &'a [u8] {
        let start = (from - 1).min(self.bytes.len());
        let end = to.min(self.bytes.len());
        &self.bytes[start..end]
    }

    pub fn fail(&mut self, field: &str, from: usize, to: usize, expected: &str) {
        let found = decode(self.cols(from, to));
        let columns = if from == to {
            format!("column {from}")
        } else {
            format!("columns {from}-{to}")
        };
        self.issues.push(
            Location::Line(self.line),
            format!("{field} ({columns})"),
            format!("expected {expected}, found {found:?}"),
        );
        self.ok = false;
    }

    /// A record-level problem (wrong length, unexpected place).
    pub fn fail_record(&mut self, field: &str, problem: String) {
        self.issues.push(Location::Line(self.line), field, problem);
        self.ok = false;
    }

    /// Exactly `to - from + 1` digits.
    pub fn digits(&mut self, field: &str, from: usize, to: usize) -> Option<&'a [u8]> {
        let value = self.cols(from, to);
        if value.len() == to - from + 1 && value.iter().all(u8::is_ascii_digit) {
            Some(value)
        } else {
            self.fail(field, from, to, &format!("{} digits", to - from + 1));
            None
        }
    }

    /// Digits, possibly padded with spaces or entirely blank (banks differ); `""` when blank.
    pub fn digits_or_blank(&mut self, field: &str, from: usize, to: usize) -> Option<&'a str> {
        let value = self.cols(from, to);
        let trimmed = value.trim_ascii();
        if trimmed.iter().all(u8::is_ascii_digit) {
            // ASCII digits only, so this cannot fail.
            std::str::from_utf8(trimmed).ok()
        } else {
            self.fail(field, from, to, "digits or spaces");
            None
        }
    }

    /// An amount in haléř: all digits.
    pub fn amount(&mut self, field: &str, from: usize, to: usize) -> Option<i64> {
        let digits = self.digits(field, from, to)?;
        // At most 14 digits, so this always fits an i64.
        Some(
            digits
                .iter()
                .fold(0i64, |v, b| v * 10 + i64::from(b - b'0')),
        )
    }

    /// One character out of `allowed`.
    pub fn one_of(&mut self, field: &str, col: usize, allowed: &[u8]) -> Option<u8> {
        match self.cols(col, col).first() {
            Some(b) if allowed.contains(b) => Some(*b),
            _ => {
                let list: Vec<String> = allowed
                    .iter()
                    .map(|b| format!("{:?}", char::from(*b)))
                    .collect();
                self.fail(field, col, col, &format!("one of {}", list.join(", ")));
                None
            }
        }
    }

    /// A date `DDMMYY` (years 2000-2099); `000000` (no date) gives `Some(None)` when `optional`.
    pub fn date(&mut self, field: &str, from: usize, optional: bool) -> Option<Option<NaiveDate>> {
        let to = from + 5;
        let value = self.cols(from, to);
        if optional
            && (value == b"000000" || (value.len() == 6 && value.iter().all(|&b| b == b' ')))
        {
            return Some(None);
        }
        let parsed = (value.len() == 6 && value.iter().all(u8::is_ascii_digit))
            .then(|| {
                let n = |i: usize| u32::from(value[i] - b'0') * 10 + u32::from(value[i + 1] - b'0');
                NaiveDate::from_ymd_opt(2000 + n(4) as i32, n(2), n(0))
            })
            .flatten();
        match parsed {
            Some(date) => Some(Some(date)),
            None => {
                self.fail(field, from, to, "a date DDMMYY");
                None
            }
        }
    }

    /// Windows-1250 text, trimmed; `None` when blank.
    pub fn text(&self, from: usize, to: usize) -> Option<String> {
        let text = decode(self.cols(from, to));
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }
}

/// ISO 4217 alphabetic code for the numeric codes ABO files use (`0203` is CZK). Other codes
/// stay numeric (`036`), which is still unambiguous.
pub(super) fn currency(numeric: &str) -> String {
    let code = numeric.trim_start_matches('0');
    match code {
        "203" => "CZK",
        "978" => "EUR",
        "840" => "USD",
        "826" => "GBP",
        "756" => "CHF",
        "985" => "PLN",
        "348" => "HUF",
        "946" => "RON",
        "975" => "BGN",
        "208" => "DKK",
        "752" => "SEK",
        "578" => "NOK",
        "392" => "JPY",
        "124" => "CAD",
        "036" | "36" => "AUD",
        other => return format!("{other:0>3}"),
    }
    .to_owned()
}
