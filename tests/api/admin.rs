//! Administration by admins: editing organisations (what documents and labels print) and
//! users (disabling them, changing their role).

use reqwest::Method;
use serde_json::json;

use crate::dual_test;
use crate::helpers::{spawn_app, spawn_second, Backend};

/// An admin edits the lending organisation; labels and the organisation's record show it at
/// once, optional fields clear with an empty text, bad values are 422s naming each field.
async fn admins_edit_organisations(b: Backend) {
    let app = spawn_app(b).await;
    let org = app.admin_org.clone();
    let r = app
        .patch(
            &format!("/organisations/{org}"),
            &app.admin_token,
            json!({
                "name": "  Stad Gent – Digitale Uitleendienst ",
                "short_name": "Gent DUD",
                "address": "Kortrijksesteenweg 1, 9000 Gent",
                "opening_hours": "ma–vr 9–12 u en 13–16 u",
                "return_instructions": "Breng alles terug aan de balie op het gelijkvloers."
            }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["name"], "Stad Gent – Digitale Uitleendienst");
    assert_eq!(r.body["short_name"], "Gent DUD");
    let got = app
        .get(&format!("/organisations/{org}"), &app.admin_token)
        .await;
    got.assert_status(200);
    assert_eq!(got.body["address"], "Kortrijksesteenweg 1, 9000 Gent");
    assert_eq!(got.body["opening_hours"], "ma–vr 9–12 u en 13–16 u");
    assert_eq!(
        got.body["return_instructions"],
        "Breng alles terug aan de balie op het gelijkvloers."
    );
    assert_eq!(got.body["kind"], "lending_service");

    // The short name is what the device labels print.
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", 1)
        .await;
    let id = devices[0]["id"].as_str().expect("id");
    let svg = app
        .get(
            &format!("/devices/{id}/label.svg?stock=avery-l7160"),
            &app.admin_token,
        )
        .await;
    svg.assert_status(200);
    assert!(
        String::from_utf8_lossy(&svg.bytes).contains("Gent DUD"),
        "the label prints the new short name"
    );

    // Only the fields sent change; an empty text clears an optional one.
    let r = app
        .patch(
            &format!("/organisations/{org}"),
            &app.admin_token,
            json!({ "address": "" }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["address"], json!(null));
    assert_eq!(r.body["opening_hours"], "ma–vr 9–12 u en 13–16 u");
    assert_eq!(r.body["short_name"], "Gent DUD");

    // Every bad field is named; nothing changes.
    let before = app.row_counts();
    let r = app
        .patch(
            &format!("/organisations/{org}"),
            &app.admin_token,
            json!({ "name": "   ", "short_name": "a short name far too long", "opening_hours": "x".repeat(501) }),
        )
        .await;
    r.assert_problem(422);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["name", "opening_hours", "short_name"]);
    assert_eq!(
        app.get(&format!("/organisations/{org}"), &app.admin_token)
            .await
            .body["name"],
        "Stad Gent – Digitale Uitleendienst"
    );
    assert_eq!(app.row_counts(), before);

    // Another organisation's name is taken (409); unknown ids are 404; unknown fields 400.
    let other = app.create_org("Basisschool De Knipoog", "school").await;
    let r = app
        .patch(
            &format!("/organisations/{other}"),
            &app.admin_token,
            json!({ "name": "Stad Gent – Digitale Uitleendienst" }),
        )
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["field"], "name");
    app.patch(
        &format!("/organisations/{}", uuid::Uuid::new_v4()),
        &app.admin_token,
        json!({ "name": "X" }),
    )
    .await
    .assert_problem(404);
    app.patch(
        &format!("/organisations/{other}"),
        &app.admin_token,
        json!({ "kind": "workshop" }),
    )
    .await
    .assert_problem(400);

    // Opening hours can be given at creation too.
    let r = app
        .post(
            "/organisations",
            &app.admin_token,
            json!({ "name": "Bibliotheek De Krook", "kind": "city_service",
                    "opening_hours": "di–za 10–18 u", "return_instructions": "Aan de uitleenbalie." }),
        )
        .await;
    r.assert_status(201);
    assert_eq!(r.body["opening_hours"], "di–za 10–18 u");
    assert_eq!(r.body["return_instructions"], "Aan de uitleenbalie.");

    // Only admins edit organisations.
    let (_, staff) = app.create_user(&org, "lending_staff").await;
    app.patch(
        &format!("/organisations/{org}"),
        &staff,
        json!({ "short_name": "Mine" }),
    )
    .await
    .assert_problem(403);
    assert_eq!(
        app.get(&format!("/organisations/{org}"), &app.admin_token)
            .await
            .body["short_name"],
        "Gent DUD"
    );
}
dual_test!(admins_edit_organisations);

/// A disabled user's tokens are refused at once, on every server, including tokens issued
/// before; no new token is issued to them; enabling them again restores access.
async fn a_disabled_user_is_refused_at_once(b: Backend) {
    let app = spawn_app(b).await;
    let second = spawn_second(&app).await;
    let (user, token) = app.create_user(&app.admin_org, "lending_staff").await;
    app.get("/devices", &token).await.assert_status(200);
    second.get("/me", &token).await.assert_status(200);

    let r = app
        .patch(
            &format!("/users/{user}"),
            &app.admin_token,
            json!({ "active": false }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["active"], false);
    for server in [&app, &second] {
        server.get("/me", &token).await.assert_problem(401);
        server.get("/devices", &token).await.assert_problem(401);
    }
    // No new session for a disabled user.
    let r = app
        .post(
            &format!("/users/{user}/tokens"),
            &app.admin_token,
            json!({ "label": "new phone" }),
        )
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["active"], false);

    // Enabled again: the old token works again (it was never revoked).
    app.patch(
        &format!("/users/{user}"),
        &app.admin_token,
        json!({ "active": true }),
    )
    .await
    .assert_status(200);
    let me = second.get("/me", &token).await;
    me.assert_status(200);
    assert_eq!(me.body["id"], json!(user));
}
dual_test!(a_disabled_user_is_refused_at_once);

/// A role change changes what the user may do on the very next request.
async fn a_role_change_changes_what_a_user_may_do(b: Backend) {
    let app = spawn_app(b).await;
    let (user, token) = app.create_user(&app.admin_org, "coordinator").await;
    let body = json!({ "donor_name": "Bakkerij Janssens", "received_on": "2026-11-02", "received_at": "Depot" });
    // A coordinator may not register donations.
    app.post("/donations", &token, body.clone())
        .await
        .assert_problem(403);
    let r = app
        .patch(
            &format!("/users/{user}"),
            &app.admin_token,
            json!({ "role": "lending_staff", "name": " Sofie Claes " }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["role"], "lending_staff");
    assert_eq!(r.body["name"], "Sofie Claes");
    let created = app.post("/donations", &token, body.clone()).await;
    created.assert_status(201);
    assert_eq!(created.body["donor_name"], "Bakkerij Janssens");
    let me = app.get("/me", &token).await;
    assert_eq!(me.body["role"], "lending_staff");

    // Made a requester: no longer allowed to register.
    app.patch(
        &format!("/users/{user}"),
        &app.admin_token,
        json!({ "role": "requester" }),
    )
    .await
    .assert_status(200);
    app.post("/donations", &token, body)
        .await
        .assert_problem(403);
}
dual_test!(a_role_change_changes_what_a_user_may_do);

/// Bad user changes are 422s naming the fields; the last active admin cannot lock everyone
/// out; only admins change users.
async fn user_changes_are_validated(b: Backend) {
    let app = spawn_app(b).await;
    let me = app.get("/me", &app.admin_token).await.body["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (user, token) = app.create_user(&app.admin_org, "lending_staff").await;

    let r = app
        .patch(
            &format!("/users/{user}"),
            &app.admin_token,
            json!({ "name": "", "email": "not-an-address" }),
        )
        .await;
    r.assert_problem(422);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["email", "name"]);
    app.patch(
        &format!("/users/{user}"),
        &app.admin_token,
        json!({ "role": "boss" }),
    )
    .await
    .assert_problem(400);
    app.patch(
        &format!("/users/{}", uuid::Uuid::new_v4()),
        &app.admin_token,
        json!({ "active": false }),
    )
    .await
    .assert_problem(404);

    // E-mail addresses stay unique.
    let (other, _) = app.create_user(&app.admin_org, "coordinator").await;
    app.patch(
        &format!("/users/{other}"),
        &app.admin_token,
        json!({ "email": "Sofie@Gent.be" }),
    )
    .await
    .assert_status(200);
    let r = app
        .patch(
            &format!("/users/{user}"),
            &app.admin_token,
            json!({ "email": "sofie@gent.be" }),
        )
        .await;
    r.assert_problem(409);
    assert_eq!(r.body["field"], "email");

    // The only admin can neither disable nor demote themselves.
    for body in [json!({ "active": false }), json!({ "role": "coordinator" })] {
        let r = app
            .patch(&format!("/users/{me}"), &app.admin_token, body)
            .await;
        r.assert_problem(409);
    }
    app.get("/users", &app.admin_token).await.assert_status(200);
    // With a second admin, the first may step down.
    app.patch(
        &format!("/users/{user}"),
        &app.admin_token,
        json!({ "role": "admin" }),
    )
    .await
    .assert_status(200);
    app.patch(
        &format!("/users/{me}"),
        &app.admin_token,
        json!({ "role": "coordinator" }),
    )
    .await
    .assert_status(200);
    app.get("/users", &app.admin_token)
        .await
        .assert_problem(403);
    app.get("/users", &token).await.assert_status(200);

    // Only admins change users.
    app.send(
        Method::PATCH,
        &format!("/users/{other}"),
        Some(&app.admin_token),
        Some(json!({ "role": "admin" })),
    )
    .await
    .assert_problem(403);
}
dual_test!(user_changes_are_validated);
