//! The registers the yearly run charges, kept by officials for payments: households (a payer
//! and the people registered at the address) and dogs. Nothing is deleted: a member who moves
//! out or a dog that is gone gets its last day, so earlier years still charge correctly.
//! Also the town's fee types, read-only (they come from the ordinance, i.e. the config file).

use super::store;
use crate::audit::{self, AuditEvent};
use crate::db::DbError;
use crate::error::ApiError;
use crate::payments::staff::PaymentsOfficial;
use crate::state::AppState;
use crate::web::{ApiJson, ClientIp};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use portal_domain::wire::{
    Created, EndRegistration, FeeInstalment, FeeType, FieldErrorBody, NewDog, NewHousehold,
    NewHouseholdMember,
};
use rusqlite::{Connection, OptionalExtension, params};

fn invalid(field: &str, code: &str, message: &str) -> FieldErrorBody {
    FieldErrorBody {
        field: field.into(),
        code: format!("register.{code}"),
        message: format!("{field}: {message}"),
    }
}

fn date(field: &str, text: &str, errors: &mut Vec<FieldErrorBody>) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        Ok(day) => Some(day),
        Err(_) => {
            errors.push(invalid(field, "date", "a date as YYYY-MM-DD"));
            None
        }
    }
}

fn name(field: &str, text: &str, errors: &mut Vec<FieldErrorBody>) -> String {
    let name = text.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        // The code names what is wrong, so the form can say "enter the address", not "a name".
        let code = if field == "address" {
            "address"
        } else {
            "name"
        };
        errors.push(invalid(field, code, "1 to 100 characters"));
    }
    name
}

fn check(errors: Vec<FieldErrorBody>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// A portal account that has been in this town (logged in here), as for staff grants.
/// Someone the town knows: they logged in here, or already pay something here (registers
/// seeded or imported before their first login count too).
fn account_in_town(conn: &Connection, account: i64, town_id: i64) -> Result<bool, DbError> {
    if crate::staff::store::has_logged_in_here(conn, account, town_id)? {
        return Ok(true);
    }
    Ok(conn
        .query_row(
            "SELECT 1 FROM obligations WHERE payer_id = ?1 AND town_id = ?2
             UNION ALL SELECT 1 FROM households WHERE payer_id = ?1 AND town_id = ?2
             UNION ALL SELECT 1 FROM dogs WHERE owner_id = ?1 AND town_id = ?2
             LIMIT 1",
            params![account, town_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn record(tx: &Connection, town_id: i64, actor: i64, ip: &str, what: &str) -> Result<(), DbError> {
    audit::record(
        tx,
        &AuditEvent {
            event: "register_changed",
            town_id: Some(town_id),
            citizen_id: Some(actor),
            ip: Some(ip),
            detail: Some(what),
            ..Default::default()
        },
    )
}

/// The town's fee types with their rates and instalments.
#[utoipa::path(get, path = "/api/staff/payments/fees", tag = "payments",
    security(("session" = ["official:payments"])),
    responses((status = 200, body = Vec<FeeType>), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody)))]
pub async fn fee_types(
    State(state): State<AppState>,
    PaymentsOfficial(session): PaymentsOfficial,
) -> Result<ApiJson<Vec<FeeType>>, ApiError> {
    let town_id = session.row.town_id;
    let fees = state
        .db
        .read(move |conn| store::fees(conn, town_id))
        .await?;
    Ok(ApiJson(
        fees.into_iter()
            .map(|fee| FeeType {
                code: fee.code,
                name: fee.name,
                kind: fee.kind.as_str().into(),
                rates: fee.rates,
                instalments: fee
                    .instalments
                    .iter()
                    .map(|i| FeeInstalment {
                        due: format!("{:02}-{:02}", i.month, i.day),
                        share_percent: i.share_percent,
                    })
                    .collect(),
            })
            .collect(),
    ))
}

/// Registers a household with its payer (who pays the fees of everyone in it).
#[utoipa::path(post, path = "/api/staff/payments/registers/households", tag = "payments",
    request_body = NewHousehold, params(("X-CSRF-Token" = String, Header)),
    security(("session" = ["official:payments"])),
    responses((status = 201, body = Created), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn new_household(
    State(state): State<AppState>,
    client: ClientIp,
    PaymentsOfficial(session): PaymentsOfficial,
    ApiJson(request): ApiJson<NewHousehold>,
) -> Result<(StatusCode, ApiJson<Created>), ApiError> {
    let mut errors = Vec::new();
    let address = name("address", &request.address, &mut errors);
    check(errors)?;
    let (town_id, actor, ip) = (
        session.row.town_id,
        session.citizen_id(),
        client.to_string(),
    );
    let id = state
        .db
        .write(move |tx| -> Result<i64, ApiError> {
            if !account_in_town(tx, request.payer_account, town_id)? {
                return Err(ApiError::Validation(vec![invalid(
                    "payer_account",
                    "account_unknown",
                    "no such portal account in this town",
                )]));
            }
            let now = chrono::Utc::now().to_rfc3339();
            let id = store::insert_household(tx, town_id, request.payer_account, &address, &now)?;
            record(
                tx,
                town_id,
                actor,
                &ip,
                &format!("household {id} registered"),
            )?;
            Ok(id)
        })
        .await?;
    Ok((StatusCode::CREATED, ApiJson(Created { id })))
}

/// Registers a person in a household from a day on.
#[utoipa::path(post, path = "/api/staff/payments/registers/households/{id}/members", tag = "payments",
    request_body = NewHouseholdMember, params(("id" = i64, Path), ("X-CSRF-Token" = String, Header)),
    security(("session" = ["official:payments"])),
    responses((status = 201, body = Created), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 404, body = portal_domain::wire::ErrorBody),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn new_member(
    State(state): State<AppState>,
    client: ClientIp,
    PaymentsOfficial(session): PaymentsOfficial,
    Path(household_id): Path<i64>,
    ApiJson(request): ApiJson<NewHouseholdMember>,
) -> Result<(StatusCode, ApiJson<Created>), ApiError> {
    let mut errors = Vec::new();
    let member_name = name("name", &request.name, &mut errors);
    let born = date("date_of_birth", &request.date_of_birth, &mut errors);
    let from = date("valid_from", &request.valid_from, &mut errors);
    let class = request.rate_class.as_deref().map(str::trim);
    if class.is_some_and(|c| !["adult", "child", "pensioner", "exempt"].contains(&c)) {
        errors.push(invalid(
            "rate_class",
            "rate_class",
            "adult, child, pensioner or exempt",
        ));
    }
    if let (Some(born), Some(from)) = (born, from) {
        if born > from {
            errors.push(invalid(
                "valid_from",
                "before_birth",
                "before the date of birth",
            ));
        }
    }
    check(errors)?;
    let (born, from) = (born.unwrap_or_default(), from.unwrap_or_default());
    let class = class.map(str::to_owned);
    let (town_id, actor, ip) = (
        session.row.town_id,
        session.citizen_id(),
        client.to_string(),
    );
    let id = state
        .db
        .write(move |tx| -> Result<i64, ApiError> {
            let found: Option<i64> = tx
                .query_row(
                    "SELECT id FROM households WHERE id = ?1 AND town_id = ?2",
                    params![household_id, town_id],
                    |r| r.get(0),
                )
                .optional()?;
            found.ok_or(ApiError::NotFound)?;
            let member = store::NewMember {
                name: &member_name,
                date_of_birth: &born.to_string(),
                citizen_id: None,
                rate_class: class.as_deref(),
                valid_from: &from.to_string(),
            };
            let id = store::insert_member(tx, household_id, &member)?;
            let what = format!("household {household_id}: member {id} registered");
            record(tx, town_id, actor, &ip, &what)?;
            Ok(id)
        })
        .await?;
    Ok((StatusCode::CREATED, ApiJson(Created { id })))
}

/// Registers a dog for its owner.
#[utoipa::path(post, path = "/api/staff/payments/registers/dogs", tag = "payments",
    request_body = NewDog, params(("X-CSRF-Token" = String, Header)),
    security(("session" = ["official:payments"])),
    responses((status = 201, body = Created), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn new_dog(
    State(state): State<AppState>,
    client: ClientIp,
    PaymentsOfficial(session): PaymentsOfficial,
    ApiJson(request): ApiJson<NewDog>,
) -> Result<(StatusCode, ApiJson<Created>), ApiError> {
    let mut errors = Vec::new();
    let dog_name = name("name", &request.name, &mut errors);
    let since = date("registered_on", &request.registered_on, &mut errors);
    check(errors)?;
    let since = since.unwrap_or_default().to_string();
    let (town_id, actor, ip) = (
        session.row.town_id,
        session.citizen_id(),
        client.to_string(),
    );
    let id = state
        .db
        .write(move |tx| -> Result<i64, ApiError> {
            if !account_in_town(tx, request.owner_account, town_id)? {
                return Err(ApiError::Validation(vec![invalid(
                    "owner_account",
                    "account_unknown",
                    "no such portal account in this town",
                )]));
            }
            let id = store::insert_dog(tx, town_id, request.owner_account, &dog_name, &since)?;
            if request.exempt {
                tx.execute("UPDATE dogs SET exempt = 1 WHERE id = ?1", [id])?;
            }
            record(tx, town_id, actor, &ip, &format!("dog {id} registered"))?;
            Ok(id)
        })
        .await?;
    Ok((StatusCode::CREATED, ApiJson(Created { id })))
}

/// Ends a person's registration in a household (the last registered day).
#[utoipa::path(post, path = "/api/staff/payments/registers/members/{id}/end", tag = "payments",
    request_body = EndRegistration, params(("id" = i64, Path), ("X-CSRF-Token" = String, Header)),
    security(("session" = ["official:payments"])),
    responses((status = 204), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 404, body = portal_domain::wire::ErrorBody),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn end_member(
    state: State<AppState>,
    client: ClientIp,
    official: PaymentsOfficial,
    Path(id): Path<i64>,
    ApiJson(request): ApiJson<EndRegistration>,
) -> Result<StatusCode, ApiError> {
    end(
        state,
        client,
        official,
        id,
        request,
        "SELECT m.valid_from FROM household_members m JOIN households h ON h.id = m.household_id
         WHERE m.id = ?1 AND h.town_id = ?2",
        "UPDATE household_members SET valid_to = ?2 WHERE id = ?1",
        "member",
    )
    .await
}

/// Ends a dog's registration (the last registered day).
#[utoipa::path(post, path = "/api/staff/payments/registers/dogs/{id}/end", tag = "payments",
    request_body = EndRegistration, params(("id" = i64, Path), ("X-CSRF-Token" = String, Header)),
    security(("session" = ["official:payments"])),
    responses((status = 204), (status = 401, body = portal_domain::wire::ErrorBody),
              (status = 403, body = portal_domain::wire::ErrorBody), (status = 404, body = portal_domain::wire::ErrorBody),
              (status = 422, body = portal_domain::wire::ErrorBody)))]
pub async fn end_dog(
    state: State<AppState>,
    client: ClientIp,
    official: PaymentsOfficial,
    Path(id): Path<i64>,
    ApiJson(request): ApiJson<EndRegistration>,
) -> Result<StatusCode, ApiError> {
    end(
        state,
        client,
        official,
        id,
        request,
        "SELECT registered_on FROM dogs WHERE id = ?1 AND town_id = ?2",
        "UPDATE dogs SET ended_on = ?2 WHERE id = ?1",
        "dog",
    )
    .await
}

/// Sets the last day of a registration found by `find` (its start date) in the official's town.
#[allow(clippy::too_many_arguments)]
async fn end(
    State(state): State<AppState>,
    client: ClientIp,
    PaymentsOfficial(session): PaymentsOfficial,
    id: i64,
    request: EndRegistration,
    find: &'static str,
    update: &'static str,
    what: &'static str,
) -> Result<StatusCode, ApiError> {
    let mut errors = Vec::new();
    let last = date("date", &request.date, &mut errors);
    check(errors)?;
    let last = last.unwrap_or_default();
    let (town_id, actor, ip) = (
        session.row.town_id,
        session.citizen_id(),
        client.to_string(),
    );
    state
        .db
        .write(move |tx| -> Result<(), ApiError> {
            let start: String = tx
                .query_row(find, params![id, town_id], |r| r.get(0))
                .optional()?
                .ok_or(ApiError::NotFound)?;
            if last.to_string() < start {
                return Err(ApiError::Validation(vec![invalid(
                    "date",
                    "before_start",
                    "before the registration began",
                )]));
            }
            tx.execute(update, params![id, last.to_string()])?;
            record(tx, town_id, actor, &ip, &format!("{what} {id} ended"))?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
