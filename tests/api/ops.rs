//! Running the service: request ids, `/metrics`, the command line, online backup and restore,
//! built-in label stocks.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{Datelike, Months, NaiveDate};
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, spawn_app_with, spawn_at, today, Backend, TestApp};
use crate::loans::{borrower, office, programme, ready_devices};

const METRICS_TOKEN: &str = "scrape-me-0123456789abcdef";

/// Runs the built binary with a clean environment plus `env`.
fn run(args: &[&str], env: &[(&str, &str)], dir: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_digilend"));
    cmd.args(args).env_clear().current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every response, whatever its status, carries its own `X-Request-Id`.
async fn every_response_has_its_own_request_id(b: Backend) {
    let app = spawn_app(b).await;
    let mut seen = HashSet::new();
    for (path, token, status) in [
        ("/health", None, 200),
        ("/health", None, 200),
        ("/devices", Some(app.admin_token.as_str()), 200),
        ("/devices", None, 401),
        ("/no/such/path", None, 404),
    ] {
        let mut req = app.client.get(app.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.expect("sent");
        assert_eq!(r.status().as_u16(), status, "{path}");
        let id = r
            .headers()
            .get("x-request-id")
            .unwrap_or_else(|| panic!("no X-Request-Id on {path}"))
            .to_str()
            .expect("ascii")
            .to_string();
        uuid::Uuid::parse_str(&id).expect("a UUID");
        assert!(seen.insert(id), "request id repeated");
    }
}
dual_test!(every_response_has_its_own_request_id);

async fn scrape(app: &TestApp, token: &str) -> String {
    let r = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status().as_u16(), 200);
    assert!(r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain; version=0.0.4")));
    r.text().await.expect("text")
}

/// The value of one sample (`name{labels}` exactly as written), 0 when absent.
fn sample(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.parse().expect("a number"))
}

/// `/metrics` counts requests by route pattern and status, and reports devices per status and
/// overdue loans from the database; only the metrics token, admins and coordinators read it.
async fn metrics_count_requests_and_the_inventory(b: Backend) {
    let app = spawn_app_with(b, |c| c.metrics_token = Some(METRICS_TOKEN.into())).await;
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;

    let r = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status().as_u16(), 401);
    let r = app.get("/metrics", "not-the-token").await;
    r.assert_problem(401);
    let r = app.get("/metrics", &staff).await;
    r.assert_problem(403);
    let by_coordinator = scrape(&app, &coordinator).await;
    assert!(by_coordinator.contains("# TYPE digilend_devices gauge"));

    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", 3)
        .await;
    // One device made ready and lent in the past: an overdue loan.
    let ready = ready_devices(&app, "tablet", 1).await;
    let (_, _, sw) = office(&app).await;
    let prog = programme(&app, &app.admin_token, today() + chrono::Days::new(400)).await;
    let bor = borrower(&app, &sw, "Test Persoon").await;
    let start = NaiveDate::from_ymd_opt(today().year() - 1, 1, 10).expect("date");
    let end = start.checked_add_months(Months::new(7)).expect("date");
    let r = app
        .post("/loans", &sw, json!({ "borrower_id": bor["id"], "programme_id": prog, "device_ids": [ready[0]["id"]], "start_date": start, "end_date": end, "purpose": "school" }))
        .await;
    r.assert_status(201);
    let loan = r.body["id"].as_str().expect("id").to_string();
    app.post(&format!("/loans/{loan}/sign"), &sw, json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": start, "place": "Gent" }))
        .await
        .assert_status(200);

    let before = scrape(&app, METRICS_TOKEN).await;
    let ok = "digilend_http_requests_total{method=\"GET\",route=\"/devices/{id}\",status=\"200\"}";
    let missing =
        "digilend_http_requests_total{method=\"GET\",route=\"/devices/{id}\",status=\"404\"}";
    let count =
        "digilend_http_request_duration_seconds_count{method=\"GET\",route=\"/devices/{id}\"}";
    let id = devices[0]["id"].as_str().expect("id");
    app.get(&format!("/devices/{id}"), &app.admin_token)
        .await
        .assert_status(200);
    let other = devices[1]["id"].as_str().expect("id");
    app.get(&format!("/devices/{other}"), &app.admin_token)
        .await
        .assert_status(200);
    let tag = devices[2]["asset_tag"].as_str().expect("tag");
    app.get(&format!("/devices/by-tag/{tag}"), &app.admin_token)
        .await
        .assert_status(200);
    app.get(
        &format!("/devices/{}", uuid::Uuid::new_v4()),
        &app.admin_token,
    )
    .await
    .assert_problem(404);
    let after = scrape(&app, METRICS_TOKEN).await;

    assert_eq!(sample(&after, ok) - sample(&before, ok), 2.0, "{after}");
    assert_eq!(sample(&after, missing) - sample(&before, missing), 1.0);
    assert_eq!(sample(&after, count) - sample(&before, count), 3.0);
    // Route patterns only: no ids or tags in label values.
    assert!(!after.contains(id) && !after.contains(tag));
    assert!(after.contains("route=\"/devices/by-tag/{tag}\",status=\"200\""));
    assert_eq!(sample(&after, "digilend_devices{status=\"received\"}"), 3.0);
    assert_eq!(sample(&after, "digilend_devices{status=\"on_loan\"}"), 1.0);
    assert!(after.contains("digilend_devices{status=\"retired\"} 0"));
    assert_eq!(sample(&after, "digilend_loans_overdue"), 1.0);
    assert_eq!(sample(&after, "digilend_bookings_overdue"), 0.0);
    assert_eq!(sample(&after, "digilend_db_pool_max_connections"), 8.0);
    assert!(sample(&after, "digilend_db_pool_connections{state=\"idle\"}") >= 0.0);
    assert!(after.contains("digilend_db_pool_connections{state=\"in_use\"}"));
}
dual_test!(metrics_count_requests_and_the_inventory);

/// `--help` lists every setting with its default, and the commands.
#[test]
fn help_lists_every_setting_and_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(&["--help"], &[], dir.path());
    assert!(out.status.success());
    let help = text(&out.stdout);
    for (name, default, _) in digilend::config::ENV_HELP {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} missing from --help:\n{help}"));
        assert!(line.contains(default), "{line}");
    }
    for command in [
        "serve",
        "create-admin",
        "backup",
        "check-config",
        "anonymise-due",
    ] {
        assert!(help.contains(command), "{command} missing:\n{help}");
    }
}

/// An unknown `DATABASE_URL` scheme stops the start with a message naming it, and creates
/// nothing (before, a typo quietly made a new SQLite file).
#[test]
fn an_unknown_database_scheme_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [&[][..], &["check-config"][..]] {
        let out = run(
            args,
            &[("DATABASE_URL", "sqlit://data/digilend.sqlite3")],
            dir.path(),
        );
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert!(
            err.contains("DATABASE_URL") && err.contains("sqlit"),
            "{err}"
        );
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(left.is_empty(), "files were created: {left:?}");
}

/// `check-config` prints the settings without secrets and says the database answers; an
/// unreachable database fails.
async fn check_config_shows_settings_and_reaches_the_database(b: Backend) {
    let app = spawn_app(b).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(
        &["check-config"],
        &[
            ("DATABASE_URL", &app.database.url),
            ("METRICS_TOKEN", METRICS_TOKEN),
            ("ASSET_TAG_PREFIX", "ANT"),
        ],
        dir.path(),
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("reachable; 0 migration(s) to apply"),
        "{stdout}"
    );
    assert!(stdout
        .lines()
        .any(|l| l.starts_with("ASSET_TAG_PREFIX") && l.ends_with(" ANT")));
    assert!(stdout.contains("PORT") && stdout.contains("8080"));
    assert!(!stdout.contains(METRICS_TOKEN), "{stdout}");

    let unreachable = match b {
        Backend::Postgres => "postgres://nobody:hunter2hunter2@127.0.0.1:1/none".to_string(),
        Backend::Sqlite => {
            let not_a_database = dir.path().join("notes.txt");
            std::fs::write(&not_a_database, "hunter2 is not a database".repeat(100))
                .expect("write");
            format!("sqlite://{}", not_a_database.display())
        }
    };
    let out = run(
        &["check-config"],
        &[("DATABASE_URL", &unreachable)],
        dir.path(),
    );
    assert!(!out.status.success());
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(all.contains("DATABASE_URL"), "{all}");
    assert!(!all.contains("hunter2"), "{all}");
}
dual_test!(check_config_shows_settings_and_reaches_the_database);

async fn device_tags(app: &TestApp) -> Vec<String> {
    let r = app.get("/devices?limit=100", &app.admin_token).await;
    r.assert_status(200);
    let items = r.body["items"]
        .as_array()
        .or_else(|| r.body.as_array())
        .expect("list")
        .clone();
    items
        .iter()
        .map(|d| d["asset_tag"].as_str().expect("tag").to_string())
        .collect()
}

/// `backup PATH` copies the SQLite database while the server runs and writes go on; a second
/// server started on the restored copy reads the data back. For PostgreSQL it points to
/// pg_dump.
async fn an_online_backup_restores(b: Backend) {
    let app = spawn_app(b).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("backup.sqlite3");
    let copy_arg = copy.to_str().expect("utf-8").to_string();
    let url = app.database.url.clone();
    if b == Backend::Postgres {
        let out = run(
            &["backup", &copy_arg],
            &[("DATABASE_URL", &url)],
            dir.path(),
        );
        assert!(!out.status.success());
        assert!(text(&out.stderr).contains("pg_dump"));
        assert!(!copy.exists());
        return;
    }
    let donation = app.create_donation(&app.admin_token).await;
    app.register_devices(&app.admin_token, &donation, "laptop", 5)
        .await;
    let before = device_tags(&app).await;
    assert_eq!(before.len(), 5);

    // Writes keep going while the backup runs.
    let (out, _) = futures::join!(
        actix_web::web::block({
            let (copy_arg, url, cwd) = (copy_arg.clone(), url.clone(), dir.path().to_owned());
            move || run(&["backup", &copy_arg], &[("DATABASE_URL", &url)], &cwd)
        }),
        async {
            for _ in 0..5 {
                app.register_devices(&app.admin_token, &donation, "tablet", 2)
                    .await;
            }
        }
    );
    let out = out.expect("backup ran");
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A second backup never overwrites a file.
    let again = run(
        &["backup", &copy_arg],
        &[("DATABASE_URL", &url)],
        dir.path(),
    );
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already exists"));

    // Restore: copy the backup to where DATABASE_URL points, start a server on it.
    let restored = dir.path().join("restored.sqlite3");
    std::fs::copy(&copy, &restored).expect("copy");
    let second = spawn_at(&app, &format!("sqlite://{}", restored.display())).await;
    let back = device_tags(&second).await;
    // Everything written before the backup is there; each concurrent write is there whole
    // (a batch of 2) or not at all.
    for tag in &before {
        assert!(back.contains(tag), "{tag} lost");
    }
    assert_eq!((back.len() - before.len()) % 2, 0, "{back:?}");
    let first = app
        .get(&format!("/devices/by-tag/{}", before[0]), &app.admin_token)
        .await;
    let restored_first = second
        .get(
            &format!("/devices/by-tag/{}", before[0]),
            &second.admin_token,
        )
        .await;
    restored_first.assert_status(200);
    assert_eq!(restored_first.body, first.body);
}
dual_test!(an_online_backup_restores);

fn stock_ids(body: &Value) -> Vec<String> {
    body.as_array()
        .expect("list")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_string())
        .collect()
}

/// The label stocks are built in: an empty `LABELS_DIR` still has them all; a file in
/// `LABELS_DIR` adds a stock or replaces the built-in one with the same id.
async fn label_stocks_are_built_in_and_can_be_overridden(b: Backend) {
    let empty = tempfile::tempdir().expect("temp dir");
    let path = empty.path().to_path_buf();
    let app = spawn_app_with(b, |c| c.labels_dir = Some(path)).await;
    let r = app.get("/label-stocks", &app.admin_token).await;
    r.assert_status(200);
    // The shipped templates, whose file names are their ids.
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("labels");
    let mut built_in: Vec<String> = std::fs::read_dir(&shipped)
        .expect("labels/")
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().into_owned();
            Some(name.strip_suffix(".toml")?.to_string())
        })
        .collect();
    built_in.sort();
    assert_eq!(built_in.len(), 7);
    assert_eq!(stock_ids(&r.body), built_in);

    let dir = tempfile::tempdir().expect("temp dir");
    let l7160 = std::fs::read_to_string(shipped.join("avery-l7160.toml")).expect("read");
    let changed = l7160.replace(
        "name = \"Avery L7160",
        "name = \"Our own L7160 after a test print",
    );
    assert_ne!(changed, l7160);
    std::fs::write(dir.path().join("l7160-local.toml"), &changed).expect("write");
    let extra = changed
        .replace("id = \"avery-l7160\"", "id = \"local-sheet\"")
        .replace("name = \"Our own", "name = \"Local");
    std::fs::write(dir.path().join("local.toml"), extra).expect("write");
    let path = dir.path().to_path_buf();
    let app = spawn_app_with(b, |c| c.labels_dir = Some(path)).await;
    let r = app.get("/label-stocks", &app.admin_token).await;
    r.assert_status(200);
    let ids = stock_ids(&r.body);
    assert_eq!(ids.len(), built_in.len() + 1, "{ids:?}");
    assert!(ids.contains(&"local-sheet".to_string()));
    let l7160 = r
        .body
        .as_array()
        .expect("list")
        .iter()
        .find(|s| s["id"] == "avery-l7160")
        .expect("still there");
    assert!(l7160["name"]
        .as_str()
        .expect("name")
        .starts_with("Our own L7160"));
}
dual_test!(label_stocks_are_built_in_and_can_be_overridden);

/// The binary's log lines (JSON here) carry the request id returned to the client, the route
/// pattern and the status, and never the query string.
#[actix_web::test]
async fn log_lines_carry_the_request_id_and_no_query_string() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_digilend"))
        .env_clear()
        .current_dir(dir.path())
        .envs([
            ("DATABASE_URL", "sqlite://digilend.sqlite3"),
            ("PORT", &port.to_string()),
            ("LOG_FORMAT", "json"),
            ("WORKERS", "1"),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the server starts");
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/health?name=Jan%20Peeters");
    let mut answer = None;
    for _ in 0..300 {
        if let Ok(r) = client.get(&url).send().await {
            answer = Some(r);
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let r = answer.expect("the server answers");
    assert_eq!(r.status().as_u16(), 200);
    let id = r.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_string();
    child.kill().expect("stopped");
    let out = child.wait_with_output().expect("ended");
    let logs = text(&out.stderr);
    assert!(!logs.contains("Jan") && !logs.contains("name="), "{logs}");
    let lines: Vec<Value> = logs
        .lines()
        .filter(|l| l.contains(&id))
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert!(!lines.is_empty(), "no line names {id}:\n{logs}");
    for line in &lines {
        let span = &line["spans"][0];
        assert_eq!(span["name"], "request");
        assert_eq!(span["id"], json!(id));
        assert_eq!(span["route"], "/health");
    }
    assert!(lines.iter().any(|l| l["status"] == 200));
}

/// `create-admin NAME ORG` makes an admin whose printed token works on the running server.
async fn create_admin_prints_a_working_token(b: Backend) {
    let app = spawn_app(b).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(
        &["create-admin", "Ops Admin", "Werkplaats Noord"],
        &[("DATABASE_URL", &app.database.url)],
        dir.path(),
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let token = stdout
        .lines()
        .find_map(|l| l.strip_prefix("API token (shown once, keep it safe): "))
        .expect("a token line")
        .trim()
        .to_string();
    let me = app.get("/me", &token).await;
    me.assert_status(200);
    assert_eq!(me.body["name"], "Ops Admin");
    assert_eq!(me.body["role"], "admin");
    assert_ne!(me.body["organisation_id"], json!(app.admin_org));
    // Without a name it is refused with the usage.
    let out = run(
        &["create-admin"],
        &[("DATABASE_URL", &app.database.url)],
        dir.path(),
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("NAME"));
}
dual_test!(create_admin_prints_a_working_token);
