//! Who may do what: the one place where roles meet permissions.
//!
//! The domain asks: every public domain function that a request reaches takes the `Caller`
//! and calls `caller.require(Perm::…)` (or [`Caller::require_action`] for a lifecycle action)
//! before it reads or changes anything; API handlers only extract, call the domain and render,
//! so the web pages that call the same functions get the same rules. Which records of a kind
//! a permitted caller then sees (a workshop's devices, a welfare office's borrowers) is
//! decided next door, in [`crate::auth::visibility`], and answers 404 so that other
//! organisations' records stay invisible.
//!
//! Read this file as two tables: [`allows`] (permission → roles) and [`WORKSHOP_ACTIONS`]
//! (the lifecycle actions a refurbisher may take; the other roles that may act on devices
//! take every action the action endpoint offers).
//!
//! [`Caller::require_action`]: crate::auth::Caller::require_action

use crate::domain::accounts::Role;
use crate::domain::lifecycle::Action;

/// Something a caller may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perm {
    /// Create organisations, users and tokens for anyone.
    ManageAccounts,
    /// List and read organisations (to pick a donor, a school, a workshop).
    ReadOrganisations,
    /// Register donations and devices, edit device fields.
    RegisterDevices,
    /// Read the inventory (scoped: refurbishers see their workshop's devices, social workers
    /// the devices they can lend).
    ReadDevices,
    /// Generic lifecycle actions on a device (scoped like `ReadDevices`; refurbishers only
    /// [`WORKSHOP_ACTIONS`]).
    ActOnDevices,
    /// Assign donations or devices to a workshop.
    AssignWork,
    /// Record wipes and refurbishments (scoped to the refurbisher's workshop).
    RecordRefurbishment,
    /// Read a workshop's work queue (refurbishers their own; those who assign work any).
    ReadWorkQueue,
    /// Reset pool devices back from a booking and release them (refurbishers: their
    /// workshop's devices).
    ResetPoolDevices,
    /// Download certificates of data sanitisation.
    ReadCertificates,
    /// Manage borrowers and loans (scoped to the welfare office).
    ManageLoans,
    /// Read borrowers and loans (scoped to the welfare office unless coordinator/admin).
    ReadLoans,
    /// Waive a penalty.
    WaivePenalties,
    /// Manage lending programmes.
    ManagePrograms,
    /// Export or anonymise a borrower's personal data (GDPR).
    ManagePersonalData,
    /// Ask for a booking (requesters: only for their own organisation).
    RequestBookings,
    /// Read bookings (requesters: only their own organisation's).
    ReadBookings,
    /// Confirm, hand out, take back bookings; book for anyone.
    ManageBookings,
    /// See the availability of the booking pool.
    ReadAvailability,
    /// Print labels.
    PrintLabels,
    /// Read the figures (scoped: `auth::visibility::FigureScope`).
    ReadFigures,
    /// Freeze a closed year's figures.
    FreezeFigures,
}

/// The permission table. Read it as: this permission is granted to these roles.
pub fn allows(role: Role, perm: Perm) -> bool {
    granted(perm).contains(&role)
}

fn granted(perm: Perm) -> &'static [Role] {
    use Perm::*;
    use Role::*;
    match perm {
        ManageAccounts => &[Admin],
        ReadOrganisations => &[Admin, Coordinator, LendingStaff, Refurbisher, SocialWorker],
        RegisterDevices => &[Admin, LendingStaff],
        ReadDevices => &[Admin, Coordinator, LendingStaff, Refurbisher, SocialWorker],
        ActOnDevices => &[Admin, LendingStaff, Refurbisher],
        AssignWork => &[Admin, LendingStaff],
        RecordRefurbishment => &[Admin, Refurbisher],
        ReadWorkQueue => &[Admin, LendingStaff, Refurbisher],
        ResetPoolDevices => &[Admin, LendingStaff, Refurbisher],
        ReadCertificates => &[Admin, Coordinator, LendingStaff, Refurbisher],
        ManageLoans => &[Admin, SocialWorker],
        ReadLoans => &[Admin, Coordinator, SocialWorker],
        WaivePenalties => &[Admin, Coordinator],
        ManagePrograms => &[Admin, Coordinator],
        ManagePersonalData => &[Admin, Coordinator],
        RequestBookings => &[Admin, LendingStaff, Requester],
        ReadBookings => &[Admin, Coordinator, LendingStaff, Requester],
        ManageBookings => &[Admin, LendingStaff],
        ReadAvailability => &[Admin, Coordinator, LendingStaff, Requester],
        PrintLabels => &[Admin, LendingStaff, Refurbisher],
        ReadFigures => &[Admin, Coordinator, LendingStaff, SocialWorker],
        FreezeFigures => &[Admin, Coordinator],
    }
}

/// The roles granted `perm`, for queries over users ("is another admin left?").
pub fn roles_with(perm: Perm) -> &'static [Role] {
    granted(perm)
}

/// The lifecycle actions a refurbisher may take through the action endpoint: the workshop's
/// own steps. Admins and lending staff may take every action the endpoint offers.
pub const WORKSHOP_ACTIONS: &[Action] = &[
    Action::Wipe,
    Action::Refurbish,
    Action::Release,
    Action::SendToRepair,
    Action::Retire,
];

/// Whether `role` may take `action` through the action endpoint (beyond the lifecycle
/// table, which says whether the device's status allows it).
pub fn allows_action(role: Role, action: Action) -> bool {
    allows(role, Perm::ActOnDevices)
        && (role != Role::Refurbisher || WORKSHOP_ACTIONS.contains(&action))
}

/// Whether users of `role` follow borrowers personally (a borrower's `social_worker_id`, the
/// default social worker of what they draft): social workers. Admins may be named as one too.
pub fn follows_borrowers(role: Role) -> bool {
    role == Role::SocialWorker
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refurbishers_take_only_the_workshop_steps() {
        assert!(allows_action(Role::Refurbisher, Action::Wipe));
        assert!(!allows_action(Role::Refurbisher, Action::MarkLost));
        assert!(allows_action(Role::LendingStaff, Action::MarkLost));
        assert!(!allows_action(Role::Coordinator, Action::Wipe));
    }

    #[test]
    fn only_admins_manage_accounts() {
        assert_eq!(roles_with(Perm::ManageAccounts), &[Role::Admin]);
    }
}
