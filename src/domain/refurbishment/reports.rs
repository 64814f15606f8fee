//! The wipe tool's own report file (an nwipe log, a Blancco PDF or XML report), stored with
//! the wipe record it belongs to. The server computes its SHA-256; when the wipe was recorded
//! with a hash, the file must match it, and a record without one takes the file's. A report is
//! evidence: it is attached once and never replaced. Whoever may read the device's wipes may
//! download it.

use diesel::prelude::*;
use sha2::Digest;

use crate::auth::{Caller, Perm};
use crate::db::models::{DeviceRow, WipeReportRow, WipeRow};
use crate::db::schema::{wipe_records, wipe_reports};
use crate::db::{now, DbConn};
use crate::domain::devices::{self as dev, Lookup};
use crate::domain::refusal::{self, RefusalCode as Code};
use crate::error::{AppError, AppResult};

/// Largest report accepted.
pub const MAX_REPORT_BYTES: usize = 5 * 1024 * 1024;

/// The kinds of report accepted.
pub const REPORT_TYPES: &[&str] = &[
    "application/pdf",
    "text/plain",
    "application/xml",
    "text/xml",
    "application/json",
];

/// What is known of a stored report, without its bytes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = wipe_reports)]
pub struct ReportInfo {
    pub wipe_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: chrono::NaiveDateTime,
}

fn unsupported() -> AppError {
    AppError::UnsupportedMediaType(format!(
        "Send the report as one of: {}.",
        REPORT_TYPES.join(", ")
    ))
}

/// Whether the caller may upload a report of this type: asked before the body is read.
pub fn check_report_upload(caller: &Caller, content_type: &str) -> AppResult<()> {
    caller.require(Perm::RecordRefurbishment)?;
    if REPORT_TYPES.contains(&content_type) {
        Ok(())
    } else {
        Err(unsupported())
    }
}

/// Whether `data` is what `content_type` says: a PDF starts with `%PDF-`; the text kinds are
/// UTF-8 without NUL characters, XML starting with `<`, JSON with `{` or `[`.
fn content_matches(content_type: &str, data: &[u8]) -> bool {
    if content_type == "application/pdf" {
        return data.starts_with(b"%PDF-");
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    if text.contains('\0') {
        return false;
    }
    let start = text.trim_start_matches('\u{feff}').trim_start();
    match content_type {
        "application/xml" | "text/xml" => start.starts_with('<'),
        "application/json" => start.starts_with('{') || start.starts_with('['),
        _ => true,
    }
}

/// The file name kept: its last path segment, without control characters, at most 255
/// characters; `None` when nothing is left.
pub fn clean_file_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect::<String>()
        .trim()
        .to_string();
    (!cleaned.is_empty() && cleaned != "." && cleaned != "..").then_some(cleaned)
}

fn default_name(content_type: &str) -> String {
    let ext = match content_type {
        "application/pdf" => "pdf",
        "application/xml" | "text/xml" => "xml",
        "application/json" => "json",
        _ => "txt",
    };
    format!("wipe-report.{ext}")
}

fn wipe_of(conn: &mut DbConn, d: &DeviceRow, wipe_id: &str) -> AppResult<WipeRow> {
    wipe_records::table
        .filter(wipe_records::id.eq(wipe_id))
        .filter(wipe_records::device_id.eq(&d.id))
        .select(WipeRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The wipe"))
}

/// Stores the report of one wipe of a device (named by id, tag or label URL). `file_name`
/// defaults to the name recorded with the wipe, else `wipe-report.<ext>`.
pub fn attach_report(
    conn: &mut DbConn,
    caller: &Caller,
    device: &str,
    wipe_id: &str,
    content_type: &str,
    file_name: Option<&str>,
    data: Vec<u8>,
) -> AppResult<ReportInfo> {
    check_report_upload(caller, content_type)?;
    let d = dev::lock(conn, caller, device)?;
    let wipe = wipe_of(conn, &d, wipe_id)?;
    let existing: Option<String> = wipe_reports::table
        .find(&wipe.id)
        .select(wipe_reports::sha256)
        .first(conn)
        .optional()?;
    if existing.is_some() {
        return Err(refusal::conflict(
            Code::ReportAlreadyAttached,
            "This wipe has its report already; a report is evidence and is not replaced.",
            serde_json::json!({}),
        ));
    }
    if data.is_empty() {
        return Err(AppError::invalid_fields(vec![refusal::field(
            "body",
            Code::ReportUnreadable,
            "the file is empty",
        )]));
    }
    if !content_matches(content_type, &data) {
        return Err(AppError::invalid_fields(vec![refusal::field(
            "body",
            Code::ReportUnreadable,
            format!("the file is not a {content_type} file"),
        )]));
    }
    let sha256 = hex::encode(sha2::Sha256::digest(&data));
    if let Some(recorded) = &wipe.report_sha256 {
        if !recorded.eq_ignore_ascii_case(&sha256) {
            return Err(AppError::invalid_fields(vec![refusal::field(
                "body",
                Code::ReportMismatch,
                format!(
                    "the file's SHA-256 is {sha256}, not the {recorded} recorded with the wipe"
                ),
            )]));
        }
    }
    let file_name = match file_name {
        Some(n) => clean_file_name(n).ok_or_else(|| {
            AppError::invalid("file_name", "must be a file name (1 to 255 characters)")
        })?,
        None => wipe
            .report_file_name
            .as_deref()
            .and_then(clean_file_name)
            .unwrap_or_else(|| default_name(content_type)),
    };
    let row = WipeReportRow {
        wipe_id: wipe.id.clone(),
        device_id: d.id.clone(),
        file_name,
        content_type: content_type.to_string(),
        size_bytes: i64::try_from(data.len()).map_err(AppError::internal)?,
        sha256,
        data,
        uploaded_by: caller.user_id.clone(),
        uploaded_at: now(),
    };
    diesel::insert_into(wipe_reports::table)
        .values(&row)
        .execute(conn)?;
    // The record names its report from now on (a record made without one takes the file's).
    diesel::update(wipe_records::table.find(&wipe.id))
        .set((
            wipe_records::report_sha256.eq(&row.sha256),
            wipe_records::report_file_name
                .eq(wipe.report_file_name.as_ref().unwrap_or(&row.file_name)),
        ))
        .execute(conn)?;
    Ok(ReportInfo {
        wipe_id: row.wipe_id,
        file_name: row.file_name,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        sha256: row.sha256,
        uploaded_at: row.uploaded_at,
    })
}

/// The stored report of one wipe, for whoever may read the device's wipes.
pub fn report(
    conn: &mut DbConn,
    caller: &Caller,
    device: &str,
    wipe_id: &str,
) -> AppResult<WipeReportRow> {
    caller.require(Perm::ReadDevices)?;
    let d = dev::find(conn, caller, Lookup::Id(device))?;
    let wipe = wipe_of(conn, &d, wipe_id)?;
    wipe_reports::table
        .find(&wipe.id)
        .select(WipeReportRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The report of this wipe"))
}

/// The reports stored for a device's wipes (without their bytes), one query.
pub fn reports_of(conn: &mut DbConn, d: &DeviceRow) -> AppResult<Vec<ReportInfo>> {
    Ok(wipe_reports::table
        .filter(wipe_reports::device_id.eq(&d.id))
        .select(ReportInfo::as_select())
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_must_be_what_its_type_says() {
        assert!(content_matches("application/pdf", b"%PDF-1.7 ..."));
        assert!(!content_matches("application/pdf", b"<html>"));
        assert!(content_matches(
            "text/plain",
            "nwipe: Erasing /dev/sda …".as_bytes()
        ));
        assert!(!content_matches("text/plain", &[0xff, 0xfe, 0x00]));
        assert!(!content_matches("text/plain", b"a\0b"));
        assert!(content_matches(
            "application/xml",
            b"\xef\xbb\xbf <report/>"
        ));
        assert!(!content_matches("application/xml", b"report"));
        assert!(content_matches("application/json", b" {\"a\":1}"));
    }

    #[test]
    fn file_names_lose_their_folders_and_control_characters() {
        assert_eq!(
            clean_file_name("C:\\logs\\nwipe.log").as_deref(),
            Some("nwipe.log")
        );
        assert_eq!(
            clean_file_name("../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(clean_file_name("a\r\nb.txt").as_deref(), Some("ab.txt"));
        assert_eq!(clean_file_name("dir/"), None);
        assert_eq!(clean_file_name(".."), None);
    }
}
