//! `[town.kiosk]`: what the backend needs to accept card logins from the town's lobby kiosks.
//!
//! ```toml
//! [town.kiosk]
//! origin = "https://portal.dolni-lhota.cz"      # what the card signs; default: public_url
//! trust_anchors = ["/etc/portal/eop-root.pem"]  # PEM CA certificates of the card issuer
//! nonce_ttl_seconds = 120                       # default 120 (10..=600)
//! ```

use openssl::x509::X509;
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKioskSettings {
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub trust_anchors: Vec<PathBuf>,
    #[serde(default)]
    pub nonce_ttl_seconds: Option<i64>,
}

#[derive(Clone)]
pub struct KioskSettings {
    pub origin: Option<String>,
    /// The certificates card chains must end in. Empty: no card login in this town.
    pub trust_anchors: Vec<X509>,
    pub nonce_ttl_seconds: i64,
}

impl std::fmt::Debug for KioskSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KioskSettings")
            .field("origin", &self.origin)
            .field("trust_anchors", &self.trust_anchors.len())
            .field("nonce_ttl_seconds", &self.nonce_ttl_seconds)
            .finish()
    }
}

/// Equal when the same anchors (by DER) and values are configured.
impl PartialEq for KioskSettings {
    fn eq(&self, other: &Self) -> bool {
        let der = |s: &KioskSettings| -> Vec<Vec<u8>> {
            s.trust_anchors
                .iter()
                .map(|c| c.to_der().unwrap_or_default())
                .collect()
        };
        self.origin == other.origin
            && self.nonce_ttl_seconds == other.nonce_ttl_seconds
            && der(self) == der(other)
    }
}

impl Eq for KioskSettings {}

pub const DEFAULT_NONCE_TTL_SECONDS: i64 = 120;

impl Default for KioskSettings {
    fn default() -> Self {
        KioskSettings {
            origin: None,
            trust_anchors: Vec::new(),
            nonce_ttl_seconds: DEFAULT_NONCE_TTL_SECONDS,
        }
    }
}

impl KioskSettings {
    /// Every problem, each as `PREFIX.KEY: reason`. Reads the anchor files.
    pub fn parse(prefix: &str, raw: RawKioskSettings) -> Result<KioskSettings, Vec<String>> {
        let mut errors = Vec::new();
        let origin = raw.origin.map(|o| o.trim_end_matches('/').to_owned());
        if let Some(origin) = &origin {
            let valid = url::Url::parse(origin).is_ok_and(|u| {
                matches!(u.scheme(), "http" | "https")
                    && u.host().is_some()
                    && u.path() == "/"
                    && u.query().is_none()
            });
            if !valid {
                errors.push(format!(
                    "{prefix}.origin: {origin:?} is not an origin like https://portal.example.cz"
                ));
            }
        }
        let mut trust_anchors = Vec::new();
        for (i, path) in raw.trust_anchors.iter().enumerate() {
            let key = format!("{prefix}.trust_anchors[{i}]");
            match std::fs::read(path) {
                Err(e) => errors.push(format!("{key}: cannot read {}: {e}", path.display())),
                Ok(pem) => match X509::stack_from_pem(&pem) {
                    Ok(certs) if !certs.is_empty() => trust_anchors.extend(certs),
                    _ => errors.push(format!(
                        "{key}: {} holds no PEM certificate",
                        path.display()
                    )),
                },
            }
        }
        let nonce_ttl_seconds = raw.nonce_ttl_seconds.unwrap_or(DEFAULT_NONCE_TTL_SECONDS);
        if !(10..=600).contains(&nonce_ttl_seconds) {
            errors.push(format!(
                "{prefix}.nonce_ttl_seconds: must be between 10 and 600, found {nonce_ttl_seconds}"
            ));
        }
        if errors.is_empty() {
            Ok(KioskSettings {
                origin,
                trust_anchors,
                nonce_ttl_seconds,
            })
        } else {
            Err(errors)
        }
    }
}
