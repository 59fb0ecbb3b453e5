//! Helpers for the end-to-end tests in `tests/tests/`: they run the real `portal-backend` binary
//! as a separate process, the way an operator does, with its own data folder.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `portal-backend` binary next to this test's own build, built first if missing.
pub fn backend_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/<test> → target/<profile>/portal-backend
    let profile_dir = exe.parent().and_then(Path::parent).expect("target dir");
    let binary = profile_dir.join("portal-backend");
    if !binary.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "portal-backend", "--bin", "portal-backend"])
            .status()
            .expect("cargo build");
        assert!(status.success(), "building portal-backend failed");
    }
    binary
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A running `portal-backend` process, killed when dropped.
pub struct Backend {
    pub child: Child,
    pub port: u16,
    pub stdout_first_line: String,
}

impl Backend {
    pub fn start(data_dir: &Path, extra_args: &[&str]) -> Backend {
        Backend::start_with_env(data_dir, extra_args, &[])
    }

    /// Like [`Backend::start`], with more environment variables for the process.
    pub fn start_with_env(data_dir: &Path, extra_args: &[&str], env: &[(&str, &str)]) -> Backend {
        let port = free_port();
        let mut child = Command::new(backend_binary())
            .args(extra_args)
            .envs(env.iter().copied())
            .env("PORTAL_LISTEN", format!("127.0.0.1:{port}"))
            .env("PORTAL_DATA_DIR", data_dir)
            .env("PORTAL_WEB_DIR", data_dir.join("no-web-client"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start portal-backend");
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        let mut reader = BufReader::new(stdout);
        reader.read_line(&mut first).expect("read stdout");
        // Keep draining so the server never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        let backend = Backend {
            child,
            port,
            stdout_first_line: first,
        };
        backend.wait_healthy();
        backend
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }

    fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(r) = reqwest::blocking::get(self.url("/health")) {
                if r.status().is_success() {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("portal-backend did not become healthy");
    }

    /// Sends a signal by number (9 = KILL, 15 = TERM) and waits for the exit status.
    pub fn signal(mut self, signal: i32) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let exit = self.child.wait().expect("wait");
        std::mem::forget(self);
        exit
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
