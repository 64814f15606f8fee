//! Wipe records (NIST SP 800-88): one drive (or the built-in storage) of one device, or the
//! same wipe for many scanned devices at once; and whether a device's storage is covered by
//! passed wipes since it last came back.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::batch::for_each_device;
use super::{
    on_the_bench, technician_name, workshop_for, Verification, WipeCategory, WipeOutcome,
    WipeTechnique,
};
use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceRow, DriveRow, WipeRow};
use crate::db::schema::wipe_records;
use crate::db::{now, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::devices::{self as dev, append_event, DriveType, EventAction, Lookup};
use crate::domain::limits;
use crate::domain::refusal::{self, RefusalCode as Code};
use crate::error::{AppError, AppResult, FieldError};

/// The categories a technique may be recorded under (NIST SP 800-88; REFERENCE.md).
pub fn categories_for(t: WipeTechnique) -> &'static [WipeCategory] {
    use WipeCategory::*;
    match t {
        WipeTechnique::Overwrite => &[Clear, Purge],
        WipeTechnique::BlockErase
        | WipeTechnique::CryptoErase
        | WipeTechnique::FirmwareSecureErase => &[Purge],
        WipeTechnique::FactoryReset => &[Clear, Purge],
        WipeTechnique::PhysicalDestruction => &[Destroy],
    }
}

fn is_flash(t: DriveType) -> bool {
    matches!(
        t,
        DriveType::Ssd | DriveType::Nvme | DriveType::Emmc | DriveType::Flash
    )
}

/// A wipe of one drive, or of the device's built-in storage when `drive_id` is absent.
#[derive(Debug, Clone, Validate)]
pub struct NewWipe {
    /// The drive wiped; may be left out when the device has one drive (that one is meant) or
    /// none (its built-in storage).
    pub drive_id: Option<uuid::Uuid>,
    pub category: WipeCategory,
    pub technique: WipeTechnique,
    #[validate(length(min = 1, max = 100, message = "is required (1 to 100 characters)"))]
    pub tool: String,
    #[validate(length(min = 1, max = 50, message = "is required (1 to 50 characters)"))]
    pub tool_version: String,
    /// Type of the medium; taken from the drive when `drive_id` is given.
    pub drive_type: Option<DriveType>,
    #[validate(length(max = 100))]
    pub drive_serial: Option<String>,
    #[validate(range(min = 1, max = 1_000_000))]
    pub capacity_gb: Option<i32>,
    #[validate(range(min = 0, max = 100))]
    pub passes: i32,
    pub verified: bool,
    pub verification_method: Verification,
    /// Who verified the result (NIST SP 800-88's "validated by"); printed on the certificate.
    #[validate(length(min = 1, max = 100))]
    pub verified_by: Option<String>,
    pub outcome: WipeOutcome,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    /// File name of the tool's own report (nwipe log, Blancco report).
    #[validate(length(min = 1, max = 255))]
    pub report_file_name: Option<String>,
    /// SHA-256 of that report, 64 hexadecimal characters.
    pub report_sha256: Option<String>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    use chrono::SubsecRound;
    t.naive_utc().trunc_subsecs(6)
}

/// Problems of a wipe record that do not depend on the device.
pub(super) fn wipe_body_errors(w: &NewWipe) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = match w.validate() {
        Ok(()) => Vec::new(),
        Err(e) => crate::error::flatten_validation("", &e),
    };
    if !categories_for(w.technique).contains(&w.category) {
        errors.push(refusal::field(
            "category",
            Code::CategoryNotForTechnique,
            format!(
                "{} cannot be recorded as {} (NIST SP 800-88)",
                w.technique, w.category
            ),
        ));
    }
    if w.technique == WipeTechnique::Overwrite && w.passes < 1 {
        errors.push(refusal::field(
            "passes",
            Code::PassesRequired,
            "an overwrite needs at least one pass",
        ));
    }
    for (field, at) in [("started_at", w.started_at), ("ended_at", w.ended_at)] {
        if let Some(problem) = limits::moment_problem(at) {
            errors.push(refusal::field(field, Code::MomentOutOfRange, problem));
        }
    }
    if w.ended_at < w.started_at {
        errors.push(refusal::field(
            "ended_at",
            Code::EndedBeforeStarted,
            "is before started_at",
        ));
    }
    if w.verified == (w.verification_method == Verification::None) {
        errors.push(refusal::field(
            "verification_method",
            Code::VerificationMismatch,
            "must be sample or full when verified, none when not",
        ));
    }
    if let Some(h) = &w.report_sha256 {
        if h.len() != 64 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
            errors.push(FieldError::new(
                "report_sha256",
                "must be 64 hexadecimal characters",
            ));
        }
    }
    errors
}

/// The drive a wipe is for: the one named, else the device's only drive, else (no drives) the
/// built-in storage (`None`). A device with several drives must name one.
fn wipe_target(
    device_drives: &[DriveRow],
    drive_id: Option<uuid::Uuid>,
    errors: &mut Vec<FieldError>,
) -> Option<DriveRow> {
    match (drive_id, device_drives) {
        (Some(id), _) => {
            let id = id.to_string();
            let found = device_drives.iter().find(|x| x.id == id).cloned();
            if found.is_none() {
                errors.push(refusal::field(
                    "drive_id",
                    Code::NotADrive,
                    "is not a drive of this device",
                ));
            }
            found
        }
        (None, []) => None,
        (None, [only]) => Some(only.clone()),
        (None, many) => {
            errors.push(refusal::field(
                "drive_id",
                Code::WhichDrive,
                format!(
                    "this device has {} drives; say which one was wiped",
                    many.len()
                ),
            ));
            None
        }
    }
}

/// Records one wipe.
pub fn record_wipe(
    conn: &mut DbConn,
    caller: &Caller,
    device_id: &str,
    w: NewWipe,
) -> AppResult<WipeRow> {
    caller.require(Perm::RecordRefurbishment)?;
    let d = dev::lock(conn, caller, device_id)?;
    on_the_bench(&d, "a wipe")?;
    wipe_locked(conn, caller, &d, &w, wipe_body_errors(&w))
}

/// Checks `w` against the locked device `d` (adding to the body's `errors`) and records it.
pub(super) fn wipe_locked(
    conn: &mut DbConn,
    caller: &Caller,
    d: &DeviceRow,
    w: &NewWipe,
    mut errors: Vec<FieldError>,
) -> AppResult<WipeRow> {
    let device_drives = super::drives_of(conn, d)?;
    let drive = wipe_target(&device_drives, w.drive_id, &mut errors);
    let drive_type = drive.as_ref().map(|x| x.drive_type).or(w.drive_type);
    if drive_type.is_none() && device_drives.is_empty() && w.drive_id.is_none() {
        errors.push(refusal::field(
            "drive_type",
            Code::DriveTypeRequired,
            "is required for built-in storage (emmc, flash, ssd, ...)",
        ));
    }
    if let Some(t) = drive_type {
        if w.technique == WipeTechnique::Overwrite
            && w.category == WipeCategory::Purge
            && is_flash(t)
        {
            errors.push(refusal::field(
                "category",
                Code::FlashOverwriteIsClear,
                "overwriting flash storage from the host is only clear, not purge",
            ));
        }
    }
    // The same small tolerance as for the future: the wipe tool's clock may lag the server's.
    if naive(w.started_at) + chrono::Duration::minutes(limits::CLOCK_SKEW_MINUTES) < d.created_at {
        errors.push(refusal::field(
            "started_at",
            Code::StartedBeforeRegistration,
            format!(
                "is before the device was registered ({} UTC)",
                d.created_at.format("%Y-%m-%d %H:%M")
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    let workshop = workshop_for(caller, d);
    let at = now();
    let row = WipeRow {
        id: new_id(),
        device_id: d.id.clone(),
        drive_id: drive.as_ref().map(|x| x.id.clone()),
        category: w.category,
        technique: w.technique,
        tool: w.tool.trim().to_string(),
        tool_version: w.tool_version.trim().to_string(),
        drive_serial: w
            .drive_serial
            .clone()
            .or_else(|| drive.as_ref().and_then(|x| x.serial.clone())),
        drive_type: drive_type.unwrap_or(DriveType::Other),
        capacity_gb: w.capacity_gb.or(drive.as_ref().map(|x| x.capacity_gb)),
        passes: w.passes,
        verified: w.verified,
        verification_method: w.verification_method,
        outcome: w.outcome,
        technician_user_id: caller.user_id.clone(),
        technician_name: technician_name(conn, &caller.user_id)?,
        workshop_id: workshop,
        started_at: naive(w.started_at),
        ended_at: naive(w.ended_at),
        report_file_name: w.report_file_name.clone(),
        report_sha256: w.report_sha256.as_ref().map(|h| h.to_lowercase()),
        note: w.note.clone(),
        created_at: at,
        verified_by: w.verified_by.clone(),
    };
    diesel::insert_into(wipe_records::table)
        .values(&row)
        .execute(conn)?;
    append_event(
        conn,
        &d.id,
        Some(&caller.user_id),
        EventAction::WipeRecorded,
        Some(d.status),
        d.status,
        json!({ "wipe_id": row.id, "drive_id": row.drive_id, "technique": row.technique, "outcome": row.outcome }),
        at,
    )?;
    Ok(row)
}

/// Every wipe of a device, oldest first.
pub fn wipes_of(conn: &mut DbConn, device: &DeviceRow) -> AppResult<Vec<WipeRow>> {
    Ok(wipe_records::table
        .filter(wipe_records::device_id.eq(&device.id))
        .order((wipe_records::created_at.asc(), wipe_records::id.asc()))
        .select(WipeRow::as_select())
        .load(conn)?)
}

/// The wipes of a device the caller can see (named by id, asset tag or label URL).
pub fn device_wipes(conn: &mut DbConn, caller: &Caller, device: &str) -> AppResult<Vec<WipeRow>> {
    caller.require(Perm::ReadDevices)?;
    let d = dev::find(conn, caller, Lookup::Id(device))?;
    wipes_of(conn, &d)
}

/// Records the same wipe for many devices (each its only drive or built-in storage).
/// `devices` are ids or scanned asset tags (or label URLs); each device has at most one drive.
pub fn record_wipes(
    conn: &mut DbConn,
    caller: &Caller,
    devices: &[String],
    wipe: NewWipe,
) -> AppResult<Vec<WipeRow>> {
    caller.require(Perm::RecordRefurbishment)?;
    let mut errors = wipe_body_errors(&wipe);
    if wipe.drive_id.is_some() {
        errors.push(FieldError::new(
            "drive_id",
            "cannot be one drive for many devices; leave it out (each device's only drive is used)",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: format!("wipe.{}", e.field),
                    ..e
                })
                .collect(),
        ));
    }
    for_each_device(conn, caller, "devices", devices, |conn, d| {
        on_the_bench(d, "a wipe")?;
        wipe_locked(conn, caller, d, &wipe, Vec::new())
    })
}

/// Why the device's storage is not covered by passed wipes that ended after `since`, one line
/// per drive; empty when it is covered or the device has no storage. A drive's latest record
/// counts: a failed wipe after a passed one uncovers it again.
pub fn uncovered_storage(
    conn: &mut DbConn,
    device: &DeviceRow,
    since: NaiveDateTime,
) -> AppResult<Vec<String>> {
    let device_drives = super::drives_of(conn, device)?;
    if !crate::domain::guards::has_storage(
        device.kind,
        device.subtype.as_deref(),
        device_drives.len(),
    ) {
        return Ok(Vec::new());
    }
    let wipes = wipes_of(conn, device)?;
    Ok(storage_problems(device, &device_drives, &wipes, since))
}

/// [`uncovered_storage`] over records already read: the device's drives in their order and its
/// wipes oldest first (the work queue reads them for many devices at once).
pub fn storage_problems(
    device: &DeviceRow,
    device_drives: &[DriveRow],
    wipes: &[WipeRow],
    since: NaiveDateTime,
) -> Vec<String> {
    if !crate::domain::guards::has_storage(
        device.kind,
        device.subtype.as_deref(),
        device_drives.len(),
    ) {
        return Vec::new();
    }
    // Only a wipe that ended (and was recorded) after the hand-back destroyed the data of
    // whoever had the device last.
    let latest = |drive: Option<&str>| {
        wipes
            .iter()
            .rev()
            .filter(|w| w.ended_at > since && w.created_at > since)
            .find(|w| w.drive_id.as_deref() == drive)
    };
    let mut problems = Vec::new();
    if device_drives.is_empty() {
        match latest(None) {
            None => {
                problems.push("built-in storage has no wipe since the device came in".to_string())
            }
            Some(w) if w.outcome == WipeOutcome::Failed => {
                problems.push("the latest wipe of the built-in storage failed".to_string())
            }
            Some(_) => {}
        }
    }
    for d in device_drives {
        let name = format!(
            "drive {} ({}, {} GB{})",
            d.id,
            d.drive_type,
            d.capacity_gb,
            d.serial
                .as_deref()
                .map(|s| format!(", serial {s}"))
                .unwrap_or_default()
        );
        match latest(Some(&d.id)) {
            None => problems.push(format!("{name} has no wipe since the device came in")),
            Some(w) if w.outcome == WipeOutcome::Failed => {
                problems.push(format!("the latest wipe of {name} failed"))
            }
            Some(_) => {}
        }
    }
    problems
}
