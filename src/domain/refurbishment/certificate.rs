//! The donor's certificate of data sanitisation: one row per device and drive of a donation
//! batch, issued once every drive carries a passed wipe.

use diesel::prelude::*;
use serde_json::json;

use super::{drives_of, wipes_of, Verification, WipeOutcome, WipeTechnique};
use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceRow, DriveRow};
use crate::db::schema::{devices, organisations};
use crate::db::{now, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::ids::DonationId;
use crate::domain::lifecycle::Status;
use crate::error::{AppError, AppResult};

/// Gathers a donation batch's certificate of sanitisation: one row per device and drive,
/// from the first passed wipe of each drive after the batch came in (that is when the donor's
/// data was destroyed). Issues the certificate number on first request. Refused with the
/// list of open devices while any drive of the batch lacks a passed wipe.
pub fn certificate(
    conn: &mut DbConn,
    caller: &Caller,
    donation_id: &DonationId,
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
        let device_drives = drives_of(conn, d)?;
        let wipes = wipes_of(conn, d)?;
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
            open.push(json!({ "asset_tag": d.asset_tag, "reasons": reasons }));
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
