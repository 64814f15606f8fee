//! The frame every page uses: an invitation, the welcome form, signing in and out, the
//! language switch, error pages; each page checked at phone and desktop size; the keyboard.

use crate::checks::{focus_visible, page_is_fit, SCREENS};
use crate::dual_test;
use crate::helpers::{spawn_app, Backend};
use crate::people::{
    accept_invitation, choose_language, invite, page_lang, sign_in, sign_out, signed_in,
    submit_and_wait, PASSWORD,
};
use crate::webdriver::{keys, Screen, Session};

/// On a phone: the invited person opens the link, chooses a password and is signed in; they
/// switch to French, sign out, sign in on another device (no cookies) and find French again;
/// back to Dutch, which holds the same way.
async fn an_invited_person_signs_in_on_a_phone_and_keeps_their_language(b: Backend) {
    let app = spawn_app(b).await;
    let sam = invite(&app, "Samira", "refurbisher", "workshop").await;
    let s = Session::start(Screen::Phone).await;

    s.goto(&app.url(&sam.welcome_path)).await;
    assert_eq!(s.find("h1").await.text().await, "Welkom, Samira");
    assert!(
        s.try_find("#f-email").await.is_none(),
        "the e-mail address is known already"
    );
    accept_invitation(&s, &app, &sam).await;
    assert_eq!(s.find("h1").await.text().await, "Hallo Samira");
    assert_eq!(page_lang(&s).await, "nl");
    assert!(s.page_text().await.contains("Afmelden"));

    choose_language(&s, "fr").await;
    assert_eq!(s.find("h1").await.text().await, "Bonjour Samira");
    assert!(s.page_text().await.contains("Se déconnecter"));
    sign_out(&s).await;
    // Another device: nothing in the browser remembers the choice, the account does.
    s.delete_cookies().await;
    sign_in(&s, &app, &sam.email, PASSWORD).await;
    assert_eq!(page_lang(&s).await, "fr");
    assert_eq!(s.find("h1").await.text().await, "Bonjour Samira");

    choose_language(&s, "nl").await;
    sign_out(&s).await;
    s.delete_cookies().await;
    sign_in(&s, &app, &sam.email, PASSWORD).await;
    assert_eq!(page_lang(&s).await, "nl");
    assert_eq!(s.find("h1").await.text().await, "Hallo Samira");

    // Signed out, the pages ask to sign in again.
    sign_out(&s).await;
    s.goto(&app.url("/")).await;
    s.wait_for_path("/sign-in").await;
}
dual_test!(an_invited_person_signs_in_on_a_phone_and_keeps_their_language);

/// Every page of the frame passes axe-core, does not scroll sideways and has big targets, at
/// phone and desktop size: sign-in (also refused), welcome, an unusable link, home, a page
/// the person may not see (403) and one that does not exist (404).
async fn the_frame_pages_pass_the_checks_at_both_sizes(b: Backend) {
    let app = spawn_app(b).await;
    let name = format!("{b:?}").to_lowercase();
    for screen in SCREENS {
        let person = invite(&app, "Jonas", "refurbisher", "workshop").await;
        let s = Session::start(screen).await;

        s.goto(&app.url("/sign-in")).await;
        s.find("#f-email").await;
        page_is_fit(&s, &format!("frame-sign-in-{name}")).await;

        s.find("#f-email").await.send_keys(&person.email).await;
        s.find("#f-password")
            .await
            .send_keys("niet het goede wachtwoord")
            .await;
        submit_and_wait(
            &s,
            "the refusal",
            "!!document.getElementById('error-summary')",
        )
        .await;
        assert_eq!(
            s.find("#f-email").await.value().await,
            person.email,
            "nothing typed is lost"
        );
        page_is_fit(&s, &format!("frame-sign-in-refused-{name}")).await;

        s.goto(&app.url("/welcome/not-a-real-link")).await;
        s.find("h1").await;
        page_is_fit(&s, &format!("frame-link-unusable-{name}")).await;

        s.goto(&app.url(&person.welcome_path)).await;
        s.find("#f-password").await;
        page_is_fit(&s, &format!("frame-welcome-{name}")).await;

        accept_invitation(&s, &app, &person).await;
        page_is_fit(&s, &format!("frame-home-{name}")).await;

        s.goto(&app.url("/admin/people")).await;
        assert!(
            s.page_text().await.contains("Niet toegelaten"),
            "a refurbisher may not manage people"
        );
        page_is_fit(&s, &format!("frame-forbidden-{name}")).await;

        s.goto(&app.url("/no-such-page")).await;
        let h1 = s.find("h1").await.text().await;
        assert_eq!(
            h1, "Pagina niet gevonden",
            "a page for people, in their language"
        );
        page_is_fit(&s, &format!("frame-not-found-{name}")).await;
    }
}
dual_test!(the_frame_pages_pass_the_checks_at_both_sizes);

/// With the keyboard only: Tab reaches the skip link first, then the fields (the focus is
/// visible on each); Enter sends the form and signs in.
async fn signing_in_works_with_the_keyboard_alone(b: Backend) {
    let app = spawn_app(b).await;
    let person = invite(&app, "Ilse", "refurbisher", "workshop").await;
    // The password is chosen in another browser; this one has never seen the site.
    drop(signed_in(Screen::Desktop, &app, &person).await);
    let s = Session::start(Screen::Desktop).await;
    s.goto(&app.url("/sign-in")).await;
    s.find("#f-email").await;

    s.press(&[keys::TAB]).await;
    let first = s.active_element().await;
    assert_eq!(
        first.attribute("class").await.as_deref(),
        Some("skip-link"),
        "the first Tab reaches the skip link"
    );
    focus_visible(&s).await;
    let top = s
        .execute(
            "return document.activeElement.getBoundingClientRect().top",
            vec![],
        )
        .await;
    assert!(
        top.as_f64().unwrap_or(-1.0) >= 0.0,
        "the skip link shows when focused: {top}"
    );

    let mut stops = Vec::new();
    for _ in 0..20 {
        s.press(&[keys::TAB]).await;
        let id = s.active_element().await.attribute("id").await;
        focus_visible(&s).await;
        stops.push(id.clone().unwrap_or_default());
        if id.as_deref() == Some("f-email") {
            break;
        }
    }
    assert_eq!(
        stops.last().map(String::as_str),
        Some("f-email"),
        "Tab stops: {stops:?}"
    );
    s.type_text(&person.email).await;
    s.press(&[keys::TAB]).await;
    assert_eq!(
        s.active_element().await.attribute("id").await.as_deref(),
        Some("f-password")
    );
    focus_visible(&s).await;
    s.type_text(PASSWORD).await;
    s.press(&[keys::ENTER]).await;
    s.wait_until(
        "the home page",
        "return location.pathname === '/' && document.readyState === 'complete'",
    )
    .await;
    assert_eq!(s.find("h1").await.text().await, "Hallo Ilse");
}
dual_test!(signing_in_works_with_the_keyboard_alone);
