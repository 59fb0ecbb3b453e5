//! Whatever a client sends, the answer is a clear 4xx with the JSON error body, never a 500.

use crate::helpers::{error_body, spawn_app};

async fn put_raw(
    app: &crate::helpers::TestApp,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> reqwest::Response {
    let mut request = app
        .client
        .put(app.url("/api/me/contact"))
        .header("X-CSRF-Token", app.csrf.clone().unwrap())
        .body(body);
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn malformed_json_is_400() {
    let mut app = spawn_app().await;
    app.login_as("jana").await;
    let body = error_body(
        put_raw(&app, Some("application/json"), b"{\"email\":".to_vec()).await,
        400,
    )
    .await;
    assert_eq!(body["code"], "malformed_json");
}

#[tokio::test]
async fn unknown_fields_are_named() {
    let mut app = spawn_app().await;
    app.login_as("jana").await;
    let response = put_raw(
        &app,
        Some("application/json"),
        br#"{"email":null,"fax":"1"}"#.to_vec(),
    )
    .await;
    let body = error_body(response, 400).await;
    assert_eq!(body["fields"][0]["field"], "fax");
    assert_eq!(body["fields"][0]["code"], "unknown_field");
}

#[tokio::test]
async fn wrong_types_are_named() {
    let mut app = spawn_app().await;
    app.login_as("jana").await;
    let response = put_raw(
        &app,
        Some("application/json"),
        br#"{"email":["a"]}"#.to_vec(),
    )
    .await;
    let body = error_body(response, 400).await;
    assert_eq!(body["fields"][0]["field"], "email");
}

#[tokio::test]
async fn wrong_or_missing_content_type_is_415() {
    let mut app = spawn_app().await;
    app.login_as("jana").await;
    error_body(put_raw(&app, Some("text/plain"), b"{}".to_vec()).await, 415).await;
    error_body(put_raw(&app, None, b"{}".to_vec()).await, 415).await;
    error_body(
        put_raw(
            &app,
            Some("application/x-www-form-urlencoded"),
            b"email=a".to_vec(),
        )
        .await,
        415,
    )
    .await;
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let mut app = spawn_app().await;
    app.login_as("jana").await;
    let huge = format!("{{\"email\":\"{}\"}}", "a".repeat(200_000));
    error_body(
        put_raw(&app, Some("application/json"), huge.into_bytes()).await,
        413,
    )
    .await;
}

#[tokio::test]
async fn not_json_at_all_and_invalid_utf8_are_400() {
    let mut app = spawn_app().await;
    app.login_as("jana").await;
    error_body(
        put_raw(&app, Some("application/json"), vec![0xff, 0xfe, 0x00]).await,
        400,
    )
    .await;
    error_body(
        put_raw(&app, Some("application/json"), Vec::new()).await,
        400,
    )
    .await;
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json() {
    let app = spawn_app().await;
    error_body(app.get("/api/does-not-exist").await, 404).await;
    let response = app
        .client
        .delete(app.url("/api/town"))
        .send()
        .await
        .unwrap();
    error_body(response, 405).await;
}

#[tokio::test]
async fn forged_session_cookies_are_401_not_500() {
    let app = spawn_app().await;
    for cookie in [
        "portal_session=",
        "portal_session=zz",
        "portal_session=%00%ff",
        &format!("portal_session={}", "a".repeat(64)),
    ] {
        let response = app
            .client
            .get(app.url("/api/dashboard"))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        error_body(response, 401).await;
    }
}
