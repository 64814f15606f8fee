//! Borrowers: the people a welfare office lends a device to. Only what a loan needs is kept
//! (no national register number); a borrower is visible to the staff of its office and to
//! coordinators and admins, and to nobody else (404).

use chrono::{Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use validator::Validate;

use crate::auth::{visibility, Caller, Perm};
use crate::db::models::{AnonymisationLogRow, BorrowerRow, OrganisationRow, UserRow};
use crate::db::schema::{
    borrowers, loan_charges, loan_checkpoints, loan_scans, loans, organisations, users,
};
use crate::db::{now, today, DbConn};
use crate::domain::accounts::{new_id, OrgKind};
use crate::domain::ids::{BorrowerId, OrganisationId, UserId};
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
#[derive(Debug, Clone, Validate)]
pub struct NewBorrower {
    /// The welfare office; defaults to the caller's own (a social worker may give only theirs).
    pub organisation_id: Option<OrganisationId>,
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
    pub social_worker_id: Option<UserId>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Fields of a borrower that may change.
#[derive(Debug, Clone, Default, Validate)]
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
    pub social_worker_id: Option<UserId>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// A search by name (sent in a body, never in a URL, so that names stay out of logs).
#[derive(Debug, Clone, Validate)]
pub struct BorrowerSearch {
    /// Part of the name (case- and whitespace-insensitive).
    #[validate(length(min = 2, max = 200))]
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// Only this office (coordinators and admins; social workers always search their own).
    pub organisation_id: Option<OrganisationId>,
}

/// A hint that does not block the request.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// `possible_duplicate`.
    pub code: String,
    pub borrower_id: BorrowerId,
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

/// Whether the caller may see records of this office (the rule: `auth::visibility`).
pub fn office_visible(caller: &Caller, organisation_id: &str) -> bool {
    visibility::loan_record(caller, organisation_id)
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
    id: &UserId,
    organisation_id: &str,
    errors: &mut Vec<FieldError>,
) -> AppResult<()> {
    let user: Option<UserRow> = users::table
        .find(id.as_str())
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    match user {
        Some(u) if u.organisation_id == organisation_id && u.active => {
            if !crate::auth::policy::allows(u.role, crate::auth::Perm::ManageLoans) {
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
            borrower_id: BorrowerId::from(id),
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
        Some(id) => id.into_string(),
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
    // A social worker registers their own borrowers; someone who works for every office (an
    // admin) names the responsible social worker.
    let social_worker = match b.social_worker_id {
        Some(id) => Some(id),
        None if !caller.sees_everything() => Some(UserId::from(caller.user_id.as_str())),
        None => {
            errors.push(FieldError::new(
                "social_worker_id",
                "is required when an admin registers a borrower",
            ));
            None
        }
    };
    if let Some(sw) = &social_worker {
        check_social_worker(conn, sw, &organisation_id, &mut errors)?;
    }
    let social_worker = social_worker.map(UserId::into_string).unwrap_or_default();
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
        social_worker_id: social_worker,
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
pub fn get(conn: &mut DbConn, caller: &Caller, id: &BorrowerId) -> AppResult<BorrowerRow> {
    caller.require(Perm::ReadLoans)?;
    let row: BorrowerRow = borrowers::table
        .find(id.as_str())
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
fn lock(conn: &mut DbConn, caller: &Caller, id: &BorrowerId) -> AppResult<BorrowerRow> {
    let row: BorrowerRow = crate::locked_first!(
        conn,
        borrowers::table
            .find(id.as_str())
            .select(BorrowerRow::as_select())
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
    id: &BorrowerId,
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
        row.social_worker_id = sw.into_string();
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
    diesel::update(borrowers::table.find(&row.id))
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

/// The office a list is restricted to: a social worker's own, or the one a coordinator asks
/// (the rule: `auth::visibility`).
fn list_office(caller: &Caller, asked: Option<&OrganisationId>) -> Option<String> {
    let asked = asked.and_then(|o| uuid::Uuid::parse_str(o.as_str()).ok());
    visibility::loan_list_office(caller, asked)
}

/// A keyset position: (created_at, id) of the last row of a page.
pub type Keyset = (NaiveDateTime, String);

/// One page of borrowers (newest registration last), by office.
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    organisation_id: Option<&OrganisationId>,
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
    if let Some(org) = list_office(caller, s.organisation_id.as_ref()) {
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
pub fn anonymise(conn: &mut DbConn, caller: &Caller, id: &BorrowerId) -> AppResult<BorrowerRow> {
    caller.require(Perm::ManagePersonalData)?;
    let row = lock(conn, caller, id)?;
    erase(conn, row, Some(&caller.user_id), "request")
}

/// Where the anonymisation came from, as written in the log.
pub const SOURCE_RETENTION_JOB: &str = "retention_job";

/// Clears everything that identifies the person: their record, and the free text tied to
/// their loans (checkpoint conditions and notes, return conditions, the reason a charge was
/// waived, the place of signing, the signed scan, and the texts kept beside the device
/// history: the condition at check-in and the note at a non-return). Writes one line to the
/// anonymisation log (no personal data in it).
fn erase(
    conn: &mut DbConn,
    mut row: BorrowerRow,
    actor: Option<&str>,
    source: &str,
) -> AppResult<BorrowerRow> {
    use crate::db::schema::{anonymisation_log, loan_devices};
    if row.anonymised_at.is_some() {
        return Ok(row);
    }
    let id = row.id.clone();
    let loan_ids: Vec<String> = loans::table
        .filter(loans::borrower_id.eq(&id))
        .select(loans::id)
        .load(conn)?;
    let open: i64 = loans::table
        .filter(loans::borrower_id.eq(&id))
        .filter(loans::status.eq_any([LoanStatus::Draft, LoanStatus::Active]))
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
    diesel::update(borrowers::table.find(&id))
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
    // Free text and the signed paper identify the person; the loans' facts stay.
    let mut cleared = 0;
    for chunk in loan_ids.chunks(500) {
        cleared += diesel::update(
            loan_checkpoints::table
                .filter(loan_checkpoints::loan_id.eq_any(chunk))
                .filter(
                    loan_checkpoints::note
                        .is_not_null()
                        .or(loan_checkpoints::condition.is_not_null()),
                ),
        )
        .set((
            loan_checkpoints::note.eq(None::<String>),
            loan_checkpoints::condition.eq(None::<String>),
        ))
        .execute(conn)?;
        cleared += diesel::update(
            loan_devices::table
                .filter(loan_devices::loan_id.eq_any(chunk))
                .filter(loan_devices::return_condition.is_not_null()),
        )
        .set(loan_devices::return_condition.eq(None::<String>))
        .execute(conn)?;
        cleared += diesel::update(
            loan_charges::table
                .filter(loan_charges::loan_id.eq_any(chunk))
                .filter(loan_charges::waived_reason.is_not_null()),
        )
        .set(loan_charges::waived_reason.eq(None::<String>))
        .execute(conn)?;
        cleared += diesel::update(
            loans::table
                .filter(loans::id.eq_any(chunk))
                .filter(loans::signed_place.is_not_null()),
        )
        .set(loans::signed_place.eq(None::<String>))
        .execute(conn)?;
        cleared += diesel::delete(loan_scans::table.filter(loan_scans::loan_id.eq_any(chunk)))
            .execute(conn)?;
        cleared += crate::domain::loans::signatures::erase(conn, chunk)?;
    }
    cleared += crate::domain::personal_notes::erase_for_loans(conn, &loan_ids)?;
    diesel::insert_into(anonymisation_log::table)
        .values(&AnonymisationLogRow {
            id: new_id(),
            borrower_id: id,
            at,
            actor_user_id: actor.map(str::to_string),
            source: source.to_string(),
            loans: i64::try_from(loan_ids.len()).map_err(AppError::internal)?,
            cleared_texts: i64::try_from(cleared).map_err(AppError::internal)?,
        })
        .execute(conn)?;
    Ok(row)
}

/// A person whose retention has passed: no loan open, nothing owed, and the last loan closed
/// (or, without loans, the record last changed) more than the retention period ago.
#[derive(Debug, Clone)]
pub struct DueForAnonymisation {
    pub borrower_id: BorrowerId,
    pub organisation_id: OrganisationId,
    /// When the last loan closed, or the record last changed if later or without loans.
    pub last_activity: NaiveDateTime,
}

/// Most people listed or anonymised at once.
pub const DUE_MAX: i64 = 500;

/// The people due for anonymisation on `at` with a retention of `retention_days`, oldest
/// activity first (at most [`DUE_MAX`]). No personal data is returned, only ids and dates.
pub fn due_for_anonymisation(
    conn: &mut DbConn,
    retention_days: i64,
    at: NaiveDateTime,
) -> AppResult<Vec<DueForAnonymisation>> {
    use diesel::dsl::{exists, not};
    let cutoff = at
        .checked_sub_signed(chrono::TimeDelta::try_days(retention_days).unwrap_or_default())
        .unwrap_or(at);
    let rows: Vec<(String, String, NaiveDateTime)> = borrowers::table
        .filter(borrowers::anonymised_at.is_null())
        .filter(borrowers::updated_at.lt(cutoff))
        .filter(not(exists(
            loans::table
                .filter(loans::borrower_id.eq(borrowers::id))
                .filter(
                    loans::status
                        .eq_any([LoanStatus::Draft, LoanStatus::Active])
                        .or(loans::closed_at.ge(cutoff))
                        .or(loans::closed_at.is_null()),
                ),
        )))
        .filter(not(exists(
            loan_charges::table
                .inner_join(loans::table)
                .filter(loans::borrower_id.eq(borrowers::id))
                .filter(loan_charges::status.eq(ChargeStatus::Open)),
        )))
        .select((
            borrowers::id,
            borrowers::organisation_id,
            borrowers::updated_at,
        ))
        .order((borrowers::updated_at.asc(), borrowers::id.asc()))
        .limit(DUE_MAX)
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, org, updated) in rows {
        let last_closed: Option<NaiveDateTime> = loans::table
            .filter(loans::borrower_id.eq(&id))
            .select(diesel::dsl::max(loans::closed_at))
            .first(conn)?;
        out.push(DueForAnonymisation {
            borrower_id: BorrowerId::from(id),
            organisation_id: OrganisationId::from(org),
            last_activity: last_closed.map_or(updated, |c| c.max(updated)),
        });
    }
    Ok(out)
}

/// The people due for anonymisation, for coordinators and admins.
pub fn due_list(
    conn: &mut DbConn,
    caller: &Caller,
    retention_days: i64,
) -> AppResult<Vec<DueForAnonymisation>> {
    caller.require(Perm::ManagePersonalData)?;
    due_for_anonymisation(conn, retention_days, now())
}

/// The retention job: anonymises everyone due (at most [`DUE_MAX`] per run) and logs each.
/// `actor` is the user who started it, or `None` when the CLI or a timer runs it. Returns the
/// ids anonymised. Run [`crate::db::Db::after_erasure`] after the transaction commits.
pub fn anonymise_due(
    conn: &mut DbConn,
    actor: Option<&str>,
    retention_days: i64,
) -> AppResult<Vec<BorrowerId>> {
    let due = due_for_anonymisation(conn, retention_days, now())?;
    let mut done = Vec::with_capacity(due.len());
    for d in due {
        let row: BorrowerRow = crate::locked_first!(
            conn,
            borrowers::table
                .find(d.borrower_id.as_str())
                .select(BorrowerRow::as_select())
        )?;
        erase(conn, row, actor, SOURCE_RETENTION_JOB)?;
        done.push(d.borrower_id);
    }
    Ok(done)
}

/// The job started through the API (coordinators and admins).
pub fn anonymise_due_by(
    conn: &mut DbConn,
    caller: &Caller,
    retention_days: i64,
) -> AppResult<Vec<BorrowerId>> {
    caller.require(Perm::ManagePersonalData)?;
    anonymise_due(conn, Some(&caller.user_id), retention_days)
}

/// Everything held on one person (GDPR art. 15): their record, their loans with all that is
/// attached, and the texts kept beside the device history for those loans.
pub struct Export {
    pub borrower: BorrowerRow,
    pub loans: Vec<crate::domain::loans::LoanDetail>,
    pub history_notes: Vec<crate::db::models::EventNoteRow>,
}

/// The subject-access export, for coordinators, admins and the social workers of the
/// person's own office (others: 404, roles that read no loans: 403).
pub fn export(conn: &mut DbConn, caller: &Caller, id: &BorrowerId) -> AppResult<Export> {
    caller.require(Perm::ReadLoans)?;
    let borrower = get(conn, caller, id)?;
    if !visibility::borrower_export(caller, &borrower.organisation_id) {
        return Err(AppError::Forbidden(format!(
            "The role {} may not export a person's data.",
            caller.role
        )));
    }
    let loans = crate::domain::loans::of_borrower(conn, id)?;
    let ids: Vec<String> = loans.iter().map(|l| l.loan.id.clone()).collect();
    let history_notes = crate::domain::personal_notes::of_loans(conn, &ids)?;
    Ok(Export {
        borrower,
        loans,
        history_notes,
    })
}
