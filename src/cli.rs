//! The command line: `serve` (the default), `create-admin`, `backup`, `check-config`.
//!
//! Settings come from the environment only (`Config::from_env`); `--help` lists them all with
//! their defaults.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use diesel::prelude::*;
use diesel_migrations::MigrationHarness;

use digilend::config::{Config, ENV_HELP};
use digilend::db::{self, Backend, Db, DbConn};
use digilend::domain::accounts;

#[derive(Debug, Parser)]
#[command(
    name = "digilend",
    version,
    about = "Lending refurbished devices for digital inclusion: the HTTP service and its \
             maintenance commands",
    after_help = settings_help()
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (what `digilend` without a command does). On the first start of an
    /// empty database, creates an admin and prints its API token.
    Serve,
    /// Create an admin (and its organisation, if no organisation has that name) and print an
    /// API token for it.
    CreateAdmin {
        /// The admin's name.
        name: String,
        /// The organisation's name.
        #[arg(default_value = "Digitale Uitleendienst")]
        organisation: String,
    },
    /// Back up the SQLite database into a new file, consistently, while the server runs
    /// (for PostgreSQL, use pg_dump).
    Backup {
        /// The file to write; it must not exist yet.
        path: PathBuf,
    },
    /// Print the effective settings (without secrets) and check that the database answers.
    CheckConfig,
    /// Anonymise every person whose retention (RETENTION_DAYS after their last loan closed)
    /// has passed and who owes nothing; prints how many, never who. Meant for a daily timer.
    AnonymiseDue,
}

/// Every setting, its default and its meaning, for `--help`.
fn settings_help() -> String {
    let mut s = String::from("Settings (environment variables; name, default, meaning):\n");
    for (name, default, meaning) in ENV_HELP {
        s.push_str(&format!("  {name:<24} {default:<30} {meaning}\n"));
    }
    s
}

/// The retention job: anonymises the people due, then clears what the database files still
/// hold of them (see `Db::after_erasure`).
pub fn anonymise_due(config: &Config) -> Result<(), String> {
    let db = Db::connect(&config.database_url, 1)?;
    let days = config.retention_days;
    let done = db
        .write_blocking(|conn| digilend::domain::borrowers::anonymise_due(conn, None, days))
        .map_err(|e| e.to_string())?;
    db.after_erasure();
    println!(
        "Anonymised {} people whose retention of {days} days had passed.",
        done.len()
    );
    Ok(())
}

/// Creates an admin and prints its token.
pub fn create_admin(config: &Config, name: &str, organisation: &str) -> Result<(), String> {
    let db = Db::connect(&config.database_url, 1)?;
    let (user, token) = db
        .write_blocking(|conn| accounts::bootstrap_admin(conn, name, organisation))
        .map_err(|e| e.to_string())?;
    println!(
        "Created admin {} ({}) in {organisation}.",
        user.name, user.id
    );
    println!("API token (shown once, keep it safe): {token}");
    print_invitation(config, &db, &user.id)
}

/// Makes a one-time link for a new admin to choose a password on the pages, and prints it.
pub fn print_invitation(config: &Config, db: &Db, user_id: &str) -> Result<(), String> {
    use digilend::auth::invitations;
    let id = digilend::domain::ids::UserId::from(user_id);
    let link = db
        .write_blocking(|conn| {
            invitations::create(conn, None, &id, config.invitation_days, db::now())
        })
        .map_err(|e| e.to_string())?;
    println!(
        "Sign-in link to choose a password (shown once, works once, until {} UTC): {}{}",
        link.expires_at.format("%Y-%m-%d %H:%M"),
        config.public_base_url,
        invitations::path_of(&link.secret)
    );
    Ok(())
}

/// `VACUUM INTO` a new file: one read transaction, so the copy is consistent even while the
/// server writes (in WAL mode readers and the writer do not block each other).
pub fn backup(config: &Config, target: &Path) -> Result<(), String> {
    if Backend::of_url(&config.database_url) == Backend::Postgres {
        return Err(
            "DATABASE_URL is a PostgreSQL database: back it up with pg_dump \
                    (for example `pg_dump --format=custom --file=digilend.dump \"$DATABASE_URL\"`)"
                .into(),
        );
    }
    let source = db::sqlite_file(&config.database_url);
    if source == ":memory:" || !Path::new(source).is_file() {
        return Err(format!(
            "there is no SQLite database at {source} (check DATABASE_URL)"
        ));
    }
    if target.exists() {
        return Err(format!(
            "{} already exists; choose a new file",
            target.display()
        ));
    }
    let target_text = target
        .to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", target.display()))?;
    // Opening through `Db` applies pending migrations first, as the server would.
    let db = Db::connect(&config.database_url, 1)?;
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    match &mut *conn {
        DbConn::Sqlite(c) => diesel::sql_query("VACUUM INTO ?")
            .bind::<diesel::sql_types::Text, _>(target_text)
            .execute(c)
            .map_err(|e| format!("backup to {} failed: {e}", target.display()))?,
        DbConn::Postgres(_) => return Err("not an SQLite database".into()),
    };
    println!("Backed up {source} to {}.", target.display());
    Ok(())
}

/// A database URL fit to print: the password of `scheme://user:password@host` and of a
/// `password=` parameter replaced.
fn without_password(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let mut shown = match base.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((user_info, host)) if user_info.contains(':') => {
                let user = user_info.split(':').next().unwrap_or("");
                format!("{scheme}://{user}:***@{host}")
            }
            _ => base.to_string(),
        },
        None => base.to_string(),
    };
    if let Some(query) = query {
        let params: Vec<String> = query
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => p.to_string(),
            })
            .collect();
        shown = format!("{shown}?{}", params.join("&"));
    }
    shown
}

/// Prints the effective settings and checks that the database can be reached (without
/// creating or migrating it).
pub fn check_config(config: &Config) -> Result<(), String> {
    let show = |name: &str, value: String| println!("{name:<24} {value}");
    show("DATABASE_URL", without_password(&config.database_url));
    show("HOST", config.host.clone());
    show("PORT", config.port.to_string());
    show("DATABASE_POOL_SIZE", config.pool_size.to_string());
    show("PUBLIC_BASE_URL", config.public_base_url.clone());
    show("ASSET_TAG_PREFIX", config.asset_tag_prefix.clone());
    show(
        "LABELS_DIR",
        config
            .labels_dir
            .as_ref()
            .map_or("(none: built-in stocks only)".into(), |d| {
                d.display().to_string()
            }),
    );
    show("BOOKING_MAX_DAYS", config.booking_max_days.to_string());
    show(
        "BOOKING_TURNAROUND_DAYS",
        config.booking_turnaround_days.to_string(),
    );
    show("MAX_BODY_BYTES", config.max_body_bytes.to_string());
    show(
        "WORKERS",
        config
            .workers
            .map_or("(number of cores)".into(), |n| n.to_string()),
    );
    show(
        "RUST_LOG",
        std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()),
    );
    show(
        "METRICS_TOKEN",
        if config.metrics_token.is_some() {
            "(set)".into()
        } else {
            "(not set: admins' and coordinators' tokens only)".into()
        },
    );
    show("LOG_FORMAT", config.log_format.clone());
    show(
        "SESSION_IDLE_MINUTES",
        config.session_idle_minutes.to_string(),
    );
    show("SESSION_MAX_HOURS", config.session_max_hours.to_string());
    show("INVITATION_DAYS", config.invitation_days.to_string());

    let url = &config.database_url;
    let unreachable =
        |e: diesel::ConnectionError| format!("cannot connect to the database (DATABASE_URL): {e}");
    let pending = match Backend::of_url(url) {
        Backend::Postgres => diesel::PgConnection::establish(url)
            .map_err(unreachable)?
            .pending_migrations(db::POSTGRES_MIGRATIONS)
            .map(|p| p.len()),
        Backend::Sqlite => {
            let file = db::sqlite_file(url);
            if Path::new(file).is_dir() {
                return Err(format!(
                    "DATABASE_URL points to the folder {file}, not a file"
                ));
            }
            if file != ":memory:" && !Path::new(file).exists() {
                println!(
                    "database                 {file} does not exist yet; the server creates \
                     it on its first start"
                );
                return Ok(());
            }
            diesel::SqliteConnection::establish(file)
                .map_err(unreachable)?
                .pending_migrations(db::SQLITE_MIGRATIONS)
                .map(|p| p.len())
        }
    }
    .map_err(|e| format!("the database at DATABASE_URL cannot be read: {e}"))?;
    println!(
        "database                 reachable; {} migration(s) to apply at the next start",
        pending
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(
            without_password("postgres://app:s3cret@db.example:5432/digilend"),
            "postgres://app:***@db.example:5432/digilend"
        );
        assert_eq!(
            without_password("postgres://app@db/digilend"),
            "postgres://app@db/digilend"
        );
        assert_eq!(
            without_password("postgresql://db/digilend?user=app&password=s3cret&sslmode=require"),
            "postgresql://db/digilend?user=app&password=***&sslmode=require"
        );
        assert_eq!(
            without_password("sqlite://data/x.sqlite3"),
            "sqlite://data/x.sqlite3"
        );
    }
}
