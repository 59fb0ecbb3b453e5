use super::*;

fn raw(toml_text: &str) -> RawLogin {
    toml::from_str(toml_text).unwrap()
}

const MOJEID: &str = r#"
id = "mojeid"
kind = "moje_id"
issuer = "https://mojeid.cz/oidc/"
client_id = "portal"
client_secret = "s3cret"
scopes = ["profile", "email"]
"#;

#[test]
fn a_good_provider_gets_defaults() {
    let login = LoginSettings::parse("town[0].login[0]", raw(MOJEID)).unwrap();
    assert_eq!(login.kind, ProviderKind::MojeId);
    assert_eq!(
        login.discovery_url,
        "https://mojeid.cz/oidc/.well-known/openid-configuration"
    );
    assert_eq!(login.scopes, ["openid", "profile", "email"]);
    assert_eq!(login.subject_claim, "sub");
    assert_eq!(login.required_loa, Loa::Low);
    assert_eq!(login.timeout, Duration::from_secs(10));
    // The secret never reaches a log through Debug.
    assert!(!format!("{login:?}").contains("s3cret"));
}

#[test]
fn kinds_bring_their_level_mappings() {
    let bank = raw(r#"id = "bankid"
kind = "bank_id"
issuer = "https://oidc.sandbox.bankid.cz/"
client_id = "c"
client_secret = "s"
acr_values = ["loa3"]"#);
    let bank = LoginSettings::parse("t", bank).unwrap();
    assert_eq!(bank.loa_by_acr.get("loa3"), Some(&Loa::Substantial));
    assert!(
        matches!(bank.client_auth, ClientAuth::SecretPost(_)),
        "Bank iD takes client_secret_post"
    );
    assert_eq!(bank.max_loa(), Loa::Substantial);
    let key = tempfile::NamedTempFile::new().unwrap();
    let pair = josekit::jwe::RSA_OAEP.generate_key_pair(2048).unwrap();
    std::fs::write(key.path(), pair.to_pem_private_key()).unwrap();
    let nia = raw(&format!(
        r#"id = "nia"
kind = "nia"
issuer = "urn:microsoft:cgg2010:fpsts"
discovery_url = "https://tnia.identita.gov.cz/fpsts/oidc/openid-configuration"
client_id = "c"
client_secret = "s"
claims = '{{"id_token": {{"PersonIdentifier": null}}}}'
decryption_key_file = "{}""#,
        key.path().display()
    ));
    let nia = LoginSettings::parse("t", nia).unwrap();
    assert!(nia.decryption_key.is_some());
    assert_eq!(nia.subject_claim, "PersonIdentifier");
    assert_eq!(nia.loa_by_scope.get("loahigh"), Some(&Loa::High));
    assert!(nia.claims.unwrap()["id_token"].is_object());
}

#[test]
fn every_bad_key_is_named() {
    let bad = raw(r#"id = "Moje ID"
kind = "facebook"
issuer = "http://mojeid.cz/oidc/"
client_id = ""
client_secret = ""
scopes = ["a b"]
claims = "[1]"
required_loa = "very"
timeout_ms = 5
redirect_uri = "ftp://x"
loa_by_acr = { x = "top" }
decryption_key_file = "/nonexistent/key.pem"
token_endpoint_auth = "private_key_jwt"
pkce = "sometimes"
post_logout_redirect_uri = "javascript:x""#);
    let errors = LoginSettings::parse("town[1].login[2]", bad).unwrap_err();
    let keys: Vec<_> = errors
        .iter()
        .map(|e| e.split(':').next().unwrap())
        .collect();
    for key in [
        "id",
        "kind",
        "issuer",
        "discovery_url",
        "client_id",
        "signing_key_file",
        "scopes",
        "claims",
        "required_loa",
        "loa_by_acr",
        "timeout_ms",
        "redirect_uri",
        "decryption_key_file",
        "pkce",
        "post_logout_redirect_uri",
    ] {
        let full = format!("town[1].login[2].{key}");
        assert!(
            keys.contains(&full.as_str()),
            "{full} missing from {errors:?}"
        );
    }
}

#[test]
fn a_urn_issuer_needs_a_discovery_url() {
    let mut login = raw(MOJEID);
    login.issuer = "urn:microsoft:cgg2010:fpsts".into();
    let errors = LoginSettings::parse("p", login).unwrap_err();
    assert!(errors[0].starts_with("p.discovery_url"), "{errors:?}");
}

#[test]
fn nia_needs_no_decryption_key_for_signed_id_tokens() {
    // NIA's discovery lists no ID-token encryption: the key is optional.
    let mut login = raw(MOJEID);
    login.kind = "nia".into();
    let parsed = LoginSettings::parse("p", login).unwrap();
    assert!(parsed.decryption_key.is_none());
    assert_eq!(parsed.subject_claim, "PersonIdentifier");
}

#[test]
fn a_generic_provider_needs_a_name_and_private_key_jwt_a_key() {
    let mut login = raw(MOJEID);
    login.kind = "oidc".into();
    let errors = LoginSettings::parse("p", login.clone()).unwrap_err();
    assert!(errors.iter().any(|e| e.starts_with("p.name")), "{errors:?}");
    login.name = Some("Město ID".into());
    login.token_endpoint_auth = Some("private_key_jwt".into());
    login.client_secret = Secret::default();
    let errors = LoginSettings::parse("p", login.clone()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("p.signing_key_file"), "{errors:?}");
    let key = tempfile::NamedTempFile::new().unwrap();
    let pair = josekit::jws::RS256.generate_key_pair(2048).unwrap();
    std::fs::write(key.path(), pair.to_pem_private_key()).unwrap();
    login.signing_key_file = Some(key.path().to_owned());
    let parsed = LoginSettings::parse("p", login).unwrap();
    assert!(matches!(parsed.client_auth, ClientAuth::PrivateKeyJwt(_)));
    assert_eq!(parsed.display_name(), "Město ID");
    assert_eq!(parsed.max_loa(), Loa::Low);
}
