//! The pages for people: HTML rendered by the server from templates checked at compile time
//! (`templates/`, askama, escaping by default), calling the same domain functions as the API
//! with the same `Caller`.
//!
//! - [`frame`]: the frame of every page (`templates/base.html`), texts for templates, render;
//! - [`viewer`]: who is looking ([`Viewer`] needs a signed-in person, [`MaybeViewer`] not);
//! - [`forms`]: posted forms with their CSRF and origin checks ([`Posted`], [`PublicPost`]),
//!   errors next to the fields and in the summary ([`FormErrors`]);
//! - [`error`]: [`PageError`], an `AppError` as an HTML page in the viewer's language;
//! - [`assets`]: CSS, JavaScript and icons embedded in the binary under hashed names;
//! - [`security`]: the security headers of every response.
//!
//! A new page: a template in `templates/` that `{% extends "base.html" %}`, a struct with a
//! `frame: Frame` field and `crate::page!(Struct)`, and a handler that takes a [`Viewer`]
//! (or a [`Posted`] form) and returns `Result<HttpResponse, PageError>`; register it in the
//! `configure` of its module. Texts: keys prefixed `web-` in the three `locales/*.ftl`.
//!
//! A form refused by the domain comes back filled in: on `Err(e)` from the domain, take
//! `FormErrors::of(&e, lang)` (field names of `AppError::Validation` are the form's field
//! names; `None` means a server error: return `PageError`), put it in the frame with
//! `with_errors`, and render the same template with the typed values and status 422 (409 for
//! a conflict) through `render_status`. The `forms.html` macros then show each message next to
//! its field and the summary at the top links to them. The domain's English sentences are
//! shown in the person's language when `locales/*.ftl` has a `web-refusal-…` key whose
//! English text is that sentence (`forms::say`).

pub mod admin;
pub mod assets;
pub mod bookings;
pub mod error;
pub mod forms;
pub mod frame;
pub mod home;
pub mod loans;
pub mod ops;
pub mod reports;
pub mod security;
pub mod sign_in;
pub mod viewer;
pub mod workshop;

use actix_web::web;

pub use error::{OrPage, PageError};
pub use forms::{FormErrors, Posted, PublicPost};
pub use frame::{render, render_status, see_other, Frame, Page, Texts};
pub use viewer::{MaybeViewer, Viewer};

/// What a page module needs in scope: `use crate::web::prelude::*;`.
pub mod prelude {
    pub use crate::web::error::OrPage;
    pub use crate::web::frame::{render, Page, Texts};
}

/// Registers the pages (before the API's routes, which they do not overlap).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(assets::serve)
        .service(home::home)
        .service(sign_in::sign_in_form)
        .service(sign_in::sign_in_submit)
        .service(sign_in::sign_out)
        .service(sign_in::language)
        .service(sign_in::welcome_form)
        .service(sign_in::welcome_submit)
        .service(admin::people_page)
        .service(admin::make_link)
        .configure(reports::configure)
        .configure(workshop::configure)
        .configure(loans::configure)
        .configure(bookings::configure)
        .configure(ops::configure);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::i18n::{self, Lang};

    /// Every `web-…` key the templates and the page code name exists in every language (a key
    /// made at run time, such as `web-role-…`, is checked through its parts below).
    #[test]
    fn every_text_the_pages_use_is_in_the_catalogues() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        for dir in ["templates", "src/web"] {
            let mut stack = vec![root.join(dir)];
            while let Some(d) = stack.pop() {
                for entry in std::fs::read_dir(&d).expect("readable").flatten() {
                    let p = entry.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else {
                        sources.push(std::fs::read_to_string(&p).unwrap_or_default());
                    }
                }
            }
        }
        let mut used = BTreeSet::new();
        for s in &sources {
            for (i, _) in s.match_indices("\"web-") {
                let key: String = s[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                // A prefix that code completes (`"web-role-"`, `"web-error-"`) is not a key.
                if !key.ends_with('-') && s[i + 1 + key.len()..].starts_with('"') {
                    used.insert(key);
                }
            }
        }
        for role in crate::domain::accounts::Role::ALL {
            let r = role.as_str().replace('_', "-");
            used.insert(format!("web-role-{r}"));
            used.insert(format!("web-home-role-{r}"));
        }
        for slug in [
            "bad-request",
            "unauthorized",
            "forbidden",
            "not-found",
            "conflict",
            "invalid",
            "busy",
            "internal",
        ] {
            used.insert(format!("web-error-{slug}-title"));
            used.insert(format!("web-error-{slug}-text"));
        }
        assert!(used.len() > 30, "found the keys: {used:?}");
        let missing: Vec<String> = used
            .iter()
            .flat_map(|k| {
                Lang::ALL
                    .iter()
                    .filter(move |l| !i18n::has(**l, k))
                    .map(move |l| format!("{}: {k}", l.code()))
            })
            .collect();
        assert!(missing.is_empty(), "{missing:#?}");
    }

    /// Every static file a template names is embedded.
    #[test]
    fn every_asset_the_templates_name_exists() {
        let base = include_str!("../../templates/base.html");
        for (i, _) in base.match_indices("assets::url(\"") {
            let name: String = base[i + 13..].chars().take_while(|c| *c != '"').collect();
            assert!(
                !super::assets::url(&name).ends_with(&format!("/{name}")),
                "{name} is not embedded"
            );
        }
    }
}
