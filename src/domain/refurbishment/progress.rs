//! A workshop's donation batches and how far each has come: devices wiped (as the donor's
//! certificate counts them), refurbished, ready; in a constant number of queries whatever the
//! number of batches (the batches, one aggregate over their devices, the donors' names).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::queue::bench_workshop;
use crate::auth::Caller;
use crate::db::models::DonationRow;
use crate::db::schema::{donations, organisations};
use crate::db::DbConn;
use crate::domain::ids::OrganisationId;
use crate::domain::lifecycle::Status;
use crate::error::AppResult;

/// Most batches shown, newest first.
pub const BATCHES_SHOWN: i64 = 50;

/// One donation batch of a workshop and its progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchProgress {
    pub donation_id: String,
    /// The donor, unless the donation is anonymous.
    pub donor_name: Option<String>,
    pub received_on: NaiveDate,
    pub received_at: String,
    pub devices: i64,
    /// Devices whose every drive (or built-in storage) has a passed wipe since they came in:
    /// the certificate's rule.
    pub wiped: i64,
    /// Devices refurbished (or further along: ready, handed out since).
    pub refurbished: i64,
    /// Devices released (ready, or handed out since).
    pub ready: i64,
    pub retired: i64,
}

impl BatchProgress {
    /// Whether the donor's certificate can be issued (every device wiped).
    pub fn certificate_available(&self) -> bool {
        self.devices > 0 && self.wiped == self.devices
    }
}

#[derive(QueryableByName)]
struct Counts {
    #[diesel(sql_type = Text)]
    donation_id: String,
    #[diesel(sql_type = BigInt)]
    total: i64,
    #[diesel(sql_type = BigInt)]
    wiped: i64,
    #[diesel(sql_type = BigInt)]
    refurbished: i64,
    #[diesel(sql_type = BigInt)]
    ready: i64,
    #[diesel(sql_type = BigInt)]
    retired: i64,
}

fn in_list(statuses: &[Status]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One statement counting the devices of the batches `ids` (checked to be UUIDs: nothing from
/// a request is inlined). A device is wiped when each of its drives, or its built-in storage
/// when it lists none, has a passed wipe recorded since it came in: the drives and the passed
/// wipes are counted per device in two grouped reads joined to the devices, not looked up
/// device by device (a workshop's batches hold thousands of devices).
fn counts_sql(ids: &[String]) -> String {
    use Status::*;
    let ids = ids
        .iter()
        .filter_map(|id| uuid::Uuid::parse_str(id).ok())
        .map(|u| format!("'{u}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let wiped = "(COALESCE(r.n, 0) > 0 AND COALESCE(w.drives, 0) >= r.n) \
         OR (COALESCE(r.n, 0) = 0 AND COALESCE(w.builtin, 0) > 0)";
    let released = [Ready, OnLoan, BookedOut, Returned, Lost, Sold];
    let refurbished = [&[Refurbished][..], &released[..]].concat();
    format!(
        "SELECT d.donation_id AS donation_id, COUNT(*) AS total, \
           COUNT(CASE WHEN {wiped} THEN 1 END) AS wiped, \
           COUNT(CASE WHEN d.status IN ({}) THEN 1 END) AS refurbished, \
           COUNT(CASE WHEN d.status IN ({}) THEN 1 END) AS ready, \
           COUNT(CASE WHEN d.status = '{Retired}' THEN 1 END) AS retired \
         FROM devices d \
         LEFT JOIN (SELECT x.device_id AS device_id, COUNT(*) AS n FROM drives x \
             JOIN devices xd ON xd.id = x.device_id WHERE xd.donation_id IN ({ids}) \
             GROUP BY x.device_id) r ON r.device_id = d.id \
         LEFT JOIN (SELECT y.device_id AS device_id, COUNT(DISTINCT y.drive_id) AS drives, \
             COUNT(CASE WHEN y.drive_id IS NULL THEN 1 END) AS builtin FROM wipe_records y \
             JOIN devices yd ON yd.id = y.device_id WHERE yd.donation_id IN ({ids}) \
             AND y.outcome = 'passed' AND y.created_at >= yd.created_at \
             GROUP BY y.device_id) w ON w.device_id = d.id \
         WHERE d.donation_id IN ({ids}) GROUP BY d.donation_id",
        in_list(&refurbished),
        in_list(&released),
    )
}

/// The donation batches assigned to the caller's workshop (or the one named by those who
/// assign work), newest first, with their progress.
pub fn workshop_batches(
    conn: &mut DbConn,
    caller: &Caller,
    workshop_id: Option<OrganisationId>,
) -> AppResult<Vec<BatchProgress>> {
    let workshop = bench_workshop(caller, workshop_id)?;
    let batches: Vec<DonationRow> = donations::table
        .filter(donations::workshop_id.eq(&workshop))
        .order((donations::received_on.desc(), donations::id.desc()))
        .limit(BATCHES_SHOWN)
        .select(DonationRow::as_select())
        .load(conn)?;
    if batches.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = batches.iter().map(|b| b.id.clone()).collect();
    let sql = counts_sql(&ids);
    let counts: Vec<Counts> = crate::on_backend!(conn, c => diesel::sql_query(&sql).load(c))?;
    let donors: Vec<String> = batches
        .iter()
        .filter(|b| !b.anonymous)
        .filter_map(|b| b.donor_organisation_id.clone())
        .collect();
    let names: std::collections::HashMap<String, String> = organisations::table
        .filter(organisations::id.eq_any(&donors))
        .select((organisations::id, organisations::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(batches
        .into_iter()
        .map(|b| {
            let c = counts.iter().find(|c| c.donation_id == b.id);
            let n = |f: fn(&Counts) -> i64| c.map(f).unwrap_or(0);
            BatchProgress {
                donor_name: if b.anonymous {
                    None
                } else {
                    b.donor_organisation_id
                        .as_ref()
                        .and_then(|o| names.get(o).cloned())
                        .or(b.donor_name.clone())
                },
                received_on: b.received_on,
                received_at: b.received_at,
                devices: n(|c| c.total),
                wiped: n(|c| c.wiped),
                refurbished: n(|c| c.refurbished),
                ready: n(|c| c.ready),
                retired: n(|c| c.retired),
                donation_id: b.id,
            }
        })
        .collect())
}
