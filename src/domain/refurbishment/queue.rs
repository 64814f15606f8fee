//! A workshop's work queue: its devices waiting for a wipe, waiting for refurbishment, or
//! failed, oldest first.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::wipes::storage_problems;
use crate::auth::{visibility, Caller, Perm};
use crate::db::models::{DeviceRow, DriveRow, RefurbishmentRow, WipeRow};
use crate::db::schema::{devices, drives, refurbishments, wipe_records};
use crate::db::DbConn;
use crate::domain::devices::last_handbacks;
use crate::domain::guards::has_storage;
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
        let candidates: Vec<DeviceRow> = candidates.into_iter().take(per_group as usize).collect();
        let records = Records::read(conn, &candidates)?;
        for d in candidates {
            classify(&mut queue, &records, d)?;
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

/// The records that place the candidates in their lists, read for all of them at once (one
/// query per table, not a few per device).
struct Records {
    handbacks: HashMap<String, NaiveDateTime>,
    drives: HashMap<String, Vec<DriveRow>>,
    wipes: HashMap<String, Vec<WipeRow>>,
    refurbishments: HashMap<String, Vec<RefurbishmentRow>>,
}

impl Records {
    fn read(conn: &mut DbConn, candidates: &[DeviceRow]) -> AppResult<Records> {
        let all: Vec<&DeviceRow> = candidates.iter().collect();
        let ids: Vec<&str> = candidates.iter().map(|d| d.id.as_str()).collect();
        let wiped: Vec<&str> = candidates
            .iter()
            .filter(|d| d.status == Status::Wiped)
            .map(|d| d.id.as_str())
            .collect();
        let unwiped: Vec<&str> = candidates
            .iter()
            .filter(|d| d.status != Status::Wiped)
            .map(|d| d.id.as_str())
            .collect();
        let handbacks = last_handbacks(conn, &all)?;
        let drive_rows: Vec<DriveRow> = drives::table
            .filter(drives::device_id.eq_any(&ids))
            .order((drives::device_id.asc(), drives::position.asc()))
            .select(DriveRow::as_select())
            .load(conn)?;
        let wipe_rows: Vec<WipeRow> = if unwiped.is_empty() {
            Vec::new()
        } else {
            wipe_records::table
                .filter(wipe_records::device_id.eq_any(&unwiped))
                .order((wipe_records::created_at.asc(), wipe_records::id.asc()))
                .select(WipeRow::as_select())
                .load(conn)?
        };
        let refurbishment_rows: Vec<RefurbishmentRow> = if wiped.is_empty() {
            Vec::new()
        } else {
            refurbishments::table
                .filter(refurbishments::device_id.eq_any(&wiped))
                .order((refurbishments::created_at.asc(), refurbishments::id.asc()))
                .select(RefurbishmentRow::as_select())
                .load(conn)?
        };
        Ok(Records {
            handbacks,
            drives: by_device(drive_rows, |r| &r.device_id),
            wipes: by_device(wipe_rows, |r| &r.device_id),
            refurbishments: by_device(refurbishment_rows, |r| &r.device_id),
        })
    }
}

/// Rows grouped by their device, each group in the rows' order.
fn by_device<T>(rows: Vec<T>, device: impl Fn(&T) -> &String) -> HashMap<String, Vec<T>> {
    let mut out: HashMap<String, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(device(&row).clone()).or_default().push(row);
    }
    out
}

/// Puts a device of the queue in its list, with the reason.
fn classify(queue: &mut WorkQueue, records: &Records, d: DeviceRow) -> AppResult<()> {
    let since = *records
        .handbacks
        .get(&d.id)
        .ok_or_else(|| AppError::internal("device without a registration event"))?;
    let drives = records.drives.get(&d.id).map_or(&[][..], Vec::as_slice);
    let (list, reason) = match d.status {
        Status::Wiped => match records.refurbishments.get(&d.id).and_then(|r| r.last()) {
            Some(r) if !r.functional_pass && r.created_at > since => (
                &mut queue.failed,
                "the latest refurbishment check failed: repair or retire".to_string(),
            ),
            _ => (
                &mut queue.waiting_for_refurbishment,
                "wiped; needs refurbishment and grading".to_string(),
            ),
        },
        _ if !has_storage(d.kind, d.subtype.as_deref(), drives.len()) => (
            &mut queue.waiting_for_refurbishment,
            "no storage to wipe; needs a check".to_string(),
        ),
        _ => {
            let wipes = records.wipes.get(&d.id).map_or(&[][..], Vec::as_slice);
            let problems = storage_problems(&d, drives, wipes, since);
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
