//! Payment symbols (VS, SS, KS) found in free text, the way Czech banks write them into
//! camt.053 references and remittance lines.
//!
//! Shapes seen in bank exports and supported here:
//! - `/VS123/SS456/KS0308` (ČSOB, Slovak banks, SEPA `EndToEndId`), also with empty parts `/VS123/SS/KS`;
//! - `/VS/123/SS/456/KS/0308` (Fio until April 2020);
//! - `VS:123SS:456KS:0308` (Fio since April 2020, no separators between symbols);
//! - `VS:123` alone in one `RmtInf/Strd/CdtrRefInf/Ref` per symbol (ČBA standard, instant payments);
//! - `VS 123`, `VS: 123`, `VS=123` inside a message.

/// Symbols without leading zeros; `None` when absent or all zeros.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Symbols {
    pub vs: Option<String>,
    pub ss: Option<String>,
    pub ks: Option<String>,
}

impl Symbols {
    /// Fills each symbol still missing from `other`.
    pub(crate) fn fill_from(&mut self, other: Symbols) {
        if self.vs.is_none() {
            self.vs = other.vs;
        }
        if self.ss.is_none() {
            self.ss = other.ss;
        }
        if self.ks.is_none() {
            self.ks = other.ks;
        }
    }

    pub(crate) fn is_complete(&self) -> bool {
        self.vs.is_some() && self.ss.is_some() && self.ks.is_some()
    }

    /// One symbol given with its type, e.g. a `Tp` of `VS` and a `Ref` of `0000001234`; `None`
    /// for another type. A value that is not a symbol (letters, more than ten digits) is left
    /// out rather than kept as a wrong one.
    pub(crate) fn typed(kind: &str, value: &str) -> Option<Symbols> {
        let mut symbols = Symbols::default();
        let slot = symbols.slot(kind.trim().to_ascii_uppercase().as_bytes())?;
        *slot = normalize(value).filter(|digits| digits.len() <= MAX_DIGITS);
        Some(symbols)
    }

    pub(crate) fn slot(&mut self, tag: &[u8]) -> Option<&mut Option<String>> {
        match tag {
            b"VS" => Some(&mut self.vs),
            b"SS" => Some(&mut self.ss),
            b"KS" => Some(&mut self.ks),
            _ => None,
        }
    }
}

/// Symbols have at most ten digits.
const MAX_DIGITS: usize = 10;

/// Digits without leading zeros; `None` for an empty or all-zero value.
pub(crate) fn normalize(digits: &str) -> Option<String> {
    let stripped = digits.trim().trim_start_matches('0');
    (!stripped.is_empty() && stripped.bytes().all(|b| b.is_ascii_digit()))
        .then(|| stripped.to_owned())
}

/// Finds `VS`, `SS` and `KS` tokens in `text`. The first occurrence of each tag wins.
pub(crate) fn scan(text: &str) -> Symbols {
    let mut found = Symbols::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 2 <= bytes.len() {
        let tag = &bytes[i..i + 2];
        let is_tag = matches!(tag, b"VS" | b"SS" | b"KS");
        // A tag starts the text or follows a separator or the digits of the previous symbol;
        // inside a word ("ZVS", "CLASS") it is not a tag.
        let starts_token =
            i == 0 || matches!(bytes[i - 1], b'/' | b' ' | b',' | b';' | b'(' | b'0'..=b'9');
        if !(is_tag && starts_token) {
            i += 1;
            continue;
        }
        let mut j = i + 2;
        // At most two separators: "VS: 123", "VS/123", "VS=123".
        let mut separators = 0;
        while j < bytes.len()
            && separators < 2
            && matches!(bytes[j], b':' | b'/' | b' ' | b'=' | b'.')
        {
            j += 1;
            separators += 1;
        }
        let start = j;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        let digits = &text[start..j];
        let followed_by_letter = bytes.get(j).is_some_and(|b| b.is_ascii_lowercase());
        if digits.len() <= MAX_DIGITS && !followed_by_letter {
            if let Some(slot) = found.slot(tag) {
                if slot.is_none() {
                    *slot = normalize(digits);
                }
            }
        }
        i = j.max(i + 2);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(vs: Option<&str>, ss: Option<&str>, ks: Option<&str>) -> Symbols {
        Symbols {
            vs: vs.map(Into::into),
            ss: ss.map(Into::into),
            ks: ks.map(Into::into),
        }
    }

    #[test]
    fn slash_shapes() {
        assert_eq!(
            scan("/VS0012345678/SS0000000000/KS0308"),
            s(Some("12345678"), None, Some("308"))
        );
        assert_eq!(scan("/VS1001/SS/KS"), s(Some("1001"), None, None));
        assert_eq!(
            scan("/VS/1234567890/SS/42/KS/0558"),
            s(Some("1234567890"), Some("42"), Some("558"))
        );
    }

    #[test]
    fn colon_shapes() {
        assert_eq!(
            scan("VS:1234567890SS:99KS:1234"),
            s(Some("1234567890"), Some("99"), Some("1234"))
        );
        assert_eq!(scan("VS:7777777777"), s(Some("7777777777"), None, None));
        assert_eq!(
            scan("Platba za psa, VS: 2025001"),
            s(Some("2025001"), None, None)
        );
    }

    #[test]
    fn not_symbols() {
        // Inside words, too long, or followed by more letters.
        assert_eq!(scan("CLASS 12 ZVS 3"), Symbols::default());
        assert_eq!(scan("VS12345678901"), Symbols::default());
        assert_eq!(scan("VSxyz"), Symbols::default());
        assert_eq!(scan("VS0000"), Symbols::default());
    }

    #[test]
    fn typed_values() {
        assert_eq!(
            Symbols::typed(" ks ", "0308"),
            Some(s(None, None, Some("308")))
        );
        assert_eq!(
            Symbols::typed("VS", "12345678901"),
            Some(Symbols::default())
        );
        assert_eq!(Symbols::typed("VS", "12A"), Some(Symbols::default()));
        assert_eq!(Symbols::typed("SCOR", "123"), None);
    }

    #[test]
    fn first_occurrence_wins() {
        assert_eq!(scan("VS:1 VS:2").vs.as_deref(), Some("1"));
    }
}
