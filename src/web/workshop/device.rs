//! The device page (`/d/{tag}` for a signed-in person who may read the device): what it is,
//! its status, what must happen next and its history; and the forms of the bench. A
//! single-drive laptop goes from `received` to `ready` in three posts: the wipe form (records
//! the wipe and performs the `wipe` step when it passed), the refurbishment form (records the
//! check and performs `refurbish` when it passed) and the release button. The wipe tool's
//! report is attached to a wipe with a file form (`multipart/form-data`).

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use super::{
    bench_errors, drive_types, grades, methods, multipart, parse_method, pass_fail, status_text,
    value, verifications, Opt, Values,
};
use crate::auth::Caller;
use crate::db::DbConn;
use crate::domain::devices::DriveType;
use crate::domain::lifecycle::Action;
use crate::domain::refurbishment::bench::{self, BenchView};
use crate::domain::refurbishment::{
    self as refurb, BatteryCheck, Checks, Grade, NewRefurbishment, NewWipe, Verification,
    WipeOutcome,
};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::forms::{cross_origin, same_token, FieldProblem, FormErrors, Posted};
use crate::web::frame::{render_status, see_other, text, Frame};
use crate::web::prelude::*;
use crate::web::{MaybeViewer, PageError, Viewer};

/// The names of the next steps (`web-workshop-step-…`).
pub const STEPS: &[&str] = &[
    "wipe",
    "wipe-step",
    "refurbish",
    "repair",
    "release",
    "ready",
    "nothing",
];

/// What a form did, said at the top of the page after it (`web-workshop-done-…`).
pub const DONE: &[&str] = &[
    "wipe",
    "wipe-failed",
    "refurbish",
    "refurbish-failed",
    "release",
    "report",
    "send_to_repair",
    "retire",
];

/// The lifecycle steps the page's buttons may ask for.
const PAGE_ACTIONS: &[Action] = &[
    Action::Wipe,
    Action::Release,
    Action::SendToRepair,
    Action::Retire,
];

/// One line of the wipe form: a drive, or the built-in storage.
#[derive(Debug, Clone)]
pub struct WipeLine {
    /// The drive's id, or `builtin`.
    pub key: String,
    pub label: String,
    pub builtin: bool,
    pub methods: Vec<Opt>,
    pub outcomes: Vec<Opt>,
    pub drive_types: Vec<Opt>,
}

#[derive(Debug, Clone)]
pub struct CheckLine {
    pub name: String,
    pub label: String,
    pub checked: bool,
}

/// A wipe recorded, as the page lists it.
#[derive(Debug, Clone)]
pub struct WipeDone {
    pub id: String,
    pub when: String,
    pub what: String,
    pub tool: String,
    pub passed: bool,
    pub outcome: String,
    /// The report's file name, when it is stored.
    pub report: Option<String>,
}

#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub when: String,
    pub what: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "workshop/device.html")]
pub struct DevicePage {
    pub frame: Frame,
    pub tag: String,
    pub heading: String,
    pub serial: String,
    pub status: String,
    pub next: &'static str,
    pub next_text: String,
    pub may_record: bool,
    pub lines: Vec<WipeLine>,
    pub tool: String,
    pub tool_version: String,
    pub passes: String,
    pub verifications: Vec<Opt>,
    pub checks: Vec<CheckLine>,
    pub battery_asked: bool,
    pub battery: String,
    pub grades: Vec<Opt>,
    pub results: Vec<Opt>,
    pub minutes: String,
    pub os: String,
    pub wipes: Vec<WipeDone>,
    pub history: Vec<HistoryLine>,
}
crate::page!(DevicePage);

impl DevicePage {
    /// Whether the next step is `step` (for the template).
    pub fn is_step(&self, step: &str) -> bool {
        self.next == step
    }
}

impl WipeLine {
    pub fn method_field(&self) -> String {
        format!("method-{}", self.key)
    }

    pub fn outcome_field(&self) -> String {
        format!("outcome-{}", self.key)
    }
}

impl CheckLine {
    pub fn field(&self) -> String {
        format!("check-{}", self.name)
    }
}

impl WipeDone {
    pub fn report_field(&self) -> String {
        format!("report-{}", self.id)
    }
}

fn when(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// The lines of the wipe form: `(key, drive)`.
fn line_keys(view: &BenchView) -> Vec<(String, Option<&crate::db::models::DriveRow>)> {
    if view.drives.is_empty() {
        if view.has_storage {
            vec![("builtin".to_string(), None)]
        } else {
            Vec::new()
        }
    } else {
        view.drives
            .iter()
            .map(|d| (d.id.clone(), Some(d)))
            .collect()
    }
}

fn default_method(drive: Option<DriveType>) -> &'static str {
    match drive {
        Some(DriveType::Hdd) => "clear/overwrite",
        _ => "purge/crypto_erase",
    }
}

/// The page for a device, with the values of a refused form (or the defaults when `v` is
/// empty).
fn device_page(view: &BenchView, frame: Frame, v: &Values) -> DevicePage {
    let lang = frame.lang;
    let fresh = v.is_empty();
    let pick = |name: &str, default: &str| {
        if fresh {
            default.to_string()
        } else {
            value(v, name)
        }
    };
    let d = &view.device;
    let lines = line_keys(view)
        .into_iter()
        .map(|(key, drive)| {
            let label = match drive {
                Some(x) => format!(
                    "{} {} · {} · {} GB",
                    text(lang, "web-workshop-drive"),
                    x.position,
                    text(lang, &format!("web-workshop-drive-{}", x.drive_type)),
                    x.capacity_gb
                ),
                None => text(lang, "web-workshop-builtin"),
            };
            WipeLine {
                methods: Opt::list(
                    methods(lang),
                    &pick(
                        &format!("method-{key}"),
                        default_method(drive.map(|x| x.drive_type)),
                    ),
                ),
                outcomes: Opt::list(
                    pass_fail(lang, "passed", "failed"),
                    &pick(&format!("outcome-{key}"), "passed"),
                ),
                drive_types: Opt::list(drive_types(lang), &pick("drive_type-builtin", "ssd")),
                builtin: drive.is_none(),
                label,
                key,
            }
        })
        .collect();
    let wipes = view
        .wipes
        .iter()
        .rev()
        .map(|w| WipeDone {
            id: w.id.clone(),
            when: when(w.ended_at),
            what: text(
                lang,
                &format!("web-workshop-method-{}-{}", w.category, w.technique),
            ),
            tool: format!("{} {}", w.tool, w.tool_version),
            passed: w.outcome == WipeOutcome::Passed,
            outcome: text(lang, &format!("web-workshop-outcome-{}", w.outcome)),
            report: view
                .reports
                .iter()
                .find(|r| r.wipe_id == w.id)
                .map(|r| r.file_name.clone()),
        })
        .collect();
    let history = view
        .history
        .iter()
        .rev()
        .map(|e| HistoryLine {
            when: when(e.at),
            what: text(lang, &format!("web-workshop-event-{}", e.action)),
            status: status_text(lang, e.status_after),
        })
        .collect();
    let checks = view
        .checks
        .iter()
        .map(|name| CheckLine {
            name: name.to_string(),
            label: text(lang, &format!("web-workshop-check-{name}")),
            checked: fresh || v.contains_key(&format!("check-{name}")),
        })
        .collect();
    DevicePage {
        tag: d.asset_tag.clone(),
        heading: format!(
            "{} · {} {}",
            text(lang, &format!("kind-{}", d.kind)),
            d.brand,
            d.model
        ),
        serial: d.serial_number.clone().unwrap_or_default(),
        status: status_text(lang, d.status),
        next: view.next.as_str(),
        next_text: text(lang, &format!("web-workshop-step-{}", view.next.as_str())),
        may_record: view.may_record,
        lines,
        tool: pick("tool", ""),
        tool_version: pick("tool_version", ""),
        passes: pick("passes", "1"),
        verifications: Opt::list(verifications(lang), &pick("verification", "none")),
        checks,
        battery_asked: view.battery == BatteryCheck::Required,
        battery: pick("battery_health_pct", ""),
        grades: Opt::list(grades(lang), &pick("cosmetic_grade", "")),
        results: Opt::list(pass_fail(lang, "yes", "no"), &pick("functional_pass", "")),
        minutes: pick("minutes_spent", ""),
        os: pick("os_installed", ""),
        wipes,
        history,
        frame,
    }
}

fn frame_for(viewer: &Viewer, tag: &str) -> Frame {
    let mut frame = Frame::signed_in(viewer, &format!("/d/{tag}"), "web-workshop-device-title");
    frame.title = format!("{} {tag}", frame.title);
    frame
}

async fn load(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    tag: &str,
) -> Result<BenchView, AppError> {
    let caller = viewer.caller.clone();
    let tag = tag.to_string();
    state
        .db
        .read(move |conn| bench::bench_view(conn, &caller, &tag))
        .await
}

fn page_response(status: StatusCode, page: &DevicePage) -> Result<HttpResponse, PageError> {
    let mut res = render_status(status, page)?;
    res.headers_mut().insert(
        header::VARY,
        header::HeaderValue::from_static("Accept, Cookie"),
    );
    Ok(res)
}

/// The device page again after a refused form: the reasons, and the form that was sent (`form`,
/// whatever the next step is) with the values as sent.
async fn again(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    tag: &str,
    (form, values): (Option<&'static str>, &Values),
    status: StatusCode,
    errors: FormErrors,
) -> Result<HttpResponse, PageError> {
    let frame = frame_for(viewer, tag);
    let view = load(state, viewer, tag).await.in_frame(&frame)?;
    let tag = view.device.asset_tag.clone();
    let mut page = device_page(&view, frame_for(viewer, &tag).with_errors(errors), values);
    if let Some(form) = form {
        page.next = form;
    }
    page_response(status, &page)
}

/// A refusal of the domain on the page (a client error), or an error page (the others).
async fn refused(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    tag: &str,
    sent: (Option<&'static str>, &Values),
    e: AppError,
    field_of: &dyn Fn(&str) -> String,
) -> Result<HttpResponse, PageError> {
    let status = e.status_code();
    if !status.is_client_error() || matches!(e, AppError::NotFound(_) | AppError::Forbidden(_)) {
        return Err(PageError::in_frame(e, &frame_for(viewer, tag)));
    }
    let errors = bench_errors(&e, viewer.lang, field_of);
    again(state, viewer, tag, sent, status, errors).await
}

/// The device page for a signed-in person who may read the device, or `None` (anyone else
/// gets the public landing). Called by the scan landing `GET /d/{tag}` for browsers.
pub async fn for_signed_in(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    tag: &str,
) -> Option<HttpResponse> {
    let viewer = MaybeViewer::extract(req).await.ok()?.viewer?;
    let done: Option<String> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
            .ok()
            .and_then(|q| q.into_iter().find(|(k, _)| k == "done").map(|(_, v)| v))
            .filter(|d| DONE.contains(&d.as_str()));
    let result = match load(state, &viewer, tag).await {
        Ok(view) => {
            let mut frame = frame_for(&viewer, &view.device.asset_tag);
            if let Some(d) = done {
                frame = frame.with_notice(text(viewer.lang, &format!("web-workshop-done-{d}")));
            }
            page_response(StatusCode::OK, &device_page(&view, frame, &Values::new()))
        }
        Err(AppError::NotFound(_) | AppError::Forbidden(_)) => return None,
        Err(e) => Err(PageError::in_frame(e, &frame_for(&viewer, tag))),
    };
    Some(result.unwrap_or_else(|e| e.error_response()))
}

fn choose(field: String, lang: Lang) -> FieldProblem {
    FieldProblem {
        field,
        message: text(lang, "web-workshop-choose"),
        label: None,
    }
}

fn number(field: &str, lang: Lang) -> FieldProblem {
    FieldProblem {
        field: field.to_string(),
        message: text(lang, "web-workshop-number"),
        label: None,
    }
}

/// The wipes of the form, one per line; what cannot be read is named per field.
fn wipe_lines(view: &BenchView, v: &Values, lang: Lang) -> Result<Vec<NewWipe>, FormErrors> {
    let mut errors = FormErrors::default();
    let verification: Verification = value(v, "verification")
        .parse()
        .unwrap_or(Verification::None);
    let passes = match value(v, "passes") {
        s if s.is_empty() => 1,
        s => s.parse::<i32>().unwrap_or_else(|_| {
            errors.items.push(number("passes", lang));
            1
        }),
    };
    let now = chrono::Utc::now();
    let mut out = Vec::new();
    for (key, drive) in line_keys(view) {
        let method = parse_method(&value(v, &format!("method-{key}")));
        let outcome = value(v, &format!("outcome-{key}"))
            .parse::<WipeOutcome>()
            .ok();
        if method.is_none() {
            errors.items.push(choose(format!("method-{key}"), lang));
        }
        if outcome.is_none() {
            errors.items.push(choose(format!("outcome-{key}"), lang));
        }
        let (Some((category, technique)), Some(outcome)) = (method, outcome) else {
            continue;
        };
        out.push(NewWipe {
            drive_id: drive.and_then(|x| uuid::Uuid::parse_str(&x.id).ok()),
            category,
            technique,
            tool: value(v, "tool"),
            tool_version: value(v, "tool_version"),
            drive_type: match drive {
                Some(_) => None,
                None => value(v, "drive_type-builtin").parse().ok(),
            },
            drive_serial: None,
            capacity_gb: None,
            passes,
            verified: verification != Verification::None,
            verification_method: verification,
            verified_by: None,
            outcome,
            started_at: now,
            ended_at: now,
            report_file_name: None,
            report_sha256: None,
            note: None,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The form field of a domain field of the wipe form (`lines[0].category` → `method-<key>`).
fn wipe_field(view: &BenchView, path: &str) -> String {
    let keys: Vec<String> = line_keys(view).into_iter().map(|(k, _)| k).collect();
    let (line, field) = match path.strip_prefix("lines[").and_then(|r| r.split_once("].")) {
        Some((i, f)) => (i.parse::<usize>().unwrap_or(0), f),
        None => (0, path),
    };
    let key = keys.get(line).cloned().unwrap_or_else(|| "builtin".into());
    match field {
        "tool" | "tool_version" | "passes" => field.to_string(),
        "verification_method" | "verified" => "verification".into(),
        "drive_type" => "drive_type-builtin".into(),
        _ => format!("method-{key}"),
    }
}

/// A bench form that records a result and takes the step when it passed (`which`: the wipe
/// or the refurbishment): the form read by `read`, recorded by `record`, then the device's
/// page with what was done, or the form back with the reasons (`field_of` names the form field
/// of a domain field).
#[allow(clippy::too_many_arguments)]
async fn record_and_step<T: Send + 'static>(
    state: web::Data<AppState>,
    tag: String,
    Posted { viewer, form }: Posted<Values>,
    which: &'static str,
    read: fn(&BenchView, &Values, Lang) -> Result<T, FormErrors>,
    record: fn(&mut DbConn, &Caller, &str, T) -> AppResult<bench::StepDone>,
    field_of: fn(&BenchView, &str) -> String,
) -> Result<HttpResponse, PageError> {
    let view = load(&state, &viewer, &tag)
        .await
        .in_frame(&frame_for(&viewer, &tag))?;
    let result = match read(&view, &form, viewer.lang) {
        Ok(result) => result,
        Err(errors) => {
            return again(
                &state,
                &viewer,
                &tag,
                (Some(which), &form),
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
            )
            .await
        }
    };
    let caller = viewer.caller.clone();
    let t = tag.clone();
    match state
        .db
        .write(move |conn| record(conn, &caller, &t, result))
        .await
    {
        Ok(done) => Ok(see_other(&format!(
            "/d/{}?done={which}{}",
            done.device.asset_tag,
            if done.advanced { "" } else { "-failed" }
        ))),
        Err(e) => {
            refused(&state, &viewer, &tag, (Some(which), &form), e, &|f| {
                field_of(&view, f)
            })
            .await
        }
    }
}

#[post("/workshop/devices/{tag}/wipe")]
pub async fn wipe_submit(
    state: web::Data<AppState>,
    tag: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    record_and_step(
        state,
        tag.into_inner(),
        posted,
        "wipe",
        wipe_lines,
        bench::wipe_and_step,
        wipe_field,
    )
    .await
}

/// The refurbishment of the form; what cannot be read is named per field.
fn refurbishment(view: &BenchView, v: &Values, lang: Lang) -> Result<NewRefurbishment, FormErrors> {
    let mut errors = FormErrors::default();
    let mut checks = Checks::default();
    for name in view.checks {
        checks.set(name, v.contains_key(&format!("check-{name}")));
    }
    let battery = match value(v, "battery_health_pct") {
        s if s.is_empty() => None,
        s => match s.trim_end_matches('%').trim().parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.items.push(number("battery_health_pct", lang));
                None
            }
        },
    };
    let grade = value(v, "cosmetic_grade").parse::<Grade>().ok();
    if grade.is_none() {
        errors.items.push(choose("cosmetic_grade".into(), lang));
    }
    let pass = match value(v, "functional_pass").as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.items.push(choose("functional_pass".into(), lang));
            None
        }
    };
    let minutes = match value(v, "minutes_spent") {
        s if s.is_empty() => 0,
        s => s.parse::<i32>().unwrap_or_else(|_| {
            errors.items.push(number("minutes_spent", lang));
            0
        }),
    };
    let os = Some(value(v, "os_installed")).filter(|s| !s.is_empty());
    match (grade, pass) {
        (Some(cosmetic_grade), Some(functional_pass)) if errors.is_empty() => {
            Ok(NewRefurbishment {
                checks,
                battery_health_pct: battery,
                parts_replaced: None,
                os_installed: os,
                os_version: None,
                cosmetic_grade,
                functional_pass,
                minutes_spent: minutes,
                note: None,
            })
        }
        _ => Err(errors),
    }
}

fn refurbishment_field(path: &str) -> String {
    match path.strip_prefix("checks.") {
        Some(name) => format!("check-{name}"),
        None => path.to_string(),
    }
}

#[post("/workshop/devices/{tag}/refurbish")]
pub async fn refurbish_submit(
    state: web::Data<AppState>,
    tag: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    record_and_step(
        state,
        tag.into_inner(),
        posted,
        "refurbish",
        refurbishment,
        bench::refurbish_and_step,
        |_, f| refurbishment_field(f),
    )
    .await
}

#[post("/workshop/devices/{tag}/step")]
pub async fn step_submit(
    state: web::Data<AppState>,
    tag: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let tag = tag.into_inner();
    let action = value(&form, "action")
        .parse::<Action>()
        .ok()
        .filter(|a| PAGE_ACTIONS.contains(a));
    let Some(action) = action else {
        return Err(PageError::in_frame(
            AppError::invalid("action", "is not a step of this page"),
            &frame_for(&viewer, &tag),
        ));
    };
    let caller = viewer.caller.clone();
    let t = tag.clone();
    match state
        .db
        .write(move |conn| bench::step(conn, &caller, &t, action))
        .await
    {
        Ok(done) => Ok(see_other(&format!(
            "/d/{}?done={action}",
            done.device.asset_tag
        ))),
        Err(e) => refused(&state, &viewer, &tag, (None, &form), e, &|f| f.to_string()).await,
    }
}

/// The content type of an uploaded report: the browser's, or (when it sends none that is
/// accepted) the one its file name says.
fn report_type(part: &multipart::Part) -> String {
    let declared = part.content_type.clone().unwrap_or_default();
    if refurb::REPORT_TYPES.contains(&declared.as_str()) {
        return declared;
    }
    let name = part
        .file_name
        .clone()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let by_name = [
        (".pdf", "application/pdf"),
        (".xml", "application/xml"),
        (".json", "application/json"),
        (".txt", "text/plain"),
        (".log", "text/plain"),
    ];
    by_name
        .iter()
        .find(|(ext, _)| name.ends_with(ext))
        .map_or(declared, |(_, t)| t.to_string())
}

#[post("/workshop/devices/{tag}/wipes/{wipe}/report")]
pub async fn report_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let viewer = Viewer::extract(&req).await?;
    let lang = viewer.lang;
    if cross_origin(&req, &state.config.public_base_url) {
        return Err(PageError::csrf(lang));
    }
    let (tag, wipe) = path.into_inner();
    let frame = frame_for(&viewer, &tag);
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = crate::api::read_body(payload, refurb::MAX_REPORT_BYTES + 64 * 1024, "The report")
        .await
        .in_frame(&frame)?;
    let parts = multipart::parse(&content_type, &body).unwrap_or_default();
    let csrf = parts
        .iter()
        .find(|p| p.name == crate::web::forms::CSRF_FIELD)
        .and_then(|p| std::str::from_utf8(&p.data).ok())
        .unwrap_or("");
    if !same_token(csrf, &viewer.csrf) {
        return Err(PageError::csrf(lang));
    }
    let file = parts
        .into_iter()
        .find(|p| p.name == "report" && p.file_name.as_deref().is_some_and(|n| !n.is_empty()));
    let field = format!("report-{wipe}");
    let Some(file) = file else {
        let errors = FormErrors::one(&field, text(lang, "web-workshop-choose-file"));
        return again(
            &state,
            &viewer,
            &tag,
            (None, &Values::new()),
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        )
        .await;
    };
    let wipe_id = crate::api::parse_id(&wipe, "The wipe").in_frame(&frame)?;
    let report_type = report_type(&file);
    let caller = viewer.caller.clone();
    let t = tag.clone();
    let result = state
        .db
        .write(move |conn| {
            refurb::attach_report(
                conn,
                &caller,
                &t,
                &wipe_id,
                &report_type,
                file.file_name.as_deref(),
                file.data,
            )
        })
        .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/d/{tag}?done=report"))),
        Err(AppError::UnsupportedMediaType(_)) => {
            let errors = FormErrors::one(
                &field,
                super::refusal_text(lang, crate::domain::refusal::RefusalCode::ReportUnreadable),
            );
            again(
                &state,
                &viewer,
                &tag,
                (None, &Values::new()),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                errors,
            )
            .await
        }
        Err(e) => {
            refused(&state, &viewer, &tag, (None, &Values::new()), e, &|_| {
                field.clone()
            })
            .await
        }
    }
}

/// The stored report of a wipe, for a signed-in person who may read the device's wipes.
#[get("/workshop/devices/{tag}/wipes/{wipe}/report")]
pub async fn report_download(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (tag, wipe) = path.into_inner();
    let frame = frame_for(&viewer, &tag);
    let wipe = crate::api::parse_id(&wipe, "The wipe").in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let row = state
        .db
        .read(move |conn| refurb::report(conn, &caller, &tag, &wipe))
        .await
        .in_frame(&frame)?;
    Ok(crate::api::refurbishment::report_response(row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::refurbishment::bench::NextStep;

    #[test]
    fn only_the_steps_of_the_page_are_offered() {
        for s in STEPS {
            assert!(!s.is_empty());
        }
        assert!(PAGE_ACTIONS.contains(&Action::Release));
        assert!(!PAGE_ACTIONS.contains(&Action::Lend));
        assert_eq!(NextStep::Wipe { covered: true }.as_str(), "wipe-step");
    }
}
