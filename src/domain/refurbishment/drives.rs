//! The storage drives of a device: created at registration, added when found, read.

use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::on_the_bench;
use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceRow, DriveRow};
use crate::db::schema::drives;
use crate::db::{now, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::devices::{self as dev, append_event, EventAction, Lookup};
use crate::error::AppResult;

/// Creates the drive rows for devices registered with `specs.drives`.
pub fn insert_drives(conn: &mut DbConn, registered: &[DeviceRow]) -> AppResult<()> {
    let rows: Vec<DriveRow> = registered
        .iter()
        .flat_map(|device| {
            dev::parse_specs(device)
                .drives
                .into_iter()
                .enumerate()
                .map(move |(i, d)| DriveRow {
                    id: new_id(),
                    device_id: device.id.clone(),
                    position: i32::try_from(i + 1).unwrap_or(i32::MAX),
                    drive_type: d.drive_type,
                    capacity_gb: i32::try_from(d.size_gb).unwrap_or(i32::MAX),
                    serial: d.serial,
                    created_at: device.created_at,
                })
        })
        .collect();
    for chunk in rows.chunks(1000) {
        crate::on_backend!(conn, c => diesel::insert_into(drives::table).values(chunk).execute(c))?;
    }
    Ok(())
}

/// The drives of a device, in their order.
pub fn drives_of(conn: &mut DbConn, device: &DeviceRow) -> AppResult<Vec<DriveRow>> {
    Ok(drives::table
        .filter(drives::device_id.eq(&device.id))
        .order(drives::position.asc())
        .select(DriveRow::as_select())
        .load(conn)?)
}

/// Adds a drive found in a device (a second disk, a replacement).
pub fn add_drive(
    conn: &mut DbConn,
    caller: &Caller,
    device_id: &str,
    drive: dev::Drive,
) -> AppResult<DriveRow> {
    caller.require(Perm::RecordRefurbishment)?;
    drive.validate()?;
    let d = dev::lock(conn, caller, device_id)?;
    on_the_bench(&d, "a drive")?;
    let at = now();
    let last: Option<i32> = drives::table
        .filter(drives::device_id.eq(&d.id))
        .select(diesel::dsl::max(drives::position))
        .first(conn)?;
    let row = DriveRow {
        id: new_id(),
        device_id: d.id.clone(),
        position: last.unwrap_or(0) + 1,
        drive_type: drive.drive_type,
        capacity_gb: i32::try_from(drive.size_gb).unwrap_or(i32::MAX),
        serial: drive.serial,
        created_at: at,
    };
    diesel::insert_into(drives::table)
        .values(&row)
        .execute(conn)?;
    append_event(
        conn,
        &d.id,
        Some(&caller.user_id),
        EventAction::DriveAdded,
        Some(d.status),
        d.status,
        json!({ "drive_id": row.id, "type": row.drive_type, "capacity_gb": row.capacity_gb }),
        at,
    )?;
    Ok(row)
}

/// The drives of a device the caller can see (named by id, asset tag or label URL).
pub fn device_drives(conn: &mut DbConn, caller: &Caller, device: &str) -> AppResult<Vec<DriveRow>> {
    caller.require(Perm::ReadDevices)?;
    let d = dev::find(conn, caller, Lookup::Id(device))?;
    drives_of(conn, &d)
}
