//! What the benchmarks share: timing helpers and a fresh PostgreSQL schema per run
//! (`mod support;` in each of them).
#![allow(dead_code)] // each benchmark uses its own part

use std::time::{Duration, Instant};

use diesel::prelude::*;
/// Runs `f` once and gives its result with the time it took.
pub fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// The `p` quantile (0 to 1) of `samples` by nearest rank, `round((n - 1) × p)` in sorted
/// order; sorts `samples`. Zero for no samples.
pub fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort_unstable();
    let i = ((samples.len() as f64 - 1.0) * p.clamp(0.0, 1.0)).round() as usize;
    samples[i.min(samples.len() - 1)]
}

/// How many timed runs a benchmark makes: `BENCH_RUNS` if set (a profiler such as callgrind
/// needs only a few), `default` otherwise.
pub fn runs(default: usize) -> usize {
    std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

/// A duration in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `p` quantile of `samples` in milliseconds (see [`percentile`]).
pub fn percentile_ms(samples: &mut [Duration], p: f64) -> f64 {
    ms(percentile(samples, p))
}

/// A schema of its own in the PostgreSQL database at `base`, dropped with this value.
pub struct FreshSchema {
    base: String,
    pub name: String,
    /// `base` with the schema as its search path.
    pub url: String,
}

impl FreshSchema {
    pub fn new(base: &str) -> FreshSchema {
        let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
        let mut c = PgConnection::establish(base).expect("postgres");
        diesel::sql_query(format!("CREATE SCHEMA {name}"))
            .execute(&mut c)
            .expect("schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        FreshSchema {
            base: base.to_string(),
            url: format!("{base}{sep}options=-csearch_path%3D{name}"),
            name,
        }
    }
}

impl Drop for FreshSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = PgConnection::establish(&self.base) {
            let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name))
                .execute(&mut c);
        }
    }
}

/// A device row with the benchmarks' defaults (a Lenovo laptop, `ready`, serial `SN…`, owned
/// by `owner`); change what a benchmark needs with struct update syntax.
pub fn device_row(
    seq: i64,
    owner: &str,
    at: chrono::NaiveDateTime,
) -> digilend::db::models::DeviceRow {
    use digilend::domain::devices::{format_tag, DeviceKind};
    digilend::db::models::DeviceRow {
        id: uuid::Uuid::new_v4().to_string(),
        seq,
        asset_tag: format_tag("GNT", seq),
        kind: DeviceKind::Laptop,
        subtype: None,
        brand: "Lenovo".into(),
        model: format!("ThinkPad T{}", 400 + seq % 90),
        serial_number: Some(format!("SN{seq:09}")),
        serial_key: Some(format!("SN{seq:09}")),
        specs: "{}".into(),
        accessories: None,
        notes: None,
        status: digilend::domain::lifecycle::Status::Ready,
        donation_id: None,
        owner_organisation_id: owner.to_string(),
        holder_organisation_id: None,
        workshop_id: None,
        in_pool: false,
        shelf_location: None,
        version: 1,
        created_at: at,
        updated_at: at,
        accessories_back: None,
    }
}

/// Fills the database with `size` devices, each with its registration event, in bulk:
/// `shape(seq, row)` sets what differs per device. Sets the tag counter and analyses the
/// tables afterwards.
pub fn fill_devices(
    db: &digilend::db::Db,
    size: usize,
    owner: &str,
    shape: impl Fn(i64, &mut digilend::db::models::DeviceRow),
) {
    use digilend::db::models::DeviceEventRow;
    use digilend::db::schema::{counters, device_events, devices};
    use digilend::db::DbConn;
    let mut conn = db.conn().expect("connection");
    let at = digilend::db::now();
    let mut seq = 0i64;
    let chunk = 10_000;
    while (seq as usize) < size {
        let n = chunk.min(size - seq as usize);
        let mut rows = Vec::with_capacity(n);
        let mut events = Vec::with_capacity(n);
        for _ in 0..n {
            seq += 1;
            let mut row = device_row(seq, owner, at);
            shape(seq, &mut row);
            events.push(DeviceEventRow {
                id: uuid::Uuid::new_v4().to_string(),
                device_id: row.id.clone(),
                seq: 1,
                at: row.created_at,
                actor_user_id: None,
                action: "registered".into(),
                status_before: None,
                status_after: row.status,
                detail: "{}".into(),
            });
            rows.push(row);
        }
        digilend::db::write_transaction(&mut conn, |c: &mut DbConn| {
            for part in rows.chunks(500) {
                digilend::on_backend!(c, x => diesel::insert_into(devices::table).values(part).execute(x))?;
            }
            for part in events.chunks(1000) {
                digilend::on_backend!(c, x => diesel::insert_into(device_events::table).values(part).execute(x))?;
            }
            Ok(())
        })
        .expect("insert");
    }
    diesel::update(counters::table.filter(counters::name.eq("device_seq")))
        .set(counters::value.eq(seq))
        .execute(&mut *conn)
        .expect("counter");
    digilend::on_backend!(&mut *conn, c => diesel::sql_query("ANALYZE").execute(c))
        .expect("analyze");
}
