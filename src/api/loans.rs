//! Loans to people: draft, signing at the desk (hands the devices over), the signed scan,
//! the agreement PDF, checkpoints, extension, return, non-return, purchase and charges, and
//! the work lists of an office.

use actix_web::{get, http::header, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::accounts::{utc, uuid_of};
use crate::api::borrowers::{decode_time_cursor, encode_time_cursor};
use crate::api::devices::Device;
use crate::api::{clamp_limit, parse_id, Page};
use crate::auth::{Caller, Perm};
use crate::db::models::{ChargeRow, CheckpointRow, LoanRow};
use crate::db::today;
use crate::domain::loans::{
    self, ChargeKind, ChargeStatus, ExtendLoan, LoanDetail, LoanDeviceStatus, LoanFilter,
    LoanStatus, NewLoan, NonReturn, Payment, PaymentMethod, Purchase, Purpose, RecordCheckpoint,
    ReturnLoan, SignLoan, Waiver,
};
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// One device of a loan.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LoanDevice {
    pub status: LoanDeviceStatus,
    pub returned_on: Option<NaiveDate>,
    pub return_condition: Option<String>,
    pub accessories_back: Option<Vec<String>>,
    pub device: Device,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Checkpoint {
    pub id: uuid::Uuid,
    pub due_on: NaiveDate,
    /// Absent until the checkpoint is held.
    pub held_on: Option<NaiveDate>,
    pub device_present: Option<bool>,
    pub device_working: Option<bool>,
    pub condition: Option<String>,
    pub still_needed: Option<bool>,
    pub note: Option<String>,
    pub recorded_by: Option<uuid::Uuid>,
    pub recorded_at: Option<DateTime<Utc>>,
}

impl From<CheckpointRow> for Checkpoint {
    fn from(r: CheckpointRow) -> Self {
        Checkpoint {
            id: uuid_of(&r.id),
            due_on: r.due_on,
            held_on: r.held_on,
            device_present: r.device_present,
            device_working: r.device_working,
            condition: r.condition,
            still_needed: r.still_needed,
            note: r.note,
            recorded_by: r.recorded_by.as_deref().map(uuid_of),
            recorded_at: r.recorded_at.map(utc),
        }
    }
}

/// Money owed for a device: not returned, or bought.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Charge {
    pub id: uuid::Uuid,
    pub loan_id: uuid::Uuid,
    pub device_id: uuid::Uuid,
    pub kind: ChargeKind,
    pub amount_cents: i64,
    pub status: ChargeStatus,
    pub raised_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub paid_amount_cents: Option<i64>,
    pub method: Option<PaymentMethod>,
    pub waived_reason: Option<String>,
    pub settled_by: Option<uuid::Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ChargeRow> for Charge {
    fn from(r: ChargeRow) -> Self {
        Charge {
            id: uuid_of(&r.id),
            loan_id: uuid_of(&r.loan_id),
            device_id: uuid_of(&r.device_id),
            kind: r.kind,
            amount_cents: r.amount_cents,
            status: r.status,
            raised_on: r.raised_on,
            paid_on: r.paid_on,
            paid_amount_cents: r.paid_amount_cents,
            method: r.method,
            waived_reason: r.waived_reason,
            settled_by: r.settled_by.as_deref().map(uuid_of),
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

/// The stored scan of the signed paper (not its content).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScanInfo {
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

/// A loan with its devices, checkpoints and charges. The dates and amounts are the ones
/// copied from the programme at signing: later programme changes do not alter them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Loan {
    pub id: uuid::Uuid,
    /// The agreement's number, e.g. BL-2026-00042.
    pub number: String,
    pub organisation_id: uuid::Uuid,
    pub borrower_id: uuid::Uuid,
    pub programme_id: uuid::Uuid,
    pub social_worker_id: uuid::Uuid,
    pub status: LoanStatus,
    /// Active and past its end date with devices still out.
    pub overdue: bool,
    pub purpose: Purpose,
    pub accessories: Vec<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub programme_end_date: NaiveDate,
    pub checkpoint_interval_months: i32,
    /// Agreed value per device (euro cents), owed if it is not returned.
    pub value_cents: i64,
    pub signed_on: Option<NaiveDate>,
    pub signed_place: Option<String>,
    pub signed_by_borrower: bool,
    pub signed_by_social_worker: bool,
    pub closed_at: Option<DateTime<Utc>>,
    pub devices: Vec<LoanDevice>,
    pub checkpoints: Vec<Checkpoint>,
    pub charges: Vec<Charge>,
    pub signed_scan: Option<ScanInfo>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn overdue(l: &LoanRow) -> bool {
    l.status == LoanStatus::Active && l.end_date < today()
}

impl From<LoanDetail> for Loan {
    fn from(d: LoanDetail) -> Self {
        let l = d.loan;
        Loan {
            id: uuid_of(&l.id),
            overdue: overdue(&l),
            number: l.number,
            organisation_id: uuid_of(&l.organisation_id),
            borrower_id: uuid_of(&l.borrower_id),
            programme_id: uuid_of(&l.programme_id),
            social_worker_id: uuid_of(&l.social_worker_id),
            status: l.status,
            purpose: l.purpose,
            accessories: loans::parse_list(&l.accessories),
            start_date: l.start_date,
            end_date: l.end_date,
            programme_end_date: l.programme_end_date,
            checkpoint_interval_months: l.checkpoint_interval_months,
            value_cents: l.value_cents,
            signed_on: l.signed_on,
            signed_place: l.signed_place,
            signed_by_borrower: l.signed_by_borrower,
            signed_by_social_worker: l.signed_by_social_worker,
            closed_at: l.closed_at.map(utc),
            devices: d
                .devices
                .into_iter()
                .map(|(ld, dev)| LoanDevice {
                    status: ld.status,
                    returned_on: ld.returned_on,
                    return_condition: ld.return_condition,
                    accessories_back: ld.accessories_back.as_deref().map(loans::parse_list),
                    device: Device::from(dev),
                })
                .collect(),
            checkpoints: d.checkpoints.into_iter().map(Checkpoint::from).collect(),
            charges: d.charges.into_iter().map(Charge::from).collect(),
            signed_scan: d
                .scan
                .map(|(content_type, size_bytes, sha256, at)| ScanInfo {
                    content_type,
                    size_bytes,
                    sha256,
                    uploaded_at: utc(at),
                }),
            created_at: utc(l.created_at),
            updated_at: utc(l.updated_at),
        }
    }
}

/// A checkpoint in a work list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DueCheckpoint {
    pub checkpoint_id: uuid::Uuid,
    pub due_on: NaiveDate,
    pub loan_id: uuid::Uuid,
    pub loan_number: String,
    pub organisation_id: uuid::Uuid,
    pub borrower_id: uuid::Uuid,
    pub borrower_name: String,
    pub social_worker_id: uuid::Uuid,
}

/// A loan in a work list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EndingLoan {
    pub loan_id: uuid::Uuid,
    pub loan_number: String,
    pub organisation_id: uuid::Uuid,
    pub borrower_id: uuid::Uuid,
    pub borrower_name: String,
    pub social_worker_id: uuid::Uuid,
    pub end_date: NaiveDate,
    /// Days past the end date (0 when not yet ended).
    pub days_overdue: i64,
}

/// Work-list parameters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct WorklistParams {
    /// Look this many days ahead, 0 to 731 (default 30). Ignored by the overdue lists.
    pub days: Option<i64>,
    /// Only this office (coordinators and admins; social workers always see their own).
    pub organisation_id: Option<uuid::Uuid>,
}

fn horizon(days: Option<i64>) -> Result<NaiveDate, AppError> {
    let days = days.unwrap_or(30);
    if !(0..=731).contains(&days) {
        return Err(AppError::invalid("days", "must be between 0 and 731"));
    }
    Ok(today() + chrono::Days::new(days.unsigned_abs()))
}

fn due_items(rows: Vec<(CheckpointRow, LoanRow, String)>) -> Vec<DueCheckpoint> {
    rows.into_iter()
        .map(|(c, l, name)| DueCheckpoint {
            checkpoint_id: uuid_of(&c.id),
            due_on: c.due_on,
            loan_id: uuid_of(&l.id),
            loan_number: l.number,
            organisation_id: uuid_of(&l.organisation_id),
            borrower_id: uuid_of(&l.borrower_id),
            borrower_name: name,
            social_worker_id: uuid_of(&l.social_worker_id),
        })
        .collect()
}

fn ending_items(rows: Vec<(LoanRow, String)>) -> Vec<EndingLoan> {
    let today = today();
    rows.into_iter()
        .map(|(l, name)| EndingLoan {
            loan_id: uuid_of(&l.id),
            loan_number: l.number,
            organisation_id: uuid_of(&l.organisation_id),
            borrower_id: uuid_of(&l.borrower_id),
            borrower_name: name,
            social_worker_id: uuid_of(&l.social_worker_id),
            end_date: l.end_date,
            days_overdue: (today - l.end_date).num_days().max(0),
        })
        .collect()
}

/// Draws up a loan (a draft) of one to three ready devices for a borrower of the caller's
/// office. Nothing is handed over until the agreement is signed.
#[utoipa::path(tag = "loans", request_body = NewLoan,
    responses((status = 201, body = Loan), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/loans")]
pub async fn create_loan(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewLoan>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ManageLoans)?;
    let body = body.into_inner();
    let d = state
        .db
        .write(move |conn| loans::create(conn, &caller, body))
        .await?;
    Ok(HttpResponse::Created().json(Loan::from(d)))
}

/// Lists loans, oldest first, one page at a time.
#[utoipa::path(tag = "loans", params(LoanFilter),
    responses((status = 200, body = Page<Loan>), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans")]
pub async fn list_loans(
    caller: Caller,
    state: web::Data<AppState>,
    filter: web::Query<LoanFilter>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ReadLoans)?;
    let f = filter.into_inner();
    let limit = clamp_limit(f.limit);
    let after = f.cursor.as_deref().map(decode_time_cursor).transpose()?;
    let (details, next) = state
        .db
        .read(move |conn| {
            let (rows, next) = loans::list(conn, &caller, &f, limit, after)?;
            let details = rows
                .into_iter()
                .map(|l| loans::detail(conn, l))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((details, next))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: details.into_iter().map(Loan::from).collect::<Vec<_>>(),
        next_cursor: next.map(|(at, id)| encode_time_cursor(at, &id)),
        limit,
    }))
}

/// Unheld checkpoints of active loans due from today to `days` ahead.
#[utoipa::path(tag = "loans", params(WorklistParams),
    responses((status = 200, body = [DueCheckpoint]), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans/checkpoints/due")]
pub async fn checkpoints_due(
    caller: Caller,
    state: web::Data<AppState>,
    params: web::Query<WorklistParams>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ReadLoans)?;
    let p = params.into_inner();
    let to = horizon(p.days)?;
    let rows = state
        .db
        .read(move |conn| {
            loans::checkpoints_between(conn, &caller, p.organisation_id, Some(today()), to)
        })
        .await?;
    Ok(HttpResponse::Ok().json(due_items(rows)))
}

/// Unheld checkpoints of active loans whose date has passed.
#[utoipa::path(tag = "loans", params(WorklistParams),
    responses((status = 200, body = [DueCheckpoint]), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans/checkpoints/overdue")]
pub async fn checkpoints_overdue(
    caller: Caller,
    state: web::Data<AppState>,
    params: web::Query<WorklistParams>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ReadLoans)?;
    let p = params.into_inner();
    let to = today() - chrono::Days::new(1);
    let rows = state
        .db
        .read(move |conn| loans::checkpoints_between(conn, &caller, p.organisation_id, None, to))
        .await?;
    Ok(HttpResponse::Ok().json(due_items(rows)))
}

/// Active loans ending from today to `days` ahead.
#[utoipa::path(tag = "loans", params(WorklistParams),
    responses((status = 200, body = [EndingLoan]), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans/ending")]
pub async fn loans_ending(
    caller: Caller,
    state: web::Data<AppState>,
    params: web::Query<WorklistParams>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ReadLoans)?;
    let p = params.into_inner();
    let to = horizon(p.days)?;
    let rows = state
        .db
        .read(move |conn| {
            loans::loans_ending_between(conn, &caller, p.organisation_id, Some(today()), to)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ending_items(rows)))
}

/// Active loans past their end date with devices still out.
#[utoipa::path(tag = "loans", params(WorklistParams),
    responses((status = 200, body = [EndingLoan]), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans/overdue")]
pub async fn loans_overdue(
    caller: Caller,
    state: web::Data<AppState>,
    params: web::Query<WorklistParams>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ReadLoans)?;
    let p = params.into_inner();
    let to = today() - chrono::Days::new(1);
    let rows = state
        .db
        .read(move |conn| loans::loans_ending_between(conn, &caller, p.organisation_id, None, to))
        .await?;
    Ok(HttpResponse::Ok().json(ending_items(rows)))
}

/// One loan.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Loan), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans/{id}")]
pub async fn get_loan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ReadLoans)?;
    let id = parse_id(&id, "The loan")?;
    let d = state
        .db
        .read(move |conn| loans::get_detail(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Loan::from(d)))
}

macro_rules! loan_write {
    ($state:expr, $caller:expr, $id:expr, $f:path, $body:expr) => {{
        let id = parse_id(&$id, "The loan")?;
        let body = $body;
        let caller = $caller;
        $state
            .db
            .write(move |conn| $f(conn, &caller, &id, body))
            .await?
    }};
}

/// Records that the borrower and the social worker signed the agreement, when and where, and
/// hands the devices over: each goes `ready → on_loan` and is held by the welfare office.
/// 409 if a device is no longer ready.
#[utoipa::path(tag = "loans", request_body = SignLoan, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Loan), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/loans/{id}/sign")]
pub async fn sign_loan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<SignLoan>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ManageLoans)?;
    let d = loan_write!(state, caller, id, loans::sign, body.into_inner());
    Ok(HttpResponse::Ok().json(Loan::from(d)))
}

/// Cancels a draft that will not be signed: its devices are free again (for other loans and
/// the booking pool). 409 for a loan that is not a draft.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Loan), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
#[post("/loans/{id}/cancel")]
pub async fn cancel_loan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ManageLoans)?;
    let id = parse_id(&id, "The loan")?;
    let d = state
        .db
        .write(move |conn| loans::cancel(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Loan::from(d)))
}

/// Stores the scan or photo of the signed paper (PDF, JPEG or PNG, checked against the file's
/// first bytes; at most 5 MB). Replaces an earlier one.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 200, body = ScanInfo), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem),
              (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[put("/loans/{id}/signed-scan")]
pub async fn put_signed_scan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ManageLoans)?;
    let id = parse_id(&id, "The loan")?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !loans::SCAN_TYPES.iter().any(|(t, _)| *t == content_type) {
        return Err(AppError::UnsupportedMediaType(
            "Send the scan as application/pdf, image/jpeg or image/png.".into(),
        ));
    }
    let data = payload
        .to_bytes_limited(loans::MAX_SCAN_BYTES)
        .await
        .map_err(|_| {
            AppError::PayloadTooLarge(format!(
                "The scan is larger than {} MB.",
                loans::MAX_SCAN_BYTES / (1024 * 1024)
            ))
        })?
        .map_err(|e| AppError::BadRequest(format!("The body could not be read: {e}")))?
        .to_vec();
    let row = state
        .db
        .write(move |conn| loans::put_scan(conn, &caller, &id, &content_type, data))
        .await?;
    Ok(HttpResponse::Ok().json(ScanInfo {
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        sha256: row.sha256,
        uploaded_at: utc(row.uploaded_at),
    }))
}

/// The scan of the signed paper, as uploaded.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans/{id}/signed-scan")]
pub async fn get_signed_scan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ReadLoans)?;
    let id = parse_id(&id, "The loan")?;
    let row = state
        .db
        .read(move |conn| loans::get_scan(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, row.content_type))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Content-SHA256", row.sha256))
        .body(row.data))
}

/// Records a checkpoint held with the borrower (by default the earliest one not yet held).
#[utoipa::path(tag = "loans", request_body = RecordCheckpoint, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Checkpoint), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/loans/{id}/checkpoints")]
pub async fn record_checkpoint(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<RecordCheckpoint>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ManageLoans)?;
    let row = loan_write!(
        state,
        caller,
        id,
        loans::record_checkpoint,
        body.into_inner()
    );
    Ok(HttpResponse::Ok().json(Checkpoint::from(row)))
}

/// Extends a loan by one interval (capped at the programme's end) or to `end_date`, adding
/// the checkpoints of the new period. 409 when it already ends with the programme; 422 for a
/// date past the programme's end.
#[utoipa::path(tag = "loans", request_body = Option<ExtendLoan>, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Loan), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/loans/{id}/extend")]
pub async fn extend_loan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ManageLoans)?;
    let body: ExtendLoan = crate::api::optional_json(&body)?;
    let d = loan_write!(state, caller, id, loans::extend, body);
    Ok(HttpResponse::Ok().json(Loan::from(d)))
}

/// Checks devices in (condition, accessories back): each goes `on_loan → returned`; the loan
/// closes when none is out any more.
#[utoipa::path(tag = "loans", request_body = ReturnLoan, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Loan), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/loans/{id}/return")]
pub async fn return_loan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<ReturnLoan>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ManageLoans)?;
    let d = loan_write!(state, caller, id, loans::return_devices, body.into_inner());
    Ok(HttpResponse::Ok().json(Loan::from(d)))
}

/// Records devices not returned after the end date: each becomes `lost` and raises an open
/// charge of the loan's agreed value. 409 before the end date.
#[utoipa::path(tag = "loans", request_body = Option<NonReturn>, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Loan), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/loans/{id}/non-return")]
pub async fn non_return(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ManageLoans)?;
    let body: NonReturn = crate::api::optional_json(&body)?;
    let d = loan_write!(state, caller, id, loans::non_return, body);
    Ok(HttpResponse::Ok().json(Loan::from(d)))
}

/// The borrower buys a device: early (charge raised and paid at once) or after a non-return
/// (its open charge paid). The device becomes `sold`.
#[utoipa::path(tag = "loans", request_body = Purchase, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Loan), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/loans/{id}/purchase")]
pub async fn purchase(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Purchase>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ManageLoans)?;
    let d = loan_write!(state, caller, id, loans::purchase, body.into_inner());
    Ok(HttpResponse::Ok().json(Loan::from(d)))
}

/// Marks a charge paid (the full amount). Paying for a device not returned means the borrower
/// bought it: the lost device becomes `sold`.
#[utoipa::path(tag = "loans", request_body = Payment, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Charge), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/charges/{id}/pay")]
pub async fn pay_charge(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Payment>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ManageLoans)?;
    let id = parse_id(&id, "The charge")?;
    let body = body.into_inner();
    let row = state
        .db
        .write(move |conn| loans::pay(conn, &caller, &id, body))
        .await?;
    Ok(HttpResponse::Ok().json(Charge::from(row)))
}

/// Waives a charge, with a reason (coordinators and admins).
#[utoipa::path(tag = "loans", request_body = Waiver, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Charge), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/charges/{id}/waive")]
pub async fn waive_charge(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Waiver>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::WaivePenalties)?;
    let id = parse_id(&id, "The charge")?;
    let body = body.into_inner();
    let row = state
        .db
        .write(move |conn| loans::waive(conn, &caller, &id, body))
        .await?;
    Ok(HttpResponse::Ok().json(Charge::from(row)))
}

/// The loan agreement as a PDF in the borrower's language, with the terms copied onto the
/// loan at signing.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans/{id}/agreement.pdf")]
pub async fn agreement_pdf(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    use crate::documents::{facts, loan_agreement_pdf};
    caller.require(Perm::ReadLoans)?;
    let id = parse_id(&id, "The loan")?;
    let base = state.config.public_base_url.clone();
    let data = state
        .db
        .read(move |conn| facts::agreement(conn, &caller, &id, &base))
        .await?;
    let number = data.agreement_number.clone();
    let pdf = web::block(move || loan_agreement_pdf(&data))
        .await?
        .map_err(|e| AppError::internal(format!("agreement PDF: {e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/pdf"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{number}.pdf\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(pdf))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_loan)
        .service(list_loans)
        .service(checkpoints_due)
        .service(checkpoints_overdue)
        .service(loans_ending)
        .service(loans_overdue)
        .service(get_loan)
        .service(sign_loan)
        .service(cancel_loan)
        .service(put_signed_scan)
        .service(get_signed_scan)
        .service(record_checkpoint)
        .service(extend_loan)
        .service(return_loan)
        .service(non_return)
        .service(purchase)
        .service(agreement_pdf)
        .service(pay_charge)
        .service(waive_charge);
}
