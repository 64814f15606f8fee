//! The booking's state machine as a table.
//!
//! requested → confirmed (devices allocated) → picked_up → partially_returned → returned;
//! requested | confirmed → cancelled. A booking is `returned` (closed) once every device that
//! went out is back or written off as lost; until then a return, a write-off or a report of
//! missing devices leaves it partially returned. Every change of `bookings.status` asks this
//! table first; a move it does not list is a 409 naming the current status, the action and
//! the statuses it is allowed from.

use serde_json::json;

use super::BookingStatus;
use crate::db::models::BookingRow;
use crate::error::{AppError, AppResult};

/// Something done to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingAction {
    /// Devices are allocated.
    Confirm,
    /// Dates, texts, lines or quantities change (picked up: the return date and texts only).
    Change,
    Cancel,
    /// What was scanned goes out.
    PickUp,
    /// Devices come back (or are reported missing).
    Return,
    /// Devices the organisation lost are written off.
    WriteOff,
    /// Devices written off with the booking turn up again.
    Found,
    /// The booking confirmation is printed.
    PrintConfirmation,
    /// Some devices are still out after a return or write-off (never asked for).
    SomeStillOut,
    /// Nothing is out any more after a return or write-off (never asked for).
    AllBack,
}

use BookingAction::*;
use BookingStatus::*;

impl BookingAction {
    /// The action as a sentence ends ("it can be … only when").
    fn what(self) -> &'static str {
        match self {
            Confirm => "confirmed",
            Change => "changed",
            Cancel => "cancelled",
            PickUp => "picked up",
            Return => "returned",
            WriteOff => "written off",
            Found => "marked found",
            PrintConfirmation => "printed as a confirmation",
            SomeStillOut => "partially returned",
            AllBack => "closed",
        }
    }
}

/// The booking's transitions: action, the statuses it may start from, the status it leads to
/// (`None`: the status stays).
pub const TRANSITIONS: &[(BookingAction, &[BookingStatus], Option<BookingStatus>)] = &[
    (Confirm, &[Requested], Some(Confirmed)),
    (Change, &[Requested, Confirmed, PickedUp], None),
    (Cancel, &[Requested, Confirmed], Some(Cancelled)),
    (PickUp, &[Confirmed], Some(PickedUp)),
    (Return, &[PickedUp, PartiallyReturned], None),
    (WriteOff, &[PickedUp, PartiallyReturned], None),
    (Found, &[PartiallyReturned, Returned], None),
    (
        PrintConfirmation,
        &[Confirmed, PickedUp, PartiallyReturned, Returned],
        None,
    ),
    (
        SomeStillOut,
        &[PickedUp, PartiallyReturned],
        Some(PartiallyReturned),
    ),
    (AllBack, &[PickedUp, PartiallyReturned], Some(Returned)),
];

/// The statuses `action` may start from.
pub fn allowed_from(action: BookingAction) -> &'static [BookingStatus] {
    TRANSITIONS
        .iter()
        .find(|(a, _, _)| *a == action)
        .map_or(&[], |(_, froms, _)| froms)
}

/// The status `action` leaves `b` in, or a 409 naming its status and where the action is
/// allowed from.
pub fn next(b: &BookingRow, action: BookingAction) -> AppResult<BookingStatus> {
    TRANSITIONS
        .iter()
        .find(|(a, froms, _)| *a == action && froms.contains(&b.status))
        .map(|(_, _, to)| to.unwrap_or(b.status))
        .ok_or_else(|| {
            let from = allowed_from(action);
            AppError::conflict_with(
                format!(
                    "Booking {} is {}; it can be {} only when it is {}.",
                    b.reference,
                    b.status,
                    action.what(),
                    from.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                json!({ "current_status": b.status, "allowed_from": from }),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_and_cancelled_bookings_take_no_hand_over() {
        for action in [Confirm, Change, Cancel, PickUp, Return, WriteOff] {
            assert!(!allowed_from(action).contains(&Returned), "{action:?}");
            assert!(!allowed_from(action).contains(&Cancelled), "{action:?}");
        }
    }

    #[test]
    fn only_written_off_devices_are_found() {
        assert_eq!(allowed_from(Found), &[PartiallyReturned, Returned]);
    }
}
