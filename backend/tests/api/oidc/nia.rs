//! A NIA-shaped provider: discovery outside `/.well-known/`, a URN issuer, the ID token
//! encrypted to the town's key (RSA-OAEP + A256CBC-HS512), no `sub` (the key is
//! `PersonIdentifier`), eIDAS claim names asked for with the `claims` parameter, level by scope.

use super::provider::OidcProvider;
use super::*;

const URN: &str = "urn:microsoft:cgg2010:fpsts";

async fn nia(encrypt_to: &str) -> (OidcProvider, Portal, tempfile::TempDir) {
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("town-key.pem");
    let port = free_port();
    let extra = json!({
        "nia": {"issuer": URN, "rpKeyFile": key_file, "encryptTo": encrypt_to},
        "clientAuth": "client_secret_post",
        "scopes": ["openid", "loalow", "loasubstantial", "loahigh"],
        "claims": {
            "openid": ["sub"],
            "eidas": ["PersonIdentifier", "CurrentGivenName", "CurrentFamilyName", "DateOfBirth"],
        },
        "accounts": {"alice": {"claims": {
            "PersonIdentifier": "f1e2d3c4-0000-4000-8000-000000000001",
            "CurrentGivenName": "Alice",
            "CurrentFamilyName": "Nováková",
            "DateOfBirth": "1980-01-01",
        }}},
    });
    let provider = OidcProvider::start(&provider_config(port, extra)).await;
    let shape = format!(
        r#"kind = "nia"
discovery_url = "{}/fpsts/oidc/openid-configuration"
scopes = ["loasubstantial"]
claims = '{{"id_token": {{"PersonIdentifier": {{"essential": true}}, "CurrentGivenName": null, "CurrentFamilyName": null}}}}'
required_loa = "substantial"
decryption_key_file = "{}"
"#,
        provider.issuer,
        key_file.display()
    );
    let portal = spawn_portal(port, URN, &shape).await;
    (provider, portal, keys)
}

#[tokio::test]
async fn a_nia_shaped_login_decrypts_the_id_token_and_keys_on_person_identifier() {
    let (provider, portal, _keys) = nia("").await;
    let start = start(&browser(), &portal).await;
    let to_provider = location(&start);
    assert!(
        to_provider.contains("claims=") && to_provider.contains("loasubstantial"),
        "{to_provider}"
    );
    // NIA does not list PKCE in its discovery document, so none is sent (`pkce = "auto"`).
    assert!(!to_provider.contains("code_challenge"), "{to_provider}");
    let client = browser();
    let url = until_callback(&client, &portal, &provider, "/platby", "alice").await;
    assert!(!url.contains("iss="), "NIA sends no iss parameter: {url}");
    assert_eq!(callback(&client, &url).await, "/platby");
    let session = session(&client, &portal).await.expect("a session");
    assert_eq!(session["display_name"], "Alice Nováková");
    assert_eq!(session["loa"], "substantial");
    let subject: String = portal
        .db()
        .query_row(
            "SELECT subject FROM identities WHERE provider = ?1",
            [URN],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(subject, "f1e2d3c4-0000-4000-8000-000000000001");
}

#[tokio::test]
async fn a_nia_id_token_encrypted_to_another_key_is_refused() {
    let (provider, portal, _keys) = nia("other").await;
    let client = browser();
    let to = login(&client, &portal, &provider, "alice").await;
    assert_eq!(to, "/prihlaseni?error=token");
    assert!(session(&client, &portal).await.is_none());
}

#[tokio::test]
async fn the_portal_obcana_entry_goes_straight_to_nia_and_lands_on_the_dashboard() {
    let (provider, portal, _keys) = nia("").await;
    let client = browser();
    let entry = client
        .get(portal.url("/vstup/portal-obcana"))
        .send()
        .await
        .unwrap();
    let start = location(&entry);
    assert_eq!(start, format!("/api/auth/{PROVIDER_ID}/start?next=/"));
    let url = walk_from(&client, &portal, &provider, &start, "alice").await;
    assert_eq!(callback(&client, &url).await, "/");
    assert_eq!(
        session(&client, &portal).await.unwrap()["loa"],
        "substantial"
    );
}

/// NIA's discovery lists no ID-token encryption: a plain signed ID token, and no
/// `decryption_key_file` in the town's config.
#[tokio::test]
async fn a_nia_login_with_a_signed_unencrypted_id_token_works() {
    let keys = tempfile::tempdir().unwrap();
    let port = free_port();
    let extra = json!({
        "nia": {"issuer": URN, "rpKeyFile": keys.path().join("unused.pem"), "encryptTo": "none"},
        "clientAuth": "client_secret_post",
        "scopes": ["openid", "loalow", "loasubstantial", "loahigh"],
        "claims": {"openid": ["sub"], "eidas": ["PersonIdentifier", "CurrentGivenName", "CurrentFamilyName"]},
        "accounts": {"alice": {"claims": {
            "PersonIdentifier": "f1e2d3c4-0000-4000-8000-000000000002",
            "CurrentGivenName": "Alice",
            "CurrentFamilyName": "Nováková",
        }}},
    });
    let provider = OidcProvider::start(&provider_config(port, extra)).await;
    let shape = format!(
        r#"kind = "nia"
discovery_url = "{}/fpsts/oidc/openid-configuration"
scopes = ["loasubstantial"]
claims = '{{"id_token": {{"PersonIdentifier": {{"essential": true}}, "CurrentGivenName": null, "CurrentFamilyName": null}}}}'
required_loa = "substantial"
"#,
        provider.issuer
    );
    let portal = spawn_portal(port, URN, &shape).await;
    let client = browser();
    assert_eq!(login(&client, &portal, &provider, "alice").await, "/platby");
    let session = session(&client, &portal).await.expect("a session");
    assert_eq!(session["display_name"], "Alice Nováková");
    assert_eq!(session["loa"], "substantial");
}
