//! Parse time and peak memory for a 100 000-item statement in each format:
//!
//! ```sh
//! cargo run --release -p payment-formats --example bench_import [ITEMS]
//! cargo run --release -p payment-formats --example bench_import generate DIR [ITEMS]
//! cargo run --release -p payment-formats --example bench_import parse FILE
//! ```
//!
//! The parent writes one ABO and one camt.053 file to a temporary folder, then runs itself once
//! per file (`bench_import parse FILE`), so that each peak resident size (VmHWM from
//! /proc/self/status) belongs to one parse: it includes the file's bytes and the parsed items.
//!
//! Measured 2026-11-27 on the 2-vCPU development VM while another cargo build ran (load 1.5-3.3):
//! ABO 13.0 MB, parse 0.17-0.31 s (one outlier 0.44 s), VmHWM 14 MB after reading, 70 MB after
//! parsing; camt.053 79.6 MB, parse 0.71-0.97 s, VmHWM 78 MB -> 146 MB. For scale, quick-xml's
//! bare event loop over the same camt.053 file took 0.27-0.37 s there; callgrind counts 51 600
//! instructions per camt.053 entry in `parse_statement`, about 22 000 of them in quick-xml.

use payment_formats::{Statement, parse_statement};
use std::fmt::Write as _;
use std::time::Instant;

const NAMES: [&str; 6] = [
    "Nováková Jana",
    "Dvořák Tomáš",
    "Šťastný Řehoř",
    "Černá Marie",
    "Žďárský Ondřej",
    "Kůň Luboš",
];

fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn abo(items: usize) -> Vec<u8> {
    let mut text = String::with_capacity(items * 130 + 130);
    let total: u64 = (0..items as u64).map(|i| 10_000 + i % 90_000).sum();
    let header = format!(
        "0740000001234567899{:<20}311224{:014}+{:014}+{:014}0{:014}0001310125{:14}",
        "Obec Dolní Lhota", 0, total, 0, total, ""
    );
    text.push_str(&header);
    text.push_str("\r\n");
    for i in 0..items as u64 {
        let name = NAMES[(i % 6) as usize];
        let _ = write!(
            text,
            "07500000012345678990000351000345679{:013}{:012}2{:010}0008000308{:010}150125{:<20}00203150125\r\n",
            i + 1,
            10_000 + i % 90_000,
            2_025_000_000 + i,
            i % 1000,
            name,
        );
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1250.encode(&text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn camt(items: usize) -> Vec<u8> {
    let mut xml = String::with_capacity(items * 900 + 1000);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\
         <BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2025-02-01T06:00:00</CreDtTm></GrpHdr>\n<Stmt><Id>BENCH-1</Id>\
         <Acct><Id><IBAN>CZ4203000000001234567899</IBAN></Id><Ccy>CZK</Ccy></Acct>\n\
         <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"CZK\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-01-01</Dt></Dt></Bal>\n",
    );
    for i in 0..items as u64 {
        let amount = 10_000 + i % 90_000;
        let name = NAMES[(i % 6) as usize];
        let _ = write!(
            xml,
            "<Ntry>\n  <Amt Ccy=\"CZK\">{}.{:02}</Amt>\n  <CdtDbtInd>CRDT</CdtDbtInd>\n  <Sts>BOOK</Sts>\n  \
             <BookgDt><Dt>2025-01-{:02}</Dt></BookgDt>\n  <ValDt><Dt>2025-01-{:02}</Dt></ValDt>\n  \
             <AcctSvcrRef>0300-{i:010}</AcctSvcrRef>\n  <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>\n  \
             <NtryDtls><TxDtls>\n    <Refs><EndToEndId>/VS{}/SS{}/KS0308</EndToEndId></Refs>\n    \
             <AmtDtls><TxAmt><Amt Ccy=\"CZK\">{}.{:02}</Amt></TxAmt></AmtDtls>\n    \
             <RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>CZ8408000000351000345679</IBAN></Id></DbtrAcct></RltdPties>\n    \
             <RltdAgts><DbtrAgt><FinInstnId><BIC>GIBACZPX</BIC></FinInstnId></DbtrAgt></RltdAgts>\n    \
             <RmtInf><Ustrd>Poplatek za odpady 2025 – {name}</Ustrd></RmtInf>\n  </TxDtls></NtryDtls>\n</Ntry>\n",
            amount / 100,
            amount % 100,
            1 + i % 28,
            1 + i % 28,
            2_025_000_000 + i,
            i % 1000,
            amount / 100,
            amount % 100,
        );
    }
    xml.push_str("</Stmt></BkToCstmrStmt></Document>\n");
    xml.into_bytes()
}

fn parse_child(path: &str) {
    let bytes = std::fs::read(path).expect("read the generated file");
    let before = vm_hwm_kib();
    let start = Instant::now();
    let statements: Vec<Statement> = parse_statement(&bytes).expect("the generated file parses");
    let elapsed = start.elapsed();
    let after = vm_hwm_kib();
    let items: usize = statements.iter().map(|s| s.items.len()).sum();
    let sum: i64 = statements
        .iter()
        .flat_map(|s| &s.items)
        .map(|i| i.amount_halere)
        .sum();
    let ids: std::collections::HashSet<&str> = statements
        .iter()
        .flat_map(|s| &s.items)
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(ids.len(), items, "ids are unique");
    println!(
        "{:<8} {:>7} items  {:>6.1} MB input  parse {:>6.0} ms  ({:.2} µs/item)  VmHWM {:>4} MB after reading, {:>4} MB after parsing  (sum {} haléř)",
        format!("{}:", statements[0].format),
        items,
        bytes.len() as f64 / 1e6,
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_secs_f64() * 1e6 / items as f64,
        before / 1024,
        after / 1024,
        sum,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "parse" {
        parse_child(&args[2]);
        return;
    }
    // `bench_import generate DIR [ITEMS]` only writes the files (e.g. to profile one parse).
    let keep = args.len() >= 3 && args[1] == "generate";
    let items: usize = args
        .get(if keep { 3 } else { 1 })
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = if keep {
        std::path::PathBuf::from(&args[2])
    } else {
        std::env::temp_dir().join(format!("bench_import_{}", std::process::id()))
    };
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let files = [
        (dir.join("statement.gpc"), abo(items)),
        (dir.join("statement.xml"), camt(items)),
    ];
    println!(
        "{} items per file; StatementItem is {} bytes before its strings",
        items,
        std::mem::size_of::<payment_formats::StatementItem>()
    );
    for (path, bytes) in &files {
        std::fs::write(path, bytes).expect("write the generated file");
    }
    if keep {
        return;
    }
    let me = std::env::current_exe().expect("own path");
    for (path, _) in &files {
        let status = std::process::Command::new(&me)
            .arg("parse")
            .arg(path)
            .status()
            .expect("run the parse");
        assert!(status.success());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
