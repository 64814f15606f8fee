//! Signing at the desk (the hand-over of the devices) and the scan of the signed paper.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::states::{self, DeviceMove, LoanAction};
use super::{detail, get, lock, lock_device, schedule, LoanDetail};
use crate::auth::{Caller, Perm};
use crate::db::models::{LoanDeviceRow, ProgrammeRow, ScanRow};
use crate::db::schema::{loan_devices, loan_scans, loans};
use crate::db::{now, today, DbConn};
use crate::domain::devices::transition;
use crate::domain::ids::{LoanId, ProgrammeId};
use crate::domain::lifecycle::{Action, Status};
use crate::domain::limits::{self, Window};
use crate::domain::{commitments, programmes};
use crate::error::{AppError, AppResult, FieldError};

/// The agreement was signed at the desk.
#[derive(Debug, Clone, Validate)]
pub struct SignLoan {
    /// Must be true: the borrower signed the paper.
    pub borrower_signed: bool,
    /// Must be true: the social worker signed for the lender.
    pub social_worker_signed: bool,
    /// Not in the future.
    pub signed_on: NaiveDate,
    #[validate(length(min = 1, max = 200, message = "is required (1 to 200 characters)"))]
    pub place: String,
}

/// Records the signatures and hands the devices over, in one transaction: each device goes
/// `ready → on_loan` (with its history event) and is held by the welfare office.
pub fn sign(conn: &mut DbConn, caller: &Caller, id: &LoanId, s: SignLoan) -> AppResult<LoanDetail> {
    commitments::lock_pool(conn)?;
    let mut loan = lock(conn, caller, id)?;
    let to = states::next(&loan, LoanAction::Sign)?;
    limits::dates(&[("signed_on", Some(s.signed_on), Window::Past)])?;
    let mut errors = match s.validate() {
        Ok(()) => Vec::new(),
        Err(e) => crate::error::flatten_validation("", &e),
    };
    if !s.borrower_signed {
        errors.push(FieldError::new(
            "borrower_signed",
            "the borrower must sign the agreement",
        ));
    }
    if !s.social_worker_signed {
        errors.push(FieldError::new(
            "social_worker_signed",
            "the social worker must sign the agreement",
        ));
    }
    if s.signed_on > today() {
        errors.push(FieldError::new("signed_on", "lies in the future"));
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    // The programme's terms in force now are copied onto the loan.
    let programme: ProgrammeRow =
        programmes::terms(conn, &ProgrammeId::from(loan.programme_id.as_str()))?;
    if loan.end_date > programme.end_date {
        return Err(AppError::conflict_with(
            format!(
                "The programme now ends on {}, before this loan's end date {}; draw up a new loan.",
                programme.end_date, loan.end_date
            ),
            json!({ "programme_end_date": programme.end_date }),
        ));
    }
    let mut lds: Vec<LoanDeviceRow> = loan_devices::table
        .filter(loan_devices::loan_id.eq(&loan.id))
        .select(LoanDeviceRow::as_select())
        .load(conn)?;
    // Locks in a fixed order, so two signings never wait on each other in a circle.
    lds.sort_by(|a, b| a.device_id.cmp(&b.device_id));
    let ids: Vec<String> = lds.iter().map(|ld| ld.device_id.clone()).collect();
    let locked = commitments::lock_devices(conn, &ids)?;
    commitments::check_loan(conn, &locked, loan.start_date.min(today()))?;
    let at = now();
    for ld in &lds {
        let mut d = lock_device(conn, &ld.device_id)?;
        if d.status != Status::Ready {
            return Err(AppError::conflict_with(
                format!(
                    "Device {} is {} now, no longer ready; it cannot be handed over. Take it off this loan by drawing up a new one.",
                    d.asset_tag, d.status
                ),
                json!({ "device_id": d.id, "current_status": d.status }),
            ));
        }
        let handed = states::device_move(ld, &d, DeviceMove::HandOver)?;
        d.holder_organisation_id = Some(loan.organisation_id.clone());
        transition(
            conn,
            caller,
            &mut d,
            Action::Lend,
            json!({ "loan_id": loan.id, "loan_number": loan.number }),
        )?;
        diesel::update(loan_devices::table.find(&ld.id))
            .set((
                loan_devices::status.eq(handed),
                loan_devices::open_device_id.eq(Some(&ld.device_id)),
                loan_devices::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    loan.status = to;
    loan.programme_end_date = programme.end_date;
    loan.checkpoint_interval_months = programme.checkpoint_interval_months;
    loan.value_cents = programme.value_cents;
    loan.signed_on = Some(s.signed_on);
    loan.signed_place = Some(s.place.trim().to_string());
    loan.signed_by_borrower = true;
    loan.signed_by_social_worker = true;
    loan.signed_recorded_by = Some(caller.user_id.clone());
    loan.updated_at = at;
    diesel::update(loans::table.find(&loan.id))
        .set((
            loans::status.eq(loan.status),
            loans::programme_end_date.eq(loan.programme_end_date),
            loans::checkpoint_interval_months.eq(loan.checkpoint_interval_months),
            loans::value_cents.eq(loan.value_cents),
            loans::signed_on.eq(loan.signed_on),
            loans::signed_place.eq(&loan.signed_place),
            loans::signed_by_borrower.eq(true),
            loans::signed_by_social_worker.eq(true),
            loans::signed_recorded_by.eq(&loan.signed_recorded_by),
            loans::updated_at.eq(at),
        ))
        .execute(conn)?;
    schedule::reschedule(conn, &loan)?;
    detail(conn, loan)
}

/// Kinds of scan accepted, with the magic bytes that must start the file.
pub const SCAN_TYPES: &[(&str, &[u8])] = &[
    ("application/pdf", b"%PDF-"),
    ("image/jpeg", &[0xFF, 0xD8, 0xFF]),
    (
        "image/png",
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
    ),
];
/// Largest scan accepted.
pub const MAX_SCAN_BYTES: usize = 5 * 1024 * 1024;

fn unsupported() -> AppError {
    AppError::UnsupportedMediaType(
        "Send the scan as application/pdf, image/jpeg or image/png.".into(),
    )
}

/// Whether the caller may upload a scan of this type: asked before the body is read, so that
/// a refused upload is not read first.
pub fn check_scan_upload(caller: &Caller, content_type: &str) -> AppResult<()> {
    caller.require(Perm::ManageLoans)?;
    if SCAN_TYPES.iter().any(|(t, _)| *t == content_type) {
        Ok(())
    } else {
        Err(unsupported())
    }
}

/// Stores (or replaces) the scan or photo of the signed paper of an active loan.
pub fn put_scan(
    conn: &mut DbConn,
    caller: &Caller,
    id: &LoanId,
    content_type: &str,
    data: Vec<u8>,
) -> AppResult<ScanRow> {
    let loan = lock(conn, caller, id)?;
    states::next(&loan, LoanAction::AttachScan)?;
    let Some((_, magic)) = SCAN_TYPES.iter().find(|(t, _)| *t == content_type) else {
        return Err(unsupported());
    };
    if data.is_empty() {
        return Err(AppError::invalid("body", "the file is empty"));
    }
    if !data.starts_with(magic) {
        return Err(AppError::invalid(
            "body",
            format!("the file is not a {content_type} file (its first bytes do not match)"),
        ));
    }
    use sha2::Digest;
    let row = ScanRow {
        loan_id: loan.id.clone(),
        content_type: content_type.to_string(),
        size_bytes: i64::try_from(data.len()).map_err(AppError::internal)?,
        sha256: hex::encode(sha2::Sha256::digest(&data)),
        data,
        uploaded_by: caller.user_id.clone(),
        uploaded_at: now(),
    };
    diesel::delete(loan_scans::table.find(&loan.id)).execute(conn)?;
    diesel::insert_into(loan_scans::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

/// The scan of the signed paper, as uploaded.
pub fn get_scan(conn: &mut DbConn, caller: &Caller, id: &LoanId) -> AppResult<ScanRow> {
    let loan = get(conn, caller, id)?;
    loan_scans::table
        .find(&loan.id)
        .select(ScanRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The signed scan of this loan"))
}
