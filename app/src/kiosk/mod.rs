//! The lobby kiosk: the desktop build's screens around the portal.
//!
//! A visitor sees [`welcome::Welcome`] until a card goes into the reader, types the IOK on
//! [`pin::PinPad`], and uses the portal; taking the card out (or [`countdown::Countdown`]
//! running out) ends the visit and erases it. Visitors without a card log in with an identity
//! provider in the kiosk's own browser ([`provider`]). The screens are plain components (rendered in tests
//! without a window); [`frame`] drives them from the card reader (desktop build only).

pub mod countdown;
pub mod exit;
pub mod keyboard;
pub mod pin;
pub mod welcome;

#[cfg(feature = "desktop")]
mod browser;
#[cfg(feature = "desktop")]
mod card;
#[cfg(feature = "desktop")]
pub mod frame;
#[cfg(feature = "desktop")]
mod launch;
#[cfg(feature = "desktop")]
mod provider;
#[cfg(feature = "desktop")]
mod visit;
#[cfg(feature = "desktop")]
pub use launch::launch;

/// What the kiosk shows instead of the portal while nobody is logged in.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// No card (or one that was dealt with): the welcome screen.
    Welcome,
    Reading,
    Pin {
        tries_left: u8,
        /// An i18n key: why the last PIN was refused.
        error: Option<&'static str>,
    },
    Busy,
    /// Something went wrong; an i18n key says what. The visitor takes the card out.
    Problem(&'static str),
    /// The staff exit PIN.
    StaffExit {
        error: Option<&'static str>,
    },
}

/// The reader side of the welcome screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderStatus {
    Ready,
    NoReader,
    ServiceDown,
}

/// Whether a card inserted into `reader` is the kiosk's card, given the reader of the card it
/// holds (if any): one card at a time. A card in a second reader is ignored while the first is
/// in, or the visit would follow the second card and outlive the first one's removal.
pub fn takes_card(current: Option<&str>, reader: &str) -> bool {
    current.is_none_or(|r| r == reader)
}

/// IOK tries left after a wrong IOK: the lowest of what the module said (a "final try" flag),
/// what the card counts, and one less than before. In production the card's count is the
/// truth; the test rig's token keeps a counter of its own.
pub fn tries_after_wrong_pin(before: u8, module: Option<u8>, card: Option<u8>) -> u8 {
    [module, card, Some(before.saturating_sub(1))]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
