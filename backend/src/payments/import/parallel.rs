//! Reading a statement on a thread of its own while the import's thread matches and writes what
//! was read so far: the parser (a fifth of an import's work, SHA-256 ids included) no longer
//! waits for SQLite, nor SQLite for it. Items cross in chunks over a bounded channel, so at most
//! a few thousand are in memory at once, as when they were read and written in turn.

use payment_formats::{AccountId, Format, Statement, StatementItem, VisitError};
use std::sync::mpsc;

/// What the importer needs of the statement an item is in.
pub(super) struct Head {
    pub(super) account: AccountId,
    pub(super) format: Format,
}

impl Head {
    fn of(statement: &Statement) -> Head {
        Head {
            account: statement.account.clone(),
            format: statement.format,
        }
    }
}

/// Items per chunk, and chunks the parser may be ahead of the writer (about 2 MB of items:
/// enough to keep reading while the importer loads the town's obligations).
const CHUNK: usize = 256;
const CHUNKS_AHEAD: usize = 8;

/// An item, with its statement's head when that differs from the item before.
type Chunk = Vec<(Option<Head>, StatementItem)>;

/// As [`payment_formats::visit_statement`], with the parsing on another thread. `visit` sees the
/// items in the file's order; when it fails, the parser is stopped and its error returned.
pub(super) fn visit_statement<E>(
    bytes: &[u8],
    mut visit: impl FnMut(&Head, StatementItem) -> Result<(), E>,
) -> Result<Vec<Statement>, VisitError<E>> {
    std::thread::scope(|scope| {
        let (send, chunks) = mpsc::sync_channel::<Chunk>(CHUNKS_AHEAD);
        let spawned = std::thread::Builder::new()
            .name("statement-parser".into())
            .spawn_scoped(scope, move || read(bytes, send));
        let parser = match spawned {
            Ok(parser) => parser,
            // No thread to be had (the process is at its limit): read on this one instead.
            Err(error) => {
                tracing::warn!(%error, "statement parser thread: reading in turn instead");
                return in_turn(bytes, visit);
            }
        };
        let mut head: Option<Head> = None;
        let mut failed = None;
        'chunks: for chunk in chunks.iter() {
            for (new_head, item) in chunk {
                if new_head.is_some() {
                    head = new_head;
                }
                let Some(head) = &head else { continue };
                if let Err(error) = visit(head, item) {
                    failed = Some(error);
                    break 'chunks;
                }
            }
        }
        // Dropping the receiver makes the parser's next send fail, which stops it.
        drop(chunks);
        let parsed = match parser.join() {
            Ok(parsed) => parsed,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        match (failed, parsed) {
            (Some(error), _) => Err(VisitError::Visit(error)),
            (None, Ok(statements)) => Ok(statements),
            (None, Err(VisitError::Parse(error))) => Err(VisitError::Parse(error)),
            // The parser stops early only when the receiver is gone, after a failure.
            (None, Err(VisitError::Visit(()))) => unreachable!("the parser stopped by itself"),
        }
    })
}

/// Without a thread of its own: as [`payment_formats::visit_statement`], with the [`Head`] made
/// for each item.
fn in_turn<E>(
    bytes: &[u8],
    mut visit: impl FnMut(&Head, StatementItem) -> Result<(), E>,
) -> Result<Vec<Statement>, VisitError<E>> {
    payment_formats::visit_statement(bytes, |statement, item| visit(&Head::of(statement), item))
}

/// The parser's side: reads the file and sends its items in chunks.
fn read(bytes: &[u8], send: mpsc::SyncSender<Chunk>) -> Result<Vec<Statement>, VisitError<()>> {
    let mut chunk: Chunk = Vec::with_capacity(CHUNK);
    let mut account: Option<AccountId> = None;
    let statements = payment_formats::visit_statement(bytes, |statement, item| {
        let head = (account.as_ref() != Some(&statement.account)).then(|| {
            account = Some(statement.account.clone());
            Head::of(statement)
        });
        chunk.push((head, item));
        if chunk.len() == CHUNK {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
            send.send(full).map_err(|_| ())?;
        }
        Ok(())
    })?;
    if !chunk.is_empty() {
        send.send(chunk).map_err(|_| VisitError::Visit(()))?;
    }
    Ok(statements)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    /// An ABO statement with `n` credits of 1 Kč.
    fn statement(n: usize) -> Vec<u8> {
        let account = "0000192000145399";
        let mut text = format!(
            "074{account}{:<20}311225{:014}+{:014}+{:014}0{:014}0001150126{:14}\r\n",
            "Obec",
            0,
            100 * n,
            0,
            100 * n,
            ""
        );
        for i in 0..n {
            let _ = write!(
                text,
                "075{account}0000351000345679{:013}{:012}2{:010}0008000308{:010}150126{:<20}00203150126\r\n",
                i + 1,
                100,
                i + 1,
                0,
                "Platce"
            );
        }
        text.into_bytes()
    }

    #[test]
    fn every_item_arrives_in_order() {
        let mut seen = Vec::new();
        let statements = visit_statement(&statement(2000), |head, item| {
            assert_eq!(head.format, Format::Abo);
            seen.push(item.vs.unwrap());
            Ok::<_, ()>(())
        })
        .unwrap();
        assert_eq!(statements.len(), 1);
        let expected: Vec<String> = (1..=2000).map(|i| i.to_string()).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn without_a_thread_the_items_are_read_in_turn() {
        let mut count = 0;
        in_turn(&statement(300), |head, _| {
            assert_eq!(head.format, Format::Abo);
            count += 1;
            Ok::<_, ()>(())
        })
        .unwrap();
        assert_eq!(count, 300);
    }

    #[test]
    fn a_failing_visit_stops_the_parser_and_is_the_error() {
        // The parser is far ahead (the channel full) when the visit fails on the first item.
        let result = visit_statement(&statement(20 * CHUNK * CHUNKS_AHEAD), |_, _| Err("no"));
        assert!(matches!(result, Err(VisitError::Visit("no"))));
    }

    #[test]
    fn a_file_bad_further_on_is_a_parse_error_after_its_good_items() {
        let mut bytes = statement(3 * CHUNK);
        bytes.extend_from_slice(b"075garbage\r\n");
        let mut visited = 0;
        let result = visit_statement(&bytes, |_, _| {
            visited += 1;
            Ok::<_, ()>(())
        });
        assert!(matches!(result, Err(VisitError::Parse(_))), "{visited}");
    }
}
