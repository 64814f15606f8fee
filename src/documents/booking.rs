//! Documents of a booking by an organisation: the pick list that staff use to gather the
//! devices, and the confirmation sent to the school or organisation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::format::{format_date, non_empty};
use super::render::{Align, Layout, Style, Table, CONTENT_W, MARGIN_X, MM};
use super::texts::{self, Texts};
use super::{DocumentError, Lang};

/// Every placeholder the booking texts may use.
#[cfg(test)]
pub(crate) const PLACEHOLDERS: &[&str] = &[
    "booking_reference",
    "page",
    "pages",
    "contact_name",
    "organisation",
    "lender_name",
    "pickup_date",
    "pickup_place",
    "return_date",
];

/// One device to take from the shelves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickListItem {
    /// Asset tag, e.g. "GNT-000123".
    pub asset_tag: String,
    /// Kind of device, e.g. "tablet".
    pub kind: String,
    /// Make and model, e.g. "Apple iPad 9".
    pub model: String,
    /// Where the device is stored, e.g. "Kast B, plank 3".
    pub shelf: Option<String>,
    /// The accessories that go with the device, e.g. "lader, hoes".
    #[serde(default)]
    pub accessories: Option<String>,
    /// URL encoded in the small QR code (usually the device page, to scan it out).
    pub qr_url: String,
}

/// Everything printed on a pick list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickListData {
    /// Language of the document (Dutch by default).
    #[serde(default)]
    pub lang: Lang,
    /// The booking's reference, e.g. "RES-2026-0166".
    pub booking_reference: String,
    /// The borrowing school or organisation.
    pub organisation: String,
    /// Day the devices are picked up.
    pub pickup_on: NaiveDate,
    /// Day the devices come back.
    pub return_on: NaiveDate,
    /// The devices; printed sorted by shelf location, then asset tag, to make picking fast.
    pub items: Vec<PickListItem>,
}

/// A kind of device and how many are booked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingLine {
    /// Kind of device in the document's language, e.g. "tablet", "robot Bee-Bot".
    pub kind: String,
    /// Number booked.
    pub quantity: u32,
}

/// Everything printed on a booking confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingConfirmationData {
    /// Language of the document (Dutch by default).
    #[serde(default)]
    pub lang: Lang,
    /// The booking's reference.
    pub booking_reference: String,
    /// Name of the lending service, e.g. "Digitale Uitleendienst Gent".
    pub lender_name: String,
    /// The borrowing school or organisation.
    pub organisation: String,
    /// Contact person at the organisation.
    pub contact_name: String,
    /// Contact e-mail address, if it should be printed.
    pub contact_email: Option<String>,
    /// Day of pick-up.
    pub pickup_on: NaiveDate,
    /// Day of return.
    pub return_on: NaiveDate,
    /// Where to pick up and return, if it should be printed.
    pub pickup_place: Option<String>,
    /// When the lending service is open for pick-up and return, if known.
    #[serde(default)]
    pub opening_hours: Option<String>,
    /// How and where to bring the devices back, if the lending service wrote it down.
    #[serde(default)]
    pub return_instructions: Option<String>,
    /// What the devices are for (workshop, class, project).
    pub purpose: String,
    /// What is booked, one line per kind.
    pub lines: Vec<BookingLine>,
}

const BODY: Style = Style::regular(10.5);
const BODY_BOLD: Style = Style::bold(10.5);
const QR_SIZE: f32 = 16.0 * MM;

fn check_dates(pickup: NaiveDate, ret: NaiveDate) -> Result<(), DocumentError> {
    if ret < pickup {
        return Err(DocumentError::Invalid(
            "the return date is before the pick-up date".into(),
        ));
    }
    Ok(())
}

/// Label / value lines with the labels in a column of `label_w`.
fn facts(l: &mut Layout, rows: &[(&str, String)], label_w: f32) -> Result<(), DocumentError> {
    for (label, value) in rows {
        let lines = l.wrap(value, BODY, CONTENT_W - label_w);
        let labels = l.wrap(label, BODY_BOLD, label_w - 2.0 * MM);
        let n = lines.len().max(labels.len());
        l.ensure(n as f32 * BODY.leading())?;
        let top = l.y;
        l.lines_at(MARGIN_X, top, &labels, BODY_BOLD);
        l.lines_at(MARGIN_X + label_w, top, &lines, BODY);
        l.gap(n as f32 * BODY.leading() + 1.5);
    }
    Ok(())
}

fn footer<'a>(
    t: &'a Texts,
    key: &'a str,
    reference: &'a str,
) -> impl Fn(usize, usize) -> String + 'a {
    move |page, pages| {
        let (p, n) = (page.to_string(), pages.to_string());
        t.fill(
            key,
            &[
                ("booking_reference", reference),
                ("page", &p),
                ("pages", &n),
            ],
        )
        .unwrap_or_default()
    }
}

/// Produces the pick list for staff: one row per device with asset tag, kind, model, shelf
/// location, a small QR code and a checkbox, over as many pages as needed.
///
/// # Errors
/// [`DocumentError::Invalid`] when there are no items or the return date is before the
/// pick-up date; [`DocumentError::Qr`] for a URL too long for a QR code.
pub fn pick_list_pdf(data: &PickListData) -> Result<Vec<u8>, DocumentError> {
    if data.items.is_empty() {
        return Err(DocumentError::Invalid(
            "a pick list needs at least one device".into(),
        ));
    }
    check_dates(data.pickup_on, data.return_on)?;
    let t = texts::booking(data.lang)?;
    let lang = data.lang;
    let reference = data.booking_reference.as_str();
    let vars = [("booking_reference", reference)];
    let title = t.get("pick_list.title")?;
    let mut l = Layout::new("pick list", title, None)?;
    l.title(title, &t.fill("pick_list.reference", &vars)?, None);
    facts(
        &mut l,
        &[
            (t.get("pick_list.organisation")?, data.organisation.clone()),
            (
                t.get("pick_list.pickup")?,
                format_date(data.pickup_on, lang),
            ),
            (
                t.get("pick_list.return")?,
                format_date(data.return_on, lang),
            ),
            (t.get("pick_list.count")?, data.items.len().to_string()),
        ],
        45.0 * MM,
    )?;
    l.gap(6.0);

    let table = Table {
        columns: vec![
            (t.get("pick_list.col_check")?.to_string(), 11.0 * MM),
            (t.get("pick_list.col_code")?.to_string(), 20.0 * MM),
            (t.get("pick_list.col_asset_tag")?.to_string(), 31.0 * MM),
            (t.get("pick_list.col_kind")?.to_string(), 26.0 * MM),
            (t.get("pick_list.col_model")?.to_string(), 32.0 * MM),
            (t.get("pick_list.col_accessories")?.to_string(), 32.0 * MM),
            (t.get("pick_list.col_shelf")?.to_string(), 28.0 * MM),
        ],
        style: BODY,
        header_style: Style::bold(9.5),
        padding: 4.0,
    };
    table.header(&mut l)?;
    let mut items: Vec<&PickListItem> = data.items.iter().collect();
    items.sort_by(|a, b| {
        (
            a.shelf.as_deref().unwrap_or("\u{10FFFF}"),
            a.asset_tag.as_str(),
        )
            .cmp(&(
                b.shelf.as_deref().unwrap_or("\u{10FFFF}"),
                b.asset_tag.as_str(),
            ))
    });
    let no_shelf = t.get("pick_list.no_shelf")?;
    let no_accessories = t.get("pick_list.no_accessories")?;
    for (i, item) in items.iter().enumerate() {
        let cells = [
            String::new(),
            String::new(),
            item.asset_tag.clone(),
            item.kind.clone(),
            item.model.clone(),
            item.accessories
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or(no_accessories)
                .to_string(),
            item.shelf
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or(no_shelf)
                .to_string(),
        ];
        let (top, h) = table.row(&mut l, &cells, QR_SIZE + 4.0, i % 2 == 1)?;
        let box_size = 5.0 * MM;
        l.stroke_rect(
            table.column_x(0) + (11.0 * MM - box_size) / 2.0,
            top - h / 2.0 - box_size / 2.0,
            box_size,
            box_size,
            0.8,
        );
        l.qr(
            table.column_x(1) + 2.0 * MM,
            top - (h - QR_SIZE) / 2.0,
            QR_SIZE,
            &item.qr_url,
        )?;
    }

    l.gap(10.0);
    l.ensure(2.0 * (BODY.leading() + 8.0 * MM))?;
    for key in ["pick_list.picked_by", "pick_list.checked_by"] {
        let y = l.y - BODY.size;
        l.text_at(MARGIN_X, y, t.get(key)?, BODY, Align::Left);
        l.line(
            MARGIN_X + 45.0 * MM,
            y - 1.0,
            MARGIN_X + 120.0 * MM,
            y - 1.0,
            0.5,
            1.0,
        );
        l.gap(BODY.leading() + 8.0 * MM);
    }
    l.finish(footer(&t, "pick_list.footer", reference))
}

/// Produces the booking confirmation for the school or organisation: organisation,
/// contact, pick-up and return, purpose, what is booked and the conditions.
///
/// # Errors
/// [`DocumentError::Invalid`] when nothing is booked or the return date is before the
/// pick-up date.
pub fn booking_confirmation_pdf(data: &BookingConfirmationData) -> Result<Vec<u8>, DocumentError> {
    if data.lines.iter().all(|line| line.quantity == 0) {
        return Err(DocumentError::Invalid(
            "the booking contains no devices".into(),
        ));
    }
    check_dates(data.pickup_on, data.return_on)?;
    let t = texts::booking(data.lang)?;
    let lang = data.lang;
    let reference = data.booking_reference.as_str();
    let pickup_date = format_date(data.pickup_on, lang);
    let return_date = format_date(data.return_on, lang);
    let vars = [
        ("booking_reference", reference),
        ("contact_name", data.contact_name.as_str()),
        ("organisation", data.organisation.as_str()),
        ("lender_name", data.lender_name.as_str()),
        ("pickup_date", pickup_date.as_str()),
        ("return_date", return_date.as_str()),
    ];
    let title = t.get("confirmation.title")?;
    let mut l = Layout::new("booking confirmation", title, None)?;
    l.title(title, &t.fill("confirmation.reference", &vars)?, None);

    l.paragraph(&t.fill("confirmation.greeting", &vars)?, BODY, 0.0)?;
    l.gap(4.0);
    l.paragraph(&t.fill("confirmation.intro", &vars)?, BODY, 0.0)?;
    l.gap(8.0);

    let contact = match data.contact_email.as_deref().map(str::trim) {
        Some(email) if !email.is_empty() => format!("{} ({email})", data.contact_name),
        _ => data.contact_name.clone(),
    };
    let pickup = match data.pickup_place.as_deref().map(str::trim) {
        Some(place) if !place.is_empty() => {
            let mut v = vars.to_vec();
            v.push(("pickup_place", place));
            t.fill("confirmation.pickup_at", &v)?
        }
        _ => pickup_date.clone(),
    };
    let mut rows = vec![
        (
            t.get("confirmation.organisation")?,
            data.organisation.clone(),
        ),
        (t.get("confirmation.contact")?, contact),
        (t.get("confirmation.pickup")?, pickup),
    ];
    if let Some(hours) = non_empty(data.opening_hours.as_deref()) {
        rows.push((t.get("confirmation.opening_hours")?, hours.to_string()));
    }
    rows.push((t.get("confirmation.return")?, return_date.clone()));
    if let Some(how) = non_empty(data.return_instructions.as_deref()) {
        rows.push((t.get("confirmation.return_how")?, how.to_string()));
    }
    rows.push((t.get("confirmation.purpose")?, data.purpose.clone()));
    facts(&mut l, &rows, 50.0 * MM)?;
    l.gap(8.0);

    let table = Table {
        columns: vec![
            (t.get("confirmation.col_kind")?.to_string(), 120.0 * MM),
            (t.get("confirmation.col_quantity")?.to_string(), 30.0 * MM),
        ],
        style: BODY,
        header_style: BODY_BOLD,
        padding: 4.0,
    };
    table.header(&mut l)?;
    let mut total: u64 = 0;
    for (i, line) in data
        .lines
        .iter()
        .filter(|line| line.quantity > 0)
        .enumerate()
    {
        total += u64::from(line.quantity);
        table.row(
            &mut l,
            &[line.kind.clone(), line.quantity.to_string()],
            0.0,
            i % 2 == 1,
        )?;
    }
    let total_table = Table {
        style: BODY_BOLD,
        ..table
    };
    total_table.row(
        &mut l,
        &[t.get("confirmation.total")?.to_string(), total.to_string()],
        0.0,
        false,
    )?;
    l.gap(10.0);

    l.ensure(BODY.leading() * 4.0)?;
    l.paragraph(
        t.get("confirmation.conditions_heading")?,
        Style::bold(11.5),
        0.0,
    )?;
    l.gap(2.0);
    for item in t.list("confirmation.conditions", &vars)? {
        l.bullet(&item, BODY)?;
        l.gap(1.5);
    }
    l.gap(10.0);
    l.ensure(BODY.leading() * 2.0)?;
    l.paragraph(t.get("confirmation.closing")?, BODY, 0.0)?;
    l.paragraph(&data.lender_name, BODY_BOLD, 0.0)?;
    l.finish(footer(&t, "confirmation.footer", reference))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{extract_text, flat, page_count};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).expect("date")
    }

    fn pick_list(n: usize) -> PickListData {
        PickListData {
            lang: Lang::Nl,
            booking_reference: "RES-2026-0166".into(),
            organisation: "Basisschool De Knipoog".into(),
            pickup_on: d(4, 20),
            return_on: d(4, 24),
            items: (1..=n)
                .map(|i| PickListItem {
                    asset_tag: format!("GNT-T{i:05}"),
                    kind: "tablet".into(),
                    model: "Apple iPad 9".into(),
                    shelf: if i % 4 == 0 {
                        None
                    } else {
                        Some(format!(
                            "Kast {}, plank {}",
                            (b'A' + (i % 3) as u8) as char,
                            i % 5
                        ))
                    },
                    qr_url: format!("https://uitleen.gent.be/d/GNT-T{i:05}"),
                    accessories: (i % 2 == 0).then(|| "lader, hoes".to_string()),
                })
                .collect(),
        }
    }

    #[test]
    fn pick_list_lists_every_device_across_pages() {
        let data = pick_list(30);
        let pdf = pick_list_pdf(&data).expect("pdf");
        let text = flat(&extract_text(&pdf));
        assert!(page_count(&pdf) >= 2);
        for item in &data.items {
            assert!(text.contains(&item.asset_tag), "{} missing", item.asset_tag);
        }
        assert!(text.contains("Picklijst"));
        assert!(text.contains("RES-2026-0166"));
        assert!(text.contains("Basisschool De Knipoog"));
        assert!(text.contains("20-04-2026"));
        assert!(text.contains("24-04-2026"));
        assert!(
            text.matches("Plaats in de kast").count() >= 2,
            "header repeated"
        );
        assert_eq!(
            text.matches("lader, hoes").count(),
            15,
            "accessories per device"
        );
        assert!(text.contains("Toebehoren"));
    }

    fn confirmation(lang: Lang) -> BookingConfirmationData {
        BookingConfirmationData {
            lang,
            booking_reference: "RES-2026-0166".into(),
            lender_name: "Digitale Uitleendienst Gent".into(),
            organisation: "Basisschool De Knipoog".into(),
            contact_name: "Loïc Verhaeghe".into(),
            contact_email: Some("loic@knipoog.be".into()),
            pickup_on: d(4, 20),
            return_on: d(4, 24),
            pickup_place: Some("Bibliotheek De Krook".into()),
            opening_hours: Some("ma–vr 9–16 u".into()),
            return_instructions: Some("Aan de uitleenbalie, gelijkvloers.".into()),
            purpose: "programmeerles met robots in het 5de leerjaar".into(),
            lines: vec![
                BookingLine {
                    kind: "tablet".into(),
                    quantity: 12,
                },
                BookingLine {
                    kind: "robot (Bee-Bot)".into(),
                    quantity: 6,
                },
            ],
        }
    }

    #[test]
    fn confirmation_in_dutch_by_default() {
        let data = BookingConfirmationData {
            lang: Lang::default(),
            ..confirmation(Lang::Nl)
        };
        let text = flat(&extract_text(
            &booking_confirmation_pdf(&data).expect("pdf"),
        ));
        for needle in [
            "Bevestiging van uw reservatie",
            "Basisschool De Knipoog",
            "Loïc Verhaeghe",
            "20-04-2026 bij Bibliotheek De Krook",
            "Openingsuren ma–vr 9–16 u",
            "Hoe terugbrengen Aan de uitleenbalie, gelijkvloers.",
            "24-04-2026",
            "programmeerles met robots",
            "robot (Bee-Bot)",
            "Totaal 18",
            "Lenen is gratis.",
        ] {
            assert!(text.contains(needle), "{needle} missing in {text}");
        }
    }

    #[test]
    fn confirmation_in_french_and_english() {
        let fr = flat(&extract_text(
            &booking_confirmation_pdf(&confirmation(Lang::Fr)).expect("pdf"),
        ));
        assert!(fr.contains("Confirmation de votre réservation"));
        assert!(fr.contains("Le prêt est gratuit."));
        assert!(fr.contains("20/04/2026"));
        let en = flat(&extract_text(
            &booking_confirmation_pdf(&confirmation(Lang::En)).expect("pdf"),
        ));
        assert!(en.contains("Confirmation of your booking"));
        assert!(en.contains("Borrowing is free of charge."));
    }

    #[test]
    fn bad_bookings_are_rejected() {
        let mut data = confirmation(Lang::Nl);
        data.return_on = d(1, 1);
        assert!(matches!(
            booking_confirmation_pdf(&data),
            Err(DocumentError::Invalid(_))
        ));
        let mut list = pick_list(1);
        list.items.clear();
        assert!(matches!(
            pick_list_pdf(&list),
            Err(DocumentError::Invalid(_))
        ));
    }
}
