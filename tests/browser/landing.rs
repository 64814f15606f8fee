//! The public scan landing `GET /d/{tag}` (what a phone's camera app opens from a label), at
//! phone and desktop size.

use crate::checks::{page_is_fit, SCREENS};
use crate::dual_test;
use crate::helpers::{spawn_app, Backend};
use crate::webdriver::Session;

/// A finder sees the tag, the kind and how to return the device, in Dutch, French and English.
async fn the_scan_landing_reads_well_on_a_phone_and_a_desktop(b: Backend) {
    let app = spawn_app(b).await;
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", 1)
        .await;
    let tag = devices[0]["asset_tag"].as_str().expect("tag");
    for screen in SCREENS {
        let s = Session::start(screen).await;
        s.goto(&app.url(&format!("/d/{tag}"))).await;
        assert_eq!(s.find("h1").await.text().await, tag);
        assert_eq!(s.title().await, tag);
        let text = s.page_text().await;
        for expected in [
            "Laptop",
            "Gevonden? Breng dit toestel terug naar Digitale Uitleendienst Gent",
            "Trouvé ? Merci de rapporter cet appareil à Digitale Uitleendienst Gent",
            "Found it? Please return this device to Digitale Uitleendienst Gent",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} missing from {text:?}"
            );
        }
        assert!(!text.contains("Lenovo"), "a finder does not see the model");
        page_is_fit(&s, &format!("scan-landing-{b:?}")).await;
    }
}
dual_test!(the_scan_landing_reads_well_on_a_phone_and_a_desktop);

/// A label we do not know gets a friendly page, not an error.
async fn an_unknown_label_gets_a_friendly_page(b: Backend) {
    let app = spawn_app(b).await;
    for screen in SCREENS {
        let s = Session::start(screen).await;
        s.goto(&app.url("/d/GNT-999999")).await;
        assert_eq!(s.find("h1").await.text().await, "Onbekend label");
        assert!(s
            .page_text()
            .await
            .contains("This label does not belong to any device"));
        page_is_fit(&s, &format!("scan-unknown-{b:?}")).await;
    }
}
dual_test!(an_unknown_label_gets_a_friendly_page);
