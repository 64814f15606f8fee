//! The loan desk's pages through HTTP (issue 14), as a browser without JavaScript uses them: a
//! social worker finds and registers a person (a possible duplicate is shown first), lends a
//! scanned device (refusals come back with the reason and the typed values), both sign (drawn
//! strokes, or the typed name with the attestation), and the signed PDF carries both; a
//! checkpoint and a return; another office sees none of it; the API at the same paths still
//! answers API clients.

use chrono::Months;
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{pdf_text, spawn_app, today, Backend, TestApp};
use crate::web_client::{signed_in_as, Browser};

fn s(v: &Value) -> String {
    v.as_str().expect("string").to_string()
}

async fn welfare_office(app: &TestApp) -> String {
    app.create_org(
        &format!("OCMW {}", uuid::Uuid::new_v4().simple()),
        "welfare_office",
    )
    .await
}

/// A drawn signature: a zigzag of points on the 0–1000 grid.
fn strokes() -> String {
    let a: Vec<String> = (0..20)
        .map(|i| format!("{},{}", 50 + i * 40, if i % 2 == 0 { 300 } else { 700 }))
        .collect();
    format!("{};100,900 900,900", a.join(" "))
}

/// The id at the end of a redirect to `prefix{id}…`.
fn id_in(location: &str, prefix: &str) -> String {
    location
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{location} does not start with {prefix}"))
        .chars()
        .take_while(|c| *c != '/' && *c != '?')
        .collect()
}

/// Registers a person through the pages and returns their id.
async fn register(b: &mut Browser<'_>, name: &str) -> String {
    let r = b
        .submit(
            "/loans/people/register",
            &[
                ("name", name),
                ("date_of_birth", "12-04-1980"),
                ("language", "nl"),
                ("address", "Sleepstraat 1, 9000 Gent"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    id_in(&r.location(), "/loans/people/")
}

/// A draft for one scanned device, through the new-loan form; returns the loan's id.
async fn draft(b: &mut Browser<'_>, person: &str, programme: &str, device: &str) -> String {
    let page = b.get(&format!("/loans/people/{person}/new")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let r = b
        .submit(
            &format!("/loans/people/{person}/new"),
            &[
                ("programme_id", programme),
                ("device-1", device),
                ("purpose", "job_search"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    id_in(&r.location(), "/loans/")
}

async fn a_social_worker_lends_signs_checks_and_takes_back(b: Backend) {
    let app = spawn_app(b).await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let end = today().checked_add_months(Months::new(24)).expect("date");
    let prog = crate::loans::programme(&app, &coordinator, end).await;
    let ready = crate::loans::ready_devices(&app, "laptop", 1).await;
    let tag = s(&ready[0]["asset_tag"]);
    let office = welfare_office(&app).await;
    let mut sw = signed_in_as(&app, &office, "social_worker", "Sofie")
        .await
        .0;

    // The day's work is empty; the nav has the loan desk.
    let today_page = sw.get("/loans").await;
    assert!(today_page.body.contains("href=\"/loans\""), "nav");
    assert!(today_page.body.contains("Niets te doen."));

    // Find: nobody yet. The name travels in the body, never in the URL.
    let found = sw
        .submit(
            "/loans/people/search",
            &[
                ("name", "Fatima El Amrani"),
                ("date_of_birth", "12-04-1980"),
            ],
        )
        .await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert!(found.body.contains("Niemand gevonden."));
    assert!(
        found.body.contains("value=\"Fatima El Amrani\""),
        "kept: {}",
        found.body
    );
    let person = register(&mut sw, "Fatima El Amrani").await;
    // The same name and birth date again: shown first, nothing registered until confirmed.
    let again = sw
        .submit(
            "/loans/people/register",
            &[
                ("name", "fatima  el amrani"),
                ("date_of_birth", "1980-04-12"),
                ("language", "fr"),
            ],
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("Misschien dezelfde persoon"));
    assert!(again.body.contains(&format!("/loans/people/{person}")));
    assert!(again.body.contains("name=\"confirm_new\""));
    let listed = app.get("/borrowers", &app.admin_token).await;
    assert_eq!(listed.body["items"].as_array().map(Vec::len), Some(1));
    let page = sw.get(&format!("/loans/people/{person}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Fatima El Amrani"));
    assert!(!page.body.contains("<title>Fatima"), "no name in the title");

    // New loan: an unknown tag and a device that is not ready come back with the reason and
    // what was typed.
    let new_path = format!("/loans/people/{person}/new");
    sw.get(&new_path).await;
    let r = sw
        .submit(
            &new_path,
            &[
                ("programme_id", &prog),
                ("device-1", "GNT-999999"),
                ("device-2", &tag),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("We vinden geen toestel met deze code"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"GNT-999999\""));
    assert!(r.body.contains(&format!("value=\"{tag}\"")));
    assert!(r.body.contains("id=\"f-device-1-error\""));

    // The label's URL, as a handheld scanner types it.
    let loan = draft(
        &mut sw,
        &person,
        &prog,
        &format!("https://uitleen.example.be/d/{tag}"),
    )
    .await;
    let agreement = sw.get(&format!("/loans/{loan}/agreement")).await;
    assert_eq!(agreement.status, 200);
    assert!(agreement.body.contains("Bruikleenovereenkomst"));
    assert!(agreement.body.contains("borrower-screen"));
    assert!(agreement.body.contains(&format!("/loans/{loan}/paper.pdf")));
    let paper = sw.download(&format!("/loans/{loan}/paper.pdf")).await;
    assert_eq!(paper.content_type(), "application/pdf");
    let today_page = sw.get("/loans").await;
    assert!(
        today_page.body.contains(&format!("/loans/{loan}")),
        "a draft"
    );

    // Signing: nothing drawn or typed is refused with the reason; then both sign.
    let sign_path = format!("/loans/{loan}/signing");
    let sign = sw.get(&sign_path).await;
    assert_eq!(sign.status, 200);
    assert!(sign.body.contains("canvas"));
    let r = sw.submit(&sign_path, &[("place", "Gent")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r
        .body
        .contains("Teken in het vak, of typ de volledige naam."));
    assert!(r.body.contains("id=\"f-borrower_strokes-error\""));
    let drawn = strokes();
    let r = sw
        .submit(
            &sign_path,
            &[
                ("borrower_strokes", &drawn),
                ("social_worker_typed", "Sofie"),
                ("place", "Gent"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("/loans/{loan}?done=signed"));
    let api = app.get(&format!("/loans/{loan}"), &app.admin_token).await;
    api.assert_status(200);
    assert_eq!(api.body["status"], "active");
    let list = app.get("/loans", &app.admin_token).await;
    list.assert_status(200);
    let page = sw.get(&format!("/loans/{loan}?done=signed")).await;
    assert!(page.body.contains("Het contract is getekend."));
    assert!(page.body.contains(&format!("/loans/{loan}/signed.pdf")));
    let pdf = sw.download(&format!("/loans/{loan}/signed.pdf")).await;
    assert_eq!(pdf.content_type(), "application/pdf");
    let text = pdf_text(&pdf.bytes);
    for part in [
        "Fatima El Amrani",
        "Sofie",
        "Getypt door de maatschappelijk werker zelf.",
        "Opgemaakt te Gent",
        &tag,
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }

    // The device is on loan now: another loan for it is refused with the reason next to its
    // field, the typed tag kept.
    let r = sw
        .submit(
            &new_path,
            &[
                ("programme_id", &prog),
                ("device-1", &tag),
                ("accessories", "lader"),
            ],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("kan niet uitgeleend worden"), "{}", r.body);
    assert!(r.body.contains("id=\"f-device-1-error\""), "{}", r.body);
    assert!(r.body.contains(&format!("value=\"{tag}\"")));
    assert!(r.body.contains("value=\"lader\""));

    // A checkpoint, then the return.
    let r = sw
        .submit(
            &format!("/loans/{loan}/checkpoint"),
            &[
                ("held_on", "31-02-2026"),
                ("device_present", "yes"),
                ("note", "Werkt goed"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Werkt goed"), "the note stays");
    let r = sw
        .submit(
            &format!("/loans/{loan}/checkpoint"),
            &[
                ("device_present", "yes"),
                ("device_working", "yes"),
                ("still_needed", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = sw.get(&r.location()).await;
    assert!(page.body.contains("De controle is opgeslagen."));
    assert!(page.body.contains("gedaan op"));

    // A coordinator may not anonymise while the loan is open: the reason is said.
    let mut coord = signed_in_as(&app, &office, "coordinator", "Koen").await.0;
    let person_page = coord.get(&format!("/loans/people/{person}")).await;
    assert!(person_page.body.contains("/anonymise"));
    let r = coord
        .submit(&format!("/loans/people/{person}/anonymise"), &[])
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Dit kan nog niet"), "{}", r.body);

    let r = sw
        .submit(
            &format!("/loans/{loan}/return"),
            &[("back-0", "yes"), ("condition-0", "")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"f-condition-0-error\""), "{}", r.body);
    let r = sw
        .submit(
            &format!("/loans/{loan}/return"),
            &[("back-0", "yes"), ("condition-0", "goed")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let api = app.get(&format!("/loans/{loan}"), &app.admin_token).await;
    assert_eq!(api.body["status"], "closed");
    let export = sw.get(&format!("/loans/people/{person}/export.json")).await;
    assert_eq!(export.status, 200);
    assert!(export.body.contains("Fatima El Amrani"));
}
dual_test!(a_social_worker_lends_signs_checks_and_takes_back);

async fn a_typed_signature_needs_the_name_and_the_attestation(b: Backend) {
    let app = spawn_app(b).await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let end = today().checked_add_months(Months::new(12)).expect("date");
    let prog = crate::loans::programme(&app, &coordinator, end).await;
    let ready = crate::loans::ready_devices(&app, "laptop", 1).await;
    let tag = s(&ready[0]["asset_tag"]);
    let office = welfare_office(&app).await;
    let mut sw = signed_in_as(&app, &office, "social_worker", "Sofie")
        .await
        .0;
    // A national register number is never stored (the forms' own guard refuses it).
    sw.get("/loans/people").await;
    let r = sw
        .submit(
            "/loans/people/register",
            &[
                ("name", "Jan De Smet"),
                ("date_of_birth", "12-04-1980"),
                ("language", "nl"),
                ("address", "rijksregister 85.07.30-033.28"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("rijksregisternummer"), "{}", r.body);
    let listed = app.get("/borrowers", &app.admin_token).await;
    assert_eq!(listed.body["items"].as_array().map(Vec::len), Some(0));
    let person = register(&mut sw, "Jan De Smet").await;
    let loan = draft(&mut sw, &person, &prog, &tag).await;
    let path = format!("/loans/{loan}/signing");
    sw.get(&path).await;
    let drawn = strokes();
    let r = sw
        .submit(
            &path,
            &[
                ("borrower_typed", "Jan Janssens"),
                ("social_worker_strokes", &drawn),
                ("place", "Gent"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r
        .body
        .contains("Typ de volledige naam zoals op het contract."));
    assert!(r
        .body
        .contains("Vink aan dat de persoon de naam zelf heeft getypt."));
    assert!(
        r.body.contains("value=\"Jan Janssens\""),
        "typed value kept"
    );
    let api = app.get(&format!("/loans/{loan}"), &app.admin_token).await;
    assert_eq!(api.body["status"], "draft", "nothing signed");
    let r = sw
        .submit(
            &path,
            &[
                ("borrower_typed", "jan de smet"),
                ("attested", "yes"),
                ("social_worker_strokes", &drawn),
                ("place", "Gent"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let pdf = sw.download(&format!("/loans/{loan}/signed.pdf")).await;
    let text = pdf_text(&pdf.bytes);
    assert!(
        text.contains("Getypt door Jan De Smet, bevestigd door Sofie."),
        "{text}"
    );
    // The drawn signature is in the PDF as path operators: many more lines than the unsigned
    // agreement has.
    let unsigned = app
        .get_raw(&format!("/loans/{loan}/agreement.pdf"), &app.admin_token)
        .await
        .bytes()
        .await
        .expect("pdf")
        .to_vec();
    assert!(
        crate::web_loans::lines_drawn(&pdf.bytes) >= crate::web_loans::lines_drawn(&unsigned) + 20,
        "the strokes are drawn"
    );
}
dual_test!(a_typed_signature_needs_the_name_and_the_attestation);

/// The number of straight line segments (`x y m x y l`) in the pages of a PDF.
pub fn lines_drawn(pdf: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    doc.get_pages()
        .values()
        .map(|page| {
            let content = doc.get_page_content(*page);
            String::from_utf8_lossy(&content).matches(" l\n").count()
        })
        .sum()
}

async fn another_office_sees_none_of_it(b: Backend) {
    let app = spawn_app(b).await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let end = today().checked_add_months(Months::new(12)).expect("date");
    let prog = crate::loans::programme(&app, &coordinator, end).await;
    let ready = crate::loans::ready_devices(&app, "laptop", 1).await;
    let tag = s(&ready[0]["asset_tag"]);
    let office = welfare_office(&app).await;
    let other_office = welfare_office(&app).await;
    let mut sw = signed_in_as(&app, &office, "social_worker", "Sofie")
        .await
        .0;
    let person = register(&mut sw, "Fatima El Amrani").await;
    let loan = draft(&mut sw, &person, &prog, &tag).await;
    let mut other = signed_in_as(&app, &other_office, "social_worker", "Els")
        .await
        .0;
    for path in [
        format!("/loans/people/{person}"),
        format!("/loans/people/{person}/new"),
        format!("/loans/{loan}"),
        format!("/loans/{loan}/agreement"),
        format!("/loans/{loan}/signing"),
        format!("/loans/{loan}/paper.pdf"),
        format!("/loans/{loan}/signed.pdf"),
        format!("/loans/people/{person}/export.json"),
    ] {
        let r = other.get(&path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert!(!r.body.contains("Fatima"), "{path}");
    }
    let found = other
        .submit("/loans/people/search", &[("name", "Fatima")])
        .await;
    assert!(found.body.contains("Niemand gevonden."), "{}", found.body);
    let r = other
        .submit(
            &format!("/loans/{loan}/signing"),
            &[("borrower_typed", "Fatima El Amrani"), ("attested", "yes")],
        )
        .await;
    assert_eq!(r.status, 404);
    let today_page = other.get("/loans").await;
    assert!(!today_page.body.contains(&loan));
    // Without a session, the page asks to sign in; an API client without a token gets 401.
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = anon
        .get(app.url("/loans"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status().as_u16(), 303);
    let r = anon.get(app.url("/loans")).send().await.expect("sent");
    assert_eq!(r.status().as_u16(), 401);
}
dual_test!(another_office_sees_none_of_it);

/// A loan signed on the screen by `sw` for a new person `name`, with one device of `tag`;
/// returns (person, loan).
async fn signed_loan(sw: &mut Browser<'_>, name: &str, prog: &str, tag: &str) -> (String, String) {
    let person = register(sw, name).await;
    let loan = draft(sw, &person, prog, tag).await;
    let r = sw
        .submit(
            &format!("/loans/{loan}/signing"),
            &[
                ("borrower_strokes", &strokes()),
                ("social_worker_strokes", &strokes()),
                ("place", "Gent"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    (person, loan)
}

async fn a_return_receipt_is_signed_the_same_way_and_kept(b: Backend) {
    let app = spawn_app(b).await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let end = today().checked_add_months(Months::new(24)).expect("date");
    let prog = crate::loans::programme(&app, &coordinator, end).await;
    let ready = crate::loans::ready_devices(&app, "laptop", 1).await;
    let tag = s(&ready[0]["asset_tag"]);
    let office = welfare_office(&app).await;
    let mut sw = signed_in_as(&app, &office, "social_worker", "Sofie")
        .await
        .0;
    let (_, loan) = signed_loan(&mut sw, "Fatima El Amrani", &prog, &tag).await;
    let receipt_path = format!("/loans/{loan}/return-receipt");
    // Nothing came back yet: no receipt to sign.
    let page = sw.get(&format!("/loans/{loan}")).await;
    assert!(!page.body.contains(&receipt_path));
    let r = sw
        .submit(
            &receipt_path,
            &[
                ("borrower_strokes", &strokes()),
                ("social_worker_strokes", &strokes()),
                ("place", "Gent"),
            ],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);

    let r = sw
        .submit(
            &format!("/loans/{loan}/return"),
            &[("back-0", "yes"), ("condition-0", "kras op het deksel")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = sw.get(&r.location()).await;
    assert!(page.body.contains(&receipt_path), "{}", page.body);
    let form = sw.get(&receipt_path).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("canvas"));
    assert!(form.body.contains("Het ontvangstbewijs tekenen"));

    // The rules of the agreement: a mark for each, the full name, the attestation.
    let r = sw.submit(&receipt_path, &[("place", "Gent")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"f-borrower_strokes-error\""));
    assert!(r.body.contains("id=\"f-social_worker_strokes-error\""));
    let r = sw
        .submit(
            &receipt_path,
            &[
                ("borrower_typed", "Fatima"),
                ("social_worker_strokes", &strokes()),
                ("place", "Gent"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"f-borrower_typed-error\""));
    assert!(r.body.contains("id=\"f-attested-error\""));
    assert!(r.body.contains("value=\"Fatima\""), "typed values kept");
    let page = sw.get(&format!("/loans/{loan}")).await;
    assert!(!page.body.contains("/return-receipts/"), "nothing kept");

    let r = sw
        .submit(
            &receipt_path,
            &[
                ("borrower_typed", "fatima el  amrani"),
                ("attested", "yes"),
                ("social_worker_strokes", &strokes()),
                ("place", "Gent"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("/loans/{loan}?done=receipt"));
    let page = sw.get(&r.location()).await;
    assert!(page.body.contains("Het ontvangstbewijs is getekend."));
    assert!(
        !page.body.contains(&format!("href=\"{receipt_path}\"")),
        "signed once"
    );
    let start = page
        .body
        .find(&format!("/loans/{loan}/return-receipts/"))
        .expect("a link to the receipt");
    let href: String = page.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let pdf = sw.download(&href).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.content_type(), "application/pdf");
    let text = pdf_text(&pdf.bytes);
    for part in [
        "Ontvangstbewijs",
        "Teruggebracht door Fatima El Amrani",
        "Handtekening: fatima el amrani",
        "Getypt door Fatima El Amrani, bevestigd door Sofie.",
        "Ontvangen door Sofie",
        "Sofie",
        "Staat: kras op het deksel",
        "Toebehoren terug: geen",
        "Opgemaakt te Gent",
        &tag,
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(lines_drawn(&pdf.bytes) >= 20, "the drawn signature");
    // Nothing is left to sign.
    let r = sw
        .submit(
            &receipt_path,
            &[
                ("borrower_strokes", &strokes()),
                ("social_worker_strokes", &strokes()),
                ("place", "Gent"),
            ],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);

    // Another office gets neither the receipt nor its signing page.
    let other_office = welfare_office(&app).await;
    let mut other = signed_in_as(&app, &other_office, "social_worker", "Els")
        .await
        .0;
    for path in [href.clone(), receipt_path.clone()] {
        let r = other.get(&path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert!(!r.body.contains("Fatima"), "{path}");
    }
}
dual_test!(a_return_receipt_is_signed_the_same_way_and_kept);

/// A loan drawn up and signed through the API by a social worker of `office` for a new
/// borrower, over `devices`, from `start` to `end`; returns its id.
async fn api_loan(
    app: &TestApp,
    office: &str,
    prog: &str,
    devices: &[Value],
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
) -> String {
    let (_, token) = app.create_user(office, "social_worker").await;
    let bor = crate::loans::borrower(app, &token, "An De Smet").await;
    let ids: Vec<String> = devices.iter().map(|d| s(&d["id"])).collect();
    let r = app
        .post("/loans", &token, json!({ "borrower_id": bor["id"], "programme_id": prog, "device_ids": ids, "start_date": start, "end_date": end, "purpose": "school" }))
        .await;
    r.assert_status(201);
    let loan = s(&r.body["id"]);
    app.post(&format!("/loans/{loan}/sign"), &token, json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": start, "place": "Gent" }))
        .await
        .assert_status(200);
    loan
}

async fn a_non_return_raises_charges_paid_by_staff_and_waived_by_a_coordinator(b: Backend) {
    let app = spawn_app(b).await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let end = today().checked_add_months(Months::new(24)).expect("date");
    let prog = crate::loans::programme(&app, &coordinator, end).await;
    let ready = crate::loans::ready_devices(&app, "laptop", 2).await;
    let office = welfare_office(&app).await;
    let start = today().checked_sub_months(Months::new(8)).expect("date");
    let loan_end = start.checked_add_months(Months::new(7)).expect("date");
    let loan = api_loan(&app, &office, &prog, &ready, start, loan_end).await;
    let mut sw = signed_in_as(&app, &office, "social_worker", "Sofie")
        .await
        .0;
    let loan_path = format!("/loans/{loan}");

    let r = sw
        .submit(
            &format!("{loan_path}/non-return"),
            &[("non_return_note", "niet meer bereikbaar")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = sw.get(&r.location()).await;
    assert!(page.body.contains("Genoteerd als niet teruggebracht."));
    let api = app.get(&loan_path, &app.admin_token).await;
    assert_eq!(api.body["status"], "closed");
    let charges = api.body["charges"].as_array().expect("charges").clone();
    assert_eq!(charges.len(), 2, "{}", api.body);
    for c in &charges {
        assert_eq!(c["kind"], "non_return");
        assert_eq!(c["status"], "open");
        assert_eq!(c["amount_cents"], 20000);
    }
    let (paid, waived) = (s(&charges[0]["id"]), s(&charges[1]["id"]));
    // The charges are on the page; the social worker may take a payment but not waive.
    assert!(page.body.contains("€"), "{}", page.body);
    assert!(page.body.contains(&format!("/charges/{paid}/pay")));
    assert!(!page.body.contains(&format!("/charges/{waived}/waive")));
    let before = app.row_counts();
    let r = sw
        .submit(
            &format!("{loan_path}/charges/{waived}/waive"),
            &[(format!("reason-{waived}").as_str(), "geen inkomen")],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(app.row_counts(), before, "nothing changed");

    // A payment without a method comes back with the reason.
    let r = sw
        .submit(
            &format!("{loan_path}/charges/{paid}/pay"),
            &[(format!("amount-{paid}").as_str(), "20000")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(&format!("id=\"f-pay-{paid}\"")));
    let r = sw
        .submit(
            &format!("{loan_path}/charges/{paid}/pay"),
            &[
                (format!("amount-{paid}").as_str(), "20000"),
                (format!("method-{paid}").as_str(), "cash"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("{loan_path}?done=paid"));

    // The coordinator sees the waive form and waives the other charge, with a reason.
    let mut coord = signed_in_as(&app, &office, "coordinator", "Koen").await.0;
    let page = coord.get(&loan_path).await;
    assert!(page.body.contains(&format!("/charges/{waived}/waive")));
    let r = coord
        .submit(&format!("{loan_path}/charges/{waived}/waive"), &[])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = coord
        .submit(
            &format!("{loan_path}/charges/{waived}/waive"),
            &[(format!("reason-{waived}").as_str(), "geen inkomen")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let api = app.get(&loan_path, &app.admin_token).await;
    let status_of = |id: &str| {
        api.body["charges"]
            .as_array()
            .expect("charges")
            .iter()
            .find(|c| c["id"] == json!(id))
            .map(|c| c["status"].clone())
            .expect("the charge")
    };
    assert_eq!(status_of(&paid), "paid", "{}", api.body);
    assert_eq!(status_of(&waived), "waived", "{}", api.body);
}
dual_test!(a_non_return_raises_charges_paid_by_staff_and_waived_by_a_coordinator);

async fn a_loan_is_extended_up_to_the_programme_end(b: Backend) {
    let app = spawn_app(b).await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let prog_end = today().checked_add_months(Months::new(24)).expect("date");
    let prog = crate::loans::programme(&app, &coordinator, prog_end).await;
    let ready = crate::loans::ready_devices(&app, "laptop", 1).await;
    let office = welfare_office(&app).await;
    let loan_end = today().checked_add_months(Months::new(6)).expect("date");
    let loan = api_loan(&app, &office, &prog, &ready, today(), loan_end).await;
    let mut sw = signed_in_as(&app, &office, "social_worker", "Sofie")
        .await
        .0;
    let loan_path = format!("/loans/{loan}");
    // A chosen date: one that cannot be read comes back with the reason, nothing changed.
    let r = sw
        .submit(
            &format!("{loan_path}/extend"),
            &[("end_date", "31-02-2027")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"f-end_date-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"31-02-2027\""), "typed value kept");
    let api = app.get(&loan_path, &app.admin_token).await;
    assert_eq!(api.body["end_date"], json!(loan_end));
    let chosen = loan_end.checked_add_months(Months::new(1)).expect("date");
    let r = sw
        .submit(
            &format!("{loan_path}/extend"),
            &[("end_date", &chosen.format("%d-%m-%Y").to_string())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let api = app.get(&loan_path, &app.admin_token).await;
    assert_eq!(api.body["end_date"], json!(chosen));
    // Then as far as an extension goes.
    let loan_end = chosen;
    let r = sw.submit(&format!("{loan_path}/extend"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = sw.get(&r.location()).await;
    assert!(page.body.contains("De uitlening is verlengd."));
    let api = app.get(&loan_path, &app.admin_token).await;
    let extended = s(&api.body["end_date"]);
    assert!(extended > loan_end.to_string(), "{extended}");
    // Extended again until it reaches the programme's end; then the page says why not.
    let mut last = extended;
    for _ in 0..10 {
        let r = sw.submit(&format!("{loan_path}/extend"), &[]).await;
        let now = s(&app.get(&loan_path, &app.admin_token).await.body["end_date"]);
        if r.status == 303 {
            assert!(now > last, "{now} after {last}");
            last = now;
            continue;
        }
        assert!(r.status == 409 || r.status == 422, "{}", r.body);
        assert!(r.body.contains("id=\"f-extend\""), "{}", r.body);
        assert_eq!(now, last, "nothing changed");
        assert_eq!(now, prog_end.to_string());
        return;
    }
    panic!("the extensions never reached the programme's end");
}
dual_test!(a_loan_is_extended_up_to_the_programme_end);

async fn a_coordinator_filters_today_by_office(b: Backend) {
    let app = spawn_app(b).await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let end = today().checked_add_months(Months::new(24)).expect("date");
    let prog = crate::loans::programme(&app, &coordinator, end).await;
    let ready = crate::loans::ready_devices(&app, "laptop", 2).await;
    let (office, other_office) = (welfare_office(&app).await, welfare_office(&app).await);
    let mut sw = signed_in_as(&app, &office, "social_worker", "Sofie")
        .await
        .0;
    let fatima = register(&mut sw, "Fatima El Amrani").await;
    let mine = draft(&mut sw, &fatima, &prog, &s(&ready[0]["asset_tag"])).await;
    let mut other = signed_in_as(&app, &other_office, "social_worker", "Els")
        .await
        .0;
    let jan = register(&mut other, "Jan Peeters").await;
    let theirs = draft(&mut other, &jan, &prog, &s(&ready[1]["asset_tag"])).await;
    let mut coord = signed_in_as(&app, &office, "coordinator", "Koen").await.0;
    let all = coord.get("/loans").await;
    assert!(all.body.contains(&format!("/loans/{mine}")), "{}", all.body);
    assert!(all.body.contains(&format!("/loans/{theirs}")));
    assert!(
        all.body.contains(&format!("value=\"{other_office}\"")),
        "the offices to choose"
    );
    let only = coord.get(&format!("/loans?office_id={other_office}")).await;
    assert_eq!(only.status, 200);
    assert!(only.body.contains(&format!("/loans/{theirs}")));
    assert!(!only.body.contains(&format!("/loans/{mine}")));
    assert!(only
        .body
        .contains(&format!("value=\"{other_office}\" selected")));
    // A social worker has no choice: only their office, whatever the address asks.
    let asked = sw.get(&format!("/loans?office_id={other_office}")).await;
    assert!(!asked.body.contains(&format!("/loans/{theirs}")));
    assert!(!asked.body.contains("f-office_id"));
}
dual_test!(a_coordinator_filters_today_by_office);

async fn a_possible_duplicate_is_shown_before_registering_someone_else(b: Backend) {
    let app = spawn_app(b).await;
    let office = welfare_office(&app).await;
    let mut sw = signed_in_as(&app, &office, "social_worker", "Sofie")
        .await
        .0;
    let first = register(&mut sw, "Fatima El Amrani").await;
    let before = app.row_counts();
    let form = [
        ("name", "fatima el amrani"),
        ("date_of_birth", "12-04-1980"),
        ("language", "fr"),
        ("address", "Sleepstraat 9, 9000 Gent"),
    ];
    let r = sw.submit("/loans/people/register", &form).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.contains(&format!("/loans/people/{first}")),
        "the match is shown"
    );
    assert!(r.body.contains("id=\"f-confirm_new-error\""), "{}", r.body);
    assert!(r.body.contains("Sleepstraat 9"), "typed values kept");
    assert_eq!(app.row_counts(), before, "nobody registered");
    // It is someone else: registered anyway, as a new person.
    let mut confirmed = form.to_vec();
    confirmed.push(("confirm_new", "yes"));
    let r = sw.submit("/loans/people/register", &confirmed).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let second = id_in(&r.location(), "/loans/people/");
    assert_ne!(second, first);
    let api = app
        .get(&format!("/borrowers/{second}"), &app.admin_token)
        .await;
    api.assert_status(200);
    assert_eq!(api.body["language"], "fr");
    assert_eq!(api.body["address"], "Sleepstraat 9, 9000 Gent");
}
dual_test!(a_possible_duplicate_is_shown_before_registering_someone_else);
