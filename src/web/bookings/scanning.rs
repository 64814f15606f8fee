//! The pick-up desk (`/desk/{id}/pickup`) and the return desk (`/desk/{id}/return`): tags
//! scanned one after another into one field (a handheld scanner types the tag or the label's
//! URL and presses Enter); each scan is answered at once, with the count against what was
//! allocated per kind, and the sound and focus of the workshop's batch page (`data-beep`,
//! `data-keep-focus` in `static/app.js`). What was scanned is kept in a cookie of the desk's
//! pages (asset tags, kinds and the conditions typed; no personal data) until the hand-over or
//! the return is recorded in one go by the domain (`bookings::pickup`, `return_devices`,
//! `write_off`), which checks it all again.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use base64::Engine;

use super::{booking_id, client, kind_name, n_of_m, value, Values};
use crate::domain::availability::Rules;
use crate::domain::bookings::{
    self, AllocationState, BookingDetail, PickupRequest, ReturnCondition, ReturnItem,
    ReturnRequest, WriteOffRequest,
};
use crate::domain::devices::DeviceKind;
use crate::domain::ids::BookingId;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::forms::{say, FormErrors, Posted};
use crate::web::frame::{render_status, see_other, text, texts, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Viewer};

const PICKUP_COOKIE: &str = "dl_pickup";
const RETURN_COOKIE: &str = "dl_return";
/// Scans kept at one desk.
const KEEP: usize = 500;

fn rules(state: &AppState) -> Rules {
    Rules::from_config(&state.config)
}

/// One device scanned at a desk.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Scan {
    tag: String,
    device_id: String,
    kind: String,
    /// Pick-up: "1" for a substitute. Return: the condition.
    extra: String,
    /// Return: the accessories missing.
    missing: String,
}

/// The scans of one booking at one desk.
#[derive(Debug, Clone, Default)]
struct Desk {
    booking_id: String,
    scans: Vec<Scan>,
}

fn clean(s: &str, max: usize) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect::<String>()
        .trim()
        .to_string()
}

impl Desk {
    fn encode(&self) -> String {
        let mut pairs = vec![("b".to_string(), self.booking_id.clone())];
        for s in &self.scans {
            pairs.push((
                "s".into(),
                [&s.tag, &s.device_id, &s.kind, &s.extra, &s.missing]
                    .iter()
                    .map(|x| x.replace('~', " "))
                    .collect::<Vec<_>>()
                    .join("~"),
            ));
        }
        let text = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    }

    fn decode(raw: &str) -> Desk {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(raw)
            .unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        let mut desk = Desk::default();
        for (k, v) in pairs {
            if k == "b" {
                desk.booking_id = clean(&v, 40);
            } else if k == "s" {
                let parts: Vec<&str> = v.splitn(5, '~').collect();
                if parts.len() == 5 {
                    desk.scans.push(Scan {
                        tag: clean(parts[0], 40),
                        device_id: clean(parts[1], 40),
                        kind: clean(parts[2], 20),
                        extra: clean(parts[3], 20),
                        missing: clean(parts[4], 200),
                    });
                }
            }
        }
        desk.scans.truncate(KEEP);
        desk
    }

    /// The scans of booking `id` kept in `cookie` (none when the cookie is of another booking).
    fn of(req: &HttpRequest, cookie: &str, id: &BookingId) -> Desk {
        let desk = req
            .cookie(cookie)
            .map(|c| Desk::decode(c.value()))
            .unwrap_or_default();
        if desk.booking_id == id.as_str() {
            desk
        } else {
            Desk {
                booking_id: id.as_str().to_string(),
                scans: Vec::new(),
            }
        }
    }

    fn cookie(&self, name: &'static str, state: &AppState) -> Cookie<'static> {
        Cookie::build(name, self.encode())
            .path(format!("/desk/{}", self.booking_id))
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.config.is_https())
            .finish()
    }
}

/// The answer to the last scan.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub ok: bool,
    pub tag: String,
    pub text: String,
}

/// The count of one kind at a desk: "5 of 12 tablets".
#[derive(Debug, Clone)]
pub struct KindCount {
    pub kind: String,
    pub count: String,
    pub done: bool,
}

/// A device on a desk's list.
#[derive(Debug, Clone)]
pub struct DeskDevice {
    pub tag: String,
    pub kind: String,
    pub note: String,
    pub condition: String,
    pub missing: String,
}

#[derive(Template)]
#[template(path = "bookings/pickup.html")]
pub struct PickupPage {
    pub frame: Frame,
    pub id: String,
    pub reference: String,
    pub organisation: String,
    pub last: Option<Outcome>,
    pub counts: Vec<KindCount>,
    pub scanned: Vec<DeskDevice>,
    /// Allocated devices not scanned yet.
    pub waiting: Vec<DeskDevice>,
}
crate::page!(PickupPage);

/// Per kind: how many the booking asked for, in the order of its lines.
fn wanted_per_kind(d: &BookingDetail) -> Vec<(DeviceKind, i64)> {
    let mut out: Vec<(DeviceKind, i64)> = Vec::new();
    for l in &d.lines {
        match out.iter_mut().find(|(k, _)| *k == l.kind) {
            Some((_, n)) => *n += i64::from(l.quantity),
            None => out.push((l.kind, i64::from(l.quantity))),
        }
    }
    out
}

fn counts_of(lang: Lang, d: &BookingDetail, scans: &[Scan]) -> Vec<KindCount> {
    wanted_per_kind(d)
        .into_iter()
        .map(|(kind, m)| {
            let n = scans.iter().filter(|s| s.kind == kind.as_str()).count() as i64;
            KindCount {
                kind: kind_name(lang, kind),
                count: n_of_m(lang, n, m),
                done: n >= m,
            }
        })
        .collect()
}

fn kind_text(lang: Lang, kind: &str) -> String {
    kind.parse::<DeviceKind>()
        .map(|k| kind_name(lang, k))
        .unwrap_or_default()
}

fn pickup_page_of(
    frame: Frame,
    d: &BookingDetail,
    desk: &Desk,
    last: Option<Outcome>,
) -> PickupPage {
    let lang = frame.lang;
    PickupPage {
        id: d.booking.id.clone(),
        reference: d.booking.reference.clone(),
        organisation: d.organisation_name.clone(),
        last,
        counts: counts_of(lang, d, &desk.scans),
        scanned: desk
            .scans
            .iter()
            .map(|s| DeskDevice {
                tag: s.tag.clone(),
                kind: kind_text(lang, &s.kind),
                note: if s.extra == "1" {
                    text(lang, "web-book-pickup-substitute")
                } else {
                    String::new()
                },
                condition: String::new(),
                missing: String::new(),
            })
            .collect(),
        waiting: d
            .devices
            .iter()
            .filter(|(a, dev)| {
                a.state == AllocationState::Allocated
                    && !desk.scans.iter().any(|s| s.device_id == dev.id)
            })
            .map(|(_, dev)| DeskDevice {
                tag: dev.asset_tag.clone(),
                kind: kind_name(lang, dev.kind),
                note: dev.shelf_location.clone().unwrap_or_default(),
                condition: String::new(),
                missing: String::new(),
            })
            .collect(),
        frame,
    }
}

fn respond(
    state: &AppState,
    status: StatusCode,
    page: &impl Template,
    desk: &Desk,
    cookie: &'static str,
) -> Result<HttpResponse, PageError> {
    let mut res = render_status(status, page)?;
    res.add_cookie(&desk.cookie(cookie, state))
        .map_err(|e| PageError::from(AppError::internal(e)))?;
    Ok(res)
}

async fn booking(
    state: &AppState,
    viewer: &Viewer,
    id: &BookingId,
    frame: &Frame,
) -> Result<BookingDetail, PageError> {
    let caller = viewer.caller.clone();
    let rules = rules(state);
    let id = id.clone();
    state
        .db
        .read(move |conn| {
            caller.require(crate::auth::Perm::ManageBookings)?;
            bookings::get(conn, &caller, &rules, &id)
        })
        .await
        .in_frame(frame)
}

/// The codes of the domain's refused scans (`bookings::check_scan`, `check_return_scan`).
pub const SCAN_CODES: &[&str] = &[
    "scan_unknown",
    "scan_not_in_pool",
    "scan_twice",
    "scan_other_kind",
    "scan_not_free",
    "scan_not_out",
];

/// What a refused scan says, in the person's language.
fn scan_refusal(lang: Lang, e: &AppError, tag: &str) -> String {
    match e {
        AppError::Validation { errors, .. } => errors
            .iter()
            .map(|f| match f.code.as_deref() {
                Some(code) if SCAN_CODES.contains(&code) => texts(
                    lang,
                    &format!("web-book-{}", code.replace('_', "-")),
                    &[("name", tag)],
                ),
                _ => say(lang, &f.message),
            })
            .collect::<Vec<_>>()
            .join(" "),
        AppError::Conflict { detail, .. } => say(lang, detail),
        AppError::NotFound(_) => text(lang, "web-book-scan-not-found"),
        _ => text(lang, "web-book-scan-invalid"),
    }
}

#[get("/desk/{id}/pickup")]
pub async fn pickup_page(
    req: HttpRequest,
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/desk", "web-book-pickup-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let d = booking(&state, &viewer, &id, &frame).await?;
    let desk = Desk::of(&req, PICKUP_COOKIE, &id);
    let page = pickup_page_of(frame, &d, &desk, None);
    respond(&state, StatusCode::OK, &page, &desk, PICKUP_COOKIE)
}

#[post("/desk/{id}/pickup")]
pub async fn pickup_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let lang = viewer.lang;
    let frame = Frame::signed_in(&viewer, "/desk", "web-book-pickup-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let mut desk = Desk::of(&req, PICKUP_COOKIE, &id);
    let action = value(&form, "do");
    if action == "clear" {
        desk.scans.clear();
    }
    if action == "done" {
        let caller = viewer.caller.clone();
        let rules = rules(&state);
        let tags: Vec<String> = desk.scans.iter().map(|s| s.tag.clone()).collect();
        let bid = id.clone();
        let result = state
            .db
            .write(move |conn| {
                bookings::pickup(
                    conn,
                    &caller,
                    &rules,
                    &bid,
                    PickupRequest {
                        asset_tags: tags,
                        note: None,
                    },
                )
            })
            .await;
        match result {
            Ok(d) => {
                let mut res = see_other(&format!("/desk/{}?done=handed-out", d.booking.id));
                desk.scans.clear();
                res.add_cookie(&desk.cookie(PICKUP_COOKIE, &state))
                    .map_err(|e| PageError::from(AppError::internal(e)))?;
                return Ok(res);
            }
            Err(e) if client(&e) => {
                let d = booking(&state, &viewer, &id, &frame).await?;
                let errors = FormErrors::general(format!(
                    "{} {}",
                    text(lang, "web-book-pickup-refused"),
                    scan_refusal(lang, &e, "")
                ));
                let page = pickup_page_of(frame.with_errors(errors), &d, &desk, None);
                return respond(&state, StatusCode::CONFLICT, &page, &desk, PICKUP_COOKIE);
            }
            Err(e) => return Err(PageError::in_frame(e, &frame)),
        }
    }
    let input = value(&form, "tag");
    let mut last = None;
    if !input.is_empty() {
        let caller = viewer.caller.clone();
        let rules = rules(&state);
        let already: Vec<String> = desk.scans.iter().map(|s| s.device_id.clone()).collect();
        let (bid, typed) = (id.clone(), input.clone());
        let result = state
            .db
            .read(move |conn| bookings::check_scan(conn, &caller, &rules, &bid, &typed, &already))
            .await;
        last = Some(match result {
            Ok(scan) => {
                let s = Scan {
                    tag: scan.device.asset_tag.clone(),
                    device_id: scan.device.id.clone(),
                    kind: scan.device.kind.to_string(),
                    extra: if scan.allocated { "" } else { "1" }.to_string(),
                    missing: String::new(),
                };
                desk.scans.push(s.clone());
                desk.scans.truncate(KEEP);
                let count = desk.scans.iter().filter(|x| x.kind == s.kind).count();
                Outcome {
                    ok: true,
                    text: texts(
                        lang,
                        if scan.allocated {
                            "web-book-pickup-scanned"
                        } else {
                            "web-book-pickup-scanned-substitute"
                        },
                        &[
                            ("name", &kind_text(lang, &s.kind)),
                            ("n", &count.to_string()),
                        ],
                    ),
                    tag: s.tag,
                }
            }
            Err(e) if client(&e) => {
                let tag = crate::domain::device_ref::tag_of(&input);
                Outcome {
                    ok: false,
                    text: scan_refusal(lang, &e, &tag),
                    tag,
                }
            }
            Err(e) => return Err(PageError::in_frame(e, &frame)),
        });
    }
    let d = booking(&state, &viewer, &id, &frame).await?;
    let page = pickup_page_of(frame, &d, &desk, last);
    respond(&state, StatusCode::OK, &page, &desk, PICKUP_COOKIE)
}

#[derive(Template)]
#[template(path = "bookings/return.html")]
pub struct ReturnPage {
    pub frame: Frame,
    pub id: String,
    pub reference: String,
    pub organisation: String,
    pub last: Option<Outcome>,
    pub counts: Vec<KindCount>,
    pub scanned: Vec<DeskDevice>,
    /// Devices out with the booking and not scanned back.
    pub not_back: Vec<DeskDevice>,
    pub conditions: Vec<(String, String)>,
}
crate::page!(ReturnPage);

fn return_page_of(
    frame: Frame,
    d: &BookingDetail,
    desk: &Desk,
    last: Option<Outcome>,
) -> ReturnPage {
    let lang = frame.lang;
    let out: Vec<_> = d
        .devices
        .iter()
        .filter(|(a, _)| a.state == AllocationState::PickedUp)
        .collect();
    let counts = {
        let mut per: Vec<(DeviceKind, i64)> = Vec::new();
        for (_, dev) in &out {
            match per.iter_mut().find(|(k, _)| *k == dev.kind) {
                Some((_, n)) => *n += 1,
                None => per.push((dev.kind, 1)),
            }
        }
        per.into_iter()
            .map(|(kind, m)| {
                let n = desk
                    .scans
                    .iter()
                    .filter(|s| s.kind == kind.as_str())
                    .count() as i64;
                KindCount {
                    kind: kind_name(lang, kind),
                    count: n_of_m(lang, n, m),
                    done: n >= m,
                }
            })
            .collect()
    };
    ReturnPage {
        id: d.booking.id.clone(),
        reference: d.booking.reference.clone(),
        organisation: d.organisation_name.clone(),
        last,
        counts,
        scanned: desk
            .scans
            .iter()
            .map(|s| DeskDevice {
                tag: s.tag.clone(),
                kind: kind_text(lang, &s.kind),
                note: String::new(),
                condition: if s.extra.is_empty() {
                    "good".into()
                } else {
                    s.extra.clone()
                },
                missing: s.missing.clone(),
            })
            .collect(),
        not_back: out
            .iter()
            .filter(|(_, dev)| !desk.scans.iter().any(|s| s.device_id == dev.id))
            .map(|(_, dev)| DeskDevice {
                tag: dev.asset_tag.clone(),
                kind: kind_name(lang, dev.kind),
                note: String::new(),
                condition: String::new(),
                missing: String::new(),
            })
            .collect(),
        conditions: ReturnCondition::ALL
            .iter()
            .map(|c| {
                (
                    c.to_string(),
                    text(lang, &format!("web-book-condition-{c}")),
                )
            })
            .collect(),
        frame,
    }
}

#[get("/desk/{id}/return")]
pub async fn return_page(
    req: HttpRequest,
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/desk", "web-book-return-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let d = booking(&state, &viewer, &id, &frame).await?;
    let desk = Desk::of(&req, RETURN_COOKIE, &id);
    let page = return_page_of(frame, &d, &desk, None);
    respond(&state, StatusCode::OK, &page, &desk, RETURN_COOKIE)
}

/// The form field of a device on the return desk: `cond-GNT-000001`.
pub fn field_name(prefix: &str, tag: &str) -> String {
    format!("{prefix}-{tag}")
}

#[post("/desk/{id}/return")]
pub async fn return_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let lang = viewer.lang;
    let frame = Frame::signed_in(&viewer, "/desk", "web-book-return-title");
    let id = booking_id(&id).in_frame(&frame)?;
    let mut desk = Desk::of(&req, RETURN_COOKIE, &id);
    // What was typed for the devices on the list is kept.
    for s in &mut desk.scans {
        if let Some(c) = form.get(&field_name("cond", &s.tag)) {
            if c.parse::<ReturnCondition>().is_ok() {
                s.extra = c.clone();
            }
        }
        if let Some(m) = form.get(&field_name("missing", &s.tag)) {
            s.missing = clean(m, 200);
        }
    }
    let action = value(&form, "do");
    if action == "clear" {
        desk.scans.clear();
    }
    if action == "done" {
        let d = booking(&state, &viewer, &id, &frame).await?;
        let lost: Vec<String> = d
            .devices
            .iter()
            .filter(|(a, dev)| {
                a.state == AllocationState::PickedUp
                    && value(&form, &field_name("lost", &dev.asset_tag)) == "yes"
            })
            .map(|(_, dev)| dev.asset_tag.clone())
            .collect();
        let items: Vec<ReturnItem> = desk
            .scans
            .iter()
            .map(|s| ReturnItem {
                asset_tag: s.tag.clone(),
                condition: s.extra.parse().unwrap_or(ReturnCondition::Good),
                missing_accessories: Some(s.missing.clone()).filter(|m| !m.is_empty()),
                accessories_back: None,
                note: None,
            })
            .collect();
        let caller = viewer.caller.clone();
        let rules = rules(&state);
        let bid = id.clone();
        let result = state
            .db
            .write(move |conn| {
                if items.is_empty() && lost.is_empty() {
                    return Err(AppError::invalid(
                        "tag",
                        "scan at least one device that came back",
                    ));
                }
                let mut d = None;
                if !items.is_empty() {
                    d = Some(bookings::return_devices(
                        conn,
                        &caller,
                        &rules,
                        &bid,
                        ReturnRequest {
                            items,
                            reported_missing: Vec::new(),
                            note: None,
                        },
                    )?);
                }
                if !lost.is_empty() {
                    d = Some(bookings::write_off(
                        conn,
                        &caller,
                        &rules,
                        &bid,
                        WriteOffRequest {
                            asset_tags: lost,
                            note: None,
                        },
                    )?);
                }
                d.ok_or_else(|| AppError::invalid("tag", "scan a device"))
            })
            .await;
        match result {
            Ok(d) => {
                let mut res = see_other(&format!("/desk/{}?done=returned", d.booking.id));
                desk.scans.clear();
                res.add_cookie(&desk.cookie(RETURN_COOKIE, &state))
                    .map_err(|e| PageError::from(AppError::internal(e)))?;
                return Ok(res);
            }
            Err(e) if client(&e) => {
                let errors = FormErrors::general(format!(
                    "{} {}",
                    text(lang, "web-book-return-refused"),
                    scan_refusal(lang, &e, "")
                ));
                let page = return_page_of(frame.with_errors(errors), &d, &desk, None);
                let status = if matches!(e, AppError::Conflict { .. }) {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                return respond(&state, status, &page, &desk, RETURN_COOKIE);
            }
            Err(e) => return Err(PageError::in_frame(e, &frame)),
        }
    }
    let input = value(&form, "tag");
    let mut last = None;
    if !input.is_empty() {
        let caller = viewer.caller.clone();
        let (bid, typed) = (id.clone(), input.clone());
        let result = state
            .db
            .read(move |conn| bookings::check_return_scan(conn, &caller, &bid, &typed))
            .await;
        last = Some(match result {
            Ok(dev) if desk.scans.iter().any(|s| s.device_id == dev.id) => Outcome {
                ok: false,
                text: texts(lang, "web-book-return-twice", &[("name", &dev.asset_tag)]),
                tag: dev.asset_tag,
            },
            Ok(dev) => {
                desk.scans.push(Scan {
                    tag: dev.asset_tag.clone(),
                    device_id: dev.id.clone(),
                    kind: dev.kind.to_string(),
                    extra: "good".into(),
                    missing: String::new(),
                });
                desk.scans.truncate(KEEP);
                Outcome {
                    ok: true,
                    text: texts(
                        lang,
                        "web-book-return-scanned",
                        &[("name", &kind_name(lang, dev.kind))],
                    ),
                    tag: dev.asset_tag,
                }
            }
            Err(e) if client(&e) => {
                let tag = crate::domain::device_ref::tag_of(&input);
                Outcome {
                    ok: false,
                    text: scan_refusal(lang, &e, &tag),
                    tag,
                }
            }
            Err(e) => return Err(PageError::in_frame(e, &frame)),
        });
    }
    let d = booking(&state, &viewer, &id, &frame).await?;
    let page = return_page_of(frame, &d, &desk, last);
    respond(&state, StatusCode::OK, &page, &desk, RETURN_COOKIE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refused_scan_is_said_in_every_language() {
        for code in SCAN_CODES {
            for lang in Lang::ALL.iter() {
                let key = format!("web-book-{}", code.replace('_', "-"));
                assert!(crate::i18n::has(*lang, &key), "{lang:?}: {key}");
            }
        }
    }

    #[test]
    fn a_desk_survives_its_cookie() {
        let desk = Desk {
            booking_id: "b1".into(),
            scans: vec![Scan {
                tag: "GNT-000001".into(),
                device_id: "d1".into(),
                kind: "tablet".into(),
                extra: "damaged".into(),
                missing: "pen ~ case".into(),
            }],
        };
        let back = Desk::decode(&desk.encode());
        assert_eq!(back.booking_id, "b1");
        assert_eq!(back.scans[0].missing, "pen   case");
        assert_eq!(back.scans[0].extra, "damaged");
        assert!(Desk::decode("not base64!").scans.is_empty());
    }
}
