//! The staff exit PIN: its salted hash in the profile, and making and checking PINs.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Allowed number of digits in a staff exit PIN (the kiosk's exit keypad has digits only).
pub const PIN_LENGTH_RANGE: RangeInclusive<usize> = 4..=12;
/// Allowed salt length in bytes in `staff_exit_pin_hash`.
pub const SALT_LENGTH_RANGE: RangeInclusive<usize> = 8..=64;
/// Salt length that [`generate_salt`] produces.
pub const SALT_LENGTH: usize = 16;
/// The scheme prefix of `staff_exit_pin_hash`.
pub const PIN_HASH_SCHEME: &str = "sha256";

/// A parsed `staff_exit_pin_hash`: `sha256:<salt hex>:<digest hex>` where the digest is
/// `SHA-256(salt bytes ‖ PIN as UTF-8)`.
///
/// A short numeric PIN cannot be protected against offline guessing by any hash (there are only
/// 10⁴–10¹² of them), so the profile file must still be readable only by the kiosk's
/// administrators; the hash keeps the PIN out of plain sight in the file, its backups, support
/// tickets and screenshots.
#[derive(Clone, PartialEq, Eq)]
pub struct PinHash {
    salt: Vec<u8>,
    digest: [u8; 32],
}

impl PinHash {
    /// Hashes `pin` with `salt`.
    pub fn new(pin: &str, salt: &[u8]) -> PinHash {
        PinHash {
            salt: salt.to_vec(),
            digest: pin_digest(pin, salt),
        }
    }

    /// True when `pin` is the PIN this hash was made from. The digests are compared in
    /// constant time, so the comparison's duration does not tell how many bytes matched.
    pub fn verify(&self, pin: &str) -> bool {
        let candidate = pin_digest(pin, &self.salt);
        let diff = candidate
            .iter()
            .zip(self.digest.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        // black_box keeps the optimiser from turning the fold into an early-exit comparison.
        std::hint::black_box(diff) == 0
    }

    /// The salt bytes.
    pub fn salt(&self) -> &[u8] {
        &self.salt
    }
}

fn pin_digest(pin: &str, salt: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(pin.as_bytes());
    hasher.finalize().into()
}

impl fmt::Display for PinHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{PIN_HASH_SCHEME}:{}:{}",
            hex::encode(&self.salt),
            hex::encode(self.digest)
        )
    }
}

impl fmt::Debug for PinHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PinHash({self})")
    }
}

impl Serialize for PinHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FromStr for PinHash {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const FORMAT: &str =
            "expected \"sha256:<salt hex>:<digest hex>\" (make one with `kiosk-config hash-pin`)";
        let parts: Vec<&str> = s.split(':').collect();
        let [scheme, salt, digest] = parts[..] else {
            return Err(format!("not a PIN hash; {FORMAT}"));
        };
        if scheme != PIN_HASH_SCHEME {
            return Err(format!("unsupported hash scheme {scheme:?}; {FORMAT}"));
        }
        let salt = decode_hex(salt).map_err(|e| format!("salt {e}; {FORMAT}"))?;
        if !SALT_LENGTH_RANGE.contains(&salt.len()) {
            return Err(format!(
                "salt must be {} to {} bytes ({} to {} hex digits), found {} bytes",
                SALT_LENGTH_RANGE.start(),
                SALT_LENGTH_RANGE.end(),
                SALT_LENGTH_RANGE.start() * 2,
                SALT_LENGTH_RANGE.end() * 2,
                salt.len()
            ));
        }
        let digest = decode_hex(digest).map_err(|e| format!("digest {e}; {FORMAT}"))?;
        let digest: [u8; 32] = digest.try_into().map_err(|d: Vec<u8>| {
            format!(
                "digest must be 32 bytes (64 hex digits), found {} bytes",
                d.len()
            )
        })?;
        Ok(PinHash { salt, digest })
    }
}

fn decode_hex(s: &str) -> Result<Vec<u8>, String> {
    if s.is_empty() {
        return Err("is empty".into());
    }
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("is not hexadecimal".into());
    }
    hex::decode(s).map_err(|e| match e {
        hex::FromHexError::OddLength => "has an odd number of hex digits".into(),
        e => e.to_string(),
    })
}

/// Hashes a staff exit PIN with `salt` into the `staff_exit_pin_hash` format
/// `sha256:<salt hex>:<digest hex>`, where the digest is `SHA-256(salt ‖ pin)`.
///
/// Use [`generate_salt`] for the salt. The PIN is hashed as given; [`check_pin_format`] tells
/// whether it is a PIN the kiosk's keypad can enter.
pub fn hash_pin(pin: &str, salt: &[u8]) -> String {
    PinHash::new(pin, salt).to_string()
}

/// A fresh random salt from the operating system's generator.
pub fn generate_salt() -> [u8; SALT_LENGTH] {
    let mut salt = [0u8; SALT_LENGTH];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt);
    salt
}

/// Checks that `pin` is 4 to 12 ASCII digits.
pub fn check_pin_format(pin: &str) -> Result<(), String> {
    if !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the PIN must consist of digits 0-9 only".into());
    }
    if !PIN_LENGTH_RANGE.contains(&pin.len()) {
        return Err(format!(
            "the PIN must have {} to {} digits, found {}",
            PIN_LENGTH_RANGE.start(),
            PIN_LENGTH_RANGE.end(),
            pin.len()
        ));
    }
    Ok(())
}
