//! Personal free text that belongs with a device's history event but must be erasable: the
//! condition a borrower brought a device back in, the note written at a non-return.
//!
//! The history (`device_events`) is append-only, enforced by database triggers. Rather than
//! open a path that rewrites it, the personal text is kept out of it: the event records the
//! facts (action, statuses, loan id and number) and the text lives in `device_event_notes`,
//! keyed by the event and the name of the field. Reading the history merges the text back in;
//! anonymising a borrower deletes the rows of their loans, and the history stays untouched.

use diesel::prelude::*;

use crate::db::models::{DeviceEventRow, EventNoteRow};
use crate::db::schema::device_event_notes as n;
use crate::db::DbConn;
use crate::error::AppResult;

/// Most ids in one `IN (…)` list (below SQLite's limit on bound parameters).
const CHUNK: usize = 500;

/// Keeps `text` as the field `name` of `event`, tied to a loan when given.
pub fn keep(
    conn: &mut DbConn,
    event: &DeviceEventRow,
    loan_id: Option<&str>,
    name: &str,
    text: &str,
) -> AppResult<()> {
    diesel::insert_into(n::table)
        .values(&EventNoteRow {
            event_id: event.id.clone(),
            name: name.to_string(),
            device_id: event.device_id.clone(),
            loan_id: loan_id.map(str::to_string),
            text: text.to_string(),
            created_at: event.at,
        })
        .execute(conn)?;
    Ok(())
}

/// The texts of these events.
pub fn of_events(conn: &mut DbConn, event_ids: &[String]) -> AppResult<Vec<EventNoteRow>> {
    let mut out = Vec::new();
    for chunk in event_ids.chunks(CHUNK) {
        out.extend(
            n::table
                .filter(n::event_id.eq_any(chunk))
                .select(EventNoteRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// The texts tied to these loans, oldest first.
pub fn of_loans(conn: &mut DbConn, loan_ids: &[String]) -> AppResult<Vec<EventNoteRow>> {
    let mut out: Vec<EventNoteRow> = Vec::new();
    for chunk in loan_ids.chunks(CHUNK) {
        out.extend(
            n::table
                .filter(n::loan_id.eq_any(chunk))
                .select(EventNoteRow::as_select())
                .load(conn)?,
        );
    }
    out.sort_by(|a, b| (a.created_at, &a.event_id).cmp(&(b.created_at, &b.event_id)));
    Ok(out)
}

/// Deletes the texts tied to these loans; returns how many there were.
pub fn erase_for_loans(conn: &mut DbConn, loan_ids: &[String]) -> AppResult<usize> {
    let mut count = 0;
    for chunk in loan_ids.chunks(CHUNK) {
        count += diesel::delete(n::table.filter(n::loan_id.eq_any(chunk))).execute(conn)?;
    }
    Ok(count)
}
