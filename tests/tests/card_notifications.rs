//! Card notifications and kill -9: the backend is killed while 16 senders post signed `paid`
//! notifications; after a restart every notification it answered 200 is credited (once), and
//! the gateway's retries of the rest credit those once too.

use gateway_sim::protocol::sign::sign_notification;
use portal_tests::Backend;
use serde_json::json;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MERCHANT: &str = "dolni-lhota";
const SECRET: &str = "kill-test-secret-0123456789";
const PAYMENTS: usize = 3000;
const SENDERS: usize = 16;
const AMOUNT: i64 = 10_000;

/// The demo town with a gateway configured; nothing listens at its address (the portal only
/// receives here, and its poller never finds an attempt due).
fn start(data: &std::path::Path) -> Backend {
    Backend::start_with_env(
        data,
        &["--demo"],
        &[
            ("PORTAL_DEMO_GATEWAY_URL", "http://127.0.0.1:9"),
            ("PORTAL_DEMO_GATEWAY_SECRET", SECRET),
        ],
    )
}

fn payment_id(i: usize) -> String {
    format!("pay_{i:024x}")
}

/// Card payment attempts for Jana, as if started and paid at the gateway.
fn seed(db: &std::path::Path) {
    let mut conn = rusqlite::Connection::open(db).unwrap();
    let tx = conn.transaction().unwrap();
    let jana: i64 = tx
        .query_row(
            "SELECT id FROM citizens WHERE given_name = 'Jana'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for i in 0..PAYMENTS {
        tx.execute(
            "INSERT INTO obligations (town_id, payer_id, item, description, amount_halere,
                                      due_date, variable_symbol, status, created_at)
             VALUES (1, ?1, 'fine', 'Pokuta', ?2, '2026-12-31', ?3, 'unpaid', 'now')",
            rusqlite::params![jana, AMOUNT, format!("99{i:06}")],
        )
        .unwrap();
        let obligation = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO card_payments (town_id, payer_id, merchant_order_id, basket_key,
                                        gateway_payment_id, amount_halere, created_at, updated_at)
             VALUES (1, ?1, ?2, 'kill', ?3, ?4, '2099-01-01T00:00:00.000Z', 'now')",
            rusqlite::params![jana, format!("kill-{i}"), payment_id(i), AMOUNT],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO card_payment_items VALUES (?1, ?2, ?3)",
            rusqlite::params![tx.last_insert_rowid(), obligation, AMOUNT],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// Posts payment `i`'s `paid` notification; `Some(status)` when an answer came.
fn notify(client: &reqwest::blocking::Client, url: &str, i: usize, nonce: &str) -> Option<u16> {
    let body = serde_json::to_vec(&json!({
        "event_id": format!("{}.v2", payment_id(i)), "payment_id": payment_id(i),
        "merchant_order_id": format!("kill-{i}"), "status": "paid", "version": 2,
        "amount_halere": AMOUNT, "refunded_halere": 0,
        "paid_at": "2026-01-01T00:00:00Z", "changed_at": "2026-01-01T00:00:00Z",
    }))
    .unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signed = sign_notification(MERCHANT, SECRET.as_bytes(), &body, now, nonce);
    let mut request = client
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    for (name, value) in signed.pairs() {
        request = request.header(name, value);
    }
    request.send().ok().map(|r| r.status().as_u16())
}

/// (card payments, their allocations, obligations credited other than exactly once)
fn ledger(db: &std::path::Path) -> (i64, i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let one = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        one("SELECT count(*) FROM payments WHERE source = 'card'"),
        one(
            "SELECT count(*) FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
             WHERE p.source = 'card'",
        ),
        one(
            "SELECT count(*) FROM obligations WHERE variable_symbol LIKE '99%'
               AND paid_halere NOT IN (0, amount_halere)",
        ),
    )
}

fn credited(db: &std::path::Path) -> HashSet<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT external_id FROM payments WHERE source = 'card'")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn no_acknowledged_card_notification_is_lost_to_kill_9() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("portal.sqlite3");
    // The first start creates the database with the demo town; Jana's attempts go in while it
    // is stopped.
    start(data.path()).signal(15);
    seed(&db);

    let backend = start(data.path());
    let url = backend.url("/api/payments/card/notify");
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let down = Arc::new(AtomicBool::new(false));
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let (next, acked, down, url) = (next.clone(), acked.clone(), down.clone(), url.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::new();
                while !down.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= PAYMENTS {
                        return;
                    }
                    match notify(&client, &url, i, &format!("kill-nonce-{sender:02}-{i:08}")) {
                        Some(200) => acked.lock().unwrap().push(payment_id(i)),
                        Some(other) => panic!("notification {i} answered {other}"),
                        None => down.store(true, Ordering::Relaxed),
                    }
                }
            })
        })
        .collect();
    // Kill it in the middle of the burst.
    while acked.lock().unwrap().len() < PAYMENTS / 3 {
        std::thread::sleep(Duration::from_millis(2));
    }
    let killed = backend.signal(9);
    assert!(!killed.success());
    for sender in senders {
        sender.join().unwrap();
    }
    let acked: HashSet<String> = acked.lock().unwrap().iter().cloned().collect();
    assert!(
        acked.len() < PAYMENTS,
        "the kill came too late to test anything"
    );

    let backend = start(data.path());
    let after_restart = credited(&db);
    let lost: Vec<&String> = acked.difference(&after_restart).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged notifications lost",
        lost.len()
    );
    let (payments, allocations, wrong) = ledger(&db);
    assert_eq!((allocations, wrong), (payments, 0));
    println!(
        "{} of {PAYMENTS} acknowledged before kill -9, {} credited after the restart",
        acked.len(),
        after_restart.len()
    );

    // The gateway retries everything it has no 200 for (and some it has): all credited once.
    let client = reqwest::blocking::Client::new();
    let url = backend.url("/api/payments/card/notify");
    for i in 0..PAYMENTS {
        let status = notify(&client, &url, i, &format!("retry-nonce-{i:08}"));
        assert_eq!(status, Some(200), "retry {i}");
    }
    let total = PAYMENTS as i64;
    assert_eq!(ledger(&db), (total, total, 0));
}
