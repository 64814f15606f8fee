//! Refurbishment records: the checks each kind of device must pass (`CHECKS_BY_KIND`, the
//! one table), recording one device's result or the same result for many.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::batch::for_each_device;
use super::{on_the_bench, technician_name, workshop_for, Grade};
use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceRow, RefurbishmentRow};
use crate::db::schema::refurbishments;
use crate::db::{now, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::devices::{self as dev, append_event, EventAction, Lookup};
use crate::domain::refusal::{self, RefusalCode as Code};
use crate::error::{AppError, AppResult, FieldError};

// `Checks` is stored as it is sent (the JSON of `refurbishments.checks`), so one type serves
// the column and the wire; `BatteryCheck` is part of the table the API serves.

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

impl Checks {
    /// Sets the check called `name` (unknown names are ignored).
    pub fn set(&mut self, name: &str, value: bool) {
        let slot = match name {
            "boots" => &mut self.boots,
            "screen" => &mut self.screen,
            "keyboard" => &mut self.keyboard,
            "touchpad" => &mut self.touchpad,
            "ports" => &mut self.ports,
            "camera" => &mut self.camera,
            "wifi" => &mut self.wifi,
            "charger_present" => &mut self.charger_present,
            "works" => &mut self.works,
            _ => return,
        };
        *slot = Some(value);
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
            errors.push(refusal::field(
                format!("checks.{name}"),
                Code::CheckRequired,
                format!("is required for a {kind}"),
            ));
        }
    }
    if let Some(failed) = required.iter().find(|n| r.checks.get(n) == Some(false)) {
        if r.functional_pass {
            errors.push(refusal::field(
                "functional_pass",
                Code::PassWithFailedCheck,
                format!("cannot be true when the check {failed} failed"),
            ));
        }
    }
    if battery == BatteryCheck::Required && r.battery_health_pct.is_none() {
        errors.push(refusal::field(
            "battery_health_pct",
            Code::BatteryRequired,
            format!("is required for a {kind} (full-charge ÷ design capacity, in percent)"),
        ));
    }
    errors
}

/// A refurbishment and grading of one device.
#[derive(Debug, Clone, Validate)]
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
    let workshop = workshop_for(caller, d);
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
        EventAction::RefurbishmentRecorded,
        Some(d.status),
        d.status,
        json!({ "refurbishment_id": row.id, "grade": row.cosmetic_grade, "functional_pass": row.functional_pass }),
        at,
    )?;
    Ok(row)
}

/// Every refurbishment of a device, oldest first.
pub fn refurbishments_of(
    conn: &mut DbConn,
    device: &DeviceRow,
) -> AppResult<Vec<RefurbishmentRow>> {
    Ok(refurbishments::table
        .filter(refurbishments::device_id.eq(&device.id))
        .order((refurbishments::created_at.asc(), refurbishments::id.asc()))
        .select(RefurbishmentRow::as_select())
        .load(conn)?)
}

/// The refurbishments of a device the caller can see (named by id, asset tag or label URL).
pub fn device_refurbishments(
    conn: &mut DbConn,
    caller: &Caller,
    device: &str,
) -> AppResult<Vec<RefurbishmentRow>> {
    caller.require(Perm::ReadDevices)?;
    let d = dev::find(conn, caller, Lookup::Id(device))?;
    refurbishments_of(conn, &d)
}

/// Records the same refurbishment result for many devices.
/// `devices` are ids or scanned asset tags (or label URLs).
pub fn record_refurbishments(
    conn: &mut DbConn,
    caller: &Caller,
    devices: &[String],
    refurbishment: NewRefurbishment,
) -> AppResult<Vec<RefurbishmentRow>> {
    caller.require(Perm::RecordRefurbishment)?;
    if let Err(e) = refurbishment.validate() {
        return Err(AppError::invalid_fields(crate::error::flatten_validation(
            "refurbishment",
            &e,
        )));
    }
    for_each_device(conn, caller, "devices", devices, |conn, d| {
        on_the_bench(d, "a refurbishment")?;
        refurbish_locked(conn, caller, d, &refurbishment)
    })
}
