//! Devices, by use case: registration (one, many, CSV: [`register`]), look-up and listing
//! within the caller's view ([`lookup`]), editing fields ([`edit`]), lifecycle actions through
//! the transition table ([`actions`]) and the append-only history ([`history`]). This file
//! holds what they share: the kinds, drives and specifications of a device.

pub mod actions;
pub mod edit;
pub mod history;
pub mod lookup;
pub mod register;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::models::DeviceRow;
use crate::error::{AppError, AppResult};

pub use actions::{act, available_actions, transition};
pub use edit::{edit, DevicePatch};
pub use history::{append_event, history, last_event, last_handback, last_handbacks, EventAction};
pub use lookup::{find, list, lock, resolve, scope_of, visible, DeviceFilter, Lookup, Scope};
pub use register::{register, NewDevice};

crate::text_enum!(
    /// What a device is.
    DeviceKind {
        Laptop => "laptop",
        Tablet => "tablet",
        /// An educational robot.
        Robot => "robot",
        Smartphone => "smartphone",
        Desktop => "desktop",
        /// Beamer, VR headset, headphones, charger, hotspot, ...: see `subtype`.
        Peripheral => "peripheral",
    }
);

crate::text_enum!(
    /// Storage technology of a drive.
    DriveType {
        Hdd => "hdd",
        Ssd => "ssd",
        Nvme => "nvme",
        Emmc => "emmc",
        Flash => "flash",
        Other => "other",
    }
);

// `Drive` and `Specs` are stored as they are sent (the JSON of `devices.specs`), so one type
// serves the column and the wire.

/// One storage drive of a device.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Drive {
    #[serde(rename = "type")]
    pub drive_type: DriveType,
    #[validate(range(min = 1, max = 1_000_000, message = "must be between 1 and 1000000 GB"))]
    pub size_gb: u32,
    #[validate(length(max = 100))]
    pub serial: Option<String>,
}

/// Technical specifications; all optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Specs {
    #[validate(length(max = 200))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[validate(range(min = 1, max = 4096, message = "must be between 1 and 4096 GB"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ram_gb: Option<u32>,
    #[validate(length(max = 200))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[validate(nested, length(max = crate::domain::limits::MAX_DRIVES))]
    #[serde(default)]
    pub drives: Vec<Drive>,
}

/// The key under which a serial number is unique and searched: trimmed, upper case.
pub fn serial_key(serial: &str) -> String {
    serial.trim().to_uppercase()
}

pub fn format_tag(prefix: &str, seq: i64) -> String {
    format!("{prefix}-{seq:06}")
}

pub(crate) fn specs_json(specs: &Specs) -> AppResult<String> {
    serde_json::to_string(specs).map_err(AppError::internal)
}

pub fn parse_specs(row: &DeviceRow) -> Specs {
    serde_json::from_str(&row.specs).unwrap_or_default()
}
