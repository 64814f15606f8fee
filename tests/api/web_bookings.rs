//! The booking pages through HTTP (issue 15, part A): a school checks what is free before it
//! sends a request and is told the shortage; the service's own rules (notice, longest booking,
//! a maximum per kind, the yearly guideline with its motivation) come back next to the field;
//! another school sees none of it; the staff refuse with a reason the school reads. A small
//! cookie jar stands in for the browser.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, today, Backend, TestApp};

const PASSWORD: &str = "de fiets staat achter het stadhuis";

struct Page {
    status: StatusCode,
    location: String,
    body: String,
}

impl Page {
    fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let i = self.body.find(marker).expect("a csrf field") + marker.len();
        self.body[i..].chars().take_while(|c| *c != '"').collect()
    }

    fn assert(&self, status: u16) -> &Self {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        self
    }
}

/// A browser: cookies kept, no redirects followed.
struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookies: HashMap<String, String>,
    csrf: String,
}

impl<'a> Browser<'a> {
    /// A person with `role` in `organisation`, invited by the admin, who chose a password.
    async fn person(app: &'a TestApp, organisation: &str, name: &str, role: &str) -> Browser<'a> {
        let r = app
            .post(
                "/users",
                &app.admin_token,
                json!({ "organisation_id": organisation, "name": name, "role": role,
                        "email": format!("{}.{}@example.be", name.to_lowercase(), &uuid::Uuid::new_v4().simple().to_string()[..6]) }),
            )
            .await;
        r.assert_status(201);
        let id = r.body["id"].as_str().expect("id").to_string();
        let link = app.welcome_path(&id).await;
        let mut b = Browser {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookies: HashMap::new(),
            csrf: String::new(),
        };
        b.post_raw(&link, &[("password", PASSWORD)]).await;
        assert!(b.cookies.contains_key("dl_session"), "signed in");
        let home = b.get("/").await;
        b.csrf = home.csrf();
        b
    }

    async fn read(&mut self, res: reqwest::Response) -> Page {
        let status = res.status();
        for line in res.headers().get_all(SET_COOKIE) {
            let line = line.to_str().expect("ascii");
            if let Some((name, value)) = line.split(';').next().and_then(|p| p.split_once('=')) {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let location = res
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        Page {
            status,
            location,
            body: res.text().await.expect("body"),
        }
    }

    fn cookie(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn get(&mut self, path: &str) -> Page {
        let res = self
            .client
            .get(self.app.url(path))
            .header("cookie", self.cookie())
            .send()
            .await
            .expect("sent");
        self.read(res).await
    }

    async fn post_raw(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let res = self
            .client
            .post(self.app.url(path))
            .header("cookie", self.cookie())
            .form(form)
            .send()
            .await
            .expect("sent");
        self.read(res).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(form);
        self.post_raw(path, &all).await
    }
}

/// `n` ready pool devices of `kind`.
async fn pool(app: &TestApp, kind: &str, n: usize) -> Vec<String> {
    let donation = app.create_donation(&app.admin_token).await;
    let items: Vec<Value> = (0..n)
        .map(|_| json!({ "kind": kind, "brand": "Acme", "model": format!("{kind} model"), "in_pool": true }))
        .collect();
    let r = app
        .post(
            &format!("/donations/{donation}/devices"),
            &app.admin_token,
            Value::Array(items),
        )
        .await;
    r.assert_status(201);
    let mut tags = Vec::new();
    for d in r.body["devices"].as_array().expect("devices") {
        let id = d["id"].as_str().expect("id");
        crate::refurbishment::make_ready(app, &app.admin_token, id).await;
        tags.push(d["asset_tag"].as_str().expect("tag").to_string());
    }
    tags
}

/// A Monday at least `days` from today.
fn monday_after(days: i64) -> NaiveDate {
    let d = today() + Duration::days(days);
    d + Duration::days((7 - d.weekday().num_days_from_monday() as i64) % 7)
}

fn request<'a>(pickup: &'a str, ret: &'a str, step: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("pickup_on", pickup),
        ("return_on", ret),
        ("purpose", "Programmeerweek vijfde leerjaar"),
        ("contact_name", "Juf Sarah"),
        ("contact_email", "sarah@school.example.be"),
        ("step", step),
    ]
}

async fn a_school_sees_the_shortage_before_sending_and_another_school_sees_nothing(b: Backend) {
    let app = spawn_app(b).await;
    pool(&app, "tablet", 4).await;
    let school = app.create_org("Basisschool De Linde", "school").await;
    let other = app.create_org("Basisschool Elders", "school").await;
    let mut juf = Browser::person(&app, &school, "Sarah", "requester").await;
    let mut elders = Browser::person(&app, &other, "Ines", "requester").await;

    let list = juf.get("/reservations").await;
    list.assert(200);
    assert!(list.body.contains("Nieuwe aanvraag"), "{}", list.body);
    let cal = juf.get("/reservations/calendar").await;
    cal.assert(200);
    assert!(cal.body.contains("4 van 4"), "{}", cal.body);

    let pickup = monday_after(10).to_string();
    let ret = (monday_after(10) + Duration::days(4)).to_string();
    let mut form = request(&pickup, &ret, "check");
    form.push(("qty_tablet", "6"));
    let check = juf.post("/reservations/new", &form).await;
    check.assert(200);
    assert!(
        check.body.contains("Er is niet genoeg vrij"),
        "{}",
        check.body
    );
    assert!(
        check.body.contains("maar 4 vrij, er ontbreken er 2"),
        "{}",
        check.body
    );
    assert!(
        check
            .body
            .contains("value=\"Programmeerweek vijfde leerjaar\"")
            || check.body.contains(">Programmeerweek vijfde leerjaar<"),
        "the form stays filled in"
    );
    let before = app.get("/bookings", &app.admin_token).await;
    assert_eq!(before.body["items"], json!([]), "a check writes nothing");

    let mut form = request(&pickup, &ret, "send");
    form.push(("qty_tablet", "4"));
    let sent = juf.post("/reservations/new", &form).await;
    sent.assert(303);
    assert!(
        sent.location.starts_with("/reservations/"),
        "{}",
        sent.location
    );
    let ack = juf.get(&sent.location).await;
    ack.assert(200);
    assert!(
        ack.body.contains("We hebben je aanvraag goed ontvangen"),
        "{}",
        ack.body
    );
    let id = sent.location["/reservations/".len()..]
        .split('?')
        .next()
        .expect("id")
        .to_string();
    let reference = app
        .get(&format!("/bookings/{id}"), &app.admin_token)
        .await
        .body["reference"]
        .as_str()
        .expect("reference")
        .to_string();
    assert!(juf.get("/reservations").await.body.contains(&reference));

    // Another school: not in its list, and the booking's page is not found.
    assert!(!elders.get("/reservations").await.body.contains(&reference));
    elders.get(&format!("/reservations/{id}")).await.assert(404);
    elders
        .get(&format!("/reservations/{id}/confirmation.pdf"))
        .await
        .assert(404);
    let cancel = elders
        .post(&format!("/reservations/{id}/cancel"), &[])
        .await;
    assert_eq!(cancel.status.as_u16(), 404, "{}", cancel.body);
    // A requester has no desk.
    juf.get("/desk").await.assert(403);

    // The school changes the quantity, then cancels.
    let changed = juf
        .post(
            &format!("/reservations/{id}/change"),
            &[("pickup_on", &pickup), ("return_on", &ret), ("line_1", "3")],
        )
        .await;
    changed.assert(303);
    let r = app.get(&format!("/bookings/{id}"), &app.admin_token).await;
    assert_eq!(r.body["lines"][0]["quantity"], 3, "{}", r.body);
    juf.post(&format!("/reservations/{id}/cancel"), &[])
        .await
        .assert(303);
    let r = app.get(&format!("/bookings/{id}"), &app.admin_token).await;
    assert_eq!(r.body["status"], "cancelled");
}
dual_test!(a_school_sees_the_shortage_before_sending_and_another_school_sees_nothing);

async fn the_services_own_rules_come_back_next_to_the_field(b: Backend) {
    let app = spawn_app(b).await;
    pool(&app, "tablet", 2).await;
    let school = app.create_org("Basisschool De Linde", "school").await;
    let mut juf = Browser::person(&app, &school, "Sarah", "requester").await;

    // Too soon, too long, too many: each said next to its field, the form filled in.
    let soon = (today() + Duration::days(2)).to_string();
    let long = (today() + Duration::days(40)).to_string();
    let mut form = request(&soon, &long, "check");
    form.push(("qty_tablet", "31"));
    let r = juf.post("/reservations/new", &form).await;
    r.assert(422);
    for (field, text) in [
        ("pickup_on", "minstens 7 dagen na vandaag"),
        ("return_on", "hoogstens 21 dagen"),
        ("qty_tablet", "hoogstens 30 toestellen"),
    ] {
        assert!(
            r.body.contains(&format!("id=\"f-{field}-error\"")),
            "{field}: {}",
            r.body
        );
        assert!(r.body.contains(text), "{text}: {}", r.body);
    }
    assert!(r.body.contains("value=\"31\""), "typed values stay");

    // Past the yearly guideline: a motivation is asked for, and kept for the staff.
    let year_start = monday_after(14);
    for _ in 0..8 {
        let p = year_start;
        app.post(
            "/bookings",
            &app.admin_token,
            json!({ "organisation_id": school, "pickup_on": p, "return_on": p, "purpose": "Les",
                    "contact": { "name": "Juf", "email": "juf@school.example.be" },
                    "lines": [{ "kind": "tablet", "quantity": 1 }] }),
        )
        .await
        .assert_status(201);
    }
    let pickup = year_start.to_string();
    let mut form = request(&pickup, &pickup, "check");
    form.push(("qty_tablet", "1"));
    let r = juf.post("/reservations/new", &form).await;
    r.assert(200);
    assert!(r.body.contains("id=\"f-motivation\""), "{}", r.body);
    let mut form = request(&pickup, &pickup, "send");
    form.push(("qty_tablet", "1"));
    let r = juf.post("/reservations/new", &form).await;
    r.assert(422);
    assert!(r.body.contains("id=\"f-motivation-error\""), "{}", r.body);
    assert!(r.body.contains("boven de richtlijn"), "{}", r.body);
    form.push(("motivation", "Ons project loopt het hele jaar."));
    let r = juf.post("/reservations/new", &form).await;
    r.assert(303);
    let id = r.location["/reservations/".len()..]
        .split('?')
        .next()
        .expect("id")
        .to_string();
    let b = app.get(&format!("/bookings/{id}"), &app.admin_token).await;
    assert_eq!(
        b.body["note"], "Ons project loopt het hele jaar.",
        "{}",
        b.body
    );

    // The staff see it past the guideline, refuse it with a reason, and the school reads it.
    let mut staff = Browser::person(&app, &app.admin_org, "Tom", "lending_staff").await;
    let desk = staff.get("/desk").await;
    desk.assert(200);
    let page = staff.get(&format!("/desk/{id}")).await;
    page.assert(200);
    assert!(page.body.contains("Boven de richtlijn"), "{}", page.body);
    let r = staff
        .post(&format!("/desk/{id}/refuse"), &[("reason", "  ")])
        .await;
    r.assert(422);
    assert!(r.body.contains("id=\"f-reason-error\""), "{}", r.body);
    staff
        .post(
            &format!("/desk/{id}/refuse"),
            &[("reason", "Alle tablets zijn die week al weg.")],
        )
        .await
        .assert(303);
    let mine = juf.get(&format!("/reservations/{id}")).await;
    mine.assert(200);
    assert!(
        mine.body.contains("Alle tablets zijn die week al weg."),
        "{}",
        mine.body
    );
    assert!(mine.body.contains("Geannuleerd"), "{}", mine.body);
}
dual_test!(the_services_own_rules_come_back_next_to_the_field);

async fn the_desk_says_a_shortage_and_scans_work_without_javascript(b: Backend) {
    let app = spawn_app(b).await;
    let tags = pool(&app, "tablet", 2).await;
    let school = app.create_org("Basisschool De Linde", "school").await;
    let mut juf = Browser::person(&app, &school, "Sarah", "requester").await;
    let mut staff = Browser::person(&app, &app.admin_org, "Tom", "lending_staff").await;
    let pickup = monday_after(10).to_string();
    let mut form = request(&pickup, &pickup, "send");
    form.push(("qty_tablet", "3"));
    let sent = juf.post("/reservations/new", &form).await;
    sent.assert(303);
    let id = sent.location["/reservations/".len()..]
        .split('?')
        .next()
        .expect("id")
        .to_string();

    // Not enough free: said per kind, nothing held.
    let r = staff.post(&format!("/desk/{id}/confirm"), &[]).await;
    r.assert(409);
    assert!(
        r.body.contains("Er zijn niet genoeg toestellen vrij"),
        "{}",
        r.body
    );
    assert!(r.body.contains("tablets: 3 gevraagd, 2 vrij"), "{}", r.body);
    let booking = app.get(&format!("/bookings/{id}"), &app.admin_token).await;
    assert_eq!(booking.body["status"], "requested");

    // Two it is; the day of the pick-up comes.
    let day = today() + Duration::days(1);
    app.patch(
        &format!("/bookings/{id}"),
        &app.admin_token,
        json!({ "quantities": [{ "line_no": 1, "quantity": 2 }], "pickup_on": day, "return_on": day }),
    )
    .await
    .assert_status(200);
    staff
        .post(&format!("/desk/{id}/confirm"), &[])
        .await
        .assert(303);

    // Each scan is a plain form post answered with the page, the outcome at the top.
    staff.get(&format!("/desk/{id}/pickup")).await.assert(200);
    let r = staff
        .post(
            &format!("/desk/{id}/pickup"),
            &[("tag", &tags[0]), ("do", "scan")],
        )
        .await;
    r.assert(200);
    assert!(r.body.contains("data-beep=\"ok\""), "{}", r.body);
    assert!(r.body.contains("tablets: 1 van 2"), "{}", r.body);
    assert!(
        r.body.contains("data-keep-focus"),
        "the focus goes back to the field"
    );
    let r = staff
        .post(
            &format!("/desk/{id}/pickup"),
            &[("tag", "GNT-999999"), ("do", "scan")],
        )
        .await;
    assert!(r.body.contains("data-beep=\"error\""), "{}", r.body);
    assert!(r.body.contains("kennen we niet"), "{}", r.body);
    // The label's URL works as well as the tag.
    let url = format!("https://uitleen.example.be/d/{}", tags[1]);
    let r = staff
        .post(
            &format!("/desk/{id}/pickup"),
            &[("tag", &url), ("do", "scan")],
        )
        .await;
    assert!(r.body.contains("tablets: 2 van 2"), "{}", r.body);
    staff
        .post(&format!("/desk/{id}/pickup"), &[("do", "done")])
        .await
        .assert(303);
    let booking = app.get(&format!("/bookings/{id}"), &app.admin_token).await;
    assert_eq!(booking.body["status"], "picked_up", "{}", booking.body);

    // The school's confirmation.
    let pdf = juf
        .client
        .get(app.url(&format!("/reservations/{id}/confirmation.pdf")))
        .header("cookie", juf.cookie())
        .send()
        .await
        .expect("sent");
    assert_eq!(pdf.status().as_u16(), 200);
    assert_eq!(
        pdf.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
}
dual_test!(the_desk_says_a_shortage_and_scans_work_without_javascript);
