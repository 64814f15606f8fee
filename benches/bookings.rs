//! Booking benchmark: a pool of 300 devices with 10,000 past and future bookings; measures the
//! month calendar, one kind's availability over a month, and a confirmation (allocation of 8
//! tablets), through the library. Prints p50/p95 on SQLite and, when `BENCH_DATABASE_URL` is
//! set, on PostgreSQL (in a temporary schema). Target: p95 under 20 ms each.
//!
//! Run: `cargo bench --bench bookings` (BENCH_DATABASE_URL=postgres://... for PostgreSQL).

mod support;

use std::collections::HashMap;
use std::time::{Duration as StdDuration, Instant};
use support::percentile_ms;

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use digilend::auth::Caller;
use digilend::db::models::{BookingDeviceRow, BookingLineRow, BookingRow, DeviceRow};
use digilend::db::schema::{booking_devices, booking_lines, bookings, devices};
use digilend::db::{now, today, Db, DbConn};
use digilend::domain::accounts::{self, new_id, Role};
use digilend::domain::availability::{self, PoolQuery, Rules};
use digilend::domain::bookings::{
    self as bk, AllocationState, BookingStatus, Contact, LineRequest, NewBooking,
};
use digilend::domain::devices::DeviceKind;
use digilend::domain::lifecycle::Status;

const DEVICES: usize = 300;
const BOOKINGS: usize = 10_000;
const RUNS: usize = 60;

fn report(name: &str, samples: &mut [StdDuration]) {
    let p50 = percentile_ms(samples, 0.50);
    let p95 = percentile_ms(samples, 0.95);
    let verdict = if p95 < 20.0 { "ok" } else { "SLOW" };
    println!("  {name:<38} p50 {p50:>7.2} ms   p95 {p95:>7.2} ms   [{verdict}]");
}

/// Fills the database: 300 pool devices (100 tablets, 100 laptops, 60 robots, 40 beamers)
/// and 10,000 bookings of about 8 devices spread from 3.5 years ago to 1 year ahead, with
/// non-overlapping allocations.
fn seed(db: &Db) -> Caller {
    let (admin, _) = db
        .write_blocking(|c| {
            accounts::bootstrap_admin(c, "Bench Admin", "Digitale Uitleendienst Gent")
        })
        .expect("admin");
    let caller = Caller {
        user_id: admin.id.clone(),
        organisation_id: admin.organisation_id.clone(),
        role: Role::Admin,
        name: admin.name.clone(),
    };
    let mut conn = db.conn().expect("conn");
    let conn: &mut DbConn = &mut conn;
    let at = now();
    let kinds = [
        (DeviceKind::Tablet, 100, None),
        (DeviceKind::Laptop, 100, None),
        (DeviceKind::Robot, 60, None),
        (DeviceKind::Peripheral, 40, Some("beamer".to_string())),
    ];
    let mut rows = Vec::new();
    let mut seq = 0i64;
    for (kind, n, subtype) in &kinds {
        for _ in 0..*n {
            seq += 1;
            rows.push(DeviceRow {
                id: new_id(),
                seq,
                asset_tag: format!("GNT-{seq:06}"),
                kind: *kind,
                subtype: subtype.clone(),
                brand: "Acme".into(),
                model: format!("{kind} model"),
                serial_number: None,
                serial_key: None,
                specs: "{}".into(),
                accessories: None,
                notes: None,
                status: Status::Ready,
                donation_id: None,
                owner_organisation_id: admin.organisation_id.clone(),
                holder_organisation_id: None,
                workshop_id: None,
                in_pool: true,
                shelf_location: Some(format!("Kast {}", seq % 10)),
                version: 1,
                created_at: at,
                updated_at: at,
                accessories_back: None,
            });
        }
    }
    assert_eq!(rows.len(), DEVICES);
    digilend::on_backend!(conn, c => diesel::insert_into(devices::table).values(&rows).execute(c))
        .expect("devices");
    diesel::sql_query(format!(
        "UPDATE counters SET value = {seq} WHERE name = 'device_seq'"
    ))
    .execute(conn)
    .expect("counter");

    let rules = Rules {
        today: today(),
        max_days: 42,
        turnaround_days: 1,
    };
    let start = rules.today - Duration::days(1280);
    let span_days = 1280 + 365;
    let mut free_from: HashMap<String, NaiveDate> = HashMap::new();
    let mut b_rows = Vec::new();
    let mut l_rows = Vec::new();
    let mut a_rows = Vec::new();
    let mut ref_no: HashMap<i32, i64> = HashMap::new();
    for i in 0..BOOKINGS {
        let pickup = start + Duration::days((i * span_days / BOOKINGS) as i64);
        let ret = pickup + Duration::days(1 + (i % 5) as i64);
        let (kind, _, _) = &kinds[i % 4];
        let quantity = 4 + (i % 9) as i32;
        let (from, until) = rules.occupancy(pickup, ret);
        let id = new_id();
        let chosen: Vec<&DeviceRow> = rows
            .iter()
            .filter(|d| d.kind == *kind && free_from.get(&d.id).is_none_or(|f| *f <= from))
            .take(quantity as usize)
            .collect();
        let past = ret < rules.today;
        for d in &chosen {
            free_from.insert(d.id.clone(), until + Duration::days(1));
            a_rows.push(BookingDeviceRow {
                id: new_id(),
                booking_id: id.clone(),
                device_id: d.id.clone(),
                line_no: Some(1),
                state: if past {
                    AllocationState::Returned
                } else {
                    AllocationState::Allocated
                },
                occupied_from: from,
                occupied_until: until,
                picked_up_at: None,
                returned_at: None,
                return_condition: None,
                missing_accessories: None,
                reported_missing: false,
                note: None,
                created_at: at,
            });
        }
        let n = ref_no.entry(pickup.year()).or_default();
        *n += 1;
        b_rows.push(BookingRow {
            id: id.clone(),
            reference: format!("RES-{}-{:05}", pickup.year(), n),
            organisation_id: admin.organisation_id.clone(),
            requested_by: admin.id.clone(),
            status: if past {
                BookingStatus::Returned
            } else {
                BookingStatus::Confirmed
            },
            pickup_on: pickup,
            return_on: ret,
            purpose: "Bench".into(),
            contact_name: "Bench".into(),
            contact_phone: None,
            contact_email: Some("bench@example.be".into()),
            note: None,
            confirmed_by: Some(admin.id.clone()),
            confirmed_at: Some(at),
            picked_up_at: None,
            returned_at: None,
            cancelled_at: None,
            version: 1,
            created_at: at,
            updated_at: at,
        });
        l_rows.push(BookingLineRow {
            id: new_id(),
            booking_id: id,
            line_no: 1,
            kind: *kind,
            subtype: None,
            model: None,
            device_id: None,
            quantity,
        });
    }
    for (year, n) in &ref_no {
        diesel::sql_query(format!(
            "INSERT INTO counters (name, value) VALUES ('booking_seq_{year}', {n})"
        ))
        .execute(conn)
        .expect("counter");
    }
    for chunk in b_rows.chunks(500) {
        digilend::on_backend!(conn, c => diesel::insert_into(bookings::table).values(chunk).execute(c)).expect("bookings");
    }
    for chunk in l_rows.chunks(1000) {
        digilend::on_backend!(conn, c => diesel::insert_into(booking_lines::table).values(chunk).execute(c)).expect("lines");
    }
    for chunk in a_rows.chunks(1000) {
        digilend::on_backend!(conn, c => diesel::insert_into(booking_devices::table).values(chunk).execute(c)).expect("allocations");
    }
    if let DbConn::Postgres(c) = conn {
        diesel::sql_query("ANALYZE").execute(c).expect("analyze");
    }
    println!(
        "  seeded {DEVICES} devices, {BOOKINGS} bookings, {} allocations",
        a_rows.len()
    );
    caller
}

fn run(label: &str, db: &Db) {
    println!("{label}:");
    let caller = seed(db);
    let rules = Rules {
        today: today(),
        max_days: 42,
        turnaround_days: 1,
    };
    let next_month = {
        let t = rules.today;
        let (y, m) = if t.month() == 12 {
            (t.year() + 1, 1)
        } else {
            (t.year(), t.month() + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1).expect("month")
    };
    let month = next_month.format("%Y-%m").to_string();

    let mut samples = Vec::new();
    for _ in 0..RUNS {
        let mut conn = db.conn().expect("conn");
        let t0 = Instant::now();
        let cal = conn
            .transaction(|c| availability::month_calendar(c, &caller, &rules, &month))
            .expect("calendar");
        samples.push(t0.elapsed());
        assert!(!cal.days.is_empty());
    }
    report(&format!("month calendar {month}"), &mut samples);

    let mut samples = Vec::new();
    let q = PoolQuery {
        kind: DeviceKind::Tablet,
        model: None,
        subtype: None,
        from: next_month,
        to: next_month + Duration::days(30),
    };
    for _ in 0..RUNS {
        let mut conn = db.conn().expect("conn");
        let t0 = Instant::now();
        conn.transaction(|c| availability::availability(c, &caller, &rules, &q))
            .expect("availability");
        samples.push(t0.elapsed());
    }
    report("tablet availability, 31 days", &mut samples);

    let mut samples = Vec::new();
    let mut confirmed = 0;
    for i in 0..RUNS {
        let pickup = rules.today + Duration::days(14 + (i % 40) as i64);
        let req = NewBooking {
            organisation_id: None,
            pickup_on: pickup,
            return_on: pickup + Duration::days(4),
            purpose: "Bench".into(),
            contact: Contact {
                name: "Bench".into(),
                phone: None,
                email: Some("bench@example.be".into()),
            },
            lines: vec![LineRequest {
                kind: DeviceKind::Tablet,
                quantity: 8,
                subtype: None,
                model: None,
            }],
            devices: vec![],
            note: None,
        };
        let id = db
            .write_blocking(|c| bk::create(c, &caller, &rules, req))
            .expect("create")
            .booking
            .id;
        let id = digilend::domain::ids::BookingId::from(id);
        let t0 = Instant::now();
        let result = db.write_blocking(|c| bk::confirm(c, &caller, &rules, &id));
        samples.push(t0.elapsed());
        if result.is_ok() {
            confirmed += 1;
            db.write_blocking(|c| bk::cancel(c, &caller, &rules, &id))
                .expect("cancel");
        }
    }
    report(
        &format!("confirmation of 8 tablets ({confirmed}/{RUNS} ok)"),
        &mut samples,
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.sqlite3").display());
    let db = Db::connect(&url, 4).expect("sqlite");
    run("SQLite", &db);

    match std::env::var("BENCH_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
    {
        None => println!("PostgreSQL: BENCH_DATABASE_URL is not set, skipped"),
        Some(base) => {
            let schema = format!("bench_{}", uuid::Uuid::new_v4().simple());
            let mut admin = PgConnection::establish(&base).expect("PostgreSQL");
            diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                .execute(&mut admin)
                .expect("schema");
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
            {
                let db = Db::connect(&url, 4).expect("postgres");
                run("PostgreSQL", &db);
            }
            diesel::sql_query(format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&mut admin)
                .expect("drop");
        }
    }
}
