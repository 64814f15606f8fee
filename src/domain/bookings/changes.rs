//! Changing a booking (dates, texts, lines, quantities; every conflict checked again, a change
//! that would double-book fails whole) and cancelling one that has not been picked up.

use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::allocation::{allocate, conflict_of, insert_allocations, refuse_conflicts};
use super::requesting::{check_dates, insert_lines, pool_check, Contact, LineRequest};
use super::states::{self, BookingAction};
use super::{
    detail_of, lines_of, live_allocations, lock, lock_pool, pool_devices_by_tag, save_status,
    AllocationState, BookingDetail, BookingStatus,
};
use crate::auth::{Caller, Perm};
use crate::db::models::{BookingDeviceRow, BookingLineRow, BookingRow, DeviceRow};
use crate::db::schema::{booking_devices, booking_lines};
use crate::db::{now, DbConn};
use crate::domain::availability::{Calendar, Rules};
use crate::domain::ids::BookingId;
use crate::error::{AppError, AppResult, FieldError};

/// A change to a booking. Requesters may change their own booking while it is requested;
/// lending staff any booking until it is picked up, and the return date (an extension) and
/// texts after that. Every conflict is checked again; a change that would double-book a
/// device fails whole.
#[derive(Debug, Clone, Default, Validate)]
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
    pub add_lines: Vec<LineRequest>,
    /// Specific devices to add, by asset tag.
    #[validate(length(max = crate::domain::limits::MAX_DEVICES))]
    pub add_devices: Vec<String>,
    /// New quantities for existing lines. A requester may lower the quantities of their own
    /// confirmed booking (the surplus devices are released); raising them on a confirmed
    /// booking (lending staff) allocates more devices or fails whole.
    #[validate(nested)]
    pub quantities: Vec<QuantityChange>,
}

/// A new quantity for one line of a booking.
#[derive(Debug, Clone, Validate)]
pub struct QuantityChange {
    pub line_no: i32,
    #[validate(range(min = 1, max = 500, message = "must be between 1 and 500"))]
    pub quantity: i32,
}

/// Changes a booking; see [`BookingPatch`].
pub fn update(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &BookingId,
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
    states::next(&b, BookingAction::Change)?;
    if b.status == PickedUp
        && (patch.pickup_on.is_some_and(|p| p != b.pickup_on)
            || !patch.add_lines.is_empty()
            || !patch.add_devices.is_empty()
            || !patch.quantities.is_empty())
    {
        return Err(AppError::conflict_with(
            format!(
                "Booking {} is picked up: only its return date, purpose, contact and note can change.",
                b.reference
            ),
            json!({ "current_status": b.status }),
        ));
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
    id: &BookingId,
) -> AppResult<BookingDetail> {
    caller.require(Perm::RequestBookings)?;
    let mut b = lock(conn, caller, id)?;
    let to = states::next(&b, BookingAction::Cancel)?;
    diesel::update(
        booking_devices::table
            .filter(booking_devices::booking_id.eq(&b.id))
            .filter(booking_devices::state.eq(AllocationState::Allocated)),
    )
    .set(booking_devices::state.eq(AllocationState::Released))
    .execute(conn)?;
    b.status = to;
    b.cancelled_at = Some(now());
    save_status(conn, &mut b)?;
    detail_of(conn, rules, b)
}

/// What a refusal's note starts with (the reason follows).
const REFUSED: &str = "Refused by the lending service: ";

/// The lending service refuses a request, with a reason the school or organisation reads:
/// the booking is cancelled and the reason kept as its note.
pub fn refuse(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &BookingId,
    reason: &str,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(AppError::invalid(
            "reason",
            "say why the request is refused (1 to 1000 characters)",
        ));
    }
    let mut b = lock(conn, caller, id)?;
    if b.status != BookingStatus::Requested {
        return Err(AppError::conflict_with(
            format!(
                "Booking {} is {}; only a request waiting for an answer can be refused.",
                b.reference, b.status
            ),
            json!({ "current_status": b.status }),
        ));
    }
    b.status = states::next(&b, BookingAction::Cancel)?;
    b.cancelled_at = Some(now());
    b.note = Some(format!("{REFUSED}{reason}"));
    save_status(conn, &mut b)?;
    detail_of(conn, rules, b)
}

/// The reason a booking was refused, when the lending service refused it.
pub fn refusal_reason(b: &BookingRow) -> Option<&str> {
    if b.status != BookingStatus::Cancelled {
        return None;
    }
    b.note.as_deref().and_then(|n| n.strip_prefix(REFUSED))
}
