//! Configuration: built-in defaults, then an optional TOML file, then `PORTAL_*` environment
//! variables. Every error names the key it is about.

use crate::payments::card::settings::{self as gateway, GatewaySettings};
use crate::towns::settings::{RawTown, TownSettings};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// Address and port to listen on (`PORTAL_LISTEN`). Port 0 picks a free port.
    pub listen: SocketAddr,
    /// Folder for the SQLite file (`PORTAL_DATA_DIR`).
    pub data_dir: PathBuf,
    /// Folder with the built web client (`PORTAL_WEB_DIR`).
    pub web_dir: PathBuf,
    /// Demo mode: seeds the demo town and offers the demo login (`PORTAL_DEMO`, `--demo`).
    pub demo: bool,
    /// The URL citizens reach the portal at (`PORTAL_PUBLIC_URL`); `https://` makes cookies Secure.
    pub public_url: Option<String>,
    pub session: SessionConfig,
    /// `pretty` for people, `json` for log collectors (`PORTAL_LOG_FORMAT`).
    pub log_format: LogFormat,
    /// Towns declared in the file (`[[town]]`); created or updated at start-up.
    pub towns: Vec<TownSettings>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`PORTAL_TRUSTED_PROXIES`,
    /// comma-separated).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Login attempts (starts, callbacks, demo logins) one client address may make per minute.
    pub login_attempts_per_minute: u32,
    /// The demo town's card gateway (`PORTAL_DEMO_GATEWAY_URL`, `_MERCHANT`, `_SECRET`,
    /// `_TIMEOUT_MS`); used in demo mode only. Real towns have `[town.gateway]`.
    pub demo_gateway: Option<GatewaySettings>,
    /// The demo town's kiosk card logins (`PORTAL_DEMO_KIOSK_TRUST_ANCHORS`, comma-separated PEM
    /// files, and `PORTAL_DEMO_KIOSK_ORIGIN`); demo mode only. Real towns have `[town.kiosk]`.
    pub demo_kiosk: Option<crate::kiosk::settings::KioskSettings>,
    pub card: CardConfig,
}

/// When the portal asks the gateway itself about card payments nobody told it the end of.
#[derive(Debug, Clone, Copy)]
pub struct CardConfig {
    /// A payment still `created` this long after it started is polled (`card_poll_after_seconds`).
    pub poll_after: Duration,
    /// How often the poller looks, and how long it leaves one payment before asking again
    /// (`card_poll_interval_seconds`).
    pub poll_interval: Duration,
}

#[derive(Debug, Clone, Copy)]
pub struct SessionConfig {
    /// A session unused this long ends.
    pub idle_timeout_secs: i64,
    /// A session ends this long after login, however active.
    pub absolute_timeout_secs: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("environment variable {key}: {message}")]
    Env { key: &'static str, message: String },
}

/// The config file's shape; every key optional, unknown keys rejected.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    web_dir: Option<PathBuf>,
    demo: Option<bool>,
    public_url: Option<String>,
    session_idle_minutes: Option<i64>,
    session_absolute_hours: Option<i64>,
    log_format: Option<LogFormat>,
    trusted_proxies: Option<Vec<std::net::IpAddr>>,
    login_attempts_per_minute: Option<u32>,
    card_poll_after_seconds: Option<u64>,
    card_poll_interval_seconds: Option<u64>,
    #[serde(default)]
    town: Vec<RawTown>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            web_dir: PathBuf::from("dist"),
            demo: false,
            public_url: None,
            session: SessionConfig {
                idle_timeout_secs: 30 * 60,
                absolute_timeout_secs: 12 * 3600,
            },
            log_format: LogFormat::Pretty,
            towns: Vec::new(),
            trusted_proxies: Vec::new(),
            // A town-hall lobby shares one address: generous for people, tight for scripts.
            login_attempts_per_minute: 60,
            demo_gateway: None,
            demo_kiosk: None,
            card: CardConfig {
                poll_after: Duration::from_secs(60),
                poll_interval: Duration::from_secs(30),
            },
        }
    }
}

impl Config {
    /// Defaults, then `file` (if any), then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_owned(),
                source,
            })?;
            config
                .apply_file(&text)
                .map_err(|message| ConfigError::File {
                    path: path.to_owned(),
                    message,
                })?;
        }
        config.apply_env(|key| std::env::var(key).ok())?;
        Ok(config)
    }

    fn apply_file(&mut self, text: &str) -> Result<(), String> {
        let file: FileConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        if let Some(v) = file.listen {
            self.listen = v;
        }
        if let Some(v) = file.data_dir {
            self.data_dir = v;
        }
        if let Some(v) = file.web_dir {
            self.web_dir = v;
        }
        if let Some(v) = file.demo {
            self.demo = v;
        }
        if let Some(v) = file.public_url {
            self.public_url = Some(v);
        }
        if let Some(v) = file.log_format {
            self.log_format = v;
        }
        if let Some(v) = file.trusted_proxies {
            self.trusted_proxies = v;
        }
        if let Some(v) = file.login_attempts_per_minute {
            if !(1..=100_000).contains(&v) {
                return Err("login_attempts_per_minute: must be between 1 and 100000".into());
            }
            self.login_attempts_per_minute = v;
        }
        if let Some(minutes) = file.session_idle_minutes {
            if !(1..=24 * 60).contains(&minutes) {
                return Err("session_idle_minutes: must be between 1 and 1440".into());
            }
            self.session.idle_timeout_secs = minutes * 60;
        }
        if let Some(hours) = file.session_absolute_hours {
            if !(1..=72).contains(&hours) {
                return Err("session_absolute_hours: must be between 1 and 72".into());
            }
            self.session.absolute_timeout_secs = hours * 3600;
        }
        if let Some(secs) = file.card_poll_after_seconds {
            if !(1..=3600).contains(&secs) {
                return Err("card_poll_after_seconds: must be between 1 and 3600".into());
            }
            self.card.poll_after = Duration::from_secs(secs);
        }
        if let Some(secs) = file.card_poll_interval_seconds {
            if !(1..=3600).contains(&secs) {
                return Err("card_poll_interval_seconds: must be between 1 and 3600".into());
            }
            self.card.poll_interval = Duration::from_secs(secs);
        }
        let mut errors = Vec::new();
        for (index, raw) in file.town.into_iter().enumerate() {
            match TownSettings::parse(index, raw) {
                Ok(town) => self.towns.push(town),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(errors.join("; "));
        }
        Ok(())
    }

    /// `lookup` is the environment; a parameter so tests need not touch the real one.
    pub fn apply_env(
        &mut self,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        let env_err = |key: &'static str, message: &str| ConfigError::Env {
            key,
            message: message.to_owned(),
        };
        if let Some(v) = lookup("PORTAL_LISTEN") {
            self.listen = v.parse().map_err(|_| {
                env_err(
                    "PORTAL_LISTEN",
                    "expected address:port, e.g. 127.0.0.1:8080",
                )
            })?;
        }
        if let Some(v) = lookup("PORTAL_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = lookup("PORTAL_WEB_DIR") {
            self.web_dir = PathBuf::from(v);
        }
        if let Some(v) = lookup("PORTAL_DEMO") {
            self.demo = match v.as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" | "" => false,
                _ => return Err(env_err("PORTAL_DEMO", "expected true or false")),
            };
        }
        if let Some(v) = lookup("PORTAL_PUBLIC_URL") {
            if !(v.starts_with("http://") || v.starts_with("https://")) {
                return Err(env_err(
                    "PORTAL_PUBLIC_URL",
                    "expected an http:// or https:// URL",
                ));
            }
            self.public_url = Some(v);
        }
        if let Some(v) = lookup("PORTAL_TRUSTED_PROXIES") {
            self.trusted_proxies = (v.split(',').map(str::trim).filter(|s| !s.is_empty()))
                .map(|ip| ip.parse())
                .collect::<Result<_, _>>()
                .map_err(|_| {
                    env_err(
                        "PORTAL_TRUSTED_PROXIES",
                        "expected IP addresses separated by commas",
                    )
                })?;
        }
        if let Some(v) = lookup("PORTAL_LOGIN_ATTEMPTS_PER_MINUTE") {
            self.login_attempts_per_minute = v
                .parse()
                .ok()
                .filter(|n| (1..=100_000).contains(n))
                .ok_or_else(|| {
                env_err(
                    "PORTAL_LOGIN_ATTEMPTS_PER_MINUTE",
                    "expected a number from 1 to 100000",
                )
            })?;
        }
        if let Some(v) = lookup("PORTAL_LOG_FORMAT") {
            self.log_format = match v.as_str() {
                "pretty" => LogFormat::Pretty,
                "json" => LogFormat::Json,
                _ => return Err(env_err("PORTAL_LOG_FORMAT", "expected pretty or json")),
            };
        }
        if let Some(demo_gateway) =
            gateway::demo_from_env(&lookup).map_err(|(key, message)| env_err(key, &message))?
        {
            self.demo_gateway = Some(demo_gateway);
        }
        if let Some(anchors) = lookup("PORTAL_DEMO_KIOSK_TRUST_ANCHORS") {
            let raw = crate::kiosk::settings::RawKioskSettings {
                origin: lookup("PORTAL_DEMO_KIOSK_ORIGIN"),
                trust_anchors: anchors
                    .split(',')
                    .filter(|p| !p.trim().is_empty())
                    .map(|p| p.trim().into())
                    .collect(),
                nonce_ttl_seconds: None,
            };
            let settings = crate::kiosk::settings::KioskSettings::parse("PORTAL_DEMO_KIOSK", raw)
                .map_err(|errors| {
                env_err("PORTAL_DEMO_KIOSK_TRUST_ANCHORS", &errors.join("; "))
            })?;
            self.demo_kiosk = Some(settings);
        }
        Ok(())
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("portal.sqlite3")
    }

    /// Cookies get the Secure flag when citizens reach the portal over TLS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file() {
        let mut config = Config::default();
        config
            .apply_file("listen = \"127.0.0.1:9000\"\ndata_dir = \"/tmp/a\"")
            .unwrap();
        config
            .apply_env(|k| (k == "PORTAL_LISTEN").then(|| "127.0.0.1:9100".to_owned()))
            .unwrap();
        assert_eq!(config.listen.port(), 9100);
        assert_eq!(config.data_dir, PathBuf::from("/tmp/a"));
    }

    #[test]
    fn errors_name_the_key() {
        let mut config = Config::default();
        let err = config.apply_file("lisen = \"x\"").unwrap_err();
        assert!(err.contains("lisen"), "{err}");
        let err = config
            .apply_env(|k| (k == "PORTAL_LISTEN").then(|| "nonsense".to_owned()))
            .unwrap_err();
        assert!(err.to_string().contains("PORTAL_LISTEN"), "{err}");
        let err = config.apply_file("session_idle_minutes = 0").unwrap_err();
        assert!(err.contains("session_idle_minutes"), "{err}");
    }

    #[test]
    fn the_example_config_file_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("portal.example.toml");
        let mut config = Config::default();
        config
            .apply_file(&std::fs::read_to_string(path).unwrap())
            .unwrap();
        assert_eq!(config.towns.len(), 1);
        assert_eq!(config.towns[0].bank_account, "CZ6508000000192000145399");
        assert_eq!(config.towns[0].logins.len(), 2);
        assert_eq!(
            config.towns[0].gateway.as_ref().unwrap().merchant_id,
            "horni-lhota"
        );
        assert!(config.secure_cookies());
    }

    #[test]
    fn bad_towns_are_named_by_index_and_key() {
        let mut config = Config::default();
        let err = config
            .apply_file("[[town]]\nslug='a'\nname='A'\nico='12345678'\nstreet='s'\ncity='c'\npsc='51234'\nbank_account='CZ00'")
            .unwrap_err();
        assert!(err.contains("town[0].ico"), "{err}");
        assert!(err.contains("town[0].bank_account"), "{err}");
    }

    #[test]
    fn bad_logins_are_named_by_town_login_and_key() {
        let town = "[[town]]\nslug='a'\nname='A'\nico='00298760'\nstreet='s'\ncity='c'\npsc='51234'\nbank_account='19-2000145399/0800'\n";
        let login =
            "[[town.login]]\nid='x'\nkind='oidc'\nname='X'\nclient_id='c'\nclient_secret='s'\n";
        let mut config = Config::default();
        let text = format!("{town}{login}issuer='https://a.example'\n{login}issuer='nope'\n");
        let err = config.apply_file(&text).unwrap_err();
        assert!(err.contains("town[0].login[1].issuer"), "{err}");
        let text =
            format!("{town}{login}issuer='https://a.example'\n{login}issuer='https://b.example'\n");
        let err = Config::default().apply_file(&text).unwrap_err();
        assert!(err.contains("town[0].login[1].id: used twice"), "{err}");
    }

    #[test]
    fn a_town_gateway_is_checked_and_the_demo_one_comes_from_the_environment() {
        let town = "[[town]]\nslug='a'\nname='A'\nico='00298760'\nstreet='s'\ncity='c'\npsc='51234'\nbank_account='19-2000145399/0800'\n";
        let gateway = "[town.gateway]\nmerchant_id='a'\nsecret='0123456789abcdef'\n";
        let mut config = Config::default();
        config
            .apply_file(&format!("{town}{gateway}url='https://gw.example.cz'\n"))
            .unwrap();
        assert_eq!(
            config.towns[0].gateway.as_ref().unwrap().url,
            "https://gw.example.cz"
        );
        let err = Config::default()
            .apply_file(&format!("{town}{gateway}url='http://gw.example.cz'\n"))
            .unwrap_err();
        assert!(err.contains("town[0].gateway.url"), "{err}");
        let err = Config::default()
            .apply_file(&format!(
                "{town}{gateway}url='https://gw.example.cz'\nsecrte='x'\n"
            ))
            .unwrap_err();
        assert!(err.contains("secrte"), "{err}");
        let err = config
            .apply_env(|k| (k == "PORTAL_DEMO_GATEWAY_URL").then(|| "http://example.cz".into()))
            .unwrap_err();
        assert!(err.to_string().contains("PORTAL_DEMO_GATEWAY_URL"), "{err}");
        config
            .apply_env(|k| match k {
                "PORTAL_DEMO_GATEWAY_URL" => Some("http://127.0.0.1:4000".into()),
                "PORTAL_DEMO_GATEWAY_SECRET" => Some("0123456789abcdef".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            config.demo_gateway.as_ref().unwrap().merchant_id,
            "dolni-lhota"
        );
        assert!(!format!("{config:?}").contains("0123456789abcdef"));
    }

    #[test]
    fn https_public_url_makes_cookies_secure() {
        let mut config = Config::default();
        assert!(!config.secure_cookies());
        config.public_url = Some("https://portal.example.cz".into());
        assert!(config.secure_cookies());
    }
}
