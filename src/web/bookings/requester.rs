//! The pages of a school or organisation (`/reservations`): their bookings with status, the
//! pool's calendar per kind, the request form with its check step (what is free and what is
//! short, before sending; the motivation when past the yearly guideline), the acknowledgement,
//! a booking's page with change, cancel and the confirmation PDF.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use super::{
    booking_id, day, form_errors, kind_name, line_text, status_name, value, BookingView, Values,
    KINDS,
};
use crate::domain::availability::{self, PoolQuery, Rules};
use crate::domain::bookings::{
    self, BookingAction, BookingFilter, BookingPatch, Contact, LineRequest, NewBooking,
    QuantityChange, RequestRules,
};
use crate::domain::devices::DeviceKind;
use crate::error::{AppError, FieldError};
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::forms::Posted;
use crate::web::frame::{render_status, see_other, text, texts, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Viewer};

fn rules(state: &AppState) -> Rules {
    Rules::from_config(&state.config)
}

fn request_rules(state: &AppState) -> RequestRules {
    RequestRules::from_config(&state.config)
}

/// One booking in the list.
#[derive(Debug, Clone)]
pub struct ListLine {
    pub id: String,
    pub reference: String,
    pub dates: String,
    pub status: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "bookings/list.html")]
pub struct ListPage {
    pub frame: Frame,
    pub bookings: Vec<ListLine>,
}
crate::page!(ListPage);

#[get("/reservations")]
pub async fn list_page(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/reservations", "web-book-title");
    let lang = viewer.lang;
    let caller = viewer.caller.clone();
    let rules = rules(&state);
    let rows = state
        .db
        .read(move |conn| {
            let (rows, _) = bookings::list(conn, &caller, &BookingFilter::default(), 200, None)?;
            rows.into_iter()
                .map(|b| {
                    let id = crate::domain::ids::BookingId::from(b.id.clone());
                    bookings::get(conn, &caller, &rules, &id)
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .await
        .in_frame(&frame)?;
    let bookings = rows
        .iter()
        .rev()
        .map(|d| ListLine {
            id: d.booking.id.clone(),
            reference: d.booking.reference.clone(),
            dates: format!(
                "{} – {}",
                day(d.booking.pickup_on),
                day(d.booking.return_on)
            ),
            status: status_name(lang, d.booking.status),
            what: d
                .lines
                .iter()
                .map(|l| line_text(lang, l.kind, l.model.as_deref(), l.quantity))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    render(&ListPage { frame, bookings })
}

/// The free devices of one kind on one day.
#[derive(Debug, Clone)]
pub struct DayLine {
    pub day: String,
    pub free: String,
    /// "none free" or "few free" in words, or empty.
    pub note: String,
}

/// The calendar of one kind.
#[derive(Debug, Clone)]
pub struct KindCalendar {
    pub kind: String,
    pub slug: String,
    /// The pool in one sentence: enough, short, or none on some days.
    pub summary: String,
    pub short: bool,
    pub days: Vec<DayLine>,
}

#[derive(Template)]
#[template(path = "bookings/calendar.html")]
pub struct CalendarPage {
    pub frame: Frame,
    pub from: String,
    pub to: String,
    pub kinds: Vec<KindCalendar>,
}
crate::page!(CalendarPage);

#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Fewer free than this (or than a quarter of the pool) is a short pool.
const FEW: i64 = 5;

fn is_few(free: i64, total: i64) -> bool {
    free < FEW.min(total.max(1)) || free * 4 < total
}

#[get("/reservations/calendar")]
pub async fn calendar_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/reservations", "web-book-calendar-title");
    let lang = viewer.lang;
    let rules = rules(&state);
    let first = rules.today + Duration::days(request_rules(&state).notice_days);
    let parse = |s: &Option<String>| s.as_deref().and_then(|v| v.parse::<NaiveDate>().ok());
    let from = parse(&q.from).unwrap_or(first);
    let to = parse(&q.to)
        .filter(|t| *t >= from && (*t - from).num_days() <= 62)
        .unwrap_or(from + Duration::days(27));
    let caller = viewer.caller.clone();
    let counts = state
        .db
        .read(move |conn| {
            KINDS
                .iter()
                .map(|k| {
                    let q = PoolQuery {
                        kind: *k,
                        model: None,
                        subtype: None,
                        from,
                        to,
                    };
                    availability::availability(conn, &caller, &rules, &q).map(|f| (*k, f))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .await
        .in_frame(&frame)?;
    let kinds = counts
        .into_iter()
        .map(|(kind, f)| {
            let min = f.days.iter().map(|(_, n)| *n).min().unwrap_or(0).max(0);
            let none = f.days.iter().filter(|(_, n)| *n <= 0).count();
            let short = none > 0 || is_few(min, f.total);
            let summary = if f.total == 0 {
                text(lang, "web-book-calendar-none-in-pool")
            } else if none > 0 {
                texts(
                    lang,
                    "web-book-calendar-none-some-days",
                    &[("n", &none.to_string())],
                )
            } else if short {
                texts(lang, "web-book-calendar-short", &[("n", &min.to_string())])
            } else {
                texts(lang, "web-book-calendar-enough", &[("n", &min.to_string())])
            };
            KindCalendar {
                kind: kind_name(lang, kind),
                slug: kind.to_string(),
                summary,
                short,
                days: f
                    .days
                    .iter()
                    .map(|(d, n)| {
                        let n = (*n).max(0);
                        DayLine {
                            day: format!(
                                "{} {}",
                                text(lang, &format!("web-book-weekday-{}", d.format("%u"))),
                                day(*d)
                            ),
                            free: super::n_of_m(lang, n, f.total),
                            note: if n == 0 {
                                text(lang, "web-book-calendar-day-none")
                            } else if is_few(n, f.total) {
                                text(lang, "web-book-calendar-day-few")
                            } else {
                                String::new()
                            },
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    render(&CalendarPage {
        frame,
        from: from.to_string(),
        to: to.to_string(),
        kinds,
    })
}

/// One kind on the request form.
#[derive(Debug, Clone)]
pub struct KindField {
    pub slug: String,
    pub label: String,
    pub quantity: String,
    pub model: String,
}

/// What the pool can serve for one kind asked for.
#[derive(Debug, Clone)]
pub struct CheckLine {
    pub what: String,
    pub ok: bool,
    pub text: String,
}

#[derive(Template)]
#[template(path = "bookings/new.html")]
pub struct NewPage {
    pub frame: Frame,
    pub values: Values,
    pub kinds: Vec<KindField>,
    /// The check step's answer.
    pub check: Option<Vec<CheckLine>>,
    pub can_serve: bool,
    pub show_motivation: bool,
    pub motivation_hint: String,
    pub notice_hint: String,
}
crate::page!(NewPage);

impl KindField {
    pub fn qty_field(&self) -> String {
        format!("qty_{}", self.slug)
    }

    pub fn model_field(&self) -> String {
        format!("model_{}", self.slug)
    }
}

impl NewPage {
    pub fn v(&self, name: &str) -> String {
        value(&self.values, name)
    }
}

fn new_page_of(frame: Frame, values: Values, state: &AppState) -> NewPage {
    let lang = frame.lang;
    let rr = request_rules(state);
    let kinds = KINDS
        .iter()
        .map(|k| KindField {
            slug: k.to_string(),
            label: kind_name(lang, *k),
            quantity: value(&values, &format!("qty_{k}")),
            model: value(&values, &format!("model_{k}")),
        })
        .collect();
    let show_motivation =
        frame.errors.has("motivation") || !value(&values, "motivation").is_empty();
    NewPage {
        motivation_hint: texts(
            lang,
            "web-book-motivation-hint",
            &[
                ("n", &rr.guideline_bookings.to_string()),
                ("m", &rr.guideline_weeks.to_string()),
            ],
        ),
        notice_hint: texts(
            lang,
            "web-book-pickup-hint",
            &[
                ("n", &rr.notice_days.to_string()),
                ("m", &rr.longest_days.to_string()),
            ],
        ),
        frame,
        values,
        kinds,
        check: None,
        can_serve: false,
        show_motivation,
    }
}

#[get("/reservations/new")]
pub async fn new_page(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/reservations", "web-book-new-title");
    let mut values = Values::new();
    values.insert("contact_name".into(), viewer.caller.name.clone());
    if let Some(e) = &viewer.email {
        values.insert("contact_email".into(), e.clone());
    }
    render(&new_page_of(frame, values, &state))
}

fn opt(values: &Values, name: &str) -> Option<String> {
    Some(value(values, name)).filter(|v| !v.is_empty())
}

/// The request as typed; a field that cannot be read is an error on that field.
fn request_of(values: &Values) -> Result<NewBooking, AppError> {
    let mut errors = Vec::new();
    let date = |name: &str, errors: &mut Vec<FieldError>| {
        let raw = value(values, name);
        match raw.parse::<NaiveDate>() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new(name, "choose a date"));
                None
            }
        }
    };
    let pickup = date("pickup_on", &mut errors);
    let ret = date("return_on", &mut errors);
    let mut lines = Vec::new();
    for k in KINDS {
        let raw = value(values, &format!("qty_{k}"));
        if raw.is_empty() || raw == "0" {
            continue;
        }
        match raw.parse::<i32>() {
            Ok(n) if n > 0 => lines.push(LineRequest {
                kind: k,
                quantity: n,
                subtype: None,
                model: opt(values, &format!("model_{k}")),
            }),
            _ => errors.push(FieldError::new(format!("qty_{k}"), "give a number")),
        }
    }
    let (Some(pickup_on), Some(return_on)) = (pickup, ret) else {
        return Err(AppError::invalid_fields(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    Ok(NewBooking {
        organisation_id: None,
        pickup_on,
        return_on,
        purpose: value(values, "purpose"),
        contact: Contact {
            name: value(values, "contact_name"),
            phone: opt(values, "contact_phone"),
            email: opt(values, "contact_email"),
        },
        lines,
        devices: Vec::new(),
        note: None,
    })
}

/// The form field of a domain field, and what to say there.
fn request_field(
    lang: Lang,
    rr: &RequestRules,
    kinds: &[DeviceKind],
    f: &FieldError,
) -> (String, Option<String>) {
    let path = f.field.as_str();
    let n = |key: &str, n: i64| Some(texts(lang, key, &[("n", &n.to_string())]));
    if path.starts_with("qty_") {
        return (
            path.to_string(),
            Some(text(lang, "web-book-error-quantity-number")),
        );
    }
    if let Some(rest) = path.strip_prefix("lines[") {
        let i: usize = rest
            .split(']')
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        let kind = kinds.get(i).copied().unwrap_or(DeviceKind::Laptop);
        return (
            format!("qty_{kind}"),
            n("web-book-error-quantity", rr.max_per_kind),
        );
    }
    match path {
        "lines" => (
            "qty_laptop".into(),
            Some(text(lang, "web-book-error-lines")),
        ),
        "pickup_on" => (
            "pickup_on".into(),
            n("web-book-error-pickup", rr.notice_days),
        ),
        "return_on" => (
            "return_on".into(),
            n("web-book-error-return", rr.longest_days),
        ),
        "purpose" => ("purpose".into(), Some(text(lang, "web-book-error-purpose"))),
        "contact.name" => (
            "contact_name".into(),
            Some(text(lang, "web-book-error-contact-name")),
        ),
        "contact.phone" => (
            "contact_phone".into(),
            Some(text(lang, "web-book-error-contact-phone")),
        ),
        "contact.email" => (
            "contact_email".into(),
            Some(text(lang, "web-book-error-contact-email")),
        ),
        "contact" => (
            "contact_email".into(),
            Some(text(lang, "web-book-error-contact")),
        ),
        "motivation" => (
            "motivation".into(),
            Some(texts(
                lang,
                "web-book-error-motivation",
                &[
                    ("n", &rr.guideline_bookings.to_string()),
                    ("m", &rr.guideline_weeks.to_string()),
                ],
            )),
        ),
        other => (other.to_string(), None),
    }
}

#[post("/reservations/new")]
pub async fn new_submit(
    state: web::Data<AppState>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let frame = Frame::signed_in(&viewer, "/reservations", "web-book-new-title");
    let lang = viewer.lang;
    let rr = request_rules(&state);
    let sending = value(&form, "step") == "send";
    let parsed = request_of(&form);
    let kinds: Vec<DeviceKind> = match &parsed {
        Ok(r) => r.lines.iter().map(|l| l.kind).collect(),
        Err(_) => Vec::new(),
    };
    let refused = |e: AppError, frame: Frame, form: Values| -> Result<HttpResponse, PageError> {
        let Some(errors) = form_errors(&e, lang, &|f| request_field(lang, &rr, &kinds, f)) else {
            return Err(PageError::in_frame(e, &frame));
        };
        let status = if matches!(e, AppError::Conflict { .. }) {
            409
        } else {
            422
        };
        let page = new_page_of(frame.with_errors(errors), form, &state);
        render_status(
            actix_web::http::StatusCode::from_u16(status)
                .unwrap_or(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY),
            &page,
        )
    };
    let req = match parsed {
        Ok(r) => r,
        Err(e) => return refused(e, frame, form),
    };
    let caller = viewer.caller.clone();
    let rules = rules(&state);
    if sending {
        let motivation = opt(&form, "motivation");
        let result = state
            .db
            .write(move |conn| bookings::request(conn, &caller, &rules, &rr, req, motivation))
            .await;
        return match result {
            Ok(d) => Ok(see_other(&format!(
                "/reservations/{}?received=1",
                d.booking.id
            ))),
            Err(e) if super::client(&e) => refused(e, frame, form),
            Err(e) => Err(PageError::in_frame(e, &frame)),
        };
    }
    let result = state
        .db
        .read(move |conn| bookings::check_request(conn, &caller, &rules, &rr, &req))
        .await;
    let check = match result {
        Ok(c) => c,
        Err(e) if super::client(&e) => return refused(e, frame, form),
        Err(e) => return Err(PageError::in_frame(e, &frame)),
    };
    let lines = check
        .pool
        .lines
        .iter()
        .map(|l| CheckLine {
            what: line_text(lang, l.kind, l.model.as_deref(), l.requested as i32),
            ok: l.short == 0,
            text: if l.short == 0 {
                texts(
                    lang,
                    "web-book-check-free",
                    &[("n", &l.available.to_string())],
                )
            } else {
                texts(
                    lang,
                    "web-book-check-short",
                    &[("n", &l.available.to_string()), ("m", &l.short.to_string())],
                )
            },
        })
        .collect();
    let mut page = new_page_of(frame, form, &state);
    page.check = Some(lines);
    page.can_serve = check.pool.can_serve;
    page.show_motivation = page.show_motivation || check.past_guideline;
    render(&page)
}

#[derive(Template)]
#[template(path = "bookings/booking.html")]
pub struct BookingPage {
    pub frame: Frame,
    pub b: BookingView,
    pub received: bool,
    pub can_change: bool,
    pub can_cancel: bool,
    pub has_confirmation: bool,
    pub values: Values,
}
crate::page!(BookingPage);

impl BookingPage {
    pub fn v(&self, name: &str) -> String {
        value(&self.values, name)
    }

    pub fn line_value(&self, line_no: &i32) -> String {
        value(&self.values, &format!("line_{line_no}"))
    }
}

#[derive(Debug, Deserialize)]
pub struct BookingQuery {
    pub received: Option<String>,
    pub done: Option<String>,
}

fn allowed(status: bookings::BookingStatus, action: BookingAction) -> bool {
    bookings::states::allowed_from(action).contains(&status)
}

fn booking_page_of(
    frame: Frame,
    d: &bookings::BookingDetail,
    values: Option<Values>,
) -> BookingPage {
    let lang = frame.lang;
    let b = BookingView::of(lang, d);
    let status = d.booking.status;
    let values = values.unwrap_or_else(|| {
        let mut v = Values::new();
        v.insert("pickup_on".into(), b.pickup_iso.clone());
        v.insert("return_on".into(), b.return_iso.clone());
        for l in &b.lines {
            v.insert(format!("line_{}", l.line_no), l.quantity.to_string());
        }
        v
    });
    BookingPage {
        can_change: matches!(
            status,
            bookings::BookingStatus::Requested | bookings::BookingStatus::Confirmed
        ) && allowed(status, BookingAction::Change),
        can_cancel: allowed(status, BookingAction::Cancel),
        has_confirmation: allowed(status, BookingAction::PrintConfirmation),
        received: false,
        frame,
        b,
        values,
    }
}

#[get("/reservations/{id}")]
pub async fn booking_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<BookingQuery>,
) -> Result<HttpResponse, PageError> {
    let mut frame = Frame::signed_in(&viewer, "/reservations", "web-book-booking-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let rules = rules(&state);
    let d = state
        .db
        .read(move |conn| bookings::get(conn, &caller, &rules, &id))
        .await
        .in_frame(&frame)?;
    if let Some(done) = q.done.as_deref() {
        let key = match done {
            "cancelled" => "web-book-done-cancelled",
            _ => "web-book-done-changed",
        };
        frame = frame.clone().with_notice(frame.t(key));
    }
    let mut page = booking_page_of(frame, &d, None);
    page.received = q.received.is_some();
    render(&page)
}

#[post("/reservations/{id}/change")]
pub async fn change_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let frame = Frame::signed_in(&viewer, "/reservations", "web-book-booking-title");
    let lang = viewer.lang;
    let id = booking_id(&id).in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let rules = rules(&state);
    let rr = request_rules(&state);
    let read_id = id.clone();
    let read_caller = caller.clone();
    let d = state
        .db
        .read(move |conn| bookings::get(conn, &read_caller, &rules, &read_id))
        .await
        .in_frame(&frame)?;
    let mut patch = BookingPatch::default();
    let mut errors = Vec::new();
    for (name, current) in [
        ("pickup_on", d.booking.pickup_on),
        ("return_on", d.booking.return_on),
    ] {
        match value(&form, name).parse::<NaiveDate>() {
            Ok(new) if new != current => {
                if name == "pickup_on" {
                    patch.pickup_on = Some(new);
                } else {
                    patch.return_on = Some(new);
                }
            }
            Ok(_) => {}
            Err(_) => errors.push(FieldError::new(name, "choose a date")),
        }
    }
    for l in &d.lines {
        let name = format!("line_{}", l.line_no);
        match value(&form, &name).parse::<i32>() {
            Ok(q) if q != l.quantity => patch.quantities.push(QuantityChange {
                line_no: l.line_no,
                quantity: q,
            }),
            Ok(_) => {}
            Err(_) => errors.push(FieldError::new(name, "give a number")),
        }
    }
    let result = if !errors.is_empty() {
        Err(AppError::invalid_fields(errors))
    } else {
        state
            .db
            .write(move |conn| bookings::update(conn, &caller, &rules, &id, patch))
            .await
    };
    match result {
        Ok(d) => Ok(see_other(&format!(
            "/reservations/{}?done=changed",
            d.booking.id
        ))),
        Err(e) if super::client(&e) => {
            let lines: Vec<i32> = d.lines.iter().map(|l| l.line_no).collect();
            let field_of = |f: &FieldError| -> (String, Option<String>) {
                let p = f.field.as_str();
                if p.starts_with("line_") {
                    return (
                        p.to_string(),
                        Some(text(lang, "web-book-error-quantity-number")),
                    );
                }
                if let Some(rest) = p.strip_prefix("quantities[") {
                    let i: usize = rest
                        .split(']')
                        .next()
                        .and_then(|x| x.parse().ok())
                        .unwrap_or(0);
                    let no = lines.get(i).copied().unwrap_or(1);
                    return (
                        format!("line_{no}"),
                        Some(texts(
                            lang,
                            "web-book-error-quantity",
                            &[("n", &rr.max_per_kind.to_string())],
                        )),
                    );
                }
                match p {
                    "pickup_on" | "return_on" => (p.to_string(), None),
                    other => (other.to_string(), None),
                }
            };
            let Some(errs) = form_errors(&e, lang, &field_of) else {
                return Err(PageError::in_frame(e, &frame));
            };
            let status = if matches!(e, AppError::Conflict { .. }) {
                actix_web::http::StatusCode::CONFLICT
            } else {
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            let page = booking_page_of(frame.with_errors(errs), &d, Some(form));
            render_status(status, &page)
        }
        Err(e) => Err(PageError::in_frame(e, &frame)),
    }
}

#[post("/reservations/{id}/cancel")]
pub async fn cancel_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, .. } = posted;
    let frame = Frame::signed_in(&viewer, "/reservations", "web-book-booking-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let rules = rules(&state);
    let d = state
        .db
        .write(move |conn| bookings::cancel(conn, &caller, &rules, &id))
        .await
        .in_frame(&frame)?;
    Ok(see_other(&format!(
        "/reservations/{}?done=cancelled",
        d.booking.id
    )))
}

/// The booking confirmation for the school or organisation, in the page's language.
#[get("/reservations/{id}/confirmation.pdf")]
pub async fn confirmation_pdf(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/reservations", "web-book-booking-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let rules = rules(&state);
    let lang = viewer.lang;
    let (reference, data) = state
        .db
        .read(move |conn| {
            let d = bookings::for_confirmation(conn, &caller, &rules, &id)?;
            let data = crate::documents::facts::booking_confirmation(conn, &d, lang)?;
            Ok((d.booking.reference, data))
        })
        .await
        .in_frame(&frame)?;
    let bytes = web::block(move || crate::documents::booking_confirmation_pdf(&data))
        .await
        .map_err(AppError::internal)
        .in_frame(&frame)?
        .map_err(AppError::internal)
        .in_frame(&frame)?;
    Ok(super::desk::pdf(
        bytes,
        &format!("{reference}-confirmation.pdf"),
    ))
}
