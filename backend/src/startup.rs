//! Builds the application from a config: database, towns, routes, middleware, listener.
//! Tests use the same path with port 0 (`spawn_app()`), so what they test is what runs.

use crate::config::Config;
use crate::db::{Db, DbError};
use crate::error::ApiError;
use crate::state::AppState;
use crate::towns::TownDirectory;
use crate::{
    dashboard, demo, health, identity, kiosk, openapi, payments, profile, staff, towns, web,
};
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::response::Response;
use axum::routing::any;
use axum::{Router, ServiceExt, middleware};
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Bodies the API takes are small forms; uploads will get their own limits.
const API_BODY_LIMIT: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot create data folder {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(
        "refusing demo mode: {0} real town(s) are stored or configured; demo mode seeds fictitious \
         people and offers a login without identity, so it only runs on a database of its own \
         (set PORTAL_DATA_DIR to another folder)"
    )]
    DemoOnRealData(i64),
    #[error("cannot build the HTTP client for identity providers: {0}")]
    HttpClient(reqwest::Error),
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    pub async fn build(config: Config) -> Result<Application, StartupError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;
        let path = config.database_path();
        let db = tokio::task::spawn_blocking(move || Db::open(&path))
            .await
            .map_err(|_| DbError::Task)??;
        let demo_mode = config.demo;
        let configured = config.towns.clone();
        let towns = db
            .write(move |tx| prepare_towns(tx, demo_mode, &configured))
            .await?;
        if towns.is_empty() {
            tracing::warn!("no town in the database yet; start with --demo to see the demo town");
        }
        let oidc =
            identity::oidc::Registry::from_config(&config).map_err(StartupError::HttpClient)?;
        let state = AppState {
            card_writer: payments::card::batch::Batcher::start(db.clone()),
            db,
            towns: Arc::new(TownDirectory::new(towns, config.demo, &config.towns)),
            oidc: Arc::new(oidc),
            login_limiter: Arc::new(identity::rate_limit::LoginLimiter::new(
                config.login_attempts_per_minute,
            )),
            config: Arc::new(config),
        };
        let listener = TcpListener::bind(state.config.listen)
            .await
            .map_err(|source| StartupError::Listen {
                addr: state.config.listen,
                source,
            })?;
        let router = router(state.clone());
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until ctrl-c or SIGTERM, then finishes requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let purge = tokio::spawn(purge_sessions_forever(self.state.clone()));
        let card_poller = payments::card::recovery::spawn(self.state.clone());
        let service =
            with_middleware(self.router).into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        purge.abort();
        card_poller.abort();
        result
    }
}

/// Stores the configured towns; in demo mode seeds the demo town instead (refusing a database
/// with real towns); then lists all towns.
fn prepare_towns(
    conn: &rusqlite::Connection,
    demo_mode: bool,
    configured: &[towns::settings::TownSettings],
) -> Result<Vec<towns::Town>, StartupError> {
    let now = chrono::Utc::now().to_rfc3339();
    if demo_mode {
        let real = towns::store::count_non_demo(conn)? + configured.len() as i64;
        if real > 0 {
            return Err(StartupError::DemoOnRealData(real));
        }
        demo::seed(conn)?;
    }
    for town in configured {
        let town_id = towns::store::upsert(conn, town, &now)?;
        payments::fees::store::replace_fees(conn, town_id, &town.fees, &now)?;
    }
    Ok(towns::store::all(conn)?)
}

/// Every route of the portal, merged in one place.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(health::router())
        .merge(towns::router())
        .merge(identity::router())
        .merge(dashboard::router())
        .merge(profile::router())
        .merge(staff::router())
        .merge(payments::router())
        .merge(kiosk::router())
        .merge(openapi::router())
        .route("/api/{*rest}", any(|| async { ApiError::NotFound }))
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
        .with_state(state.clone());

    api.merge(web::web_client(&state.config.web_dir))
}

/// What runs around every request: request id, request span, timeout, compression, security
/// headers (outermost first). It wraps the router as a whole rather than through
/// `Router::layer`, which wraps each route and so has the whole stack cloned for every request.
fn with_middleware(
    router: Router,
) -> impl tower::Service<axum::extract::Request, Response = Response, Error = Infallible, Future: Send>
+ Clone
+ Send
+ 'static {
    let request_id = HeaderName::from_static("x-request-id");
    tower::ServiceBuilder::new()
        .map_response(|response: Response<_>| response.map(axum::body::Body::new))
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                // The path only: query strings can carry codes and tokens.
                tracing::info_span!("request", id, method = %request.method(), path = request.uri().path())
            }),
        )
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(middleware::from_fn(web::security_headers))
        .service(router)
}

async fn purge_sessions_forever(state: AppState) {
    let idle = state.config.session.idle_timeout_secs;
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        state.login_limiter.forget_idle();
        let now = identity::session::now_unix();
        let result = state
            .db
            .write(move |tx| identity::store::purge_expired_sessions(tx, now, idle))
            .await;
        match result {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "purged expired sessions"),
            Err(error) => tracing::warn!(%error, "purging sessions failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
