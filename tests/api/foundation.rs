//! The foundation: health, documentation, authentication, problem documents, no traces.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::json;

use crate::dual_test;
use crate::helpers::{column_names, spawn_app, table_names, Backend, TestDatabase};

async fn health_reports_the_database(b: Backend) {
    let app = spawn_app(b).await;
    let r = app.send(Method::GET, "/health", None, None).await;
    r.assert_status(200);
    let expected = match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(r.body["database"], expected);
}
dual_test!(health_reports_the_database);

async fn openapi_covers_every_route_and_docs_work_offline(b: Backend) {
    let app = spawn_app(b).await;
    let r = app.send(Method::GET, "/openapi.json", None, None).await;
    r.assert_status(200);
    assert!(r.body["openapi"].as_str().unwrap_or("").starts_with("3.1"));
    let paths = r.body["paths"].as_object().expect("paths");
    for p in [
        "/health",
        "/organisations",
        "/organisations/{id}",
        "/users",
        "/me",
        "/users/{id}/tokens",
        "/tokens/{id}/revoke",
        "/donations",
        "/donations/{id}",
        "/donations/{id}/devices",
        "/donations/{id}/devices/csv",
        "/devices",
        "/devices/{id}",
        "/devices/by-tag/{tag}",
        "/devices/by-serial/{serial}",
        "/devices/{id}/actions/{action}",
        "/devices/{id}/history",
        "/lifecycle",
    ] {
        assert!(paths.contains_key(p), "OpenAPI lacks {p}");
    }
    assert!(r.body["components"]["schemas"]["Problem"].is_object());
    let page = app.send(Method::GET, "/docs/", None, None).await;
    page.assert_status(200);
    let html = String::from_utf8_lossy(&page.bytes);
    assert!(html.contains("swagger"), "the reference page is Swagger UI");
    assert!(
        !html.contains("https://unpkg.com") && !html.contains("cdn."),
        "no assets from the internet"
    );
}
dual_test!(openapi_covers_every_route_and_docs_work_offline);

async fn requests_without_a_valid_token_get_401(b: Backend) {
    let app = spawn_app(b).await;
    app.send(Method::GET, "/devices", None, None)
        .await
        .assert_problem(401);
    app.send(Method::GET, "/devices", Some("dl_not-a-real-token"), None)
        .await
        .assert_problem(401);
    let r = app
        .client
        .get(app.url("/me"))
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status().as_u16(), 401);

    // A revoked token stops working at once.
    let org = app.create_org("Werkplaats De Sleutel", "workshop").await;
    let (user, token) = app.create_user(&org, "refurbisher").await;
    app.get("/me", &token).await.assert_status(200);
    let tokens = app
        .get(&format!("/users/{user}/tokens"), &app.admin_token)
        .await;
    tokens.assert_status(200);
    assert!(
        tokens.body[0].get("secret").is_none() && tokens.body[0].get("token_hash").is_none(),
        "no secret is ever listed"
    );
    let token_id = tokens.body[0]["id"].as_str().expect("id").to_string();
    app.post(&format!("/tokens/{token_id}/revoke"), &token, json!({}))
        .await
        .assert_status(200);
    app.get("/me", &token).await.assert_problem(401);

    // An expired token does not work; expiry in the past cannot be asked for.
    let (_, expired) = app
        .db
        .write_blocking(|c| {
            digilend::domain::accounts::issue_token(
                c,
                &digilend::domain::ids::UserId::from(user.as_str()),
                "old",
                Some((Utc::now() - Duration::hours(1)).naive_utc()),
            )
        })
        .expect("token");
    app.get("/me", &expired).await.assert_problem(401);
    let past = (Utc::now() - Duration::days(1)).to_rfc3339();
    let r = app
        .post(
            &format!("/users/{user}/tokens"),
            &app.admin_token,
            json!({ "label": "x", "expires_at": past }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["expires_at"]);
}
dual_test!(requests_without_a_valid_token_get_401);

async fn only_hashes_of_tokens_are_stored(b: Backend) {
    let app = spawn_app(b).await;
    let org = app.create_org("OCMW Gent", "welfare_office").await;
    let (_, token) = app.create_user(&org, "social_worker").await;
    use diesel::prelude::*;
    use digilend::db::schema::api_tokens;
    let mut conn = app.db.conn().expect("conn");
    let hashes: Vec<String> = api_tokens::table
        .select(api_tokens::token_hash)
        .load(&mut *conn)
        .expect("load");
    assert!(!hashes
        .iter()
        .any(|h| h.contains(&token) || token.contains(h.as_str())));
    assert!(hashes.contains(&digilend::domain::accounts::hash_token(&token)));
}
dual_test!(only_hashes_of_tokens_are_stored);

async fn bad_input_gets_problem_documents_and_leaves_no_trace(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let before = app.row_counts();
    let url = app.url("/organisations");

    // Malformed JSON.
    let r = app
        .send_raw(
            Method::POST,
            "/organisations",
            Some(&admin),
            "application/json",
            b"{\"name\": ".to_vec(),
        )
        .await;
    r.assert_problem(400);
    // Wrong type.
    let r = app
        .post(
            "/organisations",
            &admin,
            json!({ "name": 12, "kind": "school" }),
        )
        .await;
    r.assert_problem(400);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("invalid type"));
    // Unknown field.
    let r = app
        .post(
            "/organisations",
            &admin,
            json!({ "name": "X", "kind": "school", "colour": "red" }),
        )
        .await;
    r.assert_problem(400);
    assert!(r.body["detail"].as_str().unwrap_or("").contains("colour"));
    // Unknown enum value.
    app.post(
        "/organisations",
        &admin,
        json!({ "name": "X", "kind": "castle" }),
    )
    .await
    .assert_problem(400);
    // Not JSON at all.
    app.send_raw(
        Method::POST,
        "/organisations",
        Some(&admin),
        "text/plain",
        b"name=x".to_vec(),
    )
    .await
    .assert_problem(415);
    // Too large.
    let huge = format!(
        "{{\"name\": \"{}\", \"kind\": \"school\"}}",
        "x".repeat(3 * 1024 * 1024)
    );
    let r = app
        .client
        .post(&url)
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await;
    if let Ok(r) = r {
        assert_eq!(r.status().as_u16(), 413);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("application/problem+json"));
    }
    // Values that fail validation name their fields.
    let r = app.post("/users", &admin, json!({ "organisation_id": app.admin_org, "name": "", "email": "not-mail", "role": "admin" })).await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["email", "name"]);
    // Missing records.
    app.get(
        "/organisations/5a1c1f9e-0000-4000-8000-000000000000",
        &admin,
    )
    .await
    .assert_problem(404);
    app.get("/organisations/not-a-uuid", &admin)
        .await
        .assert_problem(404);
    app.get("/no/such/path", &admin).await.assert_problem(404);
    // A user in an organisation that does not exist.
    let r = app.post("/users", &admin, json!({ "organisation_id": "5a1c1f9e-0000-4000-8000-000000000000", "name": "A", "role": "admin" })).await;
    r.assert_problem(422);
    // Bad query parameters.
    app.get("/devices?status=flying", &admin)
        .await
        .assert_problem(400);
    app.get("/devices?limit=ten", &admin)
        .await
        .assert_problem(400);
    app.get("/devices?cursor=%%%", &admin)
        .await
        .assert_problem(422);
    // Wrong method.
    app.send(Method::DELETE, "/health", None, None).await;

    assert_eq!(
        app.row_counts(),
        before,
        "a refused request changed the database"
    );

    // A conflict: the same organisation name twice.
    app.create_org("Basisschool De Regenboog", "school").await;
    let after_first = app.row_counts();
    let r = app
        .post(
            "/organisations",
            &admin,
            json!({ "name": "Basisschool De Regenboog", "kind": "school" }),
        )
        .await;
    r.assert_problem(409);
    assert_eq!(app.row_counts(), after_first);
}
dual_test!(bad_input_gets_problem_documents_and_leaves_no_trace);

async fn list_pages_are_clamped(b: Backend) {
    let app = spawn_app(b).await;
    for i in 0..3 {
        app.create_org(&format!("School {i}"), "school").await;
    }
    let r = app
        .get("/organisations?limit=100000", &app.admin_token)
        .await;
    r.assert_status(200);
    assert_eq!(r.body["limit"], 200);
    let r = app.get("/organisations?limit=0", &app.admin_token).await;
    assert_eq!(r.body["limit"], 1);
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(1));
    // Walk all pages one by one: every organisation once.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/organisations?limit=1&cursor={c}"),
            None => "/organisations?limit=1".to_string(),
        };
        let r = app.get(&path, &app.admin_token).await;
        r.assert_status(200);
        for item in r.body["items"].as_array().expect("items") {
            seen.push(item["name"].as_str().expect("name").to_string());
        }
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
}
dual_test!(list_pages_are_clamped);

/// Both migration sets produce the same tables and columns.
#[actix_web::test]
async fn both_migration_sets_make_the_same_schema() {
    if crate::helpers::postgres_url().is_none() {
        eprintln!("TEST_DATABASE_URL is not set: schema comparison not run");
        return;
    }
    let sqlite = TestDatabase::new(Backend::Sqlite);
    let pg = TestDatabase::new(Backend::Postgres);
    let s = digilend::db::Db::connect(&sqlite.url, 1).expect("sqlite");
    let p = digilend::db::Db::connect(&pg.url, 1).expect("postgres");
    let mut sc = s.conn().expect("conn");
    let mut pc = p.conn().expect("conn");
    let st = table_names(&mut sc);
    let pt = table_names(&mut pc);
    assert_eq!(st, pt);
    assert!(st.len() >= 7);
    for t in &st {
        assert_eq!(
            column_names(&mut sc, t),
            column_names(&mut pc, t),
            "columns of {t}"
        );
    }
}
