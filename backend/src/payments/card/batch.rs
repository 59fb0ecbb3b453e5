//! Group commit for gateway messages: what arrives while one transaction is being written waits
//! and goes into the next one together. Every fsync then carries many notifications instead of
//! one (32 concurrent senders: see `tests/api/card_payments/bench.rs`), and each caller is
//! still answered only after the transaction holding its message committed (`synchronous` as
//! the pool has it: FULL, so an answered message survives kill -9 and power loss).
//!
//! The writer is a thread with a connection of its own, with SQLite's automatic checkpoint off:
//! a commit that crosses the checkpoint threshold otherwise copies the WAL into the database
//! and fsyncs that too before it returns, and the whole batch waited for it (measured: commits
//! of about 24 credits took 2.4 ms on average, most of it in such checkpoints). The writer
//! checkpoints itself, after answering, every [`CHECKPOINT_AFTER`] messages. Refused
//! notifications' audit rows go through the same writer, so they share its commits too.
//!
//! A message that fails (a database error) rolls its whole transaction back; the messages of
//! that batch are then applied one transaction each, so only the failing one is refused (and the
//! gateway retries it). A failed commit of a single message fails it alone.

use super::apply::{self, Outcome, View};
use crate::audit::{self, AuditEvent};
use crate::db::{Db, DbError};
use rusqlite::Connection;
use std::panic::AssertUnwindSafe;
use tokio::sync::{mpsc, oneshot};

/// At most this many messages in one transaction.
const MAX_BATCH: usize = 128;

/// Messages between two checkpoints: a few hundred WAL pages, copied in a few milliseconds.
const CHECKPOINT_AFTER: usize = 256;

/// What the writer stores.
#[derive(Debug, Clone)]
enum Message {
    /// What the gateway said, applied by [`apply::apply`].
    Gateway { town_id: i64, view: View },
    /// A notification refused for its signature: an audit row.
    Refused {
        town_id: i64,
        ip: String,
        detail: String,
    },
}

impl Message {
    fn store(&self, tx: &Connection) -> Result<Option<Outcome>, DbError> {
        match self {
            Message::Gateway { town_id, view } => apply::apply(tx, *town_id, view).map(Some),
            Message::Refused {
                town_id,
                ip,
                detail,
            } => {
                let event = AuditEvent {
                    event: "card_notification_refused",
                    town_id: Some(*town_id),
                    ip: Some(ip),
                    detail: Some(detail),
                    ..Default::default()
                };
                audit::record(tx, &event).map(|()| None)
            }
        }
    }
}

type Answer = Result<Option<Outcome>, String>;

struct Job {
    message: Message,
    done: oneshot::Sender<Answer>,
}

/// The queue in front of the writer; cheap to clone. The writer ends with the last handle.
#[derive(Clone, Debug)]
pub struct Batcher {
    jobs: mpsc::UnboundedSender<Job>,
}

impl Batcher {
    /// Starts the writer thread; called inside a tokio runtime (it asks `db` for the file).
    pub fn start(db: Db) -> Batcher {
        let (jobs, queue) = mpsc::unbounded_channel();
        let runtime = tokio::runtime::Handle::current();
        let spawned = std::thread::Builder::new()
            .name("card-writer".into())
            .spawn(move || {
                // The writer's connection is opened like the pool's, by one of the pool's threads.
                let opened = runtime.block_on(db.with_connection(open_like));
                drop(db);
                match opened {
                    Ok(conn) => write_forever(conn, queue),
                    // Dropping the queue fails every message (DbError::Task): the gateway retries.
                    Err(error) => tracing::error!(%error, "card payment writer cannot start"),
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "card payment writer thread cannot start");
        }
        Batcher { jobs }
    }

    /// Applies `view` ([`apply::apply`]) and returns once it is committed.
    pub async fn apply(&self, town_id: i64, view: View) -> Result<Outcome, DbError> {
        self.send(Message::Gateway { town_id, view })
            .await?
            .ok_or(DbError::Task)
    }

    /// Records a refused notification in the audit log; returns once it is committed.
    pub async fn refused(&self, town_id: i64, ip: String, detail: String) -> Result<(), DbError> {
        self.send(Message::Refused {
            town_id,
            ip,
            detail,
        })
        .await
        .map(|_| ())
    }

    async fn send(&self, message: Message) -> Result<Option<Outcome>, DbError> {
        let (done, answer) = oneshot::channel();
        self.jobs
            .send(Job { message, done })
            .map_err(|_| DbError::Task)?;
        match answer.await {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(message)) => Err(DbError::Sqlite(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
                Some(message),
            ))),
            Err(_) => Err(DbError::Task),
        }
    }
}

/// A connection to the pool's file with the pool's settings, minus automatic checkpoints.
fn open_like(pool: &mut Connection) -> Result<Connection, DbError> {
    let path = pool
        .path()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| rusqlite::Error::InvalidPath("(no database file)".into()))?;
    let conn = Connection::open(path)?;
    // journal_mode (WAL) is the file's own; these are each connection's.
    for pragma in ["busy_timeout", "synchronous", "foreign_keys"] {
        let value: i64 = pool.pragma_query_value(None, pragma, |r| r.get(0))?;
        conn.pragma_update(None, pragma, value)?;
    }
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    Ok(conn)
}

fn write_forever(mut conn: Connection, mut queue: mpsc::UnboundedReceiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut since_checkpoint = 0;
    while let Some(first) = queue.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let (messages, waiting): (Vec<Message>, Vec<_>) =
            batch.drain(..).map(|job| (job.message, job.done)).unzip();
        since_checkpoint += messages.len();
        match write(&mut conn, &messages) {
            Ok(outcomes) => {
                for (done, outcome) in waiting.into_iter().zip(outcomes) {
                    let _ = done.send(Ok(outcome));
                }
            }
            // One message failed and took the others' transaction with it: each alone now.
            Err(_) if messages.len() > 1 => {
                for (message, done) in messages.iter().zip(waiting) {
                    let outcome = write(&mut conn, std::slice::from_ref(message));
                    let _ = done.send(outcome.map(|mut o| o.remove(0)).map_err(|e| e.to_string()));
                }
            }
            Err(error) => {
                let message = error.to_string();
                for done in waiting {
                    let _ = done.send(Err(message.clone()));
                }
            }
        }
        // Everyone is answered (their commits are durable already): now the database file's turn.
        if since_checkpoint >= CHECKPOINT_AFTER {
            since_checkpoint = 0;
            // PASSIVE never waits for other connections; what it leaves, the next one copies.
            if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                tracing::warn!(%error, "card payment writer: checkpoint failed");
            }
        }
    }
}

/// Stores `messages` in one transaction: all of them, or (on any error, or a panic) none. No
/// savepoint per message: they cost more than all of a message's own statements (measured:
/// 85 -> 45 µs of database work per credited notification without them).
///
/// `BEGIN IMMEDIATE` and `COMMIT` come from the statement cache: parsing them for every batch
/// was a tenth of the writer's work.
fn write(conn: &mut Connection, messages: &[Message]) -> Result<Vec<Option<Outcome>>, DbError> {
    let stored = std::panic::catch_unwind(AssertUnwindSafe(|| {
        conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        let outcomes = messages
            .iter()
            .map(|message| message.store(conn))
            .collect::<Result<Vec<_>, _>>()?;
        conn.prepare_cached("COMMIT")?.execute([])?;
        Ok(outcomes)
    }));
    let stored = stored.unwrap_or(Err(DbError::Task));
    if stored.is_err() && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    stored
}

#[cfg(test)]
mod tests {
    use super::*;
    use gateway_sim::protocol::PaymentStatus;

    fn paid(i: i64) -> View {
        View {
            payment_id: format!("pay_{i}"),
            merchant_order_id: format!("order-{i}"),
            status: PaymentStatus::Paid,
            version: 2,
            amount_halere: 100,
            paid_at: None,
        }
    }

    /// Two attempts of one payer, each for an obligation of its own; crediting `pay_2` fails.
    async fn db_with_two_attempts(dir: &std::path::Path) -> Db {
        let db = Db::open(&dir.join("portal.sqlite3")).unwrap();
        db.write(|tx| {
            tx.execute_batch(
                "INSERT INTO towns (id, slug, name, ico, street, city, psc, bank_account, created_at)
                 VALUES (1, 't', 'T', '00298760', 's', 'c', '51234', 'CZ65', 'now');
                 INSERT INTO citizens (id, given_name, family_name, created_at, updated_at)
                 VALUES (1, 'A', 'B', 'now', 'now');
                 INSERT INTO obligations (id, town_id, payer_id, item, description, amount_halere,
                                          due_date, variable_symbol, created_at)
                 VALUES (1, 1, 1, 'x', 'X', 100, '2026-01-01', '1', 'now'),
                        (2, 1, 1, 'x', 'X', 100, '2026-01-01', '2', 'now');
                 INSERT INTO card_payments (id, town_id, payer_id, merchant_order_id, basket_key,
                                            gateway_payment_id, amount_halere, created_at, updated_at)
                 VALUES (1, 1, 1, 'order-1', 'k1', 'pay_1', 100, 'now', 'now'),
                        (2, 1, 1, 'order-2', 'k2', 'pay_2', 100, 'now', 'now');
                 INSERT INTO card_payment_items VALUES (1, 1, 100), (2, 2, 100);
                 CREATE TRIGGER refuse BEFORE INSERT ON payments WHEN NEW.external_id = 'pay_2'
                 BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;",
            )?;
            Ok::<_, DbError>(())
        })
        .await
        .unwrap();
        db
    }

    #[tokio::test]
    async fn a_message_that_fails_fails_alone_and_the_rest_of_its_batch_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let db = db_with_two_attempts(dir.path()).await;
        let batcher = Batcher::start(db.clone());
        // Both are queued before the writer runs: one batch.
        let (good, bad) = tokio::join!(batcher.apply(1, paid(1)), batcher.apply(1, paid(2)));
        assert!(
            matches!(
                good,
                Ok(Outcome::Applied {
                    credited: Some(_),
                    ..
                })
            ),
            "{good:?}"
        );
        assert!(bad.is_err(), "{bad:?}");
        let stored = db
            .read(|conn| {
                Ok(
                    conn.query_row("SELECT group_concat(external_id) FROM payments", [], |r| {
                        r.get::<_, String>(0)
                    })?,
                )
            })
            .await
            .unwrap();
        assert_eq!(stored, "pay_1");
        // The same message again is a duplicate, not a second credit.
        let again = batcher.apply(1, paid(1)).await.unwrap();
        assert!(matches!(again, Outcome::Stale { .. }), "{again:?}");
    }
}
