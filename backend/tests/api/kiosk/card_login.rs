use super::{Kiosk, ORIGIN, register, town_trusting};
use crate::helpers::error_body;
use portal_backend::kiosk::test_pki::{CardSpec, TestCa, TestCard};
use reqwest::Method;
use serde_json::{Value, json};

async fn login(
    kiosk: &Kiosk,
    nonce: &str,
    token: portal_domain::wire::CardAuthToken,
) -> reqwest::Response {
    kiosk
        .send(
            Method::POST,
            "/api/kiosk/login",
            &json!({"nonce": nonce, "token": token}),
        )
        .await
}

async fn refused(
    kiosk: &Kiosk,
    nonce: &str,
    token: portal_domain::wire::CardAuthToken,
    code: &str,
) {
    let body = error_body(login(kiosk, nonce, token).await, 401).await;
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(kiosk.session_status().await, 401, "no session after {code}");
}

fn nonce_of(challenge: &Value) -> String {
    challenge["nonce"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_card_logs_in_at_level_high_bound_to_the_kiosk_and_removal_ends_it() {
    let ca = TestCa::new("Test EOP CA");
    let admin = town_trusting(&ca).await;
    let mut kiosk = register(&admin, "lobby-1").await;
    let card = ca.issue(&CardSpec::default());

    let challenge = kiosk.challenge().await;
    assert_eq!(challenge["origin"], ORIGIN);
    let nonce = nonce_of(&challenge);
    let response = login(&kiosk, &nonce, card.token(ORIGIN, &nonce)).await;
    assert_eq!(response.status(), 200);
    let info: Value = response.json().await.unwrap();
    assert_eq!(info["loa"], "high");
    assert_eq!(info["display_name"], "Jan Novák");
    kiosk.app.csrf = Some(info["csrf_token"].as_str().unwrap().to_owned());
    assert_eq!(kiosk.session_status().await, 200);

    // The same cookie jar without the kiosk's credential: the session is worthless there.
    let bare = kiosk.app.get("/api/session").await;
    assert_eq!(bare.status(), 401);

    // The same card again later is the same citizen.
    let nonce = nonce_of(&kiosk.challenge().await);
    let again: Value = login(&kiosk, &nonce, card.token(ORIGIN, &nonce))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["citizen_id"], info["citizen_id"]);

    // Card pulled out: the kiosk logs out and the session is gone on the server.
    let out = kiosk
        .send(Method::POST, "/api/kiosk/logout", &json!({}))
        .await;
    assert_eq!(out.status(), 204);
    assert_eq!(kiosk.session_status().await, 401);
}

#[tokio::test]
async fn forged_and_stale_logins_are_refused_without_a_session() {
    let ca = TestCa::new("Test EOP CA");
    let admin = town_trusting(&ca).await;
    let kiosk = register(&admin, "lobby-1").await;
    let other_kiosk = register(&admin, "lobby-2").await;
    let card = ca.issue(&CardSpec::default());
    let issue = |spec: CardSpec| -> TestCard { ca.issue(&spec) };

    // Wrong origin: the card was made to sign for another site.
    let nonce = nonce_of(&kiosk.challenge().await);
    refused(
        &kiosk,
        &nonce,
        card.token("https://evil.example", &nonce),
        "card_signature",
    )
    .await;
    // That nonce is used up even though the login failed.
    refused(&kiosk, &nonce, card.token(ORIGIN, &nonce), "nonce_unknown").await;

    // Reused nonce after a good login.
    let nonce = nonce_of(&kiosk.challenge().await);
    assert_eq!(
        login(&kiosk, &nonce, card.token(ORIGIN, &nonce))
            .await
            .status(),
        200
    );
    kiosk
        .send(Method::POST, "/api/kiosk/logout", &json!({}))
        .await;
    refused(&kiosk, &nonce, card.token(ORIGIN, &nonce), "nonce_unknown").await;

    // A nonce the server never issued.
    refused(
        &kiosk,
        "bWFkZS11cA==",
        card.token(ORIGIN, "bWFkZS11cA=="),
        "nonce_unknown",
    )
    .await;

    // A nonce issued to another kiosk: refused here, and not used up for its owner.
    let theirs = nonce_of(&other_kiosk.challenge().await);
    refused(
        &kiosk,
        &theirs,
        card.token(ORIGIN, &theirs),
        "nonce_unknown",
    )
    .await;
    assert_eq!(
        login(&other_kiosk, &theirs, card.token(ORIGIN, &theirs))
            .await
            .status(),
        200
    );

    // Expired nonce (aged in the database: waiting out the lifetime would slow the suite).
    let nonce = nonce_of(&kiosk.challenge().await);
    let db = rusqlite::Connection::open(admin.data_path().join("portal.sqlite3")).unwrap();
    db.execute("UPDATE kiosk_nonces SET expires_at = 0", [])
        .unwrap();
    refused(&kiosk, &nonce, card.token(ORIGIN, &nonce), "nonce_expired").await;

    // Certificates: expired, another issuer, the signing (not authentication) key.
    let cases = [
        (
            issue(CardSpec {
                valid_from_days: -400,
                valid_to_days: -1,
                ..CardSpec::default()
            }),
            "card_certificate_expired",
        ),
        (
            TestCa::new("Test EOP CA").issue(&CardSpec::default()),
            "card_certificate_untrusted",
        ),
        (
            issue(CardSpec {
                digital_signature: false,
                ..CardSpec::default()
            }),
            "card_key_usage",
        ),
    ];
    for (bad_card, code) in cases {
        let nonce = nonce_of(&kiosk.challenge().await);
        refused(&kiosk, &nonce, bad_card.token(ORIGIN, &nonce), code).await;
    }

    // A signature over other data.
    let nonce = nonce_of(&kiosk.challenge().await);
    refused(
        &kiosk,
        &nonce,
        card.token_over(b"something else"),
        "card_signature",
    )
    .await;

    // Every refusal is in the audit log with its reason; no token or certificate is.
    let failures: Vec<String> = db
        .prepare("SELECT detail FROM audit_log WHERE event = 'login_failed' ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        failures.contains(&"card_key_usage".to_owned()),
        "{failures:?}"
    );
    assert!(
        failures.contains(&"nonce_expired".to_owned()),
        "{failures:?}"
    );
}

#[tokio::test]
async fn without_trust_anchors_a_town_takes_no_card_logins() {
    let mut admin = crate::helpers::spawn_app().await;
    admin.login_as("tomas").await;
    let kiosk = register(&admin, "lobby-1").await;
    let response = kiosk
        .send(Method::POST, "/api/kiosk/challenge", &json!({}))
        .await;
    assert_eq!(
        error_body(response, 409).await["code"],
        "card_login_unavailable"
    );
}
