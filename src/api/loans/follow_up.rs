//! Following a signed loan: checkpoints, extension, return, non-return, purchase, and paying or
//! waiving charges.

use actix_web::{post, web, HttpResponse};

use super::loan_id;
use super::wire::{
    Charge, Checkpoint, ExtendLoan, Loan, NonReturn, Payment, Purchase, RecordCheckpoint,
    ReturnLoan, Waiver,
};
use crate::api::parse_id;
use crate::auth::Caller;
use crate::domain::ids::ChargeId;
use crate::domain::loans;
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// The charge named in the path; a malformed id names no charge (404).
fn charge_id(raw: &str) -> Result<ChargeId, AppError> {
    parse_id(raw, "The charge").map(ChargeId::from)
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
    let id = loan_id(&id)?;
    let body = body.into_inner().into();
    let row = state
        .db
        .write(move |conn| loans::record_checkpoint(conn, &caller, &id, body))
        .await?;
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
    let body: ExtendLoan = crate::api::optional_json(&body)?;
    let id = loan_id(&id)?;
    let d = state
        .db
        .write(move |conn| loans::extend(conn, &caller, &id, body.end_date))
        .await?;
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
    let id = loan_id(&id)?;
    let body = body.into_inner().into();
    let d = state
        .db
        .write(move |conn| loans::return_devices(conn, &caller, &id, body))
        .await?;
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
    let body: NonReturn = crate::api::optional_json(&body)?;
    let id = loan_id(&id)?;
    let body = body.into();
    let d = state
        .db
        .write(move |conn| loans::non_return(conn, &caller, &id, body))
        .await?;
    Ok(HttpResponse::Ok().json(Loan::from(d)))
}

/// The borrower buys a device of an active loan: early (charge raised and paid at once) or
/// after a non-return (its open charge paid). The device becomes `sold`. A closed or cancelled
/// loan answers 409 (pay an open charge through `/charges/{id}/pay`).
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
    let id = loan_id(&id)?;
    let body = body.into_inner().into();
    let d = state
        .db
        .write(move |conn| loans::purchase(conn, &caller, &id, body))
        .await?;
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
    let id = charge_id(&id)?;
    let body = body.into_inner().into();
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
    let id = charge_id(&id)?;
    let waiver = loans::Waiver {
        reason: body.into_inner().reason,
    };
    let row = state
        .db
        .write(move |conn| loans::waive(conn, &caller, &id, waiver))
        .await?;
    Ok(HttpResponse::Ok().json(Charge::from(row)))
}
