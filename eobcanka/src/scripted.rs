//! Scripted cards for unit tests: the virtual eObčanka's answers, optionally as a T=0 card
//! (`61 xx` + GET RESPONSE) and rewritten by a test to play a broken or different card.

use std::cell::RefCell;

use virtual_card::{CardProfile, CardState};
use zeroize::Zeroizing;

use crate::apdu::{Session, Transport};
use crate::error::CardError;

type Rewrite = Box<dyn FnMut(&[u8], Vec<u8>) -> Result<Vec<u8>, CardError>>;

pub(crate) struct Scripted {
    card: RefCell<CardState>,
    rewrite: RefCell<Rewrite>,
    /// Every command sent, in order.
    pub log: RefCell<Vec<Vec<u8>>>,
}

/// A DER-shaped certificate of `len` bytes in all (a SEQUENCE header and filler).
pub(crate) fn der(len: usize) -> Vec<u8> {
    let body = len - 4;
    let mut out = vec![0x30, 0x82, (body >> 8) as u8, body as u8];
    out.extend((0..body).map(|i| (i % 251) as u8));
    out
}

impl Scripted {
    pub fn new(certificate: Vec<u8>) -> Self {
        Self::with_certificates(certificate.clone(), certificate)
    }

    /// A card with different certificates in files `0x0132` and `0x0001`.
    pub fn with_certificates(auth: Vec<u8>, ident: Vec<u8>) -> Self {
        Self {
            card: RefCell::new(CardState::new(CardProfile {
                card_number: "000123456".into(),
                certificate_serial: vec![1, 2, 3, 4],
                auth_certificate: auth,
                ident_certificate: ident,
                iok: Zeroizing::new("4682".into()),
            })),
            rewrite: RefCell::new(Box::new(|_, answer| Ok(answer))),
            log: RefCell::new(Vec::new()),
        }
    }

    /// A T=0 card: a command with a data field gets `61 xx` and its data through GET RESPONSE.
    pub fn t0(self) -> Self {
        self.card.borrow_mut().set_t0(true);
        self
    }

    /// Every answer goes through `f(command, answer)` first.
    pub fn rewrite(
        self,
        f: impl FnMut(&[u8], Vec<u8>) -> Result<Vec<u8>, CardError> + 'static,
    ) -> Self {
        *self.rewrite.borrow_mut() = Box::new(f);
        self
    }

    pub fn set_tries(&self, n: u8) {
        self.card.borrow_mut().set_tries_left(n);
    }

    pub fn session(&self) -> Session<'_> {
        Session { card: self }
    }
}

impl Transport for Scripted {
    fn exchange(&self, apdu: &[u8]) -> Result<Vec<u8>, CardError> {
        self.log.borrow_mut().push(apdu.to_vec());
        let answer = self.card.borrow_mut().respond(apdu);
        (self.rewrite.borrow_mut())(apdu, answer)
    }
}
