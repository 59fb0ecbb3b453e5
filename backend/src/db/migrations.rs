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
