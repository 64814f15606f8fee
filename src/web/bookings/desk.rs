//! The lending service's desk (`/desk`): the inbox of requests in the order they came in, the
//! bookings to hand out and those out, a booking's page (confirm with its allocation, refuse
//! with a reason, the pick list, the way to the pick-up and return desks, the reset of what
//! came back), and the overdue bookings.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{booking_id, client, day, line_text, status_name, value, BookingView, Values};
use crate::domain::availability::Rules;
use crate::domain::bookings::{self, BookingAction, BookingFilter, BookingStatus, RequestRules};
use crate::error::AppError;
use crate::startup::AppState;
use crate::web::forms::{FormErrors, Posted};
use crate::web::frame::{render_status, see_other, text, texts, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Viewer};

fn rules(state: &AppState) -> Rules {
    Rules::from_config(&state.config)
}

/// A PDF shown in the browser, named.
pub fn pdf(bytes: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}\""),
        ))
        .body(bytes)
}

/// One booking in a list of the desk.
#[derive(Debug, Clone)]
pub struct DeskLine {
    pub id: String,
    pub reference: String,
    pub organisation: String,
    pub dates: String,
    pub what: String,
    pub received: String,
    pub status: String,
    pub overdue: bool,
}

fn desk_line(lang: crate::i18n::Lang, d: &bookings::BookingDetail) -> DeskLine {
    DeskLine {
        id: d.booking.id.clone(),
        reference: d.booking.reference.clone(),
        organisation: d.organisation_name.clone(),
        dates: format!(
            "{} – {}",
            day(d.booking.pickup_on),
            day(d.booking.return_on)
        ),
        what: d
            .lines
            .iter()
            .map(|l| line_text(lang, l.kind, l.model.as_deref(), l.quantity))
            .collect::<Vec<_>>()
            .join(", "),
        received: d.booking.created_at.format("%d-%m-%Y %H:%M").to_string(),
        status: status_name(lang, d.booking.status),
        overdue: d.overdue,
    }
}

#[derive(Template)]
#[template(path = "bookings/desk.html")]
pub struct DeskPage {
    pub frame: Frame,
    pub inbox: Vec<DeskLine>,
    pub to_hand_out: Vec<DeskLine>,
    pub out: Vec<DeskLine>,
}
crate::page!(DeskPage);

impl DeskPage {
    pub fn lists(&self) -> Vec<(&'static str, &'static str, &Vec<DeskLine>)> {
        vec![
            ("inbox", "web-book-desk-inbox", &self.inbox),
            ("hand-out", "web-book-desk-hand-out", &self.to_hand_out),
            ("out", "web-book-desk-out", &self.out),
        ]
    }
}

#[get("/desk")]
pub async fn desk_page(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/desk", "web-book-desk-title");
    let lang = viewer.lang;
    let caller = viewer.caller.clone();
    let rules = rules(&state);
    let (inbox, lists) = state
        .db
        .read(move |conn| {
            let inbox = bookings::inbox(conn, &caller, &rules)?;
            let mut lists = Vec::new();
            for statuses in [
                vec![BookingStatus::Confirmed],
                vec![BookingStatus::PickedUp, BookingStatus::PartiallyReturned],
            ] {
                let mut out = Vec::new();
                for s in statuses {
                    let f = BookingFilter {
                        status: Some(s),
                        ..BookingFilter::default()
                    };
                    let (rows, _) = bookings::list(conn, &caller, &f, 200, None)?;
                    for b in rows {
                        let id = crate::domain::ids::BookingId::from(b.id);
                        out.push(bookings::get(conn, &caller, &rules, &id)?);
                    }
                }
                lists.push(out);
            }
            Ok((inbox, lists))
        })
        .await
        .in_frame(&frame)?;
    let mut lists = lists.into_iter();
    let mut next = || -> Vec<DeskLine> {
        lists
            .next()
            .unwrap_or_default()
            .iter()
            .map(|d| desk_line(lang, d))
            .collect()
    };
    let to_hand_out = next();
    let out = next();
    render(&DeskPage {
        inbox: inbox.iter().map(|d| desk_line(lang, d)).collect(),
        to_hand_out,
        out,
        frame,
    })
}

#[derive(Template)]
#[template(path = "bookings/overdue.html")]
pub struct OverduePage {
    pub frame: Frame,
    pub bookings: Vec<(DeskLine, Vec<String>)>,
}
crate::page!(OverduePage);

#[get("/desk/overdue")]
pub async fn overdue_page(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/desk", "web-book-overdue-title");
    let lang = viewer.lang;
    let caller = viewer.caller.clone();
    let rules = rules(&state);
    let list = state
        .db
        .read(move |conn| bookings::overdue(conn, &caller, &rules))
        .await
        .in_frame(&frame)?;
    let bookings = list
        .iter()
        .map(|d| {
            let out = d
                .devices
                .iter()
                .filter(|(a, _)| a.state == bookings::AllocationState::PickedUp)
                .map(|(_, dev)| dev.asset_tag.clone())
                .collect();
            (desk_line(lang, d), out)
        })
        .collect();
    render(&OverduePage { frame, bookings })
}

#[derive(Template)]
#[template(path = "bookings/desk_booking.html")]
pub struct DeskBookingPage {
    pub frame: Frame,
    pub b: BookingView,
    pub guideline: String,
    pub past_guideline: bool,
    pub can_confirm: bool,
    pub can_pick_list: bool,
    pub can_hand_out: bool,
    pub can_take_back: bool,
    pub waiting_for_reset: usize,
    pub reason: String,
}
crate::page!(DeskBookingPage);

async fn desk_booking(
    viewer: &Viewer,
    state: &AppState,
    id: crate::domain::ids::BookingId,
    frame: Frame,
    status: StatusCode,
    reason: String,
) -> Result<HttpResponse, PageError> {
    let lang = viewer.lang;
    let caller = viewer.caller.clone();
    let rules = rules(state);
    let rr = RequestRules::from_config(&state.config);
    let (d, used, waiting) = state
        .db
        .read(move |conn| {
            let d = bookings::get(conn, &caller, &rules, &id)?;
            let used = bookings::year_use(
                conn,
                &d.booking.organisation_id,
                chrono::Datelike::year(&d.booking.pickup_on),
                Some(&d.booking.id),
            )?;
            let waiting = bookings::waiting_for_reset(conn, &caller, &id)?;
            Ok((d, used, waiting))
        })
        .await
        .in_frame(&frame)?;
    let s = d.booking.status;
    let allowed = |a: BookingAction| bookings::states::allowed_from(a).contains(&s);
    let days = (d.booking.return_on - d.booking.pickup_on).num_days() + 1;
    let page = DeskBookingPage {
        guideline: texts(
            lang,
            "web-book-desk-year-use",
            &[
                ("n", &used.bookings.to_string()),
                ("m", &((used.days + 6) / 7).to_string()),
            ],
        ),
        past_guideline: rr.past_guideline(used, days),
        can_confirm: allowed(BookingAction::Confirm),
        can_pick_list: !bookings::devices_to_pick(&d).is_empty(),
        can_hand_out: allowed(BookingAction::PickUp),
        can_take_back: allowed(BookingAction::Return),
        waiting_for_reset: waiting.len(),
        b: BookingView::of(lang, &d),
        reason,
        frame,
    };
    render_status(status, &page)
}

#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    pub done: Option<String>,
}

/// The notice after a step of the desk that went through.
fn done_notice(frame: Frame, done: Option<&str>) -> Frame {
    let key = match done {
        Some("confirmed") => "web-book-desk-done-confirmed",
        Some("refused") => "web-book-desk-done-refused",
        Some("handed-out") => "web-book-desk-done-handed-out",
        Some("returned") => "web-book-desk-done-returned",
        Some("reset") => "web-book-desk-done-reset",
        _ => return frame,
    };
    let notice = frame.t(key);
    frame.with_notice(notice)
}

#[get("/desk/{id}")]
pub async fn booking_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/desk", "web-book-booking-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let frame = done_notice(frame, q.done.as_deref());
    desk_booking(&viewer, &state, id, frame, StatusCode::OK, String::new()).await
}

/// A refusal of a step on the booking's page: the reason at the top, the page again.
async fn refused_step(
    viewer: &Viewer,
    state: &AppState,
    id: crate::domain::ids::BookingId,
    e: AppError,
    reason: String,
) -> Result<HttpResponse, PageError> {
    let lang = viewer.lang;
    let frame = Frame::signed_in(viewer, "/desk", "web-book-booking-title");
    let errors = match &e {
        AppError::Conflict { extra, .. } if extra.get("shortages").is_some() => {
            let short: Vec<String> = extra
                .get("shortages")
                .and_then(|s| s.as_array())
                .map(|list| {
                    list.iter()
                        .map(|s| {
                            let kind = s["kind"]
                                .as_str()
                                .and_then(|k| k.parse().ok())
                                .map(|k| super::kind_name(lang, k))
                                .unwrap_or_default();
                            texts(
                                lang,
                                "web-book-desk-short-kind",
                                &[
                                    ("name", &kind),
                                    ("n", &s["requested"].to_string()),
                                    ("m", &s["available"].to_string()),
                                ],
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            FormErrors::general(format!(
                "{} {}",
                text(lang, "web-book-desk-not-enough"),
                short.join("; ")
            ))
        }
        AppError::Validation { errors, .. } if errors.iter().any(|f| f.field == "reason") => {
            FormErrors::one("reason", text(lang, "web-book-desk-reason-needed"))
        }
        other => match FormErrors::of(other, lang) {
            Some(f) => f,
            None => return Err(PageError::in_frame(e, &frame)),
        },
    };
    let status = if matches!(e, AppError::Conflict { .. }) {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    desk_booking(viewer, state, id, frame.with_errors(errors), status, reason).await
}

#[post("/desk/{id}/confirm")]
pub async fn confirm_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, .. } = posted;
    let frame = Frame::signed_in(&viewer, "/desk", "web-book-booking-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let rules = rules(&state);
    let bid = id.clone();
    match state
        .db
        .write(move |conn| bookings::confirm(conn, &caller, &rules, &bid))
        .await
    {
        Ok(d) => Ok(see_other(&format!("/desk/{}?done=confirmed", d.booking.id))),
        Err(e) if client(&e) => refused_step(&viewer, &state, id, e, String::new()).await,
        Err(e) => Err(PageError::in_frame(e, &frame)),
    }
}

#[post("/desk/{id}/refuse")]
pub async fn refuse_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let frame = Frame::signed_in(&viewer, "/desk", "web-book-booking-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let rules = rules(&state);
    let reason = value(&form, "reason");
    let (bid, typed) = (id.clone(), reason.clone());
    match state
        .db
        .write(move |conn| bookings::refuse(conn, &caller, &rules, &bid, &typed))
        .await
    {
        Ok(d) => Ok(see_other(&format!("/desk/{}?done=refused", d.booking.id))),
        Err(e) if client(&e) => refused_step(&viewer, &state, id, e, reason).await,
        Err(e) => Err(PageError::in_frame(e, &frame)),
    }
}

#[post("/desk/{id}/reset")]
pub async fn reset_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, .. } = posted;
    let frame = Frame::signed_in(&viewer, "/desk", "web-book-booking-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let bid = id.clone();
    match state
        .db
        .write(move |conn| bookings::reset_returned(conn, &caller, &bid))
        .await
    {
        Ok(_) => Ok(see_other(&format!("/desk/{}?done=reset", id.as_str()))),
        Err(e) if client(&e) => refused_step(&viewer, &state, id, e, String::new()).await,
        Err(e) => Err(PageError::in_frame(e, &frame)),
    }
}

/// The pick list for staff, in the page's language.
#[get("/desk/{id}/pick-list.pdf")]
pub async fn pick_list_pdf(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/desk", "web-book-booking-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let rules = rules(&state);
    let lang = viewer.lang;
    let base = state.config.public_base_url.clone();
    let d = state
        .db
        .read(move |conn| bookings::for_pick_list(conn, &caller, &rules, &id))
        .await
        .in_frame(&frame)?;
    let data = crate::documents::facts::pick_list(&d, lang, &base).in_frame(&frame)?;
    let name = format!("{}-pick-list.pdf", d.booking.reference);
    let bytes = web::block(move || crate::documents::pick_list_pdf(&data))
        .await
        .map_err(AppError::internal)
        .in_frame(&frame)?
        .map_err(AppError::internal)
        .in_frame(&frame)?;
    Ok(pdf(bytes, &name))
}
