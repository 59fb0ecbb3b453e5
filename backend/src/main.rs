//! `portal-backend`: runs the portal's server.

use clap::Parser;
use portal_backend::config::Config;
use portal_backend::startup::Application;
use portal_backend::telemetry;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// glibc malloc was ~13 % of the server's CPU under load (scripts/bench.sh); mimalloc is cheaper
/// for many small short-lived allocations.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(version, about = "Portál občana města: the citizen portal's server")]
struct Cli {
    /// Run the fictitious demo town with a demo login (never on a database with real towns).
    #[arg(long)]
    demo: bool,
    /// Configuration file (TOML); PORTAL_* environment variables override it.
    #[arg(long, env = "PORTAL_CONFIG")]
    config: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("portal-backend: {error}");
            return ExitCode::from(2);
        }
    };
    config.demo |= cli.demo;
    telemetry::init(config.log_format);

    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(error) => {
            tracing::error!(%error, "cannot start");
            eprintln!("portal-backend: {error}");
            return ExitCode::FAILURE;
        }
    };
    let state = app.state();
    let host = state.config.listen.ip();
    let mode = if state.config.demo {
        " (DEMO: fictitious town and data)"
    } else {
        ""
    };
    // A closed stdout (a supervisor that stopped reading) must not stop the server.
    let _ = writeln!(
        std::io::stdout(),
        "Portál občana is running at http://{host}:{}/{mode}",
        app.port()
    );
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("portal-backend: {error}");
            ExitCode::FAILURE
        }
    }
}
