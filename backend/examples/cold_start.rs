//! Cold start of the release server: the time from spawning `portal-backend --demo` until its
//! first `GET /health` answers 200, without polling delays (it waits for the "running at" line on
//! the server's stdout, then asks once over a raw TCP connection). Used by `scripts/bench.sh`.
//!
//! `cold_start BINARY DATA_DIR RUNS fresh|existing`
//! - `fresh`: DATA_DIR is deleted before every run (migrations and the demo seed run each time);
//! - `existing`: DATA_DIR is reused (one untimed run first creates it).
//!
//! Each server is stopped with SIGTERM (a clean shutdown, as in production) before the next run.
//! Prints one line per run, then `median_ms=… min_ms=… max_ms=…`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, binary, data_dir, runs, mode] = args.as_slice() else {
        eprintln!("usage: cold_start BINARY DATA_DIR RUNS fresh|existing");
        std::process::exit(2);
    };
    let runs: usize = runs.parse().expect("RUNS is a number");
    let fresh = match mode.as_str() {
        "fresh" => true,
        "existing" => false,
        _ => panic!("mode is fresh or existing"),
    };
    let data_dir = PathBuf::from(data_dir);
    if !fresh {
        let _ = std::fs::remove_dir_all(&data_dir);
        start_and_ask(binary, &data_dir);
    }
    let mut times = Vec::with_capacity(runs);
    for run in 1..=runs {
        if fresh {
            let _ = std::fs::remove_dir_all(&data_dir);
        }
        let ms = start_and_ask(binary, &data_dir);
        println!("run {run}: {ms:.1} ms");
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "median_ms={:.1} min_ms={:.1} max_ms={:.1}",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

/// Milliseconds from spawn to the first 200 from `/health`.
fn start_and_ask(binary: &str, data_dir: &Path) -> f64 {
    let started = Instant::now();
    let mut child = Command::new(binary)
        .arg("--demo")
        .env("PORTAL_LISTEN", "127.0.0.1:0")
        .env("PORTAL_DATA_DIR", data_dir)
        .env("PORTAL_WEB_DIR", data_dir.join("no-web-client"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    let port = match read_port(&mut child) {
        Some(port) => port,
        None => {
            let _ = child.kill();
            panic!("the server exited before printing its address");
        }
    };
    let ok = health_ok(port);
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    stop(&mut child);
    assert!(ok, "/health did not answer 200");
    elapsed
}

/// Port from "Portál občana is running at http://127.0.0.1:PORT/ …".
fn read_port(child: &mut Child) -> Option<u16> {
    let stdout = child.stdout.take()?;
    let mut lines = BufReader::new(stdout).lines();
    let line = lines.next()?.ok()?;
    let rest = &line[line.find("http://127.0.0.1:")? + "http://127.0.0.1:".len()..];
    rest[..rest.find('/')?].parse().ok()
}

fn health_ok(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

fn stop(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}
