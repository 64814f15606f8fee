//! Finding devices within the caller's view: one by id, asset tag, label URL or serial
//! number, locking one for a change, and the filtered, keyset-paginated list. The rules of who
//! sees which device are `crate::auth::visibility`'s.

use diesel::prelude::*;

use super::{serial_key, DeviceKind};
use crate::auth::{visibility, Caller, Perm};
use crate::db::models::DeviceRow;
use crate::db::schema::devices;
use crate::db::DbConn;
use crate::domain::ids::{DonationId, OrganisationId};
use crate::domain::lifecycle::Status;
use crate::error::{AppError, AppResult};

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
#[derive(Debug, Default, Clone)]
pub struct DeviceFilter {
    pub status: Option<Status>,
    pub kind: Option<DeviceKind>,
    /// The organisation holding the device now (workshop, welfare office, school).
    pub holder_organisation_id: Option<OrganisationId>,
    pub donation_id: Option<DonationId>,
    pub workshop_id: Option<OrganisationId>,
    pub in_pool: Option<bool>,
    /// Asset tags starting with this (case-insensitive; uses the index).
    pub tag_prefix: Option<String>,
    /// Serial numbers starting with this (case-insensitive; uses the index).
    pub serial_prefix: Option<String>,
    /// Free text found in the tag, serial, brand or model.
    pub q: Option<String>,
    /// `asset_tag` (default) or `-asset_tag`.
    pub sort: Option<String>,
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
    if let Some(o) = &f.holder_organisation_id {
        q = q.filter(devices::holder_organisation_id.eq(o.as_str().to_string()));
    }
    if let Some(d) = &f.donation_id {
        q = q.filter(devices::donation_id.eq(d.as_str().to_string()));
    }
    if let Some(w) = &f.workshop_id {
        q = q.filter(devices::workshop_id.eq(w.as_str().to_string()));
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
