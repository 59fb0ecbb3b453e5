//! Errors the kiosk shows to the visitor, each with its own message.

/// Reading from the card failed.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("no card reader")]
    NoReader,
    #[error("no card in the reader")]
    NoCard,
    /// The card does not answer (no ATR, or a command not answered in time).
    #[error("the card does not answer")]
    MuteCard,
    /// The ATR is not the eObčanka's, or the card refused the eObčanka's applications.
    #[error("not an eObčanka")]
    WrongCardType,
    /// An eObčanka without a usable identification: its IOK was never set (the electronic
    /// identification is optional and activated on request) or it holds no identification
    /// certificate (cards issued from 2012 to June 2018 carry at most a signing certificate).
    #[error("the card's electronic identification is not activated")]
    NoIdentification,
    /// The card's answers make no sense: cut short, endless `61 xx` / `6C xx`, a certificate
    /// that is not DER or too big.
    #[error("the card's answer is garbled")]
    Garbled,
    /// The card answered a command with an unexpected status word.
    #[error("the card answered {0:04X}")]
    Status(u16),
    #[error("PC/SC: {0}")]
    Pcsc(#[from] pcsc::Error),
}

/// Checking the IOK failed.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    /// `tries_left` is the card's own count when it tells it (the card's `63 Cx`, or a PKCS#11
    /// token's "final try" flag); `None` when the module does not say.
    #[error("wrong PIN")]
    Wrong { tries_left: Option<u8> },
    #[error("the PIN is blocked")]
    Blocked,
    /// The IOK is 4 to 10 digits.
    #[error("the PIN must be 4 to 10 digits")]
    BadFormat,
    #[error(transparent)]
    Card(#[from] CardError),
}

/// Signing through PKCS#11 failed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(transparent)]
    Pin(PinError),
    /// No token present (the card is out, or the middleware does not see it).
    #[error("no card token")]
    NoCard,
    /// Tokens are present, but none holds this card's certificate and its private key.
    #[error("no key for this card")]
    NoMatchingKey,
    #[error("unsupported key type")]
    UnsupportedKey,
    #[error("PKCS#11: {0}")]
    Pkcs11(#[from] cryptoki::error::Error),
}
