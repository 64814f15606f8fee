//! The booking pages: schools and organisations see the pool's calendar, ask for a booking
//! (what is free is shown before the request is sent), and follow, change or cancel their
//! bookings (`/reservations`, [`requester`]); the lending service's staff answer the requests
//! in the order they came in, print the pick list, hand out and take back by scanning, and
//! reset what came back (`/desk`, [`desk`] and [`scanning`]). Every form calls the same domain
//! functions as the JSON API (`crate::domain::bookings`), which hold every rule.

pub mod desk;
pub mod requester;
pub mod scanning;

use std::collections::HashMap;

use actix_web::web;

use crate::domain::bookings::{BookingDetail, BookingStatus};
use crate::domain::devices::DeviceKind;
use crate::domain::ids::BookingId;
use crate::error::{AppError, FieldError};
use crate::i18n::Lang;
use crate::web::forms::{say, FieldProblem, FormErrors};
use crate::web::frame::{text, texts};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(requester::list_page)
        .service(requester::calendar_page)
        .service(requester::new_page)
        .service(requester::new_submit)
        .service(requester::booking_page)
        .service(requester::change_submit)
        .service(requester::cancel_submit)
        .service(requester::confirmation_pdf)
        .service(desk::desk_page)
        .service(desk::overdue_page)
        .service(desk::booking_page)
        .service(desk::confirm_submit)
        .service(desk::refuse_submit)
        .service(desk::pick_list_pdf)
        .service(desk::reset_submit)
        .service(scanning::pickup_page)
        .service(scanning::pickup_submit)
        .service(scanning::return_page)
        .service(scanning::return_submit);
}

/// A posted form, as sent.
pub type Values = HashMap<String, String>;

/// A value of a posted form, trimmed ("" when absent).
pub fn value(values: &Values, name: &str) -> String {
    values
        .get(name)
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

/// The kinds a school or organisation books.
pub const KINDS: [DeviceKind; 3] = [DeviceKind::Laptop, DeviceKind::Tablet, DeviceKind::Robot];

/// The name of a kind in the person's language (plural: "tablets").
pub fn kind_name(lang: Lang, kind: DeviceKind) -> String {
    text(lang, &format!("web-book-kind-{kind}"))
}

/// The name of a booking's status in the person's language.
pub fn status_name(lang: Lang, status: BookingStatus) -> String {
    text(
        lang,
        &format!("web-book-status-{}", status.as_str().replace('_', "-")),
    )
}

/// The booking named in a path; a malformed id names no booking (404).
pub fn booking_id(raw: &str) -> Result<BookingId, AppError> {
    crate::api::parse_id(raw, "The booking").map(BookingId::from)
}

/// Dates as people read them here: 14-01-2027.
pub fn day(d: chrono::NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// One line of a booking, as shown.
#[derive(Debug, Clone)]
pub struct LineView {
    pub line_no: i32,
    pub text: String,
    pub quantity: i32,
}

impl LineView {
    /// Its field on the change form.
    pub fn field(&self) -> String {
        format!("line_{}", self.line_no)
    }
}

/// The shown facts of a booking.
#[derive(Debug, Clone)]
pub struct BookingView {
    pub id: String,
    pub reference: String,
    pub organisation: String,
    pub status: String,
    pub status_code: String,
    pub pickup: String,
    pub pickup_iso: String,
    pub ret: String,
    pub return_iso: String,
    pub purpose: String,
    pub contact: String,
    pub note: String,
    pub refusal: Option<String>,
    pub received: String,
    pub overdue: bool,
    pub lines: Vec<LineView>,
    /// Devices held or out with it: (tag, kind, state).
    pub devices: Vec<(String, String, String)>,
}

impl BookingView {
    pub fn of(lang: Lang, d: &BookingDetail) -> BookingView {
        let b = &d.booking;
        let refusal = crate::domain::bookings::refusal_reason(b).map(str::to_string);
        BookingView {
            id: b.id.clone(),
            reference: b.reference.clone(),
            organisation: d.organisation_name.clone(),
            status: status_name(lang, b.status),
            status_code: b.status.as_str().to_string(),
            pickup: day(b.pickup_on),
            pickup_iso: b.pickup_on.to_string(),
            ret: day(b.return_on),
            return_iso: b.return_on.to_string(),
            purpose: b.purpose.clone(),
            contact: [
                Some(b.contact_name.clone()),
                b.contact_phone.clone(),
                b.contact_email.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
            note: if refusal.is_some() {
                String::new()
            } else {
                b.note.clone().unwrap_or_default()
            },
            refusal,
            received: b.created_at.format("%d-%m-%Y %H:%M").to_string(),
            overdue: d.overdue,
            lines: d
                .lines
                .iter()
                .map(|l| LineView {
                    line_no: l.line_no,
                    text: line_text(lang, l.kind, l.model.as_deref(), l.quantity),
                    quantity: l.quantity,
                })
                .collect(),
            devices: d
                .devices
                .iter()
                .filter(|(a, _)| a.state != crate::domain::bookings::AllocationState::Released)
                .map(|(a, dev)| {
                    (
                        dev.asset_tag.clone(),
                        kind_name(lang, dev.kind),
                        text(
                            lang,
                            &format!("web-book-device-{}", a.state.as_str().replace('_', "-")),
                        ),
                    )
                })
                .collect(),
        }
    }
}

/// "12 tablets (iPad)".
pub fn line_text(lang: Lang, kind: DeviceKind, model: Option<&str>, quantity: i32) -> String {
    let mut s = format!("{quantity} {}", kind_name(lang, kind));
    if let Some(m) = model {
        s.push_str(&format!(" ({m})"));
    }
    s
}

/// The errors of a refused form, each on the form's own field, in the person's language:
/// `field_of` maps the domain's field path to the form's field and says it in words.
pub fn form_errors(
    e: &AppError,
    lang: Lang,
    field_of: &dyn Fn(&FieldError) -> (String, Option<String>),
) -> Option<FormErrors> {
    match e {
        AppError::Validation { errors, .. } | AppError::BadRequestFields { errors, .. } => {
            Some(FormErrors {
                items: errors
                    .iter()
                    .map(|f| {
                        let (field, message) = field_of(f);
                        FieldProblem {
                            field,
                            message: message.unwrap_or_else(|| say(lang, &f.message)),
                            label: None,
                        }
                    })
                    .collect(),
                general: None,
            })
        }
        other => FormErrors::of(other, lang),
    }
}

/// Whether the domain refused what was asked (the form comes back), rather than failed.
pub fn client(e: &AppError) -> bool {
    use actix_web::ResponseError;
    e.status_code().is_client_error()
}

/// "n van m" in the person's language.
pub fn n_of_m(lang: Lang, n: i64, m: i64) -> String {
    texts(
        lang,
        "web-book-n-of-m",
        &[("n", &n.to_string()), ("m", &m.to_string())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bookings::AllocationState;
    use crate::i18n::has;

    /// The keys the booking pages build at run time are in the catalogue.
    #[test]
    fn every_text_the_booking_pages_build_is_in_the_catalogue() {
        let mut keys: Vec<String> = Vec::new();
        for s in BookingStatus::ALL {
            keys.push(format!("web-book-status-{}", s.as_str().replace('_', "-")));
        }
        for a in AllocationState::ALL {
            keys.push(format!("web-book-device-{}", a.as_str().replace('_', "-")));
        }
        for k in KINDS {
            keys.push(format!("web-book-kind-{k}"));
        }
        for c in crate::domain::bookings::ReturnCondition::ALL {
            keys.push(format!("web-book-condition-{c}"));
        }
        for lang in Lang::ALL.iter() {
            let missing: Vec<&String> = keys.iter().filter(|k| !has(*lang, k)).collect();
            assert!(missing.is_empty(), "{lang:?}: {missing:#?}");
        }
    }
}
