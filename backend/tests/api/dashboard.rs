use crate::helpers::{error_body, spawn_app};
use serde_json::json;

#[tokio::test]
async fn the_dashboard_has_a_tile_per_enabled_module_with_live_numbers() {
    let mut app = spawn_app().await;
    app.login_as("jana").await;
    let dashboard = app.get_json("/api/dashboard").await;
    let tiles = dashboard["tiles"].as_array().unwrap();
    assert_eq!(tiles.len(), 2, "{dashboard}");
    assert_eq!(tiles[0]["module"], "payments");
    assert_eq!(tiles[0]["summary"]["unpaid_count"], 2);
    assert_eq!(tiles[0]["summary"]["unpaid_total_halere"], 150_000);
    assert_eq!(tiles[1]["module"], "notifications");
    assert_eq!(tiles[1]["summary"]["unread"], 2);
}

#[tokio::test]
async fn citizens_see_only_their_own_numbers() {
    let mut jana = spawn_app().await;
    let mut petr = jana.another_browser();
    jana.login_as("jana").await;
    petr.login_as("petr").await;
    let dashboard = petr.get_json("/api/dashboard").await;
    assert_eq!(dashboard["tiles"][0]["summary"]["unpaid_count"], 0);
    assert_eq!(dashboard["tiles"][1]["summary"]["unread"], 1);
    let profile = petr.get_json("/api/me/profile").await;
    assert_eq!(profile["given_name"], "Petr");
}

#[tokio::test]
async fn the_dashboard_needs_a_login() {
    let app = spawn_app().await;
    let body = error_body(app.get("/api/dashboard").await, 401).await;
    assert_eq!(
        body,
        json!({"code": "unauthenticated", "message": "not logged in", "fields": []})
    );
}
