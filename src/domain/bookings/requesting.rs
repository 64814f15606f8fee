//! Asking for a booking: the request, the date rules, and what the pool can serve (nothing is
//! held until the lending service confirms).

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use validator::Validate;

use super::allocation::plan;
use super::{detail_of, pool_devices_by_tag, BookingDetail, BookingStatus};
use crate::auth::{Caller, Perm};
use crate::db::models::{BookingLineRow, BookingRow, DeviceRow};
use crate::db::schema::{booking_lines, bookings, organisations};
use crate::db::{next_counter, now, DbConn};
use crate::domain::accounts::new_id;
use crate::domain::availability::Rules;
use crate::domain::devices::DeviceKind;
use crate::domain::ids::OrganisationId;
use crate::domain::limits::{self, Window};
use crate::error::{AppError, AppResult, FieldError};

#[derive(Debug, Clone, Validate)]
pub struct Contact {
    #[validate(length(min = 1, max = 200, message = "is required (1 to 200 characters)"))]
    pub name: String,
    #[validate(length(min = 6, max = 40, message = "must be 6 to 40 characters"))]
    pub phone: Option<String>,
    #[validate(email)]
    pub email: Option<String>,
}

/// A kind of device and how many.
// `Serialize` only because validator's `nested` check of a list needs it.
#[derive(Debug, Clone, Validate, serde::Serialize)]
pub struct LineRequest {
    pub kind: DeviceKind,
    #[validate(range(min = 1, max = 500, message = "must be between 1 and 500"))]
    pub quantity: i32,
    /// For peripherals: beamer, vr_headset, headphones, ...
    #[validate(length(min = 1, max = 60))]
    pub subtype: Option<String>,
    /// Only this model (case-insensitive).
    #[validate(length(min = 1, max = 100))]
    pub model: Option<String>,
}

/// A booking request.
#[derive(Debug, Clone, Validate)]
pub struct NewBooking {
    /// The borrowing organisation. Requesters book for their own (the default); lending staff
    /// and admins for any.
    pub organisation_id: Option<OrganisationId>,
    pub pickup_on: NaiveDate,
    pub return_on: NaiveDate,
    #[validate(length(min = 1, max = 2000, message = "is required (1 to 2000 characters)"))]
    pub purpose: String,
    #[validate(nested)]
    pub contact: Contact,
    #[validate(nested, length(max = crate::domain::limits::MAX_LINES))]
    pub lines: Vec<LineRequest>,
    /// Specific devices, by asset tag.
    #[validate(length(max = crate::domain::limits::MAX_DEVICES))]
    pub devices: Vec<String>,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Whether the pool can serve one line of a booking over its days, at the time of asking.
#[derive(Debug, Clone)]
pub struct LineAvailability {
    pub line_no: i32,
    pub kind: DeviceKind,
    pub subtype: Option<String>,
    pub model: Option<String>,
    pub requested: i64,
    /// Devices free for the booking's days (after the other lines took theirs).
    pub available: i64,
    /// How many are missing: requested minus available, at least 0.
    pub short: i64,
}

/// The pool's answer to a request, before the lending service confirms it.
#[derive(Debug, Clone)]
pub struct PoolCheck {
    /// True when every line can be served in full today.
    pub can_serve: bool,
    pub lines: Vec<LineAvailability>,
}

/// Checks the date rules; `pickup_changed` says whether the pick-up date is being set now.
pub(super) fn check_dates(
    rules: &Rules,
    pickup: NaiveDate,
    ret: NaiveDate,
    pickup_changed: bool,
) -> AppResult<()> {
    limits::dates(&[
        ("pickup_on", Some(pickup), Window::Plan),
        ("return_on", Some(ret), Window::Plan),
    ])?;
    let mut errors = Vec::new();
    if pickup_changed && pickup < rules.today {
        errors.push(FieldError::new(
            "pickup_on",
            format!("is in the past (today is {})", rules.today),
        ));
    }
    if ret < pickup {
        errors.push(FieldError::new("return_on", "must not be before pickup_on"));
    } else if (ret - pickup).num_days() > rules.max_days {
        errors.push(FieldError::new(
            "return_on",
            format!("a booking may last at most {} days", rules.max_days),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid_fields(errors))
    }
}

fn next_reference(conn: &mut DbConn, year: i32) -> AppResult<String> {
    let n = next_counter(conn, &format!("booking_seq_{year}"), 1)?;
    Ok(format!("RES-{year}-{n:04}"))
}

pub(super) fn insert_lines(
    conn: &mut DbConn,
    booking_id: &str,
    first_no: i32,
    lines: &[LineRequest],
    specific: &[DeviceRow],
) -> AppResult<Vec<BookingLineRow>> {
    let mut rows = Vec::new();
    let mut no = first_no;
    for l in lines {
        rows.push(BookingLineRow {
            id: new_id(),
            booking_id: booking_id.to_string(),
            line_no: no,
            kind: l.kind,
            subtype: l.subtype.as_ref().map(|s| s.trim().to_string()),
            model: l.model.as_ref().map(|s| s.trim().to_string()),
            device_id: None,
            quantity: l.quantity,
        });
        no += 1;
    }
    for d in specific {
        rows.push(BookingLineRow {
            id: new_id(),
            booking_id: booking_id.to_string(),
            line_no: no,
            kind: d.kind,
            subtype: d.subtype.clone(),
            model: Some(d.model.clone()),
            device_id: Some(d.id.clone()),
            quantity: 1,
        });
        no += 1;
    }
    for r in &rows {
        diesel::insert_into(booking_lines::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(rows)
}

/// The checks every request passes before anything is written; the organisation it is for.
fn checked_request(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    req: &NewBooking,
) -> AppResult<String> {
    caller.require(Perm::RequestBookings)?;
    req.validate()?;
    check_dates(rules, req.pickup_on, req.return_on, true)?;
    if req.lines.is_empty() && req.devices.is_empty() {
        return Err(AppError::invalid(
            "lines",
            "ask for at least one kind of device or one device",
        ));
    }
    if req.contact.phone.is_none() && req.contact.email.is_none() {
        return Err(AppError::invalid(
            "contact",
            "give a phone number or an e-mail address",
        ));
    }
    let org = match req.organisation_id.clone().map(OrganisationId::into_string) {
        None => caller.organisation_id.clone(),
        Some(o) if caller.can(Perm::ManageBookings) || o == caller.organisation_id => o,
        Some(_) => {
            return Err(AppError::Forbidden(
                "A requester books for their own organisation only.".into(),
            ))
        }
    };
    let exists: i64 = organisations::table.find(&org).count().get_result(conn)?;
    if exists == 0 {
        return Err(AppError::invalid(
            "organisation_id",
            "no organisation has this id",
        ));
    }
    Ok(org)
}

/// Records a booking request.
pub fn create(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    req: NewBooking,
) -> AppResult<BookingDetail> {
    let org = checked_request(conn, caller, rules, &req)?;
    let specific = pool_devices_by_tag(conn, caller, &req.devices, "devices")?;
    let at = now();
    let row = BookingRow {
        id: new_id(),
        reference: next_reference(conn, req.pickup_on.year())?,
        organisation_id: org,
        requested_by: caller.user_id.clone(),
        status: BookingStatus::Requested,
        pickup_on: req.pickup_on,
        return_on: req.return_on,
        purpose: req.purpose.trim().to_string(),
        contact_name: req.contact.name.trim().to_string(),
        contact_phone: req.contact.phone,
        contact_email: req.contact.email,
        note: req.note,
        confirmed_by: None,
        confirmed_at: None,
        picked_up_at: None,
        returned_at: None,
        cancelled_at: None,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    diesel::insert_into(bookings::table)
        .values(&row)
        .execute(conn)?;
    let lines = insert_lines(conn, &row.id, 1, &req.lines, &specific)?;
    let check = pool_check(conn, rules, &row, &lines)?;
    let mut detail = detail_of(conn, rules, row)?;
    detail.pool_check = Some(check);
    Ok(detail)
}

/// Whether the pool can serve these lines over the booking's days now (nothing is held).
pub(super) fn pool_check(
    conn: &mut DbConn,
    rules: &Rules,
    booking: &BookingRow,
    lines: &[BookingLineRow],
) -> AppResult<PoolCheck> {
    let plan = plan(conn, rules, booking, lines, &HashSet::new())?;
    let lines: Vec<LineAvailability> = lines
        .iter()
        .map(|l| {
            let requested = if l.device_id.is_some() {
                1
            } else {
                i64::from(l.quantity.max(0))
            };
            let available = plan.got.get(&l.line_no).copied().unwrap_or(0);
            LineAvailability {
                line_no: l.line_no,
                kind: l.kind,
                subtype: l.subtype.clone(),
                model: l.model.clone(),
                requested,
                available,
                short: (requested - available).max(0),
            }
        })
        .collect();
    Ok(PoolCheck {
        can_serve: lines.iter().all(|l| l.short == 0),
        lines,
    })
}

/// The lending service's own rules for a request by a school or organisation (Ghent's
/// published rules by default, settings in `config`): notice before the pick-up, the longest
/// booking, a maximum per kind, and a yearly guideline per organisation beyond which a request
/// needs a motivation (and the staff's approval, which confirming is). Lending staff and
/// admins, who book on someone's behalf, are not held to them.
#[derive(Debug, Clone, Copy)]
pub struct RequestRules {
    pub notice_days: i64,
    pub longest_days: i64,
    pub max_per_kind: i64,
    pub guideline_bookings: i64,
    pub guideline_weeks: i64,
}

impl RequestRules {
    pub fn from_config(cfg: &crate::config::Config) -> RequestRules {
        RequestRules {
            notice_days: cfg.booking_notice_days,
            longest_days: cfg.booking_request_max_days,
            max_per_kind: cfg.booking_max_per_kind,
            guideline_bookings: cfg.booking_guideline_bookings,
            guideline_weeks: cfg.booking_guideline_weeks,
        }
    }
}

/// An organisation's bookings in a calendar year (not cancelled): how many, and their days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct YearUse {
    pub bookings: i64,
    pub days: i64,
}

/// The days a booking lasts, both ends counted.
fn days_of(pickup: NaiveDate, ret: NaiveDate) -> i64 {
    (ret - pickup).num_days() + 1
}

/// What an organisation booked in `year` (by pick-up date), leaving out `except`.
pub fn year_use(
    conn: &mut DbConn,
    organisation_id: &str,
    year: i32,
    except: Option<&str>,
) -> AppResult<YearUse> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(YearUse::default());
    };
    let rows: Vec<(String, NaiveDate, NaiveDate)> = bookings::table
        .filter(bookings::organisation_id.eq(organisation_id))
        .filter(bookings::status.ne(BookingStatus::Cancelled))
        .filter(bookings::pickup_on.ge(first))
        .filter(bookings::pickup_on.le(last))
        .select((bookings::id, bookings::pickup_on, bookings::return_on))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(id, _, _)| Some(id.as_str()) != except)
        .fold(YearUse::default(), |u, (_, p, r)| YearUse {
            bookings: u.bookings + 1,
            days: u.days + days_of(p, r),
        }))
}

impl RequestRules {
    /// Whether `used` plus one booking of `days` goes past the yearly guideline.
    pub fn past_guideline(&self, used: YearUse, days: i64) -> bool {
        used.bookings + 1 > self.guideline_bookings || used.days + days > self.guideline_weeks * 7
    }
}

/// The answer to a request before it is sent: what the pool can serve, and where the
/// organisation stands against the yearly guideline.
#[derive(Debug, Clone)]
pub struct RequestCheck {
    pub pool: PoolCheck,
    /// This year's bookings of the organisation before this one.
    pub used: YearUse,
    /// True when this request goes past the guideline (it then needs a motivation).
    pub past_guideline: bool,
}

/// The field errors of the lending service's own rules for `req` by a requester.
fn service_rule_errors(rules: &Rules, rr: &RequestRules, req: &NewBooking) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let earliest = rules.today + chrono::Duration::days(rr.notice_days);
    if req.pickup_on < earliest {
        errors.push(FieldError::new(
            "pickup_on",
            format!(
                "ask at least {} days before the pick-up: the earliest pick-up date is {earliest}",
                rr.notice_days
            ),
        ));
    }
    if req.return_on >= req.pickup_on && days_of(req.pickup_on, req.return_on) > rr.longest_days {
        errors.push(FieldError::new(
            "return_on",
            format!("a booking lasts at most {} days", rr.longest_days),
        ));
    }
    let mut per_kind: Vec<(DeviceKind, i64)> = Vec::new();
    for l in &req.lines {
        match per_kind.iter_mut().find(|(k, _)| *k == l.kind) {
            Some((_, n)) => *n += i64::from(l.quantity),
            None => per_kind.push((l.kind, i64::from(l.quantity))),
        }
    }
    for (kind, n) in per_kind {
        if n > rr.max_per_kind {
            let i = req.lines.iter().rposition(|l| l.kind == kind).unwrap_or(0);
            errors.push(FieldError::new(
                format!("lines[{i}].quantity"),
                format!(
                    "at most {} devices of one kind per booking",
                    rr.max_per_kind
                ),
            ));
        }
    }
    errors
}

/// Checks a request as it would be sent, without writing anything: every rule `create`
/// applies, the lending service's own rules for requesters, what the pool can serve now, and
/// whether the request goes past the yearly guideline (then [`request`] needs a motivation).
pub fn check_request(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    rr: &RequestRules,
    req: &NewBooking,
) -> AppResult<RequestCheck> {
    let org = checked_request(conn, caller, rules, req)?;
    let used = year_use(conn, &org, req.pickup_on.year(), None)?;
    let staff = caller.can(Perm::ManageBookings);
    let past_guideline = !staff && rr.past_guideline(used, days_of(req.pickup_on, req.return_on));
    if !staff {
        let errors = service_rule_errors(rules, rr, req);
        if !errors.is_empty() {
            return Err(AppError::invalid_fields(errors));
        }
    }
    let specific = pool_devices_by_tag(conn, caller, &req.devices, "devices")?;
    let at = now();
    let row = BookingRow {
        id: new_id(),
        reference: String::new(),
        organisation_id: org,
        requested_by: caller.user_id.clone(),
        status: BookingStatus::Requested,
        pickup_on: req.pickup_on,
        return_on: req.return_on,
        purpose: req.purpose.clone(),
        contact_name: req.contact.name.clone(),
        contact_phone: None,
        contact_email: None,
        note: None,
        confirmed_by: None,
        confirmed_at: None,
        picked_up_at: None,
        returned_at: None,
        cancelled_at: None,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    let mut lines = Vec::new();
    for (i, l) in req.lines.iter().enumerate() {
        lines.push(BookingLineRow {
            id: new_id(),
            booking_id: row.id.clone(),
            line_no: i as i32 + 1,
            kind: l.kind,
            subtype: l.subtype.clone(),
            model: l.model.clone(),
            device_id: None,
            quantity: l.quantity,
        });
    }
    for d in &specific {
        lines.push(BookingLineRow {
            id: new_id(),
            booking_id: row.id.clone(),
            line_no: lines.len() as i32 + 1,
            kind: d.kind,
            subtype: d.subtype.clone(),
            model: Some(d.model.clone()),
            device_id: Some(d.id.clone()),
            quantity: 1,
        });
    }
    let pool = pool_check(conn, rules, &row, &lines)?;
    Ok(RequestCheck {
        pool,
        used,
        past_guideline,
    })
}

/// Sends a request: [`check_request`] first (a requester's request past the yearly guideline
/// needs its motivation, kept as the booking's note for the staff who approve it), then
/// [`create`]. Requests are handled in the order they came in (`queries::inbox`).
pub fn request(
    conn: &mut DbConn,
    caller: &Caller,
    rules: &Rules,
    rr: &RequestRules,
    mut req: NewBooking,
    motivation: Option<String>,
) -> AppResult<BookingDetail> {
    let motivation = motivation.filter(|m| !m.trim().is_empty());
    let check = check_request(conn, caller, rules, rr, &req)?;
    if check.past_guideline && motivation.is_none() {
        return Err(AppError::invalid(
            "motivation",
            format!(
                "your organisation is past the yearly guideline ({} bookings or {} weeks): say why you need this booking",
                rr.guideline_bookings, rr.guideline_weeks
            ),
        ));
    }
    if let Some(m) = motivation {
        req.note = Some(match req.note.take().filter(|n| !n.trim().is_empty()) {
            Some(n) => format!("{n}\n{}", m.trim()),
            None => m.trim().to_string(),
        });
    }
    create(conn, caller, rules, req)
}
