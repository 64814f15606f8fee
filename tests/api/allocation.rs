//! The allocation rule between loans and bookings (pool devices are for bookings only, the pool
//! flag cannot move under a commitment, a race on two servers), devices reported missing or
//! written off at a booking, returns to the repair queue, who holds a device after a return,
//! scanned tags, counters under concurrency, and the pool check at request time.

use chrono::{Datelike, Duration, Months, NaiveDate};
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::bookings::{book, device_status, free_on, monday_in, pool_devices};
use crate::dual_test;
use crate::helpers::{spawn_app, spawn_second, today, Backend, TestApp};

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

/// Ready devices outside the pool (stock for loans to people), each of its own model:
/// (id, asset tag).
async fn stock_devices(app: &TestApp, kind: &str, models: &[String]) -> Vec<(String, String)> {
    let donation = app.create_donation(&app.admin_token).await;
    let items: Vec<Value> = models
        .iter()
        .map(|m| json!({ "kind": kind, "brand": "Acme", "model": m, "accessories": "lader, hoes" }))
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
        let id = s(&d["id"]);
        crate::refurbishment::make_ready(app, &app.admin_token, &id).await;
        out.push((id, s(&d["asset_tag"])));
    }
    out
}

/// A social worker of a new welfare office, a programme and a borrower:
/// (office id, social worker token, programme id, borrower id).
async fn lending_desk(app: &TestApp) -> (String, String, String, String) {
    let org = app
        .create_org(
            &format!("OCMW {}", uuid::Uuid::new_v4().simple()),
            "welfare_office",
        )
        .await;
    let (_, sw) = app.create_user(&org, "social_worker").await;
    let end = today().checked_add_months(Months::new(12)).expect("date");
    let p = app
        .post(
            "/programmes",
            &app.admin_token,
            json!({ "name": format!("Digibank {}", uuid::Uuid::new_v4().simple()), "end_date": end }),
        )
        .await;
    p.assert_status(201);
    let b = app
        .post(
            "/borrowers",
            &sw,
            json!({ "name": "Test Persoon", "date_of_birth": "1980-04-12", "language": "nl", "phone": "0470 12 34 56" }),
        )
        .await;
    b.assert_status(201);
    (org, sw, s(&p.body["id"]), s(&b.body["id"]))
}

fn loan_body(prog: &str, bor: &str, devices: Value, accessories: Value) -> Value {
    json!({ "borrower_id": bor, "programme_id": prog, "device_ids": devices,
            "start_date": today(), "accessories": accessories, "purpose": "other" })
}

fn sign_body() -> Value {
    json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": today(), "place": "Gent" })
}

fn booking(pickup: NaiveDate, ret: NaiveDate, lines: Value) -> Value {
    json!({
        "pickup_on": pickup, "return_on": ret, "purpose": "Klasproject",
        "contact": { "name": "Juf Sarah", "email": "sarah@school.example.be" },
        "lines": lines,
    })
}

fn exec(app: &TestApp, sql: &str) {
    let mut conn = app.db.conn().expect("conn");
    digilend::on_backend!(&mut *conn, c => diesel::sql_query(sql).execute(c)).expect("sql");
}

/// Books `lines` for `school` and confirms it: (booking id, confirmed booking).
async fn confirmed(
    app: &TestApp,
    school: &str,
    pickup: NaiveDate,
    ret: NaiveDate,
    lines: Value,
) -> (String, Value) {
    let id = book(app, &app.admin_token, Some(school), pickup, ret, lines).await;
    let c = app
        .post(
            &format!("/bookings/{id}/confirm"),
            &app.admin_token,
            json!({}),
        )
        .await;
    c.assert_status(200);
    (id, c.body)
}

/// A pool device allocated to a confirmed booking can be neither drafted into a loan nor
/// signed out; the 409 names the booking (or says it is a pool device).
async fn pool_devices_are_never_lent_to_a_person(b: Backend) {
    let app = spawn_app(b).await;
    let (_, sw, prog, bor) = lending_desk(&app).await;
    let tablets = pool_devices(&app, "tablet", None, 1).await;
    let (school, _) = app.user_in_new_org("requester", "school").await;
    let mon = monday_in(1);
    let (_, c) = confirmed(
        &app,
        &school,
        mon,
        mon + Duration::days(4),
        json!([{ "kind": "tablet", "quantity": 1 }]),
    )
    .await;
    let reference = s(&c["reference"]);

    // Draft refused, naming the booking that holds the device.
    let before = app.row_counts();
    let r = app
        .post(
            "/loans",
            &sw,
            loan_body(&prog, &bor, json!([tablets[0].0]), json!([])),
        )
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["booking_reference"], json!(reference), "{}", r.body);
    assert_eq!(r.body["pool_device"], true);
    assert!(s(&r.body["detail"]).contains(&reference));
    assert_eq!(app.row_counts(), before, "nothing was written");

    // A draft made before the device joined the pool (data from before the rule): signing it
    // is refused too, and the device stays with the booking.
    let stock = stock_devices(&app, "laptop", &["Oud".to_string()]).await;
    let draft = app
        .post(
            "/loans",
            &sw,
            loan_body(&prog, &bor, json!([stock[0].0]), json!([])),
        )
        .await;
    draft.assert_status(201);
    exec(
        &app,
        &format!(
            "UPDATE devices SET in_pool = TRUE WHERE id = '{}'",
            stock[0].0
        ),
    );
    let r = app
        .post(
            &format!("/loans/{}/sign", s(&draft.body["id"])),
            &sw,
            sign_body(),
        )
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["pool_device"], true, "{}", r.body);
    assert_eq!(device_status(&app, &stock[0].0), "ready");
    // And the pool does not plan a device on an open loan.
    assert_eq!(free_on(&app, "laptop", monday_in(3)).await, 0);
}
dual_test!(pool_devices_are_never_lent_to_a_person);

/// The pool flag cannot change under a commitment: not into the pool while on an open loan,
/// not out of it while a booking holds the device.
async fn the_pool_flag_cannot_move_under_a_commitment(b: Backend) {
    let app = spawn_app(b).await;
    let (_, sw, prog, bor) = lending_desk(&app).await;
    let tablets = pool_devices(&app, "tablet", None, 1).await;
    let (school, _) = app.user_in_new_org("requester", "school").await;
    let mon = monday_in(1);
    let (id, c) = confirmed(
        &app,
        &school,
        mon,
        mon + Duration::days(2),
        json!([{ "kind": "tablet", "quantity": 1 }]),
    )
    .await;
    let r = app
        .patch(
            &format!("/devices/{}", tablets[0].0),
            &app.admin_token,
            json!({ "in_pool": false }),
        )
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["booking_reference"], c["reference"], "{}", r.body);
    // Once the booking is cancelled the device may leave the pool.
    app.post(
        &format!("/bookings/{id}/cancel"),
        &app.admin_token,
        json!({}),
    )
    .await
    .assert_status(200);
    let r = app
        .patch(
            &format!("/devices/{}", tablets[0].0),
            &app.admin_token,
            json!({ "in_pool": false }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["in_pool"], false);

    // A laptop on a draft loan, then on an active one, cannot join the pool.
    let stock = stock_devices(&app, "laptop", &["X1".to_string()]).await;
    let loan = app
        .post(
            "/loans",
            &sw,
            loan_body(&prog, &bor, json!([stock[0].0]), json!([])),
        )
        .await;
    loan.assert_status(201);
    let number = s(&loan.body["number"]);
    for step in ["draft", "active"] {
        if step == "active" {
            app.post(
                &format!("/loans/{}/sign", s(&loan.body["id"])),
                &sw,
                sign_body(),
            )
            .await
            .assert_status(200);
        }
        let r = app
            .patch(
                &format!("/devices/{}", stock[0].0),
                &app.admin_token,
                json!({ "in_pool": true }),
            )
            .await;
        r.assert_problem(409);
        assert_eq!(r.body["loan_number"], json!(number), "{step}: {}", r.body);
    }
}
dual_test!(the_pool_flag_cannot_move_under_a_commitment);

/// Two servers on one database: one desk drafts and signs a loan of a device while the lending
/// service puts the same device into the pool and confirms a booking that needs it. In every
/// round exactly one side gets the device.
async fn a_loan_and_a_booking_race_for_one_device_on_two_servers(b: Backend) {
    let app = spawn_app(b).await;
    let second = spawn_second(&app).await;
    let (_, sw, prog, bor) = lending_desk(&app).await;
    let (school, _) = app.user_in_new_org("requester", "school").await;
    let rounds = 6;
    let models: Vec<String> = (0..rounds).map(|i| format!("Race {i}")).collect();
    let devices = stock_devices(&app, "laptop", &models).await;
    let mon = monday_in(1);
    let mut bookings = Vec::new();
    for m in &models {
        bookings.push(
            book(
                &app,
                &app.admin_token,
                Some(&school),
                mon,
                mon + Duration::days(3),
                json!([{ "kind": "laptop", "model": m, "quantity": 1 }]),
            )
            .await,
        );
    }
    let admin = app.admin_token.clone();
    let tasks = devices
        .iter()
        .zip(&bookings)
        .enumerate()
        .map(|(i, ((dev, _), bk))| {
            let (lender, booker) = if i % 2 == 0 {
                (&app, &second)
            } else {
                (&second, &app)
            };
            let (sw, prog, bor, admin) = (sw.clone(), prog.clone(), bor.clone(), admin.clone());
            async move {
                let lend = async {
                    let r = lender
                        .post(
                            "/loans",
                            &sw,
                            loan_body(&prog, &bor, json!([dev]), json!([])),
                        )
                        .await;
                    if r.status.as_u16() != 201 {
                        r.assert_problem(409);
                        return false;
                    }
                    let r = lender
                        .post(
                            &format!("/loans/{}/sign", s(&r.body["id"])),
                            &sw,
                            sign_body(),
                        )
                        .await;
                    match r.status.as_u16() {
                        200 => true,
                        _ => {
                            r.assert_problem(409);
                            false
                        }
                    }
                };
                let reserve = async {
                    let r = booker
                        .patch(
                            &format!("/devices/{dev}"),
                            &admin,
                            json!({ "in_pool": true }),
                        )
                        .await;
                    if r.status.as_u16() != 200 {
                        r.assert_problem(409);
                        return false;
                    }
                    let r = booker
                        .post(&format!("/bookings/{bk}/confirm"), &admin, json!({}))
                        .await;
                    match r.status.as_u16() {
                        200 => true,
                        _ => {
                            r.assert_problem(409);
                            false
                        }
                    }
                };
                futures::join!(lend, reserve)
            }
        });
    let outcomes = futures::future::join_all(tasks).await;
    for (i, (lent, booked)) in outcomes.iter().enumerate() {
        assert!(lent ^ booked, "round {i}: lent {lent}, booked {booked}");
    }
    // The database agrees: no device is both on an open loan and in a live allocation.
    use digilend::db::schema::{booking_devices as bd, loan_devices as ld};
    let mut conn = app.db.conn().expect("conn");
    let allocated: Vec<String> = bd::table
        .filter(bd::state.ne("released"))
        .select(bd::device_id)
        .load(&mut *conn)
        .expect("allocations");
    let lent: Vec<String> = ld::table
        .filter(ld::status.eq_any(["pending", "on_loan"]))
        .select(ld::device_id)
        .load(&mut *conn)
        .expect("loans");
    assert!(allocated.iter().all(|d| !lent.contains(d)));
    assert_eq!(allocated.len() + lent.len(), rounds);
}
dual_test!(a_loan_and_a_booking_race_for_one_device_on_two_servers);

/// Takes a booking of `n` tablets out today: (booking id, reference, asset tags out).
async fn out_today(app: &TestApp, school: &str, n: i64) -> (String, String, Vec<String>) {
    let (id, c) = confirmed(
        app,
        school,
        today(),
        today() + Duration::days(2),
        json!([{ "kind": "tablet", "quantity": n }]),
    )
    .await;
    let tags: Vec<String> = c["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .map(|d| s(&d["asset_tag"]))
        .collect();
    app.post(
        &format!("/bookings/{id}/pickup"),
        &app.admin_token,
        json!({ "asset_tags": tags }),
    )
    .await
    .assert_status(200);
    (id, s(&c["reference"]), tags)
}

/// A device reported missing is not planned for a later booking; written off through its
/// booking it becomes lost, the booking closes and leaves the overdue list; found again, it is
/// back (to be reset).
async fn a_device_lost_at_a_booking_is_written_off_and_found(b: Backend) {
    let app = spawn_app(b).await;
    let tablets = pool_devices(&app, "tablet", None, 2).await;
    let (school, _) = app.user_in_new_org("requester", "school").await;
    let (_, staff) = app.create_user(&app.admin_org, "lending_staff").await;
    let (id, _, tags) = out_today(&app, &school, 2).await;
    let back = app
        .post(
            &format!("/bookings/{id}/return"),
            &staff,
            json!({ "items": [{ "asset_tag": tags[0] }], "reported_missing": [tags[1]] }),
        )
        .await;
    back.assert_status(200);
    assert_eq!(back.body["status"], "partially_returned");
    // A month later: the missing tablet is not planned (the other must be reset first).
    let later = monday_in(4);
    assert_eq!(free_on(&app, "tablet", later).await, 0);
    let next = book(
        &app,
        &app.admin_token,
        Some(&school),
        later,
        later + Duration::days(2),
        json!([{ "kind": "tablet", "quantity": 1 }]),
    )
    .await;
    let r = app
        .post(&format!("/bookings/{next}/confirm"), &staff, json!({}))
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["shortages"][0]["available"], 0, "{}", r.body);

    // The booking is overdue (its return date has passed) until the lost tablet is written off.
    exec(
        &app,
        &format!(
            "UPDATE bookings SET return_on = '{}' WHERE id = '{id}'",
            today() - Duration::days(3)
        ),
    );
    let overdue = app.get("/bookings/overdue", &staff).await;
    assert_eq!(overdue.body.as_array().expect("list").len(), 1);
    // Requesters may not write off; a tag not out with the booking is named.
    let (_, requester) = app.create_user(&school, "requester").await;
    app.post(
        &format!("/bookings/{id}/write-off"),
        &requester,
        json!({ "asset_tags": [tags[1]] }),
    )
    .await
    .assert_problem(403);
    let bad = app
        .post(
            &format!("/bookings/{id}/write-off"),
            &staff,
            json!({ "asset_tags": [tags[0]] }),
        )
        .await;
    bad.assert_problem(422);
    assert_eq!(bad.error_fields(), vec!["asset_tags[0]"]);
    let w = app
        .post(
            &format!("/bookings/{id}/write-off"),
            &staff,
            json!({ "asset_tags": [tags[1].to_lowercase()], "note": "verloren op schooluitstap" }),
        )
        .await;
    w.assert_status(200);
    assert_eq!(w.body["status"], "returned");
    assert_eq!(w.body["overdue"], false);
    assert_eq!(w.body["counts"]["lost"], 1);
    assert_eq!(w.body["counts"]["out"], 0);
    let lost_id = tablets
        .iter()
        .find(|(_, t)| t == &tags[1])
        .map(|(i, _)| i.clone())
        .expect("id");
    assert_eq!(device_status(&app, &lost_id), "lost");
    let dev = app.get(&format!("/devices/{lost_id}"), &staff).await;
    assert_eq!(dev.body["holder_organisation_id"], json!(app.admin_org));
    let overdue = app.get("/bookings/overdue", &staff).await;
    assert_eq!(overdue.body.as_array().expect("list").len(), 0);

    // Found again, through the booking: back, waiting for its reset.
    let f = app
        .post(
            &format!("/bookings/{id}/found"),
            &staff,
            json!({ "asset_tags": [tags[1]] }),
        )
        .await;
    f.assert_status(200);
    assert_eq!(f.body["counts"]["lost"], 0);
    assert_eq!(f.body["status"], "returned");
    assert_eq!(device_status(&app, &lost_id), "returned");
    let history = app
        .get(&format!("/devices/{lost_id}/history"), &staff)
        .await;
    let actions: Vec<String> = history
        .body
        .as_array()
        .expect("history")
        .iter()
        .map(|e| s(&e["action"]))
        .collect();
    assert!(actions.ends_with(&["mark_lost".to_string(), "found".to_string()]));
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(a_device_lost_at_a_booking_is_written_off_and_found);

/// Devices back damaged or without all their accessories go to the repair queue; complete
/// ones wait for their reset; every one is held by its owner and records what came back.
async fn booking_returns_send_damaged_devices_to_repair_and_go_home(b: Backend) {
    let app = spawn_app(b).await;
    let tablets = pool_devices(&app, "tablet", None, 3).await;
    for (id, _) in &tablets {
        app.patch(
            &format!("/devices/{id}"),
            &app.admin_token,
            json!({ "accessories": "lader, hoes" }),
        )
        .await
        .assert_status(200);
    }
    let (school, _) = app.user_in_new_org("requester", "school").await;
    let (id, _, tags) = out_today(&app, &school, 3).await;
    let id_of = |tag: &String| {
        tablets
            .iter()
            .find(|(_, t)| t == tag)
            .map(|(i, _)| i.clone())
            .expect("id")
    };
    let out = app
        .get(&format!("/devices/{}", id_of(&tags[0])), &app.admin_token)
        .await;
    assert_eq!(out.body["holder_organisation_id"], json!(school));
    // Scanned as a label URL, by id, and by tag.
    let r = app
        .post(
            &format!("/bookings/{id}/return"),
            &app.admin_token,
            json!({ "items": [
                { "asset_tag": format!("https://uitleen.example.be/d/{}", tags[0]) },
                { "asset_tag": id_of(&tags[1]), "condition": "damaged" },
                { "asset_tag": tags[2], "missing_accessories": "hoes" },
            ] }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "returned");
    let expect = [
        ("returned", "lader, hoes"),
        ("in_repair", "lader, hoes"),
        ("in_repair", "lader"),
    ];
    for (tag, (status, back)) in tags.iter().zip(expect) {
        let d = app
            .get(&format!("/devices/{}", id_of(tag)), &app.admin_token)
            .await;
        assert_eq!(d.body["status"], status, "{tag}");
        assert_eq!(d.body["accessories_back"], back, "{tag}");
        assert_eq!(
            d.body["holder_organisation_id"],
            json!(app.admin_org),
            "{tag}"
        );
    }
    // Nothing in repair is planned: only the complete tablet, once reset, may go out again.
    let r = app
        .get(
            &format!("/availability?kind=tablet&from={0}&to={0}", monday_in(3)),
            &app.admin_token,
        )
        .await;
    assert_eq!(r.body["plannable"], 0);
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(booking_returns_send_damaged_devices_to_repair_and_go_home);

/// Loans accept scanned tags; a device back damaged or without the loan's accessories goes to
/// repair; every returned device is held by its owner, not the welfare office.
async fn loan_returns_by_scanned_tag_go_to_the_owner_or_to_repair(b: Backend) {
    let app = spawn_app(b).await;
    let (office, sw, prog, bor) = lending_desk(&app).await;
    let models: Vec<String> = (0..3).map(|i| format!("T{i}")).collect();
    let devs = stock_devices(&app, "laptop", &models).await;
    let mut loans = Vec::new();
    for (i, (_, tag)) in devs.iter().enumerate() {
        // The draft names the device by its tag, lower case, or by its label URL.
        let scanned = if i == 0 {
            format!("https://uitleen.example.be/d/{tag}")
        } else {
            tag.to_lowercase()
        };
        let r = app
            .post(
                "/loans",
                &sw,
                loan_body(&prog, &bor, json!([scanned]), json!(["lader"])),
            )
            .await;
        r.assert_status(201);
        assert_eq!(r.body["devices"][0]["device"]["asset_tag"], json!(tag));
        let id = s(&r.body["id"]);
        app.post(&format!("/loans/{id}/sign"), &sw, sign_body())
            .await
            .assert_status(200);
        loans.push(id);
    }
    let d = app
        .get(&format!("/devices/{}", devs[0].0), &app.admin_token)
        .await;
    assert_eq!(d.body["holder_organisation_id"], json!(office));
    let returns = [
        json!({ "device_id": devs[0].1, "condition": "goed", "accessories_back": ["lader"] }),
        json!({ "device_id": devs[1].1, "condition": "scherm gebarsten", "damaged": true, "accessories_back": ["lader"] }),
        json!({ "device_id": format!("https://uitleen.example.be/d/{}", devs[2].1), "condition": "goed" }),
    ];
    let expect = [
        ("returned", "lader"),
        ("in_repair", "lader"),
        ("in_repair", ""),
    ];
    for ((loan, body), ((id, _), (status, back))) in
        loans.iter().zip(returns).zip(devs.iter().zip(expect))
    {
        let r = app
            .post(
                &format!("/loans/{loan}/return"),
                &sw,
                json!({ "devices": [body] }),
            )
            .await;
        r.assert_status(200);
        assert_eq!(r.body["status"], "closed");
        let d = app.get(&format!("/devices/{id}"), &app.admin_token).await;
        assert_eq!(d.body["status"], status, "{}", d.body);
        assert_eq!(d.body["accessories_back"], back);
        assert_eq!(d.body["holder_organisation_id"], json!(app.admin_org));
    }
    // An unknown tag is named in the 422.
    let r = app
        .post(
            "/loans",
            &sw,
            loan_body(&prog, &bor, json!(["GNT-999999"]), json!([])),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["device_ids[0]"]);
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(loan_returns_by_scanned_tag_go_to_the_owner_or_to_repair);

/// The first bookings of a new year, made at the same moment on two servers, all succeed with
/// distinct references.
async fn first_bookings_of_a_year_on_two_servers_all_succeed(b: Backend) {
    let app = spawn_app(b).await;
    let second = spawn_second(&app).await;
    let (school, _) = app.user_in_new_org("requester", "school").await;
    let year = today().year() + 2;
    let pickup = NaiveDate::from_ymd_opt(year, 1, 11).expect("date");
    let n = 16;
    let tasks = (0..n).map(|i| {
        let server = if i % 2 == 0 { &app } else { &second };
        let mut body = booking(
            pickup,
            pickup + Duration::days(2),
            json!([{ "kind": "tablet", "quantity": 1 }]),
        );
        body["organisation_id"] = json!(school);
        let token = app.admin_token.clone();
        async move { server.post("/bookings", &token, body).await }
    });
    let results = futures::future::join_all(tasks).await;
    let mut refs: Vec<String> = results
        .iter()
        .map(|r| {
            r.assert_status(201);
            s(&r.body["reference"])
        })
        .collect();
    refs.sort();
    let expected: Vec<String> = (1..=n).map(|i| format!("RES-{year}-{i:04}")).collect();
    assert_eq!(refs, expected);
}
dual_test!(first_bookings_of_a_year_on_two_servers_all_succeed);

/// A request says at once what the pool can serve; a requester lowers the quantity of a
/// confirmed booking without cancelling it, and the surplus devices are free again.
async fn requesters_see_shortages_and_lower_quantities(b: Backend) {
    let app = spawn_app(b).await;
    pool_devices(&app, "tablet", None, 3).await;
    pool_devices(&app, "robot", None, 1).await;
    let (_, requester) = app.user_in_new_org("requester", "school").await;
    let mon = monday_in(1);
    let r = app
        .post(
            "/bookings",
            &requester,
            booking(
                mon,
                mon + Duration::days(4),
                json!([{ "kind": "tablet", "quantity": 5 }, { "kind": "robot", "quantity": 1 }]),
            ),
        )
        .await;
    r.assert_status(201);
    assert_eq!(r.body["availability"]["can_serve"], false, "{}", r.body);
    let lines = &r.body["availability"]["lines"];
    assert_eq!(
        (
            &lines[0]["kind"],
            &lines[0]["requested"],
            &lines[0]["available"],
            &lines[0]["short"]
        ),
        (&json!("tablet"), &json!(5), &json!(3), &json!(2))
    );
    assert_eq!(lines[1]["short"], 0);
    let id = s(&r.body["id"]);
    // Lowered to what the pool has, the request can be served.
    let p = app
        .patch(
            &format!("/bookings/{id}"),
            &requester,
            json!({ "quantities": [{ "line_no": 1, "quantity": 3 }] }),
        )
        .await;
    p.assert_status(200);
    assert_eq!(p.body["availability"]["can_serve"], true, "{}", p.body);
    app.post(
        &format!("/bookings/{id}/confirm"),
        &app.admin_token,
        json!({}),
    )
    .await
    .assert_status(200);
    assert_eq!(free_on(&app, "tablet", mon).await, 0);
    // Confirmed: the requester may lower, not raise.
    app.patch(
        &format!("/bookings/{id}"),
        &requester,
        json!({ "quantities": [{ "line_no": 1, "quantity": 3 }, { "line_no": 2, "quantity": 2 }] }),
    )
    .await
    .assert_problem(403);
    let bad = app
        .patch(
            &format!("/bookings/{id}"),
            &requester,
            json!({ "quantities": [{ "line_no": 9, "quantity": 1 }] }),
        )
        .await;
    bad.assert_problem(422);
    assert_eq!(bad.error_fields(), vec!["quantities[0].line_no"]);
    let p = app
        .patch(
            &format!("/bookings/{id}"),
            &requester,
            json!({ "quantities": [{ "line_no": 1, "quantity": 1 }] }),
        )
        .await;
    p.assert_status(200);
    assert_eq!(p.body["status"], "confirmed");
    assert_eq!(p.body["lines"][0]["quantity"], 1);
    assert_eq!(p.body["counts"]["allocated"], 2, "one tablet and the robot");
    assert_eq!(free_on(&app, "tablet", mon).await, 2);
    // Lending staff may raise it again: the devices are allocated anew.
    let p = app
        .patch(
            &format!("/bookings/{id}"),
            &app.admin_token,
            json!({ "quantities": [{ "line_no": 1, "quantity": 3 }] }),
        )
        .await;
    p.assert_status(200);
    assert_eq!(p.body["counts"]["allocated"], 4);
    assert_eq!(free_on(&app, "tablet", mon).await, 0);
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(requesters_see_shortages_and_lower_quantities);

/// The consistency check used at the end of the chain tests does catch a device whose status
/// and history disagree, or that is out without a loan (so its silence elsewhere means
/// something).
async fn the_consistency_check_catches_devices_that_disagree(b: Backend) {
    let app = spawn_app(b).await;
    let devices = crate::loans::ready_devices(&app, "laptop", 1).await;
    app.assert_devices_agree();
    let id = s(&devices[0]["id"]);
    exec(
        &app,
        &format!("UPDATE devices SET status = 'on_loan' WHERE id = '{id}'"),
    );
    let caught =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app.assert_devices_agree()));
    let message = caught
        .err()
        .and_then(|e| e.downcast_ref::<String>().cloned())
        .expect("the check must fail");
    assert!(message.contains("history ends at"), "{message}");
    assert!(message.contains("0 loan lines out"), "{message}");
}
dual_test!(the_consistency_check_catches_devices_that_disagree);

/// A requester asks for kinds and quantities; naming a pool device by its tag is refused with
/// a 422 on the field, so a busy device does not reveal another organisation's booking (nor
/// which tags are in the pool). Lending staff may still add a specific device.
async fn requesters_do_not_pick_pool_devices_by_tag(b: Backend) {
    let app = spawn_app(b).await;
    let tablets = pool_devices(&app, "tablet", None, 2).await;
    let (other_school, _) = app.user_in_new_org("requester", "school").await;
    let pickup = monday_in(3);
    let (_, other) = confirmed(
        &app,
        &other_school,
        pickup,
        pickup + Duration::days(2),
        json!([{ "kind": "tablet", "quantity": 1 }]),
    )
    .await;
    let other_reference = s(&other["reference"]);
    let (_, requester) = app.user_in_new_org("requester", "school").await;
    let mine = book(
        &app,
        &requester,
        None,
        pickup,
        pickup + Duration::days(2),
        json!([{ "kind": "tablet", "quantity": 1 }]),
    )
    .await;
    for (_, tag) in &tablets {
        let r = app
            .patch(
                &format!("/bookings/{mine}"),
                &requester,
                json!({ "add_devices": [tag] }),
            )
            .await;
        r.assert_problem(422);
        assert_eq!(r.body["errors"][0]["field"], "add_devices", "{}", r.body);
        assert!(
            !r.body.to_string().contains(&other_reference),
            "no other booking named: {}",
            r.body
        );
    }
    // Nothing changed: the booking still asks for one tablet and holds no device.
    let g = app.get(&format!("/bookings/{mine}"), &requester).await;
    g.assert_status(200);
    assert_eq!(g.body["status"], "requested");
    assert!(
        !g.body.to_string().contains(&tablets[0].1) && !g.body.to_string().contains(&tablets[1].1),
        "{}",
        g.body
    );
    app.assert_devices_agree();
}
dual_test!(requesters_do_not_pick_pool_devices_by_tag);

/// A draft that will not be signed can be cancelled: its device is free again (it may join the
/// booking pool), the loan accepts nothing more, and the person is no longer held back from
/// anonymisation by it. Only the office's own social workers may cancel it.
async fn a_draft_loan_can_be_cancelled_and_frees_its_device(b: Backend) {
    let app = spawn_app(b).await;
    let (_, sw, prog, bor) = lending_desk(&app).await;
    let (_, other_sw, _, _) = lending_desk(&app).await;
    let devices = stock_devices(&app, "laptop", &["T14".to_string()]).await;
    let (device, tag) = devices[0].clone();
    let r = app
        .post(
            "/loans",
            &sw,
            loan_body(&prog, &bor, json!([tag]), json!([])),
        )
        .await;
    r.assert_status(201);
    let loan = s(&r.body["id"]);
    let number = s(&r.body["number"]);
    let into_pool = |token: String| {
        let app = &app;
        let device = device.clone();
        async move {
            app.patch(
                &format!("/devices/{device}"),
                &token,
                json!({ "in_pool": true }),
            )
            .await
        }
    };
    let r = into_pool(app.admin_token.clone()).await;
    r.assert_problem(409);
    assert!(r.body.to_string().contains(&number), "{}", r.body);

    app.post(&format!("/loans/{loan}/cancel"), &other_sw, json!({}))
        .await
        .assert_problem(404);
    let r = app
        .post(&format!("/loans/{loan}/cancel"), &sw, json!({}))
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "cancelled");
    app.post(&format!("/loans/{loan}/cancel"), &sw, json!({}))
        .await
        .assert_problem(409);
    app.post(&format!("/loans/{loan}/sign"), &sw, sign_body())
        .await
        .assert_problem(409);

    let r = into_pool(app.admin_token.clone()).await;
    r.assert_status(200);
    assert_eq!(r.body["in_pool"], true);
    app.post(
        &format!("/borrowers/{bor}/anonymise"),
        &app.admin_token,
        json!({}),
    )
    .await
    .assert_status(200);
    app.assert_devices_agree();
}
dual_test!(a_draft_loan_can_be_cancelled_and_frees_its_device);
