//! Rules that a lifecycle transition must satisfy beyond the transition table, because they
//! depend on other records. The data-safety rule lives here: no device reaches `ready`, a
//! loan or a booking without a passed wipe of all its storage newer than the last time it
//! was in someone else's hands (the donor, a borrower, a school). A wipe counts only if it
//! ended after that hand-back. Devices without storage (see [`has_storage`]) need no wipe.

use serde_json::json;

use crate::db::models::DeviceRow;
use crate::db::DbConn;
use crate::domain::devices::{last_event, last_handback, DeviceKind};
use crate::domain::lifecycle::{Action, Status};
use crate::domain::refurbishment::{drives_of, refurbishments_of, uncovered_storage};
use crate::domain::refusal::{self, RefusalCode as Code};
use crate::error::{AppError, AppResult};

/// Peripheral subtypes that keep data (accounts, Wi-Fi keys, recordings, files) even when no
/// drive is listed: they are wiped like any computer.
pub const STORING_SUBTYPES: &[&str] = &[
    "vr_headset",
    "hotspot",
    "router",
    "camera",
    "smartwatch",
    "e_reader",
    "usb_stick",
    "external_drive",
    "media_player",
];

/// Whether a device can hold someone's data and so needs a wipe before it goes out again:
/// every device with a listed drive; laptops, desktops, tablets and smartphones always (built-in
/// storage); peripherals of a subtype in [`STORING_SUBTYPES`]. Robots and other peripherals
/// (headphones, chargers, beamers, cables, ...) without a drive do not.
pub fn has_storage(kind: DeviceKind, subtype: Option<&str>, drives: usize) -> bool {
    if drives > 0 {
        return true;
    }
    match kind {
        DeviceKind::Laptop | DeviceKind::Desktop | DeviceKind::Tablet | DeviceKind::Smartphone => {
            true
        }
        DeviceKind::Robot => false,
        DeviceKind::Peripheral => subtype.is_some_and(|s| {
            let s = s.trim().to_lowercase().replace([' ', '-'], "_");
            STORING_SUBTYPES.contains(&s.as_str())
        }),
    }
}

/// [`has_storage`] for a stored device (looks up its drives).
pub fn device_has_storage(conn: &mut DbConn, d: &DeviceRow) -> AppResult<bool> {
    Ok(has_storage(
        d.kind,
        d.subtype.as_deref(),
        drives_of(conn, d)?.len(),
    ))
}

fn refuse(d: &DeviceRow, action: Action, code: Code, reasons: Vec<String>) -> AppError {
    refusal::conflict(
        code,
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

/// Whether `action` would take `d` past the wipe although it stores data: refurbishing
/// straight from received or returned is only for devices without storage.
pub fn skips_a_needed_wipe(conn: &mut DbConn, d: &DeviceRow, action: Action) -> AppResult<bool> {
    Ok(action == Action::Refurbish
        && matches!(d.status, Status::Received | Status::Returned)
        && device_has_storage(conn, d)?)
}

/// Every drive (or the built-in storage) carries a passed wipe newer than the last hand-back.
fn require_clean_storage(conn: &mut DbConn, d: &DeviceRow, action: Action) -> AppResult<()> {
    let since = last_handback(conn, d)?;
    let problems = uncovered_storage(conn, d, since)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(refuse(d, action, Code::StorageNotWiped, problems))
    }
}

/// Checks the record-based rules for moving `device` by `action` to `to`.
pub fn check(conn: &mut DbConn, d: &DeviceRow, action: Action, _to: Status) -> AppResult<()> {
    match action {
        Action::Wipe => require_clean_storage(conn, d, action),
        Action::Refurbish => {
            if skips_a_needed_wipe(conn, d, action)? {
                return Err(refuse(
                    d,
                    action,
                    Code::WipeFirst,
                    vec!["it stores data; wipe it first".into()],
                ));
            }
            // A passing refurbishment recorded after the device was last wiped, sent to repair
            // or handed back.
            let after = last_event(
                conn,
                d,
                &[
                    Action::Wipe,
                    Action::SendToRepair,
                    Action::CheckIn,
                    Action::Found,
                ],
            )?
            .map(|(_, at)| at);
            let latest = refurbishments_of(conn, d)?
                .into_iter()
                .rfind(|r| after.is_none_or(|a| r.created_at > a));
            match latest {
                Some(r) if r.functional_pass => require_clean_storage(conn, d, action),
                Some(_) => Err(refuse(
                    d,
                    action,
                    Code::RefurbishmentFailed,
                    vec![
                        "the latest refurbishment check failed; send it to repair or retire it"
                            .into(),
                    ],
                )),
                None => Err(refuse(
                    d,
                    action,
                    Code::RefurbishmentMissing,
                    vec!["no refurbishment has been recorded since it was wiped".into()],
                )),
            }
        }
        Action::Release => {
            if d.status == Status::Returned {
                // Back from a person: the full path (wipe, refurbish) is required. Back from a
                // booking: a reset (a passed wipe, e.g. factory reset) is enough.
                let last_out = last_event(conn, d, &[Action::Lend, Action::BookOut])?;
                if matches!(last_out, Some((Action::Lend, _))) {
                    let what = if device_has_storage(conn, d)? {
                        "wipe and refurbish it first"
                    } else {
                        "check it (refurbish) first"
                    };
                    return Err(refuse(
                        d,
                        action,
                        Code::BackFromLoan,
                        vec![format!("it came back from a loan to a person; {what}")],
                    ));
                }
            }
            require_clean_storage(conn, d, action)
        }
        Action::Lend | Action::BookOut => require_clean_storage(conn, d, action),
        _ => Ok(()),
    }
}
