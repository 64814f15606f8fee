//! Stable machine codes for the refusals a person at the workshop bench can meet: a lifecycle
//! step the table does not allow, the data-safety rule, the rules of a wipe record and the
//! checks of a refurbishment. A refused request carries its code in the problem document
//! (`code` beside `detail` for a 409; `code` on each entry of `errors` for a 422), so that a
//! page can say it in the person's language (`web-workshop-refusal-<code>` and what to do
//! next, `web-workshop-next-<code>`, in `locales/*.ftl`) while the API's English `detail`
//! stays as it was. The codes are part of the wire format: add new ones, never rename one.

use serde_json::{Map, Value};

use crate::error::{AppError, FieldError};

crate::text_enum!(
    /// Why the bench refused something.
    RefusalCode {
        /// The lifecycle table does not allow this action from the current status.
        ActionNotAllowed => "action_not_allowed",
        /// A wipe or refurbishment is recorded only while the device is on the bench.
        NotOnTheBench => "not_on_the_bench",
        /// The device is on loan or booked out: its loan or booking records what happens.
        HandedOut => "handed_out",
        /// Lend, book out, check in and sell go through loans and bookings.
        ThroughLoansOrBookings => "through_loans_or_bookings",
        /// Some storage has no passed wipe since the device came in (or its latest failed).
        StorageNotWiped => "storage_not_wiped",
        /// The device stores data: it cannot skip the wipe.
        WipeFirst => "wipe_first",
        /// The latest refurbishment check failed.
        RefurbishmentFailed => "refurbishment_failed",
        /// No refurbishment was recorded since the device was wiped.
        RefurbishmentMissing => "refurbishment_missing",
        /// Back from a loan to a person: the full wipe and refurbishment are needed.
        BackFromLoan => "back_from_loan",
        /// The technique cannot be recorded under this NIST SP 800-88 category.
        CategoryNotForTechnique => "category_not_for_technique",
        /// Overwriting flash storage from the host is only clear.
        FlashOverwriteIsClear => "flash_overwrite_is_clear",
        /// An overwrite needs at least one pass.
        PassesRequired => "passes_required",
        /// The wipe ends before it starts.
        EndedBeforeStarted => "ended_before_started",
        /// A moment too far in the future or the past.
        MomentOutOfRange => "moment_out_of_range",
        /// The wipe starts before the device was registered.
        StartedBeforeRegistration => "started_before_registration",
        /// Verified needs a method (sample, full); not verified needs none.
        VerificationMismatch => "verification_mismatch",
        /// The device has several drives: say which one was wiped.
        WhichDrive => "which_drive",
        /// The drive named is not one of the device's.
        NotADrive => "not_a_drive",
        /// Built-in storage needs its type.
        DriveTypeRequired => "drive_type_required",
        /// A check this kind of device must pass was not given.
        CheckRequired => "check_required",
        /// A pass cannot be given when a required check failed.
        PassWithFailedCheck => "pass_with_failed_check",
        /// This kind of device needs its battery's health.
        BatteryRequired => "battery_required",
        /// A wipe report is attached already (it is evidence: never replaced).
        ReportAlreadyAttached => "report_already_attached",
        /// The report's SHA-256 differs from the one recorded with the wipe.
        ReportMismatch => "report_mismatch",
        /// The report file is empty, or not of the type it says.
        ReportUnreadable => "report_unreadable",
    }
);

/// A 409 with its code beside the other members (`current_status`, `allowed_actions`, ...).
pub fn conflict(code: RefusalCode, detail: impl Into<String>, extra: Value) -> AppError {
    let mut map = match extra {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    map.insert("code".into(), Value::String(code.as_str().into()));
    AppError::conflict_with(detail, Value::Object(map))
}

/// A field error with its code.
pub fn field(
    field: impl Into<String>,
    code: RefusalCode,
    message: impl Into<String>,
) -> FieldError {
    FieldError::new(field, message).with_code(code.as_str())
}

/// The code of a refusal, if it has one: a 409's own, else the first coded field of a 422.
pub fn code_of(e: &AppError) -> Option<RefusalCode> {
    let text = match e {
        AppError::Conflict { extra, .. } => extra.get("code").and_then(Value::as_str),
        AppError::Validation { errors, .. } => errors.iter().find_map(|f| f.code.as_deref()),
        _ => None,
    }?;
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{has, Lang};

    #[test]
    fn every_code_has_a_reason_and_a_next_step_in_the_catalogue() {
        for code in RefusalCode::ALL {
            for key in [
                format!("web-workshop-refusal-{code}"),
                format!("web-workshop-next-{code}"),
            ] {
                assert!(has(Lang::Nl, &key), "locales/nl.ftl lacks {key}");
            }
        }
    }

    #[test]
    fn a_coded_conflict_keeps_its_members_and_gives_its_code_back() {
        let e = conflict(
            RefusalCode::StorageNotWiped,
            "Device GNT-000001 cannot wipe.",
            serde_json::json!({ "current_status": "received" }),
        );
        assert_eq!(code_of(&e), Some(RefusalCode::StorageNotWiped));
        let p = e.problem();
        assert_eq!(p.extra["code"], "storage_not_wiped");
        assert_eq!(p.extra["current_status"], "received");
    }
}
