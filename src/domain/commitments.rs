//! The allocation rule: no device is ever promised twice.
//!
//! A device is *committed* when it is on an open loan to a person (a draft or an active loan,
//! device not yet returned) or when it holds a live booking allocation (allocated or picked up,
//! for its occupied days). The rule, which every loan and booking change goes through here:
//!
//! - **Pool devices are for bookings only.** A loan (draft or signing) of a device with
//!   `in_pool = true` is refused.
//! - **Putting a device into the pool** is refused while it is on an open loan; **taking it out**
//!   is refused while it holds a live booking allocation.
//! - A loan is refused for a device that holds a live booking allocation (whatever its pool
//!   flag), and planning a booking leaves out every device on an open loan.
//! - Between loans, the first signing wins (signing needs a `ready` device).
//! - Between bookings, no device is in two live allocations over overlapping days (the checks
//!   are in `availability::Calendar`, called by `bookings` under the same lock).
//!
//! Every refusal is a 409 naming what holds the device: the booking (reference), the loan
//! (number), or the pool.
//!
//! Concurrency: every change of a commitment first takes the pool lock (PostgreSQL: one
//! transaction-level advisory lock shared by every server on the database; SQLite: the write
//! transaction's `BEGIN IMMEDIATE` already excludes other writers), then locks the device rows
//! it touches in ascending id order, then re-reads and checks. So two requests on the same
//! device, on one server or two, run one after the other, and never wait on each other in a
//! circle.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::db::models::DeviceRow;
use crate::db::schema::{booking_devices, bookings, devices, loan_devices, loans};
use crate::db::DbConn;
use crate::domain::bookings::AllocationState;
use crate::domain::loans::{LoanDeviceStatus, LoanStatus};
use crate::error::{AppError, AppResult};

/// The key of the PostgreSQL advisory lock that serialises changes to commitments.
pub const POOL_LOCK_KEY: i64 = 0x6469_6769_6c65_6e64; // "digilend"

/// Serialises commitment changes across transactions and server processes. Take it before
/// locking any device or booking row.
pub fn lock_pool(conn: &mut DbConn) -> AppResult<()> {
    match conn {
        DbConn::Postgres(c) => {
            diesel::sql_query(format!("SELECT pg_advisory_xact_lock({POOL_LOCK_KEY})"))
                .execute(c)?;
        }
        // The write transaction began with BEGIN IMMEDIATE: it already excludes other writers.
        DbConn::Sqlite(_) => {}
    }
    Ok(())
}

/// Locks these device rows in ascending id order (after [`lock_pool`]) and returns them in
/// that order; ids that name no device are left out.
pub fn lock_devices(conn: &mut DbConn, ids: &[String]) -> AppResult<Vec<DeviceRow>> {
    let mut sorted: Vec<&String> = ids.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut out = Vec::with_capacity(sorted.len());
    for id in sorted {
        let row: Option<DeviceRow> =
            crate::locked_first!(conn, devices::table.find(id).select(DeviceRow::as_select()))
                .optional()?;
        out.extend(row);
    }
    Ok(out)
}

/// The open loan (number) that holds each of these devices: a draft or active loan whose
/// device is pending or on loan.
pub fn loan_holders(
    conn: &mut DbConn,
    device_ids: &[String],
) -> AppResult<HashMap<String, String>> {
    let mut out = HashMap::new();
    for chunk in device_ids.chunks(500) {
        let rows: Vec<(String, String)> = loan_devices::table
            .inner_join(loans::table)
            .filter(loan_devices::device_id.eq_any(chunk))
            .filter(loans::status.eq_any([LoanStatus::Draft, LoanStatus::Active]))
            .filter(
                loan_devices::status.eq_any([LoanDeviceStatus::Pending, LoanDeviceStatus::OnLoan]),
            )
            .select((loan_devices::device_id, loans::number))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// The booking (reference) holding each of these devices with a live allocation (allocated or
/// picked up) that runs on or after `from` (any day when `None`).
pub fn booking_holders(
    conn: &mut DbConn,
    device_ids: &[String],
    from: Option<NaiveDate>,
) -> AppResult<HashMap<String, String>> {
    let mut out = HashMap::new();
    for chunk in device_ids.chunks(500) {
        let mut q = booking_devices::table
            .inner_join(bookings::table)
            .filter(booking_devices::device_id.eq_any(chunk))
            .filter(
                booking_devices::state
                    .eq_any([AllocationState::Allocated, AllocationState::PickedUp]),
            )
            .select((booking_devices::device_id, bookings::reference))
            .into_boxed();
        if let Some(from) = from {
            q = q.filter(booking_devices::occupied_until.ge(from));
        }
        let rows: Vec<(String, String)> = q.load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// One device a loan may not take, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Held {
    pub device_id: String,
    pub asset_tag: String,
    /// The device is in the booking pool (for bookings only).
    pub pool_device: bool,
    /// The booking holding it, if any.
    pub booking_reference: Option<String>,
    /// The other open loan holding it, if any.
    pub loan_number: Option<String>,
}

fn describe(h: &Held) -> String {
    let mut why = Vec::new();
    if let Some(r) = &h.booking_reference {
        why.push(format!("allocated to booking {r}"));
    }
    if let Some(n) = &h.loan_number {
        why.push(format!("on loan {n}"));
    }
    if h.pool_device {
        why.push("a pool device (pool devices are for bookings only)".into());
    }
    format!("{} is {}", h.asset_tag, why.join(" and "))
}

fn refuse_held(held: Vec<Held>, what: &str) -> AppError {
    let first = held.first().cloned();
    AppError::conflict_with(
        format!(
            "{what}: {}. Nothing was changed.",
            held.iter().map(describe).collect::<Vec<_>>().join("; ")
        ),
        json!({
            "device_id": first.as_ref().map(|h| h.device_id.clone()),
            "asset_tag": first.as_ref().map(|h| h.asset_tag.clone()),
            "booking_reference": first.as_ref().and_then(|h| h.booking_reference.clone()),
            "loan_number": first.as_ref().and_then(|h| h.loan_number.clone()),
            "pool_device": first.as_ref().map(|h| h.pool_device),
            "held": held,
        }),
    )
}

/// Checks that these (locked) devices may be committed to a loan from `from`: none is a pool
/// device or holds a booking allocation. (Between loans, the first signing wins: signing needs
/// a `ready` device, and drafts of the same device may exist side by side until then.)
pub fn check_loan(conn: &mut DbConn, devs: &[DeviceRow], from: NaiveDate) -> AppResult<()> {
    let ids: Vec<String> = devs.iter().map(|d| d.id.clone()).collect();
    let booked = booking_holders(conn, &ids, Some(from))?;
    let held: Vec<Held> = devs
        .iter()
        .filter(|d| d.in_pool || booked.contains_key(&d.id))
        .map(|d| Held {
            device_id: d.id.clone(),
            asset_tag: d.asset_tag.clone(),
            pool_device: d.in_pool,
            booking_reference: booked.get(&d.id).cloned(),
            loan_number: None,
        })
        .collect();
    if held.is_empty() {
        Ok(())
    } else {
        Err(refuse_held(
            held,
            "These devices cannot be lent to a person",
        ))
    }
}

/// Checks a change of a (locked) device's pool flag: into the pool only when no open loan
/// holds it, out of the pool only when no live booking allocation holds it.
pub fn check_pool_change(conn: &mut DbConn, d: &DeviceRow, in_pool: bool) -> AppResult<()> {
    if in_pool == d.in_pool {
        return Ok(());
    }
    let ids = [d.id.clone()];
    let held = if in_pool {
        loan_holders(conn, &ids)?.remove(&d.id).map(|n| Held {
            device_id: d.id.clone(),
            asset_tag: d.asset_tag.clone(),
            pool_device: false,
            booking_reference: None,
            loan_number: Some(n),
        })
    } else {
        booking_holders(conn, &ids, None)?
            .remove(&d.id)
            .map(|r| Held {
                device_id: d.id.clone(),
                asset_tag: d.asset_tag.clone(),
                pool_device: false,
                booking_reference: Some(r),
                loan_number: None,
            })
    };
    match held {
        None => Ok(()),
        Some(h) => Err(refuse_held(
            vec![h],
            if in_pool {
                "The device cannot join the booking pool while it is on an open loan"
            } else {
                "The device cannot leave the booking pool while a booking holds it"
            },
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Coming back: a device returned from a loan or a booking is held by its owner again (or by
// the workshop it is assigned to, when it goes to repair), never by the last borrower; a
// device that came back damaged or without all its accessories goes to the repair queue
// (`in_repair`) instead of waiting to be made ready again; the accessories that came back are
// recorded on the device.

/// What a return found about one device.
#[derive(Debug, Clone, Default)]
pub struct ReturnFindings {
    /// Why the device must be inspected or repaired (damage, missing accessories); empty when
    /// it came back complete and in good order.
    pub problems: Vec<String>,
    /// The accessories that came back, as recorded on the device.
    pub accessories_back: Option<String>,
}

/// Splits a free-text accessory list ("charger, pen; case") into trimmed items.
pub fn accessory_items(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The items of `all` that are not in `missing` (compared without case).
pub fn accessories_without(all: &[String], missing: &[String]) -> Vec<String> {
    all.iter()
        .filter(|a| !missing.iter().any(|m| m.eq_ignore_ascii_case(a)))
        .cloned()
        .collect()
}

/// Checks a (locked) device in from a loan or a booking: `on_loan | booked_out → returned`,
/// held by its owner; then, if the return found problems, `returned → in_repair`, held by its
/// workshop (or its owner when none is assigned). Records the accessories that came back.
/// Returns the check-in event (to keep personal text beside it).
pub fn check_in(
    conn: &mut DbConn,
    caller: &crate::auth::Caller,
    d: &mut DeviceRow,
    detail: serde_json::Value,
    findings: &ReturnFindings,
) -> AppResult<crate::db::models::DeviceEventRow> {
    use crate::domain::devices::transition;
    use crate::domain::lifecycle::Action;
    d.holder_organisation_id = Some(d.owner_organisation_id.clone());
    let event = transition(conn, caller, d, Action::CheckIn, detail)?;
    if !findings.problems.is_empty() {
        d.holder_organisation_id = d
            .workshop_id
            .clone()
            .or_else(|| Some(d.owner_organisation_id.clone()));
        transition(
            conn,
            caller,
            d,
            Action::SendToRepair,
            json!({ "reasons": findings.problems, "automatic": "returned with problems" }),
        )?;
    }
    d.accessories_back = findings.accessories_back.clone();
    diesel::update(devices::table.find(&d.id))
        .set(devices::accessories_back.eq(&d.accessories_back))
        .execute(conn)?;
    Ok(event)
}
