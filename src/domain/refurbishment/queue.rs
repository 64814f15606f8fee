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
    /// More devices wait than the lists show.
    pub cut: bool,
}

/// Most devices per list of the queue through the API (a whole workshop's queue).
pub const QUEUE_LIMIT: usize = 500;
/// Candidates read beyond `limit` per group of statuses, for the failed list.
const QUEUE_SLACK: usize = 4;

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
/// assign work), with at most `limit` devices per list, the oldest. Candidates are read per
/// group of statuses (wiped ones go to refurbishment or failed; received, returned and
/// repaired ones to a wipe, a check or failed), at most `limit` and a few more of each (room
/// for the failed ones among them), so that a workshop with thousands waiting costs no more
/// than one with a few; `cut` says that a group had more.
pub fn work_queue(
    conn: &mut DbConn,
    caller: &Caller,
    workshop_id: Option<OrganisationId>,
    limit: usize,
) -> AppResult<WorkQueue> {
    let workshop = bench_workshop(caller, workshop_id)?;
    let mut queue = WorkQueue {
        workshop_id: OrganisationId::from(workshop.clone()),
        waiting_for_wipe: Vec::new(),
        waiting_for_refurbishment: Vec::new(),
        failed: Vec::new(),
        cut: false,
    };
    let per_group = (limit + limit.min(QUEUE_SLACK)) as i64;
    for group in [
        &[Status::Wiped][..],
        &[Status::Received, Status::Returned, Status::InRepair][..],
    ] {
        let candidates: Vec<DeviceRow> = devices::table
            .filter(devices::workshop_id.eq(&workshop))
            .filter(devices::status.eq_any(group))
            .order((devices::updated_at.asc(), devices::seq.asc()))
            .limit(per_group + 1)
            .select(DeviceRow::as_select())
            .load(conn)?;
        queue.cut |= candidates.len() as i64 > per_group;
        for d in candidates.into_iter().take(per_group as usize) {
            classify(conn, &mut queue, d)?;
        }
    }
    for list in [
        &mut queue.waiting_for_wipe,
        &mut queue.waiting_for_refurbishment,
        &mut queue.failed,
    ] {
        list.sort_by(|a, b| {
            (a.device.updated_at, a.device.seq).cmp(&(b.device.updated_at, b.device.seq))
        });
        queue.cut |= list.len() > limit;
        list.truncate(limit);
    }
    Ok(queue)
}

/// Puts a device of the queue in its list, with the reason.
fn classify(conn: &mut DbConn, queue: &mut WorkQueue, d: DeviceRow) -> AppResult<()> {
    let since = last_handback(conn, &d)?;
    let (list, reason) = match d.status {
        Status::Wiped => match refurbishments_of(conn, &d)?.into_iter().last() {
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
    Ok(())
}
