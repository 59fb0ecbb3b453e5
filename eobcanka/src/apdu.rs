//! APDUs to the eObčanka and the worker that runs them with a deadline.
//!
//! The ATRs are in pcsc-tools' `smartcard_list.txt` (Czech ID cards of 2012 and of 7/2018).
//! Confirmed by public sources (ParalelniPolis/obcanka-public `Card.java`): both AIDs
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
use std::time::{Duration, Instant};

use pcsc::{Card, Disposition, Error, Protocols, ShareMode};

use crate::error::CardError;
use crate::readers::establish;

pub(crate) const AID_CARD_MANAGEMENT: [u8; 9] =
    [0xD2, 0x03, 0x10, 0x01, 0x00, 0x01, 0x00, 0x02, 0x02];
pub(crate) const AID_FILE_MANAGEMENT: [u8; 10] =
    [0xD2, 0x03, 0x10, 0x01, 0x00, 0x01, 0x03, 0x02, 0x01, 0x00];
pub(crate) const FILE_AUTH_CERTIFICATE: u16 = 0x0132;
/// obcanka-public calls `0x0132` "authorization" (its subject: the document number) and
/// `0x0001` "identification" (names, birth number). Which one the middleware pairs with the
/// login key is not documented, so both are read and the signer takes the one it finds.
pub(crate) const FILE_IDENT_CERTIFICATE: u16 = 0x0001;
pub(crate) const TAG_CARD_NUMBER: u8 = 0x01;
pub(crate) const TAG_IOK_STATE: u8 = 0x82;
pub(crate) const TAG_IOK_TRIES: u8 = 0x83;
pub(crate) const IOK_REFERENCE: u8 = 0x11;
pub(crate) const PIN_BLOCK_LEN: usize = 10;
const CHUNK: usize = 0xD0;

pub(crate) const SW_OK: u16 = 0x9000;
/// READ BINARY: end of file reached before `Le` bytes (the bytes that were there come along).
const SW_END_OF_FILE: u16 = 0x6282;
const SW_WRONG_LENGTH: u16 = 0x6700;
const SW_WRONG_OFFSET: u16 = 0x6B00;
const SW_FILE_NOT_FOUND: u16 = 0x6A82;
const SW_REFERENCE_NOT_FOUND: u16 = 0x6A88;
/// GET RESPONSE rounds after one command (`61 xx` chains); a card that keeps asking is garbled.
const MAX_GET_RESPONSE: usize = 32;
/// The largest certificate file read (the eObčanka's are 1–2 KiB; READ BINARY offsets stop at
/// `0x7FFF`).
pub(crate) const MAX_FILE: usize = 0x4000;

/// A response APDU split into data and status word.
pub(crate) struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

/// One command APDU out, the raw response APDU (data, SW1, SW2) back. PC/SC in the kiosk,
/// scripted cards in the unit tests.
pub(crate) trait Transport {
    fn exchange(&self, apdu: &[u8]) -> Result<Vec<u8>, CardError>;
}

impl Transport for Card {
    fn exchange(&self, apdu: &[u8]) -> Result<Vec<u8>, CardError> {
        let mut buf = [0u8; pcsc::MAX_BUFFER_SIZE];
        let raw = self
            .transmit(apdu, &mut buf)
            .map_err(map_transmit_error)
            .map(<[u8]>::to_vec);
        buf.fill(0);
        raw
    }
}

/// Whether an ATR is the eObčanka's: its historical bytes carry the issuer's registered
/// application provider id `D2 03 10 01` (`D2` national, `203` Czech Republic), as in the
/// 2018 card's `80 25 D2 03 10 01 00 56 00 00 00 02 02 00` and the 2012 card's `… 01 01 00`;
/// pcsc-tools' smartcard_list also lists a Czech eID with `02 03 10 01`. The interface bytes
/// before them (clock rate, T=0 or T=1) may differ between chip generations and are not
/// compared; Gemalto cards with the same interface bytes and `80 25 A0 00 00 00 28 …` are
/// other cards (bank certificate cards, ISIC).
pub(crate) fn is_eobcanka_atr(atr: &[u8]) -> bool {
    historical_bytes(atr).is_some_and(|h| h.windows(4).any(|w| ISSUERS.contains(&w)))
}

const ISSUERS: [&[u8]; 2] = [&[0xD2, 0x03, 0x10, 0x01], &[0x02, 0x03, 0x10, 0x01]];

/// The historical bytes of an ATR (ISO/IEC 7816-3 §8.2), `None` when it is cut short.
pub(crate) fn historical_bytes(atr: &[u8]) -> Option<&[u8]> {
    let t0 = *atr.get(1)?;
    let k = usize::from(t0 & 0x0F);
    let mut y = t0 >> 4;
    let mut i = 2;
    loop {
        // TA, TB, TC present by bits 5..7 of Y; TD (bit 8) links to the next group.
        i += usize::from((y & 0x07).count_ones() as u8);
        if y & 0x08 == 0 {
            break;
        }
        y = *atr.get(i)? >> 4;
        i += 1;
    }
    atr.get(i..i + k)
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
    pub(crate) card: &'a dyn Transport,
}

impl Session<'_> {
    fn exchange(&self, apdu: &[u8]) -> Result<Response, CardError> {
        split(&self.card.exchange(apdu)?)
    }

    /// Sends a command; a `6C xx` (wrong Le) is sent again with the length the card asked for,
    /// and `61 xx` (T=0: more data waiting) is fetched with GET RESPONSE, both bounded.
    pub fn transmit(&self, apdu: &[u8]) -> Result<Response, CardError> {
        let mut first = self.exchange(apdu)?;
        if first.sw >> 8 == 0x6C {
            // Only a command that carries Le can be corrected; anything else keeps its status.
            let Some(again) = with_le(apdu, (first.sw & 0xFF) as u8) else {
                return Ok(first);
            };
            first = self.exchange(&again)?;
            if first.sw >> 8 == 0x6C {
                return Err(CardError::Garbled);
            }
        }
        let Response { mut data, mut sw } = first;
        let mut rounds = 0;
        while sw >> 8 == 0x61 {
            rounds += 1;
            if rounds > MAX_GET_RESPONSE {
                return Err(CardError::Garbled);
            }
            let mut next = self.exchange(&[0x00, 0xC0, 0x00, 0x00, (sw & 0xFF) as u8])?;
            if next.sw >> 8 == 0x6C {
                next = self.exchange(&[0x00, 0xC0, 0x00, 0x00, (next.sw & 0xFF) as u8])?;
            }
            data.extend_from_slice(&next.data);
            sw = next.sw;
        }
        Ok(Response { data, sw })
    }

    /// SELECT by AID. The card's ATR said eObčanka already, so a card that refuses the
    /// application is one without the identification (the 2012–2018 generation carries at most
    /// a signing certificate).
    pub fn select_application(&self, aid: &[u8]) -> Result<(), CardError> {
        let mut apdu = vec![0x00, 0xA4, 0x04, 0x0C, aid.len() as u8];
        apdu.extend_from_slice(aid);
        match self.transmit(&apdu)?.sw {
            SW_OK => Ok(()),
            _ => Err(CardError::NoIdentification),
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

    /// Reads a certificate file of the file-management application: one DER object, cut to the
    /// length its header gives (a file may be bigger than what it holds).
    pub fn read_der_file(&self, fid: u16) -> Result<Vec<u8>, CardError> {
        let [hi, lo] = fid.to_be_bytes();
        let mut r = self.transmit(&[0x00, 0xA4, 0x08, 0x00, 0x02, hi, lo])?;
        // A case-3 SELECT answers its FCP on T=0 (through 61 xx); over T=1 a card may want Le.
        if r.sw == SW_WRONG_LENGTH || (r.sw == SW_OK && r.data.is_empty()) {
            r = self.transmit(&[0x00, 0xA4, 0x08, 0x00, 0x02, hi, lo, 0x00])?;
        }
        match r.sw {
            SW_OK => {}
            SW_FILE_NOT_FOUND | SW_REFERENCE_NOT_FOUND => return Err(CardError::NoIdentification),
            sw => return Err(CardError::Status(sw)),
        }
        let declared = file_size(&r.data).filter(|&n| n > 0);
        if declared.is_some_and(|n| n > MAX_FILE) {
            return Err(CardError::Garbled);
        }
        let mut end = declared.unwrap_or(MAX_FILE);
        let mut out = Vec::new();
        while out.len() < end {
            let offset = out.len();
            let want = (end - offset).min(CHUNK);
            let [oh, ol] = (offset as u16).to_be_bytes();
            let r = self.transmit(&[0x00, 0xB0, oh, ol, want as u8])?;
            match r.sw {
                SW_OK | SW_END_OF_FILE if !r.data.is_empty() => {
                    out.extend_from_slice(&r.data[..r.data.len().min(want)]);
                }
                // A file of unknown size ends where the card says so.
                SW_END_OF_FILE | SW_WRONG_OFFSET if declared.is_none() && offset > 0 => break,
                SW_OK | SW_END_OF_FILE => return Err(CardError::Garbled),
                sw => return Err(CardError::Status(sw)),
            }
            match der_length(&out) {
                Der::Length(n) if n > out.len().max(end) && declared.is_some() => {
                    return Err(CardError::Garbled);
                }
                Der::Length(n) if n > MAX_FILE => return Err(CardError::Garbled),
                Der::Length(n) => end = n,
                Der::Invalid => return Err(CardError::Garbled),
                Der::Short => {}
            }
            if r.sw == SW_END_OF_FILE {
                break;
            }
        }
        match der_length(&out) {
            Der::Length(n) if n <= out.len() => {
                out.truncate(n);
                Ok(out)
            }
            _ => Err(CardError::Garbled),
        }
    }
}

/// The command again with `le` as its Le, for a short command that has one (case 2 or 4).
fn with_le(apdu: &[u8], le: u8) -> Option<Vec<u8>> {
    let has_le = match apdu.len() {
        5 => true,
        n if n > 5 && apdu[4] != 0 => n == 6 + usize::from(apdu[4]),
        _ => false,
    };
    has_le.then(|| {
        let mut again = apdu.to_vec();
        let last = again.len() - 1;
        again[last] = le;
        again
    })
}

fn split(raw: &[u8]) -> Result<Response, CardError> {
    match raw.len() {
        0 | 1 => Err(CardError::Garbled),
        n => Ok(Response {
            data: raw[..n - 2].to_vec(),
            sw: u16::from_be_bytes([raw[n - 2], raw[n - 1]]),
        }),
    }
}

/// The file size from a SELECT answer: tag `80` (or `81`) inside an FCP (`62`) template, else
/// bytes 4..6 as obcanka-public reads them.
fn file_size(fcp: &[u8]) -> Option<usize> {
    if fcp.first() == Some(&0x62) {
        // The template's own length may take one (`L`) or two (`81 L`) bytes.
        let mut i = if fcp.get(1) == Some(&0x81) { 3 } else { 2 };
        while i + 1 < fcp.len() {
            let (tag, len) = (fcp[i], usize::from(fcp[i + 1]));
            let value = fcp.get(i + 2..i + 2 + len)?;
            if (tag == 0x80 || tag == 0x81) && (1..=4).contains(&value.len()) {
                return Some(
                    value
                        .iter()
                        .fold(0usize, |acc, &b| acc << 8 | usize::from(b)),
                );
            }
            i += 2 + len;
        }
        return None;
    }
    fcp.get(4..6)
        .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
}

/// What the start of a DER object says about its length.
#[derive(Debug, PartialEq, Eq)]
enum Der {
    /// Header and value take this many bytes.
    Length(usize),
    /// Not enough bytes yet to tell.
    Short,
    /// Not a DER SEQUENCE (a certificate is one).
    Invalid,
}

fn der_length(bytes: &[u8]) -> Der {
    match bytes {
        [] | [_] => Der::Short,
        [0x30, n, ..] if *n < 0x80 => Der::Length(2 + usize::from(*n)),
        [0x30, n @ 0x81..=0x83, rest @ ..] => {
            let k = usize::from(n & 0x7F);
            match rest.get(..k) {
                Some(len) => Der::Length(
                    2 + k + len.iter().fold(0usize, |acc, &b| acc << 8 | usize::from(b)),
                ),
                None => Der::Short,
            }
        }
        _ => Der::Invalid,
    }
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

/// Connects in shared mode; while another program holds the card exclusively (the middleware
/// signing), tries again for a while.
fn connect(ctx: &pcsc::Context, reader: &CString) -> Result<Card, CardError> {
    let started = Instant::now();
    loop {
        match ctx.connect(reader, ShareMode::Shared, Protocols::ANY) {
            Err(Error::SharingViolation) if started.elapsed() < SHARING_WAIT => {
                std::thread::sleep(Duration::from_millis(100));
            }
            other => return other.map_err(map_connect_error),
        }
    }
}

/// How long [`connect`] waits for a card another program holds.
const SHARING_WAIT: Duration = Duration::from_secs(2);

fn run_job<T>(
    reader: &CString,
    reset: bool,
    job: impl FnOnce(&Session<'_>) -> Result<T, CardError>,
) -> Result<T, CardError> {
    let ctx = establish()?;
    let mut card = connect(&ctx, reader)?;
    let atr = card
        .status2_owned()
        .map_err(map_connect_error)?
        .atr()
        .to_vec();
    if !is_eobcanka_atr(&atr) {
        return Err(CardError::WrongCardType);
    }
    let result = {
        // Another program (the middleware) may have reset the card since we connected.
        if let Err(Error::ResetCard) = card.transaction().map(drop) {
            card.reconnect(ShareMode::Shared, Protocols::ANY, Disposition::LeaveCard)
                .map_err(map_connect_error)?;
        }
        let tx = card.transaction().map_err(map_connect_error)?;
        let session = Session { card: &*tx };
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

#[cfg(test)]
#[path = "apdu_tests.rs"]
mod tests;
