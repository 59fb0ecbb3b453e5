use crate::helpers::{error_body, spawn_app};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn contact_settings_are_validated_normalised_and_stored() {
    let mut app = spawn_app().await;
    app.login_as("petr").await;
    let response = app
        .send_json(
            Method::PUT,
            "/api/me/contact",
            &json!({"email": " Petr@Example.CZ ", "phone": "777 123 456"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let stored: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        stored,
        json!({"email": "Petr@example.cz", "phone": "+420777123456"})
    );
    let profile = app.get_json("/api/me/profile").await;
    assert_eq!(profile["contact"], stored);
}

#[tokio::test]
async fn invalid_contact_names_each_bad_field() {
    let mut app = spawn_app().await;
    app.login_as("petr").await;
    let response = app
        .send_json(
            Method::PUT,
            "/api/me/contact",
            &json!({"email": "petr.example.cz", "phone": "12"}),
        )
        .await;
    let body = error_body(response, 422).await;
    let fields: Vec<_> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(fields.len(), 2, "{body}");
    assert_eq!(fields[0].0, "email");
    assert!(fields[0].1.starts_with("email."));
    assert_eq!(fields[1].0, "phone");
    assert!(fields[1].1.starts_with("phone."));
    // Nothing was stored.
    let profile = app.get_json("/api/me/profile").await;
    assert_eq!(profile["contact"]["phone"], serde_json::Value::Null);
}

#[tokio::test]
async fn empty_values_remove_contact_details() {
    let mut app = spawn_app().await;
    app.login_as("jana").await;
    let response = app
        .send_json(
            Method::PUT,
            "/api/me/contact",
            &json!({"email": "", "phone": null}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let profile = app.get_json("/api/me/profile").await;
    assert_eq!(profile["contact"], json!({"email": null, "phone": null}));
}

#[tokio::test]
async fn profile_lists_linked_identities() {
    let mut app = spawn_app().await;
    app.login_as("jana").await;
    let profile = app.get_json("/api/me/profile").await;
    assert_eq!(profile["identities"][0]["provider"], "demo");
    assert!(profile["identities"][0]["last_login_at"].is_string());
}
