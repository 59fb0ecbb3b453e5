//! Logins that work.

use super::*;

#[tokio::test]
async fn a_full_login_creates_a_session_and_lands_on_next() {
    let (provider, portal) = setup(json!({}), "").await;
    let client = browser();
    assert_eq!(login(&client, &portal, &provider, "alice").await, "/platby");
    let session = session(&client, &portal).await.expect("a session");
    assert_eq!(session["display_name"], "Alice Nováková");
    assert_eq!(session["loa"], "low");
    assert_eq!(session["demo"], false);

    let db = portal.db();
    let (event, provider_id, loa): (String, String, String) = db
        .query_row(
            "SELECT event, provider, loa FROM audit_log WHERE event = 'login'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (event.as_str(), provider_id.as_str(), loa.as_str()),
        ("login", PROVIDER_ID, "low")
    );
    // The identity is keyed by issuer and subject; the pending login is gone.
    let subject: String = db
        .query_row(
            "SELECT subject FROM identities WHERE provider = ?1",
            [&provider.issuer],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(subject, "alice");
    let pending: i64 = db
        .query_row("SELECT count(*) FROM oidc_pending_logins", [], |r| r.get(0))
        .unwrap();
    assert_eq!(pending, 0);
}

#[tokio::test]
async fn a_second_login_reuses_the_citizen_and_other_people_get_their_own() {
    let (provider, portal) = setup(json!({}), "").await;
    let first = browser();
    login(&first, &portal, &provider, "alice").await;
    let second = browser();
    login(&second, &portal, &provider, "alice").await;
    let bob = browser();
    login(&bob, &portal, &provider, "bob").await;
    let id = |s: Option<Value>| s.unwrap()["citizen_id"].as_i64().unwrap();
    let alice_1 = id(session(&first, &portal).await);
    let alice_2 = id(session(&second, &portal).await);
    let bob_id = id(session(&bob, &portal).await);
    assert_eq!(alice_1, alice_2);
    assert_ne!(alice_1, bob_id);
    let citizens: i64 = portal
        .db()
        .query_row("SELECT count(*) FROM citizens", [], |r| r.get(0))
        .unwrap();
    assert_eq!(citizens, 2);
}

#[tokio::test]
async fn next_is_kept_on_this_site() {
    let (provider, portal) = setup(json!({}), "").await;
    let client = browser();
    let url = until_callback(&client, &portal, &provider, "//evil.example/x", "alice").await;
    assert_eq!(callback(&client, &url).await, "/");
}

#[tokio::test]
async fn the_town_lists_its_providers() {
    let (_provider, portal) = setup(json!({}), "").await;
    let town: Value = browser()
        .get(portal.url("/api/town"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        town["login_methods"],
        json!([{"id": "mojeid", "kind": "moje_id"}])
    );
    let unknown = browser()
        .get(portal.url("/api/auth/nia/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}
