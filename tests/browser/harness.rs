//! The harness itself: the screen sizes are what the tests claim, and every check fails on a
//! page built to fail it (and passes on its corrected twin).

use std::panic::AssertUnwindSafe;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use futures::FutureExt as _;

use crate::checks::{
    axe_clean, axe_violations, focus_findings, focus_visible, no_sideways_scroll, screenshot,
    sideways_scroll_findings, small_target_findings, targets_big_enough, SCREENS,
};
use crate::webdriver::{keys, Screen, Session};

/// A tiny server for the test pages: `/{name}` answers with the page of that name, `/echo`
/// with a page that shows its query string.
async fn serve(pages: Vec<(&'static str, String)>) -> String {
    let pages = std::sync::Arc::new(pages);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let port = listener.local_addr().expect("address").port();
    let server = HttpServer::new(move || {
        let pages = pages.clone();
        App::new().default_service(web::to(move |req: HttpRequest| {
            let pages = pages.clone();
            async move {
                let path = req.path().trim_start_matches('/');
                let body = if path == "echo" {
                    Some(page(&format!(
                        "<output id=\"q\">{}</output>",
                        req.query_string()
                    )))
                } else {
                    pages
                        .iter()
                        .find(|(n, _)| *n == path)
                        .map(|(_, p)| p.clone())
                };
                match body {
                    Some(b) => HttpResponse::Ok()
                        .content_type("text/html; charset=utf-8")
                        .body(b),
                    None => HttpResponse::NotFound().finish(),
                }
            }
        }))
    })
    .workers(1)
    .listen(listener)
    .expect("listen")
    .run();
    actix_web::rt::spawn(server);
    format!("http://127.0.0.1:{port}")
}

const PIXEL: &str =
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

fn page(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Test page</title></head><body><main><h1>Test page</h1>{body}</main></body></html>"
    )
}

/// An image without alt text, a 10 px button, a 2000 px wide block, a checkbox whose label is
/// one short line; and a link in a sentence (allowed to be small).
fn bad_page() -> String {
    page(&format!(
        "<img src=\"{PIXEL}\" width=\"40\" height=\"40\">\
         <button id=\"tiny\" style=\"width:10px;height:10px;padding:0;font-size:6px\">x</button>\
         <div id=\"wide\" style=\"width:2000px;height:10px\"></div>\
         <p>Read <a href=\"#rules\">the rules</a> before you start.</p>\
         <p><input type=\"checkbox\" id=\"agree\"><label for=\"agree\">I agree</label></p>"
    ))
}

/// The same page, corrected.
fn good_page() -> String {
    page(&format!(
        "<img src=\"{PIXEL}\" width=\"40\" height=\"40\" alt=\"Logo\">\
         <button id=\"big\" style=\"min-width:44px;min-height:44px\">Go</button>\
         <div style=\"max-width:100%;height:10px\"></div>\
         <p>Read <a href=\"#rules\">the rules</a> before you start.</p>\
         <p><input type=\"checkbox\" id=\"agree\">\
         <label for=\"agree\" style=\"display:inline-block;padding:14px 0\">I agree</label></p>"
    ))
}

/// The panic message of a check that must fail.
async fn failure_of(check: impl std::future::Future<Output = ()>) -> String {
    let err = AssertUnwindSafe(check)
        .catch_unwind()
        .await
        .expect_err("the check should have failed");
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[actix_web::test]
async fn the_screens_have_the_sizes_the_tests_claim() {
    for screen in SCREENS {
        let base = serve(vec![("good", good_page())]).await;
        let s = Session::start(screen).await;
        s.goto(&format!("{base}/good")).await;
        let v = s
            .execute("return [window.innerWidth, window.innerHeight]", vec![])
            .await;
        let (w, h) = screen.size();
        assert_eq!(v, serde_json::json!([w, h]), "{}", screen.name());
        let path = screenshot(&s, "harness-good-page").await;
        let png = std::fs::read(&path).expect("png");
        assert_eq!(&png[1..4], b"PNG");
        let png_width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let ratio = if screen == Screen::Phone { 2 } else { 1 };
        assert_eq!(png_width, w * ratio, "{}", screen.name());
    }
}

#[actix_web::test]
async fn every_check_fails_on_a_bad_page_and_passes_on_a_good_one() {
    let base = serve(vec![("bad", bad_page()), ("good", good_page())]).await;
    let s = Session::start(Screen::Phone).await;
    s.goto(&format!("{base}/bad")).await;

    let violations = axe_violations(&s).await;
    let alt = violations
        .iter()
        .find(|v| v.id == "image-alt")
        .unwrap_or_else(|| panic!("image-alt not reported: {violations:?}"));
    assert_eq!(alt.impact, "critical");
    assert_eq!(alt.targets, vec!["img"]);
    let message = failure_of(axe_clean(&s)).await;
    assert!(
        message.contains("image-alt") && message.contains("critical"),
        "{message}"
    );

    let wide = sideways_scroll_findings(&s)
        .await
        .expect("sideways scroll reported");
    assert!(wide.contains("div#wide"), "{wide}");
    assert!(failure_of(no_sideways_scroll(&s))
        .await
        .contains("2000 px wide"));

    let small = small_target_findings(&s).await;
    assert_eq!(small.len(), 2, "not the link in the sentence: {small:?}");
    assert!(
        small[0].starts_with("button#tiny") && small[0].contains("10 × 10 px"),
        "{small:?}"
    );
    assert!(small[1].starts_with("input#agree"), "{small:?}");
    assert!(failure_of(targets_big_enough(&s))
        .await
        .contains("button#tiny"));

    s.goto(&format!("{base}/good")).await;
    axe_clean(&s).await;
    no_sideways_scroll(&s).await;
    targets_big_enough(&s).await;
}

#[actix_web::test]
async fn a_page_laid_out_wider_than_the_phone_is_reported() {
    // Without a viewport declaration a phone lays the page out 980 px wide and shrinks it.
    let plain = "<!DOCTYPE html><html lang=\"en\"><title>t</title><p>Hello</p></html>";
    let base = serve(vec![("plain", plain.to_string())]).await;
    let s = Session::start(Screen::Phone).await;
    s.goto(&format!("{base}/plain")).await;
    let why = sideways_scroll_findings(&s).await.expect("reported");
    assert!(why.contains("viewport"), "{why}");
}

#[actix_web::test]
async fn the_keyboard_and_forms_can_be_driven() {
    let form = page(
        "<style>#b:focus { outline: none; }</style>\
         <form action=\"/echo\" method=\"get\">\
         <label for=\"a\">A</label><input id=\"a\" name=\"a\">\
         <label for=\"b\">B</label><input id=\"b\" name=\"b\">\
         <button>Send</button></form>",
    );
    let base = serve(vec![("form", form)]).await;
    let s = Session::start(Screen::Desktop).await;
    s.goto(&format!("{base}/form")).await;
    s.press(&[keys::TAB]).await;
    assert_eq!(
        s.active_element().await.attribute("id").await.as_deref(),
        Some("a")
    );
    focus_visible(&s).await;
    s.type_text("first").await;
    s.press(&[keys::TAB]).await;
    let b = s.active_element().await;
    assert_eq!(b.attribute("id").await.as_deref(), Some("b"));
    let hidden = focus_findings(&s).await.expect("the focus on #b is hidden");
    assert!(
        hidden.contains("input#b") && hidden.contains("no outline"),
        "{hidden}"
    );
    b.send_keys(&format!("second{}", keys::ENTER)).await;
    assert_eq!(s.wait_for_path("/echo").await, "/echo?a=first&b=second");
    assert_eq!(s.find("#q").await.text().await, "a=first&b=second");
    s.goto(&format!("{base}/form")).await;
    let a = s.find("#a").await;
    a.send_keys("typed").await;
    assert_eq!(a.value().await, "typed");
    a.clear().await;
    assert_eq!(a.value().await, "");
    assert_eq!(s.find_all("input").await.len(), 2);
    assert_eq!(s.find("button").await.text().await, "Send");
    assert!(s.try_find("#missing").await.is_none());
    let tag = s
        .execute("return arguments[0].tagName", vec![a.as_arg()])
        .await;
    assert_eq!(tag, "INPUT");

    s.execute("document.cookie = 'probe=1; path=/'", vec![])
        .await;
    assert!(s.cookies().await.iter().any(|c| c["name"] == "probe"));
    s.delete_cookies().await;
    assert!(s.cookies().await.is_empty());

    a.send_keys("clicked").await;
    s.find("button").await.click().await;
    assert_eq!(s.wait_for_path("/echo").await, "/echo?a=clicked&b=");
    assert!(s.current_url().await.ends_with("/echo?a=clicked&b="));
}
