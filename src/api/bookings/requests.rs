//! Asking for, listing, reading and changing bookings.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::NaiveDate;

use super::wire::{summary, Booking, BookingFilter, BookingPatch, BookingSummary, NewBooking};
use super::{booking_id, rules};
use crate::api::{clamp_limit, decode_cursor, encode_cursor, Page};
use crate::auth::Caller;
use crate::domain::bookings;
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// Asks for a booking. Requesters book for their own organisation; lending staff and admins
/// for any. Nothing is allocated until the lending service confirms.
#[utoipa::path(tag = "bookings", request_body = NewBooking,
    responses((status = 201, body = Booking), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/bookings")]
pub async fn create_booking(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewBooking>,
) -> Result<HttpResponse, AppError> {
    let rules = rules(&state);
    let req = body.into_inner().into();
    let d = state
        .db
        .write(move |conn| bookings::create(conn, &caller, &rules, req))
        .await?;
    Ok(HttpResponse::Created().json(Booking::from(d)))
}

/// Lists bookings in pick-up order (requesters: their organisation's only).
#[utoipa::path(tag = "bookings", params(BookingFilter),
    responses((status = 200, body = Page<BookingSummary>), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/bookings")]
pub async fn list_bookings(
    caller: Caller,
    state: web::Data<AppState>,
    filter: web::Query<BookingFilter>,
) -> Result<HttpResponse, AppError> {
    let filter = filter.into_inner();
    let limit = clamp_limit(filter.limit);
    let after = match filter.cursor.as_deref() {
        None => None,
        Some(c) => {
            let raw = decode_cursor(c)?;
            let bad = || AppError::invalid("cursor", "is not a cursor returned by this list");
            let (d, id) = raw.split_once('|').ok_or_else(bad)?;
            let d: NaiveDate = d.parse().map_err(|_| bad())?;
            Some((d, id.to_string()))
        }
    };
    let today = rules(&state).today;
    let f = bookings::BookingFilter::from(&filter);
    let (rows, next) = state
        .db
        .read(move |conn| bookings::list(conn, &caller, &f, limit, after))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows
            .into_iter()
            .map(|b| summary(b, today))
            .collect::<Vec<_>>(),
        next_cursor: next.map(|(d, id)| encode_cursor(&format!("{d}|{id}"))),
        limit,
    }))
}

/// Bookings whose return date has passed while devices are still out, with those devices.
#[utoipa::path(tag = "bookings",
    responses((status = 200, body = [Booking]), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
#[get("/bookings/overdue")]
pub async fn overdue_bookings(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let rules = rules(&state);
    let list = state
        .db
        .read(move |conn| bookings::overdue(conn, &caller, &rules))
        .await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(Booking::from).collect::<Vec<_>>()))
}

/// One booking (requesters: their organisation's only; others are 404).
#[utoipa::path(tag = "bookings", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Booking), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/bookings/{id}")]
pub async fn get_booking(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = booking_id(&id)?;
    let rules = rules(&state);
    let d = state
        .db
        .read(move |conn| bookings::get(conn, &caller, &rules, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Booking::from(d)))
}

/// Changes a booking: dates (an extension), texts, more lines or devices. Every conflict is
/// checked again in the same transaction; a change that would double-book fails whole (409).
#[utoipa::path(tag = "bookings", request_body = BookingPatch, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Booking), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[patch("/bookings/{id}")]
pub async fn update_booking(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<BookingPatch>,
) -> Result<HttpResponse, AppError> {
    let id = booking_id(&id)?;
    let rules = rules(&state);
    let patch = body.into_inner().into();
    let d = state
        .db
        .write(move |conn| bookings::update(conn, &caller, &rules, &id, patch))
        .await?;
    Ok(HttpResponse::Ok().json(Booking::from(d)))
}
