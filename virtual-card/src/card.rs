//! The card's behaviour: one command APDU in, one response APDU out. No IO.
//!
//! Every constant a real card would define (AIDs, GET DATA tags, file ids, the IOK reference and
//! PIN block) lives here, so a correction from a real card's trace changes one place.

use zeroize::Zeroizing;

/// The eObčanka's ATR (issued since July 2018).
pub const EOBCANKA_ATR: [u8; 19] = [
    0x3B, 0x7E, 0x94, 0x00, 0x00, 0x80, 0x25, 0xD2, 0x03, 0x10, 0x01, 0x00, 0x56, 0x00, 0x00, 0x00,
    0x02, 0x02, 0x00,
];
/// Card-management application (GET DATA, PIN state).
pub const AID_CARD_MANAGEMENT: [u8; 9] = [0xD2, 0x03, 0x10, 0x01, 0x00, 0x01, 0x00, 0x02, 0x02];
/// File-management application (certificate files).
pub const AID_FILE_MANAGEMENT: [u8; 10] =
    [0xD2, 0x03, 0x10, 0x01, 0x00, 0x01, 0x03, 0x02, 0x01, 0x00];
/// Authentication ("authorization" in obcanka-public) certificate file.
pub const FILE_AUTH_CERTIFICATE: u16 = 0x0132;
/// Identification certificate file.
pub const FILE_IDENT_CERTIFICATE: u16 = 0x0001;
/// GET DATA tags (P2; P1 is `01`).
pub const TAG_CARD_NUMBER: u8 = 0x01;
pub const TAG_CERT_SERIAL: u8 = 0x02;
pub const TAG_IOK_STATE: u8 = 0x82;
pub const TAG_IOK_TRIES: u8 = 0x83;
pub const TAG_IOK_MAX_TRIES: u8 = 0x84;
pub const TAG_DOK_STATE: u8 = 0x8B;
pub const TAG_DOK_TRIES: u8 = 0x8C;
pub const TAG_DOK_MAX_TRIES: u8 = 0x8D;
/// The IOK's reference (VERIFY P2).
pub const IOK_REFERENCE: u8 = 0x11;
/// PIN block length: ASCII digits padded with `FF`.
pub const PIN_BLOCK_LEN: usize = 10;
/// Largest READ BINARY chunk the card serves.
pub const MAX_CHUNK: usize = 0xD0;
/// IOK tries before it blocks.
pub const IOK_MAX_TRIES: u8 = 3;

const SW_OK: [u8; 2] = [0x90, 0x00];
const SW_NOT_FOUND: [u8; 2] = [0x6A, 0x82];
const SW_WRONG_LENGTH: [u8; 2] = [0x67, 0x00];
const SW_WRONG_P1P2: [u8; 2] = [0x6B, 0x00];
const SW_NO_EF: [u8; 2] = [0x69, 0x86];
const SW_DATA_NOT_FOUND: [u8; 2] = [0x6A, 0x88];
const SW_BLOCKED: [u8; 2] = [0x69, 0x83];
const SW_INS_UNKNOWN: [u8; 2] = [0x6D, 0x00];
const SW_CLA_UNKNOWN: [u8; 2] = [0x6E, 0x00];
const SW_CONDITIONS: [u8; 2] = [0x69, 0x85];

/// What the card holds.
#[derive(Clone)]
pub struct CardProfile {
    pub card_number: String,
    pub certificate_serial: Vec<u8>,
    /// DER, served from file `0x0132`.
    pub auth_certificate: Vec<u8>,
    /// DER, served from file `0x0001` (the auth certificate again when not given).
    pub ident_certificate: Vec<u8>,
    pub iok: Zeroizing<String>,
}

impl std::fmt::Debug for CardProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardProfile")
            .field("card_number", &self.card_number)
            .field("auth_certificate_len", &self.auth_certificate.len())
            .field("iok", &"<hidden>")
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum App {
    None,
    CardManagement,
    FileManagement,
}

/// The card between power-ups: PIN counter survives, selections do not.
#[derive(Debug)]
pub struct CardState {
    profile: CardProfile,
    tries_left: u8,
    app: App,
    file: Option<u16>,
    /// Answers as a T=0 card: a command with a data field gets `61 xx` and its answer waits
    /// here for GET RESPONSE.
    t0: bool,
    pending: Vec<u8>,
}

impl CardState {
    pub fn new(profile: CardProfile) -> Self {
        Self {
            profile,
            tries_left: IOK_MAX_TRIES,
            app: App::None,
            file: None,
            t0: false,
            pending: Vec::new(),
        }
    }

    /// Power on, power off or reset: selections are forgotten.
    pub fn reset(&mut self) {
        self.app = App::None;
        self.file = None;
        self.pending.clear();
    }

    /// T=0 answers (`61 xx` + GET RESPONSE for commands with a data field), or plain ones.
    pub fn set_t0(&mut self, on: bool) {
        self.t0 = on;
        self.pending.clear();
    }

    pub fn tries_left(&self) -> u8 {
        self.tries_left
    }

    pub fn set_tries_left(&mut self, tries: u8) {
        self.tries_left = tries.min(IOK_MAX_TRIES);
    }

    pub fn set_iok(&mut self, iok: Zeroizing<String>) {
        self.profile.iok = iok;
    }

    /// Answers one command APDU.
    pub fn respond(&mut self, apdu: &[u8]) -> Vec<u8> {
        if self.t0 && apdu.len() == 5 && apdu[..4] == [0x00, 0xC0, 0x00, 0x00] {
            return self.get_response(apdu[4]);
        }
        self.pending.clear();
        let answer = self.answer(apdu);
        // T=0 carries no Le on a command with data: its answer waits for GET RESPONSE.
        if self.t0 && apdu.len() > 5 && answer.len() > 2 && answer.ends_with(&SW_OK) {
            let n = answer.len() - 2;
            self.pending = answer[..n].to_vec();
            return vec![0x61, u8::try_from(n).unwrap_or(0)];
        }
        answer
    }

    fn get_response(&mut self, le: u8) -> Vec<u8> {
        if self.pending.is_empty() {
            return SW_CONDITIONS.to_vec();
        }
        let want = if le == 0 { 256 } else { usize::from(le) };
        if want > self.pending.len() {
            return vec![0x6C, u8::try_from(self.pending.len()).unwrap_or(0)];
        }
        let mut out: Vec<u8> = self.pending.drain(..want).collect();
        match self.pending.len() {
            0 => out.extend_from_slice(&SW_OK),
            n => out.extend_from_slice(&[0x61, u8::try_from(n).unwrap_or(0)]),
        }
        out
    }

    fn answer(&mut self, apdu: &[u8]) -> Vec<u8> {
        if apdu.len() < 4 {
            return SW_WRONG_LENGTH.to_vec();
        }
        let (cla, ins, p1, p2) = (apdu[0], apdu[1], apdu[2], apdu[3]);
        let body = Body::parse(&apdu[4..]);
        match (cla, ins) {
            (0x00, 0xA4) if p1 == 0x04 => self.select_application(body.data),
            (0x00, 0xA4) if p1 == 0x08 || p1 == 0x02 => self.select_file(body.data),
            (0x00, 0xA4) => SW_WRONG_P1P2.to_vec(),
            (0x80, 0xCA) => self.get_data(p1, p2, body.le),
            (0x00, 0xB0) => self.read_binary(p1, p2, body.le),
            (0x00, 0x20) => self.verify(p1, p2, body.data),
            (0x00 | 0x80, _) => SW_INS_UNKNOWN.to_vec(),
            _ => SW_CLA_UNKNOWN.to_vec(),
        }
    }

    fn select_application(&mut self, aid: &[u8]) -> Vec<u8> {
        self.file = None;
        if aid == AID_CARD_MANAGEMENT {
            self.app = App::CardManagement;
        } else if aid == AID_FILE_MANAGEMENT {
            self.app = App::FileManagement;
        } else {
            return SW_NOT_FOUND.to_vec();
        }
        SW_OK.to_vec()
    }

    fn file_content(&self, fid: u16) -> Option<&[u8]> {
        match fid {
            FILE_AUTH_CERTIFICATE => Some(&self.profile.auth_certificate),
            FILE_IDENT_CERTIFICATE => Some(&self.profile.ident_certificate),
            _ => None,
        }
    }

    fn select_file(&mut self, data: &[u8]) -> Vec<u8> {
        let Ok(fid) = <[u8; 2]>::try_from(data) else {
            return SW_WRONG_LENGTH.to_vec();
        };
        let fid = u16::from_be_bytes(fid);
        let content = (self.app == App::FileManagement)
            .then(|| self.file_content(fid))
            .flatten();
        let Some(content) = content else {
            return SW_NOT_FOUND.to_vec();
        };
        let size = u16::try_from(content.len())
            .unwrap_or(u16::MAX)
            .to_be_bytes();
        let fid_bytes = fid.to_be_bytes();
        self.file = Some(fid);
        // FCP template: file size (tag 80) at bytes 4..6, file id (tag 83).
        let mut out = vec![0x62, 0x08, 0x80, 0x02, size[0], size[1], 0x83, 0x02];
        out.extend_from_slice(&fid_bytes);
        out.extend_from_slice(&SW_OK);
        out
    }

    fn read_binary(&self, p1: u8, p2: u8, le: Option<usize>) -> Vec<u8> {
        let Some(content) = self.file.and_then(|fid| self.file_content(fid)) else {
            return SW_NO_EF.to_vec();
        };
        let len = match le {
            Some(n) if (1..=MAX_CHUNK).contains(&n) => n,
            _ => return SW_WRONG_LENGTH.to_vec(),
        };
        if p1 & 0x80 != 0 {
            return SW_WRONG_P1P2.to_vec();
        }
        let offset = usize::from(u16::from_be_bytes([p1, p2]));
        if offset >= content.len() {
            return SW_WRONG_P1P2.to_vec();
        }
        let end = (offset + len).min(content.len());
        let mut out = content[offset..end].to_vec();
        out.extend_from_slice(&SW_OK);
        out
    }

    fn get_data(&self, p1: u8, p2: u8, le: Option<usize>) -> Vec<u8> {
        if self.app != App::CardManagement || p1 != 0x01 {
            return SW_DATA_NOT_FOUND.to_vec();
        }
        let state = if self.tries_left == 0 { 0x04 } else { 0x01 };
        let value: Vec<u8> = match p2 {
            TAG_CARD_NUMBER => self.profile.card_number.as_bytes().to_vec(),
            TAG_CERT_SERIAL => self.profile.certificate_serial.clone(),
            TAG_IOK_STATE => vec![state],
            TAG_IOK_TRIES => vec![self.tries_left],
            TAG_IOK_MAX_TRIES | TAG_DOK_MAX_TRIES | TAG_DOK_TRIES => vec![IOK_MAX_TRIES],
            TAG_DOK_STATE => vec![0x01],
            _ => return SW_DATA_NOT_FOUND.to_vec(),
        };
        match le {
            Some(n) if n != 0 && n != value.len() => {
                vec![0x6C, u8::try_from(value.len()).unwrap_or(0)]
            }
            _ => {
                let mut out = value;
                out.extend_from_slice(&SW_OK);
                out
            }
        }
    }

    fn verify(&mut self, p1: u8, p2: u8, data: &[u8]) -> Vec<u8> {
        if p1 != 0x00 || p2 != IOK_REFERENCE {
            return SW_DATA_NOT_FOUND.to_vec();
        }
        if self.tries_left == 0 {
            return SW_BLOCKED.to_vec();
        }
        if data.is_empty() {
            return vec![0x63, 0xC0 | self.tries_left];
        }
        let given: &[u8] = match data.iter().position(|&b| b == 0xFF) {
            Some(end) if data[end..].iter().all(|&b| b == 0xFF) => &data[..end],
            Some(_) => return vec![0x6A, 0x80],
            None => data,
        };
        if constant_time_eq(given, self.profile.iok.as_bytes()) {
            self.tries_left = IOK_MAX_TRIES;
            SW_OK.to_vec()
        } else {
            self.tries_left -= 1;
            vec![0x63, 0xC0 | self.tries_left]
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Command body after the header: data field and Le (short APDUs only).
struct Body<'a> {
    data: &'a [u8],
    le: Option<usize>,
}

impl<'a> Body<'a> {
    fn parse(rest: &'a [u8]) -> Self {
        match rest {
            [] => Self {
                data: &[],
                le: None,
            },
            [le] => Self {
                data: &[],
                le: Some(usize::from(*le)),
            },
            [lc, tail @ ..] => {
                let lc = usize::from(*lc);
                let data = &tail[..lc.min(tail.len())];
                let le = tail.get(lc).map(|&le| usize::from(le));
                Self { data, le }
            }
        }
    }
}

#[cfg(test)]
mod tests;
