//! Availability of the booking pool: which devices are free on which days.
//!
//! Rules (decided here, because the issue leaves them open):
//!
//! - Bookable devices are those with `in_pool = true` and status `ready` or `booked_out`.
//!   Every other status is unavailable on every day: `received`/`wiped`/`refurbished` are not
//!   certified yet, `in_repair` is being repaired, `on_loan` is lent to a person, and a device
//!   that came back from a booking (`returned`) must be reset and released (`ready`) again
//!   before it is planned. Nothing is planned on a device that is still waiting for its reset.
//! - A booking occupies each of its devices from the pick-up date through the return date plus
//!   `BOOKING_TURNAROUND_DAYS` working days (Monday to Friday; public holidays are not
//!   modelled). With the default of one day, a device returned on Wednesday can go out again on
//!   Friday, a device returned on Friday on Tuesday: never on the day it comes back.
//! - A device still out (`booked_out`) is, in any case, not free before today plus the
//!   turnaround: an overdue device is not planned until it is back.
//! - A device the borrowing organisation reported missing at a return is not free on any day
//!   until it is back (returned, or found after a write-off): it is never planned on a hope.
//! - A device on an open loan to a person (draft or active) is never planned (see
//!   `commitments`, the allocation rule).
//! - Occupancies are stored per device (`booking_devices.occupied_from/until`), so the check
//!   for a booking is a range query on one indexed table.

use std::collections::{BTreeMap, HashMap};

use crate::auth::{Caller, Perm};
use crate::config::Config;
use crate::db::models::DeviceRow;
use crate::db::schema::{booking_devices, devices};
use crate::db::DbConn;
use crate::domain::bookings::AllocationState;
use crate::domain::devices::DeviceKind;
use crate::domain::lifecycle::Status;
use crate::domain::limits::{self, Window};
use crate::domain::loans::{LoanDeviceStatus, LoanStatus};
use crate::error::{AppError, AppResult};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};

/// Statuses of a pool device that can be planned into a booking.
pub const PLANNABLE: [Status; 2] = [Status::Ready, Status::BookedOut];
/// Statuses that no longer count in the pool's stock.
pub const GONE: [Status; 3] = [Status::Retired, Status::Lost, Status::Sold];
/// Longest range one availability request may cover.
pub const MAX_RANGE_DAYS: i64 = 366;

/// The date rules of bookings, taken from the configuration and today's date.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub today: NaiveDate,
    pub max_days: i64,
    pub turnaround_days: i64,
}

impl Rules {
    pub fn from_config(cfg: &Config) -> Rules {
        Rules {
            today: crate::db::today(),
            max_days: cfg.booking_max_days,
            turnaround_days: cfg.booking_turnaround_days,
        }
    }

    /// The days a booking from `pickup` to `ret` keeps a device.
    pub fn occupancy(&self, pickup: NaiveDate, ret: NaiveDate) -> (NaiveDate, NaiveDate) {
        (pickup, add_working_days(ret, self.turnaround_days))
    }

    /// A device still out is not free before this day (it must come back and be reset).
    pub fn held_until(&self) -> NaiveDate {
        add_working_days(self.today, self.turnaround_days)
    }

    /// How far back an occupancy that overlaps a day may start: the longest booking, the
    /// turnaround (with its weekends), and an early pick-up of at most a week.
    pub fn lookback_days(&self) -> i64 {
        self.max_days + 2 * self.turnaround_days + 14
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// `d` plus `n` working days (Monday to Friday).
pub fn add_working_days(d: NaiveDate, n: i64) -> NaiveDate {
    let mut day = d;
    for _ in 0..n.max(0) {
        day += Duration::days(1);
        while is_weekend(day) {
            day += Duration::days(1);
        }
    }
    day
}

/// One occupancy of a device by a booking.
#[derive(Debug, Clone)]
pub struct Occupancy {
    pub device_id: String,
    pub booking_id: String,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub state: AllocationState,
}

type OccTuple = (String, String, NaiveDate, NaiveDate, AllocationState);

fn to_occ(t: OccTuple) -> Occupancy {
    Occupancy {
        device_id: t.0,
        booking_id: t.1,
        from: t.2,
        until: t.3,
        state: t.4,
    }
}

/// Plannable pool devices, optionally of some kinds only, in planning order: devices on the
/// shelf first, then by registration number.
pub fn plannable_devices(
    conn: &mut DbConn,
    kinds: Option<&[DeviceKind]>,
) -> AppResult<Vec<DeviceRow>> {
    let mut q = devices::table
        .filter(devices::in_pool.eq(true))
        .filter(devices::status.eq_any(PLANNABLE))
        .select(DeviceRow::as_select())
        .into_boxed();
    if let Some(kinds) = kinds {
        q = q.filter(devices::kind.eq_any(kinds.to_vec()));
    }
    let mut rows: Vec<DeviceRow> = q.order(devices::seq.asc()).load(conn)?;
    let ids: Vec<String> = rows.iter().map(|d| d.id.clone()).collect();
    let lent = crate::domain::commitments::loan_holders(conn, &ids)?;
    rows.retain(|d| !lent.contains_key(&d.id));
    rows.sort_by_key(|d| (d.status != Status::Ready, d.seq));
    Ok(rows)
}

/// Every live occupancy of these devices that overlaps `[from, until]`, exactly (no
/// look-back bound): what the conflict checks use.
pub fn occupancies_of(
    conn: &mut DbConn,
    device_ids: &[String],
    from: NaiveDate,
    until: NaiveDate,
) -> AppResult<Vec<Occupancy>> {
    let mut out = Vec::new();
    for chunk in device_ids.chunks(500) {
        let rows: Vec<OccTuple> = booking_devices::table
            .filter(booking_devices::device_id.eq_any(chunk))
            .filter(booking_devices::state.ne(AllocationState::Released))
            .filter(booking_devices::occupied_from.le(until))
            .filter(booking_devices::occupied_until.ge(from))
            .select((
                booking_devices::device_id,
                booking_devices::booking_id,
                booking_devices::occupied_from,
                booking_devices::occupied_until,
                booking_devices::state,
            ))
            .load(conn)?;
        out.extend(rows.into_iter().map(to_occ));
    }
    Ok(out)
}

/// The booking that has each of these (booked out) devices out now, and whether the
/// organisation reported it missing.
pub fn holders(
    conn: &mut DbConn,
    device_ids: &[String],
) -> AppResult<HashMap<String, (String, bool)>> {
    let mut out = HashMap::new();
    for chunk in device_ids.chunks(500) {
        let rows: Vec<(String, String, bool)> = booking_devices::table
            .filter(booking_devices::device_id.eq_any(chunk))
            .filter(booking_devices::state.eq(AllocationState::PickedUp))
            .select((
                booking_devices::device_id,
                booking_devices::booking_id,
                booking_devices::reported_missing,
            ))
            .load(conn)?;
        out.extend(rows.into_iter().map(|(d, b, m)| (d, (b, m))));
    }
    Ok(out)
}

/// A booked-out device: the booking holding it (if known) and whether it was reported missing.
#[derive(Debug, Clone)]
struct Out {
    booking_id: Option<String>,
    missing: bool,
}

/// Who occupies what: the occupancies and holders of a set of devices, to answer "is this
/// device free over these days" in memory.
pub struct Calendar {
    rules: Rules,
    by_device: HashMap<String, Vec<Occupancy>>,
    /// Booked-out devices and the booking holding them (if known).
    out: HashMap<String, Out>,
}

/// Why a device is not free: the booking in the way (if any) and whether it is still out.
#[derive(Debug, Clone)]
pub struct Blocker {
    pub booking_id: Option<String>,
    pub still_out: bool,
}

impl Calendar {
    /// Builds the calendar of `devs` over `[from, until]`, exactly.
    pub fn exact(
        conn: &mut DbConn,
        rules: &Rules,
        devs: &[&DeviceRow],
        from: NaiveDate,
        until: NaiveDate,
    ) -> AppResult<Calendar> {
        let ids: Vec<String> = devs.iter().map(|d| d.id.clone()).collect();
        let occ = occupancies_of(conn, &ids, from, until)?;
        Self::build(conn, rules, devs, occ)
    }

    fn build(
        conn: &mut DbConn,
        rules: &Rules,
        devs: &[&DeviceRow],
        occ: Vec<Occupancy>,
    ) -> AppResult<Calendar> {
        let mut by_device: HashMap<String, Vec<Occupancy>> = HashMap::new();
        for o in occ {
            by_device.entry(o.device_id.clone()).or_default().push(o);
        }
        let out_ids: Vec<String> = devs
            .iter()
            .filter(|d| d.status == Status::BookedOut)
            .map(|d| d.id.clone())
            .collect();
        let held = holders(conn, &out_ids)?;
        let out = out_ids
            .into_iter()
            .map(|id| {
                let (booking_id, missing) = match held.get(&id) {
                    Some((b, m)) => (Some(b.clone()), *m),
                    None => (None, false),
                };
                (
                    id,
                    Out {
                        booking_id,
                        missing,
                    },
                )
            })
            .collect();
        Ok(Calendar {
            rules: *rules,
            by_device,
            out,
        })
    }

    /// What keeps `device` from being free on any day of `[from, until]`, ignoring the booking
    /// `except` (the one being changed).
    pub fn blocker(
        &self,
        device: &str,
        from: NaiveDate,
        until: NaiveDate,
        except: Option<&str>,
    ) -> Option<Blocker> {
        if let Some(holder) = self.out.get(device) {
            // A device reported missing is not free on any day until it is back.
            if (except.is_none() || holder.booking_id.as_deref() != except)
                && (holder.missing || from <= self.rules.held_until())
            {
                return Some(Blocker {
                    booking_id: holder.booking_id.clone(),
                    still_out: true,
                });
            }
        }
        self.by_device.get(device).and_then(|list| {
            list.iter()
                .find(|o| {
                    Some(o.booking_id.as_str()) != except && o.from <= until && o.until >= from
                })
                .map(|o| Blocker {
                    booking_id: Some(o.booking_id.clone()),
                    still_out: false,
                })
        })
    }

    pub fn is_free(
        &self,
        device: &str,
        from: NaiveDate,
        until: NaiveDate,
        except: Option<&str>,
    ) -> bool {
        self.blocker(device, from, until, except).is_none()
    }
}

/// What to count: free pool devices of a kind (and model / subtype) over a range of days.
#[derive(Debug, Clone)]
pub struct PoolQuery {
    pub kind: DeviceKind,
    /// Only this model (case-insensitive).
    pub model: Option<String>,
    /// Only this subtype, for peripherals (beamer, vr_headset, ...).
    pub subtype: Option<String>,
    pub from: NaiveDate,
    /// At most 366 days after `from`.
    pub to: NaiveDate,
}

/// The answer to a [`PoolQuery`].
#[derive(Debug, Clone)]
pub struct FreeDays {
    /// Pool devices of this kind in stock (not retired, lost or sold), whatever their status.
    pub total: i64,
    /// Of those, the devices that can be planned at all (ready or booked out).
    pub plannable: i64,
    /// Each day with the devices that could be booked for it.
    pub days: Vec<(NaiveDate, i64)>,
}

fn matches_text(want: &Option<String>, have: &Option<String>) -> bool {
    match want {
        None => true,
        Some(w) => have
            .as_deref()
            .is_some_and(|h| h.trim().eq_ignore_ascii_case(w.trim())),
    }
}

/// Whether a device fits a kind / subtype / model request.
pub fn fits(
    d: &DeviceRow,
    kind: DeviceKind,
    subtype: &Option<String>,
    model: &Option<String>,
) -> bool {
    d.kind == kind
        && matches_text(subtype, &d.subtype)
        && matches_text(model, &Some(d.model.clone()))
}

fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

/// `'a', 'b'`: statuses as SQL literals (the names are the enum's own, never request text).
fn status_list(statuses: &[Status]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn date_literal(d: NaiveDate) -> String {
    format!("'{}'", d.format("%Y-%m-%d"))
}

/// Which pool devices to count: of one kind (and subtype / model), or all.
struct Filter<'a> {
    kind: Option<DeviceKind>,
    subtype: Option<&'a str>,
    model: Option<&'a str>,
}

impl Filter<'_> {
    /// The filter's conditions on `d` (each starting with `AND`), adding the text it binds.
    /// Subtype and model compare as [`fits`] does: trimmed, ignoring case.
    fn sql(&self, binds: &mut Vec<String>) -> String {
        let mut sql = String::new();
        if let Some(kind) = self.kind {
            sql.push_str(&format!(" AND d.kind = '{}'", kind.as_str()));
        }
        for (column, want) in [("subtype", self.subtype), ("model", self.model)] {
            if let Some(want) = want {
                sql.push_str(&format!(" AND lower(trim(d.{column})) = lower(?)"));
                binds.push(want.trim().to_string());
            }
        }
        sql
    }
}

/// Conditions on a pool device `d` that can be planned (see [`plannable_devices`]): ready or
/// booked out, and not on an open loan to a person (the allocation rule, `commitments`).
fn plannable_sql() -> String {
    format!(
        "d.status IN ({plannable}) AND NOT EXISTS (SELECT 1 FROM loan_devices ld \
         JOIN loans l ON l.id = ld.loan_id WHERE ld.device_id = d.id \
         AND l.status IN ('{draft}', '{active}') AND ld.status IN ('{pending}', '{on_loan}'))",
        plannable = status_list(&PLANNABLE),
        draft = LoanStatus::Draft.as_str(),
        active = LoanStatus::Active.as_str(),
        pending = LoanDeviceStatus::Pending.as_str(),
        on_loan = LoanDeviceStatus::OnLoan.as_str(),
    )
}

/// Whether the booked-out device `d` was reported missing by the booking holding it.
fn missing_sql() -> String {
    format!(
        "EXISTS (SELECT 1 FROM booking_devices h WHERE h.device_id = d.id \
         AND h.state = '{}' AND h.reported_missing)",
        AllocationState::PickedUp.as_str()
    )
}

/// The pool devices of one kind, counted in SQL.
#[derive(Debug, Clone, Copy, QueryableByName)]
struct KindPool {
    #[diesel(sql_type = Text)]
    kind: DeviceKind,
    /// In stock (not retired, lost or sold).
    #[diesel(sql_type = BigInt)]
    total: i64,
    /// Of those, plannable.
    #[diesel(sql_type = BigInt)]
    plannable: i64,
    /// Of those, booked out now.
    #[diesel(sql_type = BigInt)]
    out_now: i64,
    /// Of those, reported missing by the booking holding them.
    #[diesel(sql_type = BigInt)]
    missing: i64,
}

/// Plannable pool devices of one kind occupied by a booking on one day (and not already
/// counted as out).
#[derive(Debug, QueryableByName)]
struct DayOccupied {
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = Text)]
    kind: DeviceKind,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The pool counted per kind and day by SQL aggregates, so that a request holds a few numbers
/// per kind and day whatever the size of the pool (it used to load every pool device, its
/// loans and its occupancies). The rules are those of [`Calendar::blocker`]: a device is free
/// on a day unless it is out (every day when reported missing, else until
/// [`Rules::held_until`]) or a live occupancy covers the day.
struct PoolCounts {
    kinds: BTreeMap<DeviceKind, KindPool>,
    occupied: HashMap<(NaiveDate, DeviceKind), i64>,
    held_until: NaiveDate,
}

impl PoolCounts {
    fn load(
        conn: &mut DbConn,
        rules: &Rules,
        filter: &Filter,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<PoolCounts> {
        let held_until = rules.held_until();
        let booked_out = Status::BookedOut.as_str();
        let mut binds = Vec::new();
        let sql = format!(
            "SELECT kind, COUNT(*) AS total, SUM(p) AS plannable, SUM(p * o) AS out_now, \
             SUM(p * o * m) AS missing FROM (SELECT d.kind AS kind, \
             CASE WHEN {plannable} THEN 1 ELSE 0 END AS p, \
             CASE WHEN d.status = '{booked_out}' THEN 1 ELSE 0 END AS o, \
             CASE WHEN d.status = '{booked_out}' AND {missing} THEN 1 ELSE 0 END AS m \
             FROM devices d WHERE d.in_pool AND d.status NOT IN ({gone}){filter}) AS pool \
             GROUP BY kind",
            plannable = plannable_sql(),
            missing = missing_sql(),
            gone = status_list(&GONE),
            filter = filter.sql(&mut binds),
        );
        let kinds = crate::db::load_sql::<KindPool>(conn, &sql, &binds)?
            .into_iter()
            .map(|k| (k.kind, k))
            .collect();
        // Occupancies start at most `lookback_days` before a day they cover (start-date index).
        let earliest = from - Duration::days(rules.lookback_days());
        let mut binds = Vec::new();
        let sql = format!(
            "WITH RECURSIVE {days} \
             SELECT days.day AS day, d.kind AS kind, COUNT(DISTINCT d.id) AS n FROM days \
             JOIN booking_devices bd \
               ON bd.occupied_from <= days.day AND bd.occupied_until >= days.day \
             JOIN devices d ON d.id = bd.device_id \
             WHERE bd.state <> '{released}' AND bd.occupied_from >= {earliest} \
               AND bd.occupied_from <= {to} AND bd.occupied_until >= {from} \
               AND d.in_pool AND {plannable}{filter} \
               AND NOT (d.status = '{booked_out}' AND (days.day <= {held} OR {missing})) \
             GROUP BY days.day, d.kind",
            days = crate::db::day_series(conn, from, to),
            released = AllocationState::Released.as_str(),
            earliest = date_literal(earliest),
            to = date_literal(to),
            from = date_literal(from),
            plannable = plannable_sql(),
            filter = filter.sql(&mut binds),
            held = date_literal(held_until),
            missing = missing_sql(),
        );
        let occupied = crate::db::load_sql::<DayOccupied>(conn, &sql, &binds)?
            .into_iter()
            .map(|r| ((r.day, r.kind), r.n))
            .collect();
        Ok(PoolCounts {
            kinds,
            occupied,
            held_until,
        })
    }

    fn kind(&self, kind: DeviceKind) -> KindPool {
        self.kinds.get(&kind).copied().unwrap_or(KindPool {
            kind,
            total: 0,
            plannable: 0,
            out_now: 0,
            missing: 0,
        })
    }

    /// Plannable devices of `kind` free on `day`.
    fn free(&self, kind: DeviceKind, day: NaiveDate) -> i64 {
        let k = self.kind(kind);
        let out = if day <= self.held_until {
            k.out_now
        } else {
            k.missing
        };
        let occupied = self.occupied.get(&(day, kind)).copied().unwrap_or(0);
        k.plannable - out - occupied
    }
}

/// Free devices per day for one kind (and model / subtype).
pub fn availability(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    q: &PoolQuery,
) -> AppResult<FreeDays> {
    caller.require(Perm::ReadAvailability)?;
    limits::dates(&[
        ("from", Some(q.from), Window::Filter),
        ("to", Some(q.to), Window::Filter),
    ])?;
    if q.to < q.from {
        return Err(AppError::invalid("to", "must not be before from"));
    }
    if (q.to - q.from).num_days() >= MAX_RANGE_DAYS {
        return Err(AppError::invalid(
            "to",
            format!("the range may cover at most {MAX_RANGE_DAYS} days"),
        ));
    }
    let filter = Filter {
        kind: Some(q.kind),
        subtype: q.subtype.as_deref(),
        model: q.model.as_deref(),
    };
    let counts = PoolCounts::load(conn, rules, &filter, q.from, q.to)?;
    let kind = counts.kind(q.kind);
    let days = days(q.from, q.to)
        .map(|day| (day, counts.free(q.kind, day)))
        .collect();
    Ok(FreeDays {
        total: kind.total,
        plannable: kind.plannable,
        days,
    })
}

/// Free and total pool devices of one kind on one day.
#[derive(Debug, Clone)]
pub struct KindCount {
    pub kind: DeviceKind,
    pub free: i64,
    /// Pool devices of this kind in stock (not retired, lost or sold).
    pub total: i64,
}

/// The pool for one month: each day with its counts per kind.
#[derive(Debug, Clone)]
pub struct MonthCalendar {
    /// The first day of the month.
    pub first: NaiveDate,
    pub days: Vec<(NaiveDate, Vec<KindCount>)>,
}

/// Parses `YYYY-MM` into the first and last day of the month.
pub fn parse_month(s: &str) -> AppResult<(NaiveDate, NaiveDate)> {
    let bad = || AppError::invalid("month", "must be a month as YYYY-MM, e.g. 2026-12");
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    }
    .ok_or_else(bad)?;
    Ok((first, next - Duration::days(1)))
}

/// The pool per day and kind for one month: free / total.
pub fn month_calendar(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    month: &str,
) -> AppResult<MonthCalendar> {
    caller.require(Perm::ReadAvailability)?;
    let (first, last) = parse_month(month)?;
    limits::dates(&[("month", Some(first), Window::Filter)])?;
    let all = Filter {
        kind: None,
        subtype: None,
        model: None,
    };
    let counts = PoolCounts::load(conn, rules, &all, first, last)?;
    let days = days(first, last)
        .map(|day| {
            let kinds = counts
                .kinds
                .values()
                .map(|k| KindCount {
                    kind: k.kind,
                    free: counts.free(k.kind, day),
                    total: k.total,
                })
                .collect();
            (day, kinds)
        })
        .collect();
    Ok(MonthCalendar { first, days })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn turnaround_skips_weekends() {
        // 2026-12-02 is a Wednesday, 2026-12-04 a Friday.
        assert_eq!(add_working_days(d("2026-12-02"), 1), d("2026-12-03"));
        assert_eq!(add_working_days(d("2026-12-04"), 1), d("2026-12-07"));
        assert_eq!(add_working_days(d("2026-12-05"), 1), d("2026-12-07"));
        assert_eq!(add_working_days(d("2026-12-04"), 0), d("2026-12-04"));
        assert_eq!(add_working_days(d("2026-12-04"), 3), d("2026-12-09"));
    }

    #[test]
    fn months_parse() {
        assert_eq!(
            parse_month("2026-12").ok(),
            Some((d("2026-12-01"), d("2026-12-31")))
        );
        assert_eq!(
            parse_month("2028-02").ok(),
            Some((d("2028-02-01"), d("2028-02-29")))
        );
        assert!(parse_month("2026-13").is_err());
        assert!(parse_month("december").is_err());
    }
}
