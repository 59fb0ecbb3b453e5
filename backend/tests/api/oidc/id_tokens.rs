//! ID tokens a careful relying party refuses, served by the real provider after it spoils
//! them (`faults.idToken` in tests/oidc-provider/server.js): each ends in `error=token` and
//! no session.

use super::*;

async fn refused(fault: &str) {
    let (provider, portal) = setup(json!({"faults": {"idToken": fault}}), "").await;
    let client = browser();
    let to = login(&client, &portal, &provider, "alice").await;
    assert_eq!(to, "/prihlaseni?error=token", "ID token fault {fault}");
    assert!(session(&client, &portal).await.is_none(), "{fault}");
}

#[tokio::test]
async fn a_tampered_id_token_is_refused() {
    refused("tampered").await;
}

#[tokio::test]
async fn an_unsigned_id_token_alg_none_is_refused() {
    refused("none").await;
}

#[tokio::test]
async fn an_id_token_signed_with_the_client_secret_is_refused() {
    refused("hs256").await;
}

#[tokio::test]
async fn an_id_token_signed_by_an_unknown_key_is_refused() {
    refused("unknown-key").await;
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    refused("expired").await;
}

#[tokio::test]
async fn an_id_token_from_another_issuer_is_refused() {
    refused("issuer").await;
}

#[tokio::test]
async fn an_id_token_for_another_client_is_refused() {
    refused("audience").await;
}

/// The provider rotated its keys after the portal cached them: a token signed by a key with a
/// new `kid` makes the portal fetch the key set again, once, and the login works.
#[tokio::test]
async fn a_key_rotation_at_the_provider_is_picked_up() {
    let (provider, portal) = setup(json!({"faults": {"idToken": "new-key"}}), "").await;
    let client = browser();
    assert_eq!(login(&client, &portal, &provider, "alice").await, "/platby");
    assert!(session(&client, &portal).await.is_some());
}
