//! camt.053 statements from the fixtures (two versions, two bank shapes of payment symbols,
//! see fixtures/make_camt.py) and error paths.

use chrono::NaiveDate;
use payment_formats::{AccountId, Format, ItemKind, Location, camt053, parse_statement};
use std::collections::HashSet;

const V02: &[u8] = include_bytes!("fixtures/camt053_v02_csob.xml");
const V08: &[u8] = include_bytes!("fixtures/camt053_v08_fio.xml");
const MALFORMED: &[u8] = include_bytes!("fixtures/camt053_malformed.xml");
const V06_PRTRY: &[u8] = include_bytes!("fixtures/camt053_v06_prtry.xml");

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn symbols(item: &payment_formats::StatementItem) -> (Option<&str>, Option<&str>, Option<&str>) {
    (item.vs.as_deref(), item.ss.as_deref(), item.ks.as_deref())
}

#[test]
fn csob_shape_version_02() {
    let statements = parse_statement(V02).unwrap();
    assert_eq!(statements.len(), 2);
    let s = &statements[0];
    assert_eq!(s.format, Format::Camt053);
    assert_eq!(
        s.account,
        AccountId::Iban("CZ4203000000001234567899".into())
    );
    assert!(s.account.matches_iban("cz42 0300 0000 0012 3456 7899"));
    assert_eq!(s.number, "CSOB-2025-01-31-1");
    assert_eq!(s.date, date(2025, 1, 31));
    assert_eq!(s.currency, "CZK");
    assert_eq!(
        (s.opening_balance_halere, s.closing_balance_halere),
        (Some(1_000_000), Some(1_167_950))
    );
    assert_eq!(s.balances_add_up(), Some(true));
    // The pending entry is left out; the batch entry is two items.
    assert_eq!(s.items.len(), 6);

    let paid = &s.items[0];
    assert_eq!((paid.kind, paid.amount_halere), (ItemKind::Credit, 150_000));
    assert_eq!(symbols(paid), (Some("2025001"), None, Some("308")));
    assert_eq!(
        paid.counter_account.as_deref(),
        Some("CZ8408000000351000345679")
    );
    assert_eq!(paid.counter_name.as_deref(), Some("Nováková Jana"));
    assert_eq!(paid.message.as_deref(), Some("Poplatek za odpady 2025"));
    assert_eq!(
        (paid.booked_on, paid.value_on),
        (date(2025, 1, 15), date(2025, 1, 15))
    );
    assert_eq!(paid.bank_reference.as_deref(), Some("0300-250115-000001"));
    assert_eq!(paid.end_to_end_id.as_deref(), Some("/VS2025001/SS/KS0308"));
    assert_eq!(
        paid.id,
        "camt:CZ4203000000001234567899:ref:0300-250115-000001:C:0"
    );

    // A plain numeric creditor reference is the VS; entities are resolved.
    let second = &s.items[1];
    assert_eq!(symbols(second), (Some("2025002"), None, None));
    assert_eq!(second.end_to_end_id, None);
    assert_eq!(second.message.as_deref(), Some("Pes & kočka – známka"));

    let debit = &s.items[2];
    assert_eq!(
        (debit.kind, debit.amount_halere),
        (ItemKind::Debit, -12_050)
    );
    assert_eq!(debit.counter_account.as_deref(), Some("2001234588/2010"));
    assert_eq!(debit.counter_name.as_deref(), Some("Šťastný Řehoř s.r.o."));
    assert_eq!(debit.booked_on, date(2025, 1, 20));

    // The reversal reuses the reference of the payment it takes back, yet has its own id.
    let reversal = &s.items[3];
    assert_eq!(
        (reversal.kind, reversal.amount_halere),
        (ItemKind::CreditReversal, -50_000)
    );
    assert!(!reversal.is_incoming_payment());
    assert_eq!(reversal.vs.as_deref(), Some("2025002"));
    assert_eq!(reversal.bank_reference, second.bank_reference);
    assert_ne!(reversal.id, second.id);

    let batch: Vec<(i64, Option<&str>, Option<&str>)> = s.items[4..]
        .iter()
        .map(|i| (i.amount_halere, i.vs.as_deref(), i.counter_name.as_deref()))
        .collect();
    assert_eq!(
        batch,
        [
            (10_000, Some("1001"), Some("Škola Dolní Lhota")),
            (20_000, Some("1002"), Some("Školka Dolní Lhota"))
        ]
    );
    assert!(s.items[4].id.contains(":ref:0300-250122-000004/1:C:"));

    let other = &statements[1];
    assert_eq!(
        other.account,
        AccountId::Iban("CZ5508000000001234567899".into())
    );
    assert_eq!(other.items.len(), 1);
    assert_eq!(other.items[0].vs.as_deref(), Some("2025009"));
    // No bank reference: the id is a digest of the item.
    assert!(
        other.items[0]
            .id
            .starts_with("camt:CZ5508000000001234567899:h:")
    );
}

#[test]
fn fio_shape_version_08_in_windows_1250() {
    assert!(
        String::from_utf8(V08.to_vec()).is_err(),
        "the fixture is windows-1250 bytes"
    );
    let statements = camt053::parse(V08).unwrap();
    assert_eq!(statements.len(), 1);
    let s = &statements[0];
    assert_eq!(
        s.account,
        AccountId::Iban("CZ6920100000001234567899".into())
    );
    assert_eq!(s.number, "2025/3");
    assert_eq!(s.date, date(2025, 3, 31));
    assert_eq!(
        (s.opening_balance_halere, s.closing_balance_halere),
        (Some(-10_000), Some(150_000))
    );
    assert_eq!(s.balances_add_up(), Some(true));
    let got: Vec<_> = s
        .items
        .iter()
        .map(|i| (i.kind, i.amount_halere, symbols(i)))
        .collect();
    assert_eq!(
        got,
        [
            (
                ItemKind::Credit,
                30_000,
                (Some("2025001"), Some("77"), Some("558"))
            ),
            (
                ItemKind::Credit,
                120_000,
                (Some("2025003"), Some("42"), Some("308"))
            ),
            (ItemKind::Credit, 5_000, (Some("123456"), None, None)),
            (
                ItemKind::Credit,
                7_525,
                (Some("2025004"), Some("5"), Some("308"))
            ),
            (ItemKind::Debit, -2_525, (None, None, None)),
        ]
    );
    assert_eq!(s.items[0].counter_name.as_deref(), Some("Černá Marie"));
    assert_eq!(
        s.items[0].counter_account.as_deref(),
        Some("35-1000345679/0800")
    );
    assert_eq!(s.items[1].counter_name.as_deref(), Some("Žďárský Ondřej"));
    assert_eq!(s.items[1].message.as_deref(), Some("Platba za psa – Žďár"));
    assert_eq!(
        s.items[4].message.as_deref(),
        Some("Poplatek za vedení účtu")
    );
    assert_eq!(s.items[4].counter_account, None);
}

#[test]
fn ids_are_unique_and_stable() {
    for file in [V02, V08] {
        let once = camt053::parse(file).unwrap();
        let again = camt053::parse(file).unwrap();
        assert_eq!(once, again);
        let ids: Vec<&String> = once
            .iter()
            .flat_map(|s| s.items.iter().map(|i| &i.id))
            .collect();
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    }
}

#[test]
fn malformed_xml_names_the_element() {
    let error = parse_statement(MALFORMED).unwrap_err();
    assert_eq!(error.format, Some(Format::Camt053));
    assert_eq!(error.issues.len(), 1);
    let issue = &error.issues[0];
    let Location::XmlPath(path) = &issue.location else {
        panic!("{issue}")
    };
    assert!(
        path.starts_with("Document/BkToCstmrStmt/Stmt[1]/Ntry[2]"),
        "{path}"
    );
    assert!(issue.problem.starts_with("malformed XML"), "{issue}");
}

/// A statement with `entries` entries; `bad` replaces the XML of the entry at that 1-based
/// position.
fn statement(id: &str, entries: usize, bad: &[(usize, &str)]) -> String {
    let mut xml = format!(
        "<Stmt><Id>{id}</Id><Acct><Id><IBAN>CZ4203000000001234567899</IBAN></Id><Ccy>CZK</Ccy></Acct>"
    );
    for n in 1..=entries {
        match bad.iter().find(|(at, _)| *at == n) {
            Some((_, entry)) => xml.push_str(entry),
            None => xml.push_str(&format!(
                "<Ntry><Amt Ccy=\"CZK\">{n}.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2025-01-02</Dt></BookgDt></Ntry>"
            )),
        }
    }
    xml + "</Stmt>"
}

fn document(version: &str, statements: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}\">\
         <BkToCstmrStmt>{statements}</BkToCstmrStmt></Document>"
    )
}

#[test]
fn every_bad_field_is_reported_with_its_path() {
    let bad_amount = "<Ntry><Amt Ccy=\"CZK\">12,50</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2025-01-02</Dt></BookgDt></Ntry>";
    let bad_direction = "<Ntry><Amt Ccy=\"CZK\">1.00</Amt><CdtDbtInd>CRD</CdtDbtInd><BookgDt><Dt>2025-01-02</Dt></BookgDt></Ntry>";
    let no_date = "<Ntry><Amt Ccy=\"CZK\">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></Ntry>";
    let bad_date = "<Ntry><Amt Ccy=\"CZK\">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2025-02-30</Dt></BookgDt></Ntry>";
    let xml = document(
        "02",
        &(statement("S1", 5, &[(3, bad_direction)])
            + &statement("S2", 20, &[(4, no_date), (17, bad_amount), (18, bad_date)])),
    );
    let error = camt053::parse(xml.as_bytes()).unwrap_err();
    let found: Vec<(String, &str)> = error
        .issues
        .iter()
        .map(|i| (i.location.to_string(), i.field.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/CdtDbtInd".to_owned(),
                "CdtDbtInd"
            ),
            (
                "Document/BkToCstmrStmt/Stmt[2]/Ntry[4]/BookgDt".to_owned(),
                "BookgDt"
            ),
            (
                "Document/BkToCstmrStmt/Stmt[2]/Ntry[17]/Amt".to_owned(),
                "Amt"
            ),
            (
                "Document/BkToCstmrStmt/Stmt[2]/Ntry[18]/BookgDt/Dt".to_owned(),
                "Dt"
            ),
        ]
    );
    assert_eq!(
        error.issues[2].problem,
        "expected a decimal number like 1500.00, found \"12,50\""
    );
    assert!(
        error
            .to_string()
            .contains("Stmt[2]/Ntry[17]/Amt, Amt: expected a decimal number")
    );
}

#[test]
fn all_supported_versions_and_no_others() {
    for version in 2..=8 {
        let xml = document(&format!("{version:02}"), &statement("S", 2, &[]));
        let statements =
            camt053::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(statements[0].items.len(), 2);
    }
    let newer = camt053::parse(document("09", &statement("S", 1, &[])).as_bytes()).unwrap_err();
    assert!(
        newer.issues[0].problem.contains("unsupported version"),
        "{newer}"
    );
    let other = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.02\"><BkToCstmrAcctRpt/></Document>";
    let error = camt053::parse(other.as_bytes()).unwrap_err();
    assert!(
        error.issues[0].problem.contains("expected the namespace"),
        "{error}"
    );
    let html = parse_statement(b"<html><body/></html>").unwrap_err();
    assert_eq!(html.format, Some(Format::Camt053));
}

#[test]
fn prefixed_namespace_and_empty_statement_file() {
    let xml = "<c:Document xmlns:c=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04\"><c:BkToCstmrStmt>\
        <c:Stmt><c:Id>P</c:Id><c:Acct><c:Id><c:IBAN>CZ4203000000001234567899</c:IBAN></c:Id></c:Acct>\
        <c:Ntry><c:Amt Ccy=\"CZK\">5</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:BookgDt><c:Dt>2025-01-02</c:Dt></c:BookgDt></c:Ntry>\
        </c:Stmt></c:BkToCstmrStmt></c:Document>";
    let statements = camt053::parse(xml.as_bytes()).unwrap();
    assert_eq!(statements[0].items[0].amount_halere, 500);
    assert!(camt053::parse(document("02", "").as_bytes()).is_err());
}

#[test]
fn statement_and_batch_problems() {
    let no_account = document("02", "<Stmt><Id>X</Id></Stmt>");
    let error = camt053::parse(no_account.as_bytes()).unwrap_err();
    assert_eq!(
        error.issues[0].location,
        Location::XmlPath("Document/BkToCstmrStmt/Stmt[1]/Acct".into())
    );

    let batch = "<Ntry><Amt Ccy=\"CZK\">3.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2025-01-02</Dt></BookgDt>\
        <NtryDtls><TxDtls><Amt Ccy=\"CZK\">1.00</Amt></TxDtls><TxDtls><Amt Ccy=\"CZK\">1.00</Amt></TxDtls></NtryDtls></Ntry>";
    let error =
        camt053::parse(document("05", &statement("S", 2, &[(2, batch)])).as_bytes()).unwrap_err();
    assert_eq!(
        error.issues[0].location.to_string(),
        "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/NtryDtls"
    );
    assert!(
        error.issues[0]
            .problem
            .contains("add up to 200 haléř, the entry Amt is 300"),
        "{error}"
    );
}

/// Symbols a bank types in its own `Refs/Prtry` references; other proprietary types are the
/// bank's own numbers, and a "VS" longer than ten digits is no variable symbol.
#[test]
fn typed_proprietary_references_version_06() {
    let statements = parse_statement(V06_PRTRY).unwrap();
    let s = &statements[0];
    assert_eq!(s.balances_add_up(), Some(true));
    let first = &s.items[0];
    assert_eq!(symbols(first), (Some("2025005"), Some("77"), Some("558")));
    assert_eq!(first.end_to_end_id, None);
    assert_eq!(first.counter_name.as_deref(), Some("Řezníček Ondřej"));
    assert_eq!(first.message.as_deref(), Some("Známka pro psa"));
    assert_eq!(first.booked_on, date(2025, 5, 2));
    let second = &s.items[1];
    assert_eq!(symbols(second), (Some("1234567890"), None, None));
}
