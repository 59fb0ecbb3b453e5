//! A virtual eObčanka (Czech electronic identity card) for the `vsmartcard-vpcd` virtual reader.
//! **A test tool**: it holds no secrets and must never run on a real kiosk (vpcd itself listens on
//! every interface).
//!
//! The card process connects to vpcd (`127.0.0.1:35963` by default) and speaks vpcd's protocol:
//! every message is a 2-byte big-endian length followed by the payload; a 1-byte payload is a
//! control message (`0` power off, `1` power on, `2` reset, `4` get ATR: the card answers with
//! its ATR), anything longer is a command APDU that the card answers with a response APDU.
//! Connecting is "inserting the card", closing the connection is "removing" it.
//!
//! # What the card answers ([`card`])
//!
//! | command | answer |
//! | --- | --- |
//! | `00 A4 04 0C Lc AID` SELECT card-management / file-management application | `90 00`; another AID `6A 82` |
//! | `80 CA 01 P2 Le` GET DATA (card-management application) | P2 `01` card number (ASCII), `02` certificate serial, `82` IOK state (`01` usable, `04` blocked), `83` IOK tries left, `84` IOK maximum tries, `8B`/`8C`/`8D` the same for DOK; a non-zero `Le` that differs from the length gives `6C xx` |
//! | `00 A4 08 00 02 FID` SELECT file (file-management application) | FCP `62 L 80 02 size… 83 02 FID`, `90 00`; unknown file `6A 82` |
//! | `00 B0 off_hi off_lo Le` READ BINARY, `Le` 1..=0xD0 | the bytes, `90 00`; `Le` 0 or > 0xD0 `67 00`; offset past the end `6B 00` |
//! | `00 20 00 11 [Lc PIN]` VERIFY IOK, PIN ASCII padded with `FF` to 10 bytes (unpadded accepted) | right `90 00` (counter reset); wrong `63 Cx` (x tries left, `63 C0` on the blocking try); blocked `69 83`; no data: `63 Cx` |
//! | anything else | `6D 00` (unknown INS), `6E 00` (unknown CLA) |
//!
//! With `t0 on` the card answers like a T=0 card: a command with a data field (SELECT file,
//! VERIFY) that has answer data gets `61 xx`, and `00 C0 00 00 Le` GET RESPONSE gives the data
//! (`6C xx` when Le asks for more than waits, `61 xx` while more waits, `69 85` when nothing does).
//!
//! The GET DATA tags, the file-selection form and the `0xD0` chunk come from
//! ParalelniPolis/obcanka-public (its `Card.java`); the IOK reference `0x11` comes from the same
//! source's CHANGE REFERENCE DATA. The VERIFY form itself is not public (the state's middleware
//! sends it); the one above is this simulator's choice, kept in [`card`] only.
//!
//! # Control protocol
//!
//! `virtual-eobcanka --control PORT` listens on `127.0.0.1:PORT` (0 picks a free port) for one
//! line-based client at a time; `--control -` reads the same lines from stdin. At start the
//! binary prints `CONTROL_PORT=<port>` (TCP mode) and `READY` on stdout. Each command line gets
//! one answer line: `ok`, `ok <value>` or `err <reason>`.
//!
//! | line | effect |
//! | --- | --- |
//! | `insert` | connect to vpcd (the reader sees a card) |
//! | `remove` | close the connection (the reader sees the card go) |
//! | `mute` / `unmute` | stop / resume answering command APDUs (ATR and power still answered, as a card whose application hangs) |
//! | `tries N` | set the IOK tries left (0 blocks the IOK) |
//! | `pin NEW` | set the IOK (4–10 digits; never echoed) |
//! | `t0 on` / `t0 off` | answer data of commands with a data field through `61 xx` + GET RESPONSE (T=0) / directly |
//! | `atr HEX` / `atr default` | answer a different ATR (a wrong card type) / the eObčanka ATR again |
//! | `status` | `ok inserted=<bool> muted=<bool> tries=<n>` |
//! | `quit` | remove the card and exit |
//!
//! PINs are never printed.

pub mod card;
pub mod control;
pub mod vpcd;

pub use card::{CardProfile, CardState, EOBCANKA_ATR};
pub use vpcd::VirtualCard;
