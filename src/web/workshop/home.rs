//! The workshop's page (`/workshop`): its queue (waiting for a wipe, for refurbishment,
//! failed; oldest first) and its donation batches with their progress and the donor's
//! certificate (PDF) once every device is wiped.

use actix_web::{get, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::status_text;
use crate::domain::ids::OrganisationId;
use crate::domain::refurbishment::{self as refurb, QueueEntry};
use crate::i18n::Lang;
use crate::startup::AppState;
use crate::web::frame::{text, texts, Frame};
use crate::web::prelude::*;
use crate::web::{PageError, Viewer};

#[derive(Debug, Clone)]
pub struct QueueLine {
    pub tag: String,
    pub what: String,
    pub status: String,
    pub since: String,
}

#[derive(Debug, Clone)]
pub struct BatchLine {
    pub donor: String,
    pub received: String,
    pub wiped: String,
    pub refurbished: String,
    pub certificate_url: Option<String>,
}

#[derive(Template)]
#[template(path = "workshop/home.html")]
pub struct QueuePage {
    pub frame: Frame,
    pub wipe: Vec<QueueLine>,
    pub refurbish: Vec<QueueLine>,
    pub failed: Vec<QueueLine>,
    pub batches: Vec<BatchLine>,
    /// Where the whole queue is, when the lists show only the oldest.
    pub all_url: Option<String>,
}
crate::page!(QueuePage);

/// Devices shown per list on the workshop's page; the whole queue is one link away.
pub const SHOWN: usize = 12;

impl QueuePage {
    pub fn shown(&self) -> usize {
        SHOWN
    }

    /// The three lists of the queue, with the key of their heading.
    pub fn queues(&self) -> Vec<(&'static str, &Vec<QueueLine>)> {
        vec![
            ("web-workshop-queue-wipe", &self.wipe),
            ("web-workshop-queue-refurbish", &self.refurbish),
            ("web-workshop-queue-failed", &self.failed),
        ]
    }
}

#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    /// For those who work for any workshop (admins, lending staff): which one.
    pub workshop_id: Option<uuid::Uuid>,
    /// The whole queue (up to the API's limit), not only the oldest of each list.
    pub all: Option<String>,
}

fn lines(lang: Lang, entries: Vec<QueueEntry>) -> Vec<QueueLine> {
    entries
        .into_iter()
        .map(|e| {
            let d = e.device;
            QueueLine {
                what: format!(
                    "{} · {} {}",
                    text(lang, &format!("kind-{}", d.kind)),
                    d.brand,
                    d.model
                ),
                status: status_text(lang, d.status),
                since: d.updated_at.format("%Y-%m-%d").to_string(),
                tag: d.asset_tag,
            }
        })
        .collect()
}

#[get("/workshop")]
pub async fn queue_page(
    viewer: Viewer,
    state: web::Data<AppState>,
    q: web::Query<QueueQuery>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/workshop", "web-workshop-title");
    let lang = viewer.lang;
    let workshop = q.workshop_id.map(|w| OrganisationId::from(w.to_string()));
    let all = q.all.is_some();
    let limit = if all {
        refurb::queue::QUEUE_LIMIT
    } else {
        SHOWN
    };
    let caller = viewer.caller.clone();
    let (queue, batches) = state
        .db
        .read(move |conn| {
            let queue = refurb::queue::work_queue(conn, &caller, workshop.clone(), limit)?;
            let batches = refurb::workshop_batches(conn, &caller, workshop)?;
            Ok((queue, batches))
        })
        .await
        .in_frame(&frame)?;
    let batches = batches
        .into_iter()
        .map(|b| BatchLine {
            donor: b
                .donor_name
                .clone()
                .unwrap_or_else(|| text(lang, "web-workshop-batch-anonymous")),
            received: b.received_on.format("%Y-%m-%d").to_string(),
            wiped: texts(
                lang,
                "web-workshop-batch-wiped",
                &[("n", &b.wiped.to_string()), ("m", &b.devices.to_string())],
            ),
            refurbished: texts(
                lang,
                "web-workshop-batch-refurbished",
                &[
                    ("n", &b.refurbished.to_string()),
                    ("r", &b.ready.to_string()),
                ],
            ),
            certificate_url: b.certificate_available().then(|| {
                format!(
                    "/workshop/batches/{}/certificate.pdf?lang={}",
                    b.donation_id,
                    lang.code()
                )
            }),
        })
        .collect();
    let all_url = (queue.cut && !all).then(|| match q.workshop_id {
        Some(w) => format!("/workshop?all=1&workshop_id={w}"),
        None => "/workshop?all=1".to_string(),
    });
    render(&QueuePage {
        all_url,
        wipe: lines(lang, queue.waiting_for_wipe),
        refurbish: lines(lang, queue.waiting_for_refurbishment),
        failed: lines(lang, queue.failed),
        batches,
        frame,
    })
}

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

/// The donor's certificate of a batch, for a signed-in person who may read it.
#[get("/workshop/batches/{id}/certificate.pdf")]
pub async fn certificate(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::signed_in(&viewer, "/workshop", "web-workshop-title");
    let lang = q
        .lang
        .as_deref()
        .and_then(|l| l.parse::<Lang>().ok())
        .unwrap_or(viewer.lang);
    crate::api::refurbishment::certificate_pdf_response(viewer.caller.clone(), &state, &id, lang)
        .await
        .in_frame(&frame)
}
