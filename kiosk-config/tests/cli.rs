//! Runs the built `kiosk-config` binary the way an administrator would.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_kiosk-config");

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run kiosk-config")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A valid profile from the lobby example with one line replaced (or added, when `old` is
/// empty), written to a temporary file.
fn variant(dir: &tempfile::TempDir, old: &str, new: &str) -> PathBuf {
    let lobby = std::fs::read_to_string(examples().join("lobby.toml")).unwrap();
    let body = if old.is_empty() {
        format!("{lobby}{new}\n")
    } else {
        assert!(lobby.contains(old), "lobby.toml has no {old:?}");
        lobby.replacen(old, new, 1)
    };
    let path = dir.path().join("kiosk.toml");
    std::fs::write(&path, body).unwrap();
    path
}

/// Line number (1-based) of the first line of `path` that contains `needle`.
fn line_of(path: &Path, needle: &str) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle in file")
        + 1
}

/// Validates a bad variant and checks that the output has `FILE:LINE: key:`.
fn assert_rejected(old: &str, new: &str, key: &str, message_part: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = variant(&dir, old, new);
    let line = line_of(&path, new.lines().last().unwrap());
    let out = run(&["validate", path.to_str().unwrap()]);
    let all = text(&out);
    assert!(!out.status.success(), "accepted {new:?}:\n{all}");
    assert_eq!(out.status.code(), Some(1), "{all}");
    let expected = format!("{}:{line}: {key}: ", path.display());
    assert!(all.contains(&expected), "expected {expected:?} in:\n{all}");
    assert!(
        all.contains(message_part),
        "expected {message_part:?} in:\n{all}"
    );
    assert!(!all.contains("ok: "), "{all}");
}

#[test]
fn examples_validate() {
    let lobby = examples().join("lobby.toml");
    let library = examples().join("library-branch.toml");
    let out = run(&[
        "validate",
        lobby.to_str().unwrap(),
        library.to_str().unwrap(),
    ]);
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    assert!(all.contains(&format!("ok: {}", lobby.display())), "{all}");
    assert!(all.contains(&format!("ok: {}", library.display())), "{all}");
}

#[test]
fn wrong_type() {
    assert_rejected(
        "high_contrast = false",
        "high_contrast = \"no\"",
        "accessibility.high_contrast",
        "expected a boolean",
    );
}

#[test]
fn unknown_key() {
    assert_rejected(
        "width = 1080",
        "width = 1080\nbrightness = 80",
        "window.brightness",
        "unknown key",
    );
}

#[test]
fn out_of_range_timeout() {
    assert_rejected(
        "idle_timeout_seconds = 120",
        "idle_timeout_seconds = 10",
        "idle_timeout_seconds",
        "between 30 and 1800",
    );
}

#[test]
fn bad_url() {
    assert_rejected(
        "backend_url = \"http://127.0.0.1:8080\"",
        "backend_url = \"127.0.0.1:8080\"",
        "backend_url",
        "not an http:// or https:// URL",
    );
}

#[test]
fn bad_module_name() {
    assert_rejected(
        "enabled_modules = [\"payments\", \"filing\", \"bookings\", \"subsidies\", \"notifications\"]",
        "enabled_modules = [\"payments\", \"parking\"]",
        "enabled_modules[1]",
        "unknown module \"parking\"",
    );
}

#[test]
fn bad_pin_hash() {
    assert_rejected(
        "staff_exit_pin_hash = \"sha256:",
        "staff_exit_pin_hash = \"2468\" # was \"sha256:",
        "staff_exit_pin_hash",
        "not a PIN hash",
    );
}

#[test]
fn toml_syntax_error() {
    assert_rejected(
        "large_text = false",
        "large_text = fals",
        "accessibility.large_text",
        "TOML syntax error",
    );
}

#[test]
fn several_errors_in_one_run_and_a_good_file_beside_them() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "id = \"lobby-1\"\ntown = \"dolni-lhota\"\nbackend_url = \"https://x.example\"\n\
         enabled_modules = [\"filing\"]\nidle_timeout_seconds = 4000\nstaff_exit_pin_hash = \"x\"\n\
         extra = 1\n",
    )
    .unwrap();
    let lobby = examples().join("lobby.toml");
    let out = run(&["validate", lobby.to_str().unwrap(), bad.to_str().unwrap()]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains(&format!("ok: {}", lobby.display())), "{all}");
    let b = bad.display();
    for expected in [
        format!("{b}:5: idle_timeout_seconds: "),
        format!("{b}:6: staff_exit_pin_hash: "),
        format!("{b}:7: extra: unknown key"),
    ] {
        assert!(all.contains(&expected), "expected {expected:?} in:\n{all}");
    }
}

#[test]
fn missing_file() {
    let out = run(&["validate", "/nonexistent/kiosk.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("/nonexistent/kiosk.toml: cannot read the file"));
}

#[test]
fn hash_pin_from_stdin_verifies() {
    let mut child = Command::new(BIN)
        .arg("hash-pin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"2468\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let hash = String::from_utf8(out.stdout).unwrap();
    let hash = hash.trim();
    assert!(hash.starts_with("sha256:"), "{hash}");
    let parsed: kiosk_config::PinHash = hash.parse().unwrap();
    assert!(parsed.verify("2468"));
    assert!(!parsed.verify("2469"));
    // The hash works in a profile.
    let dir = tempfile::tempdir().unwrap();
    let path = variant(
        &dir,
        "staff_exit_pin_hash = \"sha256:",
        &format!("staff_exit_pin_hash = \"{hash}\" # was \"sha256:"),
    );
    let p = kiosk_config::KioskProfile::load(&path).unwrap();
    assert!(p.verify_pin("2468"));
}

#[test]
fn hash_pin_rejects_bad_pins() {
    for pin in ["12\n", "12ab\n", "\n", ""] {
        let mut child = Command::new(BIN)
            .arg("hash-pin")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(pin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{pin:?}");
        assert!(out.stdout.is_empty(), "{pin:?}");
    }
}

#[test]
fn help_and_usage_errors() {
    let out = run(&["--help"]);
    assert!(out.status.success());
    let help = text(&out);
    assert!(help.contains("validate FILE"), "{help}");
    assert!(help.contains("hash-pin"), "{help}");
    assert_eq!(run(&[]).status.code(), Some(2));
    assert_eq!(run(&["validate"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}
