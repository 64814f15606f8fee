//! The hand-over: what was scanned is what went out (`ready → booked_out`, held by the
//! booking's organisation); allocated devices not scanned are released; scanned devices that
//! were not allocated are checked for conflicts and added.

use std::collections::{HashMap, HashSet};

use chrono::Duration;
use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::allocation::{conflict_of, refuse_conflicts};
use super::states::{self, BookingAction};
use super::{
    detail_of, live_allocations, lock, lock_pool, pool_devices_by_tag, save_status,
    AllocationState, BookingDetail, EARLY_PICKUP_DAYS,
};
use crate::auth::{Caller, Perm};
use crate::db::models::{BookingDeviceRow, DeviceRow};
use crate::db::schema::booking_devices;
use crate::db::{now, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::availability::{Calendar, Rules};
use crate::domain::commitments;
use crate::domain::devices as devs;
use crate::domain::ids::BookingId;
use crate::domain::lifecycle::Action;
use crate::error::{AppError, AppResult};

/// The devices handed over, scanned by asset tag.
#[derive(Debug, Clone, Validate)]
pub struct PickupRequest {
    #[validate(length(min = 1, max = 1000, message = "scan at least one device"))]
    pub asset_tags: Vec<String>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Records what really went out: each scanned device goes `ready → booked_out`, held by the
/// booking's organisation; allocated devices that were not scanned are released; scanned
/// devices that were not allocated are checked for conflicts and added.
pub fn pickup(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &BookingId,
    req: PickupRequest,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    req.validate()?;
    lock_pool(conn)?;
    let mut b = lock(conn, caller, id)?;
    let to = states::next(&b, BookingAction::PickUp)?;
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
    b.status = to;
    b.picked_up_at = Some(at);
    save_status(conn, &mut b)?;
    detail_of(conn, rules, b)
}

/// What a scan at the pick-up desk would hand over, checked before anything is written.
#[derive(Debug, Clone)]
pub struct ScanAtPickup {
    pub device: DeviceRow,
    /// False for a substitute: a free pool device of a kind the booking asked for.
    pub allocated: bool,
}

/// A refused scan at a desk, on the field `tag`, with its code (`scan_…`) for the pages.
pub(super) fn scan_refused(message: String, code: &str) -> AppError {
    AppError::invalid_fields(vec![
        crate::error::FieldError::new("tag", message).with_code(code)
    ])
}

/// Checks one scan at the pick-up desk of a confirmed booking: a device allocated to it, or a
/// substitute (a pool device of a kind the booking asked for, free for its days). `already`
/// are the devices scanned before (by id): a second scan of one is refused. Nothing is written;
/// [`pickup`] records the hand-over of everything scanned and checks it all again.
pub fn check_scan(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &BookingId,
    input: &str,
    already: &[String],
) -> AppResult<ScanAtPickup> {
    caller.require(Perm::ManageBookings)?;
    let b = super::load(conn, caller, id)?;
    states::next(&b, BookingAction::PickUp)?;
    let tag = crate::domain::device_ref::tag_of(input);
    let Some(device) = super::scanned_device(conn, input)? else {
        return Err(scan_refused(
            format!("no device of the booking pool has the tag {tag}"),
            "scan_unknown",
        ));
    };
    if !device.in_pool {
        return Err(scan_refused(
            format!("{} is not in the booking pool", device.asset_tag),
            "scan_not_in_pool",
        ));
    }
    if already.contains(&device.id) {
        return Err(scan_refused(
            format!("{} was scanned already", device.asset_tag),
            "scan_twice",
        ));
    }
    let live = live_allocations(conn, &b.id)?;
    if live
        .iter()
        .any(|(a, d)| d.id == device.id && a.state == AllocationState::Allocated)
    {
        return Ok(ScanAtPickup {
            device,
            allocated: true,
        });
    }
    let lines = super::lines_of(conn, &b.id)?;
    if !lines
        .iter()
        .any(|l| l.kind == device.kind && (l.subtype.is_none() || l.subtype == device.subtype))
    {
        return Err(scan_refused(
            format!(
                "{} is a {}; booking {} asked for no device of that kind",
                device.asset_tag, device.kind, b.reference
            ),
            "scan_other_kind",
        ));
    }
    let (planned_from, until) = rules.occupancy(b.pickup_on, b.return_on);
    let from = planned_from.min(rules.today);
    let cal = Calendar::exact(conn, rules, &[&device], from, until)?;
    let lent = commitments::loan_holders(conn, std::slice::from_ref(&device.id))?;
    if !crate::domain::availability::PLANNABLE.contains(&device.status)
        || cal.blocker(&device.id, from, until, Some(&b.id)).is_some()
        || lent.contains_key(&device.id)
    {
        return Err(scan_refused(
            format!(
                "{} is not free from {from} to {until}; take another one",
                device.asset_tag
            ),
            "scan_not_free",
        ));
    }
    Ok(ScanAtPickup {
        device,
        allocated: false,
    })
}
