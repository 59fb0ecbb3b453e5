//! The HTTP client for the portal's JSON API.
//!
//! One [`ApiClient`] per app, shared by context. On the web it talks to its own origin (the
//! browser sends the HttpOnly session cookie); on the kiosk it talks to the profile's
//! `backend_url` and keeps the cookie in its own cookie store.

mod error;

pub use error::ApiError;

use portal_domain::wire::{
    ContactSettings, Dashboard, DemoLoginRequest, DemoPersona, ErrorBody, Profile, SessionInfo,
    TownInfo,
};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Clone)]
pub struct ApiClient {
    /// Scheme, host and port without a trailing slash, e.g. `https://portal.example.cz`.
    base_url: String,
    http: reqwest::Client,
}

// Components take the client from context, never as a prop; equality only keeps props simple.
impl PartialEq for ApiClient {
    fn eq(&self, other: &Self) -> bool {
        self.base_url == other.base_url
    }
}

impl ApiClient {
    pub fn new(base_url: &str) -> ApiClient {
        ApiClient::with_trust_anchors(base_url, &[])
    }

    /// A client that trusts only the given PEM CA certificates (a town's own CA), or the usual
    /// public roots when there are none. Certificates matter only on the kiosk: the browser
    /// does its own TLS.
    pub fn with_trust_anchors(base_url: &str, pems: &[Vec<u8>]) -> ApiClient {
        ApiClient {
            base_url: base_url.trim_end_matches('/').to_string(),
            http: build_http(pems),
        }
    }

    /// The client for the page's own origin (reqwest on wasm rejects relative URLs).
    #[cfg(all(target_arch = "wasm32", feature = "web"))]
    pub fn same_origin() -> ApiClient {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        ApiClient::new(&origin)
    }

    /// An absolute URL for a path that starts with `/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub async fn town(&self) -> Result<TownInfo, ApiError> {
        self.get("/api/town").await
    }

    pub async fn session(&self) -> Result<SessionInfo, ApiError> {
        self.get("/api/session").await
    }

    pub async fn demo_personas(&self) -> Result<Vec<DemoPersona>, ApiError> {
        self.get("/api/auth/demo/personas").await
    }

    /// Demo login needs no CSRF token yet (there is no session); an empty header is sent.
    pub async fn demo_login(&self, persona: &str) -> Result<SessionInfo, ApiError> {
        let body = DemoLoginRequest {
            persona: persona.to_string(),
        };
        let response = self
            .send(Method::POST, "/api/auth/demo/login", "", &body)
            .await?;
        decode(response).await
    }

    pub async fn logout(&self, csrf: &str) -> Result<(), ApiError> {
        let request = self.request(Method::POST, "/api/auth/logout", csrf);
        check(request.send().await.map_err(ApiError::network)?).await?;
        Ok(())
    }

    pub async fn dashboard(&self) -> Result<Dashboard, ApiError> {
        self.get("/api/dashboard").await
    }

    pub async fn profile(&self) -> Result<Profile, ApiError> {
        self.get("/api/me/profile").await
    }

    pub async fn put_contact(
        &self,
        csrf: &str,
        contact: &ContactSettings,
    ) -> Result<ContactSettings, ApiError> {
        let response = self
            .send(Method::PUT, "/api/me/contact", csrf, contact)
            .await?;
        decode(response).await
    }

    fn request(&self, method: Method, path: &str, csrf: &str) -> RequestBuilder {
        let mut request = self
            .http
            .request(method.clone(), self.url(path))
            .header("Accept", "application/json");
        if method != Method::GET {
            request = request.header("X-CSRF-Token", csrf);
        }
        request
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let response = self.request(Method::GET, path, "").send().await;
        decode(response.map_err(ApiError::network)?).await
    }

    async fn send<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        csrf: &str,
        body: &B,
    ) -> Result<Response, ApiError> {
        let request = self.request(method, path, csrf).json(body);
        check(request.send().await.map_err(ApiError::network)?).await
    }
}

#[cfg(feature = "desktop")]
fn build_http(pems: &[Vec<u8>]) -> reqwest::Client {
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
fn build_http(_pems: &[Vec<u8>]) -> reqwest::Client {
    reqwest::Client::new()
}

/// Turns a non-success status into an [`ApiError`], reading the error body when there is one.
async fn check(response: Response) -> Result<Response, ApiError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let body: Option<ErrorBody> = response.json().await.ok();
    Err(ApiError::from_status(status.as_u16(), body))
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let response = check(response).await?;
    if response.status() == StatusCode::NO_CONTENT {
        return Err(ApiError::Decode);
    }
    response.json().await.map_err(|_| ApiError::Decode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_absolute_without_double_slashes() {
        let api = ApiClient::new("https://portal.example.cz/");
        assert_eq!(api.url("/api/town"), "https://portal.example.cz/api/town");
    }
}
