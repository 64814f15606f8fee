//! Errors on pages: an `AppError` drawn as an HTML page in the viewer's language (403, 404,
//! 409, ...), never a problem document and never a 500 with internals; a visitor who must sign
//! in is sent to the sign-in page instead.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::forms::say;
use crate::web::frame::{text, Frame, Texts};

/// An error of a page handler.
#[derive(Debug)]
pub struct PageError {
    pub error: AppError,
    pub lang: Lang,
    /// Where to send an anonymous visitor back to after signing in.
    sign_in_next: Option<String>,
    /// The frame to draw the page in (with the person's navigation), when the handler has it.
    frame: Option<Box<Frame>>,
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl PageError {
    pub fn new(error: AppError, lang: Lang) -> PageError {
        PageError {
            error,
            lang,
            sign_in_next: None,
            frame: None,
        }
    }

    /// The error drawn inside a signed-in person's frame (their navigation stays).
    pub fn in_frame(error: AppError, frame: &Frame) -> PageError {
        PageError {
            lang: frame.lang,
            frame: Some(Box::new(frame.clone())),
            ..PageError::new(error, frame.lang)
        }
    }

    /// Send the visitor to sign in, then back to `next`.
    pub fn sign_in(next: &str, lang: Lang) -> PageError {
        PageError {
            sign_in_next: Some(crate::web::frame::local_path(next).to_string()),
            ..PageError::new(
                AppError::Unauthorized("Sign in to see this page.".into()),
                lang,
            )
        }
    }

    /// A form without the right CSRF token, or posted from another site.
    pub fn csrf(lang: Lang) -> PageError {
        PageError::new(
            AppError::Forbidden(
                "This form was not sent from this site or has expired. Open the page again and send it again."
                    .into(),
            ),
            lang,
        )
    }
}

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        PageError::new(error, Lang::default())
    }
}

/// `result.page(lang)?` / `result.in_frame(&frame)?`: an `AppError` as a page error.
pub trait OrPage<T> {
    fn page(self, lang: Lang) -> Result<T, PageError>;
    fn in_frame(self, frame: &Frame) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn page(self, lang: Lang) -> Result<T, PageError> {
        self.map_err(|e| PageError::new(e, lang))
    }

    fn in_frame(self, frame: &Frame) -> Result<T, PageError> {
        self.map_err(|e| PageError::in_frame(e, frame))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    frame: Frame,
    heading: String,
    detail: String,
    problems: Vec<String>,
    status: u16,
}
crate::page!(ErrorPage);

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        if self.sign_in_next.is_some() {
            return StatusCode::SEE_OTHER;
        }
        self.error.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(next) = &self.sign_in_next {
            let query = if next == "/" {
                String::new()
            } else {
                format!("?next={}", urlencode(next))
            };
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/sign-in{query}")))
                .finish();
        }
        // The service's own failures are logged with their cause by the AppError itself.
        let status = self.error.status_code();
        if status.is_server_error() {
            let _ = self.error.error_response();
        }
        let lang = self.lang;
        let slug = match status.as_u16() {
            400 | 413 | 414 | 415 => "bad-request",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "not-found",
            405 => "bad-request",
            409 => "conflict",
            422 => "invalid",
            429 => "busy",
            503 => "busy",
            _ => "internal",
        };
        let heading = text(lang, &format!("web-error-{slug}-title"));
        // What the domain said, for client errors only; server errors say nothing internal.
        let (detail, problems) = match &self.error {
            _ if status.is_server_error() => {
                (text(lang, &format!("web-error-{slug}-text")), vec![])
            }
            AppError::Validation { errors, .. } | AppError::BadRequestFields { errors, .. } => (
                text(lang, "web-error-invalid-text"),
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, say(lang, &e.message)))
                    .collect(),
            ),
            AppError::NotFound(_) => (text(lang, "web-error-not-found-text"), vec![]),
            other => {
                // The domain's reason when the catalogue has it in this language; else the
                // general sentence of the status (English speakers get the reason as it is).
                let english = other.problem().detail;
                let said = say(lang, &english);
                if said == english && lang != Lang::En {
                    (text(lang, &format!("web-error-{slug}-text")), vec![])
                } else {
                    (said, vec![])
                }
            }
        };
        let mut frame = match &self.frame {
            Some(f) => (**f).clone(),
            None => Frame::public(lang, "/", "web-error-title"),
        };
        frame.title = heading.clone();
        let page = ErrorPage {
            frame,
            heading,
            detail,
            problems,
            status: status.as_u16(),
        };
        let body = page.render().unwrap_or_else(|_| {
            "<!doctype html><title>Error</title><p>Something went wrong.</p>".to_string()
        });
        let mut res = HttpResponse::build(status);
        res.insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"));
        if matches!(self.error, AppError::Unavailable(_) | AppError::Busy(_)) {
            res.insert_header((header::RETRY_AFTER, "1"));
        }
        res.body(body)
    }
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Whether a request comes from a browser asking for a page (a GET whose `Accept` puts
/// `text/html` first), rather than from a program.
pub fn wants_page(req: &actix_web::HttpRequest) -> bool {
    req.method() == actix_web::http::Method::GET
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("text/html"))
}

/// The 404 page, in the visitor's language and inside their frame when signed in.
pub async fn not_found_page(req: &actix_web::HttpRequest) -> HttpResponse {
    let error = AppError::not_found("This page");
    let page = match crate::web::viewer::MaybeViewer::extract(req).await {
        Ok(m) => match &m.viewer {
            Some(v) => PageError::in_frame(error, &Frame::signed_in(v, "/", "web-error-title")),
            None => PageError::new(error, m.lang),
        },
        Err(e) => e,
    };
    page.error_response()
}
