//! The lobby kiosk: a full-screen, undecorated window configured by a kiosk profile.

use crate::app::App;
use crate::session::{PlatformConfig, Secret};
use dioxus::desktop::tao::window::Fullscreen;
use dioxus::desktop::{Config, LogicalSize, WindowBuilder};
use kiosk_config::KioskProfile;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What the kiosk's screens need besides the portal's own context.
#[derive(Clone)]
pub struct KioskContext {
    /// The profile the kiosk started with; the back office's changes replace it while running.
    pub profile: KioskProfile,
    /// The PKCS#11 module that signs with the card (the eObčanka middleware's).
    pub pkcs11_module: PathBuf,
    /// False without a device credential: then no card login is possible.
    pub registered: bool,
    pub profile_poll: Duration,
}

/// The eObčanka middleware's PKCS#11 module (eObčanka "eOP" software for Linux).
const DEFAULT_PKCS11_MODULE: &str = "libeopproxyp11.so";

const DEFAULT_PROFILE: &str = "kiosk-config/examples/lobby.toml";
// No asset server on the kiosk: the stylesheet travels inside the binary.
/// The web client's style sheets, in the order index.html links them.
const CSS: [&str; 4] = [
    include_str!("../../../assets/styles/portal.css"),
    include_str!("../../../assets/styles/components.css"),
    include_str!("../../../assets/styles/features.css"),
    include_str!("../../../assets/styles/sizes.css"),
];
/// The kiosk's own screens (welcome, PIN pad, keyboard, contrast and text size).
const KIOSK_CSS: &str = include_str!("../../../assets/styles/kiosk.css");

pub fn launch() {
    let path = std::env::var("PORTAL_KIOSK_PROFILE")
        .ok()
        .or_else(|| std::env::args().nth(1))
        .unwrap_or_else(|| DEFAULT_PROFILE.to_string());
    let profile = match kiosk_config::KioskProfile::load(&path) {
        Ok(profile) => profile,
        Err(error) => {
            eprintln!("portal-app: cannot load kiosk profile {path}: {error}");
            std::process::exit(2);
        }
    };

    let mut window = WindowBuilder::new()
        .with_title("Portál občana")
        .with_decorations(false)
        .with_inner_size(LogicalSize::new(
            profile.window.width as f64,
            profile.window.height as f64,
        ));
    if profile.window.fullscreen {
        window = window.with_fullscreen(Some(Fullscreen::Borderless(None)));
    }
    let config = Config::new()
        .with_window(window)
        .with_menu(None)
        .with_disable_context_menu(true)
        .with_custom_head(format!("<style>{}{KIOSK_CSS}</style>", CSS.concat()));

    let mut trust_anchors_pem = Vec::new();
    for anchor in &profile.trust_anchors {
        match std::fs::read(anchor) {
            Ok(pem) => trust_anchors_pem.push(pem),
            Err(error) => {
                eprintln!(
                    "portal-app: cannot read trust anchor {}: {error}",
                    anchor.display()
                );
                std::process::exit(2);
            }
        }
    }
    let credential = read_credential(Path::new(&path));
    let platform = PlatformConfig {
        backend_url: Some(profile.backend_url.clone()),
        default_language: Some(profile.default_language.clone()),
        idle_timeout_seconds: Some(profile.idle_timeout_seconds),
        trust_anchors_pem,
        kiosk_credential: credential.clone().map(Secret),
    };
    let kiosk = KioskContext {
        profile,
        pkcs11_module: std::env::var_os("PORTAL_KIOSK_PKCS11_MODULE")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_PKCS11_MODULE)),
        registered: credential.is_some(),
        profile_poll: Duration::from_secs(
            std::env::var("PORTAL_KIOSK_PROFILE_POLL_SECONDS")
                .ok()
                .and_then(|s| s.parse().ok())
                .filter(|s| *s > 0)
                .unwrap_or(30),
        ),
    };
    dioxus::LaunchBuilder::desktop()
        .with_cfg(config)
        .with_context(platform)
        .with_context(kiosk)
        .launch(App);
}

/// The device credential an admin issued for this kiosk: the file named by
/// `PORTAL_KIOSK_CREDENTIAL_FILE`, else `credential` beside the profile. Kept out of the profile,
/// which staff see and edit in the back office.
fn read_credential(profile_path: &Path) -> Option<String> {
    let file = std::env::var_os("PORTAL_KIOSK_CREDENTIAL_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            profile_path
                .parent()
                .unwrap_or(Path::new("."))
                .join("credential")
        });
    match std::fs::read_to_string(&file) {
        Ok(text) => {
            let credential = text.trim().to_owned();
            let valid = credential.len() == 64 && credential.bytes().all(|b| b.is_ascii_hexdigit());
            if !valid {
                eprintln!(
                    "portal-app: {} does not hold a kiosk credential",
                    file.display()
                );
            }
            valid.then_some(credential)
        }
        Err(_) => {
            eprintln!(
                "portal-app: no kiosk credential at {}: card login is off",
                file.display()
            );
            None
        }
    }
}
