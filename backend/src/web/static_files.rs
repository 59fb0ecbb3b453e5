//! Serves the built web client (see `scripts/build-web.sh`): precompressed files when the browser
//! takes them, long caching for content-hashed files, and `index.html` for every other path so
//! that reloading a client route such as `/nastaveni` works. Back-office pages (`/sprava`,
//! `/sprava/...`) get `office.html` instead: the client built with its office pages, which the
//! citizens' `index.html` leaves out to keep their first load small.

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

pub fn web_client(web_dir: &Path) -> Router {
    let index = web_dir.join("index.html");
    if !index.exists() {
        tracing::warn!(
            dir = %web_dir.display(),
            "the web client is not built here; run scripts/build-web.sh (the API still works)"
        );
    }
    let index_file = ServeFile::new(&index)
        .precompressed_br()
        .precompressed_gzip();
    let office = web_dir.join("office.html");
    let office_file = ServeFile::new(&office)
        .precompressed_br()
        .precompressed_gzip();
    // Client routes (`/nastaveni`) get index.html; a missing file (`/assets/x.css`) stays a 404,
    // so that the service worker never caches the page under a file's name.
    let spa_fallback = tower::service_fn(move |request: Request| {
        // Checked on each request (a stat), as build-web.sh swaps the folder under a running
        // server; a folder from before the split has no office.html, and its index.html has
        // every page.
        let page = if is_office_path(request.uri().path()) && office.exists() {
            office_file.clone()
        } else {
            index_file.clone()
        };
        async move {
            let last_segment = request.uri().path().rsplit('/').next().unwrap_or("");
            if last_segment.contains('.') {
                Ok(StatusCode::NOT_FOUND.into_response())
            } else {
                page.oneshot(request).await.map(IntoResponse::into_response)
            }
        }
    });
    let files = ServeDir::new(web_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(spa_fallback);
    // Compression only here: API answers are small, and compressing answers that hold secrets
    // (the CSRF token) next to reflected input is what BREACH-style attacks need.
    Router::new()
        .fallback_service(files)
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(middleware::from_fn(cache_headers))
}

/// The back office's client routes; the same prefix as `Route`'s office variants in `app/`.
fn is_office_path(path: &str) -> bool {
    path == "/sprava" || path.starts_with("/sprava/")
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let policy = if path.starts_with("/pkg/") {
        // File names carry a content hash: they never change.
        "public, max-age=31536000, immutable"
    } else if path.starts_with("/assets/") {
        "public, max-age=3600"
    } else {
        // index.html, sw.js, the manifest: always revalidate so updates reach people.
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}
