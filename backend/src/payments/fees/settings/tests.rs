use super::*;

fn waste() -> RawFee {
    RawFee {
        code: "waste".into(),
        name: "Poplatek za odpady".into(),
        kind: "per_person".into(),
        rates: [("adult", 90_000), ("child", 45_000), ("pensioner", 45_000)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        instalments: vec![
            RawInstalment {
                due: "03-31".into(),
                share_percent: 50,
            },
            RawInstalment {
                due: "09-30".into(),
                share_percent: 50,
            },
        ],
        variable_symbol: "{year2}1{subject:5}{instalment}".into(),
        specific_symbol: None,
        constant_symbol: Some("1148".into()),
    }
}

fn keys(errors: &[String]) -> Vec<&str> {
    errors
        .iter()
        .map(|e| e.split(": ").next().unwrap())
        .collect()
}

#[test]
fn a_good_fee_parses() {
    let fee = FeeSettings::parse("town[0].fee[0]", waste()).unwrap();
    assert_eq!(fee.kind, FeeKind::PerPerson);
    assert_eq!(fee.rate("child"), 45_000);
    assert_eq!(fee.rate("exempt"), 0);
    assert_eq!(fee.instalments.len(), 2);
    assert_eq!(
        render_vs(&fee.variable_symbol, 2027, 2, 7, 123).as_deref(),
        Some("271001232")
    );
}

#[test]
fn every_bad_key_is_named() {
    let mut bad = waste();
    bad.code = "Odpad".into();
    bad.kind = "per_cat".into();
    bad.instalments[1].due = "02-30".into();
    bad.instalments[1].share_percent = 40;
    bad.variable_symbol = "{year4}{payer:7}".into();
    bad.specific_symbol = Some("12345678901".into());
    let errors = FeeSettings::parse("town[1].fee[2]", bad).unwrap_err();
    assert_eq!(
        keys(&errors),
        [
            "town[1].fee[2].code",
            "town[1].fee[2].kind",
            "town[1].fee[2].instalments[1].due",
            "town[1].fee[2].instalments",
            "town[1].fee[2].variable_symbol",
            "town[1].fee[2].specific_symbol",
        ],
        "{errors:?}"
    );
}

#[test]
fn rates_must_fit_the_kind() {
    let mut bad = waste();
    bad.kind = "per_dog".into();
    let errors = FeeSettings::parse("town[0].fee[1]", bad).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("town[0].fee[1].rates.first: missing")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("town[0].fee[1].rates.adult: unknown")),
        "{errors:?}"
    );
    let mut negative = waste();
    negative.rates.insert("child".into(), -1);
    let errors = FeeSettings::parse("t", negative).unwrap_err();
    assert_eq!(keys(&errors), ["t.rates.child"]);
}

#[test]
fn instalments_are_one_or_two_in_order() {
    let mut three = waste();
    three.instalments.push(three.instalments[0].clone());
    assert_eq!(
        keys(&FeeSettings::parse("t", three).unwrap_err()),
        ["t.instalments", "t.instalments"]
    );
    let mut reversed = waste();
    reversed.instalments.swap(0, 1);
    assert_eq!(
        keys(&FeeSettings::parse("t", reversed).unwrap_err()),
        ["t.instalments[1].due"]
    );
}

#[test]
fn variable_symbol_templates() {
    assert!(parse_vs("{year2}{payer:5}{instalment}").is_ok());
    assert!(parse_vs("0123456789").is_ok());
    assert!(parse_vs("01234567890").unwrap_err().contains("11 digits"));
    assert!(
        parse_vs("{year}")
            .unwrap_err()
            .contains("unknown placeholder")
    );
    assert!(parse_vs("{payer:0}").is_err());
    assert!(parse_vs("{year2").is_err());
    assert!(parse_vs("27-{payer:3}").is_err());
    assert!(parse_vs("").is_err());
    let parts = parse_vs("{year4}{payer:3}").unwrap();
    assert_eq!(
        render_vs(&parts, 2027, 1, 42, 0).as_deref(),
        Some("2027042")
    );
    assert_eq!(
        render_vs(&parts, 2027, 1, 1000, 0),
        None,
        "payer id too long"
    );
}

#[test]
fn split_puts_the_remainder_on_the_last_instalment() {
    let halves = [
        Instalment {
            month: 3,
            day: 31,
            share_percent: 50,
        },
        Instalment {
            month: 9,
            day: 30,
            share_percent: 50,
        },
    ];
    assert_eq!(split(90_001, &halves), [45_000, 45_001]);
    let thirds = [
        Instalment {
            month: 3,
            day: 31,
            share_percent: 33,
        },
        Instalment {
            month: 9,
            day: 30,
            share_percent: 67,
        },
    ];
    assert_eq!(split(1_001, &thirds), [330, 671]);
    assert_eq!(split(500, &halves[..1]), [500]);
}
