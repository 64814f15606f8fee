//! Database rows. They mirror the tables; API types live in `api` and never expose rows directly.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::*;
use crate::domain::accounts::{OrgKind, Role};
use crate::domain::devices::DeviceKind;
use crate::domain::lifecycle::Status;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = organisations)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub kind: OrgKind,
    pub address: Option<String>,
    pub created_at: NaiveDateTime,
    pub opening_hours: Option<String>,
    pub return_instructions: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub organisation_id: String,
    pub name: String,
    pub email: Option<String>,
    pub role: Role,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub token_hash: String,
    pub label: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = donations)]
pub struct DonationRow {
    pub id: String,
    pub donor_organisation_id: Option<String>,
    pub donor_name: Option<String>,
    pub anonymous: bool,
    pub received_on: NaiveDate,
    pub received_at: String,
    pub note: Option<String>,
    pub owner_organisation_id: String,
    pub workshop_id: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = devices)]
pub struct DeviceRow {
    pub id: String,
    pub seq: i64,
    pub asset_tag: String,
    pub kind: DeviceKind,
    pub subtype: Option<String>,
    pub brand: String,
    pub model: String,
    pub serial_number: Option<String>,
    pub serial_key: Option<String>,
    pub specs: String,
    pub accessories: Option<String>,
    pub notes: Option<String>,
    pub status: Status,
    pub donation_id: Option<String>,
    pub owner_organisation_id: String,
    pub holder_organisation_id: Option<String>,
    pub workshop_id: Option<String>,
    pub in_pool: bool,
    pub shelf_location: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The accessories that came back at the latest return (loan or booking).
    pub accessories_back: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = device_events)]
pub struct DeviceEventRow {
    pub id: String,
    pub device_id: String,
    pub seq: i32,
    pub at: NaiveDateTime,
    pub actor_user_id: Option<String>,
    pub action: String,
    pub status_before: Option<Status>,
    pub status_after: Status,
    pub detail: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = programmes)]
pub struct ProgrammeRow {
    pub id: String,
    pub name: String,
    pub end_date: NaiveDate,
    pub checkpoint_interval_months: i32,
    pub value_cents: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = borrowers)]
pub struct BorrowerRow {
    pub id: String,
    pub organisation_id: String,
    pub name: String,
    pub name_key: String,
    pub date_of_birth: NaiveDate,
    pub language: crate::domain::borrowers::Language,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub social_worker_id: String,
    pub note: Option<String>,
    pub anonymised_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = loans)]
pub struct LoanRow {
    pub id: String,
    pub number: String,
    pub organisation_id: String,
    pub borrower_id: String,
    pub programme_id: String,
    pub social_worker_id: String,
    pub status: crate::domain::loans::LoanStatus,
    pub purpose: crate::domain::loans::Purpose,
    pub accessories: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub programme_end_date: NaiveDate,
    pub checkpoint_interval_months: i32,
    pub value_cents: i64,
    pub signed_on: Option<NaiveDate>,
    pub signed_place: Option<String>,
    pub signed_by_borrower: bool,
    pub signed_by_social_worker: bool,
    pub signed_recorded_by: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = loan_devices)]
pub struct LoanDeviceRow {
    pub id: String,
    pub loan_id: String,
    pub device_id: String,
    pub status: crate::domain::loans::LoanDeviceStatus,
    pub open_device_id: Option<String>,
    pub returned_on: Option<NaiveDate>,
    pub return_condition: Option<String>,
    pub accessories_back: Option<String>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = loan_checkpoints)]
pub struct CheckpointRow {
    pub id: String,
    pub loan_id: String,
    pub due_on: NaiveDate,
    pub held_on: Option<NaiveDate>,
    pub device_present: Option<bool>,
    pub device_working: Option<bool>,
    pub condition: Option<String>,
    pub still_needed: Option<bool>,
    pub note: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = loan_charges)]
pub struct ChargeRow {
    pub id: String,
    pub loan_id: String,
    pub device_id: String,
    pub kind: crate::domain::loans::ChargeKind,
    pub amount_cents: i64,
    pub status: crate::domain::loans::ChargeStatus,
    pub raised_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub paid_amount_cents: Option<i64>,
    pub method: Option<crate::domain::loans::PaymentMethod>,
    pub waived_reason: Option<String>,
    pub settled_by: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = loan_scans)]
pub struct ScanRow {
    pub loan_id: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub data: Vec<u8>,
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
}

/// A wipe tool's report file, stored with its wipe record.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = wipe_reports)]
pub struct WipeReportRow {
    pub wipe_id: String,
    pub device_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub data: Vec<u8>,
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = drives)]
pub struct DriveRow {
    pub id: String,
    pub device_id: String,
    /// 1, 2, ... in the order the drives were listed or added.
    pub position: i32,
    pub drive_type: crate::domain::devices::DriveType,
    pub capacity_gb: i32,
    pub serial: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = wipe_records)]
pub struct WipeRow {
    pub id: String,
    pub device_id: String,
    pub drive_id: Option<String>,
    pub category: crate::domain::refurbishment::WipeCategory,
    pub technique: crate::domain::refurbishment::WipeTechnique,
    pub tool: String,
    pub tool_version: String,
    pub drive_serial: Option<String>,
    pub drive_type: crate::domain::devices::DriveType,
    pub capacity_gb: Option<i32>,
    pub passes: i32,
    pub verified: bool,
    pub verification_method: crate::domain::refurbishment::Verification,
    pub outcome: crate::domain::refurbishment::WipeOutcome,
    pub technician_user_id: String,
    pub technician_name: String,
    pub workshop_id: String,
    pub started_at: NaiveDateTime,
    pub ended_at: NaiveDateTime,
    pub report_file_name: Option<String>,
    pub report_sha256: Option<String>,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub verified_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refurbishments)]
pub struct RefurbishmentRow {
    pub id: String,
    pub device_id: String,
    pub checks: String,
    pub battery_health_pct: Option<i32>,
    pub parts_replaced: Option<String>,
    pub os_installed: Option<String>,
    pub os_version: Option<String>,
    pub cosmetic_grade: crate::domain::refurbishment::Grade,
    pub functional_pass: bool,
    pub minutes_spent: i32,
    pub technician_user_id: String,
    pub technician_name: String,
    pub workshop_id: String,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = certificates)]
pub struct CertificateRow {
    pub id: String,
    pub donation_id: String,
    pub number: String,
    pub issued_on: NaiveDate,
    pub issued_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bookings)]
pub struct BookingRow {
    pub id: String,
    pub reference: String,
    pub organisation_id: String,
    pub requested_by: String,
    pub status: crate::domain::bookings::BookingStatus,
    pub pickup_on: NaiveDate,
    pub return_on: NaiveDate,
    pub purpose: String,
    pub contact_name: String,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub note: Option<String>,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub picked_up_at: Option<NaiveDateTime>,
    pub returned_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = booking_lines)]
pub struct BookingLineRow {
    pub id: String,
    pub booking_id: String,
    pub line_no: i32,
    pub kind: DeviceKind,
    pub subtype: Option<String>,
    pub model: Option<String>,
    pub device_id: Option<String>,
    pub quantity: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = booking_devices)]
pub struct BookingDeviceRow {
    pub id: String,
    pub booking_id: String,
    pub device_id: String,
    pub line_no: Option<i32>,
    pub state: crate::domain::bookings::AllocationState,
    pub occupied_from: NaiveDate,
    pub occupied_until: NaiveDate,
    pub picked_up_at: Option<NaiveDateTime>,
    pub returned_at: Option<NaiveDateTime>,
    pub return_condition: Option<crate::domain::bookings::ReturnCondition>,
    pub missing_accessories: Option<String>,
    pub reported_missing: bool,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::device_event_notes)]
pub struct EventNoteRow {
    pub event_id: String,
    pub name: String,
    pub device_id: String,
    pub loan_id: Option<String>,
    pub text: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::anonymisation_log)]
pub struct AnonymisationLogRow {
    pub id: String,
    pub borrower_id: String,
    pub at: NaiveDateTime,
    pub actor_user_id: Option<String>,
    pub source: String,
    pub loans: i64,
    pub cleared_texts: i64,
}
