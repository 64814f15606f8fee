//! The booking's documents: the pick list for staff and the confirmation for the school or
//! organisation. What each may be printed for is the domain's (`bookings::for_pick_list`,
//! `for_confirmation`); what they print is `documents::facts`'.

use actix_web::{get, web, HttpResponse};

use super::{booking_id, rules};
use crate::api::{lang_of, LangParam};
use crate::auth::Caller;
use crate::documents::{self, DocumentError};
use crate::domain::bookings;
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// A PDF shown in the browser, named.
fn pdf_response(bytes: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}\""),
        ))
        .body(bytes)
}

fn document_error(e: DocumentError) -> AppError {
    match e {
        DocumentError::Invalid(m) => {
            AppError::conflict(format!("The document cannot be made: {m}."))
        }
        other => AppError::internal(other),
    }
}

/// The pick list for staff: the devices to gather, their tags and shelf locations, with QR
/// codes (Dutch by default; `?lang=fr|en`).
#[utoipa::path(tag = "bookings", params(("id" = uuid::Uuid, Path), LangParam),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/bookings/{id}/pick-list.pdf")]
pub async fn pick_list(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<LangParam>,
) -> Result<HttpResponse, AppError> {
    let id = booking_id(&id)?;
    let lang = lang_of(&query)?;
    let rules = rules(&state);
    let base = state.config.public_base_url.clone();
    let d = state
        .db
        .read(move |conn| bookings::for_pick_list(conn, &caller, &rules, &id))
        .await?;
    let data = documents::facts::pick_list(&d, lang, &base)?;
    let name = format!("{}-pick-list.pdf", d.booking.reference);
    let bytes = web::block(move || documents::pick_list_pdf(&data))
        .await?
        .map_err(document_error)?;
    Ok(pdf_response(bytes, &name))
}

/// The booking confirmation for the school or organisation (Dutch by default;
/// `?lang=fr|en`). Available once the booking is confirmed.
#[utoipa::path(tag = "bookings", params(("id" = uuid::Uuid, Path), LangParam),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/bookings/{id}/confirmation.pdf")]
pub async fn confirmation(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<LangParam>,
) -> Result<HttpResponse, AppError> {
    let id = booking_id(&id)?;
    let lang = lang_of(&query)?;
    let rules = rules(&state);
    let (d, data) = state
        .db
        .read(move |conn| {
            let d = bookings::for_confirmation(conn, &caller, &rules, &id)?;
            let data = documents::facts::booking_confirmation(conn, &d, lang)?;
            Ok((d, data))
        })
        .await?;
    let name = format!("{}-confirmation.pdf", d.booking.reference);
    let bytes = web::block(move || documents::booking_confirmation_pdf(&data))
        .await?
        .map_err(document_error)?;
    Ok(pdf_response(bytes, &name))
}
