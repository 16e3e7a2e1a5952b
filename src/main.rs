//! The `stegvis` command: serve, migrate, user, demo, jobs, verify-log, backup, restore.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use stegvis::app::email::EmailAddress;
use stegvis::app::inputs::NewUser;
use stegvis::app::{backup, demo, jobs};
use stegvis::clock::SystemClock;
use stegvis::config::{LogFormat, Settings};
use stegvis::domain::{Language, Role};
use stegvis::startup::{prepare, Application};
use stegvis::{bootstrap, notify};

#[derive(Parser)]
#[command(
    name = "stegvis",
    version,
    about = "Certification workflow engine for inclusion programmes"
)]
struct Cli {
    /// A configuration file read after config/default.toml (also STEGVIS_CONFIG).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate if needed, then serve HTTP, deliver mail and run the periodic jobs.
    Serve {
        /// Load the demo data first if the database is empty, and print the log-ins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load demo data into an empty database and print the log-ins.
    Demo {
        /// Instead: fill the database with this many organisations of generated cases
        /// (345 units and cases each; 290 ≈ 100,000 cases), for benchmarks.
        #[arg(long)]
        scale: Option<usize>,
    },
    /// Periodic jobs.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Verify the hash chain of every case's history.
    VerifyLog,
    /// Write a consistent copy of the live SQLite database and the signing keys to a
    /// file (PostgreSQL: use pg_dump; see docs/operations.md).
    Backup {
        /// The backup file to write (a tar archive).
        #[arg(long)]
        to: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Restore a backup into an empty data directory (and no database file).
    Restore {
        /// A file written by `stegvis backup`.
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, consultant, auditor, coordinator or unit_contact
        #[arg(long)]
        role: String,
        #[arg(long)]
        organisation: Option<String>,
        #[arg(long)]
        unit: Option<String>,
        /// sv (default) or en
        #[arg(long)]
        language: Option<String>,
        /// Read the password from standard input (required; never from an argument).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Run every periodic job once, as of the given time, and exit.
    Run {
        /// RFC 3339 time to run the jobs as of (default: now).
        #[arg(long)]
        at: Option<String>,
    },
}

fn main() {
    let code = match run() {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("Error: {error:?}");
            1
        }
    };
    stegvis::store::exit::exit_now(code)
}

/// Log lines to standard error, as `log.format` says; the level from `STEGVIS_LOG`.
fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("STEGVIS_LOG")
        .unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

fn run() -> anyhow::Result<()> {
    // Before any thread starts: freed password hashes go back to the system.
    stegvis::startup::return_large_blocks_to_the_system();
    // Before any PostgreSQL connection: no OpenSSL clean-up racing threads in exit().
    let _ = stegvis::store::exit::keep_openssl_cleanup_out_of_exit();
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref()).context("reading the configuration")?;
    init_logging(settings.log.format);
    match cli.command {
        Command::Serve { demo } => serve(settings, demo),
        Command::Migrate => {
            prepare(settings, Arc::new(SystemClock))?;
            println!("migrations applied");
            Ok(())
        }
        Command::User { command } => create_user(settings, command),
        Command::Demo { scale: Some(n) } => {
            let state = prepare(settings, Arc::new(SystemClock))?;
            let report = stegvis::app::scale::load(&state, n)?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        Command::Demo { scale: None } => {
            let state = prepare(settings, Arc::new(SystemClock))?;
            let logins = demo::load(&state)?;
            print!(
                "{}",
                demo::describe(&logins, &state.settings.server.public_url)
            );
            Ok(())
        }
        Command::Jobs {
            command: JobsCommand::Run { at },
        } => {
            // --at decides what is due; the process itself keeps real time.
            let as_of = match at {
                Some(at) => DateTime::parse_from_rfc3339(&at)
                    .with_context(|| format!("--at {at:?} is not an RFC 3339 time with an offset"))?
                    .with_timezone(&Utc),
                None => Utc::now(),
            };
            let state = prepare(settings, Arc::new(SystemClock))?;
            // A batch process: fewer, longer copies of the log (docs/benchmarks.md).
            state.store.checkpoint_every(10_000)?;
            let report = jobs::run_all_as_of(&state, as_of)?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        Command::VerifyLog => {
            let state = prepare(settings, Arc::new(SystemClock))?;
            let report = jobs::verify_all_histories(&state)?;
            println!(
                "{} cases verified, {} broken",
                report.verified,
                report.broken.len()
            );
            println!("{} action plans verified", report.plans_verified);
            for (case_id, problem) in &report.broken {
                println!("{case_id}: {problem}");
            }
            if report.broken.is_empty() {
                Ok(())
            } else {
                anyhow::bail!(
                    "the history of {} case(s) or plan(s) does not verify",
                    report.broken.len()
                )
            }
        }
        Command::Backup { to, force } => {
            let report = backup::backup(&settings, &to, force, Utc::now())?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        Command::Restore { from } => {
            let report = backup::restore(&settings, &from)?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            eprintln!("Restored. Check it with `stegvis verify-log` before serving.");
            Ok(())
        }
    }
}

fn create_user(settings: Settings, command: UserCommand) -> anyhow::Result<()> {
    let UserCommand::Create {
        email,
        name,
        role,
        organisation,
        unit,
        language,
        password_stdin: _,
    } = command;
    let role = Role::parse(&role).with_context(|| format!("unknown role {role:?}"))?;
    let language = match language {
        Some(l) => Some(Language::parse(&l).with_context(|| format!("unknown language {l:?}"))?),
        None => None,
    };
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    let state = prepare(settings, Arc::new(SystemClock))?;
    let user = bootstrap::create_user(
        &state,
        NewUser {
            email: EmailAddress::sent(&email),
            name: name.into(),
            role,
            organisation_id: organisation,
            unit_id: unit,
            language,
            password: Some(password),
        },
    )?;
    println!("{}", serde_json::to_string_pretty(&user)?);
    Ok(())
}

fn serve(settings: Settings, with_demo: bool) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings, Arc::new(SystemClock)).await?;
        let state = app.state();
        if with_demo {
            let loader = state.clone();
            let logins = actix_web::web::block(move || demo::load_if_empty(&loader)).await??;
            match logins {
                Some(logins) => print!(
                    "{}",
                    demo::describe(&logins, &state.settings.server.public_url)
                ),
                None => println!("The database already has data; demo data not loaded."),
            }
        }
        tracing::info!(
            port = app.port(),
            "Stegvis is serving on {}",
            state.settings.server.public_url
        );
        let mail_worker = notify::worker::spawn(state.delivery());
        let webhook_worker = notify::webhook::worker::spawn(state.webhook_delivery());
        let scheduler = jobs::spawn_scheduler(state);
        let outcome = app.run_until_stopped().await;
        // The server has stopped taking requests; let the mail being sent finish.
        scheduler.abort();
        mail_worker.shutdown().await;
        webhook_worker.shutdown().await;
        outcome.map_err(anyhow::Error::from)
    })
}
