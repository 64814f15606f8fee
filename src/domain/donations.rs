//! Donation batches: who gave what, when and where it was received.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Caller, Perm};
use crate::db::models::DonationRow;
use crate::db::schema::{donations, organisations};
use crate::db::{now, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::limits::{self, Window};
use crate::error::{AppError, AppResult};

/// A new donation batch. The donor is an organisation, a private person by name, or anonymous.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDonation {
    pub donor_organisation_id: Option<uuid::Uuid>,
    /// A private donor's name (leave empty and set `anonymous` for an anonymous gift).
    #[validate(length(min = 1, max = 200))]
    pub donor_name: Option<String>,
    #[serde(default)]
    pub anonymous: bool,
    pub received_on: NaiveDate,
    /// Where the batch was received (site, address).
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
    if let Some(org) = d.donor_organisation_id {
        let n: i64 = organisations::table
            .filter(organisations::id.eq(org.to_string()))
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
        donor_organisation_id: d.donor_organisation_id.map(|u| u.to_string()),
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

pub fn get(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<DonationRow> {
    caller.require(Perm::ReadDevices)?;
    let row: DonationRow = donations::table
        .find(id)
        .select(DonationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The donation"))?;
    if visible(caller, &row) {
        Ok(row)
    } else {
        Err(AppError::not_found("The donation"))
    }
}

/// Refurbishers see the batches assigned to their workshop; social workers see none (the
/// rule: `auth::visibility::donation`).
fn visible(caller: &Caller, d: &DonationRow) -> bool {
    crate::auth::visibility::donation(caller, d)
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
    use crate::domain::accounts::Role;
    let mut q = donations::table
        .select(DonationRow::as_select())
        .into_boxed();
    match caller.role {
        Role::Refurbisher => {
            q = q.filter(donations::workshop_id.eq(caller.organisation_id.clone()))
        }
        Role::SocialWorker | Role::Requester => return Ok((Vec::new(), None)),
        _ => {}
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
