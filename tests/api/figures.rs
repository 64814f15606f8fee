//! Figures for coordinators and funders (issue 16): a world built through the API, every
//! figure checked against counts kept by the test itself; a frozen year that re-exports the
//! same bytes after a later correction; who sees which figures.

use chrono::{Datelike, Duration, Months, NaiveDate};
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::bookings::{book, pool_devices};
use crate::dual_test;
use crate::helpers::{spawn_app, today, Backend, TestApp};
use crate::loans::{borrower, office, programme, ready_devices};

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

/// The total of a figure.
fn total(f: &Value, group: &str, name: &str) -> f64 {
    figure(f, group, name)["value"]
        .as_f64()
        .unwrap_or_else(|| panic!("{group}.{name} has no value"))
}

/// One part of a figure's breakdown (0 when absent).
fn part(f: &Value, group: &str, name: &str, by: &str, key: &str) -> f64 {
    figure(f, group, name)["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p["by"] == by && p["key"] == key)
        .and_then(|p| p["value"].as_f64())
        .unwrap_or(0.0)
}

fn figure<'a>(f: &'a Value, group: &str, name: &str) -> &'a Value {
    f["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["name"] == group)
        .and_then(|g| g["figures"].as_array())
        .and_then(|fs| fs.iter().find(|x| x["name"] == name))
        .unwrap_or_else(|| panic!("no figure {group}.{name} in {f}"))
}

fn groups(f: &Value) -> Vec<String> {
    f["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| s(&g["name"]))
        .collect()
}

/// A draft loan of `devices`, signed on `signed_on`: the loan id.
async fn signed_loan(
    app: &TestApp,
    sw: &str,
    borrower_id: &str,
    programme_id: &str,
    devices: &[&str],
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> String {
    let mut body = json!({ "borrower_id": borrower_id, "programme_id": programme_id,
        "device_ids": devices, "start_date": start, "purpose": "job_search" });
    if let Some(e) = end {
        body["end_date"] = json!(e);
    }
    let r = app.post("/loans", sw, body).await;
    r.assert_status(201);
    let id = s(&r.body["id"]);
    app.post(
        &format!("/loans/{id}/sign"),
        sw,
        json!({ "borrower_signed": true,
        "social_worker_signed": true, "signed_on": start, "place": "Gent" }),
    )
    .await
    .assert_status(200);
    id
}

/// Devices per status, counted through the device list.
async fn statuses(app: &TestApp) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/devices?limit=200&cursor={c}"),
            None => "/devices?limit=200".to_string(),
        };
        let r = app.get(&path, &app.admin_token).await;
        r.assert_status(200);
        for d in r.body["items"].as_array().expect("items") {
            let st = s(&d["status"]);
            match out.iter_mut().find(|(k, _)| *k == st) {
                Some(e) => e.1 += 1.0,
                None => out.push((st, 1.0)),
            }
        }
        cursor = r.body["next_cursor"].as_str().map(str::to_string);
        if cursor.is_none() {
            return out;
        }
    }
}

async fn a_year_of_work_is_counted_and_a_frozen_year_stays_as_it_was(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    let (_, sw_a_id, sw_a) = office(&app).await;
    let (_, _, sw_b) = office(&app).await;
    let _ = sw_a_id;
    let t = today();
    let last_year = t.year() - 1;
    let prog_end = t.checked_add_months(Months::new(24)).expect("date");
    let p1 = programme(&app, &coordinator, prog_end).await;
    let p2 = programme(&app, &coordinator, prog_end).await;
    let p1_name = s(&app
        .get(&format!("/programmes/{p1}"), &coordinator)
        .await
        .body["name"]);
    let p2_name = s(&app
        .get(&format!("/programmes/{p2}"), &coordinator)
        .await
        .body["name"]);

    // Devices: six laptops made ready, three pool tablets, and one laptop whose wipe fails
    // and which is retired.
    let laptops = ready_devices(&app, "laptop", 6).await;
    let laptop: Vec<String> = laptops.iter().map(|d| s(&d["id"])).collect();
    pool_devices(&app, "tablet", None, 3).await;
    let donation = app.create_donation(&admin).await;
    let broken = s(&app.register_devices(&admin, &donation, "laptop", 1).await[0]["id"]);
    let drive = s(&app
        .get(&format!("/devices/{broken}/drives"), &admin)
        .await
        .body[0]["id"]);
    app.post(
        &format!("/devices/{broken}/wipes"),
        &admin,
        crate::refurbishment::wipe_body(Some(&drive), "failed"),
    )
    .await
    .assert_status(201);
    app.post(
        &format!("/devices/{broken}/actions/retire"),
        &admin,
        json!({}),
    )
    .await
    .assert_status(200);
    let made_ready = 6.0 + 3.0;
    let registered = made_ready + 1.0;

    // People: office A registers An twice (a possible duplicate) and Jan; office B Ahmed.
    let an = s(&borrower(&app, &sw_a, "An De Smet").await["id"]);
    let an_again = borrower(&app, &sw_a, "an  de smet").await;
    assert_eq!(an_again["warnings"][0]["code"], "possible_duplicate");
    let an_again = s(&an_again["id"]);
    let jan = s(&borrower(&app, &sw_a, "Jan Peeters").await["id"]);
    let ahmed = s(&borrower(&app, &sw_b, "Ahmed Benali").await["id"]);

    // This year: three loans of office A (An twice, under two records, and Jan).
    let l1 = signed_loan(&app, &sw_a, &an, &p1, &[&laptop[0]], t, None).await;
    signed_loan(&app, &sw_a, &an_again, &p1, &[&laptop[1]], t, None).await;
    let l3 = signed_loan(&app, &sw_a, &jan, &p2, &[&laptop[2]], t, None).await;
    // Jan brings his laptop back; An's first checkpoint is held on time.
    app.post(
        &format!("/loans/{l3}/return"),
        &sw_a,
        json!({ "devices": [ { "device_id": laptop[2], "condition": "goed" } ] }),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/loans/{l1}/checkpoints"),
        &sw_a,
        json!({ "held_on": t,
        "device_present": true, "device_working": true, "still_needed": true }),
    )
    .await
    .assert_status(200);
    // Last year: two loans of Ahmed (office B); both devices are never returned. The first
    // one's checkpoint (due in the summer) is held today, late; its charge is paid (the
    // laptop is sold), the other one's is waived.
    let start = NaiveDate::from_ymd_opt(last_year, 1, 10).expect("date");
    let end = start.checked_add_months(Months::new(7));
    let l4 = signed_loan(&app, &sw_b, &ahmed, &p1, &[&laptop[3]], start, end).await;
    let l6 = signed_loan(&app, &sw_b, &ahmed, &p2, &[&laptop[4]], start, end).await;
    app.post(
        &format!("/loans/{l4}/checkpoints"),
        &sw_b,
        json!({ "held_on": t,
        "device_present": true, "device_working": true, "still_needed": true }),
    )
    .await
    .assert_status(200);
    let mut charges = Vec::new();
    for l in [&l4, &l6] {
        let r = app
            .post(&format!("/loans/{l}/non-return"), &sw_b, json!({}))
            .await;
        r.assert_status(200);
        charges.push(s(&r.body["charges"][0]["id"]));
    }
    app.post(
        &format!("/charges/{}/pay", charges[0]),
        &sw_b,
        json!({ "paid_on": t, "amount_cents": 20000, "method": "cash" }),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/charges/{}/waive", charges[1]),
        &coordinator,
        json!({ "reason": "verhuisd" }),
    )
    .await
    .assert_status(200);

    // Bookings: a school books two tablets, picks them up and brings them back; a non-profit
    // asks for three on the same day (a shortage: it stays requested, and its day passes);
    // the school cancels a third request.
    let (_, school) = app.user_in_new_org("requester", "school").await;
    let (_, club) = app.user_in_new_org("requester", "non_profit").await;
    let tablets = |n: u32| json!([{ "kind": "tablet", "quantity": n }]);
    let b1 = book(&app, &school, None, t, t, tablets(2)).await;
    let r = app
        .post(&format!("/bookings/{b1}/confirm"), &staff, json!({}))
        .await;
    r.assert_status(200);
    let out: Vec<String> = r.body["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .map(|d| s(&d["asset_tag"]))
        .collect();
    let b2 = book(&app, &club, None, t, t, tablets(3)).await;
    app.post(&format!("/bookings/{b2}/confirm"), &staff, json!({}))
        .await
        .assert_problem(409);
    app.post(
        &format!("/bookings/{b1}/pickup"),
        &staff,
        json!({ "asset_tags": out }),
    )
    .await
    .assert_status(200);
    let items: Vec<Value> = out.iter().map(|t| json!({ "asset_tag": t })).collect();
    app.post(
        &format!("/bookings/{b1}/return"),
        &staff,
        json!({ "items": items }),
    )
    .await
    .assert_status(200);
    let later = t + Duration::days(14);
    let b3 = book(&app, &school, None, later, later, tablets(1)).await;
    app.post(&format!("/bookings/{b3}/cancel"), &school, json!({}))
        .await
        .assert_status(200);
    let yesterday = t - Duration::days(1);
    if yesterday.year() == t.year() {
        use digilend::db::schema::bookings;
        let mut conn = app.db.conn().expect("conn");
        diesel::update(bookings::table.find(&b2))
            .set((
                bookings::pickup_on.eq(yesterday),
                bookings::return_on.eq(yesterday),
            ))
            .execute(&mut *conn)
            .expect("the request's day passes");
    }

    // ---- This year's figures, as the coordinator sees them ----
    let r = app.get("/figures", &coordinator).await;
    r.assert_status(200);
    let f = r.body.clone();
    assert_eq!(
        f["period"]["from"],
        json!(NaiveDate::from_ymd_opt(t.year(), 1, 1))
    );
    assert_eq!(
        f["period"]["to"],
        json!(NaiveDate::from_ymd_opt(t.year(), 12, 31))
    );
    assert_eq!(f["scope"], "all");
    assert_eq!(f["frozen"], false);
    assert_eq!(
        groups(&f),
        ["devices", "people", "bookings", "workshop", "environment"]
    );
    // Today alone is counted from the records themselves (a Brussels day is never a whole UTC
    // day), the year from the daily tallies kept as the records were written: everything in
    // this world happened today, so the two agree figure by figure.
    let day = app
        .get(&format!("/figures?from={t}&to={t}"), &coordinator)
        .await;
    day.assert_status(200);
    for g in ["devices", "workshop", "environment"] {
        let of = |f: &Value| {
            f["groups"]
                .as_array()
                .and_then(|gs| gs.iter().find(|x| x["name"] == g).cloned())
        };
        assert_eq!(of(&day.body), of(&f), "the {g} group");
    }

    // Devices.
    assert_eq!(total(&f, "devices", "registered"), registered);
    assert_eq!(
        part(&f, "devices", "registered", "donor", "Bakkerij Janssens"),
        registered
    );
    assert_eq!(part(&f, "devices", "registered", "kind", "laptop"), 7.0);
    assert_eq!(part(&f, "devices", "registered", "kind", "tablet"), 3.0);
    assert_eq!(total(&f, "devices", "wiped"), made_ready);
    assert_eq!(
        total(&f, "devices", "media_wiped"),
        made_ready,
        "one drive or built-in storage each"
    );
    assert_eq!(
        part(&f, "devices", "media_wiped", "category", "purge"),
        made_ready
    );
    assert_eq!(total(&f, "devices", "refurbished"), made_ready);
    assert_eq!(part(&f, "devices", "refurbished", "grade", "B"), made_ready);
    assert_eq!(total(&f, "devices", "released"), made_ready);
    assert_eq!(
        total(&f, "devices", "lent"),
        5.0,
        "three loans now, two signed last year but handed over now"
    );
    assert_eq!(part(&f, "devices", "lent", "kind", "laptop"), 5.0);
    assert_eq!(total(&f, "devices", "booked_out"), 2.0);
    assert_eq!(part(&f, "devices", "booked_out", "kind", "tablet"), 2.0);
    assert_eq!(
        total(&f, "devices", "returned"),
        3.0,
        "Jan's laptop and two tablets"
    );
    assert_eq!(total(&f, "devices", "lost"), 2.0);
    assert_eq!(total(&f, "devices", "sold"), 1.0);
    assert_eq!(total(&f, "devices", "retired"), 1.0);
    // The stock at the end (the period ends in the future: today's statuses).
    let stock = statuses(&app).await;
    let all: f64 = stock.iter().map(|(_, n)| n).sum();
    assert_eq!(total(&f, "devices", "stock_at_end"), all);
    for (status, n) in &stock {
        assert_eq!(
            part(&f, "devices", "stock_at_end", "status", status),
            *n,
            "{status}"
        );
    }
    assert_eq!(
        part(&f, "devices", "stock_at_end", "status", "on_loan"),
        2.0
    );
    assert_eq!(part(&f, "devices", "stock_at_end", "status", "lost"), 1.0);

    // People: An counts once although registered twice; Ahmed's loans were signed last year.
    assert_eq!(total(&f, "people", "people_reached"), 2.0);
    assert_eq!(total(&f, "people", "borrower_records"), 3.0);
    assert_eq!(total(&f, "people", "possible_duplicates"), 1.0);
    assert_eq!(
        part(&f, "people", "people_reached", "programme", &p1_name),
        1.0
    );
    assert_eq!(
        part(&f, "people", "people_reached", "programme", &p2_name),
        1.0
    );
    assert_eq!(total(&f, "people", "loans_signed"), 3.0);
    assert_eq!(
        part(&f, "people", "loans_signed", "programme", &p1_name),
        2.0
    );
    assert_eq!(total(&f, "people", "devices_lent"), 3.0);
    assert_eq!(
        total(&f, "people", "loans_active_at_end"),
        2.0,
        "An's two loans"
    );
    assert_eq!(total(&f, "people", "checkpoints_on_time"), 1.0);
    assert_eq!(total(&f, "people", "checkpoints_late"), 1.0);
    assert_eq!(total(&f, "people", "charges_raised_eur"), 400.0);
    assert_eq!(total(&f, "people", "charges_paid_eur"), 200.0);
    assert_eq!(total(&f, "people", "charges_waived_eur"), 200.0);
    let offices = figure(&f, "people", "people_reached")["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .filter(|p| p["by"] == "office")
        .count();
    assert_eq!(offices, 1, "only office A reached people this year");
    // No figure names a person.
    let text = f.to_string();
    for name in [
        "An De Smet",
        "Jan Peeters",
        "Ahmed",
        an.as_str(),
        jan.as_str(),
        ahmed.as_str(),
    ] {
        assert!(
            !text.to_lowercase().contains(&name.to_lowercase()),
            "{name} in the figures"
        );
    }

    // Bookings.
    assert_eq!(total(&f, "bookings", "requested"), 3.0);
    assert_eq!(
        part(&f, "bookings", "requested", "organisation_kind", "school"),
        2.0
    );
    assert_eq!(total(&f, "bookings", "confirmed"), 1.0);
    assert_eq!(total(&f, "bookings", "cancelled"), 1.0);
    let refused = if yesterday.year() == t.year() {
        1.0
    } else {
        0.0
    };
    assert_eq!(total(&f, "bookings", "refused"), refused);
    assert_eq!(
        part(&f, "bookings", "refused", "organisation_kind", "non_profit"),
        refused
    );
    assert_eq!(total(&f, "bookings", "devices_booked_out"), 2.0);
    assert_eq!(
        part(&f, "bookings", "devices_booked_out", "kind", "tablet"),
        2.0
    );
    assert_eq!(total(&f, "bookings", "organisations_served"), 1.0);
    let asked = 2.0 + 3.0 * refused;
    assert_eq!(total(&f, "bookings", "quantity_requested"), asked);
    assert_eq!(total(&f, "bookings", "quantity_served"), 2.0);
    assert_eq!(
        total(&f, "bookings", "share_served"),
        ((2.0 / asked) * 10_000.0_f64).round() / 10_000.0
    );

    // The workshop: every device made ready left received, wiped and refurbished once; the
    // retired one left received too.
    assert_eq!(
        part(&f, "workshop", "stage_exits", "stage", "received"),
        made_ready + 1.0
    );
    assert_eq!(
        part(&f, "workshop", "stage_exits", "stage", "wiped"),
        made_ready
    );
    assert_eq!(
        part(&f, "workshop", "stage_exits", "stage", "refurbished"),
        made_ready
    );
    let median = part(&f, "workshop", "stage_days_median", "stage", "wiped");
    let p90 = part(&f, "workshop", "stage_days_p90", "stage", "wiped");
    assert!(
        (0.0..1.0).contains(&median) && median <= p90 && p90 < 1.0,
        "{median} {p90}"
    );
    assert!(figure(&f, "workshop", "stage_days_median")["value"].is_null());
    assert_eq!(total(&f, "workshop", "wipes_failed"), 1.0);
    assert_eq!(
        part(&f, "workshop", "wipes_failed", "category", "purge"),
        1.0
    );
    assert_eq!(total(&f, "workshop", "refurbishments_failed"), 0.0);

    // The environment: each device reused for the first time, by the named method.
    assert_eq!(total(&f, "environment", "devices_reused"), made_ready);
    let method = &f["environment_method"];
    assert_eq!(method["version"], "v0");
    assert!(s(&method["name"]).contains("eReuse2026"));
    assert!(s(&method["source"]).contains("ADEME"));
    let factor = |kind: &str, field: &str| {
        method["factors"]
            .as_array()
            .expect("factors")
            .iter()
            .find(|x| x["kind"] == kind)
            .expect("factor")[field]
            .as_f64()
            .expect("number")
    };
    let co2 = 6.0 * factor("laptop", "avoided_kg_co2e") + 3.0 * factor("tablet", "avoided_kg_co2e");
    assert!((total(&f, "environment", "co2e_avoided_kg") - co2).abs() < 0.01);
    assert_eq!(total(&f, "environment", "co2e_avoided_kg_low"), 6.0 * 132.0);
    assert_eq!(
        total(&f, "environment", "co2e_avoided_kg_high"),
        6.0 * 317.0
    );
    let waste = 6.0 * 3.15 + 3.0 * 0.73;
    assert!((total(&f, "environment", "ewaste_avoided_kg") - waste).abs() < 0.01);

    // ---- CSV and XLSX of the same figures ----
    let csv = app.get("/figures?format=csv", &coordinator).await;
    csv.assert_status(200);
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(csv
        .bytes
        .starts_with("\u{feff}group;figure;breakdown;key;value;unit;description\r\n".as_bytes()));
    let csv_text = String::from_utf8(csv.bytes.clone()).expect("utf-8");
    assert!(
        csv_text.contains("\r\npeople;people_reached;;;2;people;"),
        "{csv_text}"
    );
    assert!(
        csv_text.contains("\r\nbookings;share_served;;;0,"),
        "decimal comma: {csv_text}"
    );
    let xlsx = app.get("/figures?format=xlsx", &coordinator).await;
    xlsx.assert_status(200);
    assert!(xlsx
        .content_type
        .starts_with("application/vnd.openxmlformats"));
    assert!(xlsx.bytes.starts_with(b"PK"));

    // ---- Who sees what ----
    let mine = app.get("/figures", &sw_a).await;
    mine.assert_status(200);
    assert_eq!(mine.body["scope"], "office");
    assert_eq!(groups(&mine.body), ["people"]);
    assert_eq!(total(&mine.body, "people", "people_reached"), 2.0);
    assert_eq!(
        total(&mine.body, "people", "charges_raised_eur"),
        0.0,
        "office B's charges"
    );
    let theirs = app.get("/figures", &sw_b).await;
    assert_eq!(total(&theirs.body, "people", "people_reached"), 0.0);
    assert_eq!(total(&theirs.body, "people", "charges_raised_eur"), 400.0);
    let lending = app.get("/figures", &staff).await;
    lending.assert_status(200);
    assert_eq!(
        groups(&lending.body),
        ["devices", "bookings", "workshop", "environment"]
    );
    assert_eq!(app.get("/figures", &admin).await.body["scope"], "all");
    let (_, tech) = app.user_in_new_org("refurbisher", "workshop").await;
    for token in [&school, &tech] {
        app.get("/figures", token).await.assert_problem(403);
        app.post(
            &format!("/figures/years/{last_year}/freeze"),
            token,
            json!({}),
        )
        .await
        .assert_problem(403);
    }
    for token in [&staff, &sw_a] {
        app.post(
            &format!("/figures/years/{last_year}/freeze"),
            token,
            json!({}),
        )
        .await
        .assert_problem(403);
    }
    app.send(reqwest::Method::GET, "/figures", None, None)
        .await
        .assert_problem(401);

    // ---- Last year, frozen ----
    let ly = app
        .get(&format!("/figures?year={last_year}"), &coordinator)
        .await;
    assert_eq!(
        total(&ly.body, "people", "people_reached"),
        1.0,
        "Ahmed, once for two loans"
    );
    assert_eq!(total(&ly.body, "people", "loans_signed"), 2.0);
    assert_eq!(total(&ly.body, "people", "loans_active_at_end"), 2.0);
    assert_eq!(
        total(&ly.body, "devices", "stock_at_end"),
        0.0,
        "nothing was registered yet"
    );
    app.post(
        &format!("/figures/years/{}/freeze", t.year()),
        &coordinator,
        json!({}),
    )
    .await
    .assert_problem(422);
    let frozen = app
        .post(
            &format!("/figures/years/{last_year}/freeze"),
            &coordinator,
            json!({}),
        )
        .await;
    frozen.assert_status(201);
    assert_eq!(frozen.body["frozen"], true);
    assert_eq!(total(&frozen.body, "people", "people_reached"), 1.0);
    app.post(
        &format!("/figures/years/{last_year}/freeze"),
        &admin,
        json!({}),
    )
    .await
    .assert_problem(409);
    let exports = |q: &'static str| {
        let app = &app;
        let coordinator = coordinator.clone();
        async move {
            let r = app
                .get(&format!("/figures?year={last_year}{q}"), &coordinator)
                .await;
            r.assert_status(200);
            r.bytes
        }
    };
    let (json_before, csv_before, xlsx_before) = (
        exports("").await,
        exports("&format=csv").await,
        exports("&format=xlsx").await,
    );
    let office_b_before = app
        .get(&format!("/figures?year={last_year}&format=csv"), &sw_b)
        .await
        .bytes;

    // A correction: a loan of last year recorded late, for a new person of office B.
    let marie = s(&borrower(&app, &sw_b, "Marie Claes").await["id"]);
    signed_loan(&app, &sw_b, &marie, &p1, &[&laptop[5]], start, end).await;
    let live = app
        .get(
            &format!("/figures?year={last_year}&live=true"),
            &coordinator,
        )
        .await;
    assert_eq!(live.body["frozen"], false);
    assert_eq!(total(&live.body, "people", "people_reached"), 2.0);
    let by_dates = format!("/figures?from={last_year}-01-01&to={last_year}-12-31");
    let again = app.get(&by_dates, &coordinator).await;
    assert_eq!(
        again.body["frozen"], true,
        "the same year asked by its dates"
    );
    assert_eq!(total(&again.body, "people", "people_reached"), 1.0);
    assert_eq!(exports("").await, json_before);
    assert_eq!(exports("&format=csv").await, csv_before);
    assert_eq!(exports("&format=xlsx").await, xlsx_before);
    assert_eq!(
        app.get(&format!("/figures?year={last_year}&format=csv"), &sw_b)
            .await
            .bytes,
        office_b_before,
        "the office's own frozen copy"
    );
    let mine = app.get(&format!("/figures?year={last_year}"), &sw_b).await;
    assert_eq!(mine.body["frozen"], true);
    assert_eq!(mine.body["scope"], "office");
    assert_eq!(total(&mine.body, "people", "people_reached"), 1.0);
}
dual_test!(a_year_of_work_is_counted_and_a_frozen_year_stays_as_it_was);

async fn periods_are_validated_and_named(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let r = app
        .get("/figures?from=2026-05-01&to=2026-04-01", &admin)
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), ["to"]);
    let r = app.get("/figures?year=2025&from=2025-01-01", &admin).await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), ["year"]);
    let r = app.get("/figures?year=1999", &admin).await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), ["year"]);
    let r = app.get("/figures?from=1999-12-31", &admin).await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), ["from"]);
    app.get("/figures?format=pdf", &admin)
        .await
        .assert_problem(400);
    app.get("/figures?from=yesterday", &admin)
        .await
        .assert_problem(400);
    app.get("/figures?colour=red", &admin)
        .await
        .assert_problem(400);
    app.post("/figures/years/1999/freeze", &admin, json!({}))
        .await
        .assert_problem(422);
    app.post("/figures/years/nineteen/freeze", &admin, json!({}))
        .await
        .assert_problem(404);
    // A period of a few days; an empty database counts zeros, never fails.
    let r = app
        .get("/figures?from=2026-03-01&to=2026-03-07", &admin)
        .await;
    r.assert_status(200);
    assert_eq!(
        r.body["period"],
        json!({ "from": "2026-03-01", "to": "2026-03-07" })
    );
    assert_eq!(total(&r.body, "people", "people_reached"), 0.0);
    assert_eq!(total(&r.body, "bookings", "share_served"), 0.0);
}
dual_test!(periods_are_validated_and_named);
