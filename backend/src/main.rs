//! `portal-backend`: runs the portal's server.

use clap::Parser;
use portal_backend::config::Config;
use portal_backend::payments::import::{self, ImportError};
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
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Import a bank statement (ABO/GPC or camt.053) into the database and match its payments;
    /// the server may be running. Nothing of a file with a problem is imported.
    ImportStatement {
        /// The statement file.
        file: PathBuf,
        /// The town's slug; by default the town whose bank account the statement is for.
        #[arg(long)]
        town: Option<String>,
    },
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
    if let Some(Command::ImportStatement { file, town }) = cli.command {
        return import_statement(&config, &file, town.as_deref()).await;
    }
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

/// `portal-backend import-statement FILE`: prints what was imported, or every problem found.
async fn import_statement(config: &Config, file: &std::path::Path, town: Option<&str>) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("portal-backend: cannot read {}: {error}", file.display());
            return ExitCode::from(2);
        }
    };
    let path = config.database_path();
    let db = match tokio::task::spawn_blocking(move || portal_backend::db::Db::open(&path)).await {
        Ok(Ok(db)) => db,
        Ok(Err(error)) => {
            eprintln!("portal-backend: {error}");
            return ExitCode::FAILURE;
        }
        Err(_) => return ExitCode::FAILURE,
    };
    let town = town.map(str::to_owned);
    let result = db
        .write(move |tx| {
            let town_id = match &town {
                None => None,
                Some(slug) => Some(
                    tx.query_row("SELECT id FROM towns WHERE slug = ?1", [slug], |r| r.get(0))
                        .map_err(|_| ImportError::Account {
                            statement: "-".into(),
                            account: format!("(no town with slug {slug:?})"),
                        })?,
                ),
            };
            import::import(tx, &bytes, town_id, None)
        })
        .await;
    match result {
        Ok((_, report)) if report.already_imported => {
            println!(
                "{}: this file was imported before; nothing done",
                file.display()
            );
            ExitCode::SUCCESS
        }
        Ok((_, r)) => {
            println!(
                "{}: {} file, {} items: {} credited, {} unmatched (for staff), {} already imported, {} not payments",
                file.display(),
                r.format,
                r.items,
                r.credited,
                r.unmatched,
                r.duplicates,
                r.skipped
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "portal-backend: {}: nothing imported: {error}",
                file.display()
            );
            ExitCode::FAILURE
        }
    }
}
