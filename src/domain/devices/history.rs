//! The append-only history of a device: what happened (an [`EventAction`]), when, by whom,
//! and the status before and after. The row stores the action's name; this module converts at
//! that boundary, so the rest of the code compares `Action`s, never strings.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{json, Value};

use super::lookup::{find, Lookup};
use crate::auth::{visibility, Caller};
use crate::db::models::{DeviceEventRow, DeviceRow};
use crate::db::schema::{bookings, device_events, loans};
use crate::db::DbConn;
use crate::domain::accounts::new_id;
use crate::domain::lifecycle::{Action, Status};
use crate::error::{AppError, AppResult};

/// What a history event records: a lifecycle action (the status may change), or a change
/// that keeps the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventAction {
    /// The device came in (the first event).
    Registered,
    /// Fields were edited.
    Edited,
    /// Assigned to a workshop.
    Assigned,
    /// A drive was found in it.
    DriveAdded,
    /// A wipe record was added.
    WipeRecorded,
    /// A refurbishment record was added.
    RefurbishmentRecorded,
    /// A step of the lifecycle.
    Lifecycle(Action),
}

impl EventAction {
    const OTHERS: [(EventAction, &'static str); 6] = [
        (EventAction::Registered, "registered"),
        (EventAction::Edited, "edited"),
        (EventAction::Assigned, "assigned"),
        (EventAction::DriveAdded, "drive_added"),
        (EventAction::WipeRecorded, "wipe_recorded"),
        (EventAction::RefurbishmentRecorded, "refurbishment_recorded"),
    ];

    /// The name stored in the row and shown in the history.
    pub fn as_str(self) -> &'static str {
        match self {
            EventAction::Lifecycle(a) => a.as_str(),
            other => Self::OTHERS
                .iter()
                .find(|(e, _)| *e == other)
                .map_or("", |(_, name)| name),
        }
    }

    /// The action a stored name stands for, if any.
    pub fn parse(name: &str) -> Option<EventAction> {
        Self::OTHERS
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(e, _)| *e)
            .or_else(|| name.parse().ok().map(EventAction::Lifecycle))
    }
}

impl From<Action> for EventAction {
    fn from(a: Action) -> Self {
        EventAction::Lifecycle(a)
    }
}

/// Appends one event to a device's history. The caller holds the device's row lock (or
/// SQLite's write lock), so the next sequence number cannot be taken twice; the unique index
/// on (device, seq) guards it anyway.
#[allow(clippy::too_many_arguments)]
pub fn append_event(
    conn: &mut DbConn,
    device_id: &str,
    actor: Option<&str>,
    action: EventAction,
    before: Option<Status>,
    after: Status,
    detail: Value,
    at: NaiveDateTime,
) -> AppResult<DeviceEventRow> {
    let last: Option<i32> = device_events::table
        .filter(device_events::device_id.eq(device_id))
        .select(diesel::dsl::max(device_events::seq))
        .first(conn)?;
    let row = DeviceEventRow {
        id: new_id(),
        device_id: device_id.to_string(),
        seq: last.unwrap_or(0) + 1,
        at,
        actor_user_id: actor.map(str::to_string),
        action: action.as_str().to_string(),
        status_before: before,
        status_after: after,
        detail: detail.to_string(),
    };
    diesel::insert_into(device_events::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

/// The last time the device came back into our hands from someone else: its registration
/// (donation), a check-in from a loan or booking, or being found after loss.
pub fn last_handback(conn: &mut DbConn, device: &DeviceRow) -> AppResult<NaiveDateTime> {
    let at: Option<NaiveDateTime> = device_events::table
        .filter(device_events::device_id.eq(&device.id))
        .filter(device_events::action.eq_any(HANDBACKS.map(EventAction::as_str)))
        .select(diesel::dsl::max(device_events::at))
        .first(conn)?;
    at.ok_or_else(|| AppError::internal("device without a registration event"))
}

/// The events that put a device back into our hands (see [`last_handback`]).
const HANDBACKS: [EventAction; 3] = [
    EventAction::Registered,
    EventAction::Lifecycle(Action::CheckIn),
    EventAction::Lifecycle(Action::Found),
];

/// [`last_handback`] of many devices in one query, by device id.
pub fn last_handbacks(
    conn: &mut DbConn,
    devices: &[&DeviceRow],
) -> AppResult<HashMap<String, NaiveDateTime>> {
    let ids: Vec<&str> = devices.iter().map(|d| d.id.as_str()).collect();
    let found: Vec<(String, Option<NaiveDateTime>)> = device_events::table
        .filter(device_events::device_id.eq_any(&ids))
        .filter(device_events::action.eq_any(HANDBACKS.map(EventAction::as_str)))
        .group_by(device_events::device_id)
        .select((
            device_events::device_id,
            diesel::dsl::max(device_events::at),
        ))
        .load(conn)?;
    let found: HashMap<String, NaiveDateTime> = found
        .into_iter()
        .filter_map(|(id, at)| at.map(|at| (id, at)))
        .collect();
    if ids.iter().any(|id| !found.contains_key(*id)) {
        return Err(AppError::internal("device without a registration event"));
    }
    Ok(found)
}

/// The last of these lifecycle actions taken on the device, and when.
pub fn last_event(
    conn: &mut DbConn,
    device: &DeviceRow,
    actions: &[Action],
) -> AppResult<Option<(Action, NaiveDateTime)>> {
    let names: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
    let found: Option<(String, NaiveDateTime)> = device_events::table
        .filter(device_events::device_id.eq(&device.id))
        .filter(device_events::action.eq_any(names))
        .order(device_events::seq.desc())
        .select((device_events::action, device_events::at))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(name, at)| name.parse::<Action>().ok().map(|a| (a, at))))
}

/// The complete history of a device, oldest first, as the caller may see it: the personal
/// text kept beside an event is merged into its detail, and the detail of a loan or booking
/// event the caller may not read is replaced by `{"redacted": true}` (the action and statuses
/// still show that the device was lent and came back).
pub fn history(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<Vec<DeviceEventRow>> {
    let d = find(conn, caller, Lookup::Id(id))?;
    let mut rows: Vec<DeviceEventRow> = device_events::table
        .filter(device_events::device_id.eq(&d.id))
        .order(device_events::seq.asc())
        .select(DeviceEventRow::as_select())
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut notes: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for n in crate::domain::personal_notes::of_events(conn, &ids)? {
        notes.entry(n.event_id).or_default().push((n.name, n.text));
    }
    let details: Vec<Value> = rows
        .iter()
        .map(|r| serde_json::from_str(&r.detail).unwrap_or(Value::Null))
        .collect();
    let referenced = |key: &str| -> Vec<String> {
        let mut v: Vec<String> = details
            .iter()
            .filter_map(|d| d.get(key).and_then(Value::as_str).map(str::to_string))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let loan_ids = referenced("loan_id");
    let booking_ids = referenced("booking_id");
    let loan_orgs: HashMap<String, String> = loans::table
        .filter(loans::id.eq_any(&loan_ids))
        .select((loans::id, loans::organisation_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let booking_orgs: HashMap<String, String> = bookings::table
        .filter(bookings::id.eq_any(&booking_ids))
        .select((bookings::id, bookings::organisation_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    for (row, mut detail) in rows.iter_mut().zip(details) {
        let org_of = |map: &HashMap<String, String>, key: &str| {
            let id = detail.get(key).and_then(Value::as_str)?;
            Some(map.get(id).cloned().unwrap_or_default())
        };
        let owner = if let Some(organisation_id) = org_of(&loan_orgs, "loan_id") {
            visibility::EventOwner::Loan { organisation_id }
        } else if let Some(organisation_id) = org_of(&booking_orgs, "booking_id") {
            visibility::EventOwner::Booking { organisation_id }
        } else {
            visibility::EventOwner::None
        };
        if !visibility::event_detail(caller, &owner) {
            row.detail = json!({ "redacted": true }).to_string();
            row.actor_user_id = None;
            continue;
        }
        if let (Some(texts), Value::Object(map)) = (notes.remove(&row.id), &mut detail) {
            for (name, text) in texts {
                map.insert(name, Value::String(text));
            }
            row.detail = detail.to_string();
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_action_reads_back_from_its_stored_name() {
        let mut all: Vec<EventAction> = EventAction::OTHERS.iter().map(|(e, _)| *e).collect();
        all.extend(Action::ALL.iter().map(|a| EventAction::Lifecycle(*a)));
        for e in all {
            assert_eq!(EventAction::parse(e.as_str()), Some(e), "{}", e.as_str());
        }
        assert_eq!(EventAction::parse("wipe"), Some(Action::Wipe.into()));
        assert_eq!(EventAction::parse("unknown"), None);
    }
}
