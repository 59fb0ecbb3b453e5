//! The card layer against the real rig: pcscd + vsmartcard-vpcd + the virtual eObčanka +
//! SoftHSM2. `cargo test -p eobcanka --test card_rig` (as root; the rig is exclusive: one pcscd
//! per machine: it refuses to start beside another pcscd). Skipped with a message when the rig's
//! tools are not installed, or when `EOBCANKA_RIG=skip` (e.g. on a desktop whose own pcscd runs).
//! Arguments filter scenarios by name: `cargo test -p eobcanka --test card_rig -- mute`.

mod rig;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::{Command, ExitCode};

type Scenario = (&'static str, fn(&rig::Env));

const SCENARIOS: &[Scenario] = &[
    ("reader_list", rig::card::reader_list),
    (
        "insertion_and_removal_events",
        rig::card::insertion_and_removal_events,
    ),
    ("no_card_and_no_reader", rig::card::no_card_and_no_reader),
    (
        "public_data_equals_certificate_file",
        rig::card::public_data,
    ),
    ("t0_card_through_get_response", rig::card::t0_card),
    ("wrong_card_type", rig::card::wrong_card_type),
    ("mute_card", rig::card::mute_card),
    ("iok_tries_count_down_block_and_reset", rig::card::iok_tries),
    (
        "signatures_rs256_es384_es256_through_softhsm",
        rig::sign::signature_rsa_and_ec,
    ),
    ("signer_errors", rig::sign::signer_errors),
    // Last: it replaces the rig's pcscd.
    (
        "pcscd_restarted_while_watching",
        rig::card::pcscd_restarted_while_watching,
    ),
];

const CHILD: &str = "EOBCANKA_RIG_CHILD";

fn main() -> ExitCode {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if std::env::var_os(CHILD).is_some() {
        return child(&filter);
    }
    if std::env::var("EOBCANKA_RIG").as_deref() == Ok("skip") {
        println!("SKIPPED card_rig: EOBCANKA_RIG=skip");
        return ExitCode::SUCCESS;
    }
    if let Some(missing) = rig::missing_tools() {
        println!(
            "SKIPPED card_rig: {missing} is not installed \
             (apt-get install -y pcscd libpcsclite-dev vsmartcard-vpcd softhsm2 opensc openssl)"
        );
        return ExitCode::SUCCESS;
    }
    let env = match rig::start() {
        Ok(env) => env,
        Err(e) => {
            eprintln!("card_rig: the rig did not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let status = Command::new(std::env::current_exe().expect("test binary"))
        .args(std::env::args().skip(1))
        .envs(&env)
        .env(CHILD, "1")
        .status();
    if let Some(dir) = env.get("RIG_DIR") {
        rig::stop(dir);
    }
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

fn child(filter: &[String]) -> ExitCode {
    let env = rig::Env::from_env();
    let chosen: Vec<&Scenario> = SCENARIOS
        .iter()
        .filter(|(name, _)| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str())))
        .collect();
    println!("\nrunning {} card rig scenarios (serially)", chosen.len());
    let mut failed = Vec::new();
    for (name, scenario) in chosen.iter().copied() {
        let started = std::time::Instant::now();
        let ok = catch_unwind(AssertUnwindSafe(|| scenario(&env))).is_ok();
        println!(
            "test {name} ... {} ({:.1?})",
            if ok { "ok" } else { "FAILED" },
            started.elapsed()
        );
        if !ok {
            failed.push(*name);
        }
    }
    let passed = chosen.len() - failed.len();
    println!(
        "\ntest result: {}. {passed} passed; {} failed",
        if failed.is_empty() { "ok" } else { "FAILED" },
        failed.len()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
