//! Lending programmes: the rules loans are signed under.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::accounts::{utc, uuid_of};
use crate::api::parse_id;
use crate::auth::Caller;
use crate::db::models::ProgrammeRow;
use crate::domain::ids::ProgrammeId;
use crate::domain::programmes;
use crate::error::{AppError, Problem};
use crate::startup::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Programme {
    pub id: uuid::Uuid,
    pub name: String,
    /// No loan runs past this date.
    pub end_date: NaiveDate,
    pub checkpoint_interval_months: i32,
    /// Agreed value per device, owed if not returned (euro cents).
    pub value_cents: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A programme to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgramme {
    pub name: String,
    /// No loan of the programme runs past this date.
    pub end_date: NaiveDate,
    /// Months between two checkpoints (1 to 24, default 6).
    pub checkpoint_interval_months: Option<i32>,
    /// The agreed value per device in euro cents, owed if it is not returned (default 20000).
    pub value_cents: Option<i64>,
}

impl From<NewProgramme> for programmes::NewProgramme {
    fn from(p: NewProgramme) -> Self {
        programmes::NewProgramme {
            name: p.name,
            end_date: p.end_date,
            checkpoint_interval_months: p.checkpoint_interval_months,
            value_cents: p.value_cents,
        }
    }
}

/// Fields of a programme that may change. Loans already signed keep their copy.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammePatch {
    pub name: Option<String>,
    pub end_date: Option<NaiveDate>,
    pub checkpoint_interval_months: Option<i32>,
    pub value_cents: Option<i64>,
}

impl From<ProgrammePatch> for programmes::ProgrammePatch {
    fn from(p: ProgrammePatch) -> Self {
        programmes::ProgrammePatch {
            name: p.name,
            end_date: p.end_date,
            checkpoint_interval_months: p.checkpoint_interval_months,
            value_cents: p.value_cents,
        }
    }
}

impl From<ProgrammeRow> for Programme {
    fn from(r: ProgrammeRow) -> Self {
        Programme {
            id: uuid_of(&r.id),
            name: r.name,
            end_date: r.end_date,
            checkpoint_interval_months: r.checkpoint_interval_months,
            value_cents: r.value_cents,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

/// Creates a lending programme (coordinators and admins).
#[utoipa::path(tag = "loans", request_body = NewProgramme,
    responses((status = 201, body = Programme), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/programmes")]
pub async fn create_programme(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewProgramme>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner().into();
    let row = state
        .db
        .write(move |conn| programmes::create(conn, &caller, body))
        .await?;
    Ok(HttpResponse::Created().json(Programme::from(row)))
}

/// Lists the programmes, latest end date first.
#[utoipa::path(tag = "loans",
    responses((status = 200, body = [Programme]), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
#[get("/programmes")]
pub async fn list_programmes(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let rows = state
        .db
        .read(move |conn| programmes::list(conn, &caller))
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(Programme::from).collect::<Vec<_>>()))
}

/// One programme.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Programme), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/programmes/{id}")]
pub async fn get_programme(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = ProgrammeId::from(parse_id(&id, "The programme")?);
    let row = state
        .db
        .read(move |conn| programmes::get(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Programme::from(row)))
}

/// Changes a programme. Loans already signed keep the terms they were signed under.
#[utoipa::path(tag = "loans", request_body = ProgrammePatch, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Programme), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[patch("/programmes/{id}")]
pub async fn edit_programme(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<ProgrammePatch>,
) -> Result<HttpResponse, AppError> {
    let id = ProgrammeId::from(parse_id(&id, "The programme")?);
    let body = body.into_inner().into();
    let row = state
        .db
        .write(move |conn| programmes::update(conn, &caller, &id, body))
        .await?;
    Ok(HttpResponse::Ok().json(Programme::from(row)))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_programme)
        .service(list_programmes)
        .service(get_programme)
        .service(edit_programme);
}
