//! Refurbishment: assignment to workshops, drives, wipe records, refurbishment records, the
//! work queue.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::accounts::{utc, uuid_of};
use crate::api::devices::Device;
use crate::api::{lang_of, parse_id, LangParam};
use crate::auth::{Caller, Perm};
use crate::db::models::{DriveRow, RefurbishmentRow, WipeRow};
use crate::domain::devices::{self as dev, DriveType, Lookup};
use crate::domain::refurbishment::{
    self as refurb, BatchRefurbishment, BatchWipe, Checks, Grade, NewRefurbishment, NewWipe,
    PoolReset, Verification, WipeCategory, WipeOutcome, WipeTechnique, WorkQueue,
};
use crate::error::{AppError, Problem};
use crate::startup::AppState;

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
    caller.require(Perm::AssignWork)?;
    let id = parse_id(&id, "The donation")?;
    let workshop = body.workshop_id.to_string();
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
    caller.require(Perm::AssignWork)?;
    let id = id.into_inner();
    let workshop = body.workshop_id.to_string();
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
    caller.require(Perm::ReadDevices)?;
    let id = id.into_inner();
    let rows = state
        .db
        .read(move |conn| {
            let d = dev::find(conn, &caller, Lookup::Id(&id))?;
            refurb::drives_of(conn, &d.id)
        })
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
    caller.require(Perm::RecordRefurbishment)?;
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
    caller.require(Perm::RecordRefurbishment)?;
    let id = id.into_inner();
    let wipe = body.into_inner();
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
    caller.require(Perm::ReadDevices)?;
    let id = id.into_inner();
    let rows = state
        .db
        .read(move |conn| {
            let d = dev::find(conn, &caller, Lookup::Id(&id))?;
            refurb::wipes_of(conn, &d.id)
        })
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
    caller.require(Perm::RecordRefurbishment)?;
    let id = id.into_inner();
    let r = body.into_inner();
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
    caller.require(Perm::ReadDevices)?;
    let id = id.into_inner();
    let rows = state
        .db
        .read(move |conn| {
            let d = dev::find(conn, &caller, Lookup::Id(&id))?;
            refurb::refurbishments_of(conn, &d.id)
        })
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
    if !caller.can(Perm::RecordRefurbishment) && !caller.can(Perm::AssignWork) {
        return Err(AppError::Forbidden(format!(
            "The role {} may not do this.",
            caller.role
        )));
    }
    let workshop = q.workshop_id.map(|w| w.to_string());
    let queue = state
        .db
        .read(move |conn| refurb::work_queue(conn, &caller, workshop))
        .await?;
    Ok(HttpResponse::Ok().json(queue))
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
    caller.require(Perm::RecordRefurbishment)?;
    let b = body.into_inner();
    let rows = state
        .db
        .write(move |conn| refurb::record_wipes(conn, &caller, b))
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
    caller.require(Perm::RecordRefurbishment)?;
    let b = body.into_inner();
    let rows = state
        .db
        .write(move |conn| refurb::record_refurbishments(conn, &caller, b))
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
    if !caller.can(Perm::ManageBookings) {
        caller.require(Perm::RecordRefurbishment)?;
    }
    let r = body.into_inner();
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
    responses((status = 200, body = [refurb::KindChecks]), (status = 401, body = Problem)),
    security(("bearer" = [])))]
#[get("/workshop/checks")]
pub async fn checks_by_kind(_caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json(refurb::checks_table())
}

/// Gathers (and on first request issues) a donation's certificate for either format.
async fn certificate_data(
    caller: Caller,
    state: &web::Data<AppState>,
    id: &str,
    q: &LangParam,
) -> Result<crate::documents::CertificateData, AppError> {
    caller.require(Perm::ReadCertificates)?;
    let id = parse_id(id, "The donation")?;
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
    let data = certificate_data(caller, &state, &id, &q).await?;
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
        .service(checks_by_kind);
}
