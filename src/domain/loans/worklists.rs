//! The work lists of an office: checkpoints due soon or overdue, loans ending soon or overdue.
//!
//! "Soon" is from today to `days` ahead (0 to 731, default 30); "overdue" is before today.

use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use super::queries::office_scope;
use super::schedule::days_overdue;
use super::LoanStatus;
use crate::auth::{Caller, Perm};
use crate::db::models::{CheckpointRow, LoanRow};
use crate::db::schema::{borrowers, loan_checkpoints, loans};
use crate::db::{today, DbConn};
use crate::domain::ids::OrganisationId;
use crate::error::{AppError, AppResult};

/// Most rows a work list returns.
pub const WORKLIST_MAX: i64 = 500;
/// How far ahead a work list looks when not told.
pub const DEFAULT_DAYS: i64 = 30;
/// The furthest a work list may look ahead (two years).
pub const MAX_DAYS: i64 = 731;

/// The last day of a look-ahead of `days` from today; 422 on `days` outside 0 to 731.
pub fn horizon(days: Option<i64>) -> AppResult<NaiveDate> {
    let days = days.unwrap_or(DEFAULT_DAYS);
    if !(0..=MAX_DAYS).contains(&days) {
        return Err(AppError::invalid(
            "days",
            format!("must be between 0 and {MAX_DAYS}"),
        ));
    }
    Ok(today() + Days::new(days.unsigned_abs()))
}

fn yesterday() -> NaiveDate {
    today() - Days::new(1)
}

/// An open checkpoint of an active loan, with the borrower's name.
pub struct DueCheckpoint {
    pub checkpoint: CheckpointRow,
    pub loan: LoanRow,
    pub borrower_name: String,
}

/// An active loan in a work list, with the borrower's name and the days past its end.
pub struct EndingLoan {
    pub loan: LoanRow,
    pub borrower_name: String,
    pub days_overdue: i64,
}

/// Open checkpoints due from today to `days` ahead, in the caller's scope.
pub fn checkpoints_due(
    conn: &mut DbConn,
    caller: &Caller,
    office: Option<&OrganisationId>,
    days: Option<i64>,
) -> AppResult<Vec<DueCheckpoint>> {
    caller.require(Perm::ReadLoans)?;
    let to = horizon(days)?;
    checkpoints_between(conn, caller, office, Some(today()), to)
}

/// Open checkpoints whose date has passed, in the caller's scope.
pub fn checkpoints_overdue(
    conn: &mut DbConn,
    caller: &Caller,
    office: Option<&OrganisationId>,
) -> AppResult<Vec<DueCheckpoint>> {
    caller.require(Perm::ReadLoans)?;
    checkpoints_between(conn, caller, office, None, yesterday())
}

/// Active loans ending from today to `days` ahead, in the caller's scope.
pub fn loans_ending(
    conn: &mut DbConn,
    caller: &Caller,
    office: Option<&OrganisationId>,
    days: Option<i64>,
) -> AppResult<Vec<EndingLoan>> {
    caller.require(Perm::ReadLoans)?;
    let to = horizon(days)?;
    loans_ending_between(conn, caller, office, Some(today()), to)
}

/// Active loans past their end date (devices still out), in the caller's scope.
pub fn loans_overdue(
    conn: &mut DbConn,
    caller: &Caller,
    office: Option<&OrganisationId>,
) -> AppResult<Vec<EndingLoan>> {
    caller.require(Perm::ReadLoans)?;
    loans_ending_between(conn, caller, office, None, yesterday())
}

fn checkpoints_between(
    conn: &mut DbConn,
    caller: &Caller,
    office: Option<&OrganisationId>,
    from: Option<NaiveDate>,
    to: NaiveDate,
) -> AppResult<Vec<DueCheckpoint>> {
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
    if let Some(org) = office_scope(caller, office) {
        q = q.filter(loans::organisation_id.eq(org));
    }
    let rows: Vec<(CheckpointRow, LoanRow, String)> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(checkpoint, loan, borrower_name)| DueCheckpoint {
            checkpoint,
            loan,
            borrower_name,
        })
        .collect())
}

fn loans_ending_between(
    conn: &mut DbConn,
    caller: &Caller,
    office: Option<&OrganisationId>,
    from: Option<NaiveDate>,
    to: NaiveDate,
) -> AppResult<Vec<EndingLoan>> {
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
    if let Some(org) = office_scope(caller, office) {
        q = q.filter(loans::organisation_id.eq(org));
    }
    let rows: Vec<(LoanRow, String)> = q.load(conn)?;
    let today = today();
    Ok(rows
        .into_iter()
        .map(|(loan, borrower_name)| EndingLoan {
            days_overdue: days_overdue(&loan, today),
            loan,
            borrower_name,
        })
        .collect())
}
