//! The workshop bench's pages at scale (issue 13's targets), measured over HTTP as a browser
//! without JavaScript uses them: a refurbisher signed in with a session cookie, on a database
//! of 1,000,000 devices of which 2,000 are in the refurbisher's workshop (400 each received,
//! wiped, refurbished, ready and on loan, in 20 donation batches) and the rest elsewhere.
//!
//! Times (server time as seen from a client on the same machine, so an upper bound) per page:
//! the home page, the workshop's queue and batches, a device's page opened by its label URL,
//! the batch-mode page, and one scan in batch mode (a passed wipe of a received laptop's built-in
//! storage with the wipe step, and one in five a refused scan: a ready device). Weights: a first visit (the home page's HTML with every
//! stylesheet, script and icon it names) and each later page (its HTML alone: the assets are
//! cached for a year under hashed names), as sent and gzip-compressed.
//!
//!     cargo bench --bench pages                           # SQLite
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable cargo bench --bench pages
//!
//! `BENCH_DEVICES` changes the size (default 1,000,000), `BENCH_SAMPLES` the requests per page
//! (default 300).

mod support;

use std::io::Write;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use digilend::config::Config;
use digilend::db::Db;
use digilend::domain::accounts;
use digilend::domain::devices::format_tag;
use digilend::domain::lifecycle::Status;
use digilend::startup::Application;
use serde_json::{json, Value};
use support::percentile_ms;

const PASSWORD: &str = "de fiets staat achter het stadhuis";
/// One device in this many is in the measured workshop.
const EVERY: i64 = 500;
const CYCLE: [Status; 5] = [
    Status::Received,
    Status::Wiped,
    Status::Refurbished,
    Status::Ready,
    Status::OnLoan,
];
const ELSEWHERE: [Status; 6] = [
    Status::Ready,
    Status::OnLoan,
    Status::Retired,
    Status::BookedOut,
    Status::Received,
    Status::Wiped,
];
const BATCHES: usize = 20;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

/// A browser without JavaScript: the session cookie and the page's CSRF token.
struct Browser {
    client: reqwest::Client,
    base: String,
    cookies: Vec<(String, String)>,
}

impl Browser {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, r: &reqwest::Response) {
        for line in r.headers().get_all(reqwest::header::SET_COOKIE) {
            let Some((k, v)) = line
                .to_str()
                .ok()
                .and_then(|l| l.split(';').next())
                .and_then(|p| p.split_once('='))
            else {
                continue;
            };
            self.cookies.retain(|(name, _)| name != k);
            self.cookies.push((k.to_string(), v.to_string()));
        }
    }

    /// GET a page: its status, its body and the time to the last byte.
    async fn get(&mut self, path: &str) -> (u16, String, Duration) {
        let started = Instant::now();
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("send");
        self.keep_cookies(&r);
        let status = r.status().as_u16();
        let body = r.text().await.expect("body");
        (status, body, started.elapsed())
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> (u16, String, Duration) {
        let started = Instant::now();
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("origin", &self.base)
            .form(form)
            .send()
            .await
            .expect("send");
        self.keep_cookies(&r);
        let status = r.status().as_u16();
        let body = r.text().await.expect("body");
        (status, body, started.elapsed())
    }
}

fn csrf_of(body: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let i = body.find(marker).expect("a csrf field") + marker.len();
    body[i..].chars().take_while(|c| *c != '"').collect()
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip").len()
}

/// The paths of the stylesheets, scripts and icons a page names.
fn assets_of(html: &str) -> Vec<String> {
    let mut out: Vec<String> = html
        .match_indices("\"/static/")
        .map(|(i, _)| html[i + 1..].chars().take_while(|c| *c != '"').collect())
        .collect();
    out.sort();
    out.dedup();
    out
}

async fn api(client: &reqwest::Client, base: &str, token: &str, path: &str, body: Value) -> Value {
    let r = client
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    let body: Value = r.json().await.expect("json");
    assert!((200..300).contains(&status), "{path}: {status} {body}");
    body
}

fn str_of(v: &Value) -> String {
    v.as_str().expect("a string").to_string()
}

struct Timings {
    name: &'static str,
    samples: Vec<Duration>,
    bytes: usize,
    gzip: usize,
}

impl Timings {
    fn new(name: &'static str) -> Timings {
        Timings {
            name,
            samples: Vec::new(),
            bytes: 0,
            gzip: 0,
        }
    }

    fn add(&mut self, d: Duration, body: &str) {
        self.samples.push(d);
        self.bytes = self.bytes.max(body.len());
        self.gzip = self.gzip.max(gzip_len(body.as_bytes()));
    }
}

fn main() {
    let size = env_number("BENCH_DEVICES", 1_000_000);
    let samples = env_number("BENCH_SAMPLES", 300);
    let pg = std::env::var("BENCH_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty());
    actix_web::rt::System::new().block_on(async move {
        let mut _guards: Vec<Box<dyn std::any::Any>> = Vec::new();
        let label = if pg.is_some() { "postgres" } else { "sqlite" };
        let url = match &pg {
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("bench.sqlite3").display());
                _guards.push(Box::new(dir));
                url
            }
            Some(base) => {
                let schema = support::FreshSchema::new(base);
                let url = schema.url.clone();
                _guards.push(Box::new(schema));
                url
            }
        };
        let config = Config {
            database_url: url.clone(),
            port: 0,
            pool_size: 8,
            workers: Some(2),
            ..Config::default()
        };
        let db = Db::connect(&url, 8).expect("database");
        let (admin, token) = db
            .write_blocking(|c| accounts::bootstrap_admin(c, "Bench", "Bench Service"))
            .expect("admin");
        let filler = Db::connect(&url, 2).expect("database");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let app = Application::with(config, db, listener).expect("app");
        let base = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");

        // The workshop, its refurbisher (invited, with a password) and its donation batches.
        let workshop = str_of(
            &api(
                &client,
                &base,
                &token,
                "/organisations",
                json!({ "name": "Werkplaats Bench", "kind": "workshop" }),
            )
            .await["id"],
        );
        let other = str_of(
            &api(
                &client,
                &base,
                &token,
                "/organisations",
                json!({ "name": "Werkplaats Elders", "kind": "workshop" }),
            )
            .await["id"],
        );
        let mut donations = Vec::new();
        for i in 0..BATCHES {
            let d = str_of(
                &api(
                    &client,
                    &base,
                    &token,
                    "/donations",
                    json!({ "donor_name": format!("Schenker {i}"), "received_on": "2026-11-02",
                            "received_at": "Depot" }),
                )
                .await["id"],
            );
            api(
                &client,
                &base,
                &token,
                &format!("/donations/{d}/assign"),
                json!({ "workshop_id": workshop }),
            )
            .await;
            donations.push(d);
        }
        let user = str_of(
            &api(
                &client,
                &base,
                &token,
                "/users",
                json!({ "organisation_id": workshop, "name": "Lotte", "role": "refurbisher",
                        "email": "lotte@werkplaats.example.be" }),
            )
            .await["id"],
        );
        let link = str_of(
            &api(
                &client,
                &base,
                &token,
                &format!("/users/{user}/invitation"),
                json!({}),
            )
            .await["url"],
        );
        let welcome = link[link.find("/welcome/").expect("a welcome link")..].to_string();

        let started = Instant::now();
        let (ws, elsewhere) = (workshop.clone(), other.clone());
        support::fill_devices(&filler, size, &admin.organisation_id, move |seq, row| {
            if seq % EVERY == 0 {
                let n = (seq / EVERY) as usize;
                row.status = CYCLE[n % CYCLE.len()];
                row.workshop_id = Some(ws.clone());
                row.donation_id = Some(donations[(n / CYCLE.len()) % BATCHES].clone());
                // Older first: the queue's order is by the last change.
                row.updated_at -= chrono::Duration::minutes(n as i64);
            } else {
                row.status = ELSEWHERE[(seq as usize) % ELSEWHERE.len()];
                if seq % 3 == 0 {
                    row.workshop_id = Some(elsewhere.clone());
                }
            }
        });
        drop(filler);
        eprintln!(
            "{label}: filled {size} devices in {:.1} s",
            started.elapsed().as_secs_f64()
        );

        // A new client: the server has closed the idle connections of the set-up meanwhile.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let mut browser = Browser {
            client: client.clone(),
            base: base.clone(),
            cookies: Vec::new(),
        };
        let (status, _, _) = browser.get(&welcome).await;
        assert_eq!(status, 200, "the welcome page");
        let (status, body, _) = browser.post(&welcome, &[("password", PASSWORD)]).await;
        assert_eq!(status, 303, "signed in: {body}");

        // Weights: a first visit, then each page's HTML alone.
        let (status, home, _) = browser.get("/").await;
        assert_eq!(status, 200);
        let (mut first, mut first_gzip) = (home.len(), gzip_len(home.as_bytes()));
        for asset in assets_of(&home) {
            let r = client
                .get(format!("{base}{asset}"))
                .send()
                .await
                .expect("asset");
            assert!(r.status().is_success(), "{asset}: {}", r.status());
            let bytes = r.bytes().await.expect("asset");
            first += bytes.len();
            first_gzip += gzip_len(&bytes);
        }

        // Tags in the workshop: received ones to wipe, ready ones to refuse, any for
        // the device page.
        let tag_in = |n: usize| format_tag("GNT", (n as i64) * EVERY);
        let in_workshop = (size as i64 / EVERY) as usize;
        let of_status = |want: Status| -> Vec<String> {
            (1..=in_workshop)
                .filter(|n| CYCLE[n % CYCLE.len()] == want)
                .map(tag_in)
                .collect()
        };
        let mut to_wipe = of_status(Status::Received).into_iter();
        let to_refuse = of_status(Status::Ready);

        let (_, scan_page, _) = browser.get("/workshop/scan").await;
        let csrf = csrf_of(&scan_page);
        let mut pages = [
            Timings::new("home /"),
            Timings::new("queue /workshop"),
            Timings::new("device /d/{tag}"),
            Timings::new("batch mode /workshop/scan"),
        ];
        let mut scans = Timings::new("scan (POST /workshop/scan)");
        let mut refused = 0usize;
        // The first post sets the batch's mode and wipe; the warm-up rounds are not counted.
        let (status, body, _) = browser
            .post(
                "/workshop/scan",
                &[
                    ("csrf", &csrf),
                    ("mode", "wipe"),
                    ("method", "purge/crypto_erase"),
                    ("tool", "nwipe"),
                    ("tool_version", "0.36"),
                    ("verification", "full"),
                    ("drive_type", "ssd"),
                    ("outcome", "passed"),
                    ("tag", ""),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        for i in 0..(samples + 20) {
            let paths = [
                "/".to_string(),
                "/workshop".to_string(),
                format!("/d/{}", tag_in(1 + (i * 37) % in_workshop)),
                "/workshop/scan".to_string(),
            ];
            for (t, path) in pages.iter_mut().zip(paths.iter()) {
                let (status, body, d) = browser.get(path).await;
                assert_eq!(status, 200, "{path}: {body}");
                if i >= 20 {
                    t.add(d, &body);
                }
            }
            let (tag, ok) = if i % 5 == 4 {
                (to_refuse[i % to_refuse.len()].clone(), false)
            } else {
                (to_wipe.next().expect("enough received devices"), true)
            };
            let (status, body, d) = browser
                .post("/workshop/scan", &[("csrf", &csrf), ("tag", &tag)])
                .await;
            assert_eq!(status, 200, "{body}");
            let answer = if ok { "✓" } else { "✗" };
            assert!(
                body.contains(&format!("{answer} {tag}")),
                "the scan of {tag} answered: {body}"
            );
            if !ok {
                refused += 1;
            }
            if i >= 20 {
                scans.add(d, &body);
            }
        }

        println!("\n{label}, {size} devices ({in_workshop} in the workshop), {samples} samples each, {refused} refused scans\n");
        println!("| page | p50 (ms) | p95 (ms) | largest HTML (bytes) | gzip (bytes) |");
        println!("| --- | --- | --- | --- | --- |");
        for t in pages.iter_mut().chain(std::iter::once(&mut scans)) {
            println!(
                "| {} | {:.2} | {:.2} | {} | {} |",
                t.name,
                percentile_ms(&mut t.samples, 0.5),
                percentile_ms(&mut t.samples, 0.95),
                t.bytes,
                t.gzip
            );
        }
        println!(
            "\nfirst visit (home HTML + {} assets): {first} bytes, {first_gzip} gzip (target 60 KB compressed)",
            assets_of(&home).len()
        );
        let later = pages.iter().map(|t| t.gzip).max().unwrap_or(0);
        println!("largest later page: {later} bytes gzip (target 20 KB)");
    });
}
