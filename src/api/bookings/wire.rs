//! What bookings look like on the wire: the request bodies (turned into the domain's inputs)
//! and the responses (made from the domain's rows).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::accounts::{utc, uuid_of};
use crate::db::models::BookingRow;
use crate::domain::bookings::{
    self, AllocationState, BookingDetail, BookingStatus, ReturnCondition,
};
use crate::domain::devices::DeviceKind;
use crate::domain::ids::OrganisationId;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A kind of device and how many.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineRequest {
    pub kind: DeviceKind,
    pub quantity: i32,
    /// For peripherals: beamer, vr_headset, headphones, ...
    pub subtype: Option<String>,
    /// Only this model (case-insensitive).
    pub model: Option<String>,
}

/// A booking request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBooking {
    /// The borrowing organisation. Requesters book for their own (the default); lending staff
    /// and admins for any.
    pub organisation_id: Option<uuid::Uuid>,
    pub pickup_on: NaiveDate,
    pub return_on: NaiveDate,
    pub purpose: String,
    pub contact: Contact,
    #[serde(default)]
    pub lines: Vec<LineRequest>,
    /// Specific devices, by asset tag.
    #[serde(default)]
    pub devices: Vec<String>,
    pub note: Option<String>,
}

/// A change to a booking. Requesters may change their own booking while it is requested;
/// lending staff any booking until it is picked up, and the return date (an extension) and
/// texts after that. Every conflict is checked again; a change that would double-book a
/// device fails whole.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingPatch {
    pub pickup_on: Option<NaiveDate>,
    pub return_on: Option<NaiveDate>,
    pub purpose: Option<String>,
    pub contact: Option<Contact>,
    pub note: Option<String>,
    #[serde(default)]
    pub add_lines: Vec<LineRequest>,
    /// Specific devices to add, by asset tag.
    #[serde(default)]
    pub add_devices: Vec<String>,
    /// New quantities for existing lines. A requester may lower the quantities of their own
    /// confirmed booking (the surplus devices are released); raising them on a confirmed
    /// booking (lending staff) allocates more devices or fails whole.
    #[serde(default)]
    pub quantities: Vec<QuantityChange>,
}

/// A new quantity for one line of a booking.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityChange {
    pub line_no: i32,
    pub quantity: i32,
}

/// Devices the organisation lost, written off through the booking; or devices found again.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteOffRequest {
    /// Asset tags (or device ids, or label URLs) of devices out with this booking.
    pub asset_tags: Vec<String>,
    pub note: Option<String>,
}

/// Whether the pool can serve one line of a booking over its days, at the time of asking.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LineAvailability {
    pub line_no: i32,
    pub kind: DeviceKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    pub requested: i64,
    /// Devices free for the booking's days (after the other lines took theirs).
    pub available: i64,
    /// How many are missing: requested minus available, at least 0.
    pub short: i64,
}

/// The pool's answer to a request, before the lending service confirms it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PoolCheck {
    /// True when every line can be served in full today.
    pub can_serve: bool,
    pub lines: Vec<LineAvailability>,
}

/// The devices handed over, scanned by asset tag.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickupRequest {
    pub asset_tags: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnItem {
    /// The scanned asset tag (or device id, or label URL).
    pub asset_tag: String,
    #[serde(default = "good")]
    pub condition: ReturnCondition,
    /// Accessories that did not come back (charger, pen, case, ...).
    pub missing_accessories: Option<String>,
    /// Accessories that came back; defaults to the device's accessories minus the missing ones.
    pub accessories_back: Option<String>,
    pub note: Option<String>,
}

fn good() -> ReturnCondition {
    ReturnCondition::Good
}

/// What came back, scanned by asset tag; devices reported missing stay on the booking.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    #[serde(default)]
    pub items: Vec<ReturnItem>,
    /// Asset tags the organisation reports as missing.
    #[serde(default)]
    pub reported_missing: Vec<String>,
    pub note: Option<String>,
}

impl From<Contact> for bookings::Contact {
    fn from(c: Contact) -> Self {
        bookings::Contact {
            name: c.name,
            phone: c.phone,
            email: c.email,
        }
    }
}

impl From<LineRequest> for bookings::LineRequest {
    fn from(l: LineRequest) -> Self {
        bookings::LineRequest {
            kind: l.kind,
            quantity: l.quantity,
            subtype: l.subtype,
            model: l.model,
        }
    }
}

fn lines(lines: Vec<LineRequest>) -> Vec<bookings::LineRequest> {
    lines.into_iter().map(Into::into).collect()
}

/// An organisation id from a body or a query parameter.
fn organisation(u: uuid::Uuid) -> OrganisationId {
    OrganisationId::from(u.to_string())
}

impl From<NewBooking> for bookings::NewBooking {
    fn from(b: NewBooking) -> Self {
        bookings::NewBooking {
            organisation_id: b.organisation_id.map(organisation),
            pickup_on: b.pickup_on,
            return_on: b.return_on,
            purpose: b.purpose,
            contact: b.contact.into(),
            lines: lines(b.lines),
            devices: b.devices,
            note: b.note,
        }
    }
}

impl From<BookingPatch> for bookings::BookingPatch {
    fn from(p: BookingPatch) -> Self {
        bookings::BookingPatch {
            pickup_on: p.pickup_on,
            return_on: p.return_on,
            purpose: p.purpose,
            contact: p.contact.map(Into::into),
            note: p.note,
            add_lines: lines(p.add_lines),
            add_devices: p.add_devices,
            quantities: p
                .quantities
                .into_iter()
                .map(|q| bookings::QuantityChange {
                    line_no: q.line_no,
                    quantity: q.quantity,
                })
                .collect(),
        }
    }
}

impl From<WriteOffRequest> for bookings::WriteOffRequest {
    fn from(w: WriteOffRequest) -> Self {
        bookings::WriteOffRequest {
            asset_tags: w.asset_tags,
            note: w.note,
        }
    }
}

impl From<PickupRequest> for bookings::PickupRequest {
    fn from(p: PickupRequest) -> Self {
        bookings::PickupRequest {
            asset_tags: p.asset_tags,
            note: p.note,
        }
    }
}

impl From<ReturnRequest> for bookings::ReturnRequest {
    fn from(r: ReturnRequest) -> Self {
        bookings::ReturnRequest {
            items: r
                .items
                .into_iter()
                .map(|i| bookings::ReturnItem {
                    asset_tag: i.asset_tag,
                    condition: i.condition,
                    missing_accessories: i.missing_accessories,
                    accessories_back: i.accessories_back,
                    note: i.note,
                })
                .collect(),
            reported_missing: r.reported_missing,
            note: r.note,
        }
    }
}

/// Filters of the booking list.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BookingFilter {
    pub status: Option<BookingStatus>,
    /// Ignored for requesters, who see their own organisation only.
    pub organisation_id: Option<uuid::Uuid>,
    /// Bookings picked up on or after this day.
    pub from: Option<NaiveDate>,
    /// Bookings picked up on or before this day.
    pub to: Option<NaiveDate>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl From<&BookingFilter> for bookings::BookingFilter {
    fn from(f: &BookingFilter) -> Self {
        bookings::BookingFilter {
            status: f.status,
            organisation_id: f.organisation_id.map(organisation),
            from: f.from,
            to: f.to,
        }
    }
}

impl From<bookings::LineAvailability> for LineAvailability {
    fn from(l: bookings::LineAvailability) -> Self {
        LineAvailability {
            line_no: l.line_no,
            kind: l.kind,
            subtype: l.subtype,
            model: l.model,
            requested: l.requested,
            available: l.available,
            short: l.short,
        }
    }
}

impl From<bookings::PoolCheck> for PoolCheck {
    fn from(p: bookings::PoolCheck) -> Self {
        PoolCheck {
            can_serve: p.can_serve,
            lines: p.lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// What was asked for.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BookingLine {
    pub line_no: i32,
    pub kind: DeviceKind,
    pub subtype: Option<String>,
    pub model: Option<String>,
    pub quantity: i32,
    /// Set when the line asks for one specific device.
    pub device_id: Option<uuid::Uuid>,
}

/// A device allocated to, out with, or back from a booking.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BookedDevice {
    pub device_id: uuid::Uuid,
    pub asset_tag: String,
    pub kind: DeviceKind,
    pub subtype: Option<String>,
    pub brand: String,
    pub model: String,
    pub shelf_location: Option<String>,
    pub state: AllocationState,
    /// The request line it fills (absent for a device added at pick-up).
    pub line_no: Option<i32>,
    /// The days it is held: pick-up through return plus the turnaround.
    pub occupied_from: NaiveDate,
    pub occupied_until: NaiveDate,
    pub picked_up_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub return_condition: Option<ReturnCondition>,
    pub missing_accessories: Option<String>,
    /// The organisation reported it missing; it stays on the booking until it is back.
    pub reported_missing: bool,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeviceCounts {
    pub allocated: i64,
    pub out: i64,
    pub returned: i64,
    pub reported_missing: i64,
    /// Written off as lost (and not found since).
    pub lost: i64,
}

/// A booking with its lines and devices.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Booking {
    pub id: uuid::Uuid,
    /// E.g. RES-2026-0007.
    pub reference: String,
    pub organisation_id: uuid::Uuid,
    pub organisation_name: String,
    pub status: BookingStatus,
    /// Picked up (or partially returned) and the return date has passed.
    pub overdue: bool,
    pub pickup_on: NaiveDate,
    pub return_on: NaiveDate,
    pub purpose: String,
    pub contact: Contact,
    pub note: Option<String>,
    pub requested_by: uuid::Uuid,
    pub confirmed_by: Option<uuid::Uuid>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub picked_up_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub lines: Vec<BookingLine>,
    /// Every device the booking holds or held (released ones included, with their state).
    pub devices: Vec<BookedDevice>,
    pub counts: DeviceCounts,
    /// Whether the pool can serve the booking, per line (requested, available, short): given
    /// when a booking is requested or changed while requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability: Option<PoolCheck>,
}

impl From<BookingDetail> for Booking {
    fn from(d: BookingDetail) -> Self {
        let b = d.booking;
        let count =
            |s: AllocationState| d.devices.iter().filter(|(a, _)| a.state == s).count() as i64;
        let counts = DeviceCounts {
            allocated: count(AllocationState::Allocated),
            out: count(AllocationState::PickedUp),
            returned: count(AllocationState::Returned),
            reported_missing: d
                .devices
                .iter()
                .filter(|(a, _)| a.reported_missing && a.state == AllocationState::PickedUp)
                .count() as i64,
            lost: count(AllocationState::Lost),
        };
        Booking {
            id: uuid_of(&b.id),
            reference: b.reference,
            organisation_id: uuid_of(&b.organisation_id),
            organisation_name: d.organisation_name,
            status: b.status,
            overdue: d.overdue,
            pickup_on: b.pickup_on,
            return_on: b.return_on,
            purpose: b.purpose,
            contact: Contact {
                name: b.contact_name,
                phone: b.contact_phone,
                email: b.contact_email,
            },
            note: b.note,
            requested_by: uuid_of(&b.requested_by),
            confirmed_by: b.confirmed_by.as_deref().map(uuid_of),
            confirmed_at: b.confirmed_at.map(utc),
            picked_up_at: b.picked_up_at.map(utc),
            returned_at: b.returned_at.map(utc),
            cancelled_at: b.cancelled_at.map(utc),
            version: b.version,
            created_at: utc(b.created_at),
            updated_at: utc(b.updated_at),
            lines: d
                .lines
                .into_iter()
                .map(|l| BookingLine {
                    line_no: l.line_no,
                    kind: l.kind,
                    subtype: l.subtype,
                    model: l.model,
                    quantity: l.quantity,
                    device_id: l.device_id.as_deref().map(uuid_of),
                })
                .collect(),
            devices: d
                .devices
                .into_iter()
                .map(|(a, dev)| BookedDevice {
                    device_id: uuid_of(&dev.id),
                    asset_tag: dev.asset_tag,
                    kind: dev.kind,
                    subtype: dev.subtype,
                    brand: dev.brand,
                    model: dev.model,
                    shelf_location: dev.shelf_location,
                    state: a.state,
                    line_no: a.line_no,
                    occupied_from: a.occupied_from,
                    occupied_until: a.occupied_until,
                    picked_up_at: a.picked_up_at.map(utc),
                    returned_at: a.returned_at.map(utc),
                    return_condition: a.return_condition,
                    missing_accessories: a.missing_accessories,
                    reported_missing: a.reported_missing,
                    note: a.note,
                })
                .collect(),
            counts,
            availability: d.pool_check.map(Into::into),
        }
    }
}

/// A booking in a list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BookingSummary {
    pub id: uuid::Uuid,
    pub reference: String,
    pub organisation_id: uuid::Uuid,
    pub status: BookingStatus,
    pub overdue: bool,
    pub pickup_on: NaiveDate,
    pub return_on: NaiveDate,
    pub purpose: String,
}

/// A booking in a list, as it is on `today`.
pub fn summary(b: BookingRow, today: NaiveDate) -> BookingSummary {
    let overdue = bookings::is_overdue(&b, today);
    BookingSummary {
        id: uuid_of(&b.id),
        reference: b.reference,
        organisation_id: uuid_of(&b.organisation_id),
        status: b.status,
        overdue,
        pickup_on: b.pickup_on,
        return_on: b.return_on,
        purpose: b.purpose,
    }
}
