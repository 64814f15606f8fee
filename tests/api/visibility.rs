//! Who may see what, as a matrix of callers (roles in their own or another organisation) ×
//! records × endpoints. "Allowed" means the right record came back (its id, or the document);
//! "denied" means 404 (not in the caller's view) or 403 (not the caller's role); in lists,
//! "absent" means the record is left out. The expectations are written out here, independently
//! of `src/auth/visibility.rs`.

use chrono::{Duration, Months};
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{today, Backend, TestApp};
use crate::loans::{borrower, programme};

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

/// The callers, in the order of the expectation strings below.
const CALLERS: [&str; 9] = [
    "admin",
    "coordinator",
    "lending_staff",
    "refurbisher of the workshop",
    "refurbisher of another workshop",
    "social worker of the office",
    "social worker of another office",
    "requester of the school",
    "requester of another school",
];

async fn sign(app: &TestApp, sw: &str, loan: &str) {
    app.post(&format!("/loans/{loan}/sign"), sw, json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": today(), "place": "Gent" }))
        .await
        .assert_status(200);
}

async fn every_record_is_seen_by_exactly_those_who_may(b: Backend) {
    let app = crate::helpers::spawn_app(b).await;
    let workshop = app.create_org("Werkplaats", "workshop").await;
    let (_, refurb) = app.create_user(&workshop, "refurbisher").await;
    let (_, refurb2) = app.user_in_new_org("refurbisher", "workshop").await;
    let office = app.create_org("OCMW A", "welfare_office").await;
    let (_, sw) = app.create_user(&office, "social_worker").await;
    let office_b = app.create_org("OCMW B", "welfare_office").await;
    let (_, sw_b) = app.create_user(&office_b, "social_worker").await;
    let school = app.create_org("School", "school").await;
    let (_, req) = app.create_user(&school, "requester").await;
    let (_, req2) = app.user_in_new_org("requester", "school").await;
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    let (_, coord) = app.user_in_new_org("coordinator", "lending_service").await;
    let tokens = [
        app.admin_token.clone(),
        coord.clone(),
        staff.clone(),
        refurb.clone(),
        refurb2,
        sw.clone(),
        sw_b.clone(),
        req.clone(),
        req2,
    ];

    // A batch of three laptops assigned to the workshop and made ready there.
    let donation = app.create_donation(&app.admin_token).await;
    let devs = app
        .register_devices(&app.admin_token, &donation, "laptop", 3)
        .await;
    app.post(
        &format!("/donations/{donation}/assign"),
        &staff,
        json!({ "workshop_id": workshop }),
    )
    .await
    .assert_status(200);
    let ids: Vec<String> = devs.iter().map(|d| s(&d["id"])).collect();
    for id in &ids {
        crate::refurbishment::make_ready(&app, &refurb, id).await;
    }
    let (returned, out, pooled) = (ids[0].clone(), ids[1].clone(), ids[2].clone());
    let out_tag = s(&devs[1]["asset_tag"]);
    let returned_tag = s(&devs[0]["asset_tag"]);
    app.patch(
        &format!("/devices/{pooled}"),
        &app.admin_token,
        json!({ "in_pool": true }),
    )
    .await
    .assert_status(200);

    // The office lends two of them; one comes back with a condition that only the office
    // (and coordinators, admins) may read.
    let prog = programme(
        &app,
        &coord,
        today().checked_add_months(Months::new(12)).expect("date"),
    )
    .await;
    let bor = s(&borrower(&app, &sw, "Visibility Persoon").await["id"]);
    let r = app
        .post("/loans", &sw, json!({ "borrower_id": bor, "programme_id": prog, "device_ids": [returned], "start_date": today(), "purpose": "other" }))
        .await;
    r.assert_status(201);
    let loan = s(&r.body["id"]);
    let loan_number = s(&r.body["number"]);
    sign(&app, &sw, &loan).await;
    app.post(&format!("/loans/{loan}/return"), &sw, json!({ "devices": [{ "device_id": returned, "condition": "RETURN-DETAIL toetsenbord plakt" }] }))
        .await
        .assert_status(200);
    let r = app
        .post("/loans", &sw, json!({ "borrower_id": bor, "programme_id": prog, "device_ids": [out], "start_date": today(), "purpose": "other" }))
        .await;
    let loan2 = s(&r.body["id"]);
    sign(&app, &sw, &loan2).await;

    // The school asks for a booking.
    let pickup = today() + Duration::days(7);
    let r = app
        .post("/bookings", &req, json!({ "pickup_on": pickup, "return_on": pickup + Duration::days(1), "purpose": "Les", "contact": { "name": "Juf", "email": "juf@school.example.be" }, "lines": [{ "kind": "laptop", "quantity": 1 }] }))
        .await;
    r.assert_status(201);
    let booking = s(&r.body["id"]);

    // Expected, per caller in the order of CALLERS:
    // Y = 200 with the record, 4 = 404, 3 = 403; in lists Y = listed, N = left out.
    let records: Vec<(String, &str, &str)> = vec![
        // On loan to a person: left the workshop; the lending office holds it.
        (format!("/devices/{out}"), &*out, "YYY44Y433"),
        (format!("/devices/by-tag/{out_tag}"), &*out, "YYY44Y433"),
        // Back from the loan: with the workshop again (returned) and held by its owner, no
        // longer by the office that lent it (the holder follows the device).
        (format!("/devices/{returned}"), &*returned, "YYYY44433"),
        (
            format!("/devices/by-tag/{returned_tag}"),
            &*returned,
            "YYYY44433",
        ),
        (format!("/donations/{donation}"), &*donation, "YYYY44433"),
        (format!("/borrowers/{bor}"), &*bor, "YY333Y433"),
        (format!("/loans/{loan}"), &*loan, "YY333Y433"),
        (format!("/bookings/{booking}"), &*booking, "YYY3333Y4"),
    ];
    for (path, id, expected) in &records {
        for (i, token) in tokens.iter().enumerate() {
            let r = app.get(path, token).await;
            match expected.as_bytes()[i] {
                b'Y' => {
                    r.assert_status(200);
                    assert_eq!(r.body["id"], json!(id), "{} GET {path}", CALLERS[i]);
                }
                b'4' => {
                    r.assert_problem(404);
                }
                b'3' => {
                    r.assert_problem(403);
                }
                other => panic!("bad expectation {other}"),
            }
        }
    }

    // The export and the certificate: documents, not records with an id.
    let docs: Vec<(String, &str)> = vec![
        (format!("/borrowers/{bor}/export"), "YY333Y433"),
        (
            format!("/donations/{donation}/certificate.pdf"),
            "YYYY43333",
        ),
    ];
    for (path, expected) in &docs {
        for (i, token) in tokens.iter().enumerate() {
            let r = app.get(path, token).await;
            match expected.as_bytes()[i] {
                b'Y' => {
                    r.assert_status(200);
                    if path.ends_with(".pdf") {
                        assert!(r.bytes.starts_with(b"%PDF"), "{}", CALLERS[i]);
                    } else {
                        assert_eq!(r.body["borrower"]["id"], json!(bor), "{}", CALLERS[i]);
                        assert_eq!(r.body["loans"].as_array().map(Vec::len), Some(2));
                    }
                }
                b'4' => {
                    r.assert_problem(404);
                }
                _ => {
                    r.assert_problem(403);
                }
            }
        }
    }

    // Lists and searches leave out what the caller may not see.
    let lists: Vec<(&str, &str, &str)> = vec![
        ("/devices?limit=200", &*out, "YYYNNYN33"),
        ("/devices?limit=200", &*returned, "YYYYNNN33"),
        ("/borrowers", &*bor, "YY333YN33"),
        ("/loans", &*loan, "YY333YN33"),
        ("/bookings", &*booking, "YYY3333YN"),
        ("/donations", &*donation, "YYYYNNN33"),
    ];
    for (path, id, expected) in &lists {
        for (i, token) in tokens.iter().enumerate() {
            let r = app.get(path, token).await;
            let code = expected.as_bytes()[i];
            if code == b'3' {
                r.assert_problem(403);
                continue;
            }
            r.assert_status(200);
            let listed = r.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|x| x["id"] == json!(id));
            assert_eq!(listed, code == b'Y', "{} GET {path} lists {id}", CALLERS[i]);
        }
    }

    // The history: everyone who sees the device sees that it was lent and came back; the
    // loan's number and the condition only those who may read the loan.
    // The office's social worker no longer sees the device once it is back with its owner.
    let history_detail = "YYNN-----"; // N = redacted, - = device not visible (checked above)
    for (i, token) in tokens.iter().enumerate() {
        let code = history_detail.as_bytes()[i];
        if code == b'-' {
            continue;
        }
        let r = app
            .get(&format!("/devices/{returned}/history"), token)
            .await;
        r.assert_status(200);
        let events = r.body.as_array().expect("events");
        let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
        assert!(
            actions.contains(&"lend") && actions.contains(&"check_in"),
            "{actions:?}"
        );
        let text = r.body.to_string();
        let check_in = events
            .iter()
            .find(|e| e["action"] == "check_in")
            .expect("check_in");
        if code == b'Y' {
            assert_eq!(
                check_in["detail"]["condition"], "RETURN-DETAIL toetsenbord plakt",
                "{}",
                CALLERS[i]
            );
            assert_eq!(check_in["detail"]["loan_number"], json!(loan_number));
        } else {
            assert_eq!(
                check_in["detail"],
                json!({ "redacted": true }),
                "{}",
                CALLERS[i]
            );
            assert!(check_in["actor_user_id"].is_null());
            assert!(
                !text.contains("RETURN-DETAIL")
                    && !text.contains(&loan_number)
                    && !text.contains(&loan),
                "{}: {text}",
                CALLERS[i]
            );
        }
    }

    // Another office drafting a loan with the device lent by this office gets the answer of
    // an unknown id (not 409 with its status).
    let bor_b = s(&borrower(&app, &sw_b, "Andere Persoon").await["id"]);
    let unknown = uuid::Uuid::new_v4();
    let mut answers = Vec::new();
    for dev in [out.clone(), unknown.to_string()] {
        let r = app
            .post("/loans", &sw_b, json!({ "borrower_id": bor_b, "programme_id": prog, "device_ids": [dev], "start_date": today(), "purpose": "other" }))
            .await;
        r.assert_problem(422);
        answers.push((r.error_fields(), r.body["errors"][0]["message"].clone()));
    }
    assert_eq!(answers[0], answers[1]);
    assert!(!answers[0].1.to_string().contains("on_loan"));

    // A requester naming a tag outside the pool gets the answer of an unknown tag.
    let mut answers = Vec::new();
    for tag in [returned_tag.clone(), "GNT-999999".to_string()] {
        let r = app
            .post("/bookings", &req, json!({ "pickup_on": pickup, "return_on": pickup + Duration::days(1), "purpose": "Les", "contact": { "name": "Juf", "email": "juf@school.example.be" }, "lines": [], "devices": [tag] }))
            .await;
        r.assert_problem(422);
        let message = s(&r.body["errors"][0]["message"]).replace(&tag, "TAG");
        answers.push((r.error_fields(), message));
    }
    assert_eq!(answers[0], answers[1]);
    assert!(!answers[0].1.contains("not in the booking pool"));
}
dual_test!(every_record_is_seen_by_exactly_those_who_may);
