//! A workshop's work queue: its devices waiting for a wipe, waiting for refurbishment, or
//! failed, oldest first.

use diesel::prelude::*;

use super::{refurbishments_of, uncovered_storage};
use crate::auth::{visibility, Caller, Perm};
use crate::db::models::DeviceRow;
use crate::db::schema::devices;
use crate::db::DbConn;
use crate::domain::devices::last_handback;
use crate::domain::guards::device_has_storage;
use crate::domain::ids::OrganisationId;
use crate::domain::lifecycle::Status;
use crate::error::{AppError, AppResult};

/// One device in a work queue, and why it is there (for failed: which wipe or check failed).
#[derive(Debug, Clone)]
pub struct QueueEntry {
    pub device: DeviceRow,
    pub reason: String,
}

/// A workshop's work queue, oldest first in each list.
#[derive(Debug, Clone)]
pub struct WorkQueue {
    pub workshop_id: OrganisationId,
    pub waiting_for_wipe: Vec<QueueEntry>,
    pub waiting_for_refurbishment: Vec<QueueEntry>,
    pub failed: Vec<QueueEntry>,
}

/// Most devices shown per list of the queue.
const QUEUE_LIMIT: i64 = 500;

/// The workshop whose bench (queue, batches) the caller looks at: a refurbisher's own, or the
/// one named by those who assign work.
pub(super) fn bench_workshop(
    caller: &Caller,
    workshop_id: Option<OrganisationId>,
) -> AppResult<String> {
    caller.require(Perm::ReadWorkQueue)?;
    match (visibility::own_workshop(caller), workshop_id) {
        (Some(own), _) => Ok(own),
        (None, Some(w)) => Ok(w.into_string()),
        (None, None) => Err(AppError::invalid(
            "workshop_id",
            "say which workshop's bench to show",
        )),
    }
}

/// The queue of the caller's own workshop (refurbishers), or of the one named (those who
/// assign work).
pub fn work_queue(
    conn: &mut DbConn,
    caller: &Caller,
    workshop_id: Option<OrganisationId>,
) -> AppResult<WorkQueue> {
    let workshop = bench_workshop(caller, workshop_id)?;
    let candidates: Vec<DeviceRow> = devices::table
        .filter(devices::workshop_id.eq(&workshop))
        .filter(devices::status.eq_any([
            Status::Received,
            Status::Returned,
            Status::InRepair,
            Status::Wiped,
        ]))
        .order(devices::updated_at.asc())
        .limit(QUEUE_LIMIT * 3)
        .select(DeviceRow::as_select())
        .load(conn)?;
    let mut queue = WorkQueue {
        workshop_id: OrganisationId::from(workshop),
        waiting_for_wipe: Vec::new(),
        waiting_for_refurbishment: Vec::new(),
        failed: Vec::new(),
    };
    for d in candidates {
        let since = last_handback(conn, &d)?;
        let last_refurb = refurbishments_of(conn, &d)?.into_iter().last();
        let (list, reason) = match d.status {
            Status::Wiped => match last_refurb {
                Some(r) if !r.functional_pass && r.created_at > since => (
                    &mut queue.failed,
                    "the latest refurbishment check failed: repair or retire".to_string(),
                ),
                _ => (
                    &mut queue.waiting_for_refurbishment,
                    "wiped; needs refurbishment and grading".to_string(),
                ),
            },
            _ if !device_has_storage(conn, &d)? => (
                &mut queue.waiting_for_refurbishment,
                "no storage to wipe; needs a check".to_string(),
            ),
            _ => {
                let problems = uncovered_storage(conn, &d, since)?;
                match problems.iter().find(|p| p.contains("failed")) {
                    Some(p) => (&mut queue.failed, p.clone()),
                    None => (
                        &mut queue.waiting_for_wipe,
                        problems
                            .first()
                            .cloned()
                            .unwrap_or_else(|| "all storage wiped; ready for the wipe step".into()),
                    ),
                }
            }
        };
        list.push(QueueEntry { device: d, reason });
    }
    for list in [
        &mut queue.waiting_for_wipe,
        &mut queue.waiting_for_refurbishment,
        &mut queue.failed,
    ] {
        list.truncate(QUEUE_LIMIT as usize);
    }
    Ok(queue)
}
