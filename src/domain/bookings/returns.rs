//! What comes back from a booking (each device `booked_out → returned`, or on to `in_repair`
//! when it came back damaged, broken or without all its accessories), what is reported missing,
//! and closing the booking when nothing is out any more.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::states::{self, BookingAction};
use super::{
    detail_of, live_allocations, lock, save_status, AllocationState, BookingDetail, ReturnCondition,
};
use crate::auth::{Caller, Perm};
use crate::db::models::{BookingDeviceRow, BookingRow, DeviceRow};
use crate::db::schema::booking_devices;
use crate::db::{now, DbConn};
use crate::domain::availability::Rules;
use crate::domain::commitments::{self, ReturnFindings};
use crate::domain::device_ref;
use crate::domain::devices as devs;
use crate::domain::ids::BookingId;
use crate::error::{AppError, AppResult, FieldError};

// `Serialize` only because validator's `nested` check of a list needs it.
#[derive(Debug, Clone, Validate, serde::Serialize)]
pub struct ReturnItem {
    /// The scanned asset tag (or device id, or label URL).
    pub asset_tag: String,
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

/// What came back, scanned by asset tag; devices reported missing stay on the booking.
#[derive(Debug, Clone, Validate)]
pub struct ReturnRequest {
    #[validate(nested, length(max = crate::domain::limits::MAX_DEVICES))]
    pub items: Vec<ReturnItem>,
    /// Asset tags the organisation reports as missing.
    #[validate(length(max = crate::domain::limits::MAX_DEVICES))]
    pub reported_missing: Vec<String>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// The devices of a booking that are out with it now (picked up), by device id.
pub(super) fn out_with(
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
pub(super) fn resolve_out(
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
pub(super) fn close_if_done(conn: &mut DbConn, b: &mut BookingRow) -> AppResult<()> {
    let still_out: i64 = booking_devices::table
        .filter(booking_devices::booking_id.eq(&b.id))
        .filter(booking_devices::state.eq(AllocationState::PickedUp))
        .count()
        .get_result(conn)?;
    if still_out == 0 {
        b.status = states::next(b, BookingAction::AllBack)?;
        b.returned_at = Some(now());
    } else {
        b.status = states::next(b, BookingAction::SomeStillOut)?;
    }
    save_status(conn, b)
}

/// Locks a booking for `action` (a return or a write-off: devices are out with it).
pub(super) fn lock_out(
    conn: &mut DbConn,
    caller: &Caller,
    id: &BookingId,
    action: BookingAction,
) -> AppResult<BookingRow> {
    let b = lock(conn, caller, id)?;
    states::next(&b, action)?;
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
    id: &BookingId,
    req: ReturnRequest,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    req.validate()?;
    let mut b = lock_out(conn, caller, id, BookingAction::Return)?;
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

/// Checks one scan at the return desk: the device must be out with the booking. Nothing is
/// written; [`return_devices`] records what came back.
pub fn check_return_scan(
    conn: &mut DbConn,
    caller: &Caller,
    id: &BookingId,
    input: &str,
) -> AppResult<DeviceRow> {
    caller.require(Perm::ManageBookings)?;
    let b = super::load(conn, caller, id)?;
    states::next(&b, BookingAction::Return)?;
    let out = out_with(conn, &b.id)?;
    let refused = || {
        super::pickup::scan_refused(
            format!(
                "{} is not out with booking {}",
                device_ref::tag_of(input),
                b.reference
            ),
            "scan_not_out",
        )
    };
    let ids = resolve_out(conn, &b, &out, &[("tag".to_string(), input)], "out with")
        .map_err(|_| refused())?;
    ids.first()
        .and_then(|i| out.get(i))
        .map(|(_, d)| d.clone())
        .ok_or_else(refused)
}

/// The pool devices back from this booking and waiting for their reset (`returned`).
pub fn waiting_for_reset(
    conn: &mut DbConn,
    caller: &Caller,
    id: &BookingId,
) -> AppResult<Vec<DeviceRow>> {
    caller.require(Perm::ManageBookings)?;
    let b = super::load(conn, caller, id)?;
    Ok(crate::db::schema::booking_devices::table
        .inner_join(crate::db::schema::devices::table)
        .filter(booking_devices::booking_id.eq(&b.id))
        .filter(booking_devices::state.eq(AllocationState::Returned))
        .filter(crate::db::schema::devices::status.eq(crate::domain::lifecycle::Status::Returned))
        .order(crate::db::schema::devices::seq.asc())
        .select(DeviceRow::as_select())
        .load(conn)?)
}

/// Resets, in one go, the pool devices back from this booking that wait for it (a factory
/// reset with encryption on: a cryptographic erase, `refurbishment::reset_pool_devices`).
pub fn reset_returned(
    conn: &mut DbConn,
    caller: &Caller,
    id: &BookingId,
) -> AppResult<Vec<DeviceRow>> {
    let waiting = waiting_for_reset(conn, caller, id)?;
    if waiting.is_empty() {
        return Err(AppError::conflict(
            "No device of this booking is waiting for its reset.".to_string(),
        ));
    }
    use crate::domain::refurbishment::{PoolReset, Verification, WipeCategory, WipeTechnique};
    crate::domain::refurbishment::reset_pool_devices(
        conn,
        caller,
        PoolReset {
            asset_tags: waiting.into_iter().map(|d| d.asset_tag).collect(),
            technique: WipeTechnique::FactoryReset,
            category: WipeCategory::Purge,
            tool: None,
            tool_version: None,
            verified: false,
            verification_method: Verification::None,
            started_at: None,
            ended_at: None,
            note: None,
        },
    )
}
