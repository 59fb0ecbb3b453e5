//! The card's public data and the IOK check.

use std::time::Duration;

use zeroize::{Zeroize, Zeroizing};

use crate::apdu::{
    AID_CARD_MANAGEMENT, AID_FILE_MANAGEMENT, FILE_AUTH_CERTIFICATE, IOK_REFERENCE, PIN_BLOCK_LEN,
    SW_OK, Session, TAG_CARD_NUMBER, TAG_IOK_STATE, TAG_IOK_TRIES, with_card,
};
use crate::error::{CardError, PinError};

/// How long one card operation may take before the card counts as mute.
pub const CARD_TIMEOUT: Duration = Duration::from_secs(4);

/// What anyone holding the card can read without a PIN. **Not authentication.**
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicData {
    /// The card's number as printed on it (ASCII digits).
    pub card_number: String,
    /// The authentication certificate (file `0x0132`), DER.
    pub auth_certificate: Vec<u8>,
    /// IOK tries left before it blocks (0: blocked).
    pub iok_tries_left: u8,
}

fn tries_left(s: &Session<'_>) -> Result<u8, CardError> {
    let state = s.get_data(TAG_IOK_STATE)?;
    if state.first().is_some_and(|b| b & 0x04 != 0) {
        return Ok(0);
    }
    s.get_data(TAG_IOK_TRIES)?
        .first()
        .copied()
        .ok_or(CardError::Status(SW_OK))
}

/// Reads the card number, the authentication certificate and the IOK tries left from the
/// eObčanka in `reader`. Reading them is never authentication (see [`PublicData`]).
pub fn read_public(reader: &str) -> Result<PublicData, CardError> {
    with_card(reader, CARD_TIMEOUT, false, |s| {
        s.select_application(&AID_CARD_MANAGEMENT)?;
        let number = s.get_data(TAG_CARD_NUMBER)?;
        let card_number = String::from_utf8_lossy(&number)
            .trim_end_matches('\0')
            .trim()
            .to_owned();
        let iok_tries_left = tries_left(s)?;
        s.select_application(&AID_FILE_MANAGEMENT)?;
        let auth_certificate = s.read_file(FILE_AUTH_CERTIFICATE)?;
        Ok(PublicData {
            card_number,
            auth_certificate,
            iok_tries_left,
        })
    })
}

/// IOK tries left (0: blocked), e.g. to warn before the last try.
pub fn iok_tries_left(reader: &str) -> Result<u8, CardError> {
    with_card(reader, CARD_TIMEOUT, false, |s| {
        s.select_application(&AID_CARD_MANAGEMENT)?;
        tries_left(s)
    })
}

/// Checks the IOK on the card. The PIN is wiped from `pin` before the card is even contacted
/// (also on [`PinError::BadFormat`]) and the card is reset afterwards, so no verified state
/// stays behind; it is never logged.
pub fn verify_iok(reader: &str, pin: &mut Zeroizing<String>) -> Result<(), PinError> {
    let block = pin_block(pin);
    pin.zeroize();
    let block = block?;
    let result = with_card(reader, CARD_TIMEOUT, true, move |s| {
        s.select_application(&AID_CARD_MANAGEMENT)?;
        let mut apdu = Zeroizing::new(Vec::with_capacity(5 + PIN_BLOCK_LEN));
        apdu.extend_from_slice(&[0x00, 0x20, 0x00, IOK_REFERENCE, PIN_BLOCK_LEN as u8]);
        apdu.extend_from_slice(&block[..]);
        Ok(s.transmit(&apdu)?.sw)
    })?;
    match result {
        SW_OK => Ok(()),
        0x6983 | 0x63C0 => Err(PinError::Blocked),
        sw if sw & 0xFFF0 == 0x63C0 => Err(PinError::Wrong {
            tries_left: Some((sw & 0x0F) as u8),
        }),
        sw => Err(PinError::Card(CardError::Status(sw))),
    }
}

/// Checks the IOK's format (4–10 ASCII digits) and builds its block: the digits padded with `FF`.
pub(crate) fn pin_block(pin: &str) -> Result<Zeroizing<[u8; PIN_BLOCK_LEN]>, PinError> {
    if !(4..=PIN_BLOCK_LEN).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PinError::BadFormat);
    }
    let mut block = Zeroizing::new([0xFF; PIN_BLOCK_LEN]);
    block[..pin.len()].copy_from_slice(pin.as_bytes());
    Ok(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_format() {
        assert!(matches!(pin_block("123"), Err(PinError::BadFormat)));
        assert!(matches!(pin_block("12345678901"), Err(PinError::BadFormat)));
        assert!(matches!(pin_block("12a4"), Err(PinError::BadFormat)));
        assert!(matches!(pin_block("１２３４"), Err(PinError::BadFormat)));
        let b = pin_block("1234").unwrap();
        assert_eq!(&b[..], b"1234\xFF\xFF\xFF\xFF\xFF\xFF");
        assert!(pin_block("1234567890").is_ok());
    }

    #[test]
    fn bad_format_still_wipes_the_pin() {
        let mut pin = Zeroizing::new("12x".to_owned());
        assert!(matches!(
            verify_iok("no such reader", &mut pin),
            Err(PinError::BadFormat)
        ));
        assert!(pin.is_empty());
    }
}
