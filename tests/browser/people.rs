//! People who use the pages, made through the API, and signing them in with the browser.

use serde_json::json;

use crate::helpers::TestApp;
use crate::webdriver::{Screen, Session};

/// A password that follows the rules (15 characters or more, not a common one).
pub const PASSWORD: &str = "de fiets staat achter het stadhuis";

/// A person with an e-mail address and a one-time welcome link (a path on the test server).
#[allow(dead_code)] // the id, name and organisation are for the page tests that need them
pub struct Person {
    pub id: String,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub welcome_path: String,
}

/// Invites a person with `role` in a new organisation of `kind` (the admin does it through
/// the API, as the README shows).
pub async fn invite(app: &TestApp, name: &str, role: &str, kind: &str) -> Person {
    let organisation = app
        .create_org(
            &format!("{kind} {name} {}", uuid::Uuid::new_v4().simple()),
            kind,
        )
        .await;
    invite_into(app, &organisation, name, role).await
}

/// Invites a person with `role` into an existing organisation.
pub async fn invite_into(app: &TestApp, organisation: &str, name: &str, role: &str) -> Person {
    let email = format!(
        "{}.{}@example.be",
        name.to_lowercase(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let r = app
        .post(
            "/users",
            &app.admin_token,
            json!({ "organisation_id": organisation, "name": name, "email": email, "role": role }),
        )
        .await;
    r.assert_status(201);
    let id = r.body["id"].as_str().expect("id").to_string();
    let welcome_path = app.welcome_path(&id).await;
    Person {
        id,
        name: name.to_string(),
        email,
        organisation: organisation.to_string(),
        welcome_path,
    }
}

/// Opens the welcome link (checked like every page), chooses the password and waits for the
/// home page.
pub async fn accept_invitation(s: &Session, app: &TestApp, person: &Person) {
    s.goto(&app.url(&person.welcome_path)).await;
    crate::checks::page_is_fit(s, &format!("welcome-{}", person.name.to_lowercase())).await;
    s.find("#f-password").await.send_keys(PASSWORD).await;
    submit_and_wait(
        s,
        "the home page after the welcome form",
        "location.pathname === '/'",
    )
    .await;
}

/// Sends the page's form (its submit button in `main`) and waits until `condition` (a
/// JavaScript expression) holds on a loaded page.
pub async fn submit_and_wait(s: &Session, what: &str, condition: &str) {
    s.find("main form button[type=submit]").await.click().await;
    s.wait_until(
        what,
        &format!("return document.readyState === 'complete' && ({condition})"),
    )
    .await;
}

/// Signs in through the sign-in form and waits until the browser has left it.
pub async fn sign_in(s: &Session, app: &TestApp, email: &str, password: &str) {
    s.goto(&app.url("/sign-in")).await;
    s.find("#f-email").await.send_keys(email).await;
    s.find("#f-password").await.send_keys(password).await;
    submit_and_wait(
        s,
        "the page after signing in",
        "location.pathname !== '/sign-in'",
    )
    .await;
}

/// A fresh browser with `person` signed in (their invitation accepted).
pub async fn signed_in(screen: Screen, app: &TestApp, person: &Person) -> Session {
    let s = Session::start(screen).await;
    accept_invitation(&s, app, person).await;
    s
}

/// Clicks the sign-out button of the frame and waits for the sign-in page.
pub async fn sign_out(s: &Session) {
    s.find("form[action='/sign-out'] button")
        .await
        .click()
        .await;
    s.wait_for_path("/sign-in").await;
}

/// The language the page is in (`<html lang>`), once the page has loaded.
pub async fn page_lang(s: &Session) -> String {
    s.wait_until(
        "the page to load",
        "return document.readyState === 'complete' && document.documentElement.lang",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Chooses a language with the frame's switch and waits for the page in that language.
pub async fn choose_language(s: &Session, code: &str) {
    s.find(&format!("form.lang-switch button[value='{code}']"))
        .await
        .click()
        .await;
    s.wait_until(
        &format!("the page in {code}"),
        &format!(
            "return document.readyState === 'complete' && document.documentElement.lang === '{code}'"
        ),
    )
    .await;
}
