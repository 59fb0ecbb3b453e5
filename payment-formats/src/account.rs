//! Czech domestic account numbers as statements carry them.

/// `prefix-number` without leading zeros (`19-2000145399`, or `2000145399` without a prefix),
/// from the zero-padded parts. Empty when both parts are zero.
pub(crate) fn domestic(prefix: &str, number: &str) -> String {
    let prefix = prefix.trim_start_matches('0');
    let number = number.trim_start_matches('0');
    match (prefix.is_empty(), number.is_empty()) {
        (_, true) if prefix.is_empty() => String::new(),
        (true, _) => number.to_owned(),
        (false, true) => format!("{prefix}-0"),
        (false, false) => format!("{prefix}-{number}"),
    }
}

/// A domestic account as a bank wrote it (`19-2000145399`, `0000192000145399`,
/// `2000145399/0800`) in the form of [`domestic`], without bank code; other text is kept.
pub(crate) fn normalize_domestic(text: &str) -> String {
    let text = text.trim();
    let account = text.split('/').next().unwrap_or(text);
    let digits = |s: &str| !s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit());
    match account.split_once('-') {
        Some((prefix, number)) if prefix.len() <= 6 && digits(prefix) && digits(number) => {
            domestic(prefix, number)
        }
        None if account.len() == 16 && account.bytes().all(|b| b.is_ascii_digit()) => {
            domestic(&account[..6], &account[6..])
        }
        None if digits(account) => domestic("", account),
        _ => text.to_owned(),
    }
}

/// Czech account-number check (CNB decree 169/2011): digits weighted 1, 2, 4, 8, 5, 10, 9, 7,
/// 3, 6 from the right must sum to a multiple of 11.
pub(crate) fn mod11(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .zip([1, 2, 4, 8, 5, 10, 9, 7, 3, 6])
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    sum % 11 == 0
}

/// Whether 16 digits `prefix(6) number(10)` form a valid Czech account number.
pub(crate) fn valid_standard(digits: &[u8; 16]) -> bool {
    let (prefix, number) = digits.split_at(6);
    number.iter().any(|&b| b != b'0') && mod11(prefix) && mod11(number)
}

/// Some banks (Komerční banka, Česká spořitelna "KM" exports) write account numbers in ABO in
/// their internal digit order. With the standard order `P1..P6 C1..C9 C0` (prefix digits, then
/// the ten number digits), the internal order is `C0 C8 C9 C6 C1 C2 C3 C4 C5 C7 P1..P6`.
/// This turns the internal order back into the standard one.
pub(crate) fn from_internal_order(internal: &[u8; 16]) -> [u8; 16] {
    // For each standard position, the 1-based internal position holding its digit.
    const SOURCE: [usize; 16] = [11, 12, 13, 14, 15, 16, 5, 6, 7, 8, 9, 4, 10, 2, 3, 1];
    let mut standard = [b'0'; 16];
    for (slot, &from) in standard.iter_mut().zip(SOURCE.iter()) {
        *slot = internal[from - 1];
    }
    standard
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domestic_forms() {
        assert_eq!(domestic("000019", "2000145399"), "19-2000145399");
        assert_eq!(domestic("000000", "2400222222"), "2400222222");
        assert_eq!(domestic("000000", "0000000000"), "");
    }

    #[test]
    fn normalized_domestic_forms() {
        assert_eq!(normalize_domestic("000019-2000145399"), "19-2000145399");
        assert_eq!(normalize_domestic("0000192000145399"), "19-2000145399");
        assert_eq!(normalize_domestic("2000145399/0800"), "2000145399");
        assert_eq!(normalize_domestic(" 123 "), "123");
        assert_eq!(
            normalize_domestic("DE89370400440532013000"),
            "DE89370400440532013000"
        );
    }

    #[test]
    fn checksum() {
        // 19-2000145399/0800 is the Czech Red Cross account used in public QR examples.
        assert!(valid_standard(b"0000192000145399"));
        assert!(!valid_standard(b"0000192000145398"));
        assert!(!valid_standard(b"0000000000000000"));
    }

    #[test]
    fn internal_order_round_trip() {
        // Build the internal form of 19-2000145399 by the documented pattern, then undo it.
        let standard = *b"0000192000145399";
        let p = &standard[..6];
        let c = &standard[6..]; // C1..C9 C0
        let at = |i: usize| c[i - 1]; // C1 = index 1
        let internal: Vec<u8> = [
            at(10),
            at(8),
            at(9),
            at(6),
            at(1),
            at(2),
            at(3),
            at(4),
            at(5),
            at(7),
        ]
        .into_iter()
        .chain(p.iter().copied())
        .collect();
        let internal: [u8; 16] = internal.try_into().unwrap();
        assert_eq!(from_internal_order(&internal), standard);
        assert!(!valid_standard(&internal));
    }
}
