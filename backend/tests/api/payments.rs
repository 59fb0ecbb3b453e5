//! Obligations and bank statements on the demo town: Jana's obligations, QR Platba, a statement
//! uploaded by Marie (official for payments) and matched by variable symbol, the unmatched queue,
//! imports repeated, a broken file refused whole, and the command-line import.

use crate::helpers::{TestApp, error_body, spawn_app};
use serde_json::Value;

/// The demo town's account (19-2000145399/0800) as an ABO file writes it.
const TOWN_ACCOUNT: &str = "0000192000145399";

/// An ABO/GPC statement for the demo town with credits (amount in haléř, VS, SS).
pub(crate) fn abo(number: u32, credits: &[(i64, &str, &str)]) -> Vec<u8> {
    let total: i64 = credits.iter().map(|c| c.0).sum();
    let mut text = format!(
        "074{TOWN_ACCOUNT}{:<20}311225{:014}+{:014}+{:014}0{:014}0{number:03}150126{:14}\r\n",
        "Obec Dolni Lhota", 0, total, 0, total, ""
    );
    for (i, (amount, vs, ss)) in credits.iter().enumerate() {
        text.push_str(&format!(
            "075{TOWN_ACCOUNT}0000351000345679{:013}{amount:012}2{vs:0>10}0008000308{ss:0>10}150126{:<20}00203150126\r\n",
            number as usize * 1000 + i + 1,
            "Novakova Jana",
        ));
    }
    text.into_bytes()
}

pub(crate) async fn jana_and_marie() -> (TestApp, TestApp) {
    let mut jana = spawn_app().await;
    jana.login_as("jana").await;
    let mut marie = jana.another_browser();
    marie.login_as("marie").await;
    (jana, marie)
}

pub(crate) async fn obligations(app: &TestApp) -> Value {
    app.get_json("/api/payments/obligations").await
}

/// Jana's unpaid obligations: (id, variable symbol, amount).
pub(crate) async fn unpaid(app: &TestApp) -> Vec<(i64, String, i64)> {
    obligations(app).await["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["status"] == "unpaid")
        .map(|o| {
            (
                o["id"].as_i64().unwrap(),
                o["variable_symbol"].as_str().unwrap().to_owned(),
                o["amount_halere"].as_i64().unwrap(),
            )
        })
        .collect()
}

pub(crate) async fn upload(app: &TestApp, bytes: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url("/api/staff/payments/statements"))
        .header("X-CSRF-Token", app.csrf.clone().unwrap())
        .header("Content-Type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_citizen_sees_her_obligations_totals_and_a_qr_platba() {
    let (jana, marie) = jana_and_marie().await;
    let list = obligations(&jana).await;
    assert_eq!(list["obligations"].as_array().unwrap().len(), 3);
    assert_eq!(list["owed_halere"], 150_000);
    let (id, vs, _) = unpaid(&jana).await[0].clone();
    let detail = jana
        .get_json(&format!("/api/payments/obligations/{id}"))
        .await;
    let spayd = detail["spayd"].as_str().unwrap();
    assert!(
        spayd.starts_with("SPD*1.0*ACC:CZ6508000000192000145399*"),
        "{spayd}"
    );
    assert!(spayd.contains(&format!("X-VS:{vs}")), "{spayd}");
    assert!(spayd.contains("*CRC32:"), "{spayd}");
    let svg = jana
        .get(&format!("/api/payments/obligations/{id}/qr/svg"))
        .await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    let png = jana
        .get(&format!("/api/payments/obligations/{id}/qr/png"))
        .await;
    assert_eq!(png.headers()["content-type"], "image/png");
    assert_eq!(&png.bytes().await.unwrap()[..4], b"\x89PNG");
    // Someone else's obligation does not exist for Marie.
    error_body(
        marie.get(&format!("/api/payments/obligations/{id}")).await,
        404,
    )
    .await;
    error_body(
        marie
            .get(&format!("/api/payments/obligations/{id}/qr/png"))
            .await,
        404,
    )
    .await;
}

#[tokio::test]
async fn a_statement_is_matched_by_variable_symbol_once_however_often_it_comes() {
    let (jana, marie) = jana_and_marie().await;
    let open = unpaid(&jana).await;
    let (first, second) = (&open[0], &open[1]);
    let file = abo(
        1,
        &[
            (first.2, &first.1, ""),       // exactly what is owed
            (second.2 / 2, &second.1, ""), // half
            (12_300, "999999", ""),        // nobody's symbol
        ],
    );
    let response = upload(&marie, file.clone()).await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(
        (
            report["format"].as_str(),
            report["credited"].as_u64(),
            report["unmatched"].as_u64()
        ),
        (Some("abo"), Some(2), Some(1)),
        "{report}"
    );
    let detail = jana
        .get_json(&format!("/api/payments/obligations/{}", first.0))
        .await;
    assert_eq!(detail["obligation"]["status"], "paid");
    assert_eq!(detail["payments"][0]["matched_by"], "exact");
    assert_eq!(detail["spayd"], Value::Null, "nothing left to pay");
    let half = jana
        .get_json(&format!("/api/payments/obligations/{}", second.0))
        .await;
    assert_eq!(half["obligation"]["status"], "partly_paid");
    assert_eq!(half["payments"][0]["matched_by"], "partial");

    let queue = marie.get_json("/api/staff/payments/unmatched").await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!(queue[0]["reason"], "unknown_symbol");
    assert_eq!(queue[0]["amount_halere"], 12_300);

    // The same file again: nothing happens.
    let again: Value = upload(&marie, file).await.json().await.unwrap();
    assert_eq!(again["already_imported"], true);
    // The same movements in another file (a monthly statement after the daily one): the
    // first two come again with the same bank ids, so nothing is credited twice.
    let monthly = abo(
        1,
        &[
            (first.2, &first.1, ""),
            (second.2 / 2, &second.1, ""),
            (12_300, "999999", ""),
            (second.2 - second.2 / 2, &second.1, ""),
        ],
    );
    let report: Value = upload(&marie, monthly).await.json().await.unwrap();
    assert_eq!(report["duplicates"], 3, "{report}");
    assert_eq!(report["credited"], 1, "{report}");
    let paid = jana
        .get_json(&format!("/api/payments/obligations/{}", second.0))
        .await;
    assert_eq!(paid["obligation"]["status"], "paid");
    assert_eq!(paid["obligation"]["paid_halere"], second.2);
    assert_eq!(obligations(&jana).await["owed_halere"], 0);
    jana.assert_database_consistent();
    // Each of Marie's three uploads is in the audit log under her name.
    let db = rusqlite::Connection::open(jana.data_path().join("portal.sqlite3")).unwrap();
    let audited: i64 = db
        .query_row(
            "SELECT count(*) FROM audit_log WHERE event = 'statement_imported'
               AND citizen_id = (SELECT id FROM citizens WHERE given_name = 'Marie')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 3);
}

#[tokio::test]
async fn a_broken_statement_is_refused_whole_with_its_lines_named() {
    let (jana, marie) = jana_and_marie().await;
    let open = unpaid(&jana).await;
    let mut file = abo(2, &[(open[0].2, &open[0].1, ""), (100, "1", "")]);
    // Spoil the second item's amount (line 3).
    let text = String::from_utf8(file.clone()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    let mut bad = lines[2].to_owned();
    bad.replace_range(48..60, "00000000X100");
    file = [lines[0], lines[1], &bad, ""].join("\r\n").into_bytes();
    let error = error_body(upload(&marie, file).await, 422).await;
    let field = error["fields"][0]["field"].as_str().unwrap();
    assert!(field.starts_with("line 3"), "{error}");
    // Nothing of it was imported, not even the good first line.
    assert_eq!(unpaid(&jana).await.len(), 2);
    assert_eq!(
        marie.get_json("/api/staff/payments/unmatched").await,
        serde_json::json!([])
    );
    // Another town's statement is refused too.
    let other = String::from_utf8(abo(3, &[(100, "1", "")]))
        .unwrap()
        .replace(TOWN_ACCOUNT, "0000001234567899");
    let error = error_body(upload(&marie, other.into_bytes()).await, 422).await;
    assert_eq!(error["fields"][0]["field"], "account");
    jana.assert_database_consistent();
}

#[tokio::test]
async fn citizens_cannot_upload_statements() {
    let (jana, _marie) = jana_and_marie().await;
    let response = upload(&jana, abo(4, &[(100, "1", "")])).await;
    assert_eq!(response.status(), 403);
    error_body(jana.get("/api/staff/payments/unmatched").await, 403).await;
}

#[tokio::test]
async fn the_command_line_imports_a_statement_beside_the_running_server() {
    let (jana, _marie) = jana_and_marie().await;
    let open = unpaid(&jana).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vypis.gpc");
    std::fs::write(&file, abo(5, &[(open[0].2, &open[0].1, "")])).unwrap();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_portal-backend"))
            .arg("import-statement")
            .arg(&file)
            .env("PORTAL_DATA_DIR", jana.data_path())
            .output()
            .unwrap()
    };
    let output = run();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 credited"), "{stdout}");
    assert_eq!(unpaid(&jana).await.len(), 1);
    // Audited like an upload, with no staff member but the command line named.
    let db = rusqlite::Connection::open(jana.data_path().join("portal.sqlite3")).unwrap();
    let (citizen, detail): (Option<i64>, String) = db
        .query_row(
            "SELECT citizen_id, detail FROM audit_log WHERE event = 'statement_imported'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(citizen, None);
    assert!(
        detail.contains("1 credited") && detail.contains("command line"),
        "{detail}"
    );
    let again = run();
    assert!(String::from_utf8_lossy(&again.stdout).contains("imported before"));

    std::fs::write(&file, b"074garbage\r\n").unwrap();
    let broken = run();
    assert!(!broken.status.success());
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("nothing imported") && stderr.contains("line 1"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_long_statement_writes_every_share_and_its_history() {
    // More credits than the import writes in one batch (32), and not a multiple of it.
    let (jana, marie) = jana_and_marie().await;
    let open = unpaid(&jana).await;
    let (id, vs, _) = &open[0];
    let credits: Vec<(i64, &str, &str)> = (0..75).map(|_| (100, vs.as_str(), "")).collect();
    let report: Value = upload(&marie, abo(7, &credits)).await.json().await.unwrap();
    assert_eq!(report["credited"], 75, "{report}");
    let detail = jana
        .get_json(&format!("/api/payments/obligations/{id}"))
        .await;
    assert_eq!(detail["obligation"]["paid_halere"], 7_500, "{detail}");
    assert_eq!(detail["payments"].as_array().unwrap().len(), 75);
    let payments_in_history = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "payment" && e["amount_halere"] == 100)
        .count();
    assert_eq!(payments_in_history, 75, "{detail}");
    jana.assert_database_consistent();
}

#[tokio::test]
async fn a_camt053_statement_is_imported_and_matched_too() {
    let (jana, marie) = jana_and_marie().await;
    let open = unpaid(&jana).await;
    let (id, vs, amount) = &open[0];
    let czk = format!("{}.{:02}", amount / 100, amount % 100);
    // The demo town's account 19-2000145399/0800 as an IBAN.
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>T-1</MsgId><CreDtTm>2026-02-01T02:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>2026/1</Id><CreDtTm>2026-02-01T02:00:00+01:00</CreDtTm>
      <Acct><Id><IBAN>CZ6508000000192000145399</IBAN></Id><Ccy>CZK</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="CZK">0.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-31</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="CZK">{czk}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-02-01</Dt></Dt></Bal>
      <Ntry>
        <Amt Ccy="CZK">{czk}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-02-01</Dt></BookgDt>
        <AcctSvcrRef>90001</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Pty><Nm>Nováková Jana</Nm></Pty></Dbtr></RltdPties>
          <RmtInf><Strd><CdtrRefInf><Ref>VS:{vs}</Ref></CdtrRefInf></Strd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#
    );
    let response = upload(&marie, xml.clone().into_bytes()).await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(
        (report["format"].as_str(), report["credited"].as_u64()),
        (Some("camt053"), Some(1)),
        "{report}"
    );
    let detail = jana
        .get_json(&format!("/api/payments/obligations/{id}"))
        .await;
    assert_eq!(detail["obligation"]["status"], "paid", "{detail}");
    let again: Value = upload(&marie, xml.into_bytes()).await.json().await.unwrap();
    assert_eq!(again["already_imported"], true);
    jana.assert_database_consistent();
}
