//! The certificate of data sanitisation that a donor receives for a donation batch, as PDF
//! and as CSV.
//!
//! One row per storage medium (a device with two drives has two rows), with what NIST SP
//! 800-88 asks a certificate to record: the asset tag, the serials, the method category and
//! technique, the tool and its version, the verification, the outcome, date and technician.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::format::format_date;
use super::render::{Align, Layout, Style, Table, CONTENT_W, MARGIN_X, MM};
use super::texts::{self, Texts};
use super::{DocumentError, Lang};

/// Every placeholder the certificate texts may use.
#[cfg(test)]
pub(crate) const PLACEHOLDERS: &[&str] = &[
    "certificate_number",
    "page",
    "pages",
    "donor_name",
    "workshop_name",
    "count",
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

/// One storage medium of one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRow {
    /// The lending service's asset tag of the device, e.g. "GNT-000123".
    pub asset_tag: String,
    /// Serial number of the device, if known.
    pub device_serial: Option<String>,
    /// Serial number of the drive, if known (often unknown for soldered eMMC).
    pub drive_serial: Option<String>,
    /// Kind of medium, e.g. "NVMe SSD", "SATA HDD", "eMMC".
    pub drive_type: Option<String>,
    /// Category and technique, e.g. "purge / cryptographic erase".
    pub method: String,
    /// Tool name and version, e.g. "nwipe 0.36".
    pub tool: String,
    /// How the result was verified.
    pub verification: Verification,
    /// The result.
    pub outcome: Outcome,
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
    /// The company or service that donated the batch.
    pub donor_name: String,
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
    let vars = [
        ("certificate_number", number),
        ("donor_name", data.donor_name.as_str()),
        ("workshop_name", data.workshop_name.as_str()),
    ];
    let title = t.get("document.title")?;
    let mut l = Layout::new("certificate", title, None)?;

    l.title(title, &t.fill("document.number", &vars)?, None);
    let issued = format_date(data.issued_on, lang);
    for (label, value) in [
        (t.get("document.donor")?, data.donor_name.as_str()),
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
            (t.get("columns.device")?.to_string(), 31.0 * MM),
            (t.get("columns.drive")?.to_string(), 34.0 * MM),
            (t.get("columns.method")?.to_string(), 44.0 * MM),
            (t.get("columns.verification")?.to_string(), 22.0 * MM),
            (t.get("columns.outcome")?.to_string(), 20.0 * MM),
            (t.get("columns.date")?.to_string(), 29.0 * MM),
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
                non_empty(row.drive_type.as_deref()).unwrap_or(unknown),
                non_empty(row.drive_serial.as_deref()).unwrap_or(unknown)
            ),
            format!("{}\n{}", row.method, row.tool),
            verification_text(&t, row.verification)?.to_string(),
            outcome_text(&t, row.outcome)?.to_string(),
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
    let signature_h = 5.0 * BODY.leading() + 12.0 * MM;
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
    for key in ["signature.name", "signature.date", "signature.signature"] {
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

/// The same rows as CSV (comma-separated, UTF-8, header line first) for the donor's
/// records. Codes are language-neutral (`passed`, `full`, ISO dates); cells that a
/// spreadsheet would run as a formula are prefixed with `'`.
pub fn sanitisation_certificate_csv(data: &CertificateData) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut ok = writer
        .write_record([
            "certificate_number",
            "donor",
            "workshop",
            "asset_tag",
            "device_serial",
            "drive_serial",
            "drive_type",
            "method",
            "tool",
            "verification",
            "outcome",
            "date",
            "technician",
        ])
        .is_ok();
    for row in &data.rows {
        let date = row.date.format("%Y-%m-%d").to_string();
        let record = [
            data.certificate_number.as_str(),
            data.donor_name.as_str(),
            data.workshop_name.as_str(),
            row.asset_tag.as_str(),
            row.device_serial.as_deref().unwrap_or(""),
            row.drive_serial.as_deref().unwrap_or(""),
            row.drive_type.as_deref().unwrap_or(""),
            row.method.as_str(),
            row.tool.as_str(),
            row.verification.code(),
            row.outcome.code(),
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
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Prefixes cells that spreadsheets would evaluate as formulas.
fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn verification_text(t: &Texts, v: Verification) -> Result<&str, DocumentError> {
    t.get(match v {
        Verification::Full => "values.verification_full",
        Verification::Sample => "values.verification_sample",
        Verification::None => "values.verification_none",
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
                drive_type: Some("NVMe SSD".into()),
                method: "purge / cryptographic erase".into(),
                tool: "nwipe 0.36".into(),
                verification: Verification::Full,
                outcome: if i % 7 == 0 {
                    Outcome::Destroyed
                } else {
                    Outcome::Passed
                },
                date: day,
                technician: "Anaïs Ferrand".into(),
            });
            if i % 5 == 0 {
                rows.push(CertificateRow {
                    drive_serial: None,
                    drive_type: Some("SATA HDD".into()),
                    method: "clear / overwrite 1 pass".into(),
                    verification: Verification::Sample,
                    outcome: Outcome::Failed,
                    ..rows[rows.len() - 1].clone()
                });
            }
        }
        CertificateData {
            lang,
            certificate_number: "CERT-2026-007".into(),
            donor_name: "Brouwerij Van Steenberge NV".into(),
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
    fn csv_has_the_same_rows() {
        let mut data = batch(20, Lang::Nl);
        data.rows[0].technician = "=HYPERLINK(\"x\")".into();
        let csv = sanitisation_certificate_csv(&data);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers = reader.headers().expect("headers").clone();
        assert_eq!(&headers[3], "asset_tag");
        let records: Vec<csv::StringRecord> =
            reader.records().map(|r| r.expect("record")).collect();
        assert_eq!(records.len(), data.rows.len());
        for (record, row) in records.iter().zip(&data.rows) {
            assert_eq!(&record[3], row.asset_tag);
            assert_eq!(&record[10], row.outcome.code());
            assert_eq!(&record[11], row.date.format("%Y-%m-%d").to_string());
        }
        assert!(records[0][12].starts_with("'="), "formula defused");
    }
}
