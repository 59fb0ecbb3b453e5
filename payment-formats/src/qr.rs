//! QR images of a SPAYD string: SVG for the web, PNG for print.
//!
//! Error correction is level M, as the QR Platba specification asks for print. Both images
//! keep the four-module quiet zone QR readers need. The `qrcode` crate only computes the
//! matrix; drawing here keeps the dependency tree small (its `image` feature is not used).

use crate::spayd::Spayd;
use qrcode::{Color, EcLevel, QrCode};

/// Modules of blank margin around the code (ISO/IEC 18004 asks for four).
const QUIET_ZONE: usize = 4;

/// The SPAYD does not fit a QR code (cannot happen with the builder's limits).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the payment does not fit a QR code: {0}")]
pub struct QrError(String);

/// The dark/light matrix of a payment's QR code.
#[derive(Debug, Clone)]
pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes the SPAYD bytes with error correction level M.
    pub fn new(spayd: &Spayd) -> Result<QrMatrix, QrError> {
        let code = QrCode::with_error_correction_level(spayd.as_str().as_bytes(), EcLevel::M)
            .map_err(|e| QrError(e.to_string()))?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(QrMatrix { width, dark })
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module at column `x`, row `y` is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }

    /// An SVG scaling to its container (`viewBox` in modules), `size_px` wide by default.
    /// `title` is the text alternative (e.g. "QR Platba: 1 500,00 Kč, VS 2025001"): it becomes
    /// the `<title>` and `aria-label` of an element with `role="img"`.
    pub fn to_svg(&self, title: &str, size_px: u32) -> String {
        let side = self.width + 2 * QUIET_ZONE;
        let title = xml_escape(title);
        let mut path = String::with_capacity(self.width * self.width);
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                let (px, py) = (start + QUIET_ZONE, y + QUIET_ZONE);
                path.push_str(&format!("M{px} {py}h{}v1h-{}z", x - start, x - start));
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" width=\"{size_px}\" \
             height=\"{size_px}\" role=\"img\" aria-label=\"{title}\" shape-rendering=\"crispEdges\">\
             <title>{title}</title><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
             <path fill=\"#000\" d=\"{path}\"/></svg>"
        )
    }

    /// A 1-bit grayscale PNG with `module_px` pixels per module (e.g. 10 for about 2.7 cm at
    /// 300 dpi for a typical payment).
    pub fn to_png(&self, module_px: u32) -> Result<Vec<u8>, QrError> {
        let scale = module_px.max(1) as usize;
        let side_px = (self.width + 2 * QUIET_ZONE) * scale;
        let row_bytes = side_px.div_ceil(8);
        // 1 bit per pixel, most significant first; 1 is white.
        let mut pixels = vec![0xffu8; row_bytes * side_px];
        for y in 0..self.width {
            for x in 0..self.width {
                if !self.is_dark(x, y) {
                    continue;
                }
                for dy in 0..scale {
                    let row = (y + QUIET_ZONE) * scale + dy;
                    for dx in 0..scale {
                        let col = (x + QUIET_ZONE) * scale + dx;
                        pixels[row * row_bytes + col / 8] &= !(0x80 >> (col % 8));
                    }
                }
            }
        }
        let side = u32::try_from(side_px).map_err(|e| QrError(e.to_string()))?;
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder.write_header().map_err(|e| QrError(e.to_string()))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| QrError(e.to_string()))?;
        writer.finish().map_err(|e| QrError(e.to_string()))?;
        Ok(out)
    }
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment() -> Spayd {
        Spayd::builder("CZ5855000000001265098001")
            .amount_halere(150_000)
            .variable_symbol("2025001")
            .build()
            .unwrap()
    }

    #[test]
    fn svg_has_text_alternative_and_quiet_zone() {
        let qr = QrMatrix::new(&payment()).unwrap();
        let svg = qr.to_svg("QR Platba: 1 500,00 Kč <VS 2025001>", 240);
        let side = qr.width() + 8;
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(&format!("viewBox=\"0 0 {side} {side}\"")));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title>QR Platba: 1 500,00 Kč &lt;VS 2025001&gt;</title>"));
        // Finder pattern: the top-left module is dark, drawn at the quiet-zone offset.
        assert!(qr.is_dark(0, 0));
        assert!(svg.contains("M4 4h7v1h-7z"));
    }

    #[test]
    fn png_header_and_size() {
        let qr = QrMatrix::new(&payment()).unwrap();
        let png = qr.to_png(4).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap();
        let side = u32::try_from((qr.width() + 8) * 4).unwrap();
        assert_eq!((reader.info().width, reader.info().height), (side, side));
    }
}
