//! Figures for coordinators and funders (issue 16): a period's figures as JSON, CSV or XLSX,
//! and freezing a closed year. What each figure counts: `domain::figures::DEFINITIONS` and the
//! README section "Figures"; who sees what: `auth::visibility::FigureScope`.

use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::Caller;
use crate::db::Backend;
use crate::domain::figures::{self, export, frozen, Figures, Period, Scope};
use crate::error::{AppError, Problem};
use crate::startup::AppState;

crate::text_enum!(
    /// The form of the figures.
    FiguresFormat {
        /// JSON (the default).
        Json => "json",
        /// CSV for a Belgian Excel: UTF-8 with a BOM, `;`, decimal comma.
        Csv => "csv",
        /// An XLSX workbook, one sheet per group.
        Xlsx => "xlsx",
    }
);

/// The period and form of the figures.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// A calendar year, instead of `from` and `to`; the current year when nothing is given.
    pub year: Option<i32>,
    /// First day of the period (YYYY-MM-DD); 1 January of the year of `to` (or of today) when
    /// left out.
    pub from: Option<NaiveDate>,
    /// Last day of the period (YYYY-MM-DD), included; 31 December of the year of `from` when
    /// left out.
    pub to: Option<NaiveDate>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<FiguresFormat>,
    /// For a frozen year: `true` gives the live figures instead of the stored ones.
    pub live: Option<bool>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The figures in the form asked for; `stored` bytes when the year is frozen.
fn respond(
    format: FiguresFormat,
    figures: &Figures,
    stored: Option<&frozen::FrozenRow>,
) -> Result<HttpResponse, AppError> {
    let name = format!("figures-{}-{}", figures.period.from, figures.period.to);
    let (content_type, body) = match (format, stored) {
        (FiguresFormat::Json, Some(row)) => ("application/json", row.figures.clone().into_bytes()),
        (FiguresFormat::Json, None) => (
            "application/json",
            serde_json::to_vec(figures).map_err(AppError::internal)?,
        ),
        (FiguresFormat::Csv, Some(row)) => ("text/csv; charset=utf-8", row.csv.clone()),
        (FiguresFormat::Csv, None) => ("text/csv; charset=utf-8", export::csv(figures)?),
        (FiguresFormat::Xlsx, Some(row)) => (XLSX, row.xlsx.clone()),
        (FiguresFormat::Xlsx, None) => (XLSX, export::xlsx(figures)?),
    };
    let mut res = HttpResponse::Ok();
    res.content_type(content_type);
    if format != FiguresFormat::Json {
        res.insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}.{format}\""),
        ));
    }
    Ok(res.body(body))
}

/// The figures of a period (a calendar year by default): devices, people reached, bookings,
/// the workshop and the environmental effect of reuse, each with its breakdowns and what it
/// counts. Admins and coordinators see every group; lending staff the devices, bookings,
/// workshop and environment groups; social workers the people group of their office. For a
/// frozen year the stored figures are returned (`frozen: true`; the same bytes every time)
/// unless `live=true`.
#[utoipa::path(tag = "figures", params(FiguresQuery),
    responses(
        (status = 200, description = "The figures", content(
            (Figures = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/figures")]
pub async fn get_figures(
    caller: Caller,
    state: web::Data<AppState>,
    q: web::Query<FiguresQuery>,
) -> Result<HttpResponse, AppError> {
    let format = q.format.unwrap_or(FiguresFormat::Json);
    download(caller, &state, &q, format).await
}

/// The figures the caller may see for the query's period: the stored ones of a frozen year
/// (with their stored row) unless `live`, else computed now. The API and the figures page
/// both read them here.
pub async fn load(
    caller: Caller,
    state: &web::Data<AppState>,
    q: &FiguresQuery,
) -> Result<(Figures, Option<frozen::FrozenRow>), AppError> {
    let scope = Scope::of(&caller)?;
    let period = Period::from_query(q.year, q.from, q.to)?;
    let live = q.live.unwrap_or(false);
    if state.db.backend() == Backend::Postgres {
        // The tallies of recent transactions are folded first (else they are only more rows
        // to add up); a fold that finds the rows taken by another one is not an error.
        if let Err(e) = state.db.write(figures::fold_tallies).await {
            tracing::warn!(error = %e, "figure tallies not folded");
        }
    }
    state
        .db
        .read(move |conn| {
            if let (Some(year), false) = (period.as_year(), live) {
                if let Some(row) = frozen::stored(conn, year, &scope)? {
                    return Ok((frozen::figures_of(&row)?, Some(row)));
                }
            }
            Ok((figures::compute(conn, &scope, period)?, None))
        })
        .await
}

/// The figures as a download (CSV or XLSX) or JSON: the stored bytes of a frozen year.
pub async fn download(
    caller: Caller,
    state: &web::Data<AppState>,
    q: &FiguresQuery,
    format: FiguresFormat,
) -> Result<HttpResponse, AppError> {
    let (figures, stored) = load(caller, state, q).await?;
    respond(format, &figures, stored.as_ref())
}

/// Freezes the figures of a closed year (coordinators and admins): they are stored as they
/// are now, for every scope, with their CSV and XLSX exports, and served unchanged from then
/// on. 422 for a year not yet over, 409 when the year is already frozen.
#[utoipa::path(tag = "figures", params(("year" = i32, Path, description = "The year, e.g. 2025")),
    responses(
        (status = 201, description = "The figures as stored", body = Figures),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/figures/years/{year}/freeze")]
pub async fn freeze_year(
    caller: Caller,
    state: web::Data<AppState>,
    year: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let year: i32 = year.parse().map_err(|_| AppError::not_found("The year"))?;
    let row = state
        .db
        .write(move |conn| frozen::freeze(conn, &caller, year))
        .await?;
    Ok(HttpResponse::Created()
        .content_type("application/json")
        .body(row.figures))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(get_figures).service(freeze_year);
}
