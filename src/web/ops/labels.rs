//! Labels (`/labels`): choose the devices (a donation batch, the inventory's filter, or tags
//! scanned or typed one per line), the label stock and the positions already used on the
//! first sheet, and print: the PDF comes back (`POST /labels/print`, the API's sheet). A
//! refused choice comes back on the page with the reason next to the field.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{form_errors, kind_options, optional, status_options, value, Values};
use crate::api::labels::{sheet_pdf_response, LabelFilter, SheetRequest};
use crate::domain::device_ref::tag_of;
use crate::domain::donations;
use crate::domain::labels as domain;
use crate::error::{AppError, FieldError};
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::forms::FormErrors;
use crate::web::frame::{render_status, text, texts, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Posted, Viewer};

/// Batches offered in the batch choice (the newest).
const BATCHES_OFFERED: i64 = 100;

/// The ways to choose devices.
pub const CHOICES: &[&str] = &["donation", "filter", "tags"];

#[derive(Debug, Clone)]
pub struct StockOption {
    pub id: String,
    pub label: String,
    pub per_page: usize,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "ops/labels.html")]
pub struct LabelsPage {
    pub frame: Frame,
    pub choice: String,
    pub choices: Vec<(String, String)>,
    pub batches: Vec<(String, String)>,
    pub donation_id: String,
    pub statuses: Vec<(String, String)>,
    pub status: String,
    pub kinds: Vec<(String, String)>,
    pub kind: String,
    pub q: String,
    pub tags: String,
    pub stocks: Vec<StockOption>,
    pub skip: String,
}
crate::page!(LabelsPage);

impl LabelsPage {
    /// The hint under the positions field: how many labels a page of each stock has.
    pub fn skip_hint(&self) -> String {
        let per_page = self
            .stocks
            .iter()
            .find(|s| s.selected)
            .or(self.stocks.first())
            .map_or(0, |s| s.per_page);
        texts(
            self.frame.lang,
            "web-ops-field-skip-hint",
            &[("n", &per_page.saturating_sub(1).to_string())],
        )
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct LabelsQuery {
    pub donation_id: Option<String>,
    pub q: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
}

fn labels_frame(viewer: &Viewer) -> Frame {
    Frame::signed_in(viewer, "/labels", "web-ops-labels-title")
}

/// The page with the values of a form (`v`), the batches the caller sees and the stocks.
async fn labels(
    state: &web::Data<AppState>,
    viewer: &Viewer,
    frame: Frame,
    v: &Values,
) -> Result<LabelsPage, PageError> {
    let lang: Lang = viewer.lang;
    let stocks = domain::stocks(&viewer.caller, &state.labels).in_frame(&frame)?;
    let chosen_stock = value(v, "stock");
    let stocks: Vec<StockOption> = stocks
        .into_iter()
        .enumerate()
        .map(|(i, s)| StockOption {
            selected: if chosen_stock.is_empty() {
                i == 0
            } else {
                s.id == chosen_stock
            },
            label: format!(
                "{} ({})",
                s.name,
                texts(
                    lang,
                    "web-ops-labels-per-page",
                    &[("n", &s.labels_per_page().to_string())]
                )
            ),
            per_page: s.labels_per_page(),
            id: s.id.clone(),
        })
        .collect();
    let caller = viewer.caller.clone();
    let rows = state
        .db
        .read(move |conn| Ok(donations::list(conn, &caller, BATCHES_OFFERED, None)?.0))
        .await
        .in_frame(&frame)?;
    let mut batches = vec![(String::new(), text(lang, "web-ops-field-choose"))];
    batches.extend(rows.into_iter().map(|d| {
        let donor = d
            .donor_name
            .clone()
            .unwrap_or_else(|| text(lang, "web-ops-donation-batch"));
        (
            d.id,
            format!("{} · {donor} · {}", d.received_on, d.received_at),
        )
    }));
    let donation_id = value(v, "donation_id");
    let tags = value(v, "tags");
    let choice = match value(v, "choice") {
        c if CHOICES.contains(&c.as_str()) => c,
        _ if !donation_id.is_empty() => "donation".to_string(),
        _ if !tags.is_empty() => "tags".to_string(),
        _ if ["q", "status", "kind"]
            .iter()
            .any(|k| !value(v, k).is_empty()) =>
        {
            "filter".to_string()
        }
        _ => "donation".to_string(),
    };
    Ok(LabelsPage {
        choices: CHOICES
            .iter()
            .map(|c| {
                (
                    c.to_string(),
                    text(lang, &format!("web-ops-labels-choice-{c}")),
                )
            })
            .collect(),
        choice,
        batches,
        donation_id,
        statuses: status_options(lang),
        status: value(v, "status"),
        kinds: kind_options(lang, true),
        kind: value(v, "kind"),
        q: value(v, "q"),
        tags,
        stocks,
        skip: match value(v, "skip") {
            s if s.is_empty() => "0".to_string(),
            s => s,
        },
        frame,
    })
}

#[get("/labels")]
pub async fn labels_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    query: web::Query<LabelsQuery>,
) -> Result<HttpResponse, PageError> {
    let frame = labels_frame(&viewer);
    let q = query.into_inner();
    let mut v = Values::new();
    for (k, val) in [
        ("donation_id", q.donation_id),
        ("q", q.q),
        ("status", q.status),
        ("kind", q.kind),
    ] {
        if let Some(val) = val {
            v.insert(k.to_string(), val);
        }
    }
    let page = labels(&state, &viewer, frame, &v).await?;
    render(&page)
}

/// The sheet request of the form, or the fields that cannot be read.
fn request_of(v: &Values, lang: Lang) -> Result<SheetRequest, AppError> {
    let skip = match value(v, "skip") {
        s if s.is_empty() => 0,
        s => s
            .parse::<usize>()
            .map_err(|_| AppError::invalid("skip", text(lang, "web-ops-field-number")))?,
    };
    let mut request = SheetRequest {
        stock: value(v, "stock"),
        skip,
        device_ids: None,
        asset_tags: None,
        donation_id: None,
        filter: None,
    };
    match value(v, "choice").as_str() {
        "donation" => match optional(v, "donation_id") {
            Some(id) => request.donation_id = Some(id),
            None => {
                return Err(AppError::invalid(
                    "donation_id",
                    text(lang, "web-ops-field-choose"),
                ))
            }
        },
        "filter" => {
            let status = match optional(v, "status") {
                Some(s) => Some(
                    s.parse()
                        .map_err(|e: String| AppError::invalid("status", e))?,
                ),
                None => None,
            };
            let kind = match optional(v, "kind") {
                Some(k) => Some(
                    k.parse()
                        .map_err(|e: String| AppError::invalid("kind", e))?,
                ),
                None => None,
            };
            request.filter = Some(LabelFilter {
                status,
                kind,
                q: optional(v, "q"),
                ..LabelFilter::default()
            });
        }
        "tags" => {
            // One per line (a scanner's Enter), or separated by spaces or commas; a label's
            // URL gives its tag.
            let tags: Vec<String> = value(v, "tags")
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|t| !t.is_empty())
                .map(tag_of)
                .collect();
            request.asset_tags = Some(tags);
        }
        _ => {
            return Err(AppError::invalid(
                "choice",
                text(lang, "web-ops-field-choose"),
            ))
        }
    }
    Ok(request)
}

/// A refusal's field on the form: `asset_tags[2]` is the tags field, `filter` the text.
fn form_field(field: &str) -> String {
    let base = field.split(['[', '.']).next().unwrap_or(field);
    match base {
        "asset_tags" | "device_ids" => "tags".to_string(),
        "filter" => "q".to_string(),
        other => other.to_string(),
    }
}

#[post("/labels/print")]
pub async fn print_submit(
    state: web::Data<AppState>,
    posted: Posted<Values>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let lang = viewer.lang;
    let frame = labels_frame(&viewer);
    let result = match request_of(&form, lang) {
        Ok(request) => sheet_pdf_response(&state, viewer.caller.clone(), request).await,
        Err(e) => Err(e),
    };
    let e = match result {
        Ok(pdf) => return Ok(pdf),
        Err(e) => e,
    };
    // Each bad tag is named with its line; the form's fields get the messages.
    let e = match e {
        AppError::Validation { detail, errors } => AppError::Validation {
            detail,
            errors: errors
                .into_iter()
                .map(|f| FieldError {
                    field: form_field(&f.field),
                    ..f
                })
                .collect(),
        },
        other => other,
    };
    let Some(errors) = form_errors(&e, lang) else {
        return Err(PageError::in_frame(e, &frame));
    };
    let errors = merge(errors);
    let page = labels(&state, &viewer, frame.with_errors(errors), &form).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// One message per field (several unknown tags make one sentence), so that each field shows
/// its error once and the summary links to it once.
fn merge(errors: FormErrors) -> FormErrors {
    let mut out = FormErrors {
        items: Vec::new(),
        general: errors.general,
    };
    for p in errors.items {
        match out.items.iter_mut().find(|q| q.field == p.field) {
            Some(q) => {
                q.message.push_str("; ");
                q.message.push_str(&p.message);
            }
            None => out.items.push(p),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanned_urls_and_typed_tags_are_read_one_per_line() {
        let mut v = Values::new();
        v.insert("choice".into(), "tags".into());
        v.insert("stock".into(), "x".into());
        v.insert(
            "tags".into(),
            "https://uitleen.example.be/d/gnt-000001\r\nGNT-000002, gnt-000003\n".into(),
        );
        let r = request_of(&v, Lang::Nl).expect("read");
        assert_eq!(
            r.asset_tags,
            Some(vec![
                "GNT-000001".to_string(),
                "GNT-000002".to_string(),
                "GNT-000003".to_string()
            ])
        );
        assert_eq!(form_field("asset_tags[2]"), "tags");
    }
}
