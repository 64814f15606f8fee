//! The figures page in a real browser: a coordinator reads the year's figures at desktop and
//! phone size (axe-core, no sideways scrolling, big targets on each), opens another period and
//! freezes last year.

use chrono::Datelike;

use crate::checks::page_is_fit;
use crate::dual_test;
use crate::helpers::{spawn_app, today, Backend};
use crate::people::{invite, sign_in, signed_in, submit_and_wait, PASSWORD};
use crate::webdriver::{Screen, Session};

async fn a_coordinator_reads_and_freezes_the_figures(b: Backend) {
    let app = spawn_app(b).await;
    let donation = app.create_donation(&app.admin_token).await;
    app.register_devices(&app.admin_token, &donation, "laptop", 3)
        .await;
    let greet = invite(&app, "Greet", "coordinator", "city_service").await;
    for screen in [Screen::Desktop, Screen::Phone] {
        let s = if screen == Screen::Desktop {
            signed_in(screen, &app, &greet).await
        } else {
            let s = Session::start(screen).await;
            sign_in(&s, &app, &greet.email, PASSWORD).await;
            s
        };
        s.goto(&app.url("/reports")).await;
        assert!(s.page_text().await.contains("Toestellen binnengekomen: 3"));
        page_is_fit(&s, &format!("figures-{screen:?}").to_lowercase()).await;
        // Last year, from the list.
        let last = (today().year() - 1).to_string();
        s.execute(
            "document.getElementById('f-year').value = arguments[0]; return null",
            vec![serde_json::json!(last)],
        )
        .await;
        submit_and_wait(
            &s,
            "last year's figures",
            &format!("location.search.includes('year={last}')"),
        )
        .await;
        if screen == Screen::Desktop {
            s.find("form[action='/reports/freeze'] button")
                .await
                .click()
                .await;
            s.wait_until(
                "the frozen year",
                "return location.search.includes('frozen=1') ? 1 : null",
            )
            .await;
            assert!(s.page_text().await.contains("Het jaar is vastgezet."));
        }
        page_is_fit(&s, &format!("figures-last-year-{screen:?}").to_lowercase()).await;
    }
}
dual_test!(a_coordinator_reads_and_freezes_the_figures);
