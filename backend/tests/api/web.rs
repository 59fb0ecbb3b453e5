//! Health, OpenAPI, security headers, the web client and its SPA fallback.

use crate::helpers::{spawn_app, spawn_with};

#[tokio::test]
async fn health_answers_ok() {
    let app = spawn_app().await;
    assert_eq!(
        app.get_json("/health").await,
        serde_json::json!({"status": "ok"})
    );
}

#[tokio::test]
async fn openapi_documents_every_api_route() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    for path in [
        "/health",
        "/api/town",
        "/api/session",
        "/api/dashboard",
        "/api/me/contact",
        "/api/auth/demo/login",
        "/api/auth/{id}/start",
        "/api/auth/{id}/callback",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    let response = app.get("/api/town").await;
    let headers = response.headers();
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-request-id"].len(), 36);
}

#[tokio::test]
async fn the_web_client_is_served_with_spa_fallback_and_cache_headers() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(
        web.path().join("index.html"),
        "<html lang=\"cs\">portal</html>",
    )
    .unwrap();
    std::fs::create_dir(web.path().join("pkg")).unwrap();
    std::fs::write(web.path().join("pkg/app-1234abcd.js"), "export {}").unwrap();
    let big = "console.log('x');\n".repeat(200);
    std::fs::write(web.path().join("pkg/big.js"), &big).unwrap();
    let dir = web.path().to_owned();
    let app = spawn_with(|c| c.web_dir = dir).await;

    let index = app.get("/nastaveni").await;
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["cache-control"], "no-cache");
    assert!(index.text().await.unwrap().contains("portal"));

    assert_eq!(app.get("/assets/missing.css").await.status(), 404);
    assert_eq!(app.get("/pkg/gone-00000000.wasm").await.status(), 404);

    let js = app.get("/pkg/app-1234abcd.js").await;
    assert_eq!(
        js.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );

    let compressed = app
        .client
        .get(app.url("/pkg/big.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn office_pages_get_the_office_bundle() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("index.html"), "citizen bundle").unwrap();
    std::fs::write(web.path().join("office.html"), "office bundle").unwrap();
    let dir = web.path().to_owned();
    let app = spawn_with(|c| c.web_dir = dir).await;

    for path in [
        "/sprava",
        "/sprava/",
        "/sprava/platby",
        "/sprava/platby/platce?ucet=12",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status(), 200, "{path}");
        assert_eq!(page.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(page.text().await.unwrap(), "office bundle", "{path}");
    }
    for path in [
        "/",
        "/platby",
        "/spravanic",
        "/napoveda/sprava",
        "/prihlaseni?next=/sprava",
    ] {
        assert_eq!(
            app.get(path).await.text().await.unwrap(),
            "citizen bundle",
            "{path}"
        );
    }
    assert_eq!(app.get("/sprava/x.css").await.status(), 404);
}

#[tokio::test]
async fn without_an_office_bundle_office_pages_get_the_index() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("index.html"), "whole app").unwrap();
    let dir = web.path().to_owned();
    let app = spawn_with(|c| c.web_dir = dir).await;
    assert_eq!(
        app.get("/sprava/platby").await.text().await.unwrap(),
        "whole app"
    );
}
