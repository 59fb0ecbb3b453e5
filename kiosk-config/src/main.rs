//! `kiosk-config`: checks kiosk profiles and hashes staff exit PINs.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use kiosk_config::{KioskProfile, check_pin_format, generate_salt, hash_pin};

const HELP: &str = "\
kiosk-config: kiosk profiles of the citizen portal

USAGE:
    kiosk-config validate FILE...   Check kiosk profiles (TOML). Prints \"ok: FILE\" for each
                                    good one, and FILE:LINE: key: message for every problem.
    kiosk-config hash-pin           Read a staff exit PIN (4-12 digits) from the first line of
                                    standard input and print its staff_exit_pin_hash value,
                                    sha256:<salt hex>:<digest hex>, with a fresh random salt.
                                    Example: printf '%s\\n' 2468 | kiosk-config hash-pin
    kiosk-config --help             Show this help.
    kiosk-config --version          Show the version.

EXIT STATUS:
    0  every profile is valid / the hash was printed
    1  a profile is invalid or unreadable / the PIN is not 4-12 digits
    2  the command line is wrong
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("validate") => validate(&args[1..]),
        Some("hash-pin") if args.len() == 1 => hash_pin_command(),
        Some("hash-pin") => {
            usage_error("hash-pin takes no arguments: it reads the PIN from standard input")
        }
        Some("--help" | "-h" | "help") => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Some("--version" | "-V") => {
            println!("kiosk-config {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command {other:?}")),
        None => usage_error("no command given"),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("kiosk-config: {message}\n\n{HELP}");
    ExitCode::from(2)
}

fn validate(files: &[String]) -> ExitCode {
    if files.is_empty() {
        return usage_error("validate needs at least one FILE");
    }
    if let Some(option) = files
        .iter()
        .find(|f| f.starts_with('-') && f.as_str() != "-")
    {
        return usage_error(&format!("validate takes no option {option:?}"));
    }
    let mut all_ok = true;
    for file in files {
        match KioskProfile::load(file) {
            Ok(_) => println!("ok: {file}"),
            Err(errors) => {
                all_ok = false;
                eprintln!("{errors}");
                let n = errors.len();
                eprintln!(
                    "{file}: invalid profile ({n} problem{})",
                    if n == 1 { "" } else { "s" }
                );
            }
        }
    }
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn hash_pin_command() -> ExitCode {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        // std cannot turn echo off portably: say so rather than pretend the PIN is hidden.
        eprint!("Staff exit PIN (4-12 digits; it is shown as you type): ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    if let Err(e) = stdin.lock().read_line(&mut line) {
        eprintln!("kiosk-config: cannot read the PIN from standard input: {e}");
        return ExitCode::FAILURE;
    }
    let pin = line.trim_end_matches(['\r', '\n']);
    if let Err(message) = check_pin_format(pin) {
        eprintln!("kiosk-config: {message}");
        return ExitCode::FAILURE;
    }
    println!("{}", hash_pin(pin, &generate_salt()));
    ExitCode::SUCCESS
}
