//! The workshop bench in a real browser at phone size (issue 13's "Done when"): an invited
//! refurbisher signs in, opens a device by its label URL, takes it to `ready`, handles a batch
//! of ten by scanning, sees refusals explained; a person of another workshop cannot see those
//! devices; axe-core is clean on every page visited.

use serde_json::json;

use crate::checks::page_is_fit;
use crate::dual_test;
use crate::helpers::{spawn_app_with, Backend};
use crate::people::{accept_invitation, invite_into};
use crate::webdriver::{keys, Screen, Session};

fn s(v: &serde_json::Value) -> String {
    v.as_str().expect("string").to_string()
}

/// Submits the main form whose action ends with `action` and waits for the page after it.
async fn submit(session: &Session, action: &str) {
    session
        .execute("document.body.dataset.before = 'yes'; return null", vec![])
        .await;
    session
        .find(&format!("form[action$='{action}'] button[type=submit]"))
        .await
        .click()
        .await;
    session
        .wait_until(
            "the page after the form",
            "return document.readyState === 'complete' && document.body \
             && !document.body.dataset.before ? 1 : null",
        )
        .await;
}

async fn the_bench_on_a_phone(b: Backend) {
    let app = spawn_app_with(b, |c| c.public_base_url = "http://127.0.0.1".into()).await;
    let workshop = app.create_org("Werkplaats De Sleutel", "workshop").await;
    let other = app.create_org("Werkplaats Elders", "workshop").await;
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", 11)
        .await;
    app.post(
        &format!("/donations/{donation}/assign"),
        &app.admin_token,
        json!({ "workshop_id": workshop }),
    )
    .await
    .assert_status(200);
    let tags: Vec<String> = devices.iter().map(|d| s(&d["asset_tag"])).collect();

    let phone = Session::start(Screen::Phone).await;
    let samira = invite_into(&app, &workshop, "Samira", "refurbisher").await;
    accept_invitation(&phone, &app, &samira).await;

    // The label's URL: the device page, with the wipe form.
    let first = &tags[0];
    phone.goto(&app.url(&format!("/d/{first}"))).await;
    assert_eq!(phone.find("h1").await.text().await, *first);
    page_is_fit(&phone, "bench-device-received").await;
    // Refused: no tool named. The reason is said, what was typed stays.
    phone.find("#f-tool_version").await.send_keys("0.36").await;
    submit(&phone, "/wipe").await;
    let text = phone.page_text().await;
    assert!(text.contains("Dit is niet goed ingevuld"), "{text}");
    assert_eq!(phone.find("#f-tool_version").await.value().await, "0.36");
    page_is_fit(&phone, "bench-device-refused").await;
    phone.find("#f-tool").await.send_keys("nwipe").await;
    submit(&phone, "/wipe").await;
    assert!(phone.page_text().await.contains("De wis is opgeslagen"));
    page_is_fit(&phone, "bench-device-wiped").await;
    // The check: every box is ticked already; battery, grade and result.
    phone
        .find("#f-battery_health_pct")
        .await
        .send_keys("84")
        .await;
    phone
        .find("label[for='f-cosmetic_grade-B']")
        .await
        .click()
        .await;
    phone
        .find("label[for='f-functional_pass']")
        .await
        .click()
        .await;
    submit(&phone, "/refurbish").await;
    page_is_fit(&phone, "bench-device-refurbished").await;
    submit(&phone, "/step").await;
    let text = phone.page_text().await;
    assert!(
        text.contains("Het toestel is klaar om uit te lenen."),
        "{text}"
    );
    let r = app
        .get(&format!("/devices/by-tag/{first}"), &app.admin_token)
        .await;
    assert_eq!(r.body["status"], "ready");
    page_is_fit(&phone, "bench-device-ready").await;

    // Batch mode: ten scans, each answered at once; the field keeps the focus.
    phone.goto(&app.url("/workshop/scan")).await;
    page_is_fit(&phone, "bench-scan").await;
    phone.find("#f-tool").await.send_keys("nwipe").await;
    phone.find("#f-tool_version").await.send_keys("0.36").await;
    for (i, tag) in tags[1..].iter().enumerate() {
        let field = if i == 0 {
            phone.find("#f-tag").await
        } else {
            phone.active_element().await
        };
        assert_eq!(field.attribute("id").await.as_deref(), Some("f-tag"));
        field.send_keys(&format!("{tag}{}", keys::ENTER)).await;
        let script = format!(
            "const n = document.querySelector('[data-beep]'); \
             return document.readyState === 'complete' && n && n.innerText.includes({}) \
             ? n.innerText : null",
            json!(tag)
        );
        let answer = phone
            .wait_until(&format!("the answer for {tag}"), &script)
            .await;
        assert!(s(&answer).contains('✓'), "{answer}");
    }
    // A refusal in batch mode: the ready laptop cannot be wiped on the bench now.
    phone
        .active_element()
        .await
        .send_keys(&format!("{first}{}", keys::ENTER))
        .await;
    let answer = phone
        .wait_until(
            "the refusal",
            &format!(
                "const n = document.querySelector('[data-beep=error]'); \
                 return document.readyState === 'complete' && n && n.innerText.includes({}) \
                 ? n.innerText : null",
                json!(first)
            ),
        )
        .await;
    assert!(s(&answer).contains("niet in de werkplaats"), "{answer}");
    page_is_fit(&phone, "bench-scan-list").await;
    for tag in &tags[1..] {
        let r = app
            .get(&format!("/devices/by-tag/{tag}"), &app.admin_token)
            .await;
        assert_eq!(r.body["status"], "wiped", "{tag}");
    }

    // The workshop's page: the queue and the batch's progress.
    phone.goto(&app.url("/workshop")).await;
    let text = phone.page_text().await;
    assert!(text.contains("11 van 11 gewist"), "{text}");
    page_is_fit(&phone, "bench-workshop").await;

    // Someone of another workshop gets the public page, without the bench.
    let elsewhere = Session::start(Screen::Phone).await;
    let ines = invite_into(&app, &other, "Ines", "refurbisher").await;
    accept_invitation(&elsewhere, &app, &ines).await;
    elsewhere.goto(&app.url(&format!("/d/{}", tags[1]))).await;
    assert!(elsewhere
        .try_find("form[action$='/refurbish']")
        .await
        .is_none());
    assert!(elsewhere.page_text().await.contains("Gevonden?"));
    page_is_fit(&elsewhere, "bench-other-workshop").await;
}
dual_test!(the_bench_on_a_phone);
