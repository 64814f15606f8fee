//! Lifecycle actions on a device: every status change goes through [`transition`], which
//! asks the table (`crate::domain::lifecycle`) and the record-based guards
//! (`crate::domain::guards`), then appends the event.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::history::{append_event, EventAction};
use super::lookup::lock;
use crate::auth::{policy, Caller, Perm};
use crate::db::models::{DeviceEventRow, DeviceRow};
use crate::db::schema::devices;
use crate::db::{now, DbConn};
use crate::domain::lifecycle::{self, Action, Status};
use crate::domain::refusal;
use crate::error::AppResult;

/// Applies a lifecycle action to a locked device row: checks the table, updates the status
/// and appends the event. Guards that depend on other records (wipes, refurbishment) are
/// checked by `crate::domain::guards` before the change.
pub fn transition(
    conn: &mut DbConn,
    actor: &Caller,
    d: &mut DeviceRow,
    action: Action,
    detail: Value,
) -> AppResult<DeviceEventRow> {
    let to = lifecycle::next(&d.asset_tag, d.status, action)?;
    crate::domain::guards::check(conn, d, action, to)?;
    let before = d.status;
    let at = now();
    d.status = to;
    d.version += 1;
    d.updated_at = at;
    diesel::update(devices::table.find(&d.id))
        .set((
            devices::status.eq(d.status),
            devices::version.eq(d.version),
            devices::updated_at.eq(at),
            devices::holder_organisation_id.eq(&d.holder_organisation_id),
        ))
        .execute(conn)?;
    append_event(
        conn,
        &d.id,
        Some(&actor.user_id),
        EventAction::Lifecycle(action),
        Some(before),
        to,
        detail,
        at,
    )
}

/// The actions `caller` can take on `d` through the action endpoint now: allowed from its
/// status by the table, not performed through loans or bookings, allowed to the caller's role,
/// and not the no-wipe shortcut for a device that stores data. (Actions that still wait for a
/// record, such as `wipe` before the wipe records are in, stay listed as the next steps.)
pub fn available_actions(
    conn: &mut DbConn,
    caller: &Caller,
    d: &DeviceRow,
) -> AppResult<Vec<Action>> {
    if matches!(d.status, Status::OnLoan | Status::BookedOut) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for action in lifecycle::allowed_actions(d.status) {
        if !action.is_internal()
            && policy::allows_action(caller.role, action)
            && !crate::domain::guards::skips_a_needed_wipe(conn, d, action)?
        {
            out.push(action);
        }
    }
    Ok(out)
}

/// A generic lifecycle action from the action endpoint.
pub fn act(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    action: Action,
    note: Option<String>,
) -> AppResult<DeviceRow> {
    caller.require(Perm::ActOnDevices)?;
    let mut d = lock(conn, caller, id)?;
    if action.is_internal() {
        return Err(refusal::conflict(
            refusal::RefusalCode::ThroughLoansOrBookings,
            format!(
                "The action {action} is performed through loans or bookings, so that the loan or booking is recorded with it."
            ),
            json!({ "current_status": d.status, "allowed_actions": lifecycle::allowed_actions(d.status) }),
        ));
    }
    if matches!(d.status, Status::OnLoan | Status::BookedOut) {
        return Err(refusal::conflict(
            refusal::RefusalCode::HandedOut,
            format!(
                "Device {} is {}; record its return, loss or sale through its loan or booking.",
                d.asset_tag, d.status
            ),
            json!({ "current_status": d.status, "allowed_actions": lifecycle::allowed_actions(d.status) }),
        ));
    }
    caller.require_action(action)?;
    transition(conn, caller, &mut d, action, json!({ "note": note }))?;
    Ok(d)
}
