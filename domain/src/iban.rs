//! IBAN (ISO 13616), and the Czech domestic account format it is built from.
//!
//! A Czech IBAN is `CZkk` + bank code (4) + prefix (6) + account number (10); the domestic form
//! `prefix-number/bank` (`19-2000145399/0800`) is what people still write and read.

use crate::ParseError;
use std::fmt;

/// Total IBAN length by country (SWIFT IBAN registry): the SEPA countries, the Czech Republic's
/// neighbours and the other countries a citizen is likely to pay from.
const LENGTHS: &str = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 \
    CZ24 DE22 DK18 DO28 EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 \
    IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 \
    MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 \
    SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20";

fn expected_length(country: &str) -> Option<usize> {
    LENGTHS
        .split_whitespace()
        .find(|entry| &entry[..2] == country)
        .and_then(|entry| entry[2..].parse().ok())
}

/// ISO 7064 mod 97-10 over the IBAN moved so that its first four characters come last, letters
/// counting as 10..=35. Computed digit by digit so any length fits in a `u32`.
fn mod97(rearranged: impl Iterator<Item = u8>) -> u32 {
    rearranged.fold(0, |rem, b| match b {
        b'0'..=b'9' => (rem * 10 + u32::from(b - b'0')) % 97,
        _ => (rem * 100 + u32::from(b - b'A') + 10) % 97,
    })
}

/// Czech account-number check (CNB decree 169/2011): digits weighted 1, 2, 4, 8, 5, 10, 9, 7, 3, 6
/// (powers of 2 mod 11) from the right must sum to a multiple of 11.
fn czech_mod11(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .zip([1, 2, 4, 8, 5, 10, 9, 7, 3, 6])
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    sum % 11 == 0
}

/// Checks the domestic parts of a Czech BBAN (`bank(4) prefix(6) number(10)`, all digits).
fn check_czech_bban(bban: &str) -> Result<(), ParseError> {
    let (prefix, number) = (&bban[4..10], &bban[10..]);
    if !bban.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::new("iban.invalid"));
    }
    if !czech_mod11(prefix) {
        return Err(ParseError::new("iban.account_prefix_checksum"));
    }
    // The number proper must have at least two non-zero digits (same decree).
    if number.bytes().filter(|&b| b != b'0').count() < 2 || !czech_mod11(number) {
        return Err(ParseError::new("iban.account_number_checksum"));
    }
    Ok(())
}

/// A valid IBAN in electronic form: uppercase, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Iban(String);

impl Iban {
    /// Accepts the electronic form and the paper form (`CZ65 0800 0000 1920 0014 5399`), any case.
    pub fn parse(text: &str) -> Result<Iban, ParseError> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.is_empty() {
            return Err(ParseError::new("iban.empty"));
        }
        let b = compact.as_bytes();
        let shape_ok = b.len() >= 4
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2..4].iter().all(u8::is_ascii_digit)
            && b.iter().all(u8::is_ascii_alphanumeric);
        if !shape_ok {
            return Err(ParseError::new("iban.invalid"));
        }
        let length = expected_length(&compact[..2]).ok_or(ParseError::new("iban.country"))?;
        if b.len() != length {
            return Err(ParseError::new("iban.length"));
        }
        if mod97(b[4..].iter().chain(&b[..4]).copied()) != 1 {
            return Err(ParseError::new("iban.checksum"));
        }
        if &compact[..2] == "CZ" {
            check_czech_bban(&compact[4..])?;
        }
        Ok(Iban(compact))
    }

    /// Builds a CZ IBAN from the domestic form `[prefix-]number/bank`, e.g. `19-2000145399/0800`.
    pub fn from_czech_account(text: &str) -> Result<Iban, ParseError> {
        let invalid = ParseError::new("iban.account_invalid");
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let (account, bank) = compact.split_once('/').ok_or(invalid)?;
        if bank.len() != 4 || !bank.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new("iban.bank_code"));
        }
        let (prefix, number) = account.split_once('-').unwrap_or(("", account));
        let digits = |s: &str, max: usize| s.len() <= max && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(prefix, 6) || !digits(number, 10) || number.len() < 2 {
            return Err(invalid);
        }
        let bban = format!("{bank}{prefix:0>6}{number:0>10}");
        check_czech_bban(&bban)?;
        let check = 98 - mod97(bban.bytes().chain(*b"CZ00"));
        Ok(Iban(format!("CZ{check:02}{bban}")))
    }

    /// The electronic form, `CZ6508000000192000145399`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn country_code(&self) -> &str {
        &self.0[..2]
    }

    /// The national part after the country code and check digits.
    pub fn bban(&self) -> &str {
        &self.0[4..]
    }

    /// The paper form, groups of four: `CZ65 0800 0000 1920 0014 5399`.
    pub fn display_grouped(&self) -> String {
        let mut out = String::with_capacity(self.0.len() + self.0.len() / 4);
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    /// For a CZ IBAN, the domestic form Czech people know: `19-2000145399/0800`, the prefix left
    /// out when it is zero.
    pub fn czech_account(&self) -> Option<String> {
        if self.country_code() != "CZ" {
            return None;
        }
        let (bank, prefix, number) = (&self.0[4..8], &self.0[8..14], &self.0[14..]);
        let number = number.trim_start_matches('0');
        Some(match prefix.trim_start_matches('0') {
            "" => format!("{number}/{bank}"),
            prefix => format!("{prefix}-{number}/{bank}"),
        })
    }
}

/// The paper form, as printed on invoices.
impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_grouped())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> &'static str {
        Iban::parse(text).unwrap_err().code
    }

    #[test]
    fn czech_iban_paper_and_electronic() {
        let iban = Iban::parse("cz65 0800 0000 1920 0014 5399").unwrap();
        assert_eq!(iban.as_str(), "CZ6508000000192000145399");
        assert_eq!(iban.display_grouped(), "CZ65 0800 0000 1920 0014 5399");
        assert_eq!(iban.to_string(), "CZ65 0800 0000 1920 0014 5399");
        assert_eq!(iban.country_code(), "CZ");
        assert_eq!(iban.bban(), "08000000192000145399");
        assert_eq!(iban.czech_account().as_deref(), Some("19-2000145399/0800"));
    }

    #[test]
    fn other_countries() {
        let sk = Iban::parse("SK3112000000198742637541").unwrap();
        assert_eq!(sk.czech_account(), None);
        assert!(Iban::parse("DE89 3704 0044 0532 0130 00").is_ok());
        assert!(Iban::parse("AT611904300234573201").is_ok());
        assert!(Iban::parse("GB82 WEST 1234 5698 7654 32").is_ok());
        assert_eq!(
            Iban::parse("NO9386011117947").unwrap().display_grouped(),
            "NO93 8601 1117 947"
        );
    }

    #[test]
    fn invalid() {
        assert_eq!(code("CZ6508000000192000145398"), "iban.checksum");
        assert_eq!(code("CZ6508000000192000145389"), "iban.checksum"); // swapped digits
        assert_eq!(code("CZ65080000001920001453990"), "iban.length");
        assert_eq!(code("US6508000000192000145399"), "iban.country");
        assert_eq!(code("CZ65 0800_0000"), "iban.invalid");
        assert_eq!(code("6508000000192000145399"), "iban.invalid");
        assert_eq!(code("CZ"), "iban.invalid");
        assert_eq!(code("  "), "iban.empty");
    }

    #[test]
    fn czech_iban_must_satisfy_domestic_checks() {
        // Passes mod 97 (check digits recomputed) but the account number fails mod 11.
        let bban = "08000000192000145398";
        let check = 98 - mod97(bban.bytes().chain(*b"CZ00"));
        assert_eq!(
            code(&format!("CZ{check:02}{bban}")),
            "iban.account_number_checksum"
        );
    }

    #[test]
    fn from_czech_account() {
        let iban = Iban::from_czech_account("19-2000145399/0800").unwrap();
        assert_eq!(iban.as_str(), "CZ6508000000192000145399");
        // Without a prefix; round trip through the domestic form.
        let iban = Iban::from_czech_account(" 2000145399 / 0800 ").unwrap();
        assert_eq!(iban.czech_account().as_deref(), Some("2000145399/0800"));
        assert_eq!(Iban::parse(iban.as_str()), Ok(iban));
    }

    #[test]
    fn from_czech_account_errors() {
        let code = |t: &str| Iban::from_czech_account(t).unwrap_err().code;
        assert_eq!(code("19-2000145399"), "iban.account_invalid");
        assert_eq!(code("1234567-2000145399/0800"), "iban.account_invalid");
        assert_eq!(code("19-20001453991/0800"), "iban.account_invalid");
        assert_eq!(code("19-2000145399/08000"), "iban.bank_code");
        assert_eq!(code("19-2000145399/08a0"), "iban.bank_code");
        assert_eq!(code("18-2000145399/0800"), "iban.account_prefix_checksum");
        assert_eq!(code("19-2000145398/0800"), "iban.account_number_checksum");
        assert_eq!(code("0/0800"), "iban.account_invalid");
        assert_eq!(code("00/0800"), "iban.account_number_checksum");
    }
}
