//! The binary: parses the command line, reads the configuration from the environment, sets up
//! logging and runs the command (`serve` by default).

mod cli;

use clap::Parser;

use cli::{Cli, Command};
use digilend::config::Config;
use digilend::db::Db;
use digilend::domain::accounts;
use digilend::startup::Application;

fn main() -> std::process::ExitCode {
    digilend::memory::configure();
    let args = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(message) => {
            eprintln!("digilend: configuration error: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    digilend::observability::init_logging(config.log_format == "json");
    let result = match args.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::CreateAdmin { name, organisation } => {
            cli::create_admin(&config, &name, &organisation)
        }
        Command::Backup { path } => cli::backup(&config, &path),
        Command::CheckConfig => cli::check_config(&config),
        Command::AnonymiseDue => cli::anonymise_due(&config),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("digilend: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn serve(config: Config) -> Result<(), String> {
    actix_web::rt::System::new().block_on(run_server(config))
}

async fn run_server(config: Config) -> Result<(), String> {
    let db = Db::connect(&config.database_url, config.pool_size)?;
    let first = db
        .write_blocking(|conn| {
            if accounts::no_users(conn)? {
                accounts::bootstrap_admin(conn, "Administrator", "Digitale Uitleendienst").map(Some)
            } else {
                Ok(None)
            }
        })
        .map_err(|e| e.to_string())?;
    if let Some((user, token)) = first {
        println!("First start: created admin {} ({}).", user.name, user.id);
        println!("Admin API token (shown once, keep it safe): {token}");
        cli::print_invitation(&config, &db, &user.id)?;
    }
    let listener = std::net::TcpListener::bind((config.host.as_str(), config.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", config.host, config.port))?;
    log::info!("listening on http://{}:{}", config.host, config.port);
    let app = Application::with(config, db, listener)?;
    app.run_until_stopped()
        .await
        .map_err(|e| format!("the server stopped: {e}"))
}
