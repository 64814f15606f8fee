//! What an operator sees of the running service: structured logs with a request id, and the
//! Prometheus metrics behind `GET /metrics`.
//!
//! Every request gets a fresh id (a UUID), returned in the `X-Request-Id` header and carried by
//! a `request` span, so that every log line written while serving it (database work included:
//! `Db::read`/`Db::write` open a `db` span inside it) names it. Log lines hold the method, the
//! route pattern (`/devices/{id}`), the status and the duration: never query strings, headers
//! or bodies, which can carry personal data.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{get, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use tracing::Instrument;

use crate::auth;
use crate::db::schema::devices;
use crate::db::DbConn;
use crate::domain::lifecycle::Status;
use crate::error::{AppError, AppResult};
use crate::startup::AppState;

/// The response header that carries the request id.
pub const REQUEST_ID: &str = "x-request-id";

/// Sets up logging: `RUST_LOG` filters (default `info`), `log::` calls of the code and its
/// dependencies are carried over, and lines go to standard error as text or JSON.
pub fn init_logging(json: bool) {
    use tracing_subscriber::EnvFilter;
    // actix logs a client's malformed request (a bad header) as an ERROR of its dispatcher: a
    // client's mistake, not the server's, so that logger is off unless RUST_LOG asks for it.
    const DEFAULT: &str = "info,actix_http::h1::dispatcher=off";
    let (filter, bad_filter) = match EnvFilter::try_from_default_env() {
        Ok(f) => (f, None),
        Err(e) if std::env::var_os("RUST_LOG").is_some() => (EnvFilter::new(DEFAULT), Some(e)),
        Err(_) => (EnvFilter::new(DEFAULT), None),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let result = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(true)
            .try_init()
    } else {
        builder.try_init()
    };
    if let Err(e) = result {
        eprintln!("logging could not be set up: {e}");
    }
    if let Some(e) = bad_filter {
        tracing::warn!("RUST_LOG is not a valid filter ({e}); using info");
    }
}

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Clone, Default)]
struct Histogram {
    /// Observations at or under each bound of `BUCKETS` (not cumulative).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
            self.buckets[i] += 1;
        }
        self.count += 1;
        self.sum += seconds;
    }
}

/// Request counters and latencies of this server process, by method, route pattern and status.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Recorded>,
}

#[derive(Debug, Default)]
struct Recorded {
    requests: BTreeMap<(&'static str, String, u16), u64>,
    latency: BTreeMap<(&'static str, String), Histogram>,
}

/// The method as a label: the standard ones, anything else as `OTHER` (no unbounded labels).
fn method_label(m: &Method) -> &'static str {
    const KNOWN: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    KNOWN
        .iter()
        .find(|k| **k == m.as_str())
        .copied()
        .unwrap_or("OTHER")
}

impl Metrics {
    fn observe(&self, method: &'static str, route: &str, status: u16, elapsed: Duration) {
        // A poisoned lock only means a panic while counting; the counts are still usable.
        let mut r = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *r.requests
            .entry((method, route.to_string(), status))
            .or_default() += 1;
        r.latency
            .entry((method, route.to_string()))
            .or_default()
            .observe(elapsed.as_secs_f64());
    }

    fn write(&self, out: &mut String) {
        let r = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        header(
            out,
            "digilend_http_requests_total",
            "counter",
            "HTTP requests answered by this process, by method, route pattern and status.",
        );
        for ((method, route, status), n) in &r.requests {
            let labels = format!(
                "method=\"{method}\",route=\"{}\",status=\"{status}\"",
                escape(route)
            );
            let _ = writeln!(out, "digilend_http_requests_total{{{labels}}} {n}");
        }
        header(
            out,
            "digilend_http_request_duration_seconds",
            "histogram",
            "Time to answer a request (until the response headers), by method and route pattern.",
        );
        for ((method, route), h) in &r.latency {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "digilend_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "digilend_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "digilend_http_request_duration_seconds_sum{{{labels}}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "digilend_http_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value in the text format: backslash, double quote and newline escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The middleware: request id, `request` span, one log line per request, metrics.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let id = uuid::Uuid::new_v4().to_string();
    let method = method_label(req.method());
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let span = tracing::info_span!(
        "request",
        id = %id,
        method,
        route = tracing::field::Empty
    );
    let result = next.call(req).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let (route, status) = match &result {
        Ok(res) => (
            res.request()
                .match_pattern()
                .unwrap_or_else(|| "unmatched".into()),
            res.status().as_u16(),
        ),
        Err(e) => (
            "unmatched".into(),
            e.as_response_error().status_code().as_u16(),
        ),
    };
    span.record("route", route.as_str());
    if let Some(m) = metrics {
        m.observe(method, &route, status, elapsed);
    }
    span.in_scope(|| {
        tracing::info!(
            status,
            ms = (elapsed.as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
            "answered"
        )
    });
    let mut res = result?.map_into_boxed_body();
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID), value);
    }
    Ok(res)
}

/// The counts operators watch, computed from the database at scrape time so that every
/// server of a deployment reports the same numbers.
struct DomainCounts {
    devices: Vec<(String, i64)>,
    overdue_loans: i64,
    overdue_bookings: i64,
}

fn domain_counts(conn: &mut DbConn) -> AppResult<DomainCounts> {
    let today = crate::db::today();
    let by_status: Vec<(Status, i64)> = devices::table
        .group_by(devices::status)
        .select((devices::status, diesel::dsl::count_star()))
        .load(conn)?;
    let devices = Status::ALL
        .iter()
        .map(|s| {
            let n = by_status
                .iter()
                .find(|(status, _)| status == s)
                .map_or(0, |(_, n)| *n);
            (s.to_string(), n)
        })
        .collect();
    let overdue_loans = crate::domain::loans::schedule::count_overdue(conn, today)?;
    let overdue_bookings = crate::domain::bookings::count_overdue(conn, today)?;
    Ok(DomainCounts {
        devices,
        overdue_loans,
        overdue_bookings,
    })
}

/// Whether the request may read the metrics: the `METRICS_TOKEN` as bearer token, or an API
/// token of an admin or coordinator.
async fn may_read_metrics(req: &HttpRequest, state: &AppState) -> Result<(), AppError> {
    let Some(token) = auth::bearer_token(req) else {
        return Err(AppError::Unauthorized(
            "Send the metrics token or an admin's API token as `Authorization: Bearer …`.".into(),
        ));
    };
    if let Some(expected) = &state.config.metrics_token {
        if constant_time_eq(token.as_bytes(), expected.trim().as_bytes()) {
            return Ok(());
        }
    }
    match auth::resolve(req).await? {
        Some(caller) if caller.sees_everything() => Ok(()),
        Some(caller) => Err(AppError::Forbidden(format!(
            "The role {} may not read the metrics.",
            caller.role
        ))),
        None => Err(AppError::Unauthorized(
            "The bearer token is unknown, revoked or expired.".into(),
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Prometheus metrics in the text exposition format: requests by route pattern and status,
/// latency histograms, database pool use, devices per status and overdue loans and bookings.
/// Read with the `METRICS_TOKEN` or an admin's or coordinator's API token.
#[utoipa::path(tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain"),
        (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
#[get("/metrics")]
pub async fn get_metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
) -> Result<HttpResponse, AppError> {
    may_read_metrics(&req, &state).await?;
    let (open, idle, max) = state.db.pool_state();
    let counts = state.db.read(domain_counts).await?;
    let mut out = String::new();
    metrics.write(&mut out);
    header(
        &mut out,
        "digilend_db_pool_connections",
        "gauge",
        "Database connections of this process's pool, in use or idle.",
    );
    let _ = writeln!(
        out,
        "digilend_db_pool_connections{{state=\"in_use\"}} {}",
        open.saturating_sub(idle)
    );
    let _ = writeln!(out, "digilend_db_pool_connections{{state=\"idle\"}} {idle}");
    header(
        &mut out,
        "digilend_db_pool_max_connections",
        "gauge",
        "Largest size of the pool (DATABASE_POOL_SIZE).",
    );
    let _ = writeln!(out, "digilend_db_pool_max_connections {max}");
    header(
        &mut out,
        "digilend_devices",
        "gauge",
        "Devices in the inventory, by lifecycle status.",
    );
    for (status, n) in &counts.devices {
        let _ = writeln!(out, "digilend_devices{{status=\"{}\"}} {n}", escape(status));
    }
    header(
        &mut out,
        "digilend_loans_overdue",
        "gauge",
        "Active loans past their end date.",
    );
    let _ = writeln!(out, "digilend_loans_overdue {}", counts.overdue_loans);
    header(
        &mut out,
        "digilend_bookings_overdue",
        "gauge",
        "Bookings picked up (or partly returned) and past their return date.",
    );
    let _ = writeln!(out, "digilend_bookings_overdue {}", counts.overdue_bookings);
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_in_the_text() {
        let m = Metrics::default();
        m.observe("GET", "/x/{id}", 200, Duration::from_millis(3));
        m.observe("GET", "/x/{id}", 200, Duration::from_millis(30));
        m.observe("GET", "/x/{id}", 404, Duration::from_secs(20));
        let mut out = String::new();
        m.write(&mut out);
        assert!(out.contains(
            "digilend_http_requests_total{method=\"GET\",route=\"/x/{id}\",status=\"200\"} 2"
        ));
        assert!(out.contains(
            "digilend_http_request_duration_seconds_bucket{method=\"GET\",route=\"/x/{id}\",le=\"0.005\"} 1"
        ));
        assert!(out.contains(
            "digilend_http_request_duration_seconds_bucket{method=\"GET\",route=\"/x/{id}\",le=\"10\"} 2"
        ));
        assert!(out.contains(
            "digilend_http_request_duration_seconds_bucket{method=\"GET\",route=\"/x/{id}\",le=\"+Inf\"} 3"
        ));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
