//! Inventory: donations, CSV intake, listing, look-ups, the lifecycle and its history.

use std::collections::HashSet;

use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, spawn_second, Backend, TestApp};

fn csv_of_laptops(n: usize) -> Vec<u8> {
    // Belgian Excel export: BOM, `;`, CRLF, quotes, a comma inside a field, trailing blank lines.
    let mut s = String::from(
        "\u{feff}Kind;Brand;Model;Serial number;RAM;Storage_GB;Storage_type;OS;Notes\r\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "laptop;Dell;\"Latitude 5490, i5\";DL5490-{i:03};8;256;ssd;Windows 11;\"scherm \"\"krasje\"\"\"\r\n"
        ));
    }
    s.push_str("\r\n\r\n");
    s.into_bytes()
}

async fn all_pages(app: &TestApp, token: &str, query: &str, limit: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/devices?limit={limit}{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let r = app.get(&path, token).await;
        r.assert_status(200);
        out.extend(r.body["items"].as_array().expect("items").iter().cloned());
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

async fn donation_of_fifty_laptops_from_csv_through_its_lifecycle(b: Backend) {
    let app = spawn_app(b).await;
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    let donor = app
        .create_org("Bakkerij Janssens NV", "donor_company")
        .await;
    let r = app
        .post(
            "/donations",
            &staff,
            json!({ "donor_organisation_id": donor, "received_on": "2026-11-20", "received_at": "Depot Wondelgem", "note": "lease ended" }),
        )
        .await;
    r.assert_status(201);
    let donation = r.body["id"].as_str().expect("id").to_string();

    let r = app
        .send_raw(
            Method::POST,
            &format!("/donations/{donation}/devices/csv"),
            Some(&staff),
            "text/csv; charset=utf-8",
            csv_of_laptops(50),
        )
        .await;
    r.assert_status(201);
    assert_eq!(r.body["count"], 50);
    let first = &r.body["devices"][0];
    assert_eq!(first["model"], "Latitude 5490, i5");
    assert_eq!(first["notes"], "scherm \"krasje\"");
    assert_eq!(first["specs"]["drives"][0]["size_gb"], 256);
    assert_eq!(first["status"], "received");

    // List them, 20 at a time: every device exactly once, in tag order.
    let listed = all_pages(&app, &staff, &format!("&donation_id={donation}"), 20).await;
    assert_eq!(listed.len(), 50);
    let tags: Vec<&str> = listed
        .iter()
        .map(|d| d["asset_tag"].as_str().unwrap_or(""))
        .collect();
    let mut sorted = tags.clone();
    sorted.sort();
    assert_eq!(tags, sorted);
    assert_eq!(tags.iter().collect::<HashSet<_>>().len(), 50);
    assert!(
        tags.iter().all(|t| t.starts_with("GNT-") && t.len() == 10),
        "{tags:?}"
    );

    // Find one by serial (case-insensitive) and by tag.
    let r = app.get("/devices/by-serial/dl5490-017", &staff).await;
    r.assert_status(200);
    let id = r.body["id"].as_str().expect("id").to_string();
    let tag = r.body["asset_tag"].as_str().expect("tag").to_string();
    let r = app
        .get(&format!("/devices/by-tag/{}", tag.to_lowercase()), &staff)
        .await;
    assert_eq!(r.body["id"], id.as_str());
    app.get("/devices/by-serial/NOPE", &staff)
        .await
        .assert_problem(404);

    // Illegal steps are refused with the current status and what it allows.
    let act = |action: &'static str| {
        let path = format!("/devices/{id}/actions/{action}");
        let app = &app;
        let staff = staff.clone();
        async move {
            app.post(&path, &staff, json!({ "note": format!("step {action}") }))
                .await
        }
    };
    let r = act("release").await;
    r.assert_problem(409);
    assert_eq!(r.body["current_status"], "received");
    let allowed: Vec<&str> = r.body["allowed_actions"]
        .as_array()
        .expect("allowed")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        allowed.contains(&"wipe") && !allowed.contains(&"release"),
        "{allowed:?}"
    );
    act("refurbish").await.assert_problem(409);
    // Loans and bookings own these actions.
    act("lend").await.assert_problem(409);
    app.post(
        &format!("/devices/{id}/actions/teleport"),
        &staff,
        json!({}),
    )
    .await
    .assert_problem(404);

    crate::refurbishment::pass_wipes(&app, &app.admin_token, &id).await;
    act("wipe").await.assert_status(200);
    act("wipe").await.assert_problem(409);
    crate::refurbishment::pass_refurbishment(&app, &app.admin_token, &id).await;
    act("refurbish").await.assert_status(200);
    let r = act("release").await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "ready");
    act("send_to_repair").await.assert_status(200);
    act("release").await.assert_problem(409);
    act("retire").await.assert_status(200);
    let r = act("found").await;
    r.assert_problem(409);
    assert_eq!(r.body["allowed_actions"], json!([]));

    // The status is not a writable field.
    app.patch(
        &format!("/devices/{id}"),
        &staff,
        json!({ "status": "ready" }),
    )
    .await
    .assert_problem(400);
    let r = app
        .patch(
            &format!("/devices/{id}"),
            &staff,
            json!({ "notes": "battery 71%" }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "retired");

    // The history is complete and in order.
    let h = app.get(&format!("/devices/{id}/history"), &staff).await;
    h.assert_status(200);
    let events = h.body.as_array().expect("events");
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap_or(""))
        .collect();
    let core: Vec<&str> = actions
        .iter()
        .copied()
        .filter(|a| !a.ends_with("_recorded"))
        .collect();
    assert_eq!(
        core,
        vec![
            "registered",
            "wipe",
            "refurbish",
            "release",
            "send_to_repair",
            "retire",
            "edited"
        ]
    );
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["seq"], i + 1);
        if i > 0 {
            assert_eq!(
                e["status_before"],
                events[i - 1]["status_after"],
                "chain broken at {i}"
            );
        }
    }
    assert_eq!(
        events.last().map(|e| e["detail"]["notes"]["to"].clone()),
        Some(json!("battery 71%"))
    );
    let wipe = events
        .iter()
        .find(|e| e["action"] == "wipe")
        .expect("wipe event");
    assert_eq!(wipe["detail"]["note"], "step wipe");
    assert!(wipe["actor_user_id"].is_string());
}
dual_test!(donation_of_fifty_laptops_from_csv_through_its_lifecycle);

async fn a_csv_with_bad_rows_is_rejected_whole(b: Backend) {
    let app = spawn_app(b).await;
    let donation = app.create_donation(&app.admin_token).await;
    let before = app.row_counts();
    let csv = "kind,brand,model,serial_number,ram_gb\nlaptop,HP,EliteBook 840,S1,8\ntoaster,HP,X,S2,8\nlaptop,,X,S3,lots\ntablet,Apple,iPad,S1,\n";
    let r = app
        .send_raw(
            Method::POST,
            &format!("/donations/{donation}/devices/csv"),
            Some(&app.admin_token),
            "text/csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    r.assert_problem(422);
    let fields = r.error_fields();
    assert_eq!(
        fields,
        vec!["row 3, kind", "row 4, ram_gb", "row 4, brand"],
        "{}",
        r.body
    );
    // A duplicate serial is found once the rows themselves are valid.
    let csv = "kind,brand,model,serial_number\nlaptop,HP,EliteBook 840,S1\ntablet,Apple,iPad,s1\n";
    let r = app
        .send_raw(
            Method::POST,
            &format!("/donations/{donation}/devices/csv"),
            Some(&app.admin_token),
            "text/csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["row 3"]);
    // Unknown columns and a wrong content type.
    let r = app
        .send_raw(
            Method::POST,
            &format!("/donations/{donation}/devices/csv"),
            Some(&app.admin_token),
            "text/csv",
            b"kind,brand,model,serial_number,colour\n".to_vec(),
        )
        .await;
    r.assert_problem(422);
    app.send_raw(
        Method::POST,
        &format!("/donations/{donation}/devices/csv"),
        Some(&app.admin_token),
        "application/json",
        b"[]".to_vec(),
    )
    .await
    .assert_problem(415);
    assert_eq!(app.row_counts(), before);
}
dual_test!(a_csv_with_bad_rows_is_rejected_whole);

async fn bulk_registration_is_all_or_nothing(b: Backend) {
    let app = spawn_app(b).await;
    let donation = app.create_donation(&app.admin_token).await;
    let existing = app
        .register_devices(&app.admin_token, &donation, "tablet", 1)
        .await;
    let taken = existing[0]["serial_number"]
        .as_str()
        .expect("serial")
        .to_string();
    let before = app.row_counts();
    let mut items: Vec<Value> = (0..1000)
        .map(|i| json!({ "kind": "tablet", "brand": "Samsung", "model": "Galaxy Tab A8", "serial_number": format!("TAB-{i:04}") }))
        .collect();
    items[998]["serial_number"] = json!(taken);
    items[10]["kind"] = json!("peripheral");
    let r = app
        .post(
            &format!("/donations/{donation}/devices"),
            &app.admin_token,
            Value::Array(items.clone()),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(
        r.error_fields(),
        vec!["devices[10].subtype", "devices[998]"]
    );
    assert_eq!(app.row_counts(), before, "nothing stored");
    // 1,001 devices are refused; 1,000 valid ones are stored at once.
    let mut too_many = items.clone();
    too_many.push(json!({ "kind": "tablet", "brand": "S", "model": "T" }));
    app.post(
        &format!("/donations/{donation}/devices"),
        &app.admin_token,
        Value::Array(too_many),
    )
    .await
    .assert_problem(422);
    items[998]["serial_number"] = json!("TAB-UNIQUE");
    items[10]["subtype"] = json!("beamer");
    let r = app
        .post(
            &format!("/donations/{donation}/devices"),
            &app.admin_token,
            Value::Array(items),
        )
        .await;
    r.assert_status(201);
    assert_eq!(r.body["count"], 1000);
    let tags: HashSet<&str> = r.body["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .filter_map(|d| d["asset_tag"].as_str())
        .collect();
    assert_eq!(tags.len(), 1000);
}
dual_test!(bulk_registration_is_all_or_nothing);

async fn filters_and_prefix_search(b: Backend) {
    let app = spawn_app(b).await;
    let t = app.admin_token.clone();
    let donation = app.create_donation(&t).await;
    let laptops = app.register_devices(&t, &donation, "laptop", 3).await;
    app.register_devices(&t, &donation, "tablet", 2).await;
    let r = app.post("/devices", &t, json!({ "kind": "robot", "brand": "Makeblock", "model": "mBot Neo", "serial_number": "MB-77-XY" })).await;
    r.assert_status(201);
    assert!(r.body["donation_id"].is_null());

    let count = |q: &str| {
        let app = &app;
        let t = t.clone();
        let q = q.to_string();
        async move {
            let r = app.get(&format!("/devices?{q}"), &t).await;
            r.assert_status(200);
            r.body["items"].as_array().map(Vec::len).unwrap_or(0)
        }
    };
    assert_eq!(count("kind=laptop").await, 3);
    assert_eq!(count("kind=tablet&status=received").await, 2);
    assert_eq!(count("status=ready").await, 0);
    assert_eq!(count("serial_prefix=mb-77").await, 1);
    assert_eq!(
        count("q=makeblock").await,
        1,
        "free text ignores case on both backends"
    );
    assert_eq!(count("q=MAKEBLOCK").await, 1);
    assert_eq!(count("q=mBot").await, 1);
    let tag = laptops[1]["asset_tag"].as_str().expect("tag");
    assert_eq!(
        count(&format!("tag_prefix={}", tag.to_lowercase())).await,
        1
    );
    assert_eq!(count("tag_prefix=GNT-").await, 6);
    assert_eq!(
        count(&format!("donation_id={donation}&kind=robot")).await,
        0
    );
    // Descending order.
    let r = app.get("/devices?sort=-asset_tag&limit=2", &t).await;
    assert_eq!(r.body["items"][0]["kind"], "robot");
    app.get("/devices?sort=colour", &t)
        .await
        .assert_problem(422);
}
dual_test!(filters_and_prefix_search);

/// 32 concurrent actions at one device: the allowed ones succeed one after the other, the rest
/// get a clean 409, and the history has no gap and no duplicate.
async fn concurrent_actions_on_one_device(b: Backend) {
    let app = spawn_app(b).await;
    let t = app.admin_token.clone();
    let donation = app.create_donation(&t).await;
    let d = app.register_devices(&t, &donation, "laptop", 1).await;
    let id = d[0]["id"].as_str().expect("id").to_string();
    crate::refurbishment::pass_wipes(&app, &t, &id).await;
    let before_events = app
        .get(&format!("/devices/{id}/history"), &t)
        .await
        .body
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);

    // 16 × retire and 16 × send_to_repair. From `received` either may come first; after a
    // retire nothing is allowed, after send_to_repair only retire (among these) is. So one or
    // two succeed, and the device always ends retired.
    let actions: Vec<&str> = (0..32)
        .map(|i| {
            if i % 2 == 0 {
                "retire"
            } else {
                "send_to_repair"
            }
        })
        .collect();
    let results = join_all(actions.iter().map(|a| {
        let path = format!("/devices/{id}/actions/{a}");
        let app = &app;
        let t = t.clone();
        async move { app.post(&path, &t, json!({})).await }
    }))
    .await;
    let ok = results.iter().filter(|r| r.status.as_u16() == 200).count();
    for r in &results {
        assert!(
            r.status.as_u16() == 200 || r.status.as_u16() == 409,
            "unexpected {}: {}",
            r.status,
            r.body
        );
        if r.status.as_u16() == 409 {
            r.assert_problem(409);
        }
    }
    let h = app.get(&format!("/devices/{id}/history"), &t).await;
    let events = h.body.as_array().expect("events");
    assert_eq!(events.len(), before_events + ok, "one event per success");
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["seq"], i + 1, "gap or duplicate at {i}");
        if i > 0 {
            assert_eq!(e["status_before"], events[i - 1]["status_after"]);
        }
    }
    // Replaying the successful actions through the table from `received` must be legal.
    let mut status = "received".to_string();
    for e in &events[before_events..] {
        assert_eq!(e["status_before"], status.as_str());
        status = e["status_after"].as_str().unwrap_or("").to_string();
    }
    let first = events[before_events]["action"].as_str().unwrap_or("");
    let expected_ok = if first == "send_to_repair" { 2 } else { 1 };
    assert_eq!(ok, expected_ok, "first action was {first}");
    assert_eq!(status, "retired");
    let device = app.get(&format!("/devices/{id}"), &t).await;
    assert_eq!(device.body["status"], "retired");
    assert_eq!(device.body["version"], 1 + ok as i64);
}
dual_test!(concurrent_actions_on_one_device);

/// Two servers on one database behave as one: asset tags stay unique and concurrent actions
/// across them are serialised. (On SQLite both servers share the file.)
async fn two_servers_share_one_database(b: Backend) {
    let one = spawn_app(b).await;
    let two = spawn_second(&one).await;
    let t = one.admin_token.clone();
    let donation = one.create_donation(&t).await;
    let batches = join_all((0..8).map(|i| {
        let app = if i % 2 == 0 { &one } else { &two };
        let t = t.clone();
        let donation = donation.clone();
        async move {
            let items: Vec<Value> = (0..25).map(|j| json!({ "kind": "tablet", "brand": "Lenovo", "model": format!("M10 {i}-{j}") })).collect();
            app.post(&format!("/donations/{donation}/devices"), &t, Value::Array(items)).await
        }
    }))
    .await;
    let mut tags = HashSet::new();
    for r in &batches {
        r.assert_status(201);
        for d in r.body["devices"].as_array().expect("devices") {
            assert!(
                tags.insert(d["asset_tag"].as_str().unwrap_or("").to_string()),
                "duplicate tag"
            );
        }
    }
    assert_eq!(tags.len(), 200);

    let id = batches[0].body["devices"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let results = join_all((0..32).map(|i| {
        let app = if i % 2 == 0 { &one } else { &two };
        let path = format!("/devices/{id}/actions/send_to_repair");
        let t = t.clone();
        async move { app.post(&path, &t, json!({})).await }
    }))
    .await;
    let ok = results.iter().filter(|r| r.status.as_u16() == 200).count();
    assert_eq!(ok, 1, "exactly one send_to_repair can succeed");
    assert!(results
        .iter()
        .all(|r| r.status.as_u16() == 200 || r.status.as_u16() == 409));
    let h = two.get(&format!("/devices/{id}/history"), &t).await;
    assert_eq!(h.body.as_array().map(Vec::len), Some(2));
}
dual_test!(two_servers_share_one_database);

async fn scoping_hides_other_organisations_devices(b: Backend) {
    let app = spawn_app(b).await;
    let t = app.admin_token.clone();
    let donation = app.create_donation(&t).await;
    let devices = app.register_devices(&t, &donation, "laptop", 2).await;
    let id = devices[0]["id"].as_str().expect("id");
    let (_, refurbisher) = app.user_in_new_org("refurbisher", "workshop").await;
    let (_, social) = app.user_in_new_org("social_worker", "welfare_office").await;
    // Not assigned to the refurbisher's workshop, not ready: invisible to both.
    app.get(&format!("/devices/{id}"), &refurbisher)
        .await
        .assert_problem(404);
    app.get(&format!("/devices/{id}"), &social)
        .await
        .assert_problem(404);
    app.get(&format!("/devices/{id}/history"), &social)
        .await
        .assert_problem(404);
    app.post(
        &format!("/devices/{id}/actions/send_to_repair"),
        &refurbisher,
        json!({}),
    )
    .await
    .assert_problem(404);
    let r = app.get("/devices", &refurbisher).await;
    assert_eq!(r.body["items"], json!([]));
    let r = app.get("/devices", &social).await;
    assert_eq!(r.body["items"], json!([]));
    app.get(&format!("/donations/{donation}"), &refurbisher)
        .await
        .assert_problem(404);
    // A ready device is visible to social workers, who pick devices to lend.
    let ready = devices[1]["id"].as_str().expect("id");
    crate::refurbishment::make_ready(&app, &t, ready).await;
    app.get(&format!("/devices/{ready}"), &social)
        .await
        .assert_status(200);
    let r = app.get("/devices", &social).await;
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(1));
    app.get(&format!("/devices/{ready}"), &refurbisher)
        .await
        .assert_problem(404);
}
dual_test!(scoping_hides_other_organisations_devices);

async fn lifecycle_table_is_exposed(b: Backend) {
    let app = spawn_app(b).await;
    let r = app.get("/lifecycle", &app.admin_token).await;
    r.assert_status(200);
    let rows = r.body.as_array().expect("rows");
    let wipe = rows.iter().find(|r| r["action"] == "wipe").expect("wipe");
    assert_eq!(wipe["to"], "wiped");
    assert_eq!(wipe["from"], json!(["received", "returned", "in_repair"]));
    let lend = rows.iter().find(|r| r["action"] == "lend").expect("lend");
    assert_eq!(lend["via_loans_or_bookings"], true);
}
dual_test!(lifecycle_table_is_exposed);

async fn a_dutch_csv_with_drive_serials_is_taken_in(b: Backend) {
    let app = spawn_app(b).await;
    let t = app.admin_token.clone();
    let donation = app.create_donation(&t).await;
    // Every column under its Dutch name, as a Flemish donor's Excel has them.
    let csv = "\u{feff}Soort;Merk;Model;Serienummer;Processor;Werkgeheugen;Opslag;Opslagtype;Serienummer schijf;Besturingssysteem;Toebehoren;Opmerkingen;Locatie\r\n\
               laptop;HP;ProBook 640 G5;5CG-001;i5-8365U;16;512;nvme;S4EWNX0R1;Linux Mint;lader;krasje op deksel;Rek 3\r\n\
               tablet;Samsung;Tab A8;R9-002;;4;64;emmc;;Android 14;hoes;;Rek 4\r\n";
    let r = app
        .send_raw(
            Method::POST,
            &format!("/donations/{donation}/devices/csv"),
            Some(&t),
            "text/csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    r.assert_status(201);
    let laptop = &r.body["devices"][0];
    assert_eq!(laptop["shelf_location"], "Rek 3");
    assert_eq!(laptop["accessories"], "lader");
    assert_eq!(laptop["notes"], "krasje op deksel");
    assert_eq!(laptop["specs"]["cpu"], "i5-8365U");
    assert_eq!(laptop["specs"]["ram_gb"], 16);
    assert_eq!(laptop["specs"]["os"], "Linux Mint");
    let id = laptop["id"].as_str().expect("id");
    let drives = app.get(&format!("/devices/{id}/drives"), &t).await;
    assert_eq!(
        drives.body,
        json!([{ "id": drives.body[0]["id"], "type": "nvme", "capacity_gb": 512, "serial": "S4EWNX0R1" }])
    );
    assert_eq!(r.body["devices"][1]["shelf_location"], "Rek 4");
    // A drive serial without the drive's size is named.
    let csv = "Soort,Merk,Model,Serienummer,Serienummer schijf\nlaptop,HP,640,5CG-003,WD-1\n";
    let r = app
        .send_raw(
            Method::POST,
            &format!("/donations/{donation}/devices/csv"),
            Some(&t),
            "text/csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["row 2, drive_serial"]);
}
dual_test!(a_dutch_csv_with_drive_serials_is_taken_in);
