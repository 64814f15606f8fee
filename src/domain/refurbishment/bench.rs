//! The workshop bench's view of one device, for its page: what it is, its drives and their
//! wipes (with the reports stored), its refurbishments, its history, and what must happen
//! next; plus the bench's compound steps, each one form of the page: a wipe of every drive
//! that also performs the `wipe` step when all passed, a refurbishment that also performs the
//! `refurbish` step when it passed. Every rule stays where it is (records, guards, the
//! lifecycle table); this only puts them in the order of the bench.

use super::{
    checks_for, drives_of, record_refurbishment, record_wipe, refurbishments_of, reports_of,
    uncovered_storage, wipes_of, BatteryCheck, NewRefurbishment, NewWipe, ReportInfo, WipeOutcome,
};
use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceEventRow, DeviceRow, DriveRow, RefurbishmentRow, WipeRow};
use crate::db::DbConn;
use crate::domain::devices::{self as dev, last_handback, Lookup};
use crate::domain::guards::device_has_storage;
use crate::domain::lifecycle::{Action, Status};
use crate::error::{AppError, AppResult, FieldError};

/// What must happen next to a device at the bench.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Wipe its storage (`covered`: the records are in, only the step is left).
    Wipe { covered: bool },
    /// Check and grade it.
    Refurbish,
    /// The latest check failed: repair it (and check again) or retire it.
    Repair,
    /// Release it (the lifecycle action to ready).
    Release,
    /// It is ready to lend.
    Ready,
    /// Nothing for the workshop (on loan, sold, ...).
    Nothing,
}

impl NextStep {
    /// The name of the step (for catalogue keys).
    pub fn as_str(self) -> &'static str {
        match self {
            NextStep::Wipe { covered: false } => "wipe",
            NextStep::Wipe { covered: true } => "wipe-step",
            NextStep::Refurbish => "refurbish",
            NextStep::Repair => "repair",
            NextStep::Release => "release",
            NextStep::Ready => "ready",
            NextStep::Nothing => "nothing",
        }
    }
}

/// Everything the device page shows.
#[derive(Debug, Clone)]
pub struct BenchView {
    pub device: DeviceRow,
    pub drives: Vec<DriveRow>,
    pub wipes: Vec<WipeRow>,
    pub reports: Vec<ReportInfo>,
    pub refurbishments: Vec<RefurbishmentRow>,
    pub history: Vec<DeviceEventRow>,
    pub has_storage: bool,
    /// Why the storage is not covered yet (one line per drive); empty when it is.
    pub uncovered: Vec<String>,
    pub next: NextStep,
    /// The checks this kind must pass, and whether the battery is asked.
    pub checks: &'static [&'static str],
    pub battery: BatteryCheck,
    /// Whether the viewer may record wipes and refurbishments (else the page only shows).
    pub may_record: bool,
}

fn next_step(
    conn: &mut DbConn,
    d: &DeviceRow,
    has_storage: bool,
    uncovered: &[String],
    refurbs: &[RefurbishmentRow],
) -> AppResult<NextStep> {
    Ok(match d.status {
        Status::Received | Status::Returned | Status::InRepair if has_storage => NextStep::Wipe {
            covered: uncovered.is_empty(),
        },
        Status::Received | Status::Returned | Status::InRepair => NextStep::Refurbish,
        Status::Wiped => {
            let wiped_at = dev::last_event(conn, d, &[Action::Wipe])?.map(|(_, at)| at);
            match refurbs.last() {
                Some(r) if !r.functional_pass && wiped_at.is_none_or(|w| r.created_at > w) => {
                    NextStep::Repair
                }
                _ => NextStep::Refurbish,
            }
        }
        Status::Refurbished => NextStep::Release,
        Status::Ready => NextStep::Ready,
        _ => NextStep::Nothing,
    })
}

/// The bench's view of a device the caller may read (by id, tag or label URL); 404 otherwise.
pub fn bench_view(conn: &mut DbConn, caller: &Caller, device: &str) -> AppResult<BenchView> {
    let d = dev::find(conn, caller, Lookup::Id(device))?;
    let drives = drives_of(conn, &d)?;
    let wipes = wipes_of(conn, &d)?;
    let reports = reports_of(conn, &d)?;
    let refurbishments = refurbishments_of(conn, &d)?;
    let history = dev::history(conn, caller, &d.id)?;
    let has_storage = device_has_storage(conn, &d)?;
    let since = last_handback(conn, &d)?;
    let uncovered = uncovered_storage(conn, &d, since)?;
    let next = next_step(conn, &d, has_storage, &uncovered, &refurbishments)?;
    let (checks, battery) = checks_for(d.kind);
    Ok(BenchView {
        may_record: caller.can(Perm::RecordRefurbishment),
        device: d,
        drives,
        wipes,
        reports,
        refurbishments,
        history,
        has_storage,
        uncovered,
        next,
        checks,
        battery,
    })
}

/// What a compound step did.
#[derive(Debug, Clone)]
pub struct StepDone {
    pub device: DeviceRow,
    /// Whether the lifecycle step was performed too (all wipes passed, the check passed).
    pub advanced: bool,
}

/// Records one wipe per line (a drive, or the built-in storage) and, when every line passed,
/// performs the `wipe` step. A refused line's fields are named `lines[i].<field>`. All in the caller's transaction: a refused line records nothing.
pub fn wipe_and_step(
    conn: &mut DbConn,
    caller: &Caller,
    device: &str,
    lines: Vec<NewWipe>,
) -> AppResult<StepDone> {
    let all_passed = lines.iter().all(|w| w.outcome == WipeOutcome::Passed);
    for (i, w) in lines.into_iter().enumerate() {
        record_wipe(conn, caller, device, w).map_err(|e| match e {
            AppError::Validation { detail, errors } => AppError::Validation {
                detail,
                errors: errors
                    .into_iter()
                    .map(|f| FieldError {
                        field: format!("lines[{i}].{}", f.field),
                        ..f
                    })
                    .collect(),
            },
            other => other,
        })?;
    }
    step_if(conn, caller, device, all_passed, Action::Wipe)
}

/// Records a refurbishment and, when it passed, performs the `refurbish` step.
pub fn refurbish_and_step(
    conn: &mut DbConn,
    caller: &Caller,
    device: &str,
    r: NewRefurbishment,
) -> AppResult<StepDone> {
    let passed = r.functional_pass;
    record_refurbishment(conn, caller, device, r)?;
    step_if(conn, caller, device, passed, Action::Refurbish)
}

fn step_if(
    conn: &mut DbConn,
    caller: &Caller,
    device: &str,
    go: bool,
    action: Action,
) -> AppResult<StepDone> {
    if go {
        let d = dev::act(conn, caller, device, action, None)?;
        return Ok(StepDone {
            device: d,
            advanced: true,
        });
    }
    let d = dev::find(conn, caller, Lookup::Id(device))?;
    Ok(StepDone {
        device: d,
        advanced: false,
    })
}

/// A lifecycle step from the bench (release, send to repair, the wipe step alone).
pub fn step(
    conn: &mut DbConn,
    caller: &Caller,
    device: &str,
    action: Action,
) -> AppResult<StepDone> {
    caller.require(Perm::ActOnDevices)?;
    let d = dev::act(conn, caller, device, action, Some("workshop bench".into()))?;
    Ok(StepDone {
        device: d,
        advanced: true,
    })
}
