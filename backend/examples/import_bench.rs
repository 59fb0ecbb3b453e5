//! Importing and matching a 100 000-item bank statement (issue #5: ≤ 1 s, ≤ 100 MB peak).
//!
//! Seeds the demo town, adds N obligations with distinct variable symbols, writes an ABO/GPC
//! statement paying each of them, then times `payments::import::import` (parse, match, write,
//! commit) and reads the process's peak memory (VmHWM) before and after.
//!
//! `cargo run --release -p portal-backend --example import_bench [N]`

use portal_backend::config::Config;
use portal_backend::payments::import;
use portal_backend::startup::Application;
use std::fmt::Write;
use std::time::Instant;

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The demo town's account (19-2000145399/0800) as ABO writes it.
const ACCOUNT: &str = "0000192000145399";

fn statement(n: usize) -> Vec<u8> {
    let amount = 50_000i64;
    let total = amount * n as i64;
    let mut text = String::with_capacity(n * 130 + 130);
    let _ = write!(
        text,
        "074{ACCOUNT}{:<20}311225{:014}+{:014}+{:014}0{:014}0001150126{:14}\r\n",
        "Obec Dolni Lhota", 0, total, 0, total, ""
    );
    for i in 0..n {
        let _ = write!(
            text,
            "075{ACCOUNT}0000351000345679{:013}{amount:012}2{:010}0008000308{:010}150126{:<20}00203150126\r\n",
            i + 1,
            9_000_000 + i,
            0,
            "Platce Poplatku"
        );
    }
    text.into_bytes()
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().to_owned(),
        demo: true,
        ..Config::default()
    };
    let app = Application::build(config).await.expect("app builds");
    let db = app.state().db.clone();
    db.write(move |tx| {
        let town: i64 = tx.query_row("SELECT id FROM towns", [], |r| r.get(0))?;
        let payer: i64 = tx.query_row("SELECT id FROM citizens LIMIT 1", [], |r| r.get(0))?;
        let mut insert = tx.prepare(
            "INSERT INTO obligations (town_id, payer_id, item, description, period, amount_halere,
                                      due_date, variable_symbol, created_at)
             VALUES (?1, ?2, 'waste_fee', 'Poplatek za odpady', '2026', 50000, '2026-03-31', ?3,
                     '2026-01-01T00:00:00Z')",
        )?;
        for i in 0..n {
            insert.execute(rusqlite::params![town, payer, (9_000_000 + i).to_string()])?;
        }
        Ok::<_, portal_backend::db::DbError>(())
    })
    .await
    .unwrap();
    let bytes = statement(n);
    let size_mb = bytes.len() as f64 / 1e6;
    let began = Instant::now();
    let parsed = payment_formats::parse_statement(&bytes).unwrap();
    println!("parsing alone: {:.3} s", began.elapsed().as_secs_f64());
    drop(parsed);
    let before = peak_kib();
    let began = Instant::now();
    let (_, report) = db
        .write(move |tx| import::import(tx, &bytes, None, None))
        .await
        .unwrap();
    let took = began.elapsed();
    let after = peak_kib();
    assert_eq!(report.credited, n, "{report:?}");
    println!(
        "ABO statement, {n} items ({size_mb:.1} MB): parsed, matched, written and committed in {:.3} s",
        took.as_secs_f64()
    );
    println!(
        "peak memory (VmHWM): {:.1} MB before the import, {:.1} MB after (target ≤ 100 MB)",
        before as f64 / 1024.0,
        after as f64 / 1024.0
    );
}
