//! Refurbishment, by use case: assigning work to workshops ([`assignment`]), the drives of a
//! device ([`drives`]), wipe records one by one or for many devices ([`wipes`]),
//! refurbishment records and the checks each kind must pass ([`checks`], `CHECKS_BY_KIND`),
//! the all-or-nothing machinery of batch requests ([`batch`]), pool resets ([`pool`]), the
//! donor's certificate of data sanitisation ([`certificate`]) and the workshop's work queue
//! ([`queue`]). This file holds the vocabulary they share (NIST SP 800-88 categories,
//! techniques, outcomes, grades) and the rules of the bench.

pub mod assignment;
pub mod batch;
pub mod bench;
pub mod certificate;
pub mod checks;
pub mod drives;
pub mod pool;
pub mod progress;
pub mod queue;
pub mod reports;
pub mod wipes;

use diesel::prelude::*;
use serde_json::json;

use crate::auth::{visibility, Caller};
use crate::db::models::DeviceRow;
use crate::db::schema::users;
use crate::db::DbConn;
use crate::domain::lifecycle::Status;
use crate::error::AppResult;

pub use assignment::{assign_device, assign_donation};
pub use batch::MAX_BATCH;
pub use certificate::certificate;
pub use checks::{
    checks_for, device_refurbishments, record_refurbishment, record_refurbishments,
    refurbishments_of, BatteryCheck, Checks, NewRefurbishment, CHECKS_BY_KIND,
};
pub use drives::{add_drive, device_drives, drives_of, insert_drives};
pub use pool::{reset_pool_devices, PoolReset};
pub use progress::{workshop_batches, BatchProgress};
pub use queue::{work_queue, QueueEntry, WorkQueue};
pub use reports::{attach_report, report, reports_of, ReportInfo, MAX_REPORT_BYTES, REPORT_TYPES};
pub use wipes::{
    categories_for, device_wipes, record_wipe, record_wipes, uncovered_storage, wipes_of, NewWipe,
};

crate::text_enum!(
    /// NIST SP 800-88 sanitisation category.
    WipeCategory {
        /// Logical overwrite of all user-addressable locations.
        Clear => "clear",
        /// Makes laboratory recovery infeasible (sanitize, block erase, cryptographic erase).
        Purge => "purge",
        /// The medium can no longer store data.
        Destroy => "destroy",
    }
);

crate::text_enum!(
    /// The technique used.
    WipeTechnique {
        Overwrite => "overwrite",
        BlockErase => "block_erase",
        CryptoErase => "crypto_erase",
        FirmwareSecureErase => "firmware_secure_erase",
        /// Tablets and phones; with encryption on it is a cryptographic erase.
        FactoryReset => "factory_reset",
        PhysicalDestruction => "physical_destruction",
    }
);

crate::text_enum!(
    /// How the result was verified.
    Verification {
        None => "none",
        Sample => "sample",
        Full => "full",
    }
);

crate::text_enum!(
    WipeOutcome {
        Passed => "passed",
        Failed => "failed",
    }
);

crate::text_enum!(
    /// Cosmetic grade: A like new, B light wear, C visible wear.
    Grade {
        A => "A",
        B => "B",
        C => "C",
    }
);

pub(crate) fn technician_name(conn: &mut DbConn, user_id: &str) -> AppResult<String> {
    Ok(users::table.find(user_id).select(users::name).first(conn)?)
}

/// Statuses in which a device is in the workshop's hands and may be wiped or refurbished.
pub(crate) const ON_THE_BENCH: &[Status] = &[
    Status::Received,
    Status::Returned,
    Status::InRepair,
    Status::Wiped,
    Status::Refurbished,
];

pub(crate) fn on_the_bench(d: &DeviceRow, what: &str) -> AppResult<()> {
    if ON_THE_BENCH.contains(&d.status) {
        Ok(())
    } else {
        Err(crate::domain::refusal::conflict(
            crate::domain::refusal::RefusalCode::NotOnTheBench,
            format!("Device {} is {}; {what} can only be recorded while it is received, returned, in repair, wiped or refurbished.", d.asset_tag, d.status),
            json!({ "current_status": d.status, "allowed_actions": crate::domain::lifecycle::allowed_actions(d.status) }),
        ))
    }
}

/// The organisation a record is filed under: the refurbisher's own workshop; for an admin
/// working on a device, the workshop it is assigned to, or else the admin's own organisation
/// (the lending service wiping in house).
pub(crate) fn workshop_for(caller: &Caller, d: &DeviceRow) -> String {
    visibility::own_workshop(caller)
        .or_else(|| d.workshop_id.clone())
        .unwrap_or_else(|| caller.organisation_id.clone())
}
