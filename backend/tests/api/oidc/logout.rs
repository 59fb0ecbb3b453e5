//! Leaving and arriving: RP-initiated logout at the provider, the Portál občana entry URL, and
//! the rate limit on login attempts.

use super::*;

#[tokio::test]
async fn logout_names_the_providers_logout_page_which_ends_its_session_too() {
    let (provider, portal) = setup(json!({}), "").await;
    let client = browser();
    login(&client, &portal, &provider, "alice").await;
    let body = logout(&client, &portal).await;
    let url = body["provider_logout_url"].as_str().expect("a logout URL");
    assert!(
        url.starts_with(&format!("{}/session/end?", provider.issuer)),
        "{url}"
    );
    assert!(url.contains("client_id=portal"), "{url}");
    assert!(session(&client, &portal).await.is_none());

    // The provider ends its session and sends the browser back to the portal.
    let page = client.get(url).send().await.unwrap();
    assert_eq!(page.status(), 200, "the self-submitting confirmation");
    let html = page.text().await.unwrap();
    let action = html
        .split("action=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a form");
    let xsrf = html
        .split("name=\"xsrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an xsrf field");
    let mut url = format!("{}{}", provider.issuer, action.replace("&amp;", "&"));
    if action.starts_with("http") {
        url = action.to_owned();
    }
    let confirmed = client
        .post(url)
        .form(&[("xsrf", xsrf), ("logout", "yes")])
        .send()
        .await
        .unwrap();
    let mut to = location(&confirmed);
    for _ in 0..3 {
        if to.starts_with(&portal.address) {
            break;
        }
        let url = if to.starts_with('/') {
            format!("{}{to}", provider.issuer)
        } else {
            to.clone()
        };
        to = location(&client.get(url).send().await.unwrap());
    }
    assert_eq!(to, portal.url("/"));

    // Logging in again asks the provider for the account again (its session is gone).
    let start = start(&client, &portal).await;
    let auth = client.get(location(&start)).send().await.unwrap();
    assert!(location(&auth).contains("/interaction/"), "prompted again");
}

#[tokio::test]
async fn the_portal_obcana_entry_starts_the_nia_login_or_opens_the_dashboard() {
    // A town without NIA: the entry shows the login page.
    let (provider, portal) = setup(json!({}), "").await;
    let entry = browser()
        .get(portal.url("/vstup/portal-obcana"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&entry), "/prihlaseni");
    // With a session: straight to the dashboard.
    let client = browser();
    login(&client, &portal, &provider, "alice").await;
    let entry = client
        .get(portal.url("/vstup/portal-obcana"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&entry), "/");
}

#[tokio::test]
async fn login_attempts_from_one_address_are_rate_limited() {
    let port = free_port();
    let provider = OidcProvider::start(&provider_config(port, json!({}))).await;
    let login_toml = format!(
        "[[town.login]]\nid = \"{PROVIDER_ID}\"\nissuer = \"{}\"\nclient_id = \"portal\"\n\
         client_secret = \"test-secret-not-real\"\n{PLAIN}",
        provider.issuer
    );
    let portal = spawn_portal_with(port, "login_attempts_per_minute = 3", &login_toml).await;
    let client = browser();
    for _ in 0..3 {
        let start = start(&client, &portal).await;
        assert!(location(&start).starts_with(&provider.issuer));
    }
    let start = start(&client, &portal).await;
    assert_eq!(location(&start), "/prihlaseni?error=rate");
    // Callbacks count too: a flood of made-up states is cut off before the database.
    let callback = client
        .get(portal.url(&format!("/api/auth/{PROVIDER_ID}/callback?state=x&code=y")))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&callback), "/prihlaseni?error=rate");
}
