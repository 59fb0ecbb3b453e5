//! A town's identity providers as written in the config file (`[[town.login]]` under a
//! `[[town]]`), checked before the server starts. Every error names its key.

use portal_domain::wire::{Loa, LoginKind};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// A `[[town.login]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLogin {
    pub id: String,
    pub kind: String,
    /// The label the login page shows (required for `kind = "oidc"`).
    pub name: Option<String>,
    pub issuer: String,
    pub discovery_url: Option<String>,
    pub client_id: String,
    #[serde(default)]
    pub client_secret: Secret,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The OIDC `claims` request parameter, as JSON text.
    pub claims: Option<String>,
    pub required_loa: Option<String>,
    #[serde(default)]
    pub acr_values: Vec<String>,
    /// Which claim holds the stable identifier (default `sub`).
    pub subject_claim: Option<String>,
    /// Default: the portal's address for this request + `/api/auth/ID/callback`.
    pub redirect_uri: Option<String>,
    /// How long one request to the provider may take.
    pub timeout_ms: Option<u64>,
    /// Overrides the kind's mapping of `acr` values / granted scopes to levels of assurance.
    pub loa_by_acr: Option<BTreeMap<String, String>>,
    pub loa_by_scope: Option<BTreeMap<String, String>>,
    /// PEM private key the provider encrypts ID tokens to (the registered certificate's), for a
    /// provider that sends them as a JWE; signed ID tokens need none.
    pub decryption_key_file: Option<std::path::PathBuf>,
    /// `client_secret_basic`, `client_secret_post` (default by kind: NIA and Bank iD post) or
    /// `private_key_jwt` (then `signing_key_file` instead of `client_secret`).
    pub token_endpoint_auth: Option<String>,
    /// PEM RSA private key that signs the client assertion for `private_key_jwt`.
    pub signing_key_file: Option<std::path::PathBuf>,
    /// `auto` (default: when discovery lists S256), `always` or `never`.
    pub pkce: Option<String>,
    /// Where the provider sends the browser after RP-initiated logout (default: the portal's
    /// address). Must be registered at the provider.
    pub post_logout_redirect_uri: Option<String>,
}

/// Which provider this is: decides defaults and how the client lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    Nia,
    BankId,
    MojeId,
    /// Any textbook OpenID Connect provider.
    Oidc,
}

impl ProviderKind {
    pub fn login_kind(self) -> LoginKind {
        match self {
            ProviderKind::Nia => LoginKind::Nia,
            ProviderKind::BankId => LoginKind::BankId,
            ProviderKind::MojeId => LoginKind::MojeId,
            ProviderKind::Oidc => LoginKind::Oidc,
        }
    }
}

/// How the portal proves itself at the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientAuth {
    SecretBasic(Secret),
    SecretPost(Secret),
    /// RFC 7523 client assertion signed with this PEM key (RS256).
    PrivateKeyJwt(Secret),
}

/// Whether the authorization request carries a PKCE challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pkce {
    /// When the discovery document lists `S256` (NIA, for one, does not).
    Auto,
    Always,
    Never,
}

/// A client secret. Its `Debug` never shows it, so configs can be logged.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: impl Into<String>) -> Secret {
        Secret(secret.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Default mappings of `acr` values or scopes to levels, per provider kind.
type LoaTable = &'static [(&'static str, Loa)];

/// A provider whose every field parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSettings {
    pub id: String,
    pub kind: ProviderKind,
    pub name: Option<String>,
    pub issuer: String,
    pub discovery_url: String,
    pub client_id: String,
    pub client_auth: ClientAuth,
    /// The config names `token_endpoint_auth`. Without it a secret goes as the kind's default
    /// says, or in the body when discovery lists `client_secret_post` and not basic.
    pub client_auth_configured: bool,
    pub pkce: Pkce,
    pub post_logout_redirect_uri: Option<String>,
    pub scopes: Vec<String>,
    pub claims: Option<serde_json::Value>,
    pub required_loa: Loa,
    pub acr_values: Vec<String>,
    pub subject_claim: String,
    pub redirect_uri: Option<String>,
    pub timeout: Duration,
    pub loa_by_acr: BTreeMap<String, Loa>,
    pub loa_by_scope: BTreeMap<String, Loa>,
    /// Set: ID tokens (and userinfo JWTs) that come as a JWE are decrypted with this key (PEM).
    pub decryption_key: Option<Secret>,
}

impl LoginSettings {
    /// The highest level this provider's `acr` values or scopes map to.
    pub fn max_loa(&self) -> Loa {
        (self.loa_by_acr.values().chain(self.loa_by_scope.values()))
            .copied()
            .max()
            .unwrap_or(Loa::Low)
    }

    /// The label for the login page and the profile.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(match self.kind {
            ProviderKind::Nia => "NIA",
            ProviderKind::BankId => "Bank iD",
            ProviderKind::MojeId => "MojeID",
            ProviderKind::Oidc => &self.id,
        })
    }
}

pub fn parse_loa(text: &str) -> Option<Loa> {
    match text {
        "low" => Some(Loa::Low),
        "substantial" => Some(Loa::Substantial),
        "high" => Some(Loa::High),
        _ => None,
    }
}

/// https anywhere; plain http only to this machine (test providers).
fn url_ok(text: &str) -> bool {
    let Ok(url) = openidconnect::url::Url::parse(text) else {
        return false;
    };
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    url.scheme() == "https" || (url.scheme() == "http" && loopback)
}

impl LoginSettings {
    /// Every problem, each as `PREFIX.KEY: reason` (prefix e.g. `town[0].login[1]`).
    pub fn parse(prefix: &str, raw: RawLogin) -> Result<LoginSettings, Vec<String>> {
        let mut errors = Vec::new();
        let mut fail = |key: &str, reason: &str| errors.push(format!("{prefix}.{key}: {reason}"));
        let id_ok = !raw.id.is_empty()
            && raw.id.len() <= 32
            && raw.id != "demo"
            && (raw.id.bytes()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            fail(
                "id",
                "use 1-32 lowercase letters, digits and hyphens (not \"demo\")",
            );
        }
        let kind = match raw.kind.as_str() {
            "nia" => ProviderKind::Nia,
            "bank_id" => ProviderKind::BankId,
            "moje_id" => ProviderKind::MojeId,
            "oidc" => ProviderKind::Oidc,
            _ => {
                fail("kind", "expected nia, bank_id, moje_id or oidc");
                ProviderKind::Oidc
            }
        };
        let name = raw.name.map(|n| n.trim().to_owned());
        match &name {
            Some(n) if n.is_empty() || n.chars().count() > 60 => {
                fail("name", "use 1-60 characters")
            }
            None if kind == ProviderKind::Oidc => fail(
                "name",
                "required for kind = \"oidc\": the login page lists the provider under it",
            ),
            _ => {}
        }
        // NIA's issuer is a URN; everyone else's is the URL discovery starts from.
        let urn = raw.issuer.starts_with("urn:") && raw.issuer.len() > 4;
        if !(url_ok(&raw.issuer) || urn) {
            fail(
                "issuer",
                "expected an https URL (http only on loopback) or a urn:",
            );
        }
        let discovery_url = match raw.discovery_url {
            Some(url) => url,
            None if urn => {
                fail("discovery_url", "required when the issuer is not a URL");
                String::new()
            }
            None => format!(
                "{}/.well-known/openid-configuration",
                raw.issuer.trim_end_matches('/')
            ),
        };
        if !discovery_url.is_empty() && !url_ok(&discovery_url) {
            fail(
                "discovery_url",
                "expected an https URL (http only on loopback)",
            );
        }
        if raw.client_id.trim().is_empty() {
            fail("client_id", "must not be empty");
        }
        let mut scopes = vec!["openid".to_owned()];
        for scope in raw.scopes {
            if scope.is_empty() || scope.contains(char::is_whitespace) {
                fail("scopes", &format!("{scope:?} is not a scope"));
            } else if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        let claims =
            raw.claims.and_then(
                |text| match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(value) if value.is_object() => Some(value),
                    _ => {
                        fail(
                            "claims",
                            "expected a JSON object, e.g. {\"id_token\": {...}}",
                        );
                        None
                    }
                },
            );
        let required_loa = match raw.required_loa.as_deref() {
            None => Loa::Low,
            Some(text) => parse_loa(text).unwrap_or_else(|| {
                fail("required_loa", "expected low, substantial or high");
                Loa::Low
            }),
        };
        let mut loa_map =
            |key: &str, given: Option<BTreeMap<String, String>>, default: &[(&str, Loa)]| {
                match given {
                    None => default.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
                    Some(map) => map
                        .into_iter()
                        .filter_map(|(k, v)| match parse_loa(&v) {
                            Some(loa) => Some((k, loa)),
                            None => {
                                fail(key, &format!("{k}: expected low, substantial or high"));
                                None
                            }
                        })
                        .collect(),
                }
            };
        let (acr_default, scope_default): (LoaTable, LoaTable) = match kind {
            // Bank iD: loa3 is strong customer authentication.
            ProviderKind::BankId => (&[("loa2", Loa::Low), ("loa3", Loa::Substantial)], &[]),
            ProviderKind::Nia => (
                &[],
                &[
                    ("loalow", Loa::Low),
                    ("loasubstantial", Loa::Substantial),
                    ("loahigh", Loa::High),
                ],
            ),
            ProviderKind::MojeId | ProviderKind::Oidc => (&[], &[]),
        };
        let loa_by_acr = loa_map("loa_by_acr", raw.loa_by_acr, acr_default);
        let loa_by_scope = loa_map("loa_by_scope", raw.loa_by_scope, scope_default);
        let timeout_ms = raw.timeout_ms.unwrap_or(10_000);
        if !(100..=60_000).contains(&timeout_ms) {
            fail("timeout_ms", "must be between 100 and 60000");
        }
        if let Some(uri) = &raw.redirect_uri {
            if !url_ok(uri) {
                fail(
                    "redirect_uri",
                    "expected an https URL (http only on loopback)",
                );
            }
        }
        // Only for providers that encrypt ID tokens (a JWE); a signed one is read without.
        let decryption_key = match &raw.decryption_key_file {
            None => None,
            Some(path) => match std::fs::read_to_string(path) {
                Err(e) => {
                    fail(
                        "decryption_key_file",
                        &format!("cannot read {}: {e}", path.display()),
                    );
                    None
                }
                Ok(pem) => match super::jwe::check_key(&pem) {
                    Ok(()) => Some(Secret::new(pem)),
                    Err(e) => {
                        fail(
                            "decryption_key_file",
                            &format!("not an RSA private key in PEM: {e}"),
                        );
                        None
                    }
                },
            },
        };
        let client_auth = client_auth(
            raw.token_endpoint_auth.as_deref(),
            raw.signing_key_file.as_deref(),
            raw.client_secret.clone(),
            kind,
            &mut fail,
        );
        let pkce = match raw.pkce.as_deref() {
            None | Some("auto") => Pkce::Auto,
            Some("always") => Pkce::Always,
            Some("never") => Pkce::Never,
            Some(_) => {
                fail("pkce", "expected auto, always or never");
                Pkce::Auto
            }
        };
        if let Some(uri) = &raw.post_logout_redirect_uri {
            if !url_ok(uri) {
                fail(
                    "post_logout_redirect_uri",
                    "expected an https URL (http only on loopback)",
                );
            }
        }
        let subject_claim = raw.subject_claim.unwrap_or_else(|| match kind {
            ProviderKind::Nia => "PersonIdentifier".to_owned(),
            _ => "sub".to_owned(),
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(LoginSettings {
            id: raw.id,
            kind,
            name,
            issuer: raw.issuer,
            discovery_url,
            client_id: raw.client_id,
            client_auth,
            client_auth_configured: raw.token_endpoint_auth.is_some(),
            pkce,
            post_logout_redirect_uri: raw.post_logout_redirect_uri,
            scopes,
            claims,
            required_loa,
            acr_values: raw.acr_values,
            subject_claim,
            redirect_uri: raw.redirect_uri,
            timeout: Duration::from_millis(timeout_ms),
            loa_by_acr,
            loa_by_scope,
            decryption_key,
        })
    }
}

/// The token endpoint's client authentication: a secret (basic or post) or a signing key.
fn client_auth(
    method: Option<&str>,
    signing_key_file: Option<&std::path::Path>,
    secret: Secret,
    kind: ProviderKind,
    fail: &mut impl FnMut(&str, &str),
) -> ClientAuth {
    let need_secret = |fail: &mut dyn FnMut(&str, &str)| {
        if secret.expose().is_empty() {
            fail("client_secret", "must not be empty");
        }
    };
    match method {
        Some("private_key_jwt") => match signing_key_file {
            None => {
                fail("signing_key_file", "required with private_key_jwt");
                ClientAuth::PrivateKeyJwt(Secret::default())
            }
            Some(path) => match std::fs::read_to_string(path) {
                Err(e) => {
                    fail(
                        "signing_key_file",
                        &format!("cannot read {}: {e}", path.display()),
                    );
                    ClientAuth::PrivateKeyJwt(Secret::default())
                }
                Ok(pem) => {
                    if let Err(e) = super::jwe::check_key(&pem) {
                        fail(
                            "signing_key_file",
                            &format!("not an RSA private key in PEM: {e}"),
                        );
                    }
                    ClientAuth::PrivateKeyJwt(Secret::new(pem))
                }
            },
        },
        Some("client_secret_post") => {
            need_secret(fail);
            ClientAuth::SecretPost(secret)
        }
        Some("client_secret_basic") => {
            need_secret(fail);
            ClientAuth::SecretBasic(secret)
        }
        None => {
            need_secret(fail);
            if matches!(kind, ProviderKind::Nia | ProviderKind::BankId) {
                ClientAuth::SecretPost(secret)
            } else {
                ClientAuth::SecretBasic(secret)
            }
        }
        Some(_) => {
            fail(
                "token_endpoint_auth",
                "expected client_secret_basic, client_secret_post or private_key_jwt",
            );
            ClientAuth::SecretBasic(secret)
        }
    }
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
