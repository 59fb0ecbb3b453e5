//! QR Platba: the SPAYD 1.0 string (Short Payment Descriptor) of the Czech Banking
//! Association, `SPD*1.0*ACC:CZ…*AM:1500.00*CC:CZK*…*CRC32:…`.
//!
//! Attributes are written sorted by key, which is also the canonical form the `CRC32`
//! attribute is computed over (everything before `*CRC32:`), so the string is its own
//! canonical form plus the checksum.

mod iban;
mod text;

use crate::decimal::format_hundredths;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Largest amount `AM` can carry: ten characters, `9999999.99`.
pub const MAX_AMOUNT_HALERE: i64 = 999_999_999;
/// Longest message (`MSG`), in characters after transliteration.
pub const MAX_MESSAGE: usize = 60;
/// Longest recipient name (`RN`), in characters after transliteration.
pub const MAX_RECIPIENT_NAME: usize = 35;
/// Most digits of `X-VS`, `X-SS` and `X-KS`.
pub const MAX_SYMBOL_DIGITS: usize = 10;

/// What is wrong with a builder input; each variant names its SPAYD attribute.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpaydError {
    #[error("ACC (account): {0}")]
    Iban(&'static str),
    #[error("ACC (BIC after the IBAN): {0}")]
    Bic(&'static str),
    #[error("AM (amount): {0}")]
    Amount(&'static str),
    #[error("CC (currency): expected three letters (ISO 4217), found {0:?}")]
    Currency(String),
    #[error("X-VS (variable symbol): expected 1 to 10 digits, found {0:?}")]
    VariableSymbol(String),
    #[error("X-SS (specific symbol): expected 1 to 10 digits, found {0:?}")]
    SpecificSymbol(String),
    #[error("X-KS (constant symbol): expected 1 to 10 digits, found {0:?}")]
    ConstantSymbol(String),
    #[error("MSG (message): at most 60 characters, found {0}")]
    Message(usize),
    #[error("RN (recipient name): at most 35 characters, found {0}")]
    RecipientName(usize),
    #[error("DT (due date): expected a year from 1000 to 9999, found {0}")]
    DueDate(i32),
}

/// A finished SPAYD string with its checksum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spayd(String);

impl Spayd {
    /// Starts a payment to `iban` (spaces and lower case are fine) in CZK.
    pub fn builder(iban: &str) -> SpaydBuilder {
        SpaydBuilder {
            iban: iban.to_owned(),
            currency: "CZK".into(),
            ..SpaydBuilder::default()
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Spayd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Spayd {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Collects the attributes; [`SpaydBuilder::build`] checks them all.
#[derive(Debug, Clone, Default)]
pub struct SpaydBuilder {
    iban: String,
    bic: Option<String>,
    amount_halere: Option<i64>,
    currency: String,
    vs: Option<String>,
    ss: Option<String>,
    ks: Option<String>,
    message: Option<String>,
    recipient_name: Option<String>,
    due_date: Option<NaiveDate>,
}

impl SpaydBuilder {
    /// The recipient bank's BIC, written as `ACC:IBAN+BIC` (needed only for foreign payments).
    pub fn bic(mut self, bic: &str) -> Self {
        self.bic = Some(bic.to_owned());
        self
    }

    /// `AM`: 1 haléř to [`MAX_AMOUNT_HALERE`]. Without it the payer types the amount.
    pub fn amount_halere(mut self, halere: i64) -> Self {
        self.amount_halere = Some(halere);
        self
    }

    /// `CC`: ISO 4217 code, `CZK` unless set.
    pub fn currency(mut self, code: &str) -> Self {
        self.currency = code.to_owned();
        self
    }

    /// `X-VS`: up to ten digits.
    pub fn variable_symbol(mut self, vs: &str) -> Self {
        self.vs = Some(vs.to_owned());
        self
    }

    /// `X-SS`: up to ten digits.
    pub fn specific_symbol(mut self, ss: &str) -> Self {
        self.ss = Some(ss.to_owned());
        self
    }

    /// `X-KS`: up to ten digits (in practice four, e.g. `0308`).
    pub fn constant_symbol(mut self, ks: &str) -> Self {
        self.ks = Some(ks.to_owned());
        self
    }

    /// `MSG`: transliterated to ASCII (see the module docs), at most [`MAX_MESSAGE`] characters.
    pub fn message(mut self, message: &str) -> Self {
        self.message = Some(message.to_owned());
        self
    }

    /// `RN`: transliterated to ASCII, at most [`MAX_RECIPIENT_NAME`] characters.
    pub fn recipient_name(mut self, name: &str) -> Self {
        self.recipient_name = Some(name.to_owned());
        self
    }

    /// `DT`: the day the payment should be made, written `YYYYMMDD`.
    pub fn due_date(mut self, date: NaiveDate) -> Self {
        self.due_date = Some(date);
        self
    }

    /// Checks every input and writes the string, sorted by key, with `CRC32` last.
    pub fn build(self) -> Result<Spayd, SpaydError> {
        let mut attributes: Vec<(&'static str, String)> = Vec::new();
        let mut account = iban::normalize_iban(&self.iban).map_err(SpaydError::Iban)?;
        if let Some(bic) = &self.bic {
            account.push('+');
            account.push_str(&iban::normalize_bic(bic).map_err(SpaydError::Bic)?);
        }
        attributes.push(("ACC", account));
        if let Some(halere) = self.amount_halere {
            attributes.push(("AM", format_amount(halere)?));
        }
        let currency = self.currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(SpaydError::Currency(self.currency));
        }
        attributes.push(("CC", currency));
        if let Some(date) = self.due_date {
            if !(1000..=9999).contains(&date.year()) {
                return Err(SpaydError::DueDate(date.year()));
            }
            attributes.push(("DT", date.format("%Y%m%d").to_string()));
        }
        if let Some(message) = &self.message {
            let ascii = text::to_ascii(message);
            let len = ascii.chars().count();
            if len > MAX_MESSAGE {
                return Err(SpaydError::Message(len));
            }
            if len > 0 {
                attributes.push(("MSG", text::escape(&ascii)));
            }
        }
        if let Some(name) = &self.recipient_name {
            let ascii = text::to_ascii(name);
            let len = ascii.chars().count();
            if len > MAX_RECIPIENT_NAME {
                return Err(SpaydError::RecipientName(len));
            }
            if len > 0 {
                attributes.push(("RN", text::escape(&ascii)));
            }
        }
        let symbols = [
            (
                "X-VS",
                self.vs,
                SpaydError::VariableSymbol as fn(String) -> SpaydError,
            ),
            ("X-SS", self.ss, SpaydError::SpecificSymbol),
            ("X-KS", self.ks, SpaydError::ConstantSymbol),
        ];
        for (key, value, error) in symbols {
            if let Some(value) = value {
                let digits = value.trim();
                if digits.is_empty()
                    || digits.len() > MAX_SYMBOL_DIGITS
                    || !digits.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(error(value));
                }
                attributes.push((key, digits.to_owned()));
            }
        }
        attributes.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::from("SPD*1.0");
        for (key, value) in &attributes {
            out.push('*');
            out.push_str(key);
            out.push(':');
            out.push_str(value);
        }
        let crc = crc32_hex(&out);
        out.push_str("*CRC32:");
        out.push_str(&crc);
        Ok(Spayd(out))
    }
}

/// `AM` text for an amount in haléř: `1500.00` for 150 000. Zero formats as `0.00`, but the
/// builder refuses it: a payment of nothing is a mistake.
pub fn format_amount(halere: i64) -> Result<String, SpaydError> {
    if halere <= 0 {
        return Err(SpaydError::Amount("must be positive"));
    }
    if halere > MAX_AMOUNT_HALERE {
        return Err(SpaydError::Amount("at most 9999999.99 (ten characters)"));
    }
    Ok(format_hundredths(halere.unsigned_abs()))
}

/// The `CRC32` value for a canonical SPAYD string: CRC-32 (IEEE) in eight upper-case hex digits.
pub fn crc32_hex(canonical: &str) -> String {
    format!("{:08X}", crc32fast::hash(canonical.as_bytes()))
}

/// The canonical form of any SPAYD string (header, then attributes sorted by key, `CRC32`
/// left out) and its `CRC32` value if present; `None` when the text is not `SPD*1.0*…`.
pub fn canonical_form(spayd: &str) -> Option<(String, Option<String>)> {
    let mut parts = spayd.trim_end_matches('*').split('*');
    if parts.next()? != "SPD" || parts.next()? != "1.0" {
        return None;
    }
    let mut crc = None;
    let mut attributes = Vec::new();
    for part in parts {
        let (key, value) = part.split_once(':')?;
        if key == "CRC32" {
            crc = Some(value.to_owned());
        } else {
            attributes.push((key, value));
        }
    }
    attributes.sort_by(|a, b| a.0.cmp(b.0));
    let mut canonical = String::from("SPD*1.0");
    for (key, value) in attributes {
        canonical.push('*');
        canonical.push_str(key);
        canonical.push(':');
        canonical.push_str(value);
    }
    Some((canonical, crc))
}

/// Whether a SPAYD string carries a `CRC32` that matches its canonical form.
pub fn crc32_matches(spayd: &str) -> bool {
    match canonical_form(spayd) {
        Some((canonical, Some(crc))) => crc.eq_ignore_ascii_case(&crc32_hex(&canonical)),
        _ => false,
    }
}
