//! The HTTP client for the portal's JSON API.
//!
//! One [`ApiClient`] per app, shared by context. On the web it talks to its own origin (the
//! browser sends the HttpOnly session cookie); on the kiosk it talks to the profile's
//! `backend_url` and keeps the cookie in its own cookie store.
//!
//! The transport underneath is the browser's `fetch` in the wasm build ([`fetch`], a thin
//! wrapper over `web-sys` that keeps the web client small) and `reqwest` everywhere else
//! ([`native`]: the kiosk, and the native build that runs the tests). Both offer the same two
//! things, `Http::send` and `Response`, so everything about headers, CSRF and error mapping
//! lives here once.

#[cfg(feature = "office")]
mod admin_kiosks;
#[cfg(feature = "office")]
mod admin_staff;
mod error;
#[cfg(target_arch = "wasm32")]
mod fetch;
#[cfg(not(target_arch = "wasm32"))]
mod kiosk;
#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(feature = "office")]
mod staff_payments;

pub use error::ApiError;
#[cfg(feature = "office")]
pub use staff_payments::{RegisterChange, YearlyRunReport, YearlyRunRequest};

#[cfg(target_arch = "wasm32")]
use fetch::{Http, Response};
#[cfg(not(target_arch = "wasm32"))]
use native::{Http, Response};

use portal_domain::wire::{
    ContactSettings, Dashboard, DemoLoginRequest, DemoPersona, ErrorBody, LogoutResult,
    ObligationDetail, ObligationList, Profile, SessionInfo, TownInfo,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
    Put,
    Delete,
}

/// What one call sends: the headers are complete (the transport adds none of its own).
struct Request<'a> {
    method: Method,
    url: String,
    headers: Vec<(&'static str, &'a str)>,
    /// A JSON body, already serialized.
    body: Option<Vec<u8>>,
}

#[derive(Clone)]
pub struct ApiClient {
    /// Scheme, host and port without a trailing slash, e.g. `https://portal.example.cz`.
    base_url: String,
    http: Http,
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
            http: Http::new(pems),
        }
    }

    /// The client for the page's own origin (absolute URLs, like the kiosk's).
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
            .send(Method::Post, "/api/auth/demo/login", "", Some(&body))
            .await?;
        decode(response).await
    }

    /// Ends the session; the answer may name the provider's logout page to visit next.
    pub async fn logout(&self, csrf: &str) -> Result<LogoutResult, ApiError> {
        let response = self
            .send::<()>(Method::Post, "/api/auth/logout", csrf, None)
            .await?;
        decode(response).await
    }

    /// Removes one of the citizen's login identities (needs a "substantial" login).
    pub async fn unlink_identity(&self, csrf: &str, id: i64) -> Result<(), ApiError> {
        let path = format!("/api/me/identities/{id}");
        self.send::<()>(Method::Delete, &path, csrf, None).await?;
        Ok(())
    }

    pub async fn obligations(&self) -> Result<ObligationList, ApiError> {
        self.get("/api/payments/obligations").await
    }

    pub async fn obligation(&self, id: i64) -> Result<ObligationDetail, ApiError> {
        self.get(&format!("/api/payments/obligations/{id}")).await
    }

    /// Starts paying these obligations by card; answers the gateway page to send the browser to.
    /// One transfer for several obligations: the basket with its variable symbol and QR Platba.
    pub async fn create_basket(
        &self,
        csrf: &str,
        obligation_ids: &[i64],
    ) -> Result<portal_domain::wire::Basket, ApiError> {
        let body = portal_domain::wire::NewBasket {
            obligation_ids: obligation_ids.to_vec(),
        };
        decode(
            self.send(Method::Post, "/api/payments/baskets", csrf, Some(&body))
                .await?,
        )
        .await
    }

    pub async fn start_card_payment(
        &self,
        csrf: &str,
        obligation_ids: &[i64],
    ) -> Result<Option<String>, ApiError> {
        let body = portal_domain::wire::CardPaymentRequest {
            obligation_ids: obligation_ids.to_vec(),
        };
        let response = self
            .send(Method::Post, "/api/payments/card", csrf, Some(&body))
            .await?;
        let started: portal_domain::wire::CardPayment = decode(response).await?;
        Ok(started.redirect_url)
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
            .send(Method::Put, "/api/me/contact", csrf, Some(contact))
            .await?;
        decode(response).await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        decode(self.send::<()>(Method::Get, path, "", None).await?).await
    }

    /// Sends a request and checks its status. Every request asks for JSON; every request but a
    /// GET carries the CSRF token (empty before login); a body goes as JSON.
    async fn send<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        csrf: &str,
        body: Option<&B>,
    ) -> Result<Response, ApiError> {
        let mut headers = vec![("Accept", "application/json")];
        if method != Method::Get {
            headers.push(("X-CSRF-Token", csrf));
        }
        let body = match body {
            Some(body) => {
                headers.push(("Content-Type", "application/json"));
                Some(serde_json::to_vec(body).map_err(|_| ApiError::Network)?)
            }
            None => None,
        };
        let request = Request {
            method,
            url: self.url(path),
            headers,
            body,
        };
        check(self.http.send(request).await?).await
    }
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The body as JSON; `None` when it cannot be read or is not the JSON expected.
async fn json<T: DeserializeOwned>(response: Response) -> Option<T> {
    let bytes = response.bytes().await?;
    serde_json::from_slice(&bytes).ok()
}

/// Turns a non-success status into an [`ApiError`], reading the error body when there is one.
async fn check(response: Response) -> Result<Response, ApiError> {
    let status = response.status();
    if is_success(status) {
        return Ok(response);
    }
    let body: Option<ErrorBody> = json(response).await;
    Err(ApiError::from_status(status, body))
}

/// The body of a successful answer; 204 No Content has none to decode.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.status() == 204 {
        return Err(ApiError::Decode);
    }
    json(response).await.ok_or(ApiError::Decode)
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
