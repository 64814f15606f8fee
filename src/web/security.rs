//! Security headers, set in one place for every response (applied in `startup`):
//!
//! - everywhere: `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin` (a welcome
//!   link's secret never leaves for another site in a Referer, while the browser still sends
//!   the page's `Origin` with its forms, which [`crate::web::forms::cross_origin`] checks), `X-Frame-Options: DENY`;
//! - on pages (`text/html`): a Content-Security-Policy that allows only the service's own
//!   files (no inline script or style: templates use classes, never `style=`), and
//!   `Cache-Control: no-store` unless the handler chose otherwise, so that no page with a
//!   person's data stays in a browser's or a proxy's cache. The API reference under `/docs/`
//!   (third-party viewer with inline script) keeps its own rules.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// The policy of the pages.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; \
    base-uri 'none'; object-src 'none'";

pub async fn headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let docs = req.path().starts_with("/docs");
    let mut res = next.call(req).await?;
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if is_page && !docs {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        if !h.contains_key(header::CACHE_CONTROL) {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    Ok(res)
}
