//! The admin's people page: everyone the admin may manage, with a button that makes a
//! one-time link (an invitation, or a password reset for someone who has a password).

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use diesel::prelude::*;

use crate::auth::{invitations, Perm};
use crate::db::now;
use crate::db::schema::users;
use crate::domain::accounts::Role;
use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::startup::AppState;
use crate::web::forms::Posted;
use crate::web::frame::{render_status, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Viewer};

/// One person on the list.
#[derive(Debug, Clone)]
pub struct PersonLine {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub has_password: bool,
}

#[derive(Template)]
#[template(path = "admin_people.html")]
pub struct PeoplePage {
    pub frame: Frame,
    pub people: Vec<PersonLine>,
    /// The invitation form: organisations and roles to choose from, and what was typed.
    pub organisations: Vec<(String, String)>,
    pub roles: Vec<(String, String)>,
    pub name: String,
    pub email: String,
    pub organisation_id: String,
    pub role: String,
}
crate::page!(PeoplePage);

#[derive(Template)]
#[template(path = "admin_link.html")]
pub struct LinkPage {
    pub frame: Frame,
    pub name: String,
    pub url: String,
    pub expires: String,
    pub reset: bool,
}
crate::page!(LinkPage);

/// Everyone, by name (admins see every organisation). At most 500 lines; the API lists more.
fn people(conn: &mut crate::db::DbConn) -> Result<Vec<PersonLine>, AppError> {
    type Row = (String, String, Option<String>, Role, bool, Option<String>);
    let rows: Vec<Row> = users::table
        .select((
            users::id,
            users::name,
            users::email,
            users::role,
            users::active,
            users::password_hash,
        ))
        .order((users::name.asc(), users::id.asc()))
        .limit(500)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email, role, active, hash)| PersonLine {
            id,
            name,
            email: email.unwrap_or_default(),
            role,
            active,
            has_password: hash.is_some(),
        })
        .collect())
}

#[get("/admin/people")]
pub async fn people_page(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/admin/people", "web-people-title");
    let page = people_page_for(&state, &viewer, frame, &Default::default()).await?;
    render(&page)
}

/// The people page with the invitation form as typed (`typed`: the posted form's values).
pub async fn people_page_for(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    frame: Frame,
    typed: &std::collections::HashMap<String, String>,
) -> Result<PeoplePage, PageError> {
    viewer
        .caller
        .require(Perm::ManageAccounts)
        .in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let (people, orgs) = state
        .db
        .read(move |conn| {
            let orgs = crate::domain::accounts::list_organisations(conn, &caller, 1000, None)?.0;
            Ok((people(conn)?, orgs))
        })
        .await
        .in_frame(&frame)?;
    let get = |k: &str| {
        typed
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut organisations = vec![(String::new(), frame.t("web-ops-field-choose"))];
    organisations.extend(orgs.into_iter().map(|o| (o.id, o.name)));
    Ok(PeoplePage {
        people,
        organisations,
        roles: crate::web::ops::admin::roles(&frame),
        name: get("name"),
        email: get("email"),
        organisation_id: get("organisation_id"),
        role: match get("role") {
            r if r.is_empty() => Role::LendingStaff.to_string(),
            r => r,
        },
        frame,
    })
}

#[derive(Debug, serde::Deserialize)]
pub struct LinkForm {}

#[post("/admin/people/{id}/link")]
pub async fn make_link(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<LinkForm>,
) -> Result<HttpResponse, PageError> {
    let viewer = posted.viewer;
    let frame = Frame::signed_in(&viewer, "/admin/people", "web-link-title");
    let user_id: UserId = crate::api::path_id(&id, "The user").in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let days = state.config.invitation_days;
    let at = now();
    let uid = user_id.clone();
    let (link, name) = state
        .db
        .write(move |conn| {
            let link = invitations::create(conn, Some(&caller), &uid, days, at)?;
            let name: String = users::table
                .find(uid.as_str())
                .select(users::name)
                .first(conn)?;
            Ok((link, name))
        })
        .await
        .in_frame(&frame)?;
    render_status(
        StatusCode::CREATED,
        &LinkPage {
            url: format!(
                "{}{}",
                state.config.public_base_url,
                invitations::path_of(&link.secret)
            ),
            expires: link.expires_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            reset: link.purpose == invitations::LinkPurpose::PasswordReset,
            name,
            frame,
        },
    )
}
