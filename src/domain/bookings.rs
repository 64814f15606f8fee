//! Bookings: an organisation reserves many pool devices for a date range.
//!
//! requested → confirmed (devices allocated) → picked_up → returned | partially_returned;
//! requested | confirmed → cancelled. A booking is `returned` (closed) once every device that
//! went out is back or written off as lost. "Overdue" is not stored: a booking that is picked up or
//! partially returned after its return date is overdue, computed when it is read.
//!
//! No device is ever in two overlapping bookings, nor in a booking and a loan: every change to
//! allocations (confirm, change of dates or lines, pick-up) goes through the allocation rule in
//! `commitments` (the pool lock, then re-read and check before writing). Nothing is kept in
//! process memory, so several servers on one database behave as one.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Caller, Perm};
use crate::db::models::{BookingDeviceRow, BookingLineRow, BookingRow, DeviceRow};
use crate::db::schema::{booking_devices, booking_lines, bookings, devices, organisations, users};
use crate::db::{next_counter, now, DbConn};
use crate::domain::accounts::{new_id, Role};
use crate::domain::availability::{self, fits, Calendar, Rules};
use crate::domain::commitments::{self, ReturnFindings};
use crate::domain::device_ref;
use crate::domain::devices::{self as devs, DeviceKind};
use crate::domain::lifecycle::Action;
use crate::domain::limits::{self, Window};
use crate::error::{AppError, AppResult, FieldError};

crate::text_enum!(
    /// Where a booking is.
    BookingStatus {
        Requested => "requested",
        Confirmed => "confirmed",
        PickedUp => "picked_up",
        PartiallyReturned => "partially_returned",
        Returned => "returned",
        Cancelled => "cancelled",
    }
);

crate::text_enum!(
    /// What became of one device allocated to a booking.
    AllocationState {
        /// Held for the booking, not handed over yet.
        Allocated => "allocated",
        PickedUp => "picked_up",
        Returned => "returned",
        /// No longer held (not picked up, or the booking was cancelled).
        Released => "released",
        /// Written off: the organisation lost it (the device is `lost`).
        Lost => "lost",
    }
);

crate::text_enum!(
    /// The state of a device when it comes back.
    ReturnCondition {
        Good => "good",
        Damaged => "damaged",
        Broken => "broken",
    }
);

pub use crate::domain::commitments::{lock_pool, POOL_LOCK_KEY};
/// How many days before the pick-up date devices may be handed over.
pub const EARLY_PICKUP_DAYS: i64 = 7;

#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[validate(length(min = 1, max = 200, message = "is required (1 to 200 characters)"))]
    pub name: String,
    #[validate(length(min = 6, max = 40, message = "must be 6 to 40 characters"))]
    pub phone: Option<String>,
    #[validate(email)]
    pub email: Option<String>,
}

/// A kind of device and how many.
#[derive(Debug, Clone, Deserialize, serde::Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineRequest {
    pub kind: DeviceKind,
    #[validate(range(min = 1, max = 500, message = "must be between 1 and 500"))]
    pub quantity: i32,
    /// For peripherals: beamer, vr_headset, headphones, ...
    #[validate(length(min = 1, max = 60))]
    pub subtype: Option<String>,
    /// Only this model (case-insensitive).
    #[validate(length(min = 1, max = 100))]
    pub model: Option<String>,
}

/// A booking request.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBooking {
    /// The borrowing organisation. Requesters book for their own (the default); lending staff
    /// and admins for any.
    pub organisation_id: Option<uuid::Uuid>,
    pub pickup_on: NaiveDate,
    pub return_on: NaiveDate,
    #[validate(length(min = 1, max = 2000, message = "is required (1 to 2000 characters)"))]
    pub purpose: String,
    #[validate(nested)]
    pub contact: Contact,
    #[validate(nested, length(max = crate::domain::limits::MAX_LINES))]
    #[serde(default)]
    pub lines: Vec<LineRequest>,
    /// Specific devices, by asset tag.
    #[serde(default)]
    #[validate(length(max = crate::domain::limits::MAX_DEVICES))]
    pub devices: Vec<String>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// A change to a booking. Requesters may change their own booking while it is requested;
/// lending staff any booking until it is picked up, and the return date (an extension) and
/// texts after that. Every conflict is checked again; a change that would double-book a
/// device fails whole.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingPatch {
    pub pickup_on: Option<NaiveDate>,
    pub return_on: Option<NaiveDate>,
    #[validate(length(min = 1, max = 2000))]
    pub purpose: Option<String>,
    #[validate(nested)]
    pub contact: Option<Contact>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
    #[validate(nested, length(max = crate::domain::limits::MAX_LINES))]
    #[serde(default)]
    pub add_lines: Vec<LineRequest>,
    /// Specific devices to add, by asset tag.
    #[serde(default)]
    #[validate(length(max = crate::domain::limits::MAX_DEVICES))]
    pub add_devices: Vec<String>,
    /// New quantities for existing lines. A requester may lower the quantities of their own
    /// confirmed booking (the surplus devices are released); raising them on a confirmed
    /// booking (lending staff) allocates more devices or fails whole.
    #[validate(nested)]
    #[serde(default)]
    pub quantities: Vec<QuantityChange>,
}

/// A new quantity for one line of a booking.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityChange {
    pub line_no: i32,
    #[validate(range(min = 1, max = 500, message = "must be between 1 and 500"))]
    pub quantity: i32,
}

/// Devices the organisation lost, written off through the booking; or devices found again.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteOffRequest {
    /// Asset tags (or device ids, or label URLs) of devices out with this booking.
    #[validate(length(min = 1, max = 1000, message = "name at least one device"))]
    pub asset_tags: Vec<String>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Whether the pool can serve one line of a booking over its days, at the time of asking.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LineAvailability {
    pub line_no: i32,
    pub kind: DeviceKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    pub requested: i64,
    /// Devices free for the booking's days (after the other lines took theirs).
    pub available: i64,
    /// How many are missing: requested minus available, at least 0.
    pub short: i64,
}

/// The pool's answer to a request, before the lending service confirms it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PoolCheck {
    /// True when every line can be served in full today.
    pub can_serve: bool,
    pub lines: Vec<LineAvailability>,
}

/// The devices handed over, scanned by asset tag.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickupRequest {
    #[validate(length(min = 1, max = 1000, message = "scan at least one device"))]
    pub asset_tags: Vec<String>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnItem {
    /// The scanned asset tag (or device id, or label URL).
    pub asset_tag: String,
    #[serde(default = "good")]
    pub condition: ReturnCondition,
    /// Accessories that did not come back (charger, pen, case, ...).
    #[validate(length(max = 1000))]
    pub missing_accessories: Option<String>,
    /// Accessories that came back; defaults to the device's accessories minus the missing ones.
    #[validate(length(max = 1000))]
    pub accessories_back: Option<String>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

fn good() -> ReturnCondition {
    ReturnCondition::Good
}

/// What came back, scanned by asset tag; devices reported missing stay on the booking.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    #[validate(nested, length(max = crate::domain::limits::MAX_DEVICES))]
    #[serde(default)]
    pub items: Vec<ReturnItem>,
    /// Asset tags the organisation reports as missing.
    #[serde(default)]
    #[validate(length(max = crate::domain::limits::MAX_DEVICES))]
    pub reported_missing: Vec<String>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// A booking with everything shown about it.
#[derive(Debug, Clone)]
pub struct BookingDetail {
    pub booking: BookingRow,
    pub organisation_name: String,
    pub lines: Vec<BookingLineRow>,
    pub devices: Vec<(BookingDeviceRow, DeviceRow)>,
    pub overdue: bool,
    /// Whether the pool can serve a requested booking (shown when it is requested or changed).
    pub pool_check: Option<PoolCheck>,
}

pub fn is_overdue(b: &BookingRow, today: NaiveDate) -> bool {
    matches!(
        b.status,
        BookingStatus::PickedUp | BookingStatus::PartiallyReturned
    ) && b.return_on < today
}

fn not_found() -> AppError {
    AppError::not_found("The booking")
}

/// Requesters see their own organisation's bookings; other readers see all.
fn visible(caller: &Caller, b: &BookingRow) -> bool {
    crate::auth::visibility::booking(caller, b)
}

fn load(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<BookingRow> {
    caller.require(Perm::ReadBookings)?;
    let b: BookingRow = bookings::table
        .find(id)
        .select(BookingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(not_found)?;
    if visible(caller, &b) {
        Ok(b)
    } else {
        Err(not_found())
    }
}

fn lock(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<BookingRow> {
    let b: BookingRow = crate::locked_first!(
        conn,
        bookings::table.find(id).select(BookingRow::as_select())
    )
    .optional()?
    .ok_or_else(not_found)?;
    if visible(caller, &b) {
        Ok(b)
    } else {
        Err(not_found())
    }
}

fn refuse(b: &BookingRow, what: &str, allowed_from: &[BookingStatus]) -> AppError {
    AppError::conflict_with(
        format!(
            "Booking {} is {}; it can be {what} only when it is {}.",
            b.reference,
            b.status,
            allowed_from
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        json!({ "current_status": b.status, "allowed_from": allowed_from }),
    )
}

/// Checks the date rules; `pickup_changed` says whether the pick-up date is being set now.
fn check_dates(
    rules: &Rules,
    pickup: NaiveDate,
    ret: NaiveDate,
    pickup_changed: bool,
) -> AppResult<()> {
    limits::dates(&[
        ("pickup_on", Some(pickup), Window::Plan),
        ("return_on", Some(ret), Window::Plan),
    ])?;
    let mut errors = Vec::new();
    if pickup_changed && pickup < rules.today {
        errors.push(FieldError::new(
            "pickup_on",
            format!("is in the past (today is {})", rules.today),
        ));
    }
    if ret < pickup {
        errors.push(FieldError::new("return_on", "must not be before pickup_on"));
    } else if (ret - pickup).num_days() > rules.max_days {
        errors.push(FieldError::new(
            "return_on",
            format!("a booking may last at most {} days", rules.max_days),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid_fields(errors))
    }
}

/// Resolves what was scanned (asset tag, label URL or device id) to a device row.
fn scanned_device(conn: &mut DbConn, input: &str) -> AppResult<Option<DeviceRow>> {
    let Some(id) = device_ref::device_id(conn, input)? else {
        return Ok(None);
    };
    Ok(devices::table
        .find(id)
        .select(DeviceRow::as_select())
        .first(conn)
        .optional()?)
}

/// Finds pool devices by asset tag (or id, or label URL); `field` names each tag in errors. A
/// caller who may not learn the pool's tags (`visibility::sees_pool_tags`) gets one answer for
/// an unknown tag and a tag outside the pool.
fn pool_devices_by_tag(
    conn: &mut DbConn,
    caller: &Caller,
    tags: &[String],
    field: &str,
) -> AppResult<Vec<DeviceRow>> {
    let reveal = crate::auth::visibility::sees_pool_tags(caller);
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        let d = scanned_device(conn, tag)?;
        let key = d
            .as_ref()
            .map(|d| d.asset_tag.clone())
            .unwrap_or_else(|| device_ref::tag_of(tag));
        if !seen.insert(key.clone()) {
            errors.push(FieldError::new(
                format!("{field}[{i}]"),
                format!("{key} appears twice"),
            ));
            continue;
        }
        match d {
            Some(d) if !reveal && !d.in_pool => errors.push(FieldError::new(
                format!("{field}[{i}]"),
                format!("no device of the booking pool has the tag {key}"),
            )),
            None if !reveal => errors.push(FieldError::new(
                format!("{field}[{i}]"),
                format!("no device of the booking pool has the tag {key}"),
            )),
            None => errors.push(FieldError::new(
                format!("{field}[{i}]"),
                format!("no device has the tag {key}"),
            )),
            Some(d) if !d.in_pool => errors.push(FieldError::new(
                format!("{field}[{i}]"),
                format!("{key} is not in the booking pool"),
            )),
            Some(d) => out.push(d),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(AppError::invalid_fields(errors))
    }
}

fn next_reference(conn: &mut DbConn, year: i32) -> AppResult<String> {
    let n = next_counter(conn, &format!("booking_seq_{year}"), 1)?;
    Ok(format!("RES-{year}-{n:04}"))
}

fn insert_lines(
    conn: &mut DbConn,
    booking_id: &str,
    first_no: i32,
    lines: &[LineRequest],
    specific: &[DeviceRow],
) -> AppResult<Vec<BookingLineRow>> {
    let mut rows = Vec::new();
    let mut no = first_no;
    for l in lines {
        rows.push(BookingLineRow {
            id: new_id(),
            booking_id: booking_id.to_string(),
            line_no: no,
            kind: l.kind,
            subtype: l.subtype.as_ref().map(|s| s.trim().to_string()),
            model: l.model.as_ref().map(|s| s.trim().to_string()),
            device_id: None,
            quantity: l.quantity,
        });
        no += 1;
    }
    for d in specific {
        rows.push(BookingLineRow {
            id: new_id(),
            booking_id: booking_id.to_string(),
            line_no: no,
            kind: d.kind,
            subtype: d.subtype.clone(),
            model: Some(d.model.clone()),
            device_id: Some(d.id.clone()),
            quantity: 1,
        });
        no += 1;
    }
    for r in &rows {
        diesel::insert_into(booking_lines::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(rows)
}

/// Records a booking request.
pub fn create(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    req: NewBooking,
) -> AppResult<BookingDetail> {
    caller.require(Perm::RequestBookings)?;
    req.validate()?;
    check_dates(rules, req.pickup_on, req.return_on, true)?;
    if req.lines.is_empty() && req.devices.is_empty() {
        return Err(AppError::invalid(
            "lines",
            "ask for at least one kind of device or one device",
        ));
    }
    if req.contact.phone.is_none() && req.contact.email.is_none() {
        return Err(AppError::invalid(
            "contact",
            "give a phone number or an e-mail address",
        ));
    }
    let org = match req.organisation_id.map(|u| u.to_string()) {
        None => caller.organisation_id.clone(),
        Some(o) if caller.can(Perm::ManageBookings) || o == caller.organisation_id => o,
        Some(_) => {
            return Err(AppError::Forbidden(
                "A requester books for their own organisation only.".into(),
            ))
        }
    };
    let exists: i64 = organisations::table.find(&org).count().get_result(conn)?;
    if exists == 0 {
        return Err(AppError::invalid(
            "organisation_id",
            "no organisation has this id",
        ));
    }
    let specific = pool_devices_by_tag(conn, caller, &req.devices, "devices")?;
    let at = now();
    let row = BookingRow {
        id: new_id(),
        reference: next_reference(conn, req.pickup_on.year())?,
        organisation_id: org,
        requested_by: caller.user_id.clone(),
        status: BookingStatus::Requested,
        pickup_on: req.pickup_on,
        return_on: req.return_on,
        purpose: req.purpose.trim().to_string(),
        contact_name: req.contact.name.trim().to_string(),
        contact_phone: req.contact.phone,
        contact_email: req.contact.email,
        note: req.note,
        confirmed_by: None,
        confirmed_at: None,
        picked_up_at: None,
        returned_at: None,
        cancelled_at: None,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    diesel::insert_into(bookings::table)
        .values(&row)
        .execute(conn)?;
    let lines = insert_lines(conn, &row.id, 1, &req.lines, &specific)?;
    let check = pool_check(conn, rules, &row, &lines)?;
    let mut detail = detail_of(conn, rules, row)?;
    detail.pool_check = Some(check);
    Ok(detail)
}

/// Whether the pool can serve these lines over the booking's days now (nothing is held).
fn pool_check(
    conn: &mut DbConn,
    rules: &Rules,
    booking: &BookingRow,
    lines: &[BookingLineRow],
) -> AppResult<PoolCheck> {
    let plan = plan(conn, rules, booking, lines, &HashSet::new())?;
    let lines: Vec<LineAvailability> = lines
        .iter()
        .map(|l| {
            let requested = if l.device_id.is_some() {
                1
            } else {
                i64::from(l.quantity.max(0))
            };
            let available = plan.got.get(&l.line_no).copied().unwrap_or(0);
            LineAvailability {
                line_no: l.line_no,
                kind: l.kind,
                subtype: l.subtype.clone(),
                model: l.model.clone(),
                requested,
                available,
                short: (requested - available).max(0),
            }
        })
        .collect();
    Ok(PoolCheck {
        can_serve: lines.iter().all(|l| l.short == 0),
        lines,
    })
}

/// The full view of a booking.
pub fn detail_of(
    conn: &mut DbConn,
    rules: &Rules,
    booking: BookingRow,
) -> AppResult<BookingDetail> {
    let organisation_name: String = organisations::table
        .find(&booking.organisation_id)
        .select(organisations::name)
        .first(conn)?;
    let lines: Vec<BookingLineRow> = booking_lines::table
        .filter(booking_lines::booking_id.eq(&booking.id))
        .order(booking_lines::line_no.asc())
        .select(BookingLineRow::as_select())
        .load(conn)?;
    let devices: Vec<(BookingDeviceRow, DeviceRow)> = booking_devices::table
        .inner_join(devices::table)
        .filter(booking_devices::booking_id.eq(&booking.id))
        .order(devices::seq.asc())
        .select((BookingDeviceRow::as_select(), DeviceRow::as_select()))
        .load(conn)?;
    let overdue = is_overdue(&booking, rules.today);
    Ok(BookingDetail {
        booking,
        organisation_name,
        lines,
        devices,
        overdue,
        pool_check: None,
    })
}

pub fn get(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &str,
) -> AppResult<BookingDetail> {
    let b = load(conn, caller, id)?;
    detail_of(conn, rules, b)
}

/// Filters of the booking list.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BookingFilter {
    pub status: Option<BookingStatus>,
    /// Ignored for requesters, who see their own organisation only.
    pub organisation_id: Option<uuid::Uuid>,
    /// Bookings picked up on or after this day.
    pub from: Option<NaiveDate>,
    /// Bookings picked up on or before this day.
    pub to: Option<NaiveDate>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Where a page of bookings ends: (pick-up date, id).
pub type BookingCursor = (NaiveDate, String);

/// One page of bookings in pick-up order; the cursor is (pick-up date, id).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    f: &BookingFilter,
    limit: i64,
    after: Option<(NaiveDate, String)>,
) -> AppResult<(Vec<BookingRow>, Option<BookingCursor>)> {
    caller.require(Perm::ReadBookings)?;
    limits::dates(&[
        ("from", f.from, Window::Filter),
        ("to", f.to, Window::Filter),
    ])?;
    let mut q = bookings::table.select(BookingRow::as_select()).into_boxed();
    if caller.role == Role::Requester {
        q = q.filter(bookings::organisation_id.eq(caller.organisation_id.clone()));
    } else if let Some(o) = f.organisation_id {
        q = q.filter(bookings::organisation_id.eq(o.to_string()));
    }
    if let Some(s) = f.status {
        q = q.filter(bookings::status.eq(s));
    }
    if let Some(d) = f.from {
        q = q.filter(bookings::pickup_on.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(bookings::pickup_on.le(d));
    }
    if let Some((d, id)) = after {
        q = q.filter(
            bookings::pickup_on
                .gt(d)
                .or(bookings::pickup_on.eq(d).and(bookings::id.gt(id))),
        );
    }
    let mut rows: Vec<BookingRow> = q
        .order((bookings::pickup_on.asc(), bookings::id.asc()))
        .limit(limit + 1)
        .load(conn)?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| (r.pickup_on, r.id.clone()))
    } else {
        None
    };
    Ok((rows, next))
}

/// Bookings whose return date has passed without everything back, oldest first.
pub fn overdue(conn: &mut DbConn, caller: &Caller, rules: &Rules) -> AppResult<Vec<BookingDetail>> {
    caller.require(Perm::ReadBookings)?;
    let mut q = bookings::table
        .filter(
            bookings::status.eq_any([BookingStatus::PickedUp, BookingStatus::PartiallyReturned]),
        )
        .filter(bookings::return_on.lt(rules.today))
        .select(BookingRow::as_select())
        .into_boxed();
    if caller.role == Role::Requester {
        q = q.filter(bookings::organisation_id.eq(caller.organisation_id.clone()));
    }
    let rows: Vec<BookingRow> = q
        .order((bookings::return_on.asc(), bookings::id.asc()))
        .load(conn)?;
    rows.into_iter()
        .map(|b| detail_of(conn, rules, b))
        .collect()
}

/// A kind that could not be allocated in full.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Shortage {
    pub kind: DeviceKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    pub requested: i64,
    pub available: i64,
}

/// A device that is not free for the booking's days, and what is in the way.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeviceConflict {
    pub asset_tag: String,
    /// The other booking holding it, if any.
    pub booking_reference: Option<String>,
    /// True when the device is out and not back yet.
    pub still_out: bool,
    /// True when the device cannot be planned at all (in repair, being reset, on loan, ...).
    pub not_plannable: bool,
    /// The open loan to a person holding it, if any (see the allocation rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loan_number: Option<String>,
}

fn reference_of(conn: &mut DbConn, booking_id: &Option<String>) -> AppResult<Option<String>> {
    match booking_id {
        None => Ok(None),
        Some(id) => Ok(bookings::table
            .find(id)
            .select(bookings::reference)
            .first(conn)
            .optional()?),
    }
}

fn conflict_of(
    conn: &mut DbConn,
    d: &DeviceRow,
    blocker: Option<availability::Blocker>,
) -> AppResult<DeviceConflict> {
    let (booking_id, still_out) = match blocker {
        Some(b) => (b.booking_id, b.still_out),
        None => (None, false),
    };
    let loan_number = commitments::loan_holders(conn, std::slice::from_ref(&d.id))?.remove(&d.id);
    Ok(DeviceConflict {
        asset_tag: d.asset_tag.clone(),
        booking_reference: reference_of(conn, &booking_id)?,
        still_out,
        not_plannable: !availability::PLANNABLE.contains(&d.status)
            || !d.in_pool
            || loan_number.is_some(),
        loan_number,
    })
}

fn refuse_conflicts(from: NaiveDate, until: NaiveDate, conflicts: Vec<DeviceConflict>) -> AppError {
    AppError::conflict_with(
        format!(
            "{} device(s) are not free from {from} to {until} (the return date plus the turnaround): {}. Nothing was changed.",
            conflicts.len(),
            conflicts.iter().map(|c| c.asset_tag.as_str()).collect::<Vec<_>>().join(", ")
        ),
        json!({ "conflicts": conflicts, "occupied_from": from, "occupied_until": until }),
    )
}

/// What the pool can give a booking's lines: the devices chosen per line, how many each line
/// got, and what is short.
struct Plan {
    chosen: Vec<(DeviceRow, i32)>,
    got: HashMap<i32, i64>,
    shortages: Vec<Shortage>,
    unavailable: Vec<DeviceConflict>,
}

/// Chooses free devices for `lines` over the booking's days, leaving out `taken` (devices the
/// booking already holds), without writing anything.
fn plan(
    conn: &mut DbConn,
    rules: &Rules,
    booking: &BookingRow,
    lines: &[BookingLineRow],
    taken: &HashSet<String>,
) -> AppResult<Plan> {
    let mut plan = Plan {
        chosen: Vec::new(),
        got: HashMap::new(),
        shortages: Vec::new(),
        unavailable: Vec::new(),
    };
    if lines.is_empty() {
        return Ok(plan);
    }
    let (from, until) = rules.occupancy(booking.pickup_on, booking.return_on);
    let mut kinds: Vec<DeviceKind> = lines.iter().map(|l| l.kind).collect();
    kinds.sort();
    kinds.dedup();
    let pool = availability::plannable_devices(conn, Some(&kinds))?;
    let refs: Vec<&DeviceRow> = pool.iter().collect();
    let cal = Calendar::exact(conn, rules, &refs, from, until)?;
    let mut free: Vec<&DeviceRow> = pool
        .iter()
        .filter(|d| !taken.contains(&d.id) && cal.is_free(&d.id, from, until, Some(&booking.id)))
        .collect();
    let Plan {
        chosen,
        got: got_per_line,
        shortages,
        unavailable,
    } = &mut plan;
    // Specific devices first, then the most specific lines, so that "any tablet" does not take
    // the iPad that a "model: iPad" line needs.
    let mut order: Vec<&BookingLineRow> = lines.iter().collect();
    order.sort_by_key(|l| {
        let specificity = l.device_id.is_some() as i32 * 4
            + l.model.is_some() as i32 * 2
            + l.subtype.is_some() as i32;
        (-specificity, l.line_no)
    });
    for l in order {
        if let Some(device_id) = &l.device_id {
            if taken.contains(device_id) {
                got_per_line.insert(l.line_no, 1);
                continue;
            }
            if let Some(pos) = free.iter().position(|d| &d.id == device_id) {
                chosen.push((free.remove(pos).clone(), l.line_no));
                got_per_line.insert(l.line_no, 1);
            } else {
                let d: DeviceRow = devices::table
                    .find(device_id)
                    .select(DeviceRow::as_select())
                    .first(conn)?;
                let blocker = cal.blocker(device_id, from, until, Some(&booking.id));
                unavailable.push(conflict_of(conn, &d, blocker)?);
            }
            continue;
        }
        let want = l.quantity.max(0) as usize;
        let mut got = 0usize;
        let mut i = 0;
        while i < free.len() && got < want {
            if fits(free[i], l.kind, &l.subtype, &l.model) {
                chosen.push((free.remove(i).clone(), l.line_no));
                got += 1;
            } else {
                i += 1;
            }
        }
        *got_per_line.entry(l.line_no).or_default() += got as i64;
        if got < want {
            shortages.push(Shortage {
                kind: l.kind,
                subtype: l.subtype.clone(),
                model: l.model.clone(),
                requested: want as i64,
                available: got as i64,
            });
        }
    }
    Ok(plan)
}

/// Chooses free devices for `lines` over the booking's days, leaving out `taken` (devices the
/// booking already holds). The caller holds the pool lock. Fails whole with 409, naming every
/// shortage and every unavailable specific device.
fn allocate(
    conn: &mut DbConn,
    rules: &Rules,
    booking: &BookingRow,
    lines: &[BookingLineRow],
    taken: &HashSet<String>,
) -> AppResult<Vec<(DeviceRow, i32)>> {
    let Plan {
        chosen,
        shortages,
        unavailable,
        ..
    } = plan(conn, rules, booking, lines, taken)?;
    if shortages.is_empty() && unavailable.is_empty() {
        return Ok(chosen);
    }
    let (from, until) = rules.occupancy(booking.pickup_on, booking.return_on);
    let mut parts: Vec<String> = shortages
        .iter()
        .map(|s| {
            let what = match (&s.subtype, &s.model) {
                (Some(st), _) => format!("{} ({st})", s.kind),
                (None, Some(m)) => format!("{} ({m})", s.kind),
                _ => s.kind.to_string(),
            };
            format!("{what}: {} requested, {} free", s.requested, s.available)
        })
        .collect();
    parts.extend(
        unavailable
            .iter()
            .map(|c| format!("{} is not free", c.asset_tag)),
    );
    Err(AppError::conflict_with(
        format!(
            "Not enough devices are free from {from} to {until} (return date plus turnaround): {}. Nothing was allocated.",
            parts.join("; ")
        ),
        json!({
            "current_status": booking.status,
            "shortages": shortages,
            "unavailable_devices": unavailable,
            "occupied_from": from,
            "occupied_until": until,
        }),
    ))
}

fn insert_allocations(
    conn: &mut DbConn,
    rules: &Rules,
    booking: &BookingRow,
    chosen: &[(DeviceRow, i32)],
) -> AppResult<()> {
    let (from, until) = rules.occupancy(booking.pickup_on, booking.return_on);
    let at = now();
    for (d, line_no) in chosen {
        // A device released earlier from this booking gets its row back.
        let updated = diesel::update(
            booking_devices::table
                .filter(booking_devices::booking_id.eq(&booking.id))
                .filter(booking_devices::device_id.eq(&d.id)),
        )
        .set((
            booking_devices::state.eq(AllocationState::Allocated),
            booking_devices::line_no.eq(Some(*line_no)),
            booking_devices::occupied_from.eq(from),
            booking_devices::occupied_until.eq(until),
        ))
        .execute(conn)?;
        if updated == 0 {
            let row = BookingDeviceRow {
                id: new_id(),
                booking_id: booking.id.clone(),
                device_id: d.id.clone(),
                line_no: Some(*line_no),
                state: AllocationState::Allocated,
                occupied_from: from,
                occupied_until: until,
                picked_up_at: None,
                returned_at: None,
                return_condition: None,
                missing_accessories: None,
                reported_missing: false,
                note: None,
                created_at: at,
            };
            diesel::insert_into(booking_devices::table)
                .values(&row)
                .execute(conn)?;
        }
    }
    Ok(())
}

fn save_status(conn: &mut DbConn, b: &mut BookingRow) -> AppResult<()> {
    b.version += 1;
    b.updated_at = now();
    diesel::update(bookings::table.find(&b.id))
        .set((
            bookings::status.eq(b.status),
            bookings::pickup_on.eq(b.pickup_on),
            bookings::return_on.eq(b.return_on),
            bookings::purpose.eq(&b.purpose),
            bookings::contact_name.eq(&b.contact_name),
            bookings::contact_phone.eq(&b.contact_phone),
            bookings::contact_email.eq(&b.contact_email),
            bookings::note.eq(&b.note),
            bookings::confirmed_by.eq(&b.confirmed_by),
            bookings::confirmed_at.eq(b.confirmed_at),
            bookings::picked_up_at.eq(b.picked_up_at),
            bookings::returned_at.eq(b.returned_at),
            bookings::cancelled_at.eq(b.cancelled_at),
            bookings::version.eq(b.version),
            bookings::updated_at.eq(b.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

fn lines_of(conn: &mut DbConn, booking_id: &str) -> AppResult<Vec<BookingLineRow>> {
    Ok(booking_lines::table
        .filter(booking_lines::booking_id.eq(booking_id))
        .order(booking_lines::line_no.asc())
        .select(BookingLineRow::as_select())
        .load(conn)?)
}

fn live_allocations(
    conn: &mut DbConn,
    booking_id: &str,
) -> AppResult<Vec<(BookingDeviceRow, DeviceRow)>> {
    Ok(booking_devices::table
        .inner_join(devices::table)
        .filter(booking_devices::booking_id.eq(booking_id))
        .filter(booking_devices::state.ne(AllocationState::Released))
        .order(devices::seq.asc())
        .select((BookingDeviceRow::as_select(), DeviceRow::as_select()))
        .load(conn)?)
}

/// Confirms a requested booking and allocates its devices, or fails whole with 409 and the
/// shortages per kind.
pub fn confirm(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &str,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    lock_pool(conn)?;
    let mut b = lock(conn, caller, id)?;
    if b.status != BookingStatus::Requested {
        return Err(refuse(&b, "confirmed", &[BookingStatus::Requested]));
    }
    if b.pickup_on < rules.today {
        return Err(AppError::conflict_with(
            format!(
                "The pick-up date {} of booking {} has passed; move the dates before confirming.",
                b.pickup_on, b.reference
            ),
            json!({ "current_status": b.status }),
        ));
    }
    let lines = lines_of(conn, &b.id)?;
    let chosen = allocate(conn, rules, &b, &lines, &HashSet::new())?;
    insert_allocations(conn, rules, &b, &chosen)?;
    b.status = BookingStatus::Confirmed;
    b.confirmed_by = Some(caller.user_id.clone());
    b.confirmed_at = Some(now());
    save_status(conn, &mut b)?;
    detail_of(conn, rules, b)
}

/// Changes a booking; see [`BookingPatch`].
pub fn update(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &str,
    patch: BookingPatch,
) -> AppResult<BookingDetail> {
    caller.require(Perm::RequestBookings)?;
    patch.validate()?;
    lock_pool(conn)?;
    let mut b = lock(conn, caller, id)?;
    use BookingStatus::*;
    let staff = caller.can(Perm::ManageBookings);
    let current_lines = lines_of(conn, &b.id)?;
    let quantity_changes = check_quantities(&current_lines, &patch.quantities)?;
    if !staff
        && b.status != Requested
        && !(b.status == Confirmed && only_lowers(&patch, &quantity_changes))
    {
        return Err(AppError::Forbidden(format!(
            "Booking {} is {}; once confirmed, only the lending service changes it (the requester may still lower quantities).",
            b.reference, b.status
        )));
    }
    match b.status {
        Requested | Confirmed => {}
        PickedUp => {
            if patch.pickup_on.is_some_and(|p| p != b.pickup_on)
                || !patch.add_lines.is_empty()
                || !patch.add_devices.is_empty()
                || !patch.quantities.is_empty()
            {
                return Err(AppError::conflict_with(
                    format!(
                        "Booking {} is picked up: only its return date, purpose, contact and note can change.",
                        b.reference
                    ),
                    json!({ "current_status": b.status }),
                ));
            }
        }
        _ => return Err(refuse(&b, "changed", &[Requested, Confirmed, PickedUp])),
    }
    let pickup = patch.pickup_on.unwrap_or(b.pickup_on);
    let ret = patch.return_on.unwrap_or(b.return_on);
    check_dates(rules, pickup, ret, pickup != b.pickup_on)?;
    if ret != b.return_on && ret < rules.today && b.status != Requested {
        return Err(AppError::invalid("return_on", "is in the past"));
    }
    if !staff && !patch.add_devices.is_empty() {
        // The pool's devices (and who holds them) are the lending service's business: a
        // requester asks for kinds, models and quantities, never for a device by its tag.
        return Err(AppError::invalid(
            "add_devices",
            "only the lending service chooses devices; ask for a kind, a model and a quantity",
        ));
    }
    let specific = pool_devices_by_tag(conn, caller, &patch.add_devices, "add_devices")?;
    let dates_changed = pickup != b.pickup_on || ret != b.return_on;
    b.pickup_on = pickup;
    b.return_on = ret;
    if matches!(b.status, Confirmed | PickedUp) && dates_changed {
        // Every device the booking holds must be free over the new days.
        let (new_from, new_until) = rules.occupancy(pickup, ret);
        let live = live_allocations(conn, &b.id)?;
        let held: Vec<&DeviceRow> = live
            .iter()
            .filter(|(a, _)| a.state != AllocationState::Returned)
            .map(|(_, d)| d)
            .collect();
        let cal = Calendar::exact(conn, rules, &held, new_from, new_until)?;
        let mut conflicts = Vec::new();
        for (a, d) in &live {
            if a.state == AllocationState::Returned {
                continue;
            }
            let from = if a.state == AllocationState::PickedUp {
                a.occupied_from.min(new_from)
            } else {
                new_from
            };
            if let Some(blocker) = cal.blocker(&d.id, from, new_until, Some(&b.id)) {
                conflicts.push(conflict_of(conn, d, Some(blocker))?);
            }
        }
        if !conflicts.is_empty() {
            return Err(refuse_conflicts(new_from, new_until, conflicts));
        }
        for (a, _) in &live {
            if a.state == AllocationState::Returned {
                continue;
            }
            let from = if a.state == AllocationState::PickedUp {
                a.occupied_from.min(new_from)
            } else {
                new_from
            };
            diesel::update(booking_devices::table.find(&a.id))
                .set((
                    booking_devices::occupied_from.eq(from),
                    booking_devices::occupied_until.eq(new_until),
                ))
                .execute(conn)?;
        }
    }
    if !patch.add_lines.is_empty() || !specific.is_empty() {
        let next_no = lines_of(conn, &b.id)?
            .iter()
            .map(|l| l.line_no)
            .max()
            .unwrap_or(0)
            + 1;
        let new_lines = insert_lines(conn, &b.id, next_no, &patch.add_lines, &specific)?;
        if b.status == Confirmed {
            let taken: HashSet<String> = live_allocations(conn, &b.id)?
                .into_iter()
                .map(|(a, _)| a.device_id)
                .collect();
            let chosen = allocate(conn, rules, &b, &new_lines, &taken)?;
            insert_allocations(conn, rules, &b, &chosen)?;
        }
    }
    if !quantity_changes.is_empty() {
        change_quantities(conn, rules, &b, &quantity_changes)?;
    }
    if let Some(p) = patch.purpose {
        b.purpose = p.trim().to_string();
    }
    if let Some(c) = patch.contact {
        if c.phone.is_none() && c.email.is_none() {
            return Err(AppError::invalid(
                "contact",
                "give a phone number or an e-mail address",
            ));
        }
        b.contact_name = c.name.trim().to_string();
        b.contact_phone = c.phone;
        b.contact_email = c.email;
    }
    if patch.note.is_some() {
        b.note = patch.note;
    }
    save_status(conn, &mut b)?;
    let check = if b.status == Requested {
        let lines = lines_of(conn, &b.id)?;
        Some(pool_check(conn, rules, &b, &lines)?)
    } else {
        None
    };
    let mut detail = detail_of(conn, rules, b)?;
    detail.pool_check = check;
    Ok(detail)
}

/// Checks the new quantities against the booking's lines: (line, new quantity) for each line
/// whose quantity changes.
fn check_quantities(
    lines: &[BookingLineRow],
    changes: &[QuantityChange],
) -> AppResult<Vec<(BookingLineRow, i32)>> {
    let mut errors = Vec::new();
    let mut out: Vec<(BookingLineRow, i32)> = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        let field = format!("quantities[{i}].line_no");
        match lines.iter().find(|l| l.line_no == c.line_no) {
            None => errors.push(FieldError::new(field, "the booking has no such line")),
            Some(l) if l.device_id.is_some() => errors.push(FieldError::new(
                field,
                "this line asks for one specific device; its quantity is always 1",
            )),
            Some(_) if out.iter().any(|(l, _)| l.line_no == c.line_no) => {
                errors.push(FieldError::new(field, "this line appears twice"))
            }
            Some(l) if l.quantity != c.quantity => out.push((l.clone(), c.quantity)),
            Some(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(AppError::invalid_fields(errors))
    }
}

/// True when a patch changes nothing but lowering quantities.
fn only_lowers(patch: &BookingPatch, changes: &[(BookingLineRow, i32)]) -> bool {
    patch.pickup_on.is_none()
        && patch.return_on.is_none()
        && patch.purpose.is_none()
        && patch.contact.is_none()
        && patch.note.is_none()
        && patch.add_lines.is_empty()
        && patch.add_devices.is_empty()
        && changes.iter().all(|(l, q)| *q <= l.quantity)
}

/// Sets new line quantities. On a confirmed booking, a lower quantity releases the line's
/// surplus devices (the last allocated first) and a higher one allocates more, or fails whole.
fn change_quantities(
    conn: &mut DbConn,
    rules: &Rules,
    b: &BookingRow,
    changes: &[(BookingLineRow, i32)],
) -> AppResult<()> {
    let mut more: Vec<BookingLineRow> = Vec::new();
    for (line, quantity) in changes {
        diesel::update(booking_lines::table.find(&line.id))
            .set(booking_lines::quantity.eq(*quantity))
            .execute(conn)?;
        if b.status != BookingStatus::Confirmed {
            continue;
        }
        let held: Vec<BookingDeviceRow> = live_allocations(conn, &b.id)?
            .into_iter()
            .map(|(a, _)| a)
            .filter(|a| a.line_no == Some(line.line_no) && a.state == AllocationState::Allocated)
            .collect();
        let keep = usize::try_from(*quantity).unwrap_or(0);
        if held.len() > keep {
            for a in held.iter().rev().take(held.len() - keep) {
                diesel::update(booking_devices::table.find(&a.id))
                    .set(booking_devices::state.eq(AllocationState::Released))
                    .execute(conn)?;
            }
        } else if held.len() < keep {
            let mut extra = line.clone();
            extra.quantity = i32::try_from(keep - held.len()).unwrap_or(0);
            more.push(extra);
        }
    }
    if !more.is_empty() {
        let taken: HashSet<String> = live_allocations(conn, &b.id)?
            .into_iter()
            .map(|(a, _)| a.device_id)
            .collect();
        let chosen = allocate(conn, rules, b, &more, &taken)?;
        insert_allocations(conn, rules, b, &chosen)?;
    }
    Ok(())
}

/// Cancels a booking that has not been picked up; its devices are released.
pub fn cancel(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &str,
) -> AppResult<BookingDetail> {
    caller.require(Perm::RequestBookings)?;
    let mut b = lock(conn, caller, id)?;
    if !matches!(
        b.status,
        BookingStatus::Requested | BookingStatus::Confirmed
    ) {
        return Err(refuse(
            &b,
            "cancelled",
            &[BookingStatus::Requested, BookingStatus::Confirmed],
        ));
    }
    diesel::update(
        booking_devices::table
            .filter(booking_devices::booking_id.eq(&b.id))
            .filter(booking_devices::state.eq(AllocationState::Allocated)),
    )
    .set(booking_devices::state.eq(AllocationState::Released))
    .execute(conn)?;
    b.status = BookingStatus::Cancelled;
    b.cancelled_at = Some(now());
    save_status(conn, &mut b)?;
    detail_of(conn, rules, b)
}

/// Records what really went out: each scanned device goes `ready → booked_out`, held by the
/// booking's organisation; allocated devices that were not scanned are released; scanned
/// devices that were not allocated are checked for conflicts and added.
pub fn pickup(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &str,
    req: PickupRequest,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    req.validate()?;
    lock_pool(conn)?;
    let mut b = lock(conn, caller, id)?;
    if b.status != BookingStatus::Confirmed {
        return Err(refuse(&b, "picked up", &[BookingStatus::Confirmed]));
    }
    if rules.today < b.pickup_on - Duration::days(EARLY_PICKUP_DAYS) {
        return Err(AppError::conflict_with(
            format!(
                "Booking {} is picked up on {}; devices can be handed over at most {EARLY_PICKUP_DAYS} days early.",
                b.reference, b.pickup_on
            ),
            json!({ "current_status": b.status }),
        ));
    }
    let scanned = pool_devices_by_tag(conn, caller, &req.asset_tags, "asset_tags")?;
    let live = live_allocations(conn, &b.id)?;
    let allocated: HashMap<String, BookingDeviceRow> =
        live.into_iter().map(|(a, d)| (d.id, a)).collect();
    let (planned_from, until) = rules.occupancy(b.pickup_on, b.return_on);
    let from = planned_from.min(rules.today);
    // Devices that were not allocated must be free too.
    let extra: Vec<&DeviceRow> = scanned
        .iter()
        .filter(|d| !allocated.contains_key(&d.id))
        .collect();
    let cal = Calendar::exact(conn, rules, &extra, from, until)?;
    let extra_ids: Vec<String> = extra.iter().map(|d| d.id.clone()).collect();
    let lent = commitments::loan_holders(conn, &extra_ids)?;
    let mut conflicts = Vec::new();
    for d in &extra {
        let blocker = cal.blocker(&d.id, from, until, Some(&b.id));
        if blocker.is_some() || lent.contains_key(&d.id) {
            conflicts.push(conflict_of(conn, d, blocker)?);
        }
    }
    if !conflicts.is_empty() {
        return Err(refuse_conflicts(from, until, conflicts));
    }
    let at = now();
    let scanned_ids: HashSet<String> = scanned.iter().map(|d| d.id.clone()).collect();
    let mut scanned = scanned;
    // Device rows are locked in id order (the allocation rule), so requests never deadlock.
    scanned.sort_by(|x, y| x.id.cmp(&y.id));
    for d in &scanned {
        let mut row = devs::lock(conn, caller, &d.id)?;
        row.holder_organisation_id = Some(b.organisation_id.clone());
        devs::transition(
            conn,
            caller,
            &mut row,
            Action::BookOut,
            json!({ "booking_id": b.id, "booking_reference": b.reference, "note": req.note }),
        )?;
        match allocated.get(&d.id) {
            Some(a) => {
                diesel::update(booking_devices::table.find(&a.id))
                    .set((
                        booking_devices::state.eq(AllocationState::PickedUp),
                        booking_devices::picked_up_at.eq(Some(at)),
                        booking_devices::occupied_from.eq(a.occupied_from.min(from)),
                        booking_devices::occupied_until.eq(until),
                    ))
                    .execute(conn)?;
            }
            None => {
                let updated = diesel::update(
                    booking_devices::table
                        .filter(booking_devices::booking_id.eq(&b.id))
                        .filter(booking_devices::device_id.eq(&d.id)),
                )
                .set((
                    booking_devices::state.eq(AllocationState::PickedUp),
                    booking_devices::line_no.eq(None::<i32>),
                    booking_devices::picked_up_at.eq(Some(at)),
                    booking_devices::occupied_from.eq(from),
                    booking_devices::occupied_until.eq(until),
                ))
                .execute(conn)?;
                if updated == 0 {
                    let row = BookingDeviceRow {
                        id: new_id(),
                        booking_id: b.id.clone(),
                        device_id: d.id.clone(),
                        line_no: None,
                        state: AllocationState::PickedUp,
                        occupied_from: from,
                        occupied_until: until,
                        picked_up_at: Some(at),
                        returned_at: None,
                        return_condition: None,
                        missing_accessories: None,
                        reported_missing: false,
                        note: None,
                        created_at: at,
                    };
                    diesel::insert_into(booking_devices::table)
                        .values(&row)
                        .execute(conn)?;
                }
            }
        }
    }
    for (device_id, a) in &allocated {
        if !scanned_ids.contains(device_id) {
            diesel::update(booking_devices::table.find(&a.id))
                .set(booking_devices::state.eq(AllocationState::Released))
                .execute(conn)?;
        }
    }
    b.status = BookingStatus::PickedUp;
    b.picked_up_at = Some(at);
    save_status(conn, &mut b)?;
    detail_of(conn, rules, b)
}

/// The devices of a booking that are out with it now (picked up), by device id.
fn out_with(
    conn: &mut DbConn,
    booking_id: &str,
) -> AppResult<HashMap<String, (BookingDeviceRow, DeviceRow)>> {
    Ok(live_allocations(conn, booking_id)?
        .into_iter()
        .filter(|(a, _)| a.state == AllocationState::PickedUp)
        .map(|(a, d)| (d.id.clone(), (a, d)))
        .collect())
}

/// Resolves scanned devices (tag, label URL or id) to devices out with booking `b`; every input
/// that names no such device, or names one twice, is a field error.
fn resolve_out(
    conn: &mut DbConn,
    b: &BookingRow,
    out: &HashMap<String, (BookingDeviceRow, DeviceRow)>,
    inputs: &[(String, &str)],
    what: &str,
) -> AppResult<Vec<String>> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut ids = Vec::new();
    for (field, input) in inputs {
        let id = device_ref::device_id(conn, input)?;
        let name = device_ref::tag_of(input);
        match id {
            Some(id) if !seen.insert(id.clone()) => {
                errors.push(FieldError::new(field, format!("{name} appears twice")))
            }
            Some(id) if out.contains_key(&id) => ids.push(id),
            _ => errors.push(FieldError::new(
                field,
                format!("{name} is not {what} booking {}", b.reference),
            )),
        }
    }
    if errors.is_empty() {
        Ok(ids)
    } else {
        Err(AppError::invalid_fields(errors))
    }
}

/// Closes the booking (`returned`) when no device is out with it any more (each is back, or
/// written off as lost); otherwise it is partially returned.
fn close_if_done(conn: &mut DbConn, b: &mut BookingRow) -> AppResult<()> {
    let still_out: i64 = booking_devices::table
        .filter(booking_devices::booking_id.eq(&b.id))
        .filter(booking_devices::state.eq(AllocationState::PickedUp))
        .count()
        .get_result(conn)?;
    if still_out == 0 {
        b.status = BookingStatus::Returned;
        b.returned_at = Some(now());
    } else {
        b.status = BookingStatus::PartiallyReturned;
    }
    save_status(conn, b)
}

/// Locks a booking that has devices out (picked up or partially returned).
fn lock_out(conn: &mut DbConn, caller: &Caller, id: &str, what: &str) -> AppResult<BookingRow> {
    let b = lock(conn, caller, id)?;
    if !matches!(
        b.status,
        BookingStatus::PickedUp | BookingStatus::PartiallyReturned
    ) {
        return Err(refuse(
            &b,
            what,
            &[BookingStatus::PickedUp, BookingStatus::PartiallyReturned],
        ));
    }
    Ok(b)
}

/// What a returned item says about the device: problems that send it to repair, and the
/// accessories that came back.
fn findings_of(item: &ReturnItem, d: &DeviceRow) -> ReturnFindings {
    let missing = item
        .missing_accessories
        .as_deref()
        .map(commitments::accessory_items)
        .unwrap_or_default();
    let mut problems = Vec::new();
    if item.condition != ReturnCondition::Good {
        problems.push(format!("returned {}", item.condition));
    }
    if !missing.is_empty() {
        problems.push(format!("accessories missing: {}", missing.join(", ")));
    }
    let back = match &item.accessories_back {
        Some(text) => Some(text.trim().to_string()),
        None => d.accessories.as_deref().map(|all| {
            commitments::accessories_without(&commitments::accessory_items(all), &missing)
                .join(", ")
        }),
    };
    ReturnFindings {
        problems,
        accessories_back: back,
    }
}

/// Records what came back: each device `booked_out → returned`, held by its owner again, or on
/// to `in_repair` when it came back damaged, broken or without all its accessories. Devices not
/// back keep the booking open (partially returned).
pub fn return_devices(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &str,
    req: ReturnRequest,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    req.validate()?;
    let mut b = lock_out(conn, caller, id, "returned")?;
    if req.items.is_empty() && req.reported_missing.is_empty() {
        return Err(AppError::invalid(
            "items",
            "scan at least one device that came back",
        ));
    }
    let out = out_with(conn, &b.id)?;
    let inputs: Vec<(String, &str)> = req
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (format!("items[{i}].asset_tag"), it.asset_tag.as_str()))
        .chain(
            req.reported_missing
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("reported_missing[{i}]"), t.as_str())),
        )
        .collect();
    let ids = resolve_out(conn, &b, &out, &inputs, "out with")?;
    let (back_ids, missing_ids) = ids.split_at(req.items.len());
    let at = now();
    let freed_after = rules.held_until();
    let mut back: Vec<(&String, &ReturnItem)> = back_ids.iter().zip(req.items.iter()).collect();
    back.sort_by(|x, y| x.0.cmp(y.0));
    for (device_id, item) in back {
        let Some((a, _)) = out.get(device_id) else {
            continue;
        };
        let mut row = devs::lock(conn, caller, device_id)?;
        let findings = findings_of(item, &row);
        commitments::check_in(
            conn,
            caller,
            &mut row,
            json!({
                "booking_id": b.id, "booking_reference": b.reference, "condition": item.condition,
                "missing_accessories": item.missing_accessories, "note": item.note,
            }),
            &findings,
        )?;
        diesel::update(booking_devices::table.find(&a.id))
            .set((
                booking_devices::state.eq(AllocationState::Returned),
                booking_devices::returned_at.eq(Some(at)),
                booking_devices::return_condition.eq(Some(item.condition)),
                booking_devices::missing_accessories.eq(&item.missing_accessories),
                booking_devices::reported_missing.eq(false),
                booking_devices::note.eq(&item.note),
                // Back early: the device is free again after its reset.
                booking_devices::occupied_until.eq(a.occupied_until.min(freed_after)),
            ))
            .execute(conn)?;
    }
    for device_id in missing_ids {
        let Some((a, _)) = out.get(device_id) else {
            continue;
        };
        diesel::update(booking_devices::table.find(&a.id))
            .set((
                booking_devices::reported_missing.eq(true),
                booking_devices::note.eq(&req.note),
            ))
            .execute(conn)?;
    }
    close_if_done(conn, &mut b)?;
    detail_of(conn, rules, b)
}

/// The scanned inputs of a write-off or found request, each with its field name.
fn tag_inputs(tags: &[String]) -> Vec<(String, &str)> {
    tags.iter()
        .enumerate()
        .map(|(i, t)| (format!("asset_tags[{i}]"), t.as_str()))
        .collect()
}

/// Writes off devices the organisation lost: each device out with the booking goes
/// `booked_out → lost` (held by its owner, on paper) and its allocation ends. The booking
/// closes when nothing else is out, and so leaves the overdue list.
pub fn write_off(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &str,
    req: WriteOffRequest,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    req.validate()?;
    let mut b = lock_out(conn, caller, id, "written off")?;
    let out = out_with(conn, &b.id)?;
    let inputs = tag_inputs(&req.asset_tags);
    let mut ids = resolve_out(conn, &b, &out, &inputs, "out with")?;
    ids.sort();
    let freed_after = rules.held_until();
    for device_id in &ids {
        let Some((a, _)) = out.get(device_id) else {
            continue;
        };
        let mut row = devs::lock(conn, caller, device_id)?;
        row.holder_organisation_id = Some(row.owner_organisation_id.clone());
        devs::transition(
            conn,
            caller,
            &mut row,
            Action::MarkLost,
            json!({ "booking_id": b.id, "booking_reference": b.reference, "note": req.note, "written_off": true }),
        )?;
        diesel::update(booking_devices::table.find(&a.id))
            .set((
                booking_devices::state.eq(AllocationState::Lost),
                booking_devices::reported_missing.eq(true),
                booking_devices::note.eq(&req.note),
                booking_devices::occupied_until.eq(a.occupied_until.min(freed_after)),
            ))
            .execute(conn)?;
    }
    close_if_done(conn, &mut b)?;
    detail_of(conn, rules, b)
}

/// Records that devices written off with this booking were found: each goes `lost → returned`
/// (to be reset before it is planned again; it may already have been marked found through the
/// device's `found` action) and its allocation is marked returned.
pub fn found(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &str,
    req: WriteOffRequest,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    req.validate()?;
    let b = lock(conn, caller, id)?;
    let lost: HashMap<String, (BookingDeviceRow, DeviceRow)> = booking_devices::table
        .inner_join(devices::table)
        .filter(booking_devices::booking_id.eq(&b.id))
        .filter(booking_devices::state.eq(AllocationState::Lost))
        .select((BookingDeviceRow::as_select(), DeviceRow::as_select()))
        .load::<(BookingDeviceRow, DeviceRow)>(conn)?
        .into_iter()
        .map(|(a, d)| (d.id.clone(), (a, d)))
        .collect();
    let inputs = tag_inputs(&req.asset_tags);
    let mut ids = resolve_out(conn, &b, &lost, &inputs, "written off as lost with")?;
    ids.sort();
    let at = now();
    for device_id in &ids {
        let Some((a, _)) = lost.get(device_id) else {
            continue;
        };
        let mut row = devs::lock(conn, caller, device_id)?;
        if row.status == crate::domain::lifecycle::Status::Lost {
            row.holder_organisation_id = Some(row.owner_organisation_id.clone());
            devs::transition(
                conn,
                caller,
                &mut row,
                Action::Found,
                json!({ "booking_id": b.id, "booking_reference": b.reference, "note": req.note }),
            )?;
        }
        diesel::update(booking_devices::table.find(&a.id))
            .set((
                booking_devices::state.eq(AllocationState::Returned),
                booking_devices::returned_at.eq(Some(at)),
                booking_devices::reported_missing.eq(false),
                booking_devices::note.eq(&req.note),
            ))
            .execute(conn)?;
    }
    detail_of(conn, rules, b)
}

/// The name of the lending service printed on documents: the organisation of the staff member
/// who confirmed the booking.
pub fn lender_name(conn: &mut DbConn, b: &BookingRow) -> AppResult<String> {
    let Some(user) = &b.confirmed_by else {
        return Ok("Digitale Uitleendienst".into());
    };
    Ok(users::table
        .inner_join(organisations::table)
        .filter(users::id.eq(user))
        .select(organisations::name)
        .first(conn)
        .optional()?
        .unwrap_or_else(|| "Digitale Uitleendienst".into()))
}

/// Devices to gather for the pick list: those allocated (before the pick-up) or out.
pub fn devices_to_pick(d: &BookingDetail) -> Vec<&DeviceRow> {
    d.devices
        .iter()
        .filter(|(a, _)| {
            matches!(
                a.state,
                AllocationState::Allocated | AllocationState::PickedUp
            )
        })
        .map(|(_, dev)| dev)
        .collect()
}

/// The summary of a booking's detail used by events and logs.
pub fn summary(d: &BookingDetail) -> Value {
    json!({ "id": d.booking.id, "reference": d.booking.reference, "status": d.booking.status })
}
