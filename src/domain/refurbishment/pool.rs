//! Resetting pool devices back from a booking: the lending service's own factory reset (a
//! cryptographic erase), recorded as a passed wipe, then the release to `ready`.

use chrono::{DateTime, Utc};
use serde_json::json;
use validator::Validate;

use super::batch::for_each_device;
use super::wipes::{wipe_body_errors, wipe_locked, NewWipe};
use super::{Verification, WipeCategory, WipeOutcome, WipeTechnique};
use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceRow, DriveRow};
use crate::db::DbConn;
use crate::domain::devices::{self as dev, last_event, DriveType};
use crate::domain::lifecycle::{Action, Status};
use crate::error::{AppError, AppResult, FieldError};

/// The reset of pool devices back from a booking: a factory reset with encryption on (a
/// cryptographic erase, NIST SP 800-88 purge) or the tool's crypto-erase, done by the lending
/// service itself.
#[derive(Debug, Clone, Validate)]
pub struct PoolReset {
    /// The scanned asset tags (or ids) of the devices reset.
    pub asset_tags: Vec<String>,
    /// `factory_reset` or `crypto_erase`.
    pub technique: WipeTechnique,
    /// `purge` (a reset with encryption on) or `clear`.
    pub category: WipeCategory,
    /// Default "factory reset (built-in)".
    #[validate(length(min = 1, max = 100))]
    pub tool: Option<String>,
    /// Default "n/a".
    #[validate(length(min = 1, max = 50))]
    pub tool_version: Option<String>,
    pub verified: bool,
    pub verification_method: Verification,
    /// Default: now.
    pub started_at: Option<DateTime<Utc>>,
    /// Default: now.
    pub ended_at: Option<DateTime<Utc>>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Records the reset of each device (one passed wipe per drive, or of its built-in storage;
/// nothing for a device without storage) and releases it to `ready`, all or nothing. Lending
/// staff, admins and refurbishers (for their workshop's devices) may do it; only devices back
/// from a booking qualify (a device back from a person goes through the workshop).
pub fn reset_pool_devices(
    conn: &mut DbConn,
    caller: &Caller,
    r: PoolReset,
) -> AppResult<Vec<DeviceRow>> {
    caller.require(Perm::ResetPoolDevices)?;
    let now_utc = Utc::now();
    let body = NewWipe {
        drive_id: None,
        category: r.category,
        technique: r.technique,
        tool: r
            .tool
            .clone()
            .unwrap_or_else(|| "factory reset (built-in)".into()),
        tool_version: r.tool_version.clone().unwrap_or_else(|| "n/a".into()),
        drive_type: None,
        drive_serial: None,
        capacity_gb: None,
        passes: 1,
        verified: r.verified,
        verification_method: r.verification_method,
        verified_by: None,
        outcome: WipeOutcome::Passed,
        started_at: r.started_at.or(r.ended_at).unwrap_or(now_utc),
        ended_at: r.ended_at.unwrap_or(now_utc),
        report_file_name: None,
        report_sha256: None,
        note: r.note.clone(),
    };
    let mut errors = match r.validate() {
        Ok(()) => Vec::new(),
        Err(e) => crate::error::flatten_validation("", &e),
    };
    errors.extend(wipe_body_errors(&body));
    if !matches!(
        r.technique,
        WipeTechnique::FactoryReset | WipeTechnique::CryptoErase
    ) {
        errors.push(FieldError::new(
            "technique",
            "a pool reset is a factory_reset or a crypto_erase; other wipes are recorded by the workshop",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    for_each_device(conn, caller, "asset_tags", &r.asset_tags, |conn, d| {
        if d.status != Status::Returned {
            return Err(AppError::conflict_with(
                format!(
                    "Device {} is {}; only a device back from a booking (returned) can be reset here.",
                    d.asset_tag, d.status
                ),
                json!({ "current_status": d.status }),
            ));
        }
        if matches!(
            last_event(conn, d, &[Action::Lend, Action::BookOut])?,
            Some((Action::Lend, _))
        ) {
            return Err(AppError::conflict_with(
                format!(
                    "Device {} came back from a loan to a person; it goes through the workshop (wipe and refurbish).",
                    d.asset_tag
                ),
                json!({ "current_status": d.status }),
            ));
        }
        let device_drives = super::drives_of(conn, d)?;
        if crate::domain::guards::has_storage(d.kind, d.subtype.as_deref(), device_drives.len()) {
            let targets: Vec<Option<&DriveRow>> = if device_drives.is_empty() {
                vec![None]
            } else {
                device_drives.iter().map(Some).collect()
            };
            for drive in targets {
                let w = NewWipe {
                    drive_id: drive.and_then(|x| uuid::Uuid::parse_str(&x.id).ok()),
                    drive_type: Some(drive.map(|x| x.drive_type).unwrap_or(DriveType::Flash)),
                    ..body.clone()
                };
                wipe_locked(conn, caller, d, &w, Vec::new())?;
            }
        }
        dev::transition(
            conn,
            caller,
            d,
            Action::Release,
            json!({ "reset": r.technique, "note": r.note }),
        )?;
        Ok(d.clone())
    })
}
