//! Every bound on the size of what one request may ask for, in one place: the window each
//! date must fall in and the longest list a request may carry. A request beyond them is
//! refused with a 422 naming the field, before it reaches the database, so that no single
//! request can write millions of rows or hold the database for long.
//!
//! | Dates                                                                      | Window                       |
//! |----------------------------------------------------------------------------|------------------------------|
//! | plans: loan start/end, extension, programme end, booking pick-up/return    | 2000-01-01 ..= today + 10 y  |
//! | facts: donation received, agreement signed, checkpoint held, return, payment, wipe and refurbishment times | 2000-01-01 ..= today (+1 day for times, clocks differ) |
//! | date of birth                                                              | 1900-01-01 ..= today         |
//! | filters of lists and availability (`from`, `to`, `month`)                  | 2000-01-01 ..= today + 10 y  |

use chrono::{Months, NaiveDate};

use crate::error::{AppError, AppResult, FieldError};

/// The earliest date of any plan or fact: the service keeps no older records.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// The earliest date of birth.
pub const EARLIEST_BIRTH: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// How far ahead anything may be planned, in years.
pub const PLAN_YEARS: u32 = 10;

/// Longest list of devices or asset tags in one request (as a CSV upload or a pick-up scan).
pub const MAX_DEVICES: u64 = 1000;
/// Longest list of booking lines in one request.
pub const MAX_LINES: u64 = 50;
/// Most drives described for one device.
pub const MAX_DRIVES: u64 = 16;

/// Which window a date must fall in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Something planned: 2000-01-01 ..= today + 10 years.
    Plan,
    /// Something that happened: 2000-01-01 ..= today.
    Past,
    /// A date of birth: 1900-01-01 ..= today.
    Birth,
    /// A filter of a list or a count: 2000-01-01 ..= today + 10 years.
    Filter,
}

impl Window {
    /// The first and last accepted day.
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        let today = crate::db::today();
        let ahead = today
            .checked_add_months(Months::new(PLAN_YEARS * 12))
            .unwrap_or(NaiveDate::MAX);
        match self {
            Window::Plan | Window::Filter => (EARLIEST, ahead),
            Window::Past => (EARLIEST, today),
            Window::Birth => (EARLIEST_BIRTH, today),
        }
    }

    fn check(self, field: &str, date: NaiveDate) -> Option<FieldError> {
        let (first, last) = self.bounds();
        if date < first {
            Some(FieldError::new(
                field,
                format!("must not be before {first}"),
            ))
        } else if date > last {
            let message = match self {
                Window::Past | Window::Birth => format!("lies in the future (today is {last})"),
                Window::Plan | Window::Filter => format!("must not be after {last}"),
            };
            Some(FieldError::new(field, message))
        } else {
            None
        }
    }
}

/// Checks each `(field, date, window)` (absent dates pass); a 422 naming every date out of
/// its window.
pub fn dates(checks: &[(&str, Option<NaiveDate>, Window)]) -> AppResult<()> {
    let errors: Vec<FieldError> = checks
        .iter()
        .filter_map(|(field, date, window)| date.and_then(|d| window.check(field, d)))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid_fields(errors))
    }
}

/// How far a tool's clock (a wipe report) may be off the server's, in minutes: times in the
/// future, or before the device's registration, are tolerated by this much and no more.
pub const CLOCK_SKEW_MINUTES: i64 = 5;

/// A moment that happened (a wipe's start or end): not before [`EARLIEST`] and not more than
/// [`CLOCK_SKEW_MINUTES`] ahead of the server's clock. The reason, if it is outside.
pub fn moment_problem(at: chrono::DateTime<chrono::Utc>) -> Option<String> {
    let latest = chrono::Utc::now() + chrono::Duration::minutes(CLOCK_SKEW_MINUTES);
    if at > latest {
        Some("is in the future".into())
    } else if at.date_naive() < EARLIEST {
        Some(format!("is before {EARLIEST}"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_refuse_the_far_past_and_the_far_future() {
        let today = crate::db::today();
        let far = NaiveDate::from_ymd_opt(99999, 1, 1).unwrap();
        let ancient = NaiveDate::from_ymd_opt(-4700, 1, 1).unwrap();
        assert!(dates(&[("end_date", Some(today), Window::Plan)]).is_ok());
        assert!(dates(&[("end_date", None, Window::Plan)]).is_ok());
        for w in [Window::Plan, Window::Past, Window::Birth, Window::Filter] {
            assert!(dates(&[("d", Some(far), w)]).is_err());
            assert!(dates(&[("d", Some(ancient), w)]).is_err());
        }
        let tomorrow = today.succ_opt().unwrap();
        assert!(dates(&[("received_on", Some(tomorrow), Window::Past)]).is_err());
        assert!(dates(&[("start_date", Some(tomorrow), Window::Plan)]).is_ok());
        match dates(&[
            ("a", Some(far), Window::Plan),
            ("b", Some(ancient), Window::Past),
        ]) {
            Err(AppError::Validation { errors, .. }) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["a", "b"]);
            }
            other => panic!("{other:?}"),
        }
        let now = chrono::Utc::now();
        assert!(moment_problem(now).is_none());
        assert!(moment_problem(far.and_hms_opt(0, 0, 0).unwrap().and_utc()).is_some());
        assert!(moment_problem(ancient.and_hms_opt(0, 0, 0).unwrap().and_utc()).is_some());
    }
}
