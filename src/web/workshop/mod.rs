//! The workshop bench: the device page behind a label's QR code (`/d/{tag}` for a signed-in
//! person who may read the device; [`device`]), the workshop's queue and batches
//! (`/workshop`; [`home`]) and batch mode (`/workshop/scan`; [`scan`]). Every form calls the
//! domain's bench steps (`crate::domain::refurbishment::bench`); a refusal comes back on the
//! page in the person's language with what to do next (its `RefusalCode`), the form filled in
//! as it was sent.

pub mod device;
pub mod home;
pub(crate) mod multipart;
pub mod scan;

use std::collections::HashMap;

use actix_web::web;

use crate::domain::refusal::{code_of, RefusalCode};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::forms::{FieldProblem, FormErrors};
use crate::web::frame::text;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(home::queue_page)
        .service(home::certificate)
        .service(scan::scan_page)
        .service(scan::scan_submit)
        .service(device::wipe_submit)
        .service(device::refurbish_submit)
        .service(device::step_submit)
        .service(device::report_submit)
        .service(device::report_download);
}

/// A posted form, as sent (values come back into a refused form).
pub type Values = HashMap<String, String>;

/// A choice of a select or a group of radios.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn list(items: Vec<(String, String)>, chosen: &str) -> Vec<Opt> {
        items
            .into_iter()
            .map(|(value, label)| Opt {
                selected: value == chosen,
                value,
                label,
            })
            .collect()
    }
}

/// Why the bench refused, and what to do next, in the person's language.
pub fn refusal_text(lang: Lang, code: RefusalCode) -> String {
    format!(
        "{} {}",
        text(lang, &format!("web-workshop-refusal-{code}")),
        text(lang, &format!("web-workshop-next-{code}"))
    )
}

/// The errors of a refused bench form: each coded refusal in the person's language with what
/// to do next; a field without a code gets the plain "fill this in again" with its label.
/// `field_of` maps a domain field (`category`, `checks.boots`) to the form's field.
pub fn bench_errors(e: &AppError, lang: Lang, field_of: &dyn Fn(&str) -> String) -> FormErrors {
    match e {
        AppError::Validation { errors, .. } => FormErrors {
            items: errors
                .iter()
                .map(|f| {
                    let field = field_of(&f.field);
                    let code = f
                        .code
                        .as_deref()
                        .and_then(|c| c.parse::<RefusalCode>().ok());
                    FieldProblem {
                        message: match code {
                            Some(c) => refusal_text(lang, c),
                            None => text(lang, "web-workshop-field-invalid"),
                        },
                        label: None,
                        field,
                    }
                })
                .collect(),
            general: None,
        },
        AppError::Conflict { .. } => match code_of(e) {
            Some(c) => FormErrors::general(refusal_text(lang, c)),
            None => FormErrors::of(e, lang).unwrap_or_default(),
        },
        other => FormErrors::of(other, lang).unwrap_or_default(),
    }
}

/// A value of a posted form, trimmed ("" when absent).
pub fn value(values: &Values, name: &str) -> String {
    values
        .get(name)
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

/// The name of a status in the person's language.
pub fn status_text(lang: Lang, status: crate::domain::lifecycle::Status) -> String {
    text(lang, &format!("web-workshop-status-{status}"))
}

/// The wipe methods the domain knows (NIST SP 800-88 category and technique), as choices
/// `category/technique`.
pub fn methods(lang: Lang) -> Vec<(String, String)> {
    use crate::domain::refurbishment::{categories_for, WipeTechnique};
    let mut out = Vec::new();
    for t in WipeTechnique::ALL {
        for c in categories_for(*t) {
            out.push((
                format!("{c}/{t}"),
                text(lang, &format!("web-workshop-method-{c}-{t}")),
            ));
        }
    }
    out
}

/// `category/technique` back into the domain's values.
pub fn parse_method(
    raw: &str,
) -> Option<(
    crate::domain::refurbishment::WipeCategory,
    crate::domain::refurbishment::WipeTechnique,
)> {
    let (c, t) = raw.split_once('/')?;
    Some((c.parse().ok()?, t.parse().ok()?))
}

pub fn verifications(lang: Lang) -> Vec<(String, String)> {
    crate::domain::refurbishment::Verification::ALL
        .iter()
        .map(|v| {
            (
                v.to_string(),
                text(lang, &format!("web-workshop-verification-{v}")),
            )
        })
        .collect()
}

pub fn drive_types(lang: Lang) -> Vec<(String, String)> {
    crate::domain::devices::DriveType::ALL
        .iter()
        .map(|d| {
            (
                d.to_string(),
                text(lang, &format!("web-workshop-drive-{d}")),
            )
        })
        .collect()
}

pub fn grades(lang: Lang) -> Vec<(String, String)> {
    crate::domain::refurbishment::Grade::ALL
        .iter()
        .map(|g| {
            (
                g.to_string(),
                text(lang, &format!("web-workshop-grade-{g}")),
            )
        })
        .collect()
}

/// Yes/no choices (a wipe's outcome, a refurbishment's result).
pub fn pass_fail(lang: Lang, yes: &str, no: &str) -> Vec<(String, String)> {
    vec![
        (
            yes.to_string(),
            text(lang, &format!("web-workshop-outcome-{yes}")),
        ),
        (
            no.to_string(),
            text(lang, &format!("web-workshop-outcome-{no}")),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::devices::EventAction;
    use crate::domain::lifecycle::{Action, Status};
    use crate::i18n::has;

    /// The keys the bench builds at run time (statuses, events, methods, ...) are in the
    /// catalogue; the catalogue test checks that every language has them.
    #[test]
    fn every_text_the_bench_builds_is_in_the_catalogue() {
        let mut keys: Vec<String> = Vec::new();
        keys.extend(
            Status::ALL
                .iter()
                .map(|s| format!("web-workshop-status-{s}")),
        );
        keys.extend(
            Action::ALL
                .iter()
                .map(|a| format!("web-workshop-event-{a}")),
        );
        for e in [
            EventAction::Registered,
            EventAction::Edited,
            EventAction::Assigned,
            EventAction::DriveAdded,
            EventAction::WipeRecorded,
            EventAction::RefurbishmentRecorded,
        ] {
            keys.push(format!("web-workshop-event-{}", e.as_str()));
        }
        for lang in [Lang::Nl] {
            for (_, label) in methods(lang)
                .into_iter()
                .chain(verifications(lang))
                .chain(drive_types(lang))
                .chain(grades(lang))
                .chain(pass_fail(lang, "passed", "failed"))
                .chain(pass_fail(lang, "yes", "no"))
            {
                assert!(!label.starts_with("web-"), "missing text {label}");
            }
        }
        for name in crate::domain::refurbishment::CHECKS_BY_KIND
            .iter()
            .flat_map(|(_, c, _)| c.iter())
        {
            keys.push(format!("web-workshop-check-{name}"));
        }
        for step in device::STEPS {
            keys.push(format!("web-workshop-step-{step}"));
        }
        for done in device::DONE {
            keys.push(format!("web-workshop-done-{done}"));
        }
        for mode in scan::MODES {
            keys.push(format!("web-workshop-scan-mode-{mode}"));
            keys.push(format!("web-workshop-scan-done-{mode}"));
        }
        let missing: Vec<&String> = keys.iter().filter(|k| !has(Lang::Nl, k)).collect();
        assert!(missing.is_empty(), "{missing:#?}");
    }

    #[test]
    fn a_coded_refusal_is_said_with_its_next_step_in_the_page_language() {
        let e = crate::domain::refusal::conflict(
            RefusalCode::StorageNotWiped,
            "Device GNT-000001 cannot release: ...",
            serde_json::json!({}),
        );
        let nl = bench_errors(&e, Lang::Nl, &|f| f.to_string());
        let fr = bench_errors(&e, Lang::Fr, &|f| f.to_string());
        assert_eq!(
            nl.general,
            Some(refusal_text(Lang::Nl, RefusalCode::StorageNotWiped))
        );
        assert_ne!(nl.general, fr.general);
        assert!(!nl.general.unwrap_or_default().contains("GNT-000001"));
    }
}
