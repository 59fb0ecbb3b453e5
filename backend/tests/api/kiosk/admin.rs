use super::{ORIGIN, profile, register, town_trusting};
use crate::helpers::{error_body, spawn_app};
use portal_backend::kiosk::test_pki::{CardSpec, TestCa};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn an_admin_registers_kiosks_and_sees_their_last_contact() {
    let mut admin = spawn_app().await;
    admin.login_as("tomas").await;
    let kiosk = register(&admin, "lobby-1").await;
    let listed = admin.get_json("/api/admin/kiosks").await;
    assert_eq!(listed[0]["id"], "lobby-1");
    assert_eq!(listed[0]["last_contact"], Value::Null);

    let polled = kiosk
        .send(Method::GET, "/api/kiosk/profile", &json!({}))
        .await;
    assert_eq!(polled.status(), 200);
    let polled: Value = polled.json().await.unwrap();
    assert_eq!(polled["version"], 1);
    assert_eq!(polled["profile"], profile("lobby-1"));
    let listed = admin.get_json("/api/admin/kiosks").await;
    assert!(listed[0]["last_contact"].is_string(), "{listed}");

    // The same id twice is a conflict; a bad id, an empty name and a bad profile are named.
    let again = admin
        .send_json(
            Method::POST,
            "/api/admin/kiosks",
            &json!({"id": "lobby-1", "name": "x", "profile": profile("lobby-1")}),
        )
        .await;
    assert_eq!(error_body(again, 409).await["code"], "kiosk_exists");
    let bad = admin
        .send_json(
            Method::POST,
            "/api/admin/kiosks",
            &json!({"id": "Lobby 2", "name": " ", "profile": "id = 1\n"}),
        )
        .await;
    let body = error_body(bad, 422).await;
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(fields.starts_with(&["id", "name", "profile"]), "{body}");
    assert!(
        body["fields"][2]["message"]
            .as_str()
            .unwrap()
            .contains("line 1"),
        "{body}"
    );
}

#[tokio::test]
async fn a_changed_profile_reaches_the_kiosk_at_its_next_poll() {
    let mut admin = spawn_app().await;
    admin.login_as("tomas").await;
    let kiosk = register(&admin, "lobby-1").await;
    let changed =
        profile("lobby-1").replace("idle_timeout_seconds = 120", "idle_timeout_seconds = 60");
    let response = admin
        .send_json(
            Method::PUT,
            "/api/admin/kiosks/lobby-1/profile",
            &json!({ "profile": changed }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let polled: Value = kiosk
        .send(Method::GET, "/api/kiosk/profile", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(polled["version"], 2);
    assert!(polled["profile"].as_str().unwrap().contains("= 60"));

    // A profile for another kiosk or town, or an invalid one, is refused with its line.
    let other = admin
        .send_json(
            Method::PUT,
            "/api/admin/kiosks/lobby-1/profile",
            &json!({ "profile": profile("lobby-9") }),
        )
        .await;
    assert_eq!(
        error_body(other, 422).await["fields"][0]["code"],
        "kiosk.profile_id"
    );
    let invalid = changed.replace("= 60", "= 5");
    let invalid = admin
        .send_json(
            Method::PUT,
            "/api/admin/kiosks/lobby-1/profile",
            &json!({ "profile": invalid }),
        )
        .await;
    let body = error_body(invalid, 422).await;
    let message = body["fields"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("line 5") && message.contains("idle_timeout_seconds"),
        "{message}"
    );
    let missing = admin
        .send_json(
            Method::PUT,
            "/api/admin/kiosks/nowhere/profile",
            &json!({ "profile": profile("nowhere") }),
        )
        .await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_kiosk_credential_opens_nothing_but_kiosk_endpoints_and_citizens_cannot_manage_kiosks() {
    let mut admin = spawn_app().await;
    admin.login_as("tomas").await;
    let kiosk = register(&admin, "lobby-1").await;
    for path in [
        "/api/session",
        "/api/payments/obligations",
        "/api/admin/kiosks",
        "/api/me/profile",
    ] {
        let status = kiosk.send(Method::GET, path, &json!({})).await.status();
        assert_eq!(status, 401, "{path} with only a kiosk credential");
    }
    let mut jana = admin.another_browser();
    jana.login_as("jana").await;
    assert_eq!(jana.get("/api/admin/kiosks").await.status(), 403);
    let registered = jana
        .send_json(
            Method::POST,
            "/api/admin/kiosks",
            &json!({"id": "mine", "name": "x", "profile": profile("mine")}),
        )
        .await;
    assert_eq!(registered.status(), 403);
    // A made-up credential is nobody.
    let forged = admin
        .client
        .get(admin.url("/api/kiosk/profile"))
        .header("Authorization", format!("Kiosk {}", "0".repeat(64)))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
}

#[tokio::test]
async fn revoking_a_kiosk_ends_its_session_and_its_credential() {
    let ca = TestCa::new("Test EOP CA");
    let admin = town_trusting(&ca).await;
    let kiosk = register(&admin, "lobby-1").await;
    let challenge = kiosk.challenge().await;
    let nonce = challenge["nonce"].as_str().unwrap();
    let token = ca.issue(&CardSpec::default()).token(ORIGIN, nonce);
    let login = kiosk
        .send(
            Method::POST,
            "/api/kiosk/login",
            &json!({"nonce": nonce, "token": token}),
        )
        .await;
    assert_eq!(login.status(), 200);
    assert_eq!(kiosk.session_status().await, 200);
    let revoked = admin
        .send_json(Method::DELETE, "/api/admin/kiosks/lobby-1", &json!({}))
        .await;
    assert_eq!(revoked.status(), 204);
    assert_eq!(kiosk.session_status().await, 401);
    let profile = kiosk
        .send(Method::GET, "/api/kiosk/profile", &json!({}))
        .await;
    assert_eq!(profile.status(), 401);
    let listed = admin.get_json("/api/admin/kiosks").await;
    assert_eq!(listed[0]["revoked"], true);
}

#[tokio::test]
async fn an_admin_reads_a_kiosks_current_profile_to_edit_it() {
    let mut admin = spawn_app().await;
    admin.login_as("tomas").await;
    register(&admin, "lobby-1").await;
    let read = admin.get_json("/api/admin/kiosks/lobby-1/profile").await;
    assert_eq!(read["kiosk"], "lobby-1");
    assert_eq!(read["version"], 1);
    assert_eq!(read["profile"], profile("lobby-1"));

    let changed =
        profile("lobby-1").replace("idle_timeout_seconds = 120", "idle_timeout_seconds = 60");
    let response = admin
        .send_json(
            Method::PUT,
            "/api/admin/kiosks/lobby-1/profile",
            &json!({ "profile": changed }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let read = admin.get_json("/api/admin/kiosks/lobby-1/profile").await;
    assert_eq!(read["version"], 2);
    assert_eq!(read["profile"], changed);

    // Nobody else's kiosk, no kiosk of nothing, and not for a citizen.
    let missing = admin.get("/api/admin/kiosks/nowhere/profile").await;
    assert_eq!(missing.status(), 404);
    let mut jana = admin.another_browser();
    jana.login_as("jana").await;
    assert_eq!(
        jana.get("/api/admin/kiosks/lobby-1/profile").await.status(),
        403
    );
}
