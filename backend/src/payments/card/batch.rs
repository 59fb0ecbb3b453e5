//! Group commit for gateway messages: what arrives while one transaction is being written waits
//! and goes into the next one together. Every fsync then carries many notifications instead of
//! one (32 concurrent senders: see `tests/api/card_payments/bench.rs`), and each caller is
//! still answered only after the transaction holding its message committed.
//!
//! Each message runs in a savepoint of its own, so one that fails rolls back alone; a failed
//! commit fails them all (and the gateway retries them).

use super::apply::{self, Outcome, View};
use crate::db::{Db, DbError};
use tokio::sync::{mpsc, oneshot};

/// At most this many messages in one transaction.
const MAX_BATCH: usize = 128;

struct Job {
    town_id: i64,
    view: View,
    done: oneshot::Sender<Result<Outcome, String>>,
}

/// The queue in front of the writer; cheap to clone. The writer task ends with the last handle.
#[derive(Clone, Debug)]
pub struct Batcher {
    jobs: mpsc::UnboundedSender<Job>,
}

impl Batcher {
    /// Starts the writer on the current tokio runtime.
    pub fn start(db: Db) -> Batcher {
        let (jobs, queue) = mpsc::unbounded_channel();
        tokio::spawn(write_forever(db, queue));
        Batcher { jobs }
    }

    /// Applies `view` ([`apply::apply`]) and returns once it is committed.
    pub async fn apply(&self, town_id: i64, view: View) -> Result<Outcome, DbError> {
        let (done, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                town_id,
                view,
                done,
            })
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

async fn write_forever(db: Db, mut queue: mpsc::UnboundedReceiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (work, waiting): (Vec<(i64, View)>, Vec<_>) = batch
            .drain(..)
            .map(|job| ((job.town_id, job.view), job.done))
            .unzip();
        let result = db
            .write(move |tx| {
                let mut outcomes = Vec::with_capacity(work.len());
                let run = |sql: &str| tx.prepare_cached(sql)?.execute([]).map(drop);
                for (town_id, view) in &work {
                    run("SAVEPOINT card_message")?;
                    match apply::apply(tx, *town_id, view) {
                        Ok(outcome) => {
                            run("RELEASE card_message")?;
                            outcomes.push(Ok(outcome));
                        }
                        Err(error) => {
                            run("ROLLBACK TO card_message")?;
                            run("RELEASE card_message")?;
                            outcomes.push(Err(error.to_string()));
                        }
                    }
                }
                Ok::<_, DbError>(outcomes)
            })
            .await;
        match result {
            Ok(outcomes) => {
                for (done, outcome) in waiting.into_iter().zip(outcomes) {
                    let _ = done.send(outcome);
                }
            }
            Err(error) => {
                let message = error.to_string();
                for done in waiting {
                    let _ = done.send(Err(message.clone()));
                }
            }
        }
    }
}
