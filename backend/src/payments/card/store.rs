//! SQL for card payment attempts (`card_payments`, `card_payment_items`).

use super::{CardPayment, CardPaymentItem};
use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension, params};

/// One obligation of a basket, as the attempt and the gateway's items need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub obligation_id: i64,
    /// Description and period, for the gateway's item list.
    pub name: String,
    /// What the attempt pays on it: what was owed when it started.
    pub amount_halere: i64,
}

/// Why a basket cannot be paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BasketError {
    /// Not this payer's (or no such obligation): refused as if it did not exist.
    NotFound,
    /// The payer's, but nothing is owed on it (paid, overpaid, cancelled); index in the request.
    NotOpen(usize),
}

/// The payer's obligations `ids` with what is owed on each, all open (unpaid, partly paid).
pub fn basket(
    conn: &Connection,
    town_id: i64,
    payer_id: i64,
    ids: &[i64],
) -> Result<Result<Vec<Line>, BasketError>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT description, period, amount_halere - paid_halere, status FROM obligations
         WHERE id = ?1 AND town_id = ?2 AND payer_id = ?3",
    )?;
    let mut lines = Vec::with_capacity(ids.len());
    for (index, &id) in ids.iter().enumerate() {
        let row = stmt
            .query_row(params![id, town_id, payer_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .optional()?;
        let Some((description, period, owed, status)) = row else {
            return Ok(Err(BasketError::NotFound));
        };
        if !matches!(status.as_str(), "unpaid" | "partly_paid") || owed <= 0 {
            return Ok(Err(BasketError::NotOpen(index)));
        }
        let name = match period {
            Some(p) if !p.is_empty() => format!("{description} {p}"),
            _ => description,
        };
        lines.push(Line {
            obligation_id: id,
            name: name.chars().take(255).collect(),
            amount_halere: owed,
        });
    }
    Ok(Ok(lines))
}

/// An attempt as the flow needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub id: i64,
    pub town_id: i64,
    pub payer_id: i64,
    pub merchant_order_id: String,
    pub gateway_payment_id: Option<String>,
    pub redirect_url: Option<String>,
    pub amount_halere: i64,
    pub status: String,
    pub gateway_version: i64,
    pub payment_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

const ATTEMPT_COLUMNS: &str = "id, town_id, payer_id, merchant_order_id, gateway_payment_id, \
    redirect_url, amount_halere, status, gateway_version, payment_id, created_at, updated_at";

fn attempt_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Attempt> {
    Ok(Attempt {
        id: r.get(0)?,
        town_id: r.get(1)?,
        payer_id: r.get(2)?,
        merchant_order_id: r.get(3)?,
        gateway_payment_id: r.get(4)?,
        redirect_url: r.get(5)?,
        amount_halere: r.get(6)?,
        status: r.get(7)?,
        gateway_version: r.get(8)?,
        payment_id: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

/// A `created` attempt of the same basket started at `since` or later (a double click).
pub fn reusable(
    conn: &Connection,
    town_id: i64,
    payer_id: i64,
    basket_key: &str,
    since: &str,
) -> Result<Option<Attempt>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM card_payments
         WHERE town_id = ?1 AND payer_id = ?2 AND basket_key = ?3 AND status = 'created'
           AND created_at >= ?4
         ORDER BY id DESC LIMIT 1"
    ))?;
    Ok(stmt
        .query_row(params![town_id, payer_id, basket_key, since], attempt_row)
        .optional()?)
}

/// Stores a new attempt and its lines.
pub fn insert(
    tx: &Connection,
    town_id: i64,
    payer_id: i64,
    merchant_order_id: &str,
    basket_key: &str,
    lines: &[Line],
    now: &str,
) -> Result<Attempt, DbError> {
    let amount: i64 = lines.iter().map(|l| l.amount_halere).sum();
    tx.execute(
        "INSERT INTO card_payments (town_id, payer_id, merchant_order_id, basket_key,
                                    amount_halere, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![
            town_id,
            payer_id,
            merchant_order_id,
            basket_key,
            amount,
            now
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut item = tx.prepare_cached(
        "INSERT INTO card_payment_items (card_payment_id, obligation_id, amount_halere)
         VALUES (?1, ?2, ?3)",
    )?;
    for line in lines {
        item.execute(params![id, line.obligation_id, line.amount_halere])?;
    }
    by_id(tx, id)?.ok_or(DbError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Attempt>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM card_payments WHERE id = ?1"
    ))?;
    Ok(stmt.query_row([id], attempt_row).optional()?)
}

/// The attempt a gateway message is about: by the gateway's id, or (before the create's
/// answer was stored) by our order id.
pub fn by_gateway(
    conn: &Connection,
    town_id: i64,
    gateway_payment_id: &str,
    merchant_order_id: &str,
) -> Result<Option<Attempt>, DbError> {
    let mut by_payment = conn.prepare_cached(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM card_payments
         WHERE gateway_payment_id = ?2 AND town_id = ?1"
    ))?;
    if let Some(found) = by_payment
        .query_row(params![town_id, gateway_payment_id], attempt_row)
        .optional()?
    {
        return Ok(Some(found));
    }
    let mut by_order = conn.prepare_cached(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM card_payments
         WHERE merchant_order_id = ?2 AND town_id = ?1 AND gateway_payment_id IS NULL"
    ))?;
    Ok(by_order
        .query_row(params![town_id, merchant_order_id], attempt_row)
        .optional()?)
}

/// Records the gateway's answer to the create (the first answer wins; a notification may have
/// brought the payment id before).
pub fn set_gateway(
    tx: &Connection,
    id: i64,
    gateway_payment_id: &str,
    redirect_url: &str,
) -> Result<(), DbError> {
    tx.execute(
        "UPDATE card_payments SET gateway_payment_id = ?2, redirect_url = coalesce(redirect_url, ?3)
         WHERE id = ?1 AND (gateway_payment_id IS NULL OR gateway_payment_id = ?2)",
        params![id, gateway_payment_id, redirect_url],
    )?;
    Ok(())
}

/// The gateway's id of an attempt that had none yet.
pub fn set_gateway_id(tx: &Connection, id: i64, gateway_payment_id: &str) -> Result<(), DbError> {
    tx.execute(
        "UPDATE card_payments SET gateway_payment_id = ?2
         WHERE id = ?1 AND gateway_payment_id IS NULL",
        params![id, gateway_payment_id],
    )?;
    Ok(())
}

/// What an attempt pays, line by line.
pub fn items(conn: &Connection, id: i64) -> Result<Vec<CardPaymentItem>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT obligation_id, amount_halere FROM card_payment_items
         WHERE card_payment_id = ?1 ORDER BY obligation_id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(CardPaymentItem {
            obligation_id: r.get(0)?,
            amount_halere: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The payer's attempt `id` in this town as the API shows it.
pub fn view(
    conn: &Connection,
    town_id: i64,
    payer_id: i64,
    id: i64,
) -> Result<Option<CardPayment>, DbError> {
    let Some(attempt) = by_id(conn, id)? else {
        return Ok(None);
    };
    if attempt.town_id != town_id || attempt.payer_id != payer_id {
        return Ok(None);
    }
    Ok(Some(CardPayment {
        id: attempt.id,
        redirect_url: attempt.redirect_url.filter(|_| attempt.status == "created"),
        status: attempt.status,
        amount_halere: attempt.amount_halere,
        items: items(conn, id)?,
        payment_id: attempt.payment_id,
        created_at: attempt.created_at,
        updated_at: attempt.updated_at,
    }))
}

/// An attempt the poller should ask the gateway about, with its town.
#[derive(Debug, Clone)]
pub struct Due {
    pub attempt_id: i64,
    pub town_id: i64,
    pub slug: String,
    pub demo_town: bool,
    pub gateway_payment_id: String,
}

/// The times that make an attempt due for polling (fixed-width text, see [`super::time_text`]).
pub struct DueWindow<'a> {
    /// Started before this...
    pub started_before: &'a str,
    /// ...but after this (older ones the gateway could not settle are left to staff)...
    pub started_after: &'a str,
    /// ...and not polled since this.
    pub polled_before: &'a str,
}

/// `created` attempts in `window`, oldest first; each is marked as polled `now`.
pub fn take_due(
    tx: &Connection,
    window: &DueWindow<'_>,
    now: &str,
    limit: usize,
) -> Result<Vec<Due>, DbError> {
    let mut stmt = tx.prepare_cached(
        "SELECT c.id, c.town_id, t.slug, t.is_demo, c.gateway_payment_id
         FROM card_payments c JOIN towns t ON t.id = c.town_id
         WHERE c.status = 'created' AND c.created_at < ?1 AND c.created_at > ?2
           AND c.gateway_payment_id IS NOT NULL AND (c.polled_at IS NULL OR c.polled_at < ?3)
         ORDER BY c.created_at LIMIT ?4",
    )?;
    let limit = limit as i64;
    let due: Vec<Due> = stmt
        .query_map(
            params![
                window.started_before,
                window.started_after,
                window.polled_before,
                limit
            ],
            |r| {
                Ok(Due {
                    attempt_id: r.get(0)?,
                    town_id: r.get(1)?,
                    slug: r.get(2)?,
                    demo_town: r.get(3)?,
                    gateway_payment_id: r.get(4)?,
                })
            },
        )?
        .collect::<Result<_, _>>()?;
    let mut mark = tx.prepare_cached("UPDATE card_payments SET polled_at = ?2 WHERE id = ?1")?;
    for d in &due {
        mark.execute(params![d.attempt_id, now])?;
    }
    Ok(due)
}

/// Attempts the gateway never heard of (its create failed) expire after `before`: nobody can
/// have paid them, since only the gateway's answer holds the payment page's address.
pub fn expire_uncreated(tx: &Connection, before: &str, now: &str) -> Result<usize, DbError> {
    Ok(tx.execute(
        "UPDATE card_payments SET status = 'expired', updated_at = ?2
         WHERE status = 'created' AND gateway_payment_id IS NULL AND created_at < ?1",
        params![before, now],
    )?)
}
