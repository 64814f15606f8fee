//! Rules that a lifecycle transition must satisfy beyond the transition table, because they
//! depend on other records. The data-safety rule lives here: no device reaches `ready`, a
//! loan or a booking without a passed wipe of all its storage newer than the last time it
//! was in someone else's hands (the donor, a borrower, a school).

use serde_json::json;

use crate::db::models::DeviceRow;
use crate::db::DbConn;
use crate::domain::lifecycle::{Action, Status};
use crate::domain::refurbishment::{
    last_event, last_handback, refurbishments_of, uncovered_storage,
};
use crate::error::{AppError, AppResult};

fn refuse(d: &DeviceRow, action: Action, reasons: Vec<String>) -> AppError {
    AppError::conflict_with(
        format!(
            "Device {} cannot {action}: {}.",
            d.asset_tag,
            reasons.join("; ")
        ),
        json!({
            "current_status": d.status,
            "allowed_actions": crate::domain::lifecycle::allowed_actions(d.status),
            "reasons": reasons,
        }),
    )
}

/// Every drive (or the built-in storage) carries a passed wipe newer than the last hand-back.
fn require_clean_storage(conn: &mut DbConn, d: &DeviceRow, action: Action) -> AppResult<()> {
    let since = last_handback(conn, &d.id)?;
    let problems = uncovered_storage(conn, &d.id, since)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(refuse(d, action, problems))
    }
}

/// Checks the record-based rules for moving `device` by `action` to `to`.
pub fn check(conn: &mut DbConn, d: &DeviceRow, action: Action, _to: Status) -> AppResult<()> {
    match action {
        Action::Wipe => require_clean_storage(conn, d, action),
        Action::Refurbish => {
            // A passing refurbishment recorded after the device was last wiped or sent to repair.
            let after = last_event(conn, &d.id, &["wipe", "send_to_repair"])?.map(|(_, at)| at);
            let latest = refurbishments_of(conn, &d.id)?
                .into_iter()
                .rfind(|r| after.is_none_or(|a| r.created_at > a));
            match latest {
                Some(r) if r.functional_pass => require_clean_storage(conn, d, action),
                Some(_) => Err(refuse(
                    d,
                    action,
                    vec![
                        "the latest refurbishment check failed; send it to repair or retire it"
                            .into(),
                    ],
                )),
                None => Err(refuse(
                    d,
                    action,
                    vec!["no refurbishment has been recorded since it was wiped".into()],
                )),
            }
        }
        Action::Release => {
            if d.status == Status::Returned {
                // Back from a person: the full path (wipe, refurbish) is required. Back from a
                // booking: a reset (a passed wipe, e.g. factory reset) is enough.
                let last_out = last_event(conn, &d.id, &["lend", "book_out"])?;
                if matches!(last_out, Some((ref a, _)) if a == "lend") {
                    return Err(refuse(
                        d,
                        action,
                        vec![
                            "it came back from a loan to a person; wipe and refurbish it first"
                                .into(),
                        ],
                    ));
                }
            }
            require_clean_storage(conn, d, action)
        }
        Action::Lend | Action::BookOut => require_clean_storage(conn, d, action),
        _ => Ok(()),
    }
}
