//! The citizen's own record: profile and contact settings.

pub mod store;

use crate::error::{ApiError, field_error};
use crate::identity::session::CurrentSession;
use crate::state::AppState;
use crate::towns::CurrentTown;
use crate::web::ApiJson;
use axum::Router;
use axum::extract::State;
use axum::routing::{get, put};
use portal_domain::wire::{ContactSettings, Profile};
use portal_domain::{Email, PhoneNumber};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/me/profile", get(profile))
        .route("/api/me/contact", put(update_contact))
}

/// The logged-in citizen's profile and linked identities.
#[utoipa::path(get, path = "/api/me/profile", tag = "profile",
    security(("session" = [])),
    responses((status = 200, body = Profile), (status = 401, body = portal_domain::wire::ErrorBody)))]
pub async fn profile(
    State(state): State<AppState>,
    CurrentTown(town): CurrentTown,
    session: CurrentSession,
) -> Result<ApiJson<Profile>, ApiError> {
    let citizen_id = session.citizen_id();
    let mut profile = state
        .db
        .read(move |conn| store::profile(conn, citizen_id))
        .await?;
    crate::identity::linked::name_kinds(&state, &town.info.slug, &mut profile.identities);
    Ok(ApiJson(profile))
}

/// Contact details after parsing; empty strings mean "remove".
struct ValidContact {
    email: Option<Email>,
    phone: Option<PhoneNumber>,
}

fn validate(contact: &ContactSettings) -> Result<ValidContact, ApiError> {
    let present = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut errors = Vec::new();
    let email = match present(&contact.email)
        .map(|e| Email::parse(&e))
        .transpose()
    {
        Ok(email) => email,
        Err(e) => {
            errors.push(field_error("email", e));
            None
        }
    };
    let phone = match present(&contact.phone)
        .map(|p| PhoneNumber::parse(&p))
        .transpose()
    {
        Ok(phone) => phone,
        Err(e) => {
            errors.push(field_error("phone", e));
            None
        }
    };
    if errors.is_empty() {
        Ok(ValidContact { email, phone })
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Replaces the citizen's contact e-mail and phone; answers with the stored, normalised values.
#[utoipa::path(put, path = "/api/me/contact", tag = "profile", request_body = ContactSettings,
    params(("X-CSRF-Token" = String, Header)),
    security(("session" = [])),
    responses((status = 200, body = ContactSettings), (status = 422, body = portal_domain::wire::ErrorBody),
              (status = 401, body = portal_domain::wire::ErrorBody), (status = 403, body = portal_domain::wire::ErrorBody)))]
pub async fn update_contact(
    State(state): State<AppState>,
    session: CurrentSession,
    ApiJson(contact): ApiJson<ContactSettings>,
) -> Result<ApiJson<ContactSettings>, ApiError> {
    let valid = validate(&contact)?;
    let stored = ContactSettings {
        email: valid.email.map(|e| e.as_str().to_owned()),
        phone: valid.phone.map(|p| p.as_str().to_owned()),
    };
    let citizen_id = session.citizen_id();
    let to_store = stored.clone();
    state
        .db
        .write(move |tx| {
            store::update_contact(tx, citizen_id, &to_store)?;
            Ok::<_, ApiError>(())
        })
        .await?;
    Ok(ApiJson(stored))
}
