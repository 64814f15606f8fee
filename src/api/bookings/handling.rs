//! Handling a booking at the lending service: confirming (allocation), cancelling, the
//! hand-over, returns, write-offs and devices found again.

use actix_web::{post, web, HttpResponse};

use super::wire::{Booking, PickupRequest, ReturnRequest, WriteOffRequest};
use super::{booking_id, rules};
use crate::auth::Caller;
use crate::domain::bookings;
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// Confirms a booking and allocates specific devices. 409 with `shortages`
/// (`[{kind, requested, available}]`) when not enough are free; nothing is allocated then.
#[utoipa::path(tag = "bookings", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Booking), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
#[post("/bookings/{id}/confirm")]
pub async fn confirm_booking(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = booking_id(&id)?;
    let rules = rules(&state);
    let d = state
        .db
        .write(move |conn| bookings::confirm(conn, &caller, &rules, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Booking::from(d)))
}

/// Cancels a booking that is requested or confirmed; its devices are released.
#[utoipa::path(tag = "bookings", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Booking), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
#[post("/bookings/{id}/cancel")]
pub async fn cancel_booking(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = booking_id(&id)?;
    let rules = rules(&state);
    let d = state
        .db
        .write(move |conn| bookings::cancel(conn, &caller, &rules, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Booking::from(d)))
}

/// Records the hand-over: the asset tags scanned. The set may differ from the allocation;
/// what was scanned is what went out.
#[utoipa::path(tag = "bookings", request_body = PickupRequest, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Booking), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/bookings/{id}/pickup")]
pub async fn pickup_booking(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<PickupRequest>,
) -> Result<HttpResponse, AppError> {
    let id = booking_id(&id)?;
    let rules = rules(&state);
    let req = body.into_inner().into();
    let d = state
        .db
        .write(move |conn| bookings::pickup(conn, &caller, &rules, &id, req))
        .await?;
    Ok(HttpResponse::Ok().json(Booking::from(d)))
}

/// Records what came back (condition, missing accessories) and what is reported missing.
/// Devices not back keep the booking open (partially_returned).
#[utoipa::path(tag = "bookings", request_body = ReturnRequest, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Booking), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/bookings/{id}/return")]
pub async fn return_booking(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<ReturnRequest>,
) -> Result<HttpResponse, AppError> {
    let id = booking_id(&id)?;
    let rules = rules(&state);
    let req = body.into_inner().into();
    let d = state
        .db
        .write(move |conn| bookings::return_devices(conn, &caller, &rules, &id, req))
        .await?;
    Ok(HttpResponse::Ok().json(Booking::from(d)))
}

/// Writes off devices the organisation lost (lending staff, admins): each becomes `lost`; the
/// booking closes when nothing else is out, and leaves the overdue list.
#[utoipa::path(tag = "bookings", request_body = WriteOffRequest, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Booking), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/bookings/{id}/write-off")]
pub async fn write_off_booking(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<WriteOffRequest>,
) -> Result<HttpResponse, AppError> {
    let id = booking_id(&id)?;
    let rules = rules(&state);
    let req = body.into_inner().into();
    let d = state
        .db
        .write(move |conn| bookings::write_off(conn, &caller, &rules, &id, req))
        .await?;
    Ok(HttpResponse::Ok().json(Booking::from(d)))
}

/// Devices written off with this booking were found: each goes `lost → returned` (reset it
/// before it is planned again).
#[utoipa::path(tag = "bookings", request_body = WriteOffRequest, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Booking), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/bookings/{id}/found")]
pub async fn found_booking_devices(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<WriteOffRequest>,
) -> Result<HttpResponse, AppError> {
    let id = booking_id(&id)?;
    let rules = rules(&state);
    let req = body.into_inner().into();
    let d = state
        .db
        .write(move |conn| bookings::found(conn, &caller, &rules, &id, req))
        .await?;
    Ok(HttpResponse::Ok().json(Booking::from(d)))
}
