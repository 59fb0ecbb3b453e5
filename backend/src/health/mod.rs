//! Liveness for load balancers and the README's "it runs" check.

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::ApiJson;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use portal_domain::wire::Health;

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

/// `{"status":"ok"}` when the server answers and its database does too.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> Result<ApiJson<Health>, ApiError> {
    state
        .db
        .read(|conn| Ok(conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))
        .await?;
    Ok(ApiJson(Health {
        status: "ok".into(),
    }))
}
