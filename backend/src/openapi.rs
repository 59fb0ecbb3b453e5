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
    )
)]
pub struct ApiDoc;

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}
