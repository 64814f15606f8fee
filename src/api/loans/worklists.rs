//! The work lists of an office: checkpoints due and overdue, loans ending and overdue. The
//! windows are the domain's (`domain::loans::worklists`).

use actix_web::{get, web, HttpResponse};

use super::wire::{office_id, DueCheckpoint, EndingLoan, WorklistParams};
use crate::auth::Caller;
use crate::domain::loans::worklists;
use crate::error::{AppError, Problem};
use crate::startup::AppState;

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
    let p = params.into_inner();
    let office = p.organisation_id.map(office_id);
    let rows = state
        .db
        .read(move |conn| worklists::checkpoints_due(conn, &caller, office.as_ref(), p.days))
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(DueCheckpoint::from)
            .collect::<Vec<_>>(),
    ))
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
    let office = params.into_inner().organisation_id.map(office_id);
    let rows = state
        .db
        .read(move |conn| worklists::checkpoints_overdue(conn, &caller, office.as_ref()))
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(DueCheckpoint::from)
            .collect::<Vec<_>>(),
    ))
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
    let p = params.into_inner();
    let office = p.organisation_id.map(office_id);
    let rows = state
        .db
        .read(move |conn| worklists::loans_ending(conn, &caller, office.as_ref(), p.days))
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(EndingLoan::from).collect::<Vec<_>>()))
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
    let office = params.into_inner().organisation_id.map(office_id);
    let rows = state
        .db
        .read(move |conn| worklists::loans_overdue(conn, &caller, office.as_ref()))
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(EndingLoan::from).collect::<Vec<_>>()))
}
