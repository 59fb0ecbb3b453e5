//! What the card signs: Web eID's `H(origin) ‖ H(nonce)`.

use sha2::{Digest, Sha256, Sha384};

/// The token's signature algorithm, by the card key's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// RSA PKCS#1 v1.5 with SHA-256.
    Rs256,
    /// ECDSA on P-256 with SHA-256.
    Es256,
    /// ECDSA on P-384 with SHA-384.
    Es384,
}

impl Algorithm {
    /// The name in the token (`algorithm`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
        }
    }

    pub(crate) fn hash(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Rs256 | Self::Es256 => Sha256::digest(data).to_vec(),
            Self::Es384 => Sha384::digest(data).to_vec(),
        }
    }
}

/// The bytes the card signs for `origin` and `nonce`: `H(origin) ‖ H(nonce)` with the
/// algorithm's hash, both strings taken exactly as UTF-8. The signature then hashes these bytes
/// once more, as any RS256/ES256/ES384 signature hashes its input.
pub fn signed_data(algorithm: Algorithm, origin: &str, nonce: &str) -> Vec<u8> {
    let mut out = algorithm.hash(origin.as_bytes());
    out.extend_from_slice(&algorithm.hash(nonce.as_bytes()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concatenates_the_two_hashes() {
        let d = signed_data(
            Algorithm::Rs256,
            "https://portal.dolni-lhota.cz",
            "bm9uY2U=",
        );
        assert_eq!(d.len(), 64);
        assert_eq!(
            &d[..32],
            Sha256::digest(b"https://portal.dolni-lhota.cz").as_slice()
        );
        assert_eq!(&d[32..], Sha256::digest(b"bm9uY2U=").as_slice());
        assert_eq!(signed_data(Algorithm::Es384, "a", "b").len(), 96);
    }
}
