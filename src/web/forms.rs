//! Forms: the errors of a refused form (next to each field and in the summary at the top),
//! the refusal texts of the domain in the person's language, and reading a posted form with
//! its CSRF and origin checks done first.
//!
//! The domain says why it refuses in English (`AppError::Validation` with field names, the
//! same the API gives). A page shows the reason in the person's language: when the English
//! sentence is the English text of a `web-refusal-…` key of the catalogue, that key's text in
//! the person's language is shown ([`say`]); otherwise the English sentence as it is. Field
//! names map to form fields by name (`password` → the field `password`); a refused form comes
//! back with what was typed (never the password).

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError};
use crate::i18n::{self, Lang};
use crate::web::error::PageError;
use crate::web::viewer::{MaybeViewer, Viewer};

/// The prefix of the catalogue keys that translate the domain's refusals.
pub const REFUSAL_PREFIX: &str = "web-refusal-";

/// The English texts of the `web-refusal-…` keys, and their keys.
fn refusals() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        let (_, source) = i18n::SOURCES[2];
        source
            .lines()
            .filter(|l| l.starts_with(REFUSAL_PREFIX))
            .filter_map(|l| l.split_once(" ="))
            .filter_map(|(key, _)| {
                let key = key.trim();
                i18n::plain(Lang::En, key)
                    .ok()
                    .map(|en| (en.to_string(), key.to_string()))
            })
            .collect()
    })
}

/// A sentence of the domain (English) in the person's language, when the catalogue has it.
pub fn say(lang: Lang, english: &str) -> String {
    translated(lang, english).unwrap_or_else(|| english.to_string())
}

/// A sentence of the domain (English) in the person's language, if the catalogue has it.
pub fn translated(lang: Lang, english: &str) -> Option<String> {
    refusals()
        .get(english.trim())
        .map(|key| crate::web::frame::text(lang, key))
}

/// One error of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The form field (its `name`); the input's id is `f-<field>`.
    pub field: String,
    pub message: String,
    /// The field's label for the summary (`web-field-<field>` of the catalogue), when known.
    pub label: Option<String>,
}

/// The errors of a refused form, in the person's language.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    pub items: Vec<FieldProblem>,
    /// A reason that is about no single field (a conflict, a refusal of the whole form).
    pub general: Option<String>,
}

impl FormErrors {
    /// The errors a domain refusal gives: the fields of a validation error, or the detail of
    /// any other client error. `None` for server errors (those are an error page).
    pub fn of(error: &AppError, lang: Lang) -> Option<FormErrors> {
        match error {
            AppError::Validation { errors, .. } | AppError::BadRequestFields { errors, .. } => {
                Some(FormErrors {
                    items: errors
                        .iter()
                        .map(|e| {
                            let field = form_field(&e.field);
                            FieldProblem {
                                label: field_label(lang, &field),
                                message: say(lang, &e.message),
                                field,
                            }
                        })
                        .collect(),
                    general: None,
                })
            }
            AppError::Conflict { detail, extra } => {
                let field = extra.get("field").and_then(|f| f.as_str());
                let message = say(lang, detail);
                Some(match field {
                    Some(f) => FormErrors {
                        items: vec![FieldProblem {
                            field: f.to_string(),
                            label: field_label(lang, f),
                            message,
                        }],
                        general: None,
                    },
                    None => FormErrors {
                        items: Vec::new(),
                        general: Some(message),
                    },
                })
            }
            AppError::BadRequest(d) | AppError::Forbidden(d) | AppError::NotFound(d) => {
                Some(FormErrors {
                    items: Vec::new(),
                    general: Some(say(lang, d)),
                })
            }
            _ => None,
        }
    }

    /// One error on one field.
    pub fn one(field: &str, message: impl Into<String>) -> FormErrors {
        FormErrors {
            items: vec![FieldProblem {
                field: field.to_string(),
                message: message.into(),
                label: None,
            }],
            general: None,
        }
    }

    /// A reason about the whole form.
    pub fn general(message: impl Into<String>) -> FormErrors {
        FormErrors {
            items: Vec::new(),
            general: Some(message.into()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.general.is_none()
    }

    /// The message for a field, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// The `aria-describedby` of a field: its hint and its error, as present.
    pub fn described_by(&self, field: &str, has_hint: bool) -> String {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("f-{field}-hint"));
        }
        if self.has(field) {
            ids.push(format!("f-{field}-error"));
        }
        ids.join(" ")
    }
}

/// The label of a form field for the error summary: the text of `web-field-<field>`
/// (underscores as dashes), when the catalogue has one.
pub fn field_label(lang: Lang, field: &str) -> Option<String> {
    let key = format!("web-field-{}", field.replace('_', "-"));
    i18n::has(lang, &key).then(|| crate::web::frame::text(lang, &key))
}

/// The form field of an error's field path: `devices[2].serial` → `devices`; `row 3: brand`
/// → `brand`.
fn form_field(path: &str) -> String {
    let last = path.rsplit(": ").next().unwrap_or(path);
    last.split(['[', '.'])
        .next()
        .unwrap_or(last)
        .trim()
        .to_string()
}

/// Whether the request's `Origin` (or, without it, `Sec-Fetch-Site`) says it comes from
/// another site. A request without either (a non-browser client) passes: the CSRF token or
/// SameSite cookies protect what needs protecting.
pub fn cross_origin(req: &HttpRequest, public_base_url: &str) -> bool {
    let headers = req.headers();
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    match headers.get("origin").and_then(|v| v.to_str().ok()) {
        // An opaque origin (a sandboxed frame, or a page whose referrer policy hides it): only
        // a browser that says the form came from this very site passes.
        Some("null") => !matches!(fetch_site.as_deref(), Some("same-origin") | Some("none")),
        Some(origin) => {
            let info = req.connection_info();
            let own = format!("{}://{}", info.scheme(), info.host());
            let public = origin_of(public_base_url);
            !(origin.eq_ignore_ascii_case(&own) || origin.eq_ignore_ascii_case(public))
        }
        None => fetch_site.as_deref() == Some("cross-site"),
    }
}

/// `https://host:port` of a URL (scheme and authority).
fn origin_of(url: &str) -> &str {
    match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            let end = rest.find('/').map_or(url.len(), |j| i + 3 + j);
            &url[..end]
        }
        None => url,
    }
}

/// Constant-time comparison of two tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The field that carries the CSRF token in every form.
pub const CSRF_FIELD: &str = "csrf";

/// Reads an `application/x-www-form-urlencoded` body.
async fn read_form<T: DeserializeOwned>(
    req: &HttpRequest,
    payload: &mut Payload,
) -> Result<(T, Option<String>), AppError> {
    let limit = req
        .app_data::<web::Data<crate::startup::AppState>>()
        .map_or(64 * 1024, |s| s.config.max_body_bytes);
    let bytes = web::Bytes::from_request(req, payload)
        .await
        .map_err(|_| AppError::BadRequest("The form could not be read.".into()))?;
    if bytes.len() > limit {
        return Err(AppError::PayloadTooLarge(
            "The form is larger than the limit.".into(),
        ));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| AppError::BadRequest("The form could not be read.".into()))?;
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.clone());
    // The same rule as for the API's bodies: no national register number in free text.
    let refused: Vec<FieldError> = pairs
        .iter()
        .filter(|(k, _)| k != CSRF_FIELD && !k.contains("password"))
        .filter(|(k, v)| crate::api::privacy::holds_number(k, v.clone()))
        .map(|(k, _)| FieldError::new(k.clone(), crate::api::privacy::REFUSAL))
        .collect();
    if !refused.is_empty() {
        return Err(AppError::invalid_fields(refused));
    }
    let form = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| AppError::BadRequest("The form could not be read.".into()))?;
    Ok((form, csrf))
}

fn public_base(req: &HttpRequest) -> String {
    req.app_data::<web::Data<crate::startup::AppState>>()
        .map(|s| s.config.public_base_url.clone())
        .unwrap_or_default()
}

/// A form posted by a signed-in person: the origin and the session's CSRF token are checked
/// before the handler runs (403 page otherwise); an anonymous visitor is sent to sign in.
/// Unknown fields are ignored; declare the fields you read (the `csrf` field need not be).
pub struct Posted<T> {
    pub viewer: Viewer,
    pub form: T,
}

/// Reads a posted form after the checks: the origin, then (for a signed-in visitor) the
/// session's CSRF token. `signed_in_only` sends an anonymous visitor to sign in.
async fn checked<T: DeserializeOwned>(
    req: HttpRequest,
    mut payload: Payload,
    signed_in_only: bool,
) -> Result<(MaybeViewer, T), PageError> {
    let viewer = if signed_in_only {
        let v = Viewer::extract(&req).await?;
        MaybeViewer {
            lang: v.lang,
            viewer: Some(v),
        }
    } else {
        MaybeViewer::extract(&req).await?
    };
    let lang = viewer.lang;
    if cross_origin(&req, &public_base(&req)) {
        return Err(PageError::csrf(lang));
    }
    let (form, csrf) = read_form::<T>(&req, &mut payload)
        .await
        .map_err(|e| PageError::new(e, lang))?;
    if let Some(v) = &viewer.viewer {
        if !csrf.is_some_and(|t| same_token(&t, &v.csrf)) {
            return Err(PageError::csrf(lang));
        }
    }
    Ok((viewer, form))
}

type Checked<T> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, PageError>>>>;

impl<T: DeserializeOwned + 'static> FromRequest for Posted<T> {
    type Error = PageError;
    type Future = Checked<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, payload) = (req.clone(), payload.take());
        Box::pin(async move {
            let (viewer, form) = checked(req.clone(), payload, true).await?;
            match viewer.viewer {
                Some(viewer) => Ok(Posted { viewer, form }),
                None => Err(PageError::sign_in("/", viewer.lang)),
            }
        })
    }
}

/// A form anyone may post (sign-in, a welcome link, the language switch): the origin is
/// checked; when the visitor is signed in, the session's CSRF token too.
pub struct PublicPost<T> {
    pub viewer: MaybeViewer,
    pub form: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for PublicPost<T> {
    type Error = PageError;
    type Future = Checked<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, payload) = (req.clone(), payload.take());
        Box::pin(async move {
            let (viewer, form) = checked(req, payload, false).await?;
            Ok(PublicPost { viewer, form })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::frame::Texts;

    #[test]
    fn field_paths_map_to_form_fields() {
        assert_eq!(form_field("password"), "password");
        assert_eq!(form_field("devices[2].serial"), "devices");
        assert_eq!(form_field("wipe.tool"), "wipe");
        assert_eq!(form_field("row 3: brand"), "brand");
    }

    #[test]
    fn refusals_are_said_in_the_language_of_the_page() {
        let english = crate::auth::passwords::Weakness::TooShort.message();
        assert_ne!(say(Lang::Nl, english), english);
        assert_eq!(say(Lang::En, english), english);
        assert_eq!(say(Lang::Fr, "something unknown"), "something unknown");
    }

    /// Every macro of `forms.html`, called as a page would call it, with an error on each.
    #[derive(askama::Template)]
    #[template(
        ext = "html",
        source = r#"{% import "forms.html" as forms %}
{{ forms::csrf() }}
{{ forms::field("tool", t("web-field-email"), value = tool, hint = "a hint", inputmode = "text", autofocus = true) }}
{{ forms::textarea("notes", "Notes", value = notes) }}
{{ forms::select("method", "Method", options, selected = chosen) }}
{{ forms::radios("grade", "Grade", options, selected = chosen, hint = "A is best") }}
{{ forms::checkbox("passed", "Passed", checked = true) }}
{{ forms::submit("Save") }}"#
    )]
    struct AllMacros {
        frame: crate::web::frame::Frame,
        tool: String,
        notes: String,
        options: Vec<(String, String)>,
        chosen: String,
    }
    crate::page!(AllMacros);

    #[test]
    fn the_form_macros_render_labels_hints_and_errors() {
        use askama::Template;
        let errors = FormErrors {
            items: ["tool", "notes", "method", "grade", "passed"]
                .iter()
                .map(|f| FieldProblem {
                    field: f.to_string(),
                    message: format!("{f} is wrong"),
                    label: None,
                })
                .collect(),
            general: None,
        };
        let mut frame = crate::web::frame::Frame::public(Lang::En, "/", "web-home-title");
        frame.csrf = "tok".into();
        let page = AllMacros {
            frame: frame.with_errors(errors),
            tool: "<b>".into(),
            notes: "n".into(),
            options: vec![("a".into(), "A".into()), ("b".into(), "B".into())],
            chosen: "b".into(),
        };
        let _ = page.t("web-home-title");
        let html = page.render().expect("renders");
        assert!(html.contains(r#"name="csrf" value="tok""#), "{html}");
        assert!(
            html.contains("&#60;b&#62;") || html.contains("&lt;b&gt;"),
            "escaped: {html}"
        );
        assert!(
            html.contains(r#"aria-describedby="f-tool-hint f-tool-error""#),
            "{html}"
        );
        for f in ["tool", "notes", "method", "grade", "passed"] {
            assert!(
                html.contains(&format!(r#"id="f-{f}-error""#)),
                "{f}: {html}"
            );
            assert!(html.contains(&format!("{f} is wrong")), "{f}");
        }
        assert!(html.contains(r#"<option value="b" selected>"#), "{html}");
        assert!(
            html.contains(r#"value="b" id="f-grade-b" checked"#),
            "{html}"
        );
        assert!(html.contains(r#"aria-invalid="true""#));
    }

    #[test]
    fn origins() {
        assert_eq!(origin_of("https://a.example/x"), "https://a.example");
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
    }

    fn posted(headers: &[(&str, &str)]) -> bool {
        let mut req = actix_web::test::TestRequest::post()
            .uri("/sign-in")
            .insert_header(("host", "uitleen.example.be"));
        for h in headers {
            req = req.insert_header(*h);
        }
        cross_origin(&req.to_http_request(), "https://uitleen.example.be")
    }

    #[test]
    fn forms_from_other_sites_are_told_apart() {
        assert!(!posted(&[("origin", "https://uitleen.example.be")]));
        assert!(posted(&[("origin", "https://evil.example")]));
        // An opaque origin passes only when the browser says the form came from this site.
        assert!(!posted(&[
            ("origin", "null"),
            ("sec-fetch-site", "same-origin")
        ]));
        assert!(posted(&[
            ("origin", "null"),
            ("sec-fetch-site", "cross-site")
        ]));
        assert!(posted(&[("origin", "null")]));
        // No browser headers at all: a program, which the CSRF token still guards.
        assert!(!posted(&[]));
        assert!(posted(&[("sec-fetch-site", "cross-site")]));
    }
}
