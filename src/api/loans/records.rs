//! A loan's record: drafting, the list and one loan, signing, cancelling, the signed scan and
//! the agreement PDF.

use actix_web::{get, http::header, post, put, web, HttpRequest, HttpResponse};

use super::loan_id;
use super::wire::{Loan, LoanFilter, NewLoan, ScanInfo, SignLoan};
use crate::api::borrowers::{decode_time_cursor, encode_time_cursor};
use crate::api::{clamp_limit, Page};
use crate::auth::Caller;
use crate::domain::loans;
use crate::error::{AppError, Problem};
use crate::startup::AppState;

/// Draws up a loan (a draft) of one to three ready devices for a borrower of the caller's
/// office. Nothing is handed over until the agreement is signed.
#[utoipa::path(tag = "loans", request_body = NewLoan,
    responses((status = 201, body = Loan), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/loans")]
pub async fn create_loan(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewLoan>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner().into();
    let d = state
        .db
        .write(move |conn| loans::create(conn, &caller, body))
        .await?;
    Ok(HttpResponse::Created().json(Loan::from(d)))
}

/// Lists loans, oldest first, one page at a time.
#[utoipa::path(tag = "loans", params(LoanFilter),
    responses((status = 200, body = Page<Loan>), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans")]
pub async fn list_loans(
    caller: Caller,
    state: web::Data<AppState>,
    filter: web::Query<LoanFilter>,
) -> Result<HttpResponse, AppError> {
    let f = filter.into_inner();
    let limit = clamp_limit(f.limit);
    let after = f.cursor.as_deref().map(decode_time_cursor).transpose()?;
    let filter = loans::LoanFilter::from(&f);
    let (details, next) = state
        .db
        .read(move |conn| loans::list(conn, &caller, &filter, limit, after))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: details.into_iter().map(Loan::from).collect::<Vec<_>>(),
        next_cursor: next.map(|(at, id)| encode_time_cursor(at, &id)),
        limit,
    }))
}

/// One loan.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Loan), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans/{id}")]
pub async fn get_loan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = loan_id(&id)?;
    let d = state
        .db
        .read(move |conn| loans::get_detail(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Loan::from(d)))
}

/// Records that the borrower and the social worker signed the agreement, when and where, and
/// hands the devices over: each goes `ready → on_loan` and is held by the welfare office.
/// 409 if a device is no longer ready.
#[utoipa::path(tag = "loans", request_body = SignLoan, params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Loan), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/loans/{id}/sign")]
pub async fn sign_loan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<SignLoan>,
) -> Result<HttpResponse, AppError> {
    let id = loan_id(&id)?;
    let body = body.into_inner().into();
    let d = state
        .db
        .write(move |conn| loans::sign(conn, &caller, &id, body))
        .await?;
    Ok(HttpResponse::Ok().json(Loan::from(d)))
}

/// Cancels a draft that will not be signed: its devices are free again (for other loans and
/// the booking pool). 409 for a loan that is not a draft.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Loan), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
#[post("/loans/{id}/cancel")]
pub async fn cancel_loan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = loan_id(&id)?;
    let d = state
        .db
        .write(move |conn| loans::cancel(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Loan::from(d)))
}

/// Stores the scan or photo of the signed paper (PDF, JPEG or PNG, checked against the file's
/// first bytes; at most 5 MB). Replaces an earlier one.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 200, body = ScanInfo), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem),
              (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[put("/loans/{id}/signed-scan")]
pub async fn put_signed_scan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let id = loan_id(&id)?;
    let content_type = crate::api::media_type(&req);
    // Asked before the body is read: a refused upload is not read.
    loans::check_scan_upload(&caller, &content_type)?;
    let data = crate::api::read_body(payload, loans::MAX_SCAN_BYTES, "The scan").await?;
    let row = state
        .db
        .write(move |conn| loans::put_scan(conn, &caller, &id, &content_type, data))
        .await?;
    Ok(HttpResponse::Ok().json(ScanInfo::from(row)))
}

/// The scan of the signed paper, as uploaded.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans/{id}/signed-scan")]
pub async fn get_signed_scan(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = loan_id(&id)?;
    let row = state
        .db
        .read(move |conn| loans::get_scan(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, row.content_type))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Content-SHA256", row.sha256))
        .body(row.data))
}

/// The loan agreement as a PDF in the borrower's language, with the terms copied onto the
/// loan at signing.
#[utoipa::path(tag = "loans", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
#[get("/loans/{id}/agreement.pdf")]
pub async fn agreement_pdf(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    use crate::documents::{facts, loan_agreement_pdf};
    let id = loan_id(&id)?;
    let base = state.config.public_base_url.clone();
    // `facts::agreement` reads the loan through `domain::loans::agreement_facts`, which
    // authorises the caller.
    let data = state
        .db
        .read(move |conn| facts::agreement(conn, &caller, id.as_str(), &base))
        .await?;
    let number = data.agreement_number.clone();
    let pdf = web::block(move || loan_agreement_pdf(&data))
        .await?
        .map_err(|e| AppError::internal(format!("agreement PDF: {e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/pdf"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{number}.pdf\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(pdf))
}
