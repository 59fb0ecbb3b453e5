//! The connection to vpcd and the handle tests drive: [`VirtualCard`].

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::card::{CardProfile, CardState, EOBCANKA_ATR};

/// vpcd's default port (its first reader, "Virtual PCD 00 00").
pub const DEFAULT_VPCD_PORT: u16 = 35963;

const CTRL_OFF: u8 = 0;
const CTRL_ON: u8 = 1;
const CTRL_RESET: u8 = 2;
const CTRL_ATR: u8 = 4;

struct Shared {
    card: Mutex<CardState>,
    atr: Mutex<Vec<u8>>,
    muted: AtomicBool,
}

struct Connection {
    stream: TcpStream,
    thread: JoinHandle<()>,
}

/// A virtual eObčanka: [`insert`](Self::insert) connects it to vpcd, [`remove`](Self::remove)
/// disconnects. The PIN counter survives removal, as on a real card.
pub struct VirtualCard {
    vpcd: SocketAddr,
    shared: Arc<Shared>,
    connection: Mutex<Option<Connection>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl VirtualCard {
    pub fn new(vpcd: SocketAddr, profile: CardProfile) -> Self {
        Self {
            vpcd,
            shared: Arc::new(Shared {
                card: Mutex::new(CardState::new(profile)),
                atr: Mutex::new(EOBCANKA_ATR.to_vec()),
                muted: AtomicBool::new(false),
            }),
            connection: Mutex::new(None),
        }
    }

    /// Connects to vpcd; the reader reports a card within its polling interval. Inserting an
    /// inserted card is a no-op.
    pub fn insert(&self) -> io::Result<()> {
        let mut conn = lock(&self.connection);
        if let Some(c) = conn.as_ref() {
            if !c.thread.is_finished() {
                return Ok(());
            }
        }
        if let Some(old) = conn.take() {
            let _ = old.thread.join();
        }
        let stream = TcpStream::connect_timeout(&self.vpcd, Duration::from_secs(2))?;
        stream.set_nodelay(true)?;
        let reader = stream.try_clone()?;
        let shared = Arc::clone(&self.shared);
        let thread = std::thread::Builder::new()
            .name("virtual-card".into())
            .spawn(move || serve(reader, &shared))?;
        *conn = Some(Connection { stream, thread });
        Ok(())
    }

    /// Closes the connection: vpcd reports the card removed.
    pub fn remove(&self) {
        if let Some(c) = lock(&self.connection).take() {
            let _ = c.stream.shutdown(Shutdown::Both);
            let _ = c.thread.join();
        }
        lock(&self.shared.card).reset();
    }

    pub fn is_inserted(&self) -> bool {
        lock(&self.connection)
            .as_ref()
            .is_some_and(|c| !c.thread.is_finished())
    }

    /// A muted card keeps answering power and ATR requests but leaves command APDUs unanswered.
    pub fn set_muted(&self, muted: bool) {
        self.shared.muted.store(muted, Ordering::SeqCst);
    }

    pub fn is_muted(&self) -> bool {
        self.shared.muted.load(Ordering::SeqCst)
    }

    pub fn set_tries_left(&self, tries: u8) {
        lock(&self.shared.card).set_tries_left(tries);
    }

    pub fn tries_left(&self) -> u8 {
        lock(&self.shared.card).tries_left()
    }

    pub fn set_iok(&self, iok: Zeroizing<String>) {
        lock(&self.shared.card).set_iok(iok);
    }

    /// T=0 answers: `61 xx` + GET RESPONSE for commands with a data field.
    pub fn set_t0(&self, on: bool) {
        lock(&self.shared.card).set_t0(on);
    }

    /// The ATR the card answers with (a wrong card type when it is not the eObčanka's).
    pub fn set_atr(&self, atr: Vec<u8>) {
        *lock(&self.shared.atr) = atr;
    }
}

impl Drop for VirtualCard {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Answers vpcd until it or the card closes the connection.
fn serve(mut stream: TcpStream, shared: &Shared) {
    let mut out = stream.try_clone().ok();
    while let Ok(msg) = read_frame(&mut stream) {
        let answer = match msg.as_slice() {
            [CTRL_OFF] | [CTRL_ON] | [CTRL_RESET] => {
                lock(&shared.card).reset();
                None
            }
            [CTRL_ATR] => Some(lock(&shared.atr).clone()),
            [_] => None,
            apdu if shared.muted.load(Ordering::SeqCst) => {
                let _ = apdu;
                None
            }
            apdu => Some(lock(&shared.card).respond(apdu)),
        };
        if let (Some(answer), Some(out)) = (answer, out.as_mut()) {
            if write_frame(out, &answer).is_err() {
                break;
            }
        }
    }
}

fn read_frame(stream: &mut impl Read) -> io::Result<Zeroizing<Vec<u8>>> {
    let mut len = [0u8; 2];
    stream.read_exact(&mut len)?;
    // APDUs may carry the PIN: the buffer is wiped when dropped.
    let mut buf = Zeroizing::new(vec![0u8; usize::from(u16::from_be_bytes(len))]);
    stream.read_exact(&mut buf)?;
    Ok(buf)
}

fn write_frame(stream: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let len = u16::try_from(payload.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "frame too long"))?;
    let mut frame = Vec::with_capacity(payload.len() + 2);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(payload);
    stream.write_all(&frame)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn profile() -> CardProfile {
        CardProfile {
            card_number: "000111222".into(),
            certificate_serial: vec![9],
            auth_certificate: vec![0x30, 0x03, 0x02, 0x01, 0x01],
            ident_certificate: vec![0x30, 0x00],
            iok: Zeroizing::new("1234".into()),
        }
    }

    #[test]
    fn speaks_vpcd_framing_and_mutes() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let card = VirtualCard::new(listener.local_addr().unwrap(), profile());
        card.insert().unwrap();
        let (mut vpcd, _) = listener.accept().unwrap();
        write_frame(&mut vpcd, &[CTRL_ON]).unwrap();
        write_frame(&mut vpcd, &[CTRL_ATR]).unwrap();
        assert_eq!(*read_frame(&mut vpcd).unwrap(), EOBCANKA_ATR.to_vec());
        write_frame(&mut vpcd, &[0x00, 0x88, 0x00, 0x00]).unwrap();
        assert_eq!(*read_frame(&mut vpcd).unwrap(), vec![0x6D, 0x00]);
        card.set_muted(true);
        write_frame(&mut vpcd, &[0x00, 0x88, 0x00, 0x00]).unwrap();
        vpcd.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        assert!(read_frame(&mut vpcd).is_err());
        card.remove();
        assert!(!card.is_inserted());
    }
}
