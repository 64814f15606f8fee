//! The OpenAPI 3.1 document, generated from the handlers' annotations, and the offline API
//! reference page (Swagger UI, its assets compiled into the binary).

use std::sync::OnceLock;
use utoipa::openapi::header::Header;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::Response;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr};

use actix_web::dev::ResourceDef;
use actix_web::web::Bytes;
use actix_web::HttpResponse;
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
        api::accounts::update_organisation, api::accounts::update_user, api::accounts::create_invitation,
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
        api::loans::get_loan, api::loans::sign_loan, api::loans::cancel_loan, api::loans::put_signed_scan,
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
        api::refurbishment::attach_report, api::refurbishment::get_report,
        api::refurbishment::workshop_batches,
        api::bookings::create_booking, api::bookings::list_bookings, api::bookings::overdue_bookings,
        api::bookings::get_booking, api::bookings::update_booking, api::bookings::confirm_booking,
        api::bookings::cancel_booking, api::bookings::pickup_booking, api::bookings::return_booking,
        api::bookings::get_availability, api::bookings::availability_calendar,
        api::bookings::pick_list, api::bookings::confirmation,
        api::bookings::write_off_booking, api::bookings::found_booking_devices,
        api::labels::list_stocks, api::labels::label_png, api::labels::label_svg,
        api::labels::sheet_pdf, api::labels::scan_landing,
        api::figures::get_figures, api::figures::freeze_year,
    ),
    components(schemas(crate::error::Problem, crate::error::FieldError)),
    modifiers(&BearerAuth, &ErrorResponses),
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

/// Every error response is an RFC 9457 problem document (`application/problem+json`), and every
/// operation lists the errors any request can meet, besides those its handler declares:
/// 400 (unreadable input), 414 (URL too long), 422 (invalid fields), 503 (database busy or
/// unreachable, with `Retry-After`); 401 and 403 when it needs a token; 404 when its path
/// names a record; 413 and 415 when it takes a body; 409 when it writes.
struct ErrorResponses;

impl ErrorResponses {
    fn problem(description: &str) -> Response {
        let mut r = Response::new(description);
        r.content.insert(
            "application/problem+json".into(),
            Content::new(Some(Ref::from_schema_name("Problem"))),
        );
        r
    }

    fn complete(op: &mut Operation, writes: bool) {
        let mut codes: Vec<(&str, &str)> = vec![
            ("400", "The request could not be read (malformed JSON, a value of the wrong type, a NUL character)"),
            ("414", "The URL is too long"),
            ("422", "Invalid fields, each named in `errors`"),
            ("503", "The database is busy or unreachable; nothing was written, retry after `Retry-After` seconds"),
        ];
        let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
        if secured {
            codes.push(("401", "No valid token"));
            codes.push(("403", "Not allowed for this role"));
        }
        let has_path_params = op
            .parameters
            .iter()
            .flatten()
            .any(|p| p.parameter_in == ParameterIn::Path);
        if has_path_params {
            codes.push(("404", "No such record (or not visible to the caller)"));
        }
        if op.request_body.is_some() {
            codes.push(("413", "The body is too large"));
            codes.push(("415", "The body is not of an accepted content type"));
        }
        if writes {
            codes.push(("409", "Conflicts with the current state"));
        }
        for (code, description) in codes {
            op.responses
                .responses
                .entry(code.to_string())
                .or_insert_with(|| RefOr::T(Self::problem(description)));
        }
        // A page for people (the public scan landing) also answers its 404 as a page.
        let serves_html = op.responses.responses.iter().any(|(code, r)| {
            code.starts_with('2') && matches!(r, RefOr::T(r) if r.content.contains_key("text/html"))
        });
        for (code, response) in op.responses.responses.iter_mut() {
            let is_error = code.starts_with('4') || code.starts_with('5');
            let RefOr::T(response) = response else {
                continue;
            };
            if !is_error {
                continue;
            }
            // Handlers declare `body = Problem` (served as application/json by default): the
            // wire type is application/problem+json. A page meant for people (text/html) stays.
            if let Some(json) = response.content.shift_remove("application/json") {
                response
                    .content
                    .insert("application/problem+json".into(), json);
            }
            if serves_html && code == "404" {
                response.content.insert(
                    "text/html".into(),
                    Content::new(Some(
                        utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::String),
                    )),
                );
            }
            if response.content.is_empty() {
                response.content.insert(
                    "application/problem+json".into(),
                    Content::new(Some(Ref::from_schema_name("Problem"))),
                );
            }
            if code == "503" {
                response.headers.insert(
                    "Retry-After".into(),
                    Header::new(
                        utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::Integer),
                    ),
                );
            }
        }
    }
}

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let ops = [
                (&mut item.get, false),
                (&mut item.head, false),
                (&mut item.put, true),
                (&mut item.post, true),
                (&mut item.patch, true),
                (&mut item.delete, true),
            ];
            for (op, writes) in ops {
                if let Some(op) = op.as_mut() {
                    Self::complete(op, writes);
                }
            }
        }
    }
}

/// The served document, built once: its JSON text, and each path with the methods it has
/// (for 405 answers). The generated `utoipa` structure itself is dropped once serialized:
/// it takes several megabytes of small allocations, and each worker used to hold a copy for
/// Swagger UI (BENCHMARKS.md, issue 11).
pub struct Spec {
    pub json: Bytes,
    /// Path template, whether it has no parameters, methods.
    pub routes: Vec<(ResourceDef, bool, Vec<&'static str>)>,
}

/// The document, built on first use (the server builds it before it starts its workers).
pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let doc = ApiDoc::openapi();
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                let allowed = methods.iter().filter(|m| m.1).map(|m| m.0).collect();
                let is_static = !path.contains('{');
                (ResourceDef::new(path.as_str()), is_static, allowed)
            })
            .collect();
        let json = serde_json::to_vec(&doc).unwrap_or_else(|e| {
            log::error!("the OpenAPI document could not be serialized: {e}");
            b"{}".to_vec()
        });
        Spec {
            json: Bytes::from(json),
            routes,
        }
    })
}

/// `GET /openapi.json`: the document, as Swagger UI and generated clients read it.
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(spec().json.clone())
}
