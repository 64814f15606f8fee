//! The life of a device: its statuses, the actions between them, and the one table of
//! allowed transitions.
//!
//! received → wiped → refurbished → ready → (on_loan | booked_out) → returned → (wiped again
//! after a loan to a person; ready again after a booking, once reset) with the side exits
//! in_repair, retired (recycled), lost and sold. A device without storage (headphones, a
//! charger, a beamer: see `guards::has_storage`) skips the wipe: received or returned →
//! refurbished; the guard refuses that shortcut to any device that stores data.
//!
//! Every status change of a device goes through this table by way of
//! `crate::domain::devices::transition`; `GET /lifecycle` serves it.

use crate::error::AppResult;

crate::text_enum!(
    /// Where a device is in its life.
    Status {
        Received => "received",
        Wiped => "wiped",
        Refurbished => "refurbished",
        Ready => "ready",
        OnLoan => "on_loan",
        BookedOut => "booked_out",
        Returned => "returned",
        InRepair => "in_repair",
        Retired => "retired",
        Lost => "lost",
        Sold => "sold",
    }
);

crate::text_enum!(
    /// A lifecycle action: the only way a device's status changes.
    Action {
        /// Every drive carries a passed wipe (checked against the wipe records).
        Wipe => "wipe",
        /// A passing refurbishment record exists.
        Refurbish => "refurbish",
        /// Certified ready for lending or booking.
        Release => "release",
        /// Handed to a person under a signed loan agreement (loans only).
        Lend => "lend",
        /// Handed to an organisation for a booking (bookings only).
        BookOut => "book_out",
        /// Came back from a loan or a booking (loans and bookings only).
        CheckIn => "check_in",
        SendToRepair => "send_to_repair",
        /// Recycled; the end of its life.
        Retire => "retire",
        MarkLost => "mark_lost",
        /// Bought by its borrower.
        Sell => "sell",
        /// A lost device turned up again.
        Found => "found",
    }
);

use Action::*;
use Status::*;

/// The allowed transitions: action, the statuses it may start from, the status it leads to.
pub const TRANSITIONS: &[(Action, &[Status], Status)] = &[
    (Wipe, &[Received, Returned, InRepair], Wiped),
    // From received or returned only for devices without storage (checked by the guard).
    (
        Refurbish,
        &[Wiped, InRepair, Received, Returned],
        Refurbished,
    ),
    (Release, &[Refurbished, Returned], Ready),
    (Lend, &[Ready], OnLoan),
    (BookOut, &[Ready], BookedOut),
    (CheckIn, &[OnLoan, BookedOut], Returned),
    (
        SendToRepair,
        &[Received, Wiped, Refurbished, Ready, Returned],
        InRepair,
    ),
    (
        Retire,
        &[
            Received,
            Wiped,
            Refurbished,
            Ready,
            Returned,
            InRepair,
            Lost,
        ],
        Retired,
    ),
    (MarkLost, &[Ready, OnLoan, BookedOut, Returned], Lost),
    (Sell, &[OnLoan, Lost], Sold),
    (Found, &[Lost], Returned),
];

impl Action {
    /// Actions that only the loans or bookings modules perform, because they must create or
    /// close a loan or booking in the same transaction.
    pub fn is_internal(self) -> bool {
        matches!(self, Lend | BookOut | CheckIn | Sell)
    }
}

/// The status `action` leads to from `from`, if the table allows it.
pub fn next_status(from: Status, action: Action) -> Option<Status> {
    TRANSITIONS
        .iter()
        .find(|(a, froms, _)| *a == action && froms.contains(&from))
        .map(|(_, _, to)| *to)
}

/// The status `action` leads to from `from`, or the 409 that names the device (`asset_tag`),
/// its current status, the refused action and the actions allowed now. Every status change
/// of a device asks this (through `crate::domain::devices::transition`).
pub fn next(asset_tag: &str, from: Status, action: Action) -> AppResult<Status> {
    next_status(from, action).ok_or_else(|| {
        let allowed = allowed_actions(from);
        let names = allowed.iter().map(|a| a.as_str()).collect::<Vec<_>>();
        crate::domain::refusal::conflict(
            crate::domain::refusal::RefusalCode::ActionNotAllowed,
            format!(
                "Device {asset_tag} is {from}; the action {action} is not allowed. Allowed now: {}.",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ),
            serde_json::json!({ "current_status": from, "allowed_actions": allowed }),
        )
    })
}

/// The actions the table allows from `from`, in table order.
pub fn allowed_actions(from: Status) -> Vec<Action> {
    TRANSITIONS
        .iter()
        .filter(|(_, froms, _)| froms.contains(&from))
        .map(|(a, _, _)| *a)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_but_the_final_ones_has_a_way_out() {
        for s in Status::ALL {
            let out = allowed_actions(*s);
            match s {
                Retired | Sold => assert!(out.is_empty(), "{s} should be final"),
                _ => assert!(!out.is_empty(), "{s} has no way out"),
            }
        }
    }

    #[test]
    fn the_main_path_is_allowed_and_shortcuts_are_not() {
        assert_eq!(next_status(Received, Wipe), Some(Wiped));
        assert_eq!(next_status(Wiped, Refurbish), Some(Refurbished));
        assert_eq!(next_status(Refurbished, Release), Some(Ready));
        assert_eq!(next_status(Ready, Lend), Some(OnLoan));
        assert_eq!(next_status(OnLoan, CheckIn), Some(Returned));
        assert_eq!(next_status(Returned, Wipe), Some(Wiped));
        assert_eq!(next_status(Received, Release), None);
        assert_eq!(next_status(Received, Refurbish), Some(Refurbished));
        assert_eq!(next_status(Received, Lend), None);
        assert_eq!(next_status(Wiped, Lend), None);
        assert_eq!(next_status(Retired, Found), None);
    }
}
