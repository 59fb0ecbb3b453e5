//! Payment symbols of Czech domestic payments: variable (VS), specific (SS) and constant (KS).
//!
//! Banks compare symbols as numbers (`0000123` and `123` are the same VS), and ABO statements
//! carry them zero-padded, so the values are stored without leading zeros and compare equal
//! however they were typed; [`VariableSymbol::padded`] gives the fixed-width form a format wants.
//! An all-zero symbol means "no symbol" in ABO, so it is rejected as empty. The maximum length
//! is checked on the text as typed: eleven characters are a typo even when they start with 0.

use crate::ParseError;
use std::fmt;

/// Checks digits and length; returns the digits without leading zeros.
fn parse_digits(text: &str, max: usize, codes: [&'static str; 3]) -> Result<String, ParseError> {
    let [empty, invalid, too_long] = codes;
    let text = text.trim();
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::new(invalid));
    }
    if text.len() > max {
        return Err(ParseError::new(too_long));
    }
    let stripped = text.trim_start_matches('0');
    if stripped.is_empty() {
        return Err(ParseError::new(empty));
    }
    Ok(stripped.to_owned())
}

macro_rules! symbol {
    ($(#[$doc:meta])* $name:ident, $max:literal, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The most digits this symbol may have.
            pub const MAX_DIGITS: usize = $max;

            pub fn parse(text: &str) -> Result<$name, ParseError> {
                let codes = [
                    concat!($prefix, ".empty"),
                    concat!($prefix, ".invalid"),
                    concat!($prefix, ".too_long"),
                ];
                parse_digits(text, $max, codes).map($name)
            }

            /// The digits without leading zeros, e.g. `123`.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Left-padded with zeros to `width` (never truncated), e.g. `padded(10)` for ABO.
            pub fn padded(&self, width: usize) -> String {
                format!("{:0>width$}", self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

symbol!(
    /// Variabilní symbol: up to 10 digits, identifies what a payment pays for.
    VariableSymbol,
    10,
    "variable_symbol"
);
symbol!(
    /// Specifický symbol: up to 10 digits, a further reference chosen by the payee.
    SpecificSymbol,
    10,
    "specific_symbol"
);
symbol!(
    /// Konstantní symbol: up to 4 digits (ABO and QR Platba), the kind of payment, e.g. `0558`.
    ConstantSymbol,
    4,
    "constant_symbol"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_zeros_are_not_significant() {
        let a = VariableSymbol::parse("0000123").unwrap();
        assert_eq!(a, VariableSymbol::parse(" 123 ").unwrap());
        assert_eq!(a.as_str(), "123");
        assert_eq!(a.to_string(), "123");
        assert_eq!(a.padded(10), "0000000123");
        assert_eq!(a.padded(2), "123");
        assert_eq!(ConstantSymbol::parse("0308").unwrap().padded(4), "0308");
        assert_eq!(ConstantSymbol::parse("308").unwrap().as_str(), "308");
    }

    #[test]
    fn limits() {
        assert_eq!(
            VariableSymbol::parse("9999999999").unwrap().as_str(),
            "9999999999"
        );
        assert_eq!(SpecificSymbol::parse("1").unwrap().as_str(), "1");
        let vs = VariableSymbol::parse("12345678901").unwrap_err();
        assert_eq!(vs.code, "variable_symbol.too_long");
        let vs = VariableSymbol::parse("00000000001").unwrap_err();
        assert_eq!(vs.code, "variable_symbol.too_long");
        assert_eq!(
            ConstantSymbol::parse("12345").unwrap_err().code,
            "constant_symbol.too_long"
        );
    }

    #[test]
    fn empty_and_invalid() {
        assert_eq!(
            VariableSymbol::parse("").unwrap_err().code,
            "variable_symbol.empty"
        );
        assert_eq!(
            VariableSymbol::parse("0000").unwrap_err().code,
            "variable_symbol.empty"
        );
        assert_eq!(
            VariableSymbol::parse("12 34").unwrap_err().code,
            "variable_symbol.invalid"
        );
        assert_eq!(
            SpecificSymbol::parse("-1").unwrap_err().code,
            "specific_symbol.invalid"
        );
        assert_eq!(
            ConstantSymbol::parse("0").unwrap_err().code,
            "constant_symbol.empty"
        );
        assert_eq!(
            ConstantSymbol::parse("KS1").unwrap_err().code,
            "constant_symbol.invalid"
        );
    }
}
