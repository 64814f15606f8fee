//! No input hurts the service, and the API document says what the API does: date windows,
//! list caps, NUL characters, field names in deserialization errors, long URLs, methods,
//! readers never waiting for writers, durability, the OpenAPI enums and error responses.

use std::time::{Duration, Instant};

use chrono::Months;
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, today, Backend, TestApp};

fn s(v: &Value) -> String {
    v.as_str().expect("a string").to_string()
}

/// A coordinator's programme, a social worker's borrower and one ready laptop:
/// (social worker token, programme id, borrower id, device id).
async fn loan_parts(app: &TestApp) -> (String, String, String, String) {
    let office = app
        .create_org(
            &format!("OCMW {}", uuid::Uuid::new_v4().simple()),
            "welfare_office",
        )
        .await;
    let (_, sw) = app.create_user(&office, "social_worker").await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let end = today().checked_add_months(Months::new(24)).expect("date");
    let p = app
        .post(
            "/programmes",
            &coordinator,
            json!({ "name": "Digibank", "end_date": end }),
        )
        .await;
    p.assert_status(201);
    let b = app
        .post(
            "/borrowers",
            &sw,
            json!({ "name": "An De Smet", "date_of_birth": "1980-04-12", "language": "nl" }),
        )
        .await;
    b.assert_status(201);
    let donation = app.create_donation(&app.admin_token).await;
    let device = app
        .register_devices(&app.admin_token, &donation, "laptop", 1)
        .await
        .remove(0);
    let device = s(&device["id"]);
    crate::refurbishment::make_ready(app, &app.admin_token, &device).await;
    (sw, s(&p.body["id"]), s(&b.body["id"]), device)
}

/// A loan starting in the year −4700 (which once wrote millions of checkpoint rows) or a
/// programme ending in 9999 is refused with a 422 naming the field, and writes nothing.
async fn dates_outside_their_window_are_refused_naming_the_field(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let (sw, programme, borrower, device) = loan_parts(&app).await;
    let before = app.row_counts();

    for (start, end) in [
        ("-4700-01-01", None),
        ("1999-12-31", None),
        ("2026-01-01", Some("+99999-01-01")),
    ] {
        let mut body = json!({ "borrower_id": borrower, "programme_id": programme,
                               "device_ids": [device], "start_date": start, "purpose": "job_search" });
        if let Some(end) = end {
            body["end_date"] = json!(end);
        }
        let r = app.post("/loans", &sw, body).await;
        r.assert_problem(422);
        let field = if end.is_some() {
            "end_date"
        } else {
            "start_date"
        };
        assert_eq!(r.error_fields(), vec![field], "{}", r.body);
    }
    let r = app
        .post(
            "/programmes",
            &admin,
            json!({ "name": "Forever", "end_date": "9999-12-31" }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["end_date"]);
    let tomorrow = today().succ_opt().expect("date");
    for received_on in [tomorrow.to_string(), "1999-12-31".to_string()] {
        let r = app
            .post(
                "/donations",
                &admin,
                json!({ "donor_name": "X", "received_on": received_on, "received_at": "Depot" }),
            )
            .await;
        r.assert_problem(422);
        assert_eq!(r.error_fields(), vec!["received_on"]);
    }
    // Filters too: on PostgreSQL a date beyond its calendar was a 500.
    let r = app.get("/bookings?from=0155-01-13", &admin).await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["from"]);
    let r = app
        .get(
            "/availability?kind=laptop&from=2026-01-01&to=%2B200000-01-01",
            &admin,
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["to"]);
    assert_eq!(
        app.row_counts(),
        before,
        "a refused request wrote something"
    );

    // Inside the windows it works.
    let r = app
        .post("/loans", &sw, json!({ "borrower_id": borrower, "programme_id": programme,
                                     "device_ids": [device], "start_date": today(), "purpose": "job_search" }))
        .await;
    r.assert_status(201);
}
dual_test!(dates_outside_their_window_are_refused_naming_the_field);

/// Lists in a request have a cap.
async fn lists_in_a_request_are_capped(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let before = app.row_counts();
    let drives: Vec<Value> = (0..17)
        .map(|_| json!({ "type": "ssd", "size_gb": 256 }))
        .collect();
    let r = app
        .post("/devices", &admin, json!({ "kind": "laptop", "brand": "Lenovo", "model": "T480",
                                          "serial_number": "SN-CAP-1", "specs": { "drives": drives } }))
        .await;
    r.assert_problem(422);
    assert!(
        r.error_fields()
            .iter()
            .any(|f| f.starts_with("specs.drives")),
        "{}",
        r.body
    );
    let tags: Vec<String> = (0..1001).map(|i| format!("GNT-{i:06}")).collect();
    let pickup = today().succ_opt().expect("date");
    let r = app
        .post("/bookings", &admin, json!({ "organisation_id": app.admin_org, "pickup_on": pickup, "return_on": pickup,
              "purpose": "Les", "contact": { "name": "Juf An", "phone": "0470 12 34 56" }, "devices": tags }))
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["devices"], "{}", r.body);
    assert_eq!(app.row_counts(), before);
}
dual_test!(lists_in_a_request_are_capped);

/// A NUL character anywhere (path, query, JSON key or value, CSV) is a 4xx problem on both
/// databases, also on the public scan page without a token; nothing is stored.
async fn nul_characters_are_refused_everywhere(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let before = app.row_counts();

    let r = app.send(Method::GET, "/d/GNT-%00", None, None).await;
    r.assert_problem(400);
    let r = app
        .send(Method::GET, "/d/GNT-000001?x=%00", None, None)
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["x"]);
    let r = app.get("/devices?q=Leno%00vo", &admin).await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["q"]);
    let r = app
        .post(
            "/organisations",
            &admin,
            json!({ "name": "De\u{0}Regenboog", "kind": "school" }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["name"]);
    let donation = app.create_donation(&admin).await;
    let counted = app.row_counts();
    let r = app
        .post(&format!("/donations/{donation}/devices"), &admin,
              json!([{ "kind": "laptop", "brand": "Lenovo", "model": "T480", "serial_number": "A1" },
                     { "kind": "laptop", "brand": "Leno\u{0}vo", "model": "T480", "serial_number": "A2" }]))
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["[1].brand"]);
    let r = app
        .send_raw(
            Method::POST,
            &format!("/donations/{donation}/devices/csv"),
            Some(&admin),
            "text/csv",
            b"kind,brand,model,serial_number\nlaptop,Len\0ovo,T480,B1\n".to_vec(),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["line 2"]);
    assert_eq!(app.row_counts(), counted);
    assert_eq!(before.len(), counted.len());
}
dual_test!(nul_characters_are_refused_everywhere);

/// JSON type and range errors, and query errors, name the field; a long URL is a 414
/// problem; a method the path does not have is a 405 with `Allow`.
async fn malformed_requests_name_the_field_and_get_problem_documents(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let r = app
        .post(
            "/organisations",
            &admin,
            json!({ "name": 12, "kind": "school" }),
        )
        .await;
    r.assert_problem(400);
    assert_eq!(r.error_fields(), vec!["name"]);
    let r = app
        .post(
            "/organisations",
            &admin,
            json!({ "name": "X", "kind": "castle" }),
        )
        .await;
    r.assert_problem(400);
    assert_eq!(r.error_fields(), vec!["kind"]);
    let r = app
        .post("/organisations", &admin, json!({ "kind": "school" }))
        .await;
    r.assert_problem(400);
    assert_eq!(r.error_fields(), vec!["name"]);
    let r = app
        .post("/programmes", &admin, json!({ "name": "P", "end_date": "2027-01-01", "checkpoint_interval_months": 99_999_999_999_i64 }))
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["checkpoint_interval_months"]);
    let r = app.get("/devices?status=flying", &admin).await;
    r.assert_problem(400);
    assert_eq!(r.error_fields(), vec!["status"]);
    let r = app.get("/bookings?to=2026-02-30", &admin).await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["to"]);

    let long = format!("/devices?q={}", "x".repeat(9000));
    let r = app.get(&long, &admin).await;
    r.assert_problem(414);

    let r = app.send(Method::DELETE, "/health", None, None).await;
    r.assert_problem(405);
    let allow = app
        .client
        .delete(app.url("/organisations/5a1c1f9e-0000-4000-8000-000000000000"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("sent");
    assert_eq!(allow.status().as_u16(), 405);
    assert_eq!(allow.headers()["allow"], "GET, PATCH");
}
dual_test!(malformed_requests_name_the_field_and_get_problem_documents);

/// A slow write holding the write lock does not hold up readers (token look-ups included),
/// even with more writers queued behind it than there are pool connections.
async fn readers_never_wait_for_writers(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let db = app.db.clone();
    let slow = std::thread::spawn(move || {
        db.write_blocking(|_| {
            std::thread::sleep(Duration::from_secs(4));
            Ok(())
        })
    });
    std::thread::sleep(Duration::from_millis(200));
    // More queued writers than the pool (8) has connections.
    let writers: Vec<_> = (0..10)
        .map(|i| {
            let client = app.client.clone();
            let url = app.url("/organisations");
            let token = admin.clone();
            actix_web::rt::spawn(async move {
                client
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({ "name": format!("School {i}"), "kind": "school" }))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    let me = app.get("/me", &admin).await;
    me.assert_status(200);
    let list = app.get("/organisations", &admin).await;
    list.assert_status(200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "reads waited {:?} for the writers",
        started.elapsed()
    );
    slow.join().expect("slow writer").expect("slow write");
    for w in writers {
        assert_eq!(w.await.expect("task").expect("sent"), 201);
    }
}
dual_test!(readers_never_wait_for_writers);

/// On SQLite an acknowledged write survives a power loss: WAL with `synchronous = FULL`.
async fn sqlite_syncs_every_commit(b: Backend) {
    let app = spawn_app(b).await;
    if b != Backend::Sqlite {
        return;
    }
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Sync {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        synchronous: i32,
    }
    let mut conn = app.db.conn().expect("connection");
    let row: Sync = digilend::on_backend!(&mut *conn, c => diesel::sql_query("PRAGMA synchronous").get_result(c))
        .expect("pragma");
    assert_eq!(row.synchronous, 2, "FULL");
}
dual_test!(sqlite_syncs_every_commit);

/// The served document lists the values the API accepts (`laptop`, not `Laptop`), and every
/// operation documents its error responses as problem documents.
async fn openapi_enums_and_errors_match_the_wire(b: Backend) {
    let app = spawn_app(b).await;
    let doc = app
        .send(Method::GET, "/openapi.json", None, None)
        .await
        .body;
    let schemas = &doc["components"]["schemas"];
    let names =
        |v: &Value| -> Vec<String> { v["enum"].as_array().expect("enum").iter().map(s).collect() };
    use digilend::domain::devices::DeviceKind;
    let kinds: Vec<String> = DeviceKind::ALL
        .iter()
        .map(|k| k.as_str().to_string())
        .collect();
    assert_eq!(names(&schemas["DeviceKind"]), kinds);
    // Every value the document lists is accepted by the API.
    let admin = app.admin_token.clone();
    for (i, kind) in names(&schemas["OrgKind"]).iter().enumerate() {
        app.post(
            "/organisations",
            &admin,
            json!({ "name": format!("Org {i}"), "kind": kind }),
        )
        .await
        .assert_status(201);
    }
    for (i, kind) in kinds.iter().enumerate() {
        let mut body =
            json!({ "kind": kind, "brand": "B", "model": "M", "serial_number": format!("S{i}") });
        if kind == "peripheral" {
            body["subtype"] = json!("beamer");
        }
        app.post("/devices", &admin, body).await.assert_status(201);
    }
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let responses = &op["responses"];
            for code in ["400", "422"] {
                assert!(
                    responses[code]["content"]["application/problem+json"].is_object(),
                    "{method} {path} lacks a problem+json {code}"
                );
            }
            if op["requestBody"].is_object() {
                assert!(
                    responses["413"].is_object() && responses["415"].is_object(),
                    "{method} {path}"
                );
            }
        }
    }
}
dual_test!(openapi_enums_and_errors_match_the_wire);
