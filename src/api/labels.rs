//! Asset labels (PNG, SVG, PDF sheets) and the public scan landing behind their QR codes.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::path_id;
use crate::auth::{Caller, MaybeCaller};
use crate::domain::devices::{DeviceFilter, DeviceKind};
use crate::domain::labels::{self as domain, Selection, MAX_LABELS};
use crate::domain::lifecycle::{Action, Status};
use crate::error::{AppError, FieldError, Problem};
use crate::labels::{
    render_pdf, render_png, render_svg, LabelData, LabelError, LabelStock, StockKind,
};
use crate::startup::AppState;

/// A label stock that labels can be printed on.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LabelStockView {
    /// Pass this as `stock`.
    pub id: String,
    pub name: String,
    /// Where the numbers come from.
    pub source: String,
    /// `sheet` (A4 office printer) or `label-printer` (one label per page).
    pub kind: String,
    pub label_width_mm: f64,
    pub label_height_mm: f64,
    pub columns: u32,
    pub rows: u32,
    pub labels_per_page: usize,
    pub page_width_mm: f64,
    pub page_height_mm: f64,
    /// Side of the printed QR code, quiet zone included.
    pub qr_size_mm: f64,
}

impl From<&LabelStock> for LabelStockView {
    fn from(s: &LabelStock) -> Self {
        LabelStockView {
            id: s.id.clone(),
            name: s.name.clone(),
            source: s.source.clone(),
            kind: match s.kind {
                StockKind::Sheet => "sheet",
                StockKind::LabelPrinter => "label-printer",
            }
            .into(),
            label_width_mm: s.label_width_mm,
            label_height_mm: s.label_height_mm,
            columns: s.columns,
            rows: s.rows,
            labels_per_page: s.labels_per_page(),
            page_width_mm: s.page_width_mm,
            page_height_mm: s.page_height_mm,
            qr_size_mm: s.layout.qr_size_mm,
        }
    }
}

/// The stock and resolution of a single label image.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LabelParams {
    /// A stock id from `GET /label-stocks`.
    pub stock: Option<String>,
    /// Resolution of the PNG, 72 to 1200 (default 300); ignored for SVG.
    pub dpi: Option<u32>,
}

/// Devices to print, chosen by exactly one of `device_ids`, `asset_tags`, `donation_id` or
/// `filter`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SheetRequest {
    /// A stock id from `GET /label-stocks`.
    pub stock: String,
    /// Positions already used on the first sheet (counted row by row from the top left).
    #[serde(default)]
    pub skip: usize,
    /// Printed in this order.
    pub device_ids: Option<Vec<String>>,
    /// Printed in this order (case-insensitive).
    pub asset_tags: Option<Vec<String>>,
    /// Every device of this donation, in asset-tag order.
    pub donation_id: Option<String>,
    /// Every device matching, in asset-tag order.
    pub filter: Option<LabelFilter>,
}

/// Which devices to print, as in the device list.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelFilter {
    pub status: Option<Status>,
    pub kind: Option<DeviceKind>,
    pub donation_id: Option<uuid::Uuid>,
    pub workshop_id: Option<uuid::Uuid>,
    pub holder_organisation_id: Option<uuid::Uuid>,
    pub in_pool: Option<bool>,
    /// Asset tags starting with this.
    pub tag_prefix: Option<String>,
    /// Free text found in the tag, serial, brand or model.
    pub q: Option<String>,
}

impl From<LabelFilter> for DeviceFilter {
    fn from(f: LabelFilter) -> Self {
        DeviceFilter {
            status: f.status,
            kind: f.kind,
            donation_id: f.donation_id.map(|u| u.to_string().into()),
            workshop_id: f.workshop_id.map(|u| u.to_string().into()),
            holder_organisation_id: f.holder_organisation_id.map(|u| u.to_string().into()),
            in_pool: f.in_pool,
            tag_prefix: f.tag_prefix,
            q: f.q,
            ..DeviceFilter::default()
        }
    }
}

/// Rendering errors are the client's to fix (a larger stock, a smaller skip), never a 500,
/// except a failure of the renderer itself.
fn label_error(e: LabelError) -> AppError {
    let field = match &e {
        LabelError::QrTooSmall { .. } | LabelError::Qr(_) | LabelError::InvalidStock { .. } => {
            "stock"
        }
        LabelError::SkipTooLarge { .. } => "skip",
        LabelError::InvalidDpi { .. } => "dpi",
        LabelError::NoLabels => "device_ids",
        LabelError::Render(_) => return AppError::internal(e),
    };
    AppError::Validation {
        detail: format!("The labels cannot be printed: {e}."),
        errors: vec![FieldError::new(field, e.to_string())],
    }
}

/// The label of one device the caller may print.
async fn one_label(
    state: &web::Data<AppState>,
    caller: Caller,
    id: &str,
) -> Result<LabelData, AppError> {
    let id = path_id(id, "The device")?;
    let base = state.config.public_base_url.clone();
    state
        .db
        .read(move |conn| domain::one(conn, &caller, &id, &base))
        .await
}

fn file_response(content_type: &str, file_name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{file_name}\""),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

/// The label stocks available (the template files loaded at start-up).
#[utoipa::path(tag = "labels",
    responses((status = 200, body = [LabelStockView]), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
#[get("/label-stocks")]
pub async fn list_stocks(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let stocks: Vec<LabelStockView> = domain::stocks(&caller, &state.labels)?
        .into_iter()
        .map(LabelStockView::from)
        .collect();
    Ok(HttpResponse::Ok().json(stocks))
}

/// One device's label as a PNG image (default 300 dpi), the QR code holding
/// `{PUBLIC_BASE_URL}/d/{asset_tag}`.
#[utoipa::path(tag = "labels", params(("id" = uuid::Uuid, Path), LabelParams),
    responses((status = 200, description = "The label", content_type = "image/png", body = Vec<u8>),
              (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/devices/{id}/label.png")]
pub async fn label_png(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    params: web::Query<LabelParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let stock = domain::stock(&caller, &state.labels, params.stock.as_deref())?;
    let dpi = params.dpi.unwrap_or(300);
    let label = one_label(&state, caller, &id).await?;
    let name = format!("{}.png", label.asset_tag);
    let png = web::block(move || render_png(&stock, &label, dpi))
        .await?
        .map_err(label_error)?;
    Ok(file_response("image/png", &name, png))
}

/// One device's label as SVG (a preview, or for printing from a browser).
#[utoipa::path(tag = "labels", params(("id" = uuid::Uuid, Path), LabelParams),
    responses((status = 200, description = "The label", content_type = "image/svg+xml", body = String),
              (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[get("/devices/{id}/label.svg")]
pub async fn label_svg(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    params: web::Query<LabelParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let stock = domain::stock(&caller, &state.labels, params.stock.as_deref())?;
    let label = one_label(&state, caller, &id).await?;
    let name = format!("{}.svg", label.asset_tag);
    let svg = web::block(move || render_svg(&stock, &label))
        .await?
        .map_err(label_error)?;
    Ok(file_response("image/svg+xml", &name, svg.into_bytes()))
}

/// A PDF of labels for many devices (as many pages as needed, at most 5,000 labels). Every id
/// or tag must exist and be visible to the caller, or the 422 names each one that is not.
#[utoipa::path(tag = "labels", request_body = SheetRequest,
    responses((status = 200, description = "The labels", content_type = "application/pdf", body = Vec<u8>),
              (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
#[post("/labels/sheet.pdf")]
pub async fn sheet_pdf(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<SheetRequest>,
) -> Result<HttpResponse, AppError> {
    sheet_pdf_response(&state, caller, body.into_inner()).await
}

/// The PDF of labels a sheet request asks for, or the refusal (the same for the API and the
/// labels page).
pub async fn sheet_pdf_response(
    state: &web::Data<AppState>,
    caller: Caller,
    body: SheetRequest,
) -> Result<HttpResponse, AppError> {
    let stock = domain::stock(&caller, &state.labels, Some(&body.stock))?;
    let selection = selection_of(
        body.device_ids,
        body.asset_tags,
        body.donation_id,
        body.filter,
    )?;
    let per_page = stock.labels_per_page();
    if body.skip >= per_page {
        return Err(label_error(LabelError::SkipTooLarge {
            stock: stock.id.clone(),
            skip: body.skip,
            per_page,
        }));
    }
    let base = state.config.public_base_url.clone();
    let labels = state
        .db
        .read(move |conn| domain::sheet(conn, &caller, &selection, &base))
        .await?;
    let name = format!("labels-{}.pdf", stock.id);
    let skip = body.skip;
    // render_pdf spawns its own threads: keep it off the async workers.
    let pdf = web::block(move || render_pdf(&stock, &labels, skip))
        .await?
        .map_err(label_error)?;
    Ok(file_response("application/pdf", &name, pdf))
}

/// Exactly one selector, not empty, not over [`MAX_LABELS`].
fn selection_of(
    device_ids: Option<Vec<String>>,
    asset_tags: Option<Vec<String>>,
    donation_id: Option<String>,
    filter: Option<LabelFilter>,
) -> Result<Selection, AppError> {
    let given: Vec<&str> = [
        ("device_ids", device_ids.is_some()),
        ("asset_tags", asset_tags.is_some()),
        ("donation_id", donation_id.is_some()),
        ("filter", filter.is_some()),
    ]
    .iter()
    .filter(|(_, present)| *present)
    .map(|(name, _)| *name)
    .collect();
    if given.len() != 1 {
        let fields: Vec<&str> = if given.is_empty() {
            vec!["device_ids", "asset_tags", "donation_id", "filter"]
        } else {
            given.clone()
        };
        let message = if given.is_empty() {
            "give exactly one of device_ids, asset_tags, donation_id or filter".to_string()
        } else {
            format!(
                "give exactly one of device_ids, asset_tags, donation_id or filter, not {}",
                given.join(" and ")
            )
        };
        return Err(AppError::invalid_fields(
            fields
                .into_iter()
                .map(|f| FieldError::new(f, message.clone()))
                .collect(),
        ));
    }
    let list = |field: &str, items: Vec<String>| {
        if items.is_empty() {
            Err(AppError::invalid(field, "is empty: nothing to print"))
        } else if items.len() > MAX_LABELS {
            Err(AppError::invalid(
                field,
                format!(
                    "has {} entries; at most {MAX_LABELS} labels can be printed at once",
                    items.len()
                ),
            ))
        } else {
            Ok(items)
        }
    };
    if let Some(ids) = device_ids {
        return Ok(Selection::DeviceIds(list("device_ids", ids)?));
    }
    if let Some(tags) = asset_tags {
        return Ok(Selection::AssetTags(list("asset_tags", tags)?));
    }
    if let Some(id) = donation_id {
        return Ok(Selection::Donation(id));
    }
    match filter {
        Some(f) => Ok(Selection::Filter(f.into())),
        None => Err(AppError::internal("no selector after the check")),
    }
}

/// Where a found device goes back to, in Dutch, French and English.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReturnInstructions {
    pub nl: String,
    pub fr: String,
    pub en: String,
}

/// The organisation that owns a scanned device.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScanOwner {
    pub name: String,
    pub address: Option<String>,
}

/// What scanning a label shows. Without a staff token only the tag, the kind, the owner and how
/// to return the device; staff who may see the device also get its status and what comes next.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScanLanding {
    pub asset_tag: String,
    pub kind: DeviceKind,
    /// The kind in words (a peripheral's subtype).
    pub kind_label: String,
    /// The owner, or for a sold device its former owner.
    pub owner: ScanOwner,
    /// Where to bring it back; for a sold device, that it need not come back.
    pub return_instructions: ReturnInstructions,
    /// Present (true) when the device was sold: it no longer belongs to the owner.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sold: bool,
    /// Staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<uuid::Uuid>,
    /// Staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// Staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Staff only: the actions the caller can really take now through
    /// `POST /devices/{id}/actions/{action}` (its role, the device's status and records).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<Action>>,
}

fn return_instructions(owner: &ScanOwner) -> ReturnInstructions {
    let to = match owner.address.as_deref().map(str::trim) {
        Some(a) if !a.is_empty() => format!("{} ({a})", owner.name),
        _ => owner.name.clone(),
    };
    ReturnInstructions {
        nl: format!("Gevonden? Breng dit toestel terug naar {to}. Dank u wel!"),
        fr: format!("Trouvé ? Merci de rapporter cet appareil à {to}."),
        en: format!("Found it? Please return this device to {to}. Thank you!"),
    }
}

/// What a finder of a sold device reads: it is the buyer's now.
fn sold_instructions(owner: &ScanOwner) -> ReturnInstructions {
    let from = &owner.name;
    ReturnInstructions {
        nl: format!("Dit toestel werd verkocht en hoort niet langer bij {from}. U hoeft het niet terug te brengen."),
        fr: format!("Cet appareil a été vendu et n'appartient plus à {from}. Il ne doit pas être rapporté."),
        en: format!("This device was sold and no longer belongs to {from}. There is no need to return it."),
    }
}

/// Whether the client asked for JSON rather than a page.
fn wants_json(req: &HttpRequest) -> bool {
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    (accept.contains("application/json") || accept.contains("+json"))
        && !accept.contains("text/html")
}

/// The public page behind a label's QR code. Browsers get a small page (Dutch, French,
/// English), `Accept: application/json` gets JSON. No token needed; a staff token of a role
/// that reads devices (and may see this one) adds the status and the next steps.
#[utoipa::path(tag = "labels", params(("asset_tag" = String, Path)),
    responses((status = 200, content((ScanLanding = "application/json"), (String = "text/html")), description = "JSON, or an HTML page for browsers"),
              (status = 404, body = Problem, description = "Unknown tag (an HTML page for browsers)")))]
#[get("/d/{asset_tag}")]
pub async fn scan_landing(
    req: HttpRequest,
    caller: MaybeCaller,
    state: web::Data<AppState>,
    tag: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let json = wants_json(&req);
    let tag = tag.into_inner();
    // A signed-in person (session cookie) who may read the device gets the workshop's device
    // page; the rule of who may read it is the domain's, asked by that page. Everyone else,
    // and every JSON client, gets the landing below, as before.
    if !json {
        if let Some(page) = crate::web::workshop::device::for_signed_in(&req, &state, &tag).await {
            return Ok(page);
        }
    }
    let caller = caller.0;
    let landing = state
        .db
        .read(move |conn| domain::landing(conn, caller.as_ref(), &tag))
        .await?;
    let Some(domain::Landing {
        scanned: found,
        staff_actions,
    }) = landing
    else {
        if json {
            return Err(AppError::not_found("The device"));
        }
        return Ok(html_response(
            actix_web::http::StatusCode::NOT_FOUND,
            not_found_page(),
        ));
    };
    let d = &found.device;
    let staff = staff_actions.is_some();
    let sold = d.status == Status::Sold;
    let owner = ScanOwner {
        name: found.owner.name.clone(),
        // A sold device is no longer brought back there.
        address: if sold {
            None
        } else {
            found.owner.address.clone()
        },
    };
    let landing = ScanLanding {
        asset_tag: d.asset_tag.clone(),
        kind: d.kind,
        kind_label: domain::kind_label(d.kind, d.subtype.as_deref()),
        return_instructions: if sold {
            sold_instructions(&owner)
        } else {
            return_instructions(&owner)
        },
        sold,
        owner,
        device_id: staff.then(|| crate::api::accounts::uuid_of(&d.id)),
        status: staff.then_some(d.status),
        brand: staff.then(|| d.brand.clone()),
        model: staff.then(|| d.model.clone()),
        allowed_actions: staff_actions,
    };
    if json {
        return Ok(HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .insert_header((header::VARY, "Accept, Authorization"))
            .json(landing));
    }
    Ok(html_response(
        actix_web::http::StatusCode::OK,
        landing_page(&landing),
    ))
}

fn html_response(status: actix_web::http::StatusCode, page: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::VARY, "Accept, Authorization"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .body(page)
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;\
font-size:1.25rem;line-height:1.5;margin:0 auto;padding:1rem;max-width:36rem;color:#111;\
background:#fff}h1{font-size:2.25rem;margin:.25rem 0;letter-spacing:.03em}\
.kind{font-size:1.5rem;margin:0 0 1rem}.found{border:3px solid #111;border-radius:.5rem;\
padding:.75rem 1rem;margin:1rem 0}.found p{margin:.5rem 0}.found p:first-child{font-weight:bold;\
font-size:1.4rem}section.staff{border-top:2px solid #999;margin-top:1.5rem}dt{font-weight:bold}\
dd{margin:0 0 .5rem}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>{}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n{body}</body>\n</html>\n",
        escape_html(title)
    )
}

fn landing_page(l: &ScanLanding) -> String {
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"kind\">{}</p>\n\
         <p>{}: <strong>{}</strong></p>\n\
         <div class=\"found\">\n<p lang=\"nl\">{}</p>\n<p lang=\"fr\">{}</p>\n<p lang=\"en\">{}</p>\n</div>\n",
        escape_html(&l.asset_tag),
        escape_html(&l.kind_label),
        if l.sold {
            "Vroegere eigenaar / Ancien propriétaire / Former owner"
        } else {
            "Eigenaar / Propriétaire / Owner"
        },
        escape_html(&l.owner.name),
        escape_html(&l.return_instructions.nl),
        escape_html(&l.return_instructions.fr),
        escape_html(&l.return_instructions.en),
    );
    if let Some(status) = l.status {
        let actions = l
            .allowed_actions
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>();
        let next = if actions.is_empty() {
            "—".to_string()
        } else {
            actions.join(", ")
        };
        let model = format!(
            "{} {}",
            l.brand.as_deref().unwrap_or(""),
            l.model.as_deref().unwrap_or("")
        );
        body.push_str(&format!(
            "<section class=\"staff\">\n<h2>Voor medewerkers / Staff</h2>\n<dl>\n\
             <dt>Status</dt><dd>{}</dd>\n<dt>Merk en model / Brand and model</dt><dd>{}</dd>\n\
             <dt>Volgende stappen / Next steps</dt><dd>{}</dd>\n</dl>\n</section>\n",
            escape_html(status.as_str()),
            escape_html(model.trim()),
            escape_html(&next),
        ));
    }
    page(&l.asset_tag, &body)
}

fn not_found_page() -> String {
    page(
        "Onbekend label / Étiquette inconnue / Unknown label",
        "<h1>Onbekend label</h1>\n\
         <p lang=\"nl\">Dit label hoort bij geen enkel toestel dat wij kennen. Controleer de code \
         of neem contact op met de Digitale Uitleendienst.</p>\n\
         <p lang=\"fr\">Cette étiquette ne correspond à aucun appareil connu. Vérifiez le code ou \
         contactez le service de prêt.</p>\n\
         <p lang=\"en\">This label does not belong to any device we know. Check the code or \
         contact the lending service.</p>\n",
    )
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_stocks)
        .service(label_png)
        .service(label_svg)
        .service(sheet_pdf)
        .service(scan_landing);
}
