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
        // (numeric key or u64::MAX, index into texts), the obligation.
        let mut keyed: Vec<((u64, u32), Open)> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut rows = stmt.query([town_id])?;
        while let Some(r) = rows.next()? {
            let symbol = r.get_ref(1)?.as_str().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
            })?;
            let sort = match key(symbol) {
                Key::Number(n) => (n, 0),
                Key::Text(text) => {
                    texts.push(text.to_owned());
                    (u64::MAX, (texts.len() - 1) as u32)
                }
            };
            keyed.push((
                sort,
                Open {
                    id: r.get(0)?,
                    amount_halere: r.get(2)?,
                    paid_halere: r.get(3)?,
                    specific_symbol: r.get(4)?,
                    due_date: r.get(5)?,
                    cancelled: r.get(6)?,
                },
            ));
        }
        // Text symbols sort by their text, so equal ones form one run.
        keyed.sort_unstable_by(|(a, x), (b, y)| {
            a.0.cmp(&b.0)
                .then_with(|| {
                    if a.0 == u64::MAX {
                        texts[a.1 as usize].cmp(&texts[b.1 as usize])
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .then(x.id.cmp(&y.id))
        });
        let mut numeric = HashMap::with_capacity(keyed.len());
        let mut other: HashMap<String, (u32, u32)> = HashMap::new();
        let mut start = 0;
        while start < keyed.len() {
            let same = |k: &(u64, u32)| {
                let first = &keyed[start].0;
                k.0 == first.0
                    && (k.0 != u64::MAX || texts[k.1 as usize] == texts[first.1 as usize])
            };
            let end = start + keyed[start..].iter().take_while(|(k, _)| same(k)).count();
            let run = (start as u32, (end - start) as u32);
            match keyed[start].0 {
                (u64::MAX, text) => {
                    other.insert(std::mem::take(&mut texts[text as usize]), run);
                }
                (number, _) => {
                    numeric.insert(number, run);
                }
            }
            start = end;
        }
        let list: Vec<Open> = keyed.into_iter().map(|(_, open)| open).collect();
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

    /// Where in `list` the obligations with this variable symbol are.
    pub(super) fn with_symbol(&self, symbol: &str) -> Option<std::ops::Range<usize>> {
        let (start, len) = match key(symbol) {
            Key::Number(n) => *self.numeric.get(&n)?,
            Key::Text(text) => *self.other.get(text)?,
        };
        Some(start as usize..start as usize + len as usize)
    }
}

/// Symbols compare without leading zeros (`0001234` and `1234` are the same VS).
fn normalise(symbol: &str) -> &str {
    let trimmed = symbol.trim().trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }
}
