//! The lending service's own pages: the inventory (`/inventory`; [`inventory`]), donation
//! batches (`/donations`; [`donations`]), labels (`/labels`; [`labels`]) and, for admins,
//! organisations, a person's role, access and API tokens (`/admin/…`; [`admin`]). Every page
//! calls the domain function the JSON API calls, with the viewer's `Caller`; a refused form
//! comes back filled in with the reasons next to the fields.
//!
//! `GET /donations`, `POST /donations` and `GET /donations/{id}` are also API routes: the
//! pages answer only a browser (a page request asks for `text/html`, a form is URL-encoded,
//! and neither has a bearer token; see [`browser`] and [`browser_form`]); everything else
//! reaches the API as before. Other form posts have paths of their own that no API path
//! template matches (the request screen answers 405 to a method the API does not document
//! on a path that looks like one of its own).

pub mod admin;
pub mod donations;
pub mod inventory;
pub mod labels;

use actix_web::guard::GuardContext;
use actix_web::http::header;
use actix_web::web;

use crate::domain::devices::DeviceKind;
use crate::domain::lifecycle::Status;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::forms::FormErrors;
use crate::web::frame::text;

pub use crate::web::workshop::{value, Opt, Values};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(inventory::list_page)
        .service(inventory::edit_page)
        .service(inventory::edit_submit)
        .service(donations::list_page)
        .service(donations::register_submit)
        .service(donations::batch_page)
        .service(donations::upload_submit)
        .service(donations::assign_submit)
        .service(labels::labels_page)
        .service(labels::print_submit)
        .service(admin::organisations_page)
        .service(admin::organisation_create)
        .service(admin::organisation_page)
        .service(admin::organisation_submit)
        .service(admin::invite_submit)
        .service(admin::person_page)
        .service(admin::role_submit)
        .service(admin::active_submit)
        .service(admin::token_submit)
        .service(admin::revoke_submit);
}

/// Whether a request is a browser's page request: it accepts HTML and carries no bearer
/// token (an API client with a token always reaches the API).
pub fn browser(ctx: &GuardContext<'_>) -> bool {
    let headers = ctx.head().headers();
    let html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.to_ascii_lowercase().contains("text/html"));
    html && !headers.contains_key(header::AUTHORIZATION)
}

/// Whether a request is a form a browser posts: URL-encoded, without a bearer token (an API
/// client's JSON always reaches the API).
pub fn browser_form(ctx: &GuardContext<'_>) -> bool {
    let headers = ctx.head().headers();
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    form && !headers.contains_key(header::AUTHORIZATION)
}

/// The errors of a refused form, each field labelled with its `web-ops-field-…` text for the
/// summary; `None` for what is an error page: a server error, and a refusal of the person
/// (403) or of a record they do not see (404).
pub fn form_errors(e: &AppError, lang: Lang) -> Option<FormErrors> {
    if matches!(e, AppError::Forbidden(_) | AppError::NotFound(_)) {
        return None;
    }
    let mut errors = FormErrors::of(e, lang)?;
    for p in &mut errors.items {
        if p.label.is_none() {
            p.label = field_label(lang, &p.field);
        }
        if let Some(said) = length_message(lang, &p.message) {
            p.message = said;
        }
    }
    Some(errors)
}

/// The domain's length rules ("is required (1 to 200 characters)", "must be between 1 and
/// 100 characters", "must be at most 300 characters") in the person's language.
pub fn length_message(lang: Lang, english: &str) -> Option<String> {
    let rest = english
        .strip_suffix(" characters)")
        .or(english.strip_suffix(" characters"))?;
    let max: String = rest
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if max.is_empty() {
        return None;
    }
    let key = if english.starts_with("must be at most") {
        "web-ops-field-at-most"
    } else {
        "web-ops-field-required"
    };
    Some(crate::web::frame::texts(lang, key, &[("n", &max)]))
}

/// The label of a field of these pages (`web-ops-field-<field>`), when the catalogue has it.
pub fn field_label(lang: Lang, field: &str) -> Option<String> {
    let key = format!("web-ops-field-{}", field.replace('_', "-"));
    crate::i18n::has(lang, &key).then(|| text(lang, &key))
}

/// The statuses as choices, with "any" first.
pub fn status_options(lang: Lang) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), text(lang, "web-ops-any"))];
    out.extend(
        Status::ALL
            .iter()
            .map(|s| (s.to_string(), crate::web::workshop::status_text(lang, *s))),
    );
    out
}

/// The kinds as choices, with "any" first (`any` false: without it).
pub fn kind_options(lang: Lang, any: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if any {
        out.push((String::new(), text(lang, "web-ops-any")));
    }
    out.extend(
        DeviceKind::ALL
            .iter()
            .map(|k| (k.to_string(), kind_text(lang, *k))),
    );
    out
}

/// A kind of device in words.
pub fn kind_text(lang: Lang, kind: DeviceKind) -> String {
    text(lang, &format!("kind-{kind}"))
}

/// An optional text of a form: `None` when empty.
pub fn optional(v: &Values, name: &str) -> Option<String> {
    Some(value(v, name)).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules_are_said_in_the_language_of_the_page() {
        assert_eq!(
            length_message(Lang::Nl, "must be between 1 and 100 characters").as_deref(),
            Some("Vul dit in, met hoogstens 100 tekens.")
        );
        assert_eq!(
            length_message(Lang::En, "is required (1 to 200 characters)").as_deref(),
            Some("Fill this in, with at most 200 characters.")
        );
        assert_eq!(
            length_message(Lang::Fr, "must be at most 300 characters").as_deref(),
            Some("300 caractères au plus.")
        );
        assert_eq!(length_message(Lang::Nl, "is empty"), None);
    }

    #[test]
    fn the_texts_built_at_run_time_are_in_the_catalogue() {
        for lang in Lang::ALL {
            for (_, label) in admin::org_kinds(lang) {
                assert!(!label.starts_with("web-"), "{label}");
            }
            for c in labels::CHOICES {
                assert!(crate::i18n::has(
                    lang,
                    &format!("web-ops-labels-choice-{c}")
                ));
            }
        }
    }

    #[test]
    fn every_choice_has_its_text() {
        for lang in Lang::ALL {
            for (_, label) in status_options(lang)
                .into_iter()
                .chain(kind_options(lang, true))
            {
                assert!(
                    !label.starts_with("web-") && !label.starts_with("kind-"),
                    "{label}"
                );
            }
        }
    }
}
