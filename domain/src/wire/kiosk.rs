//! The lobby kiosk's conversation with the backend: device registration, profile pick-up and
//! the eObčanka login, modelled on Web eID's authentication token.
//!
//! Login in three steps:
//! 1. the kiosk asks for a [`KioskChallenge`] (a single-use nonce bound to this kiosk, valid a
//!    few minutes);
//! 2. the card signs `H(origin) ‖ H(nonce)` with its authentication key, where `H` is the hash of
//!    the token's `algorithm` (SHA-256 for RS256/ES256/PS256, SHA-384 for ES384) and `origin` is
//!    the challenge's `origin` string exactly; the signature is made with that same algorithm over
//!    the concatenation (so the concatenation is hashed once more, as any RS256/ES256 signature
//!    hashes its input);
//! 3. the kiosk sends a [`CardLoginRequest`]; the backend rebuilds the signed bytes from its own
//!    stored nonce and origin, verifies the certificate (validity, key usage, chain to the town's
//!    trust anchors) and the signature, uses the nonce up, and opens a session at level "high"
//!    bound to the kiosk.
//!
//! Every kiosk request carries the device credential: `Authorization: Kiosk <credential>`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The token format this portal speaks (Web eID's authentication token, version 1.0).
pub const CARD_TOKEN_FORMAT: &str = "web-eid:1.0";

/// Answer of `POST /api/kiosk/challenge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KioskChallenge {
    /// Random, base64; single use.
    pub nonce: String,
    /// The origin the card must sign, e.g. `https://portal.dolni-lhota.cz`.
    pub origin: String,
    pub expires_at: DateTime<Utc>,
}

/// Web eID's authentication token, field names as Web eID spells them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CardAuthToken {
    /// The card's authentication certificate, DER, standard base64. "Unverified": the backend
    /// trusts it only after checking its chain.
    pub unverified_certificate: String,
    /// `RS256`, `PS256`, `ES256` or `ES384`.
    pub algorithm: String,
    /// Standard base64. ECDSA signatures are the raw `r ‖ s` form (as PKCS#11 returns them).
    pub signature: String,
    /// [`CARD_TOKEN_FORMAT`].
    pub format: String,
    /// Free text naming the kiosk software, e.g. `portal-kiosk/0.1.0`.
    #[serde(default)]
    pub app_version: String,
}

/// Body of `POST /api/kiosk/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CardLoginRequest {
    pub nonce: String,
    pub token: CardAuthToken,
}

/// Answer of `GET /api/kiosk/profile`: the profile staff set for this kiosk. The kiosk polls it
/// and applies a new `version` without a restart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KioskProfileBody {
    pub kiosk: String,
    /// Grows by one at every change.
    pub version: i64,
    /// The profile, TOML as `kiosk-config` validates it.
    pub profile: String,
}

/// One kiosk in the back office's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KioskSummary {
    pub id: String,
    pub name: String,
    pub profile_version: i64,
    pub last_contact: Option<DateTime<Utc>>,
    pub registered_at: DateTime<Utc>,
    pub revoked: bool,
}

/// Body of `POST /api/admin/kiosks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewKiosk {
    /// a-z, 0-9, `-`, `_`; at most 64 characters (the profile's `id`).
    pub id: String,
    pub name: String,
    /// The first profile, TOML.
    pub profile: String,
}

/// Answer of `POST /api/admin/kiosks`: the device credential, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KioskCredential {
    pub id: String,
    pub credential: String,
}

/// Answer of `POST /api/kiosk/handoff`: an identity-provider login at the kiosk.
///
/// The provider's pages need a browser, so the kiosk opens its own (a webview) at
/// `/api/auth/{login}/start?next=` + [`KioskHandoff::complete_path`]. Once the visitor has logged
/// in there, that path hands the login over and ends the browser's session; the kiosk, polling
/// `POST /api/kiosk/handoff/{handoff}/claim` with its credential, then gets a session of its own
/// bound to the kiosk (202 while the visitor is still logging in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KioskHandoff {
    /// Random, 64 hex digits; single use, known only to the kiosk and its browser.
    pub handoff: String,
    pub expires_at: DateTime<Utc>,
}

impl KioskHandoff {
    /// Where the browser is sent after the provider's login.
    pub fn complete_path(&self) -> String {
        format!("/api/kiosk/handoff/{}/complete", self.handoff)
    }

    pub fn claim_path(&self) -> String {
        format!("/api/kiosk/handoff/{}/claim", self.handoff)
    }
}
