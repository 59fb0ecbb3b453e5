//! The QR images decode back to the SPAYD string with an independent decoder (zbar), and the
//! SVG draws exactly the matrix the PNG does.

use payment_formats::qr::QrMatrix;
use payment_formats::spayd::Spayd;
use std::process::Command;

fn payment() -> Spayd {
    Spayd::builder("CZ5855000000001265098001")
        .amount_halere(123_456)
        .variable_symbol("2025001")
        .constant_symbol("0308")
        .message("Poplatek za odpady 2025 – Tomáš Dvořák *2")
        .recipient_name("Obec Dolní Lhota")
        .build()
        .unwrap()
}

/// Runs `zbarimg -Sbinary --raw -q FILE` (binary mode: zbar must not guess a text encoding);
/// `None` when zbarimg is not installed.
fn zbarimg(png: &[u8]) -> Option<Vec<u8>> {
    if Command::new("zbarimg").arg("--version").output().is_err() {
        println!(
            "SKIPPED: zbarimg is not installed (apt-get install zbar-tools); QR decoding not checked"
        );
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("qr.png");
    std::fs::write(&path, png).unwrap();
    let output = Command::new("zbarimg")
        .args(["-Sbinary", "--raw", "-q"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "zbarimg failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut data = output.stdout;
    if data.last() == Some(&b'\n') {
        data.pop();
    }
    Some(data)
}

#[test]
fn png_decodes_back_to_the_spayd_string() {
    let spayd = payment();
    let qr = QrMatrix::new(&spayd).unwrap();
    for module_px in [3, 8] {
        let png = qr.to_png(module_px).unwrap();
        if let Some(decoded) = zbarimg(&png) {
            assert_eq!(
                String::from_utf8_lossy(&decoded),
                spayd.as_str(),
                "module size {module_px}"
            );
        }
    }
}

#[test]
fn longest_payment_still_decodes() {
    let spayd = Spayd::builder("CZ5855000000001265098001")
        .bic("RZBCCZPPXXX")
        .amount_halere(999_999_999)
        .variable_symbol("9999999999")
        .specific_symbol("9999999999")
        .constant_symbol("9999999999")
        .message(&"*".repeat(60))
        .recipient_name(&"Ř".repeat(35))
        .build()
        .unwrap();
    let png = QrMatrix::new(&spayd).unwrap().to_png(4).unwrap();
    if let Some(decoded) = zbarimg(&png) {
        assert_eq!(String::from_utf8_lossy(&decoded), spayd.as_str());
    }
}

#[test]
fn svg_draws_the_same_matrix() {
    let qr = QrMatrix::new(&payment()).unwrap();
    let svg = qr.to_svg("QR Platba", 200);
    let side = qr.width() + 8;
    let mut drawn = vec![false; side * side];
    let path = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    for segment in path.split('M').filter(|s| !s.is_empty()) {
        // M{x} {y}h{n}v1h-{n}z
        let (x, rest) = segment.split_once(' ').unwrap();
        let (y, rest) = rest.split_once('h').unwrap();
        let n = rest.split('v').next().unwrap();
        let (x, y, n): (usize, usize, usize) =
            (x.parse().unwrap(), y.parse().unwrap(), n.parse().unwrap());
        for dx in 0..n {
            drawn[y * side + x + dx] = true;
        }
    }
    for y in 0..side {
        for x in 0..side {
            let inside = (4..side - 4).contains(&x) && (4..side - 4).contains(&y);
            let expected = inside && qr.is_dark(x - 4, y - 4);
            assert_eq!(drawn[y * side + x], expected, "module {x},{y}");
        }
    }
}
