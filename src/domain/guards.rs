//! Rules that a lifecycle transition must satisfy beyond the transition table, because they
//! depend on other records (wipe records, refurbishment records).

use crate::db::models::DeviceRow;
use crate::db::DbConn;
use crate::domain::lifecycle::{Action, Status};
use crate::error::AppResult;

/// Checks the record-based rules for moving `device` by `action` to `to`.
pub fn check(
    _conn: &mut DbConn,
    _device: &DeviceRow,
    _action: Action,
    _to: Status,
) -> AppResult<()> {
    Ok(())
}
