//! The bridge from the card layer (`eobcanka`, blocking PC/SC calls on their own threads) to
//! the kiosk's async UI.

use eobcanka::{CardError, CardEvent, Pkcs11Signer, PublicData, SignError, Watcher};
use portal_domain::wire::CardAuthToken;
use std::path::PathBuf;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use zeroize::Zeroizing;

/// Starts watching the readers that match `pattern`; events arrive on the receiver. The
/// watcher stops when dropped.
pub fn watch(pattern: &str) -> std::io::Result<(Watcher, UnboundedReceiver<CardEvent>)> {
    let (sync_tx, sync_rx) = std::sync::mpsc::channel();
    let watcher = Watcher::spawn(pattern, sync_tx)?;
    let (tx, rx) = unbounded_channel();
    std::thread::Builder::new()
        .name("kiosk-card-events".into())
        .spawn(move || {
            while let Ok(event) = sync_rx.recv() {
                if tx.send(event).is_err() {
                    break;
                }
            }
        })?;
    Ok((watcher, rx))
}

/// The i18n key that tells a visitor what went wrong with the card.
pub fn card_problem(error: &CardError) -> &'static str {
    match error {
        CardError::WrongCardType => "kiosk.problem.wrong_type",
        CardError::MuteCard => "kiosk.problem.mute",
        // An eObčanka that cannot identify: identification not activated, or a 2012–2018 card.
        CardError::NoIdentification => "kiosk.problem.no_identification",
        _ => "kiosk.problem.read",
    }
}

pub async fn read_public(reader: String) -> Result<PublicData, CardError> {
    tokio::task::spawn_blocking(move || eobcanka::read_public(&reader))
        .await
        .unwrap_or(Err(CardError::MuteCard))
}

/// IOK tries left, asked of the card (public data, no PIN).
pub async fn iok_tries_left(reader: String) -> Result<u8, CardError> {
    tokio::task::spawn_blocking(move || eobcanka::iok_tries_left(&reader))
        .await
        .unwrap_or(Err(CardError::MuteCard))
}

/// Signs the challenge with the card's key through the PKCS#11 module.
pub async fn sign(
    module: PathBuf,
    certificates: Vec<Vec<u8>>,
    mut pin: Zeroizing<String>,
    origin: String,
    nonce: String,
) -> Result<CardAuthToken, SignError> {
    tokio::task::spawn_blocking(move || {
        let signer = Pkcs11Signer::open(&module)?;
        signer.sign_challenge(&certificates, &mut pin, &origin, &nonce)
    })
    .await
    .unwrap_or(Err(SignError::NoCard))
}
