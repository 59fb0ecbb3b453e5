//! A provider's discovery document and key set, fetched on first use and cached.
//!
//! Discovery is done here rather than by the `openidconnect` crate so that a provider whose
//! document lives outside `/.well-known/` (NIA) works the same, and so we can read the fields
//! the crate does not model: RFC 9207's `iss` flag, PKCE methods and the end-session endpoint.

use super::LoginError;
use openidconnect::core::{CoreJsonWebKeySet, CoreProviderMetadata};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Provider keys and endpoints are fetched again after this long (key rotation).
pub const DISCOVERY_TTL: Duration = Duration::from_secs(10 * 60);
/// An ID token signed by a key we have not seen makes us fetch the key set again (the provider
/// rotated its keys), but not more often than this: forged tokens must not make us hammer it.
pub const FORCED_REFRESH_GAP: Duration = Duration::from_secs(10);
/// Discovery documents and key sets are small; anything bigger is not a provider talking.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;

pub struct Discovered {
    pub at: Instant,
    /// The endpoints as the crate models them; its key set is left empty (see `keys`).
    pub metadata: CoreProviderMetadata,
    /// The provider's key set as published (`{"keys": [...]}`): read by `jwe`, which knows
    /// more algorithms than the crate and skips keys it cannot use instead of failing.
    pub keys: Value,
    /// RFC 9207: the provider says it sends `iss` with every authorization response.
    pub iss_parameter: bool,
    /// The provider lists `S256` in `code_challenge_methods_supported`.
    pub pkce_s256: bool,
    /// `token_endpoint_auth_methods_supported` (Discovery 3: absent means client_secret_basic).
    pub token_auth_methods: Vec<String>,
    /// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).
    pub end_session_endpoint: Option<String>,
}

impl Discovered {
    /// Whether the key set holds a key with this `kid`.
    pub fn has_key(&self, kid: &str) -> bool {
        self.keys["keys"]
            .as_array()
            .is_some_and(|keys| keys.iter().any(|k| k.get("kid") == Some(&Value::from(kid))))
    }
}

/// An error with its causes: reqwest's own message ("client error") says little.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

pub async fn get_json(http: &reqwest::Client, url: &str) -> Result<Value, LoginError> {
    let response = http
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| LoginError::Provider(format!("GET {url}: {}", chain(&e))))?;
    if !response.status().is_success() {
        return Err(LoginError::Provider(format!(
            "GET {url}: status {}",
            response.status()
        )));
    }
    let body = response
        .bytes()
        .await
        .map_err(|e| LoginError::Provider(format!("GET {url}: {e}")))?;
    if body.len() > MAX_DOCUMENT_BYTES {
        return Err(LoginError::Provider(format!(
            "GET {url}: document too large"
        )));
    }
    serde_json::from_slice(&body)
        .map_err(|e| LoginError::Provider(format!("GET {url}: not JSON: {e}")))
}

/// Fetches the discovery document at `url`, checks it names `issuer`, then fetches the keys.
pub async fn discover(
    http: &reqwest::Client,
    url: &str,
    issuer: &str,
) -> Result<Arc<Discovered>, LoginError> {
    let document = get_json(http, url).await?;
    let flag = |name: &str| document.get(name).and_then(Value::as_bool) == Some(true);
    let iss_parameter = flag("authorization_response_iss_parameter_supported");
    let pkce_s256 = document
        .get("code_challenge_methods_supported")
        .and_then(Value::as_array)
        .is_some_and(|methods| methods.iter().any(|m| m == "S256"));
    let token_auth_methods = document
        .get("token_endpoint_auth_methods_supported")
        .and_then(Value::as_array)
        .map(|methods| {
            (methods.iter())
                .filter_map(|m| m.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_else(|| vec!["client_secret_basic".to_owned()]);
    let end_session_endpoint = document
        .get("end_session_endpoint")
        .and_then(Value::as_str)
        .filter(|url| url.starts_with("https://") || url.starts_with("http://127.0.0.1"))
        .map(str::to_owned);
    // The crate's own key-set parsing is skipped: `jwks` reads the keys.
    let metadata: CoreProviderMetadata =
        serde_path_to_error::deserialize(document).map_err(|e| {
            LoginError::Provider(format!(
                "discovery document field {}: {}",
                e.path(),
                e.inner()
            ))
        })?;
    check_issuer(metadata.issuer().as_str(), issuer)?;
    let keys = get_json(http, metadata.jwks_uri().as_str()).await?;
    if !keys["keys"].is_array() {
        return Err(LoginError::Provider(format!(
            "key set at {}: no \"keys\" array",
            metadata.jwks_uri().as_str()
        )));
    }
    Ok(Arc::new(Discovered {
        at: Instant::now(),
        metadata: metadata.set_jwks(CoreJsonWebKeySet::new(Vec::new())),
        keys,
        iss_parameter,
        pkce_s256,
        token_auth_methods,
        end_session_endpoint,
    }))
}

/// OIDC Discovery 4.3: the document must name exactly the configured issuer. A difference of
/// only a trailing slash (`https://oidc.bankid.cz/` vs `https://oidc.bankid.cz`) is the usual
/// config slip: said so, since the two look alike in a log.
fn check_issuer(discovered: &str, configured: &str) -> Result<(), LoginError> {
    if discovered == configured {
        return Ok(());
    }
    let hint = if discovered.trim_end_matches('/') == configured.trim_end_matches('/') {
        format!(": they differ in the trailing slash; set issuer = {discovered:?}")
    } else {
        String::new()
    };
    Err(LoginError::Provider(format!(
        "discovery names issuer {discovered:?}, configured {configured:?}{hint}"
    )))
}

/// The `kid` in a compact JWS header, if any.
pub fn jws_kid(jws: &str) -> Option<String> {
    let header = josekit::jwt::decode_header(jws).ok()?;
    header.claim("kid")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issuer_differing_in_the_trailing_slash_is_named() {
        assert!(check_issuer("https://oidc.bankid.cz/", "https://oidc.bankid.cz/").is_ok());
        let error = check_issuer("https://oidc.bankid.cz/", "https://oidc.bankid.cz")
            .unwrap_err()
            .to_string();
        assert!(error.contains("trailing slash"), "{error}");
        assert!(
            error.contains("issuer = \"https://oidc.bankid.cz/\""),
            "{error}"
        );
        let other = check_issuer("https://a.example", "https://b.example")
            .unwrap_err()
            .to_string();
        assert!(!other.contains("slash"), "{other}");
    }

    #[test]
    fn a_wrong_discovery_field_is_named() {
        let document = serde_json::json!({
            "issuer": "https://idp.example", "authorization_endpoint": "https://idp.example/auth",
            "jwks_uri": 42, "response_types_supported": ["code"],
            "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
        });
        let error =
            serde_path_to_error::deserialize::<_, CoreProviderMetadata>(document).unwrap_err();
        assert_eq!(error.path().to_string(), "jwks_uri");
    }
}
