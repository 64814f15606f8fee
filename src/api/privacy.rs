//! Two request-wide guards for personal data, applied to every route in `startup`:
//!
//! - every JSON body is searched for a Belgian national register number in any string (the
//!   one place free text enters as JSON), refused with 422 naming each field;
//! - responses of the paths that carry personal data (`/borrowers…`, `/loans…`) get
//!   `Cache-Control: no-store`, and the signed scan is sent as an attachment with
//!   `X-Content-Type-Options: nosniff` so that no browser renders an uploaded file.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};

use crate::domain::national_number;
use crate::error::{AppError, FieldError};

/// Paths whose responses carry personal data.
const PERSONAL_PREFIXES: &[&str] = &["/borrowers", "/loans"];

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if has_json_body(&req) {
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
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body) {
            let fields = national_number::find_in_json(&value);
            if !fields.is_empty() {
                return Err(AppError::invalid_fields(
                    fields
                        .into_iter()
                        .map(|f| {
                            FieldError::new(
                                f,
                                "contains what looks like a Belgian national register number; it may not be stored here, remove it",
                            )
                        })
                        .collect(),
                )
                .into());
            }
        }
        req.set_payload(actix_web::dev::Payload::from(body));
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

fn has_json_body(req: &ServiceRequest) -> bool {
    matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH) && {
        let t = req.content_type().to_ascii_lowercase();
        t == "application/json" || t.ends_with("+json")
    }
}
