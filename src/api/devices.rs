//! Devices: register, list, look up, edit, lifecycle actions, history.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::api::accounts::{utc, uuid_of};
use crate::api::{clamp_limit, decode_cursor, encode_cursor, Page};
use crate::auth::Caller;
use crate::db::models::{DeviceEventRow, DeviceRow};
use crate::domain::devices::{self, DeviceKind, Lookup, Specs};
use crate::domain::lifecycle::{self, Action, Status};
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// A device to register.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDevice {
    pub kind: DeviceKind,
    /// For peripherals: beamer, vr_headset, headphones, charger, hotspot, ...
    pub subtype: Option<String>,
    /// 1 to 100 characters.
    pub brand: String,
    /// 1 to 100 characters.
    pub model: String,
    /// Unique among all devices when given.
    pub serial_number: Option<String>,
    #[serde(default)]
    pub specs: Specs,
    pub accessories: Option<String>,
    pub notes: Option<String>,
    pub shelf_location: Option<String>,
    /// Part of the lending service's booking pool.
    #[serde(default)]
    pub in_pool: bool,
}

impl From<NewDevice> for devices::NewDevice {
    fn from(b: NewDevice) -> Self {
        devices::NewDevice {
            kind: b.kind,
            subtype: b.subtype,
            brand: b.brand,
            model: b.model,
            serial_number: b.serial_number,
            specs: b.specs,
            accessories: b.accessories,
            notes: b.notes,
            shelf_location: b.shelf_location,
            in_pool: b.in_pool,
        }
    }
}

/// Fields that may be edited; status is not one of them (it changes only through actions).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DevicePatch {
    pub subtype: Option<String>,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub specs: Option<Specs>,
    pub accessories: Option<String>,
    pub notes: Option<String>,
    pub shelf_location: Option<String>,
    pub in_pool: Option<bool>,
}

impl From<DevicePatch> for devices::DevicePatch {
    fn from(p: DevicePatch) -> Self {
        devices::DevicePatch {
            subtype: p.subtype,
            brand: p.brand,
            model: p.model,
            serial_number: p.serial_number,
            specs: p.specs,
            accessories: p.accessories,
            notes: p.notes,
            shelf_location: p.shelf_location,
            in_pool: p.in_pool,
        }
    }
}

/// Filters for the device list.
#[derive(Debug, Default, Clone, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeviceFilter {
    pub status: Option<Status>,
    pub kind: Option<DeviceKind>,
    /// The organisation holding the device now (workshop, welfare office, school).
    pub holder_organisation_id: Option<uuid::Uuid>,
    pub donation_id: Option<uuid::Uuid>,
    pub workshop_id: Option<uuid::Uuid>,
    pub in_pool: Option<bool>,
    /// Asset tags starting with this (case-insensitive; uses the index).
    pub tag_prefix: Option<String>,
    /// Serial numbers starting with this (case-insensitive; uses the index).
    pub serial_prefix: Option<String>,
    /// Free text found in the tag, serial, brand or model.
    pub q: Option<String>,
    /// `asset_tag` (default) or `-asset_tag`.
    pub sort: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl From<DeviceFilter> for devices::DeviceFilter {
    fn from(f: DeviceFilter) -> Self {
        devices::DeviceFilter {
            status: f.status,
            kind: f.kind,
            holder_organisation_id: f.holder_organisation_id.map(|u| u.to_string().into()),
            donation_id: f.donation_id.map(|u| u.to_string().into()),
            workshop_id: f.workshop_id.map(|u| u.to_string().into()),
            in_pool: f.in_pool,
            tag_prefix: f.tag_prefix,
            serial_prefix: f.serial_prefix,
            q: f.q,
            sort: f.sort,
        }
    }
}

/// One row of the lifecycle's transition table.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionView {
    pub action: Action,
    pub from: Vec<Status>,
    pub to: Status,
    /// True when the action is performed through loans or bookings, not the generic endpoint.
    pub via_loans_or_bookings: bool,
}

/// A device as the API shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Device {
    pub id: uuid::Uuid,
    pub asset_tag: String,
    pub kind: DeviceKind,
    pub subtype: Option<String>,
    pub brand: String,
    pub model: String,
    pub serial_number: Option<String>,
    pub specs: Specs,
    pub accessories: Option<String>,
    pub notes: Option<String>,
    pub status: Status,
    /// What may be done next from this status (per the lifecycle table).
    pub allowed_actions: Vec<Action>,
    pub donation_id: Option<uuid::Uuid>,
    pub owner_organisation_id: uuid::Uuid,
    pub holder_organisation_id: Option<uuid::Uuid>,
    pub workshop_id: Option<uuid::Uuid>,
    pub in_pool: bool,
    pub shelf_location: Option<String>,
    /// Increases with every change.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The accessories that came back at the latest return from a loan or a booking.
    pub accessories_back: Option<String>,
}

impl From<DeviceRow> for Device {
    fn from(r: DeviceRow) -> Self {
        let specs = devices::parse_specs(&r);
        Device {
            id: uuid_of(&r.id),
            asset_tag: r.asset_tag,
            kind: r.kind,
            subtype: r.subtype,
            brand: r.brand,
            model: r.model,
            serial_number: r.serial_number,
            specs,
            accessories: r.accessories,
            notes: r.notes,
            status: r.status,
            allowed_actions: lifecycle::allowed_actions(r.status),
            donation_id: r.donation_id.as_deref().map(uuid_of),
            owner_organisation_id: uuid_of(&r.owner_organisation_id),
            holder_organisation_id: r.holder_organisation_id.as_deref().map(uuid_of),
            workshop_id: r.workshop_id.as_deref().map(uuid_of),
            in_pool: r.in_pool,
            shelf_location: r.shelf_location,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            accessories_back: r.accessories_back,
        }
    }
}

/// One entry of a device's history.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeviceEvent {
    /// 1, 2, 3, ... without gaps.
    pub seq: i32,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<uuid::Uuid>,
    /// `registered`, `edited`, or a lifecycle action.
    pub action: String,
    pub status_before: Option<Status>,
    pub status_after: Status,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<DeviceEventRow> for DeviceEvent {
    fn from(r: DeviceEventRow) -> Self {
        DeviceEvent {
            seq: r.seq,
            at: utc(r.at),
            actor_user_id: r.actor_user_id.as_deref().map(uuid_of),
            action: r.action,
            status_before: r.status_before,
            status_after: r.status_after,
            detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// Body of a lifecycle action.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Registers one device outside a donation batch.
#[utoipa::path(tag = "inventory", request_body = NewDevice,
    responses((status = 201, body = Device), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/devices")]
pub async fn create_device(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewDevice>,
) -> Result<HttpResponse, AppError> {
    let item = body.into_inner().into();
    let prefix = state.config.asset_tag_prefix.clone();
    let mut rows = state
        .db
        .write(move |conn| {
            devices::register(conn, &caller, &prefix, None, vec![item], &|_| String::new())
        })
        .await?;
    let row = rows
        .pop()
        .ok_or_else(|| AppError::internal("registration returned no row"))?;
    Ok(HttpResponse::Created().json(Device::from(row)))
}

/// Lists devices with filters, in asset-tag order, one page at a time (keyset pagination:
/// as fast on the millionth device as on the first).
#[utoipa::path(tag = "inventory", params(DeviceFilter),
    responses((status = 200, body = Page<Device>), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/devices")]
pub async fn list_devices(
    caller: Caller,
    state: web::Data<AppState>,
    filter: web::Query<DeviceFilter>,
) -> Result<HttpResponse, AppError> {
    let filter = filter.into_inner();
    let limit = clamp_limit(filter.limit);
    let after =
        match filter.cursor.as_deref() {
            None => None,
            Some(c) => Some(decode_cursor(c)?.parse::<i64>().map_err(|_| {
                AppError::invalid("cursor", "is not a cursor returned by this list")
            })?),
        };
    let filter = filter.into();
    let (rows, next) = state
        .db
        .read(move |conn| devices::list(conn, &caller, &filter, limit, after))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(Device::from).collect::<Vec<_>>(),
        next_cursor: next.map(|s| encode_cursor(&s.to_string())),
        limit,
    }))
}

async fn lookup(
    state: web::Data<AppState>,
    caller: Caller,
    by: LookupOwned,
) -> Result<HttpResponse, AppError> {
    let row = state
        .db
        .read(move |conn| {
            let by = match &by {
                LookupOwned::Id(s) => Lookup::Id(s),
                LookupOwned::Tag(s) => Lookup::Tag(s),
                LookupOwned::Serial(s) => Lookup::Serial(s),
            };
            devices::find(conn, &caller, by)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Device::from(row)))
}

enum LookupOwned {
    Id(String),
    Tag(String),
    Serial(String),
}

/// One device by id or asset tag (as scanned: the tag or the label's URL path).
#[utoipa::path(tag = "inventory", params(("id" = String, Path, description = "The device's id or asset tag")),
    responses((status = 200, body = Device), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/devices/{id}")]
pub async fn get_device(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    lookup(state, caller, LookupOwned::Id(id)).await
}

/// One device by asset tag (case-insensitive).
#[utoipa::path(tag = "inventory", params(("tag" = String, Path)),
    responses((status = 200, body = Device), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/devices/by-tag/{tag}")]
pub async fn get_by_tag(
    caller: Caller,
    state: web::Data<AppState>,
    tag: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    lookup(state, caller, LookupOwned::Tag(tag.into_inner())).await
}

/// One device by serial number (case-insensitive).
#[utoipa::path(tag = "inventory", params(("serial" = String, Path)),
    responses((status = 200, body = Device), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/devices/by-serial/{serial}")]
pub async fn get_by_serial(
    caller: Caller,
    state: web::Data<AppState>,
    serial: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    lookup(state, caller, LookupOwned::Serial(serial.into_inner())).await
}

/// Edits a device's fields (never its status), recording the change in its history.
#[utoipa::path(tag = "inventory", request_body = DevicePatch, params(("id" = String, Path, description = "The device's id or asset tag")),
    responses((status = 200, body = Device), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[patch("/devices/{id}")]
pub async fn edit_device(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<DevicePatch>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let patch = body.into_inner().into();
    let row = state
        .db
        .write(move |conn| devices::edit(conn, &caller, &id, patch))
        .await?;
    Ok(HttpResponse::Ok().json(Device::from(row)))
}

/// Performs a lifecycle action. 409 names the current status and the actions it allows.
#[utoipa::path(tag = "inventory", request_body = Option<ActionBody>,
    params(("id" = String, Path, description = "The device's id or asset tag"), ("action" = Action, Path)),
    responses((status = 200, body = Device), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
#[post("/devices/{id}/actions/{action}")]
pub async fn device_action(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let action: Action = action.parse().map_err(|_| {
        AppError::not_found(format!(
            "The action {action:?} (known: {})",
            Action::names()
        ))
    })?;
    let body: ActionBody = crate::api::optional_json(&body)?;
    body.validate()?;
    let row = state
        .db
        .write(move |conn| devices::act(conn, &caller, &id, action, body.note))
        .await?;
    Ok(HttpResponse::Ok().json(Device::from(row)))
}

/// The complete history of a device, oldest first. Nothing in it is ever changed or removed.
#[utoipa::path(tag = "inventory", params(("id" = String, Path, description = "The device's id or asset tag")),
    responses((status = 200, body = [DeviceEvent]), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/devices/{id}/history")]
pub async fn device_history(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let rows = state
        .db
        .read(move |conn| devices::history(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(DeviceEvent::from).collect::<Vec<_>>()))
}

/// The lifecycle's transition table, read-only.
#[utoipa::path(tag = "inventory",
    responses((status = 200, body = [TransitionView]), (status = 401, body = Problem)),
    security(("bearer" = [])))]
#[get("/lifecycle")]
pub async fn lifecycle_table(_caller: Caller) -> HttpResponse {
    let table: Vec<TransitionView> = lifecycle::TRANSITIONS
        .iter()
        .map(|(action, from, to)| TransitionView {
            action: *action,
            from: from.to_vec(),
            to: *to,
            via_loans_or_bookings: action.is_internal(),
        })
        .collect();
    HttpResponse::Ok().json(table)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_device)
        .service(list_devices)
        .service(get_by_tag)
        .service(get_by_serial)
        .service(get_device)
        .service(edit_device)
        .service(device_action)
        .service(device_history)
        .service(lifecycle_table);
}
