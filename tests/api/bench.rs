//! What the workshop bench needs from the domain: the wipe tool's report stored and served,
//! a workshop's batches with their progress, and refusals with stable codes.

use reqwest::Method;
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, Backend, TestApp};
use crate::refurbishment::{make_ready, pass_wipes, wipe_body};

fn s(v: &Value) -> String {
    v.as_str().expect("string").to_string()
}

/// A workshop with a refurbisher, and a donation of `n` single-drive laptops assigned to it:
/// (workshop id, refurbisher token, donation id, device ids).
async fn workshop_with_batch(app: &TestApp, n: usize) -> (String, String, String, Vec<String>) {
    let (org, token) = app.user_in_new_org("refurbisher", "workshop").await;
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", n)
        .await;
    app.post(
        &format!("/donations/{donation}/assign"),
        &app.admin_token,
        json!({ "workshop_id": org }),
    )
    .await
    .assert_status(200);
    let ids = devices.iter().map(|d| s(&d["id"])).collect();
    (org, token, donation, ids)
}

/// Records a passed wipe of the device's only drive with `report_sha256` as given (or none).
async fn wipe(app: &TestApp, token: &str, device: &str, sha: Option<&str>) -> String {
    let mut body = wipe_body(None, "passed");
    body.as_object_mut().map(|o| o.remove("drive_type"));
    body["report_sha256"] = sha.map_or(Value::Null, |h| json!(h));
    body["report_file_name"] = Value::Null;
    let r = app
        .post(&format!("/devices/{device}/wipes"), token, body)
        .await;
    r.assert_status(201);
    s(&r.body["id"])
}

async fn the_wipe_report_is_stored_with_its_hash_and_served_as_an_attachment(b: Backend) {
    let app = spawn_app(b).await;
    let (_, t, _, ids) = workshop_with_batch(&app, 1).await;
    let device = &ids[0];
    let w = wipe(&app, &t, device, None).await;
    let log = "nwipe 0.36: /dev/sda ERASED, 1 pass, verified\n"
        .as_bytes()
        .to_vec();
    let path = format!("/devices/{device}/wipes/{w}/report");
    let r = app
        .send_raw(
            Method::POST,
            &format!("{path}?file_name=..%2Flogs%2Fnwipe.log"),
            Some(&t),
            "text/plain; charset=utf-8",
            log.clone(),
        )
        .await;
    r.assert_status(201);
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(&log));
    assert_eq!(r.body["sha256"], sha.as_str());
    assert_eq!(r.body["file_name"], "nwipe.log");
    assert_eq!(r.body["size_bytes"], log.len());
    // The wipe record now names it.
    let wipes = app.get(&format!("/devices/{device}/wipes"), &t).await;
    assert_eq!(wipes.body[0]["report_sha256"], sha.as_str());
    assert_eq!(wipes.body[0]["report_file_name"], "nwipe.log");
    // Served back byte for byte, as an attachment, never sniffed.
    let res = app.get_raw(&path, &t).await;
    assert_eq!(res.status().as_u16(), 200);
    let h = res.headers().clone();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-disposition"]
        .to_str()
        .expect("ascii")
        .starts_with("attachment; filename=\"nwipe.log\""));
    assert_eq!(h["content-type"], "text/plain");
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(res.bytes().await.expect("body").to_vec(), log);
    // Evidence is never replaced.
    let again = app
        .send_raw(
            Method::POST,
            &path,
            Some(&t),
            "text/plain",
            b"other".to_vec(),
        )
        .await;
    again.assert_problem(409);
    assert_eq!(again.body["code"], "report_already_attached");
    // The admin (who reads every device) gets it too; an unknown wipe is a 404.
    assert_eq!(app.get_raw(&path, &app.admin_token).await.status(), 200);
    let unknown = format!("/devices/{device}/wipes/{}/report", uuid::Uuid::new_v4());
    app.get(&unknown, &t).await.assert_problem(404);
}
dual_test!(the_wipe_report_is_stored_with_its_hash_and_served_as_an_attachment);

async fn a_report_must_match_its_type_its_recorded_hash_and_the_size_cap(b: Backend) {
    let app = spawn_app(b).await;
    let (_, t, _, ids) = workshop_with_batch(&app, 1).await;
    let device = &ids[0];
    // SHA-256 of "test".
    let recorded = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let w = wipe(&app, &t, device, Some(recorded)).await;
    let path = format!("/devices/{device}/wipes/{w}/report");
    let before = app.row_counts();
    let send = |ct: &'static str, body: Vec<u8>| {
        let app = &app;
        let path = path.clone();
        let t = t.clone();
        async move { app.send_raw(Method::POST, &path, Some(&t), ct, body).await }
    };
    // Not an accepted type at all.
    send("text/html", b"<script>".to_vec())
        .await
        .assert_problem(415);
    // Says PDF, is not.
    let r = send("application/pdf", b"test".to_vec()).await;
    r.assert_problem(422);
    assert_eq!(r.body["errors"][0]["code"], "report_unreadable");
    // Another file than the one the wipe was recorded with.
    let r = send("text/plain", b"not the report".to_vec()).await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), ["body"]);
    assert_eq!(r.body["errors"][0]["code"], "report_mismatch");
    // Larger than 5 MB.
    let big = vec![b'a'; 5 * 1024 * 1024 + 1];
    send("text/plain", big).await.assert_problem(413);
    assert_eq!(app.row_counts(), before);
    // The right file.
    send("text/plain", b"test".to_vec())
        .await
        .assert_status(201);
}
dual_test!(a_report_must_match_its_type_its_recorded_hash_and_the_size_cap);

async fn another_workshop_neither_attaches_nor_reads_a_report(b: Backend) {
    let app = spawn_app(b).await;
    let (_, t, _, ids) = workshop_with_batch(&app, 1).await;
    let (_, other) = app.user_in_new_org("refurbisher", "workshop").await;
    let (_, requester) = app.user_in_new_org("requester", "school").await;
    let device = &ids[0];
    let w = wipe(&app, &t, device, None).await;
    let path = format!("/devices/{device}/wipes/{w}/report");
    let r = app
        .send_raw(
            Method::POST,
            &path,
            Some(&other),
            "text/plain",
            b"x".to_vec(),
        )
        .await;
    r.assert_problem(404);
    app.send_raw(Method::POST, &path, Some(&t), "text/plain", b"x".to_vec())
        .await
        .assert_status(201);
    app.get(&path, &other).await.assert_problem(404);
    app.get(&path, &requester).await.assert_problem(403);
}
dual_test!(another_workshop_neither_attaches_nor_reads_a_report);

async fn a_workshop_sees_its_batches_with_their_progress(b: Backend) {
    let app = spawn_app(b).await;
    let (org, t, donation, ids) = workshop_with_batch(&app, 4).await;
    // Another workshop's batch is not listed.
    let (_, other, _, _) = workshop_with_batch(&app, 2).await;
    // One ready, one wiped (the action done), one with its wipe recorded only, one untouched.
    make_ready(&app, &t, &ids[0]).await;
    pass_wipes(&app, &t, &ids[1]).await;
    app.post(&format!("/devices/{}/actions/wipe", ids[1]), &t, json!({}))
        .await
        .assert_status(200);
    pass_wipes(&app, &t, &ids[2]).await;
    let r = app.get("/workshop/batches", &t).await;
    r.assert_status(200);
    let list = r.body.as_array().expect("list");
    assert_eq!(list.len(), 1, "{}", r.body);
    let batch = &list[0];
    assert_eq!(batch["donation_id"], donation.as_str());
    assert_eq!(batch["donor_name"], "Bakkerij Janssens");
    assert_eq!(
        (
            &batch["devices"],
            &batch["wiped"],
            &batch["refurbished"],
            &batch["ready"]
        ),
        (&json!(4), &json!(3), &json!(1), &json!(1))
    );
    assert_eq!(batch["certificate_available"], false);
    pass_wipes(&app, &t, &ids[3]).await;
    let r = app.get("/workshop/batches", &t).await;
    assert_eq!(r.body[0]["wiped"], 4);
    assert_eq!(r.body[0]["certificate_available"], true);
    app.get(&format!("/donations/{donation}/certificate.pdf"), &t)
        .await
        .assert_status(200);
    // The other workshop sees its own; the admin names the workshop.
    let r = app.get("/workshop/batches", &other).await;
    assert_eq!(r.body[0]["devices"], 2);
    let r = app
        .get(
            &format!("/workshop/batches?workshop_id={org}"),
            &app.admin_token,
        )
        .await;
    assert_eq!(r.body[0]["donation_id"], donation.as_str());
    app.get("/workshop/batches", &app.admin_token)
        .await
        .assert_problem(422);
}
dual_test!(a_workshop_sees_its_batches_with_their_progress);

async fn bench_refusals_carry_stable_codes(b: Backend) {
    let app = spawn_app(b).await;
    let (_, t, _, ids) = workshop_with_batch(&app, 1).await;
    let device = &ids[0];
    let act = |action: &'static str| {
        let app = &app;
        let t = t.clone();
        let device = device.clone();
        async move {
            app.post(
                &format!("/devices/{device}/actions/{action}"),
                &t,
                json!({}),
            )
            .await
        }
    };
    // Not allowed from received by the table.
    let r = act("release").await;
    r.assert_problem(409);
    assert_eq!(r.body["code"], "action_not_allowed");
    assert_eq!(r.body["current_status"], "received");
    // The wipe step before any wipe record.
    let r = act("wipe").await;
    r.assert_problem(409);
    assert_eq!(r.body["code"], "storage_not_wiped");
    assert!(r.body["reasons"].is_array());
    // Refurbishing straight away skips the wipe of a laptop.
    let r = act("refurbish").await;
    assert_eq!(r.body["code"], "wipe_first");
    // Wipe rules name their field and code.
    let mut body = wipe_body(None, "passed");
    body.as_object_mut().map(|o| o.remove("drive_type"));
    body["technique"] = json!("overwrite");
    body["category"] = json!("destroy");
    body["verified"] = json!(false);
    let r = app
        .post(&format!("/devices/{device}/wipes"), &t, body)
        .await;
    r.assert_problem(422);
    let codes: Vec<(String, String)> = r.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (s(&e["field"]), s(&e["code"])))
        .collect();
    assert_eq!(
        codes,
        [
            (
                "category".to_string(),
                "category_not_for_technique".to_string()
            ),
            (
                "verification_method".to_string(),
                "verification_mismatch".to_string()
            ),
        ]
    );
    // A refurbishment of a laptop without its checks.
    pass_wipes(&app, &t, device).await;
    act("wipe").await.assert_status(200);
    let r = app
        .post(
            &format!("/devices/{device}/refurbishments"),
            &t,
            json!({ "checks": { "boots": true }, "cosmetic_grade": "A", "functional_pass": true, "minutes_spent": 5 }),
        )
        .await;
    r.assert_problem(422);
    assert!(r.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .all(
            |e| ["check_required", "battery_required"].contains(&e["code"].as_str().unwrap_or(""))
        ));
    let r = act("refurbish").await;
    assert_eq!(r.body["code"], "refurbishment_missing");
}
dual_test!(bench_refusals_carry_stable_codes);
