//! A new loan: the programme and up to three devices by tag or label URL (`/loans/people/{id}/new`),
//! the agreement on the screen in the borrower's language in large type with "print" and
//! "sign here" (`/loans/{id}/agreement`), and signing at the desk (`/loans/{id}/signing`): each
//! signer draws with a finger or a stylus, or types their full name (with the social worker's
//! attestation for the borrower). The drafts and signatures go through the domain
//! (`domain::loans::create`, `domain::loans::signatures::sign_on_screen`).

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use super::{day, errors_of, lang_of, value, Values};
use crate::documents::{facts, format_money, AgreementData};
use crate::domain::device_ref::tag_of;
use crate::domain::ids::{BorrowerId, LoanId, ProgrammeId};
use crate::domain::loans::signatures::{self, MarkInput, ScreenSigning};
use crate::domain::loans::{self, LoanStatus, NewLoan, Purpose, MAX_DEVICES};
use crate::domain::{borrowers, programmes};
use crate::error::AppError;
use crate::i18n::{self, Lang};
use crate::startup::AppState;
use crate::web::forms::{FieldProblem, FormErrors};
use crate::web::frame::{render_status, see_other, text, texts, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Posted, Viewer};

#[derive(Template)]
#[template(path = "loans/new.html")]
pub struct NewLoanPage {
    pub frame: Frame,
    pub borrower_id: String,
    pub person: String,
    pub programmes: Vec<(String, String)>,
    pub programme: String,
    pub purposes: Vec<(String, String)>,
    pub purpose: String,
    /// The three device fields as typed: (field name, label, value).
    pub devices: Vec<(String, String, String)>,
    pub accessories: String,
}
crate::page!(NewLoanPage);

fn device_field(i: usize) -> String {
    format!("device-{}", i + 1)
}

async fn new_loan(
    state: &AppState,
    viewer: &Viewer,
    borrower: &str,
    v: &Values,
    frame: Frame,
) -> Result<NewLoanPage, PageError> {
    let lang = viewer.lang;
    let caller = viewer.caller.clone();
    let bid = BorrowerId::from(borrower);
    let (b, progs) = state
        .db
        .read(move |conn| {
            let b = borrowers::get(conn, &caller, &bid)?;
            let progs = programmes::list(conn, &caller)?;
            Ok((b, progs))
        })
        .await
        .in_frame(&frame)?;
    let today = crate::db::today();
    let programmes: Vec<(String, String)> = progs
        .into_iter()
        .filter(|p| p.end_date >= today)
        .map(|p| {
            let label = texts(
                lang,
                "web-loan-new-programme-until",
                &[("name", &p.name), ("n", &day(p.end_date))],
            );
            (p.id, label)
        })
        .collect();
    let programme = Some(value(v, "programme_id"))
        .filter(|p| !p.is_empty())
        .or_else(|| programmes.first().map(|p| p.0.clone()))
        .unwrap_or_default();
    let purpose = Some(value(v, "purpose"))
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| Purpose::JobSearch.to_string());
    Ok(NewLoanPage {
        borrower_id: b.id,
        person: b.name,
        programmes,
        programme,
        purposes: Purpose::ALL
            .iter()
            .map(|p| (p.to_string(), text(lang, &format!("web-loan-purpose-{p}"))))
            .collect(),
        purpose,
        devices: (0..MAX_DEVICES)
            .map(|i| {
                let f = device_field(i);
                let label = texts(
                    lang,
                    "web-loan-field-device",
                    &[("n", &(i + 1).to_string())],
                );
                let typed = value(v, &f);
                (f, label, typed)
            })
            .collect(),
        accessories: value(v, "accessories"),
        frame,
    })
}

fn new_frame(viewer: &Viewer, borrower: &str) -> Frame {
    Frame::signed_in(
        viewer,
        &format!("/loans/people/{borrower}/new"),
        "web-loan-new-title",
    )
}

#[get("/loans/people/{id}/new", guard = "super::html")]
pub async fn new_loan_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let frame = new_frame(&viewer, &id);
    crate::api::parse_id(&id, "The borrower").in_frame(&frame)?;
    viewer
        .caller
        .require(crate::auth::Perm::ManageLoans)
        .in_frame(&frame)?;
    let page = new_loan(&state, &viewer, &id, &Values::new(), frame).await?;
    render(&page)
}

/// The field of a device the domain names by the tag in its message (a conflict names the
/// device, not the field).
fn field_naming(typed: &[(usize, String)], message: &str) -> Option<String> {
    typed
        .iter()
        .find(|(_, t)| {
            let tag = tag_of(t);
            !tag.is_empty() && message.contains(&tag)
        })
        .map(|(i, _)| device_field(*i))
}

#[post("/loans/people/{id}/new", guard = "super::html")]
pub async fn new_loan_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let lang = viewer.lang;
    let frame = new_frame(&viewer, &id);
    let bid = crate::api::parse_id(&id, "The borrower")
        .map(BorrowerId::from)
        .in_frame(&frame)?;
    // The filled device fields, with their place on the form.
    let typed: Vec<(usize, String)> = (0..MAX_DEVICES)
        .map(|i| (i, value(&form, &device_field(i))))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let accessories: Vec<String> = value(&form, "accessories")
        .split([',', ';', '\n'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let purpose = value(&form, "purpose")
        .parse::<Purpose>()
        .unwrap_or(Purpose::Other);
    let new = NewLoan {
        borrower_id: bid,
        programme_id: ProgrammeId::from(value(&form, "programme_id").as_str()),
        device_ids: typed.iter().map(|(_, t)| t.clone()).collect(),
        start_date: crate::db::today(),
        end_date: None,
        accessories,
        purpose,
    };
    let caller = viewer.caller.clone();
    let result = state
        .db
        .write(move |conn| loans::create(conn, &caller, new))
        .await;
    let e = match result {
        Ok(detail) => return Ok(see_other(&format!("/loans/{}/agreement", detail.loan.id))),
        Err(e) => e,
    };
    let field_of = |f: &str| -> String {
        if let Some(i) = f
            .strip_prefix("device_ids[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|n| n.parse::<usize>().ok())
        {
            return typed
                .get(i)
                .map_or_else(|| device_field(0), |(slot, _)| device_field(*slot));
        }
        match f {
            "device_ids" => device_field(0),
            other => other.to_string(),
        }
    };
    let errors = match &e {
        AppError::Conflict { detail, extra } => {
            let status = extra
                .get("current_status")
                .and_then(|s| s.as_str())
                .map(|s| text(lang, &format!("web-workshop-status-{s}")));
            let message = match status {
                Some(s) => texts(lang, "web-loan-device-not-ready", &[("name", &s)]),
                None => texts(lang, "web-loan-device-held", &[]),
            };
            match field_naming(&typed, detail) {
                Some(field) => FormErrors {
                    items: vec![FieldProblem {
                        field,
                        message,
                        label: None,
                    }],
                    general: None,
                },
                None => FormErrors::general(message),
            }
        }
        other => match errors_of(other, lang, &field_of) {
            Some(errors) => errors,
            None => return Err(PageError::in_frame(e, &frame)),
        },
    };
    let status = if matches!(e, AppError::Conflict { .. }) {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = new_loan(&state, &viewer, &id, &form, frame.with_errors(errors)).await?;
    render_status(status, &page)
}

/// One part of the agreement on the screen.
#[derive(Debug, Clone)]
pub struct Part {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub bullets: Vec<String>,
}

#[derive(Template)]
#[template(path = "loans/agreement.html")]
pub struct AgreementPage {
    pub frame: Frame,
    pub loan_id: String,
    pub title: String,
    pub number: String,
    pub parts: Vec<Part>,
    pub draft: bool,
    pub may_sign: bool,
}
crate::page!(AgreementPage);

/// The agreement's texts (the PDF's catalogue wording) in the borrower's language.
fn agreement_parts(d: &AgreementData) -> Vec<Part> {
    let lang = d.lang;
    let start = crate::documents::format_date(d.start, lang);
    let end = crate::documents::format_date(d.end, lang);
    let total: i64 = d.devices.iter().map(|x| x.value_cents).sum();
    let total = format_money(total, lang);
    let vars: Vec<(&str, &str)> = vec![
        ("agreement_number", d.agreement_number.as_str()),
        ("lender_name", d.lender.name.as_str()),
        ("purpose", d.purpose.as_str()),
        ("start_date", start.as_str()),
        ("end_date", end.as_str()),
        ("total_value", total.as_str()),
        ("social_worker_name", d.social_worker_name.as_str()),
    ];
    let t = |key: &str| {
        i18n::text(lang, &format!("agreement-{key}"), &vars)
            .map(|c| c.into_owned())
            .unwrap_or_default()
    };
    let part = |heading: &str, paragraphs: Vec<String>, bullets: Vec<String>| Part {
        heading: t(heading),
        paragraphs,
        bullets,
    };
    let devices: Vec<String> = d
        .devices
        .iter()
        .map(|x| {
            format!(
                "{} {} {} · {} · {}",
                x.kind,
                x.brand,
                x.model,
                x.asset_tag,
                format_money(x.value_cents, lang)
            )
        })
        .collect();
    let accessories = if d.accessories.is_empty() {
        t("devices-no-accessories")
    } else {
        i18n::text(
            lang,
            "agreement-devices-accessories",
            &[("accessories", &d.accessories.join(", "))],
        )
        .map(|c| c.into_owned())
        .unwrap_or_default()
    };
    let checkpoints: Vec<String> = d
        .checkpoints
        .iter()
        .map(|c| crate::documents::format_date(*c, lang))
        .collect();
    let promises = i18n::list(lang, "agreement-promises-items", &vars).unwrap_or_default();
    vec![
        part(
            "parties-heading",
            vec![
                format!("{}: {}", t("parties-lender"), d.lender.name),
                format!("{}: {}", t("parties-borrower"), d.borrower_name),
                format!("{}: {}", t("parties-social-worker"), d.social_worker_name),
            ],
            Vec::new(),
        ),
        part(
            "devices-heading",
            vec![t("devices-intro"), accessories],
            devices,
        ),
        part("purpose-heading", vec![t("purpose-text")], Vec::new()),
        part(
            "period-heading",
            vec![
                t("period-text"),
                if checkpoints.is_empty() {
                    t("period-no-checkpoints")
                } else {
                    t("period-checkpoints")
                },
            ],
            checkpoints,
        ),
        part("promises-heading", Vec::new(), promises),
        part(
            "value-heading",
            vec![t("value-free"), t("value-not-returned"), t("value-keep")],
            Vec::new(),
        ),
        part("data-heading", vec![t("data-text")], Vec::new()),
        part(
            "privacy-heading",
            vec![
                t("privacy-what"),
                t("privacy-why"),
                t("privacy-how-long"),
                t("privacy-rights"),
                t("privacy-contact"),
            ],
            Vec::new(),
        ),
    ]
}

/// A frame for a screen the borrower reads: in their language.
fn borrower_frame(viewer: &Viewer, path: &str, title_key: &str, lang: Lang) -> Frame {
    let mut frame = Frame::signed_in(viewer, path, title_key);
    frame.lang = lang;
    frame.title = text(lang, title_key);
    frame
}

#[get("/loans/{id}/agreement", guard = "super::html")]
pub async fn agreement_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let path = format!("/loans/{id}/agreement");
    let frame = Frame::signed_in(&viewer, &path, "web-loan-agreement-title");
    let lid = crate::api::parse_id(&id, "The loan")
        .map(LoanId::from)
        .in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let base = state.config.public_base_url.clone();
    let (data, status) = state
        .db
        .read(move |conn| {
            let data = facts::agreement(conn, &caller, lid.as_str(), &base)?;
            let status = loans::get(conn, &caller, &lid)?.status;
            Ok((data, status))
        })
        .await
        .in_frame(&frame)?;
    let frame = borrower_frame(&viewer, &path, "web-loan-agreement-title", data.lang);
    let title = i18n::plain(data.lang, "agreement-document-title")
        .unwrap_or_default()
        .to_string();
    render(&AgreementPage {
        loan_id: id.to_string(),
        title,
        number: data.agreement_number.clone(),
        parts: agreement_parts(&data),
        draft: status == LoanStatus::Draft,
        may_sign: viewer.caller.can(crate::auth::Perm::ManageLoans),
        frame,
    })
}

/// The agreement as a PDF to print (the same document as the API's `agreement.pdf`).
#[get("/loans/{id}/paper.pdf")]
pub async fn paper_pdf(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/loans", "web-loan-agreement-title");
    let lid = crate::api::parse_id(&id, "The loan")
        .map(LoanId::from)
        .in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let base = state.config.public_base_url.clone();
    let data = state
        .db
        .read(move |conn| facts::agreement(conn, &caller, lid.as_str(), &base))
        .await
        .in_frame(&frame)?;
    let number = data.agreement_number.clone();
    let pdf = web::block(move || crate::documents::loan_agreement_pdf(&data))
        .await
        .map_err(|e| PageError::in_frame(AppError::internal(e), &frame))?
        .map_err(|e| {
            PageError::in_frame(AppError::internal(format!("agreement PDF: {e}")), &frame)
        })?;
    Ok(pdf_response(pdf, &number))
}

/// A PDF shown in the browser, never cached.
pub fn pdf_response(pdf: Vec<u8>, number: &str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/pdf"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{number}.pdf\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(pdf)
}

#[derive(Template)]
#[template(path = "loans/sign.html")]
pub struct SignPage {
    pub frame: Frame,
    /// Where the form goes: the agreement's signing or the return receipt's.
    pub action: String,
    /// The return receipt is signed (not the agreement).
    pub receipt: bool,
    pub loan_id: String,
    pub number: String,
    pub borrower_name: String,
    pub social_worker_name: String,
    pub borrower_strokes: String,
    pub borrower_typed: String,
    pub social_worker_strokes: String,
    pub social_worker_typed: String,
    pub attested: bool,
    pub place: String,
}
crate::page!(SignPage);

/// What a signing page shows besides the form's values.
struct Signing {
    receipt: bool,
    loan_id: String,
    number: String,
    borrower_name: String,
    social_worker_name: String,
    lang: Lang,
    office: String,
}

/// The signing page of the agreement or of the return receipt, in the person's language, with
/// the values of a refused form.
fn signing_page(viewer: &Viewer, s: Signing, v: Option<&Values>) -> SignPage {
    let (path, title) = if s.receipt {
        (
            format!("/loans/{}/return-receipt", s.loan_id),
            "web-loan-receipt-title",
        )
    } else {
        (
            format!("/loans/{}/signing", s.loan_id),
            "web-loan-sign-title",
        )
    };
    let frame = borrower_frame(viewer, &path, title, s.lang);
    let empty = Values::new();
    let v = v.unwrap_or(&empty);
    let place = match v.get("place") {
        Some(p) => p.trim().to_string(),
        None => s.office,
    };
    SignPage {
        action: path,
        receipt: s.receipt,
        loan_id: s.loan_id,
        number: s.number,
        borrower_name: s.borrower_name,
        social_worker_name: s.social_worker_name,
        borrower_strokes: value(v, "borrower_strokes"),
        borrower_typed: value(v, "borrower_typed"),
        social_worker_strokes: value(v, "social_worker_strokes"),
        social_worker_typed: value(v, "social_worker_typed"),
        attested: v.contains_key("attested"),
        place,
        frame,
    }
}

/// The facts of a signing page: the loan's agreement facts; the social worker who signs is
/// the loan's (the agreement) or the one receiving the devices, the viewer (the receipt).
async fn signing_facts(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    receipt: bool,
) -> Result<Signing, PageError> {
    let path = if receipt {
        format!("/loans/{id}/return-receipt")
    } else {
        format!("/loans/{id}/signing")
    };
    let frame = Frame::signed_in(viewer, &path, "web-loan-sign-title");
    let lid = crate::api::parse_id(id, "The loan")
        .map(LoanId::from)
        .in_frame(&frame)?;
    viewer
        .caller
        .require(crate::auth::Perm::ManageLoans)
        .in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let (f, me) = state
        .db
        .read(move |conn| {
            let f = loans::queries::agreement_facts_of(conn, &caller, &lid)?;
            let me = if receipt {
                Some(loans::receipts::receiver_name(conn, &caller)?)
            } else {
                None
            };
            Ok((f, me))
        })
        .await
        .in_frame(&frame)?;
    Ok(Signing {
        receipt,
        loan_id: f.detail.loan.id.clone(),
        number: f.detail.loan.number.clone(),
        borrower_name: f.borrower.name.clone(),
        social_worker_name: me.unwrap_or(f.social_worker_name),
        lang: lang_of(f.borrower.language),
        office: f.office.name,
    })
}

/// The marks and the place as the signing form sends them.
fn screen_signing(form: &Values) -> ScreenSigning {
    ScreenSigning {
        borrower: MarkInput {
            strokes: value(form, "borrower_strokes"),
            typed_name: value(form, "borrower_typed"),
        },
        social_worker: MarkInput {
            strokes: value(form, "social_worker_strokes"),
            typed_name: value(form, "social_worker_typed"),
        },
        attested: form.contains_key("attested"),
        place: value(form, "place"),
    }
}

/// The outcome of a signing form: on to the loan's page, or the form again with the reasons.
fn signed_or_refused(
    mut page: SignPage,
    result: Result<String, AppError>,
) -> Result<HttpResponse, PageError> {
    match result {
        Ok(to) => Ok(see_other(&to)),
        Err(e) => {
            let lang = page.frame.lang;
            let status = super::refusal_status(&e);
            match errors_of(&e, lang, &|f| f.to_string()) {
                Some(errors) => {
                    page.frame = page.frame.with_errors(errors);
                    render_status(status, &page)
                }
                None => Err(PageError::in_frame(e, &page.frame)),
            }
        }
    }
}

#[get("/loans/{id}/signing", guard = "super::html")]
pub async fn sign_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let s = signing_facts(&state, &viewer, &id, false).await?;
    render(&signing_page(&viewer, s, None))
}

#[post("/loans/{id}/signing", guard = "super::html")]
pub async fn sign_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let s = signing_facts(&state, &viewer, &id, false).await?;
    let page = signing_page(&viewer, s, Some(&form));
    let lid = LoanId::from(page.loan_id.as_str());
    let s = screen_signing(&form);
    let caller = viewer.caller.clone();
    let base = state.config.public_base_url.clone();
    let result = state
        .db
        .write(move |conn| signatures::sign_on_screen(conn, &caller, &lid, s, &base))
        .await
        .map(|d| format!("/loans/{}?done=signed", d.loan.id));
    signed_or_refused(page, result)
}

/// Signing the return receipt, after a return was recorded on the loan's page.
#[get("/loans/{id}/return-receipt", guard = "super::html")]
pub async fn receipt_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let s = signing_facts(&state, &viewer, &id, true).await?;
    render(&signing_page(&viewer, s, None))
}

#[post("/loans/{id}/return-receipt", guard = "super::html")]
pub async fn receipt_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let s = signing_facts(&state, &viewer, &id, true).await?;
    let page = signing_page(&viewer, s, Some(&form));
    let lid = LoanId::from(page.loan_id.as_str());
    let s = screen_signing(&form);
    let caller = viewer.caller.clone();
    let result = state
        .db
        .write(move |conn| loans::receipts::sign_receipt(conn, &caller, &lid, s))
        .await
        .map(|r| format!("/loans/{}?done=receipt", r.loan_id));
    signed_or_refused(page, result)
}
