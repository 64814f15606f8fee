//! HTTP handlers: extract, call the domain (which authorises and applies the rules), map to
//! response types. Request and response types live here; the domain takes plain values.

pub mod accounts;
pub mod bookings;
pub mod borrowers;
pub mod devices;
pub mod donations;
pub mod figures;
pub mod health;
pub mod input;
pub mod labels;
pub mod loans;
pub mod openapi;
pub mod privacy;
pub mod programmes;
pub mod refurbishment;

use actix_web::http::header;
use actix_web::{error::JsonPayloadError, web, HttpMessage, HttpRequest, HttpResponse};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;

/// Default and largest page sizes of every list endpoint.
pub const DEFAULT_PAGE: i64 = 50;
pub const MAX_PAGE: i64 = 200;

/// One page of a list. Pass `next_cursor` back as `cursor` to get the next page; it is absent
/// on the last page.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    /// The page size that was used (requested sizes are clamped to 1..=200).
    pub limit: i64,
}

/// Paging parameters shared by list endpoints.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

pub fn clamp_limit(limit: Option<i64>) -> i64 {
    limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

pub fn encode_cursor(raw: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

pub fn decode_cursor(cursor: &str) -> Result<String, AppError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| AppError::invalid("cursor", "is not a cursor returned by this list"))
}

/// Parses an id from the path; a malformed id names no record, so it is a 404.
pub fn parse_id(raw: &str, what: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(raw)
        .map(|u| u.to_string())
        .map_err(|_| AppError::not_found(what.to_string()))
}

/// Parses an id from the path into its typed id (`LoanId`, `DeviceId`, …); a malformed id
/// names no record, so it is a 404.
pub fn path_id<T: From<String>>(raw: &str, what: &str) -> Result<T, AppError> {
    parse_id(raw, what).map(T::from)
}

/// Problem documents for the extractor errors of actix (bad JSON, bad query, bad path).
pub fn json_error(err: JsonPayloadError, req: &HttpRequest) -> actix_web::Error {
    let app = match &err {
        JsonPayloadError::ContentType => AppError::UnsupportedMediaType(
            "Send the body as JSON with `Content-Type: application/json`.".into(),
        ),
        JsonPayloadError::Overflow { limit }
        | JsonPayloadError::OverflowKnownLength { limit, .. } => AppError::PayloadTooLarge(
            format!("The body is larger than the limit of {limit} bytes."),
        ),
        JsonPayloadError::Deserialize(e) => {
            let raw = req.extensions().get::<input::RawJson>().cloned();
            input::json_problem(raw.as_ref().map(|r| &r.0[..]), e)
        }
        JsonPayloadError::Serialize(e) => AppError::internal(e),
        other => AppError::BadRequest(format!("The JSON body could not be read: {other}.")),
    };
    app.into()
}

pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    req: &HttpRequest,
) -> actix_web::Error {
    let message = match &err {
        actix_web::error::QueryPayloadError::Deserialize(e) => e.to_string(),
        other => other.to_string(),
    };
    // serde_urlencoded does not say which parameter failed: name the one whose value (or
    // name, for an unknown parameter) the message quotes.
    let pairs: Vec<(String, String)> =
        web::Query::<Vec<(String, String)>>::from_query(req.query_string())
            .map(|q| q.into_inner())
            .unwrap_or_default();
    let field = pairs
        .iter()
        .find(|(k, _)| message.contains(&format!("`{k}`")))
        .or_else(|| {
            pairs
                .iter()
                .find(|(_, v)| !v.is_empty() && message.contains(&format!("`{v}`")))
        })
        .or_else(|| {
            // A date chrono could not read (its messages quote nothing): the date-like value
            // that does not parse.
            pairs.iter().find(|(_, v)| {
                v.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
                    && v.contains('-')
                    && v.parse::<chrono::NaiveDate>().is_err()
            })
        })
        .map(|(k, _)| k.clone());
    let detail = format!("The query string is invalid: {message}.");
    let errors = |field| vec![crate::error::FieldError::new(field, message.clone())];
    match field {
        Some(field) if message.contains("out of range") => AppError::invalid_fields(errors(field)),
        Some(field) => AppError::BadRequestFields {
            detail,
            errors: errors(field),
        },
        None => AppError::BadRequest(detail),
    }
    .into()
}

pub fn path_error(_err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    AppError::not_found("The resource").into()
}

pub fn payload_error_to_app(err: actix_web::error::PayloadError) -> AppError {
    match err {
        actix_web::error::PayloadError::Overflow => {
            AppError::PayloadTooLarge("The body is larger than the limit.".into())
        }
        other => AppError::BadRequest(format!("The body could not be read: {other}")),
    }
}

/// The media type of a request's body (`Content-Type` without parameters, lower case); empty
/// when none is given.
pub fn media_type(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Reads a raw body of at most `max` bytes; a larger one is a 413 naming `what`.
pub async fn read_body(payload: web::Payload, max: usize, what: &str) -> Result<Vec<u8>, AppError> {
    Ok(payload
        .to_bytes_limited(max)
        .await
        .map_err(|_| {
            AppError::PayloadTooLarge(format!("{what} is larger than {} MB.", max / (1024 * 1024)))
        })?
        .map_err(|e| AppError::BadRequest(format!("The body could not be read: {e}")))?
        .to_vec())
}

/// `?lang=` of the endpoints that render documents.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LangParam {
    /// `nl` (default), `fr` or `en`.
    pub lang: Option<String>,
}

/// The document language asked for; Dutch when none is given.
pub fn lang_of(p: &LangParam) -> Result<crate::documents::Lang, AppError> {
    match p.lang.as_deref() {
        None => Ok(crate::documents::Lang::Nl),
        Some(l) => l
            .parse()
            .map_err(|_| AppError::invalid("lang", "must be one of: nl, fr, en")),
    }
}

/// Parses an optional JSON body: an empty body gives the default value.
pub fn optional_json<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, AppError> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| input::json_problem(Some(body), &e))
}

/// The methods the OpenAPI document lists for a path: those of the paths without parameters
/// that match it exactly when there are any (`/bookings/overdue` is not `/bookings/{id}`),
/// otherwise those of the templated paths that match it. Empty for an unknown path.
pub fn documented_methods(path: &str) -> Vec<&'static str> {
    let routes = &openapi::spec().routes;
    let matching: Vec<_> = routes
        .iter()
        .filter(|(def, ..)| def.is_match(path))
        .collect();
    let any_static = matching.iter().any(|(_, is_static, _)| *is_static);
    matching
        .into_iter()
        .filter(|(_, is_static, _)| *is_static || !any_static)
        .flat_map(|(.., methods)| methods.iter().copied())
        .collect()
}

/// A 405 with `Allow`.
pub fn method_not_allowed(allowed: &[&str]) -> HttpResponse {
    let mut res = actix_web::ResponseError::error_response(&AppError::MethodNotAllowed);
    if let Ok(value) = header::HeaderValue::from_str(&allowed.join(", ")) {
        res.headers_mut().insert(header::ALLOW, value);
    }
    res
}

/// No route matched: a 405 with `Allow` when the path exists with other methods, otherwise 404.
pub async fn not_found_fallback(req: HttpRequest) -> Result<HttpResponse, AppError> {
    // A person's browser asking for a page that does not exist gets a page, not JSON.
    if crate::web::error::wants_page(&req) {
        return Ok(crate::web::error::not_found_page(&req).await);
    }
    let allowed = documented_methods(req.path());
    if allowed.is_empty() {
        return Err(AppError::not_found("This path"));
    }
    Ok(method_not_allowed(&allowed))
}

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    accounts::configure(cfg);
    donations::configure(cfg);
    devices::configure(cfg);
    programmes::configure(cfg);
    borrowers::configure(cfg);
    loans::configure(cfg);
    refurbishment::configure(cfg);
    bookings::configure(cfg);
    figures::configure(cfg);
    // `/d/{asset_tag}` (the scan landing) is public: no Caller.
    labels::configure(cfg);
}
