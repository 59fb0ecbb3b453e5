//! Talking to one identity provider with the `openidconnect` crate: the authorization URL, the
//! code exchange (its answer made lenient in `lenient`), ID-token validation, userinfo
//! (`userinfo`) and the RP-initiated logout URL. Discovery and keys are cached in
//! [`super::discovery`].

use super::LoginError;
use super::discovery::{self, DISCOVERY_TTL, Discovered, FORCED_REFRESH_GAP, chain};
use super::settings::{ClientAuth, LoginSettings, Pkce, ProviderKind};
use super::tokens::{Rp, Tokens};
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{
    AuthType, AuthenticationContextClass, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope,
};
use portal_domain::wire::Loa;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

mod lenient;
mod userinfo;

use lenient::Lenient;

#[derive(Default)]
struct Cache {
    current: Option<Arc<Discovered>>,
    /// When the key set was last fetched early for an unknown `kid`.
    last_forced: Option<Instant>,
}

/// One configured provider of one town, with its HTTP client and discovery cache.
pub struct Provider {
    pub settings: LoginSettings,
    http: reqwest::Client,
    cache: tokio::sync::Mutex<Cache>,
}

/// What `start` hands back: the URL to send the browser to and what the callback will need.
pub struct Started {
    pub url: String,
    pub state: String,
    pub nonce: String,
    /// `None` when the provider is not sent a PKCE challenge.
    pub pkce_verifier: Option<String>,
}

/// The validated claims of a finished login: the ID token's, completed by userinfo.
pub struct Finished {
    pub claims: Map<String, Value>,
    pub granted_scopes: Vec<String>,
}

/// The entry of `map` with the lowest level that is at least `wanted`.
fn lowest_at_least(map: &BTreeMap<String, Loa>, wanted: Loa) -> Option<String> {
    map.iter()
        .filter(|(_, level)| **level >= wanted)
        .min_by_key(|(_, level)| **level)
        .map(|(key, _)| key.clone())
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
            cache: tokio::sync::Mutex::new(Cache::default()),
        })
    }

    async fn discovered(&self) -> Result<Arc<Discovered>, LoginError> {
        let mut cache = self.cache.lock().await;
        if let Some(found) = (cache.current.as_ref()).filter(|d| d.at.elapsed() < DISCOVERY_TTL) {
            return Ok(found.clone());
        }
        let found = self.fetch().await?;
        cache.current = Some(found.clone());
        Ok(found)
    }

    async fn fetch(&self) -> Result<Arc<Discovered>, LoginError> {
        discovery::discover(
            &self.http,
            &self.settings.discovery_url,
            &self.settings.issuer,
        )
        .await
    }

    /// The provider signed with a key we do not know: it may have rotated its keys. Fetches
    /// them again, at most once per [`FORCED_REFRESH_GAP`]; `None` when not refetched.
    async fn refetch_for_unknown_key(&self, kid: &str) -> Option<Arc<Discovered>> {
        let mut cache = self.cache.lock().await;
        if cache.current.as_ref().is_some_and(|d| d.has_key(kid)) {
            return None;
        }
        if cache
            .last_forced
            .is_some_and(|at| at.elapsed() < FORCED_REFRESH_GAP)
        {
            return None;
        }
        cache.last_forced = Some(Instant::now());
        tracing::info!(provider = %self.settings.id, "ID token signed by an unknown key; fetching the provider's keys again");
        let found = self.fetch().await.ok()?;
        cache.current = Some(found.clone());
        Some(found)
    }

    fn client(&self, discovered: &Discovered, redirect_uri: &str) -> Result<Rp, LoginError> {
        let redirect = RedirectUrl::new(redirect_uri.to_owned())
            .map_err(|e| LoginError::Internal(format!("redirect URI: {e}")))?;
        let (auth, secret) = match &self.settings.client_auth {
            ClientAuth::SecretBasic(s) if self.secret_in_body(discovered) => {
                (AuthType::RequestBody, Some(s))
            }
            ClientAuth::SecretBasic(s) => (AuthType::BasicAuth, Some(s)),
            ClientAuth::SecretPost(s) => (AuthType::RequestBody, Some(s)),
            // The assertion goes into the body as extra parameters, beside client_id.
            ClientAuth::PrivateKeyJwt(_) => (AuthType::RequestBody, None),
        };
        Ok(Rp::from_provider_metadata(
            discovered.metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            secret.map(|s| ClientSecret::new(s.expose().to_owned())),
        )
        .set_auth_type(auth)
        .set_redirect_uri(redirect))
    }

    /// A secret whose method the config leaves open goes in the body when the provider lists
    /// client_secret_post and not client_secret_basic (Bank iD's list, for one, has no basic).
    fn secret_in_body(&self, discovered: &Discovered) -> bool {
        let lists = |m: &str| discovered.token_auth_methods.iter().any(|x| x == m);
        !self.settings.client_auth_configured
            && lists("client_secret_post")
            && !lists("client_secret_basic")
    }

    /// The method the token endpoint is sent, for error messages.
    fn auth_method(&self, discovered: &Discovered) -> &'static str {
        match &self.settings.client_auth {
            ClientAuth::SecretBasic(_) if self.secret_in_body(discovered) => "client_secret_post",
            ClientAuth::SecretBasic(_) => "client_secret_basic",
            ClientAuth::SecretPost(_) => "client_secret_post",
            ClientAuth::PrivateKeyJwt(_) => "private_key_jwt",
        }
    }

    /// Whether a login here can reach `loa`.
    pub fn can_give(&self, loa: Loa) -> bool {
        self.settings.max_loa() >= loa
    }

    /// Scopes and `acr_values` that ask for at least `wanted` (NIA by scope, Bank iD by acr).
    fn loa_request(&self, wanted: Loa) -> Result<(Vec<String>, Vec<String>), LoginError> {
        let s = &self.settings;
        let mut scopes = s.scopes.clone();
        let mut acr_values = s.acr_values.clone();
        if wanted == Loa::Low {
            return Ok((scopes, acr_values));
        }
        if !self.can_give(wanted) {
            return Err(LoginError::Loa);
        }
        if let Some(scope) = lowest_at_least(&s.loa_by_scope, wanted) {
            scopes.retain(|x| !s.loa_by_scope.contains_key(x));
            scopes.push(scope);
        }
        if let Some(acr) = lowest_at_least(&s.loa_by_acr, wanted) {
            acr_values = vec![acr];
        }
        Ok((scopes, acr_values))
    }

    /// The authorization request: state and nonce always, PKCE (S256) as configured, scopes
    /// and `acr_values` asking for at least `wanted`.
    pub async fn start(&self, redirect_uri: &str, wanted: Loa) -> Result<Started, LoginError> {
        let discovered = self.discovered().await?;
        let client = self.client(&discovered, redirect_uri)?;
        let (scopes, acr_values) = self.loa_request(wanted)?;
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        let use_pkce = match self.settings.pkce {
            Pkce::Always => true,
            Pkce::Never => false,
            Pkce::Auto => discovered.pkce_s256,
        };
        let mut pkce_verifier = None;
        if use_pkce {
            let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
            request = request.set_pkce_challenge(challenge);
            pkce_verifier = Some(verifier.secret().clone());
        }
        // The crate adds `openid` itself.
        for scope in scopes.into_iter().filter(|s| s != "openid") {
            request = request.add_scope(Scope::new(scope));
        }
        for acr in acr_values {
            request = request.add_auth_context_value(AuthenticationContextClass::new(acr));
        }
        if let Some(claims) = &self.settings.claims {
            request = request.add_extra_param("claims", claims.to_string());
        }
        let (url, state, nonce) = request.url();
        Ok(Started {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier,
        })
    }

    /// Where to send the browser so the provider ends its session too, if it offers that.
    pub async fn logout_url(&self, post_logout_redirect_uri: &str) -> Option<String> {
        let discovered = self.discovered().await.ok()?;
        let mut url =
            openidconnect::url::Url::parse(discovered.end_session_endpoint.as_deref()?).ok()?;
        let back =
            (self.settings.post_logout_redirect_uri.as_deref()).unwrap_or(post_logout_redirect_uri);
        url.query_pairs_mut()
            .append_pair("client_id", &self.settings.client_id)
            .append_pair("post_logout_redirect_uri", back);
        Some(url.to_string())
    }

    /// Checks `iss`, exchanges the code, validates the ID token and asks userinfo.
    pub async fn finish(&self, redirect_uri: &str, answer: Answer) -> Result<Finished, LoginError> {
        let discovered = self.discovered().await?;
        match answer.iss.as_deref() {
            Some(iss) if iss != self.settings.issuer => {
                return Err(LoginError::Issuer(format!("iss parameter {iss:?}")));
            }
            None if discovered.iss_parameter => {
                return Err(LoginError::Issuer("iss parameter missing".into()));
            }
            _ => {}
        }
        let tokens = self
            .exchange(&discovered, redirect_uri, answer.code, answer.pkce_verifier)
            .await?;
        let raw = tokens
            .extra_fields()
            .id_token()
            .ok_or_else(|| LoginError::Token("no ID token".into()))?;
        let inner = decrypted("ID token", raw, self.settings.decryption_key.as_ref())?;
        let mut discovered = discovered;
        let claims = match self.id_token_claims(&discovered, &inner, &answer.nonce) {
            Err(LoginError::Token(reason)) => {
                let fresh = match discovery::jws_kid(&inner) {
                    Some(kid) => self.refetch_for_unknown_key(&kid).await,
                    None => None,
                };
                let Some(fresh) = fresh else {
                    return Err(LoginError::Token(reason));
                };
                discovered = fresh;
                self.id_token_claims(&discovered, &inner, &answer.nonce)?
            }
            other => other?,
        };
        let claims = match self.settings.kind {
            // NIA's userinfo is empty: everything is in the ID token (asked for with `claims`).
            ProviderKind::Nia => claims,
            _ => self.with_userinfo(&discovered, &tokens, claims).await?,
        };
        let granted_scopes = match tokens.scopes() {
            Some(scopes) => scopes.iter().map(|s| s.to_string()).collect(),
            None => self.loa_request(answer.wanted)?.0,
        };
        Ok(Finished {
            claims,
            granted_scopes,
        })
    }

    async fn exchange(
        &self,
        discovered: &Discovered,
        redirect_uri: &str,
        code: String,
        pkce_verifier: Option<String>,
    ) -> Result<Tokens, LoginError> {
        let client = self.client(discovered, redirect_uri)?;
        let mut request = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| LoginError::Provider(format!("token endpoint: {e}")))?;
        if let Some(verifier) = pkce_verifier {
            request = request.set_pkce_verifier(PkceCodeVerifier::new(verifier));
        }
        if let ClientAuth::PrivateKeyJwt(key) = &self.settings.client_auth {
            let audience = (discovered.metadata.token_endpoint())
                .map(|url| url.as_str().to_owned())
                .unwrap_or_else(|| self.settings.issuer.clone());
            let assertion =
                super::assertion::client_assertion(&self.settings.client_id, &audience, key)?;
            request = request
                .add_extra_param("client_assertion_type", super::assertion::ASSERTION_TYPE)
                .add_extra_param("client_assertion", assertion);
        }
        // The crate's parser is strict where providers are not: see `lenient_token_response`.
        request
            .request_async(&Lenient(&self.http))
            .await
            .map_err(|e| match e {
                // The provider refused the code: replayed, expired, wrong PKCE verifier.
                RequestTokenError::ServerResponse(r) => {
                    let error = r.error().to_string();
                    let hint = match error.as_str() {
                        "invalid_client" => format!(
                            " (sent {}; the provider lists {}: set token_endpoint_auth to the \
                             method registered there)",
                            self.auth_method(discovered),
                            discovered.token_auth_methods.join(", ")
                        ),
                        _ => String::new(),
                    };
                    LoginError::Token(format!("token endpoint refused: {error}{hint}"))
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
            })
    }

    /// The ID token's claims once its signature (by a key in `discovered`) and claims check
    /// out (see `jwe`: every provider's token is checked the same way).
    fn id_token_claims(
        &self,
        discovered: &Discovered,
        jws: &str,
        nonce: &str,
    ) -> Result<Map<String, Value>, LoginError> {
        super::jwe::verify(jws, &discovered.keys, &self.settings, nonce)
    }
}

/// `token` itself when it is a JWS; the JWS inside when it is a JWE to the town's key.
fn decrypted(
    what: &str,
    token: &str,
    key: Option<&super::settings::Secret>,
) -> Result<String, LoginError> {
    if !super::jwe::is_jwe(token) {
        return Ok(token.to_owned());
    }
    match key {
        Some(key) => super::jwe::decrypt(token, key),
        None => Err(LoginError::Token(format!(
            "{what} arrived encrypted (JWE) but this login has no decryption_key_file"
        ))),
    }
}

/// What the callback brings to [`Provider::finish`]: the provider's answer and what the
/// pending login remembered.
pub struct Answer {
    pub code: String,
    pub iss: Option<String>,
    pub nonce: String,
    pub pkce_verifier: Option<String>,
    pub wanted: Loa,
}
