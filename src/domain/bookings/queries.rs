//! Reading bookings: one booking, the list, the overdue work list, and what the documents
//! (pick list, confirmation) are printed from.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{json, Value};

use super::states::{self, BookingAction};
use super::{detail_of, list_scope, load, AllocationState, BookingDetail, BookingStatus};
use crate::auth::{Caller, Perm};
use crate::db::models::{BookingRow, DeviceRow};
use crate::db::schema::{bookings, organisations, users};
use crate::db::DbConn;
use crate::domain::availability::Rules;
use crate::domain::ids::{BookingId, OrganisationId};
use crate::domain::limits::{self, Window};
use crate::error::{AppError, AppResult};

pub fn get(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &BookingId,
) -> AppResult<BookingDetail> {
    let b = load(conn, caller, id)?;
    detail_of(conn, rules, b)
}

/// Filters of the booking list.
#[derive(Debug, Default, Clone)]
pub struct BookingFilter {
    pub status: Option<BookingStatus>,
    /// Ignored for callers who see their own organisation's bookings only.
    pub organisation_id: Option<OrganisationId>,
    /// Bookings picked up on or after this day.
    pub from: Option<NaiveDate>,
    /// Bookings picked up on or before this day.
    pub to: Option<NaiveDate>,
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
    match list_scope(caller) {
        Some(own) => q = q.filter(bookings::organisation_id.eq(own)),
        None => {
            if let Some(o) = &f.organisation_id {
                q = q.filter(bookings::organisation_id.eq(o.as_str().to_string()));
            }
        }
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
        .filter(super::overdue_on(rules.today))
        .select(BookingRow::as_select())
        .into_boxed();
    if let Some(own) = list_scope(caller) {
        q = q.filter(bookings::organisation_id.eq(own));
    }
    let rows: Vec<BookingRow> = q
        .order((bookings::return_on.asc(), bookings::id.asc()))
        .load(conn)?;
    rows.into_iter()
        .map(|b| detail_of(conn, rules, b))
        .collect()
}

/// A booking to print a pick list for (lending staff): it must hold devices.
pub fn for_pick_list(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &BookingId,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    let d = get(conn, caller, rules, id)?;
    if devices_to_pick(&d).is_empty() {
        return Err(AppError::conflict_with(
            format!(
                "Booking {} is {} and holds no devices; confirm it first.",
                d.booking.reference, d.booking.status
            ),
            json!({ "current_status": d.booking.status }),
        ));
    }
    Ok(d)
}

/// A booking to print a confirmation for: once it is confirmed.
pub fn for_confirmation(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &BookingId,
) -> AppResult<BookingDetail> {
    let d = get(conn, caller, rules, id)?;
    states::next(&d.booking, BookingAction::PrintConfirmation)?;
    Ok(d)
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

/// The lending service's inbox: requests waiting for an answer, in the order they came in.
pub fn inbox(conn: &mut DbConn, caller: &Caller, rules: &Rules) -> AppResult<Vec<BookingDetail>> {
    caller.require(Perm::ManageBookings)?;
    let rows: Vec<BookingRow> = bookings::table
        .filter(bookings::status.eq(BookingStatus::Requested))
        .order((bookings::created_at.asc(), bookings::id.asc()))
        .limit(500)
        .select(BookingRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|b| detail_of(conn, rules, b))
        .collect()
}
