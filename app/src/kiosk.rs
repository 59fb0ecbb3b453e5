//! The lobby kiosk: a full-screen, undecorated window configured by a kiosk profile.

use crate::app::App;
use crate::session::PlatformConfig;
use dioxus::desktop::tao::window::Fullscreen;
use dioxus::desktop::{Config, LogicalSize, WindowBuilder};

const DEFAULT_PROFILE: &str = "kiosk-config/examples/lobby.toml";
// No asset server on the kiosk: the stylesheet travels inside the binary.
/// The web client's style sheets, in the order index.html links them.
const CSS: [&str; 4] = [
    include_str!("../../assets/styles/portal.css"),
    include_str!("../../assets/styles/components.css"),
    include_str!("../../assets/styles/features.css"),
    include_str!("../../assets/styles/sizes.css"),
];

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
        .with_custom_head(format!("<style>{}</style>", CSS.concat()));

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
    let platform = PlatformConfig {
        backend_url: Some(profile.backend_url.clone()),
        default_language: Some(profile.default_language.clone()),
        idle_timeout_seconds: Some(profile.idle_timeout_seconds),
        trust_anchors_pem,
    };
    dioxus::LaunchBuilder::desktop()
        .with_cfg(config)
        .with_context(platform)
        .launch(App);
}
