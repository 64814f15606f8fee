//! Reading a CSV file of devices, as exported by a donor or by Excel.
//!
//! Handles a UTF-8 byte-order mark, `;` or `,` separators (Belgian Excel uses `;`), quoted
//! fields with commas and doubled quotes, and empty lines. A file with bad rows is rejected
//! whole, with every bad row and column named.

use crate::domain::devices::{DeviceKind, Drive, DriveType, NewDevice, Specs};
use crate::error::FieldError;

/// Most devices accepted in one request (JSON or CSV), so one request stays one transaction
/// of bounded size.
pub const MAX_DEVICES_PER_REQUEST: usize = 1000;

/// Every column the intake reads, with the header names accepted for it, in English and in
/// Dutch. Headers are compared without case, with spaces and dashes read as `_`
/// (`Type toestel` = `type_toestel`).
///
/// | column         | English names                              | Dutch names                                           |
/// |----------------|--------------------------------------------|-------------------------------------------------------|
/// | kind           | kind, type, device_type                    | soort, toestel, type_toestel, toesteltype             |
/// | brand          | brand, make, manufacturer                  | merk, fabrikant                                       |
/// | model          | model                                      | model, modelnaam                                      |
/// | serial_number  | serial_number, serial, sn                  | serienummer, serie_nummer                             |
/// | subtype        | subtype                                    | subsoort                                              |
/// | cpu            | cpu, processor                             | processor                                             |
/// | ram_gb         | ram_gb, ram, memory, memory_gb             | geheugen, geheugen_gb, werkgeheugen, werkgeheugen_gb  |
/// | storage_gb     | storage_gb, storage, disk_gb               | opslag, opslag_gb, schijf, schijf_gb, schijfgrootte   |
/// | storage_type   | storage_type, disk_type                    | opslagtype, type_opslag, schijftype, type_schijf      |
/// | drive_serial   | drive_serial, disk_serial, storage_serial  | serienummer_schijf, schijf_serienummer, schijfserienummer |
/// | os             | os, operating_system                       | besturingssysteem                                     |
/// | accessories    | accessories                                | toebehoren, accessoires                               |
/// | notes          | notes, note, remarks                       | opmerking, opmerkingen, notities                      |
/// | shelf_location | shelf_location, location, shelf            | locatie, plaats, rek, schap                           |
///
/// `drive_serial` is the serial number of the drive given by `storage_gb` (stored on that
/// drive, and printed on the certificate of sanitisation).
pub const COLUMNS: &[(&str, &[&str])] = &[
    (
        "kind",
        &[
            "kind",
            "type",
            "device_type",
            "soort",
            "toestel",
            "type_toestel",
            "toesteltype",
        ],
    ),
    (
        "brand",
        &["brand", "make", "manufacturer", "merk", "fabrikant"],
    ),
    ("model", &["model", "modelnaam"]),
    (
        "serial_number",
        &[
            "serial_number",
            "serial",
            "sn",
            "serienummer",
            "serie_nummer",
        ],
    ),
    ("subtype", &["subtype", "subsoort"]),
    ("cpu", &["cpu", "processor"]),
    (
        "ram_gb",
        &[
            "ram_gb",
            "ram",
            "memory",
            "memory_gb",
            "geheugen",
            "geheugen_gb",
            "werkgeheugen",
            "werkgeheugen_gb",
        ],
    ),
    (
        "storage_gb",
        &[
            "storage_gb",
            "storage",
            "disk_gb",
            "opslag",
            "opslag_gb",
            "schijf",
            "schijf_gb",
            "schijfgrootte",
        ],
    ),
    (
        "storage_type",
        &[
            "storage_type",
            "disk_type",
            "opslagtype",
            "type_opslag",
            "schijftype",
            "type_schijf",
        ],
    ),
    (
        "drive_serial",
        &[
            "drive_serial",
            "disk_serial",
            "storage_serial",
            "serienummer_schijf",
            "schijf_serienummer",
            "schijfserienummer",
        ],
    ),
    ("os", &["os", "operating_system", "besturingssysteem"]),
    ("accessories", &["accessories", "toebehoren", "accessoires"]),
    (
        "notes",
        &[
            "notes",
            "note",
            "remarks",
            "opmerking",
            "opmerkingen",
            "notities",
        ],
    ),
    (
        "shelf_location",
        &[
            "shelf_location",
            "location",
            "shelf",
            "locatie",
            "plaats",
            "rek",
            "schap",
        ],
    ),
];

const REQUIRED: &[&str] = &["kind", "brand", "model", "serial_number"];

pub fn canonical(header: &str) -> Option<&'static str> {
    let h = header.trim().to_lowercase().replace([' ', '-'], "_");
    COLUMNS
        .iter()
        .find(|(_, aliases)| aliases.contains(&h.as_str()))
        .map(|(name, _)| *name)
}

/// Picks the separator from the header line: whichever of `;` and `,` occurs more often
/// outside quotes.
pub fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let (mut semis, mut commas, mut quoted) = (0, 0, false);
    for ch in header.chars() {
        match ch {
            '"' => quoted = !quoted,
            ';' if !quoted => semis += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if semis > commas {
        b';'
    } else {
        b','
    }
}

/// Parses the file into devices, or returns every problem found (row numbers count the header
/// as row 1, as a spreadsheet shows them).
pub fn parse_devices_csv(bytes: &[u8]) -> Result<Vec<NewDevice>, Vec<FieldError>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Err(vec![FieldError::new(
                "file",
                format!(
                    "is not UTF-8 text (invalid byte at position {}); save it as \"CSV UTF-8\"",
                    e.valid_up_to()
                ),
            )])
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(vec![FieldError::new("file", "is empty")]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![FieldError::new(
                "row 1",
                format!("cannot read the header: {e}"),
            )])
        }
    };
    let mut errors = Vec::new();
    let mut index: Vec<Option<&'static str>> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match canonical(h) {
            Some(name) if index.contains(&Some(name)) => errors.push(FieldError::new(
                format!("row 1, column {}", i + 1),
                format!("column {name} appears twice"),
            )),
            Some(name) => index.push(Some(name)),
            None if h.trim().is_empty() => index.push(None),
            None => {
                errors.push(FieldError::new(
                    format!("row 1, column {}", i + 1),
                    format!(
                        "unknown column {h:?}; known columns: {}",
                        COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
                    ),
                ));
                index.push(None);
            }
        }
    }
    for required in REQUIRED {
        if !index.contains(&Some(required)) {
            errors.push(FieldError::new(
                "row 1",
                format!("the column {required} is missing"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut devices = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let row_no = n + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(FieldError::new(
                    format!("row {row_no}"),
                    format!("cannot be read: {e}"),
                ));
                continue;
            }
        };
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        if record.len() > index.len() {
            errors.push(FieldError::new(
                format!("row {row_no}"),
                format!(
                    "has {} fields but the header has {}",
                    record.len(),
                    index.len()
                ),
            ));
            continue;
        }
        let get = |name: &str| -> Option<String> {
            index
                .iter()
                .position(|c| *c == Some(name))
                .and_then(|i| record.get(i))
                .map(str::to_string)
                .filter(|s| !s.is_empty())
        };
        let field = |name: &str| format!("row {row_no}, {name}");
        let kind = match get("kind") {
            None => {
                errors.push(FieldError::new(field("kind"), "is empty"));
                None
            }
            Some(k) => match k.to_lowercase().parse::<DeviceKind>() {
                Ok(k) => Some(k),
                Err(e) => {
                    errors.push(FieldError::new(field("kind"), e));
                    None
                }
            },
        };
        let mut number = |name: &str| -> Option<u32> {
            get(name).and_then(|v| {
                let digits = v.to_lowercase().replace("gb", "");
                match digits.trim().parse::<u32>() {
                    Ok(n) if n > 0 => Some(n),
                    _ => {
                        errors.push(FieldError::new(
                            field(name),
                            format!("{v:?} is not a whole number of GB"),
                        ));
                        None
                    }
                }
            })
        };
        let ram_gb = number("ram_gb");
        let storage_gb = number("storage_gb");
        let storage_type = match get("storage_type") {
            None => DriveType::Other,
            Some(t) => match t.to_lowercase().parse::<DriveType>() {
                Ok(t) => t,
                Err(e) => {
                    errors.push(FieldError::new(field("storage_type"), e));
                    DriveType::Other
                }
            },
        };
        for name in ["brand", "model", "serial_number"] {
            if get(name).is_none() {
                errors.push(FieldError::new(field(name), "is empty"));
            }
        }
        let (Some(kind), Some(brand), Some(model)) = (kind, get("brand"), get("model")) else {
            continue;
        };
        let drive_serial = get("drive_serial");
        if drive_serial.is_some() && storage_gb.is_none() {
            errors.push(FieldError::new(
                field("drive_serial"),
                "needs the drive's size in storage_gb",
            ));
        }
        let drives = storage_gb
            .map(|size_gb| {
                vec![Drive {
                    drive_type: storage_type,
                    size_gb,
                    serial: drive_serial,
                }]
            })
            .unwrap_or_default();
        devices.push((
            row_no,
            NewDevice {
                kind,
                subtype: get("subtype"),
                brand,
                model,
                serial_number: get("serial_number"),
                specs: Specs {
                    cpu: get("cpu"),
                    ram_gb,
                    os: get("os"),
                    drives,
                },
                accessories: get("accessories"),
                notes: get("notes"),
                shelf_location: get("shelf_location"),
                in_pool: false,
            },
        ));
    }
    if devices.len() > MAX_DEVICES_PER_REQUEST {
        errors.push(FieldError::new(
            "file",
            format!(
                "has {} devices; at most {MAX_DEVICES_PER_REQUEST} per upload",
                devices.len()
            ),
        ));
    }
    if devices.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("file", "has a header but no devices"));
    }
    if errors.is_empty() {
        Ok(devices.into_iter().map(|(_, d)| d).collect())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_semicolons_bom_quotes_and_trailing_blank_lines() {
        let csv = "\u{feff}Kind;Merk;Model;Serial;RAM\r\nlaptop;\"Dell; Inc\";\"Latitude \"\"5490\"\"\";SN1;8\r\ntablet;Apple;iPad;SN2;\r\n\r\n\r\n";
        let devices = parse_devices_csv(csv.as_bytes()).expect("parses");
        assert_eq!(devices.len(), 2);
        assert_eq!(devices[0].brand, "Dell; Inc");
        assert_eq!(devices[0].model, "Latitude \"5490\"");
        assert_eq!(devices[0].specs.ram_gb, Some(8));
        assert_eq!(devices[1].kind, DeviceKind::Tablet);
    }

    #[test]
    fn every_column_has_a_dutch_name_and_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for (name, aliases) in COLUMNS {
            assert!(aliases.contains(name), "{name} is not among its own names");
            assert!(aliases.len() >= 2, "{name} has no Dutch name");
            for a in *aliases {
                assert!(seen.insert(*a), "{a} names two columns");
                assert_eq!(canonical(a), Some(*name));
            }
        }
        let csv = "Soort;Merk;Model;Serienummer;Werkgeheugen;Opslag;Opslagtype;Serienummer schijf;Besturingssysteem;Toebehoren;Opmerkingen;Locatie\nlaptop;HP;640 G5;S1;16;512;nvme;WD-9;Linux Mint;lader;ok;Rek 3\n";
        let d = parse_devices_csv(csv.as_bytes()).expect("parses");
        assert_eq!(d[0].shelf_location.as_deref(), Some("Rek 3"));
        assert_eq!(d[0].specs.drives[0].serial.as_deref(), Some("WD-9"));
    }

    #[test]
    fn names_every_bad_row_and_column() {
        let csv = "kind,brand,model,serial_number,ram_gb\nlaptop,Dell,E5,S1,8\ntoaster,HP,X,S2,lots\nlaptop,,X,S3,4\n";
        let errors = parse_devices_csv(csv.as_bytes()).expect_err("rejected");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["row 3, kind", "row 3, ram_gb", "row 4, brand"]);
    }
}
