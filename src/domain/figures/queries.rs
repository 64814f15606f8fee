//! The reporting queries: aggregates in SQL (`GROUP BY`), one statement per group, over the
//! device history and the loan and booking tables, read through the shared schema's tables.
//!
//! Every statement returns rows `(f, by_, k, n)`: figure, dimension (empty for a total), key
//! and value. The values inlined in the SQL are dates and times of the period formatted here
//! and an office id checked to be a UUID: never text from a request.
//!
//! The figures over the device history, wipe records and refurbishments read the whole UTC
//! days of the period from `figure_tallies` (kept by triggers as the records are written; see
//! the migration `figure_tallies`) and only the hours outside them (a Brussels day starts at
//! 22:00 or 23:00 UTC) from the records themselves, with the same rule.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::{Builder, Period, Scope};
use crate::db::DbConn;
use crate::domain::lifecycle::{Action, Status};
use crate::error::AppResult;

/// The period's bounds as SQL literals, and the office filter.
pub struct Bounds {
    /// First and last day: `'YYYY-MM-DD'`.
    d0: String,
    d1: String,
    /// First moment and first moment after, in UTC: `'YYYY-MM-DD HH:MM:SS'`.
    t0: String,
    t1: String,
    /// Today in Brussels.
    today: String,
    /// `AND l.organisation_id = '…'` for an office scope, else empty.
    office: String,
    /// The moments of `t0` and `t1`.
    from: NaiveDateTime,
    to: NaiveDateTime,
}

/// `'YYYY-MM-DD HH:MM:SS'`.
fn moment(t: NaiveDateTime) -> String {
    format!("'{}'", t.format("%Y-%m-%d %H:%M:%S"))
}

/// `'YYYY-MM-DD'`.
fn day(d: NaiveDate) -> String {
    format!("'{}'", d.format("%Y-%m-%d"))
}

/// Whole UTC days `[first, end)` as SQL literals.
type Days = (String, String);

impl Bounds {
    pub fn new(p: Period, scope: &Scope) -> Bounds {
        let (t0, t1) = p.moments();
        let office = match scope {
            // A malformed id (never the case: ids are UUIDs) selects nothing.
            Scope::Office(id) => match uuid::Uuid::parse_str(id) {
                Ok(u) => format!("AND l.organisation_id = '{u}'"),
                Err(_) => "AND 1 = 0".into(),
            },
            _ => String::new(),
        };
        Bounds {
            d0: day(p.from),
            d1: day(p.to),
            t0: moment(t0),
            t1: moment(t1),
            today: day(crate::db::today()),
            office,
            from: t0,
            to: t1,
        }
    }

    /// The same bounds over the moments `[from, to)`.
    fn between(&self, from: NaiveDateTime, to: NaiveDateTime) -> Bounds {
        Bounds {
            d0: self.d0.clone(),
            d1: self.d1.clone(),
            t0: moment(from),
            t1: moment(to),
            today: self.today.clone(),
            office: self.office.clone(),
            from,
            to,
        }
    }

    /// The whole UTC days within the period (if any), and the parts of the period before and
    /// after them.
    fn split(&self) -> (Option<Days>, Vec<Bounds>) {
        let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN);
        let first = if self.from.time() == NaiveTime::MIN {
            Some(self.from.date())
        } else {
            self.from.date().succ_opt()
        };
        let end = self.to.date();
        match first {
            Some(first) if first < end => {
                let mut rest = Vec::new();
                if self.from < midnight(first) {
                    rest.push(self.between(self.from, midnight(first)));
                }
                if midnight(end) < self.to {
                    rest.push(self.between(midnight(end), self.to));
                }
                (Some((day(first), day(end))), rest)
            }
            _ => (None, vec![self.between(self.from, self.to)]),
        }
    }

    /// One statement over the period: `tallied` over its whole days, `counted` (the records
    /// themselves) over the rest; the branches' rows add up.
    fn over(
        &self,
        tallied: impl Fn(&Days) -> String,
        counted: impl Fn(&Bounds) -> String,
    ) -> String {
        let (days, rest) = self.split();
        days.iter()
            .map(&tallied)
            .chain(rest.iter().map(counted))
            .collect::<Vec<_>>()
            .join(" UNION ALL ")
    }
}

/// The sums of one tally fact over whole days: `columns` are the row's `f, by_, k` (with
/// `n` added), grouped by `group`; `filter` narrows the keys (`AND …`).
fn tallied(columns: &str, fact: &str, (first, end): &Days, filter: &str, group: &str) -> String {
    format!(
        "SELECT {columns}, CAST(SUM(t.n) AS BIGINT) AS n FROM figure_tallies t \
         WHERE t.fact = '{fact}' AND t.day >= {first} AND t.day < {end} {filter} \
         GROUP BY {group}"
    )
}

/// Folds the tally rows of finished PostgreSQL transactions (each writes its own, see the
/// migration) into the shared rows, so that reading a period adds up few rows. Each row is
/// moved by one fold only: a concurrent fold waits on the rows being moved and then skips
/// them. Nothing to do on SQLite, whose triggers write the shared rows directly.
pub fn fold_tallies(conn: &mut DbConn) -> AppResult<()> {
    if let DbConn::Postgres(c) = conn {
        diesel::sql_query(
            "WITH moved AS (DELETE FROM figure_tallies WHERE xid <> 0 \
               RETURNING fact, day, a, b, c, h, n) \
             INSERT INTO figure_tallies (fact, day, a, b, c, h, xid, n) \
             SELECT fact, day, a, b, c, h, 0, SUM(n) FROM moved \
             GROUP BY fact, day, a, b, c, h ORDER BY fact, day, a, b, c, h \
             ON CONFLICT (fact, day, a, b, c, h, xid) \
             DO UPDATE SET n = figure_tallies.n + EXCLUDED.n",
        )
        .execute(c)?;
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    f: String,
    #[diesel(sql_type = Text)]
    by_: String,
    #[diesel(sql_type = Nullable<Text>)]
    k: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn load(conn: &mut DbConn, sql: &str, into: &mut Builder) -> AppResult<()> {
    let rows: Vec<Row> = crate::on_backend!(conn, c => diesel::sql_query(sql).load(c))?;
    for r in rows {
        let key = r.k.unwrap_or_else(|| "unknown".into());
        into.add(&r.f, &r.by_, &key, r.n as f64);
    }
    Ok(())
}

/// `'a', 'b', …` for an `IN` list of names.
fn names(items: impl IntoIterator<Item = &'static str>) -> String {
    items
        .into_iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The figures of the lifecycle actions counted in the devices group.
const ACTION_FIGURES: &[(Action, &str)] = &[
    (Action::Wipe, "wiped"),
    (Action::Release, "released"),
    (Action::Lend, "lent"),
    (Action::BookOut, "booked_out"),
    (Action::CheckIn, "returned"),
    (Action::MarkLost, "lost"),
    (Action::Sell, "sold"),
    (Action::Retire, "retired"),
    (Action::Found, "found"),
];

pub(super) fn devices(conn: &mut DbConn, b: &Bounds) -> AppResult<Builder> {
    let Bounds { t0, t1, .. } = b;
    let mut out = Builder::default();
    load(
        conn,
        &format!(
            "SELECT CAST('registered' AS TEXT) AS f, CAST('donor' AS TEXT) AS by_, \
               COALESCE(CASE WHEN dn.anonymous THEN 'anonymous donor' \
                 ELSE COALESCE(o.name, dn.donor_name) END, 'no donation batch') AS k, \
               COUNT(*) AS n \
             FROM devices d LEFT JOIN donations dn ON dn.id = d.donation_id \
               LEFT JOIN organisations o ON o.id = dn.donor_organisation_id \
             WHERE d.created_at >= {t0} AND d.created_at < {t1} GROUP BY 3 \
             UNION ALL \
             SELECT 'registered', 'kind', d.kind, COUNT(*) FROM devices d \
             WHERE d.created_at >= {t0} AND d.created_at < {t1} GROUP BY d.kind"
        ),
        &mut out,
    )?;
    out.total_from("registered", "kind");
    // Lifecycle actions of the period, per kind.
    let actions = names(ACTION_FIGURES.iter().map(|(a, _)| a.as_str()));
    let sql = b.over(
        |days| {
            tallied(
                "t.a AS f, CAST('kind' AS TEXT) AS by_, t.b AS k",
                "event",
                days,
                &format!("AND t.a IN ({actions})"),
                "t.a, t.b",
            )
        },
        |e| {
            let Bounds { t0, t1, .. } = e;
            format!(
                "SELECT e.action AS f, CAST('kind' AS TEXT) AS by_, d.kind AS k, COUNT(*) AS n \
                 FROM device_events e JOIN devices d ON d.id = e.device_id \
                 WHERE e.action IN ({actions}) AND e.at >= {t0} AND e.at < {t1} \
                 GROUP BY e.action, d.kind"
            )
        },
    );
    load(conn, &sql, &mut out)?;
    for (action, figure) in ACTION_FIGURES {
        if let Some(f) = out.figures.remove(action.as_str()) {
            out.figures.insert(figure.to_string(), f);
        }
        out.total_from(figure, "kind");
    }
    // Wipe and refurbishment records (the failed ones go to the workshop group).
    let grades = b.over(
        |days| {
            tallied(
                "CAST('refurbished' AS TEXT) AS f, CAST('grade' AS TEXT) AS by_, t.b AS k",
                "refurbishment",
                days,
                "AND t.a = 'pass'",
                "t.b",
            )
        },
        |e| {
            let Bounds { t0, t1, .. } = e;
            format!(
                "SELECT CAST('refurbished' AS TEXT) AS f, CAST('grade' AS TEXT) AS by_, \
                   r.cosmetic_grade AS k, COUNT(*) AS n FROM refurbishments r \
                 WHERE r.functional_pass AND r.created_at >= {t0} AND r.created_at < {t1} \
                 GROUP BY r.cosmetic_grade"
            )
        },
    );
    let sql = [
        wipe_records("media_wiped", "passed", b),
        grades,
        refurbishments_per_kind("refurbished", true, b),
    ];
    load(conn, &sql.join(" UNION ALL "), &mut out)?;
    out.total_from("media_wiped", "kind");
    out.total_from("refurbished", "kind");
    // The stock at the end: every status change up to then, +1 into the new status and -1
    // out of the old one, per status and kind (a device's status at a moment is the one its
    // history had reached); the whole days from the tallies, the rest of the last day from
    // the history.
    let end = b.to.date();
    let since = moment(end.and_time(NaiveTime::MIN));
    let t1 = &b.t1;
    let changed = "(e.status_before IS NULL OR e.status_before <> e.status_after)";
    load(
        conn,
        &format!(
            "SELECT CAST('stock' AS TEXT) AS f, t.a AS by_, t.b AS k, \
               CAST(SUM(t.n) AS BIGINT) AS n \
             FROM figure_tallies t WHERE t.fact = 'status' AND t.day < {end} \
             GROUP BY t.a, t.b \
             UNION ALL \
             SELECT 'stock', e.status_after, d.kind, COUNT(*) \
             FROM device_events e JOIN devices d ON d.id = e.device_id \
             WHERE e.at >= {since} AND e.at < {t1} AND {changed} \
             GROUP BY e.status_after, d.kind \
             UNION ALL \
             SELECT 'stock', e.status_before, d.kind, -COUNT(*) \
             FROM device_events e JOIN devices d ON d.id = e.device_id \
             WHERE e.at >= {since} AND e.at < {t1} AND {changed} \
               AND e.status_before IS NOT NULL \
             GROUP BY e.status_before, d.kind",
            end = day(end)
        ),
        &mut out,
    )?;
    let stock = out.figures.remove("stock").unwrap_or_default();
    for p in stock.1.into_iter().filter(|p| p.value.0 != 0.0) {
        // `by` holds the status and `key` the kind.
        out.add("stock_at_end", "status", &p.by, p.value.0);
        out.add("stock_at_end", "kind", &p.key, p.value.0);
    }
    out.total_from("stock_at_end", "status");
    Ok(out)
}

/// Wipe records of one outcome whose wipe ended in the period, per NIST category and kind.
fn wipe_records(figure: &str, outcome: &str, b: &Bounds) -> String {
    b.over(
        |days| {
            let sum = |by: &str, key: &str| {
                tallied(
                    &format!(
                        "CAST('{figure}' AS TEXT) AS f, CAST('{by}' AS TEXT) AS by_, {key} AS k"
                    ),
                    "wipe",
                    days,
                    &format!("AND t.a = '{outcome}'"),
                    key,
                )
            };
            format!(
                "{} UNION ALL {}",
                sum("category", "t.b"),
                sum("kind", "t.c")
            )
        },
        |e| {
            let Bounds { t0, t1, .. } = e;
            let filter =
                format!("w.outcome = '{outcome}' AND w.ended_at >= {t0} AND w.ended_at < {t1}");
            format!(
                "SELECT CAST('{figure}' AS TEXT) AS f, CAST('category' AS TEXT) AS by_, \
                   w.category AS k, COUNT(*) AS n FROM wipe_records w WHERE {filter} \
                 GROUP BY w.category \
                 UNION ALL \
                 SELECT '{figure}', 'kind', d.kind, COUNT(*) \
                 FROM wipe_records w JOIN devices d ON d.id = w.device_id WHERE {filter} \
                 GROUP BY d.kind"
            )
        },
    )
}

/// Refurbishment records made in the period that passed (or not), per kind.
fn refurbishments_per_kind(figure: &str, passed: bool, b: &Bounds) -> String {
    b.over(
        |days| {
            tallied(
                &format!("CAST('{figure}' AS TEXT) AS f, CAST('kind' AS TEXT) AS by_, t.c AS k"),
                "refurbishment",
                days,
                if passed {
                    "AND t.a = 'pass'"
                } else {
                    "AND t.a = 'fail'"
                },
                "t.c",
            )
        },
        |e| {
            let Bounds { t0, t1, .. } = e;
            let not = if passed { "" } else { "NOT " };
            format!(
                "SELECT CAST('{figure}' AS TEXT) AS f, CAST('kind' AS TEXT) AS by_, d.kind AS k, \
                   COUNT(*) AS n \
                 FROM refurbishments r JOIN devices d ON d.id = r.device_id \
                 WHERE {not}r.functional_pass AND r.created_at >= {t0} AND r.created_at < {t1} \
                 GROUP BY d.kind"
            )
        },
    )
}

/// A borrower counts as one person per office, name and date of birth (the borrowers
/// module's rule for possible duplicates); an anonymised record is a person of its own.
const PERSON: &str = "CASE WHEN b.anonymised_at IS NULL \
    THEN b.organisation_id || '|' || b.name_key || '|' || CAST(b.date_of_birth AS TEXT) \
    ELSE b.id END";

/// `SELECT`s of one aggregate over all loans, per programme and per office.
fn by_programme_and_office(figure: &str, value: &str, from: &str, filter: &str) -> String {
    format!(
        "SELECT CAST('{figure}' AS TEXT) AS f, CAST('' AS TEXT) AS by_, CAST('' AS TEXT) AS k, \
           {value} AS n {from} WHERE {filter} \
         UNION ALL \
         SELECT '{figure}', 'programme', p.name, {value} {from} \
           JOIN programmes p ON p.id = l.programme_id WHERE {filter} GROUP BY p.name \
         UNION ALL \
         SELECT '{figure}', 'office', o.name, {value} {from} \
           JOIN organisations o ON o.id = l.organisation_id WHERE {filter} GROUP BY o.name"
    )
}

pub(super) fn people(conn: &mut DbConn, b: &Bounds) -> AppResult<Builder> {
    let Bounds {
        d0, d1, t1, office, ..
    } = b;
    let mut out = Builder::default();
    let signed = format!("l.signed_on >= {d0} AND l.signed_on <= {d1} {office}");
    let with_borrower = "FROM loans l JOIN borrowers b ON b.id = l.borrower_id";
    let loans = "FROM loans l";
    let parts = [
        by_programme_and_office(
            "people_reached",
            &format!("COUNT(DISTINCT {PERSON})"),
            with_borrower,
            &signed,
        ),
        by_programme_and_office(
            "borrower_records",
            "COUNT(DISTINCT b.id)",
            with_borrower,
            &signed,
        ),
        by_programme_and_office("loans_signed", "COUNT(*)", loans, &signed),
        by_programme_and_office(
            "loans_active_at_end",
            "COUNT(*)",
            loans,
            &format!(
                "l.signed_on IS NOT NULL AND l.signed_on <= {d1} \
                 AND (l.closed_at IS NULL OR l.closed_at >= {t1}) {office}"
            ),
        ),
        by_programme_and_office(
            "devices_lent",
            "COUNT(*)",
            "FROM loan_devices ld JOIN loans l ON l.id = ld.loan_id",
            &format!("{signed} AND ld.status NOT IN ('cancelled', 'pending')"),
        ),
        by_programme_and_office(
            "checkpoints_on_time",
            "COUNT(*)",
            "FROM loan_checkpoints c JOIN loans l ON l.id = c.loan_id",
            &format!("c.held_on >= {d0} AND c.held_on <= {d1} AND c.held_on <= c.due_on {office}"),
        ),
        by_programme_and_office(
            "checkpoints_late",
            "COUNT(*)",
            "FROM loan_checkpoints c JOIN loans l ON l.id = c.loan_id",
            &format!("c.held_on >= {d0} AND c.held_on <= {d1} AND c.held_on > c.due_on {office}"),
        ),
        by_programme_and_office(
            "charges_raised_eur",
            "CAST(COALESCE(SUM(c.amount_cents), 0) AS BIGINT)",
            "FROM loan_charges c JOIN loans l ON l.id = c.loan_id",
            &format!("c.raised_on >= {d0} AND c.raised_on <= {d1} {office}"),
        ),
        by_programme_and_office(
            "charges_paid_eur",
            "CAST(COALESCE(SUM(c.paid_amount_cents), 0) AS BIGINT)",
            "FROM loan_charges c JOIN loans l ON l.id = c.loan_id",
            &format!("c.paid_on >= {d0} AND c.paid_on <= {d1} {office}"),
        ),
        by_programme_and_office(
            "charges_waived_eur",
            "CAST(COALESCE(SUM(c.amount_cents), 0) AS BIGINT)",
            "FROM loan_charges c JOIN loans l ON l.id = c.loan_id",
            &format!(
                "c.status = 'waived' AND c.updated_at >= {} AND c.updated_at < {t1} {office}",
                b.t0
            ),
        ),
        format!(
            "SELECT CAST('devices_lent' AS TEXT) AS f, CAST('kind' AS TEXT) AS by_, d.kind AS k, \
               COUNT(*) AS n FROM loan_devices ld JOIN loans l ON l.id = ld.loan_id \
               JOIN devices d ON d.id = ld.device_id \
             WHERE {signed} AND ld.status NOT IN ('cancelled', 'pending') GROUP BY d.kind"
        ),
    ];
    load(conn, &parts.join(" UNION ALL "), &mut out)?;
    // Money is stored in cents.
    for figure in [
        "charges_raised_eur",
        "charges_paid_eur",
        "charges_waived_eur",
    ] {
        if let Some(f) = out.figures.get_mut(figure) {
            f.0 = f.0.map(|v| v / 100.0);
            for p in &mut f.1 {
                p.value.0 /= 100.0;
            }
        }
    }
    // Possible duplicates: records merged into another person, overall and per office (a
    // person belongs to one office, so the office parts add up).
    let merged = out.value("borrower_records") - out.value("people_reached");
    out.add("possible_duplicates", "", "", merged);
    let people: std::collections::HashMap<String, f64> =
        out.parts("people_reached", "office").into_iter().collect();
    for (office, records) in out.parts("borrower_records", "office") {
        let reached = people.get(&office).copied().unwrap_or(0.0);
        out.add("possible_duplicates", "office", &office, records - reached);
    }
    Ok(out)
}

pub(super) fn bookings(conn: &mut DbConn, b: &Bounds) -> AppResult<Builder> {
    let Bounds {
        d0,
        d1,
        t0,
        t1,
        today,
        ..
    } = b;
    let mut out = Builder::default();
    let per_org_kind = |figure: &str, filter: &str| {
        format!(
            "SELECT CAST('{figure}' AS TEXT) AS f, CAST('organisation_kind' AS TEXT) AS by_, \
               o.kind AS k, COUNT(*) AS n \
             FROM bookings b JOIN organisations o ON o.id = b.organisation_id \
             WHERE {filter} GROUP BY o.kind"
        )
    };
    let demand = format!("b.pickup_on >= {d0} AND b.pickup_on <= {d1} AND b.status <> 'cancelled'");
    let parts = [
        per_org_kind(
            "requested",
            &format!("b.created_at >= {t0} AND b.created_at < {t1}"),
        ),
        per_org_kind(
            "confirmed",
            &format!("b.confirmed_at >= {t0} AND b.confirmed_at < {t1}"),
        ),
        per_org_kind(
            "cancelled",
            &format!("b.cancelled_at >= {t0} AND b.cancelled_at < {t1}"),
        ),
        per_org_kind(
            "refused",
            &format!(
                "b.status = 'requested' AND b.pickup_on >= {d0} AND b.pickup_on <= {d1} \
                 AND b.pickup_on < {today}"
            ),
        ),
        format!(
            "SELECT 'devices_booked_out', 'kind', d.kind, COUNT(*) \
             FROM booking_devices bd JOIN devices d ON d.id = bd.device_id \
             WHERE bd.picked_up_at >= {t0} AND bd.picked_up_at < {t1} GROUP BY d.kind \
             UNION ALL \
             SELECT 'devices_booked_out', 'organisation_kind', o.kind, COUNT(*) \
             FROM booking_devices bd JOIN bookings b ON b.id = bd.booking_id \
               JOIN organisations o ON o.id = b.organisation_id \
             WHERE bd.picked_up_at >= {t0} AND bd.picked_up_at < {t1} GROUP BY o.kind"
        ),
        format!(
            "SELECT 'organisations_served', '', '', COUNT(DISTINCT b.organisation_id) \
             FROM booking_devices bd JOIN bookings b ON b.id = bd.booking_id \
             WHERE bd.picked_up_at >= {t0} AND bd.picked_up_at < {t1} \
             UNION ALL \
             SELECT 'organisations_served', 'organisation_kind', o.kind, \
               COUNT(DISTINCT b.organisation_id) \
             FROM booking_devices bd JOIN bookings b ON b.id = bd.booking_id \
               JOIN organisations o ON o.id = b.organisation_id \
             WHERE bd.picked_up_at >= {t0} AND bd.picked_up_at < {t1} GROUP BY o.kind"
        ),
        format!(
            "SELECT 'quantity_requested', 'kind', bl.kind, CAST(SUM(bl.quantity) AS BIGINT) \
             FROM booking_lines bl JOIN bookings b ON b.id = bl.booking_id \
             WHERE {demand} GROUP BY bl.kind \
             UNION ALL \
             SELECT 'quantity_requested', 'organisation_kind', o.kind, \
               CAST(SUM(bl.quantity) AS BIGINT) \
             FROM booking_lines bl JOIN bookings b ON b.id = bl.booking_id \
               JOIN organisations o ON o.id = b.organisation_id \
             WHERE {demand} GROUP BY o.kind \
             UNION ALL \
             SELECT 'quantity_served', 'kind', d.kind, COUNT(*) \
             FROM booking_devices bd JOIN bookings b ON b.id = bd.booking_id \
               JOIN devices d ON d.id = bd.device_id \
             WHERE {demand} AND bd.picked_up_at IS NOT NULL GROUP BY d.kind \
             UNION ALL \
             SELECT 'quantity_served', 'organisation_kind', o.kind, COUNT(*) \
             FROM booking_devices bd JOIN bookings b ON b.id = bd.booking_id \
               JOIN organisations o ON o.id = b.organisation_id \
             WHERE {demand} AND bd.picked_up_at IS NOT NULL GROUP BY o.kind"
        ),
    ];
    load(conn, &parts.join(" UNION ALL "), &mut out)?;
    for figure in [
        "requested",
        "confirmed",
        "cancelled",
        "refused",
        "devices_booked_out",
        "quantity_requested",
        "quantity_served",
    ] {
        out.total_from(figure, "organisation_kind");
    }
    let share = |served: f64, requested: f64| {
        if requested > 0.0 {
            served / requested
        } else {
            0.0
        }
    };
    out.add(
        "share_served",
        "",
        "",
        share(
            out.value("quantity_served"),
            out.value("quantity_requested"),
        ),
    );
    for by in ["kind", "organisation_kind"] {
        let served: std::collections::HashMap<String, f64> =
            out.parts("quantity_served", by).into_iter().collect();
        for (key, requested) in out.parts("quantity_requested", by) {
            let s = served.get(&key).copied().unwrap_or(0.0);
            out.add("share_served", by, &key, share(s, requested));
        }
    }
    Ok(out)
}

/// The stages whose time is measured: the statuses a device waits in at the workshop or
/// after coming back.
pub const STAGES: &[Status] = &[
    Status::Received,
    Status::Wiped,
    Status::Refurbished,
    Status::InRepair,
    Status::Returned,
];

#[derive(QueryableByName)]
struct StageRow {
    #[diesel(sql_type = Text)]
    stage: String,
    /// Time spent in the stage, in hundredths of a day.
    #[diesel(sql_type = BigInt)]
    hundredths: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub(super) fn workshop(conn: &mut DbConn, b: &Bounds) -> AppResult<Builder> {
    let mut out = Builder::default();
    // Each status change of the period that leaves a stage, with the moment the device had
    // entered that stage (the latest earlier status change that led into it); the time spent
    // there is counted in SQL per stage and hundredth of a day (a histogram), from which the
    // median and 90th percentile are read here: percentiles are written differently in the
    // two databases' SQL, a GROUP BY is not.
    let actions = names(Action::ALL.iter().map(|a| a.as_str()));
    let stages = names(STAGES.iter().map(|s| s.as_str()));
    // (The tallies hold the same histogram, counted by the trigger with the same rule.)
    let spent = match conn {
        DbConn::Sqlite(_) => "(julianday(x.left_at) - julianday(x.entered_at))",
        DbConn::Postgres(_) => "(EXTRACT(EPOCH FROM (x.left_at - x.entered_at)) / 86400.0)",
    };
    let sql = b.over(
        |days| {
            let (first, end) = days;
            format!(
                "SELECT t.a AS stage, t.h AS hundredths, CAST(SUM(t.n) AS BIGINT) AS n \
                 FROM figure_tallies t \
                 WHERE t.fact = 'exit' AND t.day >= {first} AND t.day < {end} \
                   AND t.b IN ({actions}) AND t.a IN ({stages}) \
                 GROUP BY t.a, t.h"
            )
        },
        |e| {
            let Bounds { t0, t1, .. } = e;
            format!(
                "SELECT x.stage AS stage, CAST(ROUND({spent} * 100) AS BIGINT) AS hundredths, \
                   COUNT(*) AS n \
                 FROM (SELECT e.status_before AS stage, e.at AS left_at, \
                         (SELECT MAX(p.at) FROM device_events p \
                          WHERE p.device_id = e.device_id \
                            AND p.seq < e.seq AND p.status_after = e.status_before \
                            AND (p.status_before IS NULL OR p.status_before <> p.status_after)) \
                           AS entered_at \
                       FROM device_events e \
                       WHERE e.action IN ({actions}) AND e.at >= {t0} AND e.at < {t1} \
                         AND e.status_before IN ({stages})) x \
                 WHERE x.entered_at IS NOT NULL \
                 GROUP BY 1, 2"
            )
        },
    );
    let rows: Vec<StageRow> = crate::on_backend!(conn, c => diesel::sql_query(&sql).load(c))?;
    let mut histograms: std::collections::BTreeMap<String, Vec<(f64, u64)>> = Default::default();
    for r in rows {
        let days = r.hundredths.max(0) as f64 / 100.0;
        let n = u64::try_from(r.n).unwrap_or(0);
        histograms.entry(r.stage).or_default().push((days, n));
    }
    for (stage, mut h) in histograms {
        h.sort_by(|a, b| a.0.total_cmp(&b.0));
        let count: u64 = h.iter().map(|(_, n)| n).sum();
        out.add("stage_exits", "stage", &stage, count as f64);
        out.add("stage_days_median", "stage", &stage, median(&h));
        out.add("stage_days_p90", "stage", &stage, nearest_rank(&h, 0.9));
    }
    out.total_from("stage_exits", "stage");
    let sql = [
        wipe_records("wipes_failed", "failed", b),
        refurbishments_per_kind("refurbishments_failed", false, b),
    ];
    load(conn, &sql.join(" UNION ALL "), &mut out)?;
    out.total_from("wipes_failed", "kind");
    out.total_from("refurbishments_failed", "kind");
    Ok(out)
}

/// The value of rank `rank` (from 1) in a sorted histogram of (value, count).
fn at_rank(sorted: &[(f64, u64)], rank: u64) -> f64 {
    let mut seen = 0;
    for (value, n) in sorted {
        seen += n;
        if seen >= rank {
            return *value;
        }
    }
    sorted.last().map_or(0.0, |(v, _)| *v)
}

/// The median of a sorted histogram (the mean of the two middle values for an even count).
pub fn median(sorted: &[(f64, u64)]) -> f64 {
    let n: u64 = sorted.iter().map(|(_, c)| c).sum();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => at_rank(sorted, n / 2 + 1),
        _ => (at_rank(sorted, n / 2) + at_rank(sorted, n / 2 + 1)) / 2.0,
    }
}

/// The nearest-rank percentile of a sorted histogram: the smallest value with at least `p`
/// of the values at or below it.
pub fn nearest_rank(sorted: &[(f64, u64)], p: f64) -> f64 {
    let n: u64 = sorted.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return 0.0;
    }
    let rank = (p * n as f64).ceil() as u64;
    at_rank(sorted, rank.clamp(1, n))
}

/// Devices certified ready for the first time in their life during the period, per kind.
pub(super) fn reused(conn: &mut DbConn, b: &Bounds) -> AppResult<Vec<(String, i64)>> {
    let mut out = Builder::default();
    let sql = b.over(
        |days| {
            tallied(
                "CAST('reused' AS TEXT) AS f, CAST('kind' AS TEXT) AS by_, t.b AS k",
                "first_release",
                days,
                "",
                "t.b",
            )
        },
        |e| {
            let Bounds { t0, t1, .. } = e;
            format!(
                "SELECT CAST('reused' AS TEXT) AS f, CAST('kind' AS TEXT) AS by_, d.kind AS k, \
                   COUNT(*) AS n \
                 FROM device_events e JOIN devices d ON d.id = e.device_id \
                 WHERE e.action = 'release' AND e.at >= {t0} AND e.at < {t1} \
                   AND NOT EXISTS (SELECT 1 FROM device_events p \
                                   WHERE p.device_id = e.device_id \
                                   AND p.action = 'release' AND p.seq < e.seq) \
                 GROUP BY d.kind"
            )
        },
    );
    load(conn, &sql, &mut out)?;
    Ok(out
        .parts("reused", "kind")
        .into_iter()
        .map(|(k, n)| (k, n as i64))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p90_of_a_histogram() {
        // 1, 2, 2, 3, 10 (odd count) and 1, 2, 3, 4 (even count).
        let odd = [(1.0, 1), (2.0, 2), (3.0, 1), (10.0, 1)];
        assert_eq!(median(&odd), 2.0);
        assert_eq!(nearest_rank(&odd, 0.9), 10.0);
        let even = [(1.0, 1), (2.0, 1), (3.0, 1), (4.0, 1)];
        assert_eq!(median(&even), 2.5);
        assert_eq!(nearest_rank(&even, 0.9), 4.0);
        assert_eq!(median(&[]), 0.0);
        assert_eq!(nearest_rank(&[], 0.9), 0.0);
    }
}
