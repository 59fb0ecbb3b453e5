//! IBAN and BIC checks for the `ACC` attribute.

/// An IBAN without spaces, upper case, when it is well formed: country letters, check digits,
/// 15-34 alphanumerics in all, ISO 7064 mod 97-10 remainder 1. (Country-specific lengths are
/// `portal_domain::Iban`'s business; this crate must not depend on the portal.)
pub(crate) fn normalize_iban(text: &str) -> Result<String, &'static str> {
    let iban: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = iban.as_bytes();
    if !(15..=34).contains(&bytes.len()) {
        return Err("an IBAN has 15 to 34 characters");
    }
    if !bytes[..2].iter().all(u8::is_ascii_uppercase)
        || !bytes[2..4].iter().all(u8::is_ascii_digit)
        || !bytes.iter().all(u8::is_ascii_alphanumeric)
    {
        return Err("an IBAN is two letters, two check digits and letters or digits");
    }
    let rearranged = bytes[4..].iter().chain(&bytes[..4]);
    let remainder = rearranged.fold(0u32, |rem, &b| match b {
        b'0'..=b'9' => (rem * 10 + u32::from(b - b'0')) % 97,
        _ => (rem * 100 + u32::from(b - b'A') + 10) % 97,
    });
    if remainder != 1 {
        return Err("the IBAN check digits do not match");
    }
    Ok(iban)
}

/// A BIC without spaces, upper case: 4 letters bank, 2 letters country, 2 location
/// characters, optionally 3 branch characters.
pub(crate) fn normalize_bic(text: &str) -> Result<String, &'static str> {
    let bic: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = bic.as_bytes();
    if (bytes.len() == 8 || bytes.len() == 11)
        && bytes[..6].iter().all(u8::is_ascii_uppercase)
        && bytes[6..].iter().all(u8::is_ascii_alphanumeric)
    {
        Ok(bic)
    } else {
        Err("a BIC is 8 or 11 letters and digits, the first six letters")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iban() {
        assert_eq!(
            normalize_iban("cz58 5500 0000 0012 6509 8001").as_deref(),
            Ok("CZ5855000000001265098001")
        );
        assert!(normalize_iban("CZ5955000000001265098001").is_err());
        assert!(normalize_iban("CZ58").is_err());
        assert!(normalize_iban("CZ58-5500-0000-0012-6509-8001").is_err());
    }

    #[test]
    fn bic() {
        assert_eq!(normalize_bic("rzbc cz pp").as_deref(), Ok("RZBCCZPP"));
        assert_eq!(normalize_bic("KOMBCZPPXXX").as_deref(), Ok("KOMBCZPPXXX"));
        assert!(normalize_bic("KOMB1ZPP").is_err());
        assert!(normalize_bic("KOMBCZP").is_err());
    }
}
