//! The simulator: an axum server started by [`spawn`], stopped by [`Running::shutdown`] (or by
//! dropping the handle).

pub mod api;
pub mod config;
pub mod notify;
pub mod payer;
pub mod store;
pub mod testctl;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use chrono::Utc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::{Config, Merchant, NotifyConfig};
pub use testctl::{Faults, TestPayment};

use store::Store;

/// Everything the handlers share.
pub struct App {
    pub(crate) store: Store,
    pub(crate) merchants: HashMap<String, Merchant>,
    /// Where browsers reach the simulator, without a trailing slash.
    pub(crate) base_url: String,
    pub(crate) config: Config,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) http: reqwest::Client,
    pub(crate) shutdown: watch::Receiver<bool>,
}

impl App {
    /// The current faults; `forge` is used up by the caller.
    pub(crate) fn take_faults(&self) -> Faults {
        let mut faults = self.faults.lock().unwrap_or_else(|e| e.into_inner());
        let now = faults.clone();
        faults.forge = false;
        now
    }

    pub(crate) fn is_shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }
}

/// A running simulator. Dropping it stops the server too (without waiting).
pub struct Running {
    /// The simulator's base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub url: String,
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

impl Running {
    /// `url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Stops taking connections, lets requests in progress finish and abandons notifications
    /// still being retried (a state file keeps them for the next start).
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        match self.server.take() {
            Some(handle) => handle
                .await
                .unwrap_or_else(|e| Err(std::io::Error::other(e))),
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Why the simulator could not start; the message names the flag involved.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

/// Binds `config.listen` and serves the simulator on the current tokio runtime. It takes
/// connections once this returns.
pub async fn spawn(config: Config) -> Result<Running, StartError> {
    if config.merchants.is_empty() {
        return Err(StartError(
            "--merchant: at least one ID:SECRET is required".into(),
        ));
    }
    let mut merchants = HashMap::new();
    for m in &config.merchants {
        if merchants.insert(m.id.clone(), m.clone()).is_some() {
            return Err(StartError(format!(
                "--merchant: id {:?} is given twice",
                m.id
            )));
        }
    }
    if let Some(url) = &config.public_url {
        config::check_base_url(url).map_err(|e| StartError(format!("--public-url: {e}")))?;
    }
    let store = Store::open(config.state_file.clone()).map_err(StartError)?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| StartError(format!("--listen: cannot listen on {}: {e}", config.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartError(format!("--listen: {e}")))?;
    let mut shown = addr;
    if shown.ip().is_unspecified() {
        shown.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let url = format!("http://{shown}");
    let base_url = config
        .public_url
        .clone()
        .map_or_else(|| url.clone(), |u| u.trim_end_matches('/').to_owned());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| StartError(format!("HTTP client: {e}")))?;
    let (stop, shutdown) = watch::channel(false);
    let test_controls = config.test_controls;
    let app = Arc::new(App {
        store,
        merchants,
        base_url,
        config,
        faults: Mutex::new(Faults::default()),
        http,
        shutdown: shutdown.clone(),
    });

    let mut router = axum::Router::new()
        .route(
            "/health",
            get(|| async { Json(serde_json::json!({"status": "ok"})) }),
        )
        .merge(api::router())
        .merge(payer::router());
    if test_controls {
        router = router.merge(testctl::router());
    }
    let router = router
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(app.clone());

    notify::resume_unsettled(&app);
    tokio::spawn(expiry_sweeper(app.clone()));

    let mut until_stop = shutdown;
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = until_stop.wait_for(|stop| *stop).await;
            })
            .await
    });
    tracing::info!(%url, test_controls, "gateway simulator listening");
    Ok(Running {
        url,
        addr,
        stop,
        server: Some(server),
    })
}

/// Expires `created` payments whose time is up, so their notifications go out without anyone
/// asking (reads expire them too, on the spot).
async fn expiry_sweeper(app: Arc<App>) {
    let tick =
        (app.config.expire_after / 4).clamp(Duration::from_millis(20), Duration::from_secs(1));
    let mut shutdown = app.shutdown.clone();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(tick) => {}
            _ = shutdown.wait_for(|stop| *stop) => return,
        }
        let now = Utc::now();
        let due = app.store.with(|s| {
            s.payments
                .values()
                .any(|p| p.status == crate::protocol::PaymentStatus::Created && now >= p.expires_at)
        });
        if !due {
            continue;
        }
        let expired = app.store.update(|s| {
            s.payments
                .values_mut()
                .filter_map(|p| p.expire_if_due(now).map(|v| (p.clone(), v)))
                .collect::<Vec<_>>()
        });
        for (record, version) in expired {
            notify::status_changed(&app, &record, version);
        }
    }
}
