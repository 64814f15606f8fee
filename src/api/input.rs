//! One gate every request passes before any handler: an over-long URL, a NUL character in the
//! path, the query string or a text body are refused here with a problem document, so no
//! handler (and no database: PostgreSQL cannot store NUL, SQLite would store it as is) ever
//! sees them. It also keeps the JSON body at hand so that a body that does not deserialize
//! names the field at fault (`errors[].field`).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpRequest, ResponseError};

use crate::error::{AppError, FieldError};

/// The longest accepted request target (path and query string).
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// The raw JSON body of the request, kept for error messages.
#[derive(Clone)]
pub struct RawJson(pub Bytes);

const NUL_MESSAGE: &str = "must not contain the NUL character";

pub async fn screen<B: MessageBody + 'static>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    if let Err(e) = check_head(req.request()) {
        return Ok(refuse(req, &e));
    }
    // A method the path does not have is a 405 before any handler of a look-alike templated
    // path (`PATCH /bookings/overdue` is not `PATCH /bookings/{id}`) reads the body.
    let allowed = crate::api::documented_methods(req.path());
    let method = req.method().as_str();
    if !allowed.is_empty() && !allowed.contains(&method) && method != "HEAD" && method != "OPTIONS"
    {
        let res = crate::api::method_not_allowed(&allowed);
        return Ok(req.into_response(res).map_into_right_body());
    }
    if let Some(kind) = text_body(req.request()) {
        // Read within the configured body limit (413 beyond it), then put back for the handler.
        let body = match req.extract::<Bytes>().await {
            Ok(body) => body,
            Err(e) => {
                let status = e.as_response_error().status_code();
                let app = if status == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge("The body is larger than the limit.".into())
                } else {
                    AppError::BadRequest("The body could not be read.".into())
                };
                return Ok(refuse(req, &app));
            }
        };
        if let Err(e) = check_body(&body, kind) {
            return Ok(refuse(req, &e));
        }
        if kind == TextBody::Json {
            req.extensions_mut().insert(RawJson(body.clone()));
        }
        req.set_payload(Payload::from(body));
    }
    Ok(next.call(req).await?.map_into_left_body())
}

fn refuse<B>(req: ServiceRequest, e: &AppError) -> ServiceResponse<EitherBody<B>> {
    req.into_response(e.error_response()).map_into_right_body()
}

fn check_head(req: &HttpRequest) -> Result<(), AppError> {
    let uri = req.uri();
    let target_len = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    if target_len > MAX_URI_BYTES {
        return Err(AppError::UriTooLong(format!(
            "The URL is longer than {MAX_URI_BYTES} bytes."
        )));
    }
    if has_nul(uri.path()) {
        return Err(AppError::BadRequest(format!("The path {NUL_MESSAGE}.")));
    }
    if let Some(query) = uri.query() {
        let errors: Vec<FieldError> = query
            .split('&')
            .filter(|pair| has_nul(pair))
            .map(|pair| {
                let key = pair.split('=').next().unwrap_or_default();
                let key = percent_decode(key).replace('\0', "");
                FieldError::new(key, NUL_MESSAGE)
            })
            .collect();
        if !errors.is_empty() {
            return Err(AppError::invalid_fields(errors));
        }
    }
    Ok(())
}

/// A raw NUL or its percent-encoding `%00`.
fn has_nul(s: &str) -> bool {
    s.contains('\0') || s.as_bytes().windows(3).any(|w| w == b"%00")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextBody {
    Json,
    Text,
}

/// Which bodies are text and must be screened: JSON (also when no type is given, as the
/// optional bodies of actions are read whatever their type) and text (CSV). Binary uploads
/// (scans: PDF, images) legitimately contain NUL bytes and are left alone.
fn text_body(req: &HttpRequest) -> Option<TextBody> {
    let has_body = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_none_or(|n| n > 0);
    if !has_body {
        return None;
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.to_ascii_lowercase());
    match content_type.as_deref() {
        None => Some(TextBody::Json),
        Some(t) if t.starts_with("application/json") || t.contains("+json") => Some(TextBody::Json),
        Some(t) if t.starts_with("text/") || t.starts_with("application/csv") => {
            Some(TextBody::Text)
        }
        Some(_) => None,
    }
}

fn check_body(body: &[u8], kind: TextBody) -> Result<(), AppError> {
    match kind {
        TextBody::Text => match body.iter().position(|&b| b == 0) {
            Some(at) => {
                let line = body[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                Err(AppError::invalid(format!("line {line}"), NUL_MESSAGE))
            }
            None => Ok(()),
        },
        TextBody::Json => match json_nul_at(body) {
            Some(at) => Err(AppError::invalid(json_path_at(body, at), NUL_MESSAGE)),
            None => Ok(()),
        },
    }
}

/// Where a JSON text holds a NUL: a raw byte (invalid JSON anyway) or a `\u0000` escape in a
/// string (a key or a value). Returns the offset just past it.
fn json_nul_at(body: &[u8]) -> Option<usize> {
    let mut i = 0;
    let mut in_string = false;
    while i < body.len() {
        match (in_string, body[i]) {
            (_, 0) => return Some(i + 1),
            (false, b'"') => in_string = true,
            (true, b'"') => in_string = false,
            (true, b'\\') => {
                if body.get(i + 1) == Some(&b'u') && body.get(i + 2..i + 6) == Some(b"0000") {
                    return Some(i + 6);
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

enum Frame {
    Object {
        key: Option<String>,
        expect_key: bool,
    },
    Array {
        index: usize,
    },
}

/// The JSON path (`devices[3].serial_number`) of the value being read at byte `offset` of a
/// JSON text that is well-formed up to there; empty at the top level.
pub fn json_path_at(body: &[u8], offset: usize) -> String {
    render_path(&frames_at(body, offset))
}

/// The open objects and arrays at byte `offset`, outermost first.
fn frames_at(body: &[u8], offset: usize) -> Vec<Frame> {
    let end = offset.min(body.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match body[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                expect_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = false;
                }
            }
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    if body[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if let Some(Frame::Object {
                    key,
                    expect_key: true,
                }) = stack.last_mut()
                {
                    let raw = &body[start..i.min(body.len())];
                    let text = format!("\"{}\"", String::from_utf8_lossy(raw));
                    *key = Some(serde_json::from_str(&text).unwrap_or_else(|_| {
                        String::from_utf8_lossy(raw).replace(['\\', '\0'], "")
                    }));
                }
            }
            _ => {}
        }
        i += 1;
    }
    stack
}

fn render_path(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&k.replace('\0', ""));
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// The byte offset just past what serde_json had read when it failed.
fn error_offset(body: &[u8], e: &serde_json::Error) -> usize {
    let mut line_start = 0;
    let mut line = 1;
    for (i, &b) in body.iter().enumerate() {
        if line == e.line() {
            break;
        }
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
        }
    }
    line_start + e.column()
}

/// The problem for a JSON body that does not deserialize. Malformed JSON and values of the
/// wrong type or shape are 400; a well-formed value out of its type's range (a date beyond
/// the calendar, a number too large) is 422. Both name the field when it can be found.
pub fn json_problem(body: Option<&[u8]>, e: &serde_json::Error) -> AppError {
    use serde_json::error::Category;
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(at) => full[..at].to_string(),
        None => full.clone(),
    };
    let (Category::Data, Some(body)) = (e.classify(), body) else {
        return AppError::BadRequest(format!("The JSON body is invalid: {full}."));
    };
    let mut field = json_path_at(body, error_offset(body, e));
    if let Some(missing) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        // Reported at the end of the object that lacks it: the path is that object's.
        let mut frames = frames_at(body, error_offset(body, e));
        if let Some(Frame::Object { key, .. }) = frames.last_mut() {
            *key = None;
        }
        field = render_path(&frames);
        if !field.is_empty() {
            field.push('.');
        }
        field.push_str(missing);
    }
    if field.is_empty() {
        field = "body".into();
    }
    let out_of_range =
        message.contains("out of range") || message.starts_with("invalid value: integer");
    let errors = vec![FieldError::new(field, message.clone())];
    if out_of_range {
        AppError::invalid_fields(errors)
    } else {
        AppError::BadRequestFields {
            detail: format!("The JSON body is invalid: {message}."),
            errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        kind: String,
        size: i32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        day: chrono::NaiveDate,
        items: Vec<Inner>,
    }

    fn field_of(body: &str) -> (String, bool) {
        let e = serde_json::from_str::<Outer>(body).unwrap_err();
        match json_problem(Some(body.as_bytes()), &e) {
            AppError::Validation { errors, .. } => (errors[0].field.clone(), true),
            AppError::BadRequestFields { errors, .. } => (errors[0].field.clone(), false),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deserialization_errors_name_their_field() {
        let ok_items = r#"[{"kind": "a", "size": 1}]"#;
        assert_eq!(
            field_of(&format!(
                r#"{{"name": 3, "day": "2026-01-01", "items": {ok_items}}}"#
            )),
            ("name".into(), false)
        );
        assert_eq!(
            field_of(
                r#"{"name": "x", "day": "2026-01-01", "items": [{"kind": "a", "size": 1}, {"kind": "b", "size": "big"}]}"#
            ),
            ("items[1].size".into(), false)
        );
        assert_eq!(
            field_of(
                r#"{"name": "x", "day": "2026-01-01", "items": [{"kind": "a", "size": 99999999999}]}"#
            ),
            ("items[0].size".into(), true)
        );
        assert_eq!(
            field_of(r#"{"name": "x", "day": "2026-01-01", "items": [{"kind": "a"}]}"#),
            ("items[0].size".into(), false)
        );
        assert_eq!(
            field_of(&format!(
                r#"{{"name": "x", "day": "2026-01-01", "items": {ok_items}, "colour": 1}}"#
            )),
            ("colour".into(), false)
        );
        assert_eq!(
            field_of(&format!(r#"{{"name": "x", "items": {ok_items}}}"#)),
            ("day".into(), false)
        );
        let (field, _) = field_of(&format!(
            r#"{{"name": "x", "day": "+999999-01-01", "items": {ok_items}}}"#
        ));
        assert_eq!(field, "day");
    }

    #[test]
    fn nul_is_found_in_keys_and_values_but_not_in_escaped_backslashes() {
        assert!(json_nul_at(br#"{"a": "x\\u0000"}"#).is_none());
        let body = br#"{"a": [{"b": "x\u0000y"}]}"#;
        let at = json_nul_at(body).unwrap();
        assert_eq!(json_path_at(body, at), "a[0].b");
        assert!(has_nul("/d/GNT%00"));
        assert!(!has_nul("/d/GNT-000100"));
    }
}
