//! The identity-provider login at a kiosk, through a real OpenID Connect provider: the kiosk asks
//! for a handoff, its browser logs in at the provider and lands on the handoff's `complete`, the
//! kiosk claims a session bound to itself. The browser keeps no session; nobody else can claim.

use crate::oidc::provider::OidcProvider;
use crate::oidc::{Portal, browser, callback, login, session, setup, walk_from};
use reqwest::{Client, Method, Response};
use serde_json::{Value, json};

const TOWN: &str = "horni-lhota";

fn profile(id: &str) -> String {
    super::profile(id).replace("dolni-lhota", TOWN)
}

/// The portal with its provider, and a kiosk registered by an admin (Alice, made admin in the
/// database: a town's first admin is appointed outside the portal; and her plain login raised to
/// the level staff work at, which this provider does not give).
struct Lobby {
    provider: OidcProvider,
    portal: Portal,
    admin: Client,
    admin_csrf: String,
    kiosk: KioskClient,
}

struct KioskClient {
    client: Client,
    credential: String,
    base: String,
}

impl KioskClient {
    async fn send(&self, method: Method, path: &str) -> Response {
        self.client
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", format!("Kiosk {}", self.credential))
            .send()
            .await
            .unwrap()
    }

    async fn handoff(&self) -> String {
        let response = self.send(Method::POST, "/api/kiosk/handoff").await;
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        body["handoff"].as_str().unwrap().to_owned()
    }

    async fn claim(&self, handoff: &str) -> Response {
        let path = format!("/api/kiosk/handoff/{handoff}/claim");
        self.send(Method::POST, &path).await
    }
}

async fn lobby() -> Lobby {
    let (provider, portal) = setup(json!({}), "").await;
    let admin = browser();
    login(&admin, &portal, &provider, "alice").await;
    portal
        .db()
        .execute(
            "INSERT INTO role_grants (citizen_id, town_id, role, module, granted_at)
             SELECT c.id, t.id, 'admin', NULL, 'now' FROM citizens c, towns t",
            [],
        )
        .unwrap();
    portal
        .db()
        .execute("UPDATE sessions SET loa = 'substantial'", [])
        .unwrap();
    let admin_csrf = session(&admin, &portal).await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let kiosk = register(&admin, &admin_csrf, &portal, "lobby-1").await;
    Lobby {
        provider,
        portal,
        admin,
        admin_csrf,
        kiosk,
    }
}

async fn register(admin: &Client, csrf: &str, portal: &Portal, id: &str) -> KioskClient {
    let response = admin
        .post(portal.url("/api/admin/kiosks"))
        .header("X-CSRF-Token", csrf)
        .json(&json!({"id": id, "name": "Lobby", "profile": profile(id)}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    KioskClient {
        client: browser(),
        credential: body["credential"].as_str().unwrap().to_owned(),
        base: portal.address.clone(),
    }
}

/// The kiosk's browser logs in as `account` and is sent to the handoff; returns the page's status.
async fn log_in_for(lobby: &Lobby, webview: &Client, handoff: &str, account: &str) -> u16 {
    let start = format!("/api/auth/idp/start?next=/api/kiosk/handoff/{handoff}/complete");
    let url = walk_from(webview, &lobby.portal, &lobby.provider, &start, account).await;
    let next = callback(webview, &url).await;
    assert_eq!(next, format!("/api/kiosk/handoff/{handoff}/complete"));
    let page = webview.get(lobby.portal.url(&next)).send().await.unwrap();
    page.status().as_u16()
}

#[tokio::test]
async fn a_provider_login_in_the_kiosks_browser_becomes_a_kiosk_session() {
    let lobby = lobby().await;
    let handoff = lobby.kiosk.handoff().await;
    assert_eq!(lobby.kiosk.claim(&handoff).await.status(), 202);

    let webview = browser();
    assert_eq!(log_in_for(&lobby, &webview, &handoff, "bob").await, 200);
    // The browser was only a means: it keeps no session.
    assert!(session(&webview, &lobby.portal).await.is_none());

    let claimed = lobby.kiosk.claim(&handoff).await;
    assert_eq!(claimed.status(), 200);
    let info: Value = claimed.json().await.unwrap();
    assert_eq!(info["display_name"], "Bob Dvořák");
    assert_eq!(info["loa"], "low");
    // Bound to the kiosk: valid with its credential, worthless without.
    let with = lobby.kiosk.send(Method::GET, "/api/session").await;
    assert_eq!(with.status(), 200);
    let without = lobby
        .kiosk
        .client
        .get(lobby.portal.url("/api/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), 401);
    let (provider, detail): (String, String) = lobby
        .portal
        .db()
        .query_row(
            "SELECT provider, detail FROM audit_log WHERE event = 'login' ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (provider.as_str(), detail.as_str()),
        ("idp", "kiosk handoff")
    );

    // Used up: neither claimed nor completed twice.
    assert_eq!(lobby.kiosk.claim(&handoff).await.status(), 404);
    let again = browser();
    assert_eq!(log_in_for(&lobby, &again, &handoff, "alice").await, 404);
    assert!(session(&again, &lobby.portal).await.is_none());

    // The card comes out / the visitor leaves: the kiosk's logout ends the session.
    let out = lobby.kiosk.send(Method::POST, "/api/kiosk/logout").await;
    assert_eq!(out.status(), 204);
    let after = lobby.kiosk.send(Method::GET, "/api/session").await;
    assert_eq!(after.status(), 401);
}

#[tokio::test]
async fn only_the_kiosk_that_asked_claims_and_only_in_time() {
    let lobby = lobby().await;
    let other = register(&lobby.admin, &lobby.admin_csrf, &lobby.portal, "lobby-2").await;
    let handoff = lobby.kiosk.handoff().await;
    let webview = browser();
    assert_eq!(log_in_for(&lobby, &webview, &handoff, "bob").await, 200);
    // Another kiosk, no credential, a malformed id: nothing, and the handoff is not used up.
    assert_eq!(other.claim(&handoff).await.status(), 404);
    let anonymous = browser()
        .post(
            lobby
                .portal
                .url(&format!("/api/kiosk/handoff/{handoff}/claim")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(lobby.kiosk.claim("not-a-handoff").await.status(), 404);
    assert_eq!(lobby.kiosk.claim(&handoff).await.status(), 200);

    // Expired before the visitor came back: the login is not handed over.
    let late = lobby.kiosk.handoff().await;
    lobby
        .portal
        .db()
        .execute("UPDATE kiosk_handoffs SET expires_at = 0", [])
        .unwrap();
    let webview = browser();
    assert_eq!(log_in_for(&lobby, &webview, &late, "bob").await, 404);
    assert!(session(&webview, &lobby.portal).await.is_none());
    assert_eq!(lobby.kiosk.claim(&late).await.status(), 404);
}

#[tokio::test]
async fn completing_without_a_login_hands_nothing_over() {
    let lobby = lobby().await;
    let handoff = lobby.kiosk.handoff().await;
    let page = browser()
        .get(
            lobby
                .portal
                .url(&format!("/api/kiosk/handoff/{handoff}/complete")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("znovu"));
    assert_eq!(lobby.kiosk.claim(&handoff).await.status(), 202);

    // A revoked kiosk's handoff cannot be completed.
    let revoked = lobby
        .admin
        .delete(lobby.portal.url("/api/admin/kiosks/lobby-1"))
        .header("X-CSRF-Token", &lobby.admin_csrf)
        .send()
        .await
        .unwrap();
    assert!(revoked.status().is_success(), "{}", revoked.status());
    let webview = browser();
    assert_eq!(log_in_for(&lobby, &webview, &handoff, "bob").await, 404);
}
