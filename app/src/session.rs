//! Who is logged in, as the client knows it, and the town whose portal this is.

use crate::api::ApiError;
use portal_domain::wire::{SessionInfo, TownInfo};

#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// Not asked yet, or the answer is on its way.
    Unknown,
    Anonymous,
    Active(SessionInfo),
}

impl Session {
    pub fn info(&self) -> Option<&SessionInfo> {
        match self {
            Session::Active(info) => Some(info),
            _ => None,
        }
    }

    /// The token for state-changing requests; `None` when nobody is logged in.
    pub fn csrf_token(&self) -> Option<String> {
        self.info().map(|i| i.csrf_token.clone())
    }
}

// One value per app, read everywhere: boxing the town would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum TownState {
    Loading,
    Failed(ApiError),
    Ready(TownInfo),
}

impl TownState {
    pub fn ready(&self) -> Option<&TownInfo> {
        match self {
            TownState::Ready(town) => Some(town),
            _ => None,
        }
    }
}

/// What the launcher tells the app about where it runs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlatformConfig {
    /// The backend's origin; `None` on the web, where the page's own origin is used.
    pub backend_url: Option<String>,
    /// Used when the user has not chosen a language yet.
    pub default_language: Option<String>,
    /// Set on the lobby kiosk: the session ends after this long without input.
    pub idle_timeout_seconds: Option<u32>,
    /// PEM CA certificates the kiosk trusts for `backend_url`, instead of the public roots.
    pub trust_anchors_pem: Vec<Vec<u8>>,
    /// The kiosk's device credential (sent as `Authorization: Kiosk …`).
    pub kiosk_credential: Option<Secret>,
}

/// A value that must not show up in logs or debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}
