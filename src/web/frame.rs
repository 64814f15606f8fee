//! The frame every page is drawn in (`templates/base.html`): the language, the title, who is
//! signed in and what their role finds, the notices and the error summary; and the way page
//! templates reach the texts of the catalogues.
//!
//! A page template is a struct with a field `frame: Frame` that implements [`Page`] (one line:
//! `crate::web::page!(MyPage);`). Its template then writes `{{ t("web-…") }}` for a text and
//! `{{ t1("web-…", "name", value) }}` or `t2(…)` for a text with variables: the trait
//! [`Texts`] gives every [`Page`] these methods (bring it into scope with
//! `use crate::web::prelude::*;`).

use std::borrow::Cow;
use std::fmt::Display;

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;

use crate::auth::Perm;
use crate::domain::accounts::Role;
use crate::i18n::{self, Lang};
use crate::web::forms::FormErrors;
use crate::web::viewer::Viewer;

/// The variables the pages' texts may use (`{ $name }`); a `web-…` text with another one fails
/// a unit test. Add a name here when a page gives a new one.
pub const PLACEHOLDERS: &[&str] = &[
    "name", "seconds", "expires", "n", "m", "r", "year", "from", "to", "by", "version", "source",
];

/// One link of the navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    /// The catalogue key of its label.
    pub label_key: &'static str,
    /// The catalogue key of the sentence that says what is there (home page).
    pub about_key: &'static str,
    pub current: bool,
}

/// Who is signed in, as the frame shows it.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub role: Role,
}

/// What `base.html` draws around every page.
#[derive(Debug, Clone)]
pub struct Frame {
    pub lang: Lang,
    /// The page's own title (without the service name), already in `lang`.
    pub title: String,
    /// The path of this page (for the language switch to come back to). Never has a query.
    pub path: String,
    pub person: Option<Person>,
    /// The session's CSRF token (signed in) for the forms of the frame.
    pub csrf: String,
    pub nav: Vec<NavItem>,
    /// A short confirmation shown at the top ("Your password is saved.").
    pub notice: Option<String>,
    /// The errors of a refused form: the summary at the top links to each field.
    pub errors: FormErrors,
}

/// The places of each role, in the order of the navigation.
pub fn places(role: Role) -> Vec<NavItem> {
    let item = |href, label_key, about_key| NavItem {
        href,
        label_key,
        about_key,
        current: false,
    };
    let mut out = vec![item("/", "web-nav-home", "web-home-about-home")];
    if crate::auth::policy::allows(role, Perm::RecordRefurbishment) {
        out.push(item(
            "/workshop",
            "web-nav-workshop",
            "web-home-about-workshop",
        ));
    }
    if crate::auth::policy::allows(role, Perm::ReadLoans) {
        out.push(item("/loans", "web-loan-nav", "web-loan-nav-about"));
    }
    // Booking pages: schools and organisations book, the lending service's staff handle.
    if crate::auth::policy::allows(role, Perm::ManageBookings) {
        out.push(item("/desk", "web-nav-desk", "web-home-about-desk"));
    } else if crate::auth::policy::allows(role, Perm::RequestBookings) {
        out.push(item("/reservations", "web-nav-book", "web-home-about-book"));
    }
    if crate::auth::policy::allows(role, Perm::ReadFigures) {
        out.push(item(
            "/reports",
            "web-nav-figures",
            "web-home-about-figures",
        ));
    }
    // The lending service's inventory, donations and labels (`crate::web::ops`).
    if crate::auth::policy::allows(role, Perm::RegisterDevices) {
        out.push(item(
            "/inventory",
            "web-ops-nav-inventory",
            "web-ops-home-about-inventory",
        ));
        out.push(item(
            "/donations",
            "web-ops-nav-donations",
            "web-ops-home-about-donations",
        ));
        out.push(item(
            "/labels",
            "web-ops-nav-labels",
            "web-ops-home-about-labels",
        ));
    }
    if crate::auth::policy::allows(role, Perm::ManageAccounts) {
        out.push(item(
            "/admin/people",
            "web-nav-people",
            "web-home-about-people",
        ));
        out.push(item(
            "/admin/organisations",
            "web-ops-nav-organisations",
            "web-ops-home-about-organisations",
        ));
    }
    out
}

impl Frame {
    /// A frame for a page seen by anyone (signed in or not).
    pub fn public(lang: Lang, path: &str, title_key: &str) -> Frame {
        Frame {
            lang,
            title: text(lang, title_key),
            path: local_path(path).to_string(),
            person: None,
            csrf: String::new(),
            nav: Vec::new(),
            notice: None,
            errors: FormErrors::default(),
        }
    }

    /// A frame for a signed-in person's page; `path` marks the current navigation item.
    pub fn signed_in(viewer: &Viewer, path: &str, title_key: &str) -> Frame {
        let mut nav = places(viewer.caller.role);
        for item in &mut nav {
            item.current = if item.href == "/" {
                path == "/"
            } else {
                path.starts_with(item.href)
            };
        }
        Frame {
            person: Some(Person {
                name: viewer.caller.name.clone(),
                role: viewer.caller.role,
            }),
            csrf: viewer.csrf.clone(),
            nav,
            ..Frame::public(viewer.lang, path, title_key)
        }
    }

    /// From a viewer that may be absent.
    pub fn for_maybe(viewer: Option<&Viewer>, lang: Lang, path: &str, title_key: &str) -> Frame {
        match viewer {
            Some(v) => Frame::signed_in(v, path, title_key),
            None => Frame::public(lang, path, title_key),
        }
    }

    pub fn with_notice(mut self, notice: impl Into<String>) -> Frame {
        self.notice = Some(notice.into());
        self
    }

    pub fn with_errors(mut self, errors: FormErrors) -> Frame {
        self.errors = errors;
        self
    }

    /// The text under `key` in the frame's language.
    pub fn t(&self, key: &str) -> String {
        text(self.lang, key)
    }

    /// The name of the role in the frame's language.
    pub fn role_name(&self, role: impl std::borrow::Borrow<Role>) -> String {
        let role = role.borrow();
        text(
            self.lang,
            &format!("web-role-{}", role.as_str().replace('_', "-")),
        )
    }

    /// The `<title>`: the page, then the service (no personal data in it).
    pub fn document_title(&self) -> String {
        format!("{} – {}", self.title, self.t("web-service-name"))
    }

    /// The languages of the switch, with their names in their own language.
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|l| {
                let name = match l {
                    Lang::Nl => "Nederlands",
                    Lang::Fr => "Français",
                    Lang::En => "English",
                };
                (l.code(), name, *l == self.lang)
            })
            .collect()
    }
}

/// The text under `key`; a key missing from the catalogue shows as the key itself and is
/// logged (a unit test checks that every key the templates use exists).
pub fn text(lang: Lang, key: &str) -> String {
    texts(lang, key, &[])
}

/// The text under `key` with its variables.
pub fn texts(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    match i18n::text(lang, key, args) {
        Ok(Cow::Borrowed(s)) => s.to_string(),
        Ok(Cow::Owned(s)) => s,
        Err(e) => {
            log::warn!("page text: {e}");
            key.to_string()
        }
    }
}

/// A page template: a struct with a [`Frame`].
pub trait Page {
    fn frame(&self) -> &Frame;
}

/// Texts for templates: `{{ t("key") }}`, `{{ t1("key", "name", value) }}`,
/// `{{ t2("key", "a", x, "b", y) }}`.
pub trait Texts {
    fn t(&self, key: &str) -> String;
    fn t1(&self, key: &str, name: &str, value: impl Display) -> String;
    fn t2(&self, key: &str, a: &str, x: impl Display, b: &str, y: impl Display) -> String;
}

impl<P: Page> Texts for P {
    fn t(&self, key: &str) -> String {
        text(self.frame().lang, key)
    }

    fn t1(&self, key: &str, name: &str, value: impl Display) -> String {
        texts(self.frame().lang, key, &[(name, &value.to_string())])
    }

    fn t2(&self, key: &str, a: &str, x: impl Display, b: &str, y: impl Display) -> String {
        texts(
            self.frame().lang,
            key,
            &[(a, &x.to_string()), (b, &y.to_string())],
        )
    }
}

/// Implements [`Page`] for a template struct whose frame is in the field `frame`.
#[macro_export]
macro_rules! page {
    ($name:ident) => {
        impl $crate::web::frame::Page for $name {
            fn frame(&self) -> &$crate::web::frame::Frame {
                &self.frame
            }
        }
    };
}

/// A path that is safe to send someone back to: local (`/…`), not `//host` or `/\host`, no
/// control characters; anything else becomes `/`.
pub fn local_path(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 512;
    if ok {
        next
    } else {
        "/"
    }
}

/// Renders a page with a status.
pub fn render_status<T: askama::Template>(
    status: StatusCode,
    page: &T,
) -> Result<HttpResponse, crate::web::PageError> {
    let body = page
        .render()
        .map_err(|e| crate::web::PageError::from(crate::error::AppError::internal(e)))?;
    Ok(HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .body(body))
}

/// Renders a page (200).
pub fn render<T: askama::Template>(page: &T) -> Result<HttpResponse, crate::web::PageError> {
    render_status(StatusCode::OK, page)
}

/// A 303 to another page (after a form that changed something).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, local_path(location).to_string()))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/workshop?x=1"), "/workshop?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
            "workshop",
            "/a\nb",
        ] {
            assert_eq!(local_path(bad), "/", "{bad:?}");
        }
    }
}
