//! The yearly run: one obligation per instalment for every household member and every dog in
//! the registers on 1 January, charged to the household's payer or the dog's owner. Each is
//! keyed by (fee code, year, subject), so running again creates nothing twice.

use super::settings::{FeeKind, FeeSettings, render_vs, split};
use super::store::{self, DogOn, MemberOn};
use crate::audit::{self, AuditEvent};
use crate::db::DbError;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunReport {
    pub created: u64,
    pub existing: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("the year {0} is out of range (2000-2100)")]
    Year(i32),
    #[error("the town has no fee {0:?}")]
    UnknownFee(String),
    #[error("fee {fee}: the variable symbol for {subject} does not fit its template")]
    Symbol { fee: String, subject: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for RunError {
    fn from(e: rusqlite::Error) -> Self {
        RunError::Db(e.into())
    }
}

/// The rate class of a person on 1 January: an override in the register, else by age.
pub fn person_class(born: NaiveDate, jan1: NaiveDate, over: Option<&str>) -> &str {
    if let Some(class) = over {
        return class;
    }
    match jan1.years_since(born).unwrap_or(0) {
        0..18 => "child",
        18..65 => "adult",
        _ => "pensioner",
    }
}

/// One thing charged: its key, payer, the whole year's amount and what the description names.
struct Charge {
    key: String,
    subject_id: i64,
    payer_id: i64,
    amount: i64,
    name: String,
}

fn member_charges(fee: &FeeSettings, members: &[MemberOn], jan1: NaiveDate) -> Vec<Charge> {
    members
        .iter()
        .map(|m| {
            let born = m.date_of_birth.parse().unwrap_or(jan1);
            let class = person_class(born, jan1, m.rate_class.as_deref());
            Charge {
                key: format!("member:{}", m.id),
                subject_id: m.id,
                payer_id: m.payer_id,
                amount: fee.rate(class),
                name: m.name.clone(),
            }
        })
        .collect()
}

fn dog_charges(fee: &FeeSettings, dogs: &[DogOn], jan1: NaiveDate) -> Vec<Charge> {
    let mut out = Vec::new();
    let mut previous_owner = None;
    let mut counted = 0;
    for dog in dogs {
        if previous_owner != Some(dog.owner_id) {
            previous_owner = Some(dog.owner_id);
            counted = 0;
        }
        if dog.exempt {
            continue;
        }
        let pensioner = dog
            .owner_born
            .as_deref()
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .is_some_and(|born| person_class(born, jan1, None) == "pensioner");
        let rate = match (pensioner, counted) {
            (false, 0) => "first",
            (false, _) => "further",
            (true, 0) => "pensioner_first",
            (true, _) => "pensioner_further",
        };
        counted += 1;
        out.push(Charge {
            key: format!("dog:{}", dog.id),
            subject_id: dog.id,
            payer_id: dog.owner_id,
            amount: fee.rate(rate),
            name: dog.name.clone(),
        });
    }
    out
}

/// Runs the year for one fee (or all the town's fees) in the caller's transaction, with an
/// obligation event per obligation created and one audit record.
pub fn run(
    tx: &Connection,
    town_id: i64,
    year: i32,
    fee_code: Option<&str>,
    actor: Option<i64>,
    ip: Option<&str>,
) -> Result<RunReport, RunError> {
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1)
        .filter(|_| (2000..=2100).contains(&year))
        .ok_or(RunError::Year(year))?;
    let mut fees = store::fees(tx, town_id)?;
    if let Some(code) = fee_code {
        fees.retain(|f| f.code == code);
        if fees.is_empty() {
            return Err(RunError::UnknownFee(code.to_owned()));
        }
    }
    let day = jan1.to_string();
    let members = store::members_on(tx, town_id, &day)?;
    let dogs = store::dogs_on(tx, town_id, &day)?;
    let now = chrono::Utc::now().to_rfc3339();
    let period = year.to_string();
    let mut report = RunReport::default();
    for fee in &fees {
        let charges = match fee.kind {
            FeeKind::PerPerson => member_charges(fee, &members, jan1),
            FeeKind::PerDog => dog_charges(fee, &dogs, jan1),
        };
        for charge in charges.iter().filter(|c| c.amount > 0) {
            let amounts = split(charge.amount, &fee.instalments);
            for (index, (instalment, amount)) in fee.instalments.iter().zip(amounts).enumerate() {
                let number = index + 1;
                let vs = render_vs(
                    &fee.variable_symbol,
                    year,
                    number,
                    charge.payer_id,
                    charge.subject_id,
                )
                .ok_or_else(|| RunError::Symbol {
                    fee: fee.code.clone(),
                    subject: charge.key.clone(),
                })?;
                let due = NaiveDate::from_ymd_opt(year, instalment.month, instalment.day)
                    .unwrap_or(jan1)
                    .to_string();
                let key = format!("{}:i{number}", charge.key);
                let description = if fee.instalments.len() > 1 {
                    format!("{} – {} ({number}. splátka)", fee.name, charge.name)
                } else {
                    format!("{} – {}", fee.name, charge.name)
                };
                let inserted = tx.execute(
                    "INSERT INTO obligations (town_id, payer_id, item, description, period,
                         amount_halere, due_date, variable_symbol, specific_symbol,
                         constant_symbol, subject_key, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                     ON CONFLICT (town_id, item, period, subject_key)
                         WHERE subject_key IS NOT NULL DO NOTHING",
                    params![
                        town_id,
                        charge.payer_id,
                        fee.code,
                        description,
                        period,
                        amount,
                        due,
                        vs,
                        fee.specific_symbol,
                        fee.constant_symbol,
                        key,
                        now
                    ],
                )?;
                if inserted == 0 {
                    report.existing += 1;
                    continue;
                }
                report.created += 1;
                tx.execute(
                    "INSERT INTO obligation_events (obligation_id, at, event, amount_halere,
                                                    actor_id, note)
                     VALUES (?1, ?2, 'created', ?3, ?4, ?5)",
                    params![
                        tx.last_insert_rowid(),
                        now,
                        amount,
                        actor,
                        format!("yearly_run:{year}")
                    ],
                )?;
            }
        }
    }
    let codes: Vec<&str> = fees.iter().map(|f| f.code.as_str()).collect();
    let detail = format!(
        "{year} [{}]: {} created, {} existing",
        codes.join(","),
        report.created,
        report.existing
    );
    audit::record(
        tx,
        &AuditEvent {
            event: "yearly_run",
            town_id: Some(town_id),
            citizen_id: actor,
            ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )?;
    Ok(report)
}
