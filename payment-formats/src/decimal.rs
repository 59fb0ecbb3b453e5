//! Exact decimal text to haléř and back: integers only, never floats.

/// Parses a non-negative XML decimal such as `1500`, `1500.5`, `1500.50` or `0.000` into
/// hundredths. Digits beyond the second decimal place must be zeros.
pub(crate) fn parse_hundredths(text: &str) -> Result<i64, &'static str> {
    let text = text.trim();
    let text = text.strip_prefix('+').unwrap_or(text);
    if text.starts_with('-') {
        return Err("expected a non-negative amount (the direction is in CdtDbtInd)");
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err("expected a decimal number like 1500.00");
    }
    let (cents, rest) = fraction.split_at(fraction.len().min(2));
    if rest.bytes().any(|b| b != b'0') {
        return Err("expected at most two decimal places (haléř)");
    }
    let mut value: i64 = 0;
    for b in whole
        .bytes()
        .chain(cents.bytes())
        .chain("00"[cents.len()..].bytes())
    {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or("amount too large")?;
    }
    Ok(value)
}

/// `1500.00` from 150000: the amount with two decimal places and a dot.
pub(crate) fn format_hundredths(value: u64) -> String {
    format!("{}.{:02}", value / 100, value % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly() {
        assert_eq!(parse_hundredths("1500"), Ok(150_000));
        assert_eq!(parse_hundredths("1500.5"), Ok(150_050));
        assert_eq!(parse_hundredths("0.01"), Ok(1));
        assert_eq!(parse_hundredths(" 12.340 "), Ok(1234));
        assert_eq!(parse_hundredths(".5"), Ok(50));
        // 0.1 + 0.2 style: exact, no binary floating point anywhere.
        assert_eq!(parse_hundredths("92233720368547758.07"), Ok(i64::MAX));
    }

    #[test]
    fn rejects() {
        assert!(parse_hundredths("").is_err());
        assert!(parse_hundredths("-1.00").is_err());
        assert!(parse_hundredths("1,50").is_err());
        assert!(parse_hundredths("1.005").is_err());
        assert!(parse_hundredths("1e3").is_err());
        assert!(parse_hundredths("92233720368547758.08").is_err());
    }

    #[test]
    fn formats() {
        assert_eq!(format_hundredths(0), "0.00");
        assert_eq!(format_hundredths(1), "0.01");
        assert_eq!(format_hundredths(150_000), "1500.00");
    }
}
