use super::*;
use std::collections::BTreeSet;
use std::path::Path;

fn keys(lang: Lang) -> BTreeSet<&'static str> {
    catalog(lang).keys().map(String::as_str).collect()
}

#[test]
fn catalogs_have_identical_keys() {
    let cs = keys(Lang::Cs);
    let en = keys(Lang::En);
    let only_cs: Vec<_> = cs.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&cs).collect();
    assert!(only_cs.is_empty(), "only in cs.json: {only_cs:?}");
    assert!(only_en.is_empty(), "only in en.json: {only_en:?}");
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

#[test]
fn translations_are_filled_in_and_use_the_same_placeholders() {
    for key in keys(Lang::Cs) {
        let cs = lookup(Lang::Cs, key).unwrap();
        let en = lookup(Lang::En, key).unwrap();
        assert!(
            !cs.trim().is_empty() && !en.trim().is_empty(),
            "{key} is empty"
        );
        assert_eq!(placeholders(cs), placeholders(en), "{key}");
    }
}

/// Every string literal passed to `t(`, `tf(` or `plural(` in `app/src`.
fn keys_used_in_sources() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![src];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for key in literal_calls(&text) {
                    found.push((path.display().to_string(), key));
                }
            }
        }
    }
    found
}

/// Finds `t("key"`, `tf("key"` and `plural("key"` where the name is a whole identifier.
/// Plural keys come back with a trailing `.*`.
fn literal_calls(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for (name, suffix) in [("t(\"", ""), ("tf(\"", ""), ("plural(\"", ".*")] {
        for (at, _) in text.match_indices(name) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &text[at + name.len()..];
            if let Some(end) = rest.find('"') {
                keys.push(format!("{}{suffix}", &rest[..end]));
            }
        }
    }
    keys
}

#[test]
fn the_scanner_finds_calls() {
    let found = literal_calls(r#"tr.t("a.b"); x.tf("c", &[]); tr.plural("d", 2); format!("e")"#);
    assert_eq!(found, vec!["a.b", "c", "d.*"]);
}

#[test]
fn every_key_used_in_the_sources_exists() {
    let used = keys_used_in_sources();
    assert!(used.len() > 50, "the scan found only {} keys", used.len());
    let mut missing = Vec::new();
    for (file, key) in used {
        // Test fixtures in this file are not real keys.
        if file.ends_with("i18n/tests.rs") {
            continue;
        }
        let wanted: Vec<String> = match key.strip_suffix(".*") {
            Some(base) => ["one", "few", "other"]
                .iter()
                .map(|c| format!("{base}.{c}"))
                .collect(),
            None => vec![key.clone()],
        };
        for key in wanted {
            if lookup(Lang::Cs, &key).is_none() {
                missing.push(format!("{file}: {key}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing translations:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_domain_error_code_is_translated() {
    for code in portal_domain::ALL_ERROR_CODES {
        for lang in Lang::ALL {
            assert!(
                lookup(lang, &format!("error.{code}")).is_some(),
                "{lang:?} has no text for error code {code}"
            );
        }
    }
}

#[test]
fn unknown_codes_fall_back_to_a_generic_message() {
    let tr = Tr::new(Lang::Cs);
    assert_eq!(tr.error("no.such.code"), tr.t("error.unknown"));
    assert_eq!(
        tr.error("email.invalid"),
        "Toto není platná e-mailová adresa."
    );
}

#[test]
fn plurals_fill_in_the_count() {
    let cs = Tr::new(Lang::Cs);
    assert_eq!(
        cs.plural("dashboard.notifications.unread", 5),
        "5 nepřečtených zpráv"
    );
    assert_eq!(
        cs.plural("dashboard.notifications.unread", 1000)
            .replace('\u{a0}', " "),
        "1 000 nepřečtených zpráv"
    );
}
