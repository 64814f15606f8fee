//! The loan agreement (*bruikleenovereenkomst*) a borrower and a social worker sign.
//!
//! A loan for use is free of charge under Belgian law (old Civil Code art. 1876), so the
//! €200 per device is printed as the device's *agreed value* (owed if it is not returned,
//! or paid to keep it), never as a fee. The agreement must fit on two A4 pages: one sheet,
//! printed on both sides.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::format::{format_date, format_money};
use super::render::{Align, Layout, Style, CONTENT_W, MARGIN_X, MM};
use super::texts::{self, Texts};
use super::{DocumentError, Lang};

/// Every placeholder the agreement texts may use.
#[cfg(test)]
pub(crate) const PLACEHOLDERS: &[&str] = &[
    "agreement_number",
    "page",
    "pages",
    "lender_name",
    "serial",
    "asset_tag",
    "value",
    "accessories",
    "purpose",
    "start_date",
    "end_date",
    "total_value",
    "social_worker_name",
    "place",
    "signed_on",
    "name",
];

/// The maximum number of pages of an agreement.
pub const AGREEMENT_MAX_PAGES: usize = 2;

/// A party to the agreement: the organisation that lends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// Name, e.g. "Stad Gent – Digitale Uitleendienst".
    pub name: String,
    /// Postal address on one line, if it should be printed.
    pub address: Option<String>,
}

/// One lent device as printed on the agreement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementDevice {
    /// Kind of device in the document's language, e.g. "laptop", "tablet".
    pub kind: String,
    /// Make, e.g. "Lenovo".
    pub brand: String,
    /// Model, e.g. "ThinkPad T480".
    pub model: String,
    /// Manufacturer's serial number, if known.
    pub serial: Option<String>,
    /// The lending service's asset tag, e.g. "GNT-000123".
    pub asset_tag: String,
    /// URL encoded in the device's QR code (usually the device page).
    pub qr_url: String,
    /// Agreed value in euro cents (usually 20000 = €200), owed if not returned.
    pub value_cents: i64,
}

/// Everything printed on a loan agreement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementData {
    /// Language of the document (Dutch by default).
    #[serde(default)]
    pub lang: Lang,
    /// The agreement's number, e.g. "BL-2026-0042".
    pub agreement_number: String,
    /// The organisation that lends.
    pub lender: Party,
    /// Full name of the borrower.
    pub borrower_name: String,
    /// Address of the borrower on one line, only if the loan needs it.
    pub borrower_address: Option<String>,
    /// Name of the social worker who signs for the lender.
    pub social_worker_name: String,
    /// The lent devices (at least one; the layout is made for up to about three).
    pub devices: Vec<AgreementDevice>,
    /// Accessories handed over, e.g. "charger", "sleeve".
    pub accessories: Vec<String>,
    /// What the device is lent for, in plain words.
    pub purpose: String,
    /// First day of the loan.
    pub start: NaiveDate,
    /// Last day of the loan: everything must be returned by then.
    pub end: NaiveDate,
    /// Dates of the interim checks, between start and end.
    pub checkpoints: Vec<NaiveDate>,
    /// Place of signing; a blank to fill in by hand when absent.
    pub place: Option<String>,
    /// Date of signing; a blank to fill in by hand when absent.
    pub signed_on: Option<NaiveDate>,
}

pub(super) const BODY: Style = Style::regular(10.5);
pub(super) const BODY_BOLD: Style = Style::bold(10.5);
const HEADING: Style = Style::bold(11.5);
const QR_SIZE: f32 = 20.0 * MM;
const BLANK: &str = "..............................";

/// Produces the loan agreement as a PDF of at most two A4 pages.
///
/// # Errors
/// [`DocumentError::Invalid`] for inconsistent data (no device, end before start, a
/// checkpoint outside the loan period, a negative value, empty names);
/// [`DocumentError::TooLong`] when the content would need a third page (very long texts or
/// many devices: make one agreement per few devices); [`DocumentError::Qr`] for a URL too
/// long for a QR code.
pub fn loan_agreement_pdf(data: &AgreementData) -> Result<Vec<u8>, DocumentError> {
    agreement_pdf(data, None)
}

/// How one person signed on the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum SignatureMark {
    /// Strokes drawn with a finger or a stylus: each stroke a list of points, `x` from the
    /// left and `y` from the top of the signing area, both from 0 to 1.
    Drawn(Vec<Vec<(f32, f32)>>),
    /// The full name typed (for a person who cannot draw), with the sentence that says so.
    Typed { name: String, note: String },
}

/// Both signatures of an agreement signed on the screen.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedMarks {
    pub borrower: SignatureMark,
    pub social_worker: SignatureMark,
}

/// The agreement with both signatures drawn in their boxes (strokes as PDF paths, or the
/// typed name with who attested it).
///
/// # Errors
/// As [`loan_agreement_pdf`].
pub fn signed_agreement_pdf(
    data: &AgreementData,
    marks: &SignedMarks,
) -> Result<Vec<u8>, DocumentError> {
    agreement_pdf(data, Some(marks))
}

fn agreement_pdf(
    data: &AgreementData,
    marks: Option<&SignedMarks>,
) -> Result<Vec<u8>, DocumentError> {
    validate(data)?;
    let t = texts::agreement(data.lang)?;
    let lang = data.lang;
    let number = data.agreement_number.as_str();
    let end_date = format_date(data.end, lang);
    let start_date = format_date(data.start, lang);
    let total: i64 = data.devices.iter().map(|d| d.value_cents).sum();
    let total_value = format_money(total, lang);
    let vars: Vec<(&str, &str)> = vec![
        ("agreement_number", number),
        ("lender_name", &data.lender.name),
        ("purpose", &data.purpose),
        ("start_date", &start_date),
        ("end_date", &end_date),
        ("total_value", &total_value),
        ("social_worker_name", &data.social_worker_name),
    ];

    let title = t.get("document.title")?;
    let mut l = Layout::new("loan agreement", title, Some(AGREEMENT_MAX_PAGES))?;

    l.title(
        title,
        &t.fill("document.number", &vars)?,
        Some(t.get("document.subtitle")?),
    );

    // 1. Parties.
    heading(&mut l, t.get("parties.heading")?)?;
    let lender = join_address(&data.lender.name, data.lender.address.as_deref());
    let borrower = join_address(&data.borrower_name, data.borrower_address.as_deref());
    for (label, value) in [
        (t.get("parties.lender")?, lender.as_str()),
        (t.get("parties.borrower")?, borrower.as_str()),
        (
            t.get("parties.social_worker")?,
            data.social_worker_name.as_str(),
        ),
    ] {
        labelled(&mut l, label, value, 60.0 * MM)?;
    }

    // 2. Devices, two per row, each with its QR code.
    heading(&mut l, t.get("devices.heading")?)?;
    l.paragraph(&t.fill("devices.intro", &vars)?, BODY, 0.0)?;
    l.gap(3.0);
    let column_w = CONTENT_W / 2.0;
    let text_w = column_w - QR_SIZE - 4.0 * MM;
    for pair in data.devices.chunks(2) {
        let mut cards = Vec::with_capacity(2);
        for device in pair {
            let value = format_money(device.value_cents, lang);
            let mut lines = l.wrap(&device_title(device), BODY_BOLD, text_w);
            let bold_lines = lines.len();
            let serial = match device.serial.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(serial) => t.fill("devices.serial", &[("serial", serial)])?,
                None => t.get("devices.no_serial")?.to_string(),
            };
            for text in [
                serial,
                t.fill("devices.asset_tag", &[("asset_tag", &device.asset_tag)])?,
                t.fill("devices.value", &[("value", &value)])?,
            ] {
                lines.extend(l.wrap(&text, BODY, text_w));
            }
            cards.push((device, lines, bold_lines));
        }
        let height = cards
            .iter()
            .map(|(_, lines, _)| lines.len() as f32 * BODY.leading())
            .fold(QR_SIZE, f32::max);
        l.ensure(height)?;
        let top = l.y;
        for (i, (device, lines, bold_lines)) in cards.iter().enumerate() {
            let x = MARGIN_X + i as f32 * column_w;
            l.qr(x, top, QR_SIZE, &device.qr_url)?;
            let text_x = x + QR_SIZE + 2.0 * MM;
            let text_top = top - 1.5 * MM;
            let used = l.lines_at(text_x, text_top, &lines[..*bold_lines], BODY_BOLD);
            l.lines_at(text_x, text_top - used, &lines[*bold_lines..], BODY);
        }
        l.gap(height + 2.0);
    }
    let accessories: Vec<&str> = data
        .accessories
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    if accessories.is_empty() {
        l.paragraph(t.get("devices.no_accessories")?, BODY, 0.0)?;
    } else {
        let list = accessories.join(", ");
        l.paragraph(
            &t.fill("devices.accessories", &[("accessories", &list)])?,
            BODY,
            0.0,
        )?;
    }

    // 3. Purpose.
    heading(&mut l, t.get("purpose.heading")?)?;
    l.paragraph(&t.fill("purpose.text", &vars)?, BODY, 0.0)?;

    // 4. Period and checkpoints.
    heading(&mut l, t.get("period.heading")?)?;
    l.paragraph(&t.fill("period.text", &vars)?, BODY_BOLD, 0.0)?;
    let mut checkpoints = data.checkpoints.clone();
    checkpoints.sort();
    checkpoints.dedup();
    if checkpoints.is_empty() {
        l.paragraph(t.get("period.no_checkpoints")?, BODY, 0.0)?;
    } else {
        l.paragraph(t.get("period.checkpoints")?, BODY, 0.0)?;
        let cell_w = CONTENT_W / 4.0;
        for row in checkpoints.chunks(4).enumerate() {
            let (r, dates) = row;
            l.ensure(BODY.leading())?;
            let baseline = l.y - BODY.size;
            for (c, date) in dates.iter().enumerate() {
                let n = r * 4 + c + 1;
                let x = MARGIN_X + c as f32 * cell_w;
                l.stroke_rect(x + 1.0, baseline - 1.0, 8.0, 8.0, 0.6);
                l.text_at(x + 13.0, baseline, &format!("{n}."), BODY, Align::Left);
                l.text_at(
                    x + 34.0,
                    baseline,
                    &format_date(*date, lang),
                    BODY_BOLD,
                    Align::Left,
                );
            }
            l.gap(BODY.leading() + 1.0);
        }
    }

    // 5. Promises.
    heading(&mut l, t.get("promises.heading")?)?;
    for item in t.list("promises.items", &vars)? {
        l.bullet(&item, BODY)?;
        l.gap(1.0);
    }

    // 6. Agreed value.
    heading(&mut l, t.get("value.heading")?)?;
    for key in ["value.free", "value.not_returned", "value.keep"] {
        l.block(&t.fill(key, &vars)?, BODY, 0.0)?;
        l.gap(2.0);
    }

    // 7. Data on the device.
    heading(&mut l, t.get("data.heading")?)?;
    l.block(&t.fill("data.text", &vars)?, BODY, 0.0)?;

    // 8. Privacy.
    heading(&mut l, t.get("privacy.heading")?)?;
    for key in [
        "privacy.what",
        "privacy.why",
        "privacy.how_long",
        "privacy.rights",
        "privacy.contact",
    ] {
        l.block(&t.fill(key, &vars)?, BODY, 0.0)?;
        l.gap(2.0);
    }

    // 9. Signatures, kept together.
    let signers = Signers {
        lang,
        place: data.place.as_deref(),
        signed_on: data.signed_on,
        borrower_name: &data.borrower_name,
        social_worker_name: &data.social_worker_name,
    };
    signatures(&mut l, &t, &signers, marks)?;

    l.finish(|page, pages| {
        let (p, n) = (page.to_string(), pages.to_string());
        t.fill(
            "document.footer",
            &[("agreement_number", number), ("page", &p), ("pages", &n)],
        )
        .unwrap_or_default()
    })
}

fn validate(data: &AgreementData) -> Result<(), DocumentError> {
    let invalid = |m: &str| Err(DocumentError::Invalid(m.to_string()));
    if data.devices.is_empty() {
        return invalid("a loan agreement needs at least one device");
    }
    if data.borrower_name.trim().is_empty() {
        return invalid("the borrower's name is empty");
    }
    if data.lender.name.trim().is_empty() {
        return invalid("the lender's name is empty");
    }
    if data.social_worker_name.trim().is_empty() {
        return invalid("the social worker's name is empty");
    }
    if data.end < data.start {
        return invalid("the end date is before the start date");
    }
    if let Some(d) = data
        .checkpoints
        .iter()
        .find(|d| **d < data.start || **d > data.end)
    {
        return Err(DocumentError::Invalid(format!(
            "checkpoint {d} lies outside the loan period {} – {}",
            data.start, data.end
        )));
    }
    if let Some(d) = data.devices.iter().find(|d| d.value_cents < 0) {
        return Err(DocumentError::Invalid(format!(
            "device {} has a negative agreed value",
            d.asset_tag
        )));
    }
    if let Some(d) = data.devices.iter().find(|d| d.asset_tag.trim().is_empty()) {
        return Err(DocumentError::Invalid(format!(
            "device {} {} has no asset tag",
            d.brand, d.model
        )));
    }
    Ok(())
}

/// "Laptop – Lenovo ThinkPad T480".
fn device_title(device: &AgreementDevice) -> String {
    let mut kind = device.kind.trim().to_string();
    if let Some(first) = kind.chars().next() {
        kind = first.to_uppercase().chain(kind.chars().skip(1)).collect();
    }
    let name = format!("{} {}", device.brand.trim(), device.model.trim());
    match (kind.is_empty(), name.trim().is_empty()) {
        (false, false) => format!("{kind} – {}", name.trim()),
        (false, true) => kind,
        (true, _) => name.trim().to_string(),
    }
}

fn join_address(name: &str, address: Option<&str>) -> String {
    match address.map(str::trim).filter(|a| !a.is_empty()) {
        Some(address) => format!("{}, {address}", name.trim()),
        None => name.trim().to_string(),
    }
}

/// A section heading, kept on the same page as at least two lines of what follows.
pub(super) fn heading(l: &mut Layout, text: &str) -> Result<(), DocumentError> {
    l.gap(6.0);
    l.ensure(HEADING.leading() + 2.0 * BODY.leading())?;
    let baseline = l.y - HEADING.size;
    l.text_at(MARGIN_X, baseline, text, HEADING, Align::Left);
    l.gap(HEADING.leading() + 1.0);
    Ok(())
}

/// A bold label in a fixed-width column with a wrapped value next to it.
pub(super) fn labelled(
    l: &mut Layout,
    label: &str,
    value: &str,
    label_w: f32,
) -> Result<(), DocumentError> {
    let lines = l.wrap(value, BODY, CONTENT_W - label_w);
    let labels = l.wrap(label, BODY_BOLD, label_w - 2.0 * MM);
    let rows = lines.len().max(labels.len());
    l.ensure(rows as f32 * BODY.leading())?;
    let top = l.y;
    l.lines_at(MARGIN_X, top, &labels, BODY_BOLD);
    l.lines_at(MARGIN_X + label_w, top, &lines, BODY);
    l.gap(rows as f32 * BODY.leading() + 1.0);
    Ok(())
}

/// Who signs a document, where and when (the agreement, the return receipt).
pub(super) struct Signers<'a> {
    pub lang: Lang,
    /// Place of signing; a blank to fill in by hand when absent.
    pub place: Option<&'a str>,
    /// Date of signing; a blank to fill in by hand when absent.
    pub signed_on: Option<NaiveDate>,
    pub borrower_name: &'a str,
    pub social_worker_name: &'a str,
}

/// The signature boxes of the borrower and the social worker, kept together, with the marks
/// made on the screen drawn in them. The wording is the document's `signatures.*` texts.
pub(super) fn signatures(
    l: &mut Layout,
    t: &Texts,
    data: &Signers,
    marks: Option<&SignedMarks>,
) -> Result<(), DocumentError> {
    let lang = data.lang;
    let place = data
        .place
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or(BLANK);
    let signed_on = data
        .signed_on
        .map(|d| format_date(d, lang))
        .unwrap_or_else(|| BLANK.to_string());
    let place_line = t.fill(
        "signatures.place_date",
        &[("place", place), ("signed_on", &signed_on)],
    )?;
    let intro = l.wrap(t.get("signatures.intro")?, BODY, CONTENT_W);
    let box_w = (CONTENT_W - 6.0 * MM) / 2.0;
    let inner_w = box_w - 4.0 * MM;
    let blocks = [
        (t.get("signatures.borrower")?, data.borrower_name),
        (t.get("signatures.social_worker")?, data.social_worker_name),
    ];
    let mut wrapped = Vec::with_capacity(2);
    for (role, name) in blocks {
        let mut lines = l.wrap(role, BODY_BOLD, inner_w);
        let bold = lines.len();
        lines.extend(l.wrap(
            &t.fill("signatures.name", &[("name", name)])?,
            BODY,
            inner_w,
        ));
        lines.extend(l.wrap(t.get("signatures.signature")?, BODY, inner_w));
        wrapped.push((lines, bold));
    }
    let text_h = wrapped
        .iter()
        .map(|(lines, _)| lines.len() as f32 * BODY.leading())
        .fold(0.0, f32::max);
    let box_h = text_h + 20.0 * MM;
    let heading_h = 6.0 + HEADING.leading() + 1.0;
    let total = heading_h + (intro.len() + 1) as f32 * BODY.leading() + 4.0 + box_h;
    l.ensure(total)?;
    heading(l, t.get("signatures.heading")?)?;
    let top = l.y;
    let used = l.lines_at(MARGIN_X, top, &intro, BODY);
    l.gap(used);
    let top = l.y;
    let used = l.lines_at(MARGIN_X, top, std::slice::from_ref(&place_line), BODY);
    l.gap(used + 4.0);
    let top = l.y;
    for (i, (lines, bold)) in wrapped.iter().enumerate() {
        let x = MARGIN_X + i as f32 * (box_w + 6.0 * MM);
        l.stroke_rect(x, top - box_h, box_w, box_h, 0.6);
        let used = l.lines_at(x + 2.0 * MM, top - 2.0 * MM, &lines[..*bold], BODY_BOLD);
        l.lines_at(x + 2.0 * MM, top - 2.0 * MM - used, &lines[*bold..], BODY);
        let mark = marks.map(|m| {
            if i == 0 {
                &m.borrower
            } else {
                &m.social_worker
            }
        });
        if let Some(mark) = mark {
            // The signing area: the box below its text.
            let area = (x + 2.0 * MM, top - box_h + 2.0 * MM, inner_w, 16.0 * MM);
            draw_mark(l, mark, area, inner_w);
        }
    }
    l.gap(box_h);
    Ok(())
}

/// A signature in its area (`x`, bottom `y`, width, height): strokes as lines, or the typed
/// name in bold with its note below.
fn draw_mark(l: &mut Layout, mark: &SignatureMark, area: (f32, f32, f32, f32), wrap_w: f32) {
    let (x, y, w, h) = area;
    match mark {
        SignatureMark::Drawn(strokes) => {
            for stroke in strokes {
                for pair in stroke.windows(2) {
                    let (a, b) = (pair[0], pair[1]);
                    l.line(
                        x + a.0 * w,
                        y + h - a.1 * h,
                        x + b.0 * w,
                        y + h - b.1 * h,
                        1.1,
                        0.95,
                    );
                }
            }
        }
        SignatureMark::Typed { name, note } => {
            let top = y + h;
            let lines = l.wrap(name, BODY_BOLD, wrap_w);
            let used = l.lines_at(x, top, &lines, BODY_BOLD);
            let small = Style::regular(8.5);
            let notes = l.wrap(note, small, wrap_w);
            l.lines_at(x, top - used, &notes, small);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{extract_text, flat, page_count};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn device(n: u32) -> AgreementDevice {
        AgreementDevice {
            kind: "laptop".into(),
            brand: "Lenovo".into(),
            model: "ThinkPad T480".into(),
            serial: Some(format!("PF1ABC{n:03}")),
            asset_tag: format!("GNT-{n:06}"),
            qr_url: format!("https://uitleen.gent.be/d/GNT-{n:06}"),
            value_cents: 20_000,
        }
    }

    pub(crate) fn sample(lang: Lang, devices: u32, checkpoints: u32) -> AgreementData {
        AgreementData {
            lang,
            agreement_number: "BL-2026-0042".into(),
            lender: Party {
                name: "Stad Gent – Digitale Uitleendienst".into(),
                address: Some("Botermarkt 1, 9000 Gent".into()),
            },
            borrower_name: "Zoë Vandenbroeck-Françoise".into(),
            borrower_address: Some("Sint-Pietersnieuwstraat 33, 9000 Gent".into()),
            social_worker_name: "Noël Dumoulin".into(),
            devices: (1..=devices).map(device).collect(),
            accessories: vec!["oplader".into(), "beschermhoes".into()],
            purpose: "solliciteren, e-mails lezen en contact houden met de VDAB en het OCMW".into(),
            start: d(2026, 1, 15),
            end: d(2032, 1, 14),
            checkpoints: (0..checkpoints)
                .map(|i| {
                    d(2026, 1, 15)
                        .checked_add_months(chrono::Months::new(6 * (i + 1)))
                        .expect("date in range")
                        .min(d(2032, 1, 14))
                })
                .collect(),
            place: Some("Gent".into()),
            signed_on: Some(d(2026, 1, 15)),
        }
    }

    #[test]
    fn dutch_agreement_contains_the_essentials() {
        let data = sample(Lang::Nl, 2, 12);
        let pdf = loan_agreement_pdf(&data).expect("pdf");
        let text = flat(&extract_text(&pdf));
        assert!(text.contains("Zoë Vandenbroeck-Françoise"), "{text}");
        for device in &data.devices {
            assert!(text.contains(&device.asset_tag), "{}", device.asset_tag);
        }
        for cp in &data.checkpoints {
            let s = format_date(*cp, Lang::Nl);
            assert!(text.contains(&s), "checkpoint {s} missing");
        }
        assert!(text.contains("€ 200,00"));
        assert!(text.contains("€ 400,00"), "total of two devices");
        assert!(text.contains("Bruikleenovereenkomst"));
        assert!(text.contains("U betaalt niets om het toestel te gebruiken"));
        assert!(text.contains("Gegevensbeschermingsautoriteit"));
        assert!(!text.contains('{'), "unfilled placeholder in {text}");
        assert!(page_count(&pdf) <= 2);
    }

    #[test]
    fn accents_round_trip() {
        let mut data = sample(Lang::Fr, 1, 2);
        data.purpose = "créer un CV, télécharger des fiches de paie, Noël, façade, €".into();
        let text = flat(&extract_text(&loan_agreement_pdf(&data).expect("pdf")));
        for word in [
            "é",
            "ë",
            "ç",
            "€",
            "créer",
            "Noël",
            "façade",
            "Zoë",
            "Françoise",
        ] {
            assert!(text.contains(word), "{word} lost in {text}");
        }
    }

    #[test]
    fn french_and_english_have_their_own_wording() {
        let fr = flat(&extract_text(
            &loan_agreement_pdf(&sample(Lang::Fr, 1, 3)).expect("pdf"),
        ));
        assert!(fr.contains("Convention de prêt à usage"));
        assert!(fr.contains("Vous ne payez rien pour utiliser l'appareil"));
        assert!(fr.contains("Autorité de protection des données"));
        assert!(fr.contains("€ 200,00"));
        assert!(fr.contains("15/07/2026"));
        let en = flat(&extract_text(
            &loan_agreement_pdf(&sample(Lang::En, 1, 3)).expect("pdf"),
        ));
        assert!(en.contains("Loan agreement"));
        assert!(en.contains("You pay nothing to use the device"));
        assert!(en.contains("€200.00"));
        assert!(en.contains("15/07/2026"));
        assert!(!en.contains("Bruikleenovereenkomst"));
    }

    #[test]
    fn three_devices_and_twelve_checkpoints_fit_on_two_pages() {
        for lang in [Lang::Nl, Lang::Fr, Lang::En] {
            let pdf = loan_agreement_pdf(&sample(lang, 3, 12)).expect("fits");
            assert!(page_count(&pdf) <= 2, "{lang:?}");
        }
    }

    #[test]
    fn too_much_content_is_an_error_not_a_third_page() {
        let mut data = sample(Lang::Nl, 3, 12);
        data.purpose = "heel lang doel ".repeat(400);
        match loan_agreement_pdf(&data) {
            Err(DocumentError::TooLong { max_pages: 2, .. }) => {}
            other => panic!("expected TooLong, got {:?}", other.map(|b| b.len())),
        }
    }

    #[test]
    fn inconsistent_data_is_rejected() {
        let mut data = sample(Lang::Nl, 1, 2);
        data.end = d(2025, 1, 1);
        assert!(matches!(
            loan_agreement_pdf(&data),
            Err(DocumentError::Invalid(_))
        ));
        let mut data = sample(Lang::Nl, 1, 2);
        data.devices.clear();
        assert!(matches!(
            loan_agreement_pdf(&data),
            Err(DocumentError::Invalid(_))
        ));
        let mut data = sample(Lang::Nl, 1, 2);
        data.checkpoints.push(d(2040, 1, 1));
        assert!(matches!(
            loan_agreement_pdf(&data),
            Err(DocumentError::Invalid(_))
        ));
    }

    #[test]
    fn blanks_when_place_and_date_are_unknown() {
        let mut data = sample(Lang::Nl, 1, 0);
        data.place = None;
        data.signed_on = None;
        data.borrower_address = None;
        data.accessories.clear();
        let text = flat(&extract_text(&loan_agreement_pdf(&data).expect("pdf")));
        assert!(text.contains(&format!("Opgemaakt te {BLANK} op {BLANK}")));
        assert!(text.contains("Toebehoren: geen"));
        assert!(text.contains("Er is geen controle gepland"));
    }

    #[test]
    fn font_is_subset_and_file_is_small() {
        let pdf = loan_agreement_pdf(&sample(Lang::Nl, 2, 12)).expect("pdf");
        assert!(pdf.len() < 100_000, "{} bytes", pdf.len());
    }
}
