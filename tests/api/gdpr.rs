//! Personal data as the GDPR asks: anonymisation erases every free text about a person (also
//! the texts kept with the device history), the subject-access export is complete and open to
//! the person's own social workers, the retention list and job, nothing recoverable from the
//! SQLite files, national register numbers refused, and no caching of personal data.

use chrono::{Datelike, Months, NaiveDate};
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, spawn_app_with, today, Backend, TestApp};
use crate::loans::{borrower, office, programme, ready_devices};

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

const SIGN: &str = r#"{ "borrower_signed": true, "social_worker_signed": true, "place": "OCMW Gent, Onderbergen" }"#;

fn sign_body(on: NaiveDate) -> Value {
    let mut v: Value = serde_json::from_str(SIGN).expect("json");
    v["signed_on"] = json!(on);
    v
}

/// A signed loan of one new ready device: (loan id, device id).
async fn signed_loan(
    app: &TestApp,
    sw: &str,
    borrower: &str,
    prog: &str,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> (String, String) {
    let dev = s(&ready_devices(app, "laptop", 1).await.remove(0)["id"]);
    let r = app
        .post("/loans", sw, json!({ "borrower_id": borrower, "programme_id": prog, "device_ids": [dev], "start_date": start, "end_date": end, "purpose": "job_search" }))
        .await;
    r.assert_status(201);
    let loan = s(&r.body["id"]);
    app.post(&format!("/loans/{loan}/sign"), sw, sign_body(start))
        .await
        .assert_status(200);
    (loan, dev)
}

/// A person with two closed loans carrying every kind of free text: a checkpoint's
/// condition and note, a return condition, a non-return note and the reason its charge was
/// waived. Every text contains the marker "Zulma". Returns (borrower, [device ids], office
/// social worker token, coordinator token).
async fn person_with_texts(app: &TestApp) -> (String, Vec<String>, String, String) {
    let (_, _, sw) = office(app).await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let prog = programme(
        app,
        &coordinator,
        today().checked_add_months(Months::new(24)).expect("date"),
    )
    .await;
    let bor = s(&borrower(app, &sw, "Zulma Quagebeur").await["id"]);

    let (loan1, dev1) = signed_loan(app, &sw, &bor, &prog, today(), None).await;
    app.post(&format!("/loans/{loan1}/checkpoints"), &sw, json!({ "held_on": today(), "device_present": true, "device_working": true, "condition": "Zulma liet krassen", "still_needed": true, "note": "Zulma woont nu bij haar zus" }))
        .await
        .assert_status(200);
    app.post(
        &format!("/loans/{loan1}/return"),
        &sw,
        json!({ "devices": [{ "device_id": dev1, "condition": "scherm gebarsten, Zulma viel" }] }),
    )
    .await
    .assert_status(200);

    let start = NaiveDate::from_ymd_opt(today().year() - 1, 1, 10).expect("date");
    let end = start.checked_add_months(Months::new(7)).expect("date");
    let (loan2, dev2) = signed_loan(app, &sw, &bor, &prog, start, Some(end)).await;
    let r = app
        .post(
            &format!("/loans/{loan2}/non-return"),
            &sw,
            json!({ "note": "Zulma verhuisd naar Antwerpen" }),
        )
        .await;
    r.assert_status(200);
    let charge = s(&r.body["charges"][0]["id"]);
    app.post(
        &format!("/charges/{charge}/waive"),
        &coordinator,
        json!({ "reason": "Zulma is in schuldbemiddeling" }),
    )
    .await
    .assert_status(200);
    (bor, vec![dev1, dev2], sw, coordinator)
}

async fn anonymisation_erases_every_free_text_about_the_person(b: Backend) {
    let app = spawn_app(b).await;
    let (bor, devices, sw, coordinator) = person_with_texts(&app).await;
    let (_, _, other_sw) = office(&app).await;
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;

    // The history shows the texts (kept beside it) to those who may read the loan.
    let h = app
        .get(
            &format!("/devices/{}/history", devices[0]),
            &app.admin_token,
        )
        .await;
    h.assert_status(200);
    let check_in = h
        .body
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["action"] == "check_in")
        .cloned()
        .expect("check_in");
    assert_eq!(
        check_in["detail"]["condition"],
        "scherm gebarsten, Zulma viel"
    );
    let h = app
        .get(
            &format!("/devices/{}/history", devices[1]),
            &app.admin_token,
        )
        .await;
    let lost = h
        .body
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["action"] == "mark_lost")
        .cloned()
        .expect("mark_lost");
    assert_eq!(lost["detail"]["note"], "Zulma verhuisd naar Antwerpen");

    // The export is complete, also for the person's own social worker; the note kept only
    // with the device history is in it.
    for token in [&coordinator, &sw] {
        let r = app.get(&format!("/borrowers/{bor}/export"), token).await;
        r.assert_status(200);
        assert_eq!(r.body["borrower"]["name"], "Zulma Quagebeur");
        let text = r.body.to_string();
        for marker in [
            "Zulma liet krassen",
            "Zulma woont nu bij haar zus",
            "scherm gebarsten, Zulma viel",
            "Zulma verhuisd naar Antwerpen",
            "Zulma is in schuldbemiddeling",
        ] {
            assert!(text.contains(marker), "export lacks {marker}: {text}");
        }
        let notes = r.body["history_notes"].as_array().expect("notes");
        assert!(notes.iter().any(|n| n["field"] == "note"
            && n["text"] == "Zulma verhuisd naar Antwerpen"
            && n["device_id"] == json!(devices[1])));
    }
    // Another office's social worker: not found; lending staff: not their role.
    app.get(&format!("/borrowers/{bor}/export"), &other_sw)
        .await
        .assert_problem(404);
    app.get(&format!("/borrowers/{bor}/export"), &staff)
        .await
        .assert_problem(403);
    assert!(!app.columns_containing("zulma").is_empty());

    let r = app
        .post(
            &format!("/borrowers/{bor}/anonymise"),
            &coordinator,
            json!({}),
        )
        .await;
    r.assert_status(200);

    // Nothing is found any more through the API …
    let mut seen = String::new();
    seen.push_str(
        &app.get(&format!("/borrowers/{bor}/export"), &coordinator)
            .await
            .body
            .to_string(),
    );
    seen.push_str(
        &app.get(&format!("/borrowers/{bor}"), &coordinator)
            .await
            .body
            .to_string(),
    );
    seen.push_str(
        &app.get(&format!("/loans?borrower_id={bor}"), &coordinator)
            .await
            .body
            .to_string(),
    );
    for d in &devices {
        seen.push_str(
            &app.get(&format!("/devices/{d}/history"), &app.admin_token)
                .await
                .body
                .to_string(),
        );
    }
    assert!(
        seen.contains("check_in") && seen.contains("mark_lost"),
        "{seen}"
    );
    assert!(!seen.to_lowercase().contains("zulma"), "{seen}");
    assert!(!seen.contains("Quagebeur"), "{seen}");
    // … nor by a raw look over every column of every table.
    assert_eq!(app.columns_containing("zulma"), Vec::<String>::new());
    assert_eq!(app.columns_containing("quagebeur"), Vec::<String>::new());

    // The log says what was done, by whom, without personal data.
    #[derive(diesel::QueryableByName)]
    struct Log {
        #[diesel(sql_type = diesel::sql_types::Text)]
        borrower_id: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        source: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        cleared_texts: i64,
    }
    use diesel::RunQueryDsl;
    let mut conn = app.db.conn().expect("conn");
    let logs: Vec<Log> =
        diesel::sql_query("SELECT borrower_id, source, cleared_texts FROM anonymisation_log")
            .load(&mut *conn)
            .expect("log");
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].borrower_id, bor);
    assert_eq!(logs[0].source, "request");
    // checkpoint, return condition, waiver, two signing places, two history texts.
    assert_eq!(logs[0].cleared_texts, 7);

    // On SQLite the old values are not in the database files either.
    if b == Backend::Sqlite {
        let path = app.database.url.trim_start_matches("sqlite://").to_string();
        for file in [path.clone(), format!("{path}-wal")] {
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            let lower: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
            for needle in [&b"zulma"[..], b"quagebeur"] {
                assert!(
                    !lower.windows(needle.len()).any(|w| w == needle),
                    "{} still in {file}",
                    String::from_utf8_lossy(needle)
                );
            }
        }
    }
}
dual_test!(anonymisation_erases_every_free_text_about_the_person);

async fn the_retention_job_anonymises_people_whose_time_has_come(b: Backend) {
    // A retention of 0 days: a closed loan is due at once.
    let app = spawn_app_with(b, |c| c.retention_days = 0).await;
    let (_, _, sw) = office(&app).await;
    let (coordinator_id, coordinator) = {
        let org = app.create_org("Coordinatie", "lending_service").await;
        app.create_user(&org, "coordinator").await
    };
    let prog = programme(
        &app,
        &coordinator,
        today().checked_add_months(Months::new(24)).expect("date"),
    )
    .await;
    // Done: a loan returned.
    let done = s(&borrower(&app, &sw, "Done Person").await["id"]);
    let (loan, dev) = signed_loan(&app, &sw, &done, &prog, today(), None).await;
    app.post(
        &format!("/loans/{loan}/return"),
        &sw,
        json!({ "devices": [{ "device_id": dev, "condition": "goed" }] }),
    )
    .await
    .assert_status(200);
    // Still lending: an active loan.
    let active = s(&borrower(&app, &sw, "Active Person").await["id"]);
    signed_loan(&app, &sw, &active, &prog, today(), None).await;
    // Owing: the loan closed by a non-return, the charge open.
    let owing = s(&borrower(&app, &sw, "Owing Person").await["id"]);
    let start = NaiveDate::from_ymd_opt(today().year() - 1, 1, 10).expect("date");
    let (loan, _) = signed_loan(
        &app,
        &sw,
        &owing,
        &prog,
        start,
        start.checked_add_months(Months::new(7)),
    )
    .await;
    app.post(&format!("/loans/{loan}/non-return"), &sw, json!({}))
        .await
        .assert_status(200);

    let r = app
        .get("/borrowers/due-for-anonymisation", &coordinator)
        .await;
    r.assert_status(200);
    let due: Vec<String> = r
        .body
        .as_array()
        .expect("list")
        .iter()
        .map(|d| s(&d["borrower_id"]))
        .collect();
    assert!(due.contains(&done), "{}", r.body);
    assert!(
        !due.contains(&active) && !due.contains(&owing),
        "{}",
        r.body
    );
    assert!(
        !r.body.to_string().contains("Person"),
        "no names in the list"
    );
    app.get("/borrowers/due-for-anonymisation", &sw)
        .await
        .assert_problem(403);
    app.post("/borrowers/anonymise-due", &sw, json!({}))
        .await
        .assert_problem(403);

    // With the default retention (two years) nobody is due: the function the CLI calls.
    {
        let mut conn = app.db.conn().expect("conn");
        let none =
            digilend::domain::borrowers::due_for_anonymisation(&mut conn, 730, digilend::db::now())
                .expect("due");
        assert!(none.is_empty());
    }

    let r = app
        .post("/borrowers/anonymise-due", &coordinator, json!({}))
        .await;
    r.assert_status(200);
    let anonymised: Vec<String> = r.body["anonymised"]
        .as_array()
        .expect("ids")
        .iter()
        .map(s)
        .collect();
    assert!(
        anonymised.contains(&done) && !anonymised.contains(&active) && !anonymised.contains(&owing)
    );
    assert_eq!(r.body["retention_days"], 0);
    let b1 = app.get(&format!("/borrowers/{done}"), &coordinator).await;
    assert!(b1.body["anonymised_at"].is_string());
    assert_ne!(b1.body["name"], "Done Person");
    assert_eq!(
        app.get(&format!("/borrowers/{active}"), &coordinator)
            .await
            .body["name"],
        "Active Person"
    );
    assert_eq!(
        app.get(&format!("/borrowers/{owing}"), &coordinator)
            .await
            .body["name"],
        "Owing Person"
    );

    #[derive(diesel::QueryableByName)]
    struct Log {
        #[diesel(sql_type = diesel::sql_types::Text)]
        borrower_id: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        source: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        actor_user_id: Option<String>,
    }
    use diesel::RunQueryDsl;
    let mut conn = app.db.conn().expect("conn");
    let logs: Vec<Log> =
        diesel::sql_query("SELECT borrower_id, source, actor_user_id FROM anonymisation_log")
            .load(&mut *conn)
            .expect("log");
    assert!(logs.iter().any(|l| l.borrower_id == done
        && l.source == "retention_job"
        && l.actor_user_id.as_deref() == Some(coordinator_id.as_str())));
    assert_eq!(app.columns_containing("done person"), Vec::<String>::new());
    // Run again: nobody new is due, nothing changes.
    let again = app
        .post("/borrowers/anonymise-due", &coordinator, json!({}))
        .await;
    assert!(!again.body["anonymised"]
        .as_array()
        .expect("ids")
        .iter()
        .any(|i| i == &json!(done)));
}
dual_test!(the_retention_job_anonymises_people_whose_time_has_come);

/// The command an operator puts on a daily timer, `digilend anonymise-due`, anonymises the
/// people whose retention has passed (and only them) and prints a count, never a name.
async fn the_anonymise_due_command_runs_the_retention_job(b: Backend) {
    let app = spawn_app(b).await;
    let (_, _, sw) = office(&app).await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let prog = programme(
        &app,
        &coordinator,
        today().checked_add_months(Months::new(24)).expect("date"),
    )
    .await;
    let done = s(&borrower(&app, &sw, "Cli Person").await["id"]);
    let (loan, dev) = signed_loan(&app, &sw, &done, &prog, today(), None).await;
    app.post(
        &format!("/loans/{loan}/return"),
        &sw,
        json!({ "devices": [{ "device_id": dev, "condition": "goed" }] }),
    )
    .await
    .assert_status(200);
    let active = s(&borrower(&app, &sw, "Busy Person").await["id"]);
    signed_loan(&app, &sw, &active, &prog, today(), None).await;

    let run = |days: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_digilend"))
            .arg("anonymise-due")
            .env_clear()
            .env("DATABASE_URL", &app.database.url)
            .env("RETENTION_DAYS", days)
            .output()
            .expect("the binary runs")
    };
    // Two years of retention: nobody is due yet.
    let out = run("730");
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Anonymised 0 people"));
    let b = app.get(&format!("/borrowers/{done}"), &coordinator).await;
    assert_eq!(b.body["name"], "Cli Person");

    // No retention: the person whose loan closed goes, the one still lending stays.
    let out = run("0");
    assert!(out.status.success(), "{out:?}");
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(printed.contains("Anonymised 1 people"), "{printed}");
    assert!(!printed.contains("Person"), "no names printed: {printed}");
    let b = app.get(&format!("/borrowers/{done}"), &coordinator).await;
    b.assert_status(200);
    assert!(b.body["anonymised_at"].is_string(), "{}", b.body);
    assert_ne!(b.body["name"], "Cli Person");
    let b = app.get(&format!("/borrowers/{active}"), &coordinator).await;
    assert_eq!(b.body["name"], "Busy Person");
}
dual_test!(the_anonymise_due_command_runs_the_retention_job);

/// A 422 naming `fields` because they hold a national register number.
fn assert_refused_number(r: &crate::helpers::Resp, fields: &[&str]) {
    r.assert_problem(422);
    assert_eq!(r.error_fields(), fields);
    assert!(r.body["errors"][0]["message"]
        .as_str()
        .expect("msg")
        .contains("national register number"));
}

// 85.07.30-033.28 has valid check digits (97 − 850730033 mod 97 = 28); .29 does not.
const NRN: &str = "85.07.30-033.28";

async fn national_register_numbers_are_refused_in_free_text(b: Backend) {
    let app = spawn_app(b).await;
    let (_, _, sw) = office(&app).await;
    let before = app.row_counts();
    let r = app
        .post("/borrowers", &sw, json!({ "name": "Nr Person", "date_of_birth": "1985-07-30", "language": "nl", "note": format!("rijksregister {NRN}") }))
        .await;
    assert_refused_number(&r, &["note"]);
    let r = app
        .post(
            "/donations",
            &app.admin_token,
            json!({ "donor_name": "85073003328", "received_on": today(), "received_at": "Gent" }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["donor_name"]);
    let donation = app.create_donation(&app.admin_token).await;
    let r = app
        .post(&format!("/donations/{donation}/devices"), &app.admin_token, json!([
            { "kind": "laptop", "brand": "Dell", "model": "Latitude" },
            { "kind": "laptop", "brand": "Dell", "model": "Latitude", "notes": "van 85 07 30 033 28" } ]))
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["[1].notes"]);
    let dev = app
        .register_devices(&app.admin_token, &donation, "laptop", 1)
        .await
        .remove(0);
    let counts = app.row_counts();
    let r = app
        .patch(
            &format!("/devices/{}", s(&dev["id"])),
            &app.admin_token,
            json!({ "notes": NRN }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["notes"]);
    assert_eq!(app.row_counts(), counts, "nothing written");
    assert_ne!(before, counts);
    // A number with wrong check digits is just a number.
    let r = app
        .post("/borrowers", &sw, json!({ "name": "Nr Person", "date_of_birth": "1985-07-30", "language": "nl", "note": "dossier 85.07.30-033.29" }))
        .await;
    r.assert_status(201);
}
dual_test!(national_register_numbers_are_refused_in_free_text);

/// The same refusal for a CSV upload and a search, and only to an authenticated caller: without
/// a valid token the answer is the 401 the endpoint gives anyway.
async fn national_register_numbers_are_refused_in_csv_and_queries_after_authentication(b: Backend) {
    use reqwest::Method;
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let donation = app.create_donation(&admin).await;
    let path = format!("/donations/{donation}/devices/csv");
    let csv = format!(
        "Soort;Merk;Model;Serienummer;Opmerkingen\nlaptop;Dell;Latitude;PF1NRN1;ok\n\
         laptop;Dell;Latitude;PF1NRN2;van {NRN}\n"
    );
    let upload = |token: Option<String>, body: Vec<u8>| {
        let (app, path) = (&app, &path);
        async move {
            app.send_raw(Method::POST, path, token.as_deref(), "text/csv", body)
                .await
        }
    };
    let before = app.row_counts();
    let r = upload(Some(admin.clone()), csv.clone().into_bytes()).await;
    assert_refused_number(&r, &["row 3: notes"]);
    assert_eq!(app.row_counts(), before, "nothing written");
    // No token, or one that is not valid: 401, whatever the body holds.
    for token in [None, Some("dl_not_a_token")] {
        upload(token.map(str::to_string), csv.clone().into_bytes())
            .await
            .assert_problem(401);
        let r = app
            .send(
                Method::POST,
                "/donations",
                token,
                Some(json!({ "donor_name": NRN, "received_on": today(), "received_at": "Gent" })),
            )
            .await;
        r.assert_problem(401);
        let r = app
            .send(Method::GET, &format!("/devices?q={NRN}"), token, None)
            .await;
        r.assert_problem(401);
    }
    // A search for the number is refused, naming the parameter; nothing about devices is said.
    let r = app.get(&format!("/devices?q={NRN}&limit=5"), &admin).await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["q"]);
    let r = app.get("/devices?q=85+07+30+033+28", &admin).await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["q"]);
    // Wrong check digits are just a number; a serial number is an identifier, not free text.
    app.get("/devices?q=85.07.30-033.29", &admin)
        .await
        .assert_status(200);
    let serial_only =
        b"kind,brand,model,serial_number\nlaptop,Dell,Latitude,85073003328\n".to_vec();
    let r = upload(Some(admin.clone()), serial_only).await;
    r.assert_status(201);
    let r = app.get("/devices?serial_prefix=85073003328", &admin).await;
    r.assert_status(200);
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(1));
}
dual_test!(national_register_numbers_are_refused_in_csv_and_queries_after_authentication);

async fn personal_data_is_never_cached_and_scans_are_attachments(b: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    let db_path = dir.path().join("private").join("nested").join("db.sqlite3");
    let app = spawn_app_with(b, |c| {
        if b == Backend::Sqlite {
            c.database_url = format!("sqlite://{}", db_path.display());
        }
    })
    .await;
    let (_, _, sw) = office(&app).await;
    let prog = programme(
        &app,
        &app.admin_token,
        today().checked_add_months(Months::new(24)).expect("date"),
    )
    .await;
    let bor = s(&borrower(&app, &sw, "Cache Person").await["id"]);
    let (loan, _) = signed_loan(&app, &sw, &bor, &prog, today(), None).await;
    let pdf = b"%PDF-1.4 <html><script>alert(1)</script>".to_vec();
    let r = app
        .client
        .put(app.url(&format!("/loans/{loan}/signed-scan")))
        .bearer_auth(&sw)
        .header("Content-Type", "application/pdf")
        .body(pdf)
        .send()
        .await
        .expect("upload");
    assert!(r.status().is_success(), "{}", r.status());
    for path in [
        format!("/borrowers/{bor}"),
        "/borrowers".to_string(),
        format!("/borrowers/{bor}/export"),
        format!("/loans/{loan}"),
        "/loans".to_string(),
        format!("/loans/{loan}/agreement.pdf"),
        format!("/loans/{loan}/signed-scan"),
    ] {
        let r = app.get_raw(&path, &sw).await;
        assert!(r.status().is_success(), "{path}: {}", r.status());
        assert_eq!(
            r.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{path}"
        );
    }
    let r = app
        .get_raw(&format!("/loans/{loan}/signed-scan"), &sw)
        .await;
    let h = r.headers();
    assert_eq!(
        h.get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert!(h
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .expect("disposition")
        .starts_with("attachment"));

    if b == Backend::Sqlite {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&db_path), 0o600);
        assert_eq!(mode(db_path.parent().expect("dir")), 0o700);
        assert_eq!(mode(dir.path().join("private").as_path()), 0o700);
        let wal = std::path::PathBuf::from(format!("{}-wal", db_path.display()));
        if wal.exists() {
            assert_eq!(mode(&wal), 0o600);
        }
    }
}
dual_test!(personal_data_is_never_cached_and_scans_are_attachments);
