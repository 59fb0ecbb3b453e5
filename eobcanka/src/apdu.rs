//! APDUs to the eObčanka and the worker that runs them with a deadline.
//!
//! Confirmed by public sources (ParalelniPolis/obcanka-public `Card.java`): the ATR, both AIDs
//! and `SELECT 00 A4 04 0C`; GET DATA `80 CA 01 tag` with tags `01` card number (ASCII), `02`
//! certificate serial, `82` IOK state (bit `01` usable, bit `04` blocked), `83` IOK tries left
//! and the `6C xx` retry; selecting a certificate file with `00 A4 08 00 02 FID` (answer
//! possibly `61 xx` + GET RESPONSE; size in bytes 4..6 of the answer) and READ BINARY in
//! `0xD0`-byte chunks; the IOK's reference `0x11` and its PIN block (ASCII padded with `FF` to
//! 10 bytes) from CHANGE REFERENCE DATA.
//! Assumed (not public; the state's middleware sends it): VERIFY `00 20 00 11 0A block`
//! answering `63 Cx` / `69 83` as ISO 7816-4 says.

use std::ffi::CString;
use std::sync::mpsc;
use std::time::Duration;

use pcsc::{Card, Disposition, Error, Protocols, ShareMode};

use crate::error::CardError;
use crate::readers::establish;

pub(crate) const ATR_PREFIX: [u8; 11] = [
    0x3B, 0x7E, 0x94, 0x00, 0x00, 0x80, 0x25, 0xD2, 0x03, 0x10, 0x01,
];
pub(crate) const AID_CARD_MANAGEMENT: [u8; 9] =
    [0xD2, 0x03, 0x10, 0x01, 0x00, 0x01, 0x00, 0x02, 0x02];
pub(crate) const AID_FILE_MANAGEMENT: [u8; 10] =
    [0xD2, 0x03, 0x10, 0x01, 0x00, 0x01, 0x03, 0x02, 0x01, 0x00];
pub(crate) const FILE_AUTH_CERTIFICATE: u16 = 0x0132;
pub(crate) const TAG_CARD_NUMBER: u8 = 0x01;
pub(crate) const TAG_IOK_STATE: u8 = 0x82;
pub(crate) const TAG_IOK_TRIES: u8 = 0x83;
pub(crate) const IOK_REFERENCE: u8 = 0x11;
pub(crate) const PIN_BLOCK_LEN: usize = 10;
const CHUNK: usize = 0xD0;

pub(crate) const SW_OK: u16 = 0x9000;

/// A response APDU split into data and status word.
pub(crate) struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

/// Whether an ATR is the eObčanka's (its first 11 bytes: interface bytes and the issuer's
/// historical bytes `80 25 D2 03 10 01`; the rest may vary with the chip's version).
pub(crate) fn is_eobcanka_atr(atr: &[u8]) -> bool {
    atr.len() >= ATR_PREFIX.len() && atr[..ATR_PREFIX.len()] == ATR_PREFIX
}

fn map_connect_error(e: Error) -> CardError {
    match e {
        Error::UnknownReader | Error::ReaderUnavailable | Error::NoReadersAvailable => {
            CardError::NoReader
        }
        Error::NoSmartcard | Error::RemovedCard => CardError::NoCard,
        Error::UnresponsiveCard | Error::UnpoweredCard | Error::Timeout => CardError::MuteCard,
        Error::UnsupportedCard | Error::CardUnsupported => CardError::WrongCardType,
        other => CardError::Pcsc(other),
    }
}

/// Map of transmit failures: a card pulled mid-command is "no card", one that stopped talking
/// is mute.
fn map_transmit_error(e: Error) -> CardError {
    match e {
        Error::NotTransacted | Error::CommError => CardError::MuteCard,
        other => map_connect_error(other),
    }
}

/// An open connection to an eObčanka.
pub(crate) struct Session<'a> {
    card: &'a Card,
}

impl Session<'_> {
    pub fn transmit(&self, apdu: &[u8]) -> Result<Response, CardError> {
        let mut buf = [0u8; pcsc::MAX_BUFFER_SIZE];
        let raw = self
            .card
            .transmit(apdu, &mut buf)
            .map_err(map_transmit_error)?;
        let resp = split(raw)?;
        buf.fill(0);
        match resp.sw >> 8 {
            // Wrong Le: send again with the length the card asked for.
            0x6C if apdu.len() >= 5 => {
                let mut again = apdu.to_vec();
                let last = again.len() - 1;
                again[last] = (resp.sw & 0xFF) as u8;
                let raw = self
                    .card
                    .transmit(&again, &mut buf)
                    .map_err(map_transmit_error)?;
                split(raw)
            }
            // T=0: more data waiting, fetch it with GET RESPONSE.
            0x61 => {
                let mut data = resp.data;
                let mut sw = resp.sw;
                while sw >> 8 == 0x61 {
                    let get = [0x00, 0xC0, 0x00, 0x00, (sw & 0xFF) as u8];
                    let raw = self
                        .card
                        .transmit(&get, &mut buf)
                        .map_err(map_transmit_error)?;
                    let next = split(raw)?;
                    data.extend_from_slice(&next.data);
                    sw = next.sw;
                }
                Ok(Response { data, sw })
            }
            _ => Ok(resp),
        }
    }

    /// SELECT by AID; a refusal means this is not an eObčanka.
    pub fn select_application(&self, aid: &[u8]) -> Result<(), CardError> {
        let mut apdu = vec![0x00, 0xA4, 0x04, 0x0C, aid.len() as u8];
        apdu.extend_from_slice(aid);
        match self.transmit(&apdu)?.sw {
            SW_OK => Ok(()),
            _ => Err(CardError::WrongCardType),
        }
    }

    /// GET DATA from the card-management application (selected by the caller).
    pub fn get_data(&self, tag: u8) -> Result<Vec<u8>, CardError> {
        let r = self.transmit(&[0x80, 0xCA, 0x01, tag, 0x00])?;
        match r.sw {
            SW_OK => Ok(r.data),
            sw => Err(CardError::Status(sw)),
        }
    }

    /// Reads a whole transparent file of the file-management application.
    pub fn read_file(&self, fid: u16) -> Result<Vec<u8>, CardError> {
        let [hi, lo] = fid.to_be_bytes();
        let r = self.transmit(&[0x00, 0xA4, 0x08, 0x00, 0x02, hi, lo])?;
        if r.sw != SW_OK {
            return Err(CardError::Status(r.sw));
        }
        let size = file_size(&r.data).ok_or(CardError::Status(r.sw))?;
        let mut out = Vec::with_capacity(size);
        while out.len() < size {
            let [oh, ol] = u16::try_from(out.len())
                .map_err(|_| CardError::Status(0))?
                .to_be_bytes();
            let want = (size - out.len()).min(CHUNK) as u8;
            let r = self.transmit(&[0x00, 0xB0, oh, ol, want])?;
            if r.sw != SW_OK || r.data.is_empty() {
                return Err(CardError::Status(r.sw));
            }
            out.extend_from_slice(&r.data);
        }
        out.truncate(size);
        Ok(out)
    }
}

fn split(raw: &[u8]) -> Result<Response, CardError> {
    match raw.len() {
        0 | 1 => Err(CardError::MuteCard),
        n => Ok(Response {
            data: raw[..n - 2].to_vec(),
            sw: u16::from_be_bytes([raw[n - 2], raw[n - 1]]),
        }),
    }
}

/// The file size from a SELECT answer: tag `80` inside an FCP (`62`) template, else bytes 4..6
/// as obcanka-public reads them.
fn file_size(fcp: &[u8]) -> Option<usize> {
    if fcp.first() == Some(&0x62) {
        let mut i = 2;
        while i + 1 < fcp.len() {
            let (tag, len) = (fcp[i], usize::from(fcp[i + 1]));
            let value = fcp.get(i + 2..i + 2 + len)?;
            if tag == 0x80 && !value.is_empty() {
                return Some(
                    value
                        .iter()
                        .fold(0usize, |acc, &b| acc << 8 | usize::from(b)),
                );
            }
            i += 2 + len;
        }
    }
    fcp.get(4..6)
        .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
}

/// Connects to the eObčanka in `reader`, runs `job` inside a transaction on a worker thread and
/// waits at most `timeout`. The card is reset afterwards when `reset` (no PIN state left behind).
pub(crate) fn with_card<T, F>(
    reader: &str,
    timeout: Duration,
    reset: bool,
    job: F,
) -> Result<T, CardError>
where
    T: Send + 'static,
    F: FnOnce(&Session<'_>) -> Result<T, CardError> + Send + 'static,
{
    let reader = CString::new(reader).map_err(|_| CardError::NoReader)?;
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("eobcanka-card".into())
        .spawn(move || {
            let _ = tx.send(run_job(&reader, reset, job));
        })
        .map_err(|_| CardError::Pcsc(Error::NoMemory))?;
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(CardError::MuteCard),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(CardError::Pcsc(Error::InternalError)),
    }
}

fn run_job<T>(
    reader: &CString,
    reset: bool,
    job: impl FnOnce(&Session<'_>) -> Result<T, CardError>,
) -> Result<T, CardError> {
    let ctx = establish()?;
    let mut card = ctx
        .connect(reader, ShareMode::Shared, Protocols::ANY)
        .map_err(map_connect_error)?;
    let atr = card
        .status2_owned()
        .map_err(map_connect_error)?
        .atr()
        .to_vec();
    if !is_eobcanka_atr(&atr) {
        return Err(CardError::WrongCardType);
    }
    let result = {
        let tx = card.transaction().map_err(map_connect_error)?;
        let session = Session { card: &tx };
        let r = job(&session);
        let _ = tx.end(if reset {
            Disposition::ResetCard
        } else {
            Disposition::LeaveCard
        });
        r
    };
    let _ = card.disconnect(if reset {
        Disposition::ResetCard
    } else {
        Disposition::LeaveCard
    });
    result
}
