//! Frozen years: the figures of a closed year stored as they were, with their CSV and XLSX
//! exports, so that exporting that year again gives the same bytes after later corrections.
//!
//! Freezing (coordinators and admins) stores one copy per scope: everything (`all`), the
//! lending staff's part (`lending`) and each office's people figures (`office:<id>`, for every
//! office with loans or social workers at that moment). A scope with no stored copy (an office
//! created later) gets live figures.

use chrono::Datelike;
use diesel::prelude::*;

use super::{compute, export, Figures, Period, Scope};
use crate::auth::{Caller, Perm};
use crate::db::DbConn;
use crate::domain::accounts::Role;
use crate::error::{AppError, AppResult};

diesel::table! {
    frozen_figures (year, scope) {
        year -> Integer,
        scope -> Text,
        figures -> Text,
        csv -> Binary,
        xlsx -> Binary,
        frozen_at -> Timestamp,
        frozen_by -> Text,
    }
}

/// One stored copy.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = frozen_figures)]
pub struct FrozenRow {
    pub year: i32,
    pub scope: String,
    pub figures: String,
    pub csv: Vec<u8>,
    pub xlsx: Vec<u8>,
    pub frozen_at: chrono::NaiveDateTime,
    pub frozen_by: String,
}

/// The stored copy of `year` for `scope`, if the year is frozen.
pub fn stored(conn: &mut DbConn, year: i32, scope: &Scope) -> AppResult<Option<FrozenRow>> {
    Ok(frozen_figures::table
        .filter(frozen_figures::year.eq(year))
        .filter(frozen_figures::scope.eq(scope.key()))
        .select(FrozenRow::as_select())
        .first(conn)
        .optional()?)
}

/// The offices whose people figures are stored: those with loans or social workers.
fn offices(conn: &mut DbConn) -> AppResult<Vec<String>> {
    use crate::db::schema::{loans, users};
    let mut ids: Vec<String> = loans::table
        .select(loans::organisation_id)
        .distinct()
        .load(conn)?;
    ids.extend(
        users::table
            .filter(users::role.eq(Role::SocialWorker))
            .select(users::organisation_id)
            .distinct()
            .load::<String>(conn)?,
    );
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// Freezes a closed year: 422 for a year not yet over, 409 when it is already frozen.
/// Returns the figures of the `all` scope as stored.
pub fn freeze(conn: &mut DbConn, caller: &Caller, year: i32) -> AppResult<FrozenRow> {
    caller.require(Perm::FreezeFigures)?;
    let today = crate::db::today();
    let period = Period::year(year)
        .filter(|p| p.from >= crate::domain::limits::EARLIEST)
        .ok_or_else(|| AppError::invalid("year", "must be a year from 2000 on"))?;
    if period.to >= today {
        return Err(AppError::invalid(
            "year",
            format!(
                "{year} is not over yet: only a closed year (before {}) can be frozen",
                today.year()
            ),
        ));
    }
    super::fold_tallies(conn)?;
    if stored(conn, year, &Scope::All)?.is_some() {
        return Err(AppError::conflict(format!(
            "The figures of {year} are already frozen; ask with live=true for the live figures."
        )));
    }
    let at = crate::db::now();
    let mut scopes = vec![Scope::All, Scope::Lending];
    scopes.extend(offices(conn)?.into_iter().map(Scope::Office));
    let mut rows = Vec::with_capacity(scopes.len());
    for scope in scopes {
        let mut figures = compute(conn, &scope, period)?;
        figures.frozen = true;
        figures.generated_at = at.and_utc();
        rows.push(FrozenRow {
            year,
            scope: scope.key(),
            figures: serde_json::to_string(&figures).map_err(AppError::internal)?,
            csv: export::csv(&figures)?,
            xlsx: export::xlsx(&figures)?,
            frozen_at: at,
            frozen_by: caller.user_id.clone(),
        });
    }
    for row in &rows {
        diesel::insert_into(frozen_figures::table)
            .values(row)
            .execute(conn)?;
    }
    rows.into_iter()
        .next()
        .ok_or_else(|| AppError::internal("no scope was frozen"))
}

/// The figures of a stored copy.
pub fn figures_of(row: &FrozenRow) -> AppResult<Figures> {
    serde_json::from_str(&row.figures).map_err(AppError::internal)
}
