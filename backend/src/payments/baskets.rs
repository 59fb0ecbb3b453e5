//! Baskets: a citizen picks several open obligations and pays them with one bank transfer. The
//! basket gets its own variable symbol (`99` + its number, ten digits) and a QR Platba for what
//! the obligations still owe; the statement import spreads a payment with that symbol over the
//! basket's obligations, oldest due date first (see `import`). Choosing the same obligations
//! again, while they still owe the same, gives the same basket.

use super::citizen::{qr_image, spayd_for};
use super::store;
use crate::db::DbError;
use crate::error::ApiError;
use crate::identity::session::CurrentSession;
use crate::state::AppState;
use crate::towns::{CurrentTown, Town};
use crate::web::ApiJson;
use axum::extract::{Path, State};
use axum::response::Response;
use payment_formats::spayd::Spayd;
use portal_domain::wire::{Basket, FieldErrorBody, NewBasket, Obligation};
use rusqlite::{Connection, OptionalExtension, params};

/// Baskets' variable symbols start with this; the rest is the basket's number.
pub const SYMBOL_PREFIX: &str = "99";
const MAX_OBLIGATIONS: usize = 50;

fn symbol(basket_id: i64) -> String {
    format!("{SYMBOL_PREFIX}{basket_id:08}")
}

fn field_error(code: &str, message: &str) -> ApiError {
    ApiError::Validation(vec![FieldErrorBody {
        field: "obligation_ids".into(),
        code: format!("basket.{code}"),
        message: format!("obligation_ids: {message}"),
    }])
}

/// Every basket of the town as (its variable symbol, one of its obligations), for the import.
pub fn members_in_town(conn: &Connection, town_id: i64) -> Result<Vec<(String, i64)>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT b.variable_symbol, i.obligation_id
         FROM payment_baskets b JOIN payment_basket_items i ON i.basket_id = b.id
         WHERE b.town_id = ?1",
    )?;
    let rows = stmt.query_map([town_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A basket of this payer as stored: (id, symbol, amount, obligation ids).
type Stored = (i64, String, i64, Vec<i64>);

fn load(
    conn: &Connection,
    town_id: i64,
    payer_id: i64,
    id: i64,
) -> Result<Option<Stored>, DbError> {
    let basket = conn
        .query_row(
            "SELECT id, variable_symbol, amount_halere, obligation_key FROM payment_baskets
             WHERE id = ?1 AND town_id = ?2 AND payer_id = ?3",
            params![id, town_id, payer_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?)),
        )
        .optional()?;
    Ok(basket.map(|(id, vs, amount, key)| {
        let ids = key.split(',').filter_map(|s| s.parse().ok()).collect();
        (id, vs, amount, ids)
    }))
}

/// The basket for these obligations: the payer's own, open, at least two; an earlier basket
/// for the same choice and amount is reused.
fn make(
    tx: &Connection,
    town_id: i64,
    payer_id: i64,
    mut ids: Vec<i64>,
) -> Result<Stored, ApiError> {
    ids.sort_unstable();
    ids.dedup();
    if ids.len() < 2 || ids.len() > MAX_OBLIGATIONS {
        return Err(field_error("count", "choose 2 to 50 obligations"));
    }
    let own = store::obligations_of(tx, town_id, payer_id)?;
    let mut amount = 0;
    for id in &ids {
        let owed = own
            .iter()
            .find(|o| o.id == *id)
            .filter(|o| o.status != "cancelled")
            .map(|o| o.amount_halere - o.paid_halere)
            .filter(|owed| *owed > 0)
            .ok_or_else(|| {
                field_error(
                    "not_open",
                    &format!("{id} is not an open obligation of yours"),
                )
            })?;
        amount += owed;
    }
    let key = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM payment_baskets WHERE town_id = ?1 AND payer_id = ?2
             AND obligation_key = ?3 AND amount_halere = ?4 ORDER BY id DESC LIMIT 1",
            params![town_id, payer_id, key, amount],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        return Ok((id, symbol(id), amount, ids));
    }
    let now = chrono::Utc::now().to_rfc3339();
    // The symbol needs the id: insert, then set it (inside the caller's transaction).
    tx.execute(
        "INSERT INTO payment_baskets (town_id, payer_id, variable_symbol, amount_halere,
                                      obligation_key, created_at)
         VALUES (?1, ?2, 'pending', ?3, ?4, ?5)",
        params![town_id, payer_id, amount, key, now],
    )?;
    let id = tx.last_insert_rowid();
    let vs = symbol(id);
    let clash: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM obligations WHERE town_id = ?1 AND variable_symbol = ?2)",
        params![town_id, vs],
        |r| r.get(0),
    )?;
    if clash || vs.len() > 10 {
        // A fee's symbol template that starts with 99 (or ten billion baskets): refuse rather
        // than let one transfer pay two things.
        return Err(ApiError::Conflict("basket_symbol_taken"));
    }
    tx.execute(
        "UPDATE payment_baskets SET variable_symbol = ?2 WHERE id = ?1",
        params![id, vs],
    )?;
    for obligation in &ids {
        tx.execute(
            "INSERT INTO payment_basket_items (basket_id, obligation_id) VALUES (?1, ?2)",
            params![id, obligation],
        )?;
    }
    Ok((id, vs, amount, ids))
}

fn spayd(town: &Town, (id, vs, amount, ids): &Stored) -> Result<Spayd, ApiError> {
    let message = format!("Platba za {} položek (košík {id})", ids.len());
    let obligation = Obligation {
        id: *id,
        item: "basket".into(),
        description: message,
        period: None,
        amount_halere: *amount,
        paid_halere: 0,
        due_date: chrono::Utc::now().date_naive(),
        variable_symbol: vs.clone(),
        specific_symbol: None,
        constant_symbol: None,
        status: "unpaid".into(),
    };
    spayd_for(town, &obligation)
        .ok_or_else(|| ApiError::Internal("no QR Platba for a basket".into()))
}

/// Makes (or finds) the basket for these obligations, with its QR Platba.
#[utoipa::path(post, path = "/api/payments/baskets", tag = "payments", request_body = NewBasket,
    params(("X-CSRF-Token" = String, Header)),
    security(("session" = [])),
    responses((status = 200, body = Basket), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    session: CurrentSession,
    ApiJson(request): ApiJson<NewBasket>,
) -> Result<ApiJson<Basket>, ApiError> {
    let (town_id, payer_id) = (session.row.town_id, session.citizen_id());
    let stored = state
        .db
        .write(move |tx| make(tx, town_id, payer_id, request.obligation_ids))
        .await?;
    let spayd = spayd(&town, &stored)?;
    let (id, variable_symbol, amount_halere, obligation_ids) = stored;
    Ok(ApiJson(Basket {
        id,
        variable_symbol,
        amount_halere,
        obligation_ids,
        spayd: spayd.as_str().to_owned(),
    }))
}

/// The basket's QR Platba as an image.
#[utoipa::path(get, path = "/api/payments/baskets/{id}/qr/{format}", tag = "payments",
    params(("id" = i64, Path), ("format" = String, Path, description = "svg or png")),
    security(("session" = [])),
    responses((status = 200, description = "image/svg+xml or image/png"),
              (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 404, body = portal_domain::wire::ErrorBody)))]
pub async fn qr(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    Path((id, format)): Path<(i64, String)>,
    session: CurrentSession,
) -> Result<Response, ApiError> {
    let (town_id, payer_id) = (session.row.town_id, session.citizen_id());
    let stored = state
        .db
        .read(move |conn| load(conn, town_id, payer_id, id))
        .await?
        .ok_or(ApiError::NotFound)?;
    let spayd = spayd(&town, &stored)?;
    qr_image(&spayd, &format!("QR Platba: košík {id}"), &format)
}
