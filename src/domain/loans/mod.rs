//! Loans to people (*bruikleen*): a draft, the agreement signed at the desk (which hands the
//! devices over), checkpoints every interval, extension, return, non-return with its charge,
//! and purchase.
//!
//! Each use case has its file:
//!
//! | file | what |
//! | --- | --- |
//! | `schedule.rs` | the checkpoint dates, when a loan is overdue, how far an extension goes |
//! | `states.rs` | the transition tables of a loan and of each device under it |
//! | `drafting.rs` | drawing up a draft, cancelling it |
//! | `signing.rs` | signing (the hand-over) and the scan of the signed paper |
//! | `checkpoints.rs` | recording a checkpoint, extending the loan |
//! | `returns.rs` | returns and non-returns |
//! | `charges.rs` | paying and waiving charges, purchases |
//! | `worklists.rs` | due and overdue checkpoints, ending and overdue loans |
//! | `receipts.rs` | the return receipt signed on the screen (the marks as in `signatures.rs`) |
//! | `queries.rs` | one loan, the list, the agreement's facts, a borrower's loans |
//!
//! Every entry point takes the caller and authorises there (policy and office visibility);
//! the API only extracts, calls and renders.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use validator::Validate;

use crate::auth::{Caller, Perm};
use crate::db::models::{ChargeRow, CheckpointRow, DeviceRow, LoanDeviceRow, LoanRow};
use crate::db::schema::{devices, loan_charges, loan_checkpoints, loan_devices, loan_scans, loans};
use crate::db::{now, DbConn};
use crate::domain::borrowers::office_visible;
use crate::domain::ids::LoanId;
use crate::error::{AppError, AppResult};

pub mod charges;
pub mod checkpoints;
pub mod drafting;
pub mod queries;
pub mod receipts;
pub mod returns;
pub mod schedule;
pub mod signatures;
pub mod signing;
pub mod states;
pub mod worklists;

pub use charges::{pay, purchase, waive, Payment, Purchase, Waiver};
pub use checkpoints::{extend, record_checkpoint, RecordCheckpoint};
pub use drafting::{cancel, create, NewLoan};
pub use queries::{
    agreement_facts, get, get_detail, list, of_borrower, AgreementFacts, LoanFilter,
};
pub use returns::{non_return, return_devices, NonReturn, ReturnLoan, ReturnedDevice};
pub use schedule::{is_overdue, schedule};
pub use signing::{
    check_scan_upload, get_scan, put_scan, sign, SignLoan, MAX_SCAN_BYTES, SCAN_TYPES,
};
pub use states::{LoanAction, TRANSITIONS};
pub use worklists::{DueCheckpoint, EndingLoan, WORKLIST_MAX};

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

/// Locks a loan for a change, within the caller's scope (managers of its office).
fn lock(conn: &mut DbConn, caller: &Caller, id: &LoanId) -> AppResult<LoanRow> {
    caller.require(Perm::ManageLoans)?;
    let row: LoanRow = crate::locked_first!(
        conn,
        loans::table.find(id.as_str()).select(LoanRow::as_select())
    )
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

/// Everything attached to a loan (the caller was authorised for the loan).
fn detail(conn: &mut DbConn, loan: LoanRow) -> AppResult<LoanDetail> {
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

/// The accessories stored on a loan (a JSON list), as a list.
pub fn parse_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// The row of `device_id` under `loan`; 422 on `field` when the device is not part of it.
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

/// Closes the loan (the `close` move of the table) when no device is out under it any more.
fn close_if_done(conn: &mut DbConn, loan: &mut LoanRow) -> AppResult<()> {
    let out: i64 = loan_devices::table
        .filter(loan_devices::loan_id.eq(&loan.id))
        .filter(loan_devices::status.eq(LoanDeviceStatus::OnLoan))
        .count()
        .get_result(conn)?;
    if out == 0 {
        let at = now();
        loan.status = states::next(loan, LoanAction::Close)?;
        loan.closed_at = Some(at);
        loan.updated_at = at;
        diesel::update(loans::table.find(&loan.id))
            .set((
                loans::status.eq(loan.status),
                loans::closed_at.eq(Some(at)),
                loans::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}
