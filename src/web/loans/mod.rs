//! The loan desk of a welfare office (issue 14): the day's work (`/loans`; [`today`]), finding
//! or registering a person and their page (`/loans/people…`; [`people`]), a new loan with its
//! agreement on the screen and signing at the desk (`/loans/…/new`, `/loans/{id}/agreement`,
//! `/loans/{id}/signing`; [`lending`]), and a loan's page with its follow-up (`/loans/{id}`;
//! [`loan`]). Every form calls the domain functions the JSON API calls
//! (`crate::domain::borrowers`, `crate::domain::loans`), with the viewer's caller.
//!
//! The API has routes under `/loans` too: the pages answer only a browser (an HTML page asked
//! for, or a form posted, without an `Authorization` header; [`html`]); an API client gets the
//! API as before.

pub mod lending;
pub mod loan;
pub mod people;
pub mod today;

use std::collections::HashMap;

use actix_web::guard::GuardContext;
use actix_web::http::header;
use actix_web::web;

use crate::domain::borrowers::Language;
use crate::i18n::Lang;
use crate::web::forms::FormErrors;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(today::today_page)
        .service(people::find_page_get)
        .service(people::search_submit)
        .service(people::register_submit)
        .service(people::person_page)
        .service(people::export_download)
        .service(people::anonymise_submit)
        .service(lending::new_loan_page)
        .service(lending::new_loan_submit)
        .service(lending::agreement_page)
        .service(lending::paper_pdf)
        .service(lending::sign_page)
        .service(lending::sign_submit)
        .service(lending::receipt_page)
        .service(lending::receipt_submit)
        .service(loan::receipt_pdf)
        .service(loan::signed_pdf)
        .service(loan::scan_download)
        .service(loan::scan_submit)
        .service(loan::checkpoint_submit)
        .service(loan::extend_submit)
        .service(loan::return_submit)
        .service(loan::non_return_submit)
        .service(loan::pay_submit)
        .service(loan::waive_submit)
        .service(loan::loan_page);
}

/// Whether a request is a browser's (a page or a posted form, no API token): the pages under
/// `/loans` share paths with the API.
pub fn html(ctx: &GuardContext) -> bool {
    let headers = ctx.head().headers();
    if headers.contains_key(header::AUTHORIZATION) {
        return false;
    }
    let has = |name: header::HeaderName, what: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains(what))
    };
    if ctx.head().method == actix_web::http::Method::GET {
        has(header::ACCEPT, "text/html")
    } else {
        has(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            || has(header::CONTENT_TYPE, "multipart/form-data")
    }
}

/// A posted form, as sent (values come back into a refused form).
pub type Values = HashMap<String, String>;

/// A value of a posted form, trimmed ("" when absent).
pub fn value(values: &Values, name: &str) -> String {
    values
        .get(name)
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

/// The language a borrower reads, as a language of the pages.
pub fn lang_of(l: Language) -> Lang {
    crate::documents::facts::lang_of(l)
}

/// A date as the pages show it (`2026-12-03`).
pub fn day(d: chrono::NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// An amount in euro cents as the pages show it.
pub fn money(cents: i64, lang: Lang) -> String {
    crate::documents::format_money(cents, lang)
}

/// The errors of a refused form: the domain's fields (`device_ids[1]` → `device-2`) mapped by
/// `field_of`; a refusal that is about no field in the summary.
pub fn errors_of(
    e: &crate::error::AppError,
    lang: Lang,
    field_of: &dyn Fn(&str) -> String,
) -> Option<FormErrors> {
    use crate::error::AppError;
    let mut errors = FormErrors::of(e, lang)?;
    if let AppError::Validation { errors: raw, .. }
    | AppError::BadRequestFields { errors: raw, .. } = e
    {
        for (p, f) in errors.items.iter_mut().zip(raw.iter()) {
            p.field = field_of(&f.field);
            p.label = None;
            p.message = say(lang, &f.message);
        }
    }
    if let (AppError::Conflict { detail, .. }, Some(general)) = (e, errors.general.as_mut()) {
        *general = say(lang, detail);
    }
    for p in errors.items.iter_mut() {
        if let AppError::Conflict { detail, .. } = e {
            p.message = say(lang, detail);
        }
    }
    Some(errors)
}

/// The status of a form that comes back refused: 409 for a conflict, 403 for what the
/// viewer's role may not do, 404 for a record not found, 422 for the form's fields.
pub fn refusal_status(e: &crate::error::AppError) -> actix_web::http::StatusCode {
    use crate::error::AppError;
    use actix_web::http::StatusCode;
    match e {
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The domain's reasons (English) that the loan desk shows in the person's language: a part
/// of the sentence, and the key of its text.
const REFUSALS: &[(&str, &str)] = &[
    (
        "no device you may lend has this id",
        "web-loan-refusal-no-device",
    ),
    ("this device is listed twice", "web-loan-refusal-twice"),
    ("must list 1 to 3 devices", "web-loan-refusal-devices"),
    ("no programme has this id", "web-loan-refusal-programme"),
    (
        "is required (1 to 200 characters)",
        "web-loan-refusal-required",
    ),
    (
        "is required (1 to 500 characters)",
        "web-loan-refusal-required",
    ),
    (
        "is required (3 to 2000 characters)",
        "web-loan-refusal-reason",
    ),
    ("or older today", "web-loan-refusal-age"),
    ("lies in the future", "web-loan-refusal-future"),
    (
        "is before the start of the loan",
        "web-loan-refusal-before-start",
    ),
    ("the signature is too short", "web-loan-refusal-sign-short"),
    (
        "the signature could not be read",
        "web-loan-refusal-sign-unreadable",
    ),
    (
        "sign in the box, or type the full name",
        "web-loan-refusal-sign-missing",
    ),
    (
        "type the full name as it is on the agreement",
        "web-loan-refusal-sign-name",
    ),
    (
        "confirms that the person typed their own name",
        "web-loan-refusal-attest",
    ),
    ("is at most 200 characters", "web-loan-refusal-too-long"),
    (
        "cannot be anonymised while a loan is open",
        "web-loan-refusal-anonymise-open",
    ),
    (
        "Every checkpoint of loan",
        "web-loan-refusal-checkpoints-done",
    ),
    ("it cannot be extended", "web-loan-refusal-extend-limit"),
    ("only after that date", "web-loan-refusal-non-return-early"),
    ("must be 1 to 3 devices", "web-loan-refusal-devices"),
];

/// A reason of the domain in the person's language, when the loan desk or the catalogue's
/// `web-refusal-…` texts know it; otherwise as the domain said it.
pub fn say(lang: Lang, english: &str) -> String {
    match REFUSALS.iter().find(|(part, _)| english.contains(part)) {
        Some((_, key)) => crate::web::frame::text(lang, key),
        None => crate::web::forms::say(lang, english),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_reasons_are_said_in_the_person_language() {
        for (_, key) in REFUSALS {
            for lang in Lang::ALL {
                assert!(crate::i18n::has(lang, key), "{key}");
            }
        }
        let nl = say(Lang::Nl, "no device you may lend has this id or asset tag");
        assert!(!nl.contains("device"), "{nl}");
        assert_eq!(say(Lang::En, "something else"), "something else");
    }
}
