//! Devices the organisation lost, written off through the booking (`booked_out → lost`), and
//! found again (`lost → returned`, to be reset before they are planned again).

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::returns::{close_if_done, lock_out, out_with, resolve_out};
use super::states::{self, BookingAction};
use super::{detail_of, lock, AllocationState, BookingDetail};
use crate::auth::{Caller, Perm};
use crate::db::models::{BookingDeviceRow, DeviceRow};
use crate::db::schema::{booking_devices, devices};
use crate::db::{now, DbConn};
use crate::domain::availability::Rules;
use crate::domain::devices as devs;
use crate::domain::ids::BookingId;
use crate::domain::lifecycle::{Action, Status};
use crate::error::AppResult;

/// Devices the organisation lost, written off through the booking; or devices found again.
#[derive(Debug, Clone, Validate)]
pub struct WriteOffRequest {
    /// Asset tags (or device ids, or label URLs) of devices out with this booking.
    #[validate(length(min = 1, max = 1000, message = "name at least one device"))]
    pub asset_tags: Vec<String>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
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
    id: &BookingId,
    req: WriteOffRequest,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    req.validate()?;
    let mut b = lock_out(conn, caller, id, BookingAction::WriteOff)?;
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
    id: &BookingId,
    req: WriteOffRequest,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    req.validate()?;
    let b = lock(conn, caller, id)?;
    states::next(&b, BookingAction::Found)?;
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
        if row.status == Status::Lost {
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
