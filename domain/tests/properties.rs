//! Property tests: generated valid values parse and round-trip, and no parser panics or returns
//! an unlisted error code on arbitrary input.

use chrono::{Datelike, Days, NaiveDate};
use portal_domain::*;
use proptest::prelude::*;

/// Runs every parser; each must either succeed or fail with a listed code.
fn all_parsers(text: &str) -> Vec<Result<(), ParseError>> {
    vec![
        Email::parse(text).map(drop),
        PhoneNumber::parse(text).map(drop),
        Amount::parse(text).map(drop),
        BirthNumber::parse(text).map(drop),
        Ico::parse(text).map(drop),
        Iban::parse(text).map(drop),
        Iban::from_czech_account(text).map(drop),
        Psc::parse(text).map(drop),
        VariableSymbol::parse(text).map(drop),
        SpecificSymbol::parse(text).map(drop),
        ConstantSymbol::parse(text).map(drop),
        parse_czech_date(text).map(drop),
    ]
}

fn date_in(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = NaiveDate> {
    (years, 0u64..366).prop_map(|(year, day)| {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let date = first + Days::new(day);
        // Day 366 of a common year would spill into the next year.
        if date.year() == year { date } else { first }
    })
}

/// Czech account-number weights (powers of 2 mod 11 from the right): the digit with weight 1
/// is chosen to make the sum divisible by 11, or None when that would need a 10.
fn with_czech_check(body: u64, len: usize) -> Option<String> {
    let text = format!("{body:0>width$}", width = len - 1);
    let weights = [2u64, 4, 8, 5, 10, 9, 7, 3, 6];
    let sum: u64 = text
        .bytes()
        .rev()
        .zip(weights)
        .map(|(b, w)| u64::from(b - b'0') * w)
        .sum();
    let check = (11 - sum % 11) % 11;
    (check < 10).then(|| format!("{text}{check}"))
}

proptest! {
    #[test]
    fn no_parser_panics_and_codes_are_listed(text in any::<String>()) {
        for result in all_parsers(&text) {
            if let Err(e) = result {
                prop_assert!(ALL_ERROR_CODES.contains(&e.code), "unlisted code {}", e.code);
            }
        }
    }

    /// Digit-heavy text reaches the deeper checks that random Unicode rarely does.
    #[test]
    fn no_parser_panics_on_number_like_text(text in "[0-9 /.,+-]{0,26}|[A-Z]{2}[0-9 ]{2,30}") {
        for result in all_parsers(&text) {
            if let Err(e) = result {
                prop_assert!(ALL_ERROR_CODES.contains(&e.code), "unlisted code {}", e.code);
            }
        }
    }

    #[test]
    fn ten_digit_birth_numbers_round_trip(
        date in date_in(1954..=2053),
        female: bool,
        extended: bool,
        serial in 0u32..1000,
        slash: bool,
    ) {
        let extended = extended && date.year() >= 2004;
        let month = date.month() + if female { 50 } else { 0 } + if extended { 20 } else { 0 };
        let head = format!("{:02}{month:02}{:02}{serial:03}", date.year() % 100, date.day());
        let remainder = head.parse::<u64>().unwrap() % 11;
        // A remainder of 10 has no check digit after 1985.
        prop_assume!(remainder < 10 || date.year() < 1986);
        let text = format!("{}{}{}", &head[..6], if slash { "/" } else { "" }, &head[6..]);
        let text = format!("{text}{}", remainder % 10);
        let n = BirthNumber::parse(&text).unwrap();
        prop_assert_eq!(n.date_of_birth(), date);
        prop_assert_eq!(n.is_female(), female);
        prop_assert_eq!(&BirthNumber::parse(n.as_str()).unwrap(), &n);
        prop_assert!(n.as_str().ends_with(&text[text.len() - 4..]));
        prop_assert_eq!(format!("{n:?}"), "BirthNumber(***)");
    }

    #[test]
    fn nine_digit_birth_numbers_round_trip(
        date in date_in(1900..=1953),
        female: bool,
        serial in 0u32..1000,
    ) {
        let month = date.month() + if female { 50 } else { 0 };
        let text = format!("{:02}{month:02}{:02}/{serial:03}", date.year() % 100, date.day());
        let n = BirthNumber::parse(&text).unwrap();
        prop_assert_eq!(n.date_of_birth(), date);
        prop_assert_eq!(n.is_female(), female);
        prop_assert_eq!(n.as_str(), text.as_str());
    }

    #[test]
    fn amount_round_trips_through_czech_format(halere: i64) {
        let amount = Amount::from_halere(halere);
        prop_assert_eq!(Amount::parse(&amount.format_czk()), Ok(amount));
    }

    #[test]
    fn czech_accounts_become_valid_ibans(
        prefix in 0u64..100_000,
        number in 1_000u64..1_000_000_000,
        bank in 0u16..10_000,
    ) {
        let prefix = with_czech_check(prefix, 6);
        let number = with_czech_check(number, 10);
        let (Some(prefix), Some(number)) = (prefix, number) else {
            return Err(TestCaseError::reject("no check digit"));
        };
        let (prefix, number) = (prefix.trim_start_matches('0'), number.trim_start_matches('0'));
        // The domestic form leaves a zero prefix out.
        let domestic = if prefix.is_empty() {
            format!("{number}/{bank:04}")
        } else {
            format!("{prefix}-{number}/{bank:04}")
        };
        let iban = Iban::from_czech_account(&domestic).unwrap();
        prop_assert_eq!(iban.as_str().len(), 24);
        // Iban::parse runs the mod-97 check.
        prop_assert_eq!(Iban::parse(iban.as_str()), Ok(iban.clone()));
        prop_assert_eq!(Iban::parse(&iban.display_grouped()), Ok(iban.clone()));
        prop_assert_eq!(iban.czech_account(), Some(domestic));
    }

    #[test]
    fn one_changed_iban_digit_is_caught(position in 4usize..24, delta in 1u8..10) {
        let mut bytes = b"CZ6508000000192000145399".to_vec();
        bytes[position] = b'0' + (bytes[position] - b'0' + delta) % 10;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert_eq!(Iban::parse(&changed).unwrap_err().code, "iban.checksum");
    }

    #[test]
    fn valid_icos_parse(body in 0u32..10_000_000) {
        let digits = format!("{body:07}");
        let weighted = digits.bytes().zip((2..=8).rev()).map(|(b, w)| u32::from(b - b'0') * w);
        let sum: u32 = weighted.sum();
        let ico = format!("{digits}{}", (11 - sum % 11) % 10);
        prop_assert_eq!(Ico::parse(&ico).unwrap().to_string(), ico.clone());
        prop_assert_eq!(Ico::parse(ico.trim_start_matches('0')).unwrap().to_string(), ico);
    }

    #[test]
    fn pscs_round_trip(code in 10_000u32..80_000) {
        let psc = Psc::parse(&code.to_string()).unwrap();
        prop_assert_eq!(Psc::parse(&psc.to_string()), Ok(psc.clone()));
        prop_assert_eq!(psc.as_str(), code.to_string());
    }

    #[test]
    fn symbols_ignore_leading_zeros(value in 1u64..10_000_000_000) {
        let vs = VariableSymbol::parse(&value.to_string()).unwrap();
        prop_assert_eq!(VariableSymbol::parse(&vs.padded(10)), Ok(vs.clone()));
        prop_assert_eq!(vs.as_str().parse::<u64>().unwrap(), value);
        let ks = ConstantSymbol::parse(&(value % 10_000).max(1).to_string()).unwrap();
        prop_assert_eq!(ConstantSymbol::parse(&ks.padded(4)), Ok(ks.clone()));
    }

    #[test]
    fn dates_round_trip(date in date_in(1000..=9999)) {
        prop_assert_eq!(parse_czech_date(&format_czech_date(date)), Ok(date));
        prop_assert_eq!(parse_czech_date(&date.to_string()), Ok(date));
        prop_assert!(format_english_date(date).ends_with(&date.year().to_string()));
    }
}
