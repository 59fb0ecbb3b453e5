//! Talking to one identity provider with the `openidconnect` crate: discovery (cached), the
//! authorization URL, the code exchange, ID-token validation and userinfo.
//!
//! Discovery is done here rather than by the crate so that a provider whose discovery document
//! lives outside `/.well-known/` (NIA) works the same, and so we can read RFC 9207's flag.

use super::LoginError;
use super::settings::LoginSettings;
use super::tokens::{ExtraClaims, IdToken, Rp, Tokens};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreGenderClaim, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreProviderMetadata,
};
use openidconnect::{
    AuthType, AuthenticationContextClass, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope, UserInfoClaims,
};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Provider keys and endpoints are fetched again after this long (key rotation).
const DISCOVERY_TTL: Duration = Duration::from_secs(10 * 60);
/// Discovery documents and key sets are small; anything bigger is not a provider talking.
const MAX_DOCUMENT_BYTES: usize = 256 * 1024;

/// An error with its causes: reqwest's own message ("client error") says little.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

struct Discovered {
    at: Instant,
    metadata: CoreProviderMetadata,
    /// RFC 9207: the provider says it sends `iss` with every authorization response.
    iss_parameter: bool,
}

/// One configured provider of one town, with its HTTP client and discovery cache.
pub struct Provider {
    pub settings: LoginSettings,
    http: reqwest::Client,
    cache: tokio::sync::Mutex<Option<Arc<Discovered>>>,
}

/// What `start` hands back: the URL to send the browser to and what the callback will need.
pub struct Started {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// The validated claims of a finished login: the ID token's, completed by userinfo.
pub struct Finished {
    pub claims: Map<String, Value>,
    pub granted_scopes: Vec<String>,
}

impl Provider {
    pub fn new(settings: LoginSettings) -> Result<Provider, reqwest::Error> {
        let http = reqwest::Client::builder()
            // A redirect from a provider endpoint is never followed: it could point anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .build()?;
        Ok(Provider {
            settings,
            http,
            cache: tokio::sync::Mutex::new(None),
        })
    }

    async fn get_json(&self, url: &str) -> Result<Value, LoginError> {
        let response = self
            .http
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

    async fn discovered(&self) -> Result<Arc<Discovered>, LoginError> {
        let mut cache = self.cache.lock().await;
        if let Some(found) = cache.as_ref().filter(|d| d.at.elapsed() < DISCOVERY_TTL) {
            return Ok(found.clone());
        }
        let document = self.get_json(&self.settings.discovery_url).await?;
        let iss_parameter = document
            .get("authorization_response_iss_parameter_supported")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let metadata: CoreProviderMetadata = serde_json::from_value(document)
            .map_err(|e| LoginError::Provider(format!("discovery document: {e}")))?;
        if metadata.issuer().as_str() != self.settings.issuer {
            return Err(LoginError::Provider(format!(
                "discovery names issuer {:?}, configured {:?}",
                metadata.issuer().as_str(),
                self.settings.issuer
            )));
        }
        let jwks: CoreJsonWebKeySet =
            serde_json::from_value(self.get_json(metadata.jwks_uri().as_str()).await?)
                .map_err(|e| LoginError::Provider(format!("key set: {e}")))?;
        let found = Arc::new(Discovered {
            at: Instant::now(),
            metadata: metadata.set_jwks(jwks),
            iss_parameter,
        });
        *cache = Some(found.clone());
        Ok(found)
    }

    fn client(&self, discovered: &Discovered, redirect_uri: &str) -> Result<Rp, LoginError> {
        let redirect = RedirectUrl::new(redirect_uri.to_owned())
            .map_err(|e| LoginError::Internal(format!("redirect URI: {e}")))?;
        let auth = if self.settings.secret_in_body {
            AuthType::RequestBody
        } else {
            AuthType::BasicAuth
        };
        Ok(Rp::from_provider_metadata(
            discovered.metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(
                self.settings.client_secret.expose().to_owned(),
            )),
        )
        .set_auth_type(auth)
        .set_redirect_uri(redirect))
    }

    /// The authorization request: state, nonce and PKCE (S256) always.
    pub async fn start(&self, redirect_uri: &str) -> Result<Started, LoginError> {
        let discovered = self.discovered().await?;
        let client = self.client(&discovered, redirect_uri)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        // The crate adds `openid` itself.
        for scope in self.settings.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        for acr in &self.settings.acr_values {
            request = request.add_auth_context_value(AuthenticationContextClass::new(acr.clone()));
        }
        if let Some(claims) = &self.settings.claims {
            request = request.add_extra_param("claims", claims.to_string());
        }
        let (url, state, nonce) = request.url();
        Ok(Started {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Checks `iss`, exchanges the code, validates the ID token and asks userinfo.
    pub async fn finish(
        &self,
        redirect_uri: &str,
        code: String,
        iss: Option<&str>,
        nonce: String,
        pkce_verifier: String,
    ) -> Result<Finished, LoginError> {
        let discovered = self.discovered().await?;
        match iss {
            Some(iss) if iss != self.settings.issuer => {
                return Err(LoginError::Issuer(format!("iss parameter {iss:?}")));
            }
            None if discovered.iss_parameter => {
                return Err(LoginError::Issuer("iss parameter missing".into()));
            }
            _ => {}
        }
        let client = self.client(&discovered, redirect_uri)?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| LoginError::Provider(format!("token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                // The provider refused the code: replayed, expired, wrong PKCE verifier.
                RequestTokenError::ServerResponse(r) => {
                    LoginError::Token(format!("token endpoint refused: {}", r.error()))
                }
                RequestTokenError::Request(e) => {
                    LoginError::Provider(format!("token endpoint: {}", chain(&e)))
                }
                // Where and what kind, not serde's message: that can quote a value (a token).
                RequestTokenError::Parse(e, _) => LoginError::Provider(format!(
                    "token endpoint answered garbage at {} ({:?}, line {} column {})",
                    e.path(),
                    e.inner().classify(),
                    e.inner().line(),
                    e.inner().column()
                )),
                RequestTokenError::Other(e) => LoginError::Provider(format!("token endpoint: {e}")),
            })?;
        let raw = tokens
            .extra_fields()
            .id_token()
            .ok_or_else(|| LoginError::Token("no ID token".into()))?;
        let claims = match &self.settings.decryption_key {
            // NIA: encrypted, no `sub`, userinfo empty; checked by hand (see `jwe`).
            Some(key) => {
                let jws = super::jwe::decrypt(raw, key)?;
                let keys = serde_json::to_value(discovered.metadata.jwks())
                    .map_err(|e| LoginError::Internal(format!("key set: {e}")))?;
                super::jwe::verify(&jws, &keys, &self.settings, &nonce)?
            }
            None => self.standard_claims(&client, &tokens, raw, nonce).await?,
        };
        let granted_scopes = match tokens.scopes() {
            Some(scopes) => scopes.iter().map(|s| s.to_string()).collect(),
            None => self.settings.scopes.clone(),
        };
        Ok(Finished {
            claims,
            granted_scopes,
        })
    }

    /// A signed ID token checked by the crate (signature, iss, aud, exp, nonce), completed by
    /// userinfo where the provider has it.
    async fn standard_claims(
        &self,
        client: &Rp,
        tokens: &Tokens,
        raw: &str,
        nonce: String,
    ) -> Result<Map<String, Value>, LoginError> {
        let id_token: IdToken = raw
            .parse()
            .map_err(|e| LoginError::Token(format!("ID token: {e}")))?;
        // Asymmetric signatures only: the client secret is no key to identity.
        let verifier = client.id_token_verifier().set_allowed_algs([
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
            CoreJwsSigningAlgorithm::RsaSsaPssSha256,
            CoreJwsSigningAlgorithm::EcdsaP256Sha256,
            CoreJwsSigningAlgorithm::EcdsaP384Sha384,
        ]);
        let id_claims = id_token
            .claims(&verifier, &Nonce::new(nonce))
            .map_err(|e| LoginError::Token(format!("ID token: {e}")))?;
        let mut claims = match serde_json::to_value(id_claims) {
            Ok(Value::Object(map)) => map,
            _ => return Err(LoginError::Internal("claims do not serialise".into())),
        };
        if let Ok(request) = client.user_info(
            tokens.access_token().clone(),
            Some(id_claims.subject().clone()),
        ) {
            let info: UserInfoClaims<ExtraClaims, CoreGenderClaim> = request
                .request_async(&self.http)
                .await
                .map_err(|e| LoginError::Provider(format!("userinfo: {}", chain(&e))))?;
            if let Ok(Value::Object(more)) = serde_json::to_value(&info) {
                // The signed ID token wins where both say something.
                for (key, value) in more {
                    claims.entry(key).or_insert(value);
                }
            }
        }
        Ok(claims)
    }
}
