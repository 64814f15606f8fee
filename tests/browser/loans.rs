//! The loan desk in a real browser at tablet size (issue 14's "Done when"): a social worker
//! registers a person, lends a scanned laptop, both sign on the screen (drawn with the pointer,
//! and by keyboard only on a second loan), records a checkpoint and a return; the signed PDF
//! shows both signatures and the terms; a social worker of another office sees none of it;
//! axe-core is clean on every page visited.

use chrono::Months;
use serde_json::{json, Value};

use crate::checks::page_is_fit;
use crate::dual_test;
use crate::helpers::{pdf_text, spawn_app_with, today, Backend, TestApp};
use crate::people::{invite_into, signed_in};
use crate::webdriver::{keys, Screen, Session};

fn s(v: &Value) -> String {
    v.as_str().expect("string").to_string()
}

/// Submits the form whose action ends with `action` and waits for the page after it.
async fn submit(session: &Session, action: &str) {
    session
        .execute("document.body.dataset.before = 'yes'; return null", vec![])
        .await;
    session
        .find(&format!("form[action$='{action}'] button[type=submit]"))
        .await
        .click()
        .await;
    wait_for_next_page(session).await;
}

async fn wait_for_next_page(session: &Session) {
    session
        .wait_until(
            "the page after the form",
            "return document.readyState === 'complete' && document.body \
             && !document.body.dataset.before ? 1 : null",
        )
        .await;
}

/// `n` laptops made ready by the admin, and their tags.
async fn ready_tags(app: &TestApp, n: usize) -> Vec<String> {
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", n)
        .await;
    let mut tags = Vec::new();
    for d in devices {
        let id = s(&d["id"]);
        make_ready(app, &id).await;
        tags.push(s(&d["asset_tag"]));
    }
    tags
}

/// Wipes (each drive), refurbishes and releases a device through the API, as the admin.
async fn make_ready(app: &TestApp, device: &str) {
    let t = &app.admin_token;
    let now = chrono::Utc::now().to_rfc3339();
    let drives = app.get(&format!("/devices/{device}/drives"), t).await;
    for d in drives.body.as_array().cloned().unwrap_or_default() {
        app.post(
            &format!("/devices/{device}/wipes"),
            t,
            json!({ "drive_id": d["id"], "category": "purge", "technique": "crypto_erase",
                    "tool": "nwipe", "tool_version": "0.36", "passes": 1, "verified": true,
                    "verification_method": "full", "verified_by": "Jan", "outcome": "passed",
                    "started_at": now, "ended_at": now }),
        )
        .await
        .assert_status(201);
    }
    app.post(&format!("/devices/{device}/actions/wipe"), t, json!({}))
        .await
        .assert_status(200);
    app.post(
        &format!("/devices/{device}/refurbishments"),
        t,
        json!({ "checks": { "boots": true, "screen": true, "keyboard": true, "touchpad": true,
                            "ports": true, "camera": true, "wifi": true, "charger_present": true,
                            "works": true },
                "battery_health_pct": 84, "os_installed": "Linux Mint", "cosmetic_grade": "B",
                "functional_pass": true, "minutes_spent": 35 }),
    )
    .await
    .assert_status(201);
    for action in ["refurbish", "release"] {
        app.post(&format!("/devices/{device}/actions/{action}"), t, json!({}))
            .await
            .assert_status(200);
    }
}

/// Draws a zigzag on the canvas `selector` with pointer events, as a finger does.
async fn draw(session: &Session, selector: &str) {
    let script = format!(
        "const c = document.querySelector(\"{selector}\"); \
         const r = c.getBoundingClientRect(); \
         const at = (i) => ({{ clientX: r.left + 20 + i * (r.width - 40) / 24, \
                              clientY: r.top + (i % 2 ? 0.75 : 0.25) * r.height, \
                              pointerId: 7, bubbles: true, pointerType: 'touch' }}); \
         c.dispatchEvent(new PointerEvent('pointerdown', at(0))); \
         for (let i = 1; i <= 24; i++) c.dispatchEvent(new PointerEvent('pointermove', at(i))); \
         c.dispatchEvent(new PointerEvent('pointerup', at(24))); \
         return c.closest('fieldset').querySelector('input[type=hidden]').value;"
    );
    let strokes = session.execute(&script, vec![]).await;
    let strokes = strokes.as_str().unwrap_or_default();
    assert!(
        strokes.split(' ').count() > 20,
        "strokes recorded: {strokes}"
    );
}

/// The bytes of a page the browser may fetch (with its session cookie).
async fn fetch_bytes(session: &Session, path: &str) -> Vec<u8> {
    let v = session
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => { \
               const a = new Uint8Array(b); let s = ''; \
               for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]); \
               done(btoa(s)); }).catch(e => done('error: ' + e));",
            vec![json!(path)],
        )
        .await;
    let b64 = v.as_str().unwrap_or_default().to_string();
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .unwrap_or_else(|e| panic!("{path}: {e}: {b64}"))
}

/// Straight line segments in the pages of a PDF (the drawn signature is made of them).
fn lines_drawn(pdf: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    doc.get_pages()
        .values()
        .map(|page| {
            String::from_utf8_lossy(&doc.get_page_content(*page))
                .matches(" l\n")
                .count()
        })
        .sum()
}

async fn id_from_path(session: &Session, prefix: &str) -> String {
    let url = session.current_url().await;
    let i = url
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} in {url}"))
        + prefix.len();
    url[i..]
        .chars()
        .take_while(|c| *c != '/' && *c != '?')
        .collect()
}

async fn lend(tablet: &Session, app: &TestApp, person: &str, tag: &str, name: &str) -> String {
    tablet
        .goto(&app.url(&format!("/loans/people/{person}/new")))
        .await;
    page_is_fit(tablet, &format!("loans-new-{name}")).await;
    // A handheld scanner types the tag and presses Enter.
    tablet.find("#f-device-1").await.send_keys(tag).await;
    tablet
        .execute("document.body.dataset.before = 'yes'; return null", vec![])
        .await;
    tablet.press(&[keys::ENTER]).await;
    wait_for_next_page(tablet).await;
    assert!(
        tablet.current_url().await.ends_with("/agreement"),
        "{}",
        tablet.page_text().await
    );
    id_from_path(tablet, "/loans/").await
}

async fn the_loan_desk_on_a_tablet(b: Backend) {
    let app = spawn_app_with(b, |c| c.public_base_url = "http://127.0.0.1".into()).await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let end = today().checked_add_months(Months::new(24)).expect("date");
    app.post(
        "/programmes",
        &coordinator,
        json!({ "name": "Digibank Gent", "end_date": end }),
    )
    .await
    .assert_status(201);
    let tags = ready_tags(&app, 2).await;
    let office = app.create_org("OCMW Gent", "welfare_office").await;
    let other_office = app.create_org("OCMW Elders", "welfare_office").await;
    let sofie = invite_into(&app, &office, "Sofie", "social_worker").await;
    let tablet = signed_in(Screen::Tablet, &app, &sofie).await;

    // The nav leads to the day's work.
    tablet.find("nav a[href='/loans']").await.click().await;
    tablet.wait_for_path("/loans").await;
    page_is_fit(&tablet, "loans-today").await;
    tablet
        .find("main a[href='/loans/people']")
        .await
        .click()
        .await;
    tablet.wait_for_path("/loans/people").await;
    page_is_fit(&tablet, "loans-find").await;

    // Find: nobody. Register with what was typed.
    tablet
        .find("#f-name")
        .await
        .send_keys("Fatima El Amrani")
        .await;
    tablet
        .find("#f-date_of_birth")
        .await
        .send_keys("12-04-1980")
        .await;
    submit(&tablet, "/loans/people/search").await;
    assert!(tablet.page_text().await.contains("Niemand gevonden."));
    page_is_fit(&tablet, "loans-find-none").await;
    assert_eq!(
        tablet.find("#f-name").await.value().await,
        "Fatima El Amrani"
    );
    submit(&tablet, "/loans/people/register").await;
    assert!(tablet
        .page_text()
        .await
        .contains("De persoon is ingeschreven."));
    page_is_fit(&tablet, "loans-person").await;
    let title = tablet.title().await;
    assert!(!title.contains("Fatima"), "no name in the title: {title}");
    let person = id_from_path(&tablet, "/loans/people/").await;

    // Lend a scanned laptop; the agreement in large type; sign here.
    let loan = lend(&tablet, &app, &person, &tags[0], "drawn").await;
    assert!(tablet.page_text().await.contains("Bruikleenovereenkomst"));
    page_is_fit(&tablet, "loans-agreement").await;
    tablet
        .find(&format!("main a[href='/loans/{loan}/signing']"))
        .await
        .click()
        .await;
    tablet
        .wait_for_path(&format!("/loans/{loan}/signing"))
        .await;
    page_is_fit(&tablet, "loans-sign").await;
    draw(&tablet, "canvas[data-into='borrower_strokes']").await;
    draw(&tablet, "canvas[data-into='social_worker_strokes']").await;
    submit(&tablet, "/signing").await;
    let text = tablet.page_text().await;
    assert!(text.contains("Het contract is getekend."), "{text}");
    page_is_fit(&tablet, "loans-loan-signed").await;

    // The signed PDF: both names, the terms, and the strokes drawn as paths.
    let pdf = fetch_bytes(&tablet, &format!("/loans/{loan}/signed.pdf")).await;
    let words = pdf_text(&pdf);
    for part in [
        "Fatima El Amrani",
        "Sofie",
        "Bruikleenovereenkomst",
        "€ 200",
        &tags[0],
    ] {
        assert!(words.contains(part), "{part} in {words}");
    }
    let paper = fetch_bytes(&tablet, &format!("/loans/{loan}/paper.pdf")).await;
    assert!(
        lines_drawn(&pdf) >= lines_drawn(&paper) + 40,
        "both signatures drawn"
    );

    // A checkpoint, then the return.
    submit(&tablet, "/checkpoint").await;
    assert!(tablet
        .page_text()
        .await
        .contains("De controle is opgeslagen."));
    page_is_fit(&tablet, "loans-checkpoint").await;
    tablet.find("#f-condition-0").await.send_keys("goed").await;
    submit(&tablet, "/return").await;
    assert!(tablet
        .page_text()
        .await
        .contains("De terugname is opgeslagen."));
    page_is_fit(&tablet, "loans-returned").await;
    // The return receipt, signed on the screen the same way.
    tablet
        .find(&format!("main a[href='/loans/{loan}/return-receipt']"))
        .await
        .click()
        .await;
    tablet
        .wait_for_path(&format!("/loans/{loan}/return-receipt"))
        .await;
    page_is_fit(&tablet, "loans-receipt-sign").await;
    draw(&tablet, "canvas[data-into='borrower_strokes']").await;
    draw(&tablet, "canvas[data-into='social_worker_strokes']").await;
    submit(&tablet, "/return-receipt").await;
    let text = tablet.page_text().await;
    assert!(text.contains("Het ontvangstbewijs is getekend."), "{text}");
    page_is_fit(&tablet, "loans-receipt-signed").await;

    // A second loan, signed by keyboard only: typed names and the attestation.
    let second = lend(&tablet, &app, &person, &tags[1], "typed").await;
    tablet
        .goto(&app.url(&format!("/loans/{second}/signing")))
        .await;
    tablet.find("#f-borrower_typed").await.click().await;
    tablet.type_text("Fatima El Amrani").await;
    tablet.press(&[keys::TAB]).await;
    // Through the hint to the attestation: Tab until it has the focus, then Space.
    for _ in 0..4 {
        let id = tablet.active_element().await.attribute("id").await;
        if id.as_deref() == Some("f-attested") {
            break;
        }
        tablet.press(&[keys::TAB]).await;
    }
    assert_eq!(
        tablet
            .active_element()
            .await
            .attribute("id")
            .await
            .as_deref(),
        Some("f-attested")
    );
    tablet.press(&[" "]).await;
    tablet.find("#f-social_worker_typed").await.click().await;
    tablet.type_text("Sofie").await;
    tablet
        .execute("document.body.dataset.before = 'yes'; return null", vec![])
        .await;
    tablet.press(&[keys::ENTER]).await;
    wait_for_next_page(&tablet).await;
    assert!(tablet
        .page_text()
        .await
        .contains("Het contract is getekend."));
    let typed = pdf_text(&fetch_bytes(&tablet, &format!("/loans/{second}/signed.pdf")).await);
    assert!(
        typed.contains("Getypt door Fatima El Amrani, bevestigd door Sofie."),
        "{typed}"
    );

    // A social worker of another office sees none of it.
    let els = invite_into(&app, &other_office, "Els", "social_worker").await;
    let other = signed_in(Screen::Tablet, &app, &els).await;
    for path in [format!("/loans/people/{person}"), format!("/loans/{loan}")] {
        other.goto(&app.url(&path)).await;
        let text = other.page_text().await;
        assert!(!text.contains("Fatima"), "{path}: {text}");
        assert!(other.find("h1").await.text().await.len() > 2);
        page_is_fit(&other, "loans-other-office").await;
    }
    other.goto(&app.url("/loans")).await;
    assert!(!other.page_text().await.contains(&loan));
}
dual_test!(the_loan_desk_on_a_tablet);
