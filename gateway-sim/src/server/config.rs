//! The simulator's settings and the command line that fills them.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// One merchant account: its id and the shared secret that signs everything.
#[derive(Clone, PartialEq, Eq)]
pub struct Merchant {
    pub id: String,
    pub secret: String,
}

impl Merchant {
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Merchant {
        Merchant {
            id: id.into(),
            secret: secret.into(),
        }
    }
}

impl std::fmt::Debug for Merchant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret, not even in a debug dump.
        f.debug_struct("Merchant")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// How notifications are retried: attempt n (from 1) waits `backoff * 2^(n-1)` (at most
/// `backoff_max`) before attempt n+1; after `attempts` failures the gateway gives up.
#[derive(Clone, Debug)]
pub struct NotifyConfig {
    pub attempts: u32,
    pub backoff: Duration,
    pub backoff_max: Duration,
    /// One attempt's time limit (connect + answer).
    pub timeout: Duration,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            attempts: 8,
            backoff: Duration::from_millis(500),
            backoff_max: Duration::from_secs(60),
            timeout: Duration::from_secs(5),
        }
    }
}

impl NotifyConfig {
    /// The wait after failed attempt `attempt` (1-based).
    pub fn delay_after(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(20);
        self.backoff.saturating_mul(factor).min(self.backoff_max)
    }
}

#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub merchants: Vec<Merchant>,
    /// Serve `/_test/…` (fault injection, listing). Never on a shared machine.
    pub test_controls: bool,
    /// Keep the state in this JSON file (rewritten after every change) instead of memory only.
    pub state_file: Option<PathBuf>,
    /// The address browsers reach the simulator at (payer page links), when not the listen one.
    pub public_url: Option<String>,
    /// A payment nobody acts on turns `expired` after this long.
    pub expire_after: Duration,
    pub notify: NotifyConfig,
}

impl Config {
    /// Defaults: 127.0.0.1 on any free port, no test controls, memory only, 15 min expiry.
    pub fn new(merchants: Vec<Merchant>) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            merchants,
            test_controls: false,
            state_file: None,
            public_url: None,
            expire_after: Duration::from_secs(15 * 60),
            notify: NotifyConfig::default(),
        }
    }

    /// Reads the command line (without the program name). `Ok(None)` means `--help` was asked.
    pub fn from_args(args: impl IntoIterator<Item = OsString>) -> Result<Option<Config>, String> {
        let mut config = Config::new(Vec::new());
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let arg = arg
                .into_string()
                .map_err(|a| format!("argument {a:?} is not UTF-8"))?;
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ => (arg.clone(), None),
            };
            if flag == "--help" || flag == "-h" {
                return Ok(None);
            }
            if flag == "--test-controls" {
                config.test_controls = true;
                continue;
            }
            let mut value = || -> Result<String, String> {
                inline
                    .clone()
                    .or_else(|| args.next().and_then(|v| v.into_string().ok()))
                    .ok_or_else(|| format!("{flag}: a value is missing"))
            };
            match flag.as_str() {
                "--listen" => {
                    let v = value()?;
                    config.listen = v
                        .parse()
                        .map_err(|_| format!("--listen: {v:?} is not an address:port"))?;
                }
                "--merchant" => config.merchants.push(parse_merchant(&value()?)?),
                "--state" => config.state_file = Some(PathBuf::from(value()?)),
                "--public-url" => {
                    let v = value()?;
                    check_base_url(&v).map_err(|e| format!("--public-url: {e}"))?;
                    config.public_url = Some(v.trim_end_matches('/').to_owned());
                }
                "--expire-after" => config.expire_after = duration(&flag, &value()?)?,
                "--notify-attempts" => {
                    let v = value()?;
                    config.notify.attempts = v
                        .parse()
                        .ok()
                        .filter(|n| (1..=100).contains(n))
                        .ok_or_else(|| format!("--notify-attempts: {v:?} is not 1 to 100"))?;
                }
                "--notify-backoff" => config.notify.backoff = duration(&flag, &value()?)?,
                "--notify-backoff-max" => config.notify.backoff_max = duration(&flag, &value()?)?,
                "--notify-timeout" => config.notify.timeout = duration(&flag, &value()?)?,
                _ => return Err(format!("{flag}: unknown option (see --help)")),
            }
        }
        if config.merchants.is_empty() {
            return Err("--merchant: at least one ID:SECRET is required".into());
        }
        Ok(Some(config))
    }
}

pub const USAGE: &str = "\
gateway-sim: a card payment gateway simulator (see PROTOCOL.md)

usage: gateway-sim --merchant ID:SECRET [--merchant ID:SECRET ...] [options]

  --listen ADDR:PORT          where to listen (default 127.0.0.1:0, any free port)
  --merchant ID:SECRET        a merchant account; the secret signs requests and notifications
  --test-controls             serve /_test/... (fault injection) for tests
  --state FILE                keep payments in this JSON file (default: memory only)
  --public-url URL            the simulator's address as browsers see it
  --expire-after DURATION     unpaid payments expire after this (default 15m)
  --notify-attempts N         notification attempts before giving up (default 8)
  --notify-backoff DURATION   wait after the first failed attempt, doubling (default 500ms)
  --notify-backoff-max DURATION  longest wait between attempts (default 60s)
  --notify-timeout DURATION   time limit of one attempt (default 5s)

DURATION is a whole number with ms, s, m or h (e.g. 500ms, 30s, 15m).
Prints {\"listening\":\"http://HOST:PORT\"} on stdout once it accepts connections.
Logs go to stderr (RUST_LOG filters).
";

fn parse_merchant(value: &str) -> Result<Merchant, String> {
    let Some((id, secret)) = value.split_once(':') else {
        return Err("--merchant: expected ID:SECRET (no ':' found)".into());
    };
    if !id_is_valid(id) {
        return Err(format!(
            "--merchant: id {id:?} must be 1 to 64 characters of A-Z a-z 0-9 . _ -"
        ));
    }
    if secret.chars().count() < 8 {
        return Err(format!(
            "--merchant: the secret of {id:?} must have at least 8 characters"
        ));
    }
    Ok(Merchant::new(id, secret))
}

/// Merchant ids, merchant order ids and refund ids share one alphabet.
pub fn id_is_valid(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

pub fn check_base_url(text: &str) -> Result<(), String> {
    let url = url::Url::parse(text).map_err(|e| format!("{text:?} is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("{text:?} is not an http(s) URL with a host"));
    }
    Ok(())
}

fn duration(flag: &str, value: &str) -> Result<Duration, String> {
    let digits = value.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &value[digits.len()..];
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{flag}: {value:?} is not a duration like 500ms, 30s, 15m"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "s" => Ok(Duration::from_secs(n)),
        "m" => Ok(Duration::from_secs(n * 60)),
        "h" => Ok(Duration::from_secs(n * 3600)),
        _ => Err(format!(
            "{flag}: {value:?} needs a unit: ms, s, m or h (e.g. 30s)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Option<Config>, String> {
        Config::from_args(list.iter().map(OsString::from))
    }

    #[test]
    fn flags_and_errors_name_the_flag() {
        let c = args(&[
            "--merchant",
            "town:0123456789",
            "--listen=127.0.0.1:9",
            "--test-controls",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(c.merchants[0].id, "town");
        assert!(c.test_controls);
        assert_eq!(c.listen.port(), 9);
        assert!(args(&[]).unwrap_err().starts_with("--merchant:"));
        assert!(
            args(&["--merchant", "x"])
                .unwrap_err()
                .starts_with("--merchant:")
        );
        let short = args(&["--merchant", "x:short"]).unwrap_err();
        assert!(
            short.starts_with("--merchant:") && !short.contains("short\""),
            "{short}"
        );
        assert!(
            args(&["--listen", "nope", "--merchant", "a:12345678"])
                .unwrap_err()
                .starts_with("--listen:")
        );
        assert!(
            args(&["--expire-after", "5", "--merchant", "a:12345678"])
                .unwrap_err()
                .starts_with("--expire-after:")
        );
        assert!(args(&["--bogus"]).unwrap_err().starts_with("--bogus:"));
        assert!(args(&["--state"]).unwrap_err().starts_with("--state:"));
        assert!(args(&["-h"]).unwrap().is_none());
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let n = NotifyConfig {
            backoff: Duration::from_millis(500),
            backoff_max: Duration::from_secs(3),
            ..NotifyConfig::default()
        };
        let waits: Vec<_> = (1..=5).map(|a| n.delay_after(a).as_millis()).collect();
        assert_eq!(waits, [500, 1000, 2000, 3000, 3000]);
    }
}
