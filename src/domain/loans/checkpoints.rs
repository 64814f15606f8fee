//! Checkpoints held with the borrower, and extending a loan (which adds the checkpoints of the
//! new period). The dates themselves come from `schedule`.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::schedule::{self, insert_checkpoints};
use super::states::{self, LoanAction};
use super::{detail, lock, validate, LoanDetail};
use crate::auth::Caller;
use crate::db::models::CheckpointRow;
use crate::db::schema::{loan_checkpoints, loans};
use crate::db::{now, today, DbConn};
use crate::domain::ids::{CheckpointId, LoanId, ProgrammeId};
use crate::domain::limits::{self, Window};
use crate::domain::programmes;
use crate::error::{AppError, AppResult};

/// A checkpoint held with the borrower.
#[derive(Debug, Clone, Validate)]
pub struct RecordCheckpoint {
    /// The scheduled checkpoint; defaults to the earliest one not yet held.
    pub checkpoint_id: Option<CheckpointId>,
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

/// Records a checkpoint of an active loan (by default the earliest one not yet held).
pub fn record_checkpoint(
    conn: &mut DbConn,
    caller: &Caller,
    id: &LoanId,
    r: RecordCheckpoint,
) -> AppResult<CheckpointRow> {
    let loan = lock(conn, caller, id)?;
    states::next(&loan, LoanAction::RecordCheckpoint)?;
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
    q = match &r.checkpoint_id {
        Some(cp) => q.filter(loan_checkpoints::id.eq(cp.as_str().to_string())),
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

/// Extends an active loan by one interval (capped at the programme's end) or to `end_date`,
/// never past the programme's end date as it is now, adding the checkpoints of the new period.
pub fn extend(
    conn: &mut DbConn,
    caller: &Caller,
    id: &LoanId,
    end_date: Option<NaiveDate>,
) -> AppResult<LoanDetail> {
    let mut loan = lock(conn, caller, id)?;
    states::next(&loan, LoanAction::Extend)?;
    limits::dates(&[("end_date", end_date, Window::Plan)])?;
    let programme = programmes::terms(conn, &ProgrammeId::from(loan.programme_id.as_str()))?;
    let limit = programme.end_date;
    let new_end = match end_date {
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
            schedule::one_interval_later(loan.end_date, loan.checkpoint_interval_months, limit)
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
    let added: Vec<NaiveDate> =
        schedule::schedule(loan.start_date, new_end, loan.checkpoint_interval_months)
            .into_iter()
            .filter(|d| *d > old_end)
            .collect();
    insert_checkpoints(conn, &loan.id, &added)?;
    detail(conn, loan)
}
