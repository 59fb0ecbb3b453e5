//! Stable item identities: short SHA-256 digests of what identifies a movement, plus a counter
//! for byte-identical movements within one statement.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiply-rotate hash over 8-byte words (the algorithm of rustc's FxHasher) for the maps
/// of this crate. The standard SipHash resists hash flooding, which these maps do not need:
/// their keys are element names and item-key hashes, bounded by the file being parsed.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxBuild = BuildHasherDefault<Fx>;

/// FNV-1a (64 bits) of a key: byte by byte, so that keys differing in one digit spread well.
pub(crate) fn fnv(key: &[u8]) -> u64 {
    key.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

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
///
/// Keys are remembered by their 64-bit hash, not their text: two different keys sharing a
/// hash (odds about 10^-8 for a million items in one statement) would only number the second
/// `…:1`, which is still unique and still the same on every import.
#[derive(Debug, Default)]
pub(crate) struct Occurrences {
    seen: HashMap<u64, u32, FxBuild>,
}

impl Occurrences {
    pub(crate) fn next(&mut self, key: &str) -> u32 {
        let count = self.seen.entry(fnv(key.as_bytes())).or_insert(0);
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
