//! Loans to people (*bruikleen*): a draft, the agreement signed at the desk (which hands the
//! devices over), checkpoints every interval, extension, return, non-return with its charge,
//! and purchase.
//!
//! Rules decided here:
//! - Checkpoints fall on `start + k × interval` months (k = 1, 2, …, counted from the start so
//!   that month ends do not drift) on or before the end date. The end date itself is not an
//!   extra checkpoint: the return is the final check. A loan shorter than one interval has none.
//! - The programme's end date, interval and value are copied onto the loan when the draft is
//!   made and copied again when it is signed; after signing, programme changes never touch it.
//! - An extension goes one interval further (or to a given date), never past the programme's
//!   end date as it is at the time of the extension.
//! - Paying a non-return charge means the borrower bought the lost device: it becomes `sold`.

use chrono::{Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Caller, Perm};
use crate::db::models::{
    BorrowerRow, ChargeRow, CheckpointRow, DeviceRow, LoanDeviceRow, LoanRow, OrganisationRow,
    ProgrammeRow, ScanRow,
};
use crate::db::schema::{
    borrowers, devices, loan_charges, loan_checkpoints, loan_devices, loan_scans, loans,
    organisations, users,
};
use crate::db::{next_counter, now, today, DbConn};
use crate::domain::accounts::{new_id, Role};
use crate::domain::borrowers::office_visible;
use crate::domain::devices::transition;
use crate::domain::lifecycle::{Action, Status};
use crate::domain::limits::{self, Window};
use crate::domain::personal_notes;
use crate::domain::programmes;
use crate::domain::{commitments, device_ref};
use crate::error::{AppError, AppResult, FieldError};

crate::text_enum!(
    /// Where a loan is: a draft until the agreement is signed, active while devices are out,
    /// closed when none is out any more.
    LoanStatus {
        Draft => "draft",
        Active => "active",
        Closed => "closed",
        /// A draft given up before signing: nothing was lent.
        Cancelled => "cancelled",
    }
);

crate::text_enum!(
    /// What the borrower needs the device for.
    Purpose {
        JobSearch => "job_search",
        School => "school",
        Administration => "administration",
        SocialContact => "social_contact",
        Other => "other",
    }
);

crate::text_enum!(
    /// Where one device of a loan is.
    LoanDeviceStatus {
        /// In a draft, not handed over yet.
        Pending => "pending",
        OnLoan => "on_loan",
        Returned => "returned",
        /// Not returned by the end date; a charge was raised and the device is lost.
        NotReturned => "not_returned",
        /// Bought by the borrower.
        Bought => "bought",
        /// In a draft that was cancelled: never handed over.
        Cancelled => "cancelled",
    }
);

crate::text_enum!(
    /// Why money is owed.
    ChargeKind {
        /// The device was not returned by the end date.
        NonReturn => "non_return",
        /// The borrower bought the device before the end.
        Purchase => "purchase",
    }
);

crate::text_enum!(
    ChargeStatus {
        Open => "open",
        Paid => "paid",
        Waived => "waived",
    }
);

crate::text_enum!(
    PaymentMethod {
        Cash => "cash",
        Transfer => "transfer",
        Card => "card",
    }
);

/// Most devices under one agreement (it must fit on one sheet).
pub const MAX_DEVICES: usize = 3;

/// The checkpoint dates of a loan from `start` to `end` every `interval` months.
pub fn schedule(start: NaiveDate, end: NaiveDate, interval: i32) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let Ok(step) = u32::try_from(interval) else {
        return out;
    };
    if step == 0 {
        return out;
    }
    for k in 1u32.. {
        match start.checked_add_months(Months::new(step.saturating_mul(k))) {
            Some(d) if d <= end => out.push(d),
            _ => break,
        }
    }
    out
}

/// A loan to draw up.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLoan {
    /// A borrower of the caller's office.
    pub borrower_id: uuid::Uuid,
    pub programme_id: uuid::Uuid,
    /// One to three `ready` devices (e.g. a laptop and a 4G hotspot), each by id, scanned asset
    /// tag or label URL. Pool devices are for bookings only and are refused.
    #[validate(length(min = 1, max = 3, message = "must list 1 to 3 devices"))]
    pub device_ids: Vec<String>,
    pub start_date: NaiveDate,
    /// Defaults to the programme's end date; may be earlier, never later.
    pub end_date: Option<NaiveDate>,
    /// Accessories handed over ("charger", "sleeve", …).
    #[serde(default)]
    #[validate(length(max = 20))]
    pub accessories: Vec<String>,
    pub purpose: Purpose,
}

/// The agreement was signed at the desk.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignLoan {
    /// Must be true: the borrower signed the paper.
    pub borrower_signed: bool,
    /// Must be true: the social worker signed for the lender.
    pub social_worker_signed: bool,
    /// Not in the future.
    pub signed_on: NaiveDate,
    #[validate(length(min = 1, max = 200, message = "is required (1 to 200 characters)"))]
    pub place: String,
}

/// A checkpoint held with the borrower.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordCheckpoint {
    /// The scheduled checkpoint; defaults to the earliest one not yet held.
    pub checkpoint_id: Option<uuid::Uuid>,
    pub held_on: NaiveDate,
    pub device_present: bool,
    pub device_working: bool,
    #[validate(length(max = 500))]
    pub condition: Option<String>,
    /// Whether the borrower still needs the device.
    pub still_needed: bool,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Extend a loan by one interval (default) or to a date, never past the programme's end.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendLoan {
    pub end_date: Option<NaiveDate>,
}

/// One device brought back.
#[derive(Debug, Clone, Deserialize, serde::Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnedDevice {
    /// The device's id, scanned asset tag or label URL.
    #[validate(length(min = 1, max = 300, message = "is required"))]
    pub device_id: String,
    #[validate(length(min = 1, max = 500, message = "is required (1 to 500 characters)"))]
    pub condition: String,
    /// True when the device came back damaged: it goes to repair (`in_repair`).
    #[serde(default)]
    pub damaged: bool,
    /// Accessories that came back, recorded on the device. On a loan of one device, an
    /// accessory listed on the loan that is not among them counts as missing.
    #[serde(default)]
    #[validate(length(max = 20))]
    pub accessories_back: Vec<String>,
    /// Accessories that did not come back with this device. Any missing accessory sends the
    /// device to repair (`in_repair`) for inspection.
    #[serde(default)]
    #[validate(length(max = 20))]
    pub missing_accessories: Vec<String>,
}

/// Devices brought back.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnLoan {
    /// Defaults to today.
    pub returned_on: Option<NaiveDate>,
    #[validate(length(min = 1, max = 3, message = "must list 1 to 3 devices"), nested)]
    pub devices: Vec<ReturnedDevice>,
}

/// Devices not returned by the end date.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NonReturn {
    /// Defaults to every device still out.
    #[validate(length(max = crate::domain::limits::MAX_DEVICES))]
    pub device_ids: Option<Vec<uuid::Uuid>>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// A payment of a charge.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub paid_on: NaiveDate,
    /// Must equal the amount of the charge (no partial payments).
    pub amount_cents: i64,
    pub method: PaymentMethod,
}

/// The borrower buys a device (early, or a lost one afterwards).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Purchase {
    pub device_id: uuid::Uuid,
    pub paid_on: NaiveDate,
    /// Must equal the loan's agreed value per device.
    pub amount_cents: i64,
    pub method: PaymentMethod,
}

/// A charge is waived (coordinators and admins).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    #[validate(length(min = 3, max = 2000, message = "is required (3 to 2000 characters)"))]
    pub reason: String,
}

/// A loan with everything attached to it.
pub struct LoanDetail {
    pub loan: LoanRow,
    pub devices: Vec<(LoanDeviceRow, DeviceRow)>,
    pub checkpoints: Vec<CheckpointRow>,
    pub charges: Vec<ChargeRow>,
    pub scan: Option<(String, i64, String, NaiveDateTime)>,
}

fn not_found() -> AppError {
    AppError::not_found("The loan")
}

fn validate<T: Validate>(v: &T) -> AppResult<()> {
    Ok(v.validate()?)
}

fn state_conflict(loan: &LoanRow, what: &str) -> AppError {
    let allowed: &[&str] = match loan.status {
        LoanStatus::Draft => &["sign", "cancel"],
        LoanStatus::Active => &[
            "signed-scan",
            "checkpoints",
            "extend",
            "return",
            "non-return",
            "purchase",
        ],
        LoanStatus::Closed | LoanStatus::Cancelled => &[],
    };
    AppError::conflict_with(
        format!(
            "Loan {} is {}; {what} is not possible. Allowed now: {}.",
            loan.number,
            loan.status,
            if allowed.is_empty() {
                format!("nothing (the loan is {})", loan.status)
            } else {
                allowed.join(", ")
            }
        ),
        json!({ "current_status": loan.status, "allowed_actions": allowed }),
    )
}

/// A loan the caller may see.
pub fn get(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<LoanRow> {
    caller.require(Perm::ReadLoans)?;
    let row: LoanRow = loans::table
        .find(id)
        .select(LoanRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(not_found)?;
    if office_visible(caller, &row.organisation_id) {
        Ok(row)
    } else {
        Err(not_found())
    }
}

/// Locks a loan for a change, within the caller's scope.
fn lock(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<LoanRow> {
    caller.require(Perm::ManageLoans)?;
    let row: LoanRow =
        crate::locked_first!(conn, loans::table.find(id).select(LoanRow::as_select()))
            .optional()?
            .ok_or_else(not_found)?;
    if office_visible(caller, &row.organisation_id) {
        Ok(row)
    } else {
        Err(not_found())
    }
}

fn lock_device(conn: &mut DbConn, id: &str) -> AppResult<DeviceRow> {
    crate::locked_first!(conn, devices::table.find(id).select(DeviceRow::as_select()))
        .optional()?
        .ok_or_else(|| AppError::not_found("The device"))
}

pub fn detail(conn: &mut DbConn, loan: LoanRow) -> AppResult<LoanDetail> {
    let devs: Vec<(LoanDeviceRow, DeviceRow)> = loan_devices::table
        .inner_join(devices::table)
        .filter(loan_devices::loan_id.eq(&loan.id))
        .order(devices::seq.asc())
        .select((LoanDeviceRow::as_select(), DeviceRow::as_select()))
        .load(conn)?;
    let checkpoints = loan_checkpoints::table
        .filter(loan_checkpoints::loan_id.eq(&loan.id))
        .order(loan_checkpoints::due_on.asc())
        .select(CheckpointRow::as_select())
        .load(conn)?;
    let charges = loan_charges::table
        .filter(loan_charges::loan_id.eq(&loan.id))
        .order((loan_charges::created_at.asc(), loan_charges::id.asc()))
        .select(ChargeRow::as_select())
        .load(conn)?;
    let scan = loan_scans::table
        .find(&loan.id)
        .select((
            loan_scans::content_type,
            loan_scans::size_bytes,
            loan_scans::sha256,
            loan_scans::uploaded_at,
        ))
        .first(conn)
        .optional()?;
    Ok(LoanDetail {
        loan,
        devices: devs,
        checkpoints,
        charges,
        scan,
    })
}

pub fn get_detail(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<LoanDetail> {
    let loan = get(conn, caller, id)?;
    detail(conn, loan)
}

fn insert_checkpoints(conn: &mut DbConn, loan_id: &str, dates: &[NaiveDate]) -> AppResult<()> {
    let rows: Vec<CheckpointRow> = dates
        .iter()
        .map(|d| CheckpointRow {
            id: new_id(),
            loan_id: loan_id.to_string(),
            due_on: *d,
            held_on: None,
            device_present: None,
            device_working: None,
            condition: None,
            still_needed: None,
            note: None,
            recorded_by: None,
            recorded_at: None,
        })
        .collect();
    for row in &rows {
        diesel::insert_into(loan_checkpoints::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

fn clean_list(items: &[String]) -> Vec<String> {
    items
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn list_json(items: &[String]) -> AppResult<String> {
    serde_json::to_string(&clean_list(items)).map_err(AppError::internal)
}

pub fn parse_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
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
    let scope = crate::auth::visibility::device_scope(caller);
    for (i, input) in n.device_ids.iter().enumerate() {
        let visible = match device_ref::device_id(conn, input)? {
            Some(id) => devices::table
                .find(&id)
                .select(DeviceRow::as_select())
                .first(conn)
                .optional()?
                .filter(|d| crate::auth::visibility::device_in(&scope, d))
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
        .find(n.borrower_id.to_string())
        .select(BorrowerRow::as_select())
        .first(conn)
        .optional()?;
    let borrower = match borrower {
        Some(b)
            if office_visible(caller, &b.organisation_id) && caller.role != Role::Coordinator =>
        {
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
    let programme = match programmes::get(conn, &n.programme_id.to_string()) {
        Ok(p) => Some(p),
        Err(AppError::NotFound(_)) => {
            errors.push(FieldError::new("programme_id", "no programme has this id"));
            None
        }
        Err(e) => return Err(e),
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
    let social_worker_id = if caller.role == Role::SocialWorker {
        caller.user_id.clone()
    } else {
        borrower.social_worker_id.clone()
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
    insert_checkpoints(
        conn,
        &loan.id,
        &schedule(
            loan.start_date,
            loan.end_date,
            loan.checkpoint_interval_months,
        ),
    )?;
    detail(conn, loan)
}

/// Records the signatures and hands the devices over, in one transaction: each device goes
/// `ready → on_loan` (with its history event) and is held by the welfare office.
pub fn sign(conn: &mut DbConn, caller: &Caller, id: &str, s: SignLoan) -> AppResult<LoanDetail> {
    commitments::lock_pool(conn)?;
    let mut loan = lock(conn, caller, id)?;
    if loan.status != LoanStatus::Draft {
        return Err(state_conflict(&loan, "signing"));
    }
    limits::dates(&[("signed_on", Some(s.signed_on), Window::Past)])?;
    let mut errors = match s.validate() {
        Ok(()) => Vec::new(),
        Err(e) => crate::error::flatten_validation("", &e),
    };
    if !s.borrower_signed {
        errors.push(FieldError::new(
            "borrower_signed",
            "the borrower must sign the agreement",
        ));
    }
    if !s.social_worker_signed {
        errors.push(FieldError::new(
            "social_worker_signed",
            "the social worker must sign the agreement",
        ));
    }
    if s.signed_on > today() {
        errors.push(FieldError::new("signed_on", "lies in the future"));
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    // The programme's terms in force now are copied onto the loan.
    let programme: ProgrammeRow = programmes::get(conn, &loan.programme_id)?;
    if loan.end_date > programme.end_date {
        return Err(AppError::conflict_with(
            format!(
                "The programme now ends on {}, before this loan's end date {}; draw up a new loan.",
                programme.end_date, loan.end_date
            ),
            json!({ "programme_end_date": programme.end_date }),
        ));
    }
    let mut lds: Vec<LoanDeviceRow> = loan_devices::table
        .filter(loan_devices::loan_id.eq(&loan.id))
        .select(LoanDeviceRow::as_select())
        .load(conn)?;
    // Locks in a fixed order, so two signings never wait on each other in a circle.
    lds.sort_by(|a, b| a.device_id.cmp(&b.device_id));
    let ids: Vec<String> = lds.iter().map(|ld| ld.device_id.clone()).collect();
    let locked = commitments::lock_devices(conn, &ids)?;
    commitments::check_loan(conn, &locked, loan.start_date.min(today()))?;
    let at = now();
    for ld in &lds {
        let mut d = lock_device(conn, &ld.device_id)?;
        if d.status != Status::Ready {
            return Err(AppError::conflict_with(
                format!(
                    "Device {} is {} now, no longer ready; it cannot be handed over. Take it off this loan by drawing up a new one.",
                    d.asset_tag, d.status
                ),
                json!({ "device_id": d.id, "current_status": d.status }),
            ));
        }
        d.holder_organisation_id = Some(loan.organisation_id.clone());
        transition(
            conn,
            caller,
            &mut d,
            Action::Lend,
            json!({ "loan_id": loan.id, "loan_number": loan.number }),
        )?;
        diesel::update(loan_devices::table.find(&ld.id))
            .set((
                loan_devices::status.eq(LoanDeviceStatus::OnLoan),
                loan_devices::open_device_id.eq(Some(&ld.device_id)),
                loan_devices::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    loan.status = LoanStatus::Active;
    loan.programme_end_date = programme.end_date;
    loan.checkpoint_interval_months = programme.checkpoint_interval_months;
    loan.value_cents = programme.value_cents;
    loan.signed_on = Some(s.signed_on);
    loan.signed_place = Some(s.place.trim().to_string());
    loan.signed_by_borrower = true;
    loan.signed_by_social_worker = true;
    loan.signed_recorded_by = Some(caller.user_id.clone());
    loan.updated_at = at;
    diesel::update(loans::table.find(&loan.id))
        .set((
            loans::status.eq(loan.status),
            loans::programme_end_date.eq(loan.programme_end_date),
            loans::checkpoint_interval_months.eq(loan.checkpoint_interval_months),
            loans::value_cents.eq(loan.value_cents),
            loans::signed_on.eq(loan.signed_on),
            loans::signed_place.eq(&loan.signed_place),
            loans::signed_by_borrower.eq(true),
            loans::signed_by_social_worker.eq(true),
            loans::signed_recorded_by.eq(&loan.signed_recorded_by),
            loans::updated_at.eq(at),
        ))
        .execute(conn)?;
    diesel::delete(loan_checkpoints::table.filter(loan_checkpoints::loan_id.eq(&loan.id)))
        .execute(conn)?;
    insert_checkpoints(
        conn,
        &loan.id,
        &schedule(
            loan.start_date,
            loan.end_date,
            loan.checkpoint_interval_months,
        ),
    )?;
    detail(conn, loan)
}

/// Kinds of scan accepted, with the magic bytes that must start the file.
pub const SCAN_TYPES: &[(&str, &[u8])] = &[
    ("application/pdf", b"%PDF-"),
    ("image/jpeg", &[0xFF, 0xD8, 0xFF]),
    (
        "image/png",
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
    ),
];
/// Largest scan accepted.
pub const MAX_SCAN_BYTES: usize = 5 * 1024 * 1024;

/// Stores (or replaces) the scan or photo of the signed paper.
pub fn put_scan(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    content_type: &str,
    data: Vec<u8>,
) -> AppResult<ScanRow> {
    let loan = lock(conn, caller, id)?;
    if loan.status == LoanStatus::Draft {
        return Err(AppError::conflict_with(
            format!(
                "Loan {} is a draft; upload the scan after recording the signatures (POST /loans/{{id}}/sign).",
                loan.number
            ),
            json!({ "current_status": loan.status, "allowed_actions": ["sign"] }),
        ));
    }
    let Some((_, magic)) = SCAN_TYPES.iter().find(|(t, _)| *t == content_type) else {
        return Err(AppError::UnsupportedMediaType(
            "Send the scan as application/pdf, image/jpeg or image/png.".into(),
        ));
    };
    if data.is_empty() {
        return Err(AppError::invalid("body", "the file is empty"));
    }
    if !data.starts_with(magic) {
        return Err(AppError::invalid(
            "body",
            format!("the file is not a {content_type} file (its first bytes do not match)"),
        ));
    }
    use sha2::Digest;
    let row = ScanRow {
        loan_id: loan.id.clone(),
        content_type: content_type.to_string(),
        size_bytes: i64::try_from(data.len()).map_err(AppError::internal)?,
        sha256: hex::encode(sha2::Sha256::digest(&data)),
        data,
        uploaded_by: caller.user_id.clone(),
        uploaded_at: now(),
    };
    diesel::delete(loan_scans::table.find(&loan.id)).execute(conn)?;
    diesel::insert_into(loan_scans::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

pub fn get_scan(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<ScanRow> {
    let loan = get(conn, caller, id)?;
    loan_scans::table
        .find(&loan.id)
        .select(ScanRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The signed scan of this loan"))
}

fn require_active(loan: &LoanRow, what: &str) -> AppResult<()> {
    if loan.status == LoanStatus::Active {
        Ok(())
    } else {
        Err(state_conflict(loan, what))
    }
}

pub fn record_checkpoint(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    r: RecordCheckpoint,
) -> AppResult<CheckpointRow> {
    let loan = lock(conn, caller, id)?;
    require_active(&loan, "recording a checkpoint")?;
    limits::dates(&[("held_on", Some(r.held_on), Window::Past)])?;
    validate(&r)?;
    if r.held_on > today() {
        return Err(AppError::invalid("held_on", "lies in the future"));
    }
    if r.held_on < loan.start_date {
        return Err(AppError::invalid(
            "held_on",
            "is before the start of the loan",
        ));
    }
    let mut q = loan_checkpoints::table
        .filter(loan_checkpoints::loan_id.eq(&loan.id))
        .select(CheckpointRow::as_select())
        .order(loan_checkpoints::due_on.asc())
        .into_boxed();
    q = match r.checkpoint_id {
        Some(cp) => q.filter(loan_checkpoints::id.eq(cp.to_string())),
        None => q.filter(loan_checkpoints::held_on.is_null()),
    };
    let Some(mut cp) = q.first(conn).optional()? else {
        return Err(match r.checkpoint_id {
            Some(_) => AppError::not_found("The checkpoint"),
            None => AppError::conflict(format!(
                "Every checkpoint of loan {} has been recorded.",
                loan.number
            )),
        });
    };
    if cp.held_on.is_some() {
        return Err(AppError::conflict_with(
            format!("The checkpoint of {} was already recorded.", cp.due_on),
            json!({ "checkpoint_id": cp.id }),
        ));
    }
    cp.held_on = Some(r.held_on);
    cp.device_present = Some(r.device_present);
    cp.device_working = Some(r.device_working);
    cp.condition = r.condition;
    cp.still_needed = Some(r.still_needed);
    cp.note = r.note;
    cp.recorded_by = Some(caller.user_id.clone());
    cp.recorded_at = Some(now());
    diesel::update(loan_checkpoints::table.find(&cp.id))
        .set((
            loan_checkpoints::held_on.eq(cp.held_on),
            loan_checkpoints::device_present.eq(cp.device_present),
            loan_checkpoints::device_working.eq(cp.device_working),
            loan_checkpoints::condition.eq(&cp.condition),
            loan_checkpoints::still_needed.eq(cp.still_needed),
            loan_checkpoints::note.eq(&cp.note),
            loan_checkpoints::recorded_by.eq(&cp.recorded_by),
            loan_checkpoints::recorded_at.eq(cp.recorded_at),
        ))
        .execute(conn)?;
    Ok(cp)
}

pub fn extend(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    e: ExtendLoan,
) -> AppResult<LoanDetail> {
    let mut loan = lock(conn, caller, id)?;
    require_active(&loan, "extending")?;
    limits::dates(&[("end_date", e.end_date, Window::Plan)])?;
    let programme = programmes::get(conn, &loan.programme_id)?;
    let limit = programme.end_date;
    let new_end = match e.end_date {
        Some(d) => {
            if d <= loan.end_date {
                return Err(AppError::invalid(
                    "end_date",
                    format!("must be after the current end date {}", loan.end_date),
                ));
            }
            if d > limit {
                return Err(AppError::invalid(
                    "end_date",
                    format!("may not be after the programme's end date {limit}"),
                ));
            }
            d
        }
        None => {
            if loan.end_date >= limit {
                return Err(AppError::conflict_with(
                    format!(
                        "Loan {} already ends on the programme's end date {limit}; it cannot be extended.",
                        loan.number
                    ),
                    json!({ "end_date": loan.end_date, "programme_end_date": limit }),
                ));
            }
            let step = Months::new(u32::try_from(loan.checkpoint_interval_months).unwrap_or(6));
            loan.end_date
                .checked_add_months(step)
                .map_or(limit, |d| d.min(limit))
        }
    };
    let old_end = loan.end_date;
    loan.end_date = new_end;
    loan.programme_end_date = limit;
    loan.updated_at = now();
    diesel::update(loans::table.find(&loan.id))
        .set((
            loans::end_date.eq(new_end),
            loans::programme_end_date.eq(limit),
            loans::updated_at.eq(loan.updated_at),
        ))
        .execute(conn)?;
    let added: Vec<NaiveDate> = schedule(loan.start_date, new_end, loan.checkpoint_interval_months)
        .into_iter()
        .filter(|d| *d > old_end)
        .collect();
    insert_checkpoints(conn, &loan.id, &added)?;
    detail(conn, loan)
}

/// Closes the loan when no device is out under it any more.
/// Cancels a draft that will not be signed (the person changed their mind, a wrong device):
/// its devices are free again for other loans and for the booking pool, and the person's
/// retention clock starts. Only drafts; a signed loan ends by a return or a non-return.
pub fn cancel(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<LoanDetail> {
    commitments::lock_pool(conn)?;
    let mut loan = lock(conn, caller, id)?;
    if loan.status != LoanStatus::Draft {
        return Err(state_conflict(&loan, "cancelling"));
    }
    let at = now();
    diesel::update(loan_devices::table.filter(loan_devices::loan_id.eq(&loan.id)))
        .set((
            loan_devices::status.eq(LoanDeviceStatus::Cancelled),
            loan_devices::open_device_id.eq(None::<String>),
            loan_devices::updated_at.eq(at),
        ))
        .execute(conn)?;
    loan.status = LoanStatus::Cancelled;
    loan.closed_at = Some(at);
    loan.updated_at = at;
    diesel::update(loans::table.find(&loan.id))
        .set((
            loans::status.eq(LoanStatus::Cancelled),
            loans::closed_at.eq(Some(at)),
            loans::updated_at.eq(at),
        ))
        .execute(conn)?;
    detail(conn, loan)
}

fn close_if_done(conn: &mut DbConn, loan: &mut LoanRow) -> AppResult<()> {
    let out: i64 = loan_devices::table
        .filter(loan_devices::loan_id.eq(&loan.id))
        .filter(loan_devices::status.eq(LoanDeviceStatus::OnLoan))
        .count()
        .get_result(conn)?;
    if out == 0 {
        let at = now();
        loan.status = LoanStatus::Closed;
        loan.closed_at = Some(at);
        loan.updated_at = at;
        diesel::update(loans::table.find(&loan.id))
            .set((
                loans::status.eq(LoanStatus::Closed),
                loans::closed_at.eq(Some(at)),
                loans::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn loan_device(
    conn: &mut DbConn,
    loan: &LoanRow,
    device_id: &str,
    field: &str,
) -> AppResult<LoanDeviceRow> {
    loan_devices::table
        .filter(loan_devices::loan_id.eq(&loan.id))
        .filter(loan_devices::device_id.eq(device_id))
        .select(LoanDeviceRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::invalid(field, "this device is not part of the loan"))
}

fn device_not_out(ld: &LoanDeviceRow, d: &DeviceRow) -> AppError {
    AppError::conflict_with(
        format!(
            "Device {} is {} under this loan; only a device still on loan can be returned, recorded as not returned or bought.",
            d.asset_tag, ld.status
        ),
        json!({ "device_id": d.id, "loan_device_status": ld.status, "current_status": d.status }),
    )
}

pub fn return_devices(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    r: ReturnLoan,
) -> AppResult<LoanDetail> {
    let mut loan = lock(conn, caller, id)?;
    require_active(&loan, "a return")?;
    limits::dates(&[("returned_on", r.returned_on, Window::Past)])?;
    validate(&r)?;
    let returned_on = r.returned_on.unwrap_or_else(today);
    if returned_on > today() {
        return Err(AppError::invalid("returned_on", "lies in the future"));
    }
    let mut items: Vec<(String, ReturnedDevice)> = Vec::new();
    for (i, item) in r.devices.into_iter().enumerate() {
        let field = format!("devices[{i}].device_id");
        let Some(device_id) = device_ref::device_id(conn, &item.device_id)? else {
            return Err(AppError::invalid(
                field,
                "no device has this id or asset tag",
            ));
        };
        if items.iter().any(|(d, _)| d == &device_id) {
            return Err(AppError::invalid(field, "this device is listed twice"));
        }
        let ld = loan_device(conn, &loan, &device_id, &field)?;
        items.push((ld.id, item));
    }
    // Device rows are locked in id order (the allocation rule).
    let mut items: Vec<(LoanDeviceRow, ReturnedDevice)> = items
        .into_iter()
        .map(|(ld_id, item)| {
            loan_devices::table
                .find(ld_id)
                .select(LoanDeviceRow::as_select())
                .first(conn)
                .map(|ld| (ld, item))
        })
        .collect::<Result<_, _>>()?;
    items.sort_by(|a, b| a.0.device_id.cmp(&b.0.device_id));
    // The loan's accessories belong to its device when it has only one; with several devices,
    // what is missing is said per device.
    let loan_device_count: i64 = loan_devices::table
        .filter(loan_devices::loan_id.eq(&loan.id))
        .count()
        .get_result(conn)?;
    let on_loan = if loan_device_count == 1 {
        parse_list(&loan.accessories)
    } else {
        Vec::new()
    };
    let at = now();
    for (ld, item) in &items {
        let mut d = lock_device(conn, &ld.device_id)?;
        if ld.status != LoanDeviceStatus::OnLoan {
            return Err(device_not_out(ld, &d));
        }
        let back = clean_list(&item.accessories_back);
        let mut missing = commitments::accessories_without(&on_loan, &back);
        for m in clean_list(&item.missing_accessories) {
            if !missing.iter().any(|x| x.eq_ignore_ascii_case(&m)) {
                missing.push(m);
            }
        }
        let mut problems = Vec::new();
        if item.damaged {
            problems.push("returned damaged".to_string());
        }
        if !missing.is_empty() {
            problems.push(format!("accessories missing: {}", missing.join(", ")));
        }
        // The condition may describe the person; it is kept beside the history so that
        // anonymisation can erase it (see `personal_notes`).
        let event = commitments::check_in(
            conn,
            caller,
            &mut d,
            json!({ "loan_id": loan.id, "loan_number": loan.number, "accessories_back": back, "damaged": item.damaged }),
            &commitments::ReturnFindings {
                problems,
                accessories_back: Some(back.join(", ")),
            },
        )?;
        personal_notes::keep(
            conn,
            &event,
            Some(&loan.id),
            "condition",
            item.condition.trim(),
        )?;
        diesel::update(loan_devices::table.find(&ld.id))
            .set((
                loan_devices::status.eq(LoanDeviceStatus::Returned),
                loan_devices::open_device_id.eq(None::<String>),
                loan_devices::returned_on.eq(Some(returned_on)),
                loan_devices::return_condition.eq(Some(item.condition.trim())),
                loan_devices::accessories_back.eq(Some(list_json(&back)?)),
                loan_devices::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    close_if_done(conn, &mut loan)?;
    detail(conn, loan)
}

/// Records devices not returned by the end date: each becomes `lost` and raises an open
/// charge of the loan's agreed value.
pub fn non_return(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    n: NonReturn,
) -> AppResult<LoanDetail> {
    let mut loan = lock(conn, caller, id)?;
    require_active(&loan, "recording a non-return")?;
    validate(&n)?;
    let today = today();
    if today <= loan.end_date {
        return Err(AppError::conflict_with(
            format!(
                "Loan {} runs until {}; a device can be recorded as not returned only after that date. A borrower who wants to keep it can buy it (POST /loans/{{id}}/purchase).",
                loan.number, loan.end_date
            ),
            json!({ "end_date": loan.end_date }),
        ));
    }
    let mut ids: Vec<String> = match &n.device_ids {
        Some(list) if !list.is_empty() => list.iter().map(|u| u.to_string()).collect(),
        Some(_) => {
            return Err(AppError::invalid(
                "device_ids",
                "must list at least one device",
            ))
        }
        None => loan_devices::table
            .filter(loan_devices::loan_id.eq(&loan.id))
            .filter(loan_devices::status.eq(LoanDeviceStatus::OnLoan))
            .select(loan_devices::device_id)
            .load(conn)?,
    };
    ids.sort();
    ids.dedup();
    let at = now();
    for (i, device_id) in ids.iter().enumerate() {
        let ld = loan_device(conn, &loan, device_id, &format!("device_ids[{i}]"))?;
        let mut d = lock_device(conn, device_id)?;
        if ld.status != LoanDeviceStatus::OnLoan {
            return Err(device_not_out(&ld, &d));
        }
        let event = transition(
            conn,
            caller,
            &mut d,
            Action::MarkLost,
            json!({ "loan_id": loan.id, "loan_number": loan.number, "reason": "not returned by the end date" }),
        )?;
        if let Some(note) = &n.note {
            personal_notes::keep(conn, &event, Some(&loan.id), "note", note)?;
        }
        diesel::update(loan_devices::table.find(&ld.id))
            .set((
                loan_devices::status.eq(LoanDeviceStatus::NotReturned),
                loan_devices::open_device_id.eq(None::<String>),
                loan_devices::updated_at.eq(at),
            ))
            .execute(conn)?;
        diesel::insert_into(loan_charges::table)
            .values(&ChargeRow {
                id: new_id(),
                loan_id: loan.id.clone(),
                device_id: device_id.clone(),
                kind: ChargeKind::NonReturn,
                amount_cents: loan.value_cents,
                status: ChargeStatus::Open,
                raised_on: today,
                paid_on: None,
                paid_amount_cents: None,
                method: None,
                waived_reason: None,
                settled_by: None,
                created_by: caller.user_id.clone(),
                created_at: at,
                updated_at: at,
            })
            .execute(conn)?;
    }
    close_if_done(conn, &mut loan)?;
    detail(conn, loan)
}

fn check_payment(
    paid_on: NaiveDate,
    amount: i64,
    expected: i64,
    started: NaiveDate,
) -> AppResult<()> {
    limits::dates(&[("paid_on", Some(paid_on), Window::Past)])?;
    let mut errors = Vec::new();
    if paid_on > today() {
        errors.push(FieldError::new("paid_on", "lies in the future"));
    }
    if paid_on < started {
        errors.push(FieldError::new(
            "paid_on",
            "is before the start of the loan",
        ));
    }
    if amount != expected {
        errors.push(FieldError::new(
            "amount_cents",
            format!("must be the agreed amount, {expected} cents"),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid_fields(errors))
    }
}

/// A charge, locked, with its loan (within the caller's scope).
fn lock_charge(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<(ChargeRow, LoanRow)> {
    let charge: ChargeRow = crate::locked_first!(
        conn,
        loan_charges::table.find(id).select(ChargeRow::as_select())
    )
    .optional()?
    .ok_or_else(|| AppError::not_found("The charge"))?;
    let loan: LoanRow = loans::table
        .find(&charge.loan_id)
        .select(LoanRow::as_select())
        .first(conn)?;
    if office_visible(caller, &loan.organisation_id) {
        Ok((charge, loan))
    } else {
        Err(AppError::not_found("The charge"))
    }
}

fn charge_settled(c: &ChargeRow) -> AppError {
    AppError::conflict_with(
        format!(
            "This charge is {}; only an open charge can be paid or waived.",
            c.status
        ),
        json!({ "current_status": c.status }),
    )
}

/// Marks a charge paid. Paying for a device not returned means the borrower bought it: a lost
/// device becomes `sold`.
pub fn pay(conn: &mut DbConn, caller: &Caller, id: &str, p: Payment) -> AppResult<ChargeRow> {
    caller.require(Perm::ManageLoans)?;
    let (mut c, loan) = lock_charge(conn, caller, id)?;
    if c.status != ChargeStatus::Open {
        return Err(charge_settled(&c));
    }
    check_payment(p.paid_on, p.amount_cents, c.amount_cents, loan.start_date)?;
    settle_paid(
        conn,
        caller,
        &mut c,
        &loan,
        p.paid_on,
        p.amount_cents,
        p.method,
    )?;
    Ok(c)
}

#[allow(clippy::too_many_arguments)]
fn settle_paid(
    conn: &mut DbConn,
    caller: &Caller,
    c: &mut ChargeRow,
    loan: &LoanRow,
    paid_on: NaiveDate,
    amount: i64,
    method: PaymentMethod,
) -> AppResult<()> {
    let at = now();
    c.status = ChargeStatus::Paid;
    c.paid_on = Some(paid_on);
    c.paid_amount_cents = Some(amount);
    c.method = Some(method);
    c.settled_by = Some(caller.user_id.clone());
    c.updated_at = at;
    diesel::update(loan_charges::table.find(&c.id))
        .set((
            loan_charges::status.eq(c.status),
            loan_charges::paid_on.eq(c.paid_on),
            loan_charges::paid_amount_cents.eq(c.paid_amount_cents),
            loan_charges::method.eq(c.method),
            loan_charges::settled_by.eq(&c.settled_by),
            loan_charges::updated_at.eq(at),
        ))
        .execute(conn)?;
    if c.kind == ChargeKind::NonReturn {
        let mut d = lock_device(conn, &c.device_id)?;
        if d.status == Status::Lost {
            d.holder_organisation_id = None;
            transition(
                conn,
                caller,
                &mut d,
                Action::Sell,
                json!({ "loan_id": loan.id, "loan_number": loan.number, "charge_id": c.id }),
            )?;
            diesel::update(
                loan_devices::table
                    .filter(loan_devices::loan_id.eq(&loan.id))
                    .filter(loan_devices::device_id.eq(&c.device_id)),
            )
            .set((
                loan_devices::status.eq(LoanDeviceStatus::Bought),
                loan_devices::updated_at.eq(at),
            ))
            .execute(conn)?;
        }
    }
    Ok(())
}

pub fn waive(conn: &mut DbConn, caller: &Caller, id: &str, w: Waiver) -> AppResult<ChargeRow> {
    caller.require(Perm::WaivePenalties)?;
    validate(&w)?;
    let (mut c, _) = lock_charge(conn, caller, id)?;
    if c.status != ChargeStatus::Open {
        return Err(charge_settled(&c));
    }
    let at = now();
    c.status = ChargeStatus::Waived;
    c.waived_reason = Some(w.reason.trim().to_string());
    c.settled_by = Some(caller.user_id.clone());
    c.updated_at = at;
    diesel::update(loan_charges::table.find(&c.id))
        .set((
            loan_charges::status.eq(c.status),
            loan_charges::waived_reason.eq(&c.waived_reason),
            loan_charges::settled_by.eq(&c.settled_by),
            loan_charges::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(c)
}

/// The borrower buys a device: early (a charge raised and paid at once, the device `sold`),
/// or after a non-return (its open charge paid, the lost device `sold`).
pub fn purchase(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    p: Purchase,
) -> AppResult<LoanDetail> {
    let mut loan = lock(conn, caller, id)?;
    if loan.status == LoanStatus::Draft {
        return Err(state_conflict(&loan, "a purchase"));
    }
    let device_id = p.device_id.to_string();
    let ld = loan_device(conn, &loan, &device_id, "device_id")?;
    check_payment(p.paid_on, p.amount_cents, loan.value_cents, loan.start_date)?;
    match ld.status {
        LoanDeviceStatus::OnLoan => {
            let mut d = lock_device(conn, &device_id)?;
            let at = now();
            let charge_id = new_id();
            d.holder_organisation_id = None;
            transition(
                conn,
                caller,
                &mut d,
                Action::Sell,
                json!({ "loan_id": loan.id, "loan_number": loan.number, "charge_id": charge_id }),
            )?;
            diesel::insert_into(loan_charges::table)
                .values(&ChargeRow {
                    id: charge_id,
                    loan_id: loan.id.clone(),
                    device_id: device_id.clone(),
                    kind: ChargeKind::Purchase,
                    amount_cents: loan.value_cents,
                    status: ChargeStatus::Paid,
                    raised_on: p.paid_on,
                    paid_on: Some(p.paid_on),
                    paid_amount_cents: Some(p.amount_cents),
                    method: Some(p.method),
                    waived_reason: None,
                    settled_by: Some(caller.user_id.clone()),
                    created_by: caller.user_id.clone(),
                    created_at: at,
                    updated_at: at,
                })
                .execute(conn)?;
            diesel::update(loan_devices::table.find(&ld.id))
                .set((
                    loan_devices::status.eq(LoanDeviceStatus::Bought),
                    loan_devices::open_device_id.eq(None::<String>),
                    loan_devices::updated_at.eq(at),
                ))
                .execute(conn)?;
            close_if_done(conn, &mut loan)?;
        }
        LoanDeviceStatus::NotReturned => {
            let charge: Option<ChargeRow> = crate::locked_first!(
                conn,
                loan_charges::table
                    .filter(loan_charges::loan_id.eq(&loan.id))
                    .filter(loan_charges::device_id.eq(&device_id))
                    .filter(loan_charges::status.eq(ChargeStatus::Open))
                    .select(ChargeRow::as_select())
            )
            .optional()?;
            let Some(mut c) = charge else {
                return Err(AppError::conflict(
                    "The charge for this device was already settled (paid or waived).",
                ));
            };
            settle_paid(
                conn,
                caller,
                &mut c,
                &loan,
                p.paid_on,
                p.amount_cents,
                p.method,
            )?;
        }
        _ => {
            let d = lock_device(conn, &device_id)?;
            return Err(device_not_out(&ld, &d));
        }
    }
    detail(conn, loan)
}

/// Filters of the loan list.
#[derive(Debug, Default, Clone, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LoanFilter {
    /// Only this office (coordinators and admins; social workers always see their own).
    pub organisation_id: Option<uuid::Uuid>,
    pub borrower_id: Option<uuid::Uuid>,
    pub status: Option<LoanStatus>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn scope_office(caller: &Caller, asked: Option<uuid::Uuid>) -> Option<String> {
    crate::auth::visibility::loan_list_office(caller, asked)
}

pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    f: &LoanFilter,
    limit: i64,
    after: Option<(NaiveDateTime, String)>,
) -> AppResult<(Vec<LoanRow>, Option<crate::domain::borrowers::Keyset>)> {
    caller.require(Perm::ReadLoans)?;
    let mut q = loans::table
        .select(LoanRow::as_select())
        .order((loans::created_at.asc(), loans::id.asc()))
        .limit(limit + 1)
        .into_boxed();
    if let Some(org) = scope_office(caller, f.organisation_id) {
        q = q.filter(loans::organisation_id.eq(org));
    }
    if let Some(b) = f.borrower_id {
        q = q.filter(loans::borrower_id.eq(b.to_string()));
    }
    if let Some(s) = f.status {
        q = q.filter(loans::status.eq(s));
    }
    if let Some((at, id)) = after {
        q = q.filter(
            loans::created_at
                .gt(at)
                .or(loans::created_at.eq(at).and(loans::id.gt(id))),
        );
    }
    let mut rows = q.load(conn)?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| (r.created_at, r.id.clone()))
    } else {
        None
    };
    Ok((rows, next))
}

/// Most rows a work list returns.
pub const WORKLIST_MAX: i64 = 500;

/// Open checkpoints of active loans due in `[from, to]`, in the caller's scope.
pub fn checkpoints_between(
    conn: &mut DbConn,
    caller: &Caller,
    office: Option<uuid::Uuid>,
    from: Option<NaiveDate>,
    to: NaiveDate,
) -> AppResult<Vec<(CheckpointRow, LoanRow, String)>> {
    caller.require(Perm::ReadLoans)?;
    let mut q = loan_checkpoints::table
        .inner_join(loans::table.inner_join(borrowers::table))
        .filter(loans::status.eq(LoanStatus::Active))
        .filter(loan_checkpoints::held_on.is_null())
        .filter(loan_checkpoints::due_on.le(to))
        .select((
            CheckpointRow::as_select(),
            LoanRow::as_select(),
            borrowers::name,
        ))
        .order((loan_checkpoints::due_on.asc(), loans::number.asc()))
        .limit(WORKLIST_MAX)
        .into_boxed();
    if let Some(from) = from {
        q = q.filter(loan_checkpoints::due_on.ge(from));
    }
    if let Some(org) = scope_office(caller, office) {
        q = q.filter(loans::organisation_id.eq(org));
    }
    Ok(q.load(conn)?)
}

/// Active loans ending in `[from, to]`, in the caller's scope.
pub fn loans_ending_between(
    conn: &mut DbConn,
    caller: &Caller,
    office: Option<uuid::Uuid>,
    from: Option<NaiveDate>,
    to: NaiveDate,
) -> AppResult<Vec<(LoanRow, String)>> {
    caller.require(Perm::ReadLoans)?;
    let mut q = loans::table
        .inner_join(borrowers::table)
        .filter(loans::status.eq(LoanStatus::Active))
        .filter(loans::end_date.le(to))
        .select((LoanRow::as_select(), borrowers::name))
        .order((loans::end_date.asc(), loans::number.asc()))
        .limit(WORKLIST_MAX)
        .into_boxed();
    if let Some(from) = from {
        q = q.filter(loans::end_date.ge(from));
    }
    if let Some(org) = scope_office(caller, office) {
        q = q.filter(loans::organisation_id.eq(org));
    }
    Ok(q.load(conn)?)
}

/// What the agreement needs beyond the loan itself.
pub struct AgreementFacts {
    pub detail: LoanDetail,
    pub borrower: BorrowerRow,
    pub office: OrganisationRow,
    pub social_worker_name: String,
}

pub fn agreement_facts(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<AgreementFacts> {
    let detail = get_detail(conn, caller, id)?;
    let borrower: BorrowerRow = borrowers::table
        .find(&detail.loan.borrower_id)
        .select(BorrowerRow::as_select())
        .first(conn)?;
    let office: OrganisationRow = organisations::table
        .find(&detail.loan.organisation_id)
        .select(OrganisationRow::as_select())
        .first(conn)?;
    let social_worker_name: String = users::table
        .find(&detail.loan.social_worker_id)
        .select(users::name)
        .first(conn)?;
    Ok(AgreementFacts {
        detail,
        borrower,
        office,
        social_worker_name,
    })
}

/// Every loan of a borrower with what is attached (for the GDPR export).
pub fn of_borrower(conn: &mut DbConn, borrower_id: &str) -> AppResult<Vec<LoanDetail>> {
    let rows: Vec<LoanRow> = loans::table
        .filter(loans::borrower_id.eq(borrower_id))
        .order((loans::created_at.asc(), loans::id.asc()))
        .select(LoanRow::as_select())
        .load(conn)?;
    rows.into_iter().map(|l| detail(conn, l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn checkpoints_every_interval_up_to_and_including_the_end() {
        assert_eq!(
            schedule(d(2026, 1, 15), d(2027, 6, 30), 6),
            vec![d(2026, 7, 15), d(2027, 1, 15)]
        );
        assert_eq!(
            schedule(d(2026, 1, 15), d(2027, 1, 15), 6),
            vec![d(2026, 7, 15), d(2027, 1, 15)]
        );
        assert!(schedule(d(2026, 1, 15), d(2026, 5, 1), 6).is_empty());
    }

    #[test]
    fn month_ends_do_not_drift() {
        assert_eq!(
            schedule(d(2026, 8, 31), d(2027, 12, 31), 6),
            vec![d(2027, 2, 28), d(2027, 8, 31)]
        );
    }
}
