//! Borrowers: registration, look-up per office, search by a body (names never travel in URLs,
//! so they never reach a log), GDPR export and anonymisation.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::accounts::{utc, uuid_of};
use crate::api::loans::Loan;
use crate::api::{clamp_limit, decode_cursor, encode_cursor, parse_id, Page};
use crate::auth::Caller;
use crate::db::models::BorrowerRow;
use crate::domain::borrowers::{self, Language};
use crate::domain::ids::{BorrowerId, OrganisationId, UserId};
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// A borrower to register.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBorrower {
    /// The welfare office; defaults to the caller's own (a social worker may give only theirs).
    pub organisation_id: Option<uuid::Uuid>,
    pub name: String,
    /// Must make the person 18 or older today (Brussels time).
    pub date_of_birth: NaiveDate,
    pub language: Language,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// The responsible social worker, a user of the same office; defaults to the caller.
    pub social_worker_id: Option<uuid::Uuid>,
    pub note: Option<String>,
}

fn office_id(u: uuid::Uuid) -> OrganisationId {
    OrganisationId::from(u.to_string())
}

fn user_id(u: uuid::Uuid) -> UserId {
    UserId::from(u.to_string())
}

impl From<NewBorrower> for borrowers::NewBorrower {
    fn from(b: NewBorrower) -> Self {
        borrowers::NewBorrower {
            organisation_id: b.organisation_id.map(office_id),
            name: b.name,
            date_of_birth: b.date_of_birth,
            language: b.language,
            phone: b.phone,
            email: b.email,
            address: b.address,
            social_worker_id: b.social_worker_id.map(user_id),
            note: b.note,
        }
    }
}

/// Fields of a borrower that may change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BorrowerPatch {
    pub name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub language: Option<Language>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub social_worker_id: Option<uuid::Uuid>,
    pub note: Option<String>,
}

impl From<BorrowerPatch> for borrowers::BorrowerPatch {
    fn from(p: BorrowerPatch) -> Self {
        borrowers::BorrowerPatch {
            name: p.name,
            date_of_birth: p.date_of_birth,
            language: p.language,
            phone: p.phone,
            email: p.email,
            address: p.address,
            social_worker_id: p.social_worker_id.map(user_id),
            note: p.note,
        }
    }
}

/// A search by name (sent in a body, never in a URL, so that names stay out of logs).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BorrowerSearch {
    /// Part of the name (case- and whitespace-insensitive).
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// Only this office (coordinators and admins; social workers always search their own).
    pub organisation_id: Option<uuid::Uuid>,
}

impl From<BorrowerSearch> for borrowers::BorrowerSearch {
    fn from(s: BorrowerSearch) -> Self {
        borrowers::BorrowerSearch {
            name: s.name,
            date_of_birth: s.date_of_birth,
            organisation_id: s.organisation_id.map(office_id),
        }
    }
}

/// A hint that does not block the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Warning {
    /// `possible_duplicate`.
    pub code: String,
    pub borrower_id: uuid::Uuid,
    pub message: String,
}

impl From<borrowers::Warning> for Warning {
    fn from(w: borrowers::Warning) -> Self {
        Warning {
            code: w.code,
            borrower_id: uuid_of(w.borrower_id.as_str()),
            message: w.message,
        }
    }
}

/// A person whose retention has passed: no loan open, nothing owed, and the last loan closed
/// (or, without loans, the record last changed) more than the retention period ago.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DueForAnonymisation {
    pub borrower_id: uuid::Uuid,
    pub organisation_id: uuid::Uuid,
    /// When the last loan closed, or the record last changed if later or without loans.
    pub last_activity: NaiveDateTime,
}

impl From<borrowers::DueForAnonymisation> for DueForAnonymisation {
    fn from(d: borrowers::DueForAnonymisation) -> Self {
        DueForAnonymisation {
            borrower_id: uuid_of(d.borrower_id.as_str()),
            organisation_id: uuid_of(d.organisation_id.as_str()),
            last_activity: d.last_activity,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Borrower {
    pub id: uuid::Uuid,
    pub organisation_id: uuid::Uuid,
    pub name: String,
    pub date_of_birth: NaiveDate,
    pub language: Language,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub social_worker_id: uuid::Uuid,
    pub note: Option<String>,
    /// When the person's data was replaced by neutral values (GDPR art. 17).
    pub anonymised_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Hints that do not block the request, e.g. `possible_duplicate`.
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

impl Borrower {
    pub fn with_warnings(r: BorrowerRow, warnings: Vec<borrowers::Warning>) -> Self {
        Borrower {
            id: uuid_of(&r.id),
            organisation_id: uuid_of(&r.organisation_id),
            name: r.name,
            date_of_birth: r.date_of_birth,
            language: r.language,
            phone: r.phone,
            email: r.email,
            address: r.address,
            social_worker_id: uuid_of(&r.social_worker_id),
            note: r.note,
            anonymised_at: r.anonymised_at.map(utc),
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            warnings: warnings.into_iter().map(Warning::from).collect(),
        }
    }
}

impl From<BorrowerRow> for Borrower {
    fn from(r: BorrowerRow) -> Self {
        Borrower::with_warnings(r, Vec::new())
    }
}

/// Everything held on one person (GDPR art. 15).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BorrowerExport {
    pub exported_at: DateTime<Utc>,
    pub borrower: Borrower,
    /// Each loan with its devices, checkpoints, charges and the signed scan's description
    /// (the scan itself: `GET /loans/{id}/signed-scan`).
    pub loans: Vec<Loan>,
    /// Texts about the person's loans kept with the devices' history (the condition at a
    /// return, the note at a non-return).
    pub history_notes: Vec<HistoryNote>,
}

/// A text written into a device's history about one of the person's loans.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HistoryNote {
    pub device_id: uuid::Uuid,
    pub loan_id: Option<uuid::Uuid>,
    /// `condition` (at a return) or `note` (at a non-return).
    pub field: String,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// The outcome of the retention job.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnonymisedDue {
    /// The borrowers anonymised by this run.
    pub anonymised: Vec<uuid::Uuid>,
    /// The retention used, in days (`RETENTION_DAYS`).
    pub retention_days: i64,
}

/// The borrower named in the path; a malformed id names no borrower (404).
fn borrower_id(raw: &str) -> Result<BorrowerId, AppError> {
    parse_id(raw, "The borrower").map(BorrowerId::from)
}

/// `Cache-Control: no-store`: responses with personal data are never kept by a cache.
fn private() -> actix_web::HttpResponseBuilder {
    let mut b = HttpResponse::Ok();
    b.insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"));
    b
}

/// Borrowers of an office.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BorrowerListParams {
    /// Only this office (coordinators and admins; social workers always see their own).
    pub organisation_id: Option<uuid::Uuid>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A keyset cursor of (created_at, id).
pub fn encode_time_cursor(at: NaiveDateTime, id: &str) -> String {
    encode_cursor(&format!("{}|{id}", at.and_utc().timestamp_micros()))
}

pub fn decode_time_cursor(c: &str) -> Result<(NaiveDateTime, String), AppError> {
    let raw = decode_cursor(c)?;
    let bad = || AppError::invalid("cursor", "is not a cursor returned by this list");
    let (micros, id) = raw.split_once('|').ok_or_else(bad)?;
    let micros: i64 = micros.parse().map_err(|_| bad())?;
    let at = DateTime::from_timestamp_micros(micros).ok_or_else(bad)?;
    Ok((at.naive_utc(), id.to_string()))
}

/// Registers a borrower for a welfare office. A possible duplicate (same name and date of
/// birth in the office) is reported in `warnings`, not refused.
#[utoipa::path(tag = "loans", request_body = NewBorrower,
    responses((status = 201, body = Borrower), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/borrowers")]
pub async fn create_borrower(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewBorrower>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner().into();
    let (row, warnings) = state
        .db
        .write(move |conn| borrowers::create(conn, &caller, body))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(Borrower::with_warnings(row, warnings)))
}

/// Lists the borrowers of an office, oldest registration first.
#[utoipa::path(tag = "loans", params(BorrowerListParams),
    responses((status = 200, body = Page<Borrower>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/borrowers")]
pub async fn list_borrowers(
    caller: Caller,
    state: web::Data<AppState>,
    params: web::Query<BorrowerListParams>,
) -> Result<HttpResponse, AppError> {
    let p = params.into_inner();
    let limit = clamp_limit(p.limit);
    let after = p.cursor.as_deref().map(decode_time_cursor).transpose()?;
    let office = p.organisation_id.map(office_id);
    let (rows, next) = state
        .db
        .read(move |conn| borrowers::list(conn, &caller, office.as_ref(), limit, after))
        .await?;
    Ok(private().json(Page {
        items: rows.into_iter().map(Borrower::from).collect::<Vec<_>>(),
        next_cursor: next.map(|(at, id)| encode_time_cursor(at, &id)),
        limit,
    }))
}

/// Finds borrowers by name (and date of birth), sent in the body so that names stay out of
/// URLs and logs. At most 50 results.
#[utoipa::path(tag = "loans", request_body = BorrowerSearch,
    responses((status = 200, body = [Borrower]), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/borrowers/search")]
pub async fn search_borrowers(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<BorrowerSearch>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner().into();
    let rows = state
        .db
        .read(move |conn| borrowers::search(conn, &caller, body))
        .await?;
    Ok(private().json(rows.into_iter().map(Borrower::from).collect::<Vec<_>>()))
}

/// One borrower (staff of their office, coordinators, admins; others get 404).
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Borrower), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/borrowers/{id}")]
pub async fn get_borrower(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = borrower_id(&id)?;
    let row = state
        .db
        .read(move |conn| borrowers::get(conn, &caller, &id))
        .await?;
    Ok(private().json(Borrower::from(row)))
}

/// Changes a borrower's data.
#[utoipa::path(tag = "loans", request_body = BorrowerPatch, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Borrower), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[patch("/borrowers/{id}")]
pub async fn edit_borrower(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<BorrowerPatch>,
) -> Result<HttpResponse, AppError> {
    let id = borrower_id(&id)?;
    let body = body.into_inner().into();
    let (row, warnings) = state
        .db
        .write(move |conn| borrowers::update(conn, &caller, &id, body))
        .await?;
    Ok(private().json(Borrower::with_warnings(row, warnings)))
}

/// Everything held on a person: their data, loans, checkpoints, charges and the texts kept
/// with the devices' history (GDPR art. 15; coordinators, admins and the social workers of
/// the person's office).
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = BorrowerExport), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/borrowers/{id}/export")]
pub async fn export_borrower(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = borrower_id(&id)?;
    let export = state
        .db
        .read(move |conn| borrowers::export(conn, &caller, &id))
        .await?;
    let body = BorrowerExport {
        exported_at: utc(crate::db::now()),
        borrower: Borrower::from(export.borrower),
        loans: export.loans.into_iter().map(Loan::from).collect(),
        history_notes: export
            .history_notes
            .into_iter()
            .map(|n| HistoryNote {
                device_id: uuid_of(&n.device_id),
                loan_id: n.loan_id.as_deref().map(uuid_of),
                field: n.name,
                text: n.text,
                at: utc(n.created_at),
            })
            .collect(),
    };
    Ok(private().json(body))
}

/// Replaces the person's data with neutral values and clears every free text about their
/// loans, keeping the loans' facts for statistics (GDPR art. 17). Refused with 409 while a
/// loan is open or a charge unpaid.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Borrower), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
#[post("/borrowers/{id}/anonymise")]
pub async fn anonymise_borrower(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = borrower_id(&id)?;
    let row = state
        .db
        .write(move |conn| borrowers::anonymise(conn, &caller, &id))
        .await?;
    let db = state.db.clone();
    web::block(move || db.after_erasure()).await?;
    Ok(private().json(Borrower::from(row)))
}

/// The people due for anonymisation: no loan open, nothing owed, and the last loan closed
/// more than `RETENTION_DAYS` ago (ids and dates only; coordinators and admins).
#[utoipa::path(tag = "loans",
    responses((status = 200, body = [DueForAnonymisation]), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
#[get("/borrowers/due-for-anonymisation")]
pub async fn due_for_anonymisation(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let days = state.config.retention_days;
    let rows = state
        .db
        .read(move |conn| borrowers::due_list(conn, &caller, days))
        .await?;
    Ok(private().json(
        rows.into_iter()
            .map(DueForAnonymisation::from)
            .collect::<Vec<_>>(),
    ))
}

/// Runs the retention job now: anonymises everyone due and logs each (coordinators, admins).
#[utoipa::path(tag = "loans",
    responses((status = 200, body = AnonymisedDue), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
#[post("/borrowers/anonymise-due")]
pub async fn anonymise_due(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let days = state.config.retention_days;
    let done = state
        .db
        .write(move |conn| borrowers::anonymise_due_by(conn, &caller, days))
        .await?;
    if !done.is_empty() {
        let db = state.db.clone();
        web::block(move || db.after_erasure()).await?;
    }
    Ok(private().json(AnonymisedDue {
        anonymised: done.iter().map(|b| uuid_of(b.as_str())).collect(),
        retention_days: days,
    }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_borrower)
        .service(list_borrowers)
        .service(search_borrowers)
        .service(due_for_anonymisation)
        .service(anonymise_due)
        .service(get_borrower)
        .service(edit_borrower)
        .service(export_borrower)
        .service(anonymise_borrower);
}
