//! The control channel's line protocol (see the crate documentation for the commands).

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpListener;

use zeroize::Zeroizing;

use crate::card::EOBCANKA_ATR;
use crate::vpcd::VirtualCard;

/// What the caller should do after a line.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    Continue,
    Quit,
}

/// Runs one command line against the card; returns the answer line (without newline).
pub fn execute(card: &VirtualCard, line: &str) -> (String, Next) {
    let mut words = line.split_whitespace();
    let command = words.next().unwrap_or("");
    let arg = words.next();
    let answer = match (command, arg) {
        ("insert", None) => card
            .insert()
            .map(|()| String::new())
            .map_err(|e| e.to_string()),
        ("remove", None) => {
            card.remove();
            Ok(String::new())
        }
        ("mute", None) => {
            card.set_muted(true);
            Ok(String::new())
        }
        ("unmute", None) => {
            card.set_muted(false);
            Ok(String::new())
        }
        ("tries", Some(n)) => match n.parse::<u8>() {
            Ok(n) if n <= crate::card::IOK_MAX_TRIES => {
                card.set_tries_left(n);
                Ok(String::new())
            }
            _ => Err(format!("tries must be 0..={}", crate::card::IOK_MAX_TRIES)),
        },
        ("pin", Some(pin)) => {
            let pin = Zeroizing::new(pin.to_owned());
            if (4..=10).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
                card.set_iok(pin);
                Ok(String::new())
            } else {
                Err("the PIN must be 4-10 digits".into())
            }
        }
        ("t0", Some(on @ ("on" | "off"))) => {
            card.set_t0(on == "on");
            Ok(String::new())
        }
        ("atr", Some("default")) => {
            card.set_atr(EOBCANKA_ATR.to_vec());
            Ok(String::new())
        }
        ("atr", Some(h)) => match hex::decode(h) {
            Ok(atr) if !atr.is_empty() && atr.len() <= 33 => {
                card.set_atr(atr);
                Ok(String::new())
            }
            _ => Err("atr takes 1-33 bytes in hex".into()),
        },
        ("status", None) => Ok(format!(
            "inserted={} muted={} tries={}",
            card.is_inserted(),
            card.is_muted(),
            card.tries_left()
        )),
        ("quit", None) => {
            card.remove();
            return ("ok".into(), Next::Quit);
        }
        _ => Err(format!("unknown command {command:?}")),
    };
    let line = match answer {
        Ok(v) if v.is_empty() => "ok".to_owned(),
        Ok(v) => format!("ok {v}"),
        Err(e) => format!("err {e}"),
    };
    (line, Next::Continue)
}

/// Serves lines from `input` until `quit` or end of input.
pub fn serve_lines(
    card: &VirtualCard,
    input: impl BufRead,
    mut output: impl Write,
) -> io::Result<Next> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let (answer, next) = execute(card, &line);
        writeln!(output, "{answer}")?;
        output.flush()?;
        if next == Next::Quit {
            return Ok(Next::Quit);
        }
    }
    Ok(Next::Continue)
}

/// Serves control clients on a loopback listener one after the other, until `quit`.
pub fn serve_tcp(card: &VirtualCard, listener: &TcpListener) -> io::Result<()> {
    for stream in listener.incoming() {
        let stream = stream?;
        let input = BufReader::new(stream.try_clone()?);
        if serve_lines(card, input, stream)? == Next::Quit {
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::CardProfile;
    use std::net::TcpListener;

    #[test]
    fn lines_drive_the_card_and_never_echo_the_pin() {
        let vpcd = TcpListener::bind("127.0.0.1:0").unwrap();
        let card = VirtualCard::new(
            vpcd.local_addr().unwrap(),
            CardProfile {
                card_number: "1".into(),
                certificate_serial: vec![],
                auth_certificate: vec![0x30, 0x00],
                ident_certificate: vec![0x30, 0x00],
                iok: Zeroizing::new("1234".into()),
            },
        );
        let script = "tries 1\nmute\nstatus\npin 987654\npin 12\natr 3B021450\natr zz\n\
                      insert\nstatus\nremove\nunmute\nbogus\nquit\nstatus\n";
        let mut out = Vec::new();
        let next = serve_lines(&card, script.as_bytes(), &mut out).unwrap();
        assert_eq!(next, Next::Quit);
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "ok",
                "ok",
                "ok inserted=false muted=true tries=1",
                "ok",
                "err the PIN must be 4-10 digits",
                "ok",
                "err atr takes 1-33 bytes in hex",
                "ok",
                "ok inserted=true muted=true tries=1",
                "ok",
                "ok",
                "err unknown command \"bogus\"",
                "ok",
            ]
        );
        assert!(!out.contains("987654"));
    }
}
