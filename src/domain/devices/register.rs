//! Registering devices: one, a donation batch, or the rows of a CSV file; all or nothing,
//! each with its asset tag and a `registered` event.

use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::history::EventAction;
use super::{format_tag, serial_key, specs_json, DeviceKind, Specs};
use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceEventRow, DeviceRow};
use crate::db::schema::{device_events, devices, donations};
use crate::db::{next_counter, now, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::lifecycle::Status;
use crate::error::{AppError, AppResult, FieldError};

/// A device to register.
#[derive(Debug, Clone, Validate)]
pub struct NewDevice {
    pub kind: DeviceKind,
    /// For peripherals: beamer, vr_headset, headphones, charger, hotspot, ...
    #[validate(length(min = 1, max = 60))]
    pub subtype: Option<String>,
    #[validate(length(min = 1, max = 100, message = "is required (1 to 100 characters)"))]
    pub brand: String,
    #[validate(length(min = 1, max = 100, message = "is required (1 to 100 characters)"))]
    pub model: String,
    /// Unique among all devices when given.
    #[validate(length(min = 1, max = 100))]
    pub serial_number: Option<String>,
    #[validate(nested)]
    pub specs: Specs,
    #[validate(length(max = 1000))]
    pub accessories: Option<String>,
    #[validate(length(max = 4000))]
    pub notes: Option<String>,
    #[validate(length(max = 100))]
    pub shelf_location: Option<String>,
    /// Part of the lending service's booking pool.
    pub in_pool: bool,
}

/// Checks serial numbers against each other and the database; returns one error per clash.
fn check_serials(
    conn: &mut DbConn,
    items: &[NewDevice],
    field_of: &dyn Fn(usize) -> String,
) -> AppResult<Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let keys: Vec<(usize, String)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.serial_number.as_deref().map(|s| (i, serial_key(s))))
        .collect();
    for (i, key) in &keys {
        if let Some(first) = seen.insert(key.clone(), *i) {
            errors.push(FieldError::new(
                field_of(*i),
                format!(
                    "serial number {key} appears twice in this request (also {})",
                    field_of(first)
                ),
            ));
        }
    }
    for chunk in keys.chunks(500) {
        let wanted: Vec<&str> = chunk.iter().map(|(_, k)| k.as_str()).collect();
        let taken: Vec<(Option<String>, String)> = devices::table
            .filter(devices::serial_key.eq_any(&wanted))
            .select((devices::serial_key, devices::asset_tag))
            .load(conn)?;
        for (key, tag) in taken {
            if let Some((i, _)) = chunk.iter().find(|(_, k)| Some(k) == key.as_ref()) {
                errors.push(FieldError::new(
                    field_of(*i),
                    format!("serial number is already registered as {tag}"),
                ));
            }
        }
    }
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    Ok(errors)
}

/// Registers devices, all or nothing, each with its asset tag and a `registered` event.
pub fn register(
    conn: &mut DbConn,
    caller: &Caller,
    tag_prefix: &str,
    donation_id: Option<&str>,
    items: Vec<NewDevice>,
    field_of: &dyn Fn(usize) -> String,
) -> AppResult<Vec<DeviceRow>> {
    caller.require(Perm::RegisterDevices)?;
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Err(e) = item.validate() {
            errors.extend(crate::error::flatten_validation(&field_of(i), &e));
        }
        if item.kind == DeviceKind::Peripheral && item.subtype.is_none() {
            errors.push(FieldError::new(
                format!("{}.subtype", field_of(i)),
                "a peripheral needs a subtype (beamer, vr_headset, headphones, charger, ...)",
            ));
        }
    }
    errors.extend(check_serials(conn, &items, field_of)?);
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    let (owner, workshop) = match donation_id {
        Some(id) => {
            let (owner, workshop): (String, Option<String>) = donations::table
                .find(id)
                .select((donations::owner_organisation_id, donations::workshop_id))
                .first(conn)?;
            (owner, workshop)
        }
        None => (caller.organisation_id.clone(), None),
    };
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let count = i64::try_from(items.len()).map_err(AppError::internal)?;
    let first = next_counter(conn, "device_seq", count)?;
    let at = now();
    let mut rows = Vec::with_capacity(items.len());
    for (offset, item) in items.into_iter().enumerate() {
        let seq = first + offset as i64;
        rows.push(DeviceRow {
            id: new_id(),
            seq,
            asset_tag: format_tag(tag_prefix, seq),
            kind: item.kind,
            subtype: item.subtype,
            brand: item.brand.trim().to_string(),
            model: item.model.trim().to_string(),
            serial_key: item.serial_number.as_deref().map(serial_key),
            serial_number: item.serial_number.map(|s| s.trim().to_string()),
            specs: specs_json(&item.specs)?,
            accessories: item.accessories,
            notes: item.notes,
            status: Status::Received,
            donation_id: donation_id.map(str::to_string),
            owner_organisation_id: owner.clone(),
            holder_organisation_id: workshop.clone(),
            workshop_id: workshop.clone(),
            in_pool: item.in_pool,
            shelf_location: item.shelf_location,
            version: 1,
            created_at: at,
            updated_at: at,
            accessories_back: None,
        });
    }
    let events: Vec<DeviceEventRow> = rows
        .iter()
        .map(|d| DeviceEventRow {
            id: new_id(),
            device_id: d.id.clone(),
            seq: 1,
            at,
            actor_user_id: Some(caller.user_id.clone()),
            action: EventAction::Registered.as_str().into(),
            status_before: None,
            status_after: Status::Received,
            detail: json!({ "asset_tag": d.asset_tag, "donation_id": d.donation_id }).to_string(),
        })
        .collect();
    // Batch inserts are written per backend (MultiBackend has no batch insert); chunks stay
    // below SQLite's limit on bound parameters.
    for chunk in rows.chunks(500) {
        crate::on_backend!(conn, c => diesel::insert_into(devices::table).values(chunk).execute(c))?;
    }
    for chunk in events.chunks(1000) {
        crate::on_backend!(conn, c => diesel::insert_into(device_events::table).values(chunk).execute(c))?;
    }
    crate::domain::refurbishment::insert_drives(conn, &rows)?;
    Ok(rows)
}
