//! The return receipt (*ontvangstbewijs*): the devices that came back, in what condition and
//! with which accessories, signed by the person and the social worker the same way as the
//! agreement (the same signature boxes, strokes drawn or the name typed). One A4 page.

use chrono::NaiveDate;

use super::agreement::{heading, labelled, signatures, Signers, BODY, BODY_BOLD};
use super::format::format_date;
use super::render::{Layout, MM};
use super::texts;
use super::{DocumentError, Lang, Party, SignedMarks};

/// Every placeholder the receipt texts may use.
#[cfg(test)]
pub(crate) const PLACEHOLDERS: &[&str] = &[
    "agreement_number",
    "page",
    "pages",
    "asset_tag",
    "condition",
    "accessories",
    "place",
    "signed_on",
    "name",
];

/// One device that came back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnedItem {
    /// Kind of device in the document's language, e.g. "laptop".
    pub kind: String,
    pub brand: String,
    pub model: String,
    pub asset_tag: String,
    /// The condition as noted at the desk.
    pub condition: String,
    /// The accessories that came back with it.
    pub accessories_back: Vec<String>,
}

/// Everything printed on a return receipt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnReceiptData {
    /// The person's language.
    pub lang: Lang,
    /// The loan's agreement number.
    pub agreement_number: String,
    /// The organisation that lent the devices.
    pub lender: Party,
    pub borrower_name: String,
    pub social_worker_name: String,
    /// The day the devices came back.
    pub returned_on: NaiveDate,
    /// The devices (at least one).
    pub devices: Vec<ReturnedItem>,
    /// Place of signing.
    pub place: Option<String>,
    /// Day of signing.
    pub signed_on: Option<NaiveDate>,
}

/// The return receipt with both signatures, on one page.
///
/// # Errors
/// [`DocumentError::Invalid`] without a device or a name; [`DocumentError::TooLong`] when the
/// texts would need a second page.
pub fn return_receipt_pdf(
    data: &ReturnReceiptData,
    marks: &SignedMarks,
) -> Result<Vec<u8>, DocumentError> {
    if data.devices.is_empty() {
        return Err(DocumentError::Invalid(
            "a return receipt needs at least one device".into(),
        ));
    }
    if data.borrower_name.trim().is_empty() || data.social_worker_name.trim().is_empty() {
        return Err(DocumentError::Invalid("a signer's name is empty".into()));
    }
    let t = texts::receipt(data.lang)?;
    let lang = data.lang;
    let number = data.agreement_number.as_str();
    let title = t.get("document.title")?;
    let mut l = Layout::new("return receipt", title, Some(1))?;
    l.title(
        title,
        &t.fill("document.number", &[("agreement_number", number)])?,
        Some(t.get("document.subtitle")?),
    );
    let returned_on = format_date(data.returned_on, lang);
    for (label, value) in [
        (t.get("parties.lender")?, data.lender.name.as_str()),
        (t.get("parties.borrower")?, data.borrower_name.as_str()),
        (
            t.get("parties.social_worker")?,
            data.social_worker_name.as_str(),
        ),
        (t.get("parties.returned_on")?, returned_on.as_str()),
    ] {
        labelled(&mut l, label, value, 60.0 * MM)?;
    }
    heading(&mut l, t.get("devices.heading")?)?;
    for d in &data.devices {
        let name = format!("{} {}", d.brand.trim(), d.model.trim());
        let what = [d.kind.trim(), name.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" – ");
        l.paragraph(&what, BODY_BOLD, 0.0)?;
        l.paragraph(
            &t.fill("devices.asset_tag", &[("asset_tag", &d.asset_tag)])?,
            BODY,
            0.0,
        )?;
        l.paragraph(
            &t.fill("devices.condition", &[("condition", d.condition.trim())])?,
            BODY,
            0.0,
        )?;
        let back: Vec<&str> = d
            .accessories_back
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .collect();
        if back.is_empty() {
            l.paragraph(t.get("devices.no_accessories")?, BODY, 0.0)?;
        } else {
            l.paragraph(
                &t.fill("devices.accessories", &[("accessories", &back.join(", "))])?,
                BODY,
                0.0,
            )?;
        }
        l.gap(3.0);
    }
    let signers = Signers {
        lang,
        place: data.place.as_deref(),
        signed_on: data.signed_on,
        borrower_name: &data.borrower_name,
        social_worker_name: &data.social_worker_name,
    };
    signatures(&mut l, &t, &signers, Some(marks))?;
    l.finish(|page, pages| {
        let (p, n) = (page.to_string(), pages.to_string());
        t.fill(
            "document.footer",
            &[("agreement_number", number), ("page", &p), ("pages", &n)],
        )
        .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{extract_text, flat, page_count};
    use crate::documents::SignatureMark;

    fn sample(lang: Lang) -> ReturnReceiptData {
        ReturnReceiptData {
            lang,
            agreement_number: "BL-2026-0042".into(),
            lender: Party {
                name: "Stad Gent".into(),
                address: None,
            },
            borrower_name: "Zoë Vandenbroeck".into(),
            social_worker_name: "Noël Dumoulin".into(),
            returned_on: NaiveDate::from_ymd_opt(2026, 7, 15).expect("date"),
            devices: vec![ReturnedItem {
                kind: "laptop".into(),
                brand: "Lenovo".into(),
                model: "T480".into(),
                asset_tag: "GNT-000001".into(),
                condition: "kras op het deksel".into(),
                accessories_back: vec!["oplader".into()],
            }],
            place: Some("Gent".into()),
            signed_on: NaiveDate::from_ymd_opt(2026, 7, 15),
        }
    }

    #[test]
    fn the_receipt_names_the_devices_their_condition_and_both_signers() {
        let marks = SignedMarks {
            borrower: SignatureMark::Typed {
                name: "Zoë Vandenbroeck".into(),
                note: "getypt".into(),
            },
            social_worker: SignatureMark::Drawn(vec![vec![(0.1, 0.1), (0.9, 0.9)]]),
        };
        for lang in [Lang::Nl, Lang::Fr, Lang::En] {
            let pdf = return_receipt_pdf(&sample(lang), &marks).expect("pdf");
            let text = flat(&extract_text(&pdf));
            for s in [
                "GNT-000001",
                "kras op het deksel",
                "oplader",
                "Noël Dumoulin",
            ] {
                assert!(text.contains(s), "{lang:?}: {s} in {text}");
            }
            assert!(!text.contains('{'), "{text}");
            assert_eq!(page_count(&pdf), 1);
        }
    }
}
