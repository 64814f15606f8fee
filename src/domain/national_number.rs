//! Recognises a Belgian national register number (*rijksregisternummer*) in free text, so that
//! it is refused before it is stored (it may be used only with a legal basis; see
//! /work/shared/REFERENCE.md).
//!
//! Its form: 11 digits `YYMMDD SSS CC`, written as is or as `YY.MM.DD-SSS.CC` (any of `.`, `-`,
//! ` `, `/` between the groups). `CC` is 97 − (the first nine digits mod 97); for people born in
//! 2000 or later a 2 is put before the nine digits first. A run of more than 11 digits is not
//! one (it is another kind of number).

const SEPARATORS: &[char] = &['.', '-', ' ', '/'];
const GROUPS: [usize; 5] = [2, 2, 2, 3, 2];

/// Whether `text` contains a national register number with valid check digits.
pub fn contains(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).any(|start| {
        chars[start].is_ascii_digit()
            && !continues_a_number(&chars, start)
            && match_at(&chars, start).is_some_and(|digits| valid(&digits))
    })
}

/// Whether the digits at `start` continue another word or number: right after a letter or
/// digit (hex ids, serials such as `SN3f85…`), or after a digit and one of `.:,` (the fraction
/// of a time such as `12:05:12.123456789`).
fn continues_a_number(chars: &[char], start: usize) -> bool {
    let before = |n: usize| start.checked_sub(n).and_then(|i| chars.get(i));
    before(1).is_some_and(|c| c.is_alphanumeric())
        || (before(1).is_some_and(|c| matches!(c, '.' | ':' | ','))
            && before(2).is_some_and(char::is_ascii_digit))
}

/// The 11 digits of a number written at `start`, if the groups and separators fit and no
/// further digit follows.
fn match_at(chars: &[char], start: usize) -> Option<Vec<u32>> {
    let mut pos = start;
    let mut digits = Vec::with_capacity(11);
    for (g, len) in GROUPS.iter().enumerate() {
        if g > 0 && chars.get(pos).is_some_and(|c| SEPARATORS.contains(c)) {
            pos += 1;
        }
        for _ in 0..*len {
            digits.push(chars.get(pos)?.to_digit(10)?);
            pos += 1;
        }
    }
    match chars.get(pos) {
        Some(c) if c.is_alphanumeric() => None,
        _ => Some(digits),
    }
}

fn valid(digits: &[u32]) -> bool {
    let base = digits[..9].iter().fold(0u64, |n, d| n * 10 + u64::from(*d));
    let check = u64::from(digits[9] * 10 + digits[10]);
    97 - base % 97 == check || 97 - (2_000_000_000 + base) % 97 == check
}

/// The JSON paths (`note`, `devices[2].notes`) of every string in `value` that contains a
/// national register number.
pub fn find_in_json(value: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// Ids and timestamps are not free text (a UUID's hex digits can fall into the pattern).
fn is_identifier(s: &str) -> bool {
    uuid::Uuid::parse_str(s.trim()).is_ok()
        || chrono::DateTime::parse_from_rfc3339(s.trim()).is_ok()
}

/// Fields that hold a device's or a file's identifier, never a person's data.
fn is_identifier_field(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("serial") || k.contains("sha256") || k.contains("asset_tag") || k.ends_with("_id")
}

fn walk(value: &serde_json::Value, path: String, out: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::String(s) if !is_identifier(s) && contains(s) => {
            out.push(if path.is_empty() { "body".into() } else { path })
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                if is_identifier_field(k) {
                    continue;
                }
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(v, p, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Numbers made up for these tests, with check digits computed by hand:
    // 850730 033: 850730033 mod 97 = 69, 97 - 69 = 28.
    // 010215 123 (born 2001): 2010215123 mod 97 = 24, 97 - 24 = 73 (without the 2: 44).
    #[test]
    fn recognises_both_forms_and_both_centuries() {
        assert!(contains("85073003328"));
        assert!(contains("rijksregister 85.07.30-033.28, zie dossier"));
        assert!(contains("85 07 30 033 28"));
        assert!(contains("01.02.15-123.73"));
        assert!(!contains("01.02.15-123.74"));
    }

    #[test]
    fn ignores_wrong_check_digits_and_other_numbers() {
        assert!(!contains("85073003329"));
        assert!(!contains("850730033280"));
        assert!(!contains("+32 470 12 34 56"));
        assert!(!contains("2026-01-15"));
        assert!(!contains("BE68 5390 0754 7034"));
        // 2026-11-29T14:05:12.85073003328Z: a fraction of a second, not a number of its own.
        assert!(!contains("2026-11-29T14:05:12.85073003328Z"));
        assert!(contains("RRN:85073003328"));
    }

    #[test]
    fn names_the_fields_in_a_body() {
        let v = serde_json::json!({ "note": "85.07.30-033.28", "devices": [{ "condition": "ok" }, { "condition": "85073003328" }] });
        let mut found = find_in_json(&v);
        found.sort();
        assert_eq!(found, vec!["devices[1].condition", "note"]);
        // The hex digits of an id can fall into the pattern; an id is not free text.
        assert!(contains("a-85073003328") && !contains("a85073003328"));
        let ids =
            serde_json::json!({ "serial_number": "85073003328", "report_sha256": "85073003328" });
        assert!(find_in_json(&ids).is_empty());
    }
}
