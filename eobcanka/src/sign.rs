//! Signing the login challenge with the card's key through PKCS#11.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use portal_domain::wire::{CARD_TOKEN_FORMAT, CardAuthToken};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{PinError, SignError};
use crate::public::pin_block;
use crate::webeid::{Algorithm, signed_data};

/// DER of the named-curve OIDs in `CKA_EC_PARAMS`.
const P256_PARAMS: [u8; 10] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
const P384_PARAMS: [u8; 7] = [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22];

/// A loaded PKCS#11 module (the eObčanka middleware's, or SoftHSM2 in tests).
///
/// The token and key of the inserted card are found by the **certificate's value**: the token
/// whose certificate object (`CKA_VALUE`) equals one of the certificates read from the card
/// ([`crate::read_public`]), and the private key with that object's `CKA_ID`. Token labels are
/// not used: they name the middleware's slot, not the citizen.
pub struct Pkcs11Signer {
    module: Pkcs11,
}

/// Where the key of a card's certificate is: its slot, an open session, the `CKA_ID` of the
/// certificate object, and which of the card's certificates it is.
struct Found<'c> {
    slot: Slot,
    session: Session,
    id: Vec<u8>,
    certificate: &'c [u8],
}

impl Pkcs11Signer {
    /// Loads and initialises the module at `module_path`.
    pub fn open(module_path: impl AsRef<Path>) -> Result<Self, SignError> {
        let module = Pkcs11::new(module_path.as_ref())?;
        match module.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => return Err(e.into()),
        }
        Ok(Self { module })
    }

    /// Logs in with the IOK and signs `H(origin) ‖ H(nonce)` with the key that belongs to one of
    /// `certificates` (DER, as read from the card; the first the module holds), returning Web
    /// eID's token with that certificate. `pin` is wiped
    /// before the module sees it and never logged.
    ///
    /// RSA keys sign SHA-256's `DigestInfo` with `CKM_RSA_PKCS` ("RS256"); EC P-256 and P-384
    /// keys get the SHA-256 / SHA-384 hash of the signed data through `CKM_ECDSA` ("ES256" /
    /// "ES384", raw `r ‖ s`).
    pub fn sign_challenge(
        &self,
        certificates: &[Vec<u8>],
        pin: &mut Zeroizing<String>,
        origin: &str,
        nonce: &str,
    ) -> Result<CardAuthToken, SignError> {
        let checked = pin_block(pin).map(|_| AuthPin::from(pin.as_str()));
        pin.zeroize();
        let auth_pin = checked.map_err(SignError::Pin)?;
        let Found {
            slot,
            session,
            id,
            certificate,
        } = self.find_certificate(certificates)?;
        session
            .login(UserType::User, Some(&auth_pin))
            .map_err(|e| self.login_error(slot, e))?;
        drop(auth_pin);
        let result = sign_with(&session, &id, origin, nonce);
        let _ = session.logout();
        let (algorithm, signature) = result?;
        Ok(CardAuthToken {
            unverified_certificate: STANDARD.encode(certificate),
            algorithm: algorithm.name().to_owned(),
            signature: STANDARD.encode(signature),
            format: CARD_TOKEN_FORMAT.to_owned(),
            app_version: concat!("portal-kiosk/", env!("CARGO_PKG_VERSION")).to_owned(),
        })
    }

    /// The token holding one of `certificates`, first slot first.
    fn find_certificate<'c>(&self, certificates: &'c [Vec<u8>]) -> Result<Found<'c>, SignError> {
        let slots = self
            .module
            .get_slots_with_token()
            .map_err(map_token_error)?;
        if slots.is_empty() {
            return Err(SignError::NoCard);
        }
        for slot in slots {
            let Ok(session) = self.module.open_ro_session(slot) else {
                continue;
            };
            for certificate in certificates {
                let template = [
                    Attribute::Class(ObjectClass::CERTIFICATE),
                    Attribute::Value(certificate.clone()),
                ];
                let Ok(found) = session.find_objects(&template) else {
                    continue;
                };
                let Some(&cert) = found.first() else { continue };
                let attrs = session.get_attributes(cert, &[AttributeType::Id])?;
                let id = attrs.into_iter().find_map(|a| match a {
                    Attribute::Id(id) => Some(id),
                    _ => None,
                });
                return Ok(Found {
                    slot,
                    session,
                    id: id.unwrap_or_default(),
                    certificate,
                });
            }
        }
        Err(SignError::NoMatchingKey)
    }

    fn login_error(&self, slot: Slot, e: CkError) -> SignError {
        match e {
            CkError::Pkcs11(RvError::PinIncorrect, _) => {
                let flags = self
                    .module
                    .get_token_info(slot)
                    .map(|t| (t.user_pin_locked(), t.user_pin_final_try()))
                    .unwrap_or_default();
                SignError::Pin(wrong_pin(flags))
            }
            other => map_token_error(other),
        }
    }
}

/// A wrong PIN by the token's flags after it (locked, final try): a module may answer the try
/// that locks the PIN with `CKR_PIN_INCORRECT` and set the locked flag only.
fn wrong_pin((locked, final_try): (bool, bool)) -> PinError {
    if locked {
        PinError::Blocked
    } else {
        PinError::Wrong {
            tries_left: final_try.then_some(1),
        }
    }
}

/// DER of SHA-256's `DigestInfo` before the hash (RFC 8017 §9.2, note 1).
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// What `CKM_RSA_PKCS` signs for RS256: SHA-256's `DigestInfo` of `data`. Card modules do not
/// all offer `CKM_SHA256_RSA_PKCS` (hashing on the token); every RSA card module offers
/// `CKM_RSA_PKCS`, which web-eid's libelectronic-id uses for all its PKCS#11 cards, the Czech
/// eID among them. The signature is the same.
fn rs256_digest_info(data: &[u8]) -> Vec<u8> {
    let mut out = SHA256_DIGEST_INFO.to_vec();
    out.extend_from_slice(&Algorithm::Rs256.hash(data));
    out
}

/// PKCS#11 failures the kiosk tells apart.
fn map_token_error(e: CkError) -> SignError {
    match e {
        CkError::Pkcs11(rv, _) => match rv {
            RvError::PinIncorrect => SignError::Pin(PinError::Wrong { tries_left: None }),
            RvError::PinLocked | RvError::PinExpired => SignError::Pin(PinError::Blocked),
            RvError::PinLenRange | RvError::PinInvalid => SignError::Pin(PinError::BadFormat),
            RvError::TokenNotPresent
            | RvError::TokenNotRecognized
            | RvError::DeviceRemoved
            | RvError::SlotIdInvalid
            | RvError::SessionHandleInvalid
            | RvError::SessionClosed => SignError::NoCard,
            _ => SignError::Pkcs11(e),
        },
        other => SignError::Pkcs11(other),
    }
}

fn find_key(session: &Session, id: &[u8]) -> Result<ObjectHandle, SignError> {
    let mut template = vec![Attribute::Class(ObjectClass::PRIVATE_KEY)];
    if !id.is_empty() {
        template.push(Attribute::Id(id.to_vec()));
    }
    let keys = session.find_objects(&template).map_err(map_token_error)?;
    keys.first().copied().ok_or(SignError::NoMatchingKey)
}

fn key_algorithm(session: &Session, key: ObjectHandle) -> Result<Algorithm, SignError> {
    let attrs = session
        .get_attributes(key, &[AttributeType::KeyType, AttributeType::EcParams])
        .map_err(map_token_error)?;
    let mut key_type = None;
    let mut params = None;
    for a in attrs {
        match a {
            Attribute::KeyType(t) => key_type = Some(t),
            Attribute::EcParams(p) => params = Some(p),
            _ => {}
        }
    }
    match (key_type, params) {
        (Some(KeyType::RSA), _) => Ok(Algorithm::Rs256),
        (Some(KeyType::EC), Some(p)) if p == P256_PARAMS => Ok(Algorithm::Es256),
        (Some(KeyType::EC), Some(p)) if p == P384_PARAMS => Ok(Algorithm::Es384),
        _ => Err(SignError::UnsupportedKey),
    }
}

fn sign_with(
    session: &Session,
    id: &[u8],
    origin: &str,
    nonce: &str,
) -> Result<(Algorithm, Vec<u8>), SignError> {
    let key = find_key(session, id)?;
    let algorithm = key_algorithm(session, key)?;
    let data = signed_data(algorithm, origin, nonce);
    let signature = match algorithm {
        Algorithm::Rs256 => session.sign(&Mechanism::RsaPkcs, key, &rs256_digest_info(&data)),
        Algorithm::Es256 | Algorithm::Es384 => {
            session.sign(&Mechanism::Ecdsa, key, &algorithm.hash(&data))
        }
    }
    .map_err(map_token_error)?;
    Ok((algorithm, signature))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cryptoki::context::Function;

    fn map(rv: RvError) -> SignError {
        map_token_error(CkError::Pkcs11(rv, Function::Login))
    }

    #[test]
    fn wrong_pins_by_token_flags() {
        assert!(matches!(wrong_pin((true, false)), PinError::Blocked));
        assert!(matches!(wrong_pin((true, true)), PinError::Blocked));
        assert!(matches!(
            wrong_pin((false, true)),
            PinError::Wrong {
                tries_left: Some(1)
            }
        ));
        assert!(matches!(
            wrong_pin((false, false)),
            PinError::Wrong { tries_left: None }
        ));
    }

    #[test]
    fn rs256_signs_sha256_digest_info() {
        let d = rs256_digest_info(b"abc");
        assert_eq!(d.len(), 19 + 32);
        assert_eq!(&d[..19], &SHA256_DIGEST_INFO);
        // SHA-256("abc") begins ba7816bf.
        assert_eq!(&d[19..23], &[0xBA, 0x78, 0x16, 0xBF]);
    }

    #[test]
    fn pkcs11_errors_map_to_what_the_kiosk_shows() {
        assert!(matches!(
            map(RvError::PinIncorrect),
            SignError::Pin(PinError::Wrong { tries_left: None })
        ));
        assert!(matches!(
            map(RvError::PinLocked),
            SignError::Pin(PinError::Blocked)
        ));
        assert!(matches!(
            map(RvError::PinLenRange),
            SignError::Pin(PinError::BadFormat)
        ));
        assert!(matches!(map(RvError::TokenNotPresent), SignError::NoCard));
        assert!(matches!(map(RvError::DeviceRemoved), SignError::NoCard));
        assert!(matches!(map(RvError::GeneralError), SignError::Pkcs11(_)));
    }
}
