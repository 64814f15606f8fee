//! Signing in and out, the one-time welcome links, and the language switch.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::invitations::{self, LinkPurpose, Unusable};
use crate::auth::{passwords, sessions, sign_in};
use crate::db::now;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::forms::{FormErrors, PublicPost};
use crate::web::frame::{local_path, render_status, see_other, texts, Frame};
use crate::web::prelude::*;
use crate::web::viewer::{
    cookie, session_cookie, session_cookie_removal, MaybeViewer, LANG_COOKIE,
};
use crate::web::{PageError, Posted};

#[derive(Template)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    pub frame: Frame,
    pub email: String,
    pub next: String,
}
crate::page!(SignInPage);

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

#[get("/sign-in")]
pub async fn sign_in_form(
    viewer: MaybeViewer,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let next = local_path(query.next.as_deref().unwrap_or("/")).to_string();
    if viewer.viewer.is_some() {
        return Ok(see_other(&next));
    }
    render(&SignInPage {
        frame: Frame::public(viewer.lang, "/sign-in", "web-sign-in-title"),
        email: String::new(),
        next,
    })
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: String,
}

/// The client address failed attempts are counted under: the connection's peer (a header
/// such as X-Forwarded-For could be made up by the client).
fn client_address(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[post("/sign-in")]
pub async fn sign_in_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: PublicPost<SignInForm>,
) -> Result<HttpResponse, PageError> {
    let lang = posted.viewer.lang;
    let form = posted.form;
    let next = local_path(&form.next).to_string();
    let address = client_address(&req);
    let again = |status: StatusCode, errors: FormErrors| {
        render_status(
            status,
            &SignInPage {
                frame: Frame::public(lang, "/sign-in", "web-sign-in-title").with_errors(errors),
                email: form.email.clone(),
                next: next.clone(),
            },
        )
    };
    if form.email.trim().is_empty() || form.password.is_empty() {
        let mut errors = FormErrors::default();
        if form.email.trim().is_empty() {
            errors
                .items
                .extend(FormErrors::one("email", text(lang, "web-sign-in-email-missing")).items);
        }
        if form.password.is_empty() {
            errors.items.extend(
                FormErrors::one("password", text(lang, "web-sign-in-password-missing")).items,
            );
        }
        return again(StatusCode::UNPROCESSABLE_ENTITY, errors);
    }
    let at = now();
    let (email, addr) = (form.email.clone(), address.clone());
    let attempt = state
        .db
        .read(move |conn| sign_in::prepare(conn, &email, &addr, at))
        .await
        .page(lang)?;
    if let Some(seconds) = attempt.wait_seconds {
        let message = texts(
            lang,
            "web-sign-in-wait",
            &[("seconds", &seconds.to_string())],
        );
        let mut res = again(StatusCode::TOO_MANY_REQUESTS, FormErrors::general(message))?;
        res.headers_mut().insert(
            header::RETRY_AFTER,
            header::HeaderValue::from(seconds as u64),
        );
        return Ok(res);
    }
    let password = form.password.clone();
    let checked = attempt.clone();
    let ok = web::block(move || sign_in::password_matches(&checked, &password))
        .await
        .map_err(AppError::from)
        .page(lang)?;
    let (email, addr) = (form.email.clone(), address.clone());
    match (ok, attempt.user) {
        (true, Some((user, _))) => {
            let lifetimes = sessions::Lifetimes::of(&state.config);
            let user_id = user.id.clone();
            let (secret, _) = state
                .db
                .write(move |conn| {
                    sign_in::clear_failures(conn, &email)?;
                    sessions::sweep(conn, lifetimes, at)?;
                    sessions::start(conn, &user_id, at)
                })
                .await
                .page(lang)?;
            let mut res = see_other(&next);
            res.add_cookie(&session_cookie(secret, &state.config))
                .map_err(AppError::internal)
                .page(lang)?;
            Ok(res)
        }
        _ => {
            state
                .db
                .write(move |conn| sign_in::record_failure(conn, &email, &addr, at))
                .await
                .page(lang)?;
            again(
                StatusCode::UNAUTHORIZED,
                FormErrors::general(text(lang, "web-sign-in-wrong")),
            )
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

#[post("/sign-out")]
pub async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted<Empty>,
) -> Result<HttpResponse, PageError> {
    let lang = posted.viewer.lang;
    if let Some(secret) = req
        .cookie(crate::web::viewer::SESSION_COOKIE)
        .map(|c| c.value().to_string())
    {
        state
            .db
            .write(move |conn| sessions::end(conn, &secret))
            .await
            .page(lang)?;
    }
    let mut res = see_other("/sign-in");
    res.add_cookie(&session_cookie_removal(&state.config))
        .map_err(AppError::internal)
        .page(lang)?;
    // Keep the language for the sign-in page that follows.
    res.add_cookie(&lang_cookie(lang, &state.config))
        .map_err(AppError::internal)
        .page(lang)?;
    Ok(res)
}

fn lang_cookie(lang: Lang, config: &crate::config::Config) -> actix_web::cookie::Cookie<'static> {
    cookie(
        LANG_COOKIE,
        lang.code().to_string(),
        config.is_https(),
        Some(actix_web::cookie::time::Duration::days(365)),
    )
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    pub lang: String,
    #[serde(default)]
    pub next: String,
}

/// The language switch of the frame: remembered for the person (signed in) and in a cookie.
#[post("/language")]
pub async fn language(
    state: web::Data<AppState>,
    posted: PublicPost<LanguageForm>,
) -> Result<HttpResponse, PageError> {
    let lang: Lang = posted
        .form
        .lang
        .parse()
        .map_err(|_| AppError::invalid("lang", "must be nl, fr or en"))
        .page(posted.viewer.lang)?;
    if let Some(v) = &posted.viewer.viewer {
        let user_id = v.caller.user_id.clone();
        state
            .db
            .write(move |conn| sessions::set_lang(conn, &user_id, lang))
            .await
            .page(lang)?;
    }
    let mut res = see_other(&posted.form.next);
    res.add_cookie(&lang_cookie(lang, &state.config))
        .map_err(AppError::internal)
        .page(lang)?;
    Ok(res)
}

#[derive(Template)]
#[template(path = "welcome.html")]
pub struct WelcomePage {
    pub frame: Frame,
    pub name: String,
    pub ask_email: bool,
    pub email: String,
    pub reset: bool,
    /// The link's secret, posted back with the form (it is the form's own token).
    pub secret: String,
}
crate::page!(WelcomePage);

#[derive(Template)]
#[template(path = "link_unusable.html")]
pub struct LinkUnusablePage {
    pub frame: Frame,
    pub reason_key: &'static str,
}
crate::page!(LinkUnusablePage);

fn unusable(lang: Lang, why: Unusable) -> Result<HttpResponse, PageError> {
    let reason_key = match why {
        Unusable::Unknown => "web-welcome-unknown",
        Unusable::Used => "web-welcome-used",
        Unusable::Expired => "web-welcome-expired",
    };
    render_status(
        StatusCode::GONE,
        &LinkUnusablePage {
            frame: Frame::public(lang, "/", "web-welcome-unusable-title"),
            reason_key,
        },
    )
}

/// A link's secret as it comes in the path; anything that is not 64 hex digits is unknown.
fn secret_of(raw: &str) -> Option<String> {
    (raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit())).then(|| raw.to_lowercase())
}

#[get("/welcome/{secret}")]
pub async fn welcome_form(
    viewer: MaybeViewer,
    state: web::Data<AppState>,
    secret: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = viewer.lang;
    let Some(secret) = secret_of(&secret) else {
        return unusable(lang, Unusable::Unknown);
    };
    let at = now();
    let s = secret.clone();
    let found = state
        .db
        .read(move |conn| invitations::open(conn, &s, at))
        .await
        .page(lang)?;
    match found {
        Err(why) => unusable(lang, why),
        Ok(usable) => render(&WelcomePage {
            frame: Frame::public(lang, "/", "web-welcome-title"),
            name: usable.user.name.clone(),
            ask_email: usable.user.email.is_none(),
            email: String::new(),
            reset: usable.purpose == LinkPurpose::PasswordReset,
            secret,
        }),
    }
}

#[derive(Debug, Deserialize)]
pub struct WelcomeForm {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub password: String,
}

#[post("/welcome/{secret}")]
pub async fn welcome_submit(
    state: web::Data<AppState>,
    secret: web::Path<String>,
    posted: PublicPost<WelcomeForm>,
) -> Result<HttpResponse, PageError> {
    let lang = posted.viewer.lang;
    let Some(secret) = secret_of(&secret) else {
        return unusable(lang, Unusable::Unknown);
    };
    let form = posted.form;
    let at = now();
    let (s, email, password) = (secret.clone(), form.email.clone(), form.password.clone());
    // Read the link and check the choice (no write yet).
    let checked = state
        .db
        .read(move |conn| {
            Ok(match invitations::open(conn, &s, at)? {
                Err(why) => Err(why),
                Ok(usable) => {
                    let result =
                        invitations::check_choice(conn, &usable, email.as_deref(), &password);
                    Ok((usable, result))
                }
            })
        })
        .await
        .page(lang)?;
    let (usable, result) = match checked {
        Err(why) => return unusable(lang, why),
        Ok(pair) => pair,
    };
    let email = match result {
        Ok(email) => email,
        Err(error) => {
            let errors = FormErrors::of(&error, lang).unwrap_or_default();
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &WelcomePage {
                    frame: Frame::public(lang, "/", "web-welcome-title").with_errors(errors),
                    name: usable.user.name.clone(),
                    ask_email: usable.user.email.is_none(),
                    email: form.email.unwrap_or_default(),
                    reset: usable.purpose == LinkPurpose::PasswordReset,
                    secret,
                },
            );
        }
    };
    let password = form.password;
    let hash = web::block(move || passwords::hash(&password))
        .await
        .map_err(AppError::from)
        .and_then(|r| r)
        .page(lang)?;
    let accepted = state
        .db
        .write(move |conn| invitations::accept(conn, &secret, &email, &hash, at))
        .await
        .page(lang)?;
    match accepted {
        Err(why) => unusable(lang, why),
        Ok((cookie_secret, _, _)) => {
            let mut res = see_other("/?welcome=1");
            res.add_cookie(&session_cookie(cookie_secret, &state.config))
                .map_err(AppError::internal)
                .page(lang)?;
            Ok(res)
        }
    }
}

fn text(lang: Lang, key: &str) -> String {
    crate::web::frame::text(lang, key)
}
