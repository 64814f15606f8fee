//! Drawing up a loan (a draft: nothing is handed over until it is signed) and cancelling a
//! draft that will not be signed.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::states::{self, DeviceMove, LoanAction};
use super::{detail, list_json, lock, schedule, LoanDetail, LoanDeviceStatus, LoanStatus, Purpose};
use crate::auth::{visibility, Caller, Perm};
use crate::db::models::{BorrowerRow, DeviceRow, LoanDeviceRow, LoanRow};
use crate::db::schema::{borrowers, devices, loan_devices, loans};
use crate::db::{next_counter, now, today, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::borrowers::office_visible;
use crate::domain::ids::{BorrowerId, LoanId, ProgrammeId};
use crate::domain::lifecycle::Status;
use crate::domain::limits::{self, Window};
use crate::domain::{commitments, device_ref, programmes};
use crate::error::{AppError, AppResult, FieldError};

/// A loan to draw up.
#[derive(Debug, Clone, Validate)]
pub struct NewLoan {
    /// A borrower of the caller's office.
    pub borrower_id: BorrowerId,
    pub programme_id: ProgrammeId,
    /// One to three devices, each by id, scanned asset tag or label URL.
    #[validate(length(min = 1, max = 3, message = "must list 1 to 3 devices"))]
    pub device_ids: Vec<String>,
    pub start_date: NaiveDate,
    /// Defaults to the programme's end date; may be earlier, never later.
    pub end_date: Option<NaiveDate>,
    #[validate(length(max = 20))]
    pub accessories: Vec<String>,
    pub purpose: Purpose,
}

/// Draws up a loan (a draft): nothing is handed over until it is signed.
pub fn create(conn: &mut DbConn, caller: &Caller, n: NewLoan) -> AppResult<LoanDetail> {
    caller.require(Perm::ManageLoans)?;
    limits::dates(&[
        ("start_date", Some(n.start_date), Window::Plan),
        ("end_date", n.end_date, Window::Plan),
    ])?;
    let mut errors = match n.validate() {
        Ok(()) => Vec::new(),
        Err(e) => crate::error::flatten_validation("", &e),
    };
    if n.accessories.iter().any(|a| a.chars().count() > 200) {
        errors.push(FieldError::new(
            "accessories",
            "each accessory is at most 200 characters",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut ids: Vec<String> = Vec::new();
    // A device outside the caller's view answers exactly like an unknown id or tag.
    let scope = visibility::device_scope(caller);
    for (i, input) in n.device_ids.iter().enumerate() {
        let visible = match device_ref::device_id(conn, input)? {
            Some(id) => devices::table
                .find(&id)
                .select(DeviceRow::as_select())
                .first(conn)
                .optional()?
                .filter(|d| visibility::device_in(&scope, d))
                .map(|d| d.id),
            None => None,
        };
        match visible {
            None => errors.push(FieldError::new(
                format!("device_ids[{i}]"),
                "no device you may lend has this id or asset tag",
            )),
            Some(id) if !seen.insert(id.clone()) => errors.push(FieldError::new(
                format!("device_ids[{i}]"),
                "this device is listed twice",
            )),
            Some(id) => ids.push(id),
        }
    }
    let borrower: Option<BorrowerRow> = borrowers::table
        .find(n.borrower_id.as_str())
        .select(BorrowerRow::as_select())
        .first(conn)
        .optional()?;
    let borrower = match borrower {
        Some(b) if office_visible(caller, &b.organisation_id) => {
            if b.anonymised_at.is_some() {
                errors.push(FieldError::new(
                    "borrower_id",
                    "this borrower was anonymised",
                ));
            }
            Some(b)
        }
        _ => {
            errors.push(FieldError::new(
                "borrower_id",
                "no borrower of your office has this id",
            ));
            None
        }
    };
    let programme = match programmes::find(conn, &n.programme_id)? {
        Some(p) => Some(p),
        None => {
            errors.push(FieldError::new("programme_id", "no programme has this id"));
            None
        }
    };
    let end = match &programme {
        Some(p) => {
            let end = n.end_date.unwrap_or(p.end_date);
            if end > p.end_date {
                errors.push(FieldError::new(
                    "end_date",
                    format!("may not be after the programme's end date {}", p.end_date),
                ));
            }
            if n.start_date > p.end_date {
                errors.push(FieldError::new(
                    "start_date",
                    format!("the programme ends on {}", p.end_date),
                ));
            }
            if end < n.start_date {
                errors.push(FieldError::new("end_date", "is before the start date"));
            }
            end
        }
        None => n.start_date,
    };
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.field.cmp(&b.field));
        return Err(AppError::invalid_fields(errors));
    }
    let (Some(borrower), Some(programme)) = (borrower, programme) else {
        return Err(AppError::internal(
            "borrower or programme missing after checks",
        ));
    };
    // The allocation rule: serialise with every other commitment, lock the devices in id
    // order, and refuse pool devices and devices a booking or another loan holds.
    commitments::lock_pool(conn)?;
    let found = commitments::lock_devices(conn, &ids)?;
    commitments::check_loan(conn, &found, n.start_date.min(today()))?;
    if let Some(d) = found.iter().find(|d| d.status != Status::Ready) {
        return Err(AppError::conflict_with(
            format!(
                "Device {} is {}; only a ready device can be lent.",
                d.asset_tag, d.status
            ),
            json!({ "device_id": d.id, "current_status": d.status }),
        ));
    }
    // A social worker lends in their own name; someone who works for every office (an admin)
    // draws up the loan on behalf of the borrower's social worker.
    let social_worker_id = if caller.sees_everything() {
        borrower.social_worker_id.clone()
    } else {
        caller.user_id.clone()
    };
    let seq = next_counter(conn, "loan_seq", 1)?;
    let at = now();
    let loan = LoanRow {
        id: new_id(),
        number: format!("BL-{}-{seq:05}", today().format("%Y")),
        organisation_id: borrower.organisation_id.clone(),
        borrower_id: borrower.id.clone(),
        programme_id: programme.id.clone(),
        social_worker_id,
        status: LoanStatus::Draft,
        purpose: n.purpose,
        accessories: list_json(&n.accessories)?,
        start_date: n.start_date,
        end_date: end,
        programme_end_date: programme.end_date,
        checkpoint_interval_months: programme.checkpoint_interval_months,
        value_cents: programme.value_cents,
        signed_on: None,
        signed_place: None,
        signed_by_borrower: false,
        signed_by_social_worker: false,
        signed_recorded_by: None,
        closed_at: None,
        created_by: caller.user_id.clone(),
        created_at: at,
        updated_at: at,
    };
    diesel::insert_into(loans::table)
        .values(&loan)
        .execute(conn)?;
    for id in &ids {
        diesel::insert_into(loan_devices::table)
            .values(&LoanDeviceRow {
                id: new_id(),
                loan_id: loan.id.clone(),
                device_id: id.clone(),
                status: LoanDeviceStatus::Pending,
                open_device_id: None,
                returned_on: None,
                return_condition: None,
                accessories_back: None,
                updated_at: at,
            })
            .execute(conn)?;
    }
    schedule::reschedule(conn, &loan)?;
    detail(conn, loan)
}

/// Cancels a draft that will not be signed (the person changed their mind, a wrong device):
/// its devices are free again for other loans and for the booking pool, and the person's
/// retention clock starts. Only drafts; a signed loan ends by a return or a non-return.
pub fn cancel(conn: &mut DbConn, caller: &Caller, id: &LoanId) -> AppResult<LoanDetail> {
    commitments::lock_pool(conn)?;
    let mut loan = lock(conn, caller, id)?;
    let to = states::next(&loan, LoanAction::Cancel)?;
    let at = now();
    let lds: Vec<LoanDeviceRow> = loan_devices::table
        .filter(loan_devices::loan_id.eq(&loan.id))
        .select(LoanDeviceRow::as_select())
        .load(conn)?;
    for ld in &lds {
        let dropped = states::device_next(ld.status, DeviceMove::Drop).ok_or_else(|| {
            AppError::internal(format!(
                "a device of draft {} is {}",
                loan.number, ld.status
            ))
        })?;
        diesel::update(loan_devices::table.find(&ld.id))
            .set((
                loan_devices::status.eq(dropped),
                loan_devices::open_device_id.eq(None::<String>),
                loan_devices::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    loan.status = to;
    loan.closed_at = Some(at);
    loan.updated_at = at;
    diesel::update(loans::table.find(&loan.id))
        .set((
            loans::status.eq(loan.status),
            loans::closed_at.eq(Some(at)),
            loans::updated_at.eq(at),
        ))
        .execute(conn)?;
    detail(conn, loan)
}
