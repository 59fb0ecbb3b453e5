use portal_backend::config::Config;
use portal_backend::startup::Application;
use portal_domain::wire::SessionInfo;
use reqwest::{Client, Response};
use serde_json::Value;

pub struct TestApp {
    pub address: String,
    pub client: Client,
    /// Kept so the database folder lives as long as the test.
    _data_dir: tempfile::TempDir,
    pub csrf: Option<String>,
}

/// The demo town on a fresh database, served on a free port.
pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.path().to_owned(),
        web_dir: data_dir.path().join("no-web-client"),
        demo: true,
        ..Config::default()
    };
    adjust(&mut config);
    let app = Application::build(config).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: new_client(),
        _data_dir: data_dir,
        csrf: None,
    }
}

pub fn new_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    /// Sends JSON with the session's CSRF token (if logged in).
    pub async fn send_json(&self, method: reqwest::Method, path: &str, body: &Value) -> Response {
        let mut request = self.client.request(method, self.url(path)).json(body);
        if let Some(csrf) = &self.csrf {
            request = request.header("X-CSRF-Token", csrf);
        }
        request.send().await.unwrap()
    }

    pub async fn login_as(&mut self, persona: &str) -> SessionInfo {
        let response = self
            .send_json(
                reqwest::Method::POST,
                "/api/auth/demo/login",
                &serde_json::json!({ "persona": persona }),
            )
            .await;
        assert_eq!(response.status(), 200, "demo login as {persona}");
        let info: SessionInfo = response.json().await.unwrap();
        self.csrf = Some(info.csrf_token.clone());
        info
    }

    /// The raw session token, as the browser holds it (by logging in again through a client
    /// without a cookie store, so the token can be read from Set-Cookie).
    pub async fn session_token(&mut self) -> Option<String> {
        let response = reqwest::Client::new()
            .post(self.url("/api/auth/demo/login"))
            .json(&serde_json::json!({"persona": "jana"}))
            .send()
            .await
            .ok()?;
        let cookie = response.headers().get("set-cookie")?.to_str().ok()?;
        let token = cookie.split(';').next()?.split_once('=')?.1.to_owned();
        Some(token)
    }

    /// The folder holding this app's SQLite file.
    pub fn data_path(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    /// Asserts that SQLite finds every foreign key, CHECK and NOT NULL constraint kept. Some
    /// writers (the statement import) switch SQLite's own checks off and keep the rules
    /// themselves; this proves they did.
    pub fn assert_database_consistent(&self) {
        let db = rusqlite::Connection::open(self.data_path().join("portal.sqlite3")).unwrap();
        db.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
        let mut stmt = db.prepare("PRAGMA foreign_key_check").unwrap();
        let broken: Vec<(String, i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            broken,
            vec![],
            "rows whose parent is missing (table, rowid, parent)"
        );
        let integrity: Vec<String> = db
            .prepare("PRAGMA integrity_check")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(integrity, vec!["ok".to_owned()]);
    }

    /// A second browser against the same server.
    pub fn another_browser(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: new_client(),
            _data_dir: tempfile::tempdir().unwrap(),
            csrf: None,
        }
    }
}

/// Asserts the portal's JSON error body and returns it.
pub async fn error_body(response: Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body: Value = response.json().await.unwrap();
    assert!(
        body["code"].is_string() && body["message"].is_string(),
        "{body}"
    );
    body
}
