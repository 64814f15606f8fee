//! Timing helpers shared by the benchmarks (`mod support;` in each of them).
#![allow(dead_code)] // each benchmark uses its own part

use std::time::{Duration, Instant};

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

/// A duration in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `p` quantile of `samples` in milliseconds (see [`percentile`]).
pub fn percentile_ms(samples: &mut [Duration], p: f64) -> f64 {
    ms(percentile(samples, p))
}
