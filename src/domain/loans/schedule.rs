//! The loan schedule: when the checkpoints fall, when a loan is overdue, and how far an
//! extension goes.
//!
//! - Checkpoints fall on `start + k × interval` months (k = 1, 2, …, counted from the start so
//!   that month ends do not drift) on or before the end date. The end date itself is not an
//!   extra checkpoint: the return is the final check. A loan shorter than one interval has none.
//! - The programme's end date, interval and value are copied onto the loan when the draft is
//!   made and copied again when it is signed; after signing, programme changes never touch it.
//! - An extension goes one interval further (or to a given date), never past the programme's
//!   end date as it is at the time of the extension.
//! - A loan is overdue when it is active and its end date has passed (devices are still out:
//!   an active loan closes when none is).

use chrono::{Months, NaiveDate};
use diesel::prelude::*;

use super::LoanStatus;
use crate::db::models::{CheckpointRow, LoanRow};
use crate::db::schema::{loan_checkpoints, loans};
use crate::db::DbConn;
use crate::domain::accounts::new_id;

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

/// The end date one interval after `end`, capped at `limit` (the programme's end).
pub fn one_interval_later(end: NaiveDate, interval: i32, limit: NaiveDate) -> NaiveDate {
    let step = Months::new(u32::try_from(interval).unwrap_or(6));
    end.checked_add_months(step).map_or(limit, |d| d.min(limit))
}

/// Whether a loan is overdue on `today`: active and past its end date.
pub fn is_overdue(loan: &LoanRow, today: NaiveDate) -> bool {
    loan.status == LoanStatus::Active && loan.end_date < today
}

/// [`is_overdue`] as a filter on `loans`, for queries that count or list in SQL.
#[diesel::dsl::auto_type]
pub fn overdue_on(today: NaiveDate) -> _ {
    let active: LoanStatus = LoanStatus::Active;
    loans::status.eq(active).and(loans::end_date.lt(today))
}

/// How many loans are overdue on `today`, in every office (the operators' metric).
pub fn count_overdue(conn: &mut DbConn, today: NaiveDate) -> crate::error::AppResult<i64> {
    Ok(loans::table
        .filter(overdue_on(today))
        .count()
        .get_result(conn)?)
}

/// Days a loan is past its end date on `today` (0 when it has not ended).
pub fn days_overdue(loan: &LoanRow, today: NaiveDate) -> i64 {
    (today - loan.end_date).num_days().max(0)
}

/// Stores open checkpoints of `loan_id` on these dates.
pub(super) fn insert_checkpoints(
    conn: &mut DbConn,
    loan_id: &str,
    dates: &[NaiveDate],
) -> crate::error::AppResult<()> {
    for d in dates {
        diesel::insert_into(loan_checkpoints::table)
            .values(&CheckpointRow {
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
            .execute(conn)?;
    }
    Ok(())
}

/// Replaces the open schedule of a loan with the one of its current dates and interval.
pub(super) fn reschedule(conn: &mut DbConn, loan: &LoanRow) -> crate::error::AppResult<()> {
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
    )
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

    #[test]
    fn an_extension_stops_at_the_programme_end() {
        assert_eq!(
            one_interval_later(d(2026, 6, 30), 6, d(2027, 12, 31)),
            d(2026, 12, 30)
        );
        assert_eq!(
            one_interval_later(d(2026, 6, 30), 6, d(2026, 9, 1)),
            d(2026, 9, 1)
        );
    }
}
