//! The return receipt signed on the screen: after devices come back (see `returns.rs`), the
//! person and the social worker sign the receipt exactly as they signed the agreement (the
//! marks and their rules are those of [`super::signatures`]). The receipt's PDF, in the
//! person's language, lists the devices, their condition and the accessories back, and is kept
//! with its SHA-256. One receipt covers every device returned and not yet on a receipt.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::Digest;

use super::signatures::{check_marks, marks_for_pdf, stored_marks, ScreenSigning};
use super::{list_json, lock, parse_list};
use crate::auth::{Caller, Perm};
use crate::db::models::LoanDeviceRow;
use crate::db::schema::{loan_devices, loan_return_receipts, users};
use crate::db::{now, DbConn};
use crate::documents::{facts, return_receipt_pdf};
use crate::domain::accounts::new_id;
use crate::domain::ids::LoanId;
use crate::error::{AppError, AppResult, FieldError};

/// A stored return receipt.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = loan_return_receipts)]
pub struct ReceiptRow {
    pub id: String,
    pub loan_id: String,
    /// The loan's devices it covers (a JSON list of loan-device ids).
    pub loan_device_ids: String,
    /// `drawn` or `typed`.
    pub borrower_kind: String,
    pub borrower_mark: String,
    pub social_worker_kind: String,
    pub social_worker_mark: String,
    pub attested_by: Option<String>,
    pub pdf: Vec<u8>,
    pub size_bytes: i64,
    pub sha256: String,
    pub signed_by: String,
    pub signed_at: NaiveDateTime,
}

/// The receipts of a loan, oldest first: (id, signed at, SHA-256), without the PDFs (the
/// caller was authorised for the loan).
pub fn of_loan(
    conn: &mut DbConn,
    loan_id: &str,
) -> AppResult<Vec<(String, NaiveDateTime, String)>> {
    Ok(loan_return_receipts::table
        .filter(loan_return_receipts::loan_id.eq(loan_id))
        .order((
            loan_return_receipts::signed_at.asc(),
            loan_return_receipts::id.asc(),
        ))
        .select((
            loan_return_receipts::id,
            loan_return_receipts::signed_at,
            loan_return_receipts::sha256,
        ))
        .load(conn)?)
}

/// The loan's devices that came back and are on no signed receipt yet (the caller was
/// authorised for the loan).
pub fn awaiting(conn: &mut DbConn, loan_id: &str) -> AppResult<Vec<String>> {
    let returned: Vec<LoanDeviceRow> = loan_devices::table
        .filter(loan_devices::loan_id.eq(loan_id))
        .filter(loan_devices::returned_on.is_not_null())
        .select(LoanDeviceRow::as_select())
        .load(conn)?;
    if returned.is_empty() {
        return Ok(Vec::new());
    }
    let covered: Vec<String> = loan_return_receipts::table
        .filter(loan_return_receipts::loan_id.eq(loan_id))
        .select(loan_return_receipts::loan_device_ids)
        .load(conn)?;
    let covered: Vec<String> = covered.iter().flat_map(|c| parse_list(c)).collect();
    let mut ids: Vec<String> = returned
        .into_iter()
        .map(|ld| ld.id)
        .filter(|id| !covered.contains(id))
        .collect();
    ids.sort();
    Ok(ids)
}

/// Signs the return receipt of the devices that came back: checks both marks with the rules
/// of the agreement (the social worker is the one receiving the devices, the caller), renders
/// the receipt in the person's language with both signatures and stores it with its SHA-256.
/// Every refusal of the form is returned at once; nothing is kept when one is refused.
pub fn sign_receipt(
    conn: &mut DbConn,
    caller: &Caller,
    id: &LoanId,
    s: ScreenSigning,
) -> AppResult<ReceiptRow> {
    caller.require(Perm::ManageLoans)?;
    // One receipt at a time per loan.
    let loan = lock(conn, caller, id)?;
    let covered = awaiting(conn, &loan.id)?;
    if covered.is_empty() {
        return Err(AppError::conflict(format!(
            "No device of loan {} came back without a signed return receipt; record the return first.",
            loan.number
        )));
    }
    let received_by = receiver_name(conn, caller)?;
    let place = s.place.trim().to_string();
    let data = facts::return_receipt(conn, caller, id.as_str(), &covered, &received_by, &place)?;
    let mut errors = Vec::new();
    let marks = check_marks(&s, &data.borrower_name, &received_by, &mut errors);
    if place.is_empty() || place.chars().count() > 200 {
        errors.push(FieldError::new(
            "place",
            "is required (1 to 200 characters)",
        ));
    }
    let Some((borrower, worker)) = marks.filter(|_| errors.is_empty()) else {
        return Err(AppError::invalid_fields(errors));
    };
    let pdf_marks = marks_for_pdf(
        data.lang,
        &borrower,
        &worker,
        &data.borrower_name,
        &received_by,
    );
    let pdf = return_receipt_pdf(&data, &pdf_marks)
        .map_err(|e| AppError::internal(format!("return receipt PDF: {e}")))?;
    let (borrower_kind, borrower_mark, social_worker_kind, social_worker_mark) =
        stored_marks(&borrower, &worker);
    let row = ReceiptRow {
        id: new_id(),
        loan_id: loan.id.clone(),
        loan_device_ids: list_json(&covered)?,
        attested_by: (borrower_kind == "typed").then(|| caller.user_id.clone()),
        borrower_kind,
        borrower_mark,
        social_worker_kind,
        social_worker_mark,
        size_bytes: i64::try_from(pdf.len()).map_err(AppError::internal)?,
        sha256: hex::encode(sha2::Sha256::digest(&pdf)),
        pdf,
        signed_by: caller.user_id.clone(),
        signed_at: now(),
    };
    diesel::insert_into(loan_return_receipts::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

/// The name of the social worker who receives the devices and signs the receipt: the caller.
pub fn receiver_name(conn: &mut DbConn, caller: &Caller) -> AppResult<String> {
    Ok(users::table
        .find(&caller.user_id)
        .select(users::name)
        .first(conn)?)
}

/// A return receipt of a loan the caller may read.
pub fn receipt(
    conn: &mut DbConn,
    caller: &Caller,
    id: &LoanId,
    receipt_id: &str,
) -> AppResult<ReceiptRow> {
    let loan = super::get(conn, caller, id)?;
    loan_return_receipts::table
        .filter(loan_return_receipts::id.eq(receipt_id))
        .filter(loan_return_receipts::loan_id.eq(&loan.id))
        .select(ReceiptRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The return receipt"))
}

/// Deletes the return receipts of these loans (anonymisation).
pub(super) fn erase(conn: &mut DbConn, loan_ids: &[String]) -> AppResult<usize> {
    Ok(diesel::delete(
        loan_return_receipts::table.filter(loan_return_receipts::loan_id.eq_any(loan_ids)),
    )
    .execute(conn)?)
}
