//! The OpenAPI 3.1 document, generated from the handlers' annotations, and the offline API
//! reference page (Swagger UI, its assets compiled into the binary).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

#[derive(OpenApi)]
#[openapi(
    info(title = "Digilend", description = "Lending refurbished devices for digital inclusion: inventory, data wiping, loans to people, bookings by organisations, labels."),
    paths(
        api::health::health,
        crate::observability::get_metrics,
        api::accounts::create_organisation, api::accounts::list_organisations, api::accounts::get_organisation,
        api::accounts::create_user, api::accounts::list_users, api::accounts::me,
        api::accounts::create_token, api::accounts::list_tokens, api::accounts::revoke_token,
        api::accounts::update_organisation, api::accounts::update_user,
        api::donations::create_donation, api::donations::list_donations, api::donations::get_donation,
        api::donations::register_batch, api::donations::register_csv,
        api::devices::create_device, api::devices::list_devices, api::devices::get_device,
        api::devices::get_by_tag, api::devices::get_by_serial, api::devices::edit_device,
        api::devices::device_action, api::devices::device_history, api::devices::lifecycle_table,
        api::programmes::create_programme, api::programmes::list_programmes, api::programmes::get_programme,
        api::programmes::edit_programme,
        api::borrowers::create_borrower, api::borrowers::list_borrowers, api::borrowers::search_borrowers,
        api::borrowers::get_borrower, api::borrowers::edit_borrower, api::borrowers::export_borrower,
        api::borrowers::anonymise_borrower,
        api::borrowers::due_for_anonymisation, api::borrowers::anonymise_due,
        api::loans::create_loan, api::loans::list_loans, api::loans::checkpoints_due,
        api::loans::checkpoints_overdue, api::loans::loans_ending, api::loans::loans_overdue,
        api::loans::get_loan, api::loans::sign_loan, api::loans::put_signed_scan,
        api::loans::get_signed_scan, api::loans::record_checkpoint, api::loans::extend_loan,
        api::loans::return_loan, api::loans::non_return, api::loans::purchase,
        api::loans::agreement_pdf, api::loans::pay_charge, api::loans::waive_charge,
        api::refurbishment::assign_donation, api::refurbishment::assign_device,
        api::refurbishment::list_drives, api::refurbishment::add_drive,
        api::refurbishment::record_wipe, api::refurbishment::list_wipes,
        api::refurbishment::record_refurbishment, api::refurbishment::list_refurbishments,
        api::refurbishment::work_queue,
        api::refurbishment::record_wipes, api::refurbishment::record_refurbishments,
        api::refurbishment::reset_pool_devices, api::refurbishment::checks_by_kind,
        api::refurbishment::certificate_pdf, api::refurbishment::certificate_csv,
        api::bookings::create_booking, api::bookings::list_bookings, api::bookings::overdue_bookings,
        api::bookings::get_booking, api::bookings::update_booking, api::bookings::confirm_booking,
        api::bookings::cancel_booking, api::bookings::pickup_booking, api::bookings::return_booking,
        api::bookings::get_availability, api::bookings::availability_calendar,
        api::bookings::pick_list, api::bookings::confirmation,
        api::bookings::write_off_booking, api::bookings::found_booking_devices,
        api::labels::list_stocks, api::labels::label_png, api::labels::label_svg,
        api::labels::sheet_pdf, api::labels::scan_landing,
    ),
    components(schemas(crate::error::Problem, crate::error::FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "operations", description = "Health, metrics and documentation"),
        (name = "accounts", description = "Organisations, users, API tokens"),
        (name = "inventory", description = "Donations, devices, lifecycle, history"),
        (name = "loans", description = "Programmes, borrowers, loans to people, checkpoints, charges, agreements"),
        (name = "refurbishment", description = "Workshops: assignment, drives, wipe records (NIST SP 800-88), grading, work queue, certificates"),
        (name = "bookings", description = "Bookings of the lending pool by organisations; availability"),
        (name = "labels", description = "QR asset labels (PNG, SVG, PDF sheets) and the public scan landing /d/{asset_tag}"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
