//! HTTP against the raw driver, and the server's memory under load (issue 11).
//!
//! One run, for SQLite and (when `BENCH_DATABASE_URL` or `TEST_DATABASE_URL` is set) for
//! PostgreSQL:
//!
//! 1. a fresh database gets `BENCH_FILL` filler devices (default 200,000, with their
//!    registration events) and the built `digilend` binary is started on it as a child process,
//!    with the default settings, so that its resident memory is its own;
//! 2. `BENCH_DEVICES` laptops (default 512) are registered, assigned to a workshop and given a
//!    passed wipe record through the API;
//! 3. **HTTP**: `BENCH_CLIENTS` concurrent clients (default 8) alternate
//!    `POST /devices/{tag}/actions/send_to_repair` and `…/wipe` on their own devices for
//!    `BENCH_SECONDS` (default 5) after a 2 s warm-up; requests/s;
//! 4. **raw**: the same transaction by the raw driver with the same number of clients, while
//!    the server waits: on SQLite through its C library (`libsqlite3-sys`), the statements the
//!    service issues, one writer at a time on one connection as the service does, with the
//!    same pragmas (WAL, `synchronous = FULL`, `secure_delete`); on PostgreSQL through
//!    `pgbench` with a script holding the same statements (`-M prepared`, as diesel prepares
//!    them); transactions/s. Steps 3 and 4 alternate `BENCH_ROUNDS` times (default 3), so that
//!    the machine's other load falls on both alike; the medians are reported;
//! 5. **memory**: 16 clients run a mixed load (device lists, look-ups by tag, device detail,
//!    the free-text search, pool availability, actions) for `BENCH_SECONDS` (10 s at least) while the
//!    server's VmRSS is sampled every 50 ms; its VmHWM (peak since start) is read at the end.
//!
//! It prints, per database, requests/s over HTTP, transactions/s raw, their ratio, and the
//! server's peak resident memory.
//!
//!     cargo bench --bench load
//!     BENCH_DATABASE_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' cargo bench --bench load

mod support;

use std::io::Read;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use digilend::db::Db;
use digilend::domain::accounts;
use serde_json::{json, Value};

const WARM_UP: Duration = Duration::from_secs(2);
const MIXED_CLIENTS: usize = 16;
/// The columns of a device row, in the order the service selects them.
const DEVICE_COLUMNS: &str = "id, seq, asset_tag, kind, subtype, brand, model, serial_number, \
    serial_key, specs, accessories, notes, status, donation_id, owner_organisation_id, \
    holder_organisation_id, workshop_id, in_pool, shelf_location, version, created_at, \
    updated_at, accessories_back";

struct Settings {
    clients: usize,
    seconds: u64,
    rounds: usize,
    devices: usize,
    fill: usize,
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// What one database gave.
struct Outcome {
    backend: &'static str,
    http: f64,
    raw: f64,
    /// Highest VmRSS sampled during the mixed load, and VmHWM at the end (kB).
    rss_mixed_kb: u64,
    hwm_kb: u64,
    mixed_rps: f64,
}

// ---------------------------------------------------------------------------------------------
// The server as a child process

struct Server {
    child: Child,
    base: String,
    log: tempfile::NamedTempFile,
}

impl Server {
    async fn start(url: &str) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = tempfile::NamedTempFile::new().expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_digilend"))
            .env("DATABASE_URL", url)
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("log file"))
            .spawn()
            .expect("start the digilend binary");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(format!("{}/health", server.base)).send().await {
                if r.status().is_success() {
                    return server;
                }
            }
            if started.elapsed() > Duration::from_secs(60) {
                panic!("the server did not start:\n{}", server.log_tail());
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = self.log.reopen() {
            let _ = f.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// (VmRSS, VmHWM) in kB.
    fn memory(&self) -> (u64, u64) {
        memory_of(self.child.id())
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn memory_of(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

// ---------------------------------------------------------------------------------------------
// HTTP

#[derive(Clone)]
struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("send");
        let status = r.status().as_u16();
        let bytes = r.bytes().await.expect("body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn ok(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let (status, value) = self.call(method, path, body).await;
        assert!((200..300).contains(&status), "{path}: {status} {value}");
        value
    }
}

/// Registers `n` laptops, assigns them to a workshop and records a passed wipe for each, so
/// that `send_to_repair` and `wipe` can alternate on them for ever. Returns their tags.
async fn prepare_devices(api: &Api, n: usize) -> Vec<String> {
    use reqwest::Method;
    let workshop = api
        .ok(
            Method::POST,
            "/organisations",
            Some(json!({"name": "Werkplaats Bench", "kind": "workshop"})),
        )
        .await;
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive();
    let donation = api
        .ok(
            Method::POST,
            "/donations",
            Some(json!({"donor_name": "Bench", "received_on": yesterday, "received_at": "Depot"})),
        )
        .await;
    let donation = donation["id"].as_str().expect("donation id").to_string();
    let mut tags = Vec::with_capacity(n);
    for start in (0..n).step_by(1000) {
        let batch: Vec<Value> = (start..n.min(start + 1000))
            .map(|i| {
                json!({"kind": "laptop", "brand": "Lenovo", "model": "T480",
                       "serial_number": format!("BENCH{i:07}")})
            })
            .collect();
        let r = api
            .ok(
                Method::POST,
                &format!("/donations/{donation}/devices"),
                Some(Value::Array(batch)),
            )
            .await;
        for d in r["devices"].as_array().expect("devices") {
            tags.push(d["asset_tag"].as_str().expect("tag").to_string());
        }
    }
    api.ok(
        Method::POST,
        &format!("/donations/{donation}/assign"),
        Some(json!({"workshop_id": workshop["id"]})),
    )
    .await;
    let now = chrono::Utc::now().to_rfc3339();
    let wipe = json!({
        "category": "purge", "technique": "crypto_erase", "tool": "nwipe", "tool_version": "0.36",
        "passes": 1, "verified": true, "verification_method": "full", "verified_by": "Bench",
        "outcome": "passed", "started_at": now, "ended_at": now, "drive_type": "ssd"
    });
    for chunk in tags.chunks(500) {
        api.ok(
            Method::POST,
            "/workshop/wipes",
            Some(json!({"devices": chunk, "wipe": wipe})),
        )
        .await;
    }
    tags
}

/// The devices of client `c` of `clients`: every `clients`-th one, so that no two clients touch
/// the same device (as in the pgbench script).
fn devices_of(tags: &[String], c: usize, clients: usize) -> Vec<String> {
    tags.iter().skip(c).step_by(clients).cloned().collect()
}

/// One client's state: its devices and whether each is now in repair.
struct Walker {
    tags: Vec<String>,
    in_repair: Vec<bool>,
    next: usize,
}

impl Walker {
    fn new(tags: Vec<String>) -> Walker {
        let in_repair = vec![false; tags.len()];
        Walker {
            tags,
            in_repair,
            next: 0,
        }
    }

    /// The next action: `send_to_repair` for a device out of repair, `wipe` for one in it.
    async fn act(&mut self, api: &Api) {
        let i = self.next % self.tags.len();
        self.next += 1;
        let action = if self.in_repair[i] {
            "wipe"
        } else {
            "send_to_repair"
        };
        let (status, body) = api
            .call(
                reqwest::Method::POST,
                &format!("/devices/{}/actions/{action}", self.tags[i]),
                None,
            )
            .await;
        assert_eq!(status, 200, "{action} on {}: {body}", self.tags[i]);
        self.in_repair[i] = !self.in_repair[i];
    }
}

/// Counts what the clients complete between the end of the warm-up and the deadline.
struct Window {
    measure_from: Instant,
    until: Instant,
    done: AtomicU64,
}

impl Window {
    fn new(seconds: u64) -> Window {
        let measure_from = Instant::now() + WARM_UP;
        Window {
            measure_from,
            until: measure_from + Duration::from_secs(seconds),
            done: AtomicU64::new(0),
        }
    }

    fn open(&self) -> bool {
        Instant::now() < self.until
    }

    fn count(&self) {
        if Instant::now() >= self.measure_from {
            self.done.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn per_second(&self) -> f64 {
        let span = self.until.saturating_duration_since(self.measure_from);
        self.done.load(Ordering::Relaxed) as f64 / span.as_secs_f64()
    }
}

/// One walker per client over its share of the devices, each device's state read from the
/// server (the raw driver moves them too).
async fn walkers(api: &Api, tags: &[String], clients: usize) -> Vec<Walker> {
    let mut out = Vec::with_capacity(clients);
    for c in 0..clients {
        let mut w = Walker::new(devices_of(tags, c, clients));
        for (i, tag) in w.tags.iter().enumerate() {
            let d = api
                .ok(reqwest::Method::GET, &format!("/devices/{tag}"), None)
                .await;
            w.in_repair[i] = d["status"] == "in_repair";
        }
        out.push(w);
    }
    out
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Lifecycle actions over HTTP; requests/s.
async fn http_actions(api: &Api, walkers: &mut [Walker], seconds: u64) -> f64 {
    let window = Window::new(seconds);
    let runs = walkers.iter_mut().map(|w| {
        let window = &window;
        async move {
            while window.open() {
                w.act(api).await;
                window.count();
            }
        }
    });
    futures::future::join_all(runs).await;
    window.per_second()
}

/// The mixed load: lists, look-ups, search, availability and actions; requests/s.
async fn mixed_load(api: &Api, walkers: &mut [Walker], fill: usize, seconds: u64) -> f64 {
    let window = Window::new(seconds);
    let today = chrono::Utc::now().date_naive();
    let month_later = today + chrono::Duration::days(30);
    // `BENCH_SKIP=search,availability` leaves kinds of request out, to see what costs what.
    let skip_list = std::env::var("BENCH_SKIP").unwrap_or_default();
    let skip: Vec<&str> = skip_list.split(',').map(str::trim).collect();
    let skip = &skip;
    let runs = walkers.iter_mut().enumerate().map(|(c, w)| {
        let window = &window;
        async move {
            let mut i = c * 7919;
            while window.open() {
                i += 1;
                let n = w.tags.len() + 1 + (i * 104_729) % fill.max(1);
                let kind = match i % 20 {
                    0..=4 => "list",
                    5..=10 => "tag",
                    11..=13 => "detail",
                    14 => "search",
                    15 => "availability",
                    _ => "action",
                };
                if skip.contains(&kind) {
                    continue;
                }
                let path = match kind {
                    "list" => {
                        let cursor = base64_url(&((i * 7919) % fill.max(1)).to_string());
                        format!("/devices?status=ready&kind=tablet&limit=50&cursor={cursor}")
                    }
                    "tag" => format!("/devices/by-tag/GNT-{n:06}"),
                    "detail" => format!("/devices/GNT-{n:06}"),
                    "search" => format!("/devices?q=T{}&limit=25", 400 + i % 90),
                    "availability" => {
                        format!("/availability?kind=tablet&from={today}&to={month_later}")
                    }
                    _ => {
                        w.act(api).await;
                        window.count();
                        continue;
                    }
                };
                let (status, body) = api.call(reqwest::Method::GET, &path, None).await;
                assert_eq!(status, 200, "{path}: {body}");
                window.count();
            }
        }
    });
    futures::future::join_all(runs).await;
    window.per_second()
}

fn base64_url(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

/// Samples the server's VmRSS every 50 ms until stopped; returns the highest (kB).
fn sample_rss(pid: u32, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut peak = 0;
        while !stop.load(Ordering::Relaxed) {
            peak = peak.max(memory_of(pid).0);
            std::thread::sleep(Duration::from_millis(50));
        }
        peak
    })
}

// ---------------------------------------------------------------------------------------------
// Filling the inventory (plain SQL: the filler devices only need to be there)

fn fill_sql(postgres: bool, first: usize, count: usize, owner: &str) -> Vec<String> {
    let last = first + count - 1;
    // Kinds and statuses mixed as in the inventory benchmark; one in 200 in the booking pool
    // (1,000 of 200,000: a city's pool is hundreds of devices).
    let cols = "id, seq, asset_tag, kind, brand, model, serial_number, serial_key, specs, \
                status, owner_organisation_id, in_pool, version, created_at, updated_at";
    let kind = "CASE (i / 7) % 4 WHEN 0 THEN 'laptop' WHEN 1 THEN 'tablet' WHEN 2 THEN 'robot' \
                ELSE 'peripheral' END";
    let status = "CASE i % 6 WHEN 0 THEN 'ready' WHEN 1 THEN 'on_loan' WHEN 2 THEN 'received' \
                  WHEN 3 THEN 'wiped' WHEN 4 THEN 'retired' ELSE 'booked_out' END";
    let event_cols = "id, device_id, seq, at, action, status_after, detail";
    if postgres {
        vec![
            format!(
                "INSERT INTO devices ({cols}) SELECT \
                 '00000000-0000-4000-8000-' || lpad(i::text, 12, '0'), i, \
                 'GNT-' || lpad(i::text, 6, '0'), {kind}, 'Lenovo', 'ThinkPad T' || (400 + i % 90), \
                 'SN' || lpad(i::text, 9, '0'), 'SN' || lpad(i::text, 9, '0'), '{{}}', {status}, \
                 '{owner}', i % 200 = 0, 1, LOCALTIMESTAMP, LOCALTIMESTAMP \
                 FROM generate_series({first}::bigint, {last}) AS i"
            ),
            format!(
                "INSERT INTO device_events ({event_cols}) SELECT \
                 '00000000-0000-4000-9000-' || lpad(seq::text, 12, '0'), id, 1, created_at, \
                 'registered', status, '{{}}' FROM devices WHERE seq >= {first}"
            ),
            "ANALYZE".into(),
        ]
    } else {
        vec![
            format!(
                "WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM n WHERE i < {last}) \
                 INSERT INTO devices ({cols}) SELECT \
                 printf('00000000-0000-4000-8000-%012d', i), i, printf('GNT-%06d', i), {kind}, \
                 'Lenovo', 'ThinkPad T' || (400 + i % 90), printf('SN%09d', i), printf('SN%09d', i), \
                 '{{}}', {status}, '{owner}', i % 200 = 0, 1, \
                 strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now') FROM n"
            ),
            format!(
                "INSERT INTO device_events ({event_cols}) SELECT \
                 printf('00000000-0000-4000-9000-%012d', seq), id, 1, created_at, 'registered', \
                 status, '{{}}' FROM devices WHERE seq >= {first}"
            ),
            "ANALYZE".into(),
        ]
    }
}

/// Creates the admin and the filler devices, before the server starts. Returns (token, user id).
fn seed(url: &str, settings: &Settings) -> (String, String) {
    let db = Db::connect(url, 1).expect("database");
    let (user, token) = db
        .write_blocking(|c| accounts::bootstrap_admin(c, "Bench", "Bench Service"))
        .expect("admin");
    if settings.fill > 0 {
        let started = Instant::now();
        let postgres = db.backend() == digilend::db::Backend::Postgres;
        // Filler devices come after the benchmark's own devices (registered later, from 1).
        let first = settings.devices + 1;
        let sql = fill_sql(postgres, first, settings.fill, &user.organisation_id);
        let mut conn = db.conn().expect("connection");
        for statement in sql {
            digilend::on_backend!(&mut *conn, c => diesel::sql_query(statement.as_str()).execute(c))
                .expect("fill");
        }
        eprintln!(
            "  filled {} devices in {:.1} s",
            settings.fill,
            started.elapsed().as_secs_f64()
        );
    }
    (token, user.id)
}

// ---------------------------------------------------------------------------------------------
// The raw drivers

mod raw_sqlite {
    use std::ffi::{CStr, CString};
    use std::os::raw::c_int;

    use libsqlite3_sys as ffi;

    pub struct Conn(*mut ffi::sqlite3);
    // The connection is used by one thread at a time (behind a mutex).
    unsafe impl Send for Conn {}

    pub struct Stmt(*mut ffi::sqlite3_stmt);
    // Statements belong to their connection and move with it.
    unsafe impl Send for Stmt {}

    impl Conn {
        pub fn open(path: &str) -> Conn {
            let path = CString::new(path).expect("path");
            let mut db = std::ptr::null_mut();
            let rc = unsafe {
                ffi::sqlite3_open_v2(
                    path.as_ptr(),
                    &mut db,
                    ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_NOMUTEX,
                    std::ptr::null(),
                )
            };
            assert_eq!(rc, ffi::SQLITE_OK, "open");
            Conn(db)
        }

        fn check(&self, rc: c_int, what: &str) {
            if rc != ffi::SQLITE_OK && rc != ffi::SQLITE_ROW && rc != ffi::SQLITE_DONE {
                let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.0)) };
                panic!("{what}: {}", message.to_string_lossy());
            }
        }

        pub fn exec(&self, sql: &str) {
            let sql = CString::new(sql).expect("sql");
            let rc = unsafe {
                ffi::sqlite3_exec(
                    self.0,
                    sql.as_ptr(),
                    None,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                )
            };
            self.check(rc, "exec");
        }

        pub fn prepare(&self, sql: &str) -> Stmt {
            let sql = CString::new(sql).expect("sql");
            let mut stmt = std::ptr::null_mut();
            let rc = unsafe {
                ffi::sqlite3_prepare_v3(
                    self.0,
                    sql.as_ptr(),
                    -1,
                    ffi::SQLITE_PREPARE_PERSISTENT,
                    &mut stmt,
                    std::ptr::null_mut(),
                )
            };
            self.check(rc, "prepare");
            Stmt(stmt)
        }

        /// Binds `params` (text, or an integer when it parses as one), steps through every
        /// row, and returns column `col` of the first row as text.
        pub fn run(&self, stmt: &Stmt, params: &[&str], col: c_int) -> Option<String> {
            unsafe {
                for (i, p) in params.iter().enumerate() {
                    let rc = match p.parse::<i64>() {
                        Ok(n) => ffi::sqlite3_bind_int64(stmt.0, i as c_int + 1, n),
                        Err(_) => ffi::sqlite3_bind_text(
                            stmt.0,
                            i as c_int + 1,
                            p.as_ptr().cast(),
                            p.len() as c_int,
                            ffi::SQLITE_TRANSIENT(),
                        ),
                    };
                    self.check(rc, "bind");
                }
                let mut first = None;
                loop {
                    let rc = ffi::sqlite3_step(stmt.0);
                    self.check(rc, "step");
                    if rc != ffi::SQLITE_ROW {
                        break;
                    }
                    if first.is_none() {
                        let text = ffi::sqlite3_column_text(stmt.0, col);
                        if !text.is_null() {
                            first =
                                Some(CStr::from_ptr(text.cast()).to_string_lossy().into_owned());
                        }
                    }
                }
                ffi::sqlite3_reset(stmt.0);
                ffi::sqlite3_clear_bindings(stmt.0);
                first
            }
        }
    }

    impl Drop for Stmt {
        fn drop(&mut self) {
            unsafe { ffi::sqlite3_finalize(self.0) };
        }
    }

    impl Drop for Conn {
        fn drop(&mut self) {
            unsafe { ffi::sqlite3_close(self.0) };
        }
    }
}

/// The statements the service issues for one action on SQLite, prepared once per connection.
struct SqliteAction {
    conn: raw_sqlite::Conn,
    begin: raw_sqlite::Stmt,
    commit: raw_sqlite::Stmt,
    resolve: raw_sqlite::Stmt,
    lock: raw_sqlite::Stmt,
    last_handback: raw_sqlite::Stmt,
    drives: raw_sqlite::Stmt,
    wipes: raw_sqlite::Stmt,
    update: raw_sqlite::Stmt,
    max_seq: raw_sqlite::Stmt,
    insert: raw_sqlite::Stmt,
}

impl SqliteAction {
    fn open(path: &str) -> SqliteAction {
        let conn = raw_sqlite::Conn::open(path);
        // The service's own per-connection settings.
        conn.exec(digilend::db::SQLITE_PRAGMAS);
        let p = |sql: &str| conn.prepare(sql);
        SqliteAction {
            begin: p("BEGIN IMMEDIATE"),
            commit: p("COMMIT"),
            resolve: p("SELECT id FROM devices WHERE asset_tag = ? LIMIT 1"),
            lock: p(&format!(
                "SELECT {DEVICE_COLUMNS} FROM devices WHERE id = ? LIMIT 1"
            )),
            last_handback: p("SELECT MAX(at) FROM device_events WHERE device_id = ? \
                 AND action IN ('registered', 'check_in', 'found')"),
            drives: p(
                "SELECT id, device_id, position, drive_type, capacity_gb, serial, created_at \
                       FROM drives WHERE device_id = ? ORDER BY position ASC",
            ),
            wipes: p(
                "SELECT * FROM wipe_records WHERE device_id = ? ORDER BY created_at ASC, id ASC",
            ),
            update: p(
                "UPDATE devices SET status = ?, version = version + 1, updated_at = ?, \
                 holder_organisation_id = holder_organisation_id WHERE id = ?",
            ),
            max_seq: p("SELECT MAX(seq) FROM device_events WHERE device_id = ?"),
            insert: p(
                "INSERT INTO device_events (id, device_id, seq, at, actor_user_id, action, \
                 status_before, status_after, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ),
            conn,
        }
    }

    /// One action, as the service runs it: resolve the tag, read the row, the guard's reads
    /// (for `wipe`), the update and the history event, in one `BEGIN IMMEDIATE` transaction.
    fn act(&self, tag: &str, actor: &str) {
        let c = &self.conn;
        c.run(&self.begin, &[], 0);
        let id = c.run(&self.resolve, &[tag], 0).expect("device");
        // The whole row is read, as the service reads it; its status decides the action.
        let status = c.run(&self.lock, &[&id], 12).expect("status");
        let (action, to) = if status == "in_repair" {
            c.run(&self.last_handback, &[&id], 0);
            c.run(&self.drives, &[&id], 0);
            c.run(&self.wipes, &[&id], 0);
            ("wipe", "wiped")
        } else {
            ("send_to_repair", "in_repair")
        };
        let at = digilend::db::now()
            .format("%Y-%m-%d %H:%M:%S%.6f")
            .to_string();
        c.run(&self.update, &[to, &at, &id], 0);
        let last: i64 = c
            .run(&self.max_seq, &[&id], 0)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let event = uuid::Uuid::new_v4().to_string();
        let seq = (last + 1).to_string();
        c.run(
            &self.insert,
            &[
                &event,
                &id,
                &seq,
                &at,
                actor,
                action,
                &status,
                to,
                r#"{"note":null}"#,
            ],
            0,
        );
        c.run(&self.commit, &[], 0);
    }
}

/// The raw SQLite figure: `clients` threads sharing one connection through a mutex, taking
/// turns at the write as the service's writers do on its one writer connection. (A connection
/// per thread is slower: each connection's page cache is dropped whenever another one has
/// written, and SQLite's busy handler sleeps.)
fn raw_sqlite(path: &str, tags: &[String], clients: usize, seconds: u64, actor: &str) -> f64 {
    let window = Arc::new(Window::new(seconds));
    let writer = Arc::new(Mutex::new(SqliteAction::open(path)));
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let mine = devices_of(tags, c, clients);
            let (window, writer, actor) = (window.clone(), writer.clone(), actor.to_string());
            std::thread::spawn(move || {
                let mut i = 0;
                while window.open() {
                    let tag = &mine[i % mine.len()];
                    i += 1;
                    writer
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .act(tag, &actor);
                    window.count();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client thread");
    }
    window.per_second()
}

/// The same transaction as a pgbench script: the statements the service issues, as diesel
/// writes them, the action chosen by the device's status.
const PGBENCH_SCRIPT: &str = r#"
\set n 1 + :client_id + :clients * random(0, :per - 1)
BEGIN;
SELECT id AS dev FROM devices WHERE asset_tag = 'GNT-' || lpad(:n::text, 6, '0') LIMIT 1 \gset
SELECT COLUMNS, (status = 'in_repair')::int AS repairing FROM devices WHERE id = :dev LIMIT 1 FOR UPDATE \gset
\if :repairing
SELECT MAX(at) FROM device_events WHERE device_id = :dev AND action IN ('registered', 'check_in', 'found');
SELECT id, device_id, position, drive_type, capacity_gb, serial, created_at FROM drives WHERE device_id = :dev ORDER BY position ASC;
SELECT * FROM wipe_records WHERE device_id = :dev ORDER BY created_at ASC, id ASC;
UPDATE devices SET status = 'wiped', version = version + 1, updated_at = LOCALTIMESTAMP, holder_organisation_id = holder_organisation_id WHERE id = :dev;
SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM device_events WHERE device_id = :dev \gset
INSERT INTO device_events (id, device_id, seq, at, actor_user_id, action, status_before, status_after, detail) VALUES (gen_random_uuid()::text, :dev, :next, LOCALTIMESTAMP, :actor, 'wipe', 'in_repair', 'wiped', '{"note": null}');
\else
UPDATE devices SET status = 'in_repair', version = version + 1, updated_at = LOCALTIMESTAMP, holder_organisation_id = holder_organisation_id WHERE id = :dev;
SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM device_events WHERE device_id = :dev \gset
INSERT INTO device_events (id, device_id, seq, at, actor_user_id, action, status_before, status_after, detail) VALUES (gen_random_uuid()::text, :dev, :next, LOCALTIMESTAMP, :actor, 'send_to_repair', :status, 'in_repair', '{"note": null}');
\endif
COMMIT;
"#;

fn pgbench(
    base_url: &str,
    schema: &str,
    clients: usize,
    per: usize,
    seconds: u64,
    actor: &str,
) -> f64 {
    let script = tempfile::NamedTempFile::new().expect("script file");
    std::fs::write(
        script.path(),
        PGBENCH_SCRIPT.replace("COLUMNS", DEVICE_COLUMNS),
    )
    .expect("write the script");
    let run = |secs: u64| {
        let out = Command::new("pgbench")
            .env("PGOPTIONS", format!("-c search_path={schema}"))
            .args(["-n", "-M", "prepared", "-c"])
            .arg(clients.to_string())
            .arg("-j")
            .arg(clients.min(2).to_string())
            .arg("-T")
            .arg(secs.to_string())
            .arg("-D")
            .arg(format!("clients={clients}"))
            .arg("-D")
            .arg(format!("per={per}"))
            .arg("-D")
            .arg(format!("actor={actor}"))
            .arg("-f")
            .arg(script.path())
            .arg(base_url)
            .output()
            .expect("run pgbench (is it installed?)");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "pgbench failed:\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        text.lines()
            .find_map(|l| l.strip_prefix("tps = "))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no tps in pgbench's output:\n{text}"))
    };
    run(WARM_UP.as_secs());
    run(seconds)
}

// ---------------------------------------------------------------------------------------------

async fn bench_one(
    backend: &'static str,
    url: &str,
    pg: Option<(&str, &str)>,
    s: &Settings,
) -> Outcome {
    eprintln!("{backend}:");
    let (token, actor) = seed(url, s);
    let server = Server::start(url).await;
    let api = Api {
        // Idle connections are dropped before the server's keep-alive (5 s) ends them, as
        // they wait while the raw driver runs.
        client: reqwest::Client::builder()
            .pool_idle_timeout(Duration::from_secs(1))
            .build()
            .expect("client"),
        base: server.base.clone(),
        token,
    };
    let tags = prepare_devices(&api, s.devices).await;
    eprintln!("  {} devices prepared", tags.len());
    // HTTP and raw in turn, so that the machine's other load falls on both alike; the
    // server stays up (idle) while the raw driver runs. Medians of the rounds.
    let (mut https, mut raws) = (Vec::new(), Vec::new());
    for round in 1..=s.rounds {
        raws.push(match pg {
            // SQLite takes one writer at a time: one thread committing back to back is the
            // most the raw driver can do; `clients` threads taking turns add hand-offs between
            // threads (slower on a busy machine). The better of the two is the figure.
            None => {
                let file = digilend::db::sqlite_file(url);
                let many = raw_sqlite(file, &tags, s.clients, s.seconds, &actor);
                let one = raw_sqlite(file, &tags, 1, s.seconds, &actor);
                eprintln!(
                    "  raw SQLite: {many:.0}/s with {} threads, {one:.0}/s with one",
                    s.clients
                );
                many.max(one)
            }
            Some((base, schema)) => {
                let per = tags.len() / s.clients;
                pgbench(base, schema, s.clients, per, s.seconds, &actor)
            }
        });
        let mut walkers = walkers(&api, &tags, s.clients).await;
        https.push(http_actions(&api, &mut walkers, s.seconds).await);
        eprintln!(
            "  round {round}: HTTP {:.0}/s, raw {:.0}/s",
            https[round - 1],
            raws[round - 1]
        );
    }
    let (http, raw) = (median(&mut https), median(&mut raws));

    eprintln!("  mixed load, {MIXED_CLIENTS} clients…");
    let mut mixed = walkers(&api, &tags, MIXED_CLIENTS).await;
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = sample_rss(server.child.id(), stop.clone());
    let mixed_rps = mixed_load(&api, &mut mixed, s.fill, s.seconds.max(10)).await;
    stop.store(true, Ordering::Relaxed);
    let rss_mixed_kb = sampler.join().expect("sampler");
    let (_, hwm_kb) = server.memory();
    server.stop();
    eprintln!(
        "  HTTP {http:.0}/s, raw {raw:.0}/s, ratio {:.2}; mixed {mixed_rps:.0}/s, \
         RSS peak {} kB, VmHWM {hwm_kb} kB",
        http / raw,
        rss_mixed_kb
    );
    Outcome {
        backend,
        http,
        raw,
        rss_mixed_kb,
        hwm_kb,
        mixed_rps,
    }
}

fn main() {
    let s = Settings {
        clients: env_number("BENCH_CLIENTS", 8).max(1),
        seconds: env_number("BENCH_SECONDS", 5).max(1) as u64,
        rounds: env_number("BENCH_ROUNDS", 3).max(1),
        devices: env_number("BENCH_DEVICES", 512).max(16),
        fill: env_number("BENCH_FILL", 200_000).max(1_000),
    };
    let pg = ["BENCH_DATABASE_URL", "TEST_DATABASE_URL"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
    eprintln!(
        "{} clients, {} s per measurement, {} devices acted on, {} filler devices",
        s.clients, s.seconds, s.devices, s.fill
    );
    actix_web::rt::System::new().block_on(async move {
        let mut outcomes = Vec::new();
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("load.sqlite3").display());
        // `BENCH_BACKENDS=postgres` measures one database only.
        let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
        if backends.contains("sqlite") {
            outcomes.push(bench_one("sqlite", &url, None, &s).await);
        }
        match pg.as_ref().filter(|_| backends.contains("postgres")) {
            None => eprintln!(
                "PostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to measure it"
            ),
            Some(base) => {
                let schema = support::FreshSchema::new(base);
                let pg = Some((base.as_str(), schema.name.as_str()));
                outcomes.push(bench_one("postgres", &schema.url, pg, &s).await);
            }
        }
        println!(
            "\n| backend | HTTP actions/s | raw transactions/s | HTTP / raw | mixed load req/s | RSS peak, mixed load (MB) | VmHWM (MB) |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- |");
        for o in &outcomes {
            println!(
                "| {} | {:.0} | {:.0} | {:.2} | {:.0} | {:.1} | {:.1} |",
                o.backend,
                o.http,
                o.raw,
                o.http / o.raw,
                o.mixed_rps,
                o.rss_mixed_kb as f64 / 1024.0,
                o.hwm_kb as f64 / 1024.0
            );
        }
    });
}
