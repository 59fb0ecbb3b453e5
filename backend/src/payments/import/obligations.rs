//! The town's obligations held in memory while a statement is imported: one flat list grouped
//! by variable symbol, and the baskets whose symbol pays several of them.

use super::ImportError;
use crate::payments::ledger::{self, Open};
use rusqlite::Connection;
use std::collections::HashMap;

/// Every obligation of the town, grouped by variable symbol (paid ones too: a repeated payment
/// overpays rather than disappears). One flat list sorted by symbol and an index from each
/// symbol to its run, so a hundred thousand obligations cost one allocation each (the due
/// date), not four.
pub(super) struct Obligations {
    pub(super) list: Vec<Open>,
    /// Set for the obligations a payment reached: their paid amount and status are stored.
    pub(super) touched: Vec<bool>,
    /// Numeric symbols (all of them in practice), without leading zeros, to their run.
    numeric: HashMap<u64, (u32, u32)>,
    /// Any other symbol, normalised.
    other: HashMap<String, (u32, u32)>,
    /// Baskets' symbols (see `payments::baskets`) to where their obligations are in `list`.
    baskets: HashMap<u64, Vec<usize>>,
}

/// A symbol's key: its number when it is all digits (and fits), else its normalised text.
enum Key<'a> {
    Number(u64),
    Text(&'a str),
}

fn key(symbol: &str) -> Key<'_> {
    let normal = normalise(symbol);
    if !normal.is_empty() && normal.len() <= 19 && normal.bytes().all(|b| b.is_ascii_digit()) {
        Key::Number(
            normal
                .bytes()
                .fold(0u64, |n, b| n * 10 + u64::from(b - b'0')),
        )
    } else {
        Key::Text(normal)
    }
}

impl Obligations {
    pub(super) fn load(conn: &Connection, town_id: i64) -> Result<Self, ImportError> {
        let mut stmt = conn.prepare(
            "SELECT id, variable_symbol, amount_halere, paid_halere, specific_symbol, due_date,
                    status = 'cancelled'
             FROM obligations WHERE town_id = ?1",
        )?;
        // Each obligation's key: its number, or u64::MAX and its text (ranked below).
        let mut list: Vec<Open> = Vec::new();
        let mut numbers: Vec<u64> = Vec::new();
        let mut texts: Vec<(u32, String)> = Vec::new();
        let mut rows = stmt.query([town_id])?;
        while let Some(r) = rows.next()? {
            let symbol = r.get_ref(1)?.as_str().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
            })?;
            numbers.push(match key(symbol) {
                Key::Number(n) => n,
                Key::Text(text) => {
                    texts.push((list.len() as u32, text.to_owned()));
                    u64::MAX
                }
            });
            list.push(Open {
                id: r.get(0)?,
                amount_halere: r.get(2)?,
                paid_halere: r.get(3)?,
                specific_symbol: r.get(4)?,
                due_date: r.get(5)?,
                cancelled: r.get(6)?,
            });
        }
        // The few text symbols, sorted and numbered, so that every key is a pair of integers.
        let mut ranked: Vec<String> = texts.iter().map(|(_, t)| t.clone()).collect();
        ranked.sort_unstable();
        ranked.dedup();
        let mut ranks = vec![0u32; list.len()];
        for (at, text) in &texts {
            ranks[*at as usize] = ranked.binary_search(text).unwrap_or(0) as u32;
        }
        drop(texts);
        // (number, text rank, id, position): sorting these small tuples, not the obligations
        // themselves, puts equal symbols next to each other, oldest id first.
        let mut order: Vec<(u64, u32, i64, u32)> = (0..list.len())
            .map(|at| (numbers[at], ranks[at], list[at].id, at as u32))
            .collect();
        drop((numbers, ranks));
        order.sort_unstable();
        let mut numeric = HashMap::with_capacity(order.len());
        let mut other: HashMap<String, (u32, u32)> = HashMap::new();
        let mut start = 0;
        while start < order.len() {
            let (number, rank, ..) = order[start];
            let len = order[start..]
                .iter()
                .take_while(|o| (o.0, o.1) == (number, rank))
                .count();
            let run = (start as u32, len as u32);
            if number == u64::MAX {
                other.insert(std::mem::take(&mut ranked[rank as usize]), run);
            } else {
                numeric.insert(number, run);
            }
            start += len;
        }
        let position: Vec<u32> = order.into_iter().map(|(.., at)| at).collect();
        permute(&mut list, position);
        let baskets = Self::baskets(conn, town_id, &list)?;
        Ok(Obligations {
            touched: vec![false; list.len()],
            list,
            numeric,
            other,
            baskets,
        })
    }

    fn baskets(
        conn: &Connection,
        town_id: i64,
        list: &[Open],
    ) -> Result<HashMap<u64, Vec<usize>>, ImportError> {
        let members = crate::payments::baskets::members_in_town(conn, town_id)?;
        if members.is_empty() {
            return Ok(HashMap::new());
        }
        let wanted: std::collections::HashSet<i64> = members.iter().map(|m| m.1).collect();
        let position: HashMap<i64, usize> = list
            .iter()
            .enumerate()
            .filter(|(_, o)| wanted.contains(&o.id))
            .map(|(i, o)| (o.id, i))
            .collect();
        let mut baskets: HashMap<u64, Vec<usize>> = HashMap::new();
        for (symbol, id) in members {
            if let (Key::Number(n), Some(at)) = (key(&symbol), position.get(&id)) {
                baskets.entry(n).or_default().push(*at);
            }
        }
        Ok(baskets)
    }

    /// A payment with a basket's symbol: the basket's obligations share it, oldest due first.
    /// `reached` gets where in `list` the obligations it paid are.
    pub(super) fn allocate_to_basket(
        &mut self,
        symbol: &str,
        amount: i64,
        reached: &mut Vec<usize>,
    ) -> Option<ledger::Allocation> {
        reached.clear();
        let Key::Number(n) = key(symbol) else {
            return None;
        };
        let positions = self.baskets.get(&n)?.clone();
        let mut members: Vec<Open> = positions.iter().map(|&i| self.list[i].clone()).collect();
        let allocation = ledger::allocate(amount, None, &mut members);
        for (&at, member) in positions.iter().zip(&members) {
            if member.paid_halere != self.list[at].paid_halere {
                self.list[at].paid_halere = member.paid_halere;
                self.touched[at] = true;
                reached.push(at);
            }
        }
        Some(allocation)
    }

    /// Where in `list` the obligations a payment with this symbol pays are: those with the
    /// symbol, else a basket's.
    pub(super) fn paid_by_symbol(&self, symbol: &str) -> Vec<usize> {
        if let Some(run) = self.with_symbol(symbol) {
            return run.collect();
        }
        match key(symbol) {
            Key::Number(n) => self.baskets.get(&n).cloned().unwrap_or_default(),
            Key::Text(_) => Vec::new(),
        }
    }

    /// Where in `list` the obligations with this variable symbol are.
    pub(super) fn with_symbol(&self, symbol: &str) -> Option<std::ops::Range<usize>> {
        let (start, len) = match key(symbol) {
            Key::Number(n) => *self.numeric.get(&n)?,
            Key::Text(text) => *self.other.get(text)?,
        };
        Some(start as usize..start as usize + len as usize)
    }
}

/// Reorders `list` in place so that its `i`-th element is the one that was at `position[i]`
/// (following the permutation's cycles: no second list of obligations in memory).
fn permute<T>(list: &mut [T], mut position: Vec<u32>) {
    const DONE: u32 = u32::MAX;
    for start in 0..list.len() {
        let mut at = start;
        while position[at] != DONE {
            let from = position[at] as usize;
            position[at] = DONE;
            if from == start {
                break;
            }
            list.swap(at, from);
            at = from;
        }
    }
}

/// Whether two variable symbols are the same (leading zeros and spaces aside).
pub(super) fn same_symbol(a: &str, b: &str) -> bool {
    normalise(a) == normalise(b)
}

/// Symbols compare without leading zeros (`0001234` and `1234` are the same VS).
fn normalise(symbol: &str) -> &str {
    let trimmed = symbol.trim().trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obligations_are_grouped_by_symbol_without_leading_zeros_oldest_first() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in crate::db::MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO towns (id, slug, name, ico, street, city, psc, bank_account, created_at)
             VALUES (1, 't', 'T', '00298760', 's', 'c', '51234', 'CZ65', 'now');
             INSERT INTO citizens (id, given_name, family_name, created_at, updated_at)
             VALUES (1, 'A', 'B', 'now', 'now');",
        )
        .unwrap();
        for (id, symbol) in [
            (7, "123"),
            (3, "0123"),
            (5, "ABC-1"),
            (4, "5"),
            (9, "ABC-1"),
        ] {
            conn.execute(
                "INSERT INTO obligations (id, town_id, payer_id, item, description, amount_halere,
                                          due_date, variable_symbol, created_at)
                 VALUES (?1, 1, 1, 'x', 'X', 100, '2026-01-01', ?2, 'now')",
                rusqlite::params![id, symbol],
            )
            .unwrap();
        }
        let obligations = Obligations::load(&conn, 1).unwrap();
        let ids = |symbol: &str| {
            obligations.with_symbol(symbol).map(|run| {
                obligations.list[run]
                    .iter()
                    .map(|o| o.id)
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(ids("123"), Some(vec![3, 7]));
        assert_eq!(ids("000123"), Some(vec![3, 7]));
        assert_eq!(ids("5"), Some(vec![4]));
        assert_eq!(ids("ABC-1"), Some(vec![5, 9]));
        assert_eq!(ids("999"), None);
        assert_eq!(obligations.list.len(), 5);
    }

    #[test]
    fn a_permutation_puts_each_element_where_it_is_asked_for() {
        let mut list = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        // The new list takes the old one's elements at these positions.
        permute(&mut list, vec![3, 0, 4, 1, 2, 5]);
        assert_eq!(list, ['d', 'a', 'e', 'b', 'c', 'f']);
    }
}
