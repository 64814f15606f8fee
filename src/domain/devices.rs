//! Devices: registration (one, many, CSV), look-up, listing, editing, lifecycle actions and
//! the append-only history.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{visibility, Caller, Perm};
use crate::db::models::{DeviceEventRow, DeviceRow};
use crate::db::schema::{device_events, devices, donations};
use crate::db::{next_counter, now, DbConn};
use crate::domain::accounts::{new_id, Role};
use crate::domain::lifecycle::{self, Action, Status};
use crate::error::{AppError, AppResult, FieldError};

crate::text_enum!(
    /// What a device is.
    DeviceKind {
        Laptop => "laptop",
        Tablet => "tablet",
        /// An educational robot.
        Robot => "robot",
        Smartphone => "smartphone",
        Desktop => "desktop",
        /// Beamer, VR headset, headphones, charger, hotspot, ...: see `subtype`.
        Peripheral => "peripheral",
    }
);

crate::text_enum!(
    /// Storage technology of a drive.
    DriveType {
        Hdd => "hdd",
        Ssd => "ssd",
        Nvme => "nvme",
        Emmc => "emmc",
        Flash => "flash",
        Other => "other",
    }
);

/// One storage drive of a device.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Drive {
    #[serde(rename = "type")]
    pub drive_type: DriveType,
    #[validate(range(min = 1, max = 1_000_000, message = "must be between 1 and 1000000 GB"))]
    pub size_gb: u32,
    #[validate(length(max = 100))]
    pub serial: Option<String>,
}

/// Technical specifications; all optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Specs {
    #[validate(length(max = 200))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[validate(range(min = 1, max = 4096, message = "must be between 1 and 4096 GB"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ram_gb: Option<u32>,
    #[validate(length(max = 200))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[validate(nested, length(max = crate::domain::limits::MAX_DRIVES))]
    #[serde(default)]
    pub drives: Vec<Drive>,
}

/// A device to register.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
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
    #[serde(default)]
    pub specs: Specs,
    #[validate(length(max = 1000))]
    pub accessories: Option<String>,
    #[validate(length(max = 4000))]
    pub notes: Option<String>,
    #[validate(length(max = 100))]
    pub shelf_location: Option<String>,
    /// Part of the lending service's booking pool.
    #[serde(default)]
    pub in_pool: bool,
}

/// Fields that may be edited; status is not one of them (it changes only through actions).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
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

/// The key under which a serial number is unique and searched: trimmed, upper case.
pub fn serial_key(serial: &str) -> String {
    serial.trim().to_uppercase()
}

pub fn format_tag(prefix: &str, seq: i64) -> String {
    format!("{prefix}-{seq:06}")
}

fn specs_json(specs: &Specs) -> AppResult<String> {
    serde_json::to_string(specs).map_err(AppError::internal)
}

pub fn parse_specs(row: &DeviceRow) -> Specs {
    serde_json::from_str(&row.specs).unwrap_or_default()
}

/// Appends one event to a device's history. The caller holds the device's row lock (or
/// SQLite's write lock), so the next sequence number cannot be taken twice; the unique index
/// on (device, seq) guards it anyway.
#[allow(clippy::too_many_arguments)]
pub fn append_event(
    conn: &mut DbConn,
    device_id: &str,
    actor: Option<&str>,
    action: &str,
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
        action: action.to_string(),
        status_before: before,
        status_after: after,
        detail: detail.to_string(),
    };
    diesel::insert_into(device_events::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
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
            action: "registered".into(),
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

/// How much of the inventory a caller sees (the rules: `crate::auth::visibility`).
pub use crate::auth::visibility::DeviceScope as Scope;

pub fn scope_of(caller: &Caller) -> AppResult<Scope> {
    caller.require(Perm::ReadDevices)?;
    Ok(visibility::device_scope(caller))
}

pub fn visible(scope: &Scope, d: &DeviceRow) -> bool {
    visibility::device_in(scope, d)
}

fn not_found() -> AppError {
    AppError::not_found("The device")
}

/// The id of the device that `input` names — its id, its asset tag or its label's URL — or a
/// 404. Every look-up and change of one device goes through here (by way of [`find`] and
/// [`lock`]), so a scanned tag works wherever an id does.
pub fn resolve(conn: &mut DbConn, input: &str) -> AppResult<String> {
    crate::domain::device_ref::device_id(conn, input)?.ok_or_else(not_found)
}

/// Finds a device by id or asset tag ([`resolve`]), or by serial number, within the caller's
/// scope.
pub fn find(conn: &mut DbConn, caller: &Caller, by: Lookup<'_>) -> AppResult<DeviceRow> {
    let scope = scope_of(caller)?;
    let query = devices::table.select(DeviceRow::as_select()).into_boxed();
    let query = match by {
        Lookup::Id(id) => query.filter(devices::id.eq(resolve(conn, id)?)),
        Lookup::Tag(tag) => query.filter(devices::asset_tag.eq(tag.trim().to_uppercase())),
        Lookup::Serial(serial) => query.filter(devices::serial_key.eq(serial_key(serial))),
    };
    let row = query.first(conn).optional()?.ok_or_else(not_found)?;
    if visible(&scope, &row) {
        Ok(row)
    } else {
        Err(not_found())
    }
}

pub enum Lookup<'a> {
    /// An id or an asset tag (or a label URL).
    Id(&'a str),
    Tag(&'a str),
    Serial(&'a str),
}

/// Locks a device (named by id or asset tag, see [`resolve`]) for a change and checks the
/// caller may see it.
pub fn lock(conn: &mut DbConn, caller: &Caller, id_or_tag: &str) -> AppResult<DeviceRow> {
    let scope = scope_of(caller)?;
    let id = resolve(conn, id_or_tag)?;
    let row: DeviceRow = crate::locked_first!(
        conn,
        devices::table.find(&id).select(DeviceRow::as_select())
    )
    .optional()?
    .ok_or_else(not_found)?;
    if visible(&scope, &row) {
        Ok(row)
    } else {
        Err(not_found())
    }
}

/// Filters for the device list.
#[derive(Debug, Default, Clone, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeviceFilter {
    pub status: Option<Status>,
    pub kind: Option<DeviceKind>,
    /// The organisation holding the device now (workshop, welfare office, school).
    pub holder_organisation_id: Option<uuid::Uuid>,
    pub donation_id: Option<uuid::Uuid>,
    pub workshop_id: Option<uuid::Uuid>,
    pub in_pool: Option<bool>,
    /// Asset tags starting with this (case-insensitive; uses the index).
    pub tag_prefix: Option<String>,
    /// Serial numbers starting with this (case-insensitive; uses the index).
    pub serial_prefix: Option<String>,
    /// Free text found in the tag, serial, brand or model.
    pub q: Option<String>,
    /// `asset_tag` (default) or `-asset_tag`.
    pub sort: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Upper bound for a prefix range: `p <= x < p + U+10FFFF`, which any btree index answers.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// One page of devices in keyset order (by registration number, which is the tag order).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    f: &DeviceFilter,
    limit: i64,
    after: Option<i64>,
) -> AppResult<(Vec<DeviceRow>, Option<i64>)> {
    let scope = scope_of(caller)?;
    let descending = match f.sort.as_deref() {
        None | Some("asset_tag") => false,
        Some("-asset_tag") => true,
        Some(other) => {
            return Err(AppError::invalid(
                "sort",
                format!("{other:?} is not one of: asset_tag, -asset_tag"),
            ))
        }
    };
    let mut q = devices::table.select(DeviceRow::as_select()).into_boxed();
    match &scope {
        Scope::All => {}
        Scope::Workshop(org) => {
            q = q.filter(
                devices::workshop_id
                    .eq(org.clone())
                    .and(devices::status.eq_any(visibility::WORKSHOP_STATUSES)),
            )
        }
        Scope::Office(org) => {
            q = q.filter(
                devices::status
                    .eq(Status::Ready)
                    .or(devices::holder_organisation_id.eq(org.clone())),
            )
        }
        Scope::Nothing => return Ok((Vec::new(), None)),
    }
    if let Some(s) = f.status {
        q = q.filter(devices::status.eq(s));
    }
    if let Some(k) = f.kind {
        q = q.filter(devices::kind.eq(k));
    }
    if let Some(o) = f.holder_organisation_id {
        q = q.filter(devices::holder_organisation_id.eq(o.to_string()));
    }
    if let Some(d) = f.donation_id {
        q = q.filter(devices::donation_id.eq(d.to_string()));
    }
    if let Some(w) = f.workshop_id {
        q = q.filter(devices::workshop_id.eq(w.to_string()));
    }
    if let Some(p) = f.in_pool {
        q = q.filter(devices::in_pool.eq(p));
    }
    if let Some(p) = f
        .tag_prefix
        .as_deref()
        .map(|p| p.trim().to_uppercase())
        .filter(|p| !p.is_empty())
    {
        q = q.filter(
            devices::asset_tag
                .ge(p.clone())
                .and(devices::asset_tag.lt(prefix_end(&p))),
        );
    }
    if let Some(p) = f
        .serial_prefix
        .as_deref()
        .map(serial_key)
        .filter(|p| !p.is_empty())
    {
        q = q.filter(
            devices::serial_key
                .ge(p.clone())
                .and(devices::serial_key.lt(prefix_end(&p))),
        );
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let escaped = text
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        let upper = pattern.to_uppercase();
        q = q.filter(
            devices::asset_tag
                .like(upper.clone())
                .escape('\\')
                .or(devices::serial_key.like(upper).escape('\\'))
                .or(lower(devices::brand).like(pattern.clone()).escape('\\'))
                .or(lower(devices::model).like(pattern).escape('\\')),
        );
    }
    if let Some(after) = after {
        q = if descending {
            q.filter(devices::seq.lt(after))
        } else {
            q.filter(devices::seq.gt(after))
        };
    }
    q = if descending {
        q.order(devices::seq.desc())
    } else {
        q.order(devices::seq.asc())
    };
    let mut rows: Vec<DeviceRow> = q.limit(limit + 1).load(conn)?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.seq)
    } else {
        None
    };
    Ok((rows, next))
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
        "edited",
        Some(d.status),
        d.status,
        Value::Object(changes),
        at,
    )?;
    Ok(d)
}

/// The 409 for an action the current status does not allow.
pub fn refuse(d: &DeviceRow, action: Action) -> AppError {
    let allowed = lifecycle::allowed_actions(d.status);
    AppError::conflict_with(
        format!(
            "Device {} is {}; the action {} is not allowed. Allowed now: {}.",
            d.asset_tag,
            d.status,
            action,
            if allowed.is_empty() {
                "none".to_string()
            } else {
                allowed
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
        json!({ "current_status": d.status, "allowed_actions": allowed }),
    )
}

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
    let to = lifecycle::next_status(d.status, action).ok_or_else(|| refuse(d, action))?;
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
        action.as_str(),
        Some(before),
        to,
        detail,
        at,
    )
}

/// Whether the caller's role may perform `action` through the action endpoint: refurbishers
/// only the workshop's steps.
fn role_may(caller: &Caller, action: Action) -> bool {
    caller.can(Perm::ActOnDevices)
        && (caller.role != Role::Refurbisher
            || matches!(
                action,
                Action::Wipe
                    | Action::Refurbish
                    | Action::Release
                    | Action::SendToRepair
                    | Action::Retire
            ))
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
            && role_may(caller, action)
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
        return Err(AppError::conflict_with(
            format!(
                "The action {action} is performed through loans or bookings, so that the loan or booking is recorded with it."
            ),
            json!({ "current_status": d.status, "allowed_actions": lifecycle::allowed_actions(d.status) }),
        ));
    }
    if matches!(d.status, Status::OnLoan | Status::BookedOut) {
        return Err(AppError::conflict_with(
            format!(
                "Device {} is {}; record its return, loss or sale through its loan or booking.",
                d.asset_tag, d.status
            ),
            json!({ "current_status": d.status, "allowed_actions": lifecycle::allowed_actions(d.status) }),
        ));
    }
    if !role_may(caller, action) {
        return Err(AppError::Forbidden(format!(
            "A {} may not perform {action}.",
            caller.role
        )));
    }
    transition(conn, caller, &mut d, action, json!({ "note": note }))?;
    Ok(d)
}

/// The complete history of a device, oldest first, as the caller may see it: the personal
/// text kept beside an event is merged into its detail, and the detail of a loan or booking
/// event the caller may not read is replaced by `{"redacted": true}` (the action and statuses
/// still show that the device was lent and came back).
pub fn history(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<Vec<DeviceEventRow>> {
    use crate::db::schema::{bookings, loans};
    use std::collections::HashMap;
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
