//! JSON bodies of the portal's HTTP API, shared by the client and the server.
//!
//! Summaries carry numbers, not sentences: the client words them in the user's language.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The body of every error response: a stable `code`, a human `message` (English; the client
/// translates by code) and, for invalid input, one entry per offending field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub fields: Vec<FieldErrorBody>,
    /// With code `loa_required`: the level of assurance the action needs. The client offers a
    /// login at a provider that gives it and comes back to the action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_loa: Option<Loa>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldErrorBody {
    /// The JSON field name, e.g. `email`.
    pub field: String,
    /// A [`crate::ParseError`] code, e.g. `email.invalid`.
    pub code: String,
    pub message: String,
}

/// The portal's modules. A town enables the ones it uses; each has a dashboard tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Module {
    /// Local fees and other obligations, paid by QR Platba or card.
    Payments,
    /// Forms for life situations and the electronic filing office (podatelna).
    Filing,
    /// Appointments at a counter.
    Bookings,
    /// Grant calls and applications (dotace).
    Subsidies,
    /// Messages from the town office.
    Notifications,
}

impl Module {
    pub const ALL: [Module; 5] = [
        Module::Payments,
        Module::Filing,
        Module::Bookings,
        Module::Subsidies,
        Module::Notifications,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Module::Payments => "payments",
            Module::Filing => "filing",
            Module::Bookings => "bookings",
            Module::Subsidies => "subsidies",
            Module::Notifications => "notifications",
        }
    }

    pub fn parse(text: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

impl std::fmt::Display for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A module name that is not one of [`Module::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown module {0:?}; expected one of: payments, filing, bookings, subsidies, notifications"
)]
pub struct UnknownModule(pub String);

impl std::str::FromStr for Module {
    type Err = UnknownModule;

    fn from_str(text: &str) -> Result<Module, UnknownModule> {
        Module::parse(text).ok_or_else(|| UnknownModule(text.to_owned()))
    }
}

/// Level of assurance of a login, on the eIDAS scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Loa {
    Low,
    Substantial,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Citizen,
    Official,
    Admin,
    KioskDevice,
}

/// A way to log in that a town offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LoginKind {
    /// Fictitious people of the demo town; exists only in demo mode.
    Demo,
    Nia,
    BankId,
    MojeId,
    EObcanka,
    /// Any other OpenID Connect provider a town configures; listed under its `name`.
    Oidc,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginMethod {
    /// Identifier used in login URLs, e.g. `demo` or `nia`.
    pub id: String,
    pub kind: LoginKind,
    /// The town's own label (required for `oidc`, optional for the others).
    #[serde(default)]
    pub name: Option<String>,
    /// The highest level of assurance this way in can give (for step-up).
    pub max_loa: Loa,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Address {
    pub street: String,
    pub city: String,
    /// Five digits, no space (see [`crate::Psc`]).
    pub psc: String,
}

/// Public facts about the town whose portal this is. Needs no login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TownInfo {
    pub slug: String,
    pub name: String,
    pub ico: String,
    pub address: Address,
    /// Path or URL of the coat of arms image.
    pub coat_of_arms_url: Option<String>,
    /// The town's account for fees, as an IBAN.
    pub bank_account: String,
    pub modules: Vec<Module>,
    pub login_methods: Vec<LoginMethod>,
    /// The office's opening hours as the town writes them, one line each (e.g. "Po, St
    /// 8:00–17:00"); shown on the kiosk's welcome screen. Empty when not configured.
    #[serde(default)]
    pub opening_hours: Vec<String>,
    /// True when the server runs the demo town: every screen shows a demo banner.
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SessionInfo {
    pub citizen_id: i64,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub loa: Loa,
    /// Send back as the `X-CSRF-Token` header on every state-changing request.
    pub csrf_token: String,
    /// True for a demo login.
    pub demo: bool,
}

/// A fictitious person of the demo town, offered on the demo login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DemoPersona {
    pub id: String,
    pub display_name: String,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DemoLoginRequest {
    pub persona: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Dashboard {
    pub tiles: Vec<Tile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Tile {
    pub module: Module,
    pub summary: TileSummary,
}

/// What a tile says, as numbers. Amounts are in haléř.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TileSummary {
    Payments {
        unpaid_count: u32,
        unpaid_total_halere: i64,
        next_due: Option<NaiveDate>,
    },
    Filing {
        open_submissions: u32,
    },
    Bookings {
        upcoming: u32,
        next_at: Option<DateTime<Utc>>,
    },
    Subsidies {
        open_calls: u32,
        my_applications: u32,
    },
    Notifications {
        unread: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Profile {
    pub citizen_id: i64,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub address: Option<Address>,
    pub contact: ContactSettings,
    pub identities: Vec<LinkedIdentity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LinkedIdentity {
    pub id: i64,
    /// The provider's issuer (identities are unique per issuer and subject).
    pub provider: String,
    /// The town's login this identity came through (`None` for the demo or a login since
    /// removed from the configuration).
    pub login_id: Option<String>,
    pub kind: Option<LoginKind>,
    pub linked_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// The citizen's contact details. Both optional; when present they must parse as
/// [`crate::Email`] and [`crate::PhoneNumber`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactSettings {
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    pub status: String,
}

/// The answer to a logout. When the session came from a provider that offers RP-initiated
/// logout, the browser goes there next so the provider's session ends too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LogoutResult {
    pub provider_logout_url: Option<String>,
}

/// A staff role granted in this town, as the back office lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StaffGrant {
    pub id: i64,
    /// The person's portal account number (shown on their profile page).
    pub account: i64,
    pub display_name: String,
    pub role: Role,
    /// For an official: the module they work in; `None` means every module.
    pub module: Option<Module>,
    pub granted_at: DateTime<Utc>,
}

/// An admin grants a role to the person with this portal account number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewStaffGrant {
    pub account: i64,
    /// `official` or `admin`.
    pub role: Role,
    #[serde(default)]
    pub module: Option<Module>,
}

mod kiosk;
mod payments;
pub use kiosk::*;
pub use payments::*;
