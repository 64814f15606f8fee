//! The figures as CSV for a Belgian Excel and as an XLSX workbook: pure functions of the
//! figures, so the same figures give the same bytes.
//!
//! CSV: UTF-8 with a byte-order mark, `;` between fields, CRLF line ends, decimal comma; the
//! rows are `group;figure;breakdown;key;value;unit;description`, after a few `about` rows
//! (period, scope, generation time, frozen) and the environment method's factors.
//! XLSX: a sheet "about" and one sheet per group, with the same columns; the workbook's
//! creation date is the figures' generation time, so nothing in it depends on the clock.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use super::{Figures, Num};
use crate::error::{AppError, AppResult};

const HEADER: [&str; 7] = [
    "group",
    "figure",
    "breakdown",
    "key",
    "value",
    "unit",
    "description",
];

/// A number with a decimal comma, without a fraction when it is whole.
fn decimal(v: f64) -> String {
    let text = if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    };
    text.replace('.', ",")
}

enum Cell {
    Text(String),
    Number(f64),
}

/// The "about" rows: (name, value).
fn about(f: &Figures) -> Vec<(String, Cell)> {
    let mut rows = vec![
        ("from".into(), Cell::Text(f.period.from.to_string())),
        ("to".into(), Cell::Text(f.period.to.to_string())),
        ("scope".into(), Cell::Text(f.scope.clone())),
        (
            "generated_at".into(),
            Cell::Text(f.generated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        ),
        (
            "frozen".into(),
            Cell::Text(if f.frozen { "yes" } else { "no" }.into()),
        ),
    ];
    if let Some(office) = &f.office_id {
        rows.push(("office_id".into(), Cell::Text(office.clone())));
    }
    if let Some(m) = &f.environment_method {
        rows.push(("environment_method".into(), Cell::Text(m.name.clone())));
        rows.push((
            "environment_method_version".into(),
            Cell::Text(m.version.clone()),
        ));
        rows.push(("environment_source".into(), Cell::Text(m.source.clone())));
        rows.push(("environment_formula".into(), Cell::Text(m.formula.clone())));
        for factor in &m.factors {
            let k = &factor.kind;
            rows.push((
                format!("factor_{k}_avoided_kg_co2e"),
                Cell::Number(factor.avoided_kg_co2e),
            ));
            if let (Some(low), Some(high)) = (factor.band_low_kg_co2e, factor.band_high_kg_co2e) {
                rows.push((format!("factor_{k}_band_low_kg_co2e"), Cell::Number(low)));
                rows.push((format!("factor_{k}_band_high_kg_co2e"), Cell::Number(high)));
            }
            rows.push((
                format!("factor_{k}_weight_kg"),
                Cell::Number(factor.weight_kg),
            ));
        }
        rows.push((
            "environment_not_estimated".into(),
            Cell::Text(m.not_estimated.join(", ")),
        ));
    }
    rows
}

/// Every figure line: (group, figure, breakdown, key, value, unit, description).
type Line<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<Num>,
    &'a str,
    &'a str,
);

fn lines(f: &Figures) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    for g in &f.groups {
        for fig in &g.figures {
            out.push((
                g.name.as_str(),
                fig.name.as_str(),
                "",
                "",
                fig.value,
                fig.unit.as_str(),
                fig.description.as_str(),
            ));
            for p in &fig.parts {
                out.push((
                    g.name.as_str(),
                    fig.name.as_str(),
                    p.by.as_str(),
                    p.key.as_str(),
                    Some(p.value),
                    fig.unit.as_str(),
                    "",
                ));
            }
        }
    }
    out
}

pub fn csv(f: &Figures) -> AppResult<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let err = |e: csv::Error| AppError::internal(e);
    w.write_record(HEADER).map_err(err)?;
    for (name, value) in about(f) {
        let value = match value {
            Cell::Text(t) => t,
            Cell::Number(n) => decimal(n),
        };
        w.write_record(["about", name.as_str(), "", "", value.as_str(), "", ""])
            .map_err(err)?;
    }
    for (group, figure, by, key, value, unit, description) in lines(f) {
        let value = value.map(|v| decimal(v.0)).unwrap_or_default();
        w.write_record([group, figure, by, key, value.as_str(), unit, description])
            .map_err(err)?;
    }
    let body = w.into_inner().map_err(|e| AppError::internal(e.error()))?;
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend(body);
    Ok(out)
}

pub fn xlsx(f: &Figures) -> AppResult<Vec<u8>> {
    build_xlsx(f).map_err(AppError::internal)
}

fn build_xlsx(f: &Figures) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let t = f.generated_at.naive_utc();
    use chrono::{Datelike, Timelike};
    let created = ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)?
        .and_hms(t.hour() as u16, t.minute() as u8, t.second() as f64)?;
    book.set_properties(
        &DocProperties::new()
            .set_title("Digilend figures")
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    {
        let sheet = book.add_worksheet();
        sheet.set_name("about")?;
        sheet.write_string_with_format(0, 0, "name", &bold)?;
        sheet.write_string_with_format(0, 1, "value", &bold)?;
        for (i, (name, value)) in about(f).into_iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_string(row, 0, &name)?;
            match value {
                Cell::Text(t) => sheet.write_string(row, 1, &t)?,
                Cell::Number(n) => sheet.write_number(row, 1, n)?,
            };
        }
        sheet.set_column_width(0, 32)?;
        sheet.set_column_width(1, 60)?;
    }
    let all = lines(f);
    for g in &f.groups {
        let sheet = book.add_worksheet();
        sheet.set_name(&g.name)?;
        for (c, h) in HEADER.iter().skip(1).enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        let mut row = 1u32;
        for (group, figure, by, key, value, unit, description) in &all {
            if *group != g.name {
                continue;
            }
            sheet.write_string(row, 0, *figure)?;
            sheet.write_string(row, 1, *by)?;
            sheet.write_string(row, 2, *key)?;
            if let Some(v) = value {
                sheet.write_number(row, 3, v.0)?;
            }
            sheet.write_string(row, 4, *unit)?;
            sheet.write_string(row, 5, *description)?;
            row += 1;
        }
        sheet.set_column_width(0, 26)?;
        sheet.set_column_width(1, 18)?;
        sheet.set_column_width(2, 28)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::figures::{environment, Figure, Group, Part, Period};
    use chrono::TimeZone;

    fn sample() -> Figures {
        Figures {
            period: Period::year(2025).unwrap(),
            scope: "all".into(),
            office_id: None,
            generated_at: chrono::Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
            frozen: true,
            groups: vec![Group {
                name: "people".into(),
                figures: vec![Figure {
                    name: "people_reached".into(),
                    unit: "people".into(),
                    value: Some(Num(2.0)),
                    description: "Unique people".into(),
                    parts: vec![Part {
                        by: "office".into(),
                        key: "OCMW; Gent".into(),
                        value: Num(2.5),
                    }],
                }],
            }],
            environment_method: Some(environment::method()),
        }
    }

    #[test]
    fn the_same_figures_give_the_same_bytes_at_any_time() {
        let f = sample();
        let first = xlsx(&f).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(
            xlsx(&f).unwrap(),
            first,
            "nothing in the workbook follows the clock"
        );
        assert!(first.starts_with(b"PK"));
        let text = String::from_utf8(csv(&f).unwrap()).unwrap();
        assert!(text.starts_with("\u{feff}group;figure;breakdown;key;value;unit;description\r\n"));
        assert!(text.contains("\r\npeople;people_reached;;;2;people;Unique people\r\n"));
        assert!(text.contains("\r\npeople;people_reached;office;\"OCMW; Gent\";2,5;people;\r\n"));
        assert!(text.contains("\r\nabout;environment_method_version;;;v0;;\r\n"));
        assert!(text.contains("\r\nabout;factor_laptop_avoided_kg_co2e;;;150,68;;\r\n"));
    }
}
