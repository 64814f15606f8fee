//! Database access: one diesel code path for SQLite and PostgreSQL.
//!
//! `DbConn` is a `MultiConnection` over both backends. Queries are written once against the
//! shared `schema`; the few places where SQL really differs (row locks, how a write transaction
//! starts) match on the enum here and nowhere else.

pub mod models;
pub mod schema;
pub mod types;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::{AppError, AppResult};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Per-connection settings for SQLite: WAL, foreign keys, a busy timeout so that a writer
/// waits for another instead of failing with "database is locked", `secure_delete` so that
/// erased personal data is overwritten with zeros in the file, and a 32 MB page cache
/// plus memory-mapped reads so that a million-device inventory stays as quick as a small one.
/// `synchronous = FULL`: in WAL mode, NORMAL may lose the last acknowledged transactions on a
/// power loss; FULL syncs the WAL at every commit, so an acknowledged write is on disk.
#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(
            "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
             PRAGMA secure_delete = ON; \
             PRAGMA cache_size = -32768; PRAGMA mmap_size = 268435456;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// The pool and what is needed to use it from async handlers.
#[derive(Clone)]
pub struct Db {
    /// Every connection on PostgreSQL; the readers on SQLite.
    pool: Pool<ConnectionManager<DbConn>>,
    backend: Backend,
    /// SQLite allows one writer at a time. Writers of this process queue on this mutex and
    /// then use the one dedicated writer connection inside it, so a queued writer holds no
    /// reader connection: readers (token look-ups included) never wait for writers, whose
    /// WAL snapshots they do not need. Other processes are still held off by
    /// `BEGIN IMMEDIATE` and the busy timeout. `None` on PostgreSQL, where every connection
    /// writes and nothing that must be shared between server instances is kept in memory.
    sqlite_writer: Option<Arc<Mutex<Pool<ConnectionManager<DbConn>>>>>,
}

/// The file of an SQLite URL (`sqlite://path`, `sqlite:path`), as SQLite expects it.
pub fn sqlite_file(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// Turns `sqlite://path` into the path SQLite expects and makes sure its folder exists.
fn sqlite_path(url: &str) -> Result<String, String> {
    let path = sqlite_file(url);
    if path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() && !parent.exists() {
                private_dir(parent)
                    .map_err(|e| format!("cannot create folder {}: {e}", parent.display()))?;
            }
        }
        private_file(std::path::Path::new(path))
            .map_err(|e| format!("cannot create the database file {path}: {e}"))?;
    }
    Ok(path.to_string())
}

/// Creates a folder (and its parents) readable by the service's user only (0700).
fn private_dir(path: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Creates the database file if it is missing, readable and writable by the service's user
/// only (0600); SQLite gives its `-wal` and `-shm` files the same permissions.
fn private_file(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?;
    #[cfg(unix)]
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    Ok(())
}

impl Db {
    /// Opens the pool and applies pending migrations for the backend in use.
    pub fn connect(url: &str, pool_size: u32) -> Result<Db, String> {
        let backend = Backend::of_url(url);
        let target = match backend {
            Backend::Postgres => url.to_string(),
            Backend::Sqlite => sqlite_path(url)?,
        };
        let open = |size: u32| {
            let manager = ConnectionManager::<DbConn>::new(target.clone());
            let mut builder = Pool::builder()
                .max_size(size)
                .connection_timeout(Duration::from_secs(30));
            if backend == Backend::Sqlite {
                builder = builder.connection_customizer(Box::new(SqlitePragmas));
            }
            builder
                .build(manager)
                .map_err(|e| format!("cannot open the database: {e}"))
        };
        let sqlite_writer = match backend {
            // Opened first: it creates the file and switches it to WAL before readers open.
            Backend::Sqlite => Some(Arc::new(Mutex::new(open(1)?))),
            Backend::Postgres => None,
        };
        let db = Db {
            pool: open(pool_size)?,
            backend,
            sqlite_writer,
        };
        db.migrate()?;
        Ok(db)
    }

    fn migrate(&self) -> Result<(), String> {
        let pool = match &self.sqlite_writer {
            Some(w) => w.lock().unwrap_or_else(|p| p.into_inner()).clone(),
            None => self.pool.clone(),
        };
        let mut conn = pool
            .get()
            .map_err(|e| format!("cannot connect to the database: {e}"))?;
        let result = match &mut *conn {
            DbConn::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
            DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        };
        result.map_err(|e| format!("migrations failed: {e}"))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Connections of the pool: (open, idle, maximum).
    pub fn pool_state(&self) -> (u32, u32, u32) {
        let state = self.pool.state();
        (
            state.connections,
            state.idle_connections,
            self.pool.max_size(),
        )
    }

    /// After personal data was erased (and the transaction committed): on SQLite, moves the
    /// WAL into the database file and truncates it, so that with `secure_delete` the old
    /// values are gone from both files; on PostgreSQL, vacuums the tables that held them so
    /// that their space is reused (the operator's part is in the README). Failures are logged,
    /// not returned: the erasure itself has succeeded.
    pub fn after_erasure(&self) {
        let sql = match self.backend {
            Backend::Sqlite => "PRAGMA wal_checkpoint(TRUNCATE);",
            Backend::Postgres => {
                "VACUUM borrowers, loans, loan_devices, loan_checkpoints, loan_charges, \
                 loan_scans, device_event_notes;"
            }
        };
        let result = match self.pool.get() {
            Ok(mut conn) => conn.batch_execute(sql).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = result {
            log::warn!("clean-up after an erasure failed: {e}");
        }
    }

    /// A pooled connection, for synchronous callers (CLI, benchmarks, tests).
    pub fn conn(
        &self,
    ) -> Result<diesel::r2d2::PooledConnection<ConnectionManager<DbConn>>, AppError> {
        Ok(self.pool.get()?)
    }

    /// Runs read-only work on a blocking thread, in one transaction (a consistent snapshot).
    pub async fn read<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let span = tracing::info_span!("db", op = "read");
        actix_web::web::block(move || {
            let _entered = span.enter();
            let mut conn = pool.get()?;
            conn.transaction(|c| f(c))
        })
        .await?
    }

    /// Runs writing work on a blocking thread in one write transaction: everything or nothing.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let this = self.clone();
        let span = tracing::info_span!("db", op = "write");
        actix_web::web::block(move || span.in_scope(|| this.write_blocking(f))).await?
    }

    /// The synchronous form of [`Db::write`].
    pub fn write_blocking<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T>,
    {
        match &self.sqlite_writer {
            Some(writer) => {
                // A poisoned lock only means another writer panicked; the database is sound.
                let guard = writer.lock().unwrap_or_else(|p| p.into_inner());
                let mut conn = guard.get()?;
                write_transaction(&mut conn, f)
            }
            None => write_transaction(&mut *self.pool.get()?, f),
        }
    }
}

/// Starts a write transaction the way each backend needs (`BEGIN IMMEDIATE` takes SQLite's
/// write lock up front, so a transaction never fails half-way on lock upgrade), runs `f`,
/// and commits, or rolls back on any error.
pub fn write_transaction<T, F>(conn: &mut DbConn, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConn) -> AppResult<T>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Postgres(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) =
                <DbConn as Connection>::TransactionManager::rollback_transaction(conn)
            {
                log::error!("rollback failed: {rollback}");
            }
            Err(e)
        }
    }
}

/// Row locks where SQL differs: `FOR UPDATE` on PostgreSQL; on SQLite the write transaction
/// already holds the database's single write lock, so a plain read is enough.
#[macro_export]
macro_rules! locked_first {
    ($conn:expr, $query:expr) => {
        match $conn {
            $crate::db::DbConn::Postgres(c) => $query.for_update().first(c),
            $crate::db::DbConn::Sqlite(c) => $query.first(c),
        }
    };
}

/// The current time in UTC, truncated to microseconds so that both backends store and return
/// exactly the same value.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Today's date in Brussels, the calendar in which loan periods and bookings are agreed.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Brussels)
        .date_naive()
}

/// Takes the next `n` values of a named counter, atomically across transactions and server
/// processes: one upsert (`INSERT … ON CONFLICT (name) DO UPDATE SET value = value + n
/// RETURNING value`) creates the row on first use or adds to it, and holds the row lock until
/// the caller's transaction ends. So two servers taking the first value of a new counter at the
/// same moment both succeed, one after the other. Returns the first value of the block.
pub fn next_counter(conn: &mut DbConn, name: &str, n: i64) -> AppResult<i64> {
    use schema::counters::dsl as c;
    let last: i64 = crate::on_backend!(conn, conn => diesel::insert_into(c::counters)
        .values((c::name.eq(name), c::value.eq(n)))
        .on_conflict(c::name)
        .do_update()
        .set(c::value.eq(c::value + n))
        .returning(c::value)
        .get_result(conn))?;
    Ok(last - n + 1)
}

/// Runs the same diesel expression on whichever backend the connection is, for the few
/// statements `MultiConnection` cannot express generically (batch inserts).
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConn::Postgres($c) => $body,
            $crate::db::DbConn::Sqlite($c) => $body,
        }
    };
}
