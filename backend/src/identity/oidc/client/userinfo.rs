//! Userinfo: fetched after the code exchange where the provider has an endpoint, as JSON or as
//! a JWT (OIDC Core 5.3.2; Bank iD offers both), signed by a provider key or with the client
//! secret, possibly encrypted to the town's key.

use super::super::LoginError;
use super::super::discovery::{self, Discovered, chain};
use super::super::jwe;
use super::super::settings::ClientAuth;
use super::super::tokens::Tokens;
use super::{Provider, decrypted};
use openidconnect::OAuth2TokenResponse;
use serde_json::{Map, Value};

impl Provider {
    /// Adds what userinfo says (where the provider has it); the signed ID token wins where
    /// both say something. Userinfo may be JSON or a JWT (OIDC Core 5.3.2; Bank iD offers
    /// both): signed by a provider key or with the client secret, possibly encrypted to the
    /// town's key. Its `sub` must be the ID token's.
    pub(super) async fn with_userinfo(
        &self,
        discovered: &Discovered,
        tokens: &Tokens,
        mut claims: Map<String, Value>,
    ) -> Result<Map<String, Value>, LoginError> {
        let Some(url) = discovered.metadata.userinfo_endpoint() else {
            return Ok(claims);
        };
        let response = self
            .http
            .get(url.as_str())
            .bearer_auth(tokens.access_token().secret())
            .header(reqwest::header::ACCEPT, "application/json, application/jwt")
            .send()
            .await
            .map_err(|e| LoginError::Provider(format!("userinfo: {}", chain(&e))))?;
        if !response.status().is_success() {
            return Err(LoginError::Provider(format!(
                "userinfo: status {}",
                response.status()
            )));
        }
        let is_jwt = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/jwt")
            });
        let body = response
            .bytes()
            .await
            .map_err(|e| LoginError::Provider(format!("userinfo: {}", chain(&e))))?;
        if body.len() > discovery::MAX_DOCUMENT_BYTES {
            return Err(LoginError::Provider("userinfo: answer too large".into()));
        }
        let info = if is_jwt {
            let text = std::str::from_utf8(&body)
                .map_err(|_| LoginError::Provider("userinfo: JWT is not UTF-8".into()))?;
            self.signed_userinfo(discovered, text.trim())?
        } else {
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(map)) => map,
                Ok(_) => return Err(LoginError::Provider("userinfo: not a JSON object".into())),
                Err(e) => {
                    return Err(LoginError::Provider(format!(
                        "userinfo: not JSON ({:?} at line {} column {})",
                        e.classify(),
                        e.line(),
                        e.column()
                    )));
                }
            }
        };
        if info.is_empty() {
            return Ok(claims);
        }
        match (info.get("sub"), claims.get("sub")) {
            (Some(a), Some(b)) if a != b => {
                return Err(LoginError::Token(
                    "userinfo sub is not the ID token's sub".into(),
                ));
            }
            (None, _) => return Err(LoginError::Token("userinfo has no sub".into())),
            _ => {}
        }
        for (key, value) in info {
            claims.entry(key).or_insert(value);
        }
        Ok(claims)
    }

    /// The claims of a userinfo JWT: decrypted if a JWE, then its signature checked.
    fn signed_userinfo(
        &self,
        discovered: &Discovered,
        token: &str,
    ) -> Result<Map<String, Value>, LoginError> {
        let jws = decrypted("userinfo", token, self.settings.decryption_key.as_ref())?;
        let alg = jwe::jws_alg(&jws)?;
        let claims = if alg.starts_with("HS") {
            let secret = match &self.settings.client_auth {
                ClientAuth::SecretBasic(s) | ClientAuth::SecretPost(s) => s.expose(),
                ClientAuth::PrivateKeyJwt(_) => {
                    return Err(LoginError::Token(format!(
                        "userinfo signed {alg} with a client secret, but this client has none"
                    )));
                }
            };
            jwe::verify_hmac("userinfo", &jws, secret)?
        } else {
            jwe::verify_signature("userinfo", &jws, &discovered.keys)?
        };
        // OIDC Core 5.3.2: a signed answer should name the issuer and this client.
        if claims
            .get("iss")
            .and_then(Value::as_str)
            .is_some_and(|iss| iss != self.settings.issuer)
        {
            return Err(LoginError::Token("userinfo iss: another issuer's".into()));
        }
        let client = self.settings.client_id.as_str();
        let for_us = match claims.get("aud") {
            None => true,
            Some(Value::String(one)) => one == client,
            Some(Value::Array(many)) => many.iter().any(|a| a == client),
            Some(_) => false,
        };
        if !for_us {
            return Err(LoginError::Token("userinfo aud: not this client".into()));
        }
        Ok(claims)
    }
}
