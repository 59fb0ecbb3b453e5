//! `private_key_jwt` client authentication (RFC 7523, OIDC Core 9): instead of a shared secret,
//! the portal signs a short-lived JWT with its own key, whose public half the provider holds.

use super::LoginError;
use super::settings::Secret;
use josekit::jws::{JwsHeader, RS256};
use josekit::jwt::JwtPayload;
use std::time::{Duration, SystemTime};

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Long enough for clock skew, short enough that a captured assertion is useless.
const LIFETIME: Duration = Duration::from_secs(60);

/// A signed client assertion for the token endpoint `audience`.
pub fn client_assertion(
    client_id: &str,
    audience: &str,
    key: &Secret,
) -> Result<String, LoginError> {
    let signer = RS256
        .signer_from_pem(key.expose())
        .map_err(|e| LoginError::Internal(format!("signing key: {e}")))?;
    let mut header = JwsHeader::new();
    header.set_token_type("JWT");
    let mut payload = JwtPayload::new();
    let now = SystemTime::now();
    payload.set_issuer(client_id);
    payload.set_subject(client_id);
    payload.set_audience(vec![audience]);
    payload.set_jwt_id(super::super::session::random_token());
    payload.set_issued_at(&now);
    payload.set_expires_at(&(now + LIFETIME));
    josekit::jwt::encode_with_signer(&payload, &header, &signer)
        .map_err(|e| LoginError::Internal(format!("client assertion: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_assertion_verifies_with_the_public_key() {
        let pair = RS256.generate_key_pair(2048).unwrap();
        let key = Secret::new(String::from_utf8(pair.to_pem_private_key()).unwrap());
        let jwt = client_assertion("portal", "https://idp.example/token", &key).unwrap();
        let verifier = RS256.verifier_from_pem(pair.to_pem_public_key()).unwrap();
        let (payload, _) = josekit::jwt::decode_with_verifier(&jwt, &verifier).unwrap();
        assert_eq!(payload.issuer(), Some("portal"));
        assert_eq!(payload.subject(), Some("portal"));
        assert_eq!(payload.audience(), Some(vec!["https://idp.example/token"]));
        assert!(payload.jwt_id().is_some_and(|id| id.len() == 64));
    }
}
