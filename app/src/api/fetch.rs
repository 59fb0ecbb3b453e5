//! The transport in the browser: `fetch` through `web-sys`, without an HTTP library on top.
//!
//! It does what reqwest's wasm backend did for us, and no more: the same headers, the body as
//! bytes, the default CORS mode, cookies for the page's own origin only (`credentials:
//! same-origin`, so the HttpOnly session cookie goes along), and the request aborted when its
//! future is dropped (a page left while it was loading).

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCredentials, RequestInit};

use super::{ApiError, Method, Request};

#[derive(Clone)]
pub(super) struct Http;

pub(super) struct Response {
    inner: web_sys::Response,
    // Keeps the request alive until the body has been read.
    _abort: AbortOnDrop,
}

/// Aborts the fetch when dropped; after the body has been read that does nothing.
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

impl Http {
    pub(super) fn new(_pems: &[Vec<u8>]) -> Http {
        // The browser does TLS with its own trust store.
        Http
    }

    /// Sends the request; `Err(Network)` when no answer came, whatever its status.
    pub(super) async fn send(&self, request: Request<'_>) -> Result<Response, ApiError> {
        let window = web_sys::window().ok_or(ApiError::Network)?;
        let headers = Headers::new().map_err(|_| ApiError::Network)?;
        for (name, value) in &request.headers {
            headers.append(name, value).map_err(|_| ApiError::Network)?;
        }
        let init = RequestInit::new();
        init.set_method(match request.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        });
        init.set_headers(&headers);
        init.set_credentials(RequestCredentials::SameOrigin);
        if let Some(body) = &request.body {
            init.set_body(&Uint8Array::from(body.as_slice()));
        }
        let abort = AbortOnDrop(AbortController::new().ok());
        if let Some(controller) = &abort.0 {
            init.set_signal(Some(&controller.signal()));
        }
        let request = web_sys::Request::new_with_str_and_init(&request.url, &init)
            .map_err(|_| ApiError::Network)?;
        let answer = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| ApiError::Network)?;
        let inner = answer
            .dyn_into::<web_sys::Response>()
            .map_err(|_| ApiError::Network)?;
        Ok(Response {
            inner,
            _abort: abort,
        })
    }
}

impl Response {
    pub(super) fn status(&self) -> u16 {
        self.inner.status()
    }

    /// The whole body, or `None` when it could not be read.
    pub(super) async fn bytes(self) -> Option<Vec<u8>> {
        let promise = self.inner.array_buffer().ok()?;
        let buffer = JsFuture::from(promise).await.ok()?;
        Some(Uint8Array::new(&buffer).to_vec())
    }
}
