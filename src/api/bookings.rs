//! Bookings of the lending pool by organisations, and the pool's availability.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::accounts::{utc, uuid_of};
use crate::api::{clamp_limit, decode_cursor, encode_cursor, lang_of, parse_id, LangParam, Page};
use crate::auth::{Caller, Perm};
use crate::db::models::BookingRow;
use crate::documents::{self, DocumentError};
use crate::domain::availability::{self, Availability, AvailabilityQuery, MonthCalendar, Rules};
use crate::domain::bookings::{
    self, AllocationState, BookingDetail, BookingFilter, BookingPatch, BookingStatus, Contact,
    NewBooking, PickupRequest, PoolCheck, ReturnCondition, ReturnRequest, WriteOffRequest,
};
use crate::domain::devices::DeviceKind;
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// What was asked for.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BookingLine {
    pub line_no: i32,
    pub kind: DeviceKind,
    pub subtype: Option<String>,
    pub model: Option<String>,
    pub quantity: i32,
    /// Set when the line asks for one specific device.
    pub device_id: Option<uuid::Uuid>,
}

/// A device allocated to, out with, or back from a booking.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BookedDevice {
    pub device_id: uuid::Uuid,
    pub asset_tag: String,
    pub kind: DeviceKind,
    pub subtype: Option<String>,
    pub brand: String,
    pub model: String,
    pub shelf_location: Option<String>,
    pub state: AllocationState,
    /// The request line it fills (absent for a device added at pick-up).
    pub line_no: Option<i32>,
    /// The days it is held: pick-up through return plus the turnaround.
    pub occupied_from: NaiveDate,
    pub occupied_until: NaiveDate,
    pub picked_up_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub return_condition: Option<ReturnCondition>,
    pub missing_accessories: Option<String>,
    /// The organisation reported it missing; it stays on the booking until it is back.
    pub reported_missing: bool,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeviceCounts {
    pub allocated: i64,
    pub out: i64,
    pub returned: i64,
    pub reported_missing: i64,
    /// Written off as lost (and not found since).
    pub lost: i64,
}

/// A booking with its lines and devices.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Booking {
    pub id: uuid::Uuid,
    /// E.g. RES-2026-0007.
    pub reference: String,
    pub organisation_id: uuid::Uuid,
    pub organisation_name: String,
    pub status: BookingStatus,
    /// Picked up (or partially returned) and the return date has passed.
    pub overdue: bool,
    pub pickup_on: NaiveDate,
    pub return_on: NaiveDate,
    pub purpose: String,
    pub contact: Contact,
    pub note: Option<String>,
    pub requested_by: uuid::Uuid,
    pub confirmed_by: Option<uuid::Uuid>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub picked_up_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub lines: Vec<BookingLine>,
    /// Every device the booking holds or held (released ones included, with their state).
    pub devices: Vec<BookedDevice>,
    pub counts: DeviceCounts,
    /// Whether the pool can serve the booking, per line (requested, available, short): given
    /// when a booking is requested or changed while requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability: Option<PoolCheck>,
}

impl From<BookingDetail> for Booking {
    fn from(d: BookingDetail) -> Self {
        let b = d.booking;
        let count =
            |s: AllocationState| d.devices.iter().filter(|(a, _)| a.state == s).count() as i64;
        let counts = DeviceCounts {
            allocated: count(AllocationState::Allocated),
            out: count(AllocationState::PickedUp),
            returned: count(AllocationState::Returned),
            reported_missing: d
                .devices
                .iter()
                .filter(|(a, _)| a.reported_missing && a.state == AllocationState::PickedUp)
                .count() as i64,
            lost: count(AllocationState::Lost),
        };
        Booking {
            id: uuid_of(&b.id),
            reference: b.reference,
            organisation_id: uuid_of(&b.organisation_id),
            organisation_name: d.organisation_name,
            status: b.status,
            overdue: d.overdue,
            pickup_on: b.pickup_on,
            return_on: b.return_on,
            purpose: b.purpose,
            contact: Contact {
                name: b.contact_name,
                phone: b.contact_phone,
                email: b.contact_email,
            },
            note: b.note,
            requested_by: uuid_of(&b.requested_by),
            confirmed_by: b.confirmed_by.as_deref().map(uuid_of),
            confirmed_at: b.confirmed_at.map(utc),
            picked_up_at: b.picked_up_at.map(utc),
            returned_at: b.returned_at.map(utc),
            cancelled_at: b.cancelled_at.map(utc),
            version: b.version,
            created_at: utc(b.created_at),
            updated_at: utc(b.updated_at),
            lines: d
                .lines
                .into_iter()
                .map(|l| BookingLine {
                    line_no: l.line_no,
                    kind: l.kind,
                    subtype: l.subtype,
                    model: l.model,
                    quantity: l.quantity,
                    device_id: l.device_id.as_deref().map(uuid_of),
                })
                .collect(),
            devices: d
                .devices
                .into_iter()
                .map(|(a, dev)| BookedDevice {
                    device_id: uuid_of(&dev.id),
                    asset_tag: dev.asset_tag,
                    kind: dev.kind,
                    subtype: dev.subtype,
                    brand: dev.brand,
                    model: dev.model,
                    shelf_location: dev.shelf_location,
                    state: a.state,
                    line_no: a.line_no,
                    occupied_from: a.occupied_from,
                    occupied_until: a.occupied_until,
                    picked_up_at: a.picked_up_at.map(utc),
                    returned_at: a.returned_at.map(utc),
                    return_condition: a.return_condition,
                    missing_accessories: a.missing_accessories,
                    reported_missing: a.reported_missing,
                    note: a.note,
                })
                .collect(),
            counts,
            availability: d.pool_check,
        }
    }
}

/// A booking in a list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BookingSummary {
    pub id: uuid::Uuid,
    pub reference: String,
    pub organisation_id: uuid::Uuid,
    pub status: BookingStatus,
    pub overdue: bool,
    pub pickup_on: NaiveDate,
    pub return_on: NaiveDate,
    pub purpose: String,
}

fn summary(b: BookingRow, today: NaiveDate) -> BookingSummary {
    let overdue = bookings::is_overdue(&b, today);
    BookingSummary {
        id: uuid_of(&b.id),
        reference: b.reference,
        organisation_id: uuid_of(&b.organisation_id),
        status: b.status,
        overdue,
        pickup_on: b.pickup_on,
        return_on: b.return_on,
        purpose: b.purpose,
    }
}

fn rules(state: &AppState) -> Rules {
    Rules::from_config(&state.config)
}

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
    caller.require(Perm::RequestBookings)?;
    let rules = rules(&state);
    let req = body.into_inner();
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
    caller.require(Perm::ReadBookings)?;
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
    let (rows, next) = state
        .db
        .read(move |conn| bookings::list(conn, &caller, &filter, limit, after))
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
    caller.require(Perm::ReadBookings)?;
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
    caller.require(Perm::ReadBookings)?;
    let id = parse_id(&id, "The booking")?;
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
    caller.require(Perm::RequestBookings)?;
    let id = parse_id(&id, "The booking")?;
    let rules = rules(&state);
    let patch = body.into_inner();
    let d = state
        .db
        .write(move |conn| bookings::update(conn, &caller, &rules, &id, patch))
        .await?;
    Ok(HttpResponse::Ok().json(Booking::from(d)))
}

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
    caller.require(Perm::ManageBookings)?;
    let id = parse_id(&id, "The booking")?;
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
    caller.require(Perm::RequestBookings)?;
    let id = parse_id(&id, "The booking")?;
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
    caller.require(Perm::ManageBookings)?;
    let id = parse_id(&id, "The booking")?;
    let rules = rules(&state);
    let req = body.into_inner();
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
    caller.require(Perm::ManageBookings)?;
    let id = parse_id(&id, "The booking")?;
    let rules = rules(&state);
    let req = body.into_inner();
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
    caller.require(Perm::ManageBookings)?;
    let id = parse_id(&id, "The booking")?;
    let rules = rules(&state);
    let req = body.into_inner();
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
    caller.require(Perm::ManageBookings)?;
    let id = parse_id(&id, "The booking")?;
    let rules = rules(&state);
    let req = body.into_inner();
    let d = state
        .db
        .write(move |conn| bookings::found(conn, &caller, &rules, &id, req))
        .await?;
    Ok(HttpResponse::Ok().json(Booking::from(d)))
}

/// Free pool devices of a kind (and model / subtype) on each day of a range.
#[utoipa::path(tag = "bookings", params(AvailabilityQuery),
    responses((status = 200, body = Availability), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/availability")]
pub async fn get_availability(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<AvailabilityQuery>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ReadAvailability)?;
    let rules = rules(&state);
    let q = query.into_inner();
    let a = state
        .db
        .read(move |conn| availability::availability(conn, &rules, &q))
        .await?;
    Ok(HttpResponse::Ok().json(a))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// YYYY-MM, e.g. 2026-12.
    pub month: String,
}

/// The pool for one month: per day and kind, free / total.
#[utoipa::path(tag = "bookings", params(MonthQuery),
    responses((status = 200, body = MonthCalendar), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/availability/calendar")]
pub async fn availability_calendar(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ReadAvailability)?;
    let rules = rules(&state);
    let month = query.into_inner().month;
    let c = state
        .db
        .read(move |conn| availability::month_calendar(conn, &rules, &month))
        .await?;
    Ok(HttpResponse::Ok().json(c))
}

/// The name of a kind of device in a document's language (peripherals by their subtype).
fn pdf_response(bytes: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}\""),
        ))
        .body(bytes)
}

fn document_error(e: DocumentError) -> AppError {
    match e {
        DocumentError::Invalid(m) => {
            AppError::conflict(format!("The document cannot be made: {m}."))
        }
        other => AppError::internal(other),
    }
}

/// The pick list for staff: the devices to gather, their tags and shelf locations, with QR
/// codes (Dutch by default; `?lang=fr|en`).
#[utoipa::path(tag = "bookings", params(("id" = uuid::Uuid, Path), LangParam),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/bookings/{id}/pick-list.pdf")]
pub async fn pick_list(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<LangParam>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ManageBookings)?;
    let id = parse_id(&id, "The booking")?;
    let lang = lang_of(&query)?;
    let rules = rules(&state);
    let base = state.config.public_base_url.clone();
    let d = state
        .db
        .read(move |conn| bookings::get(conn, &caller, &rules, &id))
        .await?;
    let data = documents::facts::pick_list(&d, lang, &base)?;
    if data.items.is_empty() {
        return Err(AppError::conflict_with(
            format!(
                "Booking {} is {} and holds no devices; confirm it first.",
                d.booking.reference, d.booking.status
            ),
            serde_json::json!({ "current_status": d.booking.status }),
        ));
    }
    let name = format!("{}-pick-list.pdf", d.booking.reference);
    let bytes = web::block(move || documents::pick_list_pdf(&data))
        .await?
        .map_err(document_error)?;
    Ok(pdf_response(bytes, &name))
}

/// The booking confirmation for the school or organisation (Dutch by default;
/// `?lang=fr|en`). Available once the booking is confirmed.
#[utoipa::path(tag = "bookings", params(("id" = uuid::Uuid, Path), LangParam),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/bookings/{id}/confirmation.pdf")]
pub async fn confirmation(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<LangParam>,
) -> Result<HttpResponse, AppError> {
    caller.require(Perm::ReadBookings)?;
    let id = parse_id(&id, "The booking")?;
    let lang = lang_of(&query)?;
    let rules = rules(&state);
    let (d, data) = state
        .db
        .read(move |conn| {
            let d = bookings::get(conn, &caller, &rules, &id)?;
            let data = documents::facts::booking_confirmation(conn, &d, lang)?;
            Ok((d, data))
        })
        .await?;
    if matches!(
        d.booking.status,
        BookingStatus::Requested | BookingStatus::Cancelled
    ) {
        return Err(AppError::conflict_with(
            format!(
                "Booking {} is {}; a confirmation exists only for confirmed bookings.",
                d.booking.reference, d.booking.status
            ),
            serde_json::json!({ "current_status": d.booking.status }),
        ));
    }
    let name = format!("{}-confirmation.pdf", d.booking.reference);
    let bytes = web::block(move || documents::booking_confirmation_pdf(&data))
        .await?
        .map_err(document_error)?;
    Ok(pdf_response(bytes, &name))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_booking)
        .service(list_bookings)
        .service(overdue_bookings)
        .service(get_booking)
        .service(update_booking)
        .service(confirm_booking)
        .service(cancel_booking)
        .service(pickup_booking)
        .service(return_booking)
        .service(write_off_booking)
        .service(found_booking_devices)
        .service(pick_list)
        .service(confirmation)
        .service(availability_calendar)
        .service(get_availability);
}
