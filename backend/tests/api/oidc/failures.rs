//! Logins that must fail: each ends in a redirect to the login page with an error code, and
//! no session.

use super::*;
use std::time::{Duration, Instant};

async fn assert_failed(client: &Client, portal: &Portal, to: &str, code: &str) {
    assert_eq!(to, format!("/prihlaseni?error={code}"));
    assert!(
        session(client, portal).await.is_none(),
        "no session after error={code}"
    );
}

#[tokio::test]
async fn a_wrong_state_is_refused() {
    let (provider, portal) = setup(json!({}), "").await;
    let client = browser();
    let url = until_callback(&client, &portal, &provider, "/", "alice").await;
    let to = callback(&client, &with_param(&url, "state", "forged")).await;
    assert_failed(&client, &portal, &to, "state").await;
    let missing = callback(
        &client,
        &portal.url(&format!("/api/auth/{PROVIDER_ID}/callback?code=x")),
    )
    .await;
    assert_failed(&client, &portal, &missing, "state").await;
    let failed: i64 = portal
        .db()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE event = 'login_failed' AND detail = 'state'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(failed, 2);
}

#[tokio::test]
async fn a_callback_works_once() {
    let (provider, portal) = setup(json!({}), "").await;
    let client = browser();
    let url = until_callback(&client, &portal, &provider, "/", "alice").await;
    assert_eq!(callback(&client, &url).await, "/");
    logout(&client, &portal).await;
    let again = callback(&client, &url).await;
    assert_failed(&client, &portal, &again, "state").await;
}

#[tokio::test]
async fn a_replayed_code_is_refused_by_the_provider() {
    let (provider, portal) = setup(json!({}), "").await;
    let client = browser();
    let first = until_callback(&client, &portal, &provider, "/", "alice").await;
    assert_eq!(callback(&client, &first).await, "/");
    logout(&client, &portal).await;
    let used_code = reqwest::Url::parse(&first)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let second = until_callback(&client, &portal, &provider, "/", "alice").await;
    let to = callback(&client, &with_param(&second, "code", &used_code)).await;
    assert_failed(&client, &portal, &to, "token").await;
}

#[tokio::test]
async fn a_callback_from_another_browser_is_refused() {
    let (provider, portal) = setup(json!({}), "").await;
    let victim = browser();
    // An attacker's own login, finished in the victim's browser, must not log the victim in.
    let url = until_callback(&browser(), &portal, &provider, "/", "bob").await;
    let to = callback(&victim, &url).await;
    assert_failed(&victim, &portal, &to, "state").await;
}

#[tokio::test]
async fn a_wrong_nonce_is_refused() {
    let (provider, portal) = setup(json!({}), "").await;
    let client = browser();
    let url = until_callback(&client, &portal, &provider, "/", "alice").await;
    // The provider signs the nonce it was sent; change what the portal expects instead.
    portal
        .db()
        .execute(
            "UPDATE oidc_pending_logins SET nonce = 'not-the-nonce-sent'",
            [],
        )
        .unwrap();
    let to = callback(&client, &url).await;
    assert_failed(&client, &portal, &to, "token").await;
}

#[tokio::test]
async fn a_wrong_iss_parameter_is_refused() {
    let (provider, portal) = setup(json!({}), "").await;
    let client = browser();
    let url = until_callback(&client, &portal, &provider, "/", "alice").await;
    let to = callback(&client, &with_param(&url, "iss", "http://127.0.0.1:1")).await;
    assert_failed(&client, &portal, &to, "provider").await;
}

#[tokio::test]
async fn cancelling_at_the_provider_is_reported() {
    let (provider, portal) = setup(json!({}), "").await;
    let client = browser();
    let start = start(&client, &portal).await;
    let auth = client.get(location(&start)).send().await.unwrap();
    let interaction = format!("{}{}?cancel=1", provider.issuer, location(&auth));
    let resume = client.get(interaction).send().await.unwrap();
    let back = client.get(location(&resume)).send().await.unwrap();
    let url = location(&back);
    assert!(url.contains("error=access_denied"), "{url}");
    let to = callback(&client, &url).await;
    assert_failed(&client, &portal, &to, "cancelled").await;
}

#[tokio::test]
async fn a_level_below_the_required_one_is_refused() {
    // The provider is asked for x-high but vouches only x-low for alice.
    let provider_side = json!({
        "acrValues": ["x-low", "x-high"],
        "accounts": {"alice": {"acr": "x-low", "claims": {"given_name": "Alice"}}},
    });
    let (provider, portal) = setup(
        provider_side,
        "required_loa = \"substantial\"\nloa_by_acr = { x-low = \"low\", x-high = \"substantial\" }",
    )
    .await;
    let client = browser();
    let url = until_callback(&client, &portal, &provider, "/", "alice").await;
    let to = callback(&client, &url).await;
    assert_failed(&client, &portal, &to, "loa").await;
}

#[tokio::test]
async fn a_provider_that_cannot_give_the_required_level_is_not_even_asked() {
    let (_provider, portal) = setup(json!({}), "required_loa = \"substantial\"").await;
    let client = browser();
    let start = start(&client, &portal).await;
    assert_failed(&client, &portal, &location(&start), "loa").await;
}

#[tokio::test]
async fn a_provider_that_is_down_gives_an_error_not_a_500() {
    // Nobody listens on the issuer's port.
    let portal = spawn_portal(
        free_port(),
        &format!("http://127.0.0.1:{}", free_port()),
        PLAIN,
    )
    .await;
    let client = browser();
    let start = start(&client, &portal).await;
    assert_failed(&client, &portal, &location(&start), "provider").await;

    // Down between the login at the provider and the code exchange.
    let (mut provider, portal) = setup(json!({}), "").await;
    let url = until_callback(&client, &portal, &provider, "/", "alice").await;
    provider.stop();
    let to = callback(&client, &url).await;
    assert_failed(&client, &portal, &to, "provider").await;
}

#[tokio::test]
async fn a_slow_provider_times_out() {
    let (provider, portal) = setup(
        json!({"faults": {"token": "slow", "delayMs": 30000}}),
        "timeout_ms = 2000",
    )
    .await;
    let client = browser();
    let url = until_callback(&client, &portal, &provider, "/", "alice").await;
    let began = Instant::now();
    let to = callback(&client, &url).await;
    assert!(
        began.elapsed() < Duration::from_secs(10),
        "{:?}",
        began.elapsed()
    );
    assert_failed(&client, &portal, &to, "provider").await;
}

#[tokio::test]
async fn garbage_discovery_gives_an_error() {
    let (_provider, portal) = setup(json!({"faults": {"discovery": "garbage"}}), "").await;
    let client = browser();
    let start = start(&client, &portal).await;
    assert_failed(&client, &portal, &location(&start), "provider").await;
}

#[tokio::test]
async fn a_garbage_token_response_gives_an_error() {
    let (provider, portal) = setup(json!({"faults": {"token": "garbage"}}), "").await;
    let client = browser();
    let to = login(&client, &portal, &provider, "alice").await;
    assert_failed(&client, &portal, &to, "provider").await;
}

#[tokio::test]
async fn a_client_authentication_the_provider_does_not_take_is_an_error() {
    // The provider registered the portal for client_secret_post; the town's config says basic.
    let (provider, portal) = setup(json!({"clientAuth": "client_secret_post"}), "").await;
    let client = browser();
    let to = login(&client, &portal, &provider, "alice").await;
    assert_failed(&client, &portal, &to, "token").await;
}
