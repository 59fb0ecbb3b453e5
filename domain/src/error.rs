//! The one error every domain parser returns, and the list of codes it can carry.

/// Why a text could not become a domain value.
///
/// `code` is a stable, language-neutral key (`"email.invalid"`): the server sends it in the field
/// errors of its JSON error body, and the client looks it up in its translation catalogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{code}")]
pub struct ParseError {
    pub code: &'static str,
}

impl ParseError {
    pub const fn new(code: &'static str) -> Self {
        Self { code }
    }
}

/// Every code a parser of this crate can return. The client's tests check that each one has a
/// translation; the test below checks that the list and the parsers agree both ways.
pub const ALL_ERROR_CODES: &[&str] = &[
    "email.empty",
    "email.too_long",
    "email.missing_at",
    "email.invalid",
    "phone.empty",
    "phone.invalid",
    "phone.length",
    "amount.empty",
    "amount.invalid",
    "amount.too_precise",
    "amount.too_large",
    "birth_number.empty",
    "birth_number.invalid",
    "birth_number.length",
    "birth_number.invalid_date",
    "birth_number.checksum",
    "ico.empty",
    "ico.invalid",
    "ico.length",
    "ico.checksum",
    "iban.empty",
    "iban.invalid",
    "iban.country",
    "iban.length",
    "iban.checksum",
    "iban.account_invalid",
    "iban.account_prefix_checksum",
    "iban.account_number_checksum",
    "iban.bank_code",
    "psc.empty",
    "psc.invalid",
    "psc.length",
    "variable_symbol.empty",
    "variable_symbol.invalid",
    "variable_symbol.too_long",
    "specific_symbol.empty",
    "specific_symbol.invalid",
    "specific_symbol.too_long",
    "constant_symbol.empty",
    "constant_symbol.invalid",
    "constant_symbol.too_long",
    "date.empty",
    "date.invalid",
    "date.nonexistent",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::*;
    use std::collections::BTreeSet;

    fn code<T>(result: Result<T, ParseError>) -> &'static str {
        match result {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.code,
        }
    }

    /// One input per code: every listed code is reachable and every reached code is listed.
    #[test]
    fn list_matches_what_parsers_return() {
        let reached = [
            code(Email::parse(" ")),
            code(Email::parse(&format!("{}@b.cz", "a".repeat(260)))),
            code(Email::parse("jan.novak.cz")),
            code(Email::parse("jan@novak")),
            code(PhoneNumber::parse("")),
            code(PhoneNumber::parse("777 12a 456")),
            code(PhoneNumber::parse("777 123 45")),
            code(Amount::parse("Kč")),
            code(Amount::parse("12x")),
            code(Amount::parse("1,005")),
            code(Amount::parse("99999999999999999999")),
            code(BirthNumber::parse("")),
            code(BirthNumber::parse("8551O1/1234")),
            code(BirthNumber::parse("855101/12")),
            code(BirthNumber::parse("850230/0001")),
            code(BirthNumber::parse("855101/1235")),
            code(Ico::parse("")),
            code(Ico::parse("2559664x")),
            code(Ico::parse("255966410")),
            code(Ico::parse("25596642")),
            code(Iban::parse("")),
            code(Iban::parse("CZ65-0800")),
            code(Iban::parse("XX6508000000192000145399")),
            code(Iban::parse("CZ650800000019200014539")),
            code(Iban::parse("CZ6508000000192000145398")),
            code(Iban::from_czech_account("19-2000145399")),
            code(Iban::from_czech_account("18-2000145399/0800")),
            code(Iban::from_czech_account("19-2000145398/0800")),
            code(Iban::from_czech_account("19-2000145399/080")),
            code(Psc::parse("")),
            code(Psc::parse("912 45")),
            code(Psc::parse("1234")),
            code(VariableSymbol::parse("000")),
            code(VariableSymbol::parse("12-3")),
            code(VariableSymbol::parse("12345678901")),
            code(SpecificSymbol::parse("")),
            code(SpecificSymbol::parse("x")),
            code(SpecificSymbol::parse("12345678901")),
            code(ConstantSymbol::parse("")),
            code(ConstantSymbol::parse("03O8")),
            code(ConstantSymbol::parse("12345")),
            code(date::parse_czech_date("")),
            code(date::parse_czech_date("25/11/2026")),
            code(date::parse_czech_date("29. 2. 2025")),
        ];
        let reached: BTreeSet<&str> = reached.into_iter().collect();
        let listed: BTreeSet<&str> = ALL_ERROR_CODES.iter().copied().collect();
        assert_eq!(reached, listed);
        assert_eq!(
            listed.len(),
            ALL_ERROR_CODES.len(),
            "duplicate code in the list"
        );
    }

    #[test]
    fn codes_are_type_dot_reason() {
        for code in ALL_ERROR_CODES {
            let (kind, reason) = code.split_once('.').expect(code);
            let ok =
                |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            assert!(ok(kind) && ok(reason), "{code}");
        }
    }
}
