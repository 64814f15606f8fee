//! Handing work to a workshop: a whole donation batch or one device.

use diesel::prelude::*;
use serde_json::json;

use super::ON_THE_BENCH;
use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceRow, DonationRow};
use crate::db::schema::{devices, donations, organisations};
use crate::db::{now, DbConn};
use crate::domain::accounts::OrgKind;
use crate::domain::devices::{self as dev, append_event, EventAction};
use crate::domain::ids::{DonationId, OrganisationId};
use crate::domain::lifecycle::Status;
use crate::error::{AppError, AppResult};

fn require_workshop(conn: &mut DbConn, workshop_id: &OrganisationId) -> AppResult<()> {
    let kind: Option<OrgKind> = organisations::table
        .find(workshop_id.as_str())
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

/// Assigns a whole donation batch (and each of its devices) to a workshop.
pub fn assign_donation(
    conn: &mut DbConn,
    caller: &Caller,
    donation_id: &DonationId,
    workshop_id: &OrganisationId,
) -> AppResult<usize> {
    caller.require(Perm::AssignWork)?;
    let donation: DonationRow = donations::table
        .find(donation_id.as_str())
        .select(DonationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The donation"))?;
    require_workshop(conn, workshop_id)?;
    diesel::update(donations::table.find(&donation.id))
        .set(donations::workshop_id.eq(workshop_id.as_str()))
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

/// Assigns one device (named by id, asset tag or label URL) to a workshop.
pub fn assign_device(
    conn: &mut DbConn,
    caller: &Caller,
    device_id: &str,
    workshop_id: &OrganisationId,
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
    workshop_id: &OrganisationId,
) -> AppResult<bool> {
    if d.workshop_id.as_deref() == Some(workshop_id.as_str()) {
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
        EventAction::Assigned,
        Some(d.status),
        d.status,
        json!({ "workshop_id": workshop_id }),
        at,
    )?;
    Ok(true)
}
