//! One citizen, several identities: linking a second provider, step-up to a higher level,
//! removing an identity. Two real providers: a plain one (`idp`, low) and a Bank iD-shaped one
//! (`bank`, acr loa3 = substantial).

use super::*;

/// The portal with logins `idp` (plain) and `bank` (Bank iD-shaped) at two providers.
struct TwoProviders {
    plain: OidcProvider,
    bank: OidcProvider,
    portal: Portal,
}

async fn two_providers() -> TwoProviders {
    let port = free_port();
    let plain = OidcProvider::start(&provider_config(port, json!({}))).await;
    let mut bank_config = provider_config(
        port,
        json!({
            "acrValues": ["loa2", "loa3"],
            "accounts": {
                "bob": {"acr": "loa3", "claims": {"given_name": "Bob", "family_name": "Dvořák"}},
                "alice": {"acr": "loa3", "claims": {"given_name": "Alice", "family_name": "Nováková"}},
            },
            "clientAuth": "client_secret_post",
        }),
    );
    bank_config["clients"][0]["redirect_uris"] =
        json!([format!("http://127.0.0.1:{port}/api/auth/bank/callback")]);
    let bank = OidcProvider::start(&bank_config).await;
    let logins = format!(
        r#"
[[town.login]]
id = "{PROVIDER_ID}"
kind = "moje_id"
issuer = "{}"
client_id = "portal"
client_secret = "test-secret-not-real"
scopes = ["profile", "email"]

[[town.login]]
id = "bank"
kind = "bank_id"
issuer = "{}"
client_id = "portal"
client_secret = "test-secret-not-real"
scopes = ["profile"]
acr_values = ["loa3"]
"#,
        plain.issuer, bank.issuer
    );
    let portal = spawn_portal_with(port, "", &logins).await;
    TwoProviders {
        plain,
        bank,
        portal,
    }
}

async fn csrf(client: &Client, portal: &Portal) -> String {
    session(client, portal).await.expect("a session")["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn profile(client: &Client, portal: &Portal) -> Value {
    let response = client
        .get(portal.url("/api/me/profile"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn unlink(client: &Client, portal: &Portal, id: i64) -> reqwest::Response {
    let csrf = csrf(client, portal).await;
    client
        .delete(portal.url(&format!("/api/me/identities/{id}")))
        .header("X-CSRF-Token", csrf)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_citizen_links_a_second_provider_and_can_log_in_with_either() {
    let t = two_providers().await;
    let alice = browser();
    login(&alice, &t.portal, &t.plain, "alice").await;
    let before = session(&alice, &t.portal).await.unwrap();

    // As Alice, link the bank identity "bob" (the bank's subject for her, say).
    let url = walk_from(
        &alice,
        &t.portal,
        &t.bank,
        "/api/auth/bank/start?intent=link&next=/profil",
        "bob",
    )
    .await;
    assert_eq!(callback(&alice, &url).await, "/profil");
    let after = session(&alice, &t.portal).await.unwrap();
    assert_eq!(after["citizen_id"], before["citizen_id"], "same citizen");
    assert_eq!(
        after["csrf_token"], before["csrf_token"],
        "linking keeps the session"
    );
    assert_eq!(after["loa"], "low");
    let identities = profile(&alice, &t.portal).await["identities"].clone();
    let kinds: Vec<&str> = identities
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["moje_id", "bank_id"]);
    assert_eq!(identities[1]["login_id"], "bank");

    // A fresh browser logging in at the bank reaches the same citizen, at "substantial".
    let other = browser();
    let url = walk_from(&other, &t.portal, &t.bank, "/api/auth/bank/start", "bob").await;
    assert_eq!(callback(&other, &url).await, "/");
    let by_bank = session(&other, &t.portal).await.unwrap();
    assert_eq!(by_bank["citizen_id"], before["citizen_id"]);
    assert_eq!(by_bank["loa"], "substantial");
    let linked: i64 = t
        .portal
        .db()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE event = 'identity_linked'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(linked, 1);
}

#[tokio::test]
async fn an_identity_of_another_citizen_is_never_linked() {
    let t = two_providers().await;
    // Bob has his own account through the bank.
    let bob = browser();
    let url = walk_from(&bob, &t.portal, &t.bank, "/api/auth/bank/start", "bob").await;
    callback(&bob, &url).await;
    // Alice, logged in through the plain provider, tries to link Bob's bank identity.
    let alice = browser();
    login(&alice, &t.portal, &t.plain, "alice").await;
    let before = session(&alice, &t.portal).await.unwrap();
    let url = walk_from(
        &alice,
        &t.portal,
        &t.bank,
        "/api/auth/bank/start?intent=link&next=/profil",
        "bob",
    )
    .await;
    assert_eq!(
        callback(&alice, &url).await,
        "/prihlaseni?error=linked_elsewhere"
    );
    let after = session(&alice, &t.portal).await.expect("still logged in");
    assert_eq!(
        after["citizen_id"], before["citizen_id"],
        "not switched to Bob"
    );
    let identities = profile(&alice, &t.portal).await["identities"].clone();
    assert_eq!(identities.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn linking_and_step_up_need_a_session() {
    let t = two_providers().await;
    for intent in ["link", "step_up"] {
        let response = browser()
            .get(t.portal.url(&format!(
                "/api/auth/bank/start?intent={intent}&next=/profil"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(
            location(&response),
            "/prihlaseni?error=session&next=/profil"
        );
    }
    let bad = browser()
        .get(t.portal.url("/api/auth/bank/start?intent=merge"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "intent");
}

#[tokio::test]
async fn step_up_raises_the_level_for_the_same_citizen_and_returns_to_the_action() {
    let t = two_providers().await;
    let alice = browser();
    login(&alice, &t.portal, &t.plain, "alice").await;
    let before = session(&alice, &t.portal).await.unwrap();
    let plain_identity = profile(&alice, &t.portal).await["identities"][0]["id"]
        .as_i64()
        .unwrap();

    // Removing an identity needs "substantial": the answer says so.
    let refused = unlink(&alice, &t.portal, plain_identity).await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "loa_required");
    assert_eq!(body["required_loa"], "substantial");

    // Step up at the bank (asked for loa3), back to the profile page.
    let start = "/api/auth/bank/start?intent=step_up&loa=substantial&next=/profil";
    let url = walk_from(&alice, &t.portal, &t.bank, start, "alice").await;
    assert_eq!(callback(&alice, &url).await, "/profil");
    let after = session(&alice, &t.portal).await.unwrap();
    assert_eq!(after["citizen_id"], before["citizen_id"]);
    assert_eq!(after["loa"], "substantial");
    assert_ne!(
        after["csrf_token"], before["csrf_token"],
        "the session rotated"
    );

    // Now the action goes through, except for the last identity.
    assert_eq!(
        unlink(&alice, &t.portal, plain_identity).await.status(),
        204
    );
    let last = profile(&alice, &t.portal).await["identities"][0]["id"]
        .as_i64()
        .unwrap();
    let refused = unlink(&alice, &t.portal, last).await;
    assert_eq!(refused.status(), 409);
    // Someone else's (or no) identity is simply not found.
    assert_eq!(unlink(&alice, &t.portal, last + 100).await.status(), 404);
}

#[tokio::test]
async fn a_step_up_whose_session_ended_meanwhile_opens_nothing() {
    let t = two_providers().await;
    let alice = browser();
    login(&alice, &t.portal, &t.plain, "alice").await;
    let start = "/api/auth/bank/start?intent=step_up&loa=substantial&next=/profil";
    let url = walk_from(&alice, &t.portal, &t.bank, start, "alice").await;
    logout(&alice, &t.portal).await;
    assert_eq!(callback(&alice, &url).await, "/prihlaseni?error=session");
    assert!(session(&alice, &t.portal).await.is_none());
}

#[tokio::test]
async fn a_step_up_to_a_level_the_provider_cannot_give_is_refused_up_front() {
    let t = two_providers().await;
    let alice = browser();
    login(&alice, &t.portal, &t.plain, "alice").await;
    let response = alice
        .get(t.portal.url(&format!(
            "/api/auth/{PROVIDER_ID}/start?intent=step_up&loa=substantial"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), "/prihlaseni?error=loa");
    assert!(
        session(&alice, &t.portal).await.is_some(),
        "still logged in"
    );
}
