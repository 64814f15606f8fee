//! A year's figures at scale: 1,000,000 devices (with their history), 100,000 loans and
//! 20,000 bookings spread over the five years before the current one, seeded with bulk SQL
//! inserts; then `GET /figures?year=…` is timed over HTTP for each of the last two years and
//! the current one.
//!
//!     cargo bench --bench figures                       # SQLite
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable cargo bench --bench figures
//!
//! `BENCH_DEVICES`, `BENCH_LOANS`, `BENCH_BOOKINGS` change the sizes; `BENCH_SAMPLES` the
//! requests per year (default 5).

use std::collections::HashMap;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use digilend::config::Config;
use digilend::db::{Db, DbConn};
use digilend::domain::accounts;
use digilend::startup::Application;

const KINDS: [&str; 6] = [
    "laptop",
    "tablet",
    "robot",
    "peripheral",
    "desktop",
    "smartphone",
];
const ORG_KINDS: [&str; 3] = ["school", "non_profit", "city_service"];
const DAY: i64 = 86_400;

fn id(table: u32, n: usize) -> String {
    format!("{table:08x}-0000-4000-8000-{n:012x}")
}

fn ts(t: NaiveDateTime) -> String {
    format!("'{}'", t.format("%Y-%m-%d %H:%M:%S"))
}

fn date(t: NaiveDateTime) -> String {
    format!("'{}'", t.format("%Y-%m-%d"))
}

/// Rows for one table, written as multi-row `INSERT`s of 500 rows inside large transactions.
struct Bulk {
    table: &'static str,
    columns: &'static str,
    rows: Vec<String>,
    statements: Vec<String>,
}

impl Bulk {
    fn new(table: &'static str, columns: &'static str) -> Bulk {
        Bulk {
            table,
            columns,
            rows: Vec::new(),
            statements: Vec::new(),
        }
    }

    fn push(&mut self, row: String) {
        self.rows.push(row);
        if self.rows.len() == 500 {
            self.cut();
        }
    }

    fn cut(&mut self) {
        if !self.rows.is_empty() {
            self.statements.push(format!(
                "INSERT INTO {} ({}) VALUES {};",
                self.table,
                self.columns,
                self.rows.join(", ")
            ));
            self.rows.clear();
        }
    }

    fn flush(&mut self, conn: &mut DbConn) {
        self.cut();
        if self.statements.is_empty() {
            return;
        }
        let sql = format!("BEGIN; {} COMMIT;", self.statements.join(" "));
        conn.batch_execute(&sql)
            .unwrap_or_else(|e| panic!("insert into {}: {e}", self.table));
        self.statements.clear();
    }
}

struct Sizes {
    devices: usize,
    loans: usize,
    bookings: usize,
}

/// The device's history so far: (at, action, status before, status after).
type Event = (
    NaiveDateTime,
    &'static str,
    Option<&'static str>,
    &'static str,
);

fn fill(db: &Db, sizes: &Sizes, admin: &str, org: &str) {
    let mut conn = db.conn().expect("connection");
    let conn: &mut DbConn = &mut conn;
    let year = digilend::db::today().year();
    let base = NaiveDate::from_ymd_opt(year - 5, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("base");
    let end = NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("end");
    let span = (end - base).num_seconds();
    let at = |secs: i64| base + chrono::Duration::seconds(secs);

    // Organisations: 10 welfare offices with a social worker each, 20 booking organisations,
    // 5 programmes.
    let mut orgs = Bulk::new("organisations", "id, name, short_name, kind, created_at");
    let mut users = Bulk::new(
        "users",
        "id, organisation_id, name, role, active, created_at",
    );
    for o in 0..10 {
        orgs.push(format!(
            "('{}', 'OCMW {o}', 'O{o}', 'welfare_office', {})",
            id(1, o),
            ts(base)
        ));
        users.push(format!(
            "('{}', '{}', 'Worker {o}', 'social_worker', TRUE, {})",
            id(2, o),
            id(1, o),
            ts(base)
        ));
    }
    for o in 0..20 {
        orgs.push(format!(
            "('{}', 'School {o}', 'S{o}', '{}', {})",
            id(1, 100 + o),
            ORG_KINDS[o % 3],
            ts(base)
        ));
    }
    orgs.flush(conn);
    users.flush(conn);
    let mut progs = Bulk::new("programmes", "id, name, end_date, checkpoint_interval_months, value_cents, created_by, created_at, updated_at");
    for p in 0..5 {
        progs.push(format!(
            "('{}', 'Programme {p}', '{}-12-31', 6, 20000, '{admin}', {}, {})",
            id(3, p),
            year + 5,
            ts(base),
            ts(base)
        ));
    }
    progs.flush(conn);

    // Borrowers: 80,000 records; every 100th is a second registration of the one before it.
    let people = (sizes.loans * 4 / 5).max(1);
    let mut borrowers = Bulk::new("borrowers", "id, organisation_id, name, name_key, date_of_birth, language, social_worker_id, created_by, created_at, updated_at");
    for b in 0..people {
        let office = (b / 2) % 10;
        let person = if b % 100 == 1 { b - 1 } else { b };
        borrowers.push(format!(
            "('{}', '{}', 'Person {person}', 'person {person}', '1980-01-{:02}', 'nl', '{}', '{admin}', {}, {})",
            id(4, b), id(1, office), 1 + person % 28, id(2, office), ts(base), ts(base)));
    }
    borrowers.flush(conn);

    // Which device each loan lends, and each pool device's bookings.
    let loan_of: HashMap<usize, usize> = (0..sizes.loans)
        .map(|k| {
            (
                4000 + 2 * ((k * 498) / 100) % (sizes.devices.saturating_sub(4000).max(2)),
                k,
            )
        })
        .collect();
    let pool = 2000.min(sizes.devices / 2);
    let booking_span = span - 60 * DAY;
    let pickup = |j: usize| at(30 * DAY + j as i64 * booking_span / sizes.bookings.max(1) as i64);
    let served = |j: usize| j % 20 >= 2;

    let mut devices = Bulk::new("devices", "id, seq, asset_tag, kind, brand, model, serial_number, serial_key, specs, status, owner_organisation_id, in_pool, version, created_at, updated_at");
    let mut events = Bulk::new(
        "device_events",
        "id, device_id, seq, at, action, status_before, status_after, detail",
    );
    let mut wipes = Bulk::new("wipe_records", "id, device_id, category, technique, tool, tool_version, drive_type, passes, verified, verification_method, outcome, technician_user_id, technician_name, workshop_id, started_at, ended_at, created_at");
    let mut refurbs = Bulk::new("refurbishments", "id, device_id, checks, cosmetic_grade, functional_pass, minutes_spent, technician_user_id, technician_name, workshop_id, created_at");
    let mut loans = Bulk::new("loans", "id, number, organisation_id, borrower_id, programme_id, social_worker_id, status, purpose, start_date, end_date, programme_end_date, checkpoint_interval_months, value_cents, signed_on, signed_by_borrower, signed_by_social_worker, closed_at, created_by, created_at, updated_at");
    let mut loan_devices = Bulk::new(
        "loan_devices",
        "id, loan_id, device_id, status, open_device_id, returned_on, updated_at",
    );
    let mut checkpoints = Bulk::new("loan_checkpoints", "id, loan_id, due_on, held_on");
    let mut charges = Bulk::new("loan_charges", "id, loan_id, device_id, kind, amount_cents, status, raised_on, paid_on, paid_amount_cents, created_by, created_at, updated_at");
    let mut event_no = 0usize;
    for i in 0..sizes.devices {
        if i % 10_000 == 0 {
            // Devices first: the others refer to them.
            for b in [
                &mut devices,
                &mut events,
                &mut wipes,
                &mut refurbs,
                &mut loans,
                &mut loan_devices,
                &mut checkpoints,
                &mut charges,
            ] {
                b.flush(conn);
            }
        }
        let created = at(i as i64 * span / sizes.devices as i64);
        let mut h: Vec<Event> = vec![(created, "registered", None, "received")];
        let step =
            |h: &mut Vec<Event>, t: NaiveDateTime, action: &'static str, to: &'static str| {
                let before = h.last().map(|e| e.3);
                h.push((t, action, before, to));
            };
        let device = id(5, i);
        if i % 2 == 0 {
            let wiped = created + chrono::Duration::days(3);
            wipes.push(format!(
                "('{}', '{device}', 'purge', 'crypto_erase', 'nwipe', '0.36', 'ssd', 1, TRUE, 'full', 'passed', '{admin}', 'Bench', '{org}', {}, {}, {})",
                id(6, i), ts(wiped), ts(wiped), ts(wiped)));
            step(&mut h, wiped, "wipe", "wiped");
            let refurbished = created + chrono::Duration::days(6);
            refurbs.push(format!(
                "('{}', '{device}', '{{}}', '{}', TRUE, 30, '{admin}', 'Bench', '{org}', {})",
                id(7, i),
                ["A", "B", "C"][i % 3],
                ts(refurbished)
            ));
            step(&mut h, refurbished, "refurbish", "refurbished");
            step(
                &mut h,
                created + chrono::Duration::days(8),
                "release",
                "ready",
            );
        } else if i % 50 == 1 {
            step(
                &mut h,
                created + chrono::Duration::days(20),
                "retire",
                "retired",
            );
        } else if i % 50 == 3 {
            let failed = created + chrono::Duration::days(2);
            wipes.push(format!(
                "('{}', '{device}', 'clear', 'overwrite', 'nwipe', '0.36', 'hdd', 1, TRUE, 'full', 'failed', '{admin}', 'Bench', '{org}', {}, {}, {})",
                id(6, i), ts(failed), ts(failed), ts(failed)));
        }
        if let Some(&k) = loan_of.get(&i) {
            let lent = created + chrono::Duration::days(12);
            let b = k % people;
            let office = (b / 2) % 10;
            let loan = id(8, k);
            let (status, closed, device_status) = if k % 2 == 0 {
                let back = lent + chrono::Duration::days(180);
                step(&mut h, lent, "lend", "on_loan");
                step(&mut h, back, "check_in", "returned");
                ("closed", Some(back), "returned")
            } else if k % 50 == 1 {
                let lost = lent + chrono::Duration::days(400);
                step(&mut h, lent, "lend", "on_loan");
                step(&mut h, lost, "mark_lost", "lost");
                let paid = if k % 100 == 1 {
                    (date(lost), "20000", "paid")
                } else {
                    ("NULL".into(), "NULL", "open")
                };
                charges.push(format!(
                    "('{}', '{loan}', '{device}', 'non_return', 20000, '{}', {}, {}, {}, '{admin}', {}, {})",
                    id(9, k), paid.2, date(lost), paid.0, paid.1, ts(lost), ts(lost)));
                ("closed", Some(lost), "not_returned")
            } else {
                step(&mut h, lent, "lend", "on_loan");
                ("active", None, "on_loan")
            };
            let signed = date(lent);
            loans.push(format!(
                "('{loan}', 'L{k:07}', '{}', '{}', '{}', '{}', '{status}', 'job_search', {signed}, {}, '{}-12-31', 6, 20000, {signed}, TRUE, TRUE, {}, '{admin}', {}, {})",
                id(1, office), id(4, b), id(3, k % 5), id(2, office),
                date(lent + chrono::Duration::days(730)), year + 5,
                closed.map(ts).unwrap_or_else(|| "NULL".into()), ts(lent), ts(lent)));
            let open = if device_status == "on_loan" {
                format!("'{device}'")
            } else {
                "NULL".into()
            };
            let returned = if device_status == "returned" {
                closed.map(date).unwrap_or_default()
            } else {
                "NULL".into()
            };
            loan_devices.push(format!(
                "('{}', '{loan}', '{device}', '{device_status}', {open}, {returned}, {})",
                id(10, k),
                ts(lent)
            ));
            let due = lent + chrono::Duration::days(182);
            let held = if k % 2 == 1 {
                date(due + chrono::Duration::days(k as i64 % 3 - 1))
            } else {
                "NULL".into()
            };
            checkpoints.push(format!(
                "('{}', '{loan}', {}, {held})",
                id(11, k),
                date(due)
            ));
        }
        let in_pool = i % 2 == 0 && i / 2 < pool && !loan_of.contains_key(&i);
        if in_pool && sizes.bookings > 0 {
            let q = i / 2;
            let m = q % 8;
            let mut j = (q - m) / 8;
            while j < sizes.bookings {
                if served(j) {
                    let out = pickup(j) + chrono::Duration::hours(9);
                    step(&mut h, out, "book_out", "booked_out");
                    step(
                        &mut h,
                        out + chrono::Duration::days(3),
                        "check_in",
                        "returned",
                    );
                    step(&mut h, out + chrono::Duration::days(4), "release", "ready");
                }
                j += pool / 8;
            }
        }
        let last = h.last().copied().expect("history");
        devices.push(format!(
            "('{device}', {}, 'GNT-{:07}', '{}', 'Lenovo', 'T480', 'SN{i:09}', 'SN{i:09}', '{{}}', '{}', '{org}', {}, {}, {}, {})",
            i + 1, i + 1, KINDS[i % KINDS.len()], last.3, if in_pool { "TRUE" } else { "FALSE" }, h.len(), ts(created), ts(last.0)));
        for (seq, (t, action, before, after)) in h.iter().enumerate() {
            event_no += 1;
            events.push(format!(
                "('{}', '{device}', {}, {}, '{action}', {}, '{after}', '{{}}')",
                id(12, event_no),
                seq + 1,
                ts(*t),
                before
                    .map(|b| format!("'{b}'"))
                    .unwrap_or_else(|| "NULL".into())
            ));
        }
    }
    // Devices first: the others refer to them.
    for b in [
        &mut devices,
        &mut events,
        &mut wipes,
        &mut refurbs,
        &mut loans,
        &mut loan_devices,
        &mut checkpoints,
        &mut charges,
    ] {
        b.flush(conn);
    }

    // Bookings, their lines and devices.
    let mut bookings = Bulk::new("bookings", "id, reference, organisation_id, requested_by, status, pickup_on, return_on, purpose, contact_name, confirmed_at, picked_up_at, returned_at, cancelled_at, version, created_at, updated_at");
    let mut lines = Bulk::new("booking_lines", "id, booking_id, line_no, kind, quantity");
    let mut allocations = Bulk::new("booking_devices", "id, booking_id, device_id, line_no, state, occupied_from, occupied_until, picked_up_at, returned_at, reported_missing, created_at");
    let mut alloc_no = 0usize;
    for j in 0..sizes.bookings {
        if j % 2_000 == 0 {
            for b in [&mut bookings, &mut lines, &mut allocations] {
                b.flush(conn);
            }
        }
        let p = pickup(j);
        let created = p - chrono::Duration::days(14);
        let back = p + chrono::Duration::days(3);
        let bid = id(13, j);
        let (status, confirmed, out, returned, cancelled) = match j % 20 {
            0 => (
                "cancelled",
                "NULL".into(),
                "NULL".into(),
                "NULL".into(),
                ts(created + chrono::Duration::days(1)),
            ),
            1 => (
                "requested",
                "NULL".into(),
                "NULL".into(),
                "NULL".into(),
                "NULL".into(),
            ),
            _ => (
                "returned",
                ts(created + chrono::Duration::days(2)),
                ts(p),
                ts(back),
                "NULL".into(),
            ),
        };
        bookings.push(format!(
            "('{bid}', 'B{j:07}', '{}', '{admin}', '{status}', {}, {}, 'Les', 'Juf', {confirmed}, {out}, {returned}, {cancelled}, 1, {}, {})",
            id(1, 100 + j % 20), date(p), date(back), ts(created), ts(created)));
        lines.push(format!("('{}', '{bid}', 1, 'tablet', 8)", id(14, j)));
        if served(j) {
            for m in 0..8 {
                let q = (j * 8 + m) % pool.max(1);
                alloc_no += 1;
                allocations.push(format!(
                    "('{}', '{bid}', '{}', 1, 'returned', {}, {}, {}, {}, FALSE, {})",
                    id(15, alloc_no),
                    id(5, 2 * q),
                    date(p),
                    date(back + chrono::Duration::days(1)),
                    ts(p + chrono::Duration::hours(9)),
                    ts(back),
                    ts(created)
                ));
            }
        }
    }
    for b in [&mut bookings, &mut lines, &mut allocations] {
        b.flush(conn);
    }
    conn.batch_execute("ANALYZE").expect("analyze");
}

fn main() {
    let size = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let sizes = Sizes {
        devices: size("BENCH_DEVICES", 1_000_000),
        loans: size("BENCH_LOANS", 100_000),
        bookings: size("BENCH_BOOKINGS", 20_000),
    };
    let samples = size("BENCH_SAMPLES", 5).max(1);
    let pg = std::env::var("BENCH_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty());
    let _dir = tempfile::tempdir().expect("temp dir");
    let mut drop_schema = None;
    let url = match &pg {
        // `BENCH_SQLITE_FILE` keeps the database for a look with `sqlite3` afterwards.
        None => match std::env::var("BENCH_SQLITE_FILE") {
            Ok(file) => format!("sqlite://{file}"),
            Err(_) => format!("sqlite://{}", _dir.path().join("bench.sqlite3").display()),
        },
        Some(base) => {
            let schema = format!("bench_{}", uuid::Uuid::new_v4().simple());
            let mut c = PgConnection::establish(base).expect("postgres");
            diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                .execute(&mut c)
                .expect("schema");
            drop_schema = Some(DropSchema(base.clone(), schema.clone()));
            let sep = if base.contains('?') { '&' } else { '?' };
            format!("{base}{sep}options=-csearch_path%3D{schema}")
        }
    };
    let label = if pg.is_some() { "postgres" } else { "sqlite" };
    actix_web::rt::System::new().block_on(async move {
        let db = Db::connect(&url, 8).expect("database");
        let (user, token) = db
            .write_blocking(|c| accounts::bootstrap_admin(c, "Bench", "Bench Service"))
            .expect("admin");
        let started = Instant::now();
        // A database kept with `BENCH_SQLITE_FILE` is filled once.
        let filled = {
            let mut c = db.conn().expect("connection");
            let c: &mut DbConn = &mut c;
            digilend::db::schema::devices::table
                .count()
                .get_result::<i64>(c)
                .expect("count")
                > 0
        };
        if filled {
            eprintln!("{label}: the kept database is already filled");
        } else {
            fill(&db, &sizes, &user.id, &user.organisation_id);
            eprintln!(
                "{label}: seeded {} devices, {} loans, {} bookings in {:.0} s",
                sizes.devices,
                sizes.loans,
                sizes.bookings,
                started.elapsed().as_secs_f64()
            );
        }
        let config = Config {
            database_url: url.clone(),
            port: 0,
            pool_size: 8,
            workers: Some(2),
            ..Config::default()
        };
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let app = Application::with(config, db, listener).expect("app");
        let base = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        let client = reqwest::Client::new();
        let year = digilend::db::today().year();
        println!("\n| backend | year | first (ms) | median (ms) | slowest (ms) | people reached | devices lent | bookings requested |");
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for y in [year - 2, year - 1, year] {
            let mut times: Vec<Duration> = Vec::new();
            let mut body = serde_json::Value::Null;
            for _ in 0..=samples {
                let t = Instant::now();
                let r = client
                    .get(format!("{base}/figures?year={y}"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("send");
                assert!(r.status().is_success(), "{}", r.status());
                body = r.json().await.expect("json");
                times.push(t.elapsed());
            }
            let first = times.remove(0); // the first request warms the caches
            times.sort();
            let value = |group: &str, name: &str| {
                body["groups"]
                    .as_array()
                    .and_then(|gs| gs.iter().find(|g| g["name"] == group))
                    .and_then(|g| g["figures"].as_array())
                    .and_then(|fs| fs.iter().find(|f| f["name"] == name))
                    .map(|f| f["value"].to_string())
                    .unwrap_or_default()
            };
            println!(
                "| {label} | {y} | {:.0} | {:.0} | {:.0} | {} | {} | {} |",
                first.as_secs_f64() * 1000.0,
                times[times.len() / 2].as_secs_f64() * 1000.0,
                times[times.len() - 1].as_secs_f64() * 1000.0,
                value("people", "people_reached"),
                value("devices", "lent"),
                value("bookings", "requested"),
            );
        }
    });
    drop(drop_schema);
}

struct DropSchema(String, String);

impl Drop for DropSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = PgConnection::establish(&self.0) {
            let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {} CASCADE", self.1))
                .execute(&mut c);
        }
    }
}
