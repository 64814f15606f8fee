//! Configuration, read only from environment variables.

use std::path::PathBuf;

/// Every setting the service reads, with its default. `--help` prints this list.
pub const ENV_HELP: &[(&str, &str, &str)] = &[
    (
        "DATABASE_URL",
        "sqlite://data/digilend.sqlite3",
        "postgres://… or postgresql://… for PostgreSQL, sqlite://path or sqlite:path for SQLite",
    ),
    ("HOST", "127.0.0.1", "address to listen on"),
    ("PORT", "8080", "port to listen on"),
    (
        "DATABASE_POOL_SIZE",
        "10",
        "connections in the database pool",
    ),
    (
        "PUBLIC_BASE_URL",
        "http://127.0.0.1:8080",
        "base of the URL printed in QR codes (no trailing slash)",
    ),
    (
        "ASSET_TAG_PREFIX",
        "GNT",
        "prefix of asset tags (letters and digits, 1 to 6)",
    ),
    (
        "LABELS_DIR",
        "none",
        "folder of label-stock templates that add to or replace (same id) the built-in ones",
    ),
    ("BOOKING_MAX_DAYS", "42", "longest booking, in days"),
    (
        "BOOKING_TURNAROUND_DAYS",
        "1",
        "working days kept free between two bookings of a device",
    ),
    (
        "BOOKING_NOTICE_DAYS",
        "7",
        "a school or organisation asks at least this many days before the pick-up (Ghent: one week)",
    ),
    (
        "BOOKING_REQUEST_MAX_DAYS",
        "21",
        "longest booking a school or organisation may ask for, in days (Ghent: three weeks)",
    ),
    (
        "BOOKING_MAX_PER_KIND",
        "30",
        "most devices of one kind in one booking asked for by a school or organisation",
    ),
    (
        "BOOKING_GUIDELINE_BOOKINGS",
        "8",
        "guideline: bookings a year per organisation; more needs a motivation (Ghent: 8)",
    ),
    (
        "BOOKING_GUIDELINE_WEEKS",
        "12",
        "guideline: weeks of bookings a year per organisation; more needs a motivation (Ghent: 12)",
    ),
    (
        "MAX_BODY_BYTES",
        "2097152",
        "largest accepted request body (CSV uploads, scans)",
    ),
    ("WORKERS", "number of cores", "HTTP worker threads"),
    (
        "RUST_LOG",
        "info",
        "log filter (tracing env-filter syntax, e.g. info,digilend=debug)",
    ),
    (
        "METRICS_TOKEN",
        "none",
        "bearer token that may read GET /metrics (admins and coordinators always may)",
    ),
    ("LOG_FORMAT", "text", "text (one line per event) or json"),
    (
        "RETENTION_DAYS",
        "730",
        "days after a borrower's last loan closes before they are due for anonymisation",
    ),
    (
        "SESSION_IDLE_MINUTES",
        "120",
        "a person's session ends after this many minutes without a request",
    ),
    (
        "SESSION_MAX_HOURS",
        "12",
        "a person's session ends this many hours after signing in, however active",
    ),
    (
        "INVITATION_DAYS",
        "7",
        "days an invitation or password-reset link stays valid",
    ),
];

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub host: String,
    pub port: u16,
    pub pool_size: u32,
    pub public_base_url: String,
    pub asset_tag_prefix: String,
    /// Label stocks that add to or replace the built-in ones; none by default.
    pub labels_dir: Option<PathBuf>,
    pub booking_max_days: i64,
    pub booking_turnaround_days: i64,
    /// Days of notice a requester gives before the pick-up.
    pub booking_notice_days: i64,
    /// The longest booking a requester may ask for, in days.
    pub booking_request_max_days: i64,
    /// The most devices of one kind a requester may ask for in one booking.
    pub booking_max_per_kind: i64,
    /// The yearly guideline per organisation: bookings, and weeks in total.
    pub booking_guideline_bookings: i64,
    pub booking_guideline_weeks: i64,
    pub max_body_bytes: usize,
    pub workers: Option<usize>,
    /// A secret that lets a scraper read `/metrics` without a user's API token.
    pub metrics_token: Option<String>,
    /// `text` or `json` log lines.
    pub log_format: String,
    /// Days after a borrower's last loan closed before their data is due for anonymisation.
    pub retention_days: i64,
    /// Minutes without a request after which a person's session ends.
    pub session_idle_minutes: i64,
    /// Hours after signing in after which a session ends, however active.
    pub session_max_hours: i64,
    /// Days an invitation or password-reset link stays valid.
    pub invitation_days: i64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://data/digilend.sqlite3".into(),
            host: "127.0.0.1".into(),
            port: 8080,
            pool_size: 10,
            public_base_url: "http://127.0.0.1:8080".into(),
            asset_tag_prefix: "GNT".into(),
            labels_dir: None,
            booking_max_days: 42,
            booking_turnaround_days: 1,
            booking_notice_days: 7,
            booking_request_max_days: 21,
            booking_max_per_kind: 30,
            booking_guideline_bookings: 8,
            booking_guideline_weeks: 12,
            max_body_bytes: 2 * 1024 * 1024,
            workers: None,
            metrics_token: None,
            log_format: "text".into(),
            retention_days: 730,
            session_idle_minutes: 120,
            session_max_hours: 12,
            invitation_days: 7,
        }
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| format!("{name}={v:?} is not a valid value")),
    }
}

impl Config {
    /// Reads the configuration from the environment; an unparsable value is an error naming it.
    pub fn from_env() -> Result<Self, String> {
        let d = Config::default();
        let cfg = Config {
            database_url: var("DATABASE_URL").unwrap_or(d.database_url),
            host: var("HOST").unwrap_or(d.host),
            port: parse("PORT", d.port)?,
            pool_size: parse("DATABASE_POOL_SIZE", d.pool_size)?,
            public_base_url: var("PUBLIC_BASE_URL")
                .unwrap_or(d.public_base_url)
                .trim_end_matches('/')
                .to_string(),
            asset_tag_prefix: var("ASSET_TAG_PREFIX").unwrap_or(d.asset_tag_prefix),
            labels_dir: var("LABELS_DIR").map(PathBuf::from).or(d.labels_dir),
            booking_max_days: parse("BOOKING_MAX_DAYS", d.booking_max_days)?,
            booking_turnaround_days: parse("BOOKING_TURNAROUND_DAYS", d.booking_turnaround_days)?,
            booking_notice_days: parse("BOOKING_NOTICE_DAYS", d.booking_notice_days)?,
            booking_request_max_days: parse(
                "BOOKING_REQUEST_MAX_DAYS",
                d.booking_request_max_days,
            )?,
            booking_max_per_kind: parse("BOOKING_MAX_PER_KIND", d.booking_max_per_kind)?,
            booking_guideline_bookings: parse(
                "BOOKING_GUIDELINE_BOOKINGS",
                d.booking_guideline_bookings,
            )?,
            booking_guideline_weeks: parse("BOOKING_GUIDELINE_WEEKS", d.booking_guideline_weeks)?,
            max_body_bytes: parse("MAX_BODY_BYTES", d.max_body_bytes)?,
            workers: match var("WORKERS") {
                None => None,
                Some(_) => Some(parse("WORKERS", 1usize)?),
            },
            metrics_token: var("METRICS_TOKEN").or(d.metrics_token),
            log_format: var("LOG_FORMAT").unwrap_or(d.log_format),
            retention_days: parse("RETENTION_DAYS", d.retention_days)?,
            session_idle_minutes: parse("SESSION_IDLE_MINUTES", d.session_idle_minutes)?,
            session_max_hours: parse("SESSION_MAX_HOURS", d.session_max_hours)?,
            invitation_days: parse("INVITATION_DAYS", d.invitation_days)?,
        };
        cfg.check()?;
        Ok(cfg)
    }

    pub fn check(&self) -> Result<(), String> {
        let p = &self.asset_tag_prefix;
        if p.is_empty() || p.len() > 6 || !p.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "ASSET_TAG_PREFIX={p:?} must be 1 to 6 letters or digits"
            ));
        }
        if self.pool_size == 0 {
            return Err("DATABASE_POOL_SIZE must be at least 1".into());
        }
        if self.booking_max_days < 1 || self.booking_turnaround_days < 0 {
            return Err("BOOKING_MAX_DAYS must be ≥ 1 and BOOKING_TURNAROUND_DAYS ≥ 0".into());
        }
        if self.booking_notice_days < 0
            || self.booking_request_max_days < 1
            || self.booking_max_per_kind < 1
            || self.booking_guideline_bookings < 0
            || self.booking_guideline_weeks < 0
        {
            return Err("BOOKING_NOTICE_DAYS, BOOKING_GUIDELINE_BOOKINGS and BOOKING_GUIDELINE_WEEKS must be ≥ 0, BOOKING_REQUEST_MAX_DAYS and BOOKING_MAX_PER_KIND ≥ 1".into());
        }
        // A typo in the scheme would otherwise open (and create) an SQLite file of that name.
        let known = ["postgres://", "postgresql://", "sqlite://", "sqlite:"];
        if !known.iter().any(|k| self.database_url.starts_with(k)) {
            let scheme = self.database_url.split(':').next().unwrap_or("");
            return Err(format!(
                "DATABASE_URL must start with postgres://, postgresql://, sqlite:// or sqlite: \
                 (the scheme {scheme:?} is not known)"
            ));
        }
        if self
            .metrics_token
            .as_ref()
            .is_some_and(|t| t.trim().len() < 16)
        {
            return Err("METRICS_TOKEN must be at least 16 characters".into());
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(format!(
                "LOG_FORMAT={:?} must be text or json",
                self.log_format
            ));
        }
        if !(0..=36_500).contains(&self.retention_days) {
            return Err("RETENTION_DAYS must be between 0 and 36500".into());
        }
        if !(1..=10_080).contains(&self.session_idle_minutes)
            || !(1..=720).contains(&self.session_max_hours)
        {
            return Err(
                "SESSION_IDLE_MINUTES must be 1 to 10080 and SESSION_MAX_HOURS 1 to 720".into(),
            );
        }
        if !(1..=60).contains(&self.invitation_days) {
            return Err("INVITATION_DAYS must be between 1 and 60".into());
        }
        Ok(())
    }

    /// Whether the service is reached over https (then cookies are `Secure`).
    pub fn is_https(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }
}
