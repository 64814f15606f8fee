//! Administration for admins: organisations (`/admin/organisations`: the list, a new one, and
//! each one's name, address, opening hours and return instructions), inviting a new person
//! from the people page, and a person's page (`/admin/people/{id}`): their role, disabling or
//! enabling them, and their API tokens (a new token is shown once; revoking one).

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;

use super::{form_errors, optional, value, Values};
use crate::auth::{invitations, Perm};
use crate::db::models::{OrganisationRow, TokenRow, UserRow};
use crate::db::now;
use crate::domain::accounts::{
    self, NewOrganisation, NewToken, NewUser, OrgKind, OrganisationPatch, Role, UserPatch,
};
use crate::domain::ids::{OrganisationId, TokenId, UserId};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::admin::{people_page_for, LinkPage};
use crate::web::forms::FormErrors;
use crate::web::frame::{render_status, see_other, text, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Posted, Viewer};

/// The kinds of organisation as choices.
pub fn org_kinds(lang: Lang) -> Vec<(String, String)> {
    OrgKind::ALL
        .iter()
        .map(|k| {
            (
                k.to_string(),
                text(
                    lang,
                    &format!("web-ops-org-kind-{}", k.as_str().replace('_', "-")),
                ),
            )
        })
        .collect()
}

/// The roles as choices.
pub fn roles(frame: &Frame) -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.to_string(), frame.role_name(r)))
        .collect()
}

/// The status of a form refused by the domain: 409 for a conflict, else 422.
fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The errors of a refusal on a form, or the error page (a server error, a 404 or 403).
fn refusal(e: AppError, frame: &Frame) -> Result<(StatusCode, FormErrors), PageError> {
    if matches!(e, AppError::NotFound(_) | AppError::Forbidden(_)) {
        return Err(PageError::in_frame(e, frame));
    }
    let status = status_of(&e);
    match form_errors(&e, frame.lang) {
        Some(errors) => Ok((status, errors)),
        None => Err(PageError::in_frame(e, frame)),
    }
}

// ---------------------------------------------------------------------------------------
// Organisations

#[derive(Debug, Clone)]
pub struct OrgLine {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub address: String,
}

/// The fields of an organisation's form, as typed or as stored.
#[derive(Debug, Clone, Default)]
pub struct OrgForm {
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub address: String,
    pub opening_hours: String,
    pub return_instructions: String,
}

impl OrgForm {
    fn of(v: &Values) -> OrgForm {
        OrgForm {
            name: value(v, "name"),
            short_name: value(v, "short_name"),
            kind: value(v, "kind"),
            address: value(v, "address"),
            opening_hours: value(v, "opening_hours"),
            return_instructions: value(v, "return_instructions"),
        }
    }

    fn stored(o: &OrganisationRow) -> OrgForm {
        OrgForm {
            name: o.name.clone(),
            short_name: o.short_name.clone(),
            kind: o.kind.to_string(),
            address: o.address.clone().unwrap_or_default(),
            opening_hours: o.opening_hours.clone().unwrap_or_default(),
            return_instructions: o.return_instructions.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "ops/organisations.html")]
pub struct OrganisationsPage {
    pub frame: Frame,
    pub organisations: Vec<OrgLine>,
    pub kinds: Vec<(String, String)>,
    pub form: OrgForm,
}
crate::page!(OrganisationsPage);

fn orgs_frame(viewer: &Viewer) -> Frame {
    Frame::signed_in(viewer, "/admin/organisations", "web-ops-orgs-title")
}

async fn organisations_with(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    frame: Frame,
    form: OrgForm,
) -> Result<OrganisationsPage, PageError> {
    let lang = viewer.lang;
    viewer
        .caller
        .require(Perm::ManageAccounts)
        .in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let rows = state
        .db
        .read(move |conn| Ok(accounts::list_organisations(conn, &caller, 1000, None)?.0))
        .await
        .in_frame(&frame)?;
    let kinds = org_kinds(lang);
    let organisations = rows
        .into_iter()
        .map(|o| OrgLine {
            kind: kinds
                .iter()
                .find(|(k, _)| *k == o.kind.as_str())
                .map(|(_, t)| t.clone())
                .unwrap_or_default(),
            address: o.address.unwrap_or_default(),
            id: o.id,
            name: o.name,
        })
        .collect();
    Ok(OrganisationsPage {
        organisations,
        kinds,
        form,
        frame,
    })
}

#[derive(Debug, serde::Deserialize)]
pub struct DoneQuery {
    pub done: Option<String>,
}

#[get("/admin/organisations")]
pub async fn organisations_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let mut frame = orgs_frame(&viewer);
    if query.done.as_deref() == Some("created") {
        frame = frame.with_notice(text(viewer.lang, "web-ops-orgs-done-created"));
    }
    let form = OrgForm {
        kind: OrgKind::School.to_string(),
        ..OrgForm::default()
    };
    let page = organisations_with(&state, &viewer, frame, form).await?;
    render(&page)
}

#[post("/admin/organisations")]
pub async fn organisation_create(
    state: web::Data<AppState>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let frame = orgs_frame(&viewer);
    let lang = viewer.lang;
    let result = match value(&form, "kind").parse::<OrgKind>() {
        Ok(kind) => {
            let new = NewOrganisation {
                name: value(&form, "name"),
                short_name: optional(&form, "short_name"),
                kind,
                address: optional(&form, "address"),
                opening_hours: optional(&form, "opening_hours"),
                return_instructions: optional(&form, "return_instructions"),
            };
            let caller = viewer.caller.clone();
            state
                .db
                .write(move |conn| accounts::create_organisation(conn, &caller, new))
                .await
        }
        Err(_) => Err(AppError::invalid(
            "kind",
            text(lang, "web-ops-field-choose"),
        )),
    };
    match result {
        Ok(_) => Ok(see_other("/admin/organisations?done=created")),
        Err(e) => {
            let (status, errors) = refusal(e, &frame)?;
            let page = organisations_with(
                &state,
                &viewer,
                frame.with_errors(errors),
                OrgForm::of(&form),
            )
            .await?;
            render_status(status, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "ops/organisation.html")]
pub struct OrganisationPage {
    pub frame: Frame,
    pub id: String,
    pub heading: String,
    pub kind: String,
    pub form: OrgForm,
}
crate::page!(OrganisationPage);

fn org_frame(viewer: &Viewer, id: &str) -> Frame {
    Frame::signed_in(
        viewer,
        &format!("/admin/organisations/{id}"),
        "web-ops-org-title",
    )
}

async fn organisation(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: &str,
    frame: &Frame,
) -> Result<OrganisationRow, PageError> {
    viewer
        .caller
        .require(Perm::ManageAccounts)
        .in_frame(frame)?;
    let org_id: OrganisationId = crate::api::path_id(id, "The organisation").in_frame(frame)?;
    let caller = viewer.caller.clone();
    state
        .db
        .read(move |conn| accounts::get_organisation(conn, &caller, &org_id))
        .await
        .in_frame(frame)
}

fn kind_name(lang: Lang, kind: OrgKind) -> String {
    text(
        lang,
        &format!("web-ops-org-kind-{}", kind.as_str().replace('_', "-")),
    )
}

#[get("/admin/organisations/{id}")]
pub async fn organisation_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let mut frame = org_frame(&viewer, &id);
    let o = organisation(&state, &viewer, &id, &frame).await?;
    if query.done.as_deref() == Some("saved") {
        frame = frame.with_notice(text(viewer.lang, "web-ops-org-done-saved"));
    }
    render(&OrganisationPage {
        id: o.id.clone(),
        heading: o.name.clone(),
        kind: kind_name(viewer.lang, o.kind),
        form: OrgForm::stored(&o),
        frame,
    })
}

#[post("/admin/organisations/{id}")]
pub async fn organisation_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let frame = org_frame(&viewer, &id);
    let o = organisation(&state, &viewer, &id, &frame).await?;
    let patch = OrganisationPatch {
        name: Some(value(&form, "name")),
        short_name: Some(value(&form, "short_name")),
        address: Some(value(&form, "address")),
        opening_hours: Some(value(&form, "opening_hours")),
        return_instructions: Some(value(&form, "return_instructions")),
    };
    let caller = viewer.caller.clone();
    let org_id = OrganisationId::from(o.id.clone());
    match state
        .db
        .write(move |conn| accounts::update_organisation(conn, &caller, &org_id, patch))
        .await
    {
        Ok(o) => Ok(see_other(&format!(
            "/admin/organisations/{}?done=saved",
            o.id
        ))),
        Err(e) => {
            let (status, errors) = refusal(e, &frame)?;
            let mut typed = OrgForm::of(&form);
            typed.kind = o.kind.to_string();
            render_status(
                status,
                &OrganisationPage {
                    id: o.id.clone(),
                    heading: o.name.clone(),
                    kind: kind_name(viewer.lang, o.kind),
                    form: typed,
                    frame: frame.with_errors(errors),
                },
            )
        }
    }
}

// ---------------------------------------------------------------------------------------
// People: inviting a new person, a person's role, access and tokens

#[post("/admin/people/new")]
pub async fn invite_submit(
    state: web::Data<AppState>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let frame = Frame::signed_in(&viewer, "/admin/people", "web-link-title");
    let lang = viewer.lang;
    let role = value(&form, "role").parse::<Role>();
    let org = uuid::Uuid::parse_str(&value(&form, "organisation_id"));
    let result = match (role, org) {
        (Ok(role), Ok(org)) => {
            let new = NewUser {
                organisation_id: OrganisationId::from(org.to_string()),
                name: value(&form, "name"),
                email: optional(&form, "email"),
                role,
            };
            let caller = viewer.caller.clone();
            let days = state.config.invitation_days;
            state
                .db
                .write(move |conn| {
                    let user = accounts::create_user(conn, &caller, new)?;
                    let uid = UserId::from(user.id.clone());
                    let link = invitations::create(conn, Some(&caller), &uid, days, now())?;
                    Ok((user, link))
                })
                .await
        }
        (role, org) => {
            let mut errors = Vec::new();
            if org.is_err() {
                errors.push(crate::error::FieldError::new(
                    "organisation_id",
                    text(lang, "web-ops-field-choose"),
                ));
            }
            if role.is_err() {
                errors.push(crate::error::FieldError::new(
                    "role",
                    text(lang, "web-ops-field-choose"),
                ));
            }
            Err(AppError::invalid_fields(errors))
        }
    };
    match result {
        Ok((user, link)) => render_status(
            StatusCode::CREATED,
            &LinkPage {
                url: format!(
                    "{}{}",
                    state.config.public_base_url,
                    invitations::path_of(&link.secret)
                ),
                expires: link.expires_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                reset: false,
                name: user.name,
                frame,
            },
        ),
        Err(e) => {
            let people_frame = Frame::signed_in(&viewer, "/admin/people", "web-people-title");
            let (status, errors) = refusal(e, &people_frame)?;
            let page =
                people_page_for(&state, &viewer, people_frame.with_errors(errors), &form).await?;
            render_status(status, &page)
        }
    }
}

#[derive(Debug, Clone)]
pub struct TokenLine {
    pub id: String,
    pub label: String,
    pub created: String,
    pub expires: String,
    pub revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "ops/person.html")]
pub struct PersonPage {
    pub frame: Frame,
    pub id: String,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub role: String,
    pub role_text: String,
    pub roles: Vec<(String, String)>,
    pub active: bool,
    pub tokens: Vec<TokenLine>,
    pub label: String,
    /// A token just issued: shown this once.
    pub secret: Option<String>,
}
crate::page!(PersonPage);

fn person_frame(viewer: &Viewer, id: &str) -> Frame {
    Frame::signed_in(
        viewer,
        &format!("/admin/people/{id}"),
        "web-ops-person-title",
    )
}

fn when(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

type PersonFacts = (UserRow, OrganisationRow, Vec<TokenRow>);

async fn person_facts(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: &UserId,
    frame: &Frame,
) -> Result<PersonFacts, PageError> {
    let caller = viewer.caller.clone();
    let id = id.clone();
    state
        .db
        .read(move |conn| {
            let user = accounts::get_user(conn, &caller, &id)?;
            let org = accounts::get_organisation(
                conn,
                &caller,
                &OrganisationId::from(user.organisation_id.clone()),
            )?;
            let tokens = accounts::tokens_of(conn, &caller, &id)?;
            Ok((user, org, tokens))
        })
        .await
        .in_frame(frame)
}

/// A person's page, with what a refused form typed (`label`) and a secret just issued.
async fn person(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: &str,
    frame: Frame,
    label: String,
    secret: Option<String>,
) -> Result<PersonPage, PageError> {
    let user_id: UserId = crate::api::path_id(id, "The user").in_frame(&frame)?;
    let (user, org, tokens) = person_facts(state, viewer, &user_id, &frame).await?;
    let at = now();
    Ok(PersonPage {
        id: user.id.clone(),
        email: user.email.clone().unwrap_or_default(),
        organisation: org.name,
        role: user.role.to_string(),
        role_text: frame.role_name(user.role),
        roles: roles(&frame),
        active: user.active,
        tokens: tokens
            .into_iter()
            .map(|t| TokenLine {
                revoked: t
                    .revoked_at
                    .map(when)
                    .or_else(|| t.expires_at.filter(|e| *e <= at).map(when)),
                expires: t.expires_at.map(when).unwrap_or_default(),
                created: when(t.created_at),
                label: t.label,
                id: t.id,
            })
            .collect(),
        name: user.name,
        label,
        secret,
        frame,
    })
}

#[get("/admin/people/{id}")]
pub async fn person_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = viewer.lang;
    let mut frame = person_frame(&viewer, &id);
    let notice = match query.done.as_deref() {
        Some("role") => Some("web-ops-person-done-role"),
        Some("disabled") => Some("web-ops-person-done-disabled"),
        Some("enabled") => Some("web-ops-person-done-enabled"),
        Some("revoked") => Some("web-ops-person-done-revoked"),
        _ => None,
    };
    if let Some(key) = notice {
        frame = frame.with_notice(text(lang, key));
    }
    let page = person(&state, &viewer, &id, frame, String::new(), None).await?;
    render(&page)
}

/// Changes a person through the domain's `update_user`; a refusal comes back on their page.
async fn change_person(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: &str,
    patch: UserPatch,
    done: &str,
) -> Result<HttpResponse, PageError> {
    let frame = person_frame(viewer, id);
    let user_id: UserId = crate::api::path_id(id, "The user").in_frame(&frame)?;
    let caller = viewer.caller.clone();
    match state
        .db
        .write(move |conn| accounts::update_user(conn, &caller, &user_id, patch))
        .await
    {
        Ok(u) => Ok(see_other(&format!("/admin/people/{}?done={done}", u.id))),
        Err(e) => {
            let (status, errors) = refusal(e, &frame)?;
            let page = person(
                state,
                viewer,
                id,
                frame.with_errors(errors),
                String::new(),
                None,
            )
            .await?;
            render_status(status, &page)
        }
    }
}

#[post("/admin/people/{id}/role")]
pub async fn role_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let role = match value(&form, "role").parse::<Role>() {
        Ok(r) => r,
        Err(_) => {
            let frame = person_frame(&viewer, &id).with_errors(FormErrors::one(
                "role",
                text(viewer.lang, "web-ops-field-choose"),
            ));
            let page = person(&state, &viewer, &id, frame, String::new(), None).await?;
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let patch = UserPatch {
        role: Some(role),
        ..UserPatch::default()
    };
    change_person(&state, &viewer, &id, patch, "role").await
}

#[post("/admin/people/{id}/active")]
pub async fn active_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let active = value(&form, "active") == "true";
    let patch = UserPatch {
        active: Some(active),
        ..UserPatch::default()
    };
    let done = if active { "enabled" } else { "disabled" };
    change_person(&state, &viewer, &id, patch, done).await
}

#[post("/admin/people/{id}/tokens")]
pub async fn token_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let frame = person_frame(&viewer, &id);
    let user_id: UserId = crate::api::path_id(&id, "The user").in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let new = NewToken {
        label: value(&form, "label"),
        expires_at: None,
    };
    match state
        .db
        .write(move |conn| accounts::create_token(conn, &caller, &user_id, new))
        .await
    {
        Ok((_, secret)) => {
            let frame = frame.with_notice(text(viewer.lang, "web-ops-token-done"));
            let page = person(&state, &viewer, &id, frame, String::new(), Some(secret)).await?;
            render_status(StatusCode::CREATED, &page)
        }
        Err(e) => {
            let (status, mut errors) = refusal(e, &frame)?;
            // A disabled person gets no token: said next to the field.
            if let Some(general) = errors.general.take() {
                errors.items.push(crate::web::forms::FieldProblem {
                    field: "label".into(),
                    label: super::field_label(viewer.lang, "label"),
                    message: general,
                });
            }
            let page = person(
                &state,
                &viewer,
                &id,
                frame.with_errors(errors),
                value(&form, "label"),
                None,
            )
            .await?;
            render_status(status, &page)
        }
    }
}

#[post("/admin/tokens/{id}/revoke")]
pub async fn revoke_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, .. } = posted;
    let frame = Frame::signed_in(&viewer, "/admin/people", "web-ops-person-title");
    viewer
        .caller
        .require(Perm::ManageAccounts)
        .in_frame(&frame)?;
    let token_id: TokenId = crate::api::path_id(&id, "The token").in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let row = state
        .db
        .write(move |conn| accounts::revoke_token(conn, &caller, &token_id))
        .await
        .in_frame(&frame)?;
    Ok(see_other(&format!(
        "/admin/people/{}?done=revoked",
        row.user_id
    )))
}
