//! Refurbishment: work assignment to workshops, storage drives, wipe records (NIST SP 800-88),
//! refurbishment and grading records, the work queue, and the data behind a donation's
//! certificate of sanitisation.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceRow, DonationRow, DriveRow, RefurbishmentRow, WipeRow};
use crate::db::schema::{
    device_events, devices, donations, drives, organisations, refurbishments, users, wipe_records,
};
use crate::db::{now, DbConn};
use crate::domain::accounts::{new_id, OrgKind, Role};
use crate::domain::devices::{self as dev, append_event, DriveType};
use crate::domain::lifecycle::Status;
use crate::domain::limits;
use crate::error::{AppError, AppResult, FieldError};

crate::text_enum!(
    /// NIST SP 800-88 sanitisation category.
    WipeCategory {
        /// Logical overwrite of all user-addressable locations.
        Clear => "clear",
        /// Makes laboratory recovery infeasible (sanitize, block erase, cryptographic erase).
        Purge => "purge",
        /// The medium can no longer store data.
        Destroy => "destroy",
    }
);

crate::text_enum!(
    /// The technique used.
    WipeTechnique {
        Overwrite => "overwrite",
        BlockErase => "block_erase",
        CryptoErase => "crypto_erase",
        FirmwareSecureErase => "firmware_secure_erase",
        /// Tablets and phones; with encryption on it is a cryptographic erase.
        FactoryReset => "factory_reset",
        PhysicalDestruction => "physical_destruction",
    }
);

crate::text_enum!(
    /// How the result was verified.
    Verification {
        None => "none",
        Sample => "sample",
        Full => "full",
    }
);

crate::text_enum!(
    WipeOutcome {
        Passed => "passed",
        Failed => "failed",
    }
);

crate::text_enum!(
    /// Cosmetic grade: A like new, B light wear, C visible wear.
    Grade {
        A => "A",
        B => "B",
        C => "C",
    }
);

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
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
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
    #[serde(default = "one")]
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

fn one() -> i32 {
    1
}

/// The checks of a refurbishment. Which ones are asked depends on the kind of device
/// ([`CHECKS_BY_KIND`]); the others may be given and are kept.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Checks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boots: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyboard: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpad: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wifi: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charger_present: Option<bool>,
    /// Does what it is for (sound, projection, charging, ...): for peripherals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub works: Option<bool>,
}

impl Checks {
    /// The value of the check called `name`.
    pub fn get(&self, name: &str) -> Option<bool> {
        match name {
            "boots" => self.boots,
            "screen" => self.screen,
            "keyboard" => self.keyboard,
            "touchpad" => self.touchpad,
            "ports" => self.ports,
            "camera" => self.camera,
            "wifi" => self.wifi,
            "charger_present" => self.charger_present,
            "works" => self.works,
            _ => None,
        }
    }
}

/// Whether a kind's refurbishment asks for the battery's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BatteryCheck {
    /// The kind always has a battery: `battery_health_pct` is required.
    Required,
    /// Not asked (no battery, or none whose health can be read): kept when given.
    NotAsked,
}

/// The one table of what a refurbishment must check, per kind: the checks required in
/// `checks`, and the battery.
pub const CHECKS_BY_KIND: &[(dev::DeviceKind, &[&str], BatteryCheck)] = &[
    (
        dev::DeviceKind::Laptop,
        &[
            "boots",
            "screen",
            "keyboard",
            "touchpad",
            "ports",
            "wifi",
            "charger_present",
        ],
        BatteryCheck::Required,
    ),
    (
        dev::DeviceKind::Desktop,
        &["boots", "ports"],
        BatteryCheck::NotAsked,
    ),
    (
        dev::DeviceKind::Tablet,
        &["boots", "screen", "wifi", "charger_present"],
        BatteryCheck::Required,
    ),
    (
        dev::DeviceKind::Smartphone,
        &["boots", "screen", "wifi", "camera", "charger_present"],
        BatteryCheck::Required,
    ),
    (
        dev::DeviceKind::Robot,
        &["boots", "charger_present"],
        BatteryCheck::NotAsked,
    ),
    (
        dev::DeviceKind::Peripheral,
        &["works"],
        BatteryCheck::NotAsked,
    ),
];

/// What a refurbishment of one kind must give, as the API shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct KindChecks {
    pub kind: dev::DeviceKind,
    /// The checks required in `checks`.
    pub checks: Vec<String>,
    pub battery: BatteryCheck,
}

/// [`CHECKS_BY_KIND`] for the API.
pub fn checks_table() -> Vec<KindChecks> {
    CHECKS_BY_KIND
        .iter()
        .map(|(kind, checks, battery)| KindChecks {
            kind: *kind,
            checks: checks.iter().map(|c| c.to_string()).collect(),
            battery: *battery,
        })
        .collect()
}

/// The checks and battery rule for `kind`, from [`CHECKS_BY_KIND`].
pub fn checks_for(kind: dev::DeviceKind) -> (&'static [&'static str], BatteryCheck) {
    CHECKS_BY_KIND
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, c, b)| (*c, *b))
        .unwrap_or((&[], BatteryCheck::NotAsked))
}

/// What is missing or contradictory in a refurbishment of a device of `kind`.
fn refurbishment_errors(kind: dev::DeviceKind, r: &NewRefurbishment) -> Vec<FieldError> {
    let (required, battery) = checks_for(kind);
    let mut errors = Vec::new();
    for name in required {
        if r.checks.get(name).is_none() {
            errors.push(FieldError::new(
                format!("checks.{name}"),
                format!("is required for a {kind}"),
            ));
        }
    }
    if let Some(failed) = required.iter().find(|n| r.checks.get(n) == Some(false)) {
        if r.functional_pass {
            errors.push(FieldError::new(
                "functional_pass",
                format!("cannot be true when the check {failed} failed"),
            ));
        }
    }
    if battery == BatteryCheck::Required && r.battery_health_pct.is_none() {
        errors.push(FieldError::new(
            "battery_health_pct",
            format!("is required for a {kind} (full-charge ÷ design capacity, in percent)"),
        ));
    }
    errors
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRefurbishment {
    pub checks: Checks,
    /// Full-charge capacity ÷ design capacity, in percent.
    #[validate(range(min = 0, max = 100))]
    pub battery_health_pct: Option<i32>,
    #[validate(length(max = 1000))]
    pub parts_replaced: Option<String>,
    #[validate(length(min = 1, max = 100))]
    pub os_installed: Option<String>,
    #[validate(length(min = 1, max = 50))]
    pub os_version: Option<String>,
    pub cosmetic_grade: Grade,
    pub functional_pass: bool,
    #[validate(range(min = 0, max = 10_000))]
    pub minutes_spent: i32,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

fn technician_name(conn: &mut DbConn, user_id: &str) -> AppResult<String> {
    Ok(users::table.find(user_id).select(users::name).first(conn)?)
}

fn require_workshop(conn: &mut DbConn, workshop_id: &str) -> AppResult<()> {
    let kind: Option<OrgKind> = organisations::table
        .find(workshop_id)
        .select(organisations::kind)
        .first(conn)
        .optional()?;
    match kind {
        Some(OrgKind::Workshop) => Ok(()),
        Some(other) => Err(AppError::invalid(
            "workshop_id",
            format!("this organisation is a {other}, not a workshop"),
        )),
        None => Err(AppError::invalid(
            "workshop_id",
            "no organisation has this id",
        )),
    }
}

/// Statuses in which a device is in the workshop's hands and may be wiped or refurbished.
const ON_THE_BENCH: &[Status] = &[
    Status::Received,
    Status::Returned,
    Status::InRepair,
    Status::Wiped,
    Status::Refurbished,
];

fn on_the_bench(d: &DeviceRow, what: &str) -> AppResult<()> {
    if ON_THE_BENCH.contains(&d.status) {
        Ok(())
    } else {
        Err(AppError::conflict_with(
            format!("Device {} is {}; {what} can only be recorded while it is received, returned, in repair, wiped or refurbished.", d.asset_tag, d.status),
            json!({ "current_status": d.status, "allowed_actions": crate::domain::lifecycle::allowed_actions(d.status) }),
        ))
    }
}

/// The organisation a record is filed under: the refurbisher's own workshop; for an admin
/// working on a device, the workshop it is assigned to, or else the admin's own organisation
/// (the lending service wiping in house).
fn workshop_for(caller: &Caller, d: &DeviceRow) -> AppResult<String> {
    if caller.role == Role::Refurbisher {
        return Ok(caller.organisation_id.clone());
    }
    Ok(d.workshop_id
        .clone()
        .unwrap_or_else(|| caller.organisation_id.clone()))
}

/// Assigns a whole donation batch (and each of its devices) to a workshop.
pub fn assign_donation(
    conn: &mut DbConn,
    caller: &Caller,
    donation_id: &str,
    workshop_id: &str,
) -> AppResult<usize> {
    caller.require(Perm::AssignWork)?;
    let donation: DonationRow = donations::table
        .find(donation_id)
        .select(DonationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The donation"))?;
    require_workshop(conn, workshop_id)?;
    diesel::update(donations::table.find(&donation.id))
        .set(donations::workshop_id.eq(workshop_id))
        .execute(conn)?;
    let ids: Vec<String> = devices::table
        .filter(devices::donation_id.eq(&donation.id))
        .order(devices::seq.asc())
        .select(devices::id)
        .load(conn)?;
    let mut n = 0;
    for id in ids {
        let mut d = dev::lock(conn, caller, &id)?;
        if assign_locked(conn, caller, &mut d, workshop_id)? {
            n += 1;
        }
    }
    Ok(n)
}

/// Assigns one device to a workshop.
pub fn assign_device(
    conn: &mut DbConn,
    caller: &Caller,
    device_id: &str,
    workshop_id: &str,
) -> AppResult<DeviceRow> {
    caller.require(Perm::AssignWork)?;
    let mut d = dev::lock(conn, caller, device_id)?;
    require_workshop(conn, workshop_id)?;
    assign_locked(conn, caller, &mut d, workshop_id)?;
    Ok(d)
}

/// Devices out with a person or an organisation, or at the end of their life, keep their
/// holder; the others move to the workshop.
fn assign_locked(
    conn: &mut DbConn,
    caller: &Caller,
    d: &mut DeviceRow,
    workshop_id: &str,
) -> AppResult<bool> {
    if d.workshop_id.as_deref() == Some(workshop_id) {
        return Ok(false);
    }
    if !ON_THE_BENCH.contains(&d.status) && d.status != Status::Ready {
        return Err(AppError::conflict_with(
            format!(
                "Device {} is {}; it cannot be assigned to a workshop now.",
                d.asset_tag, d.status
            ),
            json!({ "current_status": d.status, "device": d.asset_tag }),
        ));
    }
    let at = now();
    d.workshop_id = Some(workshop_id.to_string());
    d.holder_organisation_id = Some(workshop_id.to_string());
    d.updated_at = at;
    d.version += 1;
    diesel::update(devices::table.find(&d.id))
        .set((
            devices::workshop_id.eq(&d.workshop_id),
            devices::holder_organisation_id.eq(&d.holder_organisation_id),
            devices::updated_at.eq(at),
            devices::version.eq(d.version),
        ))
        .execute(conn)?;
    append_event(
        conn,
        &d.id,
        Some(&caller.user_id),
        "assigned",
        Some(d.status),
        d.status,
        json!({ "workshop_id": workshop_id }),
        at,
    )?;
    Ok(true)
}

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

pub fn drives_of(conn: &mut DbConn, device_id: &str) -> AppResult<Vec<DriveRow>> {
    Ok(drives::table
        .filter(drives::device_id.eq(device_id))
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
        "drive_added",
        Some(d.status),
        d.status,
        json!({ "drive_id": row.id, "type": row.drive_type, "capacity_gb": row.capacity_gb }),
        at,
    )?;
    Ok(row)
}

fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    use chrono::SubsecRound;
    t.naive_utc().trunc_subsecs(6)
}

/// Problems of a wipe record that do not depend on the device.
fn wipe_body_errors(w: &NewWipe) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = match w.validate() {
        Ok(()) => Vec::new(),
        Err(e) => crate::error::flatten_validation("", &e),
    };
    if !categories_for(w.technique).contains(&w.category) {
        errors.push(FieldError::new(
            "category",
            format!(
                "{} cannot be recorded as {} (NIST SP 800-88)",
                w.technique, w.category
            ),
        ));
    }
    if w.technique == WipeTechnique::Overwrite && w.passes < 1 {
        errors.push(FieldError::new(
            "passes",
            "an overwrite needs at least one pass",
        ));
    }
    for (field, at) in [("started_at", w.started_at), ("ended_at", w.ended_at)] {
        if let Some(problem) = limits::moment_problem(at) {
            errors.push(FieldError::new(field, problem));
        }
    }
    if w.ended_at < w.started_at {
        errors.push(FieldError::new("ended_at", "is before started_at"));
    }
    if w.verified == (w.verification_method == Verification::None) {
        errors.push(FieldError::new(
            "verification_method",
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
                errors.push(FieldError::new("drive_id", "is not a drive of this device"));
            }
            found
        }
        (None, []) => None,
        (None, [only]) => Some(only.clone()),
        (None, many) => {
            errors.push(FieldError::new(
                "drive_id",
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
fn wipe_locked(
    conn: &mut DbConn,
    caller: &Caller,
    d: &DeviceRow,
    w: &NewWipe,
    mut errors: Vec<FieldError>,
) -> AppResult<WipeRow> {
    let device_drives = drives_of(conn, &d.id)?;
    let drive = wipe_target(&device_drives, w.drive_id, &mut errors);
    let drive_type = drive.as_ref().map(|x| x.drive_type).or(w.drive_type);
    if drive_type.is_none() && device_drives.is_empty() && w.drive_id.is_none() {
        errors.push(FieldError::new(
            "drive_type",
            "is required for built-in storage (emmc, flash, ssd, ...)",
        ));
    }
    if let Some(t) = drive_type {
        if w.technique == WipeTechnique::Overwrite
            && w.category == WipeCategory::Purge
            && is_flash(t)
        {
            errors.push(FieldError::new(
                "category",
                "overwriting flash storage from the host is only clear, not purge",
            ));
        }
    }
    // The same small tolerance as for the future: the wipe tool's clock may lag the server's.
    if naive(w.started_at) + chrono::Duration::minutes(limits::CLOCK_SKEW_MINUTES) < d.created_at {
        errors.push(FieldError::new(
            "started_at",
            format!(
                "is before the device was registered ({} UTC)",
                d.created_at.format("%Y-%m-%d %H:%M")
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    let workshop = workshop_for(caller, d)?;
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
        "wipe_recorded",
        Some(d.status),
        d.status,
        json!({ "wipe_id": row.id, "drive_id": row.drive_id, "technique": row.technique, "outcome": row.outcome }),
        at,
    )?;
    Ok(row)
}

pub fn wipes_of(conn: &mut DbConn, device_id: &str) -> AppResult<Vec<WipeRow>> {
    Ok(wipe_records::table
        .filter(wipe_records::device_id.eq(device_id))
        .order((wipe_records::created_at.asc(), wipe_records::id.asc()))
        .select(WipeRow::as_select())
        .load(conn)?)
}

/// Records a refurbishment; a failing one tells the caller to send the device to repair or
/// retirement.
pub fn record_refurbishment(
    conn: &mut DbConn,
    caller: &Caller,
    device_id: &str,
    r: NewRefurbishment,
) -> AppResult<RefurbishmentRow> {
    caller.require(Perm::RecordRefurbishment)?;
    r.validate()?;
    let d = dev::lock(conn, caller, device_id)?;
    on_the_bench(&d, "a refurbishment")?;
    refurbish_locked(conn, caller, &d, &r)
}

/// Checks `r` against the kind of the locked device `d` and records it.
fn refurbish_locked(
    conn: &mut DbConn,
    caller: &Caller,
    d: &DeviceRow,
    r: &NewRefurbishment,
) -> AppResult<RefurbishmentRow> {
    let errors = refurbishment_errors(d.kind, r);
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    let workshop = workshop_for(caller, d)?;
    let at = now();
    let row = RefurbishmentRow {
        id: new_id(),
        device_id: d.id.clone(),
        checks: serde_json::to_string(&r.checks).map_err(AppError::internal)?,
        battery_health_pct: r.battery_health_pct,
        parts_replaced: r.parts_replaced.clone(),
        os_installed: r.os_installed.clone(),
        os_version: r.os_version.clone(),
        cosmetic_grade: r.cosmetic_grade,
        functional_pass: r.functional_pass,
        minutes_spent: r.minutes_spent,
        technician_user_id: caller.user_id.clone(),
        technician_name: technician_name(conn, &caller.user_id)?,
        workshop_id: workshop,
        note: r.note.clone(),
        created_at: at,
    };
    diesel::insert_into(refurbishments::table)
        .values(&row)
        .execute(conn)?;
    append_event(
        conn,
        &d.id,
        Some(&caller.user_id),
        "refurbishment_recorded",
        Some(d.status),
        d.status,
        json!({ "refurbishment_id": row.id, "grade": row.cosmetic_grade, "functional_pass": row.functional_pass }),
        at,
    )?;
    Ok(row)
}

pub fn refurbishments_of(conn: &mut DbConn, device_id: &str) -> AppResult<Vec<RefurbishmentRow>> {
    Ok(refurbishments::table
        .filter(refurbishments::device_id.eq(device_id))
        .order((refurbishments::created_at.asc(), refurbishments::id.asc()))
        .select(RefurbishmentRow::as_select())
        .load(conn)?)
}

/// The last time the device came back into our hands from someone else: its registration
/// (donation), a check-in from a loan or booking, or being found after loss.
pub fn last_handback(conn: &mut DbConn, device_id: &str) -> AppResult<NaiveDateTime> {
    let at: Option<NaiveDateTime> = device_events::table
        .filter(device_events::device_id.eq(device_id))
        .filter(device_events::action.eq_any(["registered", "check_in", "found"]))
        .select(diesel::dsl::max(device_events::at))
        .first(conn)?;
    at.ok_or_else(|| AppError::internal("device without a registration event"))
}

/// The last event among `actions`, if any.
pub fn last_event(
    conn: &mut DbConn,
    device_id: &str,
    actions: &[&str],
) -> AppResult<Option<(String, NaiveDateTime)>> {
    Ok(device_events::table
        .filter(device_events::device_id.eq(device_id))
        .filter(device_events::action.eq_any(actions))
        .order(device_events::seq.desc())
        .select((device_events::action, device_events::at))
        .first(conn)
        .optional()?)
}

/// Why the device's storage is not covered by passed wipes that ended after `since`, one line
/// per drive; empty when it is covered or the device has no storage. A drive's latest record counts: a failed wipe after a
/// passed one uncovers it again.
pub fn uncovered_storage(
    conn: &mut DbConn,
    device: &DeviceRow,
    since: NaiveDateTime,
) -> AppResult<Vec<String>> {
    let device_drives = drives_of(conn, &device.id)?;
    if !crate::domain::guards::has_storage(
        device.kind,
        device.subtype.as_deref(),
        device_drives.len(),
    ) {
        return Ok(Vec::new());
    }
    // Only a wipe that ended (and was recorded) after the hand-back destroyed the data of
    // whoever had the device last.
    let wipes: Vec<WipeRow> = wipes_of(conn, &device.id)?
        .into_iter()
        .filter(|w| w.ended_at > since && w.created_at > since)
        .collect();
    let latest = |drive: Option<&str>| wipes.iter().rev().find(|w| w.drive_id.as_deref() == drive);
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
    for d in &device_drives {
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
    Ok(problems)
}

/// One device in a work queue.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QueueItem {
    pub device_id: uuid::Uuid,
    pub asset_tag: String,
    pub kind: dev::DeviceKind,
    pub brand: String,
    pub model: String,
    pub status: Status,
    /// Why it is in this list (for failed: which wipe or check failed).
    pub reason: String,
    pub since: DateTime<Utc>,
}

/// A workshop's work queue, oldest first in each list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WorkQueue {
    pub workshop_id: uuid::Uuid,
    pub waiting_for_wipe: Vec<QueueItem>,
    pub waiting_for_refurbishment: Vec<QueueItem>,
    pub failed: Vec<QueueItem>,
}

/// Most devices shown per list of the queue.
const QUEUE_LIMIT: i64 = 500;

pub fn work_queue(
    conn: &mut DbConn,
    caller: &Caller,
    workshop_id: Option<String>,
) -> AppResult<WorkQueue> {
    caller
        .require(Perm::RecordRefurbishment)
        .or_else(|_| caller.require(Perm::AssignWork))?;
    let workshop = match (caller.role, workshop_id) {
        (Role::Refurbisher, _) => caller.organisation_id.clone(),
        (_, Some(w)) => w,
        (_, None) => {
            return Err(AppError::invalid(
                "workshop_id",
                "say which workshop's queue to show",
            ))
        }
    };
    let candidates: Vec<DeviceRow> = devices::table
        .filter(devices::workshop_id.eq(&workshop))
        .filter(devices::status.eq_any([
            Status::Received,
            Status::Returned,
            Status::InRepair,
            Status::Wiped,
        ]))
        .order(devices::updated_at.asc())
        .limit(QUEUE_LIMIT * 3)
        .select(DeviceRow::as_select())
        .load(conn)?;
    let mut queue = WorkQueue {
        workshop_id: uuid::Uuid::parse_str(&workshop).unwrap_or_default(),
        waiting_for_wipe: Vec::new(),
        waiting_for_refurbishment: Vec::new(),
        failed: Vec::new(),
    };
    for d in candidates {
        let since = last_handback(conn, &d.id)?;
        let item = |reason: String| QueueItem {
            device_id: uuid::Uuid::parse_str(&d.id).unwrap_or_default(),
            asset_tag: d.asset_tag.clone(),
            kind: d.kind,
            brand: d.brand.clone(),
            model: d.model.clone(),
            status: d.status,
            reason,
            since: DateTime::from_naive_utc_and_offset(d.updated_at, Utc),
        };
        let last_refurb = refurbishments_of(conn, &d.id)?.into_iter().last();
        match d.status {
            Status::Wiped => match last_refurb {
                Some(r) if !r.functional_pass && r.created_at > since => queue.failed.push(item(
                    "the latest refurbishment check failed: repair or retire".into(),
                )),
                _ => queue
                    .waiting_for_refurbishment
                    .push(item("wiped; needs refurbishment and grading".into())),
            },
            _ if !crate::domain::guards::device_has_storage(conn, &d)? => queue
                .waiting_for_refurbishment
                .push(item("no storage to wipe; needs a check".into())),
            _ => {
                let problems = uncovered_storage(conn, &d, since)?;
                if let Some(p) = problems.iter().find(|p| p.contains("failed")) {
                    queue.failed.push(item(p.clone()));
                } else {
                    queue.waiting_for_wipe.push(item(
                        problems
                            .first()
                            .cloned()
                            .unwrap_or_else(|| "all storage wiped; ready for the wipe step".into()),
                    ));
                }
            }
        }
    }
    for list in [
        &mut queue.waiting_for_wipe,
        &mut queue.waiting_for_refurbishment,
        &mut queue.failed,
    ] {
        list.truncate(QUEUE_LIMIT as usize);
    }
    Ok(queue)
}

/// A device of a batch whose storage is not yet proven wiped.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OpenDevice {
    pub asset_tag: String,
    pub reasons: Vec<String>,
}

/// Gathers a donation batch's certificate of sanitisation: one row per device and drive,
/// from the first passed wipe of each drive after the batch came in (that is when the donor's
/// data was destroyed). Issues the certificate number on first request. Refused with the
/// list of open devices while any drive of the batch lacks a passed wipe.
pub fn certificate(
    conn: &mut DbConn,
    caller: &Caller,
    donation_id: &str,
    lang: crate::documents::Lang,
) -> AppResult<crate::documents::CertificateData> {
    use crate::db::models::CertificateRow as Issued;
    use crate::db::schema::certificates;
    use crate::documents::{
        CertificateData, CertificateRow, Destination, Outcome, Verification as DocVerification,
    };

    caller.require(Perm::ReadCertificates)?;
    let donation = crate::domain::donations::get(conn, caller, donation_id)?;
    let batch: Vec<DeviceRow> = devices::table
        .filter(devices::donation_id.eq(&donation.id))
        .order(devices::seq.asc())
        .select(DeviceRow::as_select())
        .load(conn)?;
    if batch.is_empty() {
        return Err(AppError::conflict(
            "This donation has no devices yet; there is nothing to certify.",
        ));
    }
    let mut rows = Vec::new();
    let mut open = Vec::new();
    for d in &batch {
        let device_drives = drives_of(conn, &d.id)?;
        let wipes = wipes_of(conn, &d.id)?;
        let mut targets: Vec<(Option<&DriveRow>, Option<String>)> = device_drives
            .iter()
            .map(|x| (Some(x), Some(x.id.clone())))
            .collect();
        if targets.is_empty() {
            targets.push((None, None));
        }
        let mut reasons = Vec::new();
        for (drive, drive_id) in targets {
            let passed = wipes.iter().find(|w| {
                w.drive_id == drive_id
                    && w.outcome == WipeOutcome::Passed
                    && w.created_at >= d.created_at
            });
            match passed {
                None => reasons.push(match drive {
                    Some(x) => format!(
                        "drive {} ({}, {} GB) has no passed wipe",
                        x.position, x.drive_type, x.capacity_gb
                    ),
                    None => "built-in storage has no passed wipe".into(),
                }),
                Some(w) => rows.push(CertificateRow {
                    asset_tag: d.asset_tag.clone(),
                    device_serial: d.serial_number.clone(),
                    drive_serial: w.drive_serial.clone(),
                    drive_type: Some(w.drive_type),
                    category: w.category,
                    technique: w.technique,
                    passes: w.passes,
                    tool: format!("{} {}", w.tool, w.tool_version),
                    verification: match w.verification_method {
                        Verification::Full => DocVerification::Full,
                        Verification::Sample => DocVerification::Sample,
                        Verification::None => DocVerification::None,
                    },
                    verified_by: w.verified_by.clone(),
                    outcome: if w.technique == WipeTechnique::PhysicalDestruction {
                        Outcome::Destroyed
                    } else {
                        Outcome::Passed
                    },
                    destination: if d.status == Status::Retired {
                        Destination::Recycling
                    } else {
                        Destination::Reuse
                    },
                    date: w.ended_at.date(),
                    technician: w.technician_name.clone(),
                }),
            }
        }
        if !reasons.is_empty() {
            open.push(OpenDevice {
                asset_tag: d.asset_tag.clone(),
                reasons,
            });
        }
    }
    if !open.is_empty() {
        return Err(AppError::conflict_with(
            format!("The certificate can be issued once every device is wiped or destroyed; {} of {} are still open.", open.len(), batch.len()),
            json!({ "open_devices": open }),
        ));
    }
    let issued: Option<Issued> = certificates::table
        .filter(certificates::donation_id.eq(&donation.id))
        .select(Issued::as_select())
        .first(conn)
        .optional()?;
    let issued = match issued {
        Some(i) => i,
        None => {
            let seq = crate::db::next_counter(conn, "certificate_seq", 1)?;
            let today = crate::db::today();
            let row = Issued {
                id: new_id(),
                donation_id: donation.id.clone(),
                number: format!("CERT-{}-{seq:05}", today.format("%Y")),
                issued_on: today,
                issued_by: caller.user_id.clone(),
                created_at: now(),
            };
            diesel::insert_into(certificates::table)
                .values(&row)
                .execute(conn)?;
            row
        }
    };
    let org_name = |conn: &mut DbConn, id: &str| -> AppResult<String> {
        Ok(organisations::table
            .find(id)
            .select(organisations::name)
            .first(conn)?)
    };
    // An anonymous donor is named by the document, in its language.
    let donor_name = match (&donation.donor_organisation_id, &donation.donor_name) {
        (Some(org), _) => Some(org_name(conn, org)?),
        (None, name) => name.clone(),
    };
    let workshop_name = org_name(
        conn,
        donation
            .workshop_id
            .as_deref()
            .unwrap_or(&donation.owner_organisation_id),
    )?;
    Ok(CertificateData {
        lang,
        certificate_number: issued.number,
        donor_name,
        workshop_name,
        issued_on: issued.issued_on,
        rows,
    })
}

/// Most devices in one batch request.
pub const MAX_BATCH: usize = 500;

/// The same wipe (a device's only drive, or its built-in storage) recorded for many devices.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchWipe {
    /// Ids or scanned asset tags (or label URLs); each device has at most one drive.
    pub devices: Vec<String>,
    /// The wipe, without `drive_id`.
    pub wipe: NewWipe,
}

/// The same refurbishment result recorded for many devices.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRefurbishment {
    /// Ids or scanned asset tags (or label URLs).
    pub devices: Vec<String>,
    pub refurbishment: NewRefurbishment,
}

/// A 422 for a batch list that is empty or too long.
fn check_batch_size(field: &str, n: usize) -> AppResult<()> {
    if n == 0 || n > MAX_BATCH {
        return Err(AppError::invalid(
            field,
            format!("give 1 to {MAX_BATCH} devices"),
        ));
    }
    Ok(())
}

/// Why one device of a batch failed, in words.
fn failure_text(e: &AppError) -> String {
    match e {
        AppError::Validation { errors, .. } => errors
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        AppError::NotFound(_) => "no device with this id or asset tag that you can see".into(),
        AppError::Conflict { detail, .. } => detail.clone(),
        other => other.to_string(),
    }
}

/// One error naming every failing device of a batch: a 409 when every failure is a state
/// conflict, else a 422 with one entry per failing device (`{field}[i]`).
fn batch_failure(field: &str, total: usize, failures: Vec<(usize, String, AppError)>) -> AppError {
    let summary = format!(
        "{} of the {total} devices cannot be done; nothing was recorded.",
        failures.len()
    );
    if failures
        .iter()
        .all(|(_, _, e)| matches!(e, AppError::Conflict { .. }))
    {
        let list: Vec<serde_json::Value> = failures
            .iter()
            .map(|(i, device, e)| {
                let mut entry = json!({ "index": i, "device": device, "detail": failure_text(e) });
                if let (AppError::Conflict { extra, .. }, Some(map)) = (e, entry.as_object_mut()) {
                    map.extend(extra.clone());
                }
                entry
            })
            .collect();
        return AppError::conflict_with(summary, json!({ "failures": list }));
    }
    AppError::Validation {
        detail: summary,
        errors: failures
            .iter()
            .map(|(i, device, e)| {
                FieldError::new(
                    format!("{field}[{i}]"),
                    format!("{device}: {}", failure_text(e)),
                )
            })
            .collect(),
    }
}

/// Locks every device named in `inputs` (ids or tags) and runs `each` on it. Devices are
/// locked in ascending id order, whatever the order of `inputs`, so that two batches naming the
/// same devices never wait for each other in a cycle (no deadlock on PostgreSQL). Returns every
/// result in the order of `inputs`, or (when any device is unknown, invisible, repeated or
/// refused by `each`) one error naming each failing device; the request's transaction then
/// records nothing.
pub fn for_each_device<T>(
    conn: &mut DbConn,
    caller: &Caller,
    field: &str,
    inputs: &[String],
    mut each: impl FnMut(&mut DbConn, &mut DeviceRow) -> AppResult<T>,
) -> AppResult<Vec<T>> {
    check_batch_size(field, inputs.len())?;
    let mut order = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        order.push((crate::domain::device_ref::device_id(conn, input)?, i));
    }
    order.sort();
    let mut done = Vec::with_capacity(inputs.len());
    let mut failures = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let per_device = |e: &AppError| {
        matches!(
            e,
            AppError::Validation { .. } | AppError::Conflict { .. } | AppError::NotFound(_)
        )
    };
    for (_, i) in order {
        let input = &inputs[i];
        let mut d = match dev::lock(conn, caller, input) {
            Ok(d) => d,
            Err(e) if per_device(&e) => {
                failures.push((i, input.trim().to_string(), e));
                continue;
            }
            Err(e) => return Err(e),
        };
        if let Some(first) = seen.get(&d.id).copied() {
            let (first, later) = if first < i { (first, i) } else { (i, first) };
            failures.push((
                later,
                d.asset_tag.clone(),
                AppError::invalid(field, format!("is the same device as {field}[{first}]")),
            ));
            seen.insert(d.id.clone(), first);
            continue;
        }
        seen.insert(d.id.clone(), i);
        match each(conn, &mut d) {
            Ok(t) => done.push((i, t)),
            Err(e) if per_device(&e) => failures.push((i, d.asset_tag.clone(), e)),
            Err(e) => return Err(e),
        }
    }
    if failures.is_empty() {
        done.sort_by_key(|(i, _)| *i);
        Ok(done.into_iter().map(|(_, t)| t).collect())
    } else {
        failures.sort_by_key(|(i, _, _)| *i);
        Err(batch_failure(field, inputs.len(), failures))
    }
}

/// Records the same wipe for many devices (each its only drive or built-in storage).
pub fn record_wipes(conn: &mut DbConn, caller: &Caller, b: BatchWipe) -> AppResult<Vec<WipeRow>> {
    caller.require(Perm::RecordRefurbishment)?;
    let mut errors = wipe_body_errors(&b.wipe);
    if b.wipe.drive_id.is_some() {
        errors.push(FieldError::new(
            "drive_id",
            "cannot be one drive for many devices; leave it out (each device's only drive is used)",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(
            errors
                .into_iter()
                .map(|e| FieldError::new(format!("wipe.{}", e.field), e.message))
                .collect(),
        ));
    }
    for_each_device(conn, caller, "devices", &b.devices, |conn, d| {
        on_the_bench(d, "a wipe")?;
        wipe_locked(conn, caller, d, &b.wipe, Vec::new())
    })
}

/// Records the same refurbishment result for many devices.
pub fn record_refurbishments(
    conn: &mut DbConn,
    caller: &Caller,
    b: BatchRefurbishment,
) -> AppResult<Vec<RefurbishmentRow>> {
    caller.require(Perm::RecordRefurbishment)?;
    if let Err(e) = b.refurbishment.validate() {
        return Err(AppError::invalid_fields(crate::error::flatten_validation(
            "refurbishment",
            &e,
        )));
    }
    for_each_device(conn, caller, "devices", &b.devices, |conn, d| {
        on_the_bench(d, "a refurbishment")?;
        refurbish_locked(conn, caller, d, &b.refurbishment)
    })
}

/// The reset of pool devices back from a booking: a factory reset with encryption on (a
/// cryptographic erase, NIST SP 800-88 purge) or the tool's crypto-erase, done by the lending
/// service itself.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolReset {
    /// The scanned asset tags (or ids) of the devices reset.
    pub asset_tags: Vec<String>,
    /// `factory_reset` (default) or `crypto_erase`.
    #[serde(default = "factory_reset")]
    pub technique: WipeTechnique,
    /// `purge` (default: a reset with encryption on) or `clear`.
    #[serde(default = "purge")]
    pub category: WipeCategory,
    /// Default "factory reset (built-in)".
    #[validate(length(min = 1, max = 100))]
    pub tool: Option<String>,
    /// Default "n/a".
    #[validate(length(min = 1, max = 50))]
    pub tool_version: Option<String>,
    #[serde(default)]
    pub verified: bool,
    #[serde(default = "no_verification")]
    pub verification_method: Verification,
    /// Default: now.
    pub started_at: Option<DateTime<Utc>>,
    /// Default: now.
    pub ended_at: Option<DateTime<Utc>>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

fn factory_reset() -> WipeTechnique {
    WipeTechnique::FactoryReset
}

fn purge() -> WipeCategory {
    WipeCategory::Purge
}

fn no_verification() -> Verification {
    Verification::None
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
    if !caller.can(Perm::ManageBookings) {
        caller.require(Perm::RecordRefurbishment)?;
    }
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
        if matches!(last_event(conn, &d.id, &["lend", "book_out"])?, Some((ref a, _)) if a == "lend")
        {
            return Err(AppError::conflict_with(
                format!(
                    "Device {} came back from a loan to a person; it goes through the workshop (wipe and refurbish).",
                    d.asset_tag
                ),
                json!({ "current_status": d.status }),
            ));
        }
        let device_drives = drives_of(conn, &d.id)?;
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
            crate::domain::lifecycle::Action::Release,
            json!({ "reset": r.technique, "note": r.note }),
        )?;
        Ok(d.clone())
    })
}
