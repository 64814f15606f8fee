//! Figures for coordinators and funders: what a period achieved, counted from the records.
//!
//! Every number is an aggregate computed in SQL over the device history (`device_events`) and
//! the loan and booking tables (`queries`); what each one counts is written once, in
//! [`DEFINITIONS`], which the API serves with every figure and the README repeats. The
//! environmental effect of reuse uses a named, versioned method (`environment`). Exports as
//! CSV and XLSX are pure functions of the figures (`export`), and a closed year can be frozen:
//! its figures and their exports are stored and served unchanged afterwards (`frozen`).
//!
//! No figure identifies a person: only counts and sums leave this module, broken down by
//! programme, office, organisation kind, device kind and the like, never by borrower.

pub mod environment;
pub mod export;
pub mod frozen;
mod queries;

pub use queries::fold_tallies;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::domain::limits::{self, Window};
use crate::error::{AppError, AppResult, FieldError};

/// Which part of the figures a caller may see: the rule is in [`crate::auth::visibility`]
/// (also in the README).
pub use crate::auth::visibility::FigureScope as Scope;

impl Scope {
    /// The key under which frozen figures of this scope are stored.
    pub fn key(&self) -> String {
        match self {
            Scope::All => "all".into(),
            Scope::Lending => "lending".into(),
            Scope::Office(id) => format!("office:{id}"),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::Lending => "lending",
            Scope::Office(_) => "office",
        }
    }
}

/// A period of whole days in Brussels, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn year(year: i32) -> Option<Period> {
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }

    /// The calendar year this period is, if it is exactly one.
    pub fn as_year(&self) -> Option<i32> {
        (Period::year(self.from.year()) == Some(*self)).then_some(self.from.year())
    }

    /// The period asked for: `year`, or `from` and `to` (either may be left out: the
    /// calendar year of the other, or of today, fills in); the current year by default.
    pub fn from_query(
        year: Option<i32>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> AppResult<Period> {
        let today = crate::db::today();
        let (first, last) = Window::Filter.bounds();
        if let Some(y) = year {
            if from.is_some() || to.is_some() {
                return Err(AppError::invalid(
                    "year",
                    "give either year or from and to, not both",
                ));
            }
            return Period::year(y)
                .filter(|p| p.from >= first && p.to <= last)
                .ok_or_else(|| {
                    AppError::invalid(
                        "year",
                        format!(
                            "must be a year from {} to {}",
                            first.year(),
                            last.year() - 1
                        ),
                    )
                });
        }
        limits::dates(&[("from", from, Window::Filter), ("to", to, Window::Filter)])?;
        let base = from.or(to).unwrap_or(today).year();
        let period = Period {
            from: from.unwrap_or_else(|| Period::year(base).map_or(first, |p| p.from)),
            to: to.unwrap_or_else(|| Period::year(base).map_or(last, |p| p.to).min(last)),
        };
        if period.from > period.to {
            return Err(AppError::invalid_fields(vec![FieldError::new(
                "to",
                "must not be before from",
            )]));
        }
        Ok(period)
    }

    /// The first moment of the period and the first moment after it, in UTC.
    fn moments(&self) -> (NaiveDateTime, NaiveDateTime) {
        let start = |d: NaiveDate| {
            let local = d.and_time(chrono::NaiveTime::MIN);
            chrono_tz::Europe::Brussels
                .from_local_datetime(&local)
                .earliest()
                .map(|t| t.naive_utc())
                .unwrap_or(local)
        };
        let after = self.to.succ_opt().unwrap_or(self.to);
        (start(self.from), start(after))
    }
}

/// A number: whole counts are written without decimals.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 9.0e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

/// One line of a breakdown: the part of a figure for one programme, office, kind, ...
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Part {
    /// The dimension: `kind`, `donor`, `category`, `grade`, `status`, `programme`, `office`,
    /// `organisation_kind`, `stage`.
    pub by: String,
    /// The programme's or organisation's name, the kind, status, grade, ...
    pub key: String,
    #[schema(value_type = f64)]
    pub value: Num,
}

/// One figure, its total and its breakdowns.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Figure {
    pub name: String,
    /// `devices`, `people`, `records`, `loans`, `checkpoints`, `euro`, `bookings`,
    /// `organisations`, `share`, `days`, `kg_co2e`, `kg`, `wipe_records`, `refurbishments`.
    pub unit: String,
    /// The overall value; absent where a total means nothing (a median over stages).
    #[schema(value_type = Option<f64>)]
    pub value: Option<Num>,
    /// What is counted.
    pub description: String,
    pub parts: Vec<Part>,
}

/// A group of figures (one sheet of the workbook).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Group {
    /// `devices`, `people`, `bookings`, `workshop`, `environment`.
    pub name: String,
    pub figures: Vec<Figure>,
}

/// The figures of a period, as far as the caller may see them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Figures {
    pub period: Period,
    /// `all` (admins, coordinators), `lending` (lending staff: devices, bookings, workshop,
    /// environment) or `office` (social workers: the people group of their office).
    pub scope: String,
    /// The office of an `office` scope.
    pub office_id: Option<String>,
    pub generated_at: DateTime<Utc>,
    /// True when these are the figures stored when the year was frozen.
    pub frozen: bool,
    pub groups: Vec<Group>,
    /// The method of the environment group (absent when that group is not in scope).
    pub environment_method: Option<environment::Method>,
}

impl Figures {
    /// A figure by group and name.
    pub fn figure(&self, group: &str, name: &str) -> Option<&Figure> {
        self.groups
            .iter()
            .find(|g| g.name == group)?
            .figures
            .iter()
            .find(|f| f.name == name)
    }
}

/// What each figure counts: (group, figure, unit, definition). The one text of the
/// definitions; the README section "Figures" repeats it.
pub const DEFINITIONS: &[(&str, &str, &str, &str)] = &[
    ("devices", "registered", "devices", "Devices registered in the period (their registration event), per donor of their donation batch ('no donation batch' when registered alone; 'anonymous donor' when the donor asked for it) and per kind."),
    ("devices", "wiped", "devices", "Times a device became wiped (lifecycle action wipe) in the period, per kind."),
    ("devices", "media_wiped", "wipe_records", "Passed wipe records (one per drive or built-in storage, pool resets included) whose wipe ended in the period, per NIST SP 800-88 category and per kind."),
    ("devices", "refurbished", "refurbishments", "Passing refurbishment records made in the period, per cosmetic grade and per kind."),
    ("devices", "released", "devices", "Times a device was certified ready (action release) in the period, per kind."),
    ("devices", "lent", "devices", "Times a device was handed to a person under a signed loan (action lend) in the period, per kind."),
    ("devices", "booked_out", "devices", "Times a device went out on a booking (action book_out) in the period, per kind."),
    ("devices", "returned", "devices", "Times a device came back from a loan or a booking (action check_in) in the period, per kind."),
    ("devices", "lost", "devices", "Times a device was written off as lost (action mark_lost) in the period, per kind."),
    ("devices", "sold", "devices", "Devices bought by their borrower (action sell) in the period, per kind."),
    ("devices", "retired", "devices", "Devices retired for recycling (action retire) in the period, per kind."),
    ("devices", "found", "devices", "Lost devices that turned up again (action found) in the period, per kind."),
    ("devices", "stock_at_end", "devices", "Devices registered by the end of the period, per status they had at that moment (read from the history) and per kind."),
    ("people", "people_reached", "people", "Unique people with a loan agreement signed in the period: a person with several loans counts once, and borrower records of one office with the same name and date of birth (the borrowers module's possible duplicates) count as one person. Per programme and per office a person counts once in each."),
    ("people", "borrower_records", "records", "Borrower records with a loan signed in the period, before possible duplicates are merged."),
    ("people", "possible_duplicates", "records", "Borrower records counted in borrower_records but merged into another one of the same office, name and date of birth (flagged, not counted twice)."),
    ("people", "loans_signed", "loans", "Loan agreements signed in the period (signing date), per programme and per office."),
    ("people", "devices_lent", "devices", "Devices of the loans signed in the period that went out (cancelled or pending lines left out), per kind, programme and office."),
    ("people", "loans_active_at_end", "loans", "Loans signed on or before the last day of the period and not closed before its end."),
    ("people", "checkpoints_on_time", "checkpoints", "Checkpoints held in the period on or before their due date."),
    ("people", "checkpoints_late", "checkpoints", "Checkpoints held in the period after their due date."),
    ("people", "charges_raised_eur", "euro", "Charges (agreed value of a device not returned, purchases) raised in the period, in euro."),
    ("people", "charges_paid_eur", "euro", "Payments received in the period (payment date), in euro."),
    ("people", "charges_waived_eur", "euro", "Charges waived in the period (their last change), in euro."),
    ("bookings", "requested", "bookings", "Bookings asked for in the period (their creation), per organisation kind."),
    ("bookings", "confirmed", "bookings", "Bookings confirmed (devices allocated) in the period, per organisation kind."),
    ("bookings", "refused", "bookings", "Bookings with a pick-up day in the period, now past, that the service never confirmed and nobody cancelled: requests it could not serve (a shortage at confirmation leaves a booking requested), per organisation kind."),
    ("bookings", "cancelled", "bookings", "Bookings cancelled in the period, per organisation kind."),
    ("bookings", "devices_booked_out", "devices", "Devices picked up for a booking in the period, per kind and per organisation kind."),
    ("bookings", "organisations_served", "organisations", "Organisations that picked up at least one device in the period, per organisation kind."),
    ("bookings", "quantity_requested", "devices", "Devices asked for on the lines of bookings with a pick-up day in the period, cancelled bookings left out, per kind and per organisation kind."),
    ("bookings", "quantity_served", "devices", "Devices picked up for those same bookings, per kind and per organisation kind."),
    ("bookings", "share_served", "share", "quantity_served divided by quantity_requested (1 = everything asked for went out), per kind and per organisation kind."),
    ("workshop", "stage_exits", "devices", "Times a device left a workshop stage in the period (received: waiting for the first step; wiped: waiting for refurbishment; refurbished: waiting for release; in_repair; returned: back, waiting to be checked), per stage."),
    ("workshop", "stage_days_median", "days", "Median time a device spent in the stage, over the exits of the period, in days, per stage."),
    ("workshop", "stage_days_p90", "days", "90th percentile (nearest rank) of the time spent in the stage, over the exits of the period, in days, per stage."),
    ("workshop", "wipes_failed", "wipe_records", "Failed wipe records whose wipe ended in the period, per NIST category and per kind."),
    ("workshop", "refurbishments_failed", "refurbishments", "Refurbishment records made in the period that did not pass, per kind."),
    ("environment", "devices_reused", "devices", "Devices put to reuse in the period: certified ready (release) for the first time in their life, per kind."),
    ("environment", "co2e_avoided_kg", "kg_co2e", "Greenhouse-gas emissions avoided by reusing these devices instead of buying new ones, kg CO2e, per kind, by the method named in environment_method; kinds without a factor are not estimated."),
    ("environment", "co2e_avoided_kg_low", "kg_co2e", "Low end of the method's uncertainty band, for the kinds that have a band."),
    ("environment", "co2e_avoided_kg_high", "kg_co2e", "High end of the method's uncertainty band, for the kinds that have a band."),
    ("environment", "ewaste_avoided_kg", "kg", "Electronic waste avoided: the typical weight of each reused device, kg, per kind."),
    ("environment", "devices_not_estimated", "devices", "Reused devices of a kind the method gives no factor for (robots, peripherals), per kind."),
];

/// Builds figures from aggregate rows: `(figure, by, key, value)`; `by` empty for totals.
#[derive(Default)]
struct Builder {
    figures: BTreeMap<String, (Option<f64>, Vec<Part>)>,
}

impl Builder {
    fn add(&mut self, figure: &str, by: &str, key: &str, value: f64) {
        let entry = self.figures.entry(figure.to_string()).or_default();
        if by.is_empty() {
            *entry.0.get_or_insert(0.0) += value;
        } else if let Some(p) = entry.1.iter_mut().find(|p| p.by == by && p.key == key) {
            p.value.0 += value;
        } else {
            entry.1.push(Part {
                by: by.to_string(),
                key: key.to_string(),
                value: Num(value),
            });
        }
    }

    /// The total of a figure as the sum of its parts along one dimension (for figures whose
    /// parts along `by` do not overlap).
    fn total_from(&mut self, figure: &str, by: &str) {
        let entry = self.figures.entry(figure.to_string()).or_default();
        let sum = entry
            .1
            .iter()
            .filter(|p| p.by == by)
            .map(|p| p.value.0)
            .sum();
        entry.0 = Some(sum);
    }

    fn value(&self, figure: &str) -> f64 {
        self.figures.get(figure).and_then(|f| f.0).unwrap_or(0.0)
    }

    fn parts(&self, figure: &str, by: &str) -> Vec<(String, f64)> {
        self.figures
            .get(figure)
            .map(|f| {
                f.1.iter()
                    .filter(|p| p.by == by)
                    .map(|p| (p.key.clone(), p.value.0))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The group's figures in the order of [`DEFINITIONS`]; every figure present, zero when
    /// nothing was counted (or absent value where `no_total`).
    fn group(mut self, group: &str, no_total: &[&str]) -> Group {
        let figures = DEFINITIONS
            .iter()
            .filter(|d| d.0 == group)
            .map(|(_, name, unit, description)| {
                let (value, mut parts) = self.figures.remove(*name).unwrap_or_default();
                parts.sort_by(|a, b| (&a.by, &a.key).cmp(&(&b.by, &b.key)));
                for p in &mut parts {
                    p.value = Num(round(p.value.0, unit));
                }
                let value = if no_total.contains(name) {
                    None
                } else {
                    Some(Num(round(value.unwrap_or(0.0), unit)))
                };
                Figure {
                    name: name.to_string(),
                    unit: unit.to_string(),
                    value,
                    description: description.to_string(),
                    parts,
                }
            })
            .collect();
        Group {
            name: group.to_string(),
            figures,
        }
    }
}

/// Rounds for display: euro to cents, days and kilograms to two decimals, shares to four.
fn round(v: f64, unit: &str) -> f64 {
    let scale = match unit {
        "share" => 10_000.0,
        _ => 100.0,
    };
    (v * scale).round() / scale
}

/// Computes the figures of `period` for `scope` (one consistent read; the caller runs it in a
/// transaction).
pub fn compute(conn: &mut DbConn, scope: &Scope, period: Period) -> AppResult<Figures> {
    let q = queries::Bounds::new(period, scope);
    let mut groups = Vec::new();
    if scope.inventory() {
        groups.push(queries::devices(conn, &q)?.group("devices", &[]));
    }
    if scope.people() {
        groups.push(queries::people(conn, &q)?.group("people", &[]));
    }
    let mut method = None;
    if scope.inventory() {
        groups.push(queries::bookings(conn, &q)?.group("bookings", &[]));
        groups.push(
            queries::workshop(conn, &q)?
                .group("workshop", &["stage_days_median", "stage_days_p90"]),
        );
        groups.push(environment::figures(queries::reused(conn, &q)?).group("environment", &[]));
        method = Some(environment::method());
    }
    Ok(Figures {
        period,
        scope: scope.name().into(),
        office_id: match scope {
            Scope::Office(id) => Some(id.clone()),
            _ => None,
        },
        generated_at: crate::db::now().and_utc(),
        frozen: false,
        groups,
        environment_method: method,
    })
}
