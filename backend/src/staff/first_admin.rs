//! `portal-backend grant-admin`: a town's first admin (or one whose admins all left) is
//! appointed on the server itself, since in the portal only an admin grants roles. The person
//! logs in once and reads their account number on the profile page; the town's IT admin runs
//! the command. It is audited like a grant in the back office.

use super::store;
use crate::audit::{self, AuditEvent};
use crate::db::DbError;
use crate::towns::store as towns;
use portal_domain::wire::Role;
use rusqlite::Connection;

/// Makes `account` an admin of the town `slug` (the only town when `None`). `Ok` says what was
/// done; `Err` why nothing was.
pub fn grant(
    tx: &Connection,
    slug: Option<&str>,
    account: i64,
) -> Result<Result<String, String>, DbError> {
    let mut stmt = tx.prepare("SELECT slug FROM towns ORDER BY id")?;
    let slugs: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let slug = match (slug, slugs.as_slice()) {
        (Some(slug), _) => slug.to_owned(),
        (None, [only]) => only.clone(),
        (None, _) => {
            return Ok(Err(format!(
                "name the town with --town (one of: {})",
                slugs.join(", ")
            )));
        }
    };
    let Some(town_id) = towns::id_by_slug(tx, &slug)? else {
        return Ok(Err(format!(
            "no town {slug:?} (known: {})",
            slugs.join(", ")
        )));
    };
    if !store::has_logged_in_here(tx, account, town_id)? {
        return Ok(Err(format!(
            "account {account} has never logged in to {slug}: log in once, then read the \
             account number on the profile page"
        )));
    }
    if store::exists(tx, account, town_id, Role::Admin, None)? {
        return Ok(Ok(format!(
            "account {account} is an admin of {slug} already"
        )));
    }
    store::insert(tx, account, town_id, Role::Admin, None)?;
    let detail = format!("account {account} admin (command line)");
    audit::record(
        tx,
        &AuditEvent {
            event: "role_granted",
            town_id: Some(town_id),
            detail: Some(&detail),
            ..Default::default()
        },
    )?;
    Ok(Ok(format!("account {account} is now an admin of {slug}")))
}
