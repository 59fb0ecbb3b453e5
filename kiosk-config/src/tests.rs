use sha2::{Digest, Sha256};

use super::*;
use crate::backend_url::check_backend_url;

const SALT: [u8; 16] = [7; 16];

fn valid() -> String {
    format!(
        r#"id = "lobby-1"
town = "dolni-lhota"
backend_url = "http://127.0.0.1:8080"
enabled_modules = ["payments", "filing"]
idle_timeout_seconds = 120
staff_exit_pin_hash = "{}"
"#,
        hash_pin("2468", &SALT)
    )
}

/// The single error of `text`, or a panic listing all of them.
fn one_error(text: &str) -> ProfileError {
    let errors = KioskProfile::parse(text).expect_err("profile should be invalid");
    assert_eq!(errors.len(), 1, "expected one error, got:\n{errors}");
    errors.errors()[0].clone()
}

/// `valid()` with `key = ...` replaced by `line` (or appended when the key is absent).
fn with(key: &str, line: &str) -> String {
    let base = valid();
    let prefix = format!("{key} =");
    if base.lines().any(|l| l.starts_with(&prefix)) {
        base.lines()
            .map(|l| if l.starts_with(&prefix) { line } else { l })
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        format!("{line}\n{base}")
    }
}

#[test]
fn minimal_profile_gets_defaults() {
    let p = KioskProfile::parse(&valid()).unwrap();
    assert_eq!(p.id, "lobby-1");
    assert_eq!(p.town, "dolni-lhota");
    assert_eq!(p.backend_url, "http://127.0.0.1:8080");
    assert_eq!(p.enabled_modules, vec![Module::Payments, Module::Filing]);
    assert_eq!(p.idle_timeout_seconds, 120);
    assert_eq!(p.reader_name_pattern, "*");
    assert_eq!(p.default_language, "cs");
    assert_eq!(p.language(), Language::Cs);
    assert_eq!(p.accessibility, Accessibility::default());
    assert!(!p.accessibility.high_contrast && !p.accessibility.large_text);
    assert_eq!(
        p.window,
        WindowSettings {
            fullscreen: true,
            width: 1080,
            height: 1920
        }
    );
    assert!(p.trust_anchors.is_empty());
    assert!(p.has_module(Module::Filing));
    assert!(!p.has_module(Module::Subsidies));
}

#[test]
fn full_profile() {
    let text = format!(
        "{}reader_name_pattern = \"ACS*\"\ndefault_language = \"en\"\n\
         trust_anchors = [\"/etc/ca.pem\", \"ca2.pem\"]\n\
         [accessibility]\nhigh_contrast = true\nlarge_text = true\n\
         [window]\nfullscreen = false\nwidth = 800\nheight = 600\n",
        valid()
    );
    let p = KioskProfile::parse(&text).unwrap();
    assert_eq!(p.default_language, "en");
    assert_eq!(p.language(), Language::En);
    assert_eq!(p.reader_name_pattern, "ACS*");
    assert_eq!(
        p.trust_anchors,
        vec![PathBuf::from("/etc/ca.pem"), PathBuf::from("ca2.pem")]
    );
    assert!(p.accessibility.high_contrast && p.accessibility.large_text);
    assert_eq!(
        p.window,
        WindowSettings {
            fullscreen: false,
            width: 800,
            height: 600
        }
    );
}

#[test]
fn shipped_examples_are_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let lobby = KioskProfile::load(dir.join("lobby.toml")).unwrap();
    assert_eq!(lobby.town, "dolni-lhota");
    assert_eq!(lobby.backend_url, "http://127.0.0.1:8080");
    assert!(
        lobby.verify_pin("2468"),
        "the lobby demo PIN is documented as 2468"
    );
    assert!(!lobby.verify_pin("2469"));
    let library = KioskProfile::load(dir.join("library-branch.toml")).unwrap();
    assert!(library.verify_pin("13579"));
    assert!(library.backend_url.starts_with("https://"));
}

#[test]
fn pin_hash_round_trip_and_verify() {
    let h = hash_pin("2468", &SALT);
    assert!(h.starts_with("sha256:07070707070707070707070707070707:"));
    assert_eq!(h.len(), "sha256:".len() + 32 + 1 + 64);
    let parsed: PinHash = h.parse().unwrap();
    assert_eq!(parsed.to_string(), h);
    assert_eq!(parsed.salt(), &SALT);
    assert!(parsed.verify("2468"));
    assert!(!parsed.verify("2467"));
    assert!(!parsed.verify(""));
    assert!(!parsed.verify("24680"));
    // Known answer: SHA-256 over the salt bytes followed by the PIN.
    let mut input = SALT.to_vec();
    input.extend_from_slice(b"2468");
    let expected = hex::encode(Sha256::digest(&input));
    assert!(h.ends_with(&expected));
    // Different salts, different hashes.
    assert_ne!(hash_pin("2468", &[1; 16]), h);
    assert_ne!(generate_salt(), generate_salt());
    let p = KioskProfile::parse(&valid()).unwrap();
    assert!(p.verify_pin("2468"));
    assert!(!p.verify_pin("8642"));
}

#[test]
fn pin_format() {
    assert!(check_pin_format("2468").is_ok());
    assert!(check_pin_format("123456789012").is_ok());
    assert!(check_pin_format("123").is_err());
    assert!(check_pin_format("1234567890123").is_err());
    assert!(check_pin_format("12a4").is_err());
    assert!(check_pin_format("").is_err());
}

#[test]
fn bad_pin_hashes() {
    for bad in [
        "2468",
        "sha256:abc",
        "md5:0707070707070707:00",
        "sha256:zz07070707070707:0000000000000000000000000000000000000000000000000000000000000000",
        "sha256:0707:0000000000000000000000000000000000000000000000000000000000000000",
        "sha256:07070707070707070:0000000000000000000000000000000000000000000000000000000000000000",
        "sha256:0707070707070707:00",
        "sha256:0707070707070707:0000000000000000000000000000000000000000000000000000000000000000:x",
    ] {
        let e = one_error(&with(
            "staff_exit_pin_hash",
            &format!("staff_exit_pin_hash = {bad:?}"),
        ));
        assert_eq!(e.key, "staff_exit_pin_hash", "{bad}");
        assert_eq!(e.line, 6, "{bad}");
    }
}

#[test]
fn wrong_type_names_line_and_key_path() {
    let text = format!("{}[accessibility]\nhigh_contrast = \"yes\"\n", valid());
    let e = one_error(&text);
    assert_eq!(e.line, 8);
    assert_eq!(e.key, "accessibility.high_contrast");
    assert_eq!(
        e.message,
        "expected a boolean (true or false), found a string"
    );

    let e = one_error(&with(
        "idle_timeout_seconds",
        "idle_timeout_seconds = \"120\"",
    ));
    assert_eq!((e.line, e.key.as_str()), (5, "idle_timeout_seconds"));
    assert!(e.message.contains("expected an integer"), "{}", e.message);

    let e = one_error(&format!("{}window = 3\n", valid()));
    assert_eq!((e.line, e.key.as_str()), (7, "window"));
    assert!(e.message.contains("a table"), "{}", e.message);
}

#[test]
fn unknown_keys_are_errors_with_suggestions() {
    let text = format!(
        "{}colour = \"blue\"\nidle_timeout = 60\n[window]\nfulscreen = true\n[theme]\ndark = true\n",
        valid()
    );
    let errors = KioskProfile::parse(&text).unwrap_err();
    let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.key.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (7, "colour"),
            (8, "idle_timeout"),
            (10, "window.fulscreen"),
            (11, "theme")
        ]
    );
    assert!(errors.errors()[1].message.contains("idle_timeout_seconds"));
    assert!(
        errors.errors()[2]
            .message
            .contains("did you mean `window.fullscreen`")
    );
    assert!(errors.errors()[0].message.starts_with("unknown key"));
}

#[test]
fn timeout_range() {
    for ok in [30, 1800, 300] {
        let p = KioskProfile::parse(&with(
            "idle_timeout_seconds",
            &format!("idle_timeout_seconds = {ok}"),
        ))
        .unwrap();
        assert_eq!(p.idle_timeout_seconds, ok);
    }
    for bad in ["29", "1801", "0", "-5", "99999999999999999999", "0x10"] {
        let e = one_error(&with(
            "idle_timeout_seconds",
            &format!("idle_timeout_seconds = {bad}"),
        ));
        assert_eq!(e.key, "idle_timeout_seconds");
        assert!(
            e.message.contains("between 30 and 1800"),
            "{bad}: {}",
            e.message
        );
    }
}

#[test]
fn backend_urls() {
    for ok in [
        "http://127.0.0.1:8080",
        "http://localhost",
        "http://[::1]:8080/",
        "https://portal.dolni-lhota.cz",
        "https://portal.example.cz:8443/api-root",
        "https://10.0.0.5",
    ] {
        assert_eq!(check_backend_url(ok), Ok(()), "{ok}");
    }
    for bad in [
        "",
        "portal.example.cz",
        "ftp://portal.example.cz",
        "http://portal.example.cz",
        "http://192.168.1.10:8080",
        "https://",
        "https://:8080",
        "https://portal.example.cz:0",
        "https://portal.example.cz:99999",
        "https://portal.example.cz:80a",
        "https://user:pw@portal.example.cz",
        "https://portal.example.cz/?x=1",
        "https://portal.example.cz/#top",
        "https://portal example.cz",
        "https://portál.cz",
        "https://[::1",
    ] {
        assert!(check_backend_url(bad).is_err(), "{bad} should be rejected");
    }
    let e = one_error(&with("backend_url", "backend_url = \"ftp://x.cz\""));
    assert_eq!((e.line, e.key.as_str()), (3, "backend_url"));
}

#[test]
fn modules() {
    let e = one_error(&with(
        "enabled_modules",
        "enabled_modules = [\"payments\", \"parking\"]",
    ));
    assert_eq!((e.line, e.key.as_str()), (4, "enabled_modules[1]"));
    assert!(e.message.contains("\"parking\""));
    let e = one_error(&with("enabled_modules", "enabled_modules = []"));
    assert_eq!(e.key, "enabled_modules");
    let e = one_error(&with(
        "enabled_modules",
        "enabled_modules = [\"filing\", \"filing\"]",
    ));
    assert_eq!(e.key, "enabled_modules[1]");
    assert!(e.message.contains("twice"));
    let e = one_error(&with("enabled_modules", "enabled_modules = \"payments\""));
    assert_eq!(e.key, "enabled_modules");
    let p = KioskProfile::parse(&with(
        "enabled_modules",
        "enabled_modules = [\"notifications\", \"subsidies\", \"bookings\", \"filing\", \"payments\"]",
    ))
    .unwrap();
    assert_eq!(p.enabled_modules.len(), 5);
    assert_eq!(p.enabled_modules[0], Module::Notifications);
}

#[test]
fn identifiers_and_slugs() {
    for bad in ["", "Lobby", "lobby 1", "lobby/1"] {
        let e = one_error(&with("id", &format!("id = {bad:?}")));
        assert_eq!(e.key, "id", "{bad}");
    }
    for bad in ["Dolní Lhota", "dolni--lhota", "-dolni", "dolni_lhota", ""] {
        let e = one_error(&with("town", &format!("town = {bad:?}")));
        assert_eq!(e.key, "town", "{bad}");
    }
    let e = one_error(&with("default_language", "default_language = \"de\""));
    assert_eq!(e.key, "default_language");
}

#[test]
fn missing_required_keys_are_all_reported() {
    let errors = KioskProfile::parse("# nothing here\n").unwrap_err();
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        vec![
            "id",
            "town",
            "backend_url",
            "enabled_modules",
            "idle_timeout_seconds",
            "staff_exit_pin_hash"
        ]
    );
    assert!(errors.iter().all(|e| e.line == 1));
    assert!(
        errors
            .iter()
            .all(|e| e.message.starts_with("missing required key"))
    );
}

#[test]
fn all_semantic_errors_are_collected_and_sorted() {
    let text = "\
id = \"Bad Id\"
town = 5
backend_url = \"nope\"
enabled_modules = [\"x\"]
idle_timeout_seconds = 1
staff_exit_pin_hash = \"plain\"
trust_anchors = [\"\"]
[window]
width = 10
";
    let errors = KioskProfile::parse(text).unwrap_err();
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![1, 2, 3, 4, 5, 6, 7, 9]);
}

#[test]
fn syntax_errors_name_line_and_key() {
    let text = format!("{}[window]\nwidth = \n", valid());
    let errors = KioskProfile::parse(&text).unwrap_err();
    let e = &errors.errors()[0];
    assert_eq!(e.line, 8);
    assert_eq!(e.key, "window.width");
    assert!(e.message.starts_with("TOML syntax error"), "{}", e.message);

    let errors = KioskProfile::parse("id = \"a\"\nid = \"b\"\n").unwrap_err();
    assert_eq!(errors.errors()[0].line, 2);
    assert_eq!(errors.errors()[0].key, "id");
}

#[test]
fn display_format() {
    let text = format!("{}[accessibility]\nlarge_text = 1\n", valid());
    let errors = KioskProfile::parse(&text).unwrap_err();
    assert_eq!(
        errors.to_string(),
        "<input>:8: accessibility.large_text: expected a boolean (true or false), found an integer"
    );
    let errors = errors.with_file("kiosks/lobby.toml");
    assert!(
        errors
            .to_string()
            .starts_with("kiosks/lobby.toml:8: accessibility.large_text: ")
    );
    let errors = KioskProfile::load("/nonexistent/kiosk.toml").unwrap_err();
    assert!(
        errors
            .to_string()
            .starts_with("/nonexistent/kiosk.toml: cannot read the file"),
        "{errors}"
    );
}

#[test]
fn load_resolves_relative_trust_anchors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k.toml");
    std::fs::write(
        &file,
        format!("{}trust_anchors = [\"ca.pem\", \"/abs/ca.pem\"]\n", valid()),
    )
    .unwrap();
    let p = KioskProfile::load(&file).unwrap();
    assert_eq!(
        p.trust_anchors,
        vec![dir.path().join("ca.pem"), PathBuf::from("/abs/ca.pem")]
    );
}

#[test]
fn reader_patterns() {
    assert!(glob_match("*", ""));
    assert!(glob_match("*", "Virtual PCD 00 00"));
    assert!(glob_match("Virtual PCD*", "Virtual PCD 00 00"));
    assert!(glob_match("*PCD ?? 00", "Virtual PCD 00 00"));
    assert!(!glob_match("ACS*", "Virtual PCD 00 00"));
    assert!(glob_match(
        "*Contact Reader*",
        "Identiv uTrust 2700 R Contact Reader 0"
    ));
    assert!(!glob_match("a*b*c", "aXbXd"));
    assert!(glob_match("a*b*c", "aXbXbc"));
    assert!(!glob_match("?", ""));
    let p =
        KioskProfile::parse(&format!("{}reader_name_pattern = \"Virtual*\"\n", valid())).unwrap();
    assert!(p.reader_matches("Virtual PCD 00 00"));
    assert!(!p.reader_matches("ACS ACR39U"));
}

#[test]
fn module_and_language_names() {
    for m in Module::ALL {
        assert_eq!(m.as_str().parse::<Module>(), Ok(m));
    }
    assert_eq!("en".parse::<Language>(), Ok(Language::En));
    assert!("EN".parse::<Language>().is_err());
}
