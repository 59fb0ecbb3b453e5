//! The protocol module alone: canonical strings, signatures and their refusals, wire types.

use gateway_sim::protocol::sign::*;
use gateway_sim::protocol::{Notification, PaymentStatus, ReturnParams, headers};

#[test]
fn request_signature_round_trip_and_tamper() {
    let h = sign_request(
        "town",
        b"secret-1234567890",
        "post",
        "/api/payments",
        b"{}",
        1000,
        "abcdefghijklmnop",
    );
    let ok = verify_request(
        &h,
        b"secret-1234567890",
        "POST",
        "/api/payments",
        b"{}",
        1100,
    );
    assert_eq!(ok, Ok(()));
    let tampered = verify_request(
        &h,
        b"secret-1234567890",
        "POST",
        "/api/payments",
        b"{ }",
        1100,
    );
    assert_eq!(tampered, Err(VerifyError::BadSignature));
    let stale = verify_request(
        &h,
        b"secret-1234567890",
        "POST",
        "/api/payments",
        b"{}",
        1301,
    );
    assert_eq!(stale.unwrap_err().code(), "stale_timestamp");
}

#[test]
fn purposes_do_not_mix() {
    let r = request_canonical("m", "POST", "/x", 1, "n", b"");
    let n = notification_canonical("m", 1, "n", b"");
    assert_ne!(sign(b"k", &r), sign(b"k", &n));
    assert!(r.starts_with("GWSIM1-REQUEST\nm\nPOST\n/x\n1\nn\n"));
    assert!(r.ends_with(&body_hash(b"")));
}

#[test]
fn known_vector() {
    // RFC 4231 test case 2: key "Jefe".
    assert_eq!(
        sign(b"Jefe", "what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert_eq!(
        body_hash(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn headers_are_checked_by_name() {
    let err = SignatureHeaders::from_lookup(|n| (n == headers::MERCHANT_ID).then_some("m"));
    assert_eq!(err, Err(VerifyError::MissingHeader("X-Timestamp")));
    let err = SignatureHeaders::from_lookup(|n| match n {
        headers::NONCE => Some("short"),
        _ => Some("1"),
    });
    assert_eq!(err.unwrap_err().code(), "malformed_header");
}

#[test]
fn notification_and_return_signatures() {
    let body = br#"{"payment_id":"pay_1"}"#;
    let h = sign_notification("town", b"secret-1", body, 5000, "nonce-nonce-nonce-1");
    assert_eq!(
        verify_notification(&h, "town", b"secret-1", body, 5000),
        Ok(())
    );
    assert_eq!(
        verify_notification(&h, "other", b"secret-1", body, 5000),
        Err(VerifyError::WrongMerchant("town".into()))
    );
    assert_eq!(
        verify_notification(&h, "town", b"secret-2", body, 5000),
        Err(VerifyError::BadSignature)
    );
    assert_eq!(
        verify_notification(&h, "town", b"secret-1", b"{}", 5000),
        Err(VerifyError::BadSignature)
    );

    assert_eq!(
        return_canonical("town", "pay_1", "ORD-1", PaymentStatus::Paid),
        "GWSIM1-RETURN\ntown\npay_1\nORD-1\npaid"
    );
    let params = ReturnParams {
        payment_id: "pay_1".into(),
        merchant_order_id: "ORD-1".into(),
        status: PaymentStatus::Paid,
        signature: sign_return("town", b"k", "pay_1", "ORD-1", PaymentStatus::Paid),
    };
    assert!(verify_return("town", b"k", &params));
    assert!(!verify_return(
        "town",
        b"k",
        &ReturnParams {
            status: PaymentStatus::Declined,
            ..params
        }
    ));
}

#[test]
fn statuses_and_event_ids() {
    for s in PaymentStatus::ALL {
        assert_eq!(PaymentStatus::parse(s.as_str()), Some(s));
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
    }
    assert_eq!(Notification::event_id_for("pay_1", 3), "pay_1.v3");
}

/// The example in PROTOCOL.md.
#[test]
fn documented_example() {
    let body = br#"{"merchant_order_id":"ORD-2026-0001","amount_halere":150000,"currency":"CZK","description":"Poplatek za odpad 2026","return_url":"https://portal.example/platby/navrat","notify_url":"https://portal.example/api/gateway/notify"}"#;
    let secret = b"town-secret-0123456789";
    let h = sign_request(
        "town",
        secret,
        "POST",
        "/api/payments",
        body,
        1767225600,
        "3f9c2a7be41d5c08",
    );
    assert_eq!(
        body_hash(body),
        "1855e10918d1986f719ba1ec9dd0c4657c66d334973da05b370d75dc98366f82"
    );
    assert_eq!(
        h.signature,
        "cc035ebbf8d2a4080398fab58cb7c8987a27efc1dc755d36a2902b72a1366cff"
    );
    let doc = include_str!("../PROTOCOL.md");
    assert!(doc.contains(&h.signature) && doc.contains(&body_hash(body)));
    assert!(doc.contains(std::str::from_utf8(body).unwrap()));
}
