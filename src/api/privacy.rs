//! Two request-wide guards for personal data, applied to every route in `startup`:
//!
//! - a Belgian national register number is refused with 422 naming each field wherever free
//!   text enters: any string of a JSON body, any cell of a CSV upload (`row 3: notes`) and any
//!   value of the query string (a search); ids, timestamps and serial numbers are not free text.
//!   Authentication comes first: a request without a valid token gets the 401 its handler would
//!   give, never this 422;
//! - responses of the paths that carry personal data (`/borrowers…`, `/loans…`) get
//!   `Cache-Control: no-store`, and the signed scan is sent as an attachment with
//!   `X-Content-Type-Options: nosniff` so that no browser renders an uploaded file.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use serde_json::{Map, Value};

use crate::auth::Caller;
use crate::domain::{intake, national_number};
use crate::error::{AppError, FieldError};

/// Paths whose responses carry personal data.
const PERSONAL_PREFIXES: &[&str] = &["/borrowers", "/loans"];

pub(crate) const REFUSAL: &str = "contains what looks like a Belgian national register number; it may not be stored here, remove it";

/// The kinds of body searched for national register numbers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    Json,
    Csv,
}

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut fields = in_query(req.query_string());
    if let Some(kind) = searched_body(&req) {
        let limit = req
            .app_data::<web::Data<crate::startup::AppState>>()
            .map_or(2 * 1024 * 1024, |s| s.config.max_body_bytes);
        let payload = req.extract::<web::Payload>().await?;
        let body = match payload.to_bytes_limited(limit).await {
            Ok(read) => read?,
            Err(_) => {
                return Err(AppError::PayloadTooLarge(format!(
                    "The body is larger than the limit of {limit} bytes."
                ))
                .into())
            }
        };
        fields.extend(match kind {
            Body::Json => serde_json::from_slice::<Value>(&body)
                .map(|v| national_number::find_in_json(&v))
                .unwrap_or_default(),
            Body::Csv => in_csv(&body),
        });
        req.set_payload(actix_web::dev::Payload::from(body));
    }
    if !fields.is_empty() {
        // Who may not use the endpoint at all is told so first (401), as without the number.
        req.extract::<Caller>().await?;
        return Err(AppError::invalid_fields(
            fields
                .into_iter()
                .map(|f| FieldError::new(f, REFUSAL))
                .collect(),
        )
        .into());
    }
    let path = req.path().to_string();
    let mut res = next.call(req).await?;
    if PERSONAL_PREFIXES.iter().any(|p| path.starts_with(p)) {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    if path.starts_with("/loans/") && path.ends_with("/signed-scan") && res.status().is_success() {
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_DISPOSITION,
            header::HeaderValue::from_static("attachment; filename=\"signed-scan\""),
        );
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            header::HeaderValue::from_static("nosniff"),
        );
    }
    Ok(res)
}

fn searched_body(req: &ServiceRequest) -> Option<Body> {
    if !matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH) {
        return None;
    }
    let t = req.content_type().to_ascii_lowercase();
    if t == "application/json" || t.ends_with("+json") {
        Some(Body::Json)
    } else if t == "text/csv" || t == "application/csv" {
        Some(Body::Csv)
    } else {
        None
    }
}

/// The query parameters whose value holds a national register number, by name.
fn in_query(query: &str) -> Vec<String> {
    if query.is_empty() {
        return Vec::new();
    }
    let Ok(pairs) = web::Query::<Vec<(String, String)>>::from_query(query) else {
        // Not decodable: the handler's own query error answers it.
        return Vec::new();
    };
    let mut fields = Vec::new();
    for (name, value) in pairs.into_inner() {
        if holds_number(&name, value) && !fields.contains(&name) {
            fields.push(name);
        }
    }
    fields
}

/// The cells of a CSV upload that hold a national register number, as `row 3: notes` (rows
/// counted as a spreadsheet shows them, the header being row 1; the column by the name the
/// intake gives it). Serial-number columns are identifiers, as in JSON bodies. A file that is
/// not UTF-8 or not CSV is left to the intake, which names its problems.
fn in_csv(body: &[u8]) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(body) else {
        return Vec::new();
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(intake::sniff_delimiter(text))
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut names: Vec<String> = Vec::new();
    let mut fields = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let Ok(record) = record else { continue };
        if n == 0 {
            names = record
                .iter()
                .map(|h| intake::canonical(h).map_or_else(|| h.trim().to_string(), str::to_string))
                .collect();
        }
        for (i, cell) in record.iter().enumerate() {
            let name = names
                .get(i)
                .filter(|_| n > 0)
                .cloned()
                .unwrap_or_else(|| format!("column {}", i + 1));
            if holds_number(&name, cell.into()) {
                fields.push(format!("row {}: {name}", n + 1));
            }
        }
    }
    fields
}

/// Whether a field named `name` holding `value` carries a national register number, by the
/// rules for JSON bodies (identifier fields and values are not free text).
pub(crate) fn holds_number(name: &str, value: String) -> bool {
    let one = Value::Object(Map::from_iter([(name.to_string(), Value::String(value))]));
    !national_number::find_in_json(&one).is_empty()
}
