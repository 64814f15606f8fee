//! Money owed under a loan: a charge for a device not returned (paid, which sells the lost
//! device to the borrower, or waived), and a purchase of a device by its borrower.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::states::{self, ChargeMove, DeviceMove, LoanAction};
use super::{
    close_if_done, detail, loan_device, lock, lock_device, validate, ChargeKind, ChargeStatus,
    LoanDetail, LoanDeviceStatus, PaymentMethod,
};
use crate::auth::{Caller, Perm};
use crate::db::models::{ChargeRow, LoanRow};
use crate::db::schema::{loan_charges, loan_devices, loans};
use crate::db::{now, today, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::borrowers::office_visible;
use crate::domain::devices::transition;
use crate::domain::ids::{ChargeId, DeviceId, LoanId};
use crate::domain::lifecycle::{Action, Status};
use crate::domain::limits::{self, Window};
use crate::error::{AppError, AppResult, FieldError};

/// A payment of a charge.
#[derive(Debug, Clone)]
pub struct Payment {
    pub paid_on: NaiveDate,
    /// Must equal the amount of the charge (no partial payments).
    pub amount_cents: i64,
    pub method: PaymentMethod,
}

/// The borrower buys a device of an active loan: early, or a lost one afterwards.
#[derive(Debug, Clone)]
pub struct Purchase {
    pub device_id: DeviceId,
    pub paid_on: NaiveDate,
    /// Must equal the loan's agreed value per device.
    pub amount_cents: i64,
    pub method: PaymentMethod,
}

/// A charge is waived (coordinators and admins).
#[derive(Debug, Clone, Validate)]
pub struct Waiver {
    #[validate(length(min = 3, max = 2000, message = "is required (3 to 2000 characters)"))]
    pub reason: String,
}

fn check_payment(
    paid_on: NaiveDate,
    amount: i64,
    expected: i64,
    started: NaiveDate,
) -> AppResult<()> {
    limits::dates(&[("paid_on", Some(paid_on), Window::Past)])?;
    let mut errors = Vec::new();
    if paid_on > today() {
        errors.push(FieldError::new("paid_on", "lies in the future"));
    }
    if paid_on < started {
        errors.push(FieldError::new(
            "paid_on",
            "is before the start of the loan",
        ));
    }
    if amount != expected {
        errors.push(FieldError::new(
            "amount_cents",
            format!("must be the agreed amount, {expected} cents"),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid_fields(errors))
    }
}

/// A charge, locked, with its loan (within the caller's scope).
fn lock_charge(
    conn: &mut DbConn,
    caller: &Caller,
    id: &ChargeId,
) -> AppResult<(ChargeRow, LoanRow)> {
    let charge: ChargeRow = crate::locked_first!(
        conn,
        loan_charges::table
            .find(id.as_str())
            .select(ChargeRow::as_select())
    )
    .optional()?
    .ok_or_else(|| AppError::not_found("The charge"))?;
    let loan: LoanRow = loans::table
        .find(&charge.loan_id)
        .select(LoanRow::as_select())
        .first(conn)?;
    if office_visible(caller, &loan.organisation_id) {
        Ok((charge, loan))
    } else {
        Err(AppError::not_found("The charge"))
    }
}

/// Marks a charge paid. Paying for a device not returned means the borrower bought it: a lost
/// device becomes `sold`.
pub fn pay(conn: &mut DbConn, caller: &Caller, id: &ChargeId, p: Payment) -> AppResult<ChargeRow> {
    caller.require(Perm::ManageLoans)?;
    let (mut c, loan) = lock_charge(conn, caller, id)?;
    states::charge_move(&c, ChargeMove::Pay)?;
    check_payment(p.paid_on, p.amount_cents, c.amount_cents, loan.start_date)?;
    settle_paid(conn, caller, &mut c, &loan, &p)?;
    Ok(c)
}

fn settle_paid(
    conn: &mut DbConn,
    caller: &Caller,
    c: &mut ChargeRow,
    loan: &LoanRow,
    p: &Payment,
) -> AppResult<()> {
    let at = now();
    c.status = states::charge_move(c, ChargeMove::Pay)?;
    c.paid_on = Some(p.paid_on);
    c.paid_amount_cents = Some(p.amount_cents);
    c.method = Some(p.method);
    c.settled_by = Some(caller.user_id.clone());
    c.updated_at = at;
    diesel::update(loan_charges::table.find(&c.id))
        .set((
            loan_charges::status.eq(c.status),
            loan_charges::paid_on.eq(c.paid_on),
            loan_charges::paid_amount_cents.eq(c.paid_amount_cents),
            loan_charges::method.eq(c.method),
            loan_charges::settled_by.eq(&c.settled_by),
            loan_charges::updated_at.eq(at),
        ))
        .execute(conn)?;
    if c.kind == ChargeKind::NonReturn {
        let mut d = lock_device(conn, &c.device_id)?;
        if d.status == Status::Lost {
            let ld = loan_device(conn, loan, &c.device_id, "device_id")?;
            let bought = states::device_move(&ld, &d, DeviceMove::Buy)?;
            d.holder_organisation_id = None;
            transition(
                conn,
                caller,
                &mut d,
                Action::Sell,
                json!({ "loan_id": loan.id, "loan_number": loan.number, "charge_id": c.id }),
            )?;
            diesel::update(loan_devices::table.find(&ld.id))
                .set((
                    loan_devices::status.eq(bought),
                    loan_devices::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Waives an open charge, with a reason (coordinators and admins).
pub fn waive(conn: &mut DbConn, caller: &Caller, id: &ChargeId, w: Waiver) -> AppResult<ChargeRow> {
    caller.require(Perm::WaivePenalties)?;
    validate(&w)?;
    let (mut c, _) = lock_charge(conn, caller, id)?;
    let to = states::charge_move(&c, ChargeMove::Waive)?;
    let at = now();
    c.status = to;
    c.waived_reason = Some(w.reason.trim().to_string());
    c.settled_by = Some(caller.user_id.clone());
    c.updated_at = at;
    diesel::update(loan_charges::table.find(&c.id))
        .set((
            loan_charges::status.eq(c.status),
            loan_charges::waived_reason.eq(&c.waived_reason),
            loan_charges::settled_by.eq(&c.settled_by),
            loan_charges::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(c)
}

/// The borrower buys a device of an active loan: early (a charge raised and paid at once, the
/// device `sold`), or after a non-return (its open charge paid, the lost device `sold`). A
/// closed loan takes no purchase: its open charges are paid through [`pay`].
pub fn purchase(
    conn: &mut DbConn,
    caller: &Caller,
    id: &LoanId,
    p: Purchase,
) -> AppResult<LoanDetail> {
    let mut loan = lock(conn, caller, id)?;
    states::next(&loan, LoanAction::Purchase)?;
    let device_id = p.device_id.as_str().to_string();
    let ld = loan_device(conn, &loan, &device_id, "device_id")?;
    check_payment(p.paid_on, p.amount_cents, loan.value_cents, loan.start_date)?;
    match ld.status {
        LoanDeviceStatus::NotReturned => {
            let charge: Option<ChargeRow> = crate::locked_first!(
                conn,
                loan_charges::table
                    .filter(loan_charges::loan_id.eq(&loan.id))
                    .filter(loan_charges::device_id.eq(&device_id))
                    .filter(loan_charges::status.eq(ChargeStatus::Open))
                    .select(ChargeRow::as_select())
            )
            .optional()?;
            let Some(mut c) = charge else {
                return Err(AppError::conflict(
                    "The charge for this device was already settled (paid or waived).",
                ));
            };
            let payment = Payment {
                paid_on: p.paid_on,
                amount_cents: p.amount_cents,
                method: p.method,
            };
            settle_paid(conn, caller, &mut c, &loan, &payment)?;
        }
        _ => {
            let mut d = lock_device(conn, &device_id)?;
            let bought = states::device_move(&ld, &d, DeviceMove::Buy)?;
            let at = now();
            let charge_id = new_id();
            d.holder_organisation_id = None;
            transition(
                conn,
                caller,
                &mut d,
                Action::Sell,
                json!({ "loan_id": loan.id, "loan_number": loan.number, "charge_id": charge_id }),
            )?;
            diesel::insert_into(loan_charges::table)
                .values(&ChargeRow {
                    id: charge_id,
                    loan_id: loan.id.clone(),
                    device_id: device_id.clone(),
                    kind: ChargeKind::Purchase,
                    amount_cents: loan.value_cents,
                    status: ChargeStatus::Paid,
                    raised_on: p.paid_on,
                    paid_on: Some(p.paid_on),
                    paid_amount_cents: Some(p.amount_cents),
                    method: Some(p.method),
                    waived_reason: None,
                    settled_by: Some(caller.user_id.clone()),
                    created_by: caller.user_id.clone(),
                    created_at: at,
                    updated_at: at,
                })
                .execute(conn)?;
            diesel::update(loan_devices::table.find(&ld.id))
                .set((
                    loan_devices::status.eq(bought),
                    loan_devices::open_device_id.eq(None::<String>),
                    loan_devices::updated_at.eq(at),
                ))
                .execute(conn)?;
            close_if_done(conn, &mut loan)?;
        }
    }
    detail(conn, loan)
}
