//! The figures page for coordinators (and, as far as the figures' scope lets them, lending
//! staff and social workers): a period's figures (`domain::figures`, read through the same
//! `api::figures::load` as the API) with a bar chart drawn on the server as SVG for each
//! breakdown, each chart followed by its table (the chart is a picture of the table, hidden
//! from screen readers); the CSV and XLSX downloads; freezing a closed year.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::api::figures::{download, load, FiguresFormat, FiguresQuery};
use crate::auth::Perm;
use crate::domain::figures::{frozen, Figure, Figures};
use crate::error::AppError;
use crate::i18n::{self, Lang};
use crate::startup::AppState;
use crate::web::forms::{FormErrors, Posted};
use crate::web::frame::{render_status, see_other, text, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Viewer};

/// Width of a chart's drawing (SVG user units; it scales to the screen).
const CHART_W: f64 = 320.0;
/// Room for the value after the longest bar.
const VALUE_W: f64 = 70.0;
/// Height of one line of a chart: its label above, its bar below.
const ROW_H: u32 = 34;
/// Most lines in one chart (the table holds them all).
const CHART_ROWS: usize = 12;

/// One bar of a chart.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: String,
    pub label_y: u32,
    pub bar_y: u32,
    pub width: String,
    pub value_x: String,
    pub value_y: u32,
}

/// One breakdown of a figure: its chart and its table.
#[derive(Debug, Clone)]
pub struct Chart {
    pub id: String,
    pub caption: String,
    pub height: u32,
    pub bars: Vec<Bar>,
    pub rows: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct FigureView {
    pub name: String,
    pub total: Option<String>,
    pub charts: Vec<Chart>,
}

#[derive(Debug, Clone)]
pub struct GroupView {
    pub id: String,
    pub title: String,
    pub figures: Vec<FigureView>,
}

#[derive(Template)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    pub frame: Frame,
    pub years: Vec<(String, bool)>,
    pub year: String,
    pub from: String,
    pub to: String,
    /// The period shown, in words; empty when the period was refused.
    pub period: String,
    pub frozen: bool,
    /// The year shown is closed and not frozen, and the viewer may freeze it.
    pub can_freeze: bool,
    pub groups: Vec<GroupView>,
    pub downloads: Vec<(&'static str, String)>,
    pub method: Option<String>,
}
crate::page!(ReportsPage);

/// The page's period as typed (a year, or a first and last day).
#[derive(Debug, Default, Deserialize)]
pub struct ReportsQuery {
    pub year: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// For a frozen year: the live figures.
    pub live: Option<String>,
    /// Set after freezing: says so.
    pub frozen: Option<String>,
}

fn typed(v: &Option<String>) -> String {
    v.as_deref().unwrap_or("").trim().to_string()
}

impl ReportsQuery {
    /// The query of the figures, or the form's errors (a year or day that is not one).
    fn figures_query(&self, lang: Lang) -> Result<FiguresQuery, FormErrors> {
        let mut errors = FormErrors::default();
        let mut q = FiguresQuery {
            live: self.live.as_ref().map(|_| true),
            ..FiguresQuery::default()
        };
        let (year, from, to) = (typed(&self.year), typed(&self.from), typed(&self.to));
        if !from.is_empty() || !to.is_empty() {
            for (name, value, slot) in [("from", &from, &mut q.from), ("to", &to, &mut q.to)] {
                if value.is_empty() {
                    continue;
                }
                match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                    Ok(d) => *slot = Some(d),
                    Err(_) => errors
                        .items
                        .push(problem(lang, name, "web-figures-day-invalid")),
                }
            }
        } else if !year.is_empty() {
            match year.parse::<i32>() {
                Ok(y) => q.year = Some(y),
                Err(_) => errors
                    .items
                    .push(problem(lang, "year", "web-figures-year-invalid")),
            }
        }
        if errors.is_empty() {
            Ok(q)
        } else {
            Err(errors)
        }
    }

    /// The period as query string of the downloads and links (dates and a year only).
    fn period_query(&self, figures: &Figures) -> String {
        let live = if self.live.is_some() {
            "&live=true"
        } else {
            ""
        };
        match figures.period.as_year() {
            Some(y) => format!("year={y}{live}"),
            None => format!("from={}&to={}", figures.period.from, figures.period.to),
        }
    }
}

/// The domain's refusal of a period, next to its field in the person's language: a year
/// outside the years kept, a day outside them, a last day before the first.
fn period_errors(e: &AppError, lang: Lang) -> FormErrors {
    let mut errors = FormErrors::default();
    if let AppError::Validation { errors: fields, .. } = e {
        for f in fields {
            let field = if f.field == "year" {
                "year"
            } else if f.field == "to" {
                "to"
            } else {
                "from"
            };
            errors
                .items
                .push(match crate::web::forms::translated(lang, &f.message) {
                    Some(message) => crate::web::forms::FieldProblem {
                        field: field.to_string(),
                        message,
                        label: None,
                    },
                    None if field == "year" => problem(lang, field, "web-figures-year-invalid"),
                    None => problem(lang, field, "web-figures-day-invalid"),
                });
        }
    }
    errors
}

fn problem(lang: Lang, field: &str, key: &str) -> crate::web::forms::FieldProblem {
    crate::web::forms::FieldProblem {
        field: field.to_string(),
        message: text(lang, key),
        label: None,
    }
}

/// A number as the person's language writes it: `1.234,5` in Dutch, `1 234,5` in French,
/// `1,234.5` in English.
pub fn number(lang: Lang, value: f64, decimals: usize) -> String {
    let (group, point) = match lang {
        Lang::Nl => (".", ","),
        Lang::Fr => ("\u{202f}", ","),
        Lang::En => (",", "."),
    };
    let s = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push_str(group);
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push_str(point);
        out.push_str(fraction);
    }
    if value < 0.0 && value.abs() >= 0.5 * 10f64.powi(-(decimals as i32)) {
        out.insert(0, '-');
    }
    out
}

/// A figure's value with its unit, in the person's language.
fn amount(lang: Lang, unit: &str, value: f64) -> String {
    match unit {
        "euro" => format!("€ {}", number(lang, value, 2)),
        "share" => format!("{} %", number(lang, value * 100.0, 0)),
        "days" => text_with(lang, "web-figures-days", &number(lang, value, 1)),
        "kg" | "kg_co2e" => text_with(
            lang,
            &format!("web-figures-unit-{unit}"),
            &number(lang, value, 0),
        ),
        _ => number(lang, value, 0),
    }
}

fn text_with(lang: Lang, key: &str, n: &str) -> String {
    crate::web::frame::texts(lang, key, &[("n", n)])
}

/// The name of a part's key in the person's language, where it is a word of the service (a
/// kind, a status, a NIST category, an organisation kind); names of programmes, offices and
/// donors as they are.
fn part_name(lang: Lang, by: &str, key: &str) -> String {
    let candidate = match by {
        "kind" => format!("kind-{key}"),
        "status" | "stage" => format!("web-workshop-status-{key}"),
        "category" => format!("certificate-categories-{key}"),
        "organisation_kind" => format!("web-figures-orgkind-{}", key.replace('_', "-")),
        "donor" if key == "anonymous donor" => "web-figures-donor-anonymous".into(),
        "donor" if key == "no donation batch" => "web-figures-donor-none".into(),
        _ => return key.to_string(),
    };
    if i18n::has(lang, &candidate) {
        text(lang, &candidate)
    } else {
        key.to_string()
    }
}

/// The charts of a figure: one per dimension of its breakdown, largest first.
fn charts(lang: Lang, group: &str, f: &Figure, name: &str) -> Vec<Chart> {
    let mut dims: Vec<&str> = Vec::new();
    for p in &f.parts {
        if !dims.contains(&p.by.as_str()) {
            dims.push(&p.by);
        }
    }
    dims.into_iter()
        .map(|by| {
            let mut parts: Vec<(String, f64)> = f
                .parts
                .iter()
                .filter(|p| p.by == by)
                .map(|p| (part_name(lang, by, &p.key), p.value.0))
                .collect();
            parts.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let max = parts.iter().map(|p| p.1).fold(0.0f64, f64::max);
            let rows: Vec<(String, String)> = parts
                .iter()
                .map(|(k, v)| (k.clone(), amount(lang, &f.unit, *v)))
                .collect();
            let bars: Vec<Bar> = rows
                .iter()
                .zip(parts.iter())
                .take(CHART_ROWS)
                .enumerate()
                .map(|(i, ((label, value), (_, v)))| {
                    let top = i as u32 * ROW_H;
                    let w = if max > 0.0 {
                        (v / max * (CHART_W - VALUE_W)).max(1.0)
                    } else {
                        1.0
                    };
                    Bar {
                        label: label.clone(),
                        value: value.clone(),
                        label_y: top + 12,
                        bar_y: top + 16,
                        width: format!("{w:.1}"),
                        value_x: format!("{:.1}", w + 4.0),
                        value_y: top + 28,
                    }
                })
                .collect();
            Chart {
                id: format!("chart-{group}-{}-{by}", f.name),
                caption: crate::web::frame::texts(
                    lang,
                    "web-figures-per",
                    &[
                        ("name", name),
                        (
                            "by",
                            &text(lang, &format!("web-figures-by-{}", by.replace('_', "-"))),
                        ),
                    ],
                ),
                height: bars.len() as u32 * ROW_H + 4,
                bars,
                rows,
            }
        })
        .collect()
}

fn groups(lang: Lang, figures: &Figures) -> Vec<GroupView> {
    figures
        .groups
        .iter()
        .map(|g| GroupView {
            id: format!("group-{}", g.name),
            title: text(lang, &format!("web-figures-group-{}", g.name)),
            figures: g
                .figures
                .iter()
                .map(|f| {
                    let name = text(lang, &format!("web-figures-{}", f.name.replace('_', "-")));
                    FigureView {
                        total: f.value.map(|v| amount(lang, &f.unit, v.0)),
                        charts: charts(lang, &g.name, f, &name),
                        name,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The years offered in the period's list: this one and the five before.
fn years(chosen: Option<i32>) -> Vec<(String, bool)> {
    let this = crate::db::today().year();
    (this - 5..=this)
        .rev()
        .map(|y| (y.to_string(), chosen == Some(y)))
        .collect()
}

fn empty_page(frame: Frame, q: &ReportsQuery) -> ReportsPage {
    ReportsPage {
        frame,
        years: years(typed(&q.year).parse().ok()),
        year: typed(&q.year),
        from: typed(&q.from),
        to: typed(&q.to),
        period: String::new(),
        frozen: false,
        can_freeze: false,
        groups: Vec::new(),
        downloads: Vec::new(),
        method: None,
    }
}

#[get("/reports")]
pub async fn reports_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    q: web::Query<ReportsQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = viewer.lang;
    let mut frame = Frame::signed_in(&viewer, "/reports", "web-figures-title");
    if q.frozen.is_some() {
        frame = frame
            .clone()
            .with_notice(frame.t("web-figures-frozen-done"));
    }
    let query = match q.figures_query(lang) {
        Ok(query) => query,
        Err(errors) => {
            let page = empty_page(frame.with_errors(errors), &q);
            return render_status(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let figures = match load(viewer.caller.clone(), &state, &query).await {
        Ok((figures, _)) => figures,
        Err(e @ AppError::Validation { .. }) => {
            let status = actix_web::ResponseError::status_code(&e);
            let page = empty_page(frame.with_errors(period_errors(&e, lang)), &q);
            return render_status(status, &page);
        }
        Err(e) => return Err(PageError::in_frame(e, &frame)),
    };
    let period_query = q.period_query(&figures);
    let year = figures.period.as_year();
    let today = crate::db::today();
    let can_freeze = year.is_some()
        && !figures.frozen
        && figures.period.to < today
        && crate::auth::policy::allows(viewer.caller.role, Perm::FreezeFigures)
        && q.live.is_none();
    let method = figures.environment_method.as_ref().map(|m| {
        crate::web::frame::texts(
            lang,
            "web-figures-method",
            &[
                ("name", &m.name),
                ("version", &m.version),
                ("source", &m.source),
            ],
        )
    });
    let page = ReportsPage {
        years: years(year),
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        from: figures.period.from.to_string(),
        to: figures.period.to.to_string(),
        period: crate::web::frame::texts(
            lang,
            "web-figures-period",
            &[
                ("from", &figures.period.from.format("%d-%m-%Y").to_string()),
                ("to", &figures.period.to.format("%d-%m-%Y").to_string()),
            ],
        ),
        frozen: figures.frozen,
        can_freeze,
        groups: groups(lang, &figures),
        downloads: vec![
            (
                "web-figures-download-csv",
                format!("/reports/figures.csv?{period_query}"),
            ),
            (
                "web-figures-download-xlsx",
                format!("/reports/figures.xlsx?{period_query}"),
            ),
        ],
        method,
        frame,
    };
    render(&page)
}

async fn file(
    viewer: Viewer,
    state: web::Data<AppState>,
    q: web::Query<ReportsQuery>,
    format: FiguresFormat,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/reports", "web-figures-title");
    let query = q
        .figures_query(viewer.lang)
        .map_err(|_| PageError::in_frame(AppError::invalid("year", "is not a year"), &frame))?;
    download(viewer.caller.clone(), &state, &query, format)
        .await
        .in_frame(&frame)
}

/// The figures as a CSV file for a Belgian Excel.
#[get("/reports/figures.csv")]
pub async fn csv_file(
    viewer: Viewer,
    state: web::Data<AppState>,
    q: web::Query<ReportsQuery>,
) -> Result<HttpResponse, PageError> {
    file(viewer, state, q, FiguresFormat::Csv).await
}

/// The figures as an XLSX workbook.
#[get("/reports/figures.xlsx")]
pub async fn xlsx_file(
    viewer: Viewer,
    state: web::Data<AppState>,
    q: web::Query<ReportsQuery>,
) -> Result<HttpResponse, PageError> {
    file(viewer, state, q, FiguresFormat::Xlsx).await
}

#[derive(Debug, Deserialize)]
pub struct FreezeForm {
    pub year: String,
}

/// Freezes a closed year (coordinators): its figures are kept as they are now.
#[post("/reports/freeze")]
pub async fn freeze(
    state: web::Data<AppState>,
    posted: Posted<FreezeForm>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let frame = Frame::signed_in(&viewer, "/reports", "web-figures-title");
    let year: i32 = form
        .year
        .trim()
        .parse()
        .map_err(|_| PageError::in_frame(AppError::invalid("year", "is not a year"), &frame))?;
    let caller = viewer.caller.clone();
    state
        .db
        .write(move |conn| frozen::freeze(conn, &caller, year))
        .await
        .in_frame(&frame)?;
    Ok(see_other(&format!("/reports?year={year}&frozen=1")))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(reports_page)
        .service(csv_file)
        .service(xlsx_file)
        .service(freeze);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_each_language_writes_them() {
        assert_eq!(number(Lang::Nl, 1234567.0, 0), "1.234.567");
        assert_eq!(number(Lang::Nl, 1234.5, 2), "1.234,50");
        assert_eq!(number(Lang::En, 1234.5, 1), "1,234.5");
        assert_eq!(number(Lang::Fr, 999.0, 0), "999");
        assert_eq!(number(Lang::Fr, 1000.0, 0), "1\u{202f}000");
        assert_eq!(number(Lang::Nl, -12.0, 0), "-12");
        assert_eq!(number(Lang::Nl, 0.0, 0), "0");
    }
}
