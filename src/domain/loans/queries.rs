//! Reading loans: one loan, the list, what the agreement prints, and a borrower's loans (for
//! the subject-access export).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{detail, not_found, LoanDetail, LoanStatus};
use crate::auth::{visibility, Caller, Perm};
use crate::db::models::{BorrowerRow, LoanRow, OrganisationRow};
use crate::db::schema::{borrowers, loans, organisations, users};
use crate::db::DbConn;
use crate::domain::borrowers::{office_visible, Keyset};
use crate::domain::ids::{BorrowerId, LoanId, OrganisationId};
use crate::error::AppResult;

/// A loan the caller may see.
pub fn get(conn: &mut DbConn, caller: &Caller, id: &LoanId) -> AppResult<LoanRow> {
    caller.require(Perm::ReadLoans)?;
    let row: LoanRow = loans::table
        .find(id.as_str())
        .select(LoanRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(not_found)?;
    if office_visible(caller, &row.organisation_id) {
        Ok(row)
    } else {
        Err(not_found())
    }
}

/// A loan the caller may see, with everything attached to it.
pub fn get_detail(conn: &mut DbConn, caller: &Caller, id: &LoanId) -> AppResult<LoanDetail> {
    let loan = get(conn, caller, id)?;
    detail(conn, loan)
}

/// The office a list of loan records is restricted to (the rule: `auth::visibility`).
pub(super) fn office_scope(caller: &Caller, asked: Option<&OrganisationId>) -> Option<String> {
    let asked = asked.and_then(|o| uuid::Uuid::parse_str(o.as_str()).ok());
    visibility::loan_list_office(caller, asked)
}

/// Filters of the loan list.
#[derive(Debug, Default, Clone)]
pub struct LoanFilter {
    /// Only this office (coordinators and admins; social workers always see their own).
    pub organisation_id: Option<OrganisationId>,
    pub borrower_id: Option<BorrowerId>,
    pub status: Option<LoanStatus>,
}

/// One page of loans with their details, oldest first, and where the next page starts.
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    f: &LoanFilter,
    limit: i64,
    after: Option<Keyset>,
) -> AppResult<(Vec<LoanDetail>, Option<Keyset>)> {
    caller.require(Perm::ReadLoans)?;
    let mut q = loans::table
        .select(LoanRow::as_select())
        .order((loans::created_at.asc(), loans::id.asc()))
        .limit(limit + 1)
        .into_boxed();
    if let Some(org) = office_scope(caller, f.organisation_id.as_ref()) {
        q = q.filter(loans::organisation_id.eq(org));
    }
    if let Some(b) = &f.borrower_id {
        q = q.filter(loans::borrower_id.eq(b.as_str().to_string()));
    }
    if let Some(s) = f.status {
        q = q.filter(loans::status.eq(s));
    }
    if let Some((at, id)) = after {
        q = q.filter(
            loans::created_at
                .gt(at)
                .or(loans::created_at.eq(at).and(loans::id.gt(id))),
        );
    }
    let mut rows: Vec<LoanRow> = q.load(conn)?;
    let next: Option<(NaiveDateTime, String)> = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| (r.created_at, r.id.clone()))
    } else {
        None
    };
    let details = rows
        .into_iter()
        .map(|l| detail(conn, l))
        .collect::<AppResult<Vec<_>>>()?;
    Ok((details, next))
}

/// What the agreement needs beyond the loan itself.
pub struct AgreementFacts {
    pub detail: LoanDetail,
    pub borrower: BorrowerRow,
    pub office: OrganisationRow,
    pub social_worker_name: String,
}

/// The facts of a loan's agreement, for a caller who may read the loan. (Takes the id as text
/// for `documents::facts`; [`agreement_facts_of`] takes the typed id.)
pub fn agreement_facts(conn: &mut DbConn, caller: &Caller, id: &str) -> AppResult<AgreementFacts> {
    agreement_facts_of(conn, caller, &LoanId::from(id))
}

/// The facts of a loan's agreement, for a caller who may read the loan.
pub fn agreement_facts_of(
    conn: &mut DbConn,
    caller: &Caller,
    id: &LoanId,
) -> AppResult<AgreementFacts> {
    let detail = get_detail(conn, caller, id)?;
    let borrower: BorrowerRow = borrowers::table
        .find(&detail.loan.borrower_id)
        .select(BorrowerRow::as_select())
        .first(conn)?;
    let office: OrganisationRow = organisations::table
        .find(&detail.loan.organisation_id)
        .select(OrganisationRow::as_select())
        .first(conn)?;
    let social_worker_name: String = users::table
        .find(&detail.loan.social_worker_id)
        .select(users::name)
        .first(conn)?;
    Ok(AgreementFacts {
        detail,
        borrower,
        office,
        social_worker_name,
    })
}

/// Every loan of a borrower with what is attached (for the GDPR export; the caller was
/// authorised for the borrower).
pub fn of_borrower(conn: &mut DbConn, borrower_id: &BorrowerId) -> AppResult<Vec<LoanDetail>> {
    let rows: Vec<LoanRow> = loans::table
        .filter(loans::borrower_id.eq(borrower_id.as_str()))
        .order((loans::created_at.asc(), loans::id.asc()))
        .select(LoanRow::as_select())
        .load(conn)?;
    rows.into_iter().map(|l| detail(conn, l)).collect()
}
