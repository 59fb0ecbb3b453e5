//! ABO columns count Windows-1250 bytes, one per character. Some banks write the same records
//! in UTF-8 instead: Moneta's Internet Banka encodes its ABO exports in UTF-8 when they hold
//! diacritics ("Nastavení Internet Banky pro export a import do účetnictví"). There a name like
//! "Dvořák" takes more bytes than columns, so such a file is turned back into Windows-1250
//! first, character for character, and then read like any other.

use encoding_rs::WINDOWS_1250;
use std::borrow::Cow;

/// The file as Windows-1250 bytes. A file is UTF-8 when it starts with a UTF-8 byte-order mark,
/// or when it is valid UTF-8 with non-ASCII characters (Windows-1250 text with diacritics is
/// almost never valid UTF-8: "á" is the lone byte 0xE1). A character Windows-1250 lacks becomes
/// `?`, one column like the character it stands for; in a digit field it is then refused there.
pub(super) fn to_windows_1250(bytes: &[u8]) -> Result<Cow<'_, [u8]>, String> {
    let (body, marked) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(body) => (body, true),
        None => (bytes, false),
    };
    let text = match (std::str::from_utf8(body), marked) {
        (Ok(text), true) => text,
        (Ok(text), false) if !text.is_ascii() => text,
        (_, false) => return Ok(Cow::Borrowed(bytes)),
        (Err(_), true) => {
            return Err("starts with a UTF-8 byte-order mark but is not valid UTF-8".into());
        }
    };
    let mut out = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let (encoded, _, unmappable) = WINDOWS_1250.encode(c.encode_utf8(&mut buf));
        match *encoded {
            [byte] if !unmappable => out.push(byte),
            _ => out.push(b'?'),
        }
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1250_and_ascii_stay_as_they_are() {
        let cp1250 = b"075 Dvo\xf8\xe1k";
        assert!(matches!(to_windows_1250(cp1250), Ok(Cow::Borrowed(_))));
        assert!(matches!(
            to_windows_1250(b"074 ascii"),
            Ok(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn utf8_becomes_one_byte_per_character() {
        let utf8 = "075 Dvořák Жук".as_bytes();
        assert_eq!(
            to_windows_1250(utf8).unwrap().as_ref(),
            b"075 Dvo\xf8\xe1k ???"
        );
        let marked = [b"\xEF\xBB\xBF".as_slice(), b"074 ascii"].concat();
        assert_eq!(to_windows_1250(&marked).unwrap().as_ref(), b"074 ascii");
        assert!(to_windows_1250(b"\xEF\xBB\xBF074 Dvo\xf8\xe1k").is_err());
    }
}
