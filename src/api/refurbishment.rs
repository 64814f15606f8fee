//! Refurbishment: assignment to workshops, drives, wipe records, refurbishment records, the
//! work queue.

use actix_web::{get, http::header, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::accounts::{utc, uuid_of};
use crate::api::devices::Device;
use crate::api::{lang_of, path_id, LangParam};
use crate::auth::Caller;
use crate::db::models::{DriveRow, RefurbishmentRow, WipeRow};
use crate::domain::devices::{self as dev, DeviceKind, DriveType};
use crate::domain::ids::OrganisationId;
use crate::domain::lifecycle::Status;
use crate::domain::refurbishment::{
    self as refurb, BatteryCheck, Checks, Grade, Verification, WipeCategory, WipeOutcome,
    WipeTechnique,
};
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// A wipe of one drive, or of the device's built-in storage when `drive_id` is absent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWipe {
    /// The drive wiped; may be left out when the device has one drive (that one is meant) or
    /// none (its built-in storage).
    pub drive_id: Option<uuid::Uuid>,
    pub category: WipeCategory,
    pub technique: WipeTechnique,
    /// 1 to 100 characters.
    pub tool: String,
    /// 1 to 50 characters.
    pub tool_version: String,
    /// Type of the medium; taken from the drive when `drive_id` is given.
    pub drive_type: Option<DriveType>,
    pub drive_serial: Option<String>,
    pub capacity_gb: Option<i32>,
    /// 0 to 100 (default 1).
    #[serde(default = "one")]
    pub passes: i32,
    pub verified: bool,
    pub verification_method: Verification,
    /// Who verified the result (NIST SP 800-88's "validated by"); printed on the certificate.
    pub verified_by: Option<String>,
    pub outcome: WipeOutcome,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    /// File name of the tool's own report (nwipe log, Blancco report).
    pub report_file_name: Option<String>,
    /// SHA-256 of that report, 64 hexadecimal characters.
    pub report_sha256: Option<String>,
    pub note: Option<String>,
}

fn one() -> i32 {
    1
}

impl From<NewWipe> for refurb::NewWipe {
    fn from(w: NewWipe) -> Self {
        refurb::NewWipe {
            drive_id: w.drive_id,
            category: w.category,
            technique: w.technique,
            tool: w.tool,
            tool_version: w.tool_version,
            drive_type: w.drive_type,
            drive_serial: w.drive_serial,
            capacity_gb: w.capacity_gb,
            passes: w.passes,
            verified: w.verified,
            verification_method: w.verification_method,
            verified_by: w.verified_by,
            outcome: w.outcome,
            started_at: w.started_at,
            ended_at: w.ended_at,
            report_file_name: w.report_file_name,
            report_sha256: w.report_sha256,
            note: w.note,
        }
    }
}

/// A refurbishment and grading of one device.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRefurbishment {
    pub checks: Checks,
    /// Full-charge capacity ÷ design capacity, in percent.
    pub battery_health_pct: Option<i32>,
    pub parts_replaced: Option<String>,
    pub os_installed: Option<String>,
    pub os_version: Option<String>,
    pub cosmetic_grade: Grade,
    pub functional_pass: bool,
    /// 0 to 10,000.
    pub minutes_spent: i32,
    pub note: Option<String>,
}

impl From<NewRefurbishment> for refurb::NewRefurbishment {
    fn from(r: NewRefurbishment) -> Self {
        refurb::NewRefurbishment {
            checks: r.checks,
            battery_health_pct: r.battery_health_pct,
            parts_replaced: r.parts_replaced,
            os_installed: r.os_installed,
            os_version: r.os_version,
            cosmetic_grade: r.cosmetic_grade,
            functional_pass: r.functional_pass,
            minutes_spent: r.minutes_spent,
            note: r.note,
        }
    }
}

/// The same wipe (a device's only drive, or its built-in storage) recorded for many devices.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchWipe {
    /// Ids or scanned asset tags (or label URLs); each device has at most one drive.
    pub devices: Vec<String>,
    /// The wipe, without `drive_id`.
    pub wipe: NewWipe,
}

/// The same refurbishment result recorded for many devices.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRefurbishment {
    /// Ids or scanned asset tags (or label URLs).
    pub devices: Vec<String>,
    pub refurbishment: NewRefurbishment,
}

/// The reset of pool devices back from a booking: a factory reset with encryption on (a
/// cryptographic erase, NIST SP 800-88 purge) or the tool's crypto-erase, done by the lending
/// service itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolReset {
    /// The scanned asset tags (or ids) of the devices reset.
    pub asset_tags: Vec<String>,
    /// `factory_reset` (default) or `crypto_erase`.
    #[serde(default = "factory_reset")]
    pub technique: WipeTechnique,
    /// `purge` (default: a reset with encryption on) or `clear`.
    #[serde(default = "purge")]
    pub category: WipeCategory,
    /// Default "factory reset (built-in)".
    pub tool: Option<String>,
    /// Default "n/a".
    pub tool_version: Option<String>,
    #[serde(default)]
    pub verified: bool,
    #[serde(default = "no_verification")]
    pub verification_method: Verification,
    /// Default: now.
    pub started_at: Option<DateTime<Utc>>,
    /// Default: now.
    pub ended_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

fn factory_reset() -> WipeTechnique {
    WipeTechnique::FactoryReset
}

fn purge() -> WipeCategory {
    WipeCategory::Purge
}

fn no_verification() -> Verification {
    Verification::None
}

impl From<PoolReset> for refurb::PoolReset {
    fn from(r: PoolReset) -> Self {
        refurb::PoolReset {
            asset_tags: r.asset_tags,
            technique: r.technique,
            category: r.category,
            tool: r.tool,
            tool_version: r.tool_version,
            verified: r.verified,
            verification_method: r.verification_method,
            started_at: r.started_at,
            ended_at: r.ended_at,
            note: r.note,
        }
    }
}

/// What a refurbishment of one kind must give (a row of `CHECKS_BY_KIND`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct KindChecks {
    pub kind: DeviceKind,
    /// The checks required in `checks`.
    pub checks: Vec<String>,
    pub battery: BatteryCheck,
}

/// One device in a work queue.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QueueItem {
    pub device_id: uuid::Uuid,
    pub asset_tag: String,
    pub kind: DeviceKind,
    pub brand: String,
    pub model: String,
    pub status: Status,
    /// Why it is in this list (for failed: which wipe or check failed).
    pub reason: String,
    pub since: DateTime<Utc>,
}

impl From<refurb::QueueEntry> for QueueItem {
    fn from(e: refurb::QueueEntry) -> Self {
        let d = e.device;
        QueueItem {
            device_id: uuid_of(&d.id),
            asset_tag: d.asset_tag,
            kind: d.kind,
            brand: d.brand,
            model: d.model,
            status: d.status,
            reason: e.reason,
            since: utc(d.updated_at),
        }
    }
}

/// A workshop's work queue, oldest first in each list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WorkQueue {
    pub workshop_id: uuid::Uuid,
    pub waiting_for_wipe: Vec<QueueItem>,
    pub waiting_for_refurbishment: Vec<QueueItem>,
    pub failed: Vec<QueueItem>,
}

impl From<refurb::WorkQueue> for WorkQueue {
    fn from(q: refurb::WorkQueue) -> Self {
        let items = |list: Vec<refurb::QueueEntry>| list.into_iter().map(QueueItem::from).collect();
        WorkQueue {
            workshop_id: uuid_of(q.workshop_id.as_str()),
            waiting_for_wipe: items(q.waiting_for_wipe),
            waiting_for_refurbishment: items(q.waiting_for_refurbishment),
            failed: items(q.failed),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub workshop_id: uuid::Uuid,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Assigned {
    /// Devices whose assignment changed.
    pub devices_assigned: usize,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DriveOut {
    pub id: uuid::Uuid,
    #[serde(rename = "type")]
    pub drive_type: DriveType,
    pub capacity_gb: i32,
    pub serial: Option<String>,
}

impl From<DriveRow> for DriveOut {
    fn from(r: DriveRow) -> Self {
        DriveOut {
            id: uuid_of(&r.id),
            drive_type: r.drive_type,
            capacity_gb: r.capacity_gb,
            serial: r.serial,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Wipe {
    pub id: uuid::Uuid,
    pub device_id: uuid::Uuid,
    /// Absent for a device's built-in storage.
    pub drive_id: Option<uuid::Uuid>,
    pub category: WipeCategory,
    pub technique: WipeTechnique,
    pub tool: String,
    pub tool_version: String,
    pub drive_serial: Option<String>,
    pub drive_type: DriveType,
    pub capacity_gb: Option<i32>,
    pub passes: i32,
    pub verified: bool,
    pub verification_method: Verification,
    pub outcome: WipeOutcome,
    pub technician_user_id: uuid::Uuid,
    pub technician_name: String,
    pub workshop_id: uuid::Uuid,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub report_file_name: Option<String>,
    pub report_sha256: Option<String>,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl From<WipeRow> for Wipe {
    fn from(r: WipeRow) -> Self {
        Wipe {
            id: uuid_of(&r.id),
            device_id: uuid_of(&r.device_id),
            drive_id: r.drive_id.as_deref().map(uuid_of),
            category: r.category,
            technique: r.technique,
            tool: r.tool,
            tool_version: r.tool_version,
            drive_serial: r.drive_serial,
            drive_type: r.drive_type,
            capacity_gb: r.capacity_gb,
            passes: r.passes,
            verified: r.verified,
            verification_method: r.verification_method,
            outcome: r.outcome,
            technician_user_id: uuid_of(&r.technician_user_id),
            technician_name: r.technician_name,
            workshop_id: uuid_of(&r.workshop_id),
            started_at: utc(r.started_at),
            ended_at: utc(r.ended_at),
            report_file_name: r.report_file_name,
            report_sha256: r.report_sha256,
            note: r.note,
            recorded_at: utc(r.created_at),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Refurbishment {
    pub id: uuid::Uuid,
    pub device_id: uuid::Uuid,
    pub checks: Checks,
    pub battery_health_pct: Option<i32>,
    pub parts_replaced: Option<String>,
    pub os_installed: Option<String>,
    pub os_version: Option<String>,
    pub cosmetic_grade: Grade,
    pub functional_pass: bool,
    pub minutes_spent: i32,
    pub technician_user_id: uuid::Uuid,
    pub technician_name: String,
    pub workshop_id: uuid::Uuid,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl TryFrom<RefurbishmentRow> for Refurbishment {
    type Error = AppError;
    fn try_from(r: RefurbishmentRow) -> Result<Self, AppError> {
        Ok(Refurbishment {
            id: uuid_of(&r.id),
            device_id: uuid_of(&r.device_id),
            checks: serde_json::from_str(&r.checks).map_err(AppError::internal)?,
            battery_health_pct: r.battery_health_pct,
            parts_replaced: r.parts_replaced,
            os_installed: r.os_installed,
            os_version: r.os_version,
            cosmetic_grade: r.cosmetic_grade,
            functional_pass: r.functional_pass,
            minutes_spent: r.minutes_spent,
            technician_user_id: uuid_of(&r.technician_user_id),
            technician_name: r.technician_name,
            workshop_id: uuid_of(&r.workshop_id),
            note: r.note,
            recorded_at: utc(r.created_at),
        })
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QueueParams {
    /// Required for lending staff and admins; refurbishers always get their own workshop.
    pub workshop_id: Option<uuid::Uuid>,
}

/// Assigns a donation batch and all its devices to a workshop.
#[utoipa::path(tag = "refurbishment", request_body = Assignment, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Assigned), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/donations/{id}/assign")]
pub async fn assign_donation(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Assignment>,
) -> Result<HttpResponse, AppError> {
    let id = path_id(&id, "The donation")?;
    let workshop = OrganisationId::from(body.workshop_id.to_string());
    let n = state
        .db
        .write(move |conn| refurb::assign_donation(conn, &caller, &id, &workshop))
        .await?;
    Ok(HttpResponse::Ok().json(Assigned {
        devices_assigned: n,
    }))
}

/// Assigns one device to a workshop.
#[utoipa::path(tag = "refurbishment", request_body = Assignment, params(("id" = String, Path, description = "The device's id or asset tag")),
    responses((status = 200, body = Device), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/devices/{id}/assign")]
pub async fn assign_device(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Assignment>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let workshop = OrganisationId::from(body.workshop_id.to_string());
    let row = state
        .db
        .write(move |conn| refurb::assign_device(conn, &caller, &id, &workshop))
        .await?;
    Ok(HttpResponse::Ok().json(Device::from(row)))
}

/// The storage drives of a device.
#[utoipa::path(tag = "refurbishment", params(("id" = String, Path, description = "The device's id or asset tag")),
    responses((status = 200, body = [DriveOut]), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/devices/{id}/drives")]
pub async fn list_drives(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let rows = state
        .db
        .read(move |conn| refurb::device_drives(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(DriveOut::from).collect::<Vec<_>>()))
}

/// Adds a storage drive found in a device.
#[utoipa::path(tag = "refurbishment", request_body = dev::Drive, params(("id" = String, Path, description = "The device's id or asset tag")),
    responses((status = 201, body = DriveOut), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/devices/{id}/drives")]
pub async fn add_drive(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<dev::Drive>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let drive = body.into_inner();
    let row = state
        .db
        .write(move |conn| refurb::add_drive(conn, &caller, &id, drive))
        .await?;
    Ok(HttpResponse::Created().json(DriveOut::from(row)))
}

/// Records the wipe of one drive (or of built-in storage).
#[utoipa::path(tag = "refurbishment", request_body = NewWipe, params(("id" = String, Path, description = "The device's id or asset tag")),
    responses((status = 201, body = Wipe), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/devices/{id}/wipes")]
pub async fn record_wipe(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<NewWipe>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let wipe = body.into_inner().into();
    let row = state
        .db
        .write(move |conn| refurb::record_wipe(conn, &caller, &id, wipe))
        .await?;
    Ok(HttpResponse::Created().json(Wipe::from(row)))
}

/// Every wipe recorded for a device, oldest first.
#[utoipa::path(tag = "refurbishment", params(("id" = String, Path, description = "The device's id or asset tag")),
    responses((status = 200, body = [Wipe]), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/devices/{id}/wipes")]
pub async fn list_wipes(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let rows = state
        .db
        .read(move |conn| refurb::device_wipes(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(Wipe::from).collect::<Vec<_>>()))
}

/// Records a refurbishment and grading.
#[utoipa::path(tag = "refurbishment", request_body = NewRefurbishment, params(("id" = String, Path, description = "The device's id or asset tag")),
    responses((status = 201, body = Refurbishment), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/devices/{id}/refurbishments")]
pub async fn record_refurbishment(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<NewRefurbishment>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = body.into_inner().into();
    let row = state
        .db
        .write(move |conn| refurb::record_refurbishment(conn, &caller, &id, r))
        .await?;
    Ok(HttpResponse::Created().json(Refurbishment::try_from(row)?))
}

/// Every refurbishment recorded for a device, oldest first.
#[utoipa::path(tag = "refurbishment", params(("id" = String, Path, description = "The device's id or asset tag")),
    responses((status = 200, body = [Refurbishment]), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/devices/{id}/refurbishments")]
pub async fn list_refurbishments(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let rows = state
        .db
        .read(move |conn| refurb::device_refurbishments(conn, &caller, &id))
        .await?;
    let out = rows
        .into_iter()
        .map(Refurbishment::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(out))
}

/// A workshop's work queue: waiting for a wipe, waiting for refurbishment, failed; oldest first.
#[utoipa::path(tag = "refurbishment", params(QueueParams),
    responses((status = 200, body = WorkQueue), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/workshop/queue")]
pub async fn work_queue(
    caller: Caller,
    state: web::Data<AppState>,
    q: web::Query<QueueParams>,
) -> Result<HttpResponse, AppError> {
    let workshop = q.workshop_id.map(|w| OrganisationId::from(w.to_string()));
    let queue = state
        .db
        .read(move |conn| {
            refurb::queue::work_queue(conn, &caller, workshop, refurb::queue::QUEUE_LIMIT)
        })
        .await?;
    Ok(HttpResponse::Ok().json(WorkQueue::from(queue)))
}

/// The wipes recorded by one batch request.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WipesRecorded {
    pub wipes: Vec<Wipe>,
}

/// The refurbishments recorded by one batch request.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RefurbishmentsRecorded {
    pub refurbishments: Vec<Refurbishment>,
}

/// The devices reset and released by one request.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PoolDevicesReset {
    /// Each device, now `ready`, in the order asked.
    pub devices: Vec<Device>,
}

/// Records the same wipe for many scanned devices (each its only drive or its built-in
/// storage), all or nothing: a 422 or 409 names every device that failed.
#[utoipa::path(tag = "refurbishment", request_body = BatchWipe,
    responses((status = 201, body = WipesRecorded), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/workshop/wipes")]
pub async fn record_wipes(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<BatchWipe>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let wipe = b.wipe.into();
    let rows = state
        .db
        .write(move |conn| refurb::record_wipes(conn, &caller, &b.devices, wipe))
        .await?;
    Ok(HttpResponse::Created().json(WipesRecorded {
        wipes: rows.into_iter().map(Wipe::from).collect(),
    }))
}

/// Records the same refurbishment result for many scanned devices, all or nothing: a 422 or
/// 409 names every device that failed.
#[utoipa::path(tag = "refurbishment", request_body = BatchRefurbishment,
    responses((status = 201, body = RefurbishmentsRecorded), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/workshop/refurbishments")]
pub async fn record_refurbishments(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<BatchRefurbishment>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let r = b.refurbishment.into();
    let rows = state
        .db
        .write(move |conn| refurb::record_refurbishments(conn, &caller, &b.devices, r))
        .await?;
    Ok(HttpResponse::Created().json(RefurbishmentsRecorded {
        refurbishments: rows
            .into_iter()
            .map(Refurbishment::try_from)
            .collect::<Result<Vec<_>, _>>()?,
    }))
}

/// Pool devices back from a booking, reset (factory reset with encryption: a cryptographic
/// erase): records the reset of each and releases it to `ready`, all or nothing. A 422 or 409
/// names every tag that failed.
#[utoipa::path(tag = "refurbishment", request_body = PoolReset,
    responses((status = 200, body = PoolDevicesReset), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/pool/resets")]
pub async fn reset_pool_devices(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<PoolReset>,
) -> Result<HttpResponse, AppError> {
    let r = body.into_inner().into();
    let rows = state
        .db
        .write(move |conn| refurb::reset_pool_devices(conn, &caller, r))
        .await?;
    Ok(HttpResponse::Ok().json(PoolDevicesReset {
        devices: rows.into_iter().map(Device::from).collect(),
    }))
}

/// The checks a refurbishment must give, per kind of device (and whether the battery's health
/// is required).
#[utoipa::path(tag = "refurbishment",
    responses((status = 200, body = [KindChecks]), (status = 401, body = Problem)),
    security(("bearer" = [])))]
#[get("/workshop/checks")]
pub async fn checks_by_kind(_caller: Caller) -> HttpResponse {
    let table: Vec<KindChecks> = refurb::CHECKS_BY_KIND
        .iter()
        .map(|(kind, checks, battery)| KindChecks {
            kind: *kind,
            checks: checks.iter().map(|c| c.to_string()).collect(),
            battery: *battery,
        })
        .collect();
    HttpResponse::Ok().json(table)
}

/// Gathers (and on first request issues) a donation's certificate for either format.
async fn certificate_data(
    caller: Caller,
    state: &web::Data<AppState>,
    id: &str,
    q: &LangParam,
) -> Result<crate::documents::CertificateData, AppError> {
    let id = path_id(id, "The donation")?;
    let lang = lang_of(q)?;
    state
        .db
        .write(move |conn| refurb::certificate(conn, &caller, &id, lang))
        .await
}

/// The certificate of data sanitisation of a donation batch, as PDF (Dutch by default).
/// 409 lists the devices still open while any drive of the batch lacks a passed wipe.
#[utoipa::path(tag = "refurbishment", params(("id" = uuid::Uuid, Path), LangParam),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/donations/{id}/certificate.pdf")]
pub async fn certificate_pdf(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<LangParam>,
) -> Result<HttpResponse, AppError> {
    let lang = lang_of(&q)?;
    certificate_pdf_response(caller, &state, &id, lang).await
}

/// The certificate of a donation as a PDF response, for the API and the workshop's page.
pub async fn certificate_pdf_response(
    caller: Caller,
    state: &web::Data<AppState>,
    id: &str,
    lang: crate::documents::Lang,
) -> Result<HttpResponse, AppError> {
    let id = path_id(id, "The donation")?;
    let data = state
        .db
        .write(move |conn| refurb::certificate(conn, &caller, &id, lang))
        .await?;
    let number = data.certificate_number.clone();
    let pdf = web::block(move || crate::documents::sanitisation_certificate_pdf(&data))
        .await?
        .map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"{number}.pdf\""),
        ))
        .body(pdf))
}

/// The same certificate as CSV, one row per device and drive.
#[utoipa::path(tag = "refurbishment", params(("id" = uuid::Uuid, Path), LangParam),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/donations/{id}/certificate.csv")]
pub async fn certificate_csv(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<LangParam>,
) -> Result<HttpResponse, AppError> {
    let data = certificate_data(caller, &state, &id, &q).await?;
    let number = data.certificate_number.clone();
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{number}.csv\""),
        ))
        .body(crate::documents::sanitisation_certificate_csv(&data)))
}

/// The stored report of a wipe (not its content).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WipeReport {
    pub wipe_id: uuid::Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Computed by the server from the bytes received.
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

impl From<refurb::ReportInfo> for WipeReport {
    fn from(r: refurb::ReportInfo) -> Self {
        WipeReport {
            wipe_id: uuid_of(&r.wipe_id),
            file_name: r.file_name,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            sha256: r.sha256,
            uploaded_at: utc(r.uploaded_at),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    /// The report's file name (default: the one recorded with the wipe).
    pub file_name: Option<String>,
}

/// Stores the wipe tool's report file for one wipe of a device: PDF, plain text, XML or JSON,
/// checked against its content, at most 5 MB. The server computes its SHA-256; a wipe
/// recorded with `report_sha256` accepts only that file. Attached once, never replaced (409,
/// `code` `report_already_attached`).
#[utoipa::path(tag = "refurbishment",
    params(("id" = String, Path, description = "The device's id or asset tag"), ("wipe_id" = uuid::Uuid, Path), ReportParams),
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 201, body = WipeReport), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem),
              (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/devices/{id}/wipes/{wipe_id}/report")]
pub async fn attach_report(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    q: web::Query<ReportParams>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (device, wipe) = path.into_inner();
    let wipe = crate::api::parse_id(&wipe, "The wipe")?;
    let content_type = crate::api::media_type(&req);
    // Asked before the body is read: a refused upload is not read.
    refurb::reports::check_report_upload(&caller, &content_type)?;
    let data = crate::api::read_body(payload, refurb::MAX_REPORT_BYTES, "The report").await?;
    let name = q.into_inner().file_name;
    let info = state
        .db
        .write(move |conn| {
            refurb::attach_report(
                conn,
                &caller,
                &device,
                &wipe,
                &content_type,
                name.as_deref(),
                data,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(WipeReport::from(info)))
}

/// The wipe tool's report file, as uploaded, as an attachment.
#[utoipa::path(tag = "refurbishment",
    params(("id" = String, Path, description = "The device's id or asset tag"), ("wipe_id" = uuid::Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/devices/{id}/wipes/{wipe_id}/report")]
pub async fn get_report(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (device, wipe) = path.into_inner();
    let wipe = crate::api::parse_id(&wipe, "The wipe")?;
    let row = state
        .db
        .read(move |conn| refurb::report(conn, &caller, &device, &wipe))
        .await?;
    Ok(report_response(row))
}

/// A stored report as a download: an attachment, never sniffed or cached, its hash beside it.
pub fn report_response(row: crate::db::models::WipeReportRow) -> HttpResponse {
    let ascii: String = row
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = row
        .file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, row.content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Content-SHA256", row.sha256))
        .body(row.data)
}

/// One donation batch of a workshop and how far it has come.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BatchProgress {
    pub donation_id: uuid::Uuid,
    /// Absent for an anonymous donation.
    pub donor_name: Option<String>,
    pub received_on: chrono::NaiveDate,
    pub received_at: String,
    pub devices: i64,
    /// Devices whose every drive (or built-in storage) has a passed wipe since they came in.
    pub wiped: i64,
    /// Devices refurbished, or further along.
    pub refurbished: i64,
    /// Devices released (ready, or handed out since).
    pub ready: i64,
    pub retired: i64,
    /// Whether `GET /donations/{id}/certificate.pdf` can be issued (every device wiped).
    pub certificate_available: bool,
}

impl From<refurb::BatchProgress> for BatchProgress {
    fn from(b: refurb::BatchProgress) -> Self {
        BatchProgress {
            donation_id: uuid_of(&b.donation_id),
            certificate_available: b.certificate_available(),
            donor_name: b.donor_name,
            received_on: b.received_on,
            received_at: b.received_at,
            devices: b.devices,
            wiped: b.wiped,
            refurbished: b.refurbished,
            ready: b.ready,
            retired: b.retired,
        }
    }
}

/// A workshop's donation batches (the 50 newest) with their progress: n of m wiped,
/// refurbished, ready.
#[utoipa::path(tag = "refurbishment", params(QueueParams),
    responses((status = 200, body = [BatchProgress]), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/workshop/batches")]
pub async fn workshop_batches(
    caller: Caller,
    state: web::Data<AppState>,
    q: web::Query<QueueParams>,
) -> Result<HttpResponse, AppError> {
    let workshop = q.workshop_id.map(|w| OrganisationId::from(w.to_string()));
    let rows = state
        .db
        .read(move |conn| refurb::workshop_batches(conn, &caller, workshop))
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(BatchProgress::from)
            .collect::<Vec<_>>(),
    ))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(certificate_pdf).service(certificate_csv);
    cfg.service(assign_donation)
        .service(assign_device)
        .service(list_drives)
        .service(add_drive)
        .service(record_wipe)
        .service(list_wipes)
        .service(record_refurbishment)
        .service(list_refurbishments)
        .service(work_queue)
        .service(record_wipes)
        .service(record_refurbishments)
        .service(reset_pool_devices)
        .service(checks_by_kind)
        .service(attach_report)
        .service(get_report)
        .service(workshop_batches);
}
