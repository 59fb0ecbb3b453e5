//! ID tokens that arrive encrypted (NIA): a JWE (RSA-OAEP + A256CBC-HS512) to the town's key,
//! holding a signed JWT. NIA's token has no `sub`, which the `openidconnect` crate requires, so
//! the inner token is checked here with `josekit`: signature by the provider's published key,
//! then iss, aud, exp, iat and nonce, as OIDC Core 3.1.3.7 asks.

use super::LoginError;
use super::settings::{LoginSettings, Secret};
use josekit::jwe::{self, RSA_OAEP};
use josekit::jwk::Jwk;
use josekit::jws::{JwsVerifier, PS256, PS384, PS512, RS256, RS384, RS512};
use serde_json::{Map, Value};

/// Content encryption NIA uses; anything else is refused rather than guessed at.
const CONTENT_ENCRYPTION: &str = "A256CBC-HS512";
/// Clock difference tolerated between the provider and us.
const SKEW_SECS: i64 = 60;

fn token_error(what: &str, e: impl std::fmt::Display) -> LoginError {
    LoginError::Token(format!("{what}: {e}"))
}

/// Checks that a PEM private key is one the decrypter takes (at config time).
pub fn check_key(pem: &str) -> Result<(), String> {
    RSA_OAEP
        .decrypter_from_pem(pem)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The signed JWT inside the JWE.
pub fn decrypt(token: &str, key: &Secret) -> Result<String, LoginError> {
    let decrypter = RSA_OAEP
        .decrypter_from_pem(key.expose())
        .map_err(|e| LoginError::Internal(format!("decryption key: {e}")))?;
    let (payload, header) =
        jwe::deserialize_compact(token, &decrypter).map_err(|e| token_error("JWE", e))?;
    if header.content_encryption() != Some(CONTENT_ENCRYPTION) {
        return Err(LoginError::Token(format!(
            "JWE content encryption {:?}",
            header.content_encryption()
        )));
    }
    String::from_utf8(payload).map_err(|e| token_error("JWE payload", e))
}

fn verifier(alg: &str, jwk: &Jwk) -> Result<Box<dyn JwsVerifier>, LoginError> {
    let made = match alg {
        "RS256" => RS256
            .verifier_from_jwk(jwk)
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        "RS384" => RS384
            .verifier_from_jwk(jwk)
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        "RS512" => RS512
            .verifier_from_jwk(jwk)
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        "PS256" => PS256
            .verifier_from_jwk(jwk)
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        "PS384" => PS384
            .verifier_from_jwk(jwk)
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        "PS512" => PS512
            .verifier_from_jwk(jwk)
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        // `none`, HMAC with the client secret, anything unknown.
        other => return Err(LoginError::Token(format!("ID token alg {other:?} refused"))),
    };
    made.map_err(|e| token_error("provider key", e))
}

/// The inner JWT's claims, once its signature and claims check out.
pub fn verify(
    jws: &str,
    provider_keys: &Value,
    settings: &LoginSettings,
    nonce: &str,
) -> Result<Map<String, Value>, LoginError> {
    let header = josekit::jwt::decode_header(jws).map_err(|e| token_error("ID token", e))?;
    let alg = header
        .claim("alg")
        .and_then(Value::as_str)
        .unwrap_or("none");
    let kid = header.claim("kid").and_then(Value::as_str);
    let keys = provider_keys["keys"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let key = keys
        .into_iter()
        .filter(|k| k["kty"] == "RSA" && k.get("use").is_none_or(|u| u == "sig"))
        .find(|k| kid.is_none() || k["kid"].as_str() == kid)
        .ok_or_else(|| LoginError::Token("no provider key for the ID token".into()))?;
    let Value::Object(key) = key else {
        return Err(LoginError::Token("provider key is not an object".into()));
    };
    let jwk = Jwk::from_map(key).map_err(|e| token_error("provider key", e))?;
    let verifier = verifier(alg, &jwk)?;
    let (payload, _) = josekit::jwt::decode_with_verifier(jws, verifier.as_ref())
        .map_err(|e| token_error("ID token signature", e))?;
    let claims = payload.claims_set().clone();
    check_claims(&claims, settings, nonce, chrono::Utc::now().timestamp())?;
    Ok(claims)
}

fn check_claims(
    claims: &Map<String, Value>,
    settings: &LoginSettings,
    nonce: &str,
    now: i64,
) -> Result<(), LoginError> {
    let fail = |what: &str| Err(LoginError::Token(format!("ID token {what}")));
    if claims.get("iss").and_then(Value::as_str) != Some(settings.issuer.as_str()) {
        return fail("from another issuer");
    }
    let client = settings.client_id.as_str();
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !audiences.contains(&client) {
        return fail("for another client");
    }
    if audiences.len() > 1 && claims.get("azp").and_then(Value::as_str) != Some(client) {
        return fail("azp");
    }
    match claims.get("exp").and_then(Value::as_i64) {
        Some(exp) if exp + SKEW_SECS > now => {}
        _ => return fail("expired"),
    }
    if claims
        .get("iat")
        .and_then(Value::as_i64)
        .is_some_and(|iat| iat > now + SKEW_SECS)
    {
        return fail("issued in the future");
    }
    if claims.get("nonce").and_then(Value::as_str) != Some(nonce) {
        return fail("nonce mismatch");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings() -> LoginSettings {
        let raw: super::super::settings::RawLogin = toml::from_str(
            "id='nia'\nkind='oidc'\nname='X'\nissuer='https://nia.example'\nclient_id='portal'\nclient_secret='s'",
        )
        .unwrap();
        LoginSettings::parse("t", raw).unwrap()
    }

    #[test]
    fn claims_are_checked_one_by_one() {
        let s = settings();
        let good = json!({"iss": "https://nia.example", "aud": "portal", "exp": 1100, "iat": 1000, "nonce": "n"});
        let check = |v: &Value| check_claims(v.as_object().unwrap(), &s, "n", 1000);
        assert!(check(&good).is_ok());
        for (key, bad) in [
            ("iss", json!("https://evil.example")),
            ("aud", json!(["other"])),
            ("exp", json!(900)),
            ("iat", json!(5000)),
            ("nonce", json!("m")),
        ] {
            let mut claims = good.clone();
            claims[key] = bad;
            assert!(check(&claims).is_err(), "{key}");
        }
        let mut two = good.clone();
        two["aud"] = json!(["portal", "other"]);
        assert!(check(&two).is_err(), "two audiences need azp");
        two["azp"] = json!("portal");
        assert!(check(&two).is_ok());
    }
}
