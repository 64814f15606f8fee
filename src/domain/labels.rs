//! Asset labels and the scan landing: which devices a label request selects, what is printed on
//! each label, and what the public page behind a label's QR code may show.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceRow, OrganisationRow};
use crate::db::schema::{devices, organisations};
use crate::db::DbConn;
use crate::domain::devices::{find, scope_of, visible, DeviceFilter, DeviceKind, Lookup};
use crate::domain::ids::DeviceId;
use crate::error::{AppError, AppResult, FieldError};
use crate::labels::{LabelCatalog, LabelData, LabelStock};

/// Most labels in one PDF request.
pub const MAX_LABELS: usize = 5000;

/// Rows per `IN (...)` query, below SQLite's limit on bound parameters.
const CHUNK: usize = 500;

/// The devices a sheet request asks for.
pub enum Selection {
    /// Device ids, printed in the order given.
    DeviceIds(Vec<String>),
    /// Asset tags (case-insensitive), printed in the order given.
    AssetTags(Vec<String>),
    /// Every device of a donation the caller can see, in asset-tag order.
    Donation(String),
    /// Every device matching a filter that the caller can see, in asset-tag order.
    Filter(DeviceFilter),
}

/// The public URL of a device: what its QR code encodes. Kept short on purpose (a short URL
/// keeps the QR code at a low version, with large modules).
pub fn device_url(public_base_url: &str, asset_tag: &str) -> String {
    format!("{}/d/{asset_tag}", public_base_url.trim_end_matches('/'))
}

/// The kind as printed and shown: `Laptop`, or a peripheral's subtype (`Vr headset`).
pub fn kind_label(kind: DeviceKind, subtype: Option<&str>) -> String {
    let raw = match (kind, subtype) {
        (DeviceKind::Peripheral, Some(s)) if !s.trim().is_empty() => s.trim().replace('_', " "),
        _ => kind.as_str().to_string(),
    };
    let mut chars = raw.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => raw,
    }
}

/// Brand and model on one line.
pub fn model_line(row: &DeviceRow) -> Option<String> {
    let line = format!("{} {}", row.brand.trim(), row.model.trim());
    let line = line.trim();
    (!line.is_empty()).then(|| line.to_string())
}

/// What is printed on a device's label.
pub fn label_data(row: &DeviceRow, owner_short: &str, public_base_url: &str) -> LabelData {
    LabelData {
        url: device_url(public_base_url, &row.asset_tag),
        asset_tag: row.asset_tag.clone(),
        owner_short: owner_short.to_string(),
        kind: kind_label(row.kind, row.subtype.as_deref()),
        model: model_line(row),
    }
}

/// The label stocks the caller may print on.
pub fn stocks<'a>(caller: &Caller, catalog: &'a LabelCatalog) -> AppResult<Vec<&'a LabelStock>> {
    caller.require(Perm::PrintLabels)?;
    Ok(catalog.stocks().collect())
}

/// The stock `id` names, for a caller who may print; a 422 listing the known stocks when it
/// is missing or unknown.
pub fn stock(caller: &Caller, catalog: &LabelCatalog, id: Option<&str>) -> AppResult<LabelStock> {
    caller.require(Perm::PrintLabels)?;
    let known = catalog
        .stocks()
        .map(|s| s.id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    match id.map(str::trim).filter(|s| !s.is_empty()) {
        None => Err(AppError::invalid(
            "stock",
            format!("is required; known stocks: {known}"),
        )),
        Some(id) => catalog.get(id).cloned().ok_or_else(|| {
            AppError::invalid(
                "stock",
                format!("{id:?} is not a known label stock; known stocks: {known}"),
            )
        }),
    }
}

/// What is printed on the label of one device the caller may print and see.
pub fn one(
    conn: &mut DbConn,
    caller: &Caller,
    id: &DeviceId,
    public_base_url: &str,
) -> AppResult<LabelData> {
    caller.require(Perm::PrintLabels)?;
    let row = find(conn, caller, Lookup::Id(id.as_str()))?;
    Ok(
        labels_of(conn, std::slice::from_ref(&row), public_base_url)?
            .pop()
            .unwrap_or_else(|| label_data(&row, "", public_base_url)),
    )
}

/// What is printed on the labels of the devices the caller asked for, in order (see
/// [`select`]).
pub fn sheet(
    conn: &mut DbConn,
    caller: &Caller,
    selection: &Selection,
    public_base_url: &str,
) -> AppResult<Vec<LabelData>> {
    caller.require(Perm::PrintLabels)?;
    let rows = select(conn, caller, selection)?;
    labels_of(conn, &rows, public_base_url)
}

fn labels_of(
    conn: &mut DbConn,
    rows: &[DeviceRow],
    public_base_url: &str,
) -> AppResult<Vec<LabelData>> {
    let owners = owner_short_names(conn, rows)?;
    Ok(rows
        .iter()
        .map(|r| {
            let owner = owners
                .get(&r.owner_organisation_id)
                .map_or("", String::as_str);
            label_data(r, owner, public_base_url)
        })
        .collect())
}

/// Short names of the owners of `rows`, by organisation id.
pub fn owner_short_names(
    conn: &mut DbConn,
    rows: &[DeviceRow],
) -> AppResult<HashMap<String, String>> {
    let mut ids: Vec<&str> = rows
        .iter()
        .map(|r| r.owner_organisation_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut names = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let found: Vec<(String, String)> = organisations::table
            .filter(organisations::id.eq_any(chunk))
            .select((organisations::id, organisations::short_name))
            .load(conn)?;
        names.extend(found);
    }
    Ok(names)
}

/// The labels of the devices `caller` asked for, or a 422 naming every id or tag that does not
/// exist or is outside the caller's scope, or a selection that is empty or too large.
pub fn select(
    conn: &mut DbConn,
    caller: &Caller,
    selection: &Selection,
) -> AppResult<Vec<DeviceRow>> {
    caller.require(Perm::PrintLabels)?;
    let scope = scope_of(caller)?;
    match selection {
        Selection::DeviceIds(ids) => {
            let keys: Vec<Option<String>> = ids
                .iter()
                .map(|raw| {
                    uuid::Uuid::parse_str(raw.trim())
                        .ok()
                        .map(|u| u.to_string())
                })
                .collect();
            let wanted: Vec<&str> = keys.iter().flatten().map(String::as_str).collect();
            let mut found = HashMap::new();
            for chunk in wanted.chunks(CHUNK) {
                let rows: Vec<DeviceRow> = devices::table
                    .filter(devices::id.eq_any(chunk))
                    .select(DeviceRow::as_select())
                    .load(conn)?;
                found.extend(
                    rows.into_iter()
                        .filter(|r| visible(&scope, r))
                        .map(|r| (r.id.clone(), r)),
                );
            }
            pick(ids, &keys, &found, "device_ids", "no device with id")
        }
        Selection::AssetTags(tags) => {
            let keys: Vec<Option<String>> = tags
                .iter()
                .map(|t| Some(t.trim().to_uppercase()).filter(|t| !t.is_empty()))
                .collect();
            let wanted: Vec<&str> = keys.iter().flatten().map(String::as_str).collect();
            let mut found = HashMap::new();
            for chunk in wanted.chunks(CHUNK) {
                let rows: Vec<DeviceRow> = devices::table
                    .filter(devices::asset_tag.eq_any(chunk))
                    .select(DeviceRow::as_select())
                    .load(conn)?;
                found.extend(
                    rows.into_iter()
                        .filter(|r| visible(&scope, r))
                        .map(|r| (r.asset_tag.clone(), r)),
                );
            }
            pick(
                tags,
                &keys,
                &found,
                "asset_tags",
                "no device with asset tag",
            )
        }
        Selection::Donation(id) => {
            let filter = DeviceFilter {
                donation_id: uuid::Uuid::parse_str(id.trim())
                    .ok()
                    .map(|u| u.to_string().into()),
                ..DeviceFilter::default()
            };
            if filter.donation_id.is_none() {
                return Err(no_donation());
            }
            let rows = filtered(conn, caller, &filter, "donation_id")?;
            if rows.is_empty() {
                return Err(no_donation());
            }
            Ok(rows)
        }
        Selection::Filter(filter) => {
            let rows = filtered(conn, caller, filter, "filter")?;
            if rows.is_empty() {
                return Err(AppError::invalid(
                    "filter",
                    "matches no device that you can see",
                ));
            }
            Ok(rows)
        }
    }
}

/// Same message whether the donation does not exist or none of its devices is visible, so that
/// a refurbisher learns nothing about other workshops' donations.
fn no_donation() -> AppError {
    AppError::invalid(
        "donation_id",
        "is not a donation with devices that you can see",
    )
}

/// Devices matching `filter` in the caller's scope; refuses more than [`MAX_LABELS`].
fn filtered(
    conn: &mut DbConn,
    caller: &Caller,
    filter: &DeviceFilter,
    field: &str,
) -> AppResult<Vec<DeviceRow>> {
    let limit = i64::try_from(MAX_LABELS).map_err(AppError::internal)?;
    let (rows, more) = crate::domain::devices::list(conn, caller, filter, limit, None)?;
    if more.is_some() {
        return Err(AppError::invalid(
            field,
            format!(
                "selects more than {MAX_LABELS} devices; print them in several requests \
                 (for example with a narrower filter)"
            ),
        ));
    }
    Ok(rows)
}

/// The found rows in the order asked, or one error per input that was not found.
fn pick(
    inputs: &[String],
    keys: &[Option<String>],
    found: &HashMap<String, DeviceRow>,
    field: &str,
    what: &str,
) -> AppResult<Vec<DeviceRow>> {
    let mut rows = Vec::with_capacity(inputs.len());
    let mut errors = Vec::new();
    for (i, (input, key)) in inputs.iter().zip(keys).enumerate() {
        match key.as_ref().and_then(|k| found.get(k)) {
            Some(row) => rows.push(row.clone()),
            None => errors.push(FieldError::new(
                format!("{field}[{i}]"),
                format!("{what} {input:?} that you can see"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(AppError::Validation {
            detail: format!(
                "{} of the {} devices asked for do not exist or are not visible to you.",
                errors.len(),
                inputs.len()
            ),
            errors,
        })
    }
}

/// A device found by scanning its label, and its owner.
pub struct Scanned {
    pub device: DeviceRow,
    pub owner: OrganisationRow,
}

/// What a scanned label shows: the device and its owner to anyone (the public part), and to
/// staff who may see the device the actions they can take now (`None` for everyone else).
pub struct Landing {
    pub scanned: Scanned,
    pub staff_actions: Option<Vec<crate::domain::lifecycle::Action>>,
}

/// The scan landing of `tag` for `caller` (absent without a token), or `None` for a tag that
/// names no device.
pub fn landing(
    conn: &mut DbConn,
    caller: Option<&Caller>,
    tag: &str,
) -> AppResult<Option<Landing>> {
    let Some(scanned) = scan(conn, tag)? else {
        return Ok(None);
    };
    let staff_actions = match caller {
        Some(c) if staff_may_see(c, &scanned.device) => {
            Some(staff_actions(conn, c, &scanned.device)?)
        }
        _ => None,
    };
    Ok(Some(Landing {
        scanned,
        staff_actions,
    }))
}

/// The device behind a scanned tag, without any scoping: [`landing`] decides what to show.
fn scan(conn: &mut DbConn, tag: &str) -> AppResult<Option<Scanned>> {
    let tag = tag.trim().to_uppercase();
    if tag.is_empty() || tag.len() > 64 {
        return Ok(None);
    }
    let Some(device) = devices::table
        .filter(devices::asset_tag.eq(&tag))
        .select(DeviceRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let owner = organisations::table
        .find(&device.owner_organisation_id)
        .select(OrganisationRow::as_select())
        .first(conn)?;
    Ok(Some(Scanned { device, owner }))
}

/// What the staff part of the scan landing offers `caller`: the actions the device can really
/// take through the action endpoint (see `devices::available_actions`).
fn staff_actions(
    conn: &mut DbConn,
    caller: &Caller,
    device: &DeviceRow,
) -> AppResult<Vec<crate::domain::lifecycle::Action>> {
    crate::domain::devices::available_actions(conn, caller, device)
}

/// Whether `caller` may see the staff part of the scan landing for this device: a role that
/// reads devices, and the device within its scope.
fn staff_may_see(caller: &Caller, device: &DeviceRow) -> bool {
    match scope_of(caller) {
        Ok(scope) => visible(&scope, device),
        Err(_) => false,
    }
}
