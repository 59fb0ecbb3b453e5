//! `virtual-eobcanka`: a virtual eObčanka for vsmartcard-vpcd, driven over a control channel.
//! See the `virtual_card` crate documentation for the control protocol.

use std::io::{self, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::ExitCode;

use virtual_card::control::{serve_lines, serve_tcp};
use virtual_card::vpcd::DEFAULT_VPCD_PORT;
use virtual_card::{CardProfile, VirtualCard};
use zeroize::Zeroizing;

const USAGE: &str = "usage: virtual-eobcanka --cert AUTH.der [--ident-cert IDENT.der] \
[--vpcd-port PORT] [--card-number DIGITS] [--serial HEX] [--control PORT|-] [--inserted]
  IOK from env VIRTUAL_EOBCANKA_IOK (default 1234); control from stdin unless --control PORT";

struct Args {
    profile: CardProfile,
    vpcd_port: u16,
    control: Option<u16>,
    inserted: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut cert = None;
    let mut ident = None;
    let mut vpcd_port = DEFAULT_VPCD_PORT;
    let mut card_number = "000000001".to_owned();
    let mut serial = vec![0x01, 0x02, 0x03, 0x04];
    let mut control = None;
    let mut inserted = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--cert" => cert = Some(value()?),
            "--ident-cert" => ident = Some(value()?),
            "--vpcd-port" => {
                vpcd_port = value()?.parse().map_err(|e| format!("--vpcd-port: {e}"))?
            }
            "--card-number" => card_number = value()?,
            "--serial" => serial = hex::decode(value()?).map_err(|e| format!("--serial: {e}"))?,
            "--control" => {
                let v = value()?;
                control = if v == "-" {
                    None
                } else {
                    Some(v.parse().map_err(|e| format!("--control: {e}"))?)
                };
            }
            "--inserted" => inserted = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let cert = cert.ok_or(USAGE)?;
    let auth_certificate = std::fs::read(&cert).map_err(|e| format!("{cert}: {e}"))?;
    let ident_certificate = match ident {
        Some(path) => std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?,
        None => auth_certificate.clone(),
    };
    let iok =
        Zeroizing::new(std::env::var("VIRTUAL_EOBCANKA_IOK").unwrap_or_else(|_| "1234".into()));
    let profile = CardProfile {
        card_number,
        certificate_serial: serial,
        auth_certificate,
        ident_certificate,
        iok,
    };
    Ok(Args {
        profile,
        vpcd_port,
        control,
        inserted,
    })
}

fn run(args: Args) -> io::Result<()> {
    let vpcd = SocketAddr::from(([127, 0, 0, 1], args.vpcd_port));
    let card = VirtualCard::new(vpcd, args.profile);
    if args.inserted {
        card.insert()?;
    }
    let mut stdout = io::stdout();
    match args.control {
        Some(port) => {
            let listener = TcpListener::bind(("127.0.0.1", port))?;
            writeln!(stdout, "CONTROL_PORT={}", listener.local_addr()?.port())?;
            writeln!(stdout, "READY")?;
            stdout.flush()?;
            serve_tcp(&card, &listener)
        }
        None => {
            writeln!(stdout, "READY")?;
            stdout.flush()?;
            serve_lines(&card, BufReader::new(io::stdin()), stdout).map(|_| ())
        }
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("virtual-eobcanka: {e}");
            ExitCode::FAILURE
        }
    }
}
