//! Real-world variations of providers other than the test suite's textbook one, each as the
//! provider's published documentation describes it:
//! - Bank iD (github.com/BankovniIdentita/bankid-api-docs, `bankid-for-sep.yaml`): ID tokens and
//!   userinfo signed ES512 or PS512, userinfo as `application/jwt` (its example: HS256),
//!   `verified_claims`, extra discovery fields (`profile_endpoint`, `ros_endpoint`...).
//! - NIA (datagov-cz/ismd-infrastructure `modules/keycloak_realm/nia.tf`, read from NIA's
//!   discovery): no ID-token encryption advertised, so a plain signed ID token.
//! - OIDC Core 5.1: `name` may come without `given_name`/`family_name`; 5.3.2: userinfo as a JWT.

use super::*;

async fn logs_in(provider_extra: Value, login_toml: &str) -> Value {
    let (provider, portal) = setup(provider_extra.clone(), login_toml).await;
    let client = browser();
    let to = login(&client, &portal, &provider, "alice").await;
    assert_eq!(to, "/platby", "login with {provider_extra}");
    session(&client, &portal).await.expect("a session")
}

#[tokio::test]
async fn id_tokens_signed_with_any_published_asymmetric_algorithm_are_accepted() {
    for alg in ["ES512", "PS512", "ES256", "PS256", "ES384", "RS512"] {
        let session = logs_in(json!({"idTokenAlg": alg}), "").await;
        assert_eq!(session["display_name"], "Alice Nováková", "{alg}");
    }
}

#[tokio::test]
async fn userinfo_signed_as_a_jwt_is_read() {
    // The ID token carries no names: they come from userinfo alone.
    for alg in ["RS256", "ES512"] {
        let extra = json!({"userinfoAlg": alg, "faults": {"idToken": "bare"}});
        let session = logs_in(extra, "").await;
        assert_eq!(session["display_name"], "Alice Nováková", "userinfo {alg}");
    }
}

/// Bank iD's example userinfo JWT is HS256, i.e. signed with the client secret, which must then
/// be at least 32 bytes long (RFC 7518 3.2); a shorter one is named in the error.
#[tokio::test]
async fn userinfo_signed_with_the_client_secret_is_read() {
    for (secret, to) in [
        ("a-client-secret-of-more-than-32-bytes", "/platby"),
        ("short-secret", "/prihlaseni?error=token"),
    ] {
        let port = free_port();
        let mut config = provider_config(
            port,
            json!({"userinfoAlg": "HS256", "faults": {"idToken": "bare"}}),
        );
        config["clients"][0]["client_secret"] = json!(secret);
        let provider = provider::OidcProvider::start(&config).await;
        let login_toml = format!(
            "[[town.login]]\nid = \"{PROVIDER_ID}\"\nissuer = \"{}\"\nclient_id = \"portal\"\n\
             client_secret = \"{secret}\"\n{PLAIN}",
            provider.issuer
        );
        let portal = spawn_portal_with(port, "", &login_toml).await;
        let client = browser();
        assert_eq!(
            login(&client, &portal, &provider, "alice").await,
            to,
            "{secret}"
        );
    }
}

#[tokio::test]
async fn plain_json_userinfo_completes_a_bare_id_token() {
    let session = logs_in(json!({"faults": {"idToken": "bare"}}), "").await;
    assert_eq!(session["display_name"], "Alice Nováková");
}

#[tokio::test]
async fn a_provider_clock_half_a_minute_behind_is_tolerated() {
    logs_in(json!({"faults": {"idToken": "skewed"}}), "").await;
}

#[tokio::test]
async fn a_full_name_alone_gives_the_names() {
    let extra = json!({
        "claims": {"openid": ["sub"], "profile": ["name"], "email": ["email"]},
        "accounts": {"alice": {"claims": {"name": "Jana Marie Nováková"}}},
    });
    let session = logs_in(extra, "").await;
    assert_eq!(session["display_name"], "Jana Marie Nováková");
}

#[tokio::test]
async fn bank_id_verified_claims_give_the_names() {
    let extra = json!({
        "claims": {"openid": ["sub"], "profile": ["verified_claims"], "email": ["email"]},
        "accounts": {"alice": {"claims": {"verified_claims": {
            "verification": {"trust_framework": "cz_aml", "verification_process": "45244782"},
            "claims": {"given_name": "Jan", "family_name": "Novák", "birthdate": "1970-08-01"},
        }}}},
    });
    let session = logs_in(extra, "").await;
    assert_eq!(session["display_name"], "Jan Novák");
}

#[tokio::test]
async fn very_long_and_non_ascii_names_are_kept_within_bounds() {
    let long = "Ž".repeat(5000);
    let extra = json!({
        "accounts": {"alice": {"claims": {"given_name": "Šárka\u{0301} 🙂", "family_name": long}}},
    });
    let session = logs_in(extra, "").await;
    let shown = session["display_name"].as_str().unwrap();
    assert!(shown.starts_with("Šárka\u{0301} 🙂 ŽŽŽ"), "{shown}");
    assert!(shown.chars().count() <= 201, "{}", shown.chars().count());
}

#[tokio::test]
async fn bank_id_discovery_fields_are_no_obstacle() {
    let extra = json!({"discovery": {
        "profile_endpoint": "https://oidc.sandbox.bankid.cz/profile",
        "ros_endpoint": "https://oidc.sandbox.bankid.cz/ros",
        "verification_endpoint": "https://oidc.sandbox.bankid.cz/verification",
        "profile_signing_alg_values_supported": ["PS512"],
        "profile_encryption_alg_values_supported": ["RSA-OAEP-256"],
        "token_endpoint_auth_signing_alg_values_supported": ["HS256", "HS512", "RS256", "PS512", "ES512"],
        "claims_locales_supported": ["cs", "en"],
        "ui_locales_supported": ["cs", "en"],
        "service_documentation": "https://developer.bankid.cz/",
        "backchannel_logout_supported": true,
        "x_vendor": {"nested": [1, {"a": null}]},
    }});
    logs_in(extra, "").await;
}

#[tokio::test]
async fn an_error_without_state_names_the_provider_error() {
    let (_provider, portal) = setup(json!({}), "").await;
    let client = browser();
    let to = callback(
        &client,
        &portal.url(&format!(
            "/api/auth/{PROVIDER_ID}/callback?error=access_denied&error_description=x"
        )),
    )
    .await;
    assert_eq!(to, "/prihlaseni?error=cancelled");
    assert!(session(&client, &portal).await.is_none());
}

#[tokio::test]
async fn a_token_response_with_lowercase_bearer_and_a_string_expires_in_works() {
    logs_in(json!({"faults": {"token": "loose"}}), "").await;
}

/// A provider that takes secrets only in the body (Bank iD's discovery lists client_secret_post,
/// client_secret_jwt and private_key_jwt, no basic) works with a config that names no method.
#[tokio::test]
async fn a_provider_listing_only_client_secret_post_gets_the_secret_in_the_body() {
    let extra = json!({
        "clientAuth": "client_secret_post",
        "clientAuthMethods": ["client_secret_post", "private_key_jwt"],
    });
    logs_in(extra, "").await;
}
