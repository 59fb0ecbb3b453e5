//! Checks a card's authentication token (Web eID style) without touching the database: the
//! certificate's validity, key usage and chain to the town's trust anchors, and the signature over
//! `H(origin) ‖ H(nonce)` rebuilt from the backend's own origin and nonce.
//!
//! Reading a card's public certificate proves nothing (anyone can copy it); only a signature
//! over a fresh nonce, made by the key the certificate names, does.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use openssl::bn::BigNum;
use openssl::ecdsa::EcdsaSig;
use openssl::hash::{MessageDigest, hash};
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey, Public};
use openssl::rsa::Padding;
use openssl::sign::{RsaPssSaltlen, Verifier};
use openssl::stack::Stack;
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::verify::X509VerifyFlags;
use openssl::x509::{X509, X509KeyUsage, X509NameRef, X509StoreContext};
use portal_domain::wire::{CARD_TOKEN_FORMAT, CardAuthToken};

/// Why a card login was refused. `code()` is what the client sees (it words it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardAuthError {
    #[error("the token is not a web-eid:1.0 token or not base64")]
    Format,
    #[error("the certificate cannot be read")]
    CertificateInvalid,
    #[error("the certificate has expired or is not valid yet")]
    CertificateExpired,
    #[error("the certificate does not chain to a trusted card issuer")]
    CertificateUntrusted,
    #[error("the certificate is not for authentication (key usage)")]
    KeyUsage,
    #[error("unsupported signature algorithm, or one that does not fit the key")]
    Algorithm,
    #[error("the signature does not verify")]
    Signature,
}

impl CardAuthError {
    pub fn code(self) -> &'static str {
        match self {
            CardAuthError::Format => "card_token_format",
            CardAuthError::CertificateInvalid => "card_certificate_invalid",
            CardAuthError::CertificateExpired => "card_certificate_expired",
            CardAuthError::CertificateUntrusted => "card_certificate_untrusted",
            CardAuthError::KeyUsage => "card_key_usage",
            CardAuthError::Algorithm => "card_algorithm",
            CardAuthError::Signature => "card_signature",
        }
    }
}

/// The person a verified certificate names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardHolder {
    /// Stable per person as far as the certificate tells: the subject's `serialNumber`, else the
    /// issuer and the certificate's serial (then a new card is a new identity).
    pub subject: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
}

#[derive(Clone, Copy)]
enum Algorithm {
    Rs256,
    Ps256,
    Es256,
    Es384,
}

impl Algorithm {
    fn parse(name: &str) -> Option<Algorithm> {
        Some(match name {
            "RS256" => Algorithm::Rs256,
            "PS256" => Algorithm::Ps256,
            "ES256" => Algorithm::Es256,
            "ES384" => Algorithm::Es384,
            _ => return None,
        })
    }

    fn digest(self) -> MessageDigest {
        match self {
            Algorithm::Es384 => MessageDigest::sha384(),
            _ => MessageDigest::sha256(),
        }
    }
}

/// The bytes the card signs: `H(origin) ‖ H(nonce)` with the algorithm's hash.
pub fn signed_data(algorithm: &str, origin: &str, nonce: &str) -> Option<Vec<u8>> {
    let digest = Algorithm::parse(algorithm)?.digest();
    let mut data = hash(digest, origin.as_bytes()).ok()?.to_vec();
    data.extend_from_slice(&hash(digest, nonce.as_bytes()).ok()?);
    Some(data)
}

/// Verifies `token` for a login at `origin` with `nonce` against `anchors`, at the current time.
pub fn verify(
    token: &CardAuthToken,
    origin: &str,
    nonce: &str,
    anchors: &[X509],
) -> Result<CardHolder, CardAuthError> {
    if token.format != CARD_TOKEN_FORMAT {
        return Err(CardAuthError::Format);
    }
    let der = STANDARD
        .decode(&token.unverified_certificate)
        .map_err(|_| CardAuthError::Format)?;
    let signature = STANDARD
        .decode(&token.signature)
        .map_err(|_| CardAuthError::Format)?;
    let algorithm = Algorithm::parse(&token.algorithm).ok_or(CardAuthError::Algorithm)?;
    let cert = X509::from_der(&der).map_err(|_| CardAuthError::CertificateInvalid)?;
    check_chain(&cert, anchors)?;
    let usage = cert.key_usage().ok_or(CardAuthError::KeyUsage)?;
    if !usage.contains(X509KeyUsage::DIGITAL_SIGNATURE) {
        return Err(CardAuthError::KeyUsage);
    }
    let key = cert
        .public_key()
        .map_err(|_| CardAuthError::CertificateInvalid)?;
    let data = signed_data(&token.algorithm, origin, nonce).ok_or(CardAuthError::Algorithm)?;
    check_signature(algorithm, &key, &data, &signature)?;
    Ok(holder(&cert))
}

fn check_chain(cert: &X509, anchors: &[X509]) -> Result<(), CardAuthError> {
    let internal = |_| CardAuthError::CertificateUntrusted;
    let mut builder = X509StoreBuilder::new().map_err(internal)?;
    for anchor in anchors {
        builder.add_cert(anchor.clone()).map_err(internal)?;
    }
    // Each configured certificate is a trust anchor, a root or not: a town may name only the
    // CA that issues the cards (the token brings no intermediates).
    builder
        .set_flags(X509VerifyFlags::PARTIAL_CHAIN)
        .map_err(internal)?;
    let store = builder.build();
    let intermediates = Stack::new().map_err(internal)?;
    let mut context = X509StoreContext::new().map_err(internal)?;
    let (ok, error) = context
        .init(&store, cert, &intermediates, |c| {
            Ok((c.verify_cert()?, c.error()))
        })
        .map_err(internal)?;
    if ok {
        return Ok(());
    }
    // X509_V_ERR_CERT_NOT_YET_VALID (9), X509_V_ERR_CERT_HAS_EXPIRED (10).
    match error.as_raw() {
        9 | 10 => Err(CardAuthError::CertificateExpired),
        _ => Err(CardAuthError::CertificateUntrusted),
    }
}

fn check_signature(
    algorithm: Algorithm,
    key: &PKey<Public>,
    data: &[u8],
    signature: &[u8],
) -> Result<(), CardAuthError> {
    let fail = |_| CardAuthError::Signature;
    let key_fits = match algorithm {
        Algorithm::Rs256 | Algorithm::Ps256 => key.id() == Id::RSA,
        Algorithm::Es256 | Algorithm::Es384 => key.id() == Id::EC,
    };
    if !key_fits {
        return Err(CardAuthError::Algorithm);
    }
    let signature = match algorithm {
        // PKCS#11 gives ECDSA signatures as raw r ‖ s; OpenSSL verifies DER.
        Algorithm::Es256 | Algorithm::Es384 => {
            if signature.is_empty() || signature.len() % 2 != 0 {
                return Err(CardAuthError::Signature);
            }
            let (r, s) = signature.split_at(signature.len() / 2);
            let r = BigNum::from_slice(r).map_err(fail)?;
            let s = BigNum::from_slice(s).map_err(fail)?;
            EcdsaSig::from_private_components(r, s)
                .and_then(|sig| sig.to_der())
                .map_err(fail)?
        }
        _ => signature.to_vec(),
    };
    let mut verifier = Verifier::new(algorithm.digest(), key).map_err(fail)?;
    if let Algorithm::Ps256 = algorithm {
        verifier.set_rsa_padding(Padding::PKCS1_PSS).map_err(fail)?;
        verifier
            .set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH)
            .map_err(fail)?;
    }
    verifier.update(data).map_err(fail)?;
    match verifier.verify(&signature) {
        Ok(true) => Ok(()),
        _ => Err(CardAuthError::Signature),
    }
}

fn entry(name: &X509NameRef, nid: Nid) -> Option<String> {
    name.entries_by_nid(nid)
        .next()
        .and_then(|e| e.data().to_string().ok())
        .filter(|s| !s.trim().is_empty())
}

fn holder(cert: &X509) -> CardHolder {
    let subject = cert.subject_name();
    let id = entry(subject, Nid::SERIALNUMBER).unwrap_or_else(|| {
        let issuer = cert.issuer_name().to_der().unwrap_or_default();
        let serial = cert
            .serial_number()
            .to_bn()
            .map(|b| b.to_hex_str().map(|h| h.to_string()).unwrap_or_default())
            .unwrap_or_default();
        let digest = hash(MessageDigest::sha256(), &issuer)
            .map(|d| hex::encode(&d[..16]))
            .unwrap_or_default();
        format!("{digest}:{serial}")
    });
    let mut given_name = entry(subject, Nid::GIVENNAME);
    let mut family_name = entry(subject, Nid::SURNAME);
    if given_name.is_none() && family_name.is_none() {
        if let Some(common) = entry(subject, Nid::COMMONNAME) {
            match common.rsplit_once(' ') {
                Some((given, family)) => {
                    given_name = Some(given.to_owned());
                    family_name = Some(family.to_owned());
                }
                None => family_name = Some(common),
            }
        }
    }
    CardHolder {
        subject: id,
        given_name,
        family_name,
    }
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
