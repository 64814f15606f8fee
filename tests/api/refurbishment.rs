//! Refurbishment: assignment, the work queue, wipe records, grading, the data-safety rule.

use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, Backend, TestApp};

/// A wipe record body for `drive` (None: built-in storage).
/// It starts and ends now: after the device's registration and its last hand-back.
pub fn wipe_body(drive: Option<&str>, outcome: &str) -> Value {
    let now = chrono::Utc::now().to_rfc3339();
    let mut body = json!({
        "category": "purge", "technique": "crypto_erase", "tool": "nwipe", "tool_version": "0.36",
        "passes": 1, "verified": true, "verification_method": "full", "verified_by": "Jan Peeters",
        "outcome": outcome,
        "started_at": now, "ended_at": now,
        "report_file_name": "nwipe-report.pdf",
        "report_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    });
    match drive {
        Some(d) => body["drive_id"] = json!(d),
        None => body["drive_type"] = json!("emmc"),
    }
    body
}

/// Records a passed wipe for every drive of a device (or its built-in storage).
pub async fn pass_wipes(app: &TestApp, token: &str, device: &str) {
    let drives = app.get(&format!("/devices/{device}/drives"), token).await;
    drives.assert_status(200);
    let list = drives.body.as_array().cloned().unwrap_or_default();
    if list.is_empty() {
        app.post(
            &format!("/devices/{device}/wipes"),
            token,
            wipe_body(None, "passed"),
        )
        .await
        .assert_status(201);
    }
    for d in list {
        let id = d["id"].as_str().expect("drive id");
        app.post(
            &format!("/devices/{device}/wipes"),
            token,
            wipe_body(Some(id), "passed"),
        )
        .await
        .assert_status(201);
    }
}

pub fn refurbishment_body(pass: bool, grade: &str) -> Value {
    json!({
        "checks": { "boots": pass, "screen": true, "keyboard": true, "touchpad": true, "ports": true,
                    "camera": true, "wifi": true, "charger_present": true, "works": pass },
        "battery_health_pct": 84, "parts_replaced": "keyboard", "os_installed": "Linux Mint", "os_version": "22",
        "cosmetic_grade": grade, "functional_pass": pass, "minutes_spent": 35, "note": "ok"
    })
}

pub async fn pass_refurbishment(app: &TestApp, token: &str, device: &str) {
    app.post(
        &format!("/devices/{device}/refurbishments"),
        token,
        refurbishment_body(true, "B"),
    )
    .await
    .assert_status(201);
}

/// Takes a registered device to `ready` through the records and actions a workshop would use.
pub async fn make_ready(app: &TestApp, token: &str, device: &str) {
    pass_wipes(app, token, device).await;
    app.post(&format!("/devices/{device}/actions/wipe"), token, json!({}))
        .await
        .assert_status(200);
    pass_refurbishment(app, token, device).await;
    app.post(
        &format!("/devices/{device}/actions/refurbish"),
        token,
        json!({}),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/devices/{device}/actions/release"),
        token,
        json!({}),
    )
    .await
    .assert_status(200);
}

async fn a_workshop_works_through_a_batch_of_twenty(b: Backend) {
    let app = spawn_app(b).await;
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    let (workshop, tech) = app.user_in_new_org("refurbisher", "workshop").await;
    let (_, other_tech) = app.user_in_new_org("refurbisher", "workshop").await;
    let donation = app.create_donation(&staff).await;
    let devices = app.register_devices(&staff, &donation, "laptop", 20).await;
    let ids: Vec<String> = devices
        .iter()
        .map(|d| d["id"].as_str().expect("id").to_string())
        .collect();

    // Before assignment the workshop sees nothing.
    app.get(&format!("/devices/{}", ids[0]), &tech)
        .await
        .assert_problem(404);
    let r = app
        .post(
            &format!("/donations/{donation}/assign"),
            &staff,
            json!({ "workshop_id": workshop }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["devices_assigned"], 20);
    // Only a workshop can be assigned.
    let school = app.create_org("School X", "school").await;
    app.post(
        &format!("/donations/{donation}/assign"),
        &staff,
        json!({ "workshop_id": school }),
    )
    .await
    .assert_problem(422);

    // The queue: 20 waiting for a wipe, oldest first.
    let q = app.get("/workshop/queue", &tech).await;
    q.assert_status(200);
    assert_eq!(
        q.body["waiting_for_wipe"].as_array().map(Vec::len),
        Some(20)
    );
    // Another workshop's refurbisher sees none of it.
    let q2 = app.get("/workshop/queue", &other_tech).await;
    assert_eq!(q2.body["waiting_for_wipe"], json!([]));
    for path in [
        format!("/devices/{}", ids[0]),
        format!("/devices/{}/wipes", ids[0]),
        format!("/devices/{}/drives", ids[0]),
    ] {
        app.get(&path, &other_tech).await.assert_problem(404);
    }
    app.post(
        &format!("/devices/{}/wipes", ids[0]),
        &other_tech,
        wipe_body(None, "passed"),
    )
    .await
    .assert_problem(404);
    app.post(
        &format!("/devices/{}/actions/wipe", ids[0]),
        &other_tech,
        json!({}),
    )
    .await
    .assert_problem(404);

    // Wipe each drive; the first device's wipe fails and is redone.
    for (i, id) in ids.iter().enumerate() {
        let drives = app.get(&format!("/devices/{id}/drives"), &tech).await;
        let drive = drives.body[0]["id"].as_str().expect("drive").to_string();
        let outcome = if i == 0 { "failed" } else { "passed" };
        let r = app
            .post(
                &format!("/devices/{id}/wipes"),
                &tech,
                wipe_body(Some(&drive), outcome),
            )
            .await;
        r.assert_status(201);
        assert_eq!(r.body["technician_name"], "refurbisher user");
        assert_eq!(r.body["drive_type"], "ssd");
        assert_eq!(r.body["capacity_gb"], 256);
    }
    let q = app.get("/workshop/queue", &tech).await;
    assert_eq!(q.body["failed"].as_array().map(Vec::len), Some(1));
    assert_eq!(q.body["failed"][0]["device_id"], ids[0].as_str());
    // A failed wipe keeps the device out: it cannot move to wiped.
    let r = app
        .post(
            &format!("/devices/{}/actions/wipe", ids[0]),
            &tech,
            json!({}),
        )
        .await;
    r.assert_problem(409);
    assert!(
        r.body["reasons"][0]
            .as_str()
            .unwrap_or("")
            .contains("failed"),
        "{}",
        r.body
    );

    // The certificate waits for the last open drive, and names it.
    let r = app
        .get(&format!("/donations/{donation}/certificate.pdf"), &staff)
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["open_devices"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        r.body["open_devices"][0]["asset_tag"],
        devices[0]["asset_tag"]
    );
    let drive0 = app
        .get(&format!("/devices/{}/drives", ids[0]), &tech)
        .await
        .body[0]["id"]
        .as_str()
        .expect("d")
        .to_string();
    app.post(
        &format!("/devices/{}/wipes", ids[0]),
        &tech,
        wipe_body(Some(&drive0), "passed"),
    )
    .await
    .assert_status(201);

    // Wipe, refurbish and grade all twenty; one fails its checks and goes to repair.
    for (i, id) in ids.iter().enumerate() {
        app.post(&format!("/devices/{id}/actions/wipe"), &tech, json!({}))
            .await
            .assert_status(200);
        app.post(
            &format!("/devices/{id}/actions/refurbish"),
            &tech,
            json!({}),
        )
        .await
        .assert_problem(409);
        let pass = i != 5;
        app.post(
            &format!("/devices/{id}/refurbishments"),
            &tech,
            refurbishment_body(pass, ["A", "B", "C"][i % 3]),
        )
        .await
        .assert_status(201);
        if pass {
            app.post(
                &format!("/devices/{id}/actions/refurbish"),
                &tech,
                json!({}),
            )
            .await
            .assert_status(200);
            let r = app
                .post(&format!("/devices/{id}/actions/release"), &tech, json!({}))
                .await;
            r.assert_status(200);
            assert_eq!(r.body["status"], "ready");
        } else {
            let r = app
                .post(
                    &format!("/devices/{id}/actions/refurbish"),
                    &tech,
                    json!({}),
                )
                .await;
            r.assert_problem(409);
            app.post(
                &format!("/devices/{id}/actions/send_to_repair"),
                &tech,
                json!({}),
            )
            .await
            .assert_status(200);
        }
    }
    let q = app.get("/workshop/queue", &tech).await;
    assert_eq!(q.body["waiting_for_refurbishment"], json!([]));
    let ready = app
        .get(
            &format!("/devices?status=ready&donation_id={donation}"),
            &staff,
        )
        .await;
    assert_eq!(ready.body["items"].as_array().map(Vec::len), Some(19));
    // Every drive has a passed wipe: the lending service downloads the certificate.
    let r = app
        .get(&format!("/donations/{donation}/certificate.pdf"), &staff)
        .await;
    r.assert_status(200);
    assert_eq!(r.content_type, "application/pdf");
    let text = crate::helpers::pdf_text(&r.bytes);
    for d in &devices {
        let tag = d["asset_tag"].as_str().expect("tag");
        assert!(text.contains(tag), "certificate lacks {tag}");
    }
    assert!(text.contains("Bakkerij Janssens"), "donor named");
    assert!(text.contains("refurbisher user"), "technician named");
    let number = text
        .split_whitespace()
        .find(|w| w.starts_with("CERT-"))
        .expect("number")
        .to_string();
    // The number is stable; the English and CSV versions carry the same rows.
    let again = app
        .get(
            &format!("/donations/{donation}/certificate.pdf?lang=en"),
            &staff,
        )
        .await;
    again.assert_status(200);
    assert!(crate::helpers::pdf_text(&again.bytes).contains(&number));
    let csv = app
        .get(&format!("/donations/{donation}/certificate.csv"), &tech)
        .await;
    csv.assert_status(200);
    let csv_text = String::from_utf8_lossy(&csv.bytes).to_string();
    assert_eq!(csv_text.lines().filter(|l| l.contains("GNT-")).count(), 20);
    assert!(csv_text.contains("nwipe 0.36"));
    app.get(
        &format!("/donations/{donation}/certificate.pdf?lang=xx"),
        &staff,
    )
    .await
    .assert_problem(422);
    app.get(
        &format!("/donations/{donation}/certificate.pdf"),
        &other_tech,
    )
    .await
    .assert_problem(404);

    // Records are listed in order, with the failed attempt kept.
    let w = app.get(&format!("/devices/{}/wipes", ids[0]), &staff).await;
    let outcomes: Vec<&str> = w
        .body
        .as_array()
        .expect("wipes")
        .iter()
        .filter_map(|x| x["outcome"].as_str())
        .collect();
    assert_eq!(outcomes, vec!["failed", "passed"]);
    let h = app
        .get(&format!("/devices/{}/history", ids[0]), &staff)
        .await;
    let actions: Vec<&str> = h
        .body
        .as_array()
        .expect("h")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        vec![
            "registered",
            "assigned",
            "wipe_recorded",
            "wipe_recorded",
            "wipe",
            "refurbishment_recorded",
            "refurbish",
            "release"
        ]
    );
}
dual_test!(a_workshop_works_through_a_batch_of_twenty);

async fn a_device_with_an_unwiped_drive_never_becomes_ready(b: Backend) {
    let app = spawn_app(b).await;
    let t = app.admin_token.clone();
    let donation = app.create_donation(&t).await;
    let r = app
        .post(
            &format!("/donations/{donation}/devices"),
            &t,
            json!([{ "kind": "desktop", "brand": "HP", "model": "EliteDesk 800", "serial_number": "CZC1",
                     "specs": { "drives": [ { "type": "hdd", "size_gb": 500, "serial": "WD-1" }, { "type": "nvme", "size_gb": 256 } ] } }]),
        )
        .await;
    r.assert_status(201);
    let id = r.body["devices"][0]["id"].as_str().expect("id").to_string();
    let drives = app.get(&format!("/devices/{id}/drives"), &t).await;
    let d1 = drives.body[0]["id"].as_str().expect("d1").to_string();
    let d2 = drives.body[1]["id"].as_str().expect("d2").to_string();
    // Only the first drive is wiped: the device cannot be marked wiped.
    app.post(
        &format!("/devices/{id}/wipes"),
        &t,
        wipe_body(Some(&d1), "passed"),
    )
    .await
    .assert_status(201);
    let r = app
        .post(&format!("/devices/{id}/actions/wipe"), &t, json!({}))
        .await;
    r.assert_problem(409);
    assert!(r.body["reasons"].to_string().contains("nvme"), "{}", r.body);
    // The drive must be named for a device with drives; an overwrite of flash is not a purge.
    let mut body = wipe_body(None, "passed");
    body.as_object_mut().map(|o| o.remove("drive_type"));
    app.post(&format!("/devices/{id}/wipes"), &t, body)
        .await
        .assert_problem(422);
    let mut body = wipe_body(Some(&d2), "passed");
    body["technique"] = json!("overwrite");
    let r = app.post(&format!("/devices/{id}/wipes"), &t, body).await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["category"]);
    let mut body = wipe_body(Some(&d2), "passed");
    body["category"] = json!("destroy");
    app.post(&format!("/devices/{id}/wipes"), &t, body)
        .await
        .assert_problem(422);
    // Destroying the second drive physically counts.
    let mut body = wipe_body(Some(&d2), "passed");
    body["category"] = json!("destroy");
    body["technique"] = json!("physical_destruction");
    app.post(&format!("/devices/{id}/wipes"), &t, body)
        .await
        .assert_status(201);
    app.post(&format!("/devices/{id}/actions/wipe"), &t, json!({}))
        .await
        .assert_status(200);
    pass_refurbishment(&app, &t, &id).await;
    app.post(&format!("/devices/{id}/actions/refurbish"), &t, json!({}))
        .await
        .assert_status(200);
    // A new drive found before release must be wiped too.
    app.post(
        &format!("/devices/{id}/drives"),
        &t,
        json!({ "type": "ssd", "size_gb": 128 }),
    )
    .await
    .assert_status(201);
    let r = app
        .post(&format!("/devices/{id}/actions/release"), &t, json!({}))
        .await;
    r.assert_problem(409);
    // A later failed wipe of a drive uncovers it again.
    let drives = app.get(&format!("/devices/{id}/drives"), &t).await;
    let d3 = drives.body[2]["id"].as_str().expect("d3").to_string();
    app.post(
        &format!("/devices/{id}/wipes"),
        &t,
        wipe_body(Some(&d3), "passed"),
    )
    .await
    .assert_status(201);
    app.post(
        &format!("/devices/{id}/wipes"),
        &t,
        wipe_body(Some(&d1), "failed"),
    )
    .await
    .assert_status(201);
    app.post(&format!("/devices/{id}/actions/release"), &t, json!({}))
        .await
        .assert_problem(409);
    app.post(
        &format!("/devices/{id}/wipes"),
        &t,
        wipe_body(Some(&d1), "passed"),
    )
    .await
    .assert_status(201);
    let r = app
        .post(&format!("/devices/{id}/actions/release"), &t, json!({}))
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "ready");
}
dual_test!(a_device_with_an_unwiped_drive_never_becomes_ready);

/// The work queue places each device by its records and says why: a drive left to wipe, a
/// failed wipe, a device without storage, all storage wiped, a failed check after the wipe.
async fn the_queue_says_why_each_device_waits(b: Backend) {
    let app = spawn_app(b).await;
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    let (workshop, tech) = app.user_in_new_org("refurbisher", "workshop").await;
    let donation = app.create_donation(&staff).await;
    let r = app
        .post(
            &format!("/donations/{donation}/devices"),
            &staff,
            json!([
                { "kind": "desktop", "brand": "HP", "model": "EliteDesk 800", "serial_number": "Q-TWO",
                  "specs": { "drives": [ { "type": "hdd", "size_gb": 500, "serial": "WD-1" }, { "type": "nvme", "size_gb": 256 } ] } },
                { "kind": "laptop", "brand": "Dell", "model": "Latitude", "serial_number": "Q-FAIL",
                  "specs": { "drives": [ { "type": "ssd", "size_gb": 256 } ] } },
                { "kind": "robot", "brand": "Wonder", "model": "Dash", "serial_number": "Q-ROBOT" },
                { "kind": "tablet", "brand": "Lenovo", "model": "Tab M10", "serial_number": "Q-CLEAN" },
                { "kind": "laptop", "brand": "Dell", "model": "Latitude", "serial_number": "Q-CHECK",
                  "specs": { "drives": [ { "type": "ssd", "size_gb": 128 } ] } }
            ]),
        )
        .await;
    r.assert_status(201);
    let ids: Vec<String> = r.body["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .map(|d| d["id"].as_str().expect("id").to_string())
        .collect();
    let [two, fail, robot, clean, check] = [0, 1, 2, 3, 4].map(|i| ids[i].clone());
    app.post(
        &format!("/donations/{donation}/assign"),
        &staff,
        json!({ "workshop_id": workshop }),
    )
    .await
    .assert_status(200);
    let drive = |body: &Value, i: usize| body[i]["id"].as_str().expect("drive").to_string();
    let drives = app.get(&format!("/devices/{two}/drives"), &tech).await;
    app.post(
        &format!("/devices/{two}/wipes"),
        &tech,
        wipe_body(Some(&drive(&drives.body, 0)), "passed"),
    )
    .await
    .assert_status(201);
    let drives = app.get(&format!("/devices/{fail}/drives"), &tech).await;
    app.post(
        &format!("/devices/{fail}/wipes"),
        &tech,
        wipe_body(Some(&drive(&drives.body, 0)), "failed"),
    )
    .await
    .assert_status(201);
    pass_wipes(&app, &tech, &clean).await;
    pass_wipes(&app, &tech, &check).await;
    app.post(&format!("/devices/{check}/actions/wipe"), &tech, json!({}))
        .await
        .assert_status(200);
    app.post(
        &format!("/devices/{check}/refurbishments"),
        &tech,
        refurbishment_body(false, "C"),
    )
    .await
    .assert_status(201);

    let q = app.get("/workshop/queue", &tech).await;
    q.assert_status(200);
    let list = |name: &str| -> Vec<(String, String)> {
        q.body[name]
            .as_array()
            .expect("list")
            .iter()
            .map(|e| {
                (
                    e["device_id"].as_str().expect("id").to_string(),
                    e["reason"].as_str().expect("reason").to_string(),
                )
            })
            .collect()
    };
    let waiting = list("waiting_for_wipe");
    let ids_of = |l: &[(String, String)]| l.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids_of(&waiting),
        vec![two.clone(), clean.clone()],
        "{}",
        q.body
    );
    assert!(
        waiting[0].1.contains("nvme") && waiting[0].1.contains("no wipe"),
        "{}",
        waiting[0].1
    );
    assert_eq!(waiting[1].1, "all storage wiped; ready for the wipe step");
    let refurb = list("waiting_for_refurbishment");
    assert_eq!(ids_of(&refurb), vec![robot.clone()], "{}", q.body);
    assert_eq!(refurb[0].1, "no storage to wipe; needs a check");
    let failed = list("failed");
    assert_eq!(
        ids_of(&failed),
        vec![fail.clone(), check.clone()],
        "{}",
        q.body
    );
    assert!(
        failed[0].1.contains("failed") && failed[0].1.contains("ssd"),
        "{}",
        failed[0].1
    );
    assert_eq!(
        failed[1].1,
        "the latest refurbishment check failed: repair or retire"
    );
    // The batch counts as wiped only the devices whose every drive (or built-in storage) has a
    // passed wipe: the tablet and the checked laptop; not the desktop with one drive of two,
    // the failed wipe, nor the robot without any wipe.
    let r = app.get("/workshop/batches", &tech).await;
    r.assert_status(200);
    assert_eq!(
        (&r.body[0]["devices"], &r.body[0]["wiped"]),
        (&json!(5), &json!(2)),
        "{}",
        r.body
    );
}
dual_test!(the_queue_says_why_each_device_waits);

async fn wipe_records_are_validated(b: Backend) {
    let app = spawn_app(b).await;
    let t = app.admin_token.clone();
    let (workshop, tech) = app.user_in_new_org("refurbisher", "workshop").await;
    let donation = app.create_donation(&t).await;
    let id = app.register_devices(&t, &donation, "tablet", 1).await[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    app.post(
        &format!("/devices/{id}/assign"),
        &t,
        json!({ "workshop_id": workshop }),
    )
    .await
    .assert_status(200);
    let drive = app.get(&format!("/devices/{id}/drives"), &tech).await.body[0]["id"]
        .as_str()
        .expect("d")
        .to_string();
    let before = app.row_counts();
    let mut body = wipe_body(Some(&drive), "passed");
    body["ended_at"] = json!("2026-11-20T08:00:00Z");
    body["report_sha256"] = json!("xyz");
    body["verification_method"] = json!("none");
    let r = app.post(&format!("/devices/{id}/wipes"), &tech, body).await;
    r.assert_problem(422);
    assert_eq!(
        r.error_fields(),
        vec!["ended_at", "verification_method", "report_sha256"]
    );
    let mut body = wipe_body(Some(&drive), "maybe");
    body["tool"] = json!("x");
    app.post(&format!("/devices/{id}/wipes"), &tech, body)
        .await
        .assert_problem(400);
    let mut body = wipe_body(Some("5a1c1f9e-0000-4000-8000-000000000000"), "passed");
    body["tool"] = json!("");
    let r = app.post(&format!("/devices/{id}/wipes"), &tech, body).await;
    assert_eq!(r.error_fields(), vec!["tool", "drive_id"]);
    let r = app
        .post(
            &format!("/devices/{id}/refurbishments"),
            &tech,
            json!({ "checks": {}, "cosmetic_grade": "Z" }),
        )
        .await;
    r.assert_problem(400);
    let mut body = refurbishment_body(true, "A");
    body["battery_health_pct"] = json!(140);
    let r = app
        .post(&format!("/devices/{id}/refurbishments"), &tech, body)
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["battery_health_pct"]);
    assert_eq!(app.row_counts(), before);
    // Lending staff record no wipes.
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    app.post(
        &format!("/devices/{id}/wipes"),
        &staff,
        wipe_body(Some(&drive), "passed"),
    )
    .await
    .assert_problem(403);
}
dual_test!(wipe_records_are_validated);
