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
