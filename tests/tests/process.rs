//! The server as an operator runs it: a process with a data folder, signals, restarts.

use portal_tests::{Backend, backend_binary};
use reqwest::blocking::Client;
use serde_json::{Value, json};
use std::process::Command;

fn new_client() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

fn login(client: &Client, backend: &Backend, persona: &str) -> String {
    let info: Value = client
        .post(backend.url("/api/auth/demo/login"))
        .json(&json!({ "persona": persona }))
        .send()
        .unwrap()
        .json()
        .unwrap();
    info["csrf_token"].as_str().unwrap().to_owned()
}

#[test]
fn it_honours_portal_listen_and_data_dir_and_prints_the_url() {
    let data = tempfile::tempdir().unwrap();
    let backend = Backend::start(data.path(), &["--demo"]);
    assert!(
        backend
            .stdout_first_line
            .contains(&format!("http://127.0.0.1:{}/", backend.port)),
        "{}",
        backend.stdout_first_line
    );
    assert!(backend.stdout_first_line.contains("DEMO"));
    assert!(data.path().join("portal.sqlite3").exists());
}

#[test]
fn an_acknowledged_change_survives_kill_9() {
    let data = tempfile::tempdir().unwrap();
    let backend = Backend::start(data.path(), &["--demo"]);
    let client = new_client();
    let csrf = login(&client, &backend, "petr");
    let response = client
        .put(backend.url("/api/me/contact"))
        .header("X-CSRF-Token", &csrf)
        .json(&json!({"email": "petr@example.cz", "phone": "601 222 333"}))
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    let killed = backend.signal(9);
    assert!(!killed.success());

    let backend = Backend::start(data.path(), &["--demo"]);
    let client = new_client();
    login(&client, &backend, "petr");
    let profile: Value = client
        .get(backend.url("/api/me/profile"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(profile["contact"]["phone"], "+420601222333");
    // The demo seed ran once: still four people, not eight.
    let conn = rusqlite::Connection::open(data.path().join("portal.sqlite3")).unwrap();
    let people: i64 = conn
        .query_row("SELECT count(*) FROM citizens", [], |r| r.get(0))
        .unwrap();
    assert_eq!(people, 4);
}

#[test]
fn sigterm_shuts_down_cleanly() {
    let data = tempfile::tempdir().unwrap();
    let backend = Backend::start(data.path(), &["--demo"]);
    let status = backend.signal(15);
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_database_from_a_newer_release_is_refused_with_a_clear_message() {
    let data = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(data.path().join("portal.sqlite3")).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let output = Command::new(backend_binary())
        .env("PORTAL_DATA_DIR", data.path())
        .env("PORTAL_LISTEN", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("schema version 999"), "{stderr}");
}

#[test]
fn bad_configuration_names_the_key() {
    let output = Command::new(backend_binary())
        .env("PORTAL_LISTEN", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("PORTAL_LISTEN"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portal.toml");
    std::fs::write(&file, "listen = \"127.0.0.1:0\"\nunknown_key = 1\n").unwrap();
    let output = Command::new(backend_binary())
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown_key"), "{stderr}");
}

#[test]
fn logs_never_contain_session_tokens() {
    let data = tempfile::tempdir().unwrap();
    let port = portal_tests::free_port();
    let mut child = Command::new(backend_binary())
        .arg("--demo")
        .env("PORTAL_LISTEN", format!("127.0.0.1:{port}"))
        .env("PORTAL_DATA_DIR", data.path())
        .env("RUST_LOG", "trace")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let url = |p: &str| format!("http://127.0.0.1:{port}{p}");
    let client = new_client();
    let mut token = None;
    for _ in 0..200 {
        if let Ok(response) = client
            .post(url("/api/auth/demo/login"))
            .json(&json!({"persona": "jana"}))
            .send()
        {
            let cookie = response.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .to_owned();
            token = Some(
                cookie
                    .split(';')
                    .next()
                    .unwrap()
                    .split('=')
                    .nth(1)
                    .unwrap()
                    .to_owned(),
            );
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let token = token.expect("server answered");
    client.get(url("/api/dashboard")).send().unwrap();
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    let logs = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(logs.contains("request"), "trace logs were written");
    assert!(
        !logs.contains(&token),
        "the session token leaked into the logs"
    );
}
