//! The whole role × endpoint matrix: every endpoint is denied (403) unless its rule allows the
//! role. The expectations are written out here, independently of the policy table in the code.

use reqwest::Method;
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, Backend, TestApp};

const ROLES: [&str; 6] = [
    "admin",
    "coordinator",
    "lending_staff",
    "refurbisher",
    "social_worker",
    "requester",
];

struct Case {
    method: Method,
    path: String,
    body: Option<Value>,
    allowed: &'static [&'static str],
}

fn case(
    method: Method,
    path: impl Into<String>,
    body: Option<Value>,
    allowed: &'static [&'static str],
) -> Case {
    Case {
        method,
        path: path.into(),
        body,
        allowed,
    }
}

/// One token per role, each in an organisation of the fitting kind.
pub async fn tokens_per_role(app: &TestApp) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for role in ROLES {
        let kind = match role {
            "refurbisher" => "workshop",
            "social_worker" => "welfare_office",
            "requester" => "school",
            _ => "lending_service",
        };
        let (_, token) = app.user_in_new_org(role, kind).await;
        out.push((role, token));
    }
    out
}

async fn every_endpoint_follows_the_role_rules(b: Backend) {
    let app = spawn_app(b).await;
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", 2)
        .await;
    let device = devices[0]["id"].as_str().expect("id").to_string();
    let tag = devices[0]["asset_tag"].as_str().expect("tag").to_string();
    let serial = devices[0]["serial_number"]
        .as_str()
        .expect("serial")
        .to_string();
    let org = app.admin_org.clone();
    let admin_user = app.get("/me", &app.admin_token).await.body["id"]
        .as_str()
        .expect("id")
        .to_string();
    let all: &'static [&'static str] = &ROLES;
    let staff_read: &'static [&'static str] = &[
        "admin",
        "coordinator",
        "lending_staff",
        "refurbisher",
        "social_worker",
    ];

    let cases = vec![
        case(Method::GET, "/me", None, all),
        case(Method::GET, "/lifecycle", None, all),
        case(
            Method::POST,
            "/organisations",
            Some(json!({ "name": "Matrix org", "kind": "school" })),
            &["admin"],
        ),
        case(Method::GET, "/organisations", None, staff_read),
        case(
            Method::GET,
            format!("/organisations/{org}"),
            None,
            staff_read,
        ),
        case(
            Method::POST,
            "/users",
            Some(json!({ "organisation_id": org, "name": "N", "role": "requester" })),
            &["admin"],
        ),
        case(Method::GET, "/users", None, &["admin"]),
        case(
            Method::POST,
            format!("/users/{admin_user}/tokens"),
            Some(json!({ "label": "matrix" })),
            &["admin"],
        ),
        case(
            Method::GET,
            format!("/users/{admin_user}/tokens"),
            None,
            &["admin"],
        ),
        case(
            Method::POST,
            "/donations",
            Some(json!({ "anonymous": true, "received_on": "2026-10-01", "received_at": "Depot" })),
            &["admin", "lending_staff"],
        ),
        case(Method::GET, "/donations", None, staff_read),
        case(
            Method::GET,
            format!("/donations/{donation}"),
            None,
            staff_read,
        ),
        case(
            Method::POST,
            format!("/donations/{donation}/devices"),
            Some(json!([{ "kind": "tablet", "brand": "Apple", "model": "iPad 9" }])),
            &["admin", "lending_staff"],
        ),
        case(
            Method::POST,
            "/devices",
            Some(json!({ "kind": "robot", "brand": "Wonder Workshop", "model": "Dash" })),
            &["admin", "lending_staff"],
        ),
        case(Method::GET, "/devices", None, staff_read),
        case(Method::GET, format!("/devices/{device}"), None, staff_read),
        case(
            Method::GET,
            format!("/devices/by-tag/{tag}"),
            None,
            staff_read,
        ),
        case(
            Method::GET,
            format!("/devices/by-serial/{serial}"),
            None,
            staff_read,
        ),
        case(
            Method::GET,
            format!("/devices/{device}/history"),
            None,
            staff_read,
        ),
        case(
            Method::PATCH,
            format!("/devices/{device}"),
            Some(json!({ "notes": "checked" })),
            &["admin", "lending_staff"],
        ),
        case(
            Method::POST,
            format!("/devices/{device}/actions/send_to_repair"),
            Some(json!({})),
            &["admin", "lending_staff", "refurbisher"],
        ),
    ];

    assert_matrix(&app, &cases).await;
}

/// Sends every case with a token of every role: refused (403) unless the role is allowed,
/// and 401 without a token.
async fn assert_matrix(app: &TestApp, cases: &[Case]) {
    let tokens = tokens_per_role(app).await;
    for c in cases {
        for (role, token) in &tokens {
            let r = app
                .send(c.method.clone(), &c.path, Some(token), c.body.clone())
                .await;
            let status = r.status.as_u16();
            if c.allowed.contains(role) {
                assert!(
                    status != 403 && status != 401,
                    "{role} should be allowed {} {} but got {status}: {}",
                    c.method,
                    c.path,
                    r.body
                );
            } else {
                assert_eq!(
                    status, 403,
                    "{role} should be refused {} {}: {}",
                    c.method, c.path, r.body
                );
                r.assert_problem(403);
            }
        }
        // Without a token, every endpoint asks for one.
        let r = app
            .send(c.method.clone(), &c.path, None, c.body.clone())
            .await;
        r.assert_problem(401);
    }
}
dual_test!(every_endpoint_follows_the_role_rules);

/// The workshop, certificate and label endpoints: each is authorised by the domain function
/// it calls, with the same answer per role as the handlers gave.
async fn workshop_and_label_endpoints_follow_the_role_rules(b: Backend) {
    use crate::refurbishment::{refurbishment_body, wipe_body};
    let app = spawn_app(b).await;
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", 1)
        .await;
    let device = devices[0]["id"].as_str().expect("id").to_string();
    let tag = devices[0]["asset_tag"].as_str().expect("tag").to_string();
    let org = app.admin_org.clone();
    let all: &'static [&'static str] = &ROLES;
    let staff_read: &'static [&'static str] = &[
        "admin",
        "coordinator",
        "lending_staff",
        "refurbisher",
        "social_worker",
    ];
    let workshop: &'static [&'static str] = &["admin", "refurbisher"];
    let queue: &'static [&'static str] = &["admin", "lending_staff", "refurbisher"];
    let assign: &'static [&'static str] = &["admin", "lending_staff"];
    let print: &'static [&'static str] = &["admin", "lending_staff", "refurbisher"];
    let certificates: &'static [&'static str] =
        &["admin", "coordinator", "lending_staff", "refurbisher"];
    let cases = vec![
        case(Method::GET, "/workshop/checks", None, all),
        case(
            Method::GET,
            format!("/devices/{device}/drives"),
            None,
            staff_read,
        ),
        case(
            Method::GET,
            format!("/devices/{device}/wipes"),
            None,
            staff_read,
        ),
        case(
            Method::GET,
            format!("/devices/{device}/refurbishments"),
            None,
            staff_read,
        ),
        case(
            Method::POST,
            format!("/devices/{device}/wipes"),
            Some(wipe_body(None, "passed")),
            workshop,
        ),
        case(
            Method::POST,
            format!("/devices/{device}/refurbishments"),
            Some(refurbishment_body(true, "B")),
            workshop,
        ),
        case(
            Method::POST,
            format!("/devices/{device}/drives"),
            Some(json!({ "type": "ssd", "size_gb": 256 })),
            workshop,
        ),
        case(
            Method::POST,
            "/workshop/wipes",
            Some(json!({ "devices": [tag], "wipe": wipe_body(None, "passed") })),
            workshop,
        ),
        case(
            Method::POST,
            "/workshop/refurbishments",
            Some(json!({ "devices": [tag], "refurbishment": refurbishment_body(true, "B") })),
            workshop,
        ),
        case(
            Method::GET,
            format!("/workshop/queue?workshop_id={org}"),
            None,
            queue,
        ),
        case(
            Method::POST,
            "/pool/resets",
            Some(json!({ "asset_tags": [tag] })),
            queue,
        ),
        case(
            Method::POST,
            format!("/devices/{device}/assign"),
            Some(json!({ "workshop_id": org })),
            assign,
        ),
        case(
            Method::POST,
            format!("/donations/{donation}/assign"),
            Some(json!({ "workshop_id": org })),
            assign,
        ),
        case(
            Method::GET,
            format!("/donations/{donation}/certificate.csv"),
            None,
            certificates,
        ),
        case(Method::GET, "/label-stocks", None, print),
        case(
            Method::GET,
            format!("/devices/{device}/label.svg?stock=avery-l7160"),
            None,
            print,
        ),
        case(
            Method::POST,
            "/labels/sheet.pdf",
            Some(json!({ "stock": "avery-l7160", "device_ids": [device] })),
            print,
        ),
    ];
    assert_matrix(&app, &cases).await;
}

dual_test!(workshop_and_label_endpoints_follow_the_role_rules);

/// Only admins edit organisations and users; every other role gets 403 and changes nothing,
/// and a caller without a token gets 401.
async fn only_admins_edit_organisations_and_users(b: Backend) {
    let app = spawn_app(b).await;
    let tokens = tokens_per_role(&app).await;
    let (user, _) = app.create_user(&app.admin_org, "lending_staff").await;
    let org_path = format!("/organisations/{}", app.admin_org);
    let user_path = format!("/users/{user}");
    for (role, token) in &tokens {
        let hours = format!("open for {role}");
        let name = format!("renamed by {role}");
        let org = app
            .send(
                Method::PATCH,
                &org_path,
                Some(token),
                Some(json!({ "opening_hours": hours })),
            )
            .await;
        let usr = app
            .send(
                Method::PATCH,
                &user_path,
                Some(token),
                Some(json!({ "name": name })),
            )
            .await;
        if *role == "admin" {
            org.assert_status(200);
            assert_eq!(org.body["opening_hours"], json!(hours));
            usr.assert_status(200);
            assert_eq!(usr.body["name"], json!(name));
        } else {
            org.assert_problem(403);
            usr.assert_problem(403);
            let now = app.get(&org_path, &app.admin_token).await;
            assert_ne!(
                now.body["opening_hours"],
                json!(hours),
                "{role} changed nothing"
            );
        }
    }
    for path in [&org_path, &user_path] {
        app.send(Method::PATCH, path, None, Some(json!({})))
            .await
            .assert_problem(401);
    }
}
dual_test!(only_admins_edit_organisations_and_users);
