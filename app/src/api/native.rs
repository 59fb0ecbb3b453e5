//! The transport outside the browser: `reqwest` (the kiosk, and the native test build).

use super::{ApiError, Method, Request};
use std::sync::{Arc, Mutex};

/// The client sits behind a lock so the kiosk can swap it for a fresh one (an empty cookie jar)
/// when a visitor leaves; clones of the [`super::ApiClient`] share the swap.
#[derive(Clone)]
pub(super) struct Http {
    client: Arc<Mutex<reqwest::Client>>,
    pems: Arc<Vec<Vec<u8>>>,
    /// The kiosk's device credential, sent as `Authorization: Kiosk …` with every request.
    kiosk_credential: Option<Arc<str>>,
}

pub(super) struct Response(reqwest::Response);

impl Http {
    pub(super) fn new(pems: &[Vec<u8>]) -> Http {
        Http {
            client: Arc::new(Mutex::new(build_client(pems))),
            pems: Arc::new(pems.to_vec()),
            kiosk_credential: None,
        }
    }

    pub(super) fn with_kiosk_credential(mut self, credential: &str) -> Http {
        self.kiosk_credential = Some(Arc::from(credential));
        self
    }

    /// Forgets every cookie: the next request starts from an empty jar.
    pub(super) fn reset(&self) {
        let fresh = build_client(&self.pems);
        *self.client.lock().unwrap_or_else(|e| e.into_inner()) = fresh;
    }

    /// Sends the request; `Err(Network)` when no answer came, whatever its status.
    pub(super) async fn send(&self, request: Request<'_>) -> Result<Response, ApiError> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let client = self
            .client
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut builder = client.request(method, request.url);
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        if let Some(credential) = &self.kiosk_credential {
            builder = builder.header("Authorization", format!("Kiosk {credential}"));
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        match builder.send().await {
            Ok(response) => Ok(Response(response)),
            Err(_) => Err(ApiError::Network),
        }
    }
}

impl Response {
    pub(super) fn status(&self) -> u16 {
        self.0.status().as_u16()
    }

    /// The whole body, or `None` when it could not be read.
    pub(super) async fn bytes(self) -> Option<Vec<u8>> {
        self.0.bytes().await.ok().map(Vec::from)
    }
}

#[cfg(feature = "desktop")]
fn build_client(pems: &[Vec<u8>]) -> reqwest::Client {
    // The kiosk has no browser cookie jar: keep the session cookie ourselves.
    let mut builder = reqwest::Client::builder().cookie_store(true);
    if !pems.is_empty() {
        builder = builder.tls_built_in_root_certs(false);
        for pem in pems {
            match reqwest::Certificate::from_pem_bundle(pem) {
                Ok(certs) => {
                    for cert in certs {
                        builder = builder.add_root_certificate(cert);
                    }
                }
                Err(error) => eprintln!("portal-app: ignoring a trust anchor: {error}"),
            }
        }
    }
    builder.build().unwrap_or_else(|error| {
        // Without its TLS settings the client would trust the wrong roots: refuse to run.
        eprintln!("portal-app: cannot build the HTTP client: {error}");
        std::process::exit(2);
    })
}

#[cfg(not(feature = "desktop"))]
fn build_client(_pems: &[Vec<u8>]) -> reqwest::Client {
    reqwest::Client::new()
}
