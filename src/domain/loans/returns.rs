//! Devices coming back (a return) or not (a non-return after the end date, which raises a
//! charge of the loan's agreed value and marks the device lost).

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;
use validator::Validate;

use super::states::{self, DeviceMove, LoanAction};
use super::{
    clean_list, close_if_done, detail, list_json, loan_device, lock, lock_device, parse_list,
    validate, ChargeKind, ChargeStatus, LoanDetail,
};
use crate::auth::Caller;
use crate::db::models::{ChargeRow, LoanDeviceRow};
use crate::db::schema::{loan_charges, loan_devices};
use crate::db::{now, today, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::devices::transition;
use crate::domain::ids::{DeviceId, LoanId};
use crate::domain::lifecycle::Action;
use crate::domain::limits::{self, Window};
use crate::domain::{commitments, device_ref, personal_notes};
use crate::error::{AppError, AppResult};

/// One device brought back.
// `Serialize` only because validator's `nested` check of a list needs it.
#[derive(Debug, Clone, Validate, serde::Serialize)]
pub struct ReturnedDevice {
    /// The device's id, scanned asset tag or label URL.
    #[validate(length(min = 1, max = 300, message = "is required"))]
    pub device_id: String,
    #[validate(length(min = 1, max = 500, message = "is required (1 to 500 characters)"))]
    pub condition: String,
    /// Came back damaged: it goes to repair (`in_repair`).
    pub damaged: bool,
    /// Accessories that came back. On a loan of one device, an accessory listed on the loan
    /// that is not among them counts as missing.
    #[validate(length(max = 20))]
    pub accessories_back: Vec<String>,
    /// Accessories that did not come back; any sends the device to repair for inspection.
    #[validate(length(max = 20))]
    pub missing_accessories: Vec<String>,
}

/// Devices brought back.
#[derive(Debug, Clone, Validate)]
pub struct ReturnLoan {
    /// Defaults to today.
    pub returned_on: Option<NaiveDate>,
    #[validate(length(min = 1, max = 3, message = "must list 1 to 3 devices"), nested)]
    pub devices: Vec<ReturnedDevice>,
}

/// Devices not returned by the end date.
#[derive(Debug, Clone, Default, Validate)]
pub struct NonReturn {
    /// Defaults to every device still out.
    #[validate(length(max = crate::domain::limits::MAX_DEVICES))]
    pub device_ids: Option<Vec<DeviceId>>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Checks devices in: each goes `on_loan → returned` (on to `in_repair` when it came back
/// damaged or without all its accessories); the loan closes when none is out any more.
pub fn return_devices(
    conn: &mut DbConn,
    caller: &Caller,
    id: &LoanId,
    r: ReturnLoan,
) -> AppResult<LoanDetail> {
    let mut loan = lock(conn, caller, id)?;
    states::next(&loan, LoanAction::Return)?;
    limits::dates(&[("returned_on", r.returned_on, Window::Past)])?;
    validate(&r)?;
    let returned_on = r.returned_on.unwrap_or_else(today);
    if returned_on > today() {
        return Err(AppError::invalid("returned_on", "lies in the future"));
    }
    let mut items: Vec<(String, ReturnedDevice)> = Vec::new();
    for (i, item) in r.devices.into_iter().enumerate() {
        let field = format!("devices[{i}].device_id");
        let Some(device_id) = device_ref::device_id(conn, &item.device_id)? else {
            return Err(AppError::invalid(
                field,
                "no device has this id or asset tag",
            ));
        };
        if items.iter().any(|(d, _)| d == &device_id) {
            return Err(AppError::invalid(field, "this device is listed twice"));
        }
        let ld = loan_device(conn, &loan, &device_id, &field)?;
        items.push((ld.id, item));
    }
    // Device rows are locked in id order (the allocation rule).
    let mut items: Vec<(LoanDeviceRow, ReturnedDevice)> = items
        .into_iter()
        .map(|(ld_id, item)| {
            loan_devices::table
                .find(ld_id)
                .select(LoanDeviceRow::as_select())
                .first(conn)
                .map(|ld| (ld, item))
        })
        .collect::<Result<_, _>>()?;
    items.sort_by(|a, b| a.0.device_id.cmp(&b.0.device_id));
    // The loan's accessories belong to its device when it has only one; with several devices,
    // what is missing is said per device.
    let loan_device_count: i64 = loan_devices::table
        .filter(loan_devices::loan_id.eq(&loan.id))
        .count()
        .get_result(conn)?;
    let on_loan = if loan_device_count == 1 {
        parse_list(&loan.accessories)
    } else {
        Vec::new()
    };
    let at = now();
    for (ld, item) in &items {
        let mut d = lock_device(conn, &ld.device_id)?;
        let back_status = states::device_move(ld, &d, DeviceMove::Return)?;
        let back = clean_list(&item.accessories_back);
        let mut missing = commitments::accessories_without(&on_loan, &back);
        for m in clean_list(&item.missing_accessories) {
            if !missing.iter().any(|x| x.eq_ignore_ascii_case(&m)) {
                missing.push(m);
            }
        }
        let mut problems = Vec::new();
        if item.damaged {
            problems.push("returned damaged".to_string());
        }
        if !missing.is_empty() {
            problems.push(format!("accessories missing: {}", missing.join(", ")));
        }
        // The condition may describe the person; it is kept beside the history so that
        // anonymisation can erase it (see `personal_notes`).
        let event = commitments::check_in(
            conn,
            caller,
            &mut d,
            json!({ "loan_id": loan.id, "loan_number": loan.number, "accessories_back": back, "damaged": item.damaged }),
            &commitments::ReturnFindings {
                problems,
                accessories_back: Some(back.join(", ")),
            },
        )?;
        personal_notes::keep(
            conn,
            &event,
            Some(&loan.id),
            "condition",
            item.condition.trim(),
        )?;
        diesel::update(loan_devices::table.find(&ld.id))
            .set((
                loan_devices::status.eq(back_status),
                loan_devices::open_device_id.eq(None::<String>),
                loan_devices::returned_on.eq(Some(returned_on)),
                loan_devices::return_condition.eq(Some(item.condition.trim())),
                loan_devices::accessories_back.eq(Some(list_json(&back)?)),
                loan_devices::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    close_if_done(conn, &mut loan)?;
    detail(conn, loan)
}

/// Records devices not returned by the end date: each becomes `lost` and raises an open
/// charge of the loan's agreed value.
pub fn non_return(
    conn: &mut DbConn,
    caller: &Caller,
    id: &LoanId,
    n: NonReturn,
) -> AppResult<LoanDetail> {
    let mut loan = lock(conn, caller, id)?;
    states::next(&loan, LoanAction::NonReturn)?;
    validate(&n)?;
    let today = today();
    if today <= loan.end_date {
        return Err(AppError::conflict_with(
            format!(
                "Loan {} runs until {}; a device can be recorded as not returned only after that date. A borrower who wants to keep it can buy it (POST /loans/{{id}}/purchase).",
                loan.number, loan.end_date
            ),
            json!({ "end_date": loan.end_date }),
        ));
    }
    let mut ids: Vec<String> = match &n.device_ids {
        Some(list) if !list.is_empty() => list.iter().map(|d| d.as_str().to_string()).collect(),
        Some(_) => {
            return Err(AppError::invalid(
                "device_ids",
                "must list at least one device",
            ))
        }
        None => loan_devices::table
            .filter(loan_devices::loan_id.eq(&loan.id))
            .filter(loan_devices::status.eq(super::LoanDeviceStatus::OnLoan))
            .select(loan_devices::device_id)
            .load(conn)?,
    };
    ids.sort();
    ids.dedup();
    let at = now();
    for (i, device_id) in ids.iter().enumerate() {
        let ld = loan_device(conn, &loan, device_id, &format!("device_ids[{i}]"))?;
        let mut d = lock_device(conn, device_id)?;
        let lost = states::device_move(&ld, &d, DeviceMove::NotReturn)?;
        let event = transition(
            conn,
            caller,
            &mut d,
            Action::MarkLost,
            json!({ "loan_id": loan.id, "loan_number": loan.number, "reason": "not returned by the end date" }),
        )?;
        if let Some(note) = &n.note {
            personal_notes::keep(conn, &event, Some(&loan.id), "note", note)?;
        }
        diesel::update(loan_devices::table.find(&ld.id))
            .set((
                loan_devices::status.eq(lost),
                loan_devices::open_device_id.eq(None::<String>),
                loan_devices::updated_at.eq(at),
            ))
            .execute(conn)?;
        diesel::insert_into(loan_charges::table)
            .values(&ChargeRow {
                id: new_id(),
                loan_id: loan.id.clone(),
                device_id: device_id.clone(),
                kind: ChargeKind::NonReturn,
                amount_cents: loan.value_cents,
                status: ChargeStatus::Open,
                raised_on: today,
                paid_on: None,
                paid_amount_cents: None,
                method: None,
                waived_reason: None,
                settled_by: None,
                created_by: caller.user_id.clone(),
                created_at: at,
                updated_at: at,
            })
            .execute(conn)?;
    }
    close_if_done(conn, &mut loan)?;
    detail(conn, loan)
}
