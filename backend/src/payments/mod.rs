//! Obligations and payments: what a citizen owes (list, detail with how each payment was
//! matched, QR Platba), bank statements imported and matched by symbol, the staff queue of
//! unmatched payments, card payments through the town's gateway, fee types and the yearly run
//! over the registers (`fees/`).

pub mod baskets;
pub mod card;
pub mod citizen;
pub mod credit;
pub mod fees;
pub mod import;
pub mod ledger;
pub mod manual;
pub mod payer;
pub mod reports;
pub mod reversals;
pub mod staff;
pub mod store;

use crate::db::DbError;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/payments/obligations", get(citizen::list))
        .route("/api/payments/obligations/{id}", get(citizen::detail))
        .route(
            "/api/payments/obligations/{id}/qr/{format}",
            get(citizen::qr),
        )
        .route(
            "/api/staff/payments/statements",
            post(staff::upload_statement).layer(DefaultBodyLimit::max(staff::STATEMENT_LIMIT)),
        )
        .route("/api/staff/payments/unmatched", get(staff::unmatched))
        .route("/api/staff/payments/yearly-run", post(fees::yearly_run))
        .route("/api/staff/payments/fees", get(fees::registers::fee_types))
        .route(
            "/api/staff/payments/registers/households",
            post(fees::registers::new_household),
        )
        .route(
            "/api/staff/payments/registers/households/{id}/members",
            post(fees::registers::new_member),
        )
        .route(
            "/api/staff/payments/registers/members/{id}/end",
            post(fees::registers::end_member),
        )
        .route(
            "/api/staff/payments/registers/dogs",
            post(fees::registers::new_dog),
        )
        .route(
            "/api/staff/payments/registers/dogs/{id}/end",
            post(fees::registers::end_dog),
        )
        .route("/api/staff/payments/manual", post(manual::enter))
        .route("/api/staff/payments/{id}/assign", post(manual::assign))
        .route("/api/staff/payments/reversals", get(reversals::unpaired))
        .route(
            "/api/staff/payments/reversals/{id}/pair",
            post(reversals::pair),
        )
        .route("/api/staff/payments/arrears", get(reports::arrears))
        .route("/api/staff/payments/export", get(reports::export))
        .route("/api/staff/payments/payers/{account}", get(payer::payer))
        .route("/api/staff/payments/obligations", get(payer::by_symbol))
        .route("/api/payments/baskets", post(baskets::create))
        .route("/api/payments/baskets/{id}/qr/{format}", get(baskets::qr))
        .route("/api/payments/card", post(card::start::start))
        .route(
            "/api/payments/card/return",
            get(card::handlers::card_return),
        )
        .route("/api/payments/card/notify", post(card::notify::notify))
        .route("/api/payments/card/{id}", get(card::handlers::status))
        .route(
            "/api/staff/payments/card/{id}/refund",
            post(card::refund::refund),
        )
}
use portal_domain::wire::TileSummary;
use rusqlite::Connection;

pub fn tile_summary(
    conn: &Connection,
    town_id: i64,
    citizen_id: i64,
) -> Result<TileSummary, DbError> {
    let owed = store::owed_by(conn, town_id, citizen_id)?;
    Ok(TileSummary::Payments {
        unpaid_count: owed.count,
        unpaid_total_halere: owed.total_halere,
        next_due: owed.next_due,
    })
}
