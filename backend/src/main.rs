//! `portal-backend`: runs the portal's server.

use clap::Parser;
use portal_backend::config::Config;
use portal_backend::payments::fees;
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
    /// Generate a year's obligations from the registers (households, dogs) by the town's fee
    /// types; running it again creates nothing twice. The server may be running.
    YearlyRun {
        /// The year, e.g. 2027 (people and dogs registered on 1 January are charged).
        #[arg(long)]
        year: i32,
        /// The town's slug; may be left out when the database holds one town.
        #[arg(long)]
        town: Option<String>,
        /// Only this fee (its code); all the town's fees by default.
        #[arg(long)]
        fee: Option<String>,
    },
    /// Make someone an admin of a town: its first admin, or a new one when no admin is left.
    /// They log in once first and read their account number on the profile page.
    GrantAdmin {
        /// Their portal account number.
        #[arg(long)]
        account: i64,
        /// The town's slug; may be left out when the database holds one town.
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
    match cli.command {
        Some(Command::ImportStatement { file, town }) => {
            return import_statement(&config, &file, town.as_deref()).await;
        }
        Some(Command::YearlyRun { year, town, fee }) => {
            return yearly_run(&config, year, town, fee).await;
        }
        Some(Command::GrantAdmin { account, town }) => {
            return grant_admin(&config, account, town).await;
        }
        None => {}
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

/// `portal-backend yearly-run --year YEAR [--town SLUG] [--fee CODE]`: prints the counts.
async fn yearly_run(
    config: &Config,
    year: i32,
    town: Option<String>,
    fee: Option<String>,
) -> ExitCode {
    let Some(db) = open_db(config).await else {
        return ExitCode::FAILURE;
    };
    let result = db
        .write(move |tx| {
            let mut stmt = tx.prepare("SELECT id, slug FROM towns ORDER BY id")?;
            let towns: Vec<(i64, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let chosen = match &town {
                Some(slug) => towns.iter().find(|(_, s)| s == slug),
                None if towns.len() == 1 => towns.first(),
                None => None,
            };
            let Some((town_id, slug)) = chosen.cloned() else {
                let known: Vec<&str> = towns.iter().map(|(_, s)| s.as_str()).collect();
                return Ok(Err(format!(
                    "name the town with --town (one of: {})",
                    known.join(", ")
                )));
            };
            let report = fees::run::run(tx, town_id, year, fee.as_deref(), None, None)?;
            Ok::<_, fees::run::RunError>(Ok((slug, report)))
        })
        .await;
    match result {
        Ok(Ok((slug, r))) => {
            println!(
                "{slug} {year}: {} obligations created, {} existed already",
                r.created, r.existing
            );
            ExitCode::SUCCESS
        }
        Ok(Err(message)) => {
            eprintln!("portal-backend: {message}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("portal-backend: yearly run {year}: nothing created: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `portal-backend grant-admin --account N [--town SLUG]`.
async fn grant_admin(config: &Config, account: i64, town: Option<String>) -> ExitCode {
    let Some(db) = open_db(config).await else {
        return ExitCode::FAILURE;
    };
    let result = db
        .write(move |tx| portal_backend::staff::first_admin::grant(tx, town.as_deref(), account))
        .await;
    match result {
        Ok(Ok(done)) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Ok(Err(why)) => {
            eprintln!("portal-backend: {why}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("portal-backend: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn open_db(config: &Config) -> Option<portal_backend::db::Db> {
    let path = config.database_path();
    match tokio::task::spawn_blocking(move || portal_backend::db::Db::open(&path)).await {
        Ok(Ok(db)) => Some(db),
        Ok(Err(error)) => {
            eprintln!("portal-backend: {error}");
            None
        }
        Err(_) => None,
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
        .with_connection(move |conn| {
            let town_id = match &town {
                None => None,
                Some(slug) => {
                    match conn
                        .query_row("SELECT id FROM towns WHERE slug = ?1", [slug], |r| r.get(0))
                    {
                        Ok(id) => Some(id),
                        Err(_) => {
                            return Ok(Err(ImportError::Account {
                                statement: "-".into(),
                                account: format!("(no town with slug {slug:?})"),
                            }));
                        }
                    }
                }
            };
            Ok(import::import(conn, &bytes, town_id, None))
        })
        .await
        .map_err(ImportError::from)
        .and_then(|imported| imported);
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
                "{}: {} file, {} items: {} credited, {} unmatched (for staff), {} already imported, {} not payments, {} reversed, {} reversals with no payment found (for staff)",
                file.display(),
                r.format,
                r.items,
                r.credited,
                r.unmatched,
                r.duplicates,
                r.skipped,
                r.reversed,
                r.reversals_unpaired
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
