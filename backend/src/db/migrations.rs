//! Numbered schema migrations, embedded in the binary and tracked in `PRAGMA user_version`.
//!
//! Append a new file to `backend/migrations/` and to [`MIGRATIONS`]; never edit a released one.
//! All pending migrations run in one transaction: a failure leaves the database as it was.

use super::DbError;
use rusqlite::Connection;
use std::path::Path;

pub const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_core.sql"),
    include_str!("../../migrations/0002_payments_notifications.sql"),
    include_str!("../../migrations/0003_oidc_logins.sql"),
    include_str!("../../migrations/0004_linking_step_up.sql"),
    include_str!("../../migrations/0005_payments_ledger.sql"),
    include_str!("../../migrations/0006_card_payments.sql"),
    include_str!("../../migrations/0007_fees_registers.sql"),
    include_str!("../../migrations/0008_kiosks.sql"),
    include_str!("../../migrations/0009_payments_unmatched_index.sql"),
    include_str!("../../migrations/0010_payment_baskets.sql"),
    include_str!("../../migrations/0011_card_refunds.sql"),
    include_str!("../../migrations/0012_kiosk_handoffs.sql"),
    include_str!("../../migrations/0013_obligations_payer_index.sql"),
    include_str!("../../migrations/0014_check_lists_as_comparisons.sql"),
    include_str!("../../migrations/0015_allocations_as_history.sql"),
    include_str!("../../migrations/0016_payment_reversals.sql"),
];

pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), DbError> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(DbError::TooNew {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tracing::info!(migration = index + 1, "applying database migration");
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_database_reaches_the_current_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.sqlite3");
        let mut conn = Connection::open(&path).unwrap();
        migrate(&mut conn, &path).unwrap();
        let version: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        // Running again is a no-op.
        migrate(&mut conn, &path).unwrap();
    }

    /// A database migrated to `version` with a town, a citizen and their obligation 1 (1 Kč),
    /// plus `rows`, then upgraded to the current version.
    fn upgraded_from(version: usize, rows: &str) -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.sqlite3");
        let mut conn = Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for sql in &MIGRATIONS[..version] {
            tx.execute_batch(sql).unwrap();
        }
        tx.pragma_update(None, "user_version", version as u32)
            .unwrap();
        tx.execute_batch(
            "INSERT INTO towns (id, slug, name, ico, street, city, psc, bank_account, created_at)
             VALUES (1, 't', 'T', '00298760', 's', 'c', '51234', 'CZ65', 'now');
             INSERT INTO citizens (id, given_name, family_name, created_at, updated_at)
             VALUES (1, 'A', 'B', 'now', 'now');
             INSERT INTO obligations (id, town_id, payer_id, item, description, amount_halere,
                                      due_date, variable_symbol, created_at)
             VALUES (1, 1, 1, 'x', 'X', 100, '2026-01-01', '1', 'now');",
        )
        .unwrap();
        tx.execute_batch(rows).unwrap();
        tx.commit().unwrap();
        migrate(&mut conn, &path).unwrap();
        (dir, conn)
    }

    /// Migration 14 rewrote the hot tables' `IN (…)` CHECK constraints as comparisons: none
    /// is left, and they still refuse what they refused, in a database upgraded from version
    /// 13 with rows in it as in a new one.
    #[test]
    fn status_checks_are_comparisons_and_still_refuse_unknown_values() {
        let (_dir, conn) = upgraded_from(13, "");

        // (`payments.state` keeps its list of two: SQLite compares two values directly.)
        for (table, list) in [
            ("obligations", "status IN ("),
            ("payments", "source IN ("),
            ("card_payments", "status IN ("),
        ] {
            let sql: String = conn
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(!sql.contains(list), "{table}: {sql}");
        }
        let refused = |sql: &str| {
            let error = conn.execute(sql, []).unwrap_err().to_string();
            assert!(error.contains("CHECK constraint failed"), "{sql}: {error}");
        };
        refused("UPDATE obligations SET status = 'lost' WHERE id = 1");
        refused(
            "INSERT INTO payments (town_id, source, external_id, amount_halere, received_on,
                                   state, match_note, created_at)
             VALUES (1, 'cash', 'x', 100, '2026-01-01', 'matched', 'exact', 'now')",
        );
        refused(
            "INSERT INTO card_payments (town_id, payer_id, merchant_order_id, basket_key,
                                        amount_halere, status, created_at, updated_at)
             VALUES (1, 1, 'o', 'k', 100, 'stolen', 'now', 'now')",
        );
        conn.execute("UPDATE obligations SET status = 'paid' WHERE id = 1", [])
            .unwrap();
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
    }

    /// Migration 15 made a payment's share its own history event. A payment credited before
    /// it (its event in obligation_events) and one credited after it are each in the history
    /// once, in order, after the obligation's creation.
    #[test]
    fn payments_credited_before_and_after_migration_15_are_each_in_the_history_once() {
        use crate::payments::{credit, ledger, store};
        let (_dir, conn) = upgraded_from(
            14,
            "INSERT INTO obligation_events (obligation_id, at, event, amount_halere)
             VALUES (1, '2026-01-01T08:00:00+00:00', 'created', 100);
             INSERT INTO payments (id, town_id, source, external_id, amount_halere, received_on,
                                   state, match_note, created_at)
             VALUES (1, 1, 'bank', 'a', 100, '2026-01-02', 'matched', 'partial',
                     '2026-01-02T09:00:00.000Z');
             INSERT INTO payment_allocations (payment_id, obligation_id, amount_halere, created_at)
             VALUES (1, 1, 100, '2026-01-02T09:00:00.000Z');
             INSERT INTO obligation_events (obligation_id, at, event, amount_halere, payment_id,
                                            note)
             VALUES (1, '2026-01-02T09:00:00.000Z', 'payment', 100, 1, 'partial');",
        );

        conn.execute(
            "INSERT INTO payments (id, town_id, source, external_id, amount_halere, received_on,
                                   state, match_note, created_at)
             VALUES (2, 1, 'manual', 'b', 200, '2026-01-03', 'matched', 'exact',
                     '2026-01-03T10:00:00+00:00')",
            [],
        )
        .unwrap();
        let allocation = ledger::Allocation {
            note: ledger::Note::Exact,
            parts: vec![(1, 200)],
        };
        let staff = credit::Actor {
            citizen_id: Some(1),
            reason: Some("cash at the counter"),
        };
        credit::record_allocation(
            &conn,
            2,
            &allocation,
            "manual_payment",
            staff,
            "2026-01-03T10:00:00+00:00",
        )
        .unwrap();

        let detail = store::obligation_detail(&conn, 1, 1, 1).unwrap().unwrap();
        let history: Vec<_> = detail
            .history
            .iter()
            .map(|e| (e.event.as_str(), e.amount_halere, e.note.as_deref()))
            .collect();
        assert_eq!(
            history,
            [
                ("created", Some(100), None),
                ("payment", Some(100), Some("partial")),
                ("manual_payment", Some(200), Some("cash at the counter")),
            ]
        );
    }

    #[test]
    fn a_newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.sqlite3");
        let mut conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let err = migrate(&mut conn, &path).unwrap_err();
        assert!(matches!(err, DbError::TooNew { .. }), "{err}");
    }
}
