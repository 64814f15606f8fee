//! The lending service's pages in a real browser at desktop size (issue 15, part B): staff find
//! a device by a scanned tag and edit a field, register a donation, upload a CSV file with a
//! bad row (the table of bad rows and columns, nothing imported) and then a good one, assign
//! the batch to a workshop and print its labels (a PDF comes back); an admin creates an
//! organisation and an API token (shown once). axe-core is clean on every page visited.

use serde_json::json;

use crate::checks::page_is_fit;
use crate::dual_test;
use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::people::{invite_into, signed_in};
use crate::webdriver::{keys, Screen, Session};

fn s(v: &serde_json::Value) -> String {
    v.as_str().expect("string").to_string()
}

/// Clicks the submit button of the form whose action ends with `action` and waits for the
/// page after it.
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

/// A file on disk for the file input, with `content`.
fn csv_file(name: &str, content: &str) -> String {
    let dir = std::env::temp_dir().join(format!("digilend-ops-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("file written");
    path.to_string_lossy().to_string()
}

async fn devices_of(app: &TestApp, donation: &str) -> Vec<serde_json::Value> {
    app.get(
        &format!("/devices?donation_id={donation}"),
        &app.admin_token,
    )
    .await
    .body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn the_lending_service_at_its_desk(b: Backend) {
    let app = spawn_app_with(b, |c| c.public_base_url = "http://127.0.0.1".into()).await;
    let workshop = app.create_org("Werkplaats De Sleutel", "workshop").await;
    let old = app.create_donation(&app.admin_token).await;
    let existing = app
        .register_devices(&app.admin_token, &old, "laptop", 2)
        .await;
    let tag = s(&existing[1]["asset_tag"]);
    let me = app.get("/me", &app.admin_token).await;
    let service = s(&me.body["organisation_id"]);
    let lotte = invite_into(&app, &service, "Lotte", "lending_staff").await;
    let desk = signed_in(Screen::Desktop, &app, &lotte).await;
    page_is_fit(&desk, "ops-home").await;

    // A handheld scanner types the label's URL into the search box and presses Enter.
    desk.goto(&app.url("/inventory")).await;
    page_is_fit(&desk, "ops-inventory").await;
    desk.find("#f-q")
        .await
        .send_keys(&format!("http://127.0.0.1/d/{tag}{}", keys::ENTER))
        .await;
    desk.wait_until(
        "the search's answer",
        "return document.readyState === 'complete' && location.search.includes('q=') ? 1 : null",
    )
    .await;
    let row = desk.find(".ops-table tbody tr").await;
    assert!(
        row.text().await.contains(&tag),
        "{}",
        desk.page_text().await
    );
    assert_eq!(desk.find_all(".ops-table tbody tr").await.len(), 1);
    page_is_fit(&desk, "ops-inventory-found").await;

    // Edit a field: the shelf.
    desk.find("a[href$='/edit']").await.click().await;
    desk.find("#f-shelf_location").await;
    page_is_fit(&desk, "ops-device-edit").await;
    desk.find("#f-brand").await.clear().await;
    submit(&desk, "/edit").await;
    assert!(
        desk.try_find("#f-brand-error").await.is_some(),
        "{}",
        desk.page_text().await
    );
    page_is_fit(&desk, "ops-device-edit-refused").await;
    desk.find("#f-brand").await.send_keys("Lenovo").await;
    desk.find("#f-shelf_location")
        .await
        .send_keys("Rek 4")
        .await;
    submit(&desk, "/edit").await;
    assert!(desk
        .page_text()
        .await
        .contains("De gegevens zijn opgeslagen."));
    let d = app
        .get(&format!("/devices/by-tag/{tag}"), &app.admin_token)
        .await;
    assert_eq!(d.body["shelf_location"], "Rek 4");
    page_is_fit(&desk, "ops-device-edit-saved").await;

    // Register a donation.
    desk.goto(&app.url("/donations")).await;
    page_is_fit(&desk, "ops-donations").await;
    desk.find("#f-donor_name")
        .await
        .send_keys("Bakkerij Janssens")
        .await;
    desk.find("#f-received_at")
        .await
        .send_keys("Depot Wondelgem")
        .await;
    submit(&desk, "/donations").await;
    let path = desk.wait_for_path("/donations/").await;
    let donation = path
        .trim_start_matches("/donations/")
        .split('?')
        .next()
        .expect("id")
        .to_string();
    assert!(desk
        .page_text()
        .await
        .contains("De schenking is opgeslagen."));
    page_is_fit(&desk, "ops-donation-new").await;

    // A file with a bad row: the table names the row and the column; nothing is imported.
    let bad = csv_file(
        "schenking.csv",
        "soort;merk;model;serienummer\nlaptop;Lenovo;T480;BR-001\nlaptop;;T480;BR-002\n",
    );
    desk.find("#f-file").await.send_keys(&bad).await;
    submit(&desk, "/upload").await;
    let table = desk.find("#csv-problems").await.text().await;
    assert!(table.contains('3') && table.contains("brand"), "{table}");
    assert!(
        devices_of(&app, &donation).await.is_empty(),
        "nothing imported"
    );
    page_is_fit(&desk, "ops-donation-csv-refused").await;
    let good = csv_file(
        "schenking.csv",
        "soort;merk;model;serienummer\nlaptop;Lenovo;T480;BR-001\nlaptop;Dell;E7470;BR-002\n",
    );
    desk.find("#f-file").await.send_keys(&good).await;
    submit(&desk, "/upload").await;
    assert!(desk.page_text().await.contains("Opgeslagen toestellen: 2."));
    assert_eq!(devices_of(&app, &donation).await.len(), 2);
    page_is_fit(&desk, "ops-donation-uploaded").await;

    // Assign it to the workshop.
    desk.execute(
        "const s = document.getElementById('f-workshop_id'); \
         s.value = arguments[0]; return null",
        vec![json!(workshop)],
    )
    .await;
    submit(&desk, "/workshop").await;
    assert!(desk
        .page_text()
        .await
        .contains("De werkplaats heeft de schenking gekregen."));
    let r = app
        .get(&format!("/donations/{donation}"), &app.admin_token)
        .await;
    assert_eq!(r.body["workshop_id"], json!(workshop));
    page_is_fit(&desk, "ops-donation-assigned").await;

    // Print the batch's labels: the form, sent by the browser, gives a PDF.
    desk.find("a[href^='/labels?donation_id=']")
        .await
        .click()
        .await;
    desk.wait_for_path("/labels").await;
    desk.find("#f-stock").await;
    page_is_fit(&desk, "ops-labels").await;
    let chosen = desk
        .execute(
            "return document.getElementById('f-donation_id').value",
            vec![],
        )
        .await;
    assert_eq!(chosen, json!(donation));
    let answer = desk
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             const form = document.querySelector(\"form[action='/labels/print']\"); \
             fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)) }) \
               .then(r => r.arrayBuffer().then(b => done([r.status, r.headers.get('content-type'), \
                 String.fromCharCode.apply(null, new Uint8Array(b.slice(0, 5)))]))) \
               .catch(e => done(['error', String(e), '']));",
            vec![],
        )
        .await;
    assert_eq!(answer, json!([200, "application/pdf", "%PDF-"]), "{answer}");

    // On a phone the inventory's table is a list, and the refused file's table too: no
    // sideways scrolling, targets big enough.
    let phone = signed_in(
        Screen::Phone,
        &app,
        &invite_into(&app, &service, "Mo", "lending_staff").await,
    )
    .await;
    phone
        .goto(&app.url("/inventory?q=&status=&kind=laptop"))
        .await;
    phone.find(".ops-table tbody tr").await;
    page_is_fit(&phone, "ops-inventory-list").await;
    phone
        .goto(&app.url(&format!("/donations/{donation}")))
        .await;
    let bad = csv_file(
        "fout.csv",
        "soort;merk;model;serienummer\nbroodrooster;;T480;BR-009\n",
    );
    phone.find("#f-file").await.send_keys(&bad).await;
    submit(&phone, "/upload").await;
    phone.find("#csv-problems").await;
    page_is_fit(&phone, "ops-donation-csv-refused").await;

    // An admin creates an organisation and a token, shown once.
    let ada = invite_into(&app, &service, "Ada", "admin").await;
    let admin = signed_in(Screen::Desktop, &app, &ada).await;
    admin.goto(&app.url("/admin/organisations")).await;
    page_is_fit(&admin, "ops-organisations").await;
    admin
        .find("#f-name")
        .await
        .send_keys("Basisschool De Vlinder")
        .await;
    admin
        .find("#f-address")
        .await
        .send_keys("Sleepstraat 1, 9000 Gent")
        .await;
    admin
        .find("#f-opening_hours")
        .await
        .send_keys("ma–vr 8–16 u")
        .await;
    admin
        .find("#f-return_instructions")
        .await
        .send_keys("Aan het secretariaat")
        .await;
    submit(&admin, "/admin/organisations").await;
    assert!(admin
        .page_text()
        .await
        .contains("De organisatie is opgeslagen."));
    page_is_fit(&admin, "ops-organisations-created").await;
    admin
        .find("a[href^='/admin/organisations/']")
        .await
        .click()
        .await;
    admin.find("#f-opening_hours").await;
    page_is_fit(&admin, "ops-organisation").await;

    admin.goto(&app.url("/admin/people")).await;
    page_is_fit(&admin, "ops-people").await;
    admin
        .find(&format!("a[href='/admin/people/{}']", lotte.id))
        .await
        .click()
        .await;
    admin.find("#f-label").await;
    page_is_fit(&admin, "ops-person").await;
    admin
        .find("#f-label")
        .await
        .send_keys("scanner aan de balie")
        .await;
    submit(&admin, "/tokens").await;
    let secret = admin.find("#token-secret").await.text().await;
    assert!(secret.starts_with("dl_"), "{secret}");
    app.get("/devices", &secret).await.assert_status(200);
    page_is_fit(&admin, "ops-token-shown").await;
    admin
        .goto(&app.url(&format!("/admin/people/{}", lotte.id)))
        .await;
    admin.find("#f-label").await;
    assert!(
        admin.try_find("#token-secret").await.is_none(),
        "shown once"
    );
    assert!(!admin.page_text().await.contains(&secret));
}
dual_test!(the_lending_service_at_its_desk);
