//! The connection settings a statement import writes under, and back as they were afterwards
//! (on errors and panics too: the connection serves other requests next).
//!
//! Neither changes what the import writes; `tests/api/payments.rs` checks its rows with
//! SQLite's own `foreign_key_check` and `integrity_check` after every kind of import.
//!
//! - `foreign_keys`: every payment, allocation and history row would look up its parents (the
//!   town, the import, the payment, the obligation: six searches per credit, ~10 % of the
//!   import). The import writes only parents it holds: the town and the obligations it read
//!   and the import record and payments it wrote, all in its one `BEGIN IMMEDIATE` transaction,
//!   in which nobody else can delete them; and the uploading official, whose session was
//!   checked just before (citizens are never deleted). The pragma works only outside a
//!   transaction, so the import opens its own.
//! - `cache_size`: the payments' unique index is keyed by a hash, so its pages are written in
//!   random order; with the default 2 MB cache SQLite wrote them out to the WAL and read them
//!   back over and over (100 000 page writes and reads for 100 000 items, seen with strace).
//!   8, 12 and 24 MB import 100 000 items equally fast (within this VM's noise); 12 MB keeps
//!   the import's peak at ~85 MB.
//!
//! Changing `foreign_keys` expires prepared statements, so the connection's cached ones are
//! compiled again, with the checks, when next used.
//!
//! CHECK constraints stay on: since migration 14 they compare values instead of building a
//! temporary table per row, and cost the import about 3 % (it ran without them before).

use super::ImportError;
use rusqlite::Connection;

/// Pages kept in memory during an import, in KiB (a negative `cache_size`).
const IMPORT_CACHE_KIB: i64 = 12 * 1024;

pub(super) struct ImportPragmas<'c> {
    conn: &'c Connection,
    foreign_keys: bool,
    cache_size: i64,
}

impl<'c> ImportPragmas<'c> {
    /// Fails when `conn` is in a transaction: `foreign_keys` cannot change there.
    pub(super) fn new(conn: &'c Connection) -> Result<Self, ImportError> {
        if !conn.is_autocommit() {
            return Err(ImportError::InTransaction);
        }
        let pragmas = ImportPragmas {
            conn,
            foreign_keys: conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?,
            cache_size: conn.pragma_query_value(None, "cache_size", |r| r.get(0))?,
        };
        conn.pragma_update(None, "foreign_keys", false)?;
        conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
        Ok(pragmas)
    }
}

impl Drop for ImportPragmas<'_> {
    fn drop(&mut self) {
        // An import that failed (or panicked) is undone first: `foreign_keys` can only be
        // restored outside a transaction.
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        let restored = self
            .conn
            .pragma_update(None, "foreign_keys", self.foreign_keys)
            .and_then(|_| self.conn.pragma_update(None, "cache_size", self.cache_size))
            // Inside a transaction (a ROLLBACK that failed) SQLite ignores `foreign_keys`
            // without an error: read it back.
            .and_then(|_| {
                self.conn
                    .pragma_query_value(None, "foreign_keys", |r| r.get::<_, bool>(0))
            });
        match restored {
            Ok(on) if on == self.foreign_keys && self.conn.is_autocommit() => {}
            Ok(_) => tracing::error!(
                "after an import the connection is still in a transaction with foreign keys \
                 off; restart the portal"
            ),
            Err(error) => {
                tracing::error!(%error, "cannot restore the connection's pragmas after an import")
            }
        }
    }
}
