//! Donation batches and the registration of their devices (JSON or CSV).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::accounts::{utc, uuid_of};
use crate::api::devices::Device;
use crate::api::devices::NewDevice;
use crate::api::{clamp_limit, decode_cursor, encode_cursor, path_id, Page, PageParams};
use crate::auth::Caller;
use crate::db::models::DonationRow;
use crate::domain::donations;
use crate::domain::ids::DonationId;
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// A new donation batch. The donor is an organisation, a private person by name, or anonymous.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDonation {
    pub donor_organisation_id: Option<uuid::Uuid>,
    /// A private donor's name (leave empty and set `anonymous` for an anonymous gift).
    pub donor_name: Option<String>,
    #[serde(default)]
    pub anonymous: bool,
    pub received_on: NaiveDate,
    /// Where the batch was received (site, address); 1 to 200 characters.
    pub received_at: String,
    pub note: Option<String>,
}

impl From<NewDonation> for donations::NewDonation {
    fn from(b: NewDonation) -> Self {
        donations::NewDonation {
            donor_organisation_id: b.donor_organisation_id.map(|u| u.to_string().into()),
            donor_name: b.donor_name,
            anonymous: b.anonymous,
            received_on: b.received_on,
            received_at: b.received_at,
            note: b.note,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Donation {
    pub id: uuid::Uuid,
    pub donor_organisation_id: Option<uuid::Uuid>,
    pub donor_name: Option<String>,
    pub anonymous: bool,
    pub received_on: NaiveDate,
    pub received_at: String,
    pub note: Option<String>,
    pub owner_organisation_id: uuid::Uuid,
    /// The workshop the batch is assigned to, if any.
    pub workshop_id: Option<uuid::Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<DonationRow> for Donation {
    fn from(r: DonationRow) -> Self {
        Donation {
            id: uuid_of(&r.id),
            donor_organisation_id: r.donor_organisation_id.as_deref().map(uuid_of),
            donor_name: r.donor_name,
            anonymous: r.anonymous,
            received_on: r.received_on,
            received_at: r.received_at,
            note: r.note,
            owner_organisation_id: uuid_of(&r.owner_organisation_id),
            workshop_id: r.workshop_id.as_deref().map(uuid_of),
            created_at: utc(r.created_at),
        }
    }
}

/// The devices registered by one request.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Registered {
    pub count: usize,
    pub devices: Vec<Device>,
}

/// Records a donation batch.
#[utoipa::path(tag = "inventory", request_body = NewDonation,
    responses((status = 201, body = Donation), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/donations")]
pub async fn create_donation(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewDonation>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner().into();
    let row = state
        .db
        .write(move |conn| donations::create(conn, &caller, body))
        .await?;
    Ok(HttpResponse::Created().json(Donation::from(row)))
}

/// Donation batches, newest first.
#[utoipa::path(tag = "inventory", params(PageParams),
    responses((status = 200, body = Page<Donation>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
#[get("/donations")]
pub async fn list_donations(
    caller: Caller,
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, AppError> {
    let limit = clamp_limit(page.limit);
    let after = match page.cursor.as_deref() {
        None => None,
        Some(c) => {
            let raw = decode_cursor(c)?;
            let (date, id) = raw
                .split_once('|')
                .and_then(|(d, id)| Some((d.parse::<NaiveDate>().ok()?, id.to_string())))
                .ok_or_else(|| {
                    AppError::invalid("cursor", "is not a cursor returned by this list")
                })?;
            Some((date, id))
        }
    };
    let (rows, next) = state
        .db
        .read(move |conn| donations::list(conn, &caller, limit, after))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(Donation::from).collect::<Vec<_>>(),
        next_cursor: next.map(|(d, id)| encode_cursor(&format!("{d}|{id}"))),
        limit,
    }))
}

/// One donation batch.
#[utoipa::path(tag = "inventory", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Donation), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/donations/{id}")]
pub async fn get_donation(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path_id(&id, "The donation")?;
    let row = state
        .db
        .read(move |conn| donations::get(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Donation::from(row)))
}

async fn register_into(
    state: web::Data<AppState>,
    caller: Caller,
    donation_id: DonationId,
    items: Vec<crate::domain::devices::NewDevice>,
    field_of: fn(usize) -> String,
) -> Result<HttpResponse, AppError> {
    let prefix = state.config.asset_tag_prefix.clone();
    let rows = state
        .db
        .write(move |conn| {
            donations::register_devices(conn, &caller, &prefix, &donation_id, items, &field_of)
        })
        .await?;
    let devices: Vec<Device> = rows.into_iter().map(Device::from).collect();
    Ok(HttpResponse::Created().json(Registered {
        count: devices.len(),
        devices,
    }))
}

fn json_field(i: usize) -> String {
    format!("devices[{i}]")
}

fn csv_field(i: usize) -> String {
    format!("row {}", i + 2)
}

/// Registers up to 1,000 devices of a donation in one request, all or nothing.
#[utoipa::path(tag = "inventory", request_body = Vec<NewDevice>, params(("id" = uuid::Uuid, Path)),
    responses((status = 201, body = Registered), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/donations/{id}/devices")]
pub async fn register_batch(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Vec<NewDevice>>,
) -> Result<HttpResponse, AppError> {
    let id = path_id(&id, "The donation")?;
    let items = body.into_inner().into_iter().map(Into::into).collect();
    register_into(state, caller, id, items, json_field).await
}

/// Registers the devices of a donation from a CSV file (`Content-Type: text/csv`).
///
/// Columns: kind, brand, model, serial_number (required), and optionally subtype, cpu, ram_gb,
/// storage_gb, storage_type, os, accessories, notes, shelf_location. `;` or `,` separated,
/// UTF-8 (a byte-order mark is fine). A file with bad rows is rejected whole, naming each.
#[utoipa::path(tag = "inventory", params(("id" = uuid::Uuid, Path)),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = Registered), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/donations/{id}/devices/csv")]
pub async fn register_csv(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let id = path_id(&id, "The donation")?;
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !(content_type.starts_with("text/csv") || content_type.starts_with("application/csv")) {
        return Err(AppError::UnsupportedMediaType(
            "Send the file with `Content-Type: text/csv`.".into(),
        ));
    }
    let items = donations::devices_from_csv(&caller, &body)?;
    register_into(state, caller, id, items, csv_field).await
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_donation)
        .service(list_donations)
        .service(get_donation)
        .service(register_batch)
        .service(register_csv);
}
