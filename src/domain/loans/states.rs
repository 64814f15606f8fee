//! The loan's two state machines as tables: the loan itself and each device under it.
//!
//! Every change of `loans.status` and `loan_devices.status` asks these tables first; a move the
//! table does not list is a 409 naming the current status, the action, and what is allowed
//! now. Read the loan table as: draft → active (signing) or cancelled; active stays active
//! through checkpoints, extensions, returns, non-returns and purchases, and becomes closed when
//! no device is out any more. Closed and cancelled are final: nothing more happens to the
//! loan itself (an open non-return charge is settled through `/charges/{id}/pay`).

use serde_json::json;

use super::{ChargeStatus, LoanDeviceStatus, LoanStatus};
use crate::db::models::{ChargeRow, DeviceRow, LoanDeviceRow, LoanRow};
use crate::error::{AppError, AppResult};

/// Something done to a loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoanAction {
    /// The agreement is signed: the devices are handed over.
    Sign,
    /// A draft is given up.
    Cancel,
    /// The scan of the signed paper is stored.
    AttachScan,
    RecordCheckpoint,
    Extend,
    Return,
    NonReturn,
    Purchase,
    /// No device is out any more (after a return, non-return or purchase; never asked for).
    Close,
}

use LoanAction::*;
use LoanStatus::{Active, Cancelled, Closed, Draft};

impl LoanAction {
    /// The name of the action in the API (`POST /loans/{id}/<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Sign => "sign",
            Cancel => "cancel",
            AttachScan => "signed-scan",
            RecordCheckpoint => "checkpoints",
            Extend => "extend",
            Return => "return",
            NonReturn => "non-return",
            Purchase => "purchase",
            Close => "close",
        }
    }

    /// The action in a sentence ("… is not possible").
    fn what(self) -> &'static str {
        match self {
            Sign => "signing",
            Cancel => "cancelling",
            AttachScan => "storing the signed scan",
            RecordCheckpoint => "recording a checkpoint",
            Extend => "extending",
            Return => "a return",
            NonReturn => "recording a non-return",
            Purchase => "a purchase",
            Close => "closing",
        }
    }
}

/// The loan's transitions: action, the statuses it may start from, the status it leads to
/// (`None`: the status stays).
pub const TRANSITIONS: &[(LoanAction, &[LoanStatus], Option<LoanStatus>)] = &[
    (Sign, &[Draft], Some(Active)),
    (Cancel, &[Draft], Some(Cancelled)),
    (AttachScan, &[Active], None),
    (RecordCheckpoint, &[Active], None),
    (Extend, &[Active], None),
    (Return, &[Active], None),
    (NonReturn, &[Active], None),
    (Purchase, &[Active], None),
    (Close, &[Active], Some(Closed)),
];

/// The actions a caller may ask for from `from`, in table order.
pub fn allowed(from: LoanStatus) -> Vec<LoanAction> {
    TRANSITIONS
        .iter()
        .filter(|(a, froms, _)| *a != Close && froms.contains(&from))
        .map(|(a, _, _)| *a)
        .collect()
}

/// The status `action` leaves `loan` in, or a 409 naming its status and what is allowed now.
pub fn next(loan: &LoanRow, action: LoanAction) -> AppResult<LoanStatus> {
    TRANSITIONS
        .iter()
        .find(|(a, froms, _)| *a == action && froms.contains(&loan.status))
        .map(|(_, _, to)| to.unwrap_or(loan.status))
        .ok_or_else(|| refuse(loan, action))
}

fn refuse(loan: &LoanRow, action: LoanAction) -> AppError {
    let allowed: Vec<&str> = allowed(loan.status)
        .into_iter()
        .map(|a| a.as_str())
        .collect();
    let hint = match (loan.status, action) {
        (Draft, AttachScan) => " Record the signatures first (POST /loans/{id}/sign).",
        (Closed, Purchase) => {
            " An open charge for a device not returned is paid through POST /charges/{id}/pay."
        }
        _ => "",
    };
    AppError::conflict_with(
        format!(
            "Loan {} is {}; {} is not possible. Allowed now: {}.{hint}",
            loan.number,
            loan.status,
            action.what(),
            if allowed.is_empty() {
                format!("nothing (the loan is {})", loan.status)
            } else {
                allowed.join(", ")
            }
        ),
        json!({ "current_status": loan.status, "action": action.as_str(), "allowed_actions": allowed }),
    )
}

/// Something that happens to one device of a loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceMove {
    /// Handed over at signing.
    HandOver,
    /// The draft was cancelled.
    Drop,
    /// Brought back.
    Return,
    /// Not brought back by the end date: lost, a charge raised.
    NotReturn,
    /// Bought by the borrower: early, or a lost one whose charge is paid.
    Buy,
}

use LoanDeviceStatus as D;

/// The transitions of a device under a loan: move, from-statuses, to-status.
pub const DEVICE_TRANSITIONS: &[(DeviceMove, &[LoanDeviceStatus], LoanDeviceStatus)] = &[
    (DeviceMove::HandOver, &[D::Pending], D::OnLoan),
    (DeviceMove::Drop, &[D::Pending], D::Cancelled),
    (DeviceMove::Return, &[D::OnLoan], D::Returned),
    (DeviceMove::NotReturn, &[D::OnLoan], D::NotReturned),
    (DeviceMove::Buy, &[D::OnLoan, D::NotReturned], D::Bought),
];

/// The status `mv` leads a loan device to from `from`, if the table allows it.
pub fn device_next(from: LoanDeviceStatus, mv: DeviceMove) -> Option<LoanDeviceStatus> {
    DEVICE_TRANSITIONS
        .iter()
        .find(|(m, froms, _)| *m == mv && froms.contains(&from))
        .map(|(_, _, to)| *to)
}

/// The status `mv` leads `ld` to, or a 409 saying where the device is under the loan.
pub fn device_move(
    ld: &LoanDeviceRow,
    d: &DeviceRow,
    mv: DeviceMove,
) -> AppResult<LoanDeviceStatus> {
    device_next(ld.status, mv).ok_or_else(|| {
        AppError::conflict_with(
            format!(
                "Device {} is {} under this loan; only a device still on loan can be returned, recorded as not returned or bought.",
                d.asset_tag, ld.status
            ),
            json!({ "device_id": d.id, "loan_device_status": ld.status, "current_status": d.status }),
        )
    })
}

/// What is done to a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeMove {
    Pay,
    Waive,
}

/// The transitions of a charge: only an open charge is paid or waived, once.
pub const CHARGE_TRANSITIONS: &[(ChargeMove, &[ChargeStatus], ChargeStatus)] = &[
    (ChargeMove::Pay, &[ChargeStatus::Open], ChargeStatus::Paid),
    (
        ChargeMove::Waive,
        &[ChargeStatus::Open],
        ChargeStatus::Waived,
    ),
];

/// The status `mv` leads `charge` to, or a 409 naming its status.
pub fn charge_move(charge: &ChargeRow, mv: ChargeMove) -> AppResult<ChargeStatus> {
    CHARGE_TRANSITIONS
        .iter()
        .find(|(m, froms, _)| *m == mv && froms.contains(&charge.status))
        .map(|(_, _, to)| *to)
        .ok_or_else(|| {
            AppError::conflict_with(
                format!(
                    "This charge is {}; only an open charge can be paid or waived.",
                    charge.status
                ),
                json!({ "current_status": charge.status }),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_and_cancelled_loans_are_final() {
        assert!(allowed(Closed).is_empty());
        assert!(allowed(Cancelled).is_empty());
        assert_eq!(allowed(Draft), vec![Sign, Cancel]);
        assert!(allowed(Active).contains(&Purchase));
    }

    #[test]
    fn a_device_is_bought_only_while_out_or_lost() {
        assert_eq!(device_next(D::OnLoan, DeviceMove::Buy), Some(D::Bought));
        assert_eq!(
            device_next(D::NotReturned, DeviceMove::Buy),
            Some(D::Bought)
        );
        assert_eq!(device_next(D::Returned, DeviceMove::Buy), None);
        assert_eq!(device_next(D::Pending, DeviceMove::Return), None);
    }
}
