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
/// erased personal data is overwritten with zeros in the file.
///
/// `synchronous = FULL`: in WAL mode, NORMAL may lose the last acknowledged transactions on a
/// power loss; FULL syncs the WAL at every commit, so an acknowledged write is on disk.
///
/// Memory: a page cache of at most 2 MB per connection and no memory mapping. The pool's
/// connections (`DATABASE_POOL_SIZE` readers and the writer) each keep their own cache, so
/// the earlier 32 MB caches and 256 MB maps added up to hundreds of megabytes under load;
/// the operating system's file cache, shared by all of them, keeps a large database's hot
/// pages in memory anyway, and a page read from it costs microseconds (figures in
/// BENCHMARKS.md, issue 11). On top of that, `soft_heap_limit` caps what SQLite allocates in
/// the whole process (caches, statements, schemas of every connection) at 8 MB: past it, a
/// connection reuses its least recently used cache pages instead of taking new memory, so the
/// pool's caches together stay within the limit whatever `DATABASE_POOL_SIZE` is.
pub const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; \
     PRAGMA cache_size = -2048; PRAGMA mmap_size = 0; PRAGMA soft_heap_limit = 8388608;";

#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(SQLITE_PRAGMAS)
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// PostgreSQL connections report errors in English (`lc_messages = 'C'`). Diesel classifies
/// serialization failures by their SQLSTATE (40001) but gives no SQLSTATE for deadlocks
/// (40P01) or lock timeouts (55P03), which `AppError` therefore recognises by their message:
/// on a server whose messages are in another language they would otherwise be 500s instead of
/// 503s. Setting `lc_messages` takes a superuser or `GRANT SET ON PARAMETER lc_messages TO
/// <role>` (PostgreSQL 15 and later); when it is refused the connection keeps the server's
/// language and a warning says so once (README, "PostgreSQL").
#[derive(Debug)]
struct PostgresMessages;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for PostgresMessages {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if let Err(e) = conn.batch_execute("SET lc_messages TO 'C'") {
            static WARNED: std::sync::Once = std::sync::Once::new();
            WARNED.call_once(|| {
                log::warn!(
                    "PostgreSQL refused lc_messages = 'C' ({e}): unless the server's messages \
                     are in English, a deadlock will answer 500 instead of 503"
                )
            });
        }
        Ok(())
    }
}

/// The pool and what is needed to use it from async handlers.
#[derive(Clone)]
pub struct Db {
    /// Every connection on PostgreSQL; the readers on SQLite.
    pool: Pool<ConnectionManager<DbConn>>,
    backend: Backend,
    /// SQLite allows one writer at a time. Writes of this process use the one dedicated writer
    /// connection inside this mutex: those of requests ([`Db::write`]) through the writer
    /// thread, which takes it for each write, synchronous callers ([`Db::write_blocking`])
    /// directly. A queued write holds no reader connection: readers (token look-ups included) never wait for writers, whose
    /// WAL snapshots they do not need. Other processes are still held off by
    /// `BEGIN IMMEDIATE` and the busy timeout. `None` on PostgreSQL, where every connection
    /// writes and nothing that must be shared between server instances is kept in memory.
    sqlite_writer: Option<Arc<Mutex<Pool<ConnectionManager<DbConn>>>>>,
    /// SQLite: the queue of [`Db::write`]'s work for the writer thread (see [`writer_thread`]).
    sqlite_queue: Option<std::sync::mpsc::Sender<Job>>,
}

/// A write queued for the SQLite writer thread: it runs the transaction and sends the result
/// back to the request that waits for it.
type Job = Box<dyn FnOnce() + Send>;

/// Starts the thread that runs the queued writes of an SQLite database one after the other,
/// each in its own transaction on the one writer connection. A request's write used to wait
/// for the writer mutex on a thread of its own: each write then ended by waking the next
/// waiting thread, and on a busy machine that wake-up cost more than the write itself (see
/// BENCHMARKS.md, issue 11). Here the next write starts as soon as one commits, and only the
/// answer travels between threads. A write that panics is caught, so the thread goes on.
fn writer_thread() -> Result<std::sync::mpsc::Sender<Job>, String> {
    let (sender, queue) = std::sync::mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("sqlite-writer".into())
        .spawn(move || {
            for job in queue {
                if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err() {
                    log::error!("a write panicked; it was rolled back");
                }
            }
        })
        .map_err(|e| format!("cannot start the SQLite writer thread: {e}"))?;
    Ok(sender)
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
            builder = match backend {
                // A connection to a local file does not go stale: no `SELECT 1` at every
                // checkout (the writer's would run inside the write's turn).
                Backend::Sqlite => builder
                    .connection_customizer(Box::new(SqlitePragmas))
                    .test_on_check_out(false),
                Backend::Postgres => builder.connection_customizer(Box::new(PostgresMessages)),
            };
            builder
                .build(manager)
                .map_err(|e| format!("cannot open the database: {e}"))
        };
        let sqlite_writer = match backend {
            // Opened first: it creates the file and switches it to WAL before readers open.
            Backend::Sqlite => Some(Arc::new(Mutex::new(open(1)?))),
            Backend::Postgres => None,
        };
        let sqlite_queue = match backend {
            Backend::Sqlite => Some(writer_thread()?),
            Backend::Postgres => None,
        };
        let db = Db {
            pool: open(pool_size)?,
            backend,
            sqlite_writer,
            sqlite_queue,
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
                 loan_scans, loan_signatures, device_event_notes;"
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

    /// Runs read-only work on a blocking thread, in one read-only transaction that sees one
    /// consistent snapshot of the database: on SQLite a deferred transaction (its snapshot
    /// is taken at the first read and kept to the end), on PostgreSQL `REPEATABLE READ, READ
    /// ONLY` (every statement sees the data as of the first one; the default READ COMMITTED
    /// would let each statement see other transactions committed in between). Such a
    /// transaction never fails on a serialization conflict on PostgreSQL, and a statement
    /// that writes is refused.
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
            read_transaction(&mut conn, f)
        })
        .await?
    }

    /// Runs writing work in one write transaction: everything or nothing. On SQLite it is
    /// queued for the writer thread, on PostgreSQL it runs on a blocking thread.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let this = self.clone();
        let span = tracing::info_span!("db", op = "write");
        let Some(queue) = &self.sqlite_queue else {
            return actix_web::web::block(move || span.in_scope(|| this.write_blocking(f))).await?;
        };
        let (answer, answered) = std::sync::mpsc::sync_channel(1);
        let job: Job = Box::new(move || {
            let result = span.in_scope(|| this.write_blocking(f));
            // The request may have gone (client disconnected): the write stands anyway.
            let _ = answer.send(result);
        });
        queue
            .send(job)
            .map_err(|_| AppError::Unavailable("the SQLite writer thread has stopped".into()))?;
        actix_web::web::block(move || answered.recv())
            .await?
            .map_err(|_| AppError::internal("a write panicked"))?
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
    finish_transaction(conn, f)
}

/// Starts the read-only transaction of [`Db::read`], runs `f`, and ends it.
fn read_transaction<T, F>(conn: &mut DbConn, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConn) -> AppResult<T>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction(c)?,
        DbConn::Postgres(c) => AnsiTransactionManager::begin_transaction_sql(
            c,
            "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        )?,
    }
    finish_transaction(conn, f)
}

/// Runs `f` in the transaction just begun, then commits, or rolls back on any error.
fn finish_transaction<T, F>(conn: &mut DbConn, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConn) -> AppResult<T>,
{
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

/// The days `from` to `to` as a common table expression `days(day)`, for `WITH RECURSIVE`:
/// the one piece of date arithmetic the backends write differently (SQLite keeps a date as
/// `'YYYY-MM-DD'` text and steps it with `date(day, '+1 day')`).
pub fn day_series(conn: &DbConn, from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    let (from, to) = (from.format("%Y-%m-%d"), to.format("%Y-%m-%d"));
    match conn {
        DbConn::Sqlite(_) => format!(
            "days(day) AS (SELECT date('{from}') UNION ALL \
             SELECT date(day, '+1 day') FROM days WHERE day < '{to}')"
        ),
        DbConn::Postgres(_) => format!(
            "days(day) AS (SELECT DATE '{from}' UNION ALL \
             SELECT CAST(day + 1 AS date) FROM days WHERE day < DATE '{to}')"
        ),
    }
}

/// Runs a hand-written query whose parameters are all text, written `?` (numbered `$1`, `$2`,
/// … for PostgreSQL here), and loads its rows by column name.
pub fn load_sql<R>(conn: &mut DbConn, sql: &str, texts: &[String]) -> AppResult<Vec<R>>
where
    R: diesel::QueryableByName<diesel::pg::Pg>
        + diesel::QueryableByName<diesel::sqlite::Sqlite>
        + 'static,
{
    use diesel::sql_types::Text;
    match conn {
        DbConn::Postgres(c) => {
            let mut n = 0;
            let numbered: String = sql
                .chars()
                .map(|ch| {
                    if ch == '?' {
                        n += 1;
                        format!("${n}")
                    } else {
                        ch.to_string()
                    }
                })
                .collect();
            let mut q = diesel::sql_query(numbered).into_boxed::<diesel::pg::Pg>();
            for t in texts {
                q = q.bind::<Text, _>(t.clone());
            }
            Ok(q.load(c)?)
        }
        DbConn::Sqlite(c) => {
            let mut q = diesel::sql_query(sql).into_boxed::<diesel::sqlite::Sqlite>();
            for t in texts {
                q = q.bind::<Text, _>(t.clone());
            }
            Ok(q.load(c)?)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Provokes a real PostgreSQL deadlock (two transactions taking two row locks in opposite
    /// order) in a fresh schema, with these extra server options for the pool's connections,
    /// and returns both transactions' results. `None` without a PostgreSQL `TEST_DATABASE_URL`.
    fn deadlock(options: &str) -> Option<[AppResult<i64>; 2]> {
        let Some(base) = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| Backend::of_url(u) == Backend::Postgres)
        else {
            eprintln!("TEST_DATABASE_URL is not set: not run");
            return None;
        };
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        let mut admin = diesel::PgConnection::establish(&base).expect("postgres");
        diesel::sql_query(format!("CREATE SCHEMA {schema}"))
            .execute(&mut admin)
            .expect("schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{schema}{options}");
        let db = Db::connect(&url, 2).expect("connect");
        for name in ["a", "b"] {
            db.write_blocking(|c| next_counter(c, name, 1))
                .expect("counter");
        }
        let barrier = Arc::new(std::sync::Barrier::new(2));
        let run = |first: &'static str, second: &'static str| {
            let (db, barrier) = (db.clone(), barrier.clone());
            std::thread::spawn(move || {
                db.write_blocking(|c| {
                    next_counter(c, first, 1)?;
                    barrier.wait();
                    next_counter(c, second, 1)
                })
            })
        };
        let one = run("a", "b");
        let two = run("b", "a");
        let results = [one.join().expect("thread"), two.join().expect("thread")];
        diesel::sql_query(format!("DROP SCHEMA {schema} CASCADE"))
            .execute(&mut admin)
            .expect("drop schema");
        Some(results)
    }

    /// One of the two deadlocked transactions ends with `AppError::Busy` (503, nothing
    /// written), never an internal error; the other commits.
    fn assert_one_busy(results: &[AppResult<i64>; 2]) {
        let busy = results
            .iter()
            .filter(|r| matches!(r, Err(AppError::Busy(_))))
            .count();
        assert_eq!(busy, 1, "{results:?}");
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    }

    /// Runs when `TEST_DATABASE_URL` names a PostgreSQL server.
    #[test]
    fn a_postgres_deadlock_is_busy_not_internal() {
        if let Some(results) = deadlock("") {
            assert_one_busy(&results);
        }
    }

    /// The same on a server that speaks German (`lc_messages` set for the connection, as a
    /// server configured in German would): the deadlock is still a 503. Runs when the server
    /// has the `de_DE.UTF-8` locale and its German messages; says so when not.
    #[test]
    fn a_postgres_deadlock_is_busy_in_any_server_language() {
        let german = "%20-clc_messages%3Dde_DE.UTF-8";
        let Some(base) = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| Backend::of_url(u) == Backend::Postgres)
        else {
            eprintln!("TEST_DATABASE_URL is not set: not run");
            return;
        };
        // Without our setting, this server would answer in German.
        let sep = if base.contains('?') { '&' } else { '?' };
        let plain =
            diesel::PgConnection::establish(&format!("{base}{sep}options={}", &german[3..]));
        let speaks_german = plain.is_ok_and(|mut c| {
            diesel::sql_query("SELECT 1 / 0")
                .execute(&mut c)
                .is_err_and(|e| !e.to_string().contains("division by zero"))
        });
        if !speaks_german {
            eprintln!("the server has no de_DE.UTF-8 locale or German messages: not run");
            return;
        }
        let results = deadlock(german).expect("results");
        assert_one_busy(&results);
    }
}
