//! The `gateway-sim` binary as a process: the listening line, config errors naming the flag,
//! graceful exit on SIGTERM, and the state file surviving a restart.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_gateway-sim");

fn start(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gateway-sim");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let value: serde_json::Value =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
    let url = value["listening"].as_str().expect("listening").to_owned();
    (child, url)
}

fn terminate(mut child: Child) -> String {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful exit on SIGTERM: {exit:?}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    stderr
}

#[tokio::test]
async fn runs_as_a_process_and_keeps_its_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("gateway.json");
    let state = state.to_str().unwrap();
    let secret = "process-secret-123456";
    let merchant = format!("town:{secret}");
    let args = [
        "--listen",
        "127.0.0.1:0",
        "--merchant",
        &merchant,
        "--state",
        state,
        "--test-controls",
    ];

    let (child, url) = start(&args);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let health: serde_json::Value = reqwest::get(format!("{url}/health"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");

    // A signed create over real HTTP.
    let body = serde_json::to_vec(&serde_json::json!({
        "merchant_order_id": "ORD-PROC", "amount_halere": 100, "currency": "CZK",
        "description": "Test", "return_url": "http://127.0.0.1:9/r", "notify_url": "http://127.0.0.1:9/n",
    }))
    .unwrap();
    let signed = gateway_sim::protocol::sign::sign_request(
        "town",
        secret.as_bytes(),
        "POST",
        "/api/payments",
        &body,
        chrono::Utc::now().timestamp(),
        "process-test-nonce-1",
    );
    let mut req = reqwest::Client::new()
        .post(format!("{url}/api/payments"))
        .body(body);
    for (name, value) in signed.pairs() {
        req = req.header(name, value);
    }
    let created: serde_json::Value = req.send().await.unwrap().json().await.unwrap();
    assert_eq!(created["status"], "created", "{created}");

    let stderr = terminate(child);
    assert!(
        !stderr.contains(secret),
        "the secret never reaches the log: {stderr}"
    );

    // Started again on the same file: the payment is still there.
    let (child, url) = start(&args);
    let listed: serde_json::Value = reqwest::get(format!("{url}/_test/payments"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["payment_id"], created["payment_id"]);
    assert_eq!(
        listed[0]["redirect_url"],
        format!("{url}/pay/{}", created["payment_id"].as_str().unwrap())
    );
    terminate(child);
}

#[test]
fn config_errors_name_the_flag() {
    for (args, flag) in [
        (vec![], "--merchant"),
        (vec!["--merchant", "town"], "--merchant"),
        (
            vec!["--merchant", "town:12345678", "--listen", "localhost"],
            "--listen",
        ),
        (
            vec!["--merchant", "town:12345678", "--notify-attempts", "0"],
            "--notify-attempts",
        ),
        (
            vec!["--merchant", "a:12345678", "--merchant", "a:87654321"],
            "--merchant",
        ),
    ] {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!("gateway-sim: {flag}:")),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--test-controls"));
}
