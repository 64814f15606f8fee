//! A loan's page (`/loans/{id}`): its devices, the schedule of checkpoints, the signed
//! agreement (on the screen: a PDF with both signatures; or the photo or scan of the paper);
//! the forms of the follow-up: record a checkpoint, extend, return (condition, accessories
//! back), record a non-return (the charge), pay or waive a charge. Each form calls the domain
//! function the API calls; a refused form comes back filled in with the reason.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;

use super::{day, errors_of, money, value, Values};
use crate::auth::Perm;
use crate::domain::ids::{ChargeId, LoanId};
use crate::domain::loans::{
    self, parse_list, ChargeStatus, LoanDetail, LoanDeviceStatus, LoanStatus, NonReturn, Payment,
    PaymentMethod, RecordCheckpoint, ReturnLoan, ReturnedDevice, Waiver,
};
use crate::domain::loans::{receipts, signatures};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::forms::{cross_origin, same_token, FormErrors};
use crate::web::frame::{render_status, see_other, text, texts, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Posted, Viewer};

#[derive(Debug, Clone)]
pub struct DeviceLine {
    /// Its place on the return form (`0`, `1`, `2`).
    pub key: String,
    pub tag: String,
    pub what: String,
    pub status: String,
    pub out: bool,
    pub back: String,
    pub condition: String,
    pub damaged: String,
}

#[derive(Debug, Clone)]
pub struct CheckpointLine {
    pub due: String,
    pub held: String,
    pub done: bool,
}

#[derive(Debug, Clone)]
pub struct ChargeLine {
    pub id: String,
    pub what: String,
    pub amount: String,
    pub cents: String,
    pub open: bool,
    pub status: String,
    pub pay_field: String,
    pub method_field: String,
    pub reason_field: String,
    /// The payment method chosen (as typed when the form came back).
    pub method: String,
}

#[derive(Template)]
#[template(path = "loans/loan.html")]
pub struct LoanPage {
    pub frame: Frame,
    pub id: String,
    pub number: String,
    pub borrower_id: String,
    pub person: String,
    pub status: String,
    pub draft: bool,
    pub active: bool,
    pub period: String,
    pub devices: Vec<DeviceLine>,
    pub accessories: Vec<(String, String, bool)>,
    pub checkpoints: Vec<CheckpointLine>,
    pub charges: Vec<ChargeLine>,
    pub signed_pdf: bool,
    /// Devices came back that are on no signed return receipt yet.
    pub receipt_due: bool,
    /// The signed return receipts: (link, label).
    pub receipts: Vec<(String, String)>,
    pub scan: Option<String>,
    pub may_manage: bool,
    pub may_waive: bool,
    pub methods: Vec<(String, String)>,
    /// The values of the form that was refused.
    pub v: Values,
}
crate::page!(LoanPage);

impl LoanPage {
    /// A typed value of the refused form, or `default`.
    pub fn typed(&self, name: &str, default: &str) -> String {
        match self.v.get(name) {
            Some(s) => s.trim().to_string(),
            None => default.to_string(),
        }
    }

    /// Whether a checkbox is ticked: as sent when a form came back, else `default`.
    pub fn ticked(&self, name: &str, default: bool) -> bool {
        if self.v.is_empty() {
            default
        } else {
            self.v.contains_key(name)
        }
    }
}

/// The confirmations the loan page may show after a form.
pub const DONE: &[&str] = &[
    "signed",
    "checkpoint",
    "extended",
    "returned",
    "non-returned",
    "paid",
    "waived",
    "scan",
    "receipt",
];

/// What the loan page shows besides the loan: the borrower's name, whether the agreement
/// was signed on the screen, the return receipts (and whether one is due).
pub struct Papers {
    pub person: String,
    pub signed: bool,
    pub receipt_due: bool,
    pub receipts: Vec<(String, chrono::NaiveDateTime, String)>,
}

fn loan_frame(viewer: &Viewer, id: &str) -> Frame {
    Frame::signed_in(viewer, &format!("/loans/{id}"), "web-loan-loan-title")
}

fn loan_id(raw: &str, frame: &Frame) -> Result<LoanId, PageError> {
    crate::api::parse_id(raw, "The loan")
        .map(LoanId::from)
        .in_frame(frame)
}

fn page_of(viewer: &Viewer, frame: Frame, d: LoanDetail, papers: Papers, v: Values) -> LoanPage {
    let lang: Lang = viewer.lang;
    let loan = &d.loan;
    let devices = d
        .devices
        .iter()
        .enumerate()
        .map(|(i, (ld, dev))| DeviceLine {
            key: i.to_string(),
            tag: dev.asset_tag.clone(),
            what: format!(
                "{} · {} {}",
                text(lang, &format!("kind-{}", dev.kind)),
                dev.brand,
                dev.model
            ),
            status: text(lang, &format!("web-loan-device-{}", ld.status)),
            out: ld.status == LoanDeviceStatus::OnLoan,
            back: format!("back-{i}"),
            condition: format!("condition-{i}"),
            damaged: format!("damaged-{i}"),
        })
        .collect();
    let accessories = parse_list(&loan.accessories)
        .into_iter()
        .enumerate()
        .map(|(i, a)| (format!("accessory-{i}"), a, true))
        .collect();
    let checkpoints = d
        .checkpoints
        .iter()
        .map(|c| CheckpointLine {
            due: day(c.due_on),
            held: c.held_on.map(day).unwrap_or_default(),
            done: c.held_on.is_some(),
        })
        .collect();
    let charges = d
        .charges
        .iter()
        .map(|c| {
            let tag = d
                .devices
                .iter()
                .find(|(_, dev)| dev.id == c.device_id)
                .map(|(_, dev)| dev.asset_tag.clone())
                .unwrap_or_default();
            ChargeLine {
                id: c.id.clone(),
                what: format!(
                    "{} · {}",
                    text(lang, &format!("web-loan-charge-{}", c.kind)),
                    tag
                ),
                amount: money(c.amount_cents, lang),
                cents: c.amount_cents.to_string(),
                open: c.status == ChargeStatus::Open,
                status: text(lang, &format!("web-loan-charge-status-{}", c.status)),
                pay_field: format!("pay-{}", c.id),
                method_field: format!("method-{}", c.id),
                reason_field: format!("reason-{}", c.id),
                method: v
                    .get(&format!("method-{}", c.id))
                    .cloned()
                    .unwrap_or_else(|| PaymentMethod::Cash.to_string()),
            }
        })
        .collect();
    LoanPage {
        id: loan.id.clone(),
        number: loan.number.clone(),
        borrower_id: loan.borrower_id.clone(),
        person: papers.person,
        status: text(lang, &format!("web-loan-status-{}", loan.status)),
        draft: loan.status == LoanStatus::Draft,
        active: loan.status == LoanStatus::Active,
        period: format!("{} – {}", day(loan.start_date), day(loan.end_date)),
        devices,
        accessories,
        checkpoints,
        charges,
        signed_pdf: papers.signed,
        receipt_due: papers.receipt_due,
        receipts: papers
            .receipts
            .iter()
            .map(|(rid, at, _)| {
                (
                    format!("/loans/{}/return-receipts/{rid}.pdf", loan.id),
                    texts(
                        lang,
                        "web-loan-receipt-open",
                        &[("n", &at.format("%d-%m-%Y").to_string())],
                    ),
                )
            })
            .collect(),
        scan: d.scan.as_ref().map(|(t, _, _, at)| {
            texts(
                lang,
                "web-loan-loan-scan-kept",
                &[("name", t), ("n", &at.format("%d-%m-%Y").to_string())],
            )
        }),
        may_manage: viewer.caller.can(Perm::ManageLoans),
        may_waive: viewer.caller.can(Perm::WaivePenalties),
        methods: PaymentMethod::ALL
            .iter()
            .map(|m| (m.to_string(), text(lang, &format!("web-loan-method-{m}"))))
            .collect(),
        v,
        frame,
    }
}

/// Reads the loan for the viewer and draws its page.
async fn load(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    frame: Frame,
    v: Values,
) -> Result<LoanPage, PageError> {
    let lid = loan_id(id, &frame)?;
    let caller = viewer.caller.clone();
    let (d, papers) = state
        .db
        .read(move |conn| {
            let d = loans::get_detail(conn, &caller, &lid)?;
            let person = crate::domain::borrowers::get(
                conn,
                &caller,
                &crate::domain::ids::BorrowerId::from(d.loan.borrower_id.as_str()),
            )?
            .name;
            let papers = Papers {
                person,
                signed: signatures::has_signed_pdf(conn, &d.loan.id)?,
                receipt_due: !receipts::awaiting(conn, &d.loan.id)?.is_empty(),
                receipts: receipts::of_loan(conn, &d.loan.id)?,
            };
            Ok((d, papers))
        })
        .await
        .in_frame(&frame)?;
    Ok(page_of(viewer, frame, d, papers, v))
}

#[derive(Debug, serde::Deserialize)]
pub struct DoneQuery {
    pub done: Option<String>,
}

#[get("/loans/{id}", guard = "super::html")]
pub async fn loan_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let mut frame = loan_frame(&viewer, &id);
    if let Some(done) = q.done.as_deref().filter(|d| DONE.contains(d)) {
        frame = frame.with_notice(text(viewer.lang, &format!("web-loan-done-{done}")));
    }
    let page = load(&state, &viewer, &id, frame, Values::new()).await?;
    render(&page)
}

/// The outcome of a form of the loan page: back to the page with a notice, or the page again
/// with the reason next to the field and the typed values.
async fn answer<T>(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    form: Values,
    result: Result<T, AppError>,
    done: &str,
    field_of: &dyn Fn(&str) -> String,
) -> Result<HttpResponse, PageError> {
    let frame = loan_frame(viewer, id);
    match result {
        Ok(_) => Ok(see_other(&format!("/loans/{id}?done={done}"))),
        Err(e) => {
            let status = super::refusal_status(&e);
            let Some(errors) = errors_of(&e, viewer.lang, field_of) else {
                return Err(PageError::in_frame(e, &frame));
            };
            refused(state, viewer, id, form, status, errors).await
        }
    }
}

async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    form: Values,
    status: StatusCode,
    errors: FormErrors,
) -> Result<HttpResponse, PageError> {
    let frame = loan_frame(viewer, id).with_errors(errors);
    let page = load(state, viewer, id, frame, form).await?;
    render_status(status, &page)
}

fn held_on(form: &Values, field: &str) -> Option<chrono::NaiveDate> {
    let raw = value(form, field);
    if raw.is_empty() {
        Some(crate::db::today())
    } else {
        super::people::parse_day(&raw)
    }
}

fn opt_text(form: &Values, name: &str) -> Option<String> {
    Some(value(form, name)).filter(|s| !s.is_empty())
}

#[post("/loans/{id}/checkpoint", guard = "super::html")]
pub async fn checkpoint_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let lid = loan_id(&id, &loan_frame(&viewer, &id))?;
    let Some(held) = held_on(&form, "held_on") else {
        let errors = FormErrors::one("held_on", text(viewer.lang, "web-loan-date-format"));
        return refused(
            &state,
            &viewer,
            &id,
            form,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        )
        .await;
    };
    let r = RecordCheckpoint {
        checkpoint_id: None,
        held_on: held,
        device_present: form.contains_key("device_present"),
        device_working: form.contains_key("device_working"),
        condition: None,
        still_needed: form.contains_key("still_needed"),
        note: opt_text(&form, "note"),
    };
    let caller = viewer.caller.clone();
    let result = state
        .db
        .write(move |conn| loans::record_checkpoint(conn, &caller, &lid, r))
        .await;
    answer(&state, &viewer, &id, form, result, "checkpoint", &|f| {
        f.to_string()
    })
    .await
}

#[post("/loans/{id}/extend", guard = "super::html")]
pub async fn extend_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let lid = loan_id(&id, &loan_frame(&viewer, &id))?;
    // A chosen end date, or (left empty) as far as the domain's extension goes.
    let raw = value(&form, "end_date");
    let end_date = if raw.is_empty() {
        None
    } else if let Some(d) = super::people::parse_day(&raw) {
        Some(d)
    } else {
        let errors = FormErrors::one("end_date", text(viewer.lang, "web-loan-date-format"));
        return refused(
            &state,
            &viewer,
            &id,
            form,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        )
        .await;
    };
    let caller = viewer.caller.clone();
    let result = state
        .db
        .write(move |conn| loans::extend(conn, &caller, &lid, end_date))
        .await;
    answer(&state, &viewer, &id, form, result, "extended", &|f| {
        if f == "end_date" {
            "end_date".to_string()
        } else {
            "extend".to_string()
        }
    })
    .await
}

#[post("/loans/{id}/return", guard = "super::html")]
pub async fn return_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let frame = loan_frame(&viewer, &id);
    let lid = loan_id(&id, &frame)?;
    let caller = viewer.caller.clone();
    let l2 = lid.clone();
    let d = state
        .db
        .read(move |conn| loans::get_detail(conn, &caller, &l2))
        .await
        .in_frame(&frame)?;
    let accessories = parse_list(&d.loan.accessories);
    let back: Vec<String> = accessories
        .iter()
        .enumerate()
        .filter(|(i, _)| form.contains_key(&format!("accessory-{i}")))
        .map(|(_, a)| a.clone())
        .collect();
    let missing: Vec<String> = accessories
        .iter()
        .filter(|a| !back.contains(a))
        .cloned()
        .collect();
    // The devices ticked on the form; the loan's accessories go with the first of them.
    let mut devices = Vec::new();
    let mut keys = Vec::new();
    for (i, (ld, dev)) in d.devices.iter().enumerate() {
        if ld.status != LoanDeviceStatus::OnLoan || !form.contains_key(&format!("back-{i}")) {
            continue;
        }
        let first = devices.is_empty();
        keys.push(i);
        devices.push(ReturnedDevice {
            device_id: dev.id.clone(),
            condition: value(&form, &format!("condition-{i}")),
            damaged: form.contains_key(&format!("damaged-{i}")),
            accessories_back: if first { back.clone() } else { Vec::new() },
            missing_accessories: if first { missing.clone() } else { Vec::new() },
        });
    }
    let r = ReturnLoan {
        returned_on: None,
        devices,
    };
    let caller = viewer.caller.clone();
    let result = state
        .db
        .write(move |conn| loans::return_devices(conn, &caller, &lid, r))
        .await;
    let field_of = |f: &str| -> String {
        let i = f
            .strip_prefix("devices[")
            .and_then(|r| r.split_once(']'))
            .and_then(|(n, _)| n.parse::<usize>().ok())
            .and_then(|n| keys.get(n).copied())
            .unwrap_or(0);
        if f.ends_with("condition") {
            format!("condition-{i}")
        } else {
            format!("back-{i}")
        }
    };
    answer(&state, &viewer, &id, form, result, "returned", &field_of).await
}

#[post("/loans/{id}/non-return", guard = "super::html")]
pub async fn non_return_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let lid = loan_id(&id, &loan_frame(&viewer, &id))?;
    let n = NonReturn {
        device_ids: None,
        note: opt_text(&form, "non_return_note"),
    };
    let caller = viewer.caller.clone();
    let result = state
        .db
        .write(move |conn| loans::non_return(conn, &caller, &lid, n))
        .await;
    answer(&state, &viewer, &id, form, result, "non-returned", &|f| {
        if f == "note" {
            "non_return_note".into()
        } else {
            "non_return".into()
        }
    })
    .await
}

#[post("/loans/{id}/charges/{charge}/pay", guard = "super::html")]
pub async fn pay_submit(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let (id, charge) = path.into_inner();
    let frame = loan_frame(&viewer, &id);
    let cid = crate::api::parse_id(&charge, "The charge")
        .map(ChargeId::from)
        .in_frame(&frame)?;
    let field = format!("pay-{charge}");
    let method = value(&form, &format!("method-{charge}")).parse::<PaymentMethod>();
    let amount = value(&form, &format!("amount-{charge}")).parse::<i64>();
    let (Ok(method), Ok(amount_cents)) = (method, amount) else {
        let errors = FormErrors::one(&field, text(viewer.lang, "web-loan-choose"));
        return refused(
            &state,
            &viewer,
            &id,
            form,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        )
        .await;
    };
    let p = Payment {
        paid_on: crate::db::today(),
        amount_cents,
        method,
    };
    let caller = viewer.caller.clone();
    let result = state
        .db
        .write(move |conn| loans::pay(conn, &caller, &cid, p))
        .await;
    answer(&state, &viewer, &id, form, result, "paid", &|_| {
        field.clone()
    })
    .await
}

#[post("/loans/{id}/charges/{charge}/waive", guard = "super::html")]
pub async fn waive_submit(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let (id, charge) = path.into_inner();
    let frame = loan_frame(&viewer, &id);
    let cid = crate::api::parse_id(&charge, "The charge")
        .map(ChargeId::from)
        .in_frame(&frame)?;
    let field = format!("reason-{charge}");
    let w = Waiver {
        reason: value(&form, &field),
    };
    let caller = viewer.caller.clone();
    let result = state
        .db
        .write(move |conn| loans::waive(conn, &caller, &cid, w))
        .await;
    answer(&state, &viewer, &id, form, result, "waived", &|_| {
        field.clone()
    })
    .await
}

/// The agreement signed on the screen, with both signatures.
#[get("/loans/{id}/signed.pdf")]
pub async fn signed_pdf(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let frame = loan_frame(&viewer, &id);
    let lid = loan_id(&id, &frame)?;
    let caller = viewer.caller.clone();
    let (row, number) = state
        .db
        .read(move |conn| {
            let row = signatures::signed_pdf(conn, &caller, &lid)?;
            let number = loans::get(conn, &caller, &lid)?.number;
            Ok((row, number))
        })
        .await
        .in_frame(&frame)?;
    Ok(super::lending::pdf_response(row.pdf, &number))
}

/// A return receipt signed on the screen, with both signatures.
#[get("/loans/{id}/return-receipts/{receipt}.pdf")]
pub async fn receipt_pdf(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, receipt) = path.into_inner();
    let frame = loan_frame(&viewer, &id);
    let lid = loan_id(&id, &frame)?;
    let rid = crate::api::parse_id(&receipt, "The return receipt").in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let (row, number) = state
        .db
        .read(move |conn| {
            let row = receipts::receipt(conn, &caller, &lid, &rid)?;
            let number = loans::get(conn, &caller, &lid)?.number;
            Ok((row, number))
        })
        .await
        .in_frame(&frame)?;
    Ok(super::lending::pdf_response(
        row.pdf,
        &format!("{number}-return"),
    ))
}

/// The photo or scan of the paper signed by hand.
#[get("/loans/{id}/scan")]
pub async fn scan_download(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let frame = loan_frame(&viewer, &id);
    let lid = loan_id(&id, &frame)?;
    let caller = viewer.caller.clone();
    let row = state
        .db
        .read(move |conn| loans::get_scan(conn, &caller, &lid))
        .await
        .in_frame(&frame)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, row.content_type))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(row.data))
}

/// The photo or scan of the paper signed by hand, from the phone's camera or a file
/// (`multipart/form-data`, the CSRF token in the form).
#[post("/loans/{id}/scan")]
pub async fn scan_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    use crate::web::workshop::multipart;
    let viewer = <Viewer as actix_web::FromRequest>::extract(&req).await?;
    let lang = viewer.lang;
    if cross_origin(&req, &state.config.public_base_url) {
        return Err(PageError::csrf(lang));
    }
    let id = id.into_inner();
    let frame = loan_frame(&viewer, &id);
    let lid = loan_id(&id, &frame)?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = crate::api::read_body(payload, loans::MAX_SCAN_BYTES + 64 * 1024, "The scan")
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
        .find(|p| p.name == "scan" && !p.data.is_empty());
    let Some(file) = file else {
        let errors = FormErrors::one("scan", text(lang, "web-loan-choose-file"));
        return refused(
            &state,
            &viewer,
            &id,
            Values::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        )
        .await;
    };
    // The browser's type, or the one the file's first bytes say.
    let kind = loans::SCAN_TYPES
        .iter()
        .find(|(t, magic)| file.content_type.as_deref() == Some(*t) || file.data.starts_with(magic))
        .map(|(t, _)| t.to_string())
        .unwrap_or_else(|| file.content_type.clone().unwrap_or_default());
    let caller = viewer.caller.clone();
    let result = state
        .db
        .write(move |conn| loans::put_scan(conn, &caller, &lid, &kind, file.data))
        .await;
    match result {
        Err(AppError::UnsupportedMediaType(_)) => {
            let errors = FormErrors::one("scan", text(lang, "web-loan-scan-kind"));
            refused(
                &state,
                &viewer,
                &id,
                Values::new(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                errors,
            )
            .await
        }
        other => {
            answer(&state, &viewer, &id, Values::new(), other, "scan", &|_| {
                "scan".to_string()
            })
            .await
        }
    }
}
