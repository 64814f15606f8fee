//! A device named by whatever was scanned or typed: its id (a UUID) or its asset tag (as printed
//! on the label, or the label's whole URL `…/d/{tag}`). Every endpoint that takes a device
//! resolves it here, so a handheld scanner's input works wherever an id does.

use diesel::prelude::*;

use crate::db::schema::devices;
use crate::db::DbConn;
use crate::error::AppResult;

/// The asset tag in `input`, if it is a tag or a label URL: trimmed, upper-cased, and without
/// the URL around it.
pub fn tag_of(input: &str) -> String {
    let s = input.trim();
    let s = match s.rfind("/d/") {
        Some(i) => &s[i + 3..],
        None => s,
    };
    s.trim_end_matches('/').to_uppercase()
}

/// The id of the device that `input` names (an id or an asset tag), or `None` if none does.
/// Visibility is not checked here: callers apply the caller's scope to the row they load.
pub fn device_id(conn: &mut DbConn, input: &str) -> AppResult<Option<String>> {
    let s = input.trim();
    if let Ok(id) = uuid::Uuid::parse_str(s) {
        let id = id.to_string();
        let found: Option<String> = devices::table
            .find(&id)
            .select(devices::id)
            .first(conn)
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(devices::table
        .filter(devices::asset_tag.eq(tag_of(s)))
        .select(devices::id)
        .first(conn)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::tag_of;

    #[test]
    fn tags_and_label_urls_give_the_tag() {
        assert_eq!(tag_of(" gnt-000123 "), "GNT-000123");
        assert_eq!(tag_of("https://uitleen.gent.be/d/GNT-000123"), "GNT-000123");
        assert_eq!(
            tag_of("https://uitleen.gent.be/d/gnt-000123/"),
            "GNT-000123"
        );
    }
}
