//! Writes the translation catalogs that `src/i18n` compiles in (`OUT_DIR/i18n/{cs,en}.json`):
//! `assets/i18n/*.json` without whitespace and, for the citizens' web bundle (wasm32 without the
//! `office` feature), without the back office's texts, which its pages alone use. Native builds
//! (the kiosk, the tests) keep every text, so the tests check them all.

use std::path::PathBuf;

/// Key prefixes of the back office's pages (`staff/`, `staff_payments/`, `kiosks/`).
const OFFICE_PREFIXES: [&str; 3] = ["staff.", "staff_payments.", "kiosks."];
/// The user menu names the office pages in every build.
const MENU_KEYS: [&str; 3] = ["staff.title", "staff_payments.title", "kiosks.title"];

fn main() {
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    let citizens_only = wasm && std::env::var_os("CARGO_FEATURE_OFFICE").is_none();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("i18n");
    std::fs::create_dir_all(&out).expect("OUT_DIR is writable");
    for lang in ["cs", "en"] {
        let source = format!("../assets/i18n/{lang}.json");
        println!("cargo::rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let mut catalog: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{source}: {e}"));
        if citizens_only {
            catalog.retain(|key, _| {
                MENU_KEYS.contains(&key.as_str())
                    || !OFFICE_PREFIXES.iter().any(|prefix| key.starts_with(prefix))
            });
        }
        let json = serde_json::to_string(&catalog).expect("a JSON map serializes");
        std::fs::write(out.join(format!("{lang}.json")), json).expect("OUT_DIR is writable");
    }
}
