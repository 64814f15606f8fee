//! Finding or registering a person (`/loans/people`) and a person's page
//! (`/loans/people/{id}`). Names and birth dates travel in posted forms only, never in a URL.
//! A possible duplicate (the domain's search by name and birth date) is shown before a new
//! person is registered, and must be set aside explicitly.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;

use super::{day, errors_of, money, value, Values};
use crate::db::models::BorrowerRow;
use crate::domain::borrowers::{self, BorrowerSearch, Language, NewBorrower};
use crate::domain::ids::BorrowerId;
use crate::domain::loans::{self, ChargeStatus, LoanFilter};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::forms::FormErrors;
use crate::web::frame::{render_status, see_other, text, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Posted, Viewer};

/// A person in a list of matches.
#[derive(Debug, Clone)]
pub struct Match {
    pub id: String,
    pub name: String,
    pub born: String,
}

#[derive(Template)]
#[template(path = "loans/find.html")]
pub struct FindPage {
    pub frame: Frame,
    /// The name typed (not `name`: the form macros have a parameter of that name).
    pub person_name: String,
    pub date_of_birth: String,
    pub language: String,
    pub phone: String,
    pub address: String,
    /// Whether a search was made (the list below is its answer).
    pub searched: bool,
    pub matches: Vec<Match>,
    /// The matches are the same name and birth date: registering needs `confirm_new`.
    pub duplicates: bool,
    pub languages: Vec<(String, String)>,
}
crate::page!(FindPage);

fn languages(lang: Lang) -> Vec<(String, String)> {
    Language::ALL
        .iter()
        .map(|l| (l.to_string(), text(lang, &format!("web-loan-language-{l}"))))
        .collect()
}

/// A date as people type it: `31-12-1980`, `31/12/1980`, `31.12.1980` or `1980-12-31`.
pub fn parse_day(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(raw, f).ok())
}

fn find_page(viewer: &Viewer, v: &Values) -> FindPage {
    let frame = Frame::signed_in(viewer, "/loans/people", "web-loan-find-title");
    let lang = viewer.lang;
    let language = Some(value(v, "language"))
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| lang.code().to_string());
    FindPage {
        person_name: value(v, "name"),
        date_of_birth: value(v, "date_of_birth"),
        language,
        phone: value(v, "phone"),
        address: value(v, "address"),
        searched: false,
        matches: Vec::new(),
        duplicates: false,
        languages: languages(lang),
        frame,
    }
}

fn matches(rows: Vec<BorrowerRow>) -> Vec<Match> {
    rows.into_iter()
        .map(|b| Match {
            id: b.id,
            name: b.name,
            born: day(b.date_of_birth),
        })
        .collect()
}

#[get("/loans/people", guard = "super::html")]
pub async fn find_page_get(viewer: Viewer) -> Result<HttpResponse, PageError> {
    viewer
        .caller
        .require(crate::auth::Perm::ReadLoans)
        .map_err(|e| {
            PageError::in_frame(
                e,
                &Frame::signed_in(&viewer, "/loans", "web-loan-find-title"),
            )
        })?;
    render(&find_page(&viewer, &Values::new()))
}

/// The search: by name, and by birth date when it is given.
#[post("/loans/people/search", guard = "super::html")]
pub async fn search_submit(
    state: web::Data<AppState>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let mut page = find_page(&viewer, &form);
    let lang = viewer.lang;
    let dob_raw = value(&form, "date_of_birth");
    let dob = parse_day(&dob_raw);
    if !dob_raw.is_empty() && dob.is_none() {
        page.frame = page.frame.with_errors(FormErrors::one(
            "date_of_birth",
            text(lang, "web-loan-date-format"),
        ));
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let caller = viewer.caller.clone();
    let s = BorrowerSearch {
        name: page.person_name.clone(),
        date_of_birth: dob,
        organisation_id: None,
    };
    match state
        .db
        .read(move |conn| borrowers::search(conn, &caller, s))
        .await
    {
        Ok(rows) => {
            page.searched = true;
            page.duplicates = dob.is_some() && !rows.is_empty();
            page.matches = matches(rows);
            render(&page)
        }
        Err(e) => match errors_of(&e, lang, &|f| f.to_string()) {
            Some(errors) => {
                page.frame = page.frame.with_errors(errors);
                render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
            None => Err(PageError::in_frame(e, &page.frame)),
        },
    }
}

/// Registers a person; when people with the same name and birth date exist and the form does
/// not say "someone else", they are shown first (409) and nothing is registered.
#[post("/loans/people/register", guard = "super::html")]
pub async fn register_submit(
    state: web::Data<AppState>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let mut page = find_page(&viewer, &form);
    let lang = viewer.lang;
    let mut errors = FormErrors::default();
    let dob = parse_day(&page.date_of_birth);
    if dob.is_none() {
        errors
            .items
            .push(problem("date_of_birth", text(lang, "web-loan-date-format")));
    }
    let language = page.language.parse::<Language>().ok();
    if language.is_none() {
        errors
            .items
            .push(problem("language", text(lang, "web-loan-choose")));
    }
    let (Some(dob), Some(language)) = (dob, language) else {
        page.frame = page.frame.with_errors(errors);
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let confirmed = form.contains_key("confirm_new");
    let caller = viewer.caller.clone();
    let opt = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    let new = NewBorrower {
        organisation_id: None,
        name: page.person_name.clone(),
        date_of_birth: dob,
        language,
        phone: opt(&page.phone),
        email: None,
        address: opt(&page.address),
        social_worker_id: None,
        note: None,
    };
    let name = page.person_name.clone();
    let result = state
        .db
        .write(move |conn| {
            if !confirmed && name.trim().chars().count() >= 2 {
                let same = borrowers::search(
                    conn,
                    &caller,
                    BorrowerSearch {
                        name,
                        date_of_birth: Some(dob),
                        organisation_id: None,
                    },
                )?;
                if !same.is_empty() {
                    return Ok(Err(same));
                }
            }
            borrowers::create(conn, &caller, new).map(|(row, _)| Ok(row))
        })
        .await;
    match result {
        Ok(Ok(row)) => Ok(see_other(&format!(
            "/loans/people/{}?done=registered",
            row.id
        ))),
        Ok(Err(same)) => {
            page.searched = true;
            page.duplicates = true;
            page.matches = matches(same);
            page.frame = page.frame.with_errors(FormErrors::one(
                "confirm_new",
                text(lang, "web-loan-find-duplicate"),
            ));
            render_status(StatusCode::CONFLICT, &page)
        }
        Err(e) => match errors_of(&e, lang, &|f| f.to_string()) {
            Some(errors) => {
                page.frame = page.frame.with_errors(errors);
                render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
            None => Err(PageError::in_frame(e, &page.frame)),
        },
    }
}

fn problem(field: &str, message: String) -> crate::web::forms::FieldProblem {
    crate::web::forms::FieldProblem {
        field: field.to_string(),
        message,
        label: None,
    }
}

/// A loan of a person, as their page lists it.
#[derive(Debug, Clone)]
pub struct LoanLine {
    pub id: String,
    pub number: String,
    pub status: String,
    pub period: String,
}

/// An open charge.
#[derive(Debug, Clone)]
pub struct ChargeLine {
    pub loan_id: String,
    pub number: String,
    pub amount: String,
    pub kind: String,
}

#[derive(Template)]
#[template(path = "loans/person.html")]
pub struct PersonPage {
    pub frame: Frame,
    pub id: String,
    pub name: String,
    pub born: String,
    pub language: String,
    pub phone: String,
    pub address: String,
    pub anonymised: bool,
    pub loans: Vec<LoanLine>,
    pub charges: Vec<ChargeLine>,
    pub may_lend: bool,
    pub may_anonymise: bool,
    pub may_export: bool,
}
crate::page!(PersonPage);

#[derive(Debug, serde::Deserialize)]
pub struct DoneQuery {
    pub done: Option<String>,
}

/// What a person's page shows, read for the viewer.
async fn person(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    frame: Frame,
) -> Result<PersonPage, PageError> {
    let lang = viewer.lang;
    let caller = viewer.caller.clone();
    let bid = BorrowerId::from(id);
    let (b, details) = state
        .db
        .read(move |conn| {
            let b = borrowers::get(conn, &caller, &bid)?;
            let filter = LoanFilter {
                organisation_id: None,
                borrower_id: Some(bid),
                status: None,
            };
            let (details, _) = loans::list(conn, &caller, &filter, 200, None)?;
            Ok((b, details))
        })
        .await
        .in_frame(&frame)?;
    let mut charges = Vec::new();
    let mut lines = Vec::new();
    for d in details {
        for c in d.charges.iter().filter(|c| c.status == ChargeStatus::Open) {
            charges.push(ChargeLine {
                loan_id: d.loan.id.clone(),
                number: d.loan.number.clone(),
                amount: money(c.amount_cents, lang),
                kind: text(lang, &format!("web-loan-charge-{}", c.kind)),
            });
        }
        lines.push(LoanLine {
            status: text(lang, &format!("web-loan-status-{}", d.loan.status)),
            period: format!("{} – {}", day(d.loan.start_date), day(d.loan.end_date)),
            id: d.loan.id,
            number: d.loan.number,
        });
    }
    let caller = &viewer.caller;
    Ok(PersonPage {
        id: b.id.clone(),
        born: day(b.date_of_birth),
        language: text(lang, &format!("web-loan-language-{}", b.language)),
        phone: b.phone.clone().unwrap_or_default(),
        address: b.address.clone().unwrap_or_default(),
        anonymised: b.anonymised_at.is_some(),
        name: b.name,
        loans: lines,
        charges,
        may_lend: caller.can(crate::auth::Perm::ManageLoans),
        may_anonymise: caller.can(crate::auth::Perm::ManagePersonalData),
        may_export: crate::auth::visibility::borrower_export(caller, &b.organisation_id),
        frame,
    })
}

fn person_frame(viewer: &Viewer, id: &str) -> Frame {
    Frame::signed_in(
        viewer,
        &format!("/loans/people/{id}"),
        "web-loan-person-title",
    )
}

#[get("/loans/people/{id}", guard = "super::html")]
pub async fn person_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let mut frame = person_frame(&viewer, &id);
    let _ = crate::api::parse_id(&id, "The borrower").in_frame(&frame)?;
    if let Some(done) = q.done.as_deref().filter(|d| PERSON_DONE.contains(d)) {
        frame = frame.with_notice(text(viewer.lang, &format!("web-loan-done-{done}")));
    }
    let page = person(&state, &viewer, &id, frame).await?;
    render(&page)
}

/// The confirmations a person's page may show after a form.
pub const PERSON_DONE: &[&str] = &["registered", "anonymised"];

/// The subject-access export (GDPR art. 15) as a JSON download: the API's export.
#[get("/loans/people/{id}/export.json")]
pub async fn export_download(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    use crate::api::accounts::{utc, uuid_of};
    use crate::api::borrowers::{Borrower, BorrowerExport, HistoryNote};
    let frame = person_frame(&viewer, &id);
    let bid = crate::api::parse_id(&id, "The borrower")
        .map(BorrowerId::from)
        .in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let export = state
        .db
        .read(move |conn| borrowers::export(conn, &caller, &bid))
        .await
        .in_frame(&frame)?;
    let body = BorrowerExport {
        exported_at: utc(crate::db::now()),
        borrower: Borrower::from(export.borrower),
        loans: export
            .loans
            .into_iter()
            .map(crate::api::loans::Loan::from)
            .collect(),
        history_notes: export
            .history_notes
            .into_iter()
            .map(|n| HistoryNote {
                device_id: uuid_of(&n.device_id),
                loan_id: n.loan_id.as_deref().map(uuid_of),
                field: n.name,
                text: n.text,
                at: utc(n.created_at),
            })
            .collect(),
    };
    let json = serde_json::to_vec_pretty(&body)
        .map_err(|e| PageError::in_frame(AppError::internal(e), &frame))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"person-{id}.json\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(json))
}

/// Anonymisation (coordinators): refused with the reason while a loan or a charge is open.
#[post("/loans/people/{id}/anonymise", guard = "super::html")]
pub async fn anonymise_submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, .. } = posted;
    let frame = person_frame(&viewer, &id);
    let bid = crate::api::parse_id(&id, "The borrower")
        .map(BorrowerId::from)
        .in_frame(&frame)?;
    let caller = viewer.caller.clone();
    let result = state
        .db
        .write(move |conn| borrowers::anonymise(conn, &caller, &bid))
        .await;
    match result {
        Ok(_) => {
            state.db.after_erasure();
            Ok(see_other(&format!("/loans/people/{id}?done=anonymised")))
        }
        Err(e @ AppError::Conflict { .. }) => {
            let errors = errors_of(&e, viewer.lang, &|f| f.to_string()).unwrap_or_default();
            let page = person(&state, &viewer, &id, frame.with_errors(errors)).await?;
            render_status(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(PageError::in_frame(e, &frame)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_people_type_them() {
        let d = NaiveDate::from_ymd_opt(1980, 4, 12);
        assert_eq!(parse_day("12-04-1980"), d);
        assert_eq!(parse_day("12/04/1980"), d);
        assert_eq!(parse_day(" 1980-04-12 "), d);
        assert_eq!(parse_day("12 april"), None);
    }

    #[test]
    fn every_language_and_status_has_its_text() {
        for l in Language::ALL {
            assert!(crate::i18n::has(
                Lang::Nl,
                &format!("web-loan-language-{l}")
            ));
        }
        for s in crate::domain::loans::LoanStatus::ALL {
            assert!(crate::i18n::has(Lang::Nl, &format!("web-loan-status-{s}")));
        }
        for k in crate::domain::loans::ChargeKind::ALL {
            assert!(crate::i18n::has(Lang::Nl, &format!("web-loan-charge-{k}")));
        }
        for d in PERSON_DONE {
            assert!(crate::i18n::has(Lang::Nl, &format!("web-loan-done-{d}")));
        }
    }
}
