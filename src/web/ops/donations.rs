//! Donation batches (`/donations`): the list with the form that registers a batch (donor,
//! date, where received), and a batch's page (`/donations/{id}`): its devices, the CSV upload
//! (a refused file comes back as a table of every bad row and column, nothing imported), the
//! workshop it is assigned to, the donor's certificate and its labels.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::inventory::DeviceLine;
use super::{browser, form_errors, optional, value, Values};
use crate::auth::Perm;
use crate::db::models::{DonationRow, OrganisationRow};
use crate::domain::accounts::{self, OrgKind};
use crate::domain::devices::{self, DeviceFilter};
use crate::domain::donations::{self, NewDonation};
use crate::domain::ids::{DonationId, OrganisationId};
use crate::domain::refurbishment as refurb;
use crate::error::{AppError, FieldError};
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::forms::{cross_origin, same_token, FormErrors};
use crate::web::frame::{render_status, see_other, text, texts, Frame};
use crate::web::prelude::*;
use crate::web::workshop::multipart;
use crate::web::{PageError, Posted, Viewer};

/// Batches per page of the list, devices shown on a batch's page.
const PAGE_SIZE: i64 = 50;
const DEVICES_SHOWN: i64 = 200;

/// Largest CSV file accepted from the form.
const MAX_CSV_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct BatchLine {
    pub id: String,
    pub donor: String,
    pub received_on: String,
    pub received_at: String,
}

fn donor_of(lang: Lang, d: &DonationRow, orgs: &[OrganisationRow]) -> String {
    if let Some(org) = &d.donor_organisation_id {
        if let Some(o) = orgs.iter().find(|o| &o.id == org) {
            return o.name.clone();
        }
    }
    d.donor_name
        .clone()
        .unwrap_or_else(|| text(lang, "web-ops-donation-anonymous"))
}

#[derive(Template)]
#[template(path = "ops/donations.html")]
pub struct DonationsPage {
    pub frame: Frame,
    pub batches: Vec<BatchLine>,
    pub next: Option<String>,
    pub may_register: bool,
    pub donor_name: String,
    pub anonymous: bool,
    pub received_on: String,
    pub received_at: String,
    pub note: String,
}
crate::page!(DonationsPage);

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub cursor: Option<String>,
}

fn list_frame(viewer: &Viewer) -> Frame {
    Frame::signed_in(viewer, "/donations", "web-ops-donations-title")
}

/// Every organisation (by name), for the donors' and workshops' names; at most 1,000.
fn organisations(
    conn: &mut crate::db::DbConn,
    caller: &crate::auth::Caller,
) -> Result<Vec<OrganisationRow>, AppError> {
    Ok(accounts::list_organisations(conn, caller, 1000, None)?.0)
}

async fn list_of(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    after: Option<(NaiveDate, String)>,
) -> Result<(Vec<BatchLine>, Option<String>), AppError> {
    let caller = viewer.caller.clone();
    let lang = viewer.lang;
    let (rows, next, orgs) = state
        .db
        .read(move |conn| {
            let (rows, next) = donations::list(conn, &caller, PAGE_SIZE, after)?;
            let orgs = if caller.can(Perm::ReadOrganisations) {
                organisations(conn, &caller)?
            } else {
                Vec::new()
            };
            Ok((rows, next, orgs))
        })
        .await?;
    let lines = rows
        .iter()
        .map(|d| BatchLine {
            id: d.id.clone(),
            donor: donor_of(lang, d, &orgs),
            received_on: d.received_on.to_string(),
            received_at: d.received_at.clone(),
        })
        .collect();
    let next = next.map(|(d, id)| {
        serde_urlencoded::to_string([("cursor", crate::api::encode_cursor(&format!("{d}|{id}")))])
            .unwrap_or_default()
    });
    Ok((lines, next))
}

fn cursor_of(raw: Option<&str>) -> Result<Option<(NaiveDate, String)>, AppError> {
    match raw {
        None | Some("") => Ok(None),
        Some(c) => {
            let raw = crate::api::decode_cursor(c)?;
            raw.split_once('|')
                .and_then(|(d, id)| Some((d.parse::<NaiveDate>().ok()?, id.to_string())))
                .map(Some)
                .ok_or_else(|| AppError::invalid("cursor", "is not a cursor returned by this list"))
        }
    }
}

#[get("/donations", guard = "browser")]
pub async fn list_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let frame = list_frame(&viewer);
    let after = cursor_of(query.cursor.as_deref()).in_frame(&frame)?;
    let (batches, next) = list_of(&state, &viewer, after).await.in_frame(&frame)?;
    render(&DonationsPage {
        batches,
        next,
        may_register: viewer.caller.can(Perm::RegisterDevices),
        donor_name: String::new(),
        anonymous: false,
        received_on: crate::db::today().to_string(),
        received_at: String::new(),
        note: String::new(),
        frame,
    })
}

/// The new batch of the form, or the fields that cannot be read.
fn new_donation(v: &Values, lang: Lang) -> Result<NewDonation, FormErrors> {
    let received_on = value(v, "received_on").parse::<NaiveDate>();
    let anonymous = v.contains_key("anonymous");
    match received_on {
        Ok(received_on) => Ok(NewDonation {
            donor_organisation_id: None,
            donor_name: optional(v, "donor_name").filter(|_| !anonymous),
            anonymous,
            received_on,
            received_at: value(v, "received_at"),
            note: optional(v, "note"),
        }),
        Err(_) => {
            let mut e = FormErrors::one("received_on", text(lang, "web-ops-field-date-invalid"));
            for p in &mut e.items {
                p.label = super::field_label(lang, &p.field);
            }
            Err(e)
        }
    }
}

/// A refusal of the domain on the register form names the donor field the form has.
fn donation_field(field: &str) -> String {
    match field {
        "donor_organisation_id" => "donor_name".to_string(),
        other => other.to_string(),
    }
}

#[post("/donations", guard = "super::browser_form")]
pub async fn register_submit(
    state: web::Data<AppState>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let frame = list_frame(&viewer);
    let lang = viewer.lang;
    let refused = match new_donation(&form, lang) {
        Ok(new) => {
            let caller = viewer.caller.clone();
            match state
                .db
                .write(move |conn| donations::create(conn, &caller, new))
                .await
            {
                Ok(row) => return Ok(see_other(&format!("/donations/{}?done=registered", row.id))),
                Err(e) => match form_errors(&e, lang) {
                    Some(mut errors) => {
                        for p in &mut errors.items {
                            p.field = donation_field(&p.field);
                            p.label = super::field_label(lang, &p.field);
                        }
                        errors
                    }
                    None => return Err(PageError::in_frame(e, &frame)),
                },
            }
        }
        Err(errors) => errors,
    };
    let (batches, next) = list_of(&state, &viewer, None).await.in_frame(&frame)?;
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &DonationsPage {
            batches,
            next,
            may_register: viewer.caller.can(Perm::RegisterDevices),
            donor_name: value(&form, "donor_name"),
            anonymous: form.contains_key("anonymous"),
            received_on: value(&form, "received_on"),
            received_at: value(&form, "received_at"),
            note: value(&form, "note"),
            frame: frame.with_errors(refused),
        },
    )
}

/// One bad cell of a refused CSV file.
#[derive(Debug, Clone)]
pub struct CsvProblem {
    pub row: String,
    pub column: String,
    pub message: String,
}

/// The row and the column of a CSV error's field (`row 3, brand`, `row 1, column 4`, `row 5`,
/// `file`).
pub fn row_and_column(field: &str) -> (String, String) {
    let (row, column) = match field.split_once(", ") {
        Some((r, c)) => (r, c),
        None => (field, ""),
    };
    let row = row.strip_prefix("row ").unwrap_or("");
    let column = if row.is_empty() && column.is_empty() {
        ""
    } else {
        column
    };
    (row.to_string(), column.to_string())
}

fn csv_problems(lang: Lang, e: &AppError) -> Vec<CsvProblem> {
    let errors: Vec<FieldError> = match e {
        AppError::Validation { errors, .. } | AppError::BadRequestFields { errors, .. } => {
            errors.clone()
        }
        other => vec![FieldError::new("file", other.to_string())],
    };
    errors
        .into_iter()
        .map(|f| {
            let (row, column) = row_and_column(&f.field);
            CsvProblem {
                row: if row.is_empty() {
                    text(lang, "web-ops-csv-whole-file")
                } else {
                    row
                },
                column,
                message: csv_message(lang, &f.message),
            }
        })
        .collect()
}

/// The intake's most frequent sentences in the person's language; others as they are.
fn csv_message(lang: Lang, english: &str) -> String {
    match english {
        "is empty" => text(lang, "web-ops-csv-empty"),
        m if m.ends_with("is not a whole number of GB") => text(lang, "web-ops-csv-number"),
        m if m.starts_with("serial number is already registered") => {
            text(lang, "web-ops-csv-serial-taken")
        }
        other => other.to_string(),
    }
}

#[derive(Debug, Clone)]
pub struct WorkshopOption {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "ops/donation.html")]
pub struct BatchPage {
    pub frame: Frame,
    pub id: String,
    pub donor: String,
    pub received_on: String,
    pub received_at: String,
    pub note: String,
    pub workshop: Option<String>,
    pub workshops: Vec<WorkshopOption>,
    pub devices: Vec<DeviceLine>,
    pub more_devices: bool,
    pub may_register: bool,
    pub may_assign: bool,
    pub certificate_url: Option<String>,
    pub csv_problems: Vec<CsvProblem>,
}
crate::page!(BatchPage);

fn batch_frame(viewer: &Viewer, id: &str) -> Frame {
    Frame::signed_in(
        viewer,
        &format!("/donations/{id}"),
        "web-ops-donation-title",
    )
}

/// A batch's page, with the notice or the errors of the form that was sent.
async fn batch(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    id: &str,
    frame: Frame,
    csv_problems: Vec<CsvProblem>,
) -> Result<BatchPage, PageError> {
    let lang = viewer.lang;
    let donation_id: DonationId = crate::api::path_id(id, "The donation").in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let (row, orgs, rows, more, progress) = state
        .db
        .read(move |conn| {
            let row = donations::get(conn, &caller, &donation_id)?;
            let orgs = if caller.can(Perm::ReadOrganisations) {
                organisations(conn, &caller)?
            } else {
                Vec::new()
            };
            let filter = DeviceFilter {
                donation_id: Some(donation_id.clone()),
                ..DeviceFilter::default()
            };
            let (rows, more) = devices::list(conn, &caller, &filter, DEVICES_SHOWN, None)?;
            let progress = match &row.workshop_id {
                Some(w) if caller.can(Perm::ReadWorkQueue) => {
                    refurb::workshop_batches(conn, &caller, Some(OrganisationId::from(w.clone())))?
                        .into_iter()
                        .find(|b| b.donation_id == row.id)
                }
                _ => None,
            };
            Ok((row, orgs, rows, more.is_some(), progress))
        })
        .await
        .in_frame(&frame)?;
    let workshop = row
        .workshop_id
        .as_ref()
        .and_then(|w| orgs.iter().find(|o| &o.id == w))
        .map(|o| o.name.clone());
    let workshops = orgs
        .iter()
        .filter(|o| o.kind == OrgKind::Workshop)
        .map(|o| WorkshopOption {
            selected: row.workshop_id.as_deref() == Some(o.id.as_str()),
            id: o.id.clone(),
            name: o.name.clone(),
        })
        .collect();
    let certificate_url = progress
        .filter(|p| p.certificate_available())
        .filter(|_| viewer.caller.can(Perm::ReadCertificates))
        .map(|_| {
            format!(
                "/workshop/batches/{}/certificate.pdf?lang={}",
                row.id,
                lang.code()
            )
        });
    Ok(BatchPage {
        id: row.id.clone(),
        donor: donor_of(lang, &row, &orgs),
        received_on: row.received_on.to_string(),
        received_at: row.received_at.clone(),
        note: row.note.clone().unwrap_or_default(),
        workshop,
        workshops,
        devices: rows.into_iter().map(|d| DeviceLine::of(lang, d)).collect(),
        more_devices: more,
        may_register: viewer.caller.can(Perm::RegisterDevices),
        may_assign: viewer.caller.can(Perm::AssignWork),
        certificate_url,
        csv_problems,
        frame,
    })
}

#[derive(Debug, Deserialize)]
pub struct BatchQuery {
    pub done: Option<String>,
    pub n: Option<usize>,
}

#[get("/donations/{id}", guard = "browser")]
pub async fn batch_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<BatchQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = viewer.lang;
    let mut frame = batch_frame(&viewer, &id);
    let notice = match query.done.as_deref() {
        Some("registered") => Some(text(lang, "web-ops-donation-done-registered")),
        Some("upload") => Some(texts(
            lang,
            "web-ops-donation-done-upload",
            &[("n", &query.n.unwrap_or(0).to_string())],
        )),
        Some("assign") => Some(text(lang, "web-ops-donation-done-assign")),
        _ => None,
    };
    if let Some(n) = notice {
        frame = frame.with_notice(n);
    }
    let page = batch(&state, &viewer, &id, frame, Vec::new()).await?;
    render(&page)
}

#[post("/donations/{id}/upload")]
pub async fn upload_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let viewer = Viewer::extract(&req).await?;
    let lang = viewer.lang;
    if cross_origin(&req, &state.config.public_base_url) {
        return Err(PageError::csrf(lang));
    }
    let frame = batch_frame(&viewer, &id);
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = crate::api::read_body(payload, MAX_CSV_BYTES + 64 * 1024, "The file")
        .await
        .in_frame(&frame)?;
    let parts = multipart::parse(&content_type, &body).unwrap_or_default();
    let csrf = parts
        .iter()
        .find(|p| p.name == crate::web::forms::CSRF_FIELD)
        .and_then(|p| std::str::from_utf8(&p.data).ok())
        .unwrap_or("");
    if !same_token(csrf, &viewer.csrf) {
        return Err(PageError::csrf(lang));
    }
    let file = parts
        .into_iter()
        .find(|p| p.name == "file" && p.file_name.as_deref().is_some_and(|n| !n.is_empty()));
    let Some(file) = file else {
        let errors = FormErrors::one("file", text(lang, "web-ops-csv-choose"));
        let page = batch(&state, &viewer, &id, frame.with_errors(errors), Vec::new()).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let donation_id: DonationId = crate::api::path_id(&id, "The donation").in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let prefix = state.config.asset_tag_prefix.clone();
    let result = match donations::devices_from_csv(&caller, &file.data) {
        Ok(items) => {
            state
                .db
                .write(move |conn| {
                    donations::register_devices(conn, &caller, &prefix, &donation_id, items, &|i| {
                        format!("row {}", i + 2)
                    })
                })
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(rows) => Ok(see_other(&format!(
            "/donations/{id}?done=upload&n={}",
            rows.len()
        ))),
        Err(e @ (AppError::Validation { .. } | AppError::BadRequestFields { .. })) => {
            let problems = csv_problems(lang, &e);
            let errors = FormErrors::one(
                "file",
                texts(
                    lang,
                    "web-ops-csv-refused",
                    &[("n", &problems.len().to_string())],
                ),
            );
            let page = batch(&state, &viewer, &id, frame.with_errors(errors), problems).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(PageError::in_frame(e, &frame)),
    }
}

#[post("/donations/{id}/workshop")]
pub async fn assign_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let lang = viewer.lang;
    let frame = batch_frame(&viewer, &id);
    let donation_id: DonationId = crate::api::path_id(&id, "The donation").in_frame(&frame)?;
    let workshop = value(&form, "workshop_id");
    let result = match uuid::Uuid::parse_str(&workshop) {
        Ok(w) => {
            let caller = viewer.caller.clone();
            let workshop = OrganisationId::from(w.to_string());
            state
                .db
                .write(move |conn| refurb::assign_donation(conn, &caller, &donation_id, &workshop))
                .await
        }
        Err(_) => Err(AppError::invalid(
            "workshop_id",
            text(lang, "web-ops-field-choose"),
        )),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/donations/{id}?done=assign"))),
        Err(e) => {
            let Some(mut errors) = form_errors(&e, lang) else {
                return Err(PageError::in_frame(e, &frame));
            };
            if errors.items.is_empty() && errors.general.is_some() {
                errors.items.push(crate::web::forms::FieldProblem {
                    field: "workshop_id".into(),
                    label: super::field_label(lang, "workshop_id"),
                    message: errors.general.take().unwrap_or_default(),
                });
            }
            let status = match e {
                AppError::Conflict { .. } => StatusCode::CONFLICT,
                AppError::NotFound(_) | AppError::Forbidden(_) => {
                    return Err(PageError::in_frame(e, &frame))
                }
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let page = batch(&state, &viewer, &id, frame.with_errors(errors), Vec::new()).await?;
            render_status(status, &page)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_give_their_row_and_column() {
        assert_eq!(row_and_column("row 3, brand"), ("3".into(), "brand".into()));
        assert_eq!(
            row_and_column("row 1, column 4"),
            ("1".into(), "column 4".into())
        );
        assert_eq!(row_and_column("row 5"), ("5".into(), String::new()));
        assert_eq!(row_and_column("file"), (String::new(), String::new()));
    }
}
