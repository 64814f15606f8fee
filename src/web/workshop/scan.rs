//! Batch mode (`/workshop/scan`): scan devices one after another and apply one result to
//! each (a wipe of its only drive or built-in storage with the wipe step, a refurbishment
//! with the refurbish step, or the release). A handheld scanner types the tag or the label's
//! URL and presses Enter; a phone's camera opens the label's URL, whose page offers to add the
//! device to the running batch. Each scan is answered at once with the device's outcome; the
//! batch's settings and its running list live in a cookie of the workshop's pages (asset tags
//! and settings only, no personal data), so the page works without JavaScript.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{get, post, web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use base64::Engine;

use super::{
    drive_types, grades, methods, parse_method, pass_fail, refusal_text, value, verifications, Opt,
    Values,
};
use crate::auth::Caller;
use crate::db::DbConn;
use crate::domain::lifecycle::Action;
use crate::domain::refurbishment::bench;
use crate::domain::refurbishment::{
    Checks, Grade, NewRefurbishment, NewWipe, Verification, WipeOutcome, CHECKS_BY_KIND,
};
use crate::domain::refusal::{code_of, RefusalCode};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::forms::Posted;
use crate::web::frame::{text, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Viewer};

/// What a batch applies to each device scanned.
pub const MODES: &[&str] = &["wipe", "refurbish", "release"];

/// The settings of a batch (form fields, kept between scans).
const SETTINGS: &[&str] = &[
    "mode",
    "method",
    "tool",
    "tool_version",
    "verification",
    "drive_type",
    "outcome",
    "cosmetic_grade",
    "functional_pass",
    "battery_health_pct",
];

const COOKIE: &str = "dl_scan";
/// Scans kept in the running list.
const KEEP: usize = 30;

/// One scan of the running list: the tag, whether it went through, and why not (a refusal
/// code, `not_found` or `invalid`) or what was done (the mode).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Scanned {
    tag: String,
    ok: bool,
    what: String,
}

#[derive(Debug, Clone, Default)]
struct Batch {
    settings: Values,
    scanned: Vec<Scanned>,
}

/// A tag as kept in the list: what a scanner typed (a tag, or the last part of a label's URL),
/// upper case, only the characters of an asset tag.
fn tag_of(input: &str) -> String {
    crate::domain::device_ref::tag_of(input)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect()
}

impl Batch {
    fn encode(&self) -> String {
        let mut pairs: Vec<(String, String)> = SETTINGS
            .iter()
            .filter_map(|k| self.settings.get(*k).map(|v| (k.to_string(), v.clone())))
            .collect();
        for s in &self.scanned {
            pairs.push((
                "scan".into(),
                format!("{}~{}~{}", s.tag, if s.ok { 1 } else { 0 }, s.what),
            ));
        }
        let text = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    }

    fn decode(raw: &str) -> Batch {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(raw)
            .unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        let mut batch = Batch::default();
        for (k, v) in pairs {
            if k == "scan" {
                let mut it = v.splitn(3, '~');
                if let (Some(tag), Some(ok), Some(what)) = (it.next(), it.next(), it.next()) {
                    let what: String = what
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .take(40)
                        .collect();
                    batch.scanned.push(Scanned {
                        tag: tag_of(tag),
                        ok: ok == "1",
                        what,
                    });
                }
            } else if SETTINGS.contains(&k.as_str()) {
                batch.settings.insert(k, v.chars().take(100).collect());
            }
        }
        batch.scanned.truncate(KEEP);
        batch
    }

    fn of(req: &HttpRequest) -> Batch {
        req.cookie(COOKIE)
            .map(|c| Batch::decode(c.value()))
            .unwrap_or_default()
    }
}

/// One line of the running list, in the person's language.
#[derive(Debug, Clone)]
pub struct ScanLine {
    pub tag: String,
    pub ok: bool,
    pub text: String,
}

fn line(lang: Lang, s: &Scanned) -> ScanLine {
    let text = if s.ok {
        text(lang, &format!("web-workshop-scan-done-{}", s.what))
    } else if let Ok(code) = s.what.parse::<RefusalCode>() {
        refusal_text(lang, code)
    } else if s.what == "not_found" {
        text(lang, "web-workshop-scan-not-found")
    } else {
        text(lang, "web-workshop-scan-invalid")
    };
    ScanLine {
        tag: s.tag.clone(),
        ok: s.ok,
        text,
    }
}

#[derive(Template)]
#[template(path = "workshop/scan.html")]
pub struct ScanPage {
    pub frame: Frame,
    pub modes: Vec<Opt>,
    pub methods: Vec<Opt>,
    pub tool: String,
    pub tool_version: String,
    pub verifications: Vec<Opt>,
    pub drive_types: Vec<Opt>,
    pub outcomes: Vec<Opt>,
    pub grades: Vec<Opt>,
    pub results: Vec<Opt>,
    pub battery: String,
    pub last: Option<ScanLine>,
    pub lines: Vec<ScanLine>,
    pub done: usize,
}
crate::page!(ScanPage);

fn scan_page_of(viewer: &Viewer, batch: &Batch, last: Option<&Scanned>) -> ScanPage {
    let lang = viewer.lang;
    let s = |name: &str, default: &str| {
        batch
            .settings
            .get(name)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    };
    ScanPage {
        frame: Frame::signed_in(viewer, "/workshop/scan", "web-workshop-scan-title"),
        modes: Opt::list(
            MODES
                .iter()
                .map(|m| {
                    (
                        m.to_string(),
                        text(lang, &format!("web-workshop-scan-mode-{m}")),
                    )
                })
                .collect(),
            &s("mode", "wipe"),
        ),
        methods: Opt::list(methods(lang), &s("method", "purge/crypto_erase")),
        tool: s("tool", ""),
        tool_version: s("tool_version", ""),
        verifications: Opt::list(verifications(lang), &s("verification", "none")),
        drive_types: Opt::list(drive_types(lang), &s("drive_type", "ssd")),
        outcomes: Opt::list(pass_fail(lang, "passed", "failed"), &s("outcome", "passed")),
        grades: Opt::list(grades(lang), &s("cosmetic_grade", "B")),
        results: Opt::list(pass_fail(lang, "yes", "no"), &s("functional_pass", "yes")),
        battery: s("battery_health_pct", ""),
        last: last.map(|l| line(lang, l)),
        lines: batch.scanned.iter().map(|x| line(lang, x)).collect(),
        done: batch.scanned.iter().filter(|x| x.ok).count(),
    }
}

fn respond(state: &AppState, page: &ScanPage, batch: &Batch) -> Result<HttpResponse, PageError> {
    let mut res = render(page)?;
    let cookie = Cookie::build(COOKIE, batch.encode())
        .path("/workshop")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.public_base_url.starts_with("https://"))
        .finish();
    res.add_cookie(&cookie)
        .map_err(|e| PageError::from(AppError::internal(e)))?;
    Ok(res)
}

#[get("/workshop/scan")]
pub async fn scan_page(
    req: HttpRequest,
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let batch = Batch::of(&req);
    let page = scan_page_of(&viewer, &batch, None);
    respond(&state, &page, &batch)
}

/// The result the batch applies to one scanned device; the device's tag on success.
fn apply(conn: &mut DbConn, caller: &Caller, input: &str, s: &Values) -> AppResult<String> {
    let done = match value(s, "mode").as_str() {
        "wipe" => {
            let (category, technique) = parse_method(&value(s, "method"))
                .ok_or_else(|| AppError::invalid("method", "choose a method"))?;
            let verification: Verification = value(s, "verification")
                .parse()
                .unwrap_or(Verification::None);
            let now = chrono::Utc::now();
            let w = NewWipe {
                drive_id: None,
                category,
                technique,
                tool: value(s, "tool"),
                tool_version: value(s, "tool_version"),
                drive_type: value(s, "drive_type").parse().ok(),
                drive_serial: None,
                capacity_gb: None,
                passes: 1,
                verified: verification != Verification::None,
                verification_method: verification,
                verified_by: None,
                outcome: value(s, "outcome").parse().unwrap_or(WipeOutcome::Passed),
                started_at: now,
                ended_at: now,
                report_file_name: None,
                report_sha256: None,
                note: None,
            };
            bench::wipe_and_step(conn, caller, input, vec![w])?
        }
        "refurbish" => {
            let mut checks = Checks::default();
            for name in CHECKS_BY_KIND.iter().flat_map(|(_, c, _)| c.iter()) {
                checks.set(name, true);
            }
            let r = NewRefurbishment {
                checks,
                battery_health_pct: value(s, "battery_health_pct").parse().ok(),
                parts_replaced: None,
                os_installed: None,
                os_version: None,
                cosmetic_grade: value(s, "cosmetic_grade").parse().unwrap_or(Grade::B),
                functional_pass: value(s, "functional_pass") != "no",
                minutes_spent: 0,
                note: None,
            };
            bench::refurbish_and_step(conn, caller, input, r)?
        }
        "release" => bench::step(conn, caller, input, Action::Release)?,
        _ => return Err(AppError::invalid("mode", "choose what to apply")),
    };
    Ok(done.device.asset_tag)
}

#[post("/workshop/scan")]
pub async fn scan_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let mut batch = Batch::of(&req);
    if form.contains_key("mode") {
        batch.settings = SETTINGS
            .iter()
            .map(|k| (k.to_string(), value(&form, k)))
            .collect();
    }
    if form.contains_key("clear") {
        batch.scanned.clear();
    }
    let input = value(&form, "tag");
    let mut last = None;
    if !input.is_empty() {
        let caller = viewer.caller.clone();
        let settings = batch.settings.clone();
        let typed = input.clone();
        let result = state
            .db
            .write(move |conn| apply(conn, &caller, &typed, &settings))
            .await;
        let mode = value(&batch.settings, "mode");
        let scanned = match result {
            Ok(tag) => Scanned {
                tag,
                ok: true,
                what: mode,
            },
            Err(e) if e.status_code().is_client_error() => Scanned {
                tag: tag_of(&input),
                ok: false,
                what: match (&e, code_of(&e)) {
                    (_, Some(code)) => code.to_string(),
                    (AppError::NotFound(_), None) => "not_found".into(),
                    _ => "invalid".into(),
                },
            },
            Err(e) => {
                return Err(PageError::in_frame(
                    e,
                    &Frame::signed_in(&viewer, "/workshop/scan", "web-workshop-scan-title"),
                ))
            }
        };
        batch.scanned.insert(0, scanned.clone());
        batch.scanned.truncate(KEEP);
        last = Some(scanned);
    }
    let page = scan_page_of(&viewer, &batch, last.as_ref());
    respond(&state, &page, &batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_batch_survives_its_cookie_and_nothing_else_gets_in() {
        let mut batch = Batch::default();
        batch.settings.insert("mode".into(), "wipe".into());
        batch.settings.insert("tool".into(), "nwipe & co".into());
        batch.settings.insert("evil".into(), "x".into());
        batch.scanned.push(Scanned {
            tag: "GNT-000001".into(),
            ok: false,
            what: "storage_not_wiped".into(),
        });
        let back = Batch::decode(&batch.encode());
        assert_eq!(
            back.settings.get("tool").map(String::as_str),
            Some("nwipe & co")
        );
        assert!(!back.settings.contains_key("evil"));
        assert_eq!(back.scanned, batch.scanned);
        assert_eq!(
            tag_of("https://uitleen.example.be/d/gnt-000042"),
            "GNT-000042"
        );
        assert_eq!(tag_of("gnt-1\"><x"), "GNT-1X");
    }
}
