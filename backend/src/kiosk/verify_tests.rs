use super::*;
use crate::kiosk::test_pki::{CardSpec, KeyKind, TestCa};

const ORIGIN: &str = "https://portal.dolni-lhota.cz";
const NONCE: &str = "bm9uY2Utbm9uY2Utbm9uY2Utbm9uY2Utbm9uY2U=";

fn ca() -> TestCa {
    TestCa::new("Test EOP CA")
}

#[test]
fn a_genuine_token_verifies_for_every_key_kind() {
    let ca = ca();
    for kind in [KeyKind::P256, KeyKind::P384, KeyKind::Rsa2048] {
        let card = ca.issue(&CardSpec {
            key: kind,
            ..CardSpec::default()
        });
        let holder = verify(
            &card.token(ORIGIN, NONCE),
            ORIGIN,
            NONCE,
            std::slice::from_ref(&ca.cert),
        )
        .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(holder.subject, "IDCCZ-000111222");
        assert_eq!(holder.given_name.as_deref(), Some("Jan"));
        assert_eq!(holder.family_name.as_deref(), Some("Novák"));
    }
}

#[test]
fn each_forgery_is_refused_with_its_reason() {
    let ca = ca();
    let anchors = [ca.cert.clone()];
    let card = ca.issue(&CardSpec::default());
    let refused = |token: &CardAuthToken| verify(token, ORIGIN, NONCE, &anchors).unwrap_err();

    // Signed for another site (a phishing origin relaying our nonce).
    let other_origin = card.token("https://evil.example", NONCE);
    assert_eq!(refused(&other_origin), CardAuthError::Signature);
    // Signed over something else entirely.
    assert_eq!(
        refused(&card.token_over(b"hello")),
        CardAuthError::Signature
    );
    // Another nonce.
    assert_eq!(
        refused(&card.token(ORIGIN, "another")),
        CardAuthError::Signature
    );
    // Expired and not yet valid.
    let expired = ca.issue(&CardSpec {
        valid_from_days: -400,
        valid_to_days: -1,
        ..CardSpec::default()
    });
    assert_eq!(
        refused(&expired.token(ORIGIN, NONCE)),
        CardAuthError::CertificateExpired
    );
    let future = ca.issue(&CardSpec {
        valid_from_days: 2,
        valid_to_days: 30,
        ..CardSpec::default()
    });
    assert_eq!(
        refused(&future.token(ORIGIN, NONCE)),
        CardAuthError::CertificateExpired
    );
    // Issued by someone the town does not trust.
    let stranger = TestCa::new("Test EOP CA").issue(&CardSpec::default());
    assert_eq!(
        refused(&stranger.token(ORIGIN, NONCE)),
        CardAuthError::CertificateUntrusted
    );
    // The signing certificate, not the authentication one.
    let signing = ca.issue(&CardSpec {
        digital_signature: false,
        ..CardSpec::default()
    });
    assert_eq!(
        refused(&signing.token(ORIGIN, NONCE)),
        CardAuthError::KeyUsage
    );
    // An algorithm that does not fit the key, an unknown one, a bad format, garbage.
    let mut token = card.token(ORIGIN, NONCE);
    token.algorithm = "RS256".into();
    assert_eq!(refused(&token), CardAuthError::Algorithm);
    token.algorithm = "none".into();
    assert_eq!(refused(&token), CardAuthError::Algorithm);
    let mut token = card.token(ORIGIN, NONCE);
    token.format = "web-eid:0.9".into();
    assert_eq!(refused(&token), CardAuthError::Format);
    let mut token = card.token(ORIGIN, NONCE);
    token.unverified_certificate = "%%%".into();
    assert_eq!(refused(&token), CardAuthError::Format);
    token.unverified_certificate = STANDARD.encode(b"not a certificate");
    assert_eq!(refused(&token), CardAuthError::CertificateInvalid);
    let mut token = card.token(ORIGIN, NONCE);
    token.signature = STANDARD.encode([0u8; 64]);
    assert_eq!(refused(&token), CardAuthError::Signature);
    // No anchors configured: nothing is trusted.
    assert_eq!(
        verify(&card.token(ORIGIN, NONCE), ORIGIN, NONCE, &[]).unwrap_err(),
        CardAuthError::CertificateUntrusted
    );
}

#[test]
fn without_a_serial_number_the_issuer_and_serial_identify_the_card() {
    let ca = ca();
    let card = ca.issue(&CardSpec {
        serial_number: None,
        ..CardSpec::default()
    });
    let holder = verify(
        &card.token(ORIGIN, NONCE),
        ORIGIN,
        NONCE,
        std::slice::from_ref(&ca.cert),
    )
    .unwrap();
    assert!(holder.subject.contains(':'), "{}", holder.subject);
}

#[test]
fn a_card_from_an_intermediate_ca_verifies_with_that_ca_as_the_anchor() {
    let root = ca();
    let issuing = root.intermediate("Test EOP issuing CA");
    let card = issuing.issue(&CardSpec::default());
    let token = card.token(ORIGIN, NONCE);
    // The town names the CA that issues the cards, or it and the root: both work.
    for anchors in [
        vec![issuing.cert.clone()],
        vec![root.cert.clone(), issuing.cert.clone()],
    ] {
        let holder = verify(&token, ORIGIN, NONCE, &anchors).unwrap();
        assert_eq!(holder.subject, "IDCCZ-000111222");
    }
    // The root alone cannot vouch: the token carries no intermediate.
    assert_eq!(
        verify(&token, ORIGIN, NONCE, std::slice::from_ref(&root.cert)).unwrap_err(),
        CardAuthError::CertificateUntrusted
    );
    // Another CA's intermediate is no anchor for this card.
    let other = ca().intermediate("Other issuing CA");
    assert_eq!(
        verify(&token, ORIGIN, NONCE, std::slice::from_ref(&other.cert)).unwrap_err(),
        CardAuthError::CertificateUntrusted
    );
}
