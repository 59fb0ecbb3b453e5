//! Lists for the office: arrears (past due, not fully paid) and the payments of a period as
//! CSV for the accounting system.

use super::staff::PaymentsOfficial;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::ApiJson;
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use portal_domain::wire::{Arrear, FieldErrorBody};
use rusqlite::params;

/// Obligations past their due date and not fully paid, the oldest first.
#[utoipa::path(get, path = "/api/staff/payments/arrears", tag = "payments",
    security(("session" = ["official:payments"])),
    responses((status = 200, body = Vec<Arrear>), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody)))]
pub async fn arrears(
    State(state): State<AppState>,
    PaymentsOfficial(session): PaymentsOfficial,
) -> Result<ApiJson<Vec<Arrear>>, ApiError> {
    let town_id = session.row.town_id;
    let today = chrono::Utc::now().date_naive().to_string();
    let list = state
        .db
        .read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT o.id, o.payer_id, c.given_name || ' ' || c.family_name, o.description,
                        o.due_date, o.amount_halere - o.paid_halere, o.variable_symbol
                 FROM obligations o JOIN citizens c ON c.id = o.payer_id
                 WHERE o.town_id = ?1 AND o.status IN ('unpaid', 'partly_paid') AND o.due_date < ?2
                 ORDER BY o.due_date, o.id",
            )?;
            let rows = stmt.query_map(params![town_id, today], |r| {
                Ok(Arrear {
                    obligation_id: r.get(0)?,
                    payer_account: r.get(1)?,
                    payer_name: r.get(2)?,
                    description: r.get(3)?,
                    due_date: r.get::<_, String>(4)?.parse().unwrap_or(NaiveDate::MIN),
                    owed_halere: r.get(5)?,
                    variable_symbol: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await?;
    Ok(ApiJson(list))
}

#[derive(serde::Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
}

fn date_param(name: &str, value: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    match value {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            ApiError::Validation(vec![FieldErrorBody {
                field: name.into(),
                code: "date.invalid".into(),
                message: format!("{name}: expected YYYY-MM-DD"),
            }])
        }),
    }
}

/// A CSV field, quoted when it must be (RFC 4180); formulas are defused for spreadsheets (a
/// plain negative number is no formula, and stays a number).
fn field(text: &str) -> String {
    let number = text
        .strip_prefix('-')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    let text = if text.starts_with(['=', '+', '-', '@']) && !number {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn czk(halere: i64) -> String {
    let sign = if halere < 0 { "-" } else { "" };
    let abs = halere.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Payments received in a period (`from`, `to` inclusive, YYYY-MM-DD), one line per part
/// credited to an obligation (unmatched payments have an empty obligation), UTF-8 CSV. A credit
/// the bank took back is a line of its own on the day of the reversal, with negative amounts
/// and `reversal` in the matched column, so that a period's lines add up to what it received.
#[utoipa::path(get, path = "/api/staff/payments/export", tag = "payments",
    params(("from" = Option<String>, Query), ("to" = Option<String>, Query)),
    security(("session" = ["official:payments"])),
    responses((status = 200, description = "text/csv"), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    Query(period): Query<Period>,
    PaymentsOfficial(session): PaymentsOfficial,
) -> Result<impl IntoResponse, ApiError> {
    let from = date_param("from", period.from.as_deref())?
        .map(|d| d.to_string())
        .unwrap_or_else(|| "0000-01-01".into());
    let to = date_param("to", period.to.as_deref())?
        .map(|d| d.to_string())
        .unwrap_or_else(|| "9999-12-31".into());
    let town_id = session.row.town_id;
    let csv = state
        .db
        .read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT p.id, p.received_on, p.source, p.amount_halere, p.variable_symbol,
                        p.specific_symbol, p.constant_symbol, p.counter_account, p.counter_name,
                        p.match_note, a.obligation_id, o.item, o.period, a.amount_halere,
                        0 AS reversal, a.id AS part
                 FROM payments p
                 LEFT JOIN payment_allocations a ON a.payment_id = p.id
                 LEFT JOIN obligations o ON o.id = a.obligation_id
                 WHERE p.town_id = ?1 AND p.received_on BETWEEN ?2 AND ?3
                 UNION ALL
                 SELECT r.payment_id, r.received_on, 'bank', -r.amount_halere, r.variable_symbol,
                        NULL, NULL, r.counter_account, NULL,
                        'reversal', a.obligation_id, o.item, o.period, -a.amount_halere,
                        r.id, a.id
                 FROM payment_reversals r
                 LEFT JOIN payment_allocations a ON a.payment_id = r.payment_id
                 LEFT JOIN obligations o ON o.id = a.obligation_id
                 WHERE r.town_id = ?1 AND r.received_on BETWEEN ?2 AND ?3
                 ORDER BY 2, reversal, 1, part",
            )?;
            let mut out = String::from(
                "payment_id,received_on,source,payment_czk,vs,ss,ks,counter_account,counter_name,\
                 matched,obligation_id,item,period,credited_czk\r\n",
            );
            let mut rows = stmt.query(params![town_id, from, to])?;
            while let Some(r) = rows.next()? {
                let text = |i: usize| -> rusqlite::Result<String> {
                    Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
                };
                let line = [
                    r.get::<_, Option<i64>>(0)?
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                    text(1)?,
                    text(2)?,
                    czk(r.get(3)?),
                    text(4)?,
                    text(5)?,
                    text(6)?,
                    text(7)?,
                    text(8)?,
                    text(9)?,
                    r.get::<_, Option<i64>>(10)?
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                    text(11)?,
                    text(12)?,
                    r.get::<_, Option<i64>>(13)?.map(czk).unwrap_or_default(),
                ];
                let fields: Vec<String> = line.iter().map(|f| field(f)).collect();
                out.push_str(&fields.join(","));
                out.push_str("\r\n");
            }
            Ok(out)
        })
        .await?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8"),
            (CONTENT_DISPOSITION, "attachment; filename=\"platby.csv\""),
            (CACHE_CONTROL, "no-store"),
        ],
        csv,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("Novák, Jan"), "\"Novák, Jan\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(czk(150_005), "1500.05");
        assert_eq!(czk(-150), "-1.50");
        assert_eq!(field(&czk(-150)), "-1.50");
        assert_eq!(field("-1+2"), "'-1+2");
    }
}
