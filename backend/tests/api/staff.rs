//! The back office's people: admins grant and revoke staff roles (demo: Tomáš is the admin,
//! Marie an official for payments, Jana and Petr citizens).

use crate::helpers::{TestApp, error_body, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn admin_and_jana() -> (TestApp, TestApp, i64) {
    let mut jana = spawn_app().await;
    let jana_account = jana.login_as("jana").await.citizen_id;
    let mut admin = jana.another_browser();
    admin.login_as("tomas").await;
    (admin, jana, jana_account)
}

#[tokio::test]
async fn an_admin_grants_a_role_that_takes_effect_at_once_and_revokes_it() {
    let (admin, jana, account) = admin_and_jana().await;
    let before = admin.get_json("/api/admin/staff").await;
    let roles: Vec<(&str, &str)> = before
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["role"].as_str().unwrap(),
                g["display_name"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(roles.contains(&("admin", "Tomáš Král")), "{roles:?}");

    let created = admin
        .send_json(
            Method::POST,
            "/api/admin/staff",
            &json!({"account": account, "role": "official", "module": "filing"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let grant: Value = created.json().await.unwrap();
    assert_eq!(grant["display_name"], "Jana Nováková");
    assert_eq!(grant["module"], "filing");
    let session = jana.get_json("/api/session").await;
    assert!(
        session["roles"]
            .as_array()
            .unwrap()
            .contains(&json!("official"))
    );

    let again = admin
        .send_json(
            Method::POST,
            "/api/admin/staff",
            &json!({"account": account, "role": "official", "module": "filing"}),
        )
        .await;
    assert_eq!(error_body(again, 409).await["code"], "already_granted");

    let id = grant["id"].as_i64().unwrap();
    let revoked = admin
        .send_json(
            Method::DELETE,
            &format!("/api/admin/staff/{id}"),
            &json!({}),
        )
        .await;
    assert_eq!(revoked.status(), 204);
    let session = jana.get_json("/api/session").await;
    assert_eq!(session["roles"], json!(["citizen"]));
    let audit = admin.get_json("/api/admin/staff").await;
    assert_eq!(audit, before, "back to where it was");
}

#[tokio::test]
async fn bad_grants_name_the_field() {
    let (admin, _jana, account) = admin_and_jana().await;
    for (body, field) in [
        (json!({"account": 99999, "role": "official"}), "account"),
        (
            json!({"account": account, "role": "admin", "module": "payments"}),
            "module",
        ),
        (json!({"account": account, "role": "citizen"}), "role"),
    ] {
        let response = admin
            .send_json(Method::POST, "/api/admin/staff", &body)
            .await;
        let error = error_body(response, 422).await;
        assert_eq!(error["fields"][0]["field"], field, "{body}");
    }
    let response = admin
        .send_json(
            Method::POST,
            "/api/admin/staff",
            &json!({"account": account, "role": "boss"}),
        )
        .await;
    let error = error_body(response, 400).await;
    assert_eq!(error["fields"][0]["field"], "role");
}

#[tokio::test]
async fn the_last_admin_stays_and_officials_cannot_manage_staff() {
    let (admin, _jana, _) = admin_and_jana().await;
    let grants = admin.get_json("/api/admin/staff").await;
    let own = grants
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["role"] == "admin")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let response = admin
        .send_json(
            Method::DELETE,
            &format!("/api/admin/staff/{own}"),
            &json!({}),
        )
        .await;
    assert_eq!(error_body(response, 409).await["code"], "last_admin");

    let mut marie = admin.another_browser();
    marie.login_as("marie").await;
    error_body(marie.get("/api/admin/staff").await, 403).await;
}

#[tokio::test]
async fn the_command_line_appoints_a_towns_first_admin() {
    let mut petr = spawn_app().await;
    let me = petr.login_as("petr").await;
    let grant = |account: i64| {
        std::process::Command::new(env!("CARGO_BIN_EXE_portal-backend"))
            .args(["grant-admin", "--account", &account.to_string()])
            .args(["--town", "dolni-lhota"])
            .env("PORTAL_DATA_DIR", petr.data_path())
            .output()
            .unwrap()
    };
    // Someone who never logged in here is refused, and nothing is granted.
    let stranger = grant(999_999);
    assert_eq!(stranger.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stranger.stderr).contains("never logged in"));

    let done = grant(me.citizen_id);
    let stdout = String::from_utf8_lossy(&done.stdout);
    assert!(done.status.success(), "{stdout}");
    assert!(
        stdout.contains("is now an admin of dolni-lhota"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&grant(me.citizen_id).stdout).contains("already"));
    // The grant counts at once (after a login at the level staff work at) and is audited.
    let listed = petr.get_json("/api/admin/staff").await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["account"] == me.citizen_id),
        "{listed}"
    );
    let db = rusqlite::Connection::open(petr.data_path().join("portal.sqlite3")).unwrap();
    let audited: i64 = db
        .query_row(
            "SELECT count(*) FROM audit_log WHERE event = 'role_granted'
             AND detail LIKE '%command line%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
}
