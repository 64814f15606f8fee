//! Who is looking at a page: [`Viewer`] for pages that need a signed-in person (an anonymous
//! visitor is sent to `/sign-in?next=<this path>` with a 303), [`MaybeViewer`] for public pages.
//!
//! The session cookie's secret is looked up in the database on every request
//! (`auth::sessions::find`), so a disabled person is out at once and a new role applies on the
//! next page. The viewer's `caller` is the same `Caller` the API's handlers get: pages call the
//! same domain functions with it.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use crate::auth::sessions::{self, Lifetimes};
use crate::auth::Caller;
use crate::db::now;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::error::PageError;

/// The session cookie.
pub const SESSION_COOKIE: &str = "dl_session";
/// The language of a visitor who is not signed in.
pub const LANG_COOKIE: &str = "dl_lang";

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub caller: Caller,
    pub lang: Lang,
    /// The session's CSRF token: every form that changes something carries it.
    pub csrf: String,
    pub email: Option<String>,
    pub session_id: String,
}

/// Someone who may or may not be signed in, and the language to speak to them in.
#[derive(Debug, Clone)]
pub struct MaybeViewer {
    pub viewer: Option<Viewer>,
    pub lang: Lang,
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::internal("application state missing"))
}

/// The language of a visitor: their cookie, else the first of nl, fr, en in Accept-Language,
/// else Dutch.
pub fn visitor_lang(req: &HttpRequest) -> Lang {
    if let Some(lang) = req
        .cookie(LANG_COOKIE)
        .and_then(|c| c.value().parse::<Lang>().ok())
    {
        return lang;
    }
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    accept
        .split(',')
        .filter_map(|part| {
            let tag = part.split(';').next()?.trim();
            tag.split('-').next()?.parse::<Lang>().ok()
        })
        .next()
        .unwrap_or_default()
}

impl MaybeViewer {
    /// Reads the session cookie (and refreshes the session's last use at most once a minute).
    pub async fn extract(req: &HttpRequest) -> Result<MaybeViewer, PageError> {
        let fallback = visitor_lang(req);
        let viewer = lookup(req).await.map_err(|e| PageError::new(e, fallback))?;
        let lang = viewer.as_ref().map_or(fallback, |v| v.lang);
        Ok(MaybeViewer { viewer, lang })
    }
}

async fn lookup(req: &HttpRequest) -> Result<Option<Viewer>, AppError> {
    let Some(secret) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    if secret.is_empty() || secret.len() > 128 {
        return Ok(None);
    }
    let state = state(req)?;
    let lifetimes = Lifetimes::of(&state.config);
    let at = now();
    let live = state
        .db
        .read(move |conn| sessions::find(conn, &secret, lifetimes, at))
        .await?;
    let Some(live) = live else {
        return Ok(None);
    };
    if live.needs_touch(at) {
        let id = live.session.id.clone();
        state
            .db
            .write(move |conn| sessions::touch(conn, &id, at))
            .await?;
    }
    let lang = live.lang.unwrap_or_else(|| visitor_lang(req));
    Ok(Some(Viewer {
        caller: live.caller,
        lang,
        csrf: live.session.csrf_token,
        email: live.email,
        session_id: live.session.id,
    }))
}

impl Viewer {
    /// The signed-in person, or a redirect to the sign-in page that comes back here.
    pub async fn extract(req: &HttpRequest) -> Result<Viewer, PageError> {
        let maybe = MaybeViewer::extract(req).await?;
        match maybe.viewer {
            Some(v) => Ok(v),
            None => {
                let next = match req.uri().path_and_query() {
                    Some(pq) if req.method() == actix_web::http::Method::GET => pq.as_str(),
                    _ => "/",
                };
                Err(PageError::sign_in(next, maybe.lang))
            }
        }
    }
}

impl FromRequest for Viewer {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Viewer::extract(&req).await })
    }
}

impl FromRequest for MaybeViewer {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { MaybeViewer::extract(&req).await })
    }
}

/// A cookie with the service's attributes: HttpOnly, SameSite=Lax, Path=/, Secure when the
/// public URL is https. `max_age` None makes it last as long as the browser is open.
pub fn cookie(
    name: &'static str,
    value: String,
    secure: bool,
    max_age: Option<actix_web::cookie::time::Duration>,
) -> Cookie<'static> {
    let mut c = Cookie::build(name, value)
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(secure)
        .finish();
    if let Some(age) = max_age {
        c.set_max_age(age);
    }
    c
}

/// The session cookie for a new session's secret.
pub fn session_cookie(secret: String, config: &crate::config::Config) -> Cookie<'static> {
    cookie(SESSION_COOKIE, secret, config.is_https(), None)
}

/// A cookie that removes the session cookie.
pub fn session_cookie_removal(config: &crate::config::Config) -> Cookie<'static> {
    cookie(
        SESSION_COOKIE,
        String::new(),
        config.is_https(),
        Some(actix_web::cookie::time::Duration::ZERO),
    )
}
