//! Test harness: each test gets its own server on port 0 and its own database (an SQLite
//! file in a temporary folder, or a PostgreSQL schema when `TEST_DATABASE_URL` is set).

use std::net::TcpListener;

use diesel::prelude::*;
use digilend::config::Config;
use digilend::db::{Db, DbConn};
use digilend::domain::accounts;
use digilend::startup::Application;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Declares a test that runs once on SQLite and once on PostgreSQL. The PostgreSQL half needs
/// `TEST_DATABASE_URL`; `.ci/test` always sets it (and the suite fails if the server is not
/// reachable), so CI never skips it silently.
#[macro_export]
macro_rules! dual_test {
    ($name:ident) => {
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }
            #[actix_web::test]
            async fn postgres() {
                if $crate::helpers::postgres_url().is_none() {
                    eprintln!("TEST_DATABASE_URL is not set: PostgreSQL half not run");
                    return;
                }
                super::$name($crate::helpers::Backend::Postgres).await
            }
        }
    };
}

pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Where one test's data lives; removed when the test ends.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<(String, String)>,
}

impl TestDatabase {
    pub fn new(backend: Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.sqlite3").display());
                TestDatabase {
                    url,
                    _dir: Some(dir),
                    pg_schema: None,
                }
            }
            Backend::Postgres => {
                let base = postgres_url().expect("TEST_DATABASE_URL");
                let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::establish(&base).unwrap_or_else(|e| {
                    panic!("cannot reach PostgreSQL at TEST_DATABASE_URL: {e}")
                });
                diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                    .execute(&mut conn)
                    .expect("create schema");
                let sep = if base.contains('?') { '&' } else { '?' };
                let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
                TestDatabase {
                    url,
                    _dir: None,
                    pg_schema: Some((base, schema)),
                }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.pg_schema {
            if let Ok(mut conn) = PgConnection::establish(base) {
                let _ = diesel::sql_query("SET lock_timeout = '5s'").execute(&mut conn);
                let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .execute(&mut conn);
            }
        }
    }
}

pub struct TestApp {
    pub backend: Backend,
    pub address: String,
    pub client: reqwest::Client,
    pub admin_token: String,
    pub admin_org: String,
    pub db: Db,
    pub database: std::sync::Arc<TestDatabase>,
}

pub fn test_config(url: &str) -> Config {
    Config {
        database_url: url.to_string(),
        host: "127.0.0.1".into(),
        port: 0,
        pool_size: 8,
        public_base_url: "https://uitleen.example.be".into(),
        workers: Some(2),
        labels_dir: None,
        ..Config::default()
    }
}

/// Starts the app on a fresh database and creates an admin.
pub async fn spawn_app(backend: Backend) -> TestApp {
    let database = std::sync::Arc::new(TestDatabase::new(backend));
    spawn_on(backend, database, None).await
}

/// Starts another server process-equivalent on the same database (its own pool, nothing
/// shared in memory), reusing the first app's admin.
pub async fn spawn_second(first: &TestApp) -> TestApp {
    spawn_on(
        first.backend,
        first.database.clone(),
        Some((first.admin_token.clone(), first.admin_org.clone())),
    )
    .await
}

/// Starts the app on a fresh database with a changed configuration.
pub async fn spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let database = std::sync::Arc::new(TestDatabase::new(backend));
    let mut config = test_config(&database.url);
    tweak(&mut config);
    spawn_configured(backend, database, None, config).await
}

async fn spawn_on(
    backend: Backend,
    database: std::sync::Arc<TestDatabase>,
    admin: Option<(String, String)>,
) -> TestApp {
    let config = test_config(&database.url);
    spawn_configured(backend, database, admin, config).await
}

async fn spawn_configured(
    backend: Backend,
    database: std::sync::Arc<TestDatabase>,
    admin: Option<(String, String)>,
    config: Config,
) -> TestApp {
    let db = Db::connect(&config.database_url, config.pool_size).expect("database opens");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    let app = Application::with(config, db.clone(), listener).expect("app builds");
    let port = app.port();
    actix_web::rt::spawn(app.run_until_stopped());
    let (admin_token, admin_org) = match admin {
        Some(a) => a,
        None => {
            let (user, token) = db
                .write_blocking(|c| {
                    accounts::bootstrap_admin(c, "Test Admin", "Digitale Uitleendienst Gent")
                })
                .expect("admin");
            (token, user.organisation_id)
        }
    };
    TestApp {
        backend,
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder().build().expect("client"),
        admin_token,
        admin_org,
        db,
        database,
    }
}

/// A response read whole: status, content type and JSON body (Null when not JSON).
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn assert_status(&self, expected: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            expected,
            "unexpected status; body: {}",
            self.body
        );
        self
    }

    /// Asserts an RFC 9457 problem document with this status.
    pub fn assert_problem(&self, expected: u16) -> &Self {
        self.assert_status(expected);
        assert!(
            self.content_type.starts_with("application/problem+json"),
            "content type {} for {}",
            self.content_type,
            self.body
        );
        assert_eq!(self.body["status"], expected);
        assert!(
            self.body["type"].is_string()
                && self.body["title"].is_string()
                && self.body["detail"].is_string()
        );
        self
    }

    /// The `field` names of a validation problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        into_resp(req.send().await.expect("request sent")).await
    }

    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Resp {
        let mut req = self
            .client
            .request(method, self.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        into_resp(req.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.send(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Resp {
        self.send(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Resp {
        self.send(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    /// Creates an organisation and returns its id.
    pub async fn create_org(&self, name: &str, kind: &str) -> String {
        let r = self
            .post(
                "/organisations",
                &self.admin_token,
                json!({ "name": name, "kind": kind }),
            )
            .await;
        r.assert_status(201);
        r.body["id"].as_str().expect("id").to_string()
    }

    /// Creates a user with a role in an organisation and returns (user id, token).
    pub async fn create_user(&self, org: &str, role: &str) -> (String, String) {
        let r = self
            .post(
                "/users",
                &self.admin_token,
                json!({ "organisation_id": org, "name": format!("{role} user"), "role": role }),
            )
            .await;
        r.assert_status(201);
        let id = r.body["id"].as_str().expect("id").to_string();
        let t = self
            .post(
                &format!("/users/{id}/tokens"),
                &self.admin_token,
                json!({ "label": "test" }),
            )
            .await;
        t.assert_status(201);
        (id, t.body["secret"].as_str().expect("secret").to_string())
    }

    /// A user with `role` in a new organisation of `kind`: (org id, token).
    pub async fn user_in_new_org(&self, role: &str, kind: &str) -> (String, String) {
        let org = self
            .create_org(&format!("{kind} {}", uuid::Uuid::new_v4().simple()), kind)
            .await;
        let (_, token) = self.create_user(&org, role).await;
        (org, token)
    }

    /// A new one-time welcome link for a user, made by the admin: the path part of the URL
    /// the API returns (`/welcome/…`). Used by the browser tests (tests/browser).
    #[allow(dead_code)]
    pub async fn welcome_path(&self, user_id: &str) -> String {
        let r = self
            .post(
                &format!("/users/{user_id}/invitation"),
                &self.admin_token,
                json!({}),
            )
            .await;
        r.assert_status(201);
        let url = r.body["url"].as_str().expect("url");
        let i = url.find("/welcome/").expect("a welcome link");
        url[i..].to_string()
    }

    /// Records a donation and returns its id.
    pub async fn create_donation(&self, token: &str) -> String {
        let r = self
            .post(
                "/donations",
                token,
                json!({ "donor_name": "Bakkerij Janssens", "received_on": "2026-11-02", "received_at": "Depot Wondelgem" }),
            )
            .await;
        r.assert_status(201);
        r.body["id"].as_str().expect("id").to_string()
    }

    /// Registers `n` devices of `kind` in a donation; returns the devices.
    pub async fn register_devices(
        &self,
        token: &str,
        donation: &str,
        kind: &str,
        n: usize,
    ) -> Vec<Value> {
        let items: Vec<Value> = (0..n)
            .map(|i| {
                json!({
                    "kind": kind, "brand": "Lenovo", "model": "ThinkPad T480",
                    "serial_number": format!("SN-{}-{i}", uuid::Uuid::new_v4().simple()),
                    "specs": { "ram_gb": 8, "drives": [ { "type": "ssd", "size_gb": 256 } ] }
                })
            })
            .collect();
        let r = self
            .post(
                &format!("/donations/{donation}/devices"),
                token,
                Value::Array(items),
            )
            .await;
        r.assert_status(201);
        r.body["devices"].as_array().expect("devices").clone()
    }

    /// Number of rows in every table, to prove that a refused request changed nothing.
    pub fn row_counts(&self) -> Vec<(String, i64)> {
        let mut conn = self.db.conn().expect("connection");
        let tables = table_names(&mut conn);
        tables
            .into_iter()
            .map(|t| {
                #[derive(QueryableByName)]
                struct N {
                    #[diesel(sql_type = diesel::sql_types::BigInt)]
                    n: i64,
                }
                let n: N = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {t}"))
                    .get_result(&mut *conn)
                    .expect("count");
                (t, n.n)
            })
            .collect()
    }
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

/// The application's tables (without diesel's migration bookkeeping).
pub fn table_names(conn: &mut DbConn) -> Vec<String> {
    let sql = match conn {
        DbConn::Sqlite(_) => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__diesel%' ORDER BY name",
        DbConn::Postgres(_) => "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name NOT LIKE '__diesel%' ORDER BY table_name",
    };
    let rows: Vec<Name> =
        digilend::on_backend!(conn, c => diesel::sql_query(sql).load(c)).expect("tables");
    rows.into_iter().map(|r| r.name).collect()
}

/// The columns of a table, sorted.
pub fn column_names(conn: &mut DbConn, table: &str) -> Vec<String> {
    let sql = match conn {
        DbConn::Sqlite(_) => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY name"),
        DbConn::Postgres(_) => format!(
            "SELECT column_name::text AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY column_name"
        ),
    };
    let rows: Vec<Name> =
        digilend::on_backend!(conn, c => diesel::sql_query(&sql).load(c)).expect("columns");
    rows.into_iter().map(|r| r.name).collect()
}

async fn into_resp(r: reqwest::Response) -> Resp {
    let status = r.status();
    let content_type = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = r.bytes().await.expect("body").to_vec();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp {
        status,
        content_type,
        body,
        bytes,
    }
}

/// The text of a PDF, with runs of whitespace collapsed (wrapped lines join up again).
pub fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text");
    text.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Today in Brussels, as the service counts it.
pub fn today() -> chrono::NaiveDate {
    digilend::db::today()
}

// ---- Running the service (ops): a server on a database the test made itself ----

impl TestDatabase {
    /// A database at `url` that the test created itself (a restored backup); nothing is
    /// removed when the test ends, the test's own temporary folder is.
    pub fn at(url: &str) -> TestDatabase {
        TestDatabase {
            url: url.to_string(),
            _dir: None,
            pg_schema: None,
        }
    }
}

/// Starts another server on the database at `url`, reusing `first`'s admin and its token.
pub async fn spawn_at(first: &TestApp, url: &str) -> TestApp {
    spawn_on(
        first.backend,
        std::sync::Arc::new(TestDatabase::at(url)),
        Some((first.admin_token.clone(), first.admin_org.clone())),
    )
    .await
}
// ---- Helpers added for the personal-data tests (gdpr branch) ----

impl TestApp {
    /// Every `table.column` whose value, read as text, contains `needle` (case-insensitive):
    /// a raw look over all the tables, independent of the API.
    pub fn columns_containing(&self, needle: &str) -> Vec<String> {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.db.conn().expect("connection");
        let needle = needle.to_lowercase().replace('\'', "''");
        let mut out = Vec::new();
        for t in table_names(&mut conn) {
            for c in column_names(&mut conn, &t) {
                let n: N = diesel::sql_query(format!(
                    "SELECT COUNT(*) AS n FROM {t} WHERE LOWER(CAST(\"{c}\" AS TEXT)) LIKE '%{needle}%'"
                ))
                .get_result(&mut *conn)
                .expect("scan");
                if n.n > 0 {
                    out.push(format!("{t}.{c}"));
                }
            }
        }
        out
    }

    /// A GET with the token, returning the raw response (headers included).
    pub async fn get_raw(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }
}

// ---- The whole chain: every device's status, holder, allocation and history agree ----

impl TestApp {
    /// Reads every device straight from the tables (independently of the service's code) and
    /// panics naming each one whose status, holder, open loan or booking, pool membership and
    /// history disagree:
    /// - the history's last event leads to the device's status;
    /// - `on_loan` ⇔ exactly one device line of a loan is out, and the loan's office holds it;
    /// - `booked_out` ⇔ exactly one allocation is picked up, and the booking's organisation
    ///   holds it; never both at once;
    /// - a device allocated to a booking is a pool device on no open loan (draft or signed);
    /// - a device back (`returned`, `in_repair`) is held by its owner or its workshop.
    pub fn assert_devices_agree(&self) {
        use diesel::sql_types::{BigInt, Bool, Nullable, Text};
        #[derive(QueryableByName, Debug)]
        struct Row {
            #[diesel(sql_type = Text)]
            asset_tag: String,
            #[diesel(sql_type = Text)]
            status: String,
            #[diesel(sql_type = Bool)]
            in_pool: bool,
            #[diesel(sql_type = Nullable<Text>)]
            holder: Option<String>,
            #[diesel(sql_type = Text)]
            owner: String,
            #[diesel(sql_type = Nullable<Text>)]
            workshop: Option<String>,
            #[diesel(sql_type = Nullable<Text>)]
            last_status: Option<String>,
            #[diesel(sql_type = BigInt)]
            on_loan: i64,
            #[diesel(sql_type = Nullable<Text>)]
            loan_org: Option<String>,
            #[diesel(sql_type = BigInt)]
            open_loans: i64,
            #[diesel(sql_type = BigInt)]
            picked_up: i64,
            #[diesel(sql_type = Nullable<Text>)]
            booking_org: Option<String>,
            #[diesel(sql_type = BigInt)]
            allocated: i64,
        }
        let mut conn = self.db.conn().expect("connection");
        let rows: Vec<Row> = diesel::sql_query(
            "SELECT d.asset_tag, d.status, d.in_pool, d.holder_organisation_id AS holder, \
                    d.owner_organisation_id AS owner, d.workshop_id AS workshop, \
               (SELECT e.status_after FROM device_events e WHERE e.device_id = d.id \
                 ORDER BY e.seq DESC LIMIT 1) AS last_status, \
               (SELECT COUNT(*) FROM loan_devices ld WHERE ld.device_id = d.id \
                 AND ld.status = 'on_loan') AS on_loan, \
               (SELECT l.organisation_id FROM loan_devices ld JOIN loans l ON l.id = ld.loan_id \
                 WHERE ld.device_id = d.id AND ld.status = 'on_loan' LIMIT 1) AS loan_org, \
               (SELECT COUNT(*) FROM loan_devices ld WHERE ld.device_id = d.id \
                 AND ld.status IN ('pending', 'on_loan')) AS open_loans, \
               (SELECT COUNT(*) FROM booking_devices bd WHERE bd.device_id = d.id \
                 AND bd.state = 'picked_up') AS picked_up, \
               (SELECT b.organisation_id FROM booking_devices bd \
                 JOIN bookings b ON b.id = bd.booking_id \
                 WHERE bd.device_id = d.id AND bd.state = 'picked_up' LIMIT 1) AS booking_org, \
               (SELECT COUNT(*) FROM booking_devices bd WHERE bd.device_id = d.id \
                 AND bd.state = 'allocated') AS allocated \
             FROM devices d ORDER BY d.asset_tag",
        )
        .load(&mut *conn)
        .expect("devices");
        let mut wrong = Vec::new();
        for r in &rows {
            let mut say = |what: String| wrong.push(format!("{}: {what} ({r:?})", r.asset_tag));
            if r.last_status.as_deref() != Some(r.status.as_str()) {
                say(format!("history ends at {:?}", r.last_status));
            }
            if (r.status == "on_loan") != (r.on_loan == 1) || r.on_loan > 1 {
                say(format!("{} loan lines out", r.on_loan));
            }
            if r.status == "on_loan" && r.holder != r.loan_org {
                say("not held by the lending office".into());
            }
            if (r.status == "booked_out") != (r.picked_up == 1) || r.picked_up > 1 {
                say(format!("{} booking allocations out", r.picked_up));
            }
            if r.status == "booked_out" && r.holder != r.booking_org {
                say("not held by the booking's organisation".into());
            }
            if r.allocated > 0 && (!r.in_pool || r.open_loans > 0) {
                say("allocated to a booking outside the pool or on a loan".into());
            }
            if matches!(r.status.as_str(), "returned" | "in_repair")
                && r.holder.as_deref() != Some(r.owner.as_str())
                && r.holder != r.workshop
            {
                say("back, but held by neither its owner nor its workshop".into());
            }
        }
        assert!(
            wrong.is_empty(),
            "devices that disagree:\n{}",
            wrong.join("\n")
        );
        assert!(!rows.is_empty(), "no device was checked");
    }
}
