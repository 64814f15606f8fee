//! Inventory at scale, measured through the HTTP API.
//!
//! Fills a fresh database with 1,000 and with 1,000,000 devices (each with its registration
//! event, statuses and kinds mixed), starts the server on it and measures, over HTTP:
//! listing a page filtered by status and kind, looking a device up by asset tag, and one
//! lifecycle action. Prints p50/p95 per size and the ratio p95(1,000,000) / p95(1,000).
//!
//!     cargo bench --bench inventory                      # SQLite
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench inventory
//!
//! `BENCH_SIZES=1000,100000` changes the sizes; `BENCH_SAMPLES` the requests per measurement.

mod support;

use std::net::TcpListener;
use std::time::{Duration, Instant};
use support::percentile_ms;

use digilend::config::Config;
use digilend::db::Db;
use digilend::domain::accounts;
use digilend::domain::devices::{format_tag, DeviceKind};
use digilend::domain::lifecycle::Status;
use digilend::startup::Application;

const KINDS: [DeviceKind; 4] = [
    DeviceKind::Laptop,
    DeviceKind::Tablet,
    DeviceKind::Robot,
    DeviceKind::Peripheral,
];
const STATUSES: [Status; 6] = [
    Status::Ready,
    Status::OnLoan,
    Status::Received,
    Status::Wiped,
    Status::Retired,
    Status::BookedOut,
];

fn fill(db: &Db, size: usize, owner: &str) {
    support::fill_devices(db, size, owner, |seq, row| {
        row.status = STATUSES[(seq as usize) % STATUSES.len()];
        row.kind = KINDS[(seq as usize / 7) % KINDS.len()];
        row.in_pool = seq % 3 == 0;
    });
}

struct Figures {
    list: (f64, f64),
    tag: (f64, f64),
    action: (f64, f64),
}

/// A filled database with its server running.
struct Target {
    base: String,
    token: String,
    size: usize,
    list: Vec<Duration>,
    tag: Vec<Duration>,
    action: Vec<Duration>,
    visits: std::collections::HashMap<usize, usize>,
}

async fn prepare(url: &str, size: usize) -> Target {
    let config = Config {
        database_url: url.to_string(),
        port: 0,
        pool_size: 8,
        workers: Some(2),
        ..Config::default()
    };
    let db = Db::connect(url, 8).expect("database");
    let (user, token) = db
        .write_blocking(|c| accounts::bootstrap_admin(c, "Bench", "Bench Service"))
        .expect("admin");
    let started = Instant::now();
    fill(&db, size, &user.organisation_id);
    eprintln!(
        "  filled {size} devices in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let app = Application::with(config, db, listener).expect("app");
    let base = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    Target {
        base,
        token,
        size,
        list: Vec::new(),
        tag: Vec::new(),
        action: Vec::new(),
        visits: Default::default(),
    }
}

async fn timed_get(client: &reqwest::Client, t: &Target, path: &str) -> Duration {
    let started = Instant::now();
    let r = client
        .get(format!("{}{path}", t.base))
        .bearer_auth(&t.token)
        .send()
        .await
        .expect("send");
    assert!(r.status().is_success(), "{}", r.status());
    r.bytes().await.expect("body");
    started.elapsed()
}

/// One sample of each read on one target.
async fn sample_reads(client: &reqwest::Client, t: &mut Target, i: usize) {
    // Pages from anywhere in the first quarter of the tag order: deep pages at 1,000,000,
    // and always a full page of 25 at both sizes (1,000 devices hold about 42 ready tablets),
    // so that both sizes return the same amount of data.
    let cursor = base64_url(&((i * 7919) % (t.size / 4).max(1)).to_string());
    let d = timed_get(
        client,
        t,
        &format!("/devices?status=ready&kind=tablet&limit=25&cursor={cursor}"),
    )
    .await;
    t.list.push(d);
    let n = 1 + (i * 104_729) % t.size;
    let d = timed_get(
        client,
        t,
        &format!("/devices/by-tag/{}", format_tag("GNT", n as i64)),
    )
    .await;
    t.tag.push(d);
}

/// One lifecycle action that always succeeds: a `ready` device (seq ≡ 0 mod 6) is marked
/// lost, and on its next visit found again (lost → returned), then lost again (returned →
/// lost), and so on; no record-based guard is involved, so both sizes do the same work.
async fn sample_action(client: &reqwest::Client, t: &mut Target, i: usize) {
    let ready_count = (t.size / 6).max(2);
    let n = 6 * (1 + (i * 31) % (ready_count - 1));
    let visits = t.visits.entry(n).or_insert(0);
    let action = if (*visits).is_multiple_of(2) {
        "mark_lost"
    } else {
        "found"
    };
    *visits += 1;
    let r = client
        .get(format!(
            "{}/devices/by-tag/{}",
            t.base,
            format_tag("GNT", n as i64)
        ))
        .bearer_auth(&t.token)
        .send()
        .await
        .expect("send");
    let body: serde_json::Value = r.json().await.expect("json");
    let id = body["id"].as_str().expect("id").to_string();
    let started = Instant::now();
    let r = client
        .post(format!("{}/devices/{id}/actions/{action}", t.base))
        .bearer_auth(&t.token)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    r.bytes().await.expect("body");
    t.action.push(started.elapsed());
    assert_eq!(status, 200, "{action} on GNT-{n}");
}

/// Samples every target in turn, so that the machine's background load falls on all sizes
/// alike and the ratio between sizes compares like with like.
async fn measure(targets: &mut [Target], samples: usize) -> Vec<Figures> {
    let client = reqwest::Client::new();
    for i in 0..20 {
        for t in targets.iter_mut() {
            sample_reads(&client, t, i).await;
        }
    }
    for t in targets.iter_mut() {
        t.list.clear();
        t.tag.clear();
    }
    for i in 0..samples {
        for t in targets.iter_mut() {
            sample_reads(&client, t, i).await;
            sample_action(&client, t, i).await;
        }
    }
    targets
        .iter_mut()
        .map(|t| Figures {
            list: (
                percentile_ms(&mut t.list, 0.5),
                percentile_ms(&mut t.list, 0.95),
            ),
            tag: (
                percentile_ms(&mut t.tag, 0.5),
                percentile_ms(&mut t.tag, 0.95),
            ),
            action: (
                percentile_ms(&mut t.action, 0.5),
                percentile_ms(&mut t.action, 0.95),
            ),
        })
        .collect()
}

fn base64_url(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 1_000_000]);
    let samples: usize = std::env::var("BENCH_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let pg = std::env::var("BENCH_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty());
    actix_web::rt::System::new().block_on(async move {
        let mut guards: Vec<Box<dyn std::any::Any>> = Vec::new();
        let mut targets = Vec::new();
        let label = if pg.is_some() { "postgres" } else { "sqlite" };
        for &size in &sizes {
            let url = match &pg {
                None => {
                    let dir = tempfile::tempdir().expect("temp dir");
                    let url = format!("sqlite://{}", dir.path().join("bench.sqlite3").display());
                    guards.push(Box::new(dir));
                    url
                }
                Some(base) => {
                    let schema = support::FreshSchema::new(base);
                    let url = schema.url.clone();
                    guards.push(Box::new(schema));
                    url
                }
            };
            eprintln!("{label}, {size} devices:");
            targets.push(prepare(&url, size).await);
        }
        let figures = measure(&mut targets, samples).await;
        let results: Vec<(&str, usize, Figures)> = targets
            .iter()
            .map(|t| t.size)
            .zip(figures)
            .map(|(size, f)| (label, size, f))
            .collect();
        println!("\n| backend | devices | list p50 / p95 (ms) | by tag p50 / p95 (ms) | action p50 / p95 (ms) |");
        println!("| --- | --- | --- | --- | --- |");
        for (label, size, f) in &results {
            println!(
                "| {label} | {size} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} |",
                f.list.0, f.list.1, f.tag.0, f.tag.1, f.action.0, f.action.1
            );
        }
        if results.len() >= 2 {
            let (a, b) = (&results[0].2, &results[results.len() - 1].2);
            println!(
                "\nratio p95 largest / smallest: list {:.2}, by tag {:.2}, action {:.2}",
                b.list.1 / a.list.1,
                b.tag.1 / a.tag.1,
                b.action.1 / a.action.1
            );
        }
    });
}
