//! Runs the test OpenID Connect provider (`tests/oidc-provider`, npm `oidc-provider`) on
//! 127.0.0.1 as a child process, installing its npm packages first when they are missing.

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/oidc-provider")
}

/// `npm ci` once per test process, when `node_modules` is missing (a fresh CI machine).
fn ensure_installed() {
    static INSTALLED: Mutex<bool> = Mutex::new(false);
    let mut done = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
    let dir = project_dir();
    if *done || dir.join("node_modules/oidc-provider/package.json").exists() {
        *done = true;
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .status()
        .expect("npm (Node.js) is needed for the OpenID Connect tests");
    assert!(status.success(), "npm ci in {} failed", dir.display());
    *done = true;
}

/// Node start-up and key generation are CPU-heavy; on two shared cores a dozen at once starve.
static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(3);
/// A start normally takes well under a second, ten on a loaded machine. Rarely (seen under heavy
/// load, cause unknown) a node process hangs before listening: it is then killed and restarted.
const START_TIMEOUT: Duration = Duration::from_secs(40);
const START_ATTEMPTS: usize = 3;

/// A running provider; killed when dropped.
pub struct OidcProvider {
    child: Child,
    pub issuer: String,
    _config: tempfile::NamedTempFile,
    _stderr: tempfile::NamedTempFile,
    _slot: tokio::sync::SemaphorePermit<'static>,
}

/// One `node server.js CONFIG`: the child and its issuer, or why it did not start.
fn spawn(
    config: &std::path::Path,
    stderr: &tempfile::NamedTempFile,
) -> Result<(Child, String), String> {
    let mut child = Command::new("node")
        .arg("server.js")
        .arg(config)
        .current_dir(project_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr.reopen().expect("stderr file"))
        .spawn()
        .expect("node (Node.js) is needed for the OpenID Connect tests");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads the issuer line, then keeps draining so the provider never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if !sent {
                if let Some(issuer) = serde_json::from_str::<Value>(&line)
                    .ok()
                    .and_then(|v| v["issuer"].as_str().map(str::to_owned))
                {
                    let _ = tx.send(issuer);
                    sent = true;
                }
            }
        }
    });
    let began = std::time::Instant::now();
    match rx.recv_timeout(START_TIMEOUT) {
        Ok(issuer) => Ok((child, issuer)),
        Err(_) => {
            let exited = child.try_wait().ok().flatten();
            let _ = child.kill();
            let _ = child.wait();
            let log = std::fs::read_to_string(stderr.path()).unwrap_or_default();
            Err(format!(
                "no issuer after {:?}, exit {exited:?}:\n{log}",
                began.elapsed()
            ))
        }
    }
}

impl OidcProvider {
    /// Starts `server.js` with this JSON config and waits for it to print its issuer.
    pub async fn start(config: &Value) -> OidcProvider {
        let slot = SLOTS.acquire().await.expect("semaphore open");
        // Blocking is fine here: nothing else of this test runs yet.
        ensure_installed();
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(config.to_string().as_bytes())
            .expect("write config");
        let stderr = tempfile::NamedTempFile::new().expect("temp file");
        let mut failures = Vec::new();
        for _ in 0..START_ATTEMPTS {
            match spawn(file.path(), &stderr) {
                Ok((child, issuer)) => {
                    return OidcProvider {
                        child,
                        issuer,
                        _config: file,
                        _stderr: stderr,
                        _slot: slot,
                    };
                }
                Err(why) => failures.push(why),
            }
        }
        panic!("the test OpenID Connect provider did not start: {failures:#?}");
    }

    /// Stops it now (a provider that went down).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        self.stop();
    }
}
