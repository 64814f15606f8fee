//! The rules of the service, as plain functions over a connection. Handlers call these inside
//! one transaction per request.

pub mod accounts;
pub mod availability;
pub mod bookings;
pub mod borrowers;
pub mod commitments;
pub mod device_ref;
pub mod devices;
pub mod donations;
pub mod figures;
pub mod guards;
pub mod ids;
pub mod intake;
pub mod labels;
pub mod lifecycle;
pub mod limits;
pub mod loans;
pub mod national_number;
pub mod personal_notes;
pub mod programmes;
pub mod refurbishment;
pub mod refusal;
