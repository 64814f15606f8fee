//! The one error type of the service and its RFC 9457 problem documents.
//!
//! Every handler returns `Result<_, AppError>`. Client errors carry a message meant for the
//! person who sent the request; server errors are logged with their cause and answered with an
//! opaque document, so nothing internal (SQL, paths, personal data) reaches the client.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
pub struct FieldError {
    /// The field, as a JSON path (`devices[3].serial_number`, `row 4: brand`).
    pub field: String,
    /// What is wrong with it, in words a user understands.
    pub message: String,
    /// A stable machine code for the rule broken, where it has one (see
    /// `crate::domain::refusal::RefusalCode`), for pages that say it in the reader's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            code: None,
        }
    }

    /// The same error with its machine code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }
}

/// An RFC 9457 problem document, as sent on the wire.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Present for validation problems: each invalid field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
    /// Extra members (the current status of a device, allowed actions, shortages, ...).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    /// A body or query that does not deserialize, naming the fields at fault.
    #[error("{detail}")]
    BadRequestFields {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("URI too long: {0}")]
    UriTooLong(String),
    #[error("authentication required: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("conflict: {detail}")]
    Conflict {
        detail: String,
        extra: Map<String, Value>,
    },
    #[error("request body too large: {0}")]
    PayloadTooLarge(String),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("invalid fields")]
    Validation {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("not acceptable: {0}")]
    NotAcceptable(String),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The database gave up on this transaction because of concurrent ones (deadlock,
    /// serialization failure, lock wait): nothing was written; the client may simply retry.
    #[error("busy: {0}")]
    Busy(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn conflict(detail: impl Into<String>) -> Self {
        AppError::Conflict {
            detail: detail.into(),
            extra: Map::new(),
        }
    }

    pub fn conflict_with(detail: impl Into<String>, extra: Value) -> Self {
        let extra = match extra {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        AppError::Conflict {
            detail: detail.into(),
            extra,
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        AppError::NotFound(what.into())
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation {
            detail: "Some fields are invalid.".into(),
            errors: vec![FieldError::new(field, message)],
        }
    }

    pub fn invalid_fields(errors: Vec<FieldError>) -> Self {
        AppError::Validation {
            detail: "Some fields are invalid.".into(),
            errors,
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Internal(cause.to_string())
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            AppError::BadRequest(_) | AppError::BadRequestFields { .. } => {
                ("bad-request", "Bad request")
            }
            AppError::UriTooLong(_) => ("uri-too-long", "URI too long"),
            AppError::Unauthorized(_) => ("unauthorized", "Authentication required"),
            AppError::Forbidden(_) => ("forbidden", "Not allowed for your role"),
            AppError::NotFound(_) => ("not-found", "Not found"),
            AppError::MethodNotAllowed => ("method-not-allowed", "Method not allowed"),
            AppError::Conflict { .. } => ("conflict", "Conflict with the current state"),
            AppError::PayloadTooLarge(_) => ("payload-too-large", "Request body too large"),
            AppError::UnsupportedMediaType(_) => {
                ("unsupported-media-type", "Unsupported media type")
            }
            AppError::Validation { .. } => ("validation", "Invalid fields"),
            AppError::NotAcceptable(_) => ("not-acceptable", "Not acceptable"),
            AppError::Unavailable(_) => ("unavailable", "Service unavailable"),
            AppError::Busy(_) => ("busy", "Busy, try again"),
            AppError::Internal(_) => ("internal", "Internal server error"),
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        let mut extra = Map::new();
        let mut errors = None;
        let detail = match self {
            AppError::BadRequest(d)
            | AppError::Unauthorized(d)
            | AppError::Forbidden(d)
            | AppError::PayloadTooLarge(d)
            | AppError::UnsupportedMediaType(d)
            | AppError::NotAcceptable(d)
            | AppError::UriTooLong(d) => d.clone(),
            AppError::NotFound(what) => format!("{what} was not found."),
            AppError::MethodNotAllowed => "This method is not allowed on this resource.".into(),
            AppError::Conflict { detail, extra: e } => {
                extra = e.clone();
                detail.clone()
            }
            AppError::Validation { detail, errors: e }
            | AppError::BadRequestFields { detail, errors: e } => {
                errors = Some(e.clone());
                detail.clone()
            }
            AppError::Unavailable(_) => "The service cannot reach its database.".into(),
            AppError::Busy(_) => {
                "Other requests changed the same data at the same time; nothing was written. \
                 Try again."
                    .into()
            }
            AppError::Internal(_) => "Something went wrong on our side; it has been logged.".into(),
        };
        Problem {
            kind: format!("/problems/{slug}"),
            title: title.into(),
            status: self.status_code().as_u16(),
            detail,
            errors,
            extra,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) | AppError::BadRequestFields { .. } => StatusCode::BAD_REQUEST,
            AppError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            AppError::Unavailable(_) | AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        // Only the service's own failures are errors in the log; a client's mistake (4xx) is
        // not logged here at all (the access log has its status), and contention is a warning.
        match self {
            AppError::Internal(cause) => log::error!("internal error: {cause}"),
            AppError::Unavailable(cause) => log::error!("database unavailable: {cause}"),
            AppError::Busy(cause) => log::warn!("transaction given up, client may retry: {cause}"),
            _ => {}
        }
        let mut builder = HttpResponse::build(self.status_code());
        builder.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if matches!(self, AppError::Unavailable(_) | AppError::Busy(_)) {
            builder.insert_header((header::RETRY_AFTER, "1"));
        }
        if matches!(self, AppError::Unauthorized(_)) {
            builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        builder.json(self.problem())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound("The record".into()),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::conflict("This conflicts with an existing record.")
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                AppError::conflict("This refers to a record that does not exist or is in use.")
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => {
                AppError::Busy(info.message().to_string())
            }
            Error::DatabaseError(_, info) if is_contention(info.message()) => {
                AppError::Busy(info.message().to_string())
            }
            other => AppError::Internal(format!("database: {other}")),
        }
    }
}

/// Whether a database error only says that concurrent transactions got in the way: a
/// PostgreSQL deadlock (40P01) or lock timeout (55P03), which diesel does not classify, or
/// SQLite's busy/locked after its busy timeout. Retrying the request may succeed.
fn is_contention(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.starts_with("deadlock detected")
        || m.starts_with("could not serialize access")
        || m.starts_with("canceling statement due to lock timeout")
        || m.starts_with("could not obtain lock")
        || m.starts_with("database is locked")
        || m.starts_with("database table is locked")
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Unavailable(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(format!("blocking task failed: {e}"))
    }
}

impl From<validator::ValidationErrors> for AppError {
    fn from(e: validator::ValidationErrors) -> Self {
        AppError::invalid_fields(flatten_validation("", &e))
    }
}

/// Turns validator's nested errors into a flat list of `path: message`.
pub fn flatten_validation(prefix: &str, errors: &validator::ValidationErrors) -> Vec<FieldError> {
    use validator::ValidationErrorsKind;
    let mut out = Vec::new();
    let mut entries: Vec<_> = errors.errors().iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (field, kind) in entries {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for err in list {
                    let message = err
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| describe_code(&err.code, &err.params));
                    out.push(FieldError::new(path.clone(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => out.extend(flatten_validation(&path, inner)),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    out.extend(flatten_validation(&format!("{path}[{index}]"), inner));
                }
            }
        }
    }
    out
}

fn describe_code(
    code: &str,
    params: &std::collections::HashMap<std::borrow::Cow<'static, str>, Value>,
) -> String {
    let p = |k: &str| params.get(k).map(|v| v.to_string());
    match code {
        "length" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max} characters long"),
            (Some(min), None) => format!("must be at least {min} characters long"),
            (None, Some(max)) => format!("must be at most {max} characters long"),
            _ => "has the wrong length".into(),
        },
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "is out of range".into(),
        },
        "email" => "must be an e-mail address".into(),
        "url" => "must be a URL".into(),
        other => format!("is invalid ({other})"),
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind, Error};

    fn db_error(kind: DatabaseErrorKind, message: &str) -> AppError {
        AppError::from(Error::DatabaseError(kind, Box::new(message.to_string())))
    }

    #[test]
    fn contention_is_a_503_with_retry_after_never_a_500() {
        let cases = [
            (
                DatabaseErrorKind::SerializationFailure,
                "could not serialize access due to concurrent update",
            ),
            (DatabaseErrorKind::Unknown, "deadlock detected"),
            (
                DatabaseErrorKind::Unknown,
                "canceling statement due to lock timeout",
            ),
            (DatabaseErrorKind::Unknown, "database is locked"),
        ];
        for (kind, message) in cases {
            let e = db_error(kind, message);
            assert!(matches!(e, AppError::Busy(_)), "{message}: {e:?}");
            let res = e.error_response();
            assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE, "{message}");
            assert_eq!(res.headers().get(header::RETRY_AFTER).unwrap(), "1");
            assert_eq!(
                res.headers().get(header::CONTENT_TYPE).unwrap(),
                "application/problem+json"
            );
        }
        // Anything else stays an internal error.
        let other = db_error(DatabaseErrorKind::Unknown, "syntax error at or near");
        assert!(matches!(other, AppError::Internal(_)));
    }
}
