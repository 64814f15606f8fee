//! Who may see what: the one place a reader checks which records each caller sees.
//!
//! [`crate::auth::policy`] says which roles may do a thing at all (403 otherwise); this module
//! says, for a caller who passed that check, which records of each kind they see. Both are
//! asked by the domain, never by the API handlers. It reads per kind of record, in the order
//! of the table below: devices (and the workshop a caller works for), device history,
//! donations, loan records, bookings, figures. A record outside
//! the caller's view answers 404 (it does not exist for them), lists and searches leave it
//! out, and a device's history shows the facts of a loan or booking event but not its details
//! unless the caller may read that loan or booking.
//!
//! | record | admin, coordinator | lending staff | refurbisher | social worker | requester |
//! | --- | --- | --- | --- | --- | --- |
//! | device (detail, list, look-ups, labels) | all | all | with its workshop now (see [`WORKSHOP_STATUSES`]) | ready ones and those its office holds | none |
//! | device history | as device; loan/booking details per row below | as device | as device | as device | none |
//! | donation, certificate | all | all | assigned to its workshop | none | none |
//! | borrower, loan, charge, checkpoint, scan | all | none | none | its office's | none |
//! | borrower export (GDPR art. 15) | all | none | none | its office's | none |
//! | booking | all | all | none | none | its organisation's |
//! | figures ([`FigureScope`]) | all groups | devices, bookings, workshop, environment | none (403) | people of its office | none (403) |
//!
//! Requesters never learn which asset tags exist or are in the booking pool: a tag they name
//! that is not bookable is answered like an unknown one.

use crate::auth::{Caller, Perm};
use crate::db::models::{BookingRow, DeviceRow, DonationRow};
use crate::domain::accounts::Role;
use crate::domain::lifecycle::Status;
use crate::error::AppResult;

/// What "with the workshop now" means for a refurbisher: the device is assigned to the
/// workshop and is on its bench (received, wiped, refurbished, in repair, back from a loan or
/// booking) or certified ready and not handed out yet. Once it is on loan, booked out, sold,
/// lost or retired it has left the workshop.
pub const WORKSHOP_STATUSES: &[Status] = &[
    Status::Received,
    Status::Wiped,
    Status::Refurbished,
    Status::InRepair,
    Status::Returned,
    Status::Ready,
];

/// How much of the inventory a caller sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceScope {
    All,
    /// A refurbisher: devices with their workshop now.
    Workshop(String),
    /// A social worker: devices ready to lend and devices their office holds.
    Office(String),
    /// Nothing (requesters and roles without `ReadDevices`).
    Nothing,
}

pub fn device_scope(caller: &Caller) -> DeviceScope {
    if !caller.can(Perm::ReadDevices) {
        return DeviceScope::Nothing;
    }
    match caller.role {
        Role::Refurbisher => DeviceScope::Workshop(caller.organisation_id.clone()),
        Role::SocialWorker => DeviceScope::Office(caller.organisation_id.clone()),
        Role::Requester => DeviceScope::Nothing,
        Role::Admin | Role::Coordinator | Role::LendingStaff => DeviceScope::All,
    }
}

/// Whether a device lies within a scope.
pub fn device_in(scope: &DeviceScope, d: &DeviceRow) -> bool {
    match scope {
        DeviceScope::All => true,
        DeviceScope::Workshop(org) => {
            d.workshop_id.as_deref() == Some(org) && WORKSHOP_STATUSES.contains(&d.status)
        }
        DeviceScope::Office(org) => {
            d.status == Status::Ready || d.holder_organisation_id.as_deref() == Some(org)
        }
        DeviceScope::Nothing => false,
    }
}

/// The workshop a caller's wipes, refurbishments and work queue belong to: a refurbisher's own
/// workshop, whatever they name; `None` for those who work for any workshop (admins, lending
/// staff), who say which one or take the device's.
pub fn own_workshop(caller: &Caller) -> Option<String> {
    match device_scope(caller) {
        DeviceScope::Workshop(org) => Some(org),
        DeviceScope::All | DeviceScope::Office(_) | DeviceScope::Nothing => None,
    }
}

/// The record a history event belongs to, read from its detail.
pub enum EventOwner {
    /// A loan of this welfare office.
    Loan {
        organisation_id: String,
    },
    /// A booking of this organisation.
    Booking {
        organisation_id: String,
    },
    None,
}

/// Whether the caller sees the details of a history event (loan number, conditions, notes) or
/// only that it happened.
pub fn event_detail(caller: &Caller, owner: &EventOwner) -> bool {
    match owner {
        EventOwner::Loan { organisation_id } => loan_record(caller, organisation_id),
        EventOwner::Booking { organisation_id } => booking_of(caller, organisation_id),
        EventOwner::None => true,
    }
}

/// Which donation batches a caller sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DonationScope {
    All,
    /// A refurbisher: the batches assigned to their workshop.
    Workshop(String),
    Nothing,
}

/// Donations and their certificates: refurbishers see the batches assigned to their workshop;
/// social workers and requesters none; other device readers all.
pub fn donation_scope(caller: &Caller) -> DonationScope {
    match caller.role {
        Role::Refurbisher => DonationScope::Workshop(caller.organisation_id.clone()),
        Role::SocialWorker | Role::Requester => DonationScope::Nothing,
        Role::Admin | Role::Coordinator | Role::LendingStaff if caller.can(Perm::ReadDevices) => {
            DonationScope::All
        }
        Role::Admin | Role::Coordinator | Role::LendingStaff => DonationScope::Nothing,
    }
}

pub fn donation(caller: &Caller, d: &DonationRow) -> bool {
    match donation_scope(caller) {
        DonationScope::All => true,
        DonationScope::Workshop(org) => d.workshop_id.as_deref() == Some(org.as_str()),
        DonationScope::Nothing => false,
    }
}

/// Borrowers, loans, their charges, checkpoints and scans, and the agreement: the staff of the
/// welfare office the record belongs to, coordinators and admins.
pub fn loan_record(caller: &Caller, organisation_id: &str) -> bool {
    caller.can(Perm::ReadLoans)
        && (caller.sees_everything() || caller.organisation_id == organisation_id)
}

/// The office a list of loan records is restricted to: `None` means every office (coordinators
/// and admins who did not ask for one).
pub fn loan_list_office(caller: &Caller, asked: Option<uuid::Uuid>) -> Option<String> {
    if caller.sees_everything() {
        asked.map(|u| u.to_string())
    } else {
        Some(caller.organisation_id.clone())
    }
}

/// The subject-access export of a borrower: those who manage personal data (coordinators,
/// admins) and the social workers of the borrower's own office.
pub fn borrower_export(caller: &Caller, organisation_id: &str) -> bool {
    (caller.can(Perm::ManagePersonalData) || caller.role == Role::SocialWorker)
        && loan_record(caller, organisation_id)
}

/// Bookings: lending staff, coordinators and admins see all; requesters their organisation's.
pub fn booking(caller: &Caller, b: &BookingRow) -> bool {
    booking_of(caller, &b.organisation_id)
}

pub fn booking_of(caller: &Caller, organisation_id: &str) -> bool {
    caller.can(Perm::ReadBookings)
        && (caller.role != Role::Requester || caller.organisation_id == organisation_id)
}

/// The organisation a list of bookings is restricted to: a requester's own; `None` for those
/// who see every booking (they may filter on one themselves).
pub fn booking_list_organisation(caller: &Caller) -> Option<String> {
    (caller.role == Role::Requester).then(|| caller.organisation_id.clone())
}

/// Whether the caller may learn which asset tags are in the booking pool.
pub fn sees_pool_tags(caller: &Caller) -> bool {
    caller.can(Perm::ManageBookings) || caller.sees_everything()
}

/// Which part of the figures a caller may see:
/// - admins and coordinators: everything (`All`);
/// - lending staff: the devices, bookings, workshop and environment groups (`Lending`);
/// - social workers: the people group, for the loans of their own office (`Office`);
/// - refurbishers and requesters: nothing (403).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureScope {
    All,
    Lending,
    Office(String),
}

impl FigureScope {
    /// The scope of a caller; 403 for roles that see no figures.
    pub fn of(caller: &Caller) -> AppResult<FigureScope> {
        caller.require(Perm::ReadFigures)?;
        Ok(if caller.sees_everything() {
            FigureScope::All
        } else if crate::auth::policy::follows_borrowers(caller.role) {
            FigureScope::Office(caller.organisation_id.clone())
        } else {
            FigureScope::Lending
        })
    }

    /// Whether the groups about devices, bookings, the workshop and the environment are in.
    pub fn inventory(&self) -> bool {
        !matches!(self, FigureScope::Office(_))
    }

    /// Whether the people group (loans, borrowers, checkpoints, charges) is in.
    pub fn people(&self) -> bool {
        !matches!(self, FigureScope::Lending)
    }
}
