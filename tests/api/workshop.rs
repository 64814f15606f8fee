//! The workshop and the wipe guard: wipes count only after the hand-back, devices without
//! storage, pool resets by lending staff, batches by scanned tags, look-ups by asset tag.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, today, Backend, TestApp};

fn tags(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|d| s(&d["asset_tag"]))
        .collect()
}
use crate::refurbishment::{make_ready, pass_wipes, refurbishment_body, wipe_body};

fn s(v: &Value) -> String {
    v.as_str().expect("string").to_string()
}

/// Registers one device (JSON item) in a new donation: (id, asset tag).
async fn register(app: &TestApp, item: Value) -> (String, String) {
    let donation = app.create_donation(&app.admin_token).await;
    let r = app
        .post(
            &format!("/donations/{donation}/devices"),
            &app.admin_token,
            json!([item]),
        )
        .await;
    r.assert_status(201);
    (
        s(&r.body["devices"][0]["id"]),
        s(&r.body["devices"][0]["asset_tag"]),
    )
}

fn laptop(drives: Value) -> Value {
    json!({ "kind": "laptop", "brand": "Dell", "model": "Latitude 5490",
            "serial_number": format!("SN-{}", uuid::Uuid::new_v4().simple()),
            "specs": { "drives": drives } })
}

async fn act(app: &TestApp, token: &str, device: &str, action: &str) -> crate::helpers::Resp {
    app.post(
        &format!("/devices/{device}/actions/{action}"),
        token,
        json!({}),
    )
    .await
}

async fn a_wipe_counts_only_if_it_ended_after_the_device_came_back(b: Backend) {
    let app = spawn_app(b).await;
    let t = app.admin_token.clone();
    let (id, _) = register(&app, laptop(json!([{ "type": "ssd", "size_gb": 256 }]))).await;
    make_ready(&app, &t, &id).await;
    // A moment after registration and before the device comes back.
    let before_return = Utc::now();
    act(&app, &t, &id, "mark_lost").await.assert_status(200);
    act(&app, &t, &id, "found").await.assert_status(200);
    // A wipe that ended before the device came back, recorded afterwards, does not count.
    let mut stale = wipe_body(None, "passed");
    stale["started_at"] = json!(before_return.to_rfc3339());
    stale["ended_at"] = json!(before_return.to_rfc3339());
    stale.as_object_mut().map(|o| o.remove("drive_type"));
    app.post(&format!("/devices/{id}/wipes"), &t, stale)
        .await
        .assert_status(201);
    let r = act(&app, &t, &id, "release").await;
    r.assert_problem(409);
    assert!(
        r.body["reasons"][0]
            .as_str()
            .expect("reason")
            .contains("no wipe since the device came in"),
        "{}",
        r.body
    );
    // A wipe that ended after the return does.
    pass_wipes(&app, &t, &id).await;
    let r = act(&app, &t, &id, "release").await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "ready");
}
dual_test!(a_wipe_counts_only_if_it_ended_after_the_device_came_back);

async fn impossible_wipe_times_are_refused(b: Backend) {
    let app = spawn_app(b).await;
    let t = app.admin_token.clone();
    let (id, _) = register(&app, laptop(json!([{ "type": "ssd", "size_gb": 256 }]))).await;
    let before = app.row_counts();
    let at = |start: chrono::DateTime<Utc>, end: chrono::DateTime<Utc>| {
        let mut w = wipe_body(None, "passed");
        w.as_object_mut().map(|o| o.remove("drive_type"));
        w["started_at"] = json!(start.to_rfc3339());
        w["ended_at"] = json!(end.to_rfc3339());
        w
    };
    let now = Utc::now();
    let cases = [
        // In the future.
        (
            at(now + Duration::hours(2), now + Duration::hours(3)),
            vec!["started_at", "ended_at"],
        ),
        (at(now, now + Duration::minutes(30)), vec!["ended_at"]),
        // Three days before the device was registered.
        (
            at(now - Duration::days(3), now - Duration::days(3)),
            vec!["started_at"],
        ),
        // Ending before it starts.
        (at(now, now - Duration::minutes(1)), vec!["ended_at"]),
    ];
    for (body, fields) in cases {
        let r = app.post(&format!("/devices/{id}/wipes"), &t, body).await;
        r.assert_problem(422);
        assert_eq!(r.error_fields(), fields, "{}", r.body);
    }
    assert_eq!(app.row_counts(), before);
    // A wipe tool's clock a little ahead of the server's is fine.
    let r = app
        .post(
            &format!("/devices/{id}/wipes"),
            &t,
            at(Utc::now(), Utc::now() + Duration::minutes(2)),
        )
        .await;
    r.assert_status(201);
}
dual_test!(impossible_wipe_times_are_refused);

async fn devices_without_storage_reach_ready_without_a_wipe(b: Backend) {
    let app = spawn_app(b).await;
    let t = app.admin_token.clone();
    // The table of what each kind is asked.
    let table = app.get("/workshop/checks", &t).await;
    table.assert_status(200);
    let row = |kind: &str| {
        table
            .body
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["kind"] == kind)
            .cloned()
            .expect("kind")
    };
    assert_eq!(row("peripheral")["checks"], json!(["works"]));
    assert_eq!(row("peripheral")["battery"], "not_asked");
    assert_eq!(row("laptop")["battery"], "required");
    let (headphones, _) = register(
        &app,
        json!({ "kind": "peripheral", "subtype": "headphones", "brand": "JBL", "model": "Tune 510BT" }),
    )
    .await;
    // Only the checks of its kind are asked: `works`, no battery.
    let r = app
        .post(
            &format!("/devices/{headphones}/refurbishments"),
            &t,
            json!({ "checks": {}, "cosmetic_grade": "A", "functional_pass": true, "minutes_spent": 5 }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["checks.works"]);
    let r = app
        .post(
            &format!("/devices/{headphones}/refurbishments"),
            &t,
            json!({ "checks": { "works": true }, "cosmetic_grade": "A", "functional_pass": true, "minutes_spent": 5 }),
        )
        .await;
    r.assert_status(201);
    assert_eq!(r.body["checks"], json!({ "works": true }));
    let r = act(&app, &t, &headphones, "refurbish").await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "refurbished");
    let r = act(&app, &t, &headphones, "release").await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "ready");
    let wipes = app.get(&format!("/devices/{headphones}/wipes"), &t).await;
    assert_eq!(wipes.body, json!([]));

    // A laptop, and a VR headset (it keeps accounts), must be wiped first.
    let (vr, _) = register(
        &app,
        json!({ "kind": "peripheral", "subtype": "vr_headset", "brand": "Meta", "model": "Quest 2" }),
    )
    .await;
    let (lap, _) = register(&app, laptop(json!([{ "type": "ssd", "size_gb": 256 }]))).await;
    for id in [&vr, &lap] {
        app.post(
            &format!("/devices/{id}/refurbishments"),
            &t,
            refurbishment_body(true, "B"),
        )
        .await
        .assert_status(201);
        let r = act(&app, &t, id, "refurbish").await;
        r.assert_problem(409);
        assert!(
            r.body["reasons"].to_string().contains("wipe it first"),
            "{}",
            r.body
        );
    }
    // A laptop's refurbishment asks for its keyboard and battery; a failed check is no pass.
    let mut body = refurbishment_body(true, "B");
    body["checks"].as_object_mut().map(|c| c.remove("keyboard"));
    body.as_object_mut().map(|o| o.remove("battery_health_pct"));
    body["checks"]["screen"] = json!(false);
    let r = app
        .post(&format!("/devices/{lap}/refurbishments"), &t, body)
        .await;
    r.assert_problem(422);
    assert_eq!(
        r.error_fields(),
        vec!["checks.keyboard", "functional_pass", "battery_health_pct"]
    );
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(devices_without_storage_reach_ready_without_a_wipe);

async fn lending_staff_reset_pool_devices_back_from_a_booking_in_one_request(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    let (_, requester) = app.user_in_new_org("requester", "school").await;
    let mut pool = Vec::new();
    for item in [
        json!({ "kind": "tablet", "brand": "Samsung", "model": "Tab A8", "in_pool": true }),
        json!({ "kind": "tablet", "brand": "Samsung", "model": "Tab A8", "in_pool": true }),
        json!({ "kind": "laptop", "brand": "Dell", "model": "3190", "in_pool": true,
                "specs": { "drives": [ { "type": "emmc", "size_gb": 64 } ] } }),
        json!({ "kind": "peripheral", "subtype": "headphones", "brand": "JBL", "model": "T5", "in_pool": true }),
    ] {
        let (id, tag) = register(&app, item).await;
        make_ready(&app, &admin, &id).await;
        pool.push((id, tag));
    }
    let t = today();
    let r = app
        .post(
            "/bookings",
            &requester,
            json!({ "pickup_on": t, "return_on": t, "purpose": "Digitale week",
                    "contact": { "name": "Juf Sarah", "email": "sarah@school.example.be" },
                    "lines": [ { "kind": "tablet", "quantity": 2 }, { "kind": "laptop", "quantity": 1 },
                               { "kind": "peripheral", "subtype": "headphones", "quantity": 1 } ] }),
        )
        .await;
    r.assert_status(201);
    let booking = s(&r.body["id"]);
    let r = app
        .post(&format!("/bookings/{booking}/confirm"), &admin, json!({}))
        .await;
    r.assert_status(200);
    let out = tags(&r.body["devices"]);
    assert_eq!(out.len(), 4);
    app.post(
        &format!("/bookings/{booking}/pickup"),
        &staff,
        json!({ "asset_tags": out }),
    )
    .await
    .assert_status(200);
    let items: Vec<Value> = out.iter().map(|t| json!({ "asset_tag": t })).collect();
    app.post(
        &format!("/bookings/{booking}/return"),
        &staff,
        json!({ "items": items }),
    )
    .await
    .assert_status(200);

    // A ready device and an unknown tag spoil the request: both named, nothing recorded.
    let (spare, spare_tag) = register(
        &app,
        json!({ "kind": "tablet", "brand": "Apple", "model": "iPad 9", "in_pool": true }),
    )
    .await;
    make_ready(&app, &admin, &spare).await;
    let before = app.row_counts();
    let r = app
        .post(
            "/pool/resets",
            &staff,
            json!({ "asset_tags": [out[0], "GNT-999999", spare_tag] }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["asset_tags[1]", "asset_tags[2]"]);
    assert!(r.body["errors"][1]["message"]
        .as_str()
        .expect("m")
        .contains("ready"));
    let r = app
        .post("/pool/resets", &staff, json!({ "asset_tags": [spare_tag] }))
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["failures"][0]["device"], json!(spare_tag));
    assert_eq!(app.row_counts(), before);
    // Someone outside the lending service and the workshops may not.
    let (_, social) = app.user_in_new_org("social_worker", "welfare_office").await;
    app.post("/pool/resets", &social, json!({ "asset_tags": [out[0]] }))
        .await
        .assert_problem(403);

    // One request: scanned tags (any case, or the label's URL) back to ready.
    let scanned: Vec<String> = out
        .iter()
        .enumerate()
        .map(|(i, t)| match i {
            0 => t.to_lowercase(),
            1 => format!("https://uitleen.example.be/d/{t}"),
            _ => t.clone(),
        })
        .collect();
    let r = app
        .post(
            "/pool/resets",
            &staff,
            json!({ "asset_tags": scanned, "tool": "Android factory reset", "tool_version": "14" }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(tags(&r.body["devices"]), out);
    assert!(r.body["devices"]
        .as_array()
        .expect("d")
        .iter()
        .all(|d| d["status"] == "ready"));
    for (id, tag) in &pool {
        let wipes = app.get(&format!("/devices/{id}/wipes"), &admin).await.body;
        let last = wipes
            .as_array()
            .expect("w")
            .last()
            .cloned()
            .expect("a wipe");
        let is_headphones = tag == &pool[3].1;
        if is_headphones {
            // No storage: released without a wipe of its own.
            assert_ne!(last["technique"], "factory_reset");
        } else {
            assert_eq!(last["technique"], "factory_reset");
            assert_eq!(last["category"], "purge");
            assert_eq!(last["tool"], "Android factory reset");
        }
        let history = app
            .get(&format!("/devices/{id}/history"), &admin)
            .await
            .body;
        let last_event = history.as_array().expect("h").last().cloned().expect("e");
        assert_eq!(last_event["action"], "release");
    }
    // The laptop's one drive was named in its reset.
    let drives = app
        .get(&format!("/devices/{}/drives", pool[2].0), &admin)
        .await
        .body;
    let wipes = app
        .get(&format!("/devices/{}/wipes", pool[2].0), &admin)
        .await
        .body;
    assert_eq!(
        wipes.as_array().expect("w").last().expect("w")["drive_id"],
        drives[0]["id"]
    );
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(lending_staff_reset_pool_devices_back_from_a_booking_in_one_request);

async fn one_wipe_or_refurbishment_for_many_scanned_devices(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let (workshop, tech) = app.user_in_new_org("refurbisher", "workshop").await;
    let mut lap = Vec::new();
    for _ in 0..3 {
        let (id, tag) = register(&app, laptop(json!([{ "type": "ssd", "size_gb": 256 }]))).await;
        app.post(
            &format!("/devices/{id}/assign"),
            &admin,
            json!({ "workshop_id": workshop }),
        )
        .await
        .assert_status(200);
        lap.push((id, tag));
    }
    let (desk, desk_tag) = register(
        &app,
        json!({ "kind": "desktop", "brand": "HP", "model": "EliteDesk", "specs": { "drives": [
            { "type": "hdd", "size_gb": 500 }, { "type": "ssd", "size_gb": 256 } ] } }),
    )
    .await;
    app.post(
        &format!("/devices/{desk}/assign"),
        &admin,
        json!({ "workshop_id": workshop }),
    )
    .await
    .assert_status(200);
    let mut wipe = wipe_body(None, "passed");
    wipe.as_object_mut().map(|o| o.remove("drive_type"));
    // A single-drive laptop: the drive need not be looked up.
    let r = app
        .post(&format!("/devices/{}/wipes", lap[0].1), &tech, wipe.clone())
        .await;
    r.assert_status(201);
    let drives = app
        .get(&format!("/devices/{}/drives", lap[0].0), &tech)
        .await;
    assert_eq!(r.body["drive_id"], drives.body[0]["id"]);
    assert_eq!(r.body["drive_type"], "ssd");
    // Two drives: say which.
    let r = app
        .post(&format!("/devices/{desk}/wipes"), &tech, wipe.clone())
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["drive_id"]);

    // A batch with an unknown tag, a two-drive desktop and a repeated device: each named,
    // nothing recorded.
    let before = app.row_counts();
    let r = app
        .post(
            "/workshop/wipes",
            &tech,
            json!({ "devices": [lap[1].1, "GNT-999999", desk_tag, lap[2].0, lap[1].1.to_lowercase()],
                    "wipe": wipe }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(
        r.error_fields(),
        vec!["devices[1]", "devices[2]", "devices[4]"]
    );
    assert!(r.body["errors"][1]["message"]
        .as_str()
        .expect("m")
        .contains("drive_id"));
    assert_eq!(app.row_counts(), before);
    // All good: one record each, by tag or id.
    let r = app
        .post(
            "/workshop/wipes",
            &tech,
            json!({ "devices": [lap[1].1.to_lowercase(), lap[2].0], "wipe": wipe }),
        )
        .await;
    r.assert_status(201);
    assert_eq!(r.body["wipes"].as_array().map(Vec::len), Some(2));
    assert_eq!(r.body["wipes"][1]["device_id"], json!(lap[2].0));
    for (id, _) in &lap {
        act(&app, &tech, id, "wipe").await.assert_status(200);
    }
    let all: Vec<String> = lap.iter().map(|(_, t)| t.clone()).collect();
    let r = app
        .post(
            "/workshop/refurbishments",
            &tech,
            json!({ "devices": all, "refurbishment": refurbishment_body(true, "A") }),
        )
        .await;
    r.assert_status(201);
    assert_eq!(r.body["refurbishments"].as_array().map(Vec::len), Some(3));
    for (_, tag) in &lap {
        let r = act(&app, &tech, tag, "refurbish").await;
        r.assert_status(200);
        assert_eq!(r.body["status"], "refurbished");
        act(&app, &tech, tag, "release").await.assert_status(200);
    }
    // Devices no longer on the bench: a 409 naming each.
    let r = app
        .post(
            "/workshop/refurbishments",
            &tech,
            json!({ "devices": [all[0], all[2]], "refurbishment": refurbishment_body(true, "A") }),
        )
        .await;
    r.assert_problem(409);
    let named: Vec<Value> = r.body["failures"]
        .as_array()
        .expect("f")
        .iter()
        .map(|f| f["device"].clone())
        .collect();
    assert_eq!(named, vec![json!(all[0]), json!(all[2])]);
    // The whole chain leaves no device whose status, holder, allocation and history disagree.
    app.assert_devices_agree();
}
dual_test!(one_wipe_or_refurbishment_for_many_scanned_devices);

async fn look_ups_and_actions_accept_the_asset_tag(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let (workshop, tech) = app.user_in_new_org("refurbisher", "workshop").await;
    let (id, tag) = register(&app, laptop(json!([{ "type": "ssd", "size_gb": 256 }]))).await;
    let lower = tag.to_lowercase();
    let r = app.get(&format!("/devices/{lower}"), &admin).await;
    r.assert_status(200);
    assert_eq!(r.body["id"], json!(id));
    // Outside the refurbisher's scope until assigned, by tag as by id.
    app.get(&format!("/devices/{tag}"), &tech)
        .await
        .assert_problem(404);
    let r = app
        .post(
            &format!("/devices/{tag}/assign"),
            &admin,
            json!({ "workshop_id": workshop }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["workshop_id"], json!(workshop));
    let r = app.get(&format!("/devices/{tag}/drives"), &tech).await;
    r.assert_status(200);
    assert_eq!(r.body.as_array().map(Vec::len), Some(1));
    pass_wipes(&app, &tech, &tag).await;
    let r = app.get(&format!("/devices/{lower}/wipes"), &tech).await;
    assert_eq!(r.body[0]["device_id"], json!(id));
    app.post(
        &format!("/devices/{tag}/refurbishments"),
        &tech,
        refurbishment_body(true, "A"),
    )
    .await
    .assert_status(201);
    let r = app
        .get(&format!("/devices/{tag}/refurbishments"), &tech)
        .await;
    assert_eq!(r.body[0]["device_id"], json!(id));
    let r = act(&app, &tech, &lower, "wipe").await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "wiped");
    let r = app
        .patch(
            &format!("/devices/{tag}"),
            &admin,
            json!({ "shelf_location": "Rek B" }),
        )
        .await;
    r.assert_status(200);
    let r = app.get(&format!("/devices/{tag}/history"), &admin).await;
    let actions: Vec<&str> = r
        .body
        .as_array()
        .expect("h")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions.first(), Some(&"registered"));
    assert_eq!(actions.last(), Some(&"edited"));
    assert!(actions.contains(&"wipe"));
    // An unknown tag is a 404 everywhere.
    app.get("/devices/GNT-999999", &admin)
        .await
        .assert_problem(404);
    app.get("/devices/GNT-999999/history", &admin)
        .await
        .assert_problem(404);
    act(&app, &admin, "GNT-999999", "retire")
        .await
        .assert_problem(404);
}
dual_test!(look_ups_and_actions_accept_the_asset_tag);
