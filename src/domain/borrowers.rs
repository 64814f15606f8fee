//! Borrowers: the people a welfare office lends a device to. Only what a loan needs is kept
//! (no national register number); a borrower is visible to the staff of its office and to
//! coordinators and admins, and to nobody else (404).

use chrono::{Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Caller, Perm};
use crate::db::models::{BorrowerRow, OrganisationRow, UserRow};
use crate::db::schema::{
    borrowers, loan_charges, loan_checkpoints, loan_scans, loans, organisations, users,
};
use crate::db::{now, today, DbConn};
use crate::domain::accounts::{new_id, OrgKind, Role};
use crate::domain::limits::{self, Window};
use crate::domain::loans::{ChargeStatus, LoanStatus};
use crate::error::{AppError, AppResult, FieldError};

crate::text_enum!(
    /// The language a borrower reads; their documents are printed in it.
    Language {
        Nl => "nl",
        Fr => "fr",
        En => "en",
    }
);

/// The youngest age at which a person may borrow.
pub const MIN_AGE_YEARS: u32 = 18;

/// What is put in place of a person's data when they are anonymised.
pub const ANONYMOUS_NAME: &str = "Anonymised borrower";
pub fn anonymous_birth_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default()
}

/// A borrower to register.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBorrower {
    /// The welfare office; defaults to the caller's own (a social worker may give only theirs).
    pub organisation_id: Option<uuid::Uuid>,
    #[validate(length(min = 1, max = 200, message = "is required (1 to 200 characters)"))]
    pub name: String,
    /// Must make the person 18 or older today (Brussels time).
    pub date_of_birth: NaiveDate,
    pub language: Language,
    #[validate(length(min = 3, max = 40))]
    pub phone: Option<String>,
    #[validate(email)]
    pub email: Option<String>,
    #[validate(length(min = 1, max = 400))]
    pub address: Option<String>,
    /// The responsible social worker, a user of the same office; defaults to the caller.
    pub social_worker_id: Option<uuid::Uuid>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Fields of a borrower that may change.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BorrowerPatch {
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub language: Option<Language>,
    #[validate(length(min = 3, max = 40))]
    pub phone: Option<String>,
    #[validate(email)]
    pub email: Option<String>,
    #[validate(length(min = 1, max = 400))]
    pub address: Option<String>,
    pub social_worker_id: Option<uuid::Uuid>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// A search by name (sent in a body, never in a URL, so that names stay out of logs).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BorrowerSearch {
    /// Part of the name (case- and whitespace-insensitive).
    #[validate(length(min = 2, max = 200))]
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// Only this office (coordinators and admins; social workers always search their own).
    pub organisation_id: Option<uuid::Uuid>,
}

/// A hint that does not block the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Warning {
    /// `possible_duplicate`.
    pub code: String,
    pub borrower_id: uuid::Uuid,
    pub message: String,
}

/// The key under which names are compared: lower case, whitespace collapsed.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn clean_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn not_found() -> AppError {
    AppError::not_found("The borrower")
}

/// Whether the caller may see records of this office.
pub fn office_visible(caller: &Caller, organisation_id: &str) -> bool {
    caller.sees_everything() || caller.organisation_id == organisation_id
}

fn check_age(dob: NaiveDate, errors: &mut Vec<FieldError>) {
    if let Err(AppError::Validation { errors: e, .. }) =
        limits::dates(&[("date_of_birth", Some(dob), Window::Birth)])
    {
        return errors.extend(e);
    }
    let today = today();
    let adult_on = dob.checked_add_months(Months::new(MIN_AGE_YEARS * 12));
    if dob > today {
        errors.push(FieldError::new("date_of_birth", "lies in the future"));
    } else if adult_on.is_none_or(|d| d > today) {
        errors.push(FieldError::new(
            "date_of_birth",
            format!("the borrower must be {MIN_AGE_YEARS} or older today"),
        ));
    }
}

fn check_social_worker(
    conn: &mut DbConn,
    id: &uuid::Uuid,
    organisation_id: &str,
    errors: &mut Vec<FieldError>,
) -> AppResult<()> {
    let user: Option<UserRow> = users::table
        .find(id.to_string())
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    match user {
        Some(u) if u.organisation_id == organisation_id && u.active => {
            if u.role != Role::SocialWorker && u.role != Role::Admin {
                errors.push(FieldError::new(
                    "social_worker_id",
                    "this user is not a social worker",
                ));
            }
        }
        _ => errors.push(FieldError::new(
            "social_worker_id",
            "no active user of the borrower's office has this id",
        )),
    }
    Ok(())
}

/// Other borrowers of the office with the same name and date of birth.
fn duplicates(
    conn: &mut DbConn,
    organisation_id: &str,
    key: &str,
    dob: NaiveDate,
    except: &str,
) -> AppResult<Vec<Warning>> {
    let ids: Vec<String> = borrowers::table
        .filter(borrowers::organisation_id.eq(organisation_id))
        .filter(borrowers::name_key.eq(key))
        .filter(borrowers::date_of_birth.eq(dob))
        .filter(borrowers::id.ne(except))
        .filter(borrowers::anonymised_at.is_null())
        .select(borrowers::id)
        .order(borrowers::created_at.asc())
        .load(conn)?;
    Ok(ids
        .into_iter()
        .map(|id| Warning {
            code: "possible_duplicate".into(),
            borrower_id: uuid::Uuid::parse_str(&id).unwrap_or_default(),
            message: "Another borrower of this office has the same name and date of birth.".into(),
        })
        .collect())
}

fn office(conn: &mut DbConn, id: &str) -> AppResult<Option<OrganisationRow>> {
    Ok(organisations::table
        .find(id)
        .select(OrganisationRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn create(
    conn: &mut DbConn,
    caller: &Caller,
    b: NewBorrower,
) -> AppResult<(BorrowerRow, Vec<Warning>)> {
    caller.require(Perm::ManageLoans)?;
    let mut errors = match b.validate() {
        Ok(()) => Vec::new(),
        Err(e) => crate::error::flatten_validation("", &e),
    };
    let organisation_id = match b.organisation_id {
        Some(id) => id.to_string(),
        None => caller.organisation_id.clone(),
    };
    if !office_visible(caller, &organisation_id) {
        errors.push(FieldError::new(
            "organisation_id",
            "you may register borrowers only for your own office",
        ));
    } else {
        match office(conn, &organisation_id)? {
            Some(o) if o.kind == OrgKind::WelfareOffice => {}
            Some(_) => errors.push(FieldError::new(
                "organisation_id",
                "borrowers belong to a welfare office",
            )),
            None => errors.push(FieldError::new(
                "organisation_id",
                "no organisation has this id",
            )),
        }
    }
    check_age(b.date_of_birth, &mut errors);
    let social_worker = match b.social_worker_id {
        Some(id) => id,
        None if caller.role == Role::SocialWorker => {
            uuid::Uuid::parse_str(&caller.user_id).map_err(AppError::internal)?
        }
        None => {
            errors.push(FieldError::new(
                "social_worker_id",
                "is required when an admin registers a borrower",
            ));
            uuid::Uuid::nil()
        }
    };
    if !social_worker.is_nil() {
        check_social_worker(conn, &social_worker, &organisation_id, &mut errors)?;
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.field.cmp(&b.field));
        return Err(AppError::invalid_fields(errors));
    }
    let at = now();
    let name = clean_name(&b.name);
    let row = BorrowerRow {
        id: new_id(),
        organisation_id,
        name_key: name_key(&name),
        name,
        date_of_birth: b.date_of_birth,
        language: b.language,
        phone: b.phone.map(|s| s.trim().to_string()),
        email: b.email.map(|s| s.trim().to_string()),
        address: b.address.map(|s| s.trim().to_string()),
        social_worker_id: social_worker.to_string(),
        note: b.note,
        anonymised_at: None,
        created_by: caller.user_id.clone(),
        created_at: at,
        updated_at: at,
    };
    let warnings = duplicates(
        conn,
        &row.organisation_id,
        &row.name_key,
        row.date_of_birth,
        &row.id,
    )?;
    diesel::insert_into(borrowers::table)
        .values(&row)
        .execute(conn)?;
    Ok((row, warnings))
}

/// A borrower the caller may see.
pub fn get(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<BorrowerRow> {
    caller.require(Perm::ReadLoans)?;
    let row: BorrowerRow = borrowers::table
        .find(id)
        .select(BorrowerRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(not_found)?;
    if office_visible(caller, &row.organisation_id) {
        Ok(row)
    } else {
        Err(not_found())
    }
}

/// Locks a borrower for a change, within the caller's scope.
pub fn lock(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<BorrowerRow> {
    let row: BorrowerRow = crate::locked_first!(
        conn,
        borrowers::table.find(id).select(BorrowerRow::as_select())
    )
    .optional()?
    .ok_or_else(not_found)?;
    if office_visible(caller, &row.organisation_id) {
        Ok(row)
    } else {
        Err(not_found())
    }
}

pub fn update(
    conn: &mut DbConn,
    caller: &Caller,
    id: &str,
    patch: BorrowerPatch,
) -> AppResult<(BorrowerRow, Vec<Warning>)> {
    caller.require(Perm::ManageLoans)?;
    let mut row = lock(conn, caller, id)?;
    if row.anonymised_at.is_some() {
        return Err(AppError::conflict(
            "This borrower was anonymised; their data can no longer be changed.",
        ));
    }
    let mut errors = match patch.validate() {
        Ok(()) => Vec::new(),
        Err(e) => crate::error::flatten_validation("", &e),
    };
    if let Some(dob) = patch.date_of_birth {
        check_age(dob, &mut errors);
        row.date_of_birth = dob;
    }
    if let Some(sw) = patch.social_worker_id {
        check_social_worker(conn, &sw, &row.organisation_id, &mut errors)?;
        row.social_worker_id = sw.to_string();
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    if let Some(name) = patch.name {
        row.name = clean_name(&name);
        row.name_key = name_key(&row.name);
    }
    if let Some(v) = patch.language {
        row.language = v;
    }
    if let Some(v) = patch.phone {
        row.phone = Some(v.trim().to_string());
    }
    if let Some(v) = patch.email {
        row.email = Some(v.trim().to_string());
    }
    if let Some(v) = patch.address {
        row.address = Some(v.trim().to_string());
    }
    if let Some(v) = patch.note {
        row.note = Some(v);
    }
    row.updated_at = now();
    diesel::update(borrowers::table.find(id))
        .set((
            borrowers::name.eq(&row.name),
            borrowers::name_key.eq(&row.name_key),
            borrowers::date_of_birth.eq(row.date_of_birth),
            borrowers::language.eq(row.language),
            borrowers::phone.eq(&row.phone),
            borrowers::email.eq(&row.email),
            borrowers::address.eq(&row.address),
            borrowers::social_worker_id.eq(&row.social_worker_id),
            borrowers::note.eq(&row.note),
            borrowers::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    let warnings = duplicates(
        conn,
        &row.organisation_id,
        &row.name_key,
        row.date_of_birth,
        &row.id,
    )?;
    Ok((row, warnings))
}

/// The office a list is restricted to: a social worker's own, or the one a coordinator asks.
fn list_office(caller: &Caller, asked: Option<uuid::Uuid>) -> Option<String> {
    if caller.sees_everything() {
        asked.map(|u| u.to_string())
    } else {
        Some(caller.organisation_id.clone())
    }
}

/// A keyset position: (created_at, id) of the last row of a page.
pub type Keyset = (NaiveDateTime, String);

/// One page of borrowers (newest registration last), by office.
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    organisation_id: Option<uuid::Uuid>,
    limit: i64,
    after: Option<(NaiveDateTime, String)>,
) -> AppResult<(Vec<BorrowerRow>, Option<Keyset>)> {
    caller.require(Perm::ReadLoans)?;
    let mut q = borrowers::table
        .select(BorrowerRow::as_select())
        .order((borrowers::created_at.asc(), borrowers::id.asc()))
        .limit(limit + 1)
        .into_boxed();
    if let Some(org) = list_office(caller, organisation_id) {
        q = q.filter(borrowers::organisation_id.eq(org));
    }
    if let Some((at, id)) = after {
        q = q.filter(
            borrowers::created_at
                .gt(at)
                .or(borrowers::created_at.eq(at).and(borrowers::id.gt(id))),
        );
    }
    let mut rows = q.load(conn)?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| (r.created_at, r.id.clone()))
    } else {
        None
    };
    Ok((rows, next))
}

/// Borrowers whose name contains the search (at most 50), in the caller's scope.
pub fn search(
    conn: &mut DbConn,
    caller: &Caller,
    s: BorrowerSearch,
) -> AppResult<Vec<BorrowerRow>> {
    caller.require(Perm::ReadLoans)?;
    s.validate()?;
    let key = name_key(&s.name);
    let escaped = key
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let mut q = borrowers::table
        .select(BorrowerRow::as_select())
        .filter(
            borrowers::name_key
                .like(format!("%{escaped}%"))
                .escape('\\'),
        )
        .filter(borrowers::anonymised_at.is_null())
        .order((borrowers::name_key.asc(), borrowers::id.asc()))
        .limit(50)
        .into_boxed();
    if let Some(org) = list_office(caller, s.organisation_id) {
        q = q.filter(borrowers::organisation_id.eq(org));
    }
    if let Some(dob) = s.date_of_birth {
        q = q.filter(borrowers::date_of_birth.eq(dob));
    }
    Ok(q.load(conn)?)
}

/// GDPR art. 17: replaces the person's data with neutral values, keeping the loans (without
/// anything that identifies the person) for the funders' statistics. Refused while a loan is
/// open or a charge is unpaid: the open claim is an exception to erasure.
pub fn anonymise(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<BorrowerRow> {
    caller.require(Perm::ManagePersonalData)?;
    let mut row = lock(conn, caller, id)?;
    if row.anonymised_at.is_some() {
        return Ok(row);
    }
    let loan_ids: Vec<String> = loans::table
        .filter(loans::borrower_id.eq(id))
        .select(loans::id)
        .load(conn)?;
    let open: i64 = loans::table
        .filter(loans::borrower_id.eq(id))
        .filter(loans::status.ne(LoanStatus::Closed))
        .count()
        .get_result(conn)?;
    let unpaid: i64 = loan_charges::table
        .filter(loan_charges::loan_id.eq_any(&loan_ids))
        .filter(loan_charges::status.eq(ChargeStatus::Open))
        .count()
        .get_result(conn)?;
    if open > 0 || unpaid > 0 {
        return Err(AppError::conflict_with(
            "This borrower cannot be anonymised while a loan is open or a charge is unpaid (an open legal claim, GDPR art. 17(3)(e)). Close the loans and settle the charges first.",
            serde_json::json!({ "open_loans": open, "unpaid_charges": unpaid }),
        ));
    }
    let at = now();
    row.name = ANONYMOUS_NAME.into();
    row.name_key = String::new();
    row.date_of_birth = anonymous_birth_date();
    row.phone = None;
    row.email = None;
    row.address = None;
    row.note = None;
    row.anonymised_at = Some(at);
    row.updated_at = at;
    diesel::update(borrowers::table.find(id))
        .set((
            borrowers::name.eq(&row.name),
            borrowers::name_key.eq(&row.name_key),
            borrowers::date_of_birth.eq(row.date_of_birth),
            borrowers::phone.eq(None::<String>),
            borrowers::email.eq(None::<String>),
            borrowers::address.eq(None::<String>),
            borrowers::note.eq(None::<String>),
            borrowers::anonymised_at.eq(row.anonymised_at),
            borrowers::updated_at.eq(at),
        ))
        .execute(conn)?;
    // Free-text notes and the signed paper identify the person; the loans' facts stay.
    diesel::update(loan_checkpoints::table.filter(loan_checkpoints::loan_id.eq_any(&loan_ids)))
        .set(loan_checkpoints::note.eq(None::<String>))
        .execute(conn)?;
    diesel::update(loans::table.filter(loans::id.eq_any(&loan_ids)))
        .set(loans::signed_place.eq(None::<String>))
        .execute(conn)?;
    diesel::delete(loan_scans::table.filter(loan_scans::loan_id.eq_any(&loan_ids)))
        .execute(conn)?;
    Ok(row)
}
