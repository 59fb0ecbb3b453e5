//! The OpenAPI document, generated from the handlers' annotations. Add each new handler here.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Portál občana města",
        description = "API of the citizen portal."
    ),
    paths(
        crate::health::health,
        crate::towns::town_info,
        crate::identity::current_session,
        crate::identity::logout,
        crate::identity::logout_everywhere,
        crate::identity::demo::personas,
        crate::identity::demo::login,
        crate::identity::oidc::start,
        crate::identity::oidc::callback::callback,
        crate::dashboard::dashboard,
        crate::profile::profile,
        crate::profile::update_contact,
        crate::identity::linked::unlink,
        crate::identity::entry::entry,
        crate::staff::list,
        crate::staff::grant,
        crate::staff::revoke,
        crate::payments::citizen::list,
        crate::payments::citizen::detail,
        crate::payments::citizen::qr,
        crate::payments::baskets::create,
        crate::payments::baskets::qr,
        crate::payments::staff::upload_statement,
        crate::payments::staff::unmatched,
        crate::payments::fees::yearly_run,
        crate::payments::fees::registers::fee_types,
        crate::payments::fees::registers::new_household,
        crate::payments::fees::registers::new_member,
        crate::payments::fees::registers::end_member,
        crate::payments::fees::registers::new_dog,
        crate::payments::fees::registers::end_dog,
        crate::payments::manual::enter,
        crate::payments::manual::assign,
        crate::payments::reversals::unpaired,
        crate::payments::reversals::pair,
        crate::payments::reports::arrears,
        crate::payments::reports::export,
        crate::payments::payer::payer,
        crate::payments::payer::by_symbol,
        crate::payments::card::start::start,
        crate::payments::card::handlers::card_return,
        crate::payments::card::handlers::status,
        crate::payments::card::notify::notify,
        crate::payments::card::refund::refund,
        crate::kiosk::login::challenge,
        crate::kiosk::login::login,
        crate::kiosk::login::logout,
        crate::kiosk::login::profile,
        crate::kiosk::handoff::start,
        crate::kiosk::handoff::complete,
        crate::kiosk::handoff::claim,
        crate::kiosk::admin::list,
        crate::kiosk::admin::register,
        crate::kiosk::admin::profile,
        crate::kiosk::admin::update_profile,
        crate::kiosk::admin::revoke,
    ),
    modifiers(&SessionCookie)
)]
pub struct ApiDoc;

/// The `session` security scheme: the session cookie. An operation's `security` lists the
/// roles it needs (`[]` = any logged-in citizen); tests derive their authorization checks
/// from it.
struct SessionCookie;

impl utoipa::Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "portal_session",
                "The session cookie (`__Host-portal_session` over https); state-changing \
                 requests also send its CSRF token as `X-CSRF-Token`.",
            ))),
        );
        components.add_security_scheme(
            "kiosk",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "A lobby kiosk's device credential: `Authorization: Kiosk <credential>`, issued \
                 once by an admin (`POST /api/admin/kiosks`). Opens only the kiosk's endpoints.",
            ))),
        );
    }
}

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}
