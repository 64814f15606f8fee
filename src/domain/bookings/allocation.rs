//! Allocation: choosing free pool devices for a booking's lines over its days (specific
//! devices first, then the most specific lines), and confirming a booking with them. The free
//! days are `availability`'s; the rule that no device is promised twice is `commitments`'.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::states::{self, BookingAction};
use super::{detail_of, lines_of, lock, lock_pool, save_status, AllocationState, BookingDetail};
use crate::auth::{Caller, Perm};
use crate::db::models::{BookingDeviceRow, BookingLineRow, BookingRow, DeviceRow};
use crate::db::schema::{booking_devices, bookings, devices};
use crate::db::{now, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::availability::{self, fits, Calendar, Rules};
use crate::domain::commitments;
use crate::domain::devices::DeviceKind;
use crate::domain::ids::BookingId;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;

/// A kind that could not be allocated in full.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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

pub(super) fn conflict_of(
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

pub(super) fn refuse_conflicts(
    from: NaiveDate,
    until: NaiveDate,
    conflicts: Vec<DeviceConflict>,
) -> AppError {
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
pub(super) struct Plan {
    pub chosen: Vec<(DeviceRow, i32)>,
    pub got: HashMap<i32, i64>,
    pub shortages: Vec<Shortage>,
    pub unavailable: Vec<DeviceConflict>,
}

/// Chooses free devices for `lines` over the booking's days, leaving out `taken` (devices the
/// booking already holds), without writing anything.
pub(super) fn plan(
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
pub(super) fn allocate(
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

pub(super) fn insert_allocations(
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

/// Confirms a requested booking and allocates its devices, or fails whole with 409 and the
/// shortages per kind.
pub fn confirm(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    id: &BookingId,
) -> AppResult<BookingDetail> {
    caller.require(Perm::ManageBookings)?;
    lock_pool(conn)?;
    let mut b = lock(conn, caller, id)?;
    let to = states::next(&b, BookingAction::Confirm)?;
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
    b.status = to;
    b.confirmed_by = Some(caller.user_id.clone());
    b.confirmed_at = Some(now());
    save_status(conn, &mut b)?;
    detail_of(conn, rules, b)
}
