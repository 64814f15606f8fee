//! Lending programmes (a Digibank project, a city's yearly action): the rules a loan is
//! signed under. A loan copies them when it is signed, so later changes never alter it.

use chrono::NaiveDate;
use diesel::prelude::*;
use validator::Validate;

use crate::auth::{Caller, Perm};
use crate::db::models::ProgrammeRow;
use crate::db::schema::programmes;
use crate::db::{now, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::ids::ProgrammeId;
use crate::domain::limits::{self, Window};
use crate::error::{AppError, AppResult};

/// The checkpoint interval when none is given: every 6 months.
pub const DEFAULT_INTERVAL_MONTHS: i32 = 6;
/// The agreed value (penalty or purchase price) per device when none is given: €200.
pub const DEFAULT_VALUE_CENTS: i64 = 20_000;

/// A programme to create.
#[derive(Debug, Clone, Validate)]
pub struct NewProgramme {
    #[validate(length(min = 1, max = 200, message = "is required (1 to 200 characters)"))]
    pub name: String,
    /// No loan of the programme runs past this date.
    pub end_date: NaiveDate,
    /// Months between two checkpoints (1 to 24, default 6).
    #[validate(range(min = 1, max = 24))]
    pub checkpoint_interval_months: Option<i32>,
    /// The agreed value per device in euro cents, owed if it is not returned (default 20000).
    #[validate(range(min = 0, max = 10_000_000))]
    pub value_cents: Option<i64>,
}

/// Fields of a programme that may change. Loans already signed keep their copy.
#[derive(Debug, Clone, Default, Validate)]
pub struct ProgrammePatch {
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    pub end_date: Option<NaiveDate>,
    #[validate(range(min = 1, max = 24))]
    pub checkpoint_interval_months: Option<i32>,
    #[validate(range(min = 0, max = 10_000_000))]
    pub value_cents: Option<i64>,
}

fn name_taken(conn: &mut DbConn, name: &str, except: Option<&str>) -> AppResult<bool> {
    let mut q = programmes::table
        .filter(programmes::name.eq(name))
        .select(programmes::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(programmes::id.ne(id));
    }
    Ok(q.first::<String>(conn).optional()?.is_some())
}

pub fn create(conn: &mut DbConn, caller: &Caller, p: NewProgramme) -> AppResult<ProgrammeRow> {
    caller.require(Perm::ManagePrograms)?;
    p.validate()?;
    limits::dates(&[("end_date", Some(p.end_date), Window::Plan)])?;
    let name = p.name.trim().to_string();
    if name_taken(conn, &name, None)? {
        return Err(AppError::conflict_with(
            format!("A programme named {name:?} already exists."),
            serde_json::json!({ "field": "name" }),
        ));
    }
    let at = now();
    let row = ProgrammeRow {
        id: new_id(),
        name,
        end_date: p.end_date,
        checkpoint_interval_months: p
            .checkpoint_interval_months
            .unwrap_or(DEFAULT_INTERVAL_MONTHS),
        value_cents: p.value_cents.unwrap_or(DEFAULT_VALUE_CENTS),
        created_by: caller.user_id.clone(),
        created_at: at,
        updated_at: at,
    };
    diesel::insert_into(programmes::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

fn not_found() -> AppError {
    AppError::not_found("The programme")
}

/// A programme, for a caller who reads loans.
pub fn get(conn: &mut DbConn, caller: &Caller, id: &ProgrammeId) -> AppResult<ProgrammeRow> {
    caller.require(Perm::ReadLoans)?;
    terms(conn, id)
}

/// A programme's terms, for the loan rules (the caller was authorised for the loan).
pub fn terms(conn: &mut DbConn, id: &ProgrammeId) -> AppResult<ProgrammeRow> {
    find(conn, id)?.ok_or_else(not_found)
}

/// A programme, if one has this id (the caller was authorised for what asks).
pub fn find(conn: &mut DbConn, id: &ProgrammeId) -> AppResult<Option<ProgrammeRow>> {
    Ok(programmes::table
        .find(id.as_str())
        .select(ProgrammeRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(conn: &mut DbConn, caller: &Caller) -> AppResult<Vec<ProgrammeRow>> {
    caller.require(Perm::ReadLoans)?;
    Ok(programmes::table
        .order((programmes::end_date.desc(), programmes::name.asc()))
        .select(ProgrammeRow::as_select())
        .load(conn)?)
}

pub fn update(
    conn: &mut DbConn,
    caller: &Caller,
    id: &ProgrammeId,
    patch: ProgrammePatch,
) -> AppResult<ProgrammeRow> {
    caller.require(Perm::ManagePrograms)?;
    patch.validate()?;
    limits::dates(&[("end_date", patch.end_date, Window::Plan)])?;
    let mut row: ProgrammeRow = crate::locked_first!(
        conn,
        programmes::table
            .find(id.as_str())
            .select(ProgrammeRow::as_select())
    )
    .optional()?
    .ok_or_else(not_found)?;
    if let Some(name) = patch.name {
        let name = name.trim().to_string();
        if name_taken(conn, &name, Some(id.as_str()))? {
            return Err(AppError::conflict_with(
                format!("A programme named {name:?} already exists."),
                serde_json::json!({ "field": "name" }),
            ));
        }
        row.name = name;
    }
    if let Some(v) = patch.end_date {
        row.end_date = v;
    }
    if let Some(v) = patch.checkpoint_interval_months {
        row.checkpoint_interval_months = v;
    }
    if let Some(v) = patch.value_cents {
        row.value_cents = v;
    }
    row.updated_at = now();
    diesel::update(programmes::table.find(id.as_str()))
        .set((
            programmes::name.eq(&row.name),
            programmes::end_date.eq(row.end_date),
            programmes::checkpoint_interval_months.eq(row.checkpoint_interval_months),
            programmes::value_cents.eq(row.value_cents),
            programmes::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(row)
}
