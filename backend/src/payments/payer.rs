//! The office's view of one payer: their obligations, the payments credited to them and their
//! entries in the registers (households they pay for or live in, dogs). Found by portal account
//! number only, never by name, and only within the official's town: an account with nothing
//! in this town is "not found", as if it did not exist. Also the obligations of one variable
//! symbol, for pairing an unmatched payment by the symbol the payer should have used.

use super::staff::PaymentsOfficial;
use super::store;
use crate::db::DbError;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::ApiJson;
use axum::extract::{Path, Query, State};
use chrono::NaiveDate;
use portal_domain::VariableSymbol;
use portal_domain::wire::{
    FieldErrorBody, ObligationBySymbol, PayerCardPayment, PayerDog, PayerHousehold,
    PayerHouseholdMember, PayerOverview, PayerPayment,
};
use rusqlite::{Connection, OptionalExtension, params};

fn date(text: String) -> NaiveDate {
    text.parse().unwrap_or(NaiveDate::MIN)
}

fn payments_of(conn: &Connection, town_id: i64, payer: i64) -> Result<Vec<PayerPayment>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, a.obligation_id, p.source, p.received_on, a.amount_halere, p.match_note
         FROM payment_allocations a
         JOIN obligations o ON o.id = a.obligation_id
         JOIN payments p ON p.id = a.payment_id
         WHERE o.town_id = ?1 AND o.payer_id = ?2
         ORDER BY p.received_on DESC, p.id DESC, a.id",
    )?;
    let rows = stmt.query_map(params![town_id, payer], |r| {
        Ok(PayerPayment {
            payment_id: r.get(0)?,
            obligation_id: r.get(1)?,
            source: r.get(2)?,
            received_on: date(r.get(3)?),
            amount_halere: r.get(4)?,
            matched_by: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Households the person pays for or is registered in, with all their members.
fn households_of(
    conn: &Connection,
    town_id: i64,
    person: i64,
) -> Result<Vec<PayerHousehold>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.id, h.address FROM households h
         WHERE h.town_id = ?1 AND (h.payer_id = ?2 OR EXISTS (
             SELECT 1 FROM household_members m WHERE m.household_id = h.id AND m.citizen_id = ?2))
         ORDER BY h.id",
    )?;
    let heads = stmt
        .query_map(params![town_id, person], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut members = conn.prepare_cached(
        "SELECT id, name, date_of_birth, rate_class, valid_from, valid_to FROM household_members
         WHERE household_id = ?1 ORDER BY valid_from, id",
    )?;
    let mut out = Vec::with_capacity(heads.len());
    for (id, address) in heads {
        let list = members
            .query_map([id], |r| {
                Ok(PayerHouseholdMember {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    date_of_birth: date(r.get(2)?),
                    rate_class: r.get(3)?,
                    valid_from: date(r.get(4)?),
                    valid_to: r.get::<_, Option<String>>(5)?.map(date),
                })
            })?
            .collect::<Result<_, _>>()?;
        out.push(PayerHousehold {
            id,
            address,
            members: list,
        });
    }
    Ok(out)
}

fn dogs_of(conn: &Connection, town_id: i64, owner: i64) -> Result<Vec<PayerDog>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, registered_on, ended_on, exempt FROM dogs
         WHERE town_id = ?1 AND owner_id = ?2 ORDER BY registered_on, id",
    )?;
    let rows = stmt.query_map(params![town_id, owner], |r| {
        Ok(PayerDog {
            id: r.get(0)?,
            name: r.get(1)?,
            registered_on: date(r.get(2)?),
            ended_on: r.get::<_, Option<String>>(3)?.map(date),
            exempt: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn card_payments_of(
    conn: &Connection,
    town_id: i64,
    payer: i64,
) -> Result<Vec<PayerCardPayment>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id,
                COALESCE((SELECT p.received_on FROM payments p WHERE p.id = c.payment_id),
                         substr(c.updated_at, 1, 10)),
                c.amount_halere,
                (SELECT COALESCE(SUM(r.amount_halere), 0) FROM card_refunds r
                 WHERE r.card_payment_id = c.id)
         FROM card_payments c
         WHERE c.town_id = ?1 AND c.payer_id = ?2 AND c.status = 'paid'
         ORDER BY c.id DESC",
    )?;
    let rows = stmt.query_map(params![town_id, payer], |r| {
        Ok(PayerCardPayment {
            id: r.get(0)?,
            paid_on: date(r.get(1)?),
            amount_halere: r.get(2)?,
            refunded_halere: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The payer's page, or `None` when the account has nothing in this town.
pub fn overview(
    conn: &Connection,
    town_id: i64,
    account: i64,
) -> Result<Option<PayerOverview>, DbError> {
    let name: Option<String> = conn
        .query_row(
            "SELECT given_name || ' ' || family_name FROM citizens WHERE id = ?1",
            [account],
            |r| r.get(0),
        )
        .optional()?;
    let Some(name) = name else {
        return Ok(None);
    };
    let obligations = store::obligations_of(conn, town_id, account)?;
    let households = households_of(conn, town_id, account)?;
    let dogs = dogs_of(conn, town_id, account)?;
    if obligations.is_empty() && households.is_empty() && dogs.is_empty() {
        return Ok(None);
    }
    let owed_halere = obligations
        .iter()
        .filter(|o| o.status != "cancelled")
        .map(|o| (o.amount_halere - o.paid_halere).max(0))
        .sum();
    Ok(Some(PayerOverview {
        account,
        name,
        payments: payments_of(conn, town_id, account)?,
        obligations,
        owed_halere,
        households,
        dogs,
        card_payments: card_payments_of(conn, town_id, account)?,
    }))
}

/// One payer's obligations, payments and register entries in the official's town, by portal
/// account number (404 when the account has nothing here).
#[utoipa::path(get, path = "/api/staff/payments/payers/{account}", tag = "payments",
    params(("account" = i64, Path, description = "portal account number")),
    security(("session" = ["official:payments"])),
    responses((status = 200, body = PayerOverview), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 404, body = portal_domain::wire::ErrorBody)))]
pub async fn payer(
    State(state): State<AppState>,
    Path(account): Path<i64>,
    PaymentsOfficial(session): PaymentsOfficial,
) -> Result<ApiJson<PayerOverview>, ApiError> {
    let town_id = session.row.town_id;
    let found = state
        .db
        .read(move |conn| overview(conn, town_id, account))
        .await?;
    found.map(ApiJson).ok_or(ApiError::NotFound)
}

#[derive(serde::Deserialize)]
pub struct BySymbol {
    vs: Option<String>,
}

/// The town's obligations with this variable symbol (`vs`), newest due date first.
#[utoipa::path(get, path = "/api/staff/payments/obligations", tag = "payments",
    params(("vs" = String, Query, description = "variable symbol, up to 10 digits")),
    security(("session" = ["official:payments"])),
    responses((status = 200, body = Vec<ObligationBySymbol>), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn by_symbol(
    State(state): State<AppState>,
    Query(query): Query<BySymbol>,
    PaymentsOfficial(session): PaymentsOfficial,
) -> Result<ApiJson<Vec<ObligationBySymbol>>, ApiError> {
    let vs = VariableSymbol::parse(query.vs.as_deref().unwrap_or_default()).map_err(|e| {
        ApiError::Validation(vec![FieldErrorBody {
            field: "vs".into(),
            code: e.code.into(),
            message: "vs: a variable symbol of up to 10 digits".into(),
        }])
    })?;
    let vs = vs.to_string();
    let town_id = session.row.town_id;
    let list = state
        .db
        .read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT o.id, o.payer_id, c.given_name || ' ' || c.family_name, o.description,
                        o.period, o.amount_halere, o.paid_halere, o.due_date, o.status
                 FROM obligations o JOIN citizens c ON c.id = o.payer_id
                 WHERE o.town_id = ?1 AND o.variable_symbol = ?2
                 ORDER BY o.due_date DESC, o.id DESC",
            )?;
            let rows = stmt.query_map(params![town_id, vs], |r| {
                Ok(ObligationBySymbol {
                    obligation_id: r.get(0)?,
                    payer_account: r.get(1)?,
                    payer_name: r.get(2)?,
                    description: r.get(3)?,
                    period: r.get(4)?,
                    amount_halere: r.get(5)?,
                    paid_halere: r.get(6)?,
                    due_date: date(r.get(7)?),
                    status: r.get(8)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await?;
    Ok(ApiJson(list))
}
