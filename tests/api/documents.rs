//! The documents say what is true: the loan agreement names the device's owner, the donor
//! certificate is fully in the language asked and carries NIST's fields, its CSV opens in a
//! Belgian Excel, the pick list shows accessories, the booking confirmation says where and
//! when to pick up, and every printed word is in the document's language.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{pdf_text, spawn_app, today, Backend, TestApp};

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

/// Registers one device with the admin and makes it ready; returns its JSON.
async fn ready_device(app: &TestApp, body: Value) -> Value {
    let r = app.post("/devices", &app.admin_token, body).await;
    r.assert_status(201);
    let id = s(&r.body["id"]);
    crate::refurbishment::make_ready(app, &app.admin_token, &id).await;
    app.get(&format!("/devices/{id}"), &app.admin_token)
        .await
        .body
}

/// Gives the lending service (the admin's organisation) its address and hours.
async fn describe_lending_service(app: &TestApp) {
    app.patch(
        &format!("/organisations/{}", app.admin_org),
        &app.admin_token,
        json!({ "address": "Kortrijksesteenweg 1, 9000 Gent",
                "opening_hours": "ma–vr 9–12 u en 13–16 u",
                "return_instructions": "Breng alles terug aan de balie op het gelijkvloers." }),
    )
    .await
    .assert_status(200);
}

/// A welfare office lends a laptop and headphones of the lending service to a borrower who
/// reads `language`: (loan id, borrower id, social worker token, office name).
async fn loan_for(app: &TestApp, language: &str) -> (String, String, String, String) {
    let office_name = format!("OCMW Wondelgem {}", uuid::Uuid::new_v4().simple());
    let office = app.create_org(&office_name, "welfare_office").await;
    let (_, sw) = app.create_user(&office, "social_worker").await;
    let laptop = ready_device(
        app,
        json!({ "kind": "laptop", "brand": "Lenovo", "model": "ThinkPad T480",
                "specs": { "drives": [ { "type": "ssd", "size_gb": 256 } ] } }),
    )
    .await;
    assert_eq!(laptop["owner_organisation_id"], json!(app.admin_org));
    let headphones = ready_device(
        app,
        json!({ "kind": "peripheral", "subtype": "headphones", "brand": "JBL", "model": "Tune 510" }),
    )
    .await;
    let end = today() + Duration::days(400);
    let prog = app
        .post(
            "/programmes",
            &app.admin_token,
            json!({ "name": format!("Digibank {}", uuid::Uuid::new_v4().simple()), "end_date": end }),
        )
        .await;
    prog.assert_status(201);
    let bor = app
        .post(
            "/borrowers",
            &sw,
            json!({ "name": "Nadia El Amrani", "date_of_birth": "1979-02-03", "language": language }),
        )
        .await;
    bor.assert_status(201);
    let r = app
        .post(
            "/loans",
            &sw,
            json!({ "borrower_id": bor.body["id"], "programme_id": prog.body["id"],
                    "device_ids": [laptop["id"], headphones["id"]], "start_date": today(),
                    "accessories": ["lader"], "purpose": "job_search" }),
        )
        .await;
    r.assert_status(201);
    let loan = s(&r.body["id"]);
    app.post(
        &format!("/loans/{loan}/sign"),
        &sw,
        json!({ "borrower_signed": true, "social_worker_signed": true, "signed_on": today(), "place": "Gent" }),
    )
    .await
    .assert_status(200);
    (loan, s(&bor.body["id"]), sw, office_name)
}

/// The agreement names the organisation that owns the devices (with its address), not the
/// welfare office that lends them out; kinds and purpose are in the borrower's language.
async fn the_agreement_names_the_owner_in_the_borrowers_language(b: Backend) {
    let app = spawn_app(b).await;
    describe_lending_service(&app).await;
    let (loan, _, sw, office_name) = loan_for(&app, "fr").await;
    let pdf = app.get(&format!("/loans/{loan}/agreement.pdf"), &sw).await;
    pdf.assert_status(200);
    let text = pdf_text(&pdf.bytes);
    assert!(
        text.contains("Convention de prêt à usage"),
        "French: {text}"
    );
    assert!(
        text.contains("Digitale Uitleendienst Gent, Kortrijksesteenweg 1, 9000 Gent"),
        "the owner and its address are the lender: {text}"
    );
    assert!(
        text.contains("propriété de Digitale Uitleendienst Gent"),
        "the device stays the owner's: {text}"
    );
    assert!(
        !text.contains(&office_name),
        "the welfare office is not the lender: {text}"
    );
    let lower = text.to_lowercase();
    for french in ["ordinateur portable", "casque audio", "recherche d'emploi"] {
        assert!(lower.contains(french), "`{french}` in {text}");
    }
    for english in ["laptop", "headphones", "job_search", "looking for work"] {
        assert!(!lower.contains(english), "`{english}` in {text}");
    }
}
dual_test!(the_agreement_names_the_owner_in_the_borrowers_language);

/// After anonymisation the agreement names "the anonymised borrower" in Dutch, not in
/// English, and kinds are Dutch.
async fn an_anonymised_borrower_is_named_in_the_documents_language(b: Backend) {
    let app = spawn_app(b).await;
    let (loan, bor, sw, _) = loan_for(&app, "nl").await;
    let detail = app.get(&format!("/loans/{loan}"), &sw).await;
    let devices: Vec<Value> = detail.body["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .map(|d| json!({ "device_id": d["device"]["id"], "condition": "goed" }))
        .collect();
    app.post(
        &format!("/loans/{loan}/return"),
        &sw,
        json!({ "devices": devices }),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/borrowers/{bor}/anonymise"),
        &app.admin_token,
        json!({}),
    )
    .await
    .assert_status(200);
    let pdf = app
        .get(&format!("/loans/{loan}/agreement.pdf"), &app.admin_token)
        .await;
    pdf.assert_status(200);
    let text = pdf_text(&pdf.bytes);
    assert!(text.contains("Bruikleenovereenkomst"), "Dutch: {text}");
    assert!(text.contains("Geanonimiseerde ontlener"), "{text}");
    assert!(!text.contains("Nadia"), "the person is gone: {text}");
    assert!(!text.contains("Anonymised"), "no English: {text}");
    assert!(text.contains("Koptelefoon – JBL"), "Dutch kind: {text}");
    assert!(text.contains("werk zoeken"), "Dutch purpose: {text}");
}
dual_test!(an_anonymised_borrower_is_named_in_the_documents_language);

/// A donation of three laptops, wiped and made ready; one is then retired. Returns
/// (donation id, asset tags, retired tag).
async fn certified_batch(app: &TestApp) -> (String, Vec<String>, String) {
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", 3)
        .await;
    let mut tags = Vec::new();
    for d in &devices {
        crate::refurbishment::make_ready(app, &app.admin_token, &s(&d["id"])).await;
        tags.push(s(&d["asset_tag"]));
    }
    let retired = &devices[2];
    app.post(
        &format!("/devices/{}/actions/retire", s(&retired["id"])),
        &app.admin_token,
        json!({}),
    )
    .await
    .assert_status(200);
    // Every wipe was recorded through the API with `verified_by: Jan Peeters`.
    (donation, tags, s(&retired["asset_tag"]))
}

/// The Dutch and French certificates have no English method, technique, verification or
/// drive words; they name the verifier and the destination after sanitisation.
async fn the_certificate_is_fully_in_the_language_asked(b: Backend) {
    let app = spawn_app(b).await;
    let (donation, tags, _) = certified_batch(&app).await;
    let english = [
        "cryptographic",
        "crypto_erase",
        "erase",
        "purge /",
        "clear",
        "overwrite",
        "full",
        "sample",
        "reuse",
        "recycling",
        "unknown",
    ];
    let mut texts = Vec::new();
    for lang in ["nl", "fr"] {
        let r = app
            .get(
                &format!("/donations/{donation}/certificate.pdf?lang={lang}"),
                &app.admin_token,
            )
            .await;
        r.assert_status(200);
        let text = pdf_text(&r.bytes);
        let lower = text.to_lowercase();
        for word in english {
            assert!(!lower.contains(word), "{lang}: `{word}` in {text}");
        }
        for tag in &tags {
            assert!(text.contains(tag.as_str()), "{lang}: {tag} in {text}");
        }
        texts.push(text);
    }
    let (nl, fr) = (&texts[0], &texts[1]);
    for needle in [
        "zuiveren: cryptografisch wissen",
        "volledig door Jan Peeters",
        "geslaagd hergebruik",
        "geslaagd recyclage",
    ] {
        assert!(nl.contains(needle), "nl: `{needle}` in {nl}");
    }
    for needle in [
        "purge : effacement cryptographique",
        "complète par Jan Peeters",
        "réussi réemploi",
        "réussi recyclage",
    ] {
        assert!(fr.contains(needle), "fr: `{needle}` in {fr}");
    }
    // English stays available.
    let en = app
        .get(
            &format!("/donations/{donation}/certificate.pdf?lang=en"),
            &app.admin_token,
        )
        .await;
    let en = pdf_text(&en.bytes);
    assert!(en.contains("purge: cryptographic erase"), "{en}");
    assert!(en.contains("full by Jan Peeters"), "{en}");
}
dual_test!(the_certificate_is_fully_in_the_language_asked);

/// The CSV starts with a UTF-8 BOM and separates cells with `;`, one row per drive, with the
/// verifier and the destination (recycling for the retired device).
async fn the_certificate_csv_opens_in_a_belgian_excel(b: Backend) {
    let app = spawn_app(b).await;
    let (donation, tags, retired) = certified_batch(&app).await;
    let r = app
        .get(
            &format!("/donations/{donation}/certificate.csv"),
            &app.admin_token,
        )
        .await;
    r.assert_status(200);
    assert!(r.content_type.starts_with("text/csv"));
    assert!(
        r.bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "a UTF-8 byte order mark"
    );
    let text = String::from_utf8(r.bytes[3..].to_vec()).expect("UTF-8");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(';').collect();
    assert!(header.len() > 10, "`;` separates the header: {header:?}");
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("column {name} in {header:?}"))
    };
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(';').collect()).collect();
    assert_eq!(rows.len(), tags.len(), "one row per drive");
    for row in &rows {
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert_eq!(row[col("verified_by")], "Jan Peeters");
        assert_eq!(row[col("technique")], "crypto_erase");
        let expected = if row[col("asset_tag")] == retired {
            "recycling"
        } else {
            "reuse"
        };
        assert_eq!(row[col("destination")], expected, "{row:?}");
    }
}
dual_test!(the_certificate_csv_opens_in_a_belgian_excel);

/// The Monday of next week (1 to 7 days from today).
fn next_monday() -> NaiveDate {
    let t = today();
    t + Duration::days(7 - t.weekday().num_days_from_monday() as i64)
}

/// A confirmed booking of two tablets and two headphones, each with accessories:
/// (booking id, staff token, requester token).
async fn confirmed_booking(app: &TestApp) -> (String, String, String) {
    for (kind, subtype, accessories) in [
        ("tablet", None, "lader, hoes"),
        ("tablet", None, "lader, hoes"),
        ("peripheral", Some("headphones"), "jack-kabel"),
        ("peripheral", Some("headphones"), "jack-kabel"),
    ] {
        ready_device(
            app,
            json!({ "kind": kind, "subtype": subtype, "brand": "Acme", "model": "M1",
                    "in_pool": true, "shelf_location": "Kast 1", "accessories": accessories }),
        )
        .await;
    }
    let (_, requester) = app.user_in_new_org("requester", "school").await;
    let (_, staff) = app.create_user(&app.admin_org, "lending_staff").await;
    let mon = next_monday();
    let r = app
        .post(
            "/bookings",
            &requester,
            json!({ "pickup_on": mon, "return_on": mon + Duration::days(4),
                    "purpose": "Muziekles", "contact": { "name": "Juf Sarah", "email": "sarah@school.example.be" },
                    "lines": [ { "kind": "tablet", "quantity": 2 },
                               { "kind": "peripheral", "subtype": "headphones", "quantity": 2 } ] }),
        )
        .await;
    r.assert_status(201);
    let id = s(&r.body["id"]);
    app.post(&format!("/bookings/{id}/confirm"), &staff, json!({}))
        .await
        .assert_status(200);
    (id, staff, requester)
}

/// The pick list shows each device's accessories, with kinds in the list's language.
async fn the_pick_list_shows_accessories(b: Backend) {
    let app = spawn_app(b).await;
    let (id, staff, _) = confirmed_booking(&app).await;
    let r = app
        .get(&format!("/bookings/{id}/pick-list.pdf"), &staff)
        .await;
    r.assert_status(200);
    let nl = pdf_text(&r.bytes);
    assert!(nl.contains("Toebehoren"), "an accessories column: {nl}");
    assert_eq!(nl.matches("lader, hoes").count(), 2, "{nl}");
    assert_eq!(nl.matches("jack-kabel").count(), 2, "{nl}");
    assert_eq!(nl.matches("koptelefoon").count(), 2, "{nl}");
    let r = app
        .get(&format!("/bookings/{id}/pick-list.pdf?lang=fr"), &staff)
        .await;
    r.assert_status(200);
    let fr = pdf_text(&r.bytes);
    assert!(fr.contains("Accessoires"), "{fr}");
    assert_eq!(fr.matches("casque audio").count(), 2, "{fr}");
    assert!(!fr.contains("headphones"), "{fr}");
}
dual_test!(the_pick_list_shows_accessories);

/// The confirmation says where and when to pick up (the lending organisation's address and
/// opening hours) and how to return, in the language asked.
async fn the_confirmation_says_where_and_when_to_pick_up(b: Backend) {
    let app = spawn_app(b).await;
    describe_lending_service(&app).await;
    let (id, _, requester) = confirmed_booking(&app).await;
    let r = app
        .get(&format!("/bookings/{id}/confirmation.pdf"), &requester)
        .await;
    r.assert_status(200);
    let nl = pdf_text(&r.bytes);
    let pickup = next_monday().format("%d-%m-%Y").to_string();
    for needle in [
        format!("{pickup} bij Digitale Uitleendienst Gent, Kortrijksesteenweg 1, 9000 Gent"),
        "Openingsuren ma–vr 9–12 u en 13–16 u".to_string(),
        "Hoe terugbrengen Breng alles terug aan de balie op het gelijkvloers.".to_string(),
        "koptelefoon 2".to_string(),
        "tablet 2".to_string(),
    ] {
        assert!(nl.contains(&needle), "`{needle}` in {nl}");
    }
    let r = app
        .get(
            &format!("/bookings/{id}/confirmation.pdf?lang=fr"),
            &requester,
        )
        .await;
    let fr = pdf_text(&r.bytes);
    for needle in [
        "Heures d'ouverture ma–vr 9–12 u en 13–16 u",
        "chez Digitale Uitleendienst Gent, Kortrijksesteenweg 1",
        "casque audio 2",
        "tablette 2",
    ] {
        assert!(fr.contains(needle), "`{needle}` in {fr}");
    }
    // A lending service that wrote down nothing: the confirmation leaves those lines out.
    app.patch(
        &format!("/organisations/{}", app.admin_org),
        &app.admin_token,
        json!({ "address": "", "opening_hours": "", "return_instructions": "" }),
    )
    .await
    .assert_status(200);
    let r = app
        .get(&format!("/bookings/{id}/confirmation.pdf"), &requester)
        .await;
    let bare = pdf_text(&r.bytes);
    assert!(!bare.contains("Openingsuren") && !bare.contains("Kortrijksesteenweg"));
}
dual_test!(the_confirmation_says_where_and_when_to_pick_up);
