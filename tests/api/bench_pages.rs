//! The workshop bench's pages through HTTP, as a browser without JavaScript uses them: a
//! signed-in refurbisher opens a device by its label URL and takes it to `ready` in three
//! form posts; refusals come back in the person's language with the typed values; batch mode;
//! another workshop's person gets the public page; CSRF is checked.

use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, Backend, TestApp};
use crate::web_client::Browser;

const PASSWORD: &str = "de fiets staat achter het stadhuis";

fn s(v: &Value) -> String {
    v.as_str().expect("string").to_string()
}

/// A refurbisher of `workshop` with an e-mail address, signed in through their invitation.
async fn signed_in<'a>(app: &'a TestApp, workshop: &str, name: &str) -> Browser<'a> {
    let r = app
        .post(
            "/users",
            &app.admin_token,
            json!({ "organisation_id": workshop, "name": name, "role": "refurbisher",
                    "email": format!("{}@werkplaats.example.be", name.to_lowercase()) }),
        )
        .await;
    r.assert_status(201);
    let id = s(&r.body["id"]);
    let link = app
        .post(
            &format!("/users/{id}/invitation"),
            &app.admin_token,
            json!({}),
        )
        .await;
    link.assert_status(201);
    let path = s(&link.body["url"]).replace("https://uitleen.example.be", "");
    let mut b = Browser::new(app);
    b.post(&path, &[("password", PASSWORD)]).await;
    assert!(
        b.cookies.contains_key("dl_session"),
        "signed in by the link"
    );
    b
}

/// A workshop and `n` single-drive laptops assigned to it: (workshop id, tags, device ids).
async fn batch(app: &TestApp, n: usize) -> (String, Vec<String>, Vec<String>) {
    let org = app
        .create_org(
            &format!("Werkplaats {}", uuid::Uuid::new_v4().simple()),
            "workshop",
        )
        .await;
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
    (
        org,
        devices.iter().map(|d| s(&d["asset_tag"])).collect(),
        devices.iter().map(|d| s(&d["id"])).collect(),
    )
}

async fn status(app: &TestApp, id: &str) -> String {
    s(&app
        .get(&format!("/devices/{id}"), &app.admin_token)
        .await
        .body["status"])
}

async fn drive_of(app: &TestApp, id: &str) -> String {
    let r = app
        .get(&format!("/devices/{id}/drives"), &app.admin_token)
        .await;
    s(&r.body[0]["id"])
}

async fn a_laptop_goes_from_received_to_ready_in_three_posts(b: Backend) {
    let app = spawn_app(b).await;
    let (org, tags, ids) = batch(&app, 1).await;
    let mut web = signed_in(&app, &org, "Samira").await;
    let (tag, id) = (&tags[0], &ids[0]);
    let drive = drive_of(&app, id).await;
    // The label's URL opens the device page for the signed-in refurbisher.
    let page = web.get(&format!("/d/{tag}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page
        .body
        .contains(&format!("action=\"/workshop/devices/{tag}/wipe\"")));
    assert!(page.body.contains("Binnengekomen"), "status in Dutch");
    let csrf = page.csrf();
    let mut posts = 0;
    // 1: the wipe, which performs the wipe step.
    let method = format!("method-{drive}");
    let outcome = format!("outcome-{drive}");
    let r = web
        .post(
            &format!("/workshop/devices/{tag}/wipe"),
            &[
                ("csrf", &csrf),
                (&method, "purge/crypto_erase"),
                (&outcome, "passed"),
                ("tool", "nwipe"),
                ("tool_version", "0.36"),
                ("passes", "1"),
                ("verification", "full"),
            ],
        )
        .await;
    posts += 1;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("/d/{tag}?done=wipe"));
    assert_eq!(status(&app, id).await, "wiped");
    // 2: the check, which performs the refurbish step.
    let page = web.get(&r.location()).await;
    assert!(page.body.contains("De wis is opgeslagen"), "{}", page.body);
    let mut form: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("battery_health_pct", "84"),
        ("cosmetic_grade", "B"),
        ("functional_pass", "yes"),
    ];
    for c in [
        "check-boots",
        "check-screen",
        "check-keyboard",
        "check-touchpad",
        "check-ports",
        "check-wifi",
        "check-charger_present",
    ] {
        form.push((c, "yes"));
    }
    let r = web
        .post(&format!("/workshop/devices/{tag}/refurbish"), &form)
        .await;
    posts += 1;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(status(&app, id).await, "refurbished");
    // 3: the release.
    let r = web
        .post(
            &format!("/workshop/devices/{tag}/step"),
            &[("csrf", &csrf), ("action", "release")],
        )
        .await;
    posts += 1;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(status(&app, id).await, "ready");
    assert!(posts <= 4);
    let page = web.get(&r.location()).await;
    assert!(page.body.contains("Klaar om uit te lenen"), "{}", page.body);
    // The history shows every step; JSON clients still get the API's landing.
    assert!(page.body.contains("Wis genoteerd"));
    let json = app
        .client
        .get(app.url(&format!("/d/{tag}")))
        .header("accept", "application/json")
        .header("cookie", web.cookie_header())
        .send()
        .await
        .expect("sent");
    let landing: Value = json.json().await.expect("json");
    assert_eq!(landing["asset_tag"], tag.as_str());
}
dual_test!(a_laptop_goes_from_received_to_ready_in_three_posts);

async fn a_refusal_is_explained_in_dutch_and_the_form_comes_back_filled_in(b: Backend) {
    let app = spawn_app(b).await;
    let (org, tags, ids) = batch(&app, 1).await;
    let mut web = signed_in(&app, &org, "Jonas").await;
    let (tag, id) = (&tags[0], &ids[0]);
    let csrf = web.get(&format!("/d/{tag}")).await.csrf();
    let before = app.row_counts();
    // A check of a laptop that was never wiped: refused, nothing recorded.
    let r = web
        .post(
            &format!("/workshop/devices/{tag}/refurbish"),
            &[
                ("csrf", &csrf),
                ("battery_health_pct", "77"),
                ("cosmetic_grade", "C"),
                ("functional_pass", "yes"),
                ("os_installed", "Linux Mint"),
                ("check-boots", "yes"),
                ("check-screen", "yes"),
                ("check-keyboard", "yes"),
                ("check-touchpad", "yes"),
                ("check-ports", "yes"),
                ("check-wifi", "yes"),
                ("check-charger_present", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body
            .contains("Dit toestel bewaart gegevens. Het moet eerst gewist worden."),
        "{}",
        r.body
    );
    assert!(r.body.contains("Noteer eerst een geslaagde wis."));
    assert!(
        r.body.contains("value=\"Linux Mint\""),
        "typed values come back"
    );
    assert!(r.body.contains("value=\"77\""));
    assert_eq!(app.row_counts(), before);
    // A wipe without its tool: the field is named, the other values stay.
    let drive = drive_of(&app, id).await;
    let method = format!("method-{drive}");
    let outcome = format!("outcome-{drive}");
    let r = web
        .post(
            &format!("/workshop/devices/{tag}/wipe"),
            &[
                ("csrf", &csrf),
                (&method, "clear/overwrite"),
                (&outcome, "passed"),
                ("tool", ""),
                ("tool_version", "4.2-beta"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"f-tool-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"4.2-beta\""));
    assert!(
        r.body.contains(&format!("id=\"f-{outcome}\" checked")),
        "the outcome chosen stays chosen"
    );
    // A step the table does not allow.
    let r = web
        .post(
            &format!("/workshop/devices/{tag}/step"),
            &[("csrf", &csrf), ("action", "release")],
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Deze stap kan nu niet voor dit toestel."));
    assert_eq!(status(&app, id).await, "received");
    // Without the CSRF token nothing happens.
    let r = web
        .post(
            &format!("/workshop/devices/{tag}/step"),
            &[("action", "wipe")],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = web
        .post("/workshop/scan", &[("tag", tag), ("mode", "release")])
        .await;
    assert_eq!(r.status, 403);
}
dual_test!(a_refusal_is_explained_in_dutch_and_the_form_comes_back_filled_in);

async fn another_workshop_gets_the_public_page_and_cannot_post(b: Backend) {
    let app = spawn_app(b).await;
    let (_, tags, ids) = batch(&app, 1).await;
    let (other_org, _, _) = batch(&app, 1).await;
    let mut other = signed_in(&app, &other_org, "Ines").await;
    let tag = &tags[0];
    let page = other.get(&format!("/d/{tag}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("/workshop/devices/"), "{}", page.body);
    // The public page has no session form, so take the token from the workshop's page.
    let csrf = other.get("/workshop").await.csrf();
    let r = other
        .post(
            &format!("/workshop/devices/{tag}/step"),
            &[("csrf", &csrf), ("action", "wipe")],
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = other
        .post(
            "/workshop/scan",
            &[("csrf", &csrf), ("tag", tag), ("mode", "release")],
        )
        .await;
    assert!(r.body.contains("Dit toestel bestaat niet"), "{}", r.body);
    assert_eq!(status(&app, &ids[0]).await, "received");
    // Nobody signed in: the public landing.
    let mut anonymous = Browser::new(&app);
    let page = anonymous.get(&format!("/d/{tag}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("/workshop/devices/"));
}
dual_test!(another_workshop_gets_the_public_page_and_cannot_post);

async fn batch_mode_applies_one_result_to_each_scan(b: Backend) {
    let app = spawn_app(b).await;
    let (org, tags, ids) = batch(&app, 4).await;
    let mut web = signed_in(&app, &org, "Lotte").await;
    let page = web.get("/workshop/scan").await;
    assert_eq!(page.status, 200);
    let csrf = page.csrf();
    let settings = [
        ("mode", "wipe"),
        ("method", "purge/crypto_erase"),
        ("tool", "nwipe"),
        ("tool_version", "0.36"),
        ("verification", "full"),
        ("drive_type", "ssd"),
        ("outcome", "passed"),
        ("cosmetic_grade", "B"),
        ("functional_pass", "yes"),
        ("battery_health_pct", "80"),
    ];
    // The first by its tag, the others by their label's URL, as a scanner types them.
    for (i, tag) in tags.iter().take(3).enumerate() {
        let scanned = if i == 0 {
            tag.clone()
        } else {
            format!("https://uitleen.example.be/d/{tag}")
        };
        let mut form: Vec<(&str, &str)> = settings.to_vec();
        form.push(("csrf", &csrf));
        form.push(("tag", &scanned));
        let r = web.post("/workshop/scan", &form).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains(&format!("✓ {tag}")), "{}", r.body);
        assert!(r.body.contains("data-beep=\"ok\""));
    }
    for id in ids.iter().take(3) {
        assert_eq!(status(&app, id).await, "wiped");
    }
    // From a device's page (the phone's camera opened its label): only the tag is sent, the
    // running batch's settings apply.
    let r = web
        .post("/workshop/scan", &[("csrf", &csrf), ("tag", &tags[3])])
        .await;
    assert!(r.body.contains(&format!("✓ {}", tags[3])), "{}", r.body);
    assert_eq!(status(&app, &ids[3]).await, "wiped");
    // Release is refused for a wiped device: said at once, the settings kept.
    let mut form: Vec<(&str, &str)> = settings.to_vec();
    form.retain(|(k, _)| *k != "mode");
    form.push(("mode", "release"));
    form.push(("csrf", &csrf));
    form.push(("tag", &tags[1]));
    let r = web.post("/workshop/scan", &form).await;
    assert!(r.body.contains(&format!("✗ {}", tags[1])), "{}", r.body);
    assert!(r.body.contains("data-beep=\"error\""));
    assert!(r.body.contains("Deze stap kan nu niet voor dit toestel."));
    assert!(r.body.contains("value=\"nwipe\""), "settings kept");
    // The workshop's page lists the batch's progress.
    let home = web.get("/workshop").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("4 van 4 gewist"), "{}", home.body);
    assert!(home.body.contains("/certificate.pdf"));
}
dual_test!(batch_mode_applies_one_result_to_each_scan);

/// A workshop with more waiting than a phone's page can hold: the page shows the oldest
/// twelve of each list, says so and links to the whole queue, which holds every device.
async fn a_long_queue_shows_the_oldest_and_links_to_all(b: Backend) {
    let app = spawn_app(b).await;
    let (org, tags, _) = batch(&app, 25).await;
    let mut web = signed_in(&app, &org, "Wout").await;
    let page = web.get("/workshop").await;
    assert_eq!(page.status, 200);
    let shown: Vec<&String> = tags
        .iter()
        .filter(|t| page.body.contains(&format!("/d/{t}\"")))
        .collect();
    assert_eq!(shown.len(), 12, "{}", page.body);
    // Registered in one go, they are equally old: the queue then follows the tags' order.
    assert_eq!(shown, tags.iter().take(12).collect::<Vec<_>>());
    assert!(
        page.body.contains("de 12 oudste van elke lijst"),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"/workshop?all=1\""));
    let all = web.get("/workshop?all=1").await;
    assert_eq!(all.status, 200);
    for t in &tags {
        assert!(all.body.contains(&format!("/d/{t}\"")), "{t} missing");
    }
    assert!(!all.body.contains("oudste van elke lijst"));
    // The API gives the whole queue as before.
    let api = app
        .get(
            &format!("/workshop/queue?workshop_id={org}"),
            &app.admin_token,
        )
        .await;
    api.assert_status(200);
    assert_eq!(
        api.body["waiting_for_wipe"].as_array().map(Vec::len),
        Some(25),
        "{}",
        api.body
    );
}
dual_test!(a_long_queue_shows_the_oldest_and_links_to_all);
