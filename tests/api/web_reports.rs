//! The figures page (issue 16's page for coordinators) through HTTP: the year's figures as the
//! API counts them, each breakdown as an SVG chart with its table; the CSV and XLSX
//! downloads are the API's bytes; freezing a closed year; who sees which groups; a period
//! that is not one comes back with the reason next to its field.

use chrono::Datelike;
use reqwest::StatusCode;
use serde_json::json;

use crate::dual_test;
use crate::helpers::{spawn_app, today, Backend, TestApp};
use crate::web_client::signed_in_as;

/// Three laptops and two tablets registered today through a donation.
async fn world(app: &TestApp) {
    let donation = app.create_donation(&app.admin_token).await;
    app.register_devices(&app.admin_token, &donation, "laptop", 3)
        .await;
    app.register_devices(&app.admin_token, &donation, "tablet", 2)
        .await;
}

/// The table rows of a chart: the text between the caption's table and its end.
fn table_after<'a>(body: &'a str, caption: &str) -> &'a str {
    let at = body
        .find(&format!(">{caption}</figcaption>"))
        .unwrap_or_else(|| panic!("no chart {caption:?} in {body}"));
    let rest = &body[at..];
    let end = rest.find("</table>").expect("its table");
    &rest[..end]
}

async fn a_coordinator_reads_the_years_figures_with_charts_and_tables(b: Backend) {
    let app = spawn_app(b).await;
    world(&app).await;
    let org = app.create_org("Stad Gent", "city_service").await;
    let (mut web, _) = signed_in_as(&app, &org, "coordinator", "Greet").await;
    let year = today().year();
    let page = web.get(&format!("/reports?year={year}")).await;
    page.assert_html(200);
    let body = &page.body;
    // The totals the API gives, in words and Dutch numbers.
    let api = app
        .get(&format!("/figures?year={year}"), &app.admin_token)
        .await;
    api.assert_status(200);
    assert!(
        body.contains("Toestellen binnengekomen: <span class=\"figure-total\">5</span>"),
        "{body}"
    );
    for group in [
        "Toestellen",
        "Mensen",
        "Reservaties",
        "Werkplaats",
        "Milieu",
    ] {
        assert!(body.contains(&format!(">{group}</h2>")), "{group}");
    }
    // The breakdown per kind: a chart hidden from screen readers, and its table.
    let table = table_after(body, "Toestellen binnengekomen per soort toestel");
    assert!(
        table.contains("<th scope=\"row\">laptop</th><td class=\"number\">3</td>"),
        "{table}"
    );
    assert!(table.contains("<th scope=\"row\">tablet</th><td class=\"number\">2</td>"));
    let chart_start = body[..body
        .find(">Toestellen binnengekomen per soort toestel</figcaption>")
        .expect("caption")]
        .rfind("<svg")
        .expect("its chart");
    let chart = &body[chart_start..];
    assert!(chart.starts_with("<svg viewBox=\"0 0 320 "));
    assert!(chart[..200].contains("aria-hidden=\"true\""));
    // The longest bar is the largest part.
    assert!(
        chart.contains("<rect x=\"0\" y=\"16\" width=\"250.0\""),
        "{chart}"
    );
    // The method of the environmental figures is named.
    assert!(body.contains("Berekend met "), "{body}");
    // No cache, and the downloads are the API's files.
    assert!(page
        .header(reqwest::header::CACHE_CONTROL)
        .contains("no-store"));
    let csv = web.get(&format!("/reports/figures.csv?year={year}")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv
        .header(reqwest::header::CONTENT_DISPOSITION)
        .contains(".csv"));
    let api_csv = app
        .get_raw(
            &format!("/figures?year={year}&format=csv"),
            &app.admin_token,
        )
        .await
        .text()
        .await
        .expect("csv");
    // The same figures (the time they were made differs, if the CSV carries it).
    let strip = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| !l.contains("generated"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(strip(&csv.body), strip(&api_csv));
    let xlsx = web.get(&format!("/reports/figures.xlsx?year={year}")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx
        .header(reqwest::header::CONTENT_TYPE)
        .contains("spreadsheetml"));
}
dual_test!(a_coordinator_reads_the_years_figures_with_charts_and_tables);

async fn a_closed_year_is_frozen_from_the_page(b: Backend) {
    let app = spawn_app(b).await;
    let org = app.create_org("Stad Gent", "city_service").await;
    let (mut web, _) = signed_in_as(&app, &org, "coordinator", "Greet").await;
    let last = today().year() - 1;
    let page = web.get(&format!("/reports?year={last}")).await;
    page.assert_html(200);
    assert!(
        page.body.contains(&format!("Zet {last} vast")),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let done = web
        .post(
            "/reports/freeze",
            &[("csrf", &csrf), ("year", &last.to_string())],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let after = web.get(&done.location()).await;
    after.assert_html(200);
    assert!(after.body.contains("Het jaar is vastgezet."));
    assert!(after
        .body
        .contains("vastgezet: deze cijfers veranderen niet meer"));
    assert!(!after.body.contains(&format!("Zet {last} vast")));
    // Stored: the API says so, and the page's download is the stored file.
    let api = app
        .get(&format!("/figures?year={last}"), &app.admin_token)
        .await;
    assert_eq!(api.body["frozen"], json!(true));
    let stored = app
        .get_raw(
            &format!("/figures?year={last}&format=csv"),
            &app.admin_token,
        )
        .await
        .bytes()
        .await
        .expect("csv");
    let from_page = web
        .client
        .get(app.url(&format!("/reports/figures.csv?year={last}")))
        .header("cookie", web.cookie_header())
        .send()
        .await
        .expect("sent")
        .bytes()
        .await
        .expect("csv");
    assert_eq!(stored, from_page);
    // Not this year: it is not over.
    let this = web.get(&format!("/reports?year={}", today().year())).await;
    assert!(!this.body.contains("/reports/freeze"));
}
dual_test!(a_closed_year_is_frozen_from_the_page);

async fn each_role_sees_its_own_figures_and_a_bad_period_is_explained(b: Backend) {
    let app = spawn_app(b).await;
    world(&app).await;
    let office = app.create_org("OCMW Gent", "welfare_office").await;
    let (mut worker, _) = signed_in_as(&app, &office, "social_worker", "Sara").await;
    let page = worker.get("/reports").await;
    page.assert_html(200);
    assert!(page.body.contains(">Mensen</h2>"), "{}", page.body);
    assert!(!page.body.contains("Toestellen binnengekomen"));
    assert!(
        !page.body.contains("/reports/freeze"),
        "social workers do not freeze"
    );
    // The navigation leads there.
    assert!(page.body.contains("href=\"/reports\""));
    // A school contact has no figures.
    let school = app.create_org("Basisschool De Linde", "school").await;
    let (mut requester, _) = signed_in_as(&app, &school, "requester", "Jan").await;
    let refused = requester.get("/reports").await;
    refused.assert_html(403);
    assert!(!requester.get("/").await.body.contains("href=\"/reports\""));
    // A year that is not one, a year out of range, a last day before the first.
    let coordinator_org = app.create_org("Stad Gent", "city_service").await;
    let (mut web, _) = signed_in_as(&app, &coordinator_org, "coordinator", "Greet").await;
    let bad = web.get("/reports?year=twintig").await;
    bad.assert_html(422);
    assert!(
        bad.body.contains("Kies een jaar uit de lijst."),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("aria-invalid=\"true\""));
    let far = web.get("/reports?year=1990").await;
    far.assert_html(422);
    assert!(
        far.body.contains("Kies een jaar uit de lijst."),
        "{}",
        far.body
    );
    let y = today().year();
    let backwards = web
        .get(&format!("/reports?from={y}-03-01&to={y}-02-01"))
        .await;
    backwards.assert_html(422);
    assert!(
        backwards
            .body
            .contains("mag niet vóór de eerste dag liggen"),
        "{}",
        backwards.body
    );
    assert!(
        backwards.body.contains(&format!("value=\"{y}-03-01\"")),
        "typed values kept"
    );
    // In English, the numbers and words follow.
    let csrf = web.get("/").await.csrf();
    let en = web
        .post("/language", &[("csrf", &csrf), ("lang", "en")])
        .await;
    assert!(en.status.is_redirection(), "{}", en.body);
    let page = web.get(&format!("/reports?year={y}")).await;
    assert!(page
        .body
        .contains("Devices registered: <span class=\"figure-total\">5</span>"));
}
dual_test!(each_role_sees_its_own_figures_and_a_bad_period_is_explained);
