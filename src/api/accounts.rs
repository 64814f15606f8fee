//! Organisations, users and API tokens (administered by admins).

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::api::{clamp_limit, decode_cursor, encode_cursor, parse_id, Page, PageParams};
use crate::auth::{Caller, Perm};
use crate::db::models::{OrganisationRow, TokenRow, UserRow};
use crate::db::now;
use crate::db::schema::{api_tokens, organisations, users};
use crate::domain::accounts::{self, OrgKind, OrganisationPatch, Role, UserPatch};
use crate::error::{AppError, Problem};
use crate::startup::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    #[validate(length(min = 1, max = 200, message = "is required (1 to 200 characters)"))]
    pub name: String,
    /// Printed on labels; at most 20 characters. Defaults to the start of the name.
    #[validate(length(min = 1, max = 20))]
    pub short_name: Option<String>,
    pub kind: OrgKind,
    #[validate(length(max = 300))]
    pub address: Option<String>,
    /// When devices can be picked up and returned (printed on booking confirmations).
    #[validate(length(max = 500))]
    pub opening_hours: Option<String>,
    /// How and where to bring devices back (printed on booking confirmations).
    #[validate(length(max = 1000))]
    pub return_instructions: Option<String>,
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

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub organisation_id: uuid::Uuid,
    #[validate(length(min = 1, max = 200, message = "is required (1 to 200 characters)"))]
    pub name: String,
    #[validate(email)]
    pub email: Option<String>,
    pub role: Role,
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

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for ("Marie's phone").
    #[validate(length(min = 1, max = 100, message = "is required (1 to 100 characters)"))]
    pub label: String,
    /// Optional expiry; must be in the future.
    pub expires_at: Option<DateTime<Utc>>,
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
    caller.require(Perm::ManageAccounts)?;
    let body = body.into_inner();
    body.validate()?;
    let row = state
        .db
        .write(move |conn| {
            let short = body
                .short_name
                .clone()
                .unwrap_or_else(|| accounts::short_name_of(&body.name));
            let row = accounts::insert_organisation(
                conn,
                body.name.trim(),
                short.trim(),
                body.kind,
                body.address,
            )?;
            if body.opening_hours.is_none() && body.return_instructions.is_none() {
                return Ok(row);
            }
            let id = row.id.clone();
            accounts::update_organisation(
                conn,
                &caller,
                &id,
                OrganisationPatch {
                    opening_hours: body.opening_hours,
                    return_instructions: body.return_instructions,
                    ..OrganisationPatch::default()
                },
            )
        })
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
    caller.require(Perm::ReadOrganisations)?;
    let limit = clamp_limit(page.limit);
    let after = page.cursor.as_deref().map(decode_cursor).transpose()?;
    let (rows, next) = state
        .db
        .read(move |conn| {
            let mut q = organisations::table
                .select(OrganisationRow::as_select())
                .into_boxed();
            if let Some(after) = after {
                q = q.filter(organisations::name.gt(after));
            }
            let mut rows: Vec<OrganisationRow> = q
                .order(organisations::name.asc())
                .limit(limit + 1)
                .load(conn)?;
            let next = if rows.len() as i64 > limit {
                rows.truncate(limit as usize);
                rows.last().map(|r| encode_cursor(&r.name))
            } else {
                None
            };
            Ok((rows, next))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(Organisation::from).collect::<Vec<_>>(),
        next_cursor: next,
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
    caller.require(Perm::ReadOrganisations)?;
    let id = parse_id(&id, "The organisation")?;
    let row = state
        .db
        .read(move |conn| {
            organisations::table
                .find(id)
                .select(OrganisationRow::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::not_found("The organisation"))
        })
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
    caller.require(Perm::ManageAccounts)?;
    let body = body.into_inner();
    body.validate()?;
    let row = state
        .db
        .write(move |conn| {
            accounts::insert_user(
                conn,
                &body.organisation_id.to_string(),
                body.name.trim(),
                body.email.map(|e| e.trim().to_lowercase()),
                body.role,
            )
        })
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
    caller.require(Perm::ManageAccounts)?;
    let limit = clamp_limit(page.limit);
    let after = page.cursor.as_deref().map(decode_cursor).transpose()?;
    let (rows, next) = state
        .db
        .read(move |conn| {
            let mut q = users::table.select(UserRow::as_select()).into_boxed();
            if let Some(after) = after {
                q = q.filter(users::id.gt(after));
            }
            let mut rows: Vec<UserRow> = q.order(users::id.asc()).limit(limit + 1).load(conn)?;
            let next = if rows.len() as i64 > limit {
                rows.truncate(limit as usize);
                rows.last().map(|r| encode_cursor(&r.id))
            } else {
                None
            };
            Ok((rows, next))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(User::from).collect::<Vec<_>>(),
        next_cursor: next,
        limit,
    }))
}

/// The caller's own account.
#[utoipa::path(tag = "accounts",
    responses((status = 200, body = User), (status = 401, body = Problem)),
    security(("bearer" = [])))]
#[get("/me")]
pub async fn me(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let id = caller.user_id.clone();
    let row = state
        .db
        .read(move |conn| {
            Ok(users::table
                .find(id)
                .select(UserRow::as_select())
                .first(conn)?)
        })
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
    caller.require(Perm::ManageAccounts)?;
    let id = parse_id(&id, "The user")?;
    let body = body.into_inner();
    body.validate()?;
    if let Some(exp) = body.expires_at {
        if exp <= Utc::now() {
            return Err(AppError::invalid("expires_at", "must be in the future"));
        }
    }
    let (row, secret) = state
        .db
        .write(move |conn| {
            let n: i64 = users::table
                .filter(users::id.eq(&id))
                .count()
                .get_result(conn)?;
            if n == 0 {
                return Err(AppError::not_found("The user"));
            }
            accounts::require_active_user(conn, &id)?;
            let expires = body.expires_at.map(|e| {
                use chrono::SubsecRound;
                e.naive_utc().trunc_subsecs(6)
            });
            accounts::issue_token(conn, &id, body.label.trim(), expires)
        })
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
    caller.require(Perm::ManageAccounts)?;
    let id = parse_id(&id, "The user")?;
    let rows = state
        .db
        .read(move |conn| {
            Ok(api_tokens::table
                .filter(api_tokens::user_id.eq(id))
                .order(api_tokens::created_at.asc())
                .select(TokenRow::as_select())
                .load(conn)?)
        })
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
    let id = parse_id(&id, "The token")?;
    let row = state
        .db
        .write(move |conn| {
            let row: TokenRow = api_tokens::table
                .find(&id)
                .select(TokenRow::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::not_found("The token"))?;
            if row.user_id != caller.user_id && !caller.can(Perm::ManageAccounts) {
                return Err(AppError::not_found("The token"));
            }
            let when = row.revoked_at.unwrap_or_else(now);
            diesel::update(api_tokens::table.find(&id))
                .set(api_tokens::revoked_at.eq(when))
                .execute(conn)?;
            Ok(TokenRow {
                revoked_at: Some(when),
                ..row
            })
        })
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
    caller.require(Perm::ManageAccounts)?;
    let id = parse_id(&id, "The organisation")?;
    let patch = body.into_inner();
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
    caller.require(Perm::ManageAccounts)?;
    let id = parse_id(&id, "The user")?;
    let patch = body.into_inner();
    let row = state
        .db
        .write(move |conn| accounts::update_user(conn, &caller, &id, patch))
        .await?;
    Ok(HttpResponse::Ok().json(User::from(row)))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_organisation)
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
