//! Editing a device's fields (never its status), recording what changed in its history.

use diesel::prelude::*;
use serde_json::{json, Value};
use validator::Validate;

use super::history::{append_event, EventAction};
use super::lookup::lock;
use super::{serial_key, specs_json, Specs};
use crate::auth::{Caller, Perm};
use crate::db::models::DeviceRow;
use crate::db::schema::devices;
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};

/// Fields that may be edited; status is not one of them (it changes only through actions).
#[derive(Debug, Clone, Default, Validate)]
pub struct DevicePatch {
    #[validate(length(min = 1, max = 60))]
    pub subtype: Option<String>,
    #[validate(length(min = 1, max = 100))]
    pub brand: Option<String>,
    #[validate(length(min = 1, max = 100))]
    pub model: Option<String>,
    #[validate(length(min = 1, max = 100))]
    pub serial_number: Option<String>,
    #[validate(nested)]
    pub specs: Option<Specs>,
    #[validate(length(max = 1000))]
    pub accessories: Option<String>,
    #[validate(length(max = 4000))]
    pub notes: Option<String>,
    #[validate(length(max = 100))]
    pub shelf_location: Option<String>,
    pub in_pool: Option<bool>,
}

/// Edits fields (never the status) and records what changed.
pub fn edit(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    patch: DevicePatch,
) -> AppResult<DeviceRow> {
    caller.require(Perm::RegisterDevices)?;
    patch.validate()?;
    if patch.in_pool.is_some() {
        // The pool flag is a commitment: serialise with loans and bookings first.
        crate::domain::commitments::lock_pool(conn)?;
    }
    let mut d = lock(conn, caller, id)?;
    if let Some(v) = patch.in_pool {
        crate::domain::commitments::check_pool_change(conn, &d, v)?;
    }
    let mut changes = serde_json::Map::new();
    let mut set = |name: &str, old: Value, new: Value| {
        if old != new {
            changes.insert(name.to_string(), json!({ "from": old, "to": new }));
        }
    };
    if let Some(v) = patch.subtype {
        set("subtype", json!(d.subtype), json!(v));
        d.subtype = Some(v);
    }
    if let Some(v) = patch.brand {
        set("brand", json!(d.brand), json!(v));
        d.brand = v;
    }
    if let Some(v) = patch.model {
        set("model", json!(d.model), json!(v));
        d.model = v;
    }
    if let Some(v) = patch.serial_number {
        let key = serial_key(&v);
        if d.serial_key.as_deref() != Some(&key) {
            let taken: Option<String> = devices::table
                .filter(devices::serial_key.eq(&key))
                .select(devices::asset_tag)
                .first(conn)
                .optional()?;
            if let Some(tag) = taken {
                return Err(AppError::invalid(
                    "serial_number",
                    format!("serial number is already registered as {tag}"),
                ));
            }
        }
        set("serial_number", json!(d.serial_number), json!(v));
        d.serial_number = Some(v.trim().to_string());
        d.serial_key = Some(key);
    }
    if let Some(v) = patch.specs {
        let new = specs_json(&v)?;
        let old_v: Value = serde_json::from_str(&d.specs).unwrap_or(Value::Null);
        set(
            "specs",
            old_v,
            serde_json::to_value(&v).map_err(AppError::internal)?,
        );
        d.specs = new;
    }
    if let Some(v) = patch.accessories {
        set("accessories", json!(d.accessories), json!(v));
        d.accessories = Some(v);
    }
    if let Some(v) = patch.notes {
        set("notes", json!(d.notes), json!(v));
        d.notes = Some(v);
    }
    if let Some(v) = patch.shelf_location {
        set("shelf_location", json!(d.shelf_location), json!(v));
        d.shelf_location = Some(v);
    }
    if let Some(v) = patch.in_pool {
        set("in_pool", json!(d.in_pool), json!(v));
        d.in_pool = v;
    }
    if changes.is_empty() {
        return Ok(d);
    }
    let at = now();
    d.version += 1;
    d.updated_at = at;
    diesel::update(devices::table.find(&d.id))
        .set((
            devices::subtype.eq(&d.subtype),
            devices::brand.eq(&d.brand),
            devices::model.eq(&d.model),
            devices::serial_number.eq(&d.serial_number),
            devices::serial_key.eq(&d.serial_key),
            devices::specs.eq(&d.specs),
            devices::accessories.eq(&d.accessories),
            devices::notes.eq(&d.notes),
            devices::shelf_location.eq(&d.shelf_location),
            devices::in_pool.eq(d.in_pool),
            devices::version.eq(d.version),
            devices::updated_at.eq(d.updated_at),
        ))
        .execute(conn)?;
    append_event(
        conn,
        &d.id,
        Some(&caller.user_id),
        EventAction::Edited,
        Some(d.status),
        d.status,
        Value::Object(changes),
        at,
    )?;
    Ok(d)
}
