//! Portál občana města: one Dioxus app, built for the web (PWA) and for the lobby kiosk.

// Without a platform feature the binary only exists for `cargo test`, and nothing launches the app.
#![cfg_attr(not(any(feature = "web", feature = "desktop")), allow(dead_code))]

mod api;
mod app;
mod dashboard;
mod help;
mod i18n;
#[cfg(feature = "office")]
mod kiosks;
mod layout;
mod login;
#[cfg(not(feature = "office"))]
mod office_stub;
mod payments;
mod platform;
mod profile;
mod routes;
mod session;
mod settings;
#[cfg(feature = "office")]
mod staff;
#[cfg(feature = "office")]
mod staff_payments;

#[cfg(test)]
mod tests;

#[cfg(all(feature = "web", not(feature = "desktop")))]
fn main() {
    dioxus::launch(app::App);
}

#[cfg(not(target_arch = "wasm32"))]
mod kiosk;

#[cfg(feature = "desktop")]
fn main() {
    kiosk::launch();
}

#[cfg(not(any(feature = "web", feature = "desktop")))]
fn main() {
    eprintln!("portal-app: build with --features web (wasm32) or --features desktop (kiosk)");
}
