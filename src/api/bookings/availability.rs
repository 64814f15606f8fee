//! The availability of the booking pool: free devices of a kind per day, and a month's
//! calendar. The rules are `domain::availability`'s.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rules;
use crate::auth::Caller;
use crate::domain::availability::{self, PoolQuery};
use crate::domain::devices::DeviceKind;
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// What to count.
#[derive(Debug, Clone, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityQuery {
    pub kind: DeviceKind,
    /// Only this model (case-insensitive).
    pub model: Option<String>,
    /// Only this subtype, for peripherals (beamer, vr_headset, ...).
    pub subtype: Option<String>,
    /// First day (YYYY-MM-DD).
    pub from: NaiveDate,
    /// Last day (YYYY-MM-DD), at most 366 days after `from`.
    pub to: NaiveDate,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DayCount {
    pub date: NaiveDate,
    /// Devices that could be booked for this day.
    pub free: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Availability {
    pub kind: DeviceKind,
    pub model: Option<String>,
    pub subtype: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Pool devices of this kind in stock (not retired, lost or sold), whatever their status.
    pub total: i64,
    /// Of those, the devices that can be planned at all (ready or booked out).
    pub plannable: i64,
    pub days: Vec<DayCount>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct KindCount {
    pub kind: DeviceKind,
    pub free: i64,
    /// Pool devices of this kind in stock (not retired, lost or sold).
    pub total: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kinds: Vec<KindCount>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MonthCalendar {
    /// YYYY-MM.
    pub month: String,
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// YYYY-MM, e.g. 2026-12.
    pub month: String,
}

/// Free pool devices of a kind (and model / subtype) on each day of a range.
#[utoipa::path(tag = "bookings", params(AvailabilityQuery),
    responses((status = 200, body = Availability), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/availability")]
pub async fn get_availability(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<AvailabilityQuery>,
) -> Result<HttpResponse, AppError> {
    let rules = rules(&state);
    let q = query.into_inner();
    let pool = PoolQuery {
        kind: q.kind,
        model: q.model.clone(),
        subtype: q.subtype.clone(),
        from: q.from,
        to: q.to,
    };
    let free = state
        .db
        .read(move |conn| availability::availability(conn, &caller, &rules, &pool))
        .await?;
    Ok(HttpResponse::Ok().json(Availability {
        kind: q.kind,
        model: q.model,
        subtype: q.subtype,
        from: q.from,
        to: q.to,
        total: free.total,
        plannable: free.plannable,
        days: free
            .days
            .into_iter()
            .map(|(date, free)| DayCount { date, free })
            .collect(),
    }))
}

/// The pool for one month: per day and kind, free / total.
#[utoipa::path(tag = "bookings", params(MonthQuery),
    responses((status = 200, body = MonthCalendar), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/availability/calendar")]
pub async fn availability_calendar(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    let rules = rules(&state);
    let month = query.into_inner().month;
    let c = state
        .db
        .read(move |conn| availability::month_calendar(conn, &caller, &rules, &month))
        .await?;
    Ok(HttpResponse::Ok().json(MonthCalendar {
        month: format!("{}", c.first.format("%Y-%m")),
        days: c
            .days
            .into_iter()
            .map(|(date, kinds)| CalendarDay {
                date,
                kinds: kinds
                    .into_iter()
                    .map(|k| KindCount {
                        kind: k.kind,
                        free: k.free,
                        total: k.total,
                    })
                    .collect(),
            })
            .collect(),
    }))
}
