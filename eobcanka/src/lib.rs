//! The lobby kiosk's card layer for the Czech eObčanka (electronic identity card).
//!
//! * [`list_readers`] and [`Watcher`]: readers whose name matches a `*`/`?` pattern, and a
//!   watcher thread sending [`CardEvent`]s (readers added and removed, cards inserted and
//!   removed, pcscd going away and coming back) on a channel.
//! * [`read_public`]: the card number, the authentication certificate and the IOK tries left.
//!   **Reading public data is never authentication**: anyone can read it from a lost card, so
//!   the backend accepts only a signature made by the card's key ([`Pkcs11Signer`]).
//! * [`verify_iok`]: checks the identification PIN (IOK) on the card and reports tries left.
//! * [`Pkcs11Signer`]: signs a Web eID-style challenge (`H(origin) ‖ H(nonce)`) with the card's
//!   authentication key through a PKCS#11 module (the state's `libeopproxyp11.so` in production,
//!   SoftHSM2 in tests) and returns a [`portal_domain::wire::CardAuthToken`].
//!
//! # The kiosk's login flow
//!
//! 1. [`Watcher`] reports `CardInserted`; [`read_public`] gives the certificate and the IOK tries
//!    left (warn before the last one; 0 means blocked, do not ask for the PIN).
//! 2. The visitor types the IOK once; it goes to [`Pkcs11Signer::sign_challenge`] only: the
//!    module verifies it itself (`C_Login`). After [`PinError::Wrong`] ask the card for the tries
//!    left with [`iok_tries_left`] (PKCS#11 does not tell the count).
//! 3. The token goes to the backend; `CardRemoved` ends the session.
//!
//! [`verify_iok`] checks the IOK straight on the card without the middleware (diagnostics and
//! tests); it consumes the PIN like every function here.
//!
//! PINs are taken as `&mut Zeroizing<String>`, wiped as soon as they are turned into a command,
//! and never logged or stored.
//!
//! Card commands run on a short-lived worker thread and give up after [`CARD_TIMEOUT`]
//! ([`CardError::MuteCard`]); a worker stuck on a card that never answers ends when the card is
//! removed. The APDUs follow public sources (ParalelniPolis/obcanka-public); see `apdu.rs` for
//! which of them are confirmed and which are assumptions.

mod apdu;
mod error;
mod pattern;
mod public;
mod readers;
#[cfg(test)]
mod scripted;
mod sign;
mod watch;
mod webeid;

pub use error::{CardError, PinError, SignError};
pub use pattern::matches_pattern;
pub use public::{CARD_TIMEOUT, PublicData, iok_tries_left, read_public, verify_iok};
pub use readers::list_readers;
pub use sign::Pkcs11Signer;
pub use watch::{CardEvent, RETRY, Watcher};
pub use webeid::{Algorithm, signed_data};
