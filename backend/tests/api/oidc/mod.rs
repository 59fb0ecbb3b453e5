//! Logins through a real OpenID Connect provider (npm `oidc-provider`) on 127.0.0.1. Every hop
//! of the browser's journey is followed by hand (redirects are not followed automatically), so
//! each can be checked or tampered with.

mod bench;
mod failures;
mod id_tokens;
mod linking;
mod login;
mod logout;
mod nia;
pub mod provider;
mod variants;

use crate::helpers::new_client;
use portal_backend::config::Config;
use portal_backend::startup::Application;
use provider::OidcProvider;
use reqwest::{Client, Response};
use serde_json::{Value, json};
use std::path::PathBuf;

pub const PROVIDER_ID: &str = "idp";
/// A plain provider, MojeID-like.
pub const PLAIN: &str = "kind = \"moje_id\"\nscopes = [\"profile\", \"email\"]\n";

/// The portal, configured with one town whose login `mojeid` points at `issuer`.
pub struct Portal {
    pub address: String,
    pub data_dir: tempfile::TempDir,
}

impl Portal {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.data_dir.path().join("portal.sqlite3")).unwrap()
    }

    pub fn redirect_uri(port: u16) -> String {
        format!("http://127.0.0.1:{port}/api/auth/{PROVIDER_ID}/callback")
    }
}

/// A port free now, below Linux's ephemeral range (32768-60999): a port the OS handed out
/// for `:0` could be handed out again to the next process binding `:0` (a test provider)
/// before the portal binds it, and it fails to start.
pub fn free_port() -> u16 {
    loop {
        let port = rand::random_range(20_000..32_000);
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Provider config: one client for the portal on `port`, test accounts `alice` and `bob`.
pub fn provider_config(port: u16, extra: Value) -> Value {
    let mut config = json!({
        "clients": [{
            "client_id": "portal",
            "client_secret": "test-secret-not-real",
            "redirect_uris": [Portal::redirect_uri(port)],
            "post_logout_redirect_uris": [format!("http://127.0.0.1:{port}/")],
        }],
        "accounts": {
            "alice": {"claims": {"given_name": "Alice", "family_name": "Nováková", "email": "alice@example.cz"}},
            "bob": {"claims": {"given_name": "Bob", "family_name": "Dvořák"}},
        },
    });
    if let (Some(config), Value::Object(extra)) = (config.as_object_mut(), extra) {
        config.extend(extra);
    }
    config
}

/// Starts the portal on `port` with `login_toml` lines (at least `kind`) added to its
/// `[[town.login]]` table.
pub async fn spawn_portal(port: u16, issuer: &str, login_toml: &str) -> Portal {
    let login = format!(
        r#"
[[town.login]]
id = "{PROVIDER_ID}"
issuer = "{issuer}"
client_id = "portal"
client_secret = "test-secret-not-real"
{login_toml}
"#
    );
    spawn_portal_with(port, "", &login).await
}

/// Starts the portal on `port` with these top-level settings and `[[town.login]]` tables.
pub async fn spawn_portal_with(port: u16, settings: &str, logins: &str) -> Portal {
    let data_dir = tempfile::tempdir().unwrap();
    let file = data_dir.path().join("portal.toml");
    let toml = format!(
        r#"{settings}
[[town]]
slug = "horni-lhota"
name = "Horní Lhota"
ico = "00298760"
street = "Náměstí 1"
city = "Horní Lhota"
psc = "512 34"
bank_account = "19-2000145399/0800"
{logins}
"#
    );
    std::fs::write(&file, toml).unwrap();
    let mut config = Config::load(Some(&file)).expect("config loads");
    config.listen = format!("127.0.0.1:{port}").parse().unwrap();
    config.data_dir = data_dir.path().to_owned();
    config.web_dir = PathBuf::from(data_dir.path()).join("no-web-client");
    let app = Application::build(config).await.expect("app builds");
    tokio::spawn(app.run_until_stopped());
    Portal {
        address: format!("http://127.0.0.1:{port}"),
        data_dir,
    }
}

/// A plain provider and a portal that trust each other.
pub async fn setup(provider_extra: Value, login_toml: &str) -> (OidcProvider, Portal) {
    setup_shaped(provider_extra, &format!("{PLAIN}{login_toml}")).await
}

/// Same, with the whole provider shape (`kind`, scopes...) given.
pub async fn setup_shaped(provider_extra: Value, login_toml: &str) -> (OidcProvider, Portal) {
    let port = free_port();
    let provider = OidcProvider::start(&provider_config(port, provider_extra)).await;
    let portal = spawn_portal(port, &provider.issuer, login_toml).await;
    (provider, portal)
}

pub fn location(response: &Response) -> String {
    assert!(
        response.status().is_redirection(),
        "expected a redirect, got {} from {}",
        response.status(),
        response.url()
    );
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// Starts a login with `next` and walks the browser through the provider as `account`, up to
/// (not including) the portal's callback; returns the callback URL.
pub async fn until_callback(
    client: &Client,
    portal: &Portal,
    provider: &OidcProvider,
    next: &str,
    account: &str,
) -> String {
    let start = format!("/api/auth/{PROVIDER_ID}/start?next={next}");
    walk_from(client, portal, provider, &start, account).await
}

/// Opens `start_path` at the portal and walks the browser through the provider as `account`,
/// up to (not including) the portal's callback; returns the callback URL.
pub async fn walk_from(
    client: &Client,
    portal: &Portal,
    provider: &OidcProvider,
    start_path: &str,
    account: &str,
) -> String {
    let start = client.get(portal.url(start_path)).send().await.unwrap();
    assert_eq!(start.status(), 303);
    let mut url = location(&start);
    assert!(
        url.starts_with(&format!("{}/auth?", provider.issuer)),
        "{url}"
    );
    assert!(url.contains("nonce="), "{url}");
    for _ in 0..8 {
        let response = client.get(&url).send().await.unwrap();
        let next_url = location(&response);
        url = if next_url.starts_with('/') {
            format!("{}{next_url}", provider.issuer)
        } else {
            next_url
        };
        if url.starts_with(&portal.url("/api/auth/")) {
            return url;
        }
        if url.contains("/interaction/") {
            url = format!("{url}?login={account}");
        }
    }
    panic!("the provider never sent the browser back");
}

/// Starts a plain login at the test provider; the portal's answer (a redirect).
pub async fn start(client: &Client, portal: &Portal) -> Response {
    client
        .get(portal.url(&format!("/api/auth/{PROVIDER_ID}/start")))
        .send()
        .await
        .unwrap()
}

/// Follows the callback and returns where the portal sends the browser.
pub async fn callback(client: &Client, url: &str) -> String {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 303, "callback status");
    location(&response)
}

/// The full journey; returns where the portal sends the browser at the end.
pub async fn login(
    client: &Client,
    portal: &Portal,
    provider: &OidcProvider,
    account: &str,
) -> String {
    let url = until_callback(client, portal, provider, "/platby", account).await;
    callback(client, &url).await
}

/// The session this browser has, if any.
pub async fn session(client: &Client, portal: &Portal) -> Option<Value> {
    let response = client.get(portal.url("/api/session")).send().await.unwrap();
    match response.status().as_u16() {
        200 => Some(response.json().await.unwrap()),
        401 => None,
        other => panic!("GET /api/session: {other}"),
    }
}

/// Logs out with the session's CSRF token; returns the answer's body (200 asserted).
pub async fn logout(client: &Client, portal: &Portal) -> Value {
    let csrf = session(client, portal).await.expect("a session")["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = client
        .post(portal.url("/api/auth/logout"))
        .header("X-CSRF-Token", csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

pub fn browser() -> Client {
    new_client()
}

/// `url` with one query parameter's value replaced.
pub fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = reqwest::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name {
                value.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}
