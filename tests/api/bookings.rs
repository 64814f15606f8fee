//! Bookings by organisations: requests, confirmation with allocation, pick-up, return,
//! availability, conflicts under concurrency, and who may do what.

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{pdf_text, spawn_app, spawn_second, today, Backend, TestApp};

/// The Monday of next week (1 to 7 days from today).
pub(crate) fn next_monday() -> NaiveDate {
    let t = today();
    t + Duration::days(7 - t.weekday().num_days_from_monday() as i64)
}

/// The Monday `weeks` weeks after next Monday.
pub(crate) fn monday_in(weeks: i64) -> NaiveDate {
    next_monday() + Duration::weeks(weeks)
}

fn tags_of(devices: &[(String, String)]) -> Vec<String> {
    devices.iter().map(|(_, t)| t.clone()).collect()
}

/// Registers `n` pool devices of `kind` and makes them ready: (id, asset tag).
pub(crate) async fn pool_devices(
    app: &TestApp,
    kind: &str,
    subtype: Option<&str>,
    n: usize,
) -> Vec<(String, String)> {
    let donation = app.create_donation(&app.admin_token).await;
    let items: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "kind": kind, "subtype": subtype, "brand": "Acme", "model": format!("{kind} model"),
                "in_pool": true, "shelf_location": format!("Kast {}", i % 3 + 1),
            })
        })
        .collect();
    let r = app
        .post(
            &format!("/donations/{donation}/devices"),
            &app.admin_token,
            Value::Array(items),
        )
        .await;
    r.assert_status(201);
    let mut out = Vec::new();
    for d in r.body["devices"].as_array().expect("devices") {
        let id = d["id"].as_str().expect("id").to_string();
        // The data-safety guards need a passed wipe and refurbishment record first.
        crate::refurbishment::make_ready(app, &app.admin_token, &id).await;
        out.push((id, d["asset_tag"].as_str().expect("tag").to_string()));
    }
    out
}

fn booking_body(org: Option<&str>, pickup: NaiveDate, ret: NaiveDate, lines: Value) -> Value {
    json!({
        "organisation_id": org,
        "pickup_on": pickup, "return_on": ret,
        "purpose": "Programmeerweek 5de leerjaar",
        "contact": { "name": "Juf Sarah", "email": "sarah@school.example.be" },
        "lines": lines,
    })
}

pub(crate) async fn book(
    app: &TestApp,
    token: &str,
    org: Option<&str>,
    pickup: NaiveDate,
    ret: NaiveDate,
    lines: Value,
) -> String {
    let r = app
        .post("/bookings", token, booking_body(org, pickup, ret, lines))
        .await;
    r.assert_status(201);
    assert_eq!(r.body["status"], "requested");
    r.body["id"].as_str().expect("id").to_string()
}

pub(crate) async fn free_on(app: &TestApp, kind: &str, day: NaiveDate) -> i64 {
    let r = app
        .get(
            &format!("/availability?kind={kind}&from={day}&to={day}"),
            &app.admin_token,
        )
        .await;
    r.assert_status(200);
    r.body["days"][0]["free"].as_i64().expect("free")
}

pub(crate) fn device_status(app: &TestApp, id: &str) -> String {
    use digilend::db::schema::devices;
    let mut conn = app.db.conn().expect("conn");
    devices::table
        .find(id)
        .select(devices::status)
        .first::<String>(&mut *conn)
        .expect("device")
}

async fn a_school_books_tablets_and_robots_from_request_to_return(b: Backend) {
    let app = spawn_app(b).await;
    let tablets = pool_devices(&app, "tablet", None, 16).await;
    let robots = pool_devices(&app, "robot", None, 6).await;
    let (school, requester) = app.user_in_new_org("requester", "school").await;
    let (_, staff) = app.create_user(&app.admin_org, "lending_staff").await;
    let (mon, fri) = (next_monday(), next_monday() + Duration::days(4));
    let after = fri + Duration::days(4); // Tuesday: Friday's return plus one working day is Monday

    assert_eq!(free_on(&app, "tablet", mon).await, 16);
    let id = book(
        &app,
        &requester,
        None,
        mon,
        fri,
        json!([{ "kind": "tablet", "quantity": 15 }, { "kind": "robot", "quantity": 5 }]),
    )
    .await;
    // A request allocates nothing, and has no confirmation document yet.
    app.get(&format!("/bookings/{id}/confirmation.pdf"), &requester)
        .await
        .assert_problem(409);
    assert_eq!(free_on(&app, "tablet", mon).await, 16);

    let r = app
        .post(&format!("/bookings/{id}/confirm"), &staff, json!({}))
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "confirmed");
    assert_eq!(r.body["counts"]["allocated"], 20);
    assert!(r.body["reference"]
        .as_str()
        .expect("reference")
        .starts_with("RES-"));
    assert_eq!(free_on(&app, "tablet", mon).await, 1);
    assert_eq!(free_on(&app, "robot", fri).await, 1);
    // Friday's return keeps the devices through Monday (turnaround), free again on Tuesday.
    assert_eq!(free_on(&app, "tablet", fri + Duration::days(3)).await, 1);
    assert_eq!(free_on(&app, "tablet", after).await, 16);
    let range = app
        .get(
            &format!(
                "/availability?kind=tablet&from={}&to={after}",
                mon - Duration::days(1)
            ),
            &requester,
        )
        .await;
    range.assert_status(200);
    assert_eq!(range.body["total"], 16);
    let frees: Vec<i64> = range.body["days"]
        .as_array()
        .expect("days")
        .iter()
        .map(|d| d["free"].as_i64().expect("n"))
        .collect();
    assert_eq!(frees, vec![16, 1, 1, 1, 1, 1, 1, 1, 1, 16]);
    let month = format!("{}", mon.format("%Y-%m"));
    let cal = app
        .get(&format!("/availability/calendar?month={month}"), &requester)
        .await;
    cal.assert_status(200);
    let day = cal.body["days"]
        .as_array()
        .expect("days")
        .iter()
        .find(|d| d["date"] == json!(mon))
        .expect("day")
        .clone();
    let tablet = day["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .find(|k| k["kind"] == "tablet")
        .expect("tablet")
        .clone();
    assert_eq!(
        (tablet["free"].as_i64(), tablet["total"].as_i64()),
        (Some(1), Some(16))
    );

    // Staff print the pick list; the school gets its confirmation (Dutch by default, or French).
    let pdf = app
        .get(&format!("/bookings/{id}/pick-list.pdf"), &staff)
        .await;
    pdf.assert_status(200);
    assert_eq!(pdf.content_type, "application/pdf");
    let text = pdf_text(&pdf.bytes);
    let reference = r.body["reference"].as_str().expect("reference");
    assert!(text.contains(reference), "the pick list names the booking");
    let first_tag = r.body["devices"][0]["asset_tag"].as_str().expect("tag");
    assert!(text.contains(first_tag), "the pick list lists the tags");
    app.get(&format!("/bookings/{id}/pick-list.pdf"), &requester)
        .await
        .assert_problem(403);
    let conf = app
        .get(
            &format!("/bookings/{id}/confirmation.pdf?lang=fr"),
            &requester,
        )
        .await;
    conf.assert_status(200);
    assert!(conf.bytes.starts_with(b"%PDF"));
    assert!(pdf_text(&conf.bytes).contains(reference));
    app.get(&format!("/bookings/{id}/confirmation.pdf"), &requester)
        .await
        .assert_status(200);
    app.get(
        &format!("/bookings/{id}/confirmation.pdf?lang=de"),
        &requester,
    )
    .await
    .assert_problem(422);

    // The requester sees the booking; staff hand out the 20 allocated devices by tag.
    app.get(&format!("/bookings/{id}"), &requester)
        .await
        .assert_status(200);
    let allocated: Vec<String> = r.body["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .map(|d| d["asset_tag"].as_str().expect("tag").to_string())
        .collect();
    assert_eq!(allocated.len(), 20);
    let p = app
        .post(
            &format!("/bookings/{id}/pickup"),
            &staff,
            json!({ "asset_tags": allocated }),
        )
        .await;
    p.assert_status(200);
    assert_eq!(p.body["status"], "picked_up");
    assert_eq!(p.body["counts"]["out"], 20);
    let out_id = p.body["devices"][0]["device_id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(device_status(&app, &out_id), "booked_out");
    let d = app.get(&format!("/devices/{out_id}"), &staff).await;
    assert_eq!(d.body["holder_organisation_id"], json!(school));
    assert_eq!(free_on(&app, "tablet", mon).await, 1);

    // 19 come back, one is reported missing.
    let missing = allocated[0].clone();
    let items: Vec<Value> = allocated[1..]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == 0 {
                json!({ "asset_tag": t, "condition": "damaged", "missing_accessories": "oplader" })
            } else {
                json!({ "asset_tag": t })
            }
        })
        .collect();
    let back = app
        .post(
            &format!("/bookings/{id}/return"),
            &staff,
            json!({ "items": items, "reported_missing": [missing] }),
        )
        .await;
    back.assert_status(200);
    assert_eq!(back.body["status"], "partially_returned");
    assert_eq!(back.body["counts"]["returned"], 19);
    assert_eq!(back.body["counts"]["out"], 1);
    assert_eq!(back.body["counts"]["reported_missing"], 1);
    let returned_one = back.body["devices"]
        .as_array()
        .expect("d")
        .iter()
        .find(|d| d["asset_tag"] == json!(allocated[1]))
        .expect("dev")
        .clone();
    assert_eq!(returned_one["return_condition"], "damaged");
    // Damaged and without its charger: to the repair queue, not waiting to be made ready.
    assert_eq!(
        device_status(&app, returned_one["device_id"].as_str().expect("id")),
        "in_repair"
    );
    // Returned devices wait for their reset: not plannable; the missing one is still out.
    let tablets_back = back.body["devices"]
        .as_array()
        .expect("d")
        .iter()
        .filter(|d| d["kind"] == "tablet" && d["state"] == "returned")
        .count() as i64;
    let r = app
        .get(
            &format!("/availability?kind=tablet&from={after}&to={after}"),
            &staff,
        )
        .await;
    assert_eq!(r.body["plannable"].as_i64(), Some(16 - tablets_back));
    // A second return with the same device is refused and names the field.
    let again = app
        .post(
            &format!("/bookings/{id}/return"),
            &staff,
            json!({ "items": [{ "asset_tag": allocated[1] }] }),
        )
        .await;
    again.assert_problem(422);
    assert_eq!(again.error_fields(), vec!["items[0].asset_tag"]);
    // The missing device turns up: the booking is closed.
    let last = app
        .post(
            &format!("/bookings/{id}/return"),
            &staff,
            json!({ "items": [{ "asset_tag": missing }] }),
        )
        .await;
    last.assert_status(200);
    assert_eq!(last.body["status"], "returned");
    let _ = (tablets, robots);
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(a_school_books_tablets_and_robots_from_request_to_return);

/// Subtype and model narrow the count as they do when a booking is planned: trimmed and in
/// any case; the month's calendar counts every kind in stock.
async fn availability_filters_by_subtype_and_model(b: Backend) {
    let app = spawn_app(b).await;
    pool_devices(&app, "peripheral", Some("beamer"), 2).await;
    pool_devices(&app, "peripheral", Some("vr_headset"), 1).await;
    let day = monday_in(2);
    let count = |filter: &'static str| {
        let app = &app;
        async move {
            let r = app
                .get(
                    &format!("/availability?kind=peripheral{filter}&from={day}&to={day}"),
                    &app.admin_token,
                )
                .await;
            r.assert_status(200);
            (
                r.body["total"].as_i64().expect("total"),
                r.body["plannable"].as_i64().expect("plannable"),
                r.body["days"][0]["free"].as_i64().expect("free"),
            )
        }
    };
    assert_eq!(count("").await, (3, 3, 3));
    assert_eq!(count("&subtype=%20BEAMER%20").await, (2, 2, 2));
    assert_eq!(count("&subtype=vr_headset").await, (1, 1, 1));
    assert_eq!(count("&model=Peripheral%20MODEL").await, (3, 3, 3));
    assert_eq!(count("&subtype=beamer&model=other").await, (0, 0, 0));
    assert_eq!(count("&subtype=projector").await, (0, 0, 0));
    let month = day.format("%Y-%m").to_string();
    let cal = app
        .get(
            &format!("/availability/calendar?month={month}"),
            &app.admin_token,
        )
        .await;
    cal.assert_status(200);
    let kinds = cal.body["days"][0]["kinds"].clone();
    assert_eq!(
        kinds,
        json!([{ "kind": "peripheral", "free": 3, "total": 3 }])
    );
}
dual_test!(availability_filters_by_subtype_and_model);

async fn back_to_back_bookings_and_an_extension_into_another(b: Backend) {
    let app = spawn_app(b).await;
    let devices = pool_devices(&app, "robot", None, 2).await;
    let admin = app.admin_token.clone();
    let (school, _) = app.user_in_new_org("requester", "school").await;
    let org = Some(school.as_str());
    let mon = monday_in(2);
    let wed = mon + Duration::days(2);
    let two = json!([{ "kind": "robot", "quantity": 2 }]);

    // A: Monday to Wednesday, so the robots are held through Thursday.
    let a = book(&app, &admin, org, mon, wed, two.clone()).await;
    app.post(&format!("/bookings/{a}/confirm"), &admin, json!({}))
        .await
        .assert_status(200);
    // Same-day reuse (Wednesday) and the turnaround day (Thursday) are refused with shortages.
    for start in [wed, wed + Duration::days(1)] {
        let x = book(
            &app,
            &admin,
            org,
            start,
            start + Duration::days(1),
            two.clone(),
        )
        .await;
        let before = app.row_counts();
        let r = app
            .post(&format!("/bookings/{x}/confirm"), &admin, json!({}))
            .await;
        r.assert_problem(409);
        assert_eq!(
            r.body["shortages"],
            json!([{ "kind": "robot", "requested": 2, "available": 0 }]),
            "{}",
            r.body
        );
        assert_eq!(
            app.row_counts(),
            before,
            "a refused confirmation changes nothing"
        );
        let x = app.get(&format!("/bookings/{x}"), &admin).await;
        assert_eq!(x.body["status"], "requested");
    }
    // C: Friday, back to back after the turnaround.
    let fri = mon + Duration::days(4);
    let c = book(&app, &admin, org, fri, fri + Duration::days(3), two.clone()).await;
    app.post(&format!("/bookings/{c}/confirm"), &admin, json!({}))
        .await
        .assert_status(200);

    // Extending A into C fails whole and leaves A as it was.
    let r = app
        .patch(
            &format!("/bookings/{a}"),
            &admin,
            json!({ "return_on": wed + Duration::days(1) }),
        )
        .await;
    r.assert_problem(409);
    let conflicts = r.body["conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 2);
    let tags = tags_of(&devices);
    assert!(conflicts
        .iter()
        .all(|c| tags.contains(&c["asset_tag"].as_str().expect("tag").to_string())));
    let a_now = app.get(&format!("/bookings/{a}"), &admin).await;
    assert_eq!(a_now.body["return_on"], json!(wed));
    assert_eq!(a_now.body["version"], 2);
    // A change that fits goes through: C moves one week later, then A may grow.
    app.patch(
        &format!("/bookings/{c}"),
        &admin,
        json!({ "pickup_on": fri + Duration::days(7), "return_on": fri + Duration::days(10) }),
    )
    .await
    .assert_status(200);
    let r = app
        .patch(
            &format!("/bookings/{a}"),
            &admin,
            json!({ "return_on": fri }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(
        r.body["devices"][0]["occupied_until"],
        json!(fri + Duration::days(3))
    );
    // Adding a line that cannot be filled is refused with its shortage.
    let r = app
        .patch(
            &format!("/bookings/{a}"),
            &admin,
            json!({ "add_lines": [{ "kind": "robot", "quantity": 1 }] }),
        )
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["shortages"][0]["available"], 0);
    // Cancelling C frees its robots.
    let r = app
        .post(&format!("/bookings/{c}/cancel"), &admin, json!({}))
        .await;
    r.assert_status(200);
    assert_eq!(free_on(&app, "robot", fri + Duration::days(7)).await, 2);
    app.post(&format!("/bookings/{c}/cancel"), &admin, json!({}))
        .await
        .assert_problem(409);
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(back_to_back_bookings_and_an_extension_into_another);

async fn pickup_records_what_really_went_out_and_overdue_is_listed(b: Backend) {
    let app = spawn_app(b).await;
    let devices = pool_devices(&app, "peripheral", Some("beamer"), 3).await;
    let admin = app.admin_token.clone();
    let (school, requester) = app.user_in_new_org("requester", "school").await;
    let t = today();
    let id = book(
        &app,
        &requester,
        None,
        t,
        t,
        json!([{ "kind": "peripheral", "subtype": "beamer", "quantity": 2 }]),
    )
    .await;
    let r = app
        .post(&format!("/bookings/{id}/confirm"), &admin, json!({}))
        .await;
    r.assert_status(200);
    let allocated: Vec<String> = r.body["devices"]
        .as_array()
        .expect("d")
        .iter()
        .map(|d| d["asset_tag"].as_str().expect("t").to_string())
        .collect();
    let spare = tags_of(&devices)
        .into_iter()
        .find(|t| !allocated.contains(t))
        .expect("spare");
    // One allocated beamer and the spare one go out; the other allocated one stays.
    let p = app
        .post(
            &format!("/bookings/{id}/pickup"),
            &admin,
            json!({ "asset_tags": [allocated[0].to_lowercase(), spare] }),
        )
        .await;
    p.assert_status(200);
    let states: Vec<(String, String)> = p.body["devices"]
        .as_array()
        .expect("d")
        .iter()
        .map(|d| {
            (
                d["asset_tag"].as_str().expect("t").to_string(),
                d["state"].as_str().expect("s").to_string(),
            )
        })
        .collect();
    assert!(states.contains(&(allocated[0].clone(), "picked_up".into())));
    assert!(states.contains(&(allocated[1].clone(), "released".into())));
    assert!(states.contains(&(spare.clone(), "picked_up".into())));
    assert_eq!(free_on(&app, "peripheral", t).await, 1);
    // A second pick-up is an illegal state change.
    app.post(
        &format!("/bookings/{id}/pickup"),
        &admin,
        json!({ "asset_tags": [allocated[1]] }),
    )
    .await
    .assert_problem(409);

    let back = app
        .post(
            &format!("/bookings/{id}/return"),
            &admin,
            json!({ "items": [{ "asset_tag": spare }] }),
        )
        .await;
    back.assert_status(200);
    assert_eq!(back.body["status"], "partially_returned");
    // Not overdue while the return date is today.
    assert_eq!(app.get("/bookings/overdue", &admin).await.body, json!([]));
    {
        use digilend::db::schema::bookings;
        let mut conn = app.db.conn().expect("conn");
        diesel::update(bookings::table.find(&id))
            .set(bookings::return_on.eq(t - Duration::days(1)))
            .execute(&mut *conn)
            .expect("backdate");
    }
    let overdue = app.get("/bookings/overdue", &requester).await;
    overdue.assert_status(200);
    assert_eq!(overdue.body.as_array().map(Vec::len), Some(1));
    assert_eq!(overdue.body[0]["overdue"], true);
    assert_eq!(overdue.body[0]["organisation_id"], json!(school));
    // Another school sees nothing of it.
    let (_, other) = app.user_in_new_org("requester", "school").await;
    assert_eq!(app.get("/bookings/overdue", &other).await.body, json!([]));
    app.get(&format!("/bookings/{id}"), &other)
        .await
        .assert_problem(404);
    // A device still out is not planned, even after its booking's days.
    assert_eq!(free_on(&app, "peripheral", t + Duration::days(1)).await, 1);
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(pickup_records_what_really_went_out_and_overdue_is_listed);

async fn concurrent_confirmations_never_double_book(b: Backend) {
    let app = spawn_app(b).await;
    let second = spawn_second(&app).await;
    pool_devices(&app, "tablet", None, 5).await;
    let admin = app.admin_token.clone();
    let (school, _) = app.user_in_new_org("requester", "school").await;
    let mon = monday_in(1);
    let mut ids = Vec::new();
    for i in 0..34 {
        // Overlapping ranges of different lengths.
        let start = mon + Duration::days(i % 3);
        ids.push(
            book(
                &app,
                &admin,
                Some(&school),
                start,
                start + Duration::days(2 + i % 2),
                json!([{ "kind": "tablet", "quantity": 2 }]),
            )
            .await,
        );
    }
    let requests = ids.iter().enumerate().map(|(i, id)| {
        let server = if i % 2 == 0 { &app } else { &second };
        let path = format!("/bookings/{id}/confirm");
        let token = admin.clone();
        async move { server.post(&path, &token, json!({})).await }
    });
    let results = futures::future::join_all(requests).await;
    let ok = results.iter().filter(|r| r.status.as_u16() == 200).count();
    for r in &results {
        match r.status.as_u16() {
            200 => {}
            409 => {
                r.assert_problem(409);
                let s = &r.body["shortages"][0];
                assert_eq!(
                    (s["kind"].as_str(), s["requested"].as_i64()),
                    (Some("tablet"), Some(2)),
                    "{}",
                    r.body
                );
                assert!(s["available"].as_i64().expect("available") < 2);
            }
            other => panic!("unexpected status {other}: {}", r.body),
        }
    }
    assert_eq!(
        ok, 2,
        "5 tablets fill exactly two overlapping bookings of 2"
    );
    // No device is in two overlapping live allocations.
    use digilend::db::schema::booking_devices as bd;
    let mut conn = app.db.conn().expect("conn");
    let rows: Vec<(String, NaiveDate, NaiveDate)> = bd::table
        .filter(bd::state.ne("released"))
        .select((bd::device_id, bd::occupied_from, bd::occupied_until))
        .load(&mut *conn)
        .expect("allocations");
    assert_eq!(rows.len(), 4);
    for (i, x) in rows.iter().enumerate() {
        for y in &rows[i + 1..] {
            assert!(
                !(x.0 == y.0 && x.1 <= y.2 && y.1 <= x.2),
                "device {} is double-booked",
                x.0
            );
        }
    }
}
dual_test!(concurrent_confirmations_never_double_book);

async fn requests_are_validated_and_scoped(b: Backend) {
    let app = spawn_app(b).await;
    pool_devices(&app, "laptop", None, 1).await;
    let (school, requester) = app.user_in_new_org("requester", "school").await;
    let (other_school, other) = app.user_in_new_org("requester", "school").await;
    let mon = next_monday();
    let lines = json!([{ "kind": "laptop", "quantity": 1 }]);
    let before = app.row_counts();
    let r = app
        .post(
            "/bookings",
            &requester,
            booking_body(None, today() - Duration::days(1), mon, lines.clone()),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["pickup_on"]);
    let r = app
        .post(
            "/bookings",
            &requester,
            booking_body(None, mon, mon + Duration::days(43), lines.clone()),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["return_on"]);
    let r = app
        .post(
            "/bookings",
            &requester,
            booking_body(None, mon, mon, json!([])),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["lines"]);
    let r = app
        .post(
            "/bookings",
            &requester,
            booking_body(None, mon, mon, json!([{ "kind": "laptop", "quantity": 0 }])),
        )
        .await;
    assert_eq!(r.error_fields(), vec!["lines[0].quantity"]);
    let mut body = booking_body(None, mon, mon, lines.clone());
    body["devices"] = json!(["GNT-999999"]);
    assert_eq!(
        app.post("/bookings", &requester, body).await.error_fields(),
        vec!["devices[0]"]
    );
    let mut body = booking_body(None, mon, mon, lines.clone());
    body["colour"] = json!("red");
    app.post("/bookings", &requester, body)
        .await
        .assert_problem(400);
    // A requester books for their own organisation only.
    app.post(
        "/bookings",
        &requester,
        booking_body(Some(&other_school), mon, mon, lines.clone()),
    )
    .await
    .assert_problem(403);
    assert_eq!(app.row_counts(), before, "refused requests leave no trace");

    let id = book(&app, &requester, Some(&school), mon, mon, lines.clone()).await;
    let mine = app.get("/bookings", &requester).await;
    assert_eq!(mine.body["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(app.get("/bookings", &other).await.body["items"], json!([]));
    app.get(&format!("/bookings/{id}"), &other)
        .await
        .assert_problem(404);
    app.patch(
        &format!("/bookings/{id}"),
        &other,
        json!({ "purpose": "x" }),
    )
    .await
    .assert_problem(404);
    app.post(&format!("/bookings/{id}/cancel"), &other, json!({}))
        .await
        .assert_problem(404);
    // The requester may change the request until it is confirmed.
    app.patch(
        &format!("/bookings/{id}"),
        &requester,
        json!({ "purpose": "Workshop" }),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/bookings/{id}/confirm"),
        &app.admin_token,
        json!({}),
    )
    .await
    .assert_status(200);
    app.patch(
        &format!("/bookings/{id}"),
        &requester,
        json!({ "purpose": "Later" }),
    )
    .await
    .assert_problem(403);
    app.get(
        "/availability?kind=laptop&from=2026-12-10&to=2026-12-01",
        &requester,
    )
    .await
    .assert_problem(422);
    app.get("/availability/calendar?month=2026-13", &requester)
        .await
        .assert_problem(422);
}
dual_test!(requests_are_validated_and_scoped);

const ROLES: [&str; 6] = [
    "admin",
    "coordinator",
    "lending_staff",
    "refurbisher",
    "social_worker",
    "requester",
];

async fn booking_endpoints_follow_the_role_rules(b: Backend) {
    let app = spawn_app(b).await;
    pool_devices(&app, "tablet", None, 2).await;
    let mon = next_monday();
    // Each role's token; the requester's school owns the booking used below.
    let mut tokens = Vec::new();
    let mut school = String::new();
    for role in ROLES {
        let kind = match role {
            "refurbisher" => "workshop",
            "social_worker" => "welfare_office",
            "requester" => "school",
            _ => "lending_service",
        };
        let (org, token) = app.user_in_new_org(role, kind).await;
        if role == "requester" {
            school = org;
        }
        tokens.push((role, token));
    }
    let id = book(
        &app,
        &app.admin_token,
        Some(&school),
        mon,
        mon,
        json!([{ "kind": "tablet", "quantity": 1 }]),
    )
    .await;
    let new_booking = booking_body(None, mon, mon, json!([{ "kind": "tablet", "quantity": 1 }]));
    let month = mon.format("%Y-%m").to_string();
    let readers: &[&str] = &["admin", "coordinator", "lending_staff", "requester"];
    let bookers: &[&str] = &["admin", "lending_staff", "requester"];
    let staff: &[&str] = &["admin", "lending_staff"];
    let cases: Vec<(Method, String, Option<Value>, &[&str])> = vec![
        (Method::POST, "/bookings".into(), Some(new_booking), bookers),
        (Method::GET, "/bookings".into(), None, readers),
        (Method::GET, "/bookings/overdue".into(), None, readers),
        (Method::GET, format!("/bookings/{id}"), None, readers),
        (
            Method::PATCH,
            format!("/bookings/{id}"),
            Some(json!({ "note": "matrix" })),
            bookers,
        ),
        (
            Method::GET,
            format!("/availability?kind=tablet&from={mon}&to={mon}"),
            None,
            readers,
        ),
        (
            Method::GET,
            format!("/availability/calendar?month={month}"),
            None,
            readers,
        ),
        (
            Method::POST,
            format!("/bookings/{id}/confirm"),
            Some(json!({})),
            staff,
        ),
        (
            Method::POST,
            format!("/bookings/{id}/pickup"),
            Some(json!({ "asset_tags": ["GNT-000001"] })),
            staff,
        ),
        (
            Method::POST,
            format!("/bookings/{id}/return"),
            Some(json!({ "items": [{ "asset_tag": "GNT-000001" }] })),
            staff,
        ),
        (
            Method::POST,
            format!("/bookings/{id}/cancel"),
            Some(json!({})),
            bookers,
        ),
    ];
    for (method, path, body, allowed) in &cases {
        for (role, token) in &tokens {
            let r = app
                .send(method.clone(), path, Some(token), body.clone())
                .await;
            let status = r.status.as_u16();
            if allowed.contains(role) {
                assert!(
                    status != 403 && status != 401,
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
}
dual_test!(booking_endpoints_follow_the_role_rules);

/// The booking's transition table: devices are found again only on a booking that wrote some
/// off (before the table, a cancelled or requested booking answered 422 as if a tag were
/// wrong), and a closed or cancelled booking takes no hand-over, return or change; each
/// refusal is a 409 naming the status and where the action is allowed from.
async fn bookings_refuse_moves_their_table_does_not_list(b: Backend) {
    let app = spawn_app(b).await;
    let devices = pool_devices(&app, "laptop", None, 1).await;
    let tag = tags_of(&devices).remove(0);
    let mon = next_monday();
    let lines = json!([{ "kind": "laptop", "quantity": 1 }]);
    let requested = book(&app, &app.admin_token, None, mon, mon, lines.clone()).await;
    let cancelled = book(&app, &app.admin_token, None, mon, mon, lines).await;
    app.post(
        &format!("/bookings/{cancelled}/cancel"),
        &app.admin_token,
        json!({}),
    )
    .await
    .assert_status(200);
    let before = app.row_counts();
    for (id, status) in [(&requested, "requested"), (&cancelled, "cancelled")] {
        let r = app
            .post(
                &format!("/bookings/{id}/found"),
                &app.admin_token,
                json!({ "asset_tags": [tag] }),
            )
            .await;
        r.assert_problem(409);
        assert_eq!(r.body["current_status"], status, "{}", r.body);
        assert_eq!(
            r.body["allowed_from"],
            json!(["partially_returned", "returned"])
        );
    }
    for (path, body) in [
        ("confirm", json!({})),
        ("cancel", json!({})),
        ("pickup", json!({ "asset_tags": [tag] })),
        ("return", json!({ "items": [ { "asset_tag": tag } ] })),
        ("write-off", json!({ "asset_tags": [tag] })),
    ] {
        let r = app
            .post(
                &format!("/bookings/{cancelled}/{path}"),
                &app.admin_token,
                body,
            )
            .await;
        r.assert_problem(409);
        assert_eq!(r.body["current_status"], "cancelled", "{path}: {}", r.body);
    }
    let r = app
        .patch(
            &format!("/bookings/{cancelled}"),
            &app.admin_token,
            json!({ "note": "nog eens" }),
        )
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["current_status"], "cancelled");
    let r = app
        .get(
            &format!("/bookings/{requested}/confirmation.pdf"),
            &app.admin_token,
        )
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["current_status"], "requested");
    assert_eq!(app.row_counts(), before, "nothing written");
}
dual_test!(bookings_refuse_moves_their_table_does_not_list);
