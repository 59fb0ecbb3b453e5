//! The rig from the test's side: starting and stopping it, its environment, waiting helpers.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use eobcanka::CardEvent;
use virtual_card::{CardProfile, VirtualCard};
use zeroize::Zeroizing;

pub mod card;
pub mod sign;

/// The IOK of the rig's card and token user PIN.
pub const IOK: &str = "1234";
/// What the scenarios wait for an event at most.
pub const WAIT: Duration = Duration::from_secs(8);

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/kiosk-rig")
        .join(name)
}

/// What is missing for the rig, if anything.
pub fn missing_tools() -> Option<&'static str> {
    let on_path = |tool: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
            || Path::new("/usr/sbin").join(tool).is_file()
    };
    if !on_path("pcscd") {
        return Some("pcscd");
    }
    if !Path::new("/usr/lib/pcsc/drivers/serial/libifdvpcd.so").exists() {
        return Some("vsmartcard-vpcd");
    }
    if !on_path("softhsm2-util") {
        return Some("softhsm2");
    }
    if !on_path("pkcs11-tool") {
        return Some("opensc (pkcs11-tool)");
    }
    if !on_path("openssl") {
        return Some("openssl");
    }
    None
}

/// Runs `start.sh`; the KEY=VALUE lines it prints.
pub fn start() -> Result<BTreeMap<String, String>, String> {
    let out = Command::new("bash")
        .arg(script("start.sh"))
        .env("KIOSK_RIG_IOK", IOK)
        .output()
        .map_err(|e| format!("start.sh: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "start.sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut env = BTreeMap::new();
    for line in text.lines() {
        if let Some((k, v)) = line.split_once('=') {
            // start.sh quotes with printf %q; our values only escape spaces.
            env.insert(k.to_owned(), v.replace("\\ ", " "));
        }
    }
    Ok(env)
}

pub fn stop(rig_dir: &str) {
    let _ = Command::new("bash")
        .arg(script("stop.sh"))
        .arg(rig_dir)
        .status();
}

/// The rig's environment, read in the child process.
pub struct Env {
    pub rig_dir: PathBuf,
    pub vpcd: SocketAddr,
    pub reader: String,
    pub module: String,
    pub card_cert: Vec<u8>,
    pub card_ec_cert: Vec<u8>,
    pub card_p256_cert: Vec<u8>,
    pub ca_der: Vec<u8>,
    pub card_number: String,
}

fn var(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| panic!("{key} not set by the rig"))
}

impl Env {
    pub fn from_env() -> Self {
        let read = |key: &str| std::fs::read(var(key)).unwrap_or_else(|e| panic!("{key}: {e}"));
        let port: u16 = var("VPCD_PORT").parse().expect("VPCD_PORT");
        Self {
            rig_dir: PathBuf::from(var("RIG_DIR")),
            vpcd: SocketAddr::from(([127, 0, 0, 1], port)),
            reader: var("READER"),
            module: var("PKCS11_MODULE"),
            card_cert: read("CARD_CERT_DER"),
            card_ec_cert: read("CARD_EC_CERT_DER"),
            card_p256_cert: read("CARD_P256_CERT_DER"),
            ca_der: read("CA_DER"),
            card_number: var("CARD_NUMBER"),
        }
    }

    /// A virtual eObčanka holding `cert`, not inserted yet.
    pub fn card(&self, cert: &[u8]) -> VirtualCard {
        VirtualCard::new(
            self.vpcd,
            CardProfile {
                card_number: self.card_number.clone(),
                certificate_serial: vec![0x10, 0x20, 0x30, 0x40],
                auth_certificate: cert.to_vec(),
                ident_certificate: cert.to_vec(),
                iok: Zeroizing::new(IOK.to_owned()),
            },
        )
    }
}

/// Waits for the first event `want` accepts, skipping others; panics after [`WAIT`].
pub fn expect(
    rx: &Receiver<CardEvent>,
    what: &str,
    want: impl Fn(&CardEvent) -> bool,
) -> CardEvent {
    let deadline = Instant::now() + WAIT;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(e) if want(&e) => return e,
            Ok(e) => seen.push(e),
            Err(_) => break,
        }
    }
    panic!("no {what} within {WAIT:?}; saw {seen:?}")
}

/// Retries `f` until it returns `Some`, for at most [`WAIT`].
pub fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {WAIT:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Inserts the card and waits until pcscd lets us read it.
pub fn insert_and_wait(env: &Env, card: &VirtualCard) -> eobcanka::PublicData {
    card.insert().expect("connect to vpcd");
    let mut last = None;
    let deadline = Instant::now() + WAIT;
    loop {
        match eobcanka::read_public(&env.reader) {
            Ok(data) => return data,
            Err(e) if Instant::now() > deadline => {
                panic!("card not readable within {WAIT:?}: {e:?} (before: {last:?})")
            }
            Err(e) => last = Some(e),
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Removes the card and waits until pcscd has seen it go, so the next scenario starts clean.
pub fn remove_and_wait(env: &Env, card: &VirtualCard) {
    card.remove();
    eventually("card gone", || {
        matches!(
            eobcanka::read_public(&env.reader),
            Err(eobcanka::CardError::NoCard)
        )
        .then_some(())
    });
}
