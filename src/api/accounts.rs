//! Organisations, users and API tokens (administered by admins).

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{clamp_limit, decode_cursor, encode_cursor, path_id, Page, PageParams};
use crate::auth::{invitations, Caller};
use crate::db::models::{OrganisationRow, TokenRow, UserRow};
use crate::domain::accounts::{self, OrgKind, Role};
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// A new organisation (the lengths are checked by `domain::accounts::NewOrganisation`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    /// 1 to 200 characters; unique.
    pub name: String,
    /// Printed on labels; at most 20 characters. Defaults to the start of the name.
    pub short_name: Option<String>,
    pub kind: OrgKind,
    /// At most 300 characters.
    pub address: Option<String>,
    /// When devices can be picked up and returned (printed on booking confirmations).
    pub opening_hours: Option<String>,
    /// How and where to bring devices back (printed on booking confirmations).
    pub return_instructions: Option<String>,
}

impl From<NewOrganisation> for accounts::NewOrganisation {
    fn from(b: NewOrganisation) -> Self {
        accounts::NewOrganisation {
            name: b.name,
            short_name: b.short_name,
            kind: b.kind,
            address: b.address,
            opening_hours: b.opening_hours,
            return_instructions: b.return_instructions,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Organisation {
    pub id: uuid::Uuid,
    pub name: String,
    pub short_name: String,
    pub kind: OrgKind,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub return_instructions: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub fn utc(t: chrono::NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(t, Utc)
}

pub fn uuid_of(s: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(s).unwrap_or_default()
}

impl From<OrganisationRow> for Organisation {
    fn from(r: OrganisationRow) -> Self {
        Organisation {
            id: uuid_of(&r.id),
            name: r.name,
            short_name: r.short_name,
            kind: r.kind,
            address: r.address,
            opening_hours: r.opening_hours,
            return_instructions: r.return_instructions,
            created_at: utc(r.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub organisation_id: uuid::Uuid,
    /// 1 to 200 characters.
    pub name: String,
    /// A valid e-mail address, unique.
    pub email: Option<String>,
    pub role: Role,
}

impl From<NewUser> for accounts::NewUser {
    fn from(b: NewUser) -> Self {
        accounts::NewUser {
            organisation_id: b.organisation_id.to_string().into(),
            name: b.name,
            email: b.email,
            role: b.role,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: uuid::Uuid,
    pub organisation_id: uuid::Uuid,
    pub name: String,
    pub email: Option<String>,
    pub role: Role,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: uuid_of(&r.id),
            organisation_id: uuid_of(&r.organisation_id),
            name: r.name,
            email: r.email,
            role: r.role,
            active: r.active,
            created_at: utc(r.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for ("Marie's phone"); 1 to 100 characters.
    pub label: String,
    /// Optional expiry; must be in the future.
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<NewToken> for accounts::NewToken {
    fn from(b: NewToken) -> Self {
        accounts::NewToken {
            label: b.label,
            expires_at: b.expires_at,
        }
    }
}

/// What an admin may change on an organisation. Absent fields stay as they are; an empty
/// text clears an optional field (address, opening hours, return instructions).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationPatch {
    /// 1 to 200 characters; unique.
    pub name: Option<String>,
    /// Printed on labels; 1 to 20 characters.
    pub short_name: Option<String>,
    /// Postal address on one line, printed on documents (where to pick up).
    pub address: Option<String>,
    /// When devices can be picked up and returned, e.g. "ma–vr 9–12 u en 13–16 u".
    pub opening_hours: Option<String>,
    /// How and where to bring devices back, printed on booking confirmations.
    pub return_instructions: Option<String>,
}

impl From<OrganisationPatch> for accounts::OrganisationPatch {
    fn from(p: OrganisationPatch) -> Self {
        accounts::OrganisationPatch {
            name: p.name,
            short_name: p.short_name,
            address: p.address,
            opening_hours: p.opening_hours,
            return_instructions: p.return_instructions,
        }
    }
}

/// What an admin may change on a user. Disabling (`active: false`) refuses the user's tokens
/// at once; enabling again makes them work again unless revoked or expired.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// 1 to 200 characters.
    pub name: Option<String>,
    /// A valid e-mail address, unique; an empty text removes it.
    pub email: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

impl From<UserPatch> for accounts::UserPatch {
    fn from(p: UserPatch) -> Self {
        accounts::UserPatch {
            name: p.name,
            email: p.email,
            role: p.role,
            active: p.active,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Token {
    pub id: uuid::Uuid,
    pub user_id: uuid::Uuid,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<TokenRow> for Token {
    fn from(r: TokenRow) -> Self {
        Token {
            id: uuid_of(&r.id),
            user_id: uuid_of(&r.user_id),
            label: r.label,
            created_at: utc(r.created_at),
            expires_at: r.expires_at.map(utc),
            revoked_at: r.revoked_at.map(utc),
        }
    }
}

/// A new token: the secret is shown here once and never again.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IssuedToken {
    #[serde(flatten)]
    pub token: Token,
    /// The bearer token. Store it now: only its hash is kept.
    pub secret: String,
}

/// Creates an organisation (admins).
#[utoipa::path(tag = "accounts", request_body = NewOrganisation,
    responses((status = 201, body = Organisation), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/organisations")]
pub async fn create_organisation(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewOrganisation>,
) -> Result<HttpResponse, AppError> {
    let new = body.into_inner().into();
    let row = state
        .db
        .write(move |conn| accounts::create_organisation(conn, &caller, new))
        .await?;
    Ok(HttpResponse::Created().json(Organisation::from(row)))
}

/// Lists organisations by name.
#[utoipa::path(tag = "accounts", params(PageParams),
    responses((status = 200, body = Page<Organisation>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
#[get("/organisations")]
pub async fn list_organisations(
    caller: Caller,
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, AppError> {
    let limit = clamp_limit(page.limit);
    let after = page.cursor.as_deref().map(decode_cursor).transpose()?;
    let (rows, next) = state
        .db
        .read(move |conn| accounts::list_organisations(conn, &caller, limit, after))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(Organisation::from).collect::<Vec<_>>(),
        next_cursor: next.as_deref().map(encode_cursor),
        limit,
    }))
}

/// One organisation.
#[utoipa::path(tag = "accounts", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Organisation), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/organisations/{id}")]
pub async fn get_organisation(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id(&id, "The organisation")?;
    let row = state
        .db
        .read(move |conn| accounts::get_organisation(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Organisation::from(row)))
}

/// Creates a user in an organisation (admins).
#[utoipa::path(tag = "accounts", request_body = NewUser,
    responses((status = 201, body = User), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/users")]
pub async fn create_user(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewUser>,
) -> Result<HttpResponse, AppError> {
    let new = body.into_inner().into();
    let row = state
        .db
        .write(move |conn| accounts::create_user(conn, &caller, new))
        .await?;
    Ok(HttpResponse::Created().json(User::from(row)))
}

/// Lists users (admins).
#[utoipa::path(tag = "accounts", params(PageParams),
    responses((status = 200, body = Page<User>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
#[get("/users")]
pub async fn list_users(
    caller: Caller,
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, AppError> {
    let limit = clamp_limit(page.limit);
    let after = page.cursor.as_deref().map(decode_cursor).transpose()?;
    let (rows, next) = state
        .db
        .read(move |conn| accounts::list_users(conn, &caller, limit, after))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(User::from).collect::<Vec<_>>(),
        next_cursor: next.as_deref().map(encode_cursor),
        limit,
    }))
}

/// The caller's own account.
#[utoipa::path(tag = "accounts",
    responses((status = 200, body = User), (status = 401, body = Problem)),
    security(("bearer" = [])))]
#[get("/me")]
pub async fn me(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let row = state
        .db
        .read(move |conn| accounts::me(conn, &caller))
        .await?;
    Ok(HttpResponse::Ok().json(User::from(row)))
}

/// Issues a token for a user (admins). The secret is in this response only.
#[utoipa::path(tag = "accounts", request_body = NewToken, params(("id" = uuid::Uuid, Path)),
    responses((status = 201, body = IssuedToken), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/users/{id}/tokens")]
pub async fn create_token(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<NewToken>,
) -> Result<HttpResponse, AppError> {
    let id = path_id(&id, "The user")?;
    let new = body.into_inner().into();
    let (row, secret) = state
        .db
        .write(move |conn| accounts::create_token(conn, &caller, &id, new))
        .await?;
    Ok(HttpResponse::Created().json(IssuedToken {
        token: Token::from(row),
        secret,
    }))
}

/// A user's tokens, without their secrets (admins).
#[utoipa::path(tag = "accounts", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = [Token]), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/users/{id}/tokens")]
pub async fn list_tokens(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id(&id, "The user")?;
    let rows = state
        .db
        .read(move |conn| accounts::tokens_of(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(Token::from).collect::<Vec<_>>()))
}

/// Revokes a token. Admins revoke any token; anyone may revoke their own.
#[utoipa::path(tag = "accounts", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Token), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[post("/tokens/{id}/revoke")]
pub async fn revoke_token(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id(&id, "The token")?;
    let row = state
        .db
        .write(move |conn| accounts::revoke_token(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Token::from(row)))
}

/// Changes an organisation (admins): name, short name printed on labels, address, opening
/// hours and return instructions. An empty text clears an optional field.
#[utoipa::path(tag = "accounts", request_body = OrganisationPatch, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Organisation), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[patch("/organisations/{id}")]
pub async fn update_organisation(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<OrganisationPatch>,
) -> Result<HttpResponse, AppError> {
    let id = path_id(&id, "The organisation")?;
    let patch = body.into_inner().into();
    let row = state
        .db
        .write(move |conn| accounts::update_organisation(conn, &caller, &id, patch))
        .await?;
    Ok(HttpResponse::Ok().json(Organisation::from(row)))
}

/// Changes a user (admins): name, e-mail, role, or `active: false` to disable them (their
/// tokens are refused at once). The last active admin cannot be disabled or demoted (409).
#[utoipa::path(tag = "accounts", request_body = UserPatch, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = User), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[patch("/users/{id}")]
pub async fn update_user(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<UserPatch>,
) -> Result<HttpResponse, AppError> {
    let id = path_id(&id, "The user")?;
    let patch = body.into_inner().into();
    let row = state
        .db
        .write(move |conn| accounts::update_user(conn, &caller, &id, patch))
        .await?;
    Ok(HttpResponse::Ok().json(User::from(row)))
}

/// A one-time link for a person to choose a password on the pages.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Invitation {
    /// `PUBLIC_BASE_URL/welcome/<secret>`: shown in this response only; it works once.
    pub url: String,
    /// Until when the link works (`INVITATION_DAYS` after now).
    pub expires_at: DateTime<Utc>,
    /// `invitation` for someone without a password, `password_reset` otherwise (using it ends
    /// the person's other sessions).
    pub purpose: invitations::LinkPurpose,
}

/// Makes a one-time link for a user to choose a password (admins): an invitation, or a
/// password reset when the user has a password. Earlier unused links of the user stop working.
#[utoipa::path(tag = "accounts", params(("id" = uuid::Uuid, Path)),
    responses((status = 201, body = Invitation), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
#[post("/users/{id}/invitation")]
pub async fn create_invitation(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id(&id, "The user")?;
    let days = state.config.invitation_days;
    let link = state
        .db
        .write(move |conn| invitations::create(conn, Some(&caller), &id, days, crate::db::now()))
        .await?;
    Ok(HttpResponse::Created().json(Invitation {
        url: format!(
            "{}{}",
            state.config.public_base_url,
            invitations::path_of(&link.secret)
        ),
        expires_at: utc(link.expires_at),
        purpose: link.purpose,
    }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_invitation)
        .service(create_organisation)
        .service(list_organisations)
        .service(get_organisation)
        .service(update_organisation)
        .service(create_user)
        .service(update_user)
        .service(list_users)
        .service(me)
        .service(create_token)
        .service(list_tokens)
        .service(revoke_token);
}
