//! Free text (message, recipient name) made safe for a SPAYD value.
//!
//! The specification allows ISO-8859-1 in values and recommends the QR alphanumeric subset.
//! ISO-8859-1 lacks most Czech letters (č ď ě ň ř š ť ů ž), and readers disagree whether the
//! bytes of a QR code are ISO-8859-1 or UTF-8, so keeping only the few Czech letters Latin-1
//! has (á é í ó ú ý) would give inconsistent, mis-decoded text. Values are therefore
//! transliterated to printable ASCII, the subset every reader agrees on: `Poplatek za psa –
//! Dolní Lhota` becomes `Poplatek za psa - Dolni Lhota`. Case is kept.

/// Letters with diacritics (Czech, Slovak, German, Polish, Hungarian, French…) and their
/// ASCII base letters, position by position.
const ACCENTED: &str = "ÁÄÂÀÃÅĀĂĄáäâàãåāăąÇĆČĈĊçćčĉċĎĐďđÉĚËÈÊĒĖĘéěëèêēėęĜĞĠĢĝğġģĤĥÍÏÎÌĪĮİíïîìīįıĴĵĶķĹĽŁĻĿĺľłļŀŃŇÑŅńňñņÓÖÔÒÕŐŌØóöôòõőōøŔŘŖŕřŗŚŠŞŜȘśšşŝșŤŢȚťţțÚŮÜÙÛŰŪŲúůüùûűūųÝŸŶýÿŷŹŽŻźžż";
const BASE: &str = "AAAAAAAAAaaaaaaaaaCCCCCcccccDDddEEEEEEEEeeeeeeeeGGGGggggHhIIIIIIIiiiiiiiJjKkLLLLLlllllNNNNnnnnOOOOOOOOooooooooRRRrrrSSSSSsssssTTTtttUUUUUUUUuuuuuuuuYYYyyyZZZzzz";

/// ASCII for one character: itself when printable ASCII, a transliteration, or nothing.
fn ascii(c: char, out: &mut String) {
    match c {
        ' '..='~' => out.push(c),
        // Any whitespace (tabs, line breaks, no-break spaces) becomes a plain space.
        c if c.is_whitespace() => out.push(' '),
        'ß' => out.push_str("ss"),
        'Æ' => out.push_str("AE"),
        'æ' => out.push_str("ae"),
        'Œ' => out.push_str("OE"),
        'œ' => out.push_str("oe"),
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => out.push('-'),
        '„' | '“' | '”' | '«' | '»' | '″' => out.push('"'),
        '‚' | '‘' | '’' | '‹' | '›' | '′' => out.push('\''),
        '…' => out.push_str("..."),
        '€' => out.push_str("EUR"),
        '§' => out.push_str("par."),
        _ => {
            if let Some(i) = ACCENTED.chars().position(|a| a == c) {
                out.extend(BASE.chars().nth(i));
            }
            // Anything else (control characters, other scripts, emoji) is dropped.
        }
    }
}

/// Transliterated to printable ASCII, runs of spaces collapsed, trimmed.
pub(crate) fn to_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        ascii(c, &mut out);
    }
    out.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Percent-escapes what would break the SPAYD structure or its decoding: `*` separates
/// attributes, `%` starts an escape, and `+` is decoded as a space by readers that use
/// form-URL decoding (the reference implementation escapes all three).
pub(crate) fn escape(ascii: &str) -> String {
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        match c {
            '*' => out.push_str("%2A"),
            '%' => out.push_str("%25"),
            '+' => out.push_str("%2B"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_line_up() {
        assert_eq!(ACCENTED.chars().count(), BASE.chars().count());
    }

    #[test]
    fn czech_transliterated() {
        assert_eq!(
            to_ascii("Příliš žluťoučký kůň úpěl ďábelské ódy"),
            "Prilis zlutoucky kun upel dabelske ody"
        );
        assert_eq!(
            to_ascii("PŘÍLIŠ ŽLUŤOUČKÝ KŮŇ ÚPĚL ĎÁBELSKÉ ÓDY"),
            "PRILIS ZLUTOUCKY KUN UPEL DABELSKE ODY"
        );
        assert_eq!(
            to_ascii("Dolní Lhota – poplatek\u{a0}za psa"),
            "Dolni Lhota - poplatek za psa"
        );
        assert_eq!(to_ascii("  Straße\t\n„Ärger“ 😀 ✓ "), "Strasse \"Arger\"");
    }

    #[test]
    fn escapes_structure() {
        assert_eq!(escape("a*b%c+d:e"), "a%2Ab%25c%2Bd:e");
    }
}
