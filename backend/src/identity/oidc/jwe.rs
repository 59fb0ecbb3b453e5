//! ID tokens and signed userinfo, checked here with `josekit` for every provider: signature by
//! a key the provider publishes (RS*, PS*, ES* incl. ES512, which Bank iD lists and the
//! `openidconnect` crate cannot verify; EdDSA), then iss, aud, azp, exp, iat and nonce, as OIDC
//! Core 3.1.3.7 asks, with a minute of clock skew. A token may also arrive encrypted: a JWE
//! (RSA-OAEP + A256CBC-HS512) to the town's key around the signed JWT. NIA's token may have no
//! `sub`, which the crate would require.

use super::LoginError;
use super::settings::{LoginSettings, Secret};
use josekit::jwe::{self, RSA_OAEP};
use josekit::jwk::Jwk;
use josekit::jws::{
    ES256, ES384, ES512, EdDSA, HS256, HS384, HS512, JwsVerifier, PS256, PS384, PS512, RS256,
    RS384, RS512,
};
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

/// Whether a compact token is a JWE (five parts) rather than a JWS (three).
pub fn is_jwe(token: &str) -> bool {
    token.split('.').count() == 5
}

fn boxed<V: JwsVerifier + 'static>(
    made: Result<V, josekit::JoseError>,
) -> Result<Box<dyn JwsVerifier>, LoginError> {
    made.map(|v| Box::new(v) as Box<dyn JwsVerifier>)
        .map_err(|e| token_error("provider key", e))
}

/// The key type (`kty`) an algorithm's key has, for the asymmetric algorithms accepted.
fn key_type(alg: &str) -> Option<&'static str> {
    match alg {
        "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" => Some("RSA"),
        "ES256" | "ES384" | "ES512" => Some("EC"),
        "EdDSA" => Some("OKP"),
        _ => None,
    }
}

fn verifier(alg: &str, jwk: &Jwk) -> Result<Box<dyn JwsVerifier>, LoginError> {
    match alg {
        "RS256" => boxed(RS256.verifier_from_jwk(jwk)),
        "RS384" => boxed(RS384.verifier_from_jwk(jwk)),
        "RS512" => boxed(RS512.verifier_from_jwk(jwk)),
        "PS256" => boxed(PS256.verifier_from_jwk(jwk)),
        "PS384" => boxed(PS384.verifier_from_jwk(jwk)),
        "PS512" => boxed(PS512.verifier_from_jwk(jwk)),
        "ES256" => boxed(ES256.verifier_from_jwk(jwk)),
        "ES384" => boxed(ES384.verifier_from_jwk(jwk)),
        "ES512" => boxed(ES512.verifier_from_jwk(jwk)),
        "EdDSA" => boxed(EdDSA.verifier_from_jwk(jwk)),
        // `none`, HMAC with the client secret, anything unknown.
        other => Err(LoginError::Token(format!(
            "{other:?} signatures are refused"
        ))),
    }
}

/// The `alg` in a compact JWS header (`none` when missing).
pub fn jws_alg(jws: &str) -> Result<String, LoginError> {
    let header = josekit::jwt::decode_header(jws).map_err(|e| token_error("JWS header", e))?;
    Ok(header
        .claim("alg")
        .and_then(Value::as_str)
        .unwrap_or("none")
        .to_owned())
}

/// The payload of a JWS signed by one of the provider's keys: the key named by `kid`, or
/// without `kid` any published signing key of the algorithm's type. `what` names the token in
/// errors ("ID token", "userinfo").
pub fn verify_signature(
    what: &str,
    jws: &str,
    provider_keys: &Value,
) -> Result<Map<String, Value>, LoginError> {
    let header = josekit::jwt::decode_header(jws).map_err(|e| token_error(what, e))?;
    let alg = header
        .claim("alg")
        .and_then(Value::as_str)
        .unwrap_or("none");
    let kty =
        key_type(alg).ok_or_else(|| LoginError::Token(format!("{what} alg {alg:?} refused")))?;
    let kid = header.claim("kid").and_then(Value::as_str);
    let keys = provider_keys["keys"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let candidates: Vec<Map<String, Value>> = keys
        .into_iter()
        .filter(|k| k["kty"] == kty && k.get("use").is_none_or(|u| u == "sig"))
        .filter(|k| kid.is_none() || k["kid"].as_str() == kid)
        .filter(|k| k.get("alg").is_none_or(|a| a == alg))
        .filter_map(|k| match k {
            Value::Object(map) => Some(map),
            _ => None,
        })
        .collect();
    if candidates.is_empty() {
        return Err(LoginError::Token(format!(
            "{what}: the provider publishes no {kty} key {} for {alg}",
            kid.map(|k| format!("with kid {k:?}"))
                .unwrap_or_else(|| "(no kid in the token)".into())
        )));
    }
    let mut last = None;
    for key in candidates {
        let jwk = Jwk::from_map(key).map_err(|e| token_error("provider key", e))?;
        let verifier = verifier(alg, &jwk)?;
        match josekit::jwt::decode_with_verifier(jws, verifier.as_ref()) {
            Ok((payload, _)) => return Ok(payload.claims_set().clone()),
            Err(e) => last = Some(e),
        }
    }
    Err(LoginError::Token(format!(
        "{what} signature ({alg}): {}",
        last.map(|e| e.to_string()).unwrap_or_default()
    )))
}

/// A JWS signed with the client secret (HS256/384/512), as Bank iD's example userinfo is.
pub fn verify_hmac(what: &str, jws: &str, secret: &str) -> Result<Map<String, Value>, LoginError> {
    let alg = jws_alg(jws)?;
    let key = secret.as_bytes();
    let made = match alg.as_str() {
        "HS256" => HS256
            .verifier_from_bytes(key)
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        "HS384" => HS384
            .verifier_from_bytes(key)
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        "HS512" => HS512
            .verifier_from_bytes(key)
            .map(|v| Box::new(v) as Box<dyn JwsVerifier>),
        other => return Err(LoginError::Token(format!("{what} alg {other:?} refused"))),
    };
    // RFC 7518 3.2: the key must be at least as long as the hash; the secret is not shown.
    let verifier = made.map_err(|_| {
        LoginError::Token(format!(
            "{what} is signed {alg} with the client secret, which is too short for {alg} \
             ({} bytes; RFC 7518 3.2 asks for at least the hash's length)",
            key.len()
        ))
    })?;
    let (payload, _) = josekit::jwt::decode_with_verifier(jws, verifier.as_ref())
        .map_err(|e| token_error(&format!("{what} signature ({alg})"), e))?;
    Ok(payload.claims_set().clone())
}

/// The ID token's claims, once its signature and claims check out.
pub fn verify(
    jws: &str,
    provider_keys: &Value,
    settings: &LoginSettings,
    nonce: &str,
) -> Result<Map<String, Value>, LoginError> {
    let claims = verify_signature("ID token", jws, provider_keys)?;
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
        return fail("iss: another issuer's");
    }
    let client = settings.client_id.as_str();
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !audiences.contains(&client) {
        return fail("aud: not this client");
    }
    if audiences.len() > 1 && claims.get("azp").and_then(Value::as_str) != Some(client) {
        return fail("azp: several audiences and azp is not this client");
    }
    match claims.get("exp").and_then(Value::as_i64) {
        Some(exp) if exp + SKEW_SECS > now => {}
        _ => return fail("exp: missing or past"),
    }
    if claims
        .get("iat")
        .and_then(Value::as_i64)
        .is_some_and(|iat| iat > now + SKEW_SECS)
    {
        return fail("iat: in the future");
    }
    if claims.get("nonce").and_then(Value::as_str) != Some(nonce) {
        return fail("nonce: not the one sent");
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
