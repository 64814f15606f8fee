//! The lending service's pages through HTTP, as a browser without JavaScript uses them: the
//! inventory (search by a scanned label, edit fields), donations (register, CSV upload with a
//! table of bad rows, assign), labels (a PDF comes back) and administration (organisations,
//! invitations, a person's role, access and tokens). People of another role or organisation
//! are refused, and the API's own routes on the same paths still answer JSON.

use std::collections::HashMap;

use reqwest::header::{CONTENT_TYPE, LOCATION, SET_COOKIE};
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, Backend, TestApp};

const PASSWORD: &str = "de fiets staat achter het stadhuis";

fn s(v: &Value) -> String {
    v.as_str().expect("string").to_string()
}

/// What a browser read.
struct Seen {
    status: u16,
    location: String,
    content_type: String,
    body: String,
    bytes: Vec<u8>,
}

impl Seen {
    fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let i = self.body.find(marker).expect("a csrf field") + marker.len();
        self.body[i..].chars().take_while(|c| *c != '"').collect()
    }

    fn is(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "{}", self.body);
        self
    }
}

/// A browser without JavaScript: a cookie jar, no redirects followed.
struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookies: HashMap<String, String>,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Browser<'a> {
        Browser {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookies: HashMap::new(),
        }
    }

    async fn read(&mut self, res: reqwest::Response) -> Seen {
        let status = res.status().as_u16();
        for line in res.headers().get_all(SET_COOKIE) {
            let line = line.to_str().expect("ascii");
            if let Some((k, v)) = line.split(';').next().and_then(|p| p.split_once('=')) {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let header = |name| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let location = header(LOCATION);
        let content_type = header(CONTENT_TYPE);
        let bytes = res.bytes().await.expect("body").to_vec();
        Seen {
            status,
            location,
            content_type,
            body: String::from_utf8_lossy(&bytes).to_string(),
            bytes,
        }
    }

    fn jar(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn get(&mut self, path: &str) -> Seen {
        let res = self
            .client
            .get(self.app.url(path))
            .header("cookie", self.jar())
            .header("accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .expect("sent");
        self.read(res).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Seen {
        let res = self
            .client
            .post(self.app.url(path))
            .header("cookie", self.jar())
            .form(form)
            .send()
            .await
            .expect("sent");
        self.read(res).await
    }

    /// A form with one file, as a browser sends it (`multipart/form-data`).
    async fn upload(
        &mut self,
        path: &str,
        csrf: &str,
        field: &str,
        name: &str,
        file: &str,
    ) -> Seen {
        let boundary = "----digilendtest7MA4YWxkTrZu0gW";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n\
             Content-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
        );
        let res = self
            .client
            .post(self.app.url(path))
            .header("cookie", self.jar())
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("sent");
        self.read(res).await
    }
}

/// A person with `role` in `org` and an e-mail address, signed in through their invitation:
/// (their browser, their user id).
async fn signed_in<'a>(
    app: &'a TestApp,
    org: &str,
    name: &str,
    role: &str,
) -> (Browser<'a>, String) {
    let r = app
        .post(
            "/users",
            &app.admin_token,
            json!({ "organisation_id": org, "name": name, "role": role,
                    "email": format!("{}.{}@example.be", name.to_lowercase(), &uuid::Uuid::new_v4().simple().to_string()[..8]) }),
        )
        .await;
    r.assert_status(201);
    let id = s(&r.body["id"]);
    let path = app.welcome_path(&id).await;
    let mut b = Browser::new(app);
    b.post(&path, &[("password", PASSWORD)]).await;
    assert!(
        b.cookies.contains_key("dl_session"),
        "signed in by the link"
    );
    (b, id)
}

/// Lending staff of the lending service (the admin's organisation).
async fn staff(app: &TestApp) -> Browser<'_> {
    let me = app.get("/me", &app.admin_token).await;
    let org = s(&me.body["organisation_id"]);
    signed_in(app, &org, "Lotte", "lending_staff").await.0
}

async fn staff_find_a_device_by_its_scanned_label_and_edit_it(b: Backend) {
    let app = spawn_app(b).await;
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", 3)
        .await;
    let (tag, id) = (s(&devices[1]["asset_tag"]), s(&devices[1]["id"]));
    let mut web = staff(&app).await;
    // The home page and the navigation lead to the inventory, donations and labels.
    let home = web.get("/").await;
    home.is(200);
    for href in ["/inventory", "/donations", "/labels"] {
        assert!(home.body.contains(&format!("href=\"{href}\"")), "{href}");
    }
    assert!(!home.body.contains("href=\"/admin/organisations\""));
    // A handheld scanner types the label's URL: that one device, with its links.
    let url = format!("https://uitleen.example.be/d/{}", tag.to_lowercase());
    let q = serde_urlencoded::to_string([("q", url.as_str())]).expect("query");
    let page = web.get(&format!("/inventory?{q}")).await;
    page.is(200);
    assert!(
        page.body.contains(&format!("href=\"/d/{tag}\"")),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("/inventory/{id}/edit")));
    assert!(!page.body.contains(&s(&devices[0]["asset_tag"])));
    // Filters: status and kind; the three laptops are listed.
    let page = web.get("/inventory?q=&status=received&kind=laptop").await;
    page.is(200);
    for d in &devices {
        assert!(page.body.contains(&s(&d["asset_tag"])));
    }
    let page = web.get("/inventory?q=&status=ready&kind=").await;
    assert!(!page.body.contains(&tag));
    // The device page is the bench's page with its history.
    web.get(&format!("/d/{tag}")).await.is(200);
    // Edit: a refused form comes back filled in, the reason next to the field.
    let form = web.get(&format!("/inventory/{id}/edit")).await;
    form.is(200);
    let csrf = form.csrf();
    let path = format!("/inventory/{id}/edit");
    let refused = web
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("brand", ""),
                ("model", "ThinkPad T490"),
                ("shelf_location", "Rek 4"),
                ("in_pool_was", "false"),
            ],
        )
        .await;
    refused.is(422);
    assert!(
        refused.body.contains("id=\"f-brand-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"ThinkPad T490\""));
    assert!(refused.body.contains("value=\"Rek 4\""));
    let before = app.get(&format!("/devices/{id}"), &app.admin_token).await;
    assert_eq!(before.body["model"], "ThinkPad T480", "nothing changed");
    // Without the CSRF token: refused.
    web.post(&path, &[("brand", "Dell")]).await.is(403);
    let saved = web
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("brand", "Lenovo"),
                ("model", "ThinkPad T490"),
                ("shelf_location", "Rek 4"),
                ("in_pool", "true"),
                ("in_pool_was", "false"),
            ],
        )
        .await;
    saved.is(303);
    assert_eq!(saved.location, format!("/inventory/{id}/edit?saved=1"));
    let after = app.get(&format!("/devices/{id}"), &app.admin_token).await;
    assert_eq!(after.body["model"], "ThinkPad T490");
    assert_eq!(after.body["shelf_location"], "Rek 4");
    assert_eq!(after.body["in_pool"], true);
    let history = app
        .get(&format!("/devices/{id}/history"), &app.admin_token)
        .await;
    assert!(history
        .body
        .as_array()
        .expect("events")
        .iter()
        .any(|e| e["action"] == "edited"));
    assert!(web.get(&saved.location).await.body.contains("opgeslagen"));
}
dual_test!(staff_find_a_device_by_its_scanned_label_and_edit_it);

async fn a_donation_is_registered_uploaded_and_assigned(b: Backend) {
    let app = spawn_app(b).await;
    let workshop = app.create_org("Werkplaats De Sleutel", "workshop").await;
    let mut web = staff(&app).await;
    let list = web.get("/donations").await;
    list.is(200);
    let csrf = list.csrf();
    // The API's list on the same path still answers JSON to a token.
    let api = app.get("/donations", &app.admin_token).await;
    api.assert_status(200);
    assert!(api.body["items"].is_array());
    // Refused: where it was received is missing; the donor comes back.
    let refused = web
        .post(
            "/donations",
            &[
                ("csrf", &csrf),
                ("donor_name", "Bakkerij Janssens"),
                ("received_on", "2026-11-02"),
                ("received_at", ""),
            ],
        )
        .await;
    refused.is(422);
    assert!(
        refused.body.contains("id=\"f-received_at-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"Bakkerij Janssens\""));
    let made = web
        .post(
            "/donations",
            &[
                ("csrf", &csrf),
                ("donor_name", "Bakkerij Janssens"),
                ("received_on", "2026-11-02"),
                ("received_at", "Depot Wondelgem"),
            ],
        )
        .await;
    made.is(303);
    let id = made
        .location
        .strip_prefix("/donations/")
        .and_then(|r| r.split('?').next())
        .expect("the batch's page")
        .to_string();
    let page = web.get(&made.location).await;
    page.is(200);
    assert!(page.body.contains("Bakkerij Janssens"));
    // A file with a bad row: a table of every bad row and column, nothing imported.
    let bad = "soort;merk;model;serienummer\nlaptop;Lenovo;T480;PF1A\nlaptop;;T480;PF1B\nbroodrooster;HP;X;PF1C\n";
    let refused = web
        .upload(
            &format!("/donations/{id}/upload"),
            &csrf,
            "file",
            "schenking.csv",
            bad,
        )
        .await;
    refused.is(422);
    assert!(
        refused.body.contains("id=\"csv-problems\""),
        "{}",
        refused.body
    );
    let table = &refused.body[refused.body.find("id=\"csv-problems\"").expect("table")..];
    assert!(
        table.contains("</span>3</th>") && table.contains("brand"),
        "{table}"
    );
    assert!(
        table.contains("</span>4</th>") && table.contains("kind"),
        "{table}"
    );
    let none = app
        .get(&format!("/devices?donation_id={id}"), &app.admin_token)
        .await;
    assert_eq!(none.body["items"].as_array().map(Vec::len), Some(0));
    // No file chosen: said next to the field.
    let empty = web
        .upload(&format!("/donations/{id}/upload"), &csrf, "file", "", "")
        .await;
    empty.is(422);
    assert!(empty.body.contains("id=\"f-file-error\""));
    // The good file.
    let good = "soort;merk;model;serienummer\nlaptop;Lenovo;T480;PF1A\nlaptop;Dell;E7470;PF1B\n";
    let ok = web
        .upload(
            &format!("/donations/{id}/upload"),
            &csrf,
            "file",
            "schenking.csv",
            good,
        )
        .await;
    ok.is(303);
    assert_eq!(ok.location, format!("/donations/{id}?done=upload&n=2"));
    let two = app
        .get(&format!("/devices?donation_id={id}"), &app.admin_token)
        .await;
    assert_eq!(two.body["items"].as_array().map(Vec::len), Some(2));
    let page = web.get(&ok.location).await;
    assert!(
        page.body.contains("Opgeslagen toestellen: 2."),
        "{}",
        page.body
    );
    // Assign it to the workshop: refused without a choice, then done.
    web.post(
        &format!("/donations/{id}/workshop"),
        &[("csrf", &csrf), ("workshop_id", "")],
    )
    .await
    .is(422);
    let assigned = web
        .post(
            &format!("/donations/{id}/workshop"),
            &[("csrf", &csrf), ("workshop_id", &workshop)],
        )
        .await;
    assigned.is(303);
    let d = app.get(&format!("/donations/{id}"), &app.admin_token).await;
    assert_eq!(d.body["workshop_id"], Value::String(workshop.clone()));
    let page = web.get(&assigned.location).await;
    assert!(page.body.contains("Werkplaats De Sleutel"));
    // Labels for the batch: a PDF comes back.
    let labels = web.get(&format!("/labels?donation_id={id}")).await;
    labels.is(200);
    let stock = {
        let stocks = app.get("/label-stocks", &app.admin_token).await;
        s(&stocks.body[0]["id"])
    };
    let pdf = web
        .post(
            "/labels/print",
            &[
                ("csrf", &labels.csrf()),
                ("choice", "donation"),
                ("donation_id", &id),
                ("stock", &stock),
                ("skip", "1"),
            ],
        )
        .await;
    pdf.is(200);
    assert_eq!(pdf.content_type, "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF"));
}
dual_test!(a_donation_is_registered_uploaded_and_assigned);

async fn labels_by_scanned_tags_name_the_unknown_ones(b: Backend) {
    let app = spawn_app(b).await;
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "tablet", 2)
        .await;
    let mut web = staff(&app).await;
    let page = web.get("/labels").await;
    page.is(200);
    let csrf = page.csrf();
    let stocks = app.get("/label-stocks", &app.admin_token).await;
    let stock = s(&stocks.body[0]["id"]);
    let tags = format!(
        "https://uitleen.example.be/d/{}\n{}\nGNT-999999\n",
        s(&devices[0]["asset_tag"]),
        s(&devices[1]["asset_tag"]).to_lowercase()
    );
    let refused = web
        .post(
            "/labels/print",
            &[
                ("csrf", &csrf),
                ("choice", "tags"),
                ("tags", &tags),
                ("stock", &stock),
                ("skip", "0"),
            ],
        )
        .await;
    refused.is(422);
    assert!(
        refused.body.contains("id=\"f-tags-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("GNT-999999"));
    let tags = tags.replace("GNT-999999\n", "");
    let pdf = web
        .post(
            "/labels/print",
            &[
                ("csrf", &csrf),
                ("choice", "tags"),
                ("tags", &tags),
                ("stock", &stock),
                ("skip", "0"),
            ],
        )
        .await;
    pdf.is(200);
    assert!(pdf.bytes.starts_with(b"%PDF"));
    // Positions beyond the sheet: said next to the field.
    let too_many = web
        .post(
            "/labels/print",
            &[
                ("csrf", &csrf),
                ("choice", "tags"),
                ("tags", &tags),
                ("stock", &stock),
                ("skip", "100000"),
            ],
        )
        .await;
    too_many.is(422);
    assert!(too_many.body.contains("id=\"f-skip-error\""));
}
dual_test!(labels_by_scanned_tags_name_the_unknown_ones);

async fn other_roles_and_organisations_are_refused(b: Backend) {
    let app = spawn_app(b).await;
    let mine = app.create_org("Werkplaats Een", "workshop").await;
    let other = app.create_org("Werkplaats Twee", "workshop").await;
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", 1)
        .await;
    let (tag, id) = (s(&devices[0]["asset_tag"]), s(&devices[0]["id"]));
    app.post(
        &format!("/donations/{donation}/assign"),
        &app.admin_token,
        json!({ "workshop_id": mine }),
    )
    .await
    .assert_status(200);
    // A refurbisher of another workshop: the device and the batch do not exist for them.
    let (mut elsewhere, _) = signed_in(&app, &other, "Ines", "refurbisher").await;
    let page = elsewhere.get(&format!("/inventory?q={tag}")).await;
    page.is(200);
    assert!(
        !page.body.contains(&format!("href=\"/d/{tag}\"")),
        "{}",
        page.body
    );
    elsewhere
        .get(&format!("/donations/{donation}"))
        .await
        .is(404);
    elsewhere
        .get(&format!("/inventory/{id}/edit"))
        .await
        .is(403);
    let csrf = elsewhere.get("/").await.csrf();
    elsewhere
        .post(
            &format!("/inventory/{id}/edit"),
            &[("csrf", &csrf), ("brand", "X")],
        )
        .await
        .is(403);
    elsewhere
        .post(
            "/donations",
            &[
                ("csrf", &csrf),
                ("donor_name", "X"),
                ("received_on", "2026-11-02"),
                ("received_at", "Y"),
            ],
        )
        .await
        .is(403);
    elsewhere.get("/admin/organisations").await.is(403);
    // A requester of a school sees no inventory, donation or labels at all.
    let school = app.create_org("Basisschool De Vlinder", "school").await;
    let (mut requester, _) = signed_in(&app, &school, "Jan", "requester").await;
    let home = requester.get("/").await;
    assert!(!home.body.contains("href=\"/inventory\""));
    requester.get("/inventory").await.is(403);
    requester.get("/labels").await.is(403);
    requester.get("/donations").await.is(403);
    // A social worker may not print labels nor register donations.
    let office = app.create_org("OCMW Gent", "welfare_office").await;
    let (mut social, _) = signed_in(&app, &office, "Sofie", "social_worker").await;
    social.get("/labels").await.is(403);
    let csrf = social.get("/").await.csrf();
    social
        .post(
            "/labels/print",
            &[
                ("csrf", &csrf),
                ("choice", "donation"),
                ("donation_id", &donation),
                ("stock", "x"),
            ],
        )
        .await
        .is(403);
    // Lending staff do not administer.
    let mut web = staff(&app).await;
    web.get("/admin/organisations").await.is(403);
    web.get(&format!(
        "/admin/people/{}",
        s(&app.get("/me", &app.admin_token).await.body["id"])
    ))
    .await
    .is(403);
    // Not signed in: sent to sign in.
    let anon = Browser::new(&app).get("/inventory").await;
    anon.is(303);
    assert!(anon.location.starts_with("/sign-in"));
}
dual_test!(other_roles_and_organisations_are_refused);

async fn an_admin_manages_organisations_people_and_tokens(b: Backend) {
    let app = spawn_app(b).await;
    let me = app.get("/me", &app.admin_token).await;
    let admin_org = s(&me.body["organisation_id"]);
    let (mut web, admin_id) = signed_in(&app, &admin_org, "Ada", "admin").await;
    let home = web.get("/").await;
    assert!(home.body.contains("href=\"/admin/organisations\""));
    let page = web.get("/admin/organisations").await;
    page.is(200);
    let csrf = page.csrf();
    // Refused: no name; what was typed comes back.
    let refused = web
        .post(
            "/admin/organisations",
            &[
                ("csrf", &csrf),
                ("name", ""),
                ("kind", "school"),
                ("address", "Sleepstraat 1, 9000 Gent"),
            ],
        )
        .await;
    refused.is(422);
    assert!(
        refused.body.contains("id=\"f-name-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"Sleepstraat 1, 9000 Gent\""));
    let made = web
        .post(
            "/admin/organisations",
            &[
                ("csrf", &csrf),
                ("name", "Basisschool De Vlinder"),
                ("kind", "school"),
                ("address", "Sleepstraat 1, 9000 Gent"),
                ("opening_hours", "ma–vr 8–16 u"),
                ("return_instructions", "Aan het secretariaat"),
            ],
        )
        .await;
    made.is(303);
    let orgs = app.get("/organisations?limit=200", &app.admin_token).await;
    let org = orgs.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|o| o["name"] == "Basisschool De Vlinder")
        .cloned()
        .expect("created");
    assert_eq!(org["opening_hours"], "ma–vr 8–16 u");
    let org_id = s(&org["id"]);
    // Edit: a name another organisation has is a conflict, said next to the field.
    app.create_org("Werkplaats De Sleutel", "workshop").await;
    let conflict = web
        .post(
            &format!("/admin/organisations/{org_id}"),
            &[
                ("csrf", &csrf),
                ("name", "Werkplaats De Sleutel"),
                ("short_name", "Vlinder"),
                ("opening_hours", "ma–vr 8–12 u"),
            ],
        )
        .await;
    conflict.is(409);
    assert!(
        conflict.body.contains("id=\"f-name-error\""),
        "{}",
        conflict.body
    );
    assert!(conflict.body.contains("ma–vr 8–12 u"), "typed values stay");
    let saved = web
        .post(
            &format!("/admin/organisations/{org_id}"),
            &[
                ("csrf", &csrf),
                ("name", "Basisschool De Vlinder"),
                ("short_name", "Vlinder"),
                ("address", "Sleepstraat 1, 9000 Gent"),
                ("opening_hours", "ma–vr 8–12 u"),
                ("return_instructions", "Aan het secretariaat, lokaal 2"),
            ],
        )
        .await;
    saved.is(303);
    let o = app
        .get(&format!("/organisations/{org_id}"), &app.admin_token)
        .await;
    assert_eq!(o.body["opening_hours"], "ma–vr 8–12 u");
    assert_eq!(
        o.body["return_instructions"],
        "Aan het secretariaat, lokaal 2"
    );
    // Invite someone new: the one-time link is shown.
    let invited = web
        .post(
            "/admin/people/new",
            &[
                ("csrf", &csrf),
                ("name", "Jan Peeters"),
                ("email", "jan.peeters@vlinder.example.be"),
                ("organisation_id", &org_id),
                ("role", "requester"),
            ],
        )
        .await;
    invited.is(201);
    assert!(invited.body.contains("/welcome/"), "{}", invited.body);
    let users = app.get("/users?limit=200", &app.admin_token).await;
    let jan = users.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|u| u["name"] == "Jan Peeters")
        .cloned()
        .expect("invited");
    let jan_id = s(&jan["id"]);
    // Role, token (shown once), revoke, disable.
    let person = web.get(&format!("/admin/people/{jan_id}")).await;
    person.is(200);
    web.post(
        &format!("/admin/people/{jan_id}/role"),
        &[("csrf", &csrf), ("role", "lending_staff")],
    )
    .await
    .is(303);
    let token = web
        .post(
            &format!("/admin/people/{jan_id}/tokens"),
            &[("csrf", &csrf), ("label", "scanner aan de balie")],
        )
        .await;
    token.is(201);
    let i = token.body.find("dl_").expect("the secret is shown");
    let secret: String = token.body[i..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    app.get("/devices", &secret).await.assert_status(200);
    let again = web.get(&format!("/admin/people/{jan_id}")).await;
    assert!(!again.body.contains(&secret), "shown once");
    assert!(again.body.contains("scanner aan de balie"));
    let tokens = app
        .get(&format!("/users/{jan_id}/tokens"), &app.admin_token)
        .await;
    let token_id = s(&tokens.body[0]["id"]);
    web.post(
        &format!("/admin/tokens/{token_id}/revoke"),
        &[("csrf", &csrf)],
    )
    .await
    .is(303);
    app.get("/devices", &secret).await.assert_status(401);
    web.post(
        &format!("/admin/people/{jan_id}/active"),
        &[("csrf", &csrf), ("active", "false")],
    )
    .await
    .is(303);
    let u = app.get("/users?limit=200", &app.admin_token).await;
    let jan = u.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|u| u["id"] == Value::String(jan_id.clone()))
        .cloned()
        .expect("jan");
    assert_eq!(jan["active"], false);
    assert_eq!(jan["role"], "lending_staff");
    // A disabled person gets no token: said next to the field.
    let refused = web
        .post(
            &format!("/admin/people/{jan_id}/tokens"),
            &[("csrf", &csrf), ("label", "nog een")],
        )
        .await;
    refused.is(409);
    assert!(
        refused.body.contains("id=\"error-summary\""),
        "{}",
        refused.body
    );
    // The admin's own page works; the API's users are untouched by the page's routes.
    web.get(&format!("/admin/people/{admin_id}")).await.is(200);
}
dual_test!(an_admin_manages_organisations_people_and_tokens);
