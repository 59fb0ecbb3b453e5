//! QR Platba strings: the specification's CRC32 vector, escaping, amounts, every invalid input.

use chrono::NaiveDate;
use payment_formats::spayd::{
    MAX_AMOUNT_HALERE, Spayd, SpaydError, canonical_form, crc32_hex, crc32_matches, format_amount,
};
use proptest::prelude::*;

const IBAN: &str = "CZ5855000000001265098001";

#[test]
fn specification_crc32_vector() {
    assert_eq!(
        crc32_hex("SPD*1.0*ACC:CZ5855000000001265098001*AM:100.00*CC:CZK"),
        "AAD80227"
    );
    let spayd = Spayd::builder(IBAN).amount_halere(10_000).build().unwrap();
    assert_eq!(
        spayd.as_str(),
        "SPD*1.0*ACC:CZ5855000000001265098001*AM:100.00*CC:CZK*CRC32:AAD80227"
    );
    assert!(crc32_matches(spayd.as_str()));
}

#[test]
fn crc32_is_over_the_canonical_form_whatever_the_order() {
    // The same attributes written in another order have the same canonical form and CRC32.
    let shuffled = "SPD*1.0*CC:CZK*AM:100.00*ACC:CZ5855000000001265098001*CRC32:AAD80227";
    assert!(crc32_matches(shuffled));
    let (canonical, crc) = canonical_form(shuffled).unwrap();
    assert_eq!(
        canonical,
        "SPD*1.0*ACC:CZ5855000000001265098001*AM:100.00*CC:CZK"
    );
    assert_eq!(crc.as_deref(), Some("AAD80227"));
    assert!(!crc32_matches(
        "SPD*1.0*ACC:CZ5855000000001265098001*AM:100.01*CC:CZK*CRC32:AAD80227"
    ));
    assert!(!crc32_matches(
        "SPD*1.0*ACC:CZ5855000000001265098001*AM:100.00*CC:CZK"
    ));
}

#[test]
fn full_payment_sorted_by_key() {
    let spayd = Spayd::builder("cz58 5500 0000 0012 6509 8001")
        .bic("rzbcczpp")
        .amount_halere(150_000)
        .variable_symbol("2025001")
        .specific_symbol("42")
        .constant_symbol("0308")
        .message("Poplatek za psa – Nováková, Lipová 12")
        .recipient_name("Obec Dolní Lhota")
        .due_date(NaiveDate::from_ymd_opt(2025, 3, 31).unwrap())
        .build()
        .unwrap();
    let text = spayd.as_str();
    let expected_start = "SPD*1.0*ACC:CZ5855000000001265098001+RZBCCZPP*AM:1500.00*CC:CZK*DT:20250331\
        *MSG:Poplatek za psa - Novakova, Lipova 12*RN:Obec Dolni Lhota*X-KS:0308*X-SS:42*X-VS:2025001*CRC32:";
    assert!(text.starts_with(expected_start), "{text}");
    assert_eq!(text.len(), expected_start.len() + 8);
    assert!(crc32_matches(text));
}

#[test]
fn structure_characters_are_escaped() {
    let spayd = Spayd::builder(IBAN)
        .message("Sleva *20* % + DPH")
        .recipient_name("A*B")
        .build()
        .unwrap();
    let text = spayd.as_str();
    assert!(text.contains("*MSG:Sleva %2A20%2A %25 %2B DPH*"), "{text}");
    assert!(text.contains("*RN:A%2AB*"), "{text}");
    assert!(crc32_matches(text));
}

#[test]
fn amount_edge_cases() {
    assert_eq!(format_amount(1).unwrap(), "0.01");
    assert_eq!(format_amount(10).unwrap(), "0.10");
    assert_eq!(format_amount(100).unwrap(), "1.00");
    assert_eq!(format_amount(MAX_AMOUNT_HALERE).unwrap(), "9999999.99");
    assert_eq!(format_amount(MAX_AMOUNT_HALERE).unwrap().len(), 10);
    assert!(matches!(format_amount(0), Err(SpaydError::Amount(_))));
    assert!(matches!(format_amount(-100), Err(SpaydError::Amount(_))));
    assert!(matches!(
        format_amount(MAX_AMOUNT_HALERE + 1),
        Err(SpaydError::Amount(_))
    ));
    assert!(
        Spayd::builder(IBAN)
            .amount_halere(1)
            .build()
            .unwrap()
            .as_str()
            .contains("*AM:0.01*")
    );
    let no_amount = Spayd::builder(IBAN).build().unwrap();
    assert!(!no_amount.as_str().contains("AM:"));
}

#[test]
fn every_invalid_input_names_its_field() {
    let b = || Spayd::builder(IBAN);
    assert!(matches!(
        Spayd::builder("CZ5955000000001265098001").build(),
        Err(SpaydError::Iban(_))
    ));
    assert!(matches!(
        Spayd::builder("").build(),
        Err(SpaydError::Iban(_))
    ));
    assert!(matches!(b().bic("RZBC").build(), Err(SpaydError::Bic(_))));
    assert!(matches!(
        b().amount_halere(0).build(),
        Err(SpaydError::Amount(_))
    ));
    assert!(matches!(
        b().currency("Kč").build(),
        Err(SpaydError::Currency(_))
    ));
    assert!(matches!(
        b().variable_symbol("12a").build(),
        Err(SpaydError::VariableSymbol(_))
    ));
    assert!(matches!(
        b().variable_symbol("12345678901").build(),
        Err(SpaydError::VariableSymbol(_))
    ));
    assert!(matches!(
        b().specific_symbol("").build(),
        Err(SpaydError::SpecificSymbol(_))
    ));
    assert!(matches!(
        b().constant_symbol("03-08").build(),
        Err(SpaydError::ConstantSymbol(_))
    ));
    assert_eq!(
        b().message(&"ž".repeat(61)).build(),
        Err(SpaydError::Message(61))
    );
    assert_eq!(
        b().recipient_name(&"x".repeat(36)).build(),
        Err(SpaydError::RecipientName(36))
    );
    let far = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
    assert_eq!(b().due_date(far).build(), Err(SpaydError::DueDate(10_000)));
    // The message names the attribute for logs.
    assert!(SpaydError::Message(61).to_string().starts_with("MSG"));
    assert!(
        SpaydError::VariableSymbol("x".into())
            .to_string()
            .starts_with("X-VS")
    );
}

#[test]
fn limits_count_characters_after_transliteration() {
    // 60 Czech letters are 60 ASCII letters: allowed.
    let spayd = Spayd::builder(IBAN)
        .message(&"ř".repeat(60))
        .build()
        .unwrap();
    assert!(spayd.as_str().contains(&format!("MSG:{}*", "r".repeat(60))));
    // Text that transliterates to nothing is left out rather than written empty.
    let spayd = Spayd::builder(IBAN).message("😀").build().unwrap();
    assert!(!spayd.as_str().contains("MSG"));
}

const KEYS: [&str; 9] = ["ACC", "AM", "CC", "DT", "MSG", "RN", "X-VS", "X-SS", "X-KS"];

proptest! {
    #[test]
    fn values_never_contain_an_unescaped_star(
        message in "\\PC{0,70}",
        name in "[*%+:a-zA-Zá-žÁ-Ž ]{0,40}",
        vs in "[0-9]{1,10}",
        amount in 1i64..=MAX_AMOUNT_HALERE,
    ) {
        let built = Spayd::builder(IBAN)
            .amount_halere(amount)
            .variable_symbol(&vs)
            .message(&message)
            .recipient_name(&name)
            .build();
        match built {
            Ok(spayd) => {
                let text = spayd.as_str();
                let mut parts = text.split('*');
                prop_assert_eq!(parts.next(), Some("SPD"));
                prop_assert_eq!(parts.next(), Some("1.0"));
                let parts: Vec<&str> = parts.collect();
                let (crc, attributes) = parts.split_last().unwrap();
                prop_assert!(crc.starts_with("CRC32:"));
                // Every part between stars is a known KEY:value: a star inside a value would
                // have split it into a part without a known key.
                for part in attributes {
                    let key = part.split(':').next().unwrap();
                    prop_assert!(KEYS.contains(&key), "unexpected part {:?} in {}", part, text);
                }
                prop_assert!(text.is_ascii());
                prop_assert!(crc32_matches(text));
            }
            Err(SpaydError::Message(n)) => prop_assert!(n > 60),
            Err(SpaydError::RecipientName(n)) => prop_assert!(n > 35),
            Err(other) => prop_assert!(false, "unexpected error {}", other),
        }
    }
}
