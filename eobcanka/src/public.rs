//! The card's public data and the IOK check.

use std::time::Duration;

use zeroize::{Zeroize, Zeroizing};

use crate::apdu::{
    AID_CARD_MANAGEMENT, AID_FILE_MANAGEMENT, FILE_AUTH_CERTIFICATE, FILE_IDENT_CERTIFICATE,
    IOK_REFERENCE, PIN_BLOCK_LEN, SW_OK, Session, TAG_CARD_NUMBER, TAG_IOK_STATE, TAG_IOK_TRIES,
    with_card,
};
use crate::error::{CardError, PinError};

/// How long one card operation may take before the card counts as mute.
pub const CARD_TIMEOUT: Duration = Duration::from_secs(4);

/// What anyone holding the card can read without a PIN. **Not authentication.**
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicData {
    /// The card's number as printed on it (ASCII digits).
    pub card_number: String,
    /// The card's certificates, DER: file `0x0132`, then `0x0001` when it is there and differs.
    /// The PKCS#11 module pairs the login key with one of them ([`crate::Pkcs11Signer`]).
    pub certificates: Vec<Vec<u8>>,
    /// IOK tries left before it blocks (0: blocked).
    pub iok_tries_left: u8,
}

/// IOK tries left from the card-management application (selected by the caller): 0 when the
/// state says blocked; [`CardError::NoIdentification`] when the IOK is neither usable nor blocked
/// (never set: the identification was not activated).
fn tries_left(s: &Session<'_>) -> Result<u8, CardError> {
    let state = *s
        .get_data(TAG_IOK_STATE)?
        .first()
        .ok_or(CardError::Garbled)?;
    if state & IOK_BLOCKED != 0 {
        return Ok(0);
    }
    if state & IOK_USABLE == 0 {
        return Err(CardError::NoIdentification);
    }
    s.get_data(TAG_IOK_TRIES)?
        .first()
        .copied()
        .ok_or(CardError::Garbled)
}

/// IOK state bits (GET DATA tag `82`, obcanka-public's `IokState`).
const IOK_USABLE: u8 = 0x01;
const IOK_BLOCKED: u8 = 0x04;

/// What [`read_public`] does once connected.
fn read_public_on(s: &Session<'_>) -> Result<PublicData, CardError> {
    s.select_application(&AID_CARD_MANAGEMENT)?;
    let number = s.get_data(TAG_CARD_NUMBER)?;
    let card_number = String::from_utf8_lossy(&number)
        .trim_end_matches('\0')
        .trim()
        .to_owned();
    let iok_tries_left = tries_left(s)?;
    s.select_application(&AID_FILE_MANAGEMENT)?;
    let mut certificates = Vec::new();
    for file in [FILE_AUTH_CERTIFICATE, FILE_IDENT_CERTIFICATE] {
        match s.read_der_file(file) {
            Ok(der) if !certificates.contains(&der) => certificates.push(der),
            Ok(_) | Err(CardError::NoIdentification) => {}
            Err(e) => return Err(e),
        }
    }
    if certificates.is_empty() {
        return Err(CardError::NoIdentification);
    }
    Ok(PublicData {
        card_number,
        certificates,
        iok_tries_left,
    })
}

/// Reads the card number, the authentication certificate and the IOK tries left from the
/// eObčanka in `reader`. Reading them is never authentication (see [`PublicData`]).
pub fn read_public(reader: &str) -> Result<PublicData, CardError> {
    with_card(reader, CARD_TIMEOUT, false, read_public_on)
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
    with_card(reader, CARD_TIMEOUT, true, move |s| {
        s.select_application(&AID_CARD_MANAGEMENT)?;
        Ok(verify_on(s, &block))
    })?
}

/// VERIFY with a PIN block on the selected card-management application, and what its status
/// word means.
fn verify_on(s: &Session<'_>, block: &[u8; PIN_BLOCK_LEN]) -> Result<(), PinError> {
    let mut apdu = Zeroizing::new(Vec::with_capacity(5 + PIN_BLOCK_LEN));
    apdu.extend_from_slice(&[0x00, 0x20, 0x00, IOK_REFERENCE, PIN_BLOCK_LEN as u8]);
    apdu.extend_from_slice(block);
    match s.transmit(&apdu)?.sw {
        SW_OK => Ok(()),
        0x6983 | 0x63C0 => Err(PinError::Blocked),
        sw if sw & 0xFFF0 == 0x63C0 => Err(PinError::Wrong {
            tries_left: Some((sw & 0x0F) as u8),
        }),
        // Verification failed without a counter.
        0x6300 => Err(PinError::Wrong { tries_left: None }),
        // Reference data not usable: the IOK was never set.
        0x6984 => Err(PinError::Card(CardError::NoIdentification)),
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
    use crate::scripted::{Scripted, der};

    fn verify(card: &Scripted, pin: &str) -> Result<(), PinError> {
        let s = card.session();
        s.select_application(&AID_CARD_MANAGEMENT)?;
        verify_on(&s, &*pin_block(pin)?)
    }

    /// A card whose VERIFY answers `sw`.
    fn verify_answering(sw: [u8; 2]) -> Scripted {
        Scripted::new(der(300))
            .rewrite(move |apdu, answer| Ok(if apdu[1] == 0x20 { sw.to_vec() } else { answer }))
    }

    #[test]
    fn public_data_from_t0_and_t1_cards() {
        for t0 in [false, true] {
            let cert = der(1200);
            let card = Scripted::new(cert.clone());
            let card = if t0 { card.t0() } else { card };
            let data = read_public_on(&card.session()).unwrap();
            assert_eq!(data.card_number, "000123456");
            assert_eq!(data.certificates, std::slice::from_ref(&cert));
            assert_eq!(data.iok_tries_left, 3);
        }
    }

    /// Both certificate files are read (the middleware may pair the login key with either);
    /// one missing is no error, both missing is no identification.
    #[test]
    fn both_certificate_files_are_read() {
        let (auth, ident) = (der(700), der(900));
        let card = Scripted::with_certificates(auth.clone(), ident.clone());
        let data = read_public_on(&card.session()).unwrap();
        assert_eq!(data.certificates, [auth, ident.clone()]);
        let missing = |file: Option<u8>| {
            Scripted::with_certificates(der(700), ident.clone()).rewrite(move |apdu, answer| {
                let select = apdu[..3] == [0x00, 0xA4, 0x08];
                Ok(if select && file.is_none_or(|f| apdu[6] == f) {
                    vec![0x6A, 0x82]
                } else {
                    answer
                })
            })
        };
        let data = read_public_on(&missing(Some(0x32)).session()).unwrap();
        assert_eq!(data.certificates, std::slice::from_ref(&ident));
        assert!(matches!(
            read_public_on(&missing(None).session()),
            Err(CardError::NoIdentification)
        ));
    }

    #[test]
    fn blocked_and_never_activated_ioks() {
        let card = Scripted::new(der(300));
        card.set_tries(0);
        assert_eq!(read_public_on(&card.session()).unwrap().iok_tries_left, 0);
        // IOK state 00: neither usable nor blocked (identification not activated).
        let card = Scripted::new(der(300)).rewrite(|apdu, answer| {
            Ok(if apdu[..4] == [0x80, 0xCA, 0x01, TAG_IOK_STATE] {
                vec![0x00, 0x90, 0x00]
            } else {
                answer
            })
        });
        assert!(matches!(
            read_public_on(&card.session()),
            Err(CardError::NoIdentification)
        ));
        // An empty state or tries answer is garbled, not "blocked" or a panic.
        let card = Scripted::new(der(300)).rewrite(|apdu, answer| {
            Ok(
                if apdu[..3] == [0x80, 0xCA, 0x01] && apdu[3] != TAG_CARD_NUMBER {
                    vec![0x90, 0x00]
                } else {
                    answer
                },
            )
        });
        assert!(matches!(
            read_public_on(&card.session()),
            Err(CardError::Garbled)
        ));
    }

    #[test]
    fn an_eobcanka_without_the_identification_applications() {
        let card = Scripted::new(der(300)).rewrite(|apdu, answer| {
            Ok(if apdu[..3] == [0x00, 0xA4, 0x04] {
                vec![0x6A, 0x82]
            } else {
                answer
            })
        });
        assert!(matches!(
            read_public_on(&card.session()),
            Err(CardError::NoIdentification)
        ));
    }

    #[test]
    fn verify_status_words() {
        let card = Scripted::new(der(300));
        assert!(verify(&card, "4682").is_ok());
        assert!(matches!(
            verify(&card, "0000"),
            Err(PinError::Wrong {
                tries_left: Some(2)
            })
        ));
        assert!(matches!(
            verify(&verify_answering([0x63, 0xC0]), "0000"),
            Err(PinError::Blocked)
        ));
        assert!(matches!(
            verify(&verify_answering([0x69, 0x83]), "0000"),
            Err(PinError::Blocked)
        ));
        assert!(matches!(
            verify(&verify_answering([0x63, 0x00]), "0000"),
            Err(PinError::Wrong { tries_left: None })
        ));
        assert!(matches!(
            verify(&verify_answering([0x69, 0x84]), "0000"),
            Err(PinError::Card(CardError::NoIdentification))
        ));
        let garbled = Scripted::new(der(300))
            .rewrite(|apdu, answer| Ok(if apdu[1] == 0x20 { vec![0x63] } else { answer }));
        assert!(matches!(
            verify(&garbled, "0000"),
            Err(PinError::Card(CardError::Garbled))
        ));
        // The PIN never reaches a log of commands unpadded: it goes in its 10-byte block.
        assert!(
            card.log
                .borrow()
                .iter()
                .all(|a| a[1] != 0x20 || a.len() == 15)
        );
    }

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
