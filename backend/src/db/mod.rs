//! The one way the portal opens SQLite.
//!
//! Every connection gets the same pragmas (WAL, foreign keys, busy timeout). Work runs on a few
//! threads of our own, each holding one connection, so that SQLite never stalls the async runtime.
//! Writes take `BEGIN IMMEDIATE`, so two writers queue on the busy timeout instead of failing
//! halfway through a transaction.
//!
//! Why not tokio's blocking pool: it wakes a parked thread for every job, and that thread then
//! waited for a pooled connection. Under load that cost more than the queries themselves (about
//! three context switches per request); workers that own their connection and take jobs from one
//! queue keep running while there is work (see `scripts/bench.sh`).

mod migrations;

pub use migrations::{MIGRATIONS, SCHEMA_VERSION};

use rusqlite::{Connection, TransactionBehavior};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

/// Connections, one per worker thread. Reads run side by side in WAL mode and take microseconds;
/// writes take turns anyway. On two cores 2, 4 and 8 measured alike; 4 keeps reads going while a
/// write waits for the disk.
const WORKERS: usize = 4;

/// Work for a connection; it sends its own result back.
type Job = Box<dyn FnOnce(&mut Connection) + Send>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot start a database thread: {0}")]
    Thread(std::io::Error),
    #[error(
        "the database {path} has schema version {found}, newer than this program understands \
         ({supported}); upgrade portal-backend or restore a backup"
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("database task panicked or was cancelled")]
    Task,
}

/// A handle to the database workers; cheap to clone. The workers end when the last handle goes.
#[derive(Clone)]
pub struct Db {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").finish_non_exhaustive()
    }
}

/// Bytes per page of a new database file. 16 KiB instead of SQLite's default 4 KiB: b-trees a
/// level shallower and a quarter of the page writes, so a 100 000-item bank statement imports
/// about 17 % faster (eight paired runs of `examples/import_bench`, median ratio 0.83), and card
/// notifications are no slower. Small commits write whole pages to the WAL, which at a town's
/// volume costs nothing that shows.
const PAGE_SIZE: i64 = 16 * 1024;

/// Pragmas every connection needs; WAL is persistent but cheap to re-assert.
fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // NORMAL is durable in WAL mode against process crashes (kill -9); FULL adds power-loss safety
    // for the last transactions. Money must survive both, so FULL.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

impl Db {
    /// Opens (creating if needed) the database file, brings its schema up to date and starts the
    /// worker threads.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let mut first = Connection::open(path)?;
        // Only a new, empty file takes it (an existing WAL database keeps its page size).
        first.pragma_update(None, "page_size", PAGE_SIZE)?;
        configure(&mut first)?;
        migrations::migrate(&mut first, path)?;

        let mut connections = vec![first];
        for _ in 1..WORKERS {
            let mut conn = Connection::open(path)?;
            configure(&mut conn)?;
            connections.push(conn);
        }
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for (index, conn) in connections.into_iter().enumerate() {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("sqlite-{index}"))
                .spawn(move || serve(conn, &queue))
                .map_err(DbError::Thread)?;
        }
        Ok(Db { jobs })
    }

    /// Queues `job` and waits (asynchronously) for the result it sends.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Connection) -> T + Send + 'static,
    ) -> Result<T, DbError> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move |conn| {
                // The caller may have gone away (request cancelled); nothing to do then.
                let _ = done.send(job(conn));
            }))
            .map_err(|_| DbError::Task)?;
        // Dropped without an answer: the job panicked.
        result.await.map_err(|_| DbError::Task)
    }

    /// Runs read-only work in one read transaction: its queries see one snapshot and share
    /// one acquisition of the database's read lock (each is a system call or two).
    pub async fn read<T, F>(&self, work: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, DbError> + Send + 'static,
    {
        self.run(move |conn| in_read_transaction(conn, work))
            .await?
    }

    /// Runs `work` with the connection itself, outside any transaction it does not open
    /// itself (for a read that ends with a small write, like a session check).
    pub async fn with_connection<T, F>(&self, work: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    {
        self.run(work).await?
    }

    /// Runs work inside one `BEGIN IMMEDIATE` transaction, committed only when `work` returns Ok.
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E> + Send + 'static,
    {
        self.run(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(DbError::from)?;
            let value = work(&tx)?;
            tx.commit().map_err(DbError::from)?;
            Ok(value)
        })
        .await
        .map_err(E::from)?
    }
}

/// Runs `work` between `BEGIN` and `COMMIT` (`ROLLBACK` when it fails). The two statements
/// come from the statement cache: parsing them anew costs more than the lock they save.
pub fn in_read_transaction<T>(
    conn: &Connection,
    work: impl FnOnce(&Connection) -> Result<T, DbError>,
) -> Result<T, DbError> {
    conn.prepare_cached("BEGIN")?.execute([])?;
    match work(conn) {
        Ok(value) => {
            // Nothing to keep: committing only ends the snapshot.
            conn.prepare_cached("COMMIT")?.execute([])?;
            Ok(value)
        }
        Err(error) => {
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
            Err(error)
        }
    }
}

/// A worker: takes the next job from the shared queue until every [`Db`] handle is gone.
fn serve(mut conn: Connection, queue: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        // The lock is held while waiting for a job, never while running one.
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = next else { return };
        if std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut conn))).is_err() {
            // The caller got DbError::Task. A transaction the panic interrupted was rolled back
            // when it dropped; make sure, so the next job starts clean.
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
        }
    }
}
