//! Bookings: an organisation reserves many pool devices for a date range.
//!
//! requested → confirmed (devices allocated) → picked_up → returned | partially_returned;
//! requested | confirmed → cancelled (the table: `states.rs`). A booking is `returned` (closed)
//! once every device that went out is back or written off as lost. "Overdue" is not stored: a
//! booking that is picked up or partially returned after its return date is overdue, computed
//! when it is read.
//!
//! No device is ever in two overlapping bookings, nor in a booking and a loan: every change to
//! allocations (confirm, change of dates or lines, pick-up) goes through the allocation rule in
//! `commitments` (the pool lock, then re-read and check before writing). Nothing is kept in
//! process memory, so several servers on one database behave as one.
//!
//! Each use case has its file:
//!
//! | file | what |
//! | --- | --- |
//! | `states.rs` | the transition table of a booking |
//! | `requesting.rs` | asking for a booking, the date rules, what the pool can serve |
//! | `changes.rs` | changing (dates, lines, quantities) and cancelling |
//! | `allocation.rs` | choosing free devices, confirming |
//! | `pickup.rs` | the hand-over (book out) |
//! | `returns.rs` | what comes back, and closing |
//! | `write_off.rs` | devices lost with a booking, and found again |
//! | `queries.rs` | one booking, the list, the overdue work list, what documents print |
//!
//! Every entry point takes the caller and authorises there (policy and visibility); the API
//! only extracts, calls and renders.

use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::auth::{visibility, Caller, Perm};
use crate::db::models::{BookingDeviceRow, BookingLineRow, BookingRow, DeviceRow};
use crate::db::schema::{booking_devices, booking_lines, bookings, devices, organisations};
use crate::db::{now, DbConn};
use crate::domain::availability::Rules;
use crate::domain::device_ref;
use crate::domain::ids::BookingId;
use crate::error::{AppError, AppResult, FieldError};

pub mod allocation;
pub mod changes;
pub mod pickup;
pub mod queries;
pub mod requesting;
pub mod returns;
pub mod states;
pub mod write_off;

pub use allocation::{confirm, DeviceConflict, Shortage};
pub use changes::{cancel, refusal_reason, refuse, update, BookingPatch, QuantityChange};
pub use pickup::{check_scan, pickup, PickupRequest, ScanAtPickup};
pub use queries::{
    devices_to_pick, for_confirmation, for_pick_list, get, inbox, lender_name, list, overdue,
    summary, BookingCursor, BookingFilter,
};
pub use requesting::{
    check_request, create, request, year_use, Contact, LineAvailability, LineRequest, NewBooking,
    PoolCheck, RequestCheck, RequestRules, YearUse,
};
pub use returns::{
    check_return_scan, reset_returned, return_devices, waiting_for_reset, ReturnItem, ReturnRequest,
};
pub use states::{BookingAction, TRANSITIONS};
pub use write_off::{found, write_off, WriteOffRequest};

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

/// The statuses in which a booking has devices out.
const OUT: [BookingStatus; 2] = [BookingStatus::PickedUp, BookingStatus::PartiallyReturned];

/// Whether a booking is overdue on `today`: devices are out with it past its return date.
pub fn is_overdue(b: &BookingRow, today: NaiveDate) -> bool {
    OUT.contains(&b.status) && b.return_on < today
}

/// [`is_overdue`] as a filter on `bookings`, for queries that count or list in SQL.
#[diesel::dsl::auto_type]
pub fn overdue_on(today: NaiveDate) -> _ {
    let out: [BookingStatus; 2] = OUT;
    bookings::status
        .eq_any(out)
        .and(bookings::return_on.lt(today))
}

/// How many bookings are overdue on `today`, in every organisation (the operators' metric).
pub fn count_overdue(conn: &mut DbConn, today: NaiveDate) -> AppResult<i64> {
    Ok(bookings::table
        .filter(overdue_on(today))
        .count()
        .get_result(conn)?)
}

fn not_found() -> AppError {
    AppError::not_found("The booking")
}

fn load(conn: &mut DbConn, caller: &Caller, id: &BookingId) -> AppResult<BookingRow> {
    caller.require(Perm::ReadBookings)?;
    let b: BookingRow = bookings::table
        .find(id.as_str())
        .select(BookingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(not_found)?;
    if visibility::booking(caller, &b) {
        Ok(b)
    } else {
        Err(not_found())
    }
}

fn lock(conn: &mut DbConn, caller: &Caller, id: &BookingId) -> AppResult<BookingRow> {
    let b: BookingRow = crate::locked_first!(
        conn,
        bookings::table
            .find(id.as_str())
            .select(BookingRow::as_select())
    )
    .optional()?
    .ok_or_else(not_found)?;
    if visibility::booking(caller, &b) {
        Ok(b)
    } else {
        Err(not_found())
    }
}

/// The organisation a list of bookings is restricted to: none for a caller who may see the
/// bookings of an organisation not their own (the rule: `auth::visibility::booking_of`),
/// otherwise the caller's own.
fn list_scope(caller: &Caller) -> Option<String> {
    const ANOTHER_ORGANISATION: &str = "";
    if visibility::booking_of(caller, ANOTHER_ORGANISATION) {
        None
    } else {
        Some(caller.organisation_id.clone())
    }
}

/// The full view of a booking.
fn detail_of(conn: &mut DbConn, rules: &Rules, booking: BookingRow) -> AppResult<BookingDetail> {
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
