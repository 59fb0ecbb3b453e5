//! Importing and matching a 100 000-item bank statement (issue #5: ≤ 1 s, ≤ 100 MB peak).
//!
//! Seeds the demo town, adds N obligations with distinct variable symbols, writes an ABO/GPC
//! statement paying each of them, then times `payments::import::import` (parse, match, write,
//! commit) and reads the process's peak memory (VmHWM) before and after. Parsing alone is timed
//! after the import, so that its peak does not count as the import's. The allocator is the
//! server's (mimalloc).
//!
//! `cargo run --release -p portal-backend --example import_bench [N]`
//!
//! Measured 2026-11-27 on the shared 2-vCPU VM (load 1.4-5.6, other builds running), 100 000
//! items, this harness: before the streaming import and batched writes 2.7-4.5 s and 132-149 MB
//! peak; after 2.3-3.9 s and 70-72 MB (34-35 MB of it before the import). The time is noisy
//! here; callgrind over 20 000 items counts 3.04e9 instructions in `import` before, 2.26e9
//! after.
//!
//! Then (same day, load 8-10, so compare the import thread's CPU time, not the wall time; five
//! runs each, alternated): multi-row statements 3.14-4.04 s on CPU (median 3.51), peak 67 MB;
//! one row per statement without savepoint, CHECK lists or page-cache spills 2.03-2.73 s
//! (median 2.39), peak 86-89 MB (24 MB of page cache).
//!
//! Session 5 (same VM, 30 runs in three sets of ten): 0.74-1.32 s, median 1.06 s (the sets'
//! medians 1.06, 1.11 and 0.97 s), 13 of 30 runs at or under 1 s; peak 86-92 MB (37-39 MB of
//! it before the import). What changed: foreign-key checks off during the import (its own
//! transaction), duplicates found by the payment insert itself, SQLite built without its global
//! page-cache and memory-status mutexes, the payer index without `status`, CHECK lists as
//! comparisons (and CHECKs on again), the parser on a thread of its own, allocations and
//! history events 32 rows per statement, a 12 MB page cache, 16 KiB pages for new databases.
//! callgrind over 20 000 items: the importing thread 0.92e9 instructions and the parser's
//! 0.39e9, against 1.97e9 in one thread before (SHA-256 included, which callgrind runs without
//! the CPU's SHA instructions). Pinned to one CPU (`taskset -c 0`) the import took 1.6-1.9 s
//! (before the page size). The same binary varies by ±25 % from run to run here: compare
//! changes in paired, alternating runs.
//!
//! Session 6 (same VM): a payment's share is its own history event (migration 15), one row
//! and index entry less per credit. callgrind over 20 000 items: the importing thread 0.918e9
//! -> 0.849e9 instructions. 35 runs in three sets: 0.68-1.39 s, median 0.80 s (the sets'
//! medians 0.80, 0.75 and 0.97 s), 25 of 35 at or under 1 s; peak 86-92 MB. Paired and
//! alternated with the session 5 binary (25 pairs): median ratio 0.96; that binary's own
//! medians on the same day were 0.86 and 0.99 s.

use portal_backend::config::Config;
use portal_backend::payments::import;
use portal_backend::startup::Application;
use std::fmt::Write;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// This thread's time on a CPU and waiting in the run queue (ms), from schedstat.
fn cpu_ms() -> (f64, f64) {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut fields = text
        .split_whitespace()
        .map(|f| f.parse::<f64>().unwrap_or(0.0) / 1e6);
    (fields.next().unwrap_or(0.0), fields.next().unwrap_or(0.0))
}

fn peak_kib() -> u64 {
    status_kib("VmHWM:")
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
    let resident = status_kib("VmRSS:");
    let before = peak_kib();
    let began = Instant::now();
    let (_, report) = db
        .with_connection(move |conn| {
            let cpu = cpu_ms();
            let result = import::import(conn, &bytes, None, None);
            let cpu_after = cpu_ms();
            println!(
                "import thread: {:.0} ms on CPU, {:.0} ms waiting for a CPU",
                cpu_after.0 - cpu.0,
                cpu_after.1 - cpu.1
            );
            Ok(result)
        })
        .await
        .unwrap()
        .unwrap();
    let took = began.elapsed();
    let after = peak_kib();
    assert_eq!(report.credited, n, "{report:?}");
    println!(
        "ABO statement, {n} items ({size_mb:.1} MB): parsed, matched, written and committed in {:.3} s",
        took.as_secs_f64()
    );
    println!(
        "peak memory (VmHWM): {:.1} MB before the import (resident {:.1} MB), \
         {:.1} MB after (target ≤ 100 MB)",
        before as f64 / 1024.0,
        resident as f64 / 1024.0,
        after as f64 / 1024.0
    );
    let bytes = statement(n);
    let began = Instant::now();
    let parsed = payment_formats::parse_statement(&bytes).unwrap();
    println!(
        "parsing alone (after the import): {:.3} s",
        began.elapsed().as_secs_f64()
    );
    drop(parsed);
}
