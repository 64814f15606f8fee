//! The pages' sign-in through HTTP: invitations, passwords, sessions, CSRF, throttling, the
//! frame's headers and assets. A small cookie jar stands in for the browser (the test server
//! is plain http while PUBLIC_BASE_URL is https, so `Secure` cookies are sent by hand).

use chrono::Duration;
use diesel::prelude::*;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::json;

use crate::dual_test;
use crate::helpers::{spawn_app, spawn_app_with, Backend, TestApp};
use crate::web_client::Browser;
use digilend::db::schema::{sessions, users};

const PASSWORD: &str = "de fiets staat achter het stadhuis";

/// A refurbisher of a new workshop with an e-mail address: (user id, e-mail).
async fn refurbisher(app: &TestApp, name: &str) -> (String, String) {
    let org = app
        .create_org(&format!("Werkplaats {name}"), "workshop")
        .await;
    let email = format!("{}@werkplaats.example.be", name.to_lowercase());
    let r = app
        .post(
            "/users",
            &app.admin_token,
            json!({ "organisation_id": org, "name": name, "email": email, "role": "refurbisher" }),
        )
        .await;
    r.assert_status(201);
    (r.body["id"].as_str().expect("id").to_string(), email)
}

/// The path of a new one-time link for a user, made through the API.
async fn invitation(app: &TestApp, user_id: &str) -> String {
    let r = app
        .post(
            &format!("/users/{user_id}/invitation"),
            &app.admin_token,
            json!({}),
        )
        .await;
    r.assert_status(201);
    let url = r.body["url"].as_str().expect("url");
    assert!(
        url.starts_with("https://uitleen.example.be/welcome/"),
        "{url}"
    );
    assert!(r.body["expires_at"].is_string());
    url.trim_start_matches("https://uitleen.example.be")
        .to_string()
}

/// A refurbisher who accepted their invitation: signed in in the returned browser.
async fn signed_in<'a>(app: &'a TestApp, name: &str) -> (Browser<'a>, String, String) {
    let (id, email) = refurbisher(app, name).await;
    let link = invitation(app, &id).await;
    let mut b = Browser::new(app);
    b.post(&link, &[("password", PASSWORD)]).await;
    assert!(b.session().is_some(), "signed in by the link");
    (b, id, email)
}

fn set_session_times(app: &TestApp, user_id: &str, created_ago: Duration, seen_ago: Duration) {
    let now = digilend::db::now();
    let user_id = user_id.to_string();
    app.db
        .write_blocking(move |conn| {
            Ok(
                diesel::update(sessions::table.filter(sessions::user_id.eq(user_id)))
                    .set((
                        sessions::created_at.eq(now - created_ago),
                        sessions::last_seen_at.eq(now - seen_ago),
                    ))
                    .execute(conn)?,
            )
        })
        .expect("update");
}

async fn invite_welcome_sign_in_and_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let (id, email) = refurbisher(&app, "Samira").await;
    let link = invitation(&app, &id).await;
    let mut b = Browser::new(&app);

    let welcome = b.get(&link).await;
    welcome.assert_html(200);
    assert!(welcome.body.contains("Samira"), "{}", welcome.body);
    assert!(
        !welcome.body.contains("name=\"email\""),
        "the e-mail is known"
    );

    let done = b.post(&link, &[("password", PASSWORD)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let cookie = b
        .set_cookies
        .iter()
        .find(|c| c.starts_with("dl_session="))
        .expect("a session cookie")
        .to_ascii_lowercase();
    for attribute in ["httponly", "samesite=lax", "path=/", "secure"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }

    let home = b.get("/").await;
    home.assert_html(200);
    assert!(home.body.contains("Samira"), "{}", home.body);
    assert!(
        home.body.contains("href=\"/workshop\""),
        "the workshop is linked"
    );
    assert_eq!(home.header(CACHE_CONTROL), "no-store");
    let csp = home.header(reqwest::header::CONTENT_SECURITY_POLICY);
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(
        home.header(reqwest::header::X_CONTENT_TYPE_OPTIONS),
        "nosniff"
    );
    assert_eq!(home.header(reqwest::header::REFERRER_POLICY), "same-origin");
    assert!(!home.body.contains("style=\""), "no inline styles");

    // Sign out: the old cookie no longer works.
    let old = b.session().expect("cookie");
    let csrf = home.csrf();
    let out = b.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(b.session().is_none(), "the cookie is removed");
    b.cookies.insert("dl_session".into(), old);
    let after = b.get("/").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(
        after.location().starts_with("/sign-in"),
        "{}",
        after.location()
    );

    // Sign in again, with the e-mail in another case; back to where one was going.
    let mut b = Browser::new(&app);
    let page = b.get("/admin/people").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/sign-in?next=/admin/people");
    let form = b.get("/sign-in?next=/admin/people").await;
    form.assert_html(200);
    assert!(form.body.contains("value=\"/admin/people\""));
    let ok = b
        .post(
            "/sign-in",
            &[
                ("email", &email.to_uppercase()),
                ("password", PASSWORD),
                ("next", "/admin/people"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.location(), "/admin/people");
    // A refurbisher may not manage people: a 403 page, not a problem document.
    b.get("/admin/people").await.assert_html(403);
    // An outside address to go back to is not followed.
    let mut c = Browser::new(&app);
    let evil = c
        .post(
            "/sign-in",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(evil.location(), "/");
}
dual_test!(invite_welcome_sign_in_and_out);

async fn wrong_password_and_throttling(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_b, _, email) = signed_in(&app, "Jonas").await;
    let mut b = Browser::new(&app);
    let wrong = b.sign_in(&email, "niet het goede wachtwoord").await;
    wrong.assert_html(401);
    assert!(wrong.body.contains("klopt niet"), "{}", wrong.body);
    assert!(b.session().is_none());
    for _ in 0..4 {
        b.sign_in(&email, "niet het goede wachtwoord")
            .await
            .assert_html(401);
    }
    // Five failures: now even the right password must wait, and the page says how long.
    let wait = b.sign_in(&email, PASSWORD).await;
    wait.assert_html(429);
    assert!(wait.body.contains("Wacht "), "{}", wait.body);
    assert!(wait.body.contains(" seconden"), "{}", wait.body);
    let seconds: u64 = wait
        .header(reqwest::header::RETRY_AFTER)
        .parse()
        .expect("seconds");
    assert!((1..=30).contains(&seconds), "{seconds}");
    assert!(b.session().is_none());

    // An unknown address gets exactly the same answers.
    let unknown = "niemand@werkplaats.example.be";
    let mut answers = Vec::new();
    for _ in 0..6 {
        answers.push(
            b.sign_in(unknown, "niet het goede wachtwoord")
                .await
                .status
                .as_u16(),
        );
    }
    assert_eq!(answers, [401, 401, 401, 401, 401, 429]);

    // The wait ends: move the failures back in time, and the right password works.
    let moved = app
        .db
        .write_blocking(|conn| {
            use digilend::db::schema::sign_in_failures as f;
            Ok(diesel::update(f::table)
                .set(f::failed_at.eq(digilend::db::now() - Duration::minutes(16)))
                .execute(conn)?)
        })
        .expect("moved");
    assert!(moved >= 10, "failures are in the database: {moved}");
    let ok = b.sign_in(&email, PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
}
dual_test!(wrong_password_and_throttling);

async fn csrf_and_origin_are_checked_and_language_is_remembered(backend: Backend) {
    let app = spawn_app(backend).await;
    let (mut b, id, email) = signed_in(&app, "Lotte").await;
    let home = b.get("/").await;
    assert!(home.body.contains("<html lang=\"nl\""));
    let csrf = home.csrf();
    let stored_lang = |app: &TestApp| {
        let id = id.clone();
        app.db
            .write_blocking(move |conn| {
                Ok(users::table
                    .find(id)
                    .select(users::lang)
                    .first::<Option<String>>(conn)?)
            })
            .expect("lang")
    };
    // No token, a wrong token, or a form from another site: 403 page, nothing changed.
    let none = b.post("/language", &[("lang", "fr"), ("next", "/")]).await;
    none.assert_html(403);
    let wrong = b
        .post(
            "/language",
            &[("lang", "fr"), ("next", "/"), ("csrf", "0123")],
        )
        .await;
    wrong.assert_html(403);
    let other_site = b
        .post_with(
            "/language",
            &[("lang", "fr"), ("next", "/"), ("csrf", &csrf)],
            Some("https://evil.example"),
        )
        .await;
    other_site.assert_html(403);
    assert_eq!(stored_lang(&app), None);
    // No national register number enters through a form either.
    let nrn = b
        .post(
            "/language",
            &[("lang", "85.07.30-033.28"), ("next", "/"), ("csrf", &csrf)],
        )
        .await;
    nrn.assert_html(422);
    assert!(nrn.body.contains("rijksregisternummer"), "{}", nrn.body);
    let out = b.post("/sign-out", &[("csrf", "nope")]).await;
    out.assert_html(403);
    b.get("/").await.assert_html(200);

    // With the token (and this site's origin) it works and is remembered for the person.
    let own = app.address.clone();
    let ok = b
        .post_with(
            "/language",
            &[("lang", "fr"), ("next", "/"), ("csrf", &csrf)],
            Some(&own),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(stored_lang(&app).as_deref(), Some("fr"));
    let home = b.get("/").await;
    assert!(home.body.contains("<html lang=\"fr\""), "{}", home.body);
    assert!(home.body.contains("Se déconnecter"));
    // On another device (no language cookie), the person's choice holds after signing in.
    let mut other = Browser::new(&app);
    other.sign_in(&email, PASSWORD).await;
    let there = other.get("/").await;
    assert!(there.body.contains("<html lang=\"fr\""), "{}", there.body);
}
dual_test!(csrf_and_origin_are_checked_and_language_is_remembered);

async fn sessions_expire_and_follow_the_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let (mut b, id, email) = signed_in(&app, "Mehmet").await;
    b.get("/").await.assert_html(200);

    // Idle for longer than SESSION_IDLE_MINUTES (120).
    set_session_times(&app, &id, Duration::minutes(130), Duration::minutes(121));
    assert_eq!(b.get("/").await.status, StatusCode::SEE_OTHER);

    // Active, but older than SESSION_MAX_HOURS (12).
    b.sign_in(&email, PASSWORD).await;
    b.get("/").await.assert_html(200);
    set_session_times(&app, &id, Duration::hours(13), Duration::minutes(1));
    assert_eq!(b.get("/").await.status, StatusCode::SEE_OTHER);

    // A new role shows at once.
    b.sign_in(&email, PASSWORD).await;
    let before = b.get("/").await;
    assert!(before.body.contains("werkplaats"), "{}", before.body);
    app.patch(
        &format!("/users/{id}"),
        &app.admin_token,
        json!({ "role": "coordinator" }),
    )
    .await
    .assert_status(200);
    let after = b.get("/").await;
    assert!(after.body.contains("coördinator"), "{}", after.body);
    assert!(!after.body.contains("href=\"/workshop\""));

    // Disabled: out at once.
    app.patch(
        &format!("/users/{id}"),
        &app.admin_token,
        json!({ "active": false }),
    )
    .await
    .assert_status(200);
    let out = b.get("/").await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.location().starts_with("/sign-in"));
    // And cannot sign in while disabled (the same answer as a wrong password).
    b.sign_in(&email, PASSWORD).await.assert_html(401);
}
dual_test!(sessions_expire_and_follow_the_account);

async fn links_work_once_and_passwords_follow_the_rules(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.create_org("Werkplaats Noord", "workshop").await;
    let r = app
        .post(
            "/users",
            &app.admin_token,
            json!({ "organisation_id": org, "name": "Ilse", "role": "refurbisher" }),
        )
        .await;
    let id = r.body["id"].as_str().expect("id").to_string();
    let link = invitation(&app, &id).await;
    let mut b = Browser::new(&app);
    let page = b.get(&link).await;
    assert!(
        page.body.contains("name=\"email\""),
        "no e-mail yet: it is asked"
    );

    let email = "ilse@noord.example.be";
    for (password, reason) in [
        ("kort", "te kort"),
        ("wachtwoordwachtwoord", "te makkelijk"),
        ("aaaaaaaaaaaaaaaaaaaa", "te makkelijk"),
        (email, "niet je e-mailadres"),
    ] {
        let refused = b
            .post(&link, &[("email", email), ("password", password)])
            .await;
        refused.assert_html(422);
        // Next to the field, linked to it, and in the summary at the top.
        let err = refused
            .body
            .find("id=\"f-password-error\"")
            .expect("an error next to the field");
        assert!(
            refused.body[err..].contains(reason),
            "{reason}: {}",
            refused.body
        );
        assert!(refused.body.contains("aria-invalid=\"true\""));
        assert!(refused
            .body
            .contains("aria-describedby=\"f-password-hint f-password-error\""));
        assert!(
            refused.body.contains("href=\"#f-password\""),
            "summary links to the field"
        );
        assert!(
            refused.body.contains(&format!("value=\"{email}\"")),
            "the e-mail is kept"
        );
        assert!(!refused.body.contains(&format!("value=\"{password}\"")) || password == email);
        assert!(b.session().is_none());
    }
    let bad_email = b
        .post(&link, &[("email", "geen adres"), ("password", PASSWORD)])
        .await;
    bad_email.assert_html(422);
    assert!(bad_email.body.contains("id=\"f-email-error\""));

    // Nothing was spent by the refusals: the link still works, once.
    let ok = b
        .post(&link, &[("email", email), ("password", PASSWORD)])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let again = Browser::new(&app).get(&link).await;
    again.assert_html(410);
    assert!(again.body.contains("al gebruikt"), "{}", again.body);
    let again = Browser::new(&app)
        .post(
            &link,
            &[
                ("email", email),
                ("password", "nog een ander lang wachtwoord"),
            ],
        )
        .await;
    again.assert_html(410);
    let unknown = Browser::new(&app)
        .get(&format!("/welcome/{}", "ab".repeat(32)))
        .await;
    unknown.assert_html(410);
    assert!(unknown.body.contains("kennen deze link niet"));

    // A reset link: the person's other sessions end.
    let reset = invitation(&app, &id).await;
    let mut other = Browser::new(&app);
    let page = other.get(&reset).await;
    assert!(page.body.contains("nieuw wachtwoord"), "{}", page.body);
    other
        .post(&reset, &[("password", "een heel nieuw lang wachtwoord")])
        .await;
    assert!(other.session().is_some());
    assert_eq!(
        b.get("/").await.status,
        StatusCode::SEE_OTHER,
        "the old session ended"
    );
    other.get("/").await.assert_html(200);
    // The old password no longer works, the new one does.
    Browser::new(&app)
        .sign_in(email, PASSWORD)
        .await
        .assert_html(401);
    let new = Browser::new(&app)
        .sign_in(email, "een heel nieuw lang wachtwoord")
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
}
dual_test!(links_work_once_and_passwords_follow_the_rules);

async fn admin_people_page_makes_links(backend: Backend) {
    let app = spawn_app(backend).await;
    let me = app.get("/me", &app.admin_token).await;
    let admin_id = me.body["id"].as_str().expect("id").to_string();
    app.patch(
        &format!("/users/{admin_id}"),
        &app.admin_token,
        json!({ "email": "admin@uitleendienst.example.be" }),
    )
    .await
    .assert_status(200);
    let link = invitation(&app, &admin_id).await;
    let mut b = Browser::new(&app);
    b.post(&link, &[("password", PASSWORD)]).await;
    let (user_id, _) = refurbisher(&app, "Noor").await;
    let people = b.get("/admin/people").await;
    people.assert_html(200);
    assert!(people.body.contains("Noor"));
    let csrf = people.csrf();
    let refused = b.post(&format!("/admin/people/{user_id}/link"), &[]).await;
    refused.assert_html(403);
    let made = b
        .post(&format!("/admin/people/{user_id}/link"), &[("csrf", &csrf)])
        .await;
    made.assert_html(201);
    let start = made
        .body
        .find("https://uitleen.example.be/welcome/")
        .expect("the link is shown");
    let url: String = made.body[start..]
        .chars()
        .take_while(|c| *c != '<')
        .collect();
    let path = url.trim_start_matches("https://uitleen.example.be");
    Browser::new(&app).get(path).await.assert_html(200);
}
dual_test!(admin_people_page_makes_links);

async fn assets_are_hashed_and_cached(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut b = Browser::new(&app);
    let page = b.get("/sign-in").await;
    page.assert_html(200);
    assert_eq!(page.header(CACHE_CONTROL), "no-store");
    let i = page.body.find("/static/app.").expect("the stylesheet");
    let href: String = page.body[i..].chars().take_while(|c| *c != '"').collect();
    assert!(
        href.ends_with(".css") && href.len() > "/static/app..css".len(),
        "{href}"
    );
    let css = b.get(&href).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header(CONTENT_TYPE), "text/css; charset=utf-8");
    assert_eq!(
        css.header(CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert!(css.body.contains("--focus"));
    assert_eq!(
        b.get("/static/app.0000.css").await.status,
        StatusCode::NOT_FOUND
    );

    // Without https, the cookie is not Secure.
    let plain = spawn_app_with(backend, |c| {
        c.public_base_url = "http://127.0.0.1:8080".into()
    })
    .await;
    let (_, _) = (&plain.address, ());
    let org = plain.create_org("Werkplaats Zuid", "workshop").await;
    let r = plain
        .post(
            "/users",
            &plain.admin_token,
            json!({ "organisation_id": org, "name": "Pim", "email": "pim@zuid.example.be", "role": "refurbisher" }),
        )
        .await;
    let id = r.body["id"].as_str().expect("id");
    let inv = plain
        .post(
            &format!("/users/{id}/invitation"),
            &plain.admin_token,
            json!({}),
        )
        .await;
    let url = inv.body["url"].as_str().expect("url");
    let path = url.trim_start_matches("http://127.0.0.1:8080");
    let mut p = Browser::new(&plain);
    p.post(path, &[("password", PASSWORD)]).await;
    let cookie = p
        .set_cookies
        .iter()
        .find(|c| c.starts_with("dl_session="))
        .expect("cookie")
        .to_ascii_lowercase();
    assert!(
        cookie.contains("httponly") && !cookie.contains("secure"),
        "{cookie}"
    );
}
dual_test!(assets_are_hashed_and_cached);

async fn browsers_get_pages_for_unknown_paths(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = reqwest::Client::new()
        .get(app.url("/no-such-page"))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("accept-language", "fr-BE,fr;q=0.9,nl;q=0.5")
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.headers()[CONTENT_TYPE]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    let body = res.text().await.expect("body");
    assert!(
        body.contains("<html lang=\"fr\"") && body.contains("Page introuvable"),
        "{body}"
    );
    // Programs still get a problem document.
    let api = reqwest::Client::new()
        .get(app.url("/no-such-page"))
        .send()
        .await
        .expect("sent");
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert!(api.headers()[CONTENT_TYPE]
        .to_str()
        .expect("ascii")
        .starts_with("application/problem+json"));
}
dual_test!(browsers_get_pages_for_unknown_paths);
