//! Signing through SoftHSM2 and checking the signature with the certificate's public key.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use eobcanka::{Algorithm, PinError, Pkcs11Signer, SignError, read_public, signed_data};
use openssl::bn::BigNum;
use openssl::ecdsa::EcdsaSig;
use openssl::hash::MessageDigest;
use openssl::sign::Verifier;
use openssl::x509::X509;
use portal_domain::wire::{CARD_TOKEN_FORMAT, CardAuthToken};
use zeroize::Zeroizing;

use super::{Env, IOK, insert_and_wait, remove_and_wait};

const ORIGIN: &str = "https://portal.dolni-lhota.cz";
const NONCE: &str = "q83vEjRWeJCrze8SNFZ4kA==";

fn verifies(token: &CardAuthToken, origin: &str, nonce: &str) -> bool {
    let cert = X509::from_der(&STANDARD.decode(&token.unverified_certificate).unwrap()).unwrap();
    let key = cert.public_key().unwrap();
    let sig = STANDARD.decode(&token.signature).unwrap();
    let (alg, digest, sig) = match token.algorithm.as_str() {
        "RS256" => (Algorithm::Rs256, MessageDigest::sha256(), sig),
        "ES256" | "ES384" => {
            let (r, s) = sig.split_at(sig.len() / 2);
            let der = EcdsaSig::from_private_components(
                BigNum::from_slice(r).unwrap(),
                BigNum::from_slice(s).unwrap(),
            )
            .unwrap()
            .to_der()
            .unwrap();
            if token.algorithm == "ES256" {
                (Algorithm::Es256, MessageDigest::sha256(), der)
            } else {
                (Algorithm::Es384, MessageDigest::sha384(), der)
            }
        }
        other => panic!("unexpected algorithm {other}"),
    };
    let data = signed_data(alg, origin, nonce);
    let mut v = Verifier::new(digest, &key).unwrap();
    v.verify_oneshot(&sig, &data).unwrap()
}

fn sign(signer: &Pkcs11Signer, cert: &[u8], pin: &str) -> Result<CardAuthToken, SignError> {
    sign_any(signer, &[cert.to_vec()], pin)
}

/// Signs with the key of whichever of `certs` the token holds.
fn sign_any(
    signer: &Pkcs11Signer,
    certs: &[Vec<u8>],
    pin: &str,
) -> Result<CardAuthToken, SignError> {
    let mut pin = Zeroizing::new(pin.to_owned());
    let r = signer.sign_challenge(certs, &mut pin, ORIGIN, NONCE);
    assert!(pin.is_empty(), "the PIN was not wiped");
    r
}

fn sign_with_card(env: &Env, signer: &Pkcs11Signer, cert: &[u8], algorithm: &str) {
    let card = env.card(cert);
    insert_and_wait(env, &card);
    let public = read_public(&env.reader).unwrap();
    let token = sign_any(signer, &public.certificates, IOK).expect("signature");
    assert_eq!(token.algorithm, algorithm);
    assert_eq!(token.format, CARD_TOKEN_FORMAT);
    assert_eq!(
        STANDARD.decode(&token.unverified_certificate).unwrap(),
        cert
    );
    assert!(
        verifies(&token, ORIGIN, NONCE),
        "{algorithm} signature does not verify"
    );
    assert!(
        !verifies(&token, "https://evil.example", NONCE),
        "verified for another origin"
    );
    assert!(
        !verifies(&token, ORIGIN, "b3RoZXI="),
        "verified for another nonce"
    );
    remove_and_wait(env, &card);
}

pub fn signature_rsa_and_ec(env: &Env) {
    let signer = Pkcs11Signer::open(&env.module).unwrap();
    sign_with_card(env, &signer, &env.card_cert, "RS256");
    sign_with_card(env, &signer, &env.card_ec_cert, "ES384");
    sign_with_card(env, &signer, &env.card_p256_cert, "ES256");
}

pub fn signer_errors(env: &Env) {
    let signer = Pkcs11Signer::open(&env.module).unwrap();
    let wrong = sign(&signer, &env.card_cert, "9999");
    assert!(
        matches!(wrong, Err(SignError::Pin(PinError::Wrong { .. }))),
        "{wrong:?}"
    );
    let bad = sign(&signer, &env.card_cert, "12x4");
    assert!(
        matches!(bad, Err(SignError::Pin(PinError::BadFormat))),
        "{bad:?}"
    );
    let other = sign(&signer, &env.ca_der, IOK);
    assert!(matches!(other, Err(SignError::NoMatchingKey)), "{other:?}");
    // The right PIN still works after a wrong one (SoftHSM2 has no retry counter).
    assert!(sign(&signer, &env.card_cert, IOK).is_ok());
    // A card whose other certificate file holds a certificate the token does not: the key is
    // found by the one it does, whichever comes first, and the token names that one.
    let token = sign_any(&signer, &[env.ca_der.clone(), env.card_cert.clone()], IOK).unwrap();
    assert_eq!(
        STANDARD.decode(&token.unverified_certificate).unwrap(),
        env.card_cert
    );
}
