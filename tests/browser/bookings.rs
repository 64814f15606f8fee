//! Issue 15's "Done when" for the booking pages, in a real browser: a school contact on a
//! phone books 12 tablets and 3 robots for next month and sees a shortage before sending; the
//! lending staff at a desktop confirm it, print the pick list, hand out by scanning (one
//! substitute of the same kind), take back with one tablet missing and one damaged, and reset
//! the rest in one go; another school sees none of it; an organisation past its yearly
//! guideline is asked for a motivation. axe-core is clean on every page visited.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{json, Value};

use crate::checks::page_is_fit;
use crate::dual_test;
use crate::helpers::{spawn_app_with, today, Backend, TestApp};
use crate::people::{invite, invite_into, signed_in};
use crate::webdriver::{keys, Screen, Session};

fn s(v: &Value) -> String {
    v.as_str().expect("string").to_string()
}

/// `n` pool devices of `kind` taken to `ready` through the records a workshop keeps.
async fn pool(app: &TestApp, kind: &str, n: usize) -> Vec<(String, String)> {
    let donation = app.create_donation(&app.admin_token).await;
    let items: Vec<Value> = (0..n)
        .map(|i| {
            json!({ "kind": kind, "brand": "Acme", "model": format!("{kind} model"),
                    "in_pool": true, "shelf_location": format!("Kast {}", i % 3 + 1) })
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
    let token = app.admin_token.clone();
    let mut out = Vec::new();
    for d in r.body["devices"].as_array().expect("devices") {
        let id = s(&d["id"]);
        let now = chrono::Utc::now().to_rfc3339();
        app.post(
            &format!("/devices/{id}/wipes"),
            &token,
            json!({ "category": "purge", "technique": "crypto_erase", "tool": "nwipe",
                    "tool_version": "0.36", "passes": 1, "verified": true,
                    "verification_method": "full", "verified_by": "Jan", "outcome": "passed",
                    "started_at": now, "ended_at": now, "drive_type": "emmc" }),
        )
        .await
        .assert_status(201);
        app.post(&format!("/devices/{id}/actions/wipe"), &token, json!({}))
            .await
            .assert_status(200);
        app.post(
            &format!("/devices/{id}/refurbishments"),
            &token,
            json!({ "checks": { "boots": true, "screen": true, "keyboard": true, "touchpad": true,
                                "ports": true, "camera": true, "wifi": true,
                                "charger_present": true, "works": true },
                    "battery_health_pct": 84, "cosmetic_grade": "B", "functional_pass": true,
                    "minutes_spent": 10 }),
        )
        .await
        .assert_status(201);
        for action in ["refurbish", "release"] {
            app.post(
                &format!("/devices/{id}/actions/{action}"),
                &token,
                json!({}),
            )
            .await
            .assert_status(200);
        }
        out.push((id, s(&d["asset_tag"])));
    }
    out
}

/// Clicks `css` and waits for the next page to be loaded.
async fn click_and_wait(session: &Session, css: &str) {
    session
        .execute("document.body.dataset.before = 'yes'; return null", vec![])
        .await;
    session.find(css).await.click().await;
    session
        .wait_until(
            &format!("the page after {css}"),
            "return document.readyState === 'complete' && document.body \
             && !document.body.dataset.before ? 1 : null",
        )
        .await;
}

/// Sets a field's value (a date field is typed differently in every locale).
async fn set(session: &Session, id: &str, value: &str) {
    session
        .execute(
            "document.getElementById(arguments[0]).value = arguments[1]; return null",
            vec![json!(id), json!(value)],
        )
        .await;
}

/// Scans `tag` into the desk's field (it has the focus) and returns the answer at the top.
async fn scan(session: &Session, tag: &str) -> String {
    let field = session.active_element().await;
    assert_eq!(field.attribute("id").await.as_deref(), Some("f-tag"));
    field.send_keys(&format!("{tag}{}", keys::ENTER)).await;
    let script = format!(
        "const n = document.querySelector('[data-beep]'); \
         return document.readyState === 'complete' && n && n.innerText.includes({}) \
         ? n.getAttribute('data-beep') + ' ' + n.innerText : null",
        json!(tag)
    );
    s(&session
        .wait_until(&format!("the answer for {tag}"), &script)
        .await)
}

/// The first Monday of next month.
fn next_month_monday() -> NaiveDate {
    let t = today();
    let (y, m) = if t.month() == 12 {
        (t.year() + 1, 1)
    } else {
        (t.year(), t.month() + 1)
    };
    let first = NaiveDate::from_ymd_opt(y, m, 1).expect("date");
    let d = first + Duration::days((7 - first.weekday().num_days_from_monday() as i64) % 7);
    // At least the week of notice the service asks for.
    if d < t + Duration::days(8) {
        d + Duration::days(7)
    } else {
        d
    }
}

async fn tag_status(app: &TestApp, tag: &str) -> String {
    s(&app
        .get(&format!("/devices/by-tag/{tag}"), &app.admin_token)
        .await
        .body["status"])
}

async fn a_school_books_and_the_desk_hands_out_and_takes_back(b: Backend) {
    let app = spawn_app_with(b, |c| c.public_base_url = "http://127.0.0.1".into()).await;
    let tablets = pool(&app, "tablet", 13).await;
    let robots = pool(&app, "robot", 3).await;
    let sarah = invite(&app, "Sarah", "requester", "school").await;
    let tom = invite_into(&app, &app.admin_org, "Tom", "lending_staff").await;

    // The school contact, on a phone: the calendar, then the request with its check.
    let phone = signed_in(Screen::Phone, &app, &sarah).await;
    assert!(phone.page_text().await.contains("Reserveren"));
    phone.goto(&app.url("/reservations")).await;
    page_is_fit(&phone, "book-list-empty").await;
    let pickup = next_month_monday();
    let ret = pickup + Duration::days(4);
    phone
        .goto(&app.url(&format!(
            "/reservations/calendar?from={pickup}&to={}",
            pickup + Duration::days(13)
        )))
        .await;
    let text = phone.page_text().await;
    assert!(text.contains("13 van 13"), "{text}");
    assert!(text.contains("Krap:"), "laptops: none in the pool: {text}");
    page_is_fit(&phone, "book-calendar").await;

    phone.goto(&app.url("/reservations/new")).await;
    page_is_fit(&phone, "book-new").await;
    set(&phone, "f-pickup_on", &pickup.to_string()).await;
    set(&phone, "f-return_on", &ret.to_string()).await;
    phone.find("#f-qty_tablet").await.send_keys("15").await;
    phone.find("#f-qty_robot").await.send_keys("3").await;
    phone
        .find("#f-purpose")
        .await
        .send_keys("Programmeerweek vijfde leerjaar")
        .await;
    click_and_wait(&phone, "button[name=step][value=check]").await;
    let text = phone.page_text().await;
    assert!(text.contains("Er is niet genoeg vrij"), "{text}");
    assert!(text.contains("maar 13 vrij, er ontbreken er 2"), "{text}");
    page_is_fit(&phone, "book-check-short").await;
    assert_eq!(phone.find("#f-qty_robot").await.value().await, "3");
    let qty = phone.find("#f-qty_tablet").await;
    qty.clear().await;
    qty.send_keys("12").await;
    click_and_wait(&phone, "button[name=step][value=check]").await;
    assert!(phone.page_text().await.contains("Alles is vrij"));
    page_is_fit(&phone, "book-check-ok").await;
    click_and_wait(&phone, "button[name=step][value=send]").await;
    let text = phone.page_text().await;
    assert!(
        text.contains("We hebben je aanvraag goed ontvangen"),
        "{text}"
    );
    page_is_fit(&phone, "book-received").await;
    let path = phone.wait_for_path("/reservations/").await;
    let id = path["/reservations/".len()..]
        .split('?')
        .next()
        .expect("id")
        .to_string();
    let booking = app.get(&format!("/bookings/{id}"), &app.admin_token).await;
    let reference = s(&booking.body["reference"]);

    // The staff, at a desktop: the inbox, confirm, the pick list.
    let desk = signed_in(Screen::Desktop, &app, &tom).await;
    desk.goto(&app.url("/desk")).await;
    assert!(desk.page_text().await.contains(&reference));
    page_is_fit(&desk, "desk-inbox").await;
    desk.goto(&app.url(&format!("/desk/{id}"))).await;
    page_is_fit(&desk, "desk-request").await;
    click_and_wait(&desk, "form[action$='/confirm'] button").await;
    assert!(desk
        .page_text()
        .await
        .contains("De reservatie is bevestigd"));
    page_is_fit(&desk, "desk-confirmed").await;
    let pick_list = desk
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             fetch(arguments[0]).then(r => done(r.status + ' ' + r.headers.get('content-type')));",
            vec![json!(format!("/desk/{id}/pick-list.pdf"))],
        )
        .await;
    assert_eq!(s(&pick_list), "200 application/pdf");

    // The day of the pick-up comes (the dates move to this week).
    let day = today() + Duration::days(1);
    app.patch(
        &format!("/bookings/{id}"),
        &app.admin_token,
        json!({ "pickup_on": day, "return_on": day + Duration::days(4) }),
    )
    .await
    .assert_status(200);
    let booking = app.get(&format!("/bookings/{id}"), &app.admin_token).await;
    let allocated: Vec<String> = booking.body["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .map(|d| s(&d["asset_tag"]))
        .collect();
    assert_eq!(allocated.len(), 15, "{}", booking.body);
    let spare = tablets
        .iter()
        .map(|(_, t)| t.clone())
        .find(|t| !allocated.contains(t))
        .expect("one tablet not allocated");
    let robot_tags: Vec<String> = robots.iter().map(|(_, t)| t.clone()).collect();
    let allocated_tablets: Vec<String> = allocated
        .iter()
        .filter(|t| !robot_tags.contains(t))
        .cloned()
        .collect();

    // The pick-up desk: every scan answered at once; a substitute of the same kind is taken.
    desk.goto(&app.url(&format!("/desk/{id}/pickup"))).await;
    page_is_fit(&desk, "desk-pickup").await;
    let mut handed: Vec<String> = allocated_tablets[..11].to_vec();
    handed.push(spare.clone());
    handed.extend(robot_tags.iter().cloned());
    for tag in &handed {
        let answer = scan(&desk, tag).await;
        assert!(answer.starts_with("ok"), "{answer}");
        if *tag == spare {
            assert!(answer.contains("in de plaats van een ander"), "{answer}");
        }
    }
    let answer = scan(&desk, &robot_tags[0]).await;
    assert!(
        answer.starts_with("error"),
        "a second scan is refused: {answer}"
    );
    assert!(answer.contains("is al gescand"), "{answer}");
    let text = desk.page_text().await;
    assert!(text.contains("tablets: 12 van 12"), "{text}");
    assert!(text.contains("robots: 3 van 3"), "{text}");
    page_is_fit(&desk, "desk-pickup-scanned").await;
    click_and_wait(&desk, "form[action$='/pickup'] button.button-primary").await;
    assert!(desk
        .page_text()
        .await
        .contains("De toestellen zijn meegegeven"));
    assert_eq!(tag_status(&app, &spare).await, "booked_out");
    assert_eq!(tag_status(&app, &allocated_tablets[11]).await, "ready");

    // The return desk: one tablet does not come back, one comes back damaged.
    desk.goto(&app.url(&format!("/desk/{id}/return"))).await;
    page_is_fit(&desk, "desk-return").await;
    let missing = handed[0].clone();
    let damaged = handed[1].clone();
    for tag in &handed[1..] {
        let answer = scan(&desk, tag).await;
        assert!(answer.starts_with("ok"), "{answer}");
    }
    desk.find(&format!("label[for='f-cond-{damaged}-damaged']"))
        .await
        .click()
        .await;
    desk.find(&format!("#f-missing-{damaged}"))
        .await
        .send_keys("pen")
        .await;
    desk.find(&format!("label[for='f-lost-{missing}']"))
        .await
        .click()
        .await;
    page_is_fit(&desk, "desk-return-scanned").await;
    click_and_wait(&desk, "button[name=do][value=done]").await;
    let text = desk.page_text().await;
    assert!(text.contains("De terugname is bewaard"), "{text}");
    assert_eq!(tag_status(&app, &missing).await, "lost");
    assert_eq!(tag_status(&app, &damaged).await, "in_repair");
    let booking = app.get(&format!("/bookings/{id}"), &app.admin_token).await;
    assert_eq!(booking.body["status"], "returned", "{}", booking.body);

    // Reset the rest in one go.
    assert!(
        text.contains("Zet 13 toestellen in één keer terug"),
        "{text}"
    );
    page_is_fit(&desk, "desk-returned").await;
    click_and_wait(&desk, "form[action$='/reset'] button").await;
    assert!(desk.page_text().await.contains("teruggezet"));
    for tag in &handed[2..] {
        assert_eq!(tag_status(&app, tag).await, "ready", "{tag}");
    }
    page_is_fit(&desk, "desk-reset").await;
    desk.goto(&app.url("/desk/overdue")).await;
    page_is_fit(&desk, "desk-overdue").await;

    // The school sees its booking back, with its confirmation.
    phone.goto(&app.url(&format!("/reservations/{id}"))).await;
    assert_eq!(
        phone.find(".book-facts dd strong").await.text().await,
        "Terug"
    );
    assert!(phone
        .try_find(&format!("a[href='/reservations/{id}/confirmation.pdf']"))
        .await
        .is_some());
    page_is_fit(&phone, "book-returned").await;

    // Another school sees none of it.
    let ines = invite(&app, "Ines", "requester", "school").await;
    let other = signed_in(Screen::Phone, &app, &ines).await;
    other.goto(&app.url("/reservations")).await;
    assert!(!other.page_text().await.contains(&reference));
    page_is_fit(&other, "book-other-list").await;
    other.goto(&app.url(&format!("/reservations/{id}"))).await;
    let text = other.page_text().await;
    assert!(text.contains("niet gevonden"), "{text}");
    assert!(!text.contains(&reference), "{text}");
    page_is_fit(&other, "book-other-not-found").await;

    // An organisation past its yearly guideline is asked for a motivation.
    let busy = invite(&app, "Bram", "requester", "non_profit").await;
    let p = pickup + Duration::days(7);
    for _ in 0..8 {
        app.post(
            "/bookings",
            &app.admin_token,
            json!({ "organisation_id": busy.organisation, "pickup_on": p, "return_on": p,
                    "purpose": "Les", "contact": { "name": "Bram", "email": "bram@vzw.example.be" },
                    "lines": [{ "kind": "robot", "quantity": 1 }] }),
        )
        .await
        .assert_status(201);
    }
    let bram = signed_in(Screen::Phone, &app, &busy).await;
    bram.goto(&app.url("/reservations/new")).await;
    set(&bram, "f-pickup_on", &p.to_string()).await;
    set(&bram, "f-return_on", &p.to_string()).await;
    bram.find("#f-qty_robot").await.send_keys("1").await;
    bram.find("#f-purpose").await.send_keys("Robotclub").await;
    click_and_wait(&bram, "button[name=step][value=check]").await;
    assert!(bram.try_find("#f-motivation").await.is_some());
    page_is_fit(&bram, "book-guideline-check").await;
    click_and_wait(&bram, "button[name=step][value=send]").await;
    let text = bram.page_text().await;
    assert!(text.contains("boven de richtlijn"), "{text}");
    page_is_fit(&bram, "book-guideline-refused").await;
    bram.find("#f-motivation")
        .await
        .send_keys("Onze robotclub draait het hele jaar.")
        .await;
    click_and_wait(&bram, "button[name=step][value=send]").await;
    assert!(bram
        .page_text()
        .await
        .contains("We hebben je aanvraag goed ontvangen"));
    page_is_fit(&bram, "book-guideline-received").await;
}
dual_test!(a_school_books_and_the_desk_hands_out_and_takes_back);
