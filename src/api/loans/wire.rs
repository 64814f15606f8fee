//! What loans look like on the wire: the request bodies (turned into the domain's inputs) and
//! the responses (made from the domain's rows).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::accounts::{utc, uuid_of};
use crate::api::devices::Device;
use crate::db::models::{ChargeRow, CheckpointRow, ScanRow};
use crate::db::today;
use crate::domain::ids::{BorrowerId, CheckpointId, DeviceId, OrganisationId, ProgrammeId};
use crate::domain::loans::{
    self, ChargeKind, ChargeStatus, LoanDetail, LoanDeviceStatus, LoanStatus, PaymentMethod,
    Purpose,
};

/// A loan to draw up.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLoan {
    /// A borrower of the caller's office.
    pub borrower_id: uuid::Uuid,
    pub programme_id: uuid::Uuid,
    /// One to three `ready` devices (e.g. a laptop and a 4G hotspot), each by id, scanned asset
    /// tag or label URL. Pool devices are for bookings only and are refused.
    pub device_ids: Vec<String>,
    pub start_date: NaiveDate,
    /// Defaults to the programme's end date; may be earlier, never later.
    pub end_date: Option<NaiveDate>,
    /// Accessories handed over ("charger", "sleeve", …).
    #[serde(default)]
    pub accessories: Vec<String>,
    pub purpose: Purpose,
}

impl From<NewLoan> for loans::NewLoan {
    fn from(n: NewLoan) -> Self {
        loans::NewLoan {
            borrower_id: BorrowerId::from(n.borrower_id.to_string()),
            programme_id: ProgrammeId::from(n.programme_id.to_string()),
            device_ids: n.device_ids,
            start_date: n.start_date,
            end_date: n.end_date,
            accessories: n.accessories,
            purpose: n.purpose,
        }
    }
}

/// The agreement was signed at the desk.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignLoan {
    /// Must be true: the borrower signed the paper.
    pub borrower_signed: bool,
    /// Must be true: the social worker signed for the lender.
    pub social_worker_signed: bool,
    /// Not in the future.
    pub signed_on: NaiveDate,
    pub place: String,
}

impl From<SignLoan> for loans::SignLoan {
    fn from(s: SignLoan) -> Self {
        loans::SignLoan {
            borrower_signed: s.borrower_signed,
            social_worker_signed: s.social_worker_signed,
            signed_on: s.signed_on,
            place: s.place,
        }
    }
}

/// A checkpoint held with the borrower.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordCheckpoint {
    /// The scheduled checkpoint; defaults to the earliest one not yet held.
    pub checkpoint_id: Option<uuid::Uuid>,
    pub held_on: NaiveDate,
    pub device_present: bool,
    pub device_working: bool,
    pub condition: Option<String>,
    /// Whether the borrower still needs the device.
    pub still_needed: bool,
    pub note: Option<String>,
}

impl From<RecordCheckpoint> for loans::RecordCheckpoint {
    fn from(r: RecordCheckpoint) -> Self {
        loans::RecordCheckpoint {
            checkpoint_id: r.checkpoint_id.map(|c| CheckpointId::from(c.to_string())),
            held_on: r.held_on,
            device_present: r.device_present,
            device_working: r.device_working,
            condition: r.condition,
            still_needed: r.still_needed,
            note: r.note,
        }
    }
}

/// Extend a loan by one interval (default) or to a date, never past the programme's end.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendLoan {
    pub end_date: Option<NaiveDate>,
}

/// One device brought back.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnedDevice {
    /// The device's id, scanned asset tag or label URL.
    pub device_id: String,
    pub condition: String,
    /// True when the device came back damaged: it goes to repair (`in_repair`).
    #[serde(default)]
    pub damaged: bool,
    /// Accessories that came back, recorded on the device. On a loan of one device, an
    /// accessory listed on the loan that is not among them counts as missing.
    #[serde(default)]
    pub accessories_back: Vec<String>,
    /// Accessories that did not come back with this device. Any missing accessory sends the
    /// device to repair (`in_repair`) for inspection.
    #[serde(default)]
    pub missing_accessories: Vec<String>,
}

/// Devices brought back.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnLoan {
    /// Defaults to today.
    pub returned_on: Option<NaiveDate>,
    pub devices: Vec<ReturnedDevice>,
}

impl From<ReturnLoan> for loans::ReturnLoan {
    fn from(r: ReturnLoan) -> Self {
        loans::ReturnLoan {
            returned_on: r.returned_on,
            devices: r
                .devices
                .into_iter()
                .map(|d| loans::ReturnedDevice {
                    device_id: d.device_id,
                    condition: d.condition,
                    damaged: d.damaged,
                    accessories_back: d.accessories_back,
                    missing_accessories: d.missing_accessories,
                })
                .collect(),
        }
    }
}

/// Devices not returned by the end date.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NonReturn {
    /// Defaults to every device still out.
    pub device_ids: Option<Vec<uuid::Uuid>>,
    pub note: Option<String>,
}

impl From<NonReturn> for loans::NonReturn {
    fn from(n: NonReturn) -> Self {
        loans::NonReturn {
            device_ids: n
                .device_ids
                .map(|ids| ids.iter().map(|u| DeviceId::from(u.to_string())).collect()),
            note: n.note,
        }
    }
}

/// A payment of a charge.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub paid_on: NaiveDate,
    /// Must equal the amount of the charge (no partial payments).
    pub amount_cents: i64,
    pub method: PaymentMethod,
}

impl From<Payment> for loans::Payment {
    fn from(p: Payment) -> Self {
        loans::Payment {
            paid_on: p.paid_on,
            amount_cents: p.amount_cents,
            method: p.method,
        }
    }
}

/// The borrower buys a device (early, or a lost one afterwards).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Purchase {
    pub device_id: uuid::Uuid,
    pub paid_on: NaiveDate,
    /// Must equal the loan's agreed value per device.
    pub amount_cents: i64,
    pub method: PaymentMethod,
}

impl From<Purchase> for loans::Purchase {
    fn from(p: Purchase) -> Self {
        loans::Purchase {
            device_id: DeviceId::from(p.device_id.to_string()),
            paid_on: p.paid_on,
            amount_cents: p.amount_cents,
            method: p.method,
        }
    }
}

/// A charge is waived (coordinators and admins).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    pub reason: String,
}

/// Filters of the loan list.
#[derive(Debug, Default, Clone, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LoanFilter {
    /// Only this office (coordinators and admins; social workers always see their own).
    pub organisation_id: Option<uuid::Uuid>,
    pub borrower_id: Option<uuid::Uuid>,
    pub status: Option<LoanStatus>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl From<&LoanFilter> for loans::LoanFilter {
    fn from(f: &LoanFilter) -> Self {
        loans::LoanFilter {
            organisation_id: f.organisation_id.map(office_id),
            borrower_id: f.borrower_id.map(|b| BorrowerId::from(b.to_string())),
            status: f.status,
        }
    }
}

/// An organisation id from a query parameter.
pub fn office_id(u: uuid::Uuid) -> OrganisationId {
    OrganisationId::from(u.to_string())
}

/// Work-list parameters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct WorklistParams {
    /// Look this many days ahead, 0 to 731 (default 30). Ignored by the overdue lists.
    pub days: Option<i64>,
    /// Only this office (coordinators and admins; social workers always see their own).
    pub organisation_id: Option<uuid::Uuid>,
}

/// One device of a loan.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LoanDevice {
    pub status: LoanDeviceStatus,
    pub returned_on: Option<NaiveDate>,
    pub return_condition: Option<String>,
    pub accessories_back: Option<Vec<String>>,
    pub device: Device,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Checkpoint {
    pub id: uuid::Uuid,
    pub due_on: NaiveDate,
    /// Absent until the checkpoint is held.
    pub held_on: Option<NaiveDate>,
    pub device_present: Option<bool>,
    pub device_working: Option<bool>,
    pub condition: Option<String>,
    pub still_needed: Option<bool>,
    pub note: Option<String>,
    pub recorded_by: Option<uuid::Uuid>,
    pub recorded_at: Option<DateTime<Utc>>,
}

impl From<CheckpointRow> for Checkpoint {
    fn from(r: CheckpointRow) -> Self {
        Checkpoint {
            id: uuid_of(&r.id),
            due_on: r.due_on,
            held_on: r.held_on,
            device_present: r.device_present,
            device_working: r.device_working,
            condition: r.condition,
            still_needed: r.still_needed,
            note: r.note,
            recorded_by: r.recorded_by.as_deref().map(uuid_of),
            recorded_at: r.recorded_at.map(utc),
        }
    }
}

/// Money owed for a device: not returned, or bought.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Charge {
    pub id: uuid::Uuid,
    pub loan_id: uuid::Uuid,
    pub device_id: uuid::Uuid,
    pub kind: ChargeKind,
    pub amount_cents: i64,
    pub status: ChargeStatus,
    pub raised_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub paid_amount_cents: Option<i64>,
    pub method: Option<PaymentMethod>,
    pub waived_reason: Option<String>,
    pub settled_by: Option<uuid::Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ChargeRow> for Charge {
    fn from(r: ChargeRow) -> Self {
        Charge {
            id: uuid_of(&r.id),
            loan_id: uuid_of(&r.loan_id),
            device_id: uuid_of(&r.device_id),
            kind: r.kind,
            amount_cents: r.amount_cents,
            status: r.status,
            raised_on: r.raised_on,
            paid_on: r.paid_on,
            paid_amount_cents: r.paid_amount_cents,
            method: r.method,
            waived_reason: r.waived_reason,
            settled_by: r.settled_by.as_deref().map(uuid_of),
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

/// The stored scan of the signed paper (not its content).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScanInfo {
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

impl From<ScanRow> for ScanInfo {
    fn from(row: ScanRow) -> Self {
        ScanInfo {
            content_type: row.content_type,
            size_bytes: row.size_bytes,
            sha256: row.sha256,
            uploaded_at: utc(row.uploaded_at),
        }
    }
}

/// A loan with its devices, checkpoints and charges. The dates and amounts are the ones
/// copied from the programme at signing: later programme changes do not alter them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Loan {
    pub id: uuid::Uuid,
    /// The agreement's number, e.g. BL-2026-00042.
    pub number: String,
    pub organisation_id: uuid::Uuid,
    pub borrower_id: uuid::Uuid,
    pub programme_id: uuid::Uuid,
    pub social_worker_id: uuid::Uuid,
    pub status: LoanStatus,
    /// Active and past its end date with devices still out.
    pub overdue: bool,
    pub purpose: Purpose,
    pub accessories: Vec<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub programme_end_date: NaiveDate,
    pub checkpoint_interval_months: i32,
    /// Agreed value per device (euro cents), owed if it is not returned.
    pub value_cents: i64,
    pub signed_on: Option<NaiveDate>,
    pub signed_place: Option<String>,
    pub signed_by_borrower: bool,
    pub signed_by_social_worker: bool,
    pub closed_at: Option<DateTime<Utc>>,
    pub devices: Vec<LoanDevice>,
    pub checkpoints: Vec<Checkpoint>,
    pub charges: Vec<Charge>,
    pub signed_scan: Option<ScanInfo>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<LoanDetail> for Loan {
    fn from(d: LoanDetail) -> Self {
        let l = d.loan;
        Loan {
            id: uuid_of(&l.id),
            overdue: loans::is_overdue(&l, today()),
            number: l.number,
            organisation_id: uuid_of(&l.organisation_id),
            borrower_id: uuid_of(&l.borrower_id),
            programme_id: uuid_of(&l.programme_id),
            social_worker_id: uuid_of(&l.social_worker_id),
            status: l.status,
            purpose: l.purpose,
            accessories: loans::parse_list(&l.accessories),
            start_date: l.start_date,
            end_date: l.end_date,
            programme_end_date: l.programme_end_date,
            checkpoint_interval_months: l.checkpoint_interval_months,
            value_cents: l.value_cents,
            signed_on: l.signed_on,
            signed_place: l.signed_place,
            signed_by_borrower: l.signed_by_borrower,
            signed_by_social_worker: l.signed_by_social_worker,
            closed_at: l.closed_at.map(utc),
            devices: d
                .devices
                .into_iter()
                .map(|(ld, dev)| LoanDevice {
                    status: ld.status,
                    returned_on: ld.returned_on,
                    return_condition: ld.return_condition,
                    accessories_back: ld.accessories_back.as_deref().map(loans::parse_list),
                    device: Device::from(dev),
                })
                .collect(),
            checkpoints: d.checkpoints.into_iter().map(Checkpoint::from).collect(),
            charges: d.charges.into_iter().map(Charge::from).collect(),
            signed_scan: d
                .scan
                .map(|(content_type, size_bytes, sha256, at)| ScanInfo {
                    content_type,
                    size_bytes,
                    sha256,
                    uploaded_at: utc(at),
                }),
            created_at: utc(l.created_at),
            updated_at: utc(l.updated_at),
        }
    }
}

/// A checkpoint in a work list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DueCheckpoint {
    pub checkpoint_id: uuid::Uuid,
    pub due_on: NaiveDate,
    pub loan_id: uuid::Uuid,
    pub loan_number: String,
    pub organisation_id: uuid::Uuid,
    pub borrower_id: uuid::Uuid,
    pub borrower_name: String,
    pub social_worker_id: uuid::Uuid,
}

impl From<loans::DueCheckpoint> for DueCheckpoint {
    fn from(r: loans::DueCheckpoint) -> Self {
        let (c, l) = (r.checkpoint, r.loan);
        DueCheckpoint {
            checkpoint_id: uuid_of(&c.id),
            due_on: c.due_on,
            loan_id: uuid_of(&l.id),
            loan_number: l.number,
            organisation_id: uuid_of(&l.organisation_id),
            borrower_id: uuid_of(&l.borrower_id),
            borrower_name: r.borrower_name,
            social_worker_id: uuid_of(&l.social_worker_id),
        }
    }
}

/// A loan in a work list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EndingLoan {
    pub loan_id: uuid::Uuid,
    pub loan_number: String,
    pub organisation_id: uuid::Uuid,
    pub borrower_id: uuid::Uuid,
    pub borrower_name: String,
    pub social_worker_id: uuid::Uuid,
    pub end_date: NaiveDate,
    /// Days past the end date (0 when not yet ended).
    pub days_overdue: i64,
}

impl From<loans::EndingLoan> for EndingLoan {
    fn from(r: loans::EndingLoan) -> Self {
        let l = r.loan;
        EndingLoan {
            loan_id: uuid_of(&l.id),
            loan_number: l.number,
            organisation_id: uuid_of(&l.organisation_id),
            borrower_id: uuid_of(&l.borrower_id),
            borrower_name: r.borrower_name,
            social_worker_id: uuid_of(&l.social_worker_id),
            end_date: l.end_date,
            days_overdue: r.days_overdue,
        }
    }
}
