//! Loans to people: borrowers, programmes, the signed agreement and its PDF, checkpoints,
//! return, non-return and the penalty, GDPR export and anonymisation, office scoping, the
//! role matrix of these endpoints, and a race for one device.

use chrono::{Datelike, Months, NaiveDate};
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{pdf_text, spawn_app, today, Backend, TestApp};

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

/// `n` devices of `kind` made ready (wiped, refurbished, released) by the admin.
pub async fn ready_devices(app: &TestApp, kind: &str, n: usize) -> Vec<Value> {
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, kind, n)
        .await;
    let mut out = Vec::new();
    for d in devices {
        let id = s(&d["id"]);
        crate::refurbishment::make_ready(app, &app.admin_token, &id).await;
        out.push(
            app.get(&format!("/devices/{id}"), &app.admin_token)
                .await
                .body,
        );
    }
    out
}

/// A welfare office with a social worker: (office id, social worker id, token).
pub async fn office(app: &TestApp) -> (String, String, String) {
    let org = app
        .create_org(
            &format!("OCMW {}", uuid::Uuid::new_v4().simple()),
            "welfare_office",
        )
        .await;
    let (user, token) = app.create_user(&org, "social_worker").await;
    (org, user, token)
}

pub async fn programme(app: &TestApp, token: &str, end: NaiveDate) -> String {
    let r = app
        .post("/programmes", token, json!({ "name": format!("Digibank {}", uuid::Uuid::new_v4().simple()), "end_date": end }))
        .await;
    r.assert_status(201);
    assert_eq!(r.body["checkpoint_interval_months"], 6);
    assert_eq!(r.body["value_cents"], 20000);
    s(&r.body["id"])
}

pub async fn borrower(app: &TestApp, token: &str, name: &str) -> Value {
    let r = app
        .post(
            "/borrowers",
            token,
            json!({ "name": name, "date_of_birth": "1980-04-12", "language": "nl", "phone": "0470 12 34 56", "address": "Sleepstraat 1, 9000 Gent" }),
        )
        .await;
    r.assert_status(201);
    r.body
}

/// The "done when": a social worker registers a borrower, issues a loan, downloads
/// the Dutch agreement, records the first checkpoint, sees the overdue list; a second loan
/// ends in non-return and a paid penalty; another office sees none of it.
async fn a_social_worker_lends_checks_and_collects_the_penalty(b: Backend) {
    let app = spawn_app(b).await;
    let (org, sw_id, sw) = office(&app).await;
    let (_, _, other_sw) = office(&app).await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let prog_end = today().checked_add_months(Months::new(24)).expect("date");
    let prog = programme(&app, &coordinator, prog_end).await;

    // Borrower, with a duplicate warning on the second registration.
    let bor = borrower(&app, &sw, "An De Smet").await;
    let bor_id = s(&bor["id"]);
    assert_eq!(bor["social_worker_id"], json!(sw_id));
    assert_eq!(bor["organisation_id"], json!(org));
    assert!(bor["warnings"].as_array().expect("warnings").is_empty());
    let dup = borrower(&app, &sw, "  an   de SMET ").await;
    assert_eq!(dup["warnings"][0]["code"], "possible_duplicate");
    assert_eq!(dup["warnings"][0]["borrower_id"], json!(bor_id));

    // A laptop and a 4G hotspot under one agreement.
    let laptop = ready_devices(&app, "laptop", 1).await.remove(0);
    let hotspot_r = app
        .post("/devices", &app.admin_token, json!({ "kind": "peripheral", "subtype": "hotspot", "brand": "Huawei", "model": "E5576" }))
        .await;
    hotspot_r.assert_status(201);
    let hotspot_id = s(&hotspot_r.body["id"]);
    crate::refurbishment::make_ready(&app, &app.admin_token, &hotspot_id).await;
    let laptop_id = s(&laptop["id"]);
    let tag = s(&laptop["asset_tag"]);
    let r = app
        .post(
            "/loans",
            &sw,
            json!({ "borrower_id": bor_id, "programme_id": prog, "device_ids": [laptop_id, hotspot_id],
                    "start_date": today(), "accessories": ["lader", "hoes"], "purpose": "job_search" }),
        )
        .await;
    r.assert_status(201);
    let loan_id = s(&r.body["id"]);
    assert_eq!(r.body["status"], "draft");
    assert_eq!(r.body["end_date"], json!(prog_end));
    let checkpoints: Vec<NaiveDate> = r.body["checkpoints"]
        .as_array()
        .expect("checkpoints")
        .iter()
        .map(|c| serde_json::from_value(c["due_on"].clone()).expect("date"))
        .collect();
    let expected: Vec<NaiveDate> = (1..=4)
        .map(|k| {
            today()
                .checked_add_months(Months::new(6 * k))
                .expect("date")
        })
        .collect();
    assert_eq!(checkpoints, expected, "every 6 months up to the end date");
    // Still ready: nothing is handed over before signing.
    assert_eq!(
        app.get(&format!("/devices/{laptop_id}"), &app.admin_token)
            .await
            .body["status"],
        "ready"
    );

    let r = app
        .post(&format!("/loans/{loan_id}/sign"), &sw, json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": today(), "place": "OCMW Gent, Onderbergen" }))
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "active");
    for d in r.body["devices"].as_array().expect("devices") {
        assert_eq!(d["status"], "on_loan");
        assert_eq!(d["device"]["status"], "on_loan");
        assert_eq!(d["device"]["holder_organisation_id"], json!(org));
    }
    let history = app
        .get(&format!("/devices/{laptop_id}/history"), &app.admin_token)
        .await
        .body;
    let last = history
        .as_array()
        .expect("history")
        .last()
        .expect("event")
        .clone();
    assert_eq!(last["action"], "lend");
    assert_eq!(last["detail"]["loan_id"], json!(loan_id));
    // Signing twice is a state conflict.
    app.post(&format!("/loans/{loan_id}/sign"), &sw, json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": today(), "place": "Gent" }))
        .await
        .assert_problem(409);

    // The programme changes after signing: the loan keeps what was signed.
    app.patch(
        &format!("/programmes/{prog}"),
        &coordinator,
        json!({ "value_cents": 35000, "checkpoint_interval_months": 3 }),
    )
    .await
    .assert_status(200);
    let loan = app.get(&format!("/loans/{loan_id}"), &sw).await;
    loan.assert_status(200);
    assert_eq!(loan.body["value_cents"], 20000);
    assert_eq!(loan.body["checkpoint_interval_months"], 6);
    assert_eq!(loan.body["checkpoints"].as_array().expect("cps").len(), 4);

    // The Dutch agreement.
    let pdf = app
        .get(&format!("/loans/{loan_id}/agreement.pdf"), &sw)
        .await;
    pdf.assert_status(200);
    assert_eq!(pdf.content_type, "application/pdf");
    let text = pdf_text(&pdf.bytes);
    assert!(text.contains("An De Smet"), "borrower in: {text}");
    assert!(text.contains(&tag), "asset tag in: {text}");
    for d in &expected {
        let nl = d.format("%d-%m-%Y").to_string();
        assert!(text.contains(&nl), "checkpoint {nl} in: {text}");
    }
    assert!(
        text.contains("€ 200") || text.contains("€200"),
        "€ 200 in: {text}"
    );
    assert!(
        !text.contains("€ 350"),
        "the later programme value must not appear"
    );

    // The first checkpoint.
    let r = app
        .post(&format!("/loans/{loan_id}/checkpoints"), &sw, json!({ "held_on": today(), "device_present": true, "device_working": true, "condition": "goed", "still_needed": true, "note": "mailbox ingesteld" }))
        .await;
    r.assert_status(200);
    assert_eq!(r.body["due_on"], json!(expected[0]));
    assert_eq!(r.body["held_on"], json!(today()));
    let due = app.get("/loans/checkpoints/due?days=400", &sw).await;
    due.assert_status(200);
    let dues: Vec<String> = due
        .body
        .as_array()
        .expect("list")
        .iter()
        .map(|c| s(&c["due_on"]))
        .collect();
    assert!(
        !dues.contains(&expected[0].to_string()) && dues.contains(&expected[1].to_string()),
        "{dues:?}"
    );

    // A second loan, in the past, ends in non-return and a paid penalty.
    // (A new loan of the changed programme would get the new terms; this one uses another.)
    let prog2 = programme(&app, &coordinator, prog_end).await;
    let tablet = ready_devices(&app, "tablet", 1).await.remove(0);
    let tablet_id = s(&tablet["id"]);
    let start = NaiveDate::from_ymd_opt(today().year() - 1, 1, 10).expect("date");
    let end = start.checked_add_months(Months::new(7)).expect("date");
    let r = app
        .post("/loans", &sw, json!({ "borrower_id": bor_id, "programme_id": prog2, "device_ids": [tablet_id], "start_date": start, "end_date": end, "purpose": "school" }))
        .await;
    r.assert_status(201);
    let loan2 = s(&r.body["id"]);
    // Non-return is only possible after the end: not on a draft.
    app.post(&format!("/loans/{loan2}/non-return"), &sw, json!({}))
        .await
        .assert_problem(409);
    app.post(&format!("/loans/{loan2}/sign"), &sw, json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": start, "place": "Gent" }))
        .await
        .assert_status(200);
    let overdue = app.get("/loans/overdue", &sw).await;
    overdue.assert_status(200);
    let list = overdue.body.as_array().expect("list");
    assert_eq!(list.len(), 1, "{}", overdue.body);
    assert_eq!(list[0]["loan_id"], json!(loan2));
    assert_eq!(list[0]["borrower_name"], "An De Smet");
    assert!(list[0]["days_overdue"].as_i64().expect("days") > 0);
    assert_eq!(
        app.get(&format!("/loans/{loan2}"), &sw).await.body["overdue"],
        true
    );
    let od_cps = app.get("/loans/checkpoints/overdue", &sw).await;
    assert!(od_cps
        .body
        .as_array()
        .expect("list")
        .iter()
        .any(|c| c["loan_id"] == json!(loan2)));

    let r = app
        .post(
            &format!("/loans/{loan2}/non-return"),
            &sw,
            json!({ "note": "niet meer bereikbaar" }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "closed");
    assert_eq!(r.body["devices"][0]["device"]["status"], "lost");
    let charge = r.body["charges"][0].clone();
    assert_eq!(charge["kind"], "non_return");
    assert_eq!(charge["status"], "open");
    assert_eq!(charge["amount_cents"], 20000);
    let charge_id = s(&charge["id"]);

    // An open claim blocks anonymisation.
    app.post(
        &format!("/borrowers/{bor_id}/anonymise"),
        &coordinator,
        json!({}),
    )
    .await
    .assert_problem(409);

    // Wrong amount, then the full penalty, paid: the lost tablet is bought (sold).
    let before = app.row_counts();
    let r = app
        .post(
            &format!("/charges/{charge_id}/pay"),
            &sw,
            json!({ "paid_on": today(), "amount_cents": 5000, "method": "cash" }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["amount_cents"]);
    assert_eq!(app.row_counts(), before);
    let r = app
        .post(
            &format!("/charges/{charge_id}/pay"),
            &sw,
            json!({ "paid_on": today(), "amount_cents": 20000, "method": "transfer" }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "paid");
    assert_eq!(r.body["method"], "transfer");
    assert_eq!(
        app.get(&format!("/devices/{tablet_id}"), &app.admin_token)
            .await
            .body["status"],
        "sold"
    );
    app.post(
        &format!("/charges/{charge_id}/waive"),
        &coordinator,
        json!({ "reason": "te laat" }),
    )
    .await
    .assert_problem(409);
    assert!(app
        .get("/loans/overdue", &sw)
        .await
        .body
        .as_array()
        .expect("list")
        .is_empty());

    // Another office's social worker sees none of it.
    for path in [
        format!("/borrowers/{bor_id}"),
        format!("/loans/{loan_id}"),
        format!("/loans/{loan_id}/agreement.pdf"),
        format!("/loans/{loan2}"),
    ] {
        app.get(&path, &other_sw).await.assert_problem(404);
    }
    app.post(&format!("/loans/{loan_id}/checkpoints"), &other_sw, json!({ "held_on": today(), "device_present": true, "device_working": true, "still_needed": true }))
        .await
        .assert_problem(404);
    app.post(
        &format!("/charges/{charge_id}/pay"),
        &other_sw,
        json!({ "paid_on": today(), "amount_cents": 20000, "method": "cash" }),
    )
    .await
    .assert_problem(404);
    for path in ["/borrowers", "/loans"] {
        let r = app.get(path, &other_sw).await;
        r.assert_status(200);
        assert!(
            r.body["items"].as_array().expect("items").is_empty(),
            "{path}: {}",
            r.body
        );
    }
    for path in [
        "/loans/overdue",
        "/loans/checkpoints/due?days=400",
        "/loans/checkpoints/overdue",
        "/loans/ending?days=366",
    ] {
        let r = app.get(path, &other_sw).await;
        r.assert_status(200);
        assert!(
            r.body.as_array().expect("list").is_empty(),
            "{path}: {}",
            r.body
        );
    }
    let r = app
        .post("/borrowers/search", &other_sw, json!({ "name": "de smet" }))
        .await;
    assert!(r.body.as_array().expect("list").is_empty());
    let r = app
        .post("/borrowers/search", &sw, json!({ "name": "DE  SMET" }))
        .await;
    assert_eq!(r.body.as_array().expect("list").len(), 2);
    // Another office cannot lend to this office's borrower.
    let spare = ready_devices(&app, "laptop", 1).await.remove(0);
    let r = app
        .post("/loans", &other_sw, json!({ "borrower_id": bor_id, "programme_id": prog, "device_ids": [spare["id"]], "start_date": today(), "purpose": "other" }))
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["borrower_id"]);

    // The coordinator exports everything held on the person.
    let r = app
        .get(&format!("/borrowers/{bor_id}/export"), &coordinator)
        .await;
    r.assert_status(200);
    assert_eq!(r.body["borrower"]["name"], "An De Smet");
    assert_eq!(r.body["loans"].as_array().expect("loans").len(), 2);
    assert_eq!(r.body["loans"][1]["charges"][0]["status"], "paid");
    assert_eq!(
        r.body["loans"][0]["checkpoints"][0]["note"],
        "mailbox ingesteld"
    );

    // The first loan is still open: anonymisation refused; after the return it goes through.
    app.post(
        &format!("/borrowers/{bor_id}/anonymise"),
        &coordinator,
        json!({}),
    )
    .await
    .assert_problem(409);
    let r = app
        .post(
            &format!("/loans/{loan_id}/return"),
            &sw,
            json!({ "devices": [ { "device_id": laptop_id, "condition": "goed", "accessories_back": ["lader"] },
                                 { "device_id": hotspot_id, "condition": "goed" } ] }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "closed");
    assert_eq!(r.body["devices"][0]["device"]["status"], "returned");
    let r = app
        .post(
            &format!("/borrowers/{bor_id}/anonymise"),
            &coordinator,
            json!({}),
        )
        .await;
    r.assert_status(200);
    assert_ne!(r.body["name"], "An De Smet");
    assert!(r.body["phone"].is_null() && r.body["address"].is_null());
    assert!(r.body["anonymised_at"].is_string());
    let r = app
        .get(&format!("/loans?borrower_id={bor_id}"), &coordinator)
        .await;
    assert_eq!(
        r.body["items"].as_array().expect("items").len(),
        2,
        "loans kept for statistics"
    );
    let export = app
        .get(&format!("/borrowers/{bor_id}/export"), &coordinator)
        .await;
    assert!(!export.body.to_string().contains("De Smet"));
    assert!(!export.body.to_string().contains("mailbox ingesteld"));
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(a_social_worker_lends_checks_and_collects_the_penalty);

/// Only what a loan needs: adults only, no unknown fields (no national register number).
async fn borrowers_are_validated(b: Backend) {
    let app = spawn_app(b).await;
    let (_, _, sw) = office(&app).await;
    let before = app.row_counts();
    let minor = today()
        .checked_sub_months(Months::new(17 * 12))
        .expect("date");
    let r = app
        .post(
            "/borrowers",
            &sw,
            json!({ "name": "Jonge Mens", "date_of_birth": minor, "language": "nl" }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["date_of_birth"]);
    let r = app
        .post("/borrowers", &sw, json!({ "name": "X", "date_of_birth": "1970-01-01", "language": "nl", "national_register_number": "70.01.01-123.45" }))
        .await;
    r.assert_problem(400);
    let r = app
        .post(
            "/borrowers",
            &sw,
            json!({ "name": "X", "date_of_birth": "1970-01-01", "language": "de" }),
        )
        .await;
    r.assert_problem(400);
    let r = app
        .post(
            "/borrowers",
            &sw,
            json!({ "name": "", "date_of_birth": "1970-01-01", "language": "fr", "email": "nope" }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["email", "name"]);
    assert_eq!(app.row_counts(), before);
    // Exactly 18 today is old enough.
    let adult = today()
        .checked_sub_months(Months::new(18 * 12))
        .expect("date");
    app.post(
        "/borrowers",
        &sw,
        json!({ "name": "Net Achttien", "date_of_birth": adult, "language": "fr" }),
    )
    .await
    .assert_status(201);
}
dual_test!(borrowers_are_validated);

/// The signed scan: type checked against the magic bytes, size limit; extension and return.
async fn scans_extensions_and_returns(b: Backend) {
    let app = spawn_app(b).await;
    let (_, _, sw) = office(&app).await;
    let prog_end = today().checked_add_months(Months::new(12)).expect("date");
    let prog = programme(&app, &app.admin_token, prog_end).await;
    let bor = s(&borrower(&app, &sw, "Jan Peeters").await["id"]);
    let dev = ready_devices(&app, "laptop", 1).await.remove(0);
    let dev_id = s(&dev["id"]);
    let first_end = today().checked_add_months(Months::new(4)).expect("date");
    let r = app
        .post("/loans", &sw, json!({ "borrower_id": bor, "programme_id": prog, "device_ids": [dev_id], "start_date": today(), "end_date": first_end, "purpose": "administration" }))
        .await;
    r.assert_status(201);
    assert!(r.body["checkpoints"].as_array().expect("cps").is_empty());
    let loan = s(&r.body["id"]);
    let png = [
        &[0x89u8, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
        &[0u8; 100][..],
    ]
    .concat();
    // Not before signing.
    app.send_raw(
        Method::PUT,
        &format!("/loans/{loan}/signed-scan"),
        Some(&sw),
        "image/png",
        png.clone(),
    )
    .await
    .assert_problem(409);
    app.post(&format!("/loans/{loan}/sign"), &sw, json!({ "borrower_signed": true, "social_worker_signed": false, "signed_on": today(), "place": "Gent" }))
        .await
        .assert_problem(422);
    app.post(&format!("/loans/{loan}/sign"), &sw, json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": today(), "place": "Gent" }))
        .await
        .assert_status(200);
    let before = app.row_counts();
    app.send_raw(
        Method::PUT,
        &format!("/loans/{loan}/signed-scan"),
        Some(&sw),
        "image/gif",
        b"GIF89a....".to_vec(),
    )
    .await
    .assert_problem(415);
    let r = app
        .send_raw(
            Method::PUT,
            &format!("/loans/{loan}/signed-scan"),
            Some(&sw),
            "application/pdf",
            png.clone(),
        )
        .await;
    r.assert_problem(422);
    app.send_raw(
        Method::PUT,
        &format!("/loans/{loan}/signed-scan"),
        Some(&sw),
        "image/png",
        vec![0x89; 6 * 1024 * 1024],
    )
    .await
    .assert_problem(413);
    assert_eq!(app.row_counts(), before);
    let r = app
        .send_raw(
            Method::PUT,
            &format!("/loans/{loan}/signed-scan"),
            Some(&sw),
            "image/png",
            png.clone(),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["size_bytes"], png.len());
    assert_eq!(r.body["sha256"].as_str().expect("sha").len(), 64);
    let got = app.get(&format!("/loans/{loan}/signed-scan"), &sw).await;
    got.assert_status(200);
    assert_eq!(got.content_type, "image/png");
    assert_eq!(got.bytes, png);

    // Extend by one period: capped at the programme's end, adding the new checkpoints.
    let r = app
        .post(
            &format!("/loans/{loan}/extend"),
            &sw,
            json!({ "end_date": prog_end.checked_add_months(Months::new(1)).expect("date") }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["end_date"]);
    let r = app
        .send(
            Method::POST,
            &format!("/loans/{loan}/extend"),
            Some(&sw),
            None,
        )
        .await;
    r.assert_status(200);
    assert_eq!(
        r.body["end_date"],
        json!(prog_end.min(first_end.checked_add_months(Months::new(6)).expect("date")))
    );
    let cps: Vec<String> = r.body["checkpoints"]
        .as_array()
        .expect("cps")
        .iter()
        .map(|c| s(&c["due_on"]))
        .collect();
    assert_eq!(
        cps,
        vec![today()
            .checked_add_months(Months::new(6))
            .expect("date")
            .to_string()]
    );
    if r.body["end_date"] != json!(prog_end) {
        app.send(
            Method::POST,
            &format!("/loans/{loan}/extend"),
            Some(&sw),
            None,
        )
        .await
        .assert_status(200);
    }
    app.send(
        Method::POST,
        &format!("/loans/{loan}/extend"),
        Some(&sw),
        None,
    )
    .await
    .assert_problem(409);

    // Early purchase: the device is sold and a paid charge recorded at once.
    let r = app.post(&format!("/loans/{loan}/purchase"), &sw, json!({ "device_id": dev_id, "paid_on": today(), "amount_cents": 20000, "method": "card" })).await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "closed");
    assert_eq!(r.body["devices"][0]["status"], "bought");
    assert_eq!(r.body["devices"][0]["device"]["status"], "sold");
    assert_eq!(r.body["charges"][0]["kind"], "purchase");
    assert_eq!(r.body["charges"][0]["status"], "paid");
    // Closed: no more returns.
    app.post(
        &format!("/loans/{loan}/return"),
        &sw,
        json!({ "devices": [ { "device_id": dev_id, "condition": "ok" } ] }),
    )
    .await
    .assert_problem(409);
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(scans_extensions_and_returns);

/// Many desks try to lend the same device at once: exactly one signing wins, the others get
/// a clean 409, and the device is in exactly one open loan.
async fn one_device_is_never_in_two_open_loans(b: Backend) {
    let app = spawn_app(b).await;
    let (_, _, sw) = office(&app).await;
    let prog = programme(
        &app,
        &app.admin_token,
        today().checked_add_months(Months::new(12)).expect("date"),
    )
    .await;
    let bor = s(&borrower(&app, &sw, "Race Persoon").await["id"]);
    let dev = s(&ready_devices(&app, "laptop", 1).await.remove(0)["id"]);
    // Two server instances on the same database (own pools, nothing shared in memory).
    let second = crate::helpers::spawn_second(&app).await;
    let attempts = 24;
    let tasks = (0..attempts).map(|i| {
        let app = if i % 2 == 0 { &app } else { &second };
        let (sw, bor, prog, dev) = (sw.clone(), bor.clone(), prog.clone(), dev.clone());
        async move {
            let r = app
                .post("/loans", &sw, json!({ "borrower_id": bor, "programme_id": prog, "device_ids": [dev], "start_date": today(), "purpose": "other" }))
                .await;
            if r.status.as_u16() != 201 {
                return r.status.as_u16();
            }
            let id = s(&r.body["id"]);
            let r = app
                .post(&format!("/loans/{id}/sign"), &sw, json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": today(), "place": "Gent" }))
                .await;
            if r.status.as_u16() == 409 {
                r.assert_problem(409);
            }
            r.status.as_u16()
        }
    });
    let statuses = futures::future::join_all(tasks).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        attempts - 1,
        "{statuses:?}"
    );
    let active = app.get("/loans?status=active", &sw).await;
    assert_eq!(active.body["items"].as_array().expect("items").len(), 1);
    let history = app
        .get(&format!("/devices/{dev}/history"), &app.admin_token)
        .await
        .body;
    assert_eq!(
        history
            .as_array()
            .expect("history")
            .iter()
            .filter(|e| e["action"] == "lend")
            .count(),
        1
    );
}
dual_test!(one_device_is_never_in_two_open_loans);

const ROLES: [&str; 6] = [
    "admin",
    "coordinator",
    "lending_staff",
    "refurbisher",
    "social_worker",
    "requester",
];
const READERS: &[&str] = &["admin", "coordinator", "social_worker"];
const MANAGERS: &[&str] = &["admin", "social_worker"];
const PROGRAMME_MANAGERS: &[&str] = &["admin", "coordinator"];
const PERSONAL_DATA: &[&str] = &["admin", "coordinator"];
const WAIVERS: &[&str] = &["admin", "coordinator"];

/// Every loan and borrower endpoint × every role: 403 unless allowed (written out here,
/// independently of the policy table); allowed roles get past the role check.
async fn loan_endpoints_follow_the_role_rules(b: Backend) {
    let app = spawn_app(b).await;
    let (_, _, sw) = office(&app).await;
    let prog = programme(
        &app,
        &app.admin_token,
        today().checked_add_months(Months::new(12)).expect("date"),
    )
    .await;
    let bor = s(&borrower(&app, &sw, "Matrix Persoon").await["id"]);
    let dev = s(&ready_devices(&app, "laptop", 1).await.remove(0)["id"]);
    let loan = app
        .post("/loans", &sw, json!({ "borrower_id": bor, "programme_id": prog, "device_ids": [dev], "start_date": today(), "purpose": "other" }))
        .await;
    loan.assert_status(201);
    let loan = s(&loan.body["id"]);
    let charge = uuid::Uuid::new_v4();
    let t = today();
    let cases: Vec<(Method, String, Option<Value>, &[&str])> = vec![
        (
            Method::POST,
            "/programmes".into(),
            Some(json!({ "name": "M", "end_date": "2030-01-01" })),
            PROGRAMME_MANAGERS,
        ),
        (Method::GET, "/programmes".into(), None, READERS),
        (Method::GET, format!("/programmes/{prog}"), None, READERS),
        (
            Method::PATCH,
            format!("/programmes/{prog}"),
            Some(json!({ "value_cents": 20000 })),
            PROGRAMME_MANAGERS,
        ),
        (
            Method::POST,
            "/borrowers".into(),
            Some(json!({ "name": "P", "date_of_birth": "1970-01-01", "language": "en" })),
            MANAGERS,
        ),
        (Method::GET, "/borrowers".into(), None, READERS),
        (
            Method::POST,
            "/borrowers/search".into(),
            Some(json!({ "name": "matrix" })),
            READERS,
        ),
        (Method::GET, format!("/borrowers/{bor}"), None, READERS),
        (
            Method::PATCH,
            format!("/borrowers/{bor}"),
            Some(json!({ "note": "n" })),
            MANAGERS,
        ),
        (
            Method::GET,
            format!("/borrowers/{bor}/export"),
            None,
            // Social workers may export the people of their own office (tests/api/gdpr.rs).
            READERS,
        ),
        (
            Method::POST,
            format!("/borrowers/{bor}/anonymise"),
            Some(json!({})),
            PERSONAL_DATA,
        ),
        (
            Method::POST,
            "/loans".into(),
            Some(
                json!({ "borrower_id": bor, "programme_id": prog, "device_ids": [dev], "start_date": t, "purpose": "other" }),
            ),
            MANAGERS,
        ),
        (Method::GET, "/loans".into(), None, READERS),
        (Method::GET, "/loans/checkpoints/due".into(), None, READERS),
        (
            Method::GET,
            "/loans/checkpoints/overdue".into(),
            None,
            READERS,
        ),
        (Method::GET, "/loans/ending".into(), None, READERS),
        (Method::GET, "/loans/overdue".into(), None, READERS),
        (Method::GET, format!("/loans/{loan}"), None, READERS),
        (
            Method::GET,
            format!("/loans/{loan}/agreement.pdf"),
            None,
            READERS,
        ),
        (
            Method::GET,
            format!("/loans/{loan}/signed-scan"),
            None,
            READERS,
        ),
        (
            Method::POST,
            format!("/loans/{loan}/checkpoints"),
            Some(
                json!({ "held_on": t, "device_present": true, "device_working": true, "still_needed": true }),
            ),
            MANAGERS,
        ),
        (
            Method::POST,
            format!("/loans/{loan}/extend"),
            Some(json!({})),
            MANAGERS,
        ),
        (
            Method::POST,
            format!("/loans/{loan}/return"),
            Some(json!({ "devices": [ { "device_id": dev, "condition": "ok" } ] })),
            MANAGERS,
        ),
        (
            Method::POST,
            format!("/loans/{loan}/non-return"),
            Some(json!({})),
            MANAGERS,
        ),
        (
            Method::POST,
            format!("/loans/{loan}/purchase"),
            Some(
                json!({ "device_id": dev, "paid_on": t, "amount_cents": 20000, "method": "cash" }),
            ),
            MANAGERS,
        ),
        (
            Method::POST,
            format!("/charges/{charge}/pay"),
            Some(json!({ "paid_on": t, "amount_cents": 20000, "method": "cash" })),
            MANAGERS,
        ),
        (
            Method::POST,
            format!("/charges/{charge}/waive"),
            Some(json!({ "reason": "matrix" })),
            WAIVERS,
        ),
    ];
    let tokens = crate::access::tokens_per_role(&app).await;
    assert_eq!(tokens.len(), ROLES.len());
    for (method, path, body, allowed) in &cases {
        for (role, token) in &tokens {
            let r = app
                .send(method.clone(), path, Some(token), body.clone())
                .await;
            let status = r.status.as_u16();
            if allowed.contains(role) {
                assert!(
                    status != 403 && status != 401 && status < 500,
                    "{role} should be allowed {method} {path} but got {status}: {}",
                    r.body
                );
            } else {
                assert_eq!(
                    status, 403,
                    "{role} should be refused {method} {path}: {}",
                    r.body
                );
                r.assert_problem(403);
            }
        }
        app.send(method.clone(), path, None, body.clone())
            .await
            .assert_problem(401);
    }
    // The upload takes raw bytes.
    for (role, token) in &tokens {
        let r = app
            .send_raw(
                Method::PUT,
                &format!("/loans/{loan}/signed-scan"),
                Some(token),
                "application/pdf",
                b"%PDF-1.4".to_vec(),
            )
            .await;
        if MANAGERS.contains(role) {
            assert_ne!(r.status.as_u16(), 403, "{role}");
        } else {
            r.assert_problem(403);
        }
    }
}
dual_test!(loan_endpoints_follow_the_role_rules);

/// The data-safety rule at the desk: a device that has not been wiped and certified ready
/// cannot be lent, and once lent only its loan can close it.
async fn only_wiped_ready_devices_are_lent(b: Backend) {
    let app = spawn_app(b).await;
    let (_org, _sw_id, sw) = office(&app).await;
    let prog = programme(
        &app,
        &app.admin_token,
        today() + chrono::Duration::days(400),
    )
    .await;
    let bor = borrower(&app, &sw, "Mira Peeters").await;
    let donation = app.create_donation(&app.admin_token).await;
    let unwiped = app
        .register_devices(&app.admin_token, &donation, "laptop", 1)
        .await;
    let unwiped_id = s(&unwiped[0]["id"]);
    // A wiped drive but a failed one too: still not lendable.
    let drives = app
        .get(&format!("/devices/{unwiped_id}/drives"), &app.admin_token)
        .await;
    let drive = s(&drives.body[0]["id"]);
    app.post(
        &format!("/devices/{unwiped_id}/wipes"),
        &app.admin_token,
        crate::refurbishment::wipe_body(Some(&drive), "failed"),
    )
    .await
    .assert_status(201);
    let before = app.row_counts();
    let body = |ids: Vec<String>| {
        json!({ "borrower_id": s(&bor["id"]), "programme_id": prog, "device_ids": ids,
                "start_date": today(), "accessories": [], "purpose": "school" })
    };
    let r = app
        .post("/loans", &sw, body(vec![unwiped_id.clone()]))
        .await;
    assert!(matches!(r.status.as_u16(), 409 | 422), "{}", r.body);
    assert!(r.content_type.starts_with("application/problem+json"));
    assert_eq!(app.row_counts(), before, "nothing stored");
    assert_eq!(
        app.get(&format!("/devices/{unwiped_id}"), &app.admin_token)
            .await
            .body["status"],
        "received"
    );

    // A ready device is lent; the generic action endpoint cannot then write it off.
    let ready = ready_devices(&app, "tablet", 1).await;
    let ready_id = s(&ready[0]["id"]);
    let r = app.post("/loans", &sw, body(vec![ready_id.clone()])).await;
    r.assert_status(201);
    let loan = s(&r.body["id"]);
    app.post(&format!("/loans/{loan}/sign"), &sw, json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": today(), "place": "Gent" }))
        .await
        .assert_status(200);
    for action in ["mark_lost", "retire", "send_to_repair"] {
        let r = app
            .post(
                &format!("/devices/{ready_id}/actions/{action}"),
                &app.admin_token,
                json!({}),
            )
            .await;
        r.assert_problem(409);
        assert_eq!(r.body["current_status"], "on_loan");
    }
}
dual_test!(only_wiped_ready_devices_are_lent);

/// The loan's transition table: a closed or cancelled loan takes no purchase and no signed
/// scan (before the table, both were accepted), each refusal a 409 naming the status; an open
/// charge of a closed loan is still paid through `/charges/{id}/pay`.
async fn closed_and_cancelled_loans_refuse_purchases_and_scans(b: Backend) {
    let app = spawn_app(b).await;
    let (_, _, sw) = office(&app).await;
    let prog_end = today().checked_add_months(Months::new(12)).expect("date");
    let prog = programme(&app, &app.admin_token, prog_end).await;
    let bor = s(&borrower(&app, &sw, "Tabel Persoon").await["id"]);
    let sign = |on: NaiveDate| json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": on, "place": "Gent" });
    let purchase = |dev: &str| json!({ "device_id": dev, "paid_on": today(), "amount_cents": 20000, "method": "cash" });
    let pdf = b"%PDF-1.4 signed".to_vec();
    let refused = |r: &crate::helpers::Resp, status: &str| {
        r.assert_problem(409);
        assert_eq!(r.body["current_status"], status, "{}", r.body);
        assert!(
            r.body["detail"].as_str().unwrap_or("").contains(status),
            "{}",
            r.body
        );
    };

    // Returned: the loan is closed; the device came back and cannot be bought any more.
    let dev = s(&ready_devices(&app, "laptop", 1).await.remove(0)["id"]);
    let r = app
        .post("/loans", &sw, json!({ "borrower_id": bor, "programme_id": prog, "device_ids": [dev], "start_date": today(), "purpose": "school" }))
        .await;
    r.assert_status(201);
    let returned = s(&r.body["id"]);
    app.post(&format!("/loans/{returned}/sign"), &sw, sign(today()))
        .await
        .assert_status(200);
    let r = app
        .post(
            &format!("/loans/{returned}/return"),
            &sw,
            json!({ "devices": [ { "device_id": dev, "condition": "ok" } ] }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "closed");
    let before = app.row_counts();
    let r = app
        .post(&format!("/loans/{returned}/purchase"), &sw, purchase(&dev))
        .await;
    refused(&r, "closed");
    assert_eq!(r.body["allowed_actions"], json!([]));
    let r = app
        .send_raw(
            Method::PUT,
            &format!("/loans/{returned}/signed-scan"),
            Some(&sw),
            "application/pdf",
            pdf.clone(),
        )
        .await;
    refused(&r, "closed");
    assert_eq!(app.row_counts(), before, "nothing written");

    // Cancelled: a draft given up takes no purchase, no scan, no signature.
    let dev2 = s(&ready_devices(&app, "tablet", 1).await.remove(0)["id"]);
    let r = app
        .post("/loans", &sw, json!({ "borrower_id": bor, "programme_id": prog, "device_ids": [dev2], "start_date": today(), "purpose": "school" }))
        .await;
    r.assert_status(201);
    let cancelled = s(&r.body["id"]);
    app.post(&format!("/loans/{cancelled}/cancel"), &sw, json!({}))
        .await
        .assert_status(200);
    let before = app.row_counts();
    let r = app
        .post(
            &format!("/loans/{cancelled}/purchase"),
            &sw,
            purchase(&dev2),
        )
        .await;
    refused(&r, "cancelled");
    let r = app
        .send_raw(
            Method::PUT,
            &format!("/loans/{cancelled}/signed-scan"),
            Some(&sw),
            "application/pdf",
            pdf.clone(),
        )
        .await;
    refused(&r, "cancelled");
    let r = app
        .post(&format!("/loans/{cancelled}/sign"), &sw, sign(today()))
        .await;
    refused(&r, "cancelled");
    assert_eq!(app.row_counts(), before, "nothing written");

    // Not returned after the end: closed with an open charge. The purchase is refused; the
    // charge is paid through its own endpoint, which sells the lost device.
    let dev3 = s(&ready_devices(&app, "laptop", 1).await.remove(0)["id"]);
    let start = today() - chrono::Duration::days(60);
    let end = today() - chrono::Duration::days(10);
    let r = app
        .post("/loans", &sw, json!({ "borrower_id": bor, "programme_id": prog, "device_ids": [dev3], "start_date": start, "end_date": end, "purpose": "other" }))
        .await;
    r.assert_status(201);
    let lost = s(&r.body["id"]);
    app.post(&format!("/loans/{lost}/sign"), &sw, sign(start))
        .await
        .assert_status(200);
    let r = app
        .post(&format!("/loans/{lost}/non-return"), &sw, json!({}))
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "closed");
    let charge = s(&r.body["charges"][0]["id"]);
    let before = app.row_counts();
    let r = app
        .post(&format!("/loans/{lost}/purchase"), &sw, purchase(&dev3))
        .await;
    refused(&r, "closed");
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("/charges/{id}/pay"));
    assert_eq!(app.row_counts(), before, "nothing written");
    app.post(
        &format!("/charges/{charge}/pay"),
        &sw,
        json!({ "paid_on": today(), "amount_cents": 20000, "method": "cash" }),
    )
    .await
    .assert_status(200);
    let r = app.get(&format!("/loans/{lost}"), &sw).await;
    assert_eq!(r.body["devices"][0]["status"], "bought");
    assert_eq!(r.body["devices"][0]["device"]["status"], "sold");
    // A settled charge is not paid twice.
    app.post(
        &format!("/charges/{charge}/pay"),
        &sw,
        json!({ "paid_on": today(), "amount_cents": 20000, "method": "cash" }),
    )
    .await
    .assert_problem(409);
    app.assert_devices_agree();
}
dual_test!(closed_and_cancelled_loans_refuse_purchases_and_scans);

/// The work-list windows (`domain::loans::worklists`): "soon" looks 0 to 731 days ahead, a
/// window outside that is a 422 naming `days`, and the overdue lists take no window.
async fn work_list_windows_are_bounded(b: Backend) {
    let app = spawn_app(b).await;
    let (_, _, sw) = office(&app).await;
    for path in ["/loans/checkpoints/due", "/loans/ending"] {
        for days in ["-1", "732"] {
            let r = app.get(&format!("{path}?days={days}"), &sw).await;
            r.assert_problem(422);
            assert_eq!(r.error_fields(), vec!["days"], "{path}?days={days}");
        }
        for days in ["0", "731"] {
            app.get(&format!("{path}?days={days}"), &sw)
                .await
                .assert_status(200);
        }
    }
    for path in ["/loans/checkpoints/overdue", "/loans/overdue"] {
        app.get(&format!("{path}?days=5000"), &sw)
            .await
            .assert_status(200);
    }
}
dual_test!(work_list_windows_are_bounded);
