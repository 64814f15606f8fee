//! Loans to people over HTTP: draft, signing at the desk (hands the devices over), the signed
//! scan, the agreement PDF, checkpoints, extension, return, non-return, purchase and charges,
//! and the work lists of an office. Handlers extract, call `domain::loans` (which authorises
//! and holds every rule) and render; the wire types are in `wire.rs`.

mod follow_up;
mod records;
mod wire;
mod worklists;

pub use follow_up::*;
pub use records::*;
pub use wire::*;
pub use worklists::*;

use actix_web::web;

use crate::api::parse_id;
use crate::domain::ids::LoanId;
use crate::error::AppError;

/// The loan named in the path; a malformed id names no loan (404).
fn loan_id(raw: &str) -> Result<LoanId, AppError> {
    parse_id(raw, "The loan").map(LoanId::from)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_loan)
        .service(list_loans)
        .service(checkpoints_due)
        .service(checkpoints_overdue)
        .service(loans_ending)
        .service(loans_overdue)
        .service(get_loan)
        .service(sign_loan)
        .service(cancel_loan)
        .service(put_signed_scan)
        .service(get_signed_scan)
        .service(record_checkpoint)
        .service(extend_loan)
        .service(return_loan)
        .service(non_return)
        .service(purchase)
        .service(agreement_pdf)
        .service(pay_charge)
        .service(waive_charge);
}
