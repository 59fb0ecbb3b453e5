//! ABO/GPC statements from the fixtures (real Windows-1250 bytes, see fixtures/make_gpc.py).

use chrono::NaiveDate;
use payment_formats::abo::{self, AccountOrder};
use payment_formats::{AccountId, Format, ItemKind, Location, MAX_ISSUES, parse_statement};
use std::collections::HashSet;

const CZECH: &[u8] = include_bytes!("fixtures/abo_czech.gpc");
const MULTI: &[u8] = include_bytes!("fixtures/abo_multi.gpc");
const BAD: &[u8] = include_bytes!("fixtures/abo_bad.gpc");
const CS_REVERSALS: &[u8] = include_bytes!("fixtures/abo_cs_reversals.gpc");
const CS_CREDIT_REVERSAL: &[u8] = include_bytes!("fixtures/abo_cs_credit_reversal.gpc");
const MONETA_UTF8: &[u8] = include_bytes!("fixtures/abo_moneta_utf8.gpc");

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn fixture_is_really_windows_1250() {
    // "á" is 0xE1 and "ř" 0xF8 in Windows-1250; the file is not UTF-8.
    assert!(CZECH.contains(&0xE1) && CZECH.contains(&0xF8));
    assert!(String::from_utf8(CZECH.to_vec()).is_err());
}

#[test]
fn czech_statement() {
    let statements = parse_statement(CZECH).unwrap();
    assert_eq!(statements.len(), 1);
    let s = &statements[0];
    assert_eq!(s.format, Format::Abo);
    assert_eq!(s.account, AccountId::Domestic("1234567899".into()));
    assert!(s.account.matches_iban("CZ55 0800 0000 0012 3456 7899"));
    assert_eq!(s.number, "1");
    assert_eq!(s.date, date(2025, 1, 31));
    assert_eq!(s.opening_balance_halere, Some(100_000_000));
    assert_eq!(s.closing_balance_halere, Some(100_150_012));
    assert_eq!(s.balances_add_up(), Some(true));
    assert_eq!(s.items.len(), 6);

    let first = &s.items[0];
    assert_eq!(first.kind, ItemKind::Credit);
    assert!(first.is_incoming_payment());
    assert_eq!(first.amount_halere, 150_000);
    assert_eq!(first.currency, "CZK");
    assert_eq!(first.vs.as_deref(), Some("2025001"));
    assert_eq!(first.ks.as_deref(), Some("308"));
    assert_eq!(first.ss, None);
    assert_eq!(first.counter_account.as_deref(), Some("35-1000345679/0800"));
    assert_eq!(first.counter_name.as_deref(), Some("Nováková Jana"));
    assert_eq!(first.booked_on, date(2025, 1, 15));
    assert_eq!(first.value_on, date(2025, 1, 15));
    assert_eq!(first.bank_reference.as_deref(), Some("1001"));
    assert_eq!(first.message, None);

    let second = &s.items[1];
    assert_eq!(second.counter_name.as_deref(), Some("Dvořák Tomáš"));
    assert_eq!(second.ss.as_deref(), Some("77"));
    assert_eq!(
        second.message.as_deref(),
        Some("Poplatek za psa – Žďár, Řehoř Šťastný")
    );

    let kinds: Vec<(ItemKind, i64)> = s.items.iter().map(|i| (i.kind, i.amount_halere)).collect();
    assert_eq!(
        kinds,
        [
            (ItemKind::Credit, 150_000),
            (ItemKind::Credit, 50_000),
            (ItemKind::Debit, -12_050),
            (ItemKind::CreditReversal, -50_000),
            (ItemKind::DebitReversal, 12_050),
            (ItemKind::Credit, 12),
        ]
    );
    assert_eq!(
        s.items[2].counter_name.as_deref(),
        Some("Šťastný Řehoř s.r.o.")
    );
    // Interest has no counter-account.
    assert_eq!(s.items[5].counter_account, None);
    assert_eq!(s.items[5].counter_name.as_deref(), Some("Připsaný úrok"));
}

#[test]
fn ids_are_unique_and_stable() {
    let once = abo::parse(CZECH).unwrap();
    let again = abo::parse(CZECH).unwrap();
    let ids: Vec<&str> = once[0].items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        again[0]
            .items
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>()
    );
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    assert!(
        ids.iter()
            .all(|id| id.starts_with("abo:1234567899:") && id.ends_with(":0"))
    );
}

#[test]
fn lf_line_ends_read_the_same() {
    let lf: Vec<u8> = CZECH.iter().copied().filter(|&b| b != b'\r').collect();
    assert_eq!(abo::parse(&lf).unwrap(), abo::parse(CZECH).unwrap());
}

#[test]
fn several_statements_in_one_file() {
    let statements = abo::parse(MULTI).unwrap();
    assert_eq!(statements.len(), 2);
    let (first, second) = (&statements[0], &statements[1]);
    assert_eq!(first.number, "2");
    assert_eq!(first.items.len(), 2);
    // Two byte-identical payments the same day stay two items.
    assert_eq!(first.items[0].amount_halere, first.items[1].amount_halere);
    assert_ne!(first.items[0].id, first.items[1].id);
    assert!(first.items[0].id.ends_with(":0") && first.items[1].id.ends_with(":1"));
    assert_eq!(first.items[0].counter_name.as_deref(), Some("Černá Marie"));

    // The second account is in KB's internal digit order: read back to the standard one.
    assert_eq!(second.account, AccountId::Domestic("19-2700112248".into()));
    assert_eq!(second.number, "17");
    assert_eq!(
        second.items[0].counter_account.as_deref(),
        Some("2001234588/2010")
    );
    assert_eq!(second.items[0].vs.as_deref(), Some("8"));
    assert_eq!(second.items[1].kind, ItemKind::Debit);
    assert_eq!(
        second.items[1].counter_account.as_deref(),
        Some("35-1000345679/0800")
    );
    assert_eq!(second.balances_add_up(), Some(true));
}

#[test]
fn account_order_can_be_forced() {
    let statements = abo::parse_with(MULTI, AccountOrder::Standard).unwrap();
    assert_eq!(
        statements[0].account,
        AccountId::Domestic("1234567899".into())
    );
    assert_ne!(
        statements[1].account,
        AccountId::Domestic("19-2700112248".into())
    );
}

#[test]
fn every_bad_field_is_reported_with_its_line_and_nothing_is_returned() {
    let error = parse_statement(BAD).unwrap_err();
    assert_eq!(error.format, Some(Format::Abo));
    let found: Vec<(usize, &str)> = error
        .issues
        .iter()
        .map(|i| match i.location {
            Location::Line(n) => (n, i.field.as_str()),
            _ => panic!("ABO issues have lines: {i}"),
        })
        .collect();
    assert_eq!(
        found,
        [
            (3, "amount (columns 49-60)"),
            (3, "accounting code (column 61)"),
            (4, "variable symbol (columns 62-71)"),
            (4, "due date (columns 123-128)"),
            (5, "record length"),
            (6, "record type (columns 1-3)"),
        ]
    );
    assert_eq!(error.total, 6);
    assert_eq!(
        error.issues[0].problem,
        "expected 12 digits, found \"00000001O000\""
    );
    assert_eq!(
        error.issues[1].problem,
        "expected one of '1', '2', '4', '5', found \"7\""
    );
    assert_eq!(
        error.issues[4].problem,
        "expected 128 characters, found 100"
    );
    let text = error.to_string();
    assert!(
        text.starts_with("invalid ABO/GPC file (6 problems)"),
        "{text}"
    );
    assert!(
        text.contains(
            "line 4, due date (columns 123-128): expected a date DDMMYY, found \"320125\""
        ),
        "{text}"
    );
}

#[test]
fn issues_are_capped_but_counted() {
    let mut file: Vec<u8> = CZECH.split(|&b| b == b'\n').next().unwrap().to_vec();
    file.push(b'\n');
    for _ in 0..120 {
        file.extend_from_slice(b"075 broken\r\n");
    }
    let error = abo::parse(&file).unwrap_err();
    assert_eq!(error.issues.len(), MAX_ISSUES);
    assert_eq!(error.total, 120);
    assert!(error.to_string().ends_with("… and 70 more"));
}

#[test]
fn structure_problems() {
    let item_first = &CZECH[CZECH.windows(3).position(|w| w == b"075").unwrap()..];
    let error = abo::parse(item_first).unwrap_err();
    assert!(
        error.issues[0].problem.contains("before any 074"),
        "{error}"
    );
    assert!(abo::parse(b"").is_err());
    assert!(abo::parse(b"\r\n\r\n").is_err());
    let empty = parse_statement(b"").unwrap_err();
    assert_eq!(
        (empty.format, empty.issues[0].location.clone()),
        (None, Location::File)
    );
}

/// Fio's published API example ("movements since the last download"): its header balances
/// belong to another period than its items, its debit turnover has the sign '-', its filler
/// says FIO. Rebuilt column by column from Fio's API documentation.
fn fio_sample() -> Vec<u8> {
    let name = |text: &[u8]| {
        let mut field = text.to_vec();
        field.resize(20, b' ');
        field
    };
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut header = b"0740000002400222222".to_vec();
    header.extend(name(b"Nov\xe1k, Jan"));
    header.extend_from_slice(b"17071200000000018505+00000000018501+00000000001500-000000000000060000300912FIO           ");
    lines.push(header);
    let mut payment = b"075000000240022222200000026000444440001150808074000000001500100000000010020100558000000000217071".to_vec();
    payment.extend_from_slice(b"2");
    payment.extend(name(b""));
    payment.extend_from_slice(b"00203170712");
    lines.push(payment);
    for (doc, date) in [
        ("1152125621", "310712"),
        ("1155172472", "310812"),
        ("1158218819", "300912"),
    ] {
        let mut interest = format!(
            "075{}{}000{doc}{:012}2{:030}{date}",
            "0000002400222222", "0000000000000000", 2, 0
        )
        .into_bytes();
        interest.extend(name(b"P\xf8ipsan\xfd \xfarok"));
        interest.extend_from_slice(format!("00203{date}").as_bytes());
        lines.push(interest);
    }
    assert!(
        lines.iter().all(|l| l.len() == 128),
        "{:?}",
        lines.iter().map(Vec::len).collect::<Vec<_>>()
    );
    lines.join(&b"\r\n"[..])
}

#[test]
fn fio_documentation_sample() {
    let statements = abo::parse(&fio_sample()).unwrap();
    let s = &statements[0];
    assert_eq!(s.account, AccountId::Domestic("2400222222".into()));
    assert_eq!(s.number, "0");
    assert_eq!(s.date, date(2012, 9, 30));
    assert_eq!(s.balances_add_up(), Some(false));
    assert_eq!(s.items.len(), 4);
    let payment = &s.items[0];
    assert_eq!(
        (payment.kind, payment.amount_halere),
        (ItemKind::Debit, -1500)
    );
    assert_eq!(payment.counter_account.as_deref(), Some("2600044444/2010"));
    assert_eq!(
        (
            payment.vs.as_deref(),
            payment.ss.as_deref(),
            payment.ks.as_deref()
        ),
        (Some("1"), Some("2"), Some("558"))
    );
    assert_eq!(payment.bank_reference.as_deref(), Some("1150808074"));
    assert_eq!(payment.counter_name, None);
    assert_eq!(s.items[1].counter_name.as_deref(), Some("Připsaný úrok"));
    assert_eq!(s.items[3].booked_on, date(2012, 9, 30));
}

#[test]
fn a_file_cut_at_a_line_break_is_refused() {
    let sample = fio_sample();
    let cut = &sample[..sample.iter().rposition(|&b| b == b'\n').unwrap()];
    let error = abo::parse(cut).unwrap_err();
    assert_eq!(error.issues[0].location, Location::Line(1));
    assert_eq!(error.issues[0].field, "credit turnover (columns 91-104)");
    assert!(
        error.issues[0]
            .problem
            .ends_with("the header says 6: is the file complete?"),
        "{error}"
    );
}

/// Česká spořitelna writes a reversed debit as code 3 and a reversed credit as code 4, where
/// other banks write 4 and 5: the balances only add up when code 4 takes the money back out.
#[test]
fn cs_reversal_codes_three_and_four() {
    let statements = abo::parse(CS_REVERSALS).unwrap();
    let s = &statements[0];
    let kinds: Vec<(ItemKind, i64)> = s.items.iter().map(|i| (i.kind, i.amount_halere)).collect();
    assert_eq!(
        kinds,
        [
            (ItemKind::Credit, 150_000),
            (ItemKind::Credit, 50_000),
            (ItemKind::Debit, -12_050),
            (ItemKind::CreditReversal, -50_000),
            (ItemKind::DebitReversal, 12_050),
        ]
    );
    assert_eq!(s.balances_add_up(), Some(true));
    assert_eq!(s.items[3].counter_name.as_deref(), Some("Dvořák Tomáš"));
    assert!(!s.items[3].is_incoming_payment());
}

/// A file whose only reversal code is 4 could be either convention; its turnovers leave the
/// reversal out, so only the balances tell: they add up with code 4 as a credit taken back.
#[test]
fn a_lone_code_four_goes_the_way_the_balances_add_up() {
    let statements = abo::parse(CS_CREDIT_REVERSAL).unwrap();
    let s = &statements[0];
    let reversal = &s.items[2];
    assert_eq!(
        (reversal.kind, reversal.amount_halere),
        (ItemKind::CreditReversal, -50_000)
    );
    assert_eq!(s.balances_add_up(), Some(true));
    // Next to a code 5, code 4 stays a debit returned (money in).
    let czech = abo::parse(CZECH).unwrap();
    assert_eq!(czech[0].items[4].kind, ItemKind::DebitReversal);
}

/// Code 3 next to code 5 fits neither convention: the file is refused at the code 3 line.
#[test]
fn codes_three_and_five_in_one_file_are_refused() {
    let mut lines: Vec<Vec<u8>> = CS_REVERSALS
        .split(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    // The credit reversal of line 5 written as code 5 instead of 4.
    lines[4][60] = b'5';
    let error = abo::parse(&lines.join(&b'\n')).unwrap_err();
    let issue = &error.issues[0];
    assert_eq!(
        (&issue.location, issue.field.as_str()),
        (&Location::Line(6), "accounting code (column 61)")
    );
    assert_eq!(
        issue.problem,
        "expected one of '1', '2', '4', '5', found \"3\""
    );
}

#[test]
fn ctrl_z_right_after_the_last_record() {
    let mut file = CZECH.to_vec();
    file.truncate(file.len() - 2); // the last CRLF
    file.push(0x1a);
    assert_eq!(abo::parse(&file).unwrap(), abo::parse(CZECH).unwrap());
    // Anywhere else it is still a bad record.
    let mut inside = CZECH.to_vec();
    let second_line = inside.iter().position(|&b| b == b'\n').unwrap() + 1;
    inside.insert(second_line + 20, 0x1a);
    assert!(abo::parse(&inside).is_err());
}

/// Moneta writes ABO in UTF-8 when it has diacritics: 128 characters a record, not 128 bytes.
#[test]
fn utf8_records_with_or_without_a_byte_order_mark() {
    assert!(MONETA_UTF8.starts_with(b"\xEF\xBB\xBF"));
    assert!(std::str::from_utf8(MONETA_UTF8).is_ok());
    let statements = parse_statement(MONETA_UTF8).unwrap();
    let s = &statements[0];
    assert_eq!(s.account, AccountId::Domestic("1234567899".into()));
    assert_eq!(s.balances_add_up(), Some(true));
    let paid = &s.items[0];
    assert_eq!((paid.kind, paid.amount_halere), (ItemKind::Credit, 150_000));
    assert_eq!(paid.vs.as_deref(), Some("2025001"));
    assert_eq!(paid.ks.as_deref(), Some("308"));
    assert_eq!(paid.counter_name.as_deref(), Some("Žďárská Říjnová"));
    assert_eq!(
        paid.message.as_deref(),
        Some("Poplatek za psa – Šťastná Čubička")
    );
    assert_eq!(s.items[1].counter_name.as_deref(), Some("Připsaný úrok"));
    // The same records without the mark, and the ids do not depend on the encoding.
    let unmarked = abo::parse(&MONETA_UTF8[3..]).unwrap();
    assert_eq!(unmarked, statements);
}

#[test]
fn a_byte_order_mark_on_text_that_is_not_utf8_is_refused() {
    let mut file = b"\xEF\xBB\xBF".to_vec();
    file.extend_from_slice(CZECH);
    let error = parse_statement(&file).unwrap_err();
    assert_eq!(error.format, Some(Format::Abo));
    assert_eq!(
        (&error.issues[0].location, error.issues[0].field.as_str()),
        (&Location::File, "encoding")
    );
}
