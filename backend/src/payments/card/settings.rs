//! A town's card gateway as written in the config file (`[town.gateway]`), or for the demo town
//! in `PORTAL_DEMO_GATEWAY_*` variables. Checked before the server starts; every error names its
//! key.

use crate::identity::oidc::settings::Secret;
use serde::Deserialize;
use std::time::Duration;

/// A `[town.gateway]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGateway {
    /// The gateway's base URL (its API lives under `/api/payments`).
    pub url: String,
    pub merchant_id: String,
    pub secret: Secret,
    /// How long one request to the gateway may take (default 10 000).
    pub timeout_ms: Option<u64>,
}

/// A gateway whose every field parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewaySettings {
    /// Without a trailing slash.
    pub url: String,
    pub merchant_id: String,
    /// The shared secret that signs requests, notifications and returns (`Debug` hides it).
    pub secret: Secret,
    pub timeout: Duration,
}

/// The secret signs money movements: a short one could be guessed.
const MIN_SECRET_LEN: usize = 16;

impl GatewaySettings {
    /// Every problem as (key, reason); the caller prefixes the key (`town[0].gateway.url`) or
    /// names the environment variable it came from.
    pub fn parse(raw: RawGateway) -> Result<GatewaySettings, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let url = raw.url.trim().trim_end_matches('/').to_owned();
        if let Err(reason) = check_url(&url) {
            errors.push(("url", reason));
        }
        if !merchant_id_ok(&raw.merchant_id) {
            errors.push((
                "merchant_id",
                "use 1-64 characters of A-Z a-z 0-9 . _ -".to_owned(),
            ));
        }
        if raw.secret.expose().chars().count() < MIN_SECRET_LEN {
            errors.push((
                "secret",
                format!("at least {MIN_SECRET_LEN} characters (the gateway's shared secret)"),
            ));
        }
        let timeout_ms = raw.timeout_ms.unwrap_or(10_000);
        if !(100..=60_000).contains(&timeout_ms) {
            errors.push(("timeout_ms", "must be between 100 and 60000".to_owned()));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(GatewaySettings {
            url,
            merchant_id: raw.merchant_id,
            secret: raw.secret,
            timeout: Duration::from_millis(timeout_ms),
        })
    }

    /// Problems as `PREFIX.KEY: reason` (prefix e.g. `town[0].gateway`).
    pub fn parse_prefixed(prefix: &str, raw: RawGateway) -> Result<GatewaySettings, Vec<String>> {
        GatewaySettings::parse(raw).map_err(|errors| {
            errors
                .into_iter()
                .map(|(key, reason)| format!("{prefix}.{key}: {reason}"))
                .collect()
        })
    }
}

/// https anywhere; plain http only to this machine (a simulator beside the portal).
fn check_url(text: &str) -> Result<(), String> {
    let url = reqwest::Url::parse(text).map_err(|e| format!("not a URL ({e})"))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err("no query or fragment: the base URL only".into());
    }
    let Some(host) = url.host_str() else {
        return Err("the URL has no host".into());
    };
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err("https is required (plain http only to 127.0.0.1, ::1 or localhost)".into()),
        other => Err(format!("scheme {other:?}: https expected")),
    }
}

fn merchant_id_ok(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The environment variables that give the demo town a gateway (`scripts/run-demo.sh` starts
/// `gateway-sim` and passes its address). `URL` switches it on; `SECRET` is then required.
pub const DEMO_ENV_URL: &str = "PORTAL_DEMO_GATEWAY_URL";
pub const DEMO_ENV_MERCHANT: &str = "PORTAL_DEMO_GATEWAY_MERCHANT";
pub const DEMO_ENV_SECRET: &str = "PORTAL_DEMO_GATEWAY_SECRET";
pub const DEMO_ENV_TIMEOUT: &str = "PORTAL_DEMO_GATEWAY_TIMEOUT_MS";
/// The demo town's merchant id when `PORTAL_DEMO_GATEWAY_MERCHANT` is not set.
pub const DEMO_MERCHANT: &str = "dolni-lhota";

/// The demo gateway from the environment: `Ok(None)` without `PORTAL_DEMO_GATEWAY_URL`; an
/// error names the variable at fault.
pub fn demo_from_env(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Option<GatewaySettings>, (&'static str, String)> {
    let Some(url) = lookup(DEMO_ENV_URL) else {
        return Ok(None);
    };
    let timeout_ms = match lookup(DEMO_ENV_TIMEOUT) {
        None => None,
        Some(v) => Some(
            v.parse()
                .map_err(|_| (DEMO_ENV_TIMEOUT, "expected milliseconds".to_owned()))?,
        ),
    };
    let raw = RawGateway {
        url,
        merchant_id: lookup(DEMO_ENV_MERCHANT).unwrap_or_else(|| DEMO_MERCHANT.to_owned()),
        secret: Secret::new(lookup(DEMO_ENV_SECRET).unwrap_or_default()),
        timeout_ms,
    };
    GatewaySettings::parse(raw).map(Some).map_err(|errors| {
        let (key, reason) = errors.into_iter().next().expect("errors are not empty");
        let var = match key {
            "url" => DEMO_ENV_URL,
            "merchant_id" => DEMO_ENV_MERCHANT,
            "secret" => DEMO_ENV_SECRET,
            _ => DEMO_ENV_TIMEOUT,
        };
        (var, reason)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(url: &str) -> RawGateway {
        RawGateway {
            url: url.into(),
            merchant_id: "horni-lhota".into(),
            secret: Secret::new("0123456789abcdef0123"),
            timeout_ms: None,
        }
    }

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for good in [
            "https://gw.example.cz",
            "https://gw.example.cz/v1/",
            "http://127.0.0.1:4000",
            "http://[::1]:4000",
            "http://localhost:4000",
        ] {
            assert!(GatewaySettings::parse(raw(good)).is_ok(), "{good}");
        }
        for bad in [
            "http://gw.example.cz",
            "ftp://127.0.0.1",
            "gw.example.cz",
            "https://gw.example.cz/?a=1",
        ] {
            let errors = GatewaySettings::parse(raw(bad)).unwrap_err();
            assert_eq!(errors[0].0, "url", "{bad}: {errors:?}");
        }
        let parsed = GatewaySettings::parse(raw("https://gw.example.cz/v1/")).unwrap();
        assert_eq!(parsed.url, "https://gw.example.cz/v1");
        assert_eq!(parsed.timeout, Duration::from_secs(10));
    }

    #[test]
    fn every_bad_key_is_named_and_the_secret_never_shown() {
        let bad = RawGateway {
            url: "http://gw.example.cz".into(),
            merchant_id: "a b".into(),
            secret: Secret::new("short"),
            timeout_ms: Some(5),
        };
        let errors = GatewaySettings::parse_prefixed("town[1].gateway", bad).unwrap_err();
        let keys: Vec<_> = errors
            .iter()
            .map(|e| e.split(':').next().unwrap())
            .collect();
        assert_eq!(
            keys,
            [
                "town[1].gateway.url",
                "town[1].gateway.merchant_id",
                "town[1].gateway.secret",
                "town[1].gateway.timeout_ms"
            ]
        );
        let good = GatewaySettings::parse(raw("https://gw.example.cz")).unwrap();
        assert!(
            !format!("{good:?}").contains("0123456789abcdef"),
            "{good:?}"
        );
    }

    #[test]
    fn the_demo_gateway_comes_from_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(demo_from_env(env(&[])).unwrap(), None);
        let found = demo_from_env(env(&[
            (DEMO_ENV_URL, "http://127.0.0.1:4000"),
            (DEMO_ENV_SECRET, "a-long-enough-secret"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(found.merchant_id, DEMO_MERCHANT);
        let error = demo_from_env(env(&[(DEMO_ENV_URL, "http://127.0.0.1:4000")])).unwrap_err();
        assert_eq!(error.0, DEMO_ENV_SECRET);
        let error = demo_from_env(env(&[
            (DEMO_ENV_URL, "http://127.0.0.1:4000"),
            (DEMO_ENV_SECRET, "a-long-enough-secret"),
            (DEMO_ENV_TIMEOUT, "soon"),
        ]))
        .unwrap_err();
        assert_eq!(error.0, DEMO_ENV_TIMEOUT);
    }
}
