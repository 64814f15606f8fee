//! The certificate of data sanitisation that a donor receives for a donation batch, as PDF
//! and as CSV.
//!
//! One row per storage medium (a device with two drives has two rows), with what NIST SP
//! 800-88's sample certificate asks to record: the asset tag, the serials, the media type,
//! the method category and technique, the tool and its version, the verification and who
//! verified, the outcome, the destination after sanitisation, date and technician. Every
//! word is in the document's language (`texts/certificate.*.toml`).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::format::{format_date, non_empty};
use super::render::{Align, Layout, Style, Table, CONTENT_W, MARGIN_X, MM};
use super::texts::{self, Texts};
use super::{DocumentError, Lang};
use crate::domain::devices::DriveType;
use crate::domain::refurbishment::{WipeCategory, WipeTechnique};

/// Every placeholder the certificate texts may use.
#[cfg(test)]
pub(crate) const PLACEHOLDERS: &[&str] = &[
    "certificate_number",
    "page",
    "pages",
    "donor_name",
    "workshop_name",
    "count",
    "name",
    "passes",
    "category",
    "technique",
];

/// How the result of a wipe was verified (NIST SP 800-88: full or sample).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verification {
    /// Every sector was read back.
    Full,
    /// A sample of sectors was read back.
    Sample,
    /// Not verified.
    #[default]
    None,
}

impl Verification {
    /// The code used in the CSV export: `full`, `sample` or `none`.
    pub fn code(self) -> &'static str {
        match self {
            Verification::Full => "full",
            Verification::Sample => "sample",
            Verification::None => "none",
        }
    }
}

/// The result for one storage medium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The medium was sanitised successfully.
    Passed,
    /// Sanitisation failed (the medium must be wiped again or destroyed).
    Failed,
    /// The medium was physically destroyed.
    Destroyed,
}

impl Outcome {
    /// The code used in the CSV export: `passed`, `failed` or `destroyed`.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Destroyed => "destroyed",
        }
    }
}

/// Where the device goes after sanitisation (NIST SP 800-88's "destination").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Destination {
    /// The device is lent or given again.
    #[default]
    Reuse,
    /// The device is retired and goes to recycling.
    Recycling,
}

impl Destination {
    /// The code used in the CSV export: `reuse` or `recycling`.
    pub fn code(self) -> &'static str {
        match self {
            Destination::Reuse => "reuse",
            Destination::Recycling => "recycling",
        }
    }
}

/// One storage medium of one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRow {
    /// The lending service's asset tag of the device, e.g. "GNT-000123".
    pub asset_tag: String,
    /// Serial number of the device, if known.
    pub device_serial: Option<String>,
    /// Serial number of the drive, if known (often unknown for soldered eMMC).
    pub drive_serial: Option<String>,
    /// Kind of medium, if known.
    pub drive_type: Option<DriveType>,
    /// NIST SP 800-88 category: clear, purge or destroy.
    pub category: WipeCategory,
    /// The technique used.
    pub technique: WipeTechnique,
    /// Number of passes (printed for overwrites).
    pub passes: i32,
    /// Tool name and version, e.g. "nwipe 0.36".
    pub tool: String,
    /// How the result was verified.
    pub verification: Verification,
    /// Name of the person who verified, if recorded.
    pub verified_by: Option<String>,
    /// The result.
    pub outcome: Outcome,
    /// Where the device goes after sanitisation.
    pub destination: Destination,
    /// Date of the wipe.
    pub date: NaiveDate,
    /// Name of the technician.
    pub technician: String,
}

/// Everything printed on a certificate of sanitisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateData {
    /// Language of the document (Dutch by default).
    #[serde(default)]
    pub lang: Lang,
    /// The certificate's number, e.g. "CERT-2026-007".
    pub certificate_number: String,
    /// The company or person that donated the batch; `None` for an anonymous donor (printed
    /// as "anonymous donor" in the document's language).
    pub donor_name: Option<String>,
    /// The refurbishment partner that wiped the media.
    pub workshop_name: String,
    /// Date of issue.
    pub issued_on: NaiveDate,
    /// One row per storage medium, in the order they should be printed.
    pub rows: Vec<CertificateRow>,
}

/// Counts printed under the table, computed from the rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateTotals {
    /// Distinct asset tags.
    pub devices: usize,
    /// Rows (storage media).
    pub drives: usize,
    /// Rows with outcome passed.
    pub passed: usize,
    /// Rows with outcome failed.
    pub failed: usize,
    /// Rows with outcome destroyed.
    pub destroyed: usize,
}

impl CertificateData {
    /// The totals of this batch, computed from [`CertificateData::rows`] so they can never
    /// disagree with the table.
    pub fn totals(&self) -> CertificateTotals {
        let devices: BTreeSet<&str> = self.rows.iter().map(|r| r.asset_tag.as_str()).collect();
        let count = |o: Outcome| self.rows.iter().filter(|r| r.outcome == o).count();
        CertificateTotals {
            devices: devices.len(),
            drives: self.rows.len(),
            passed: count(Outcome::Passed),
            failed: count(Outcome::Failed),
            destroyed: count(Outcome::Destroyed),
        }
    }
}

const CELL: Style = Style::regular(8.5);
const CELL_BOLD: Style = Style::bold(8.5);
const BODY: Style = Style::regular(10.0);
const BODY_BOLD: Style = Style::bold(10.0);

/// Produces the certificate as a PDF; the table runs over as many pages as needed, with
/// its header repeated on each page.
///
/// # Errors
/// [`DocumentError::Invalid`] when there are no rows or the number is empty.
pub fn sanitisation_certificate_pdf(data: &CertificateData) -> Result<Vec<u8>, DocumentError> {
    if data.rows.is_empty() {
        return Err(DocumentError::Invalid(
            "a certificate needs at least one row".into(),
        ));
    }
    if data.certificate_number.trim().is_empty() {
        return Err(DocumentError::Invalid(
            "the certificate number is empty".into(),
        ));
    }
    let t = texts::certificate(data.lang)?;
    let lang = data.lang;
    let number = data.certificate_number.as_str();
    let donor_name = match non_empty(data.donor_name.as_deref()) {
        Some(name) => name,
        None => t.get("values.anonymous_donor")?,
    };
    let vars = [
        ("certificate_number", number),
        ("donor_name", donor_name),
        ("workshop_name", data.workshop_name.as_str()),
    ];
    let title = t.get("document.title")?;
    let mut l = Layout::new("certificate", title, None)?;

    l.title(title, &t.fill("document.number", &vars)?, None);
    let issued = format_date(data.issued_on, lang);
    for (label, value) in [
        (t.get("document.donor")?, donor_name),
        (t.get("document.workshop")?, data.workshop_name.as_str()),
        (t.get("document.issued")?, issued.as_str()),
    ] {
        let lines = l.wrap(value, BODY, CONTENT_W - 45.0 * MM);
        let top = l.y;
        l.lines_at(MARGIN_X, top, &[label.to_string()], BODY_BOLD);
        let used = l.lines_at(MARGIN_X + 45.0 * MM, top, &lines, BODY);
        l.gap(used + 1.0);
    }
    l.gap(4.0);
    l.paragraph(&t.fill("document.intro", &vars)?, BODY, 0.0)?;
    l.gap(6.0);

    let table = Table {
        columns: vec![
            (t.get("columns.device")?.to_string(), 29.0 * MM),
            (t.get("columns.drive")?.to_string(), 29.0 * MM),
            (t.get("columns.method")?.to_string(), 40.0 * MM),
            (t.get("columns.verification")?.to_string(), 27.0 * MM),
            (t.get("columns.outcome")?.to_string(), 25.0 * MM),
            (t.get("columns.date")?.to_string(), 30.0 * MM),
        ],
        style: CELL,
        header_style: CELL_BOLD,
        padding: 3.0,
    };
    table.header(&mut l)?;
    let unknown = t.get("values.unknown")?;
    for (i, row) in data.rows.iter().enumerate() {
        let cells = [
            format!(
                "{}\n{}",
                row.asset_tag,
                non_empty(row.device_serial.as_deref()).unwrap_or(unknown)
            ),
            format!(
                "{}\n{}",
                match row.drive_type {
                    Some(d) => t.get(&format!("drive_types.{}", d.as_str()))?,
                    None => unknown,
                },
                non_empty(row.drive_serial.as_deref()).unwrap_or(unknown)
            ),
            format!("{}\n{}", method_text(&t, row)?, row.tool),
            verification_cell(&t, row)?,
            format!(
                "{}\n{}",
                outcome_text(&t, row.outcome)?,
                destination_text(&t, row.destination)?
            ),
            format!("{}\n{}", format_date(row.date, lang), row.technician),
        ];
        table.row(&mut l, &cells, 0.0, i % 2 == 1)?;
    }

    // Totals, statement and signature stay together.
    let totals = data.totals();
    let mut total_lines = Vec::new();
    for (key, n) in [
        ("totals.devices", totals.devices),
        ("totals.drives", totals.drives),
        ("totals.passed", totals.passed),
        ("totals.failed", totals.failed),
        ("totals.destroyed", totals.destroyed),
    ] {
        total_lines.push(t.fill(key, &[("count", &n.to_string())])?);
    }
    let statement = l.wrap(&t.fill("statement.nist", &vars)?, BODY, CONTENT_W);
    let failed_note = if totals.failed > 0 {
        l.wrap(&t.fill("statement.failed", &vars)?, BODY, CONTENT_W)
    } else {
        Vec::new()
    };
    let signature_h = 6.0 * BODY.leading() + 16.0 * MM;
    let needed = 10.0
        + BODY.leading() * (2.0 + statement.len() as f32 + failed_note.len() as f32)
        + 12.0
        + signature_h;
    l.gap(8.0);
    l.ensure(needed)?;
    let top = l.y;
    l.lines_at(
        MARGIN_X,
        top,
        &[t.get("totals.heading")?.to_string()],
        BODY_BOLD,
    );
    l.gap(BODY.leading());
    let top = l.y;
    l.text_at(
        MARGIN_X,
        top - BODY.size,
        &total_lines.join("   ·   "),
        BODY,
        Align::Left,
    );
    l.gap(BODY.leading() + 6.0);
    let top = l.y;
    let used = l.lines_at(MARGIN_X, top, &statement, BODY);
    l.gap(used + 3.0);
    let top = l.y;
    let used = l.lines_at(MARGIN_X, top, &failed_note, BODY);
    l.gap(used + 10.0);

    let top = l.y;
    l.lines_at(
        MARGIN_X,
        top,
        &[t.fill("signature.heading", &vars)?],
        BODY_BOLD,
    );
    let mut y = top - BODY.leading() - 6.0;
    for key in [
        "signature.name",
        "signature.place",
        "signature.date",
        "signature.signature",
    ] {
        let label = t.get(key)?;
        l.text_at(MARGIN_X, y - BODY.size, label, BODY, Align::Left);
        l.line(
            MARGIN_X + 35.0 * MM,
            y - BODY.size - 1.0,
            MARGIN_X + 110.0 * MM,
            y - BODY.size - 1.0,
            0.5,
            1.0,
        );
        y -= BODY.leading() + 4.0 * MM;
    }
    l.y = y;

    l.finish(|page, pages| {
        let (p, n) = (page.to_string(), pages.to_string());
        t.fill(
            "document.footer",
            &[("certificate_number", number), ("page", &p), ("pages", &n)],
        )
        .unwrap_or_default()
    })
}

/// The same rows as CSV for the donor's records, made to open in a Belgian Excel: UTF-8 with
/// a byte order mark and `;` between cells (a Belgian Excel reads `,` as the decimal comma).
/// Headers and values are language-neutral codes (`purge`, `crypto_erase`, `full`, `reuse`,
/// ISO dates) so that the file can be processed whatever the language of the PDF; cells that
/// a spreadsheet would run as a formula are prefixed with `'`.
pub fn sanitisation_certificate_csv(data: &CertificateData) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let mut ok = writer
        .write_record([
            "certificate_number",
            "donor",
            "workshop",
            "asset_tag",
            "device_serial",
            "drive_serial",
            "drive_type",
            "category",
            "technique",
            "passes",
            "tool",
            "verification",
            "verified_by",
            "outcome",
            "destination",
            "date",
            "technician",
        ])
        .is_ok();
    for row in &data.rows {
        let date = row.date.format("%Y-%m-%d").to_string();
        let passes = row.passes.to_string();
        let record = [
            data.certificate_number.as_str(),
            data.donor_name.as_deref().unwrap_or(""),
            data.workshop_name.as_str(),
            row.asset_tag.as_str(),
            row.device_serial.as_deref().unwrap_or(""),
            row.drive_serial.as_deref().unwrap_or(""),
            row.drive_type.map(|d| d.as_str()).unwrap_or(""),
            row.category.as_str(),
            row.technique.as_str(),
            passes.as_str(),
            row.tool.as_str(),
            row.verification.code(),
            row.verified_by.as_deref().unwrap_or(""),
            row.outcome.code(),
            row.destination.code(),
            date.as_str(),
            row.technician.as_str(),
        ];
        ok &= writer
            .write_record(record.iter().map(|cell| defuse(cell)))
            .is_ok();
    }
    // Writing to memory cannot fail; the flag only guards against a future csv change.
    let bytes = match writer.into_inner() {
        Ok(bytes) if ok => bytes,
        _ => return String::new(),
    };
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

/// Prefixes cells that spreadsheets would evaluate as formulas.
fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn verification_text(t: &Texts, v: Verification) -> Result<&str, DocumentError> {
    t.get(match v {
        Verification::Full => "values.verification_full",
        Verification::Sample => "values.verification_sample",
        Verification::None => "values.verification_none",
    })
}

/// "category: technique" in the document's language, e.g. "zuiveren: cryptografisch wissen".
fn method_text(t: &Texts, row: &CertificateRow) -> Result<String, DocumentError> {
    let category = t.get(&format!("categories.{}", row.category.as_str()))?;
    let technique = t.fill(
        &format!("techniques.{}", row.technique.as_str()),
        &[("passes", &row.passes.to_string())],
    )?;
    t.fill(
        "values.method",
        &[("category", category), ("technique", &technique)],
    )
}

/// How it was verified, and by whom (NIST asks for the verifier's name).
fn verification_cell(t: &Texts, row: &CertificateRow) -> Result<String, DocumentError> {
    let how = verification_text(t, row.verification)?;
    if row.verification == Verification::None {
        return Ok(how.to_string());
    }
    let who = match non_empty(row.verified_by.as_deref()) {
        Some(name) => t.fill("values.verified_by", &[("name", name)])?,
        None => t.get("values.verifier_unknown")?.to_string(),
    };
    Ok(format!("{how}\n{who}"))
}

fn destination_text(t: &Texts, d: Destination) -> Result<&str, DocumentError> {
    t.get(match d {
        Destination::Reuse => "values.destination_reuse",
        Destination::Recycling => "values.destination_recycling",
    })
}

fn outcome_text(t: &Texts, o: Outcome) -> Result<&str, DocumentError> {
    t.get(match o {
        Outcome::Passed => "values.outcome_passed",
        Outcome::Failed => "values.outcome_failed",
        Outcome::Destroyed => "values.outcome_destroyed",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{extract_text, flat, page_count};

    fn batch(devices: usize, lang: Lang) -> CertificateData {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let mut rows = Vec::new();
        for i in 1..=devices {
            rows.push(CertificateRow {
                asset_tag: format!("GNT-{i:06}"),
                device_serial: Some(format!("PC0{i:05}")),
                drive_serial: Some(format!("S4EWNX0M{i:04}")),
                drive_type: Some(DriveType::Nvme),
                category: WipeCategory::Purge,
                technique: WipeTechnique::CryptoErase,
                passes: 1,
                tool: "nwipe 0.36".into(),
                verification: Verification::Full,
                verified_by: Some("Jan Peeters".into()),
                outcome: if i % 7 == 0 {
                    Outcome::Destroyed
                } else {
                    Outcome::Passed
                },
                destination: if i % 7 == 0 {
                    Destination::Recycling
                } else {
                    Destination::Reuse
                },
                date: day,
                technician: "Anaïs Ferrand".into(),
            });
            if i % 5 == 0 {
                rows.push(CertificateRow {
                    drive_serial: None,
                    drive_type: Some(DriveType::Hdd),
                    category: WipeCategory::Clear,
                    technique: WipeTechnique::Overwrite,
                    passes: 3,
                    verification: Verification::Sample,
                    verified_by: None,
                    outcome: Outcome::Failed,
                    ..rows[rows.len() - 1].clone()
                });
            }
        }
        CertificateData {
            lang,
            certificate_number: "CERT-2026-007".into(),
            donor_name: Some("Brouwerij Van Steenberge NV".into()),
            workshop_name: "Technisch Instituut Sint-Vincentius".into(),
            issued_on: NaiveDate::from_ymd_opt(2026, 3, 9).expect("date"),
            rows,
        }
    }

    #[test]
    fn twenty_devices_run_over_pages_and_all_appear() {
        let data = batch(20, Lang::Nl);
        let pdf = sanitisation_certificate_pdf(&data).expect("pdf");
        let text = flat(&extract_text(&pdf));
        assert!(
            page_count(&pdf) >= 2,
            "20 devices plus extra drives need two pages"
        );
        for row in &data.rows {
            assert!(text.contains(&row.asset_tag), "{} missing", row.asset_tag);
        }
        assert!(text.contains("Certificaat van gegevensverwijdering"));
        assert!(text.contains("CERT-2026-007"));
        assert!(text.contains("Brouwerij Van Steenberge NV"));
        assert!(text.contains("NIST SP 800-88"));
        assert!(text.contains("Anaïs Ferrand"));
        // The header is repeated on the second page.
        assert!(text.matches("Methode / programma").count() >= 2);
        let totals = data.totals();
        assert_eq!(totals.devices, 20);
        assert_eq!(totals.drives, 24);
        assert_eq!(totals.failed, 4);
        assert_eq!(totals.destroyed, 2);
        assert_eq!(totals.passed, 18);
        assert!(text.contains("Toestellen: 20"));
        assert!(text.contains("Gegevensdragers: 24"));
        assert!(text.contains("Vernietigd: 2"));
    }

    #[test]
    fn english_certificate() {
        let text = flat(&extract_text(
            &sanitisation_certificate_pdf(&batch(3, Lang::En)).expect("pdf"),
        ));
        assert!(text.contains("Certificate of data sanitisation"));
        assert!(text.contains("Devices: 3"));
        assert!(text.contains("02/03/2026"));
    }

    #[test]
    fn empty_batch_is_rejected() {
        let mut data = batch(1, Lang::Nl);
        data.rows.clear();
        assert!(matches!(
            sanitisation_certificate_pdf(&data),
            Err(DocumentError::Invalid(_))
        ));
    }

    #[test]
    fn dutch_and_french_certificates_have_no_english_method_words() {
        for lang in [Lang::Nl, Lang::Fr] {
            let text = flat(&extract_text(
                &sanitisation_certificate_pdf(&batch(10, lang)).expect("pdf"),
            ))
            .to_lowercase();
            for english in [
                "cryptographic",
                "overwrite",
                "erase",
                "pass(es)",
                "clear",
                "destroy",
                "full",
                "sample",
                "verifier",
                "reuse",
                "recycling",
                "unknown",
                "other",
            ] {
                assert!(!text.contains(english), "{lang:?}: `{english}` in {text}");
            }
            assert!(text.contains("jan peeters"), "the verifier is named");
        }
        let nl = flat(&extract_text(
            &sanitisation_certificate_pdf(&batch(10, Lang::Nl)).expect("pdf"),
        ));
        for needle in [
            "zuiveren: cryptografisch wissen",
            "wissen: overschrijven, 3 keer",
            "volledig door Jan Peeters",
            "hergebruik",
            "recyclage",
            "harde schijf",
            "Plaats:",
        ] {
            assert!(nl.contains(needle), "`{needle}` in {nl}");
        }
        let fr = flat(&extract_text(
            &sanitisation_certificate_pdf(&batch(10, Lang::Fr)).expect("pdf"),
        ));
        for needle in [
            "purge : effacement cryptographique",
            "complète par Jan Peeters",
            "réemploi",
        ] {
            assert!(fr.contains(needle), "`{needle}` in {fr}");
        }
    }

    #[test]
    fn an_anonymous_donor_is_named_in_the_language() {
        let mut data = batch(1, Lang::Fr);
        data.donor_name = None;
        let text = flat(&extract_text(
            &sanitisation_certificate_pdf(&data).expect("pdf"),
        ));
        assert!(text.contains("Donateur anonyme"), "{text}");
    }

    #[test]
    fn csv_opens_in_a_belgian_excel() {
        let mut data = batch(20, Lang::Nl);
        data.rows[0].technician = "=HYPERLINK(\"x\")".into();
        data.rows[1].tool = "nwipe; 0.36".into();
        let csv = sanitisation_certificate_csv(&data);
        let body = csv
            .strip_prefix('\u{feff}')
            .expect("a UTF-8 byte order mark");
        assert!(body.starts_with("certificate_number;donor;workshop;asset_tag;"));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(body.as_bytes());
        let headers = reader.headers().expect("headers").clone();
        let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
        let records: Vec<csv::StringRecord> =
            reader.records().map(|r| r.expect("record")).collect();
        assert_eq!(records.len(), data.rows.len());
        for (record, row) in records.iter().zip(&data.rows) {
            assert_eq!(&record[col("asset_tag")], row.asset_tag);
            assert_eq!(&record[col("outcome")], row.outcome.code());
            assert_eq!(&record[col("technique")], row.technique.as_str());
            assert_eq!(&record[col("destination")], row.destination.code());
            assert_eq!(
                &record[col("date")],
                row.date.format("%Y-%m-%d").to_string()
            );
        }
        assert_eq!(&records[0][col("verified_by")], "Jan Peeters");
        assert_eq!(&records[1][col("tool")], "nwipe; 0.36", "a `;` is quoted");
        assert!(
            records[0][col("technician")].starts_with("'="),
            "formula defused"
        );
    }
}
