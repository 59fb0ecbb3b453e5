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
static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// A running provider; killed when dropped.
pub struct OidcProvider {
    child: Child,
    pub issuer: String,
    _config: tempfile::NamedTempFile,
    _stderr: tempfile::NamedTempFile,
    _slot: tokio::sync::SemaphorePermit<'static>,
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
        let mut child = Command::new("node")
            .arg("server.js")
            .arg(file.path())
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
                    if let Ok(v) = serde_json::from_str::<Value>(&line) {
                        if let Some(issuer) = v["issuer"].as_str() {
                            let _ = tx.send(issuer.to_owned());
                            sent = true;
                        }
                    }
                }
            }
        });
        let issuer = rx.recv_timeout(Duration::from_secs(60));
        let Ok(issuer) = issuer else {
            let _ = child.kill();
            let log = std::fs::read_to_string(stderr.path()).unwrap_or_default();
            panic!("the test OpenID Connect provider did not start:\n{log}");
        };
        OidcProvider {
            child,
            issuer,
            _config: file,
            _stderr: stderr,
            _slot: slot,
        }
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
