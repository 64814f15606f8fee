//! The inventory (`/inventory`): a search box that takes a tag, a serial number or a scanned
//! label URL, filters on status and kind (a GET form: ids and codes only, no personal data),
//! one page at a time; each device links to its page (`/d/{tag}`, the bench's page with its
//! history) and to the form that edits its fields (`/inventory/{id}/edit`).

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{form_errors, kind_options, kind_text, optional, status_options, value, Values};
use crate::auth::Perm;
use crate::db::models::DeviceRow;
use crate::domain::devices::{self, DeviceFilter, DeviceKind, DevicePatch, Lookup};
use crate::domain::lifecycle::Status;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::frame::{render_status, see_other, text, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Posted, Viewer};

/// Devices per page of the list.
const PAGE_SIZE: i64 = 50;

/// One device on the list.
#[derive(Debug, Clone)]
pub struct DeviceLine {
    pub id: String,
    pub tag: String,
    pub kind: String,
    pub model: String,
    pub serial: String,
    pub status: String,
    pub shelf: String,
}

impl DeviceLine {
    pub fn of(lang: Lang, d: DeviceRow) -> DeviceLine {
        DeviceLine {
            kind: kind_text(lang, d.kind),
            model: format!("{} {}", d.brand, d.model),
            serial: d.serial_number.unwrap_or_default(),
            status: crate::web::workshop::status_text(lang, d.status),
            shelf: d.shelf_location.unwrap_or_default(),
            tag: d.asset_tag,
            id: d.id,
        }
    }
}

#[derive(Template)]
#[template(path = "ops/inventory.html")]
pub struct InventoryPage {
    pub frame: Frame,
    pub q: String,
    pub statuses: Vec<(String, String)>,
    pub status: String,
    pub kinds: Vec<(String, String)>,
    pub kind: String,
    pub devices: Vec<DeviceLine>,
    pub may_edit: bool,
    /// The query of the next page, when there is one.
    pub next: Option<String>,
    /// The query of this search (for "print these labels").
    pub labels_query: String,
}
crate::page!(InventoryPage);

#[derive(Debug, Default, Deserialize)]
pub struct InventoryQuery {
    pub q: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub cursor: Option<String>,
}

/// The query string of a search (status, kind and text), for links.
pub fn search_query(q: &str, status: &str, kind: &str) -> String {
    serde_urlencoded::to_string([("q", q), ("status", status), ("kind", kind)]).unwrap_or_default()
}

#[get("/inventory")]
pub async fn list_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    query: web::Query<InventoryQuery>,
) -> Result<HttpResponse, PageError> {
    let mut frame = Frame::signed_in(&viewer, "/inventory", "web-ops-inventory-title");
    let lang = viewer.lang;
    let query = query.into_inner();
    let q = query.q.clone().unwrap_or_default().trim().to_string();
    let status_raw = query.status.clone().unwrap_or_default();
    let kind_raw = query.kind.clone().unwrap_or_default();
    let status = match status_raw.as_str() {
        "" => None,
        s => Some(
            s.parse::<Status>()
                .map_err(|e| AppError::invalid("status", e))
                .in_frame(&frame)?,
        ),
    };
    let kind = match kind_raw.as_str() {
        "" => None,
        k => Some(
            k.parse::<DeviceKind>()
                .map_err(|e| AppError::invalid("kind", e))
                .in_frame(&frame)?,
        ),
    };
    let after = match query.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => Some(
            crate::api::decode_cursor(c)
                .and_then(|raw| {
                    raw.parse::<i64>().map_err(|_| {
                        AppError::invalid("cursor", "is not a cursor returned by this list")
                    })
                })
                .in_frame(&frame)?,
        ),
    };
    let caller = viewer.caller.clone();
    let text_q = q.clone();
    let (rows, next, exact) = state
        .db
        .read(move |conn| {
            // A scanned tag, a label URL or a whole serial number names one device: that one.
            if !text_q.is_empty() && after.is_none() {
                let found = match devices::find(conn, &caller, Lookup::Id(&text_q)) {
                    Ok(d) => Some(d),
                    Err(AppError::NotFound(_)) => {
                        match devices::find(conn, &caller, Lookup::Serial(&text_q)) {
                            Ok(d) => Some(d),
                            Err(AppError::NotFound(_)) => None,
                            Err(e) => return Err(e),
                        }
                    }
                    Err(e) => return Err(e),
                };
                if let Some(d) = found.filter(|d| {
                    status.is_none_or(|s| s == d.status) && kind.is_none_or(|k| k == d.kind)
                }) {
                    return Ok((vec![d], None, true));
                }
            }
            let filter = DeviceFilter {
                status,
                kind,
                q: Some(text_q).filter(|t| !t.is_empty()),
                ..DeviceFilter::default()
            };
            let (rows, next) = devices::list(conn, &caller, &filter, PAGE_SIZE, after)?;
            Ok((rows, next, false))
        })
        .await
        .in_frame(&frame)?;
    if exact {
        frame = frame.with_notice(text(lang, "web-ops-inventory-found"));
    }
    let next = next.map(|seq| {
        format!(
            "{}&{}",
            search_query(&q, &status_raw, &kind_raw),
            serde_urlencoded::to_string([("cursor", crate::api::encode_cursor(&seq.to_string()))])
                .unwrap_or_default()
        )
    });
    render(&InventoryPage {
        statuses: status_options(lang),
        kinds: kind_options(lang, true),
        devices: rows.into_iter().map(|d| DeviceLine::of(lang, d)).collect(),
        may_edit: viewer.caller.can(Perm::RegisterDevices),
        next,
        labels_query: search_query(&q, &status_raw, &kind_raw),
        q,
        status: status_raw,
        kind: kind_raw,
        frame,
    })
}

#[derive(Template)]
#[template(path = "ops/device_edit.html")]
pub struct EditPage {
    pub frame: Frame,
    pub id: String,
    pub tag: String,
    pub heading: String,
    pub brand: String,
    pub model: String,
    pub serial_number: String,
    pub subtype: String,
    pub accessories: String,
    pub notes: String,
    pub shelf_location: String,
    pub in_pool: bool,
    pub in_pool_was: bool,
}
crate::page!(EditPage);

fn edit_frame(viewer: &Viewer, id: &str) -> Frame {
    Frame::signed_in(
        viewer,
        &format!("/inventory/{id}/edit"),
        "web-ops-edit-title",
    )
}

fn form_page(frame: Frame, d: &DeviceRow, sent: Option<&Values>) -> EditPage {
    let lang = frame.lang;
    let pick = |name: &str, current: &Option<String>| match sent {
        Some(v) => value(v, name),
        None => current.clone().unwrap_or_default(),
    };
    EditPage {
        id: d.id.clone(),
        tag: d.asset_tag.clone(),
        heading: format!("{} · {} {}", kind_text(lang, d.kind), d.brand, d.model),
        brand: pick("brand", &Some(d.brand.clone())),
        model: pick("model", &Some(d.model.clone())),
        serial_number: pick("serial_number", &d.serial_number),
        subtype: pick("subtype", &d.subtype),
        accessories: pick("accessories", &d.accessories),
        notes: pick("notes", &d.notes),
        shelf_location: pick("shelf_location", &d.shelf_location),
        in_pool: match sent {
            Some(v) => v.contains_key("in_pool"),
            None => d.in_pool,
        },
        in_pool_was: d.in_pool,
        frame,
    }
}

async fn load(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: &str,
) -> Result<DeviceRow, AppError> {
    viewer.caller.require(Perm::RegisterDevices)?;
    let caller = viewer.caller.clone();
    let id = crate::api::parse_id(id, "The device")?;
    state
        .db
        .read(move |conn| devices::find(conn, &caller, Lookup::Id(&id)))
        .await
}

#[derive(Debug, Deserialize)]
pub struct EditQuery {
    pub saved: Option<String>,
}

#[get("/inventory/{id}/edit")]
pub async fn edit_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<EditQuery>,
) -> Result<HttpResponse, PageError> {
    let mut frame = edit_frame(&viewer, &id);
    let d = load(&state, &viewer, &id).await.in_frame(&frame)?;
    frame.title = format!("{} {}", frame.title, d.asset_tag);
    if query.saved.is_some() {
        frame = frame.with_notice(text(viewer.lang, "web-ops-edit-saved"));
    }
    render(&form_page(frame, &d, None))
}

/// The patch of the form: every text as typed (an empty optional text clears it; an empty
/// subtype or serial number leaves it as it is), the pool flag only when it changed.
fn patch_of(v: &Values) -> DevicePatch {
    DevicePatch {
        subtype: optional(v, "subtype"),
        brand: Some(value(v, "brand")),
        model: Some(value(v, "model")),
        serial_number: optional(v, "serial_number"),
        specs: None,
        accessories: Some(value(v, "accessories")),
        notes: Some(value(v, "notes")),
        shelf_location: Some(value(v, "shelf_location")),
        in_pool: {
            let now = v.contains_key("in_pool");
            let was = value(v, "in_pool_was") == "true";
            (now != was).then_some(now)
        },
    }
}

#[post("/inventory/{id}/edit")]
pub async fn edit_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let frame = edit_frame(&viewer, &id);
    let d = load(&state, &viewer, &id).await.in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let device_id = d.id.clone();
    let patch = patch_of(&form);
    match state
        .db
        .write(move |conn| devices::edit(conn, &caller, &device_id, patch))
        .await
    {
        Ok(d) => Ok(see_other(&format!("/inventory/{}/edit?saved=1", d.id))),
        Err(e) => {
            let Some(errors) = form_errors(&e, viewer.lang) else {
                return Err(PageError::in_frame(e, &frame));
            };
            let status = match e {
                AppError::Conflict { .. } => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let mut frame = frame.with_errors(errors);
            frame.title = format!("{} {}", frame.title, d.asset_tag);
            render_status(status, &form_page(frame, &d, Some(&form)))
        }
    }
}
