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
        json!([{"id": "idp", "kind": "moje_id", "name": null, "max_loa": "low"}])
    );
    let unknown = browser()
        .get(portal.url("/api/auth/nia/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

/// Bank iD: `profile.*` scopes, `acr_values=loa3` (strong customer authentication), which the
/// portal reads as "substantial".
#[tokio::test]
async fn a_bank_id_shaped_login_reaches_substantial() {
    let provider_extra = json!({
        "scopes": ["openid", "profile.name", "profile.email"],
        "claims": {"profile.name": ["given_name", "family_name"], "profile.email": ["email"]},
        "acrValues": ["loa2", "loa3"],
        "clientAuth": "client_secret_post",
        "accounts": {"alice": {"acr": "loa3", "claims": {"given_name": "Alice", "family_name": "Nováková", "email": "alice@example.cz"}}},
    });
    let shape = r#"kind = "bank_id"
scopes = ["profile.name", "profile.email"]
acr_values = ["loa3"]
required_loa = "substantial"
"#;
    let (provider, portal) = setup_shaped(provider_extra, shape).await;
    let start = start(&browser(), &portal).await;
    let to_provider = location(&start);
    assert!(to_provider.contains("acr_values=loa3"), "{to_provider}");
    assert!(to_provider.contains("profile.name"), "{to_provider}");
    let client = browser();
    let url = until_callback(&client, &portal, &provider, "/", "alice").await;
    assert_eq!(callback(&client, &url).await, "/");
    let session = session(&client, &portal).await.expect("a session");
    assert_eq!(session["loa"], "substantial");
    assert_eq!(session["display_name"], "Alice Nováková");
}

/// The same provider at loa2 is below what the town requires.
#[tokio::test]
async fn a_bank_id_login_at_loa2_is_refused_where_substantial_is_required() {
    let provider_extra = json!({
        "scopes": ["openid", "profile.name"],
        "claims": {"profile.name": ["given_name", "family_name"]},
        "acrValues": ["loa2", "loa3"],
        "clientAuth": "client_secret_post",
        "accounts": {"alice": {"acr": "loa2", "claims": {"given_name": "Alice", "family_name": "Nováková"}}},
    });
    let shape = "kind = \"bank_id\"\nscopes = [\"profile.name\"]\nrequired_loa = \"substantial\"\n";
    let (provider, portal) = setup_shaped(provider_extra, shape).await;
    let client = browser();
    assert_eq!(
        login(&client, &portal, &provider, "alice").await,
        "/prihlaseni?error=loa"
    );
    assert!(session(&client, &portal).await.is_none());
}

/// `private_key_jwt`: no shared secret; the portal signs a client assertion with its own key,
/// whose public half the provider has registered.
#[tokio::test]
async fn private_key_jwt_client_authentication_works() {
    use josekit::jws::RS256;
    let pair = RS256.generate_key_pair(2048).unwrap();
    let key_dir = tempfile::tempdir().unwrap();
    let key_file = key_dir.path().join("portal-signing.pem");
    std::fs::write(&key_file, pair.to_pem_private_key()).unwrap();
    let mut public: Value = serde_json::from_str(&pair.to_jwk_public_key().to_string()).unwrap();
    public["use"] = json!("sig");
    public["alg"] = json!("RS256");
    let port = free_port();
    let mut config = provider_config(port, json!({"clientAuth": "private_key_jwt"}));
    let client_entry = &mut config["clients"][0];
    client_entry["token_endpoint_auth_method"] = json!("private_key_jwt");
    client_entry["jwks"] = json!({"keys": [public]});
    client_entry
        .as_object_mut()
        .unwrap()
        .remove("client_secret");
    let provider = provider::OidcProvider::start(&config).await;
    let login_toml = format!(
        "[[town.login]]\nid = \"{PROVIDER_ID}\"\nissuer = \"{}\"\nclient_id = \"portal\"\n\
         token_endpoint_auth = \"private_key_jwt\"\nsigning_key_file = \"{}\"\n{PLAIN}",
        provider.issuer,
        key_file.display()
    );
    let portal = spawn_portal_with(port, "", &login_toml).await;
    let client = browser();
    assert_eq!(login(&client, &portal, &provider, "alice").await, "/platby");
    assert_eq!(
        session(&client, &portal).await.unwrap()["display_name"],
        "Alice Nováková"
    );
}

#[tokio::test]
async fn the_authorization_request_carries_pkce_when_the_provider_lists_it() {
    let (_provider, portal) = setup(json!({}), "").await;
    let start = start(&browser(), &portal).await;
    assert!(location(&start).contains("code_challenge_method=S256"));
}
