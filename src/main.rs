//! The server binary: configuration from the environment, then `startup`.

use digilend::config::Config;
use digilend::db::Db;
use digilend::domain::accounts;
use digilend::startup::Application;

fn fail(message: String) -> std::io::Error {
    std::io::Error::other(message)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{}", Config::help_text());
        return Ok(());
    }
    // actix logs a client's malformed request (a bad header) as an ERROR of its dispatcher:
    // a client's mistake, not the server's, so that logger is off by default.
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("info,actix_http::h1::dispatcher=off"),
    )
    .init();
    let config = Config::from_env().map_err(fail)?;
    match args.first().map(String::as_str) {
        None => serve(config).await,
        Some("create-admin") => {
            let name = args
                .get(1)
                .cloned()
                .unwrap_or_else(|| "Administrator".into());
            let org = args
                .get(2)
                .cloned()
                .unwrap_or_else(|| "Digitale Uitleendienst".into());
            let db = Db::connect(&config.database_url, 1).map_err(fail)?;
            let (user, token) = db
                .write_blocking(|conn| accounts::bootstrap_admin(conn, &name, &org))
                .map_err(|e| fail(e.to_string()))?;
            println!("Created admin {} ({}) in {org}.", user.name, user.id);
            println!("API token (shown once, keep it safe): {token}");
            Ok(())
        }
        Some(other) => Err(fail(format!("unknown command {other:?}; see --help"))),
    }
}

async fn serve(config: Config) -> std::io::Result<()> {
    let db = Db::connect(&config.database_url, config.pool_size).map_err(fail)?;
    let first = db
        .write_blocking(|conn| {
            if accounts::no_users(conn)? {
                accounts::bootstrap_admin(conn, "Administrator", "Digitale Uitleendienst").map(Some)
            } else {
                Ok(None)
            }
        })
        .map_err(|e| fail(e.to_string()))?;
    if let Some((user, token)) = first {
        println!("First start: created admin {} ({}).", user.name, user.id);
        println!("Admin API token (shown once, keep it safe): {token}");
    }
    let listener =
        std::net::TcpListener::bind((config.host.as_str(), config.port)).map_err(|e| {
            fail(format!(
                "cannot listen on {}:{}: {e}",
                config.host, config.port
            ))
        })?;
    log::info!("listening on http://{}:{}", config.host, config.port);
    let app = Application::with(config, db, listener).map_err(fail)?;
    app.run_until_stopped().await
}
