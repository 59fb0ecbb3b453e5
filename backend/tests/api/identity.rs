use crate::helpers::{error_body, spawn_app, spawn_with};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn demo_login_opens_a_session_and_logout_ends_it() {
    let mut app = spawn_app().await;
    error_body(app.get("/api/session").await, 401).await;

    let info = app.login_as("jana").await;
    assert_eq!(info.display_name, "Jana Nováková");
    assert!(info.demo);
    let session = app.get_json("/api/session").await;
    assert_eq!(session["display_name"], "Jana Nováková");

    let response = app
        .send_json(Method::POST, "/api/auth/logout", &json!({}))
        .await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"provider_logout_url": null}),
        "the demo has no provider"
    );
    error_body(app.get("/api/session").await, 401).await;
    error_body(app.get("/api/dashboard").await, 401).await;
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    let app = spawn_app().await;
    let response = app
        .send_json(
            Method::POST,
            "/api/auth/demo/login",
            &json!({"persona": "petr"}),
        )
        .await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain-http test server: {cookie}"
    );
}

#[tokio::test]
async fn cookies_are_secure_and_host_prefixed_behind_https() {
    let app = spawn_with(|c| c.public_url = Some("https://portal.example.cz".into())).await;
    let response = app
        .send_json(
            Method::POST,
            "/api/auth/demo/login",
            &json!({"persona": "petr"}),
        )
        .await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("__Host-portal_session="), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn login_rotates_the_session_token() {
    let mut app = spawn_app().await;
    app.login_as("jana").await;
    let first = app.get_json("/api/session").await["csrf_token"].clone();
    app.login_as("jana").await;
    let second = app.get_json("/api/session").await["csrf_token"].clone();
    assert_ne!(first, second, "a new login gets a new session");
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token() {
    let mut app = spawn_app().await;
    app.login_as("jana").await;
    app.csrf = Some("0".repeat(64));
    let response = app
        .send_json(Method::PUT, "/api/me/contact", &json!({"email": "a@b.cz"}))
        .await;
    let body = error_body(response, 403).await;
    assert_eq!(body["code"], "csrf");
    app.csrf = None;
    let response = app
        .send_json(Method::POST, "/api/auth/logout", &json!({}))
        .await;
    error_body(response, 403).await;
}

#[tokio::test]
async fn logout_everywhere_ends_other_devices() {
    let mut phone = spawn_app().await;
    let mut laptop = phone.another_browser();
    phone.login_as("jana").await;
    laptop.login_as("jana").await;
    let response = phone
        .send_json(Method::POST, "/api/auth/logout-everywhere", &json!({}))
        .await;
    assert_eq!(response.status(), 204);
    error_body(laptop.get("/api/dashboard").await, 401).await;
}

#[tokio::test]
async fn unknown_persona_is_a_field_error() {
    let app = spawn_app().await;
    let response = app
        .send_json(
            Method::POST,
            "/api/auth/demo/login",
            &json!({"persona": "nobody"}),
        )
        .await;
    let body = error_body(response, 422).await;
    assert_eq!(body["fields"][0]["field"], "persona");
}

#[tokio::test]
async fn without_demo_mode_there_is_no_demo_login() {
    let app = spawn_with(|c| c.demo = false).await;
    // No town at all on a fresh production database.
    error_body(app.get("/api/town").await, 404).await;
    error_body(app.get("/api/auth/demo/personas").await, 404).await;
    let response = app
        .send_json(
            Method::POST,
            "/api/auth/demo/login",
            &json!({"persona": "jana"}),
        )
        .await;
    error_body(response, 404).await;
}

#[tokio::test]
async fn a_demo_database_restarted_without_demo_mode_offers_no_demo_login() {
    let data_dir = tempfile::tempdir().unwrap();
    let path = data_dir.path().to_owned();
    let first = spawn_with(|c| c.data_dir = path.clone()).await;
    drop(first);
    let app = spawn_with(|c| {
        c.data_dir = path.clone();
        c.demo = false;
    })
    .await;
    let town = app.get_json("/api/town").await;
    assert_eq!(town["login_methods"], json!([]));
    error_body(app.get("/api/auth/demo/personas").await, 404).await;
}

#[tokio::test]
async fn demo_mode_is_refused_on_a_database_with_real_towns() {
    let data_dir = tempfile::tempdir().unwrap();
    let db = portal_backend::db::Db::open(&data_dir.path().join("portal.sqlite3")).unwrap();
    db.write(|tx| {
        portal_backend::towns::store::insert(
            tx,
            &portal_backend::towns::store::NewTown {
                slug: "real",
                name: "Skutečné Město",
                ico: "00298760",
                address: portal_domain::wire::Address {
                    street: "Náměstí 1".into(),
                    city: "Skutečné Město".into(),
                    psc: "11000".into(),
                },
                coat_of_arms_url: None,
                bank_account: "CZ6508000000192000145399",
                modules: &[],
                hostnames: &[],
                is_demo: false,
            },
            "2026-01-01T00:00:00Z",
        )?;
        Ok::<_, portal_backend::db::DbError>(())
    })
    .await
    .unwrap();
    let config = portal_backend::config::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.path().to_owned(),
        demo: true,
        ..Default::default()
    };
    let err = portal_backend::startup::Application::build(config)
        .await
        .err()
        .expect("demo mode must be refused");
    assert!(err.to_string().contains("refusing demo mode"), "{err}");
}
