//! Donation batches: who gave what, when and where it was received.

use chrono::NaiveDate;
use diesel::prelude::*;
use validator::Validate;

use crate::auth::visibility::{self, DonationScope};
use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceRow, DonationRow};
use crate::db::schema::{donations, organisations};
use crate::db::{now, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::devices::{self, NewDevice};
use crate::domain::ids::{DonationId, OrganisationId};
use crate::domain::intake::{parse_devices_csv, MAX_DEVICES_PER_REQUEST};
use crate::domain::limits::{self, Window};
use crate::error::{AppError, AppResult, FieldError};

/// A new donation batch. The donor is an organisation, a private person by name, or anonymous.
#[derive(Debug, Validate)]
pub struct NewDonation {
    pub donor_organisation_id: Option<OrganisationId>,
    #[validate(length(min = 1, max = 200))]
    pub donor_name: Option<String>,
    pub anonymous: bool,
    pub received_on: NaiveDate,
    #[validate(length(min = 1, max = 200, message = "is required (1 to 200 characters)"))]
    pub received_at: String,
    #[validate(length(max = 4000))]
    pub note: Option<String>,
}

pub fn create(conn: &mut DbConn, caller: &Caller, d: NewDonation) -> AppResult<DonationRow> {
    caller.require(Perm::RegisterDevices)?;
    d.validate()?;
    limits::dates(&[("received_on", Some(d.received_on), Window::Past)])?;
    let donors = [
        d.donor_organisation_id.is_some(),
        d.donor_name.is_some(),
        d.anonymous,
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if donors != 1 {
        return Err(AppError::invalid(
            "donor_organisation_id",
            "give exactly one of donor_organisation_id, donor_name or anonymous: true",
        ));
    }
    if d.received_on > crate::db::today() {
        return Err(AppError::invalid("received_on", "cannot be in the future"));
    }
    if let Some(org) = &d.donor_organisation_id {
        let n: i64 = organisations::table
            .filter(organisations::id.eq(org.as_str()))
            .count()
            .get_result(conn)?;
        if n == 0 {
            return Err(AppError::invalid(
                "donor_organisation_id",
                "no organisation has this id",
            ));
        }
    }
    let row = DonationRow {
        id: new_id(),
        donor_organisation_id: d.donor_organisation_id.map(OrganisationId::into_string),
        donor_name: d.donor_name,
        anonymous: d.anonymous,
        received_on: d.received_on,
        received_at: d.received_at,
        note: d.note,
        owner_organisation_id: caller.organisation_id.clone(),
        workshop_id: None,
        created_by: caller.user_id.clone(),
        created_at: now(),
    };
    diesel::insert_into(donations::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

pub fn get(conn: &mut DbConn, caller: &Caller, id: &DonationId) -> AppResult<DonationRow> {
    caller.require(Perm::ReadDevices)?;
    let row: DonationRow = donations::table
        .find(id.as_str())
        .select(DonationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The donation"))?;
    if visibility::donation(caller, &row) {
        Ok(row)
    } else {
        Err(AppError::not_found("The donation"))
    }
}

/// Position in the donation list: the last row's date received and id.
pub type DonationCursor = (NaiveDate, String);

/// Donations, newest first, keyset-paginated on (received_on, id).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    limit: i64,
    after: Option<DonationCursor>,
) -> AppResult<(Vec<DonationRow>, Option<DonationCursor>)> {
    caller.require(Perm::ReadDevices)?;
    let mut q = donations::table
        .select(DonationRow::as_select())
        .into_boxed();
    match visibility::donation_scope(caller) {
        DonationScope::All => {}
        DonationScope::Workshop(org) => q = q.filter(donations::workshop_id.eq(org)),
        DonationScope::Nothing => return Ok((Vec::new(), None)),
    }
    if let Some((date, id)) = after {
        q = q.filter(
            donations::received_on
                .lt(date)
                .or(donations::received_on.eq(date).and(donations::id.lt(id))),
        );
    }
    let mut rows: Vec<DonationRow> = q
        .order((donations::received_on.desc(), donations::id.desc()))
        .limit(limit + 1)
        .load(conn)?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| (r.received_on, r.id.clone()))
    } else {
        None
    };
    Ok((rows, next))
}

/// Registers devices into a donation batch the caller can see, all or nothing: 1 to
/// [`MAX_DEVICES_PER_REQUEST`] of them, each error named with `field_of(i)` (`devices[3]`,
/// `row 5`).
pub fn register_devices(
    conn: &mut DbConn,
    caller: &Caller,
    tag_prefix: &str,
    donation_id: &DonationId,
    items: Vec<NewDevice>,
    field_of: &dyn Fn(usize) -> String,
) -> AppResult<Vec<DeviceRow>> {
    caller.require(Perm::RegisterDevices)?;
    check_count(items.len())?;
    let donation = get(conn, caller, donation_id)?;
    devices::register(
        conn,
        caller,
        tag_prefix,
        Some(donation.id.as_str()),
        items,
        field_of,
    )
}

/// 1 to [`MAX_DEVICES_PER_REQUEST`] devices per request, so one request stays one
/// transaction of bounded size.
fn check_count(n: usize) -> AppResult<()> {
    if n == 0 {
        return Err(AppError::invalid("devices", "give at least one device"));
    }
    if n > MAX_DEVICES_PER_REQUEST {
        return Err(AppError::invalid(
            "devices",
            format!("at most {MAX_DEVICES_PER_REQUEST} devices per request ({n} given)"),
        ));
    }
    Ok(())
}

/// The devices of a CSV file, for [`register_devices`] (no database work: it runs before the
/// transaction). A file with bad rows is refused whole, every bad row and column named.
pub fn devices_from_csv(caller: &Caller, csv: &[u8]) -> AppResult<Vec<NewDevice>> {
    caller.require(Perm::RegisterDevices)?;
    let items = parse_devices_csv(csv).map_err(|errors: Vec<FieldError>| AppError::Validation {
        detail: format!(
            "The CSV file has {} problem(s); nothing was stored.",
            errors.len()
        ),
        errors,
    })?;
    check_count(items.len())?;
    Ok(items)
}
