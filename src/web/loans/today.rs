//! The day's work of a welfare office (`/loans`): checkpoints due this week and overdue, loans
//! ending soon and overdue, drafts not yet signed; each line opens the loan. Coordinators see
//! every office and may choose one.

use actix_web::{get, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::day;
use crate::domain::accounts::{self, OrgKind};
use crate::domain::ids::OrganisationId;
use crate::domain::loans::{self, worklists, LoanFilter, LoanStatus};
use crate::startup::AppState;
use crate::web::frame::Frame;
use crate::web::prelude::*;
use crate::web::{PageError, Viewer};

/// One line of a work list.
#[derive(Debug, Clone)]
pub struct WorkLine {
    pub loan_id: String,
    pub number: String,
    pub person: String,
    pub date: String,
}

/// One list of the page, with the key of its heading.
pub struct WorkList {
    pub key: &'static str,
    pub lines: Vec<WorkLine>,
}

#[derive(Template)]
#[template(path = "loans/today.html")]
pub struct TodayPage {
    pub frame: Frame,
    pub lists: Vec<WorkList>,
    pub may_lend: bool,
    /// For those who see every office: the offices to choose from (id, name, chosen).
    pub offices: Vec<(String, String, bool)>,
}
crate::page!(TodayPage);

#[derive(Debug, Deserialize)]
pub struct OfficeQuery {
    pub office_id: Option<uuid::Uuid>,
}

/// Days ahead of "this week".
const WEEK: i64 = 7;
/// Days ahead of "ending soon".
const SOON: i64 = 30;

#[get("/loans", guard = "super::html")]
pub async fn today_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    q: web::Query<OfficeQuery>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/loans", "web-loan-today-title");
    let caller = viewer.caller.clone();
    let office = q.office_id.map(|o| OrganisationId::from(o.to_string()));
    let everything = caller.sees_everything();
    let (due, late, ending, over, drafts, offices) = state
        .db
        .read(move |conn| {
            let o = office.as_ref();
            let due = worklists::checkpoints_due(conn, &caller, o, Some(WEEK))?;
            let late = worklists::checkpoints_overdue(conn, &caller, o)?;
            let ending = worklists::loans_ending(conn, &caller, o, Some(SOON))?;
            let over = worklists::loans_overdue(conn, &caller, o)?;
            let filter = LoanFilter {
                organisation_id: office.clone(),
                borrower_id: None,
                status: Some(LoanStatus::Draft),
            };
            let (drafts, _) = loans::list(conn, &caller, &filter, 100, None)?;
            let drafts: Vec<(String, String, String, chrono::NaiveDate)> = drafts
                .into_iter()
                .map(|d| {
                    let name = crate::domain::borrowers::get(
                        conn,
                        &caller,
                        &crate::domain::ids::BorrowerId::from(d.loan.borrower_id.as_str()),
                    )
                    .map(|b| b.name)
                    .unwrap_or_default();
                    (d.loan.id, d.loan.number, name, d.loan.start_date)
                })
                .collect();
            let offices: Vec<(String, String)> = if everything {
                accounts::list_organisations(conn, &caller, 500, None)
                    .map(|(rows, _)| rows)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|o| o.kind == OrgKind::WelfareOffice)
                    .map(|o| (o.id, o.name))
                    .collect()
            } else {
                Vec::new()
            };
            Ok((due, late, ending, over, drafts, offices))
        })
        .await
        .in_frame(&frame)?;
    let checkpoint_lines = |list: Vec<worklists::DueCheckpoint>| {
        list.into_iter()
            .map(|c| WorkLine {
                loan_id: c.loan.id,
                number: c.loan.number,
                person: c.borrower_name,
                date: day(c.checkpoint.due_on),
            })
            .collect()
    };
    let loan_lines = |list: Vec<worklists::EndingLoan>| {
        list.into_iter()
            .map(|l| WorkLine {
                loan_id: l.loan.id,
                number: l.loan.number,
                person: l.borrower_name,
                date: day(l.loan.end_date),
            })
            .collect()
    };
    let lists = vec![
        WorkList {
            key: "web-loan-today-checkpoints-late",
            lines: checkpoint_lines(late),
        },
        WorkList {
            key: "web-loan-today-checkpoints-week",
            lines: checkpoint_lines(due),
        },
        WorkList {
            key: "web-loan-today-loans-late",
            lines: loan_lines(over),
        },
        WorkList {
            key: "web-loan-today-loans-ending",
            lines: loan_lines(ending),
        },
        WorkList {
            key: "web-loan-today-drafts",
            lines: drafts
                .into_iter()
                .map(|(loan_id, number, person, start)| WorkLine {
                    loan_id,
                    number,
                    person,
                    date: day(start),
                })
                .collect(),
        },
    ];
    render(&TodayPage {
        may_lend: viewer.caller.can(crate::auth::Perm::ManageLoans),
        lists,
        offices: offices
            .into_iter()
            .map(|(id, name)| {
                let chosen = q.office_id.is_some_and(|o| o.to_string() == id);
                (id, name, chosen)
            })
            .collect(),
        frame,
    })
}
