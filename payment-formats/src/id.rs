//! Stable item identities: short SHA-256 digests of what identifies a movement, plus a counter
//! for byte-identical movements within one statement.

use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Hex of the first 10 bytes (80 bits) of SHA-256 over the parts, each length-prefixed so that
/// `("ab", "c")` and `("a", "bc")` differ.
pub(crate) fn digest<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let hash = hasher.finalize();
    let mut hex = String::with_capacity(20);
    for byte in &hash[..10] {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    hex
}

/// Numbers repeated digests within one statement: the first `…:0`, the next `…:1`. Two
/// identical movements booked the same day stay two items, and importing the same statement
/// again gives them the same two ids.
#[derive(Debug, Default)]
pub(crate) struct Occurrences {
    seen: HashMap<String, u32>,
}

impl Occurrences {
    pub(crate) fn next(&mut self, key: &str) -> u32 {
        let count = self.seen.entry(key.to_owned()).or_insert(0);
        let n = *count;
        *count += 1;
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_stable_and_length_prefixed() {
        let a = digest([b"ab".as_slice(), b"c".as_slice()]);
        let b = digest([b"a".as_slice(), b"bc".as_slice()]);
        assert_ne!(a, b);
        assert_eq!(a.len(), 20);
        assert_eq!(a, digest([b"ab".as_slice(), b"c".as_slice()]));
    }

    #[test]
    fn occurrences_count() {
        let mut seen = Occurrences::default();
        assert_eq!(seen.next("x"), 0);
        assert_eq!(seen.next("x"), 1);
        assert_eq!(seen.next("y"), 0);
    }
}
