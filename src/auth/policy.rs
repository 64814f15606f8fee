//! Who may do what: the one place where roles meet permissions.
//!
//! Every handler asks `caller.require(Perm::…)` before it does anything. Scoping of data to
//! an organisation (a workshop's devices, a welfare office's borrowers) is applied on top of
//! this, in the domain queries, and answers 404 so that other organisations' records stay
//! invisible.

use crate::domain::accounts::Role;

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
    /// Generic lifecycle actions on a device (scoped like `ReadDevices`).
    ActOnDevices,
    /// Assign donations or devices to a workshop.
    AssignWork,
    /// Record wipes and refurbishments (scoped to the refurbisher's workshop).
    RecordRefurbishment,
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
    /// Read the figures (scoped: `domain::figures::Scope`).
    ReadFigures,
    /// Freeze a closed year's figures.
    FreezeFigures,
}

/// The permission table. Read it as: this permission is granted to these roles.
pub fn allows(role: Role, perm: Perm) -> bool {
    use Perm::*;
    use Role::*;
    let granted: &[Role] = match perm {
        ManageAccounts => &[Admin],
        ReadOrganisations => &[Admin, Coordinator, LendingStaff, Refurbisher, SocialWorker],
        RegisterDevices => &[Admin, LendingStaff],
        ReadDevices => &[Admin, Coordinator, LendingStaff, Refurbisher, SocialWorker],
        ActOnDevices => &[Admin, LendingStaff, Refurbisher],
        AssignWork => &[Admin, LendingStaff],
        RecordRefurbishment => &[Admin, Refurbisher],
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
    };
    granted.contains(&role)
}
