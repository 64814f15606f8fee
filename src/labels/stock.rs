//! Label stocks: the TOML template files under `labels/` (built into the binary), their
//! validation and the catalogue.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// Smallest overall side of a printed QR code, quiet zone included, in mm.
pub const MIN_QR_SIZE_MM: f64 = 15.0;

/// Slack allowed when checking that labels fit on the page, in mm (rounded published numbers).
pub const GEOMETRY_TOLERANCE_MM: f64 = 0.2;

/// How a stock is fed to the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StockKind {
    /// A sheet (A4) with a grid of labels, printed on an office printer.
    Sheet,
    /// A roll for a label printer (Brother QL, Dymo LabelWriter): every page is one label.
    LabelPrinter,
}

/// Where the QR code and the text go on one label; all distances in mm from the label's
/// top-left corner, font sizes in points.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelLayout {
    /// Side of the printed QR code, including its quiet zone of 4 modules on every side.
    pub qr_size_mm: f64,
    /// Distance from the label's left edge to the outer edge of the QR quiet zone.
    pub qr_left_mm: f64,
    /// Distance from the label's top edge to the outer edge of the QR quiet zone.
    pub qr_top_mm: f64,
    /// Left edge of the text column.
    pub text_left_mm: f64,
    /// Top of the first text line (the asset tag).
    pub text_top_mm: f64,
    /// Width of the text column; defaults to everything right of `text_left_mm` up to the
    /// safe margin.
    #[serde(default)]
    pub text_width_mm: Option<f64>,
    /// Nominal size of the asset tag (bold); shrunk down to 70 % if a long tag does not fit.
    pub tag_size_pt: f64,
    /// Size of the owner, kind and model lines.
    pub text_size_pt: f64,
    /// Distance between baselines as a multiple of the font size.
    #[serde(default = "default_line_spacing")]
    pub line_spacing: f64,
}

fn default_line_spacing() -> f64 {
    1.2
}

/// One label stock, read from a TOML file in `labels/` and validated.
///
/// Sheet stocks have a grid of `columns` × `rows` labels on a page of `page_width_mm` ×
/// `page_height_mm`; label-printer stocks have exactly one label per page, and the page is the
/// label. Build one with [`LabelStock::from_toml_str`] or load a directory with
/// [`LabelCatalog::load_dir`]; the renderers validate the stock again before drawing.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelStock {
    /// Short stable identifier used by the API, such as `avery-l7160`.
    pub id: String,
    /// Human-readable name shown to users.
    pub name: String,
    /// Where the numbers come from.
    pub source: String,
    /// Sheet or label printer.
    pub kind: StockKind,
    /// Page width in mm (for label printers: the label width).
    pub page_width_mm: f64,
    /// Page height in mm (for label printers: the label length).
    pub page_height_mm: f64,
    /// Width of one label.
    pub label_width_mm: f64,
    /// Height of one label.
    pub label_height_mm: f64,
    /// Labels across the page.
    pub columns: u32,
    /// Labels down the page.
    pub rows: u32,
    /// Distance from the page's left edge to the first column's left edge.
    pub margin_left_mm: f64,
    /// Distance from the page's top edge to the first row's top edge.
    pub margin_top_mm: f64,
    /// Distance from one label's left edge to the next one's left edge.
    pub pitch_across_mm: f64,
    /// Distance from one label's top edge to the next one's top edge.
    pub pitch_down_mm: f64,
    /// Radius of the label's rounded corners (0 for square).
    #[serde(default)]
    pub corner_radius_mm: f64,
    /// Nothing (QR code nor text) is printed closer than this to the label's left and right
    /// edges: the printer's unprintable border for label printers, a registration allowance
    /// for sheets.
    #[serde(default)]
    pub safe_margin_x_mm: f64,
    /// The same for the top and bottom edges.
    #[serde(default)]
    pub safe_margin_y_mm: f64,
    /// Where the QR code and the text go.
    pub layout: LabelLayout,
}

impl LabelStock {
    /// Parses and validates one template.
    ///
    /// The error is a human-readable sentence (or several, separated by `; `).
    pub fn from_toml_str(text: &str) -> Result<LabelStock, String> {
        let stock: LabelStock = toml::from_str(text).map_err(|e| {
            // toml's Display spans several lines with a source excerpt; keep one line.
            let message = e
                .message()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            match e.span() {
                // A missing field is reported on the whole table, from offset 0: no position.
                Some(span) if span.start > 0 => {
                    let before = text.get(..span.start).unwrap_or("");
                    let line = before.matches('\n').count() + 1;
                    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    format!("invalid TOML at line {line}, column {column}: {message}")
                }
                _ => format!("invalid template: {message}"),
            }
        })?;
        stock.validate()?;
        Ok(stock)
    }

    /// Labels on one page.
    pub fn labels_per_page(&self) -> usize {
        self.columns as usize * self.rows as usize
    }

    /// Width of the text column in mm.
    pub fn text_width_mm(&self) -> f64 {
        self.layout
            .text_width_mm
            .unwrap_or(self.label_width_mm - self.safe_margin_x_mm - self.layout.text_left_mm)
    }

    /// Checks the geometry; the error lists every problem found.
    pub fn validate(&self) -> Result<(), String> {
        let mut problems: Vec<String> = Vec::new();
        let tol = GEOMETRY_TOLERANCE_MM;

        if self.id.trim().is_empty() {
            problems.push("id is empty".into());
        } else if !self
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            problems.push(format!(
                "id {:?} may only hold letters, digits, '-' and '_'",
                self.id
            ));
        }
        if self.name.trim().is_empty() {
            problems.push("name is empty".into());
        }
        if self.source.trim().is_empty() {
            problems.push("source is empty: say where the numbers come from".into());
        }

        let l = &self.layout;
        let positive = [
            ("page_width_mm", self.page_width_mm),
            ("page_height_mm", self.page_height_mm),
            ("label_width_mm", self.label_width_mm),
            ("label_height_mm", self.label_height_mm),
            ("pitch_across_mm", self.pitch_across_mm),
            ("pitch_down_mm", self.pitch_down_mm),
            ("layout.qr_size_mm", l.qr_size_mm),
            ("layout.tag_size_pt", l.tag_size_pt),
            ("layout.text_size_pt", l.text_size_pt),
            ("layout.line_spacing", l.line_spacing),
        ];
        for (name, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                problems.push(format!("{name} must be a positive number, not {v}"));
            }
        }
        let non_negative = [
            ("margin_left_mm", self.margin_left_mm),
            ("margin_top_mm", self.margin_top_mm),
            ("corner_radius_mm", self.corner_radius_mm),
            ("safe_margin_x_mm", self.safe_margin_x_mm),
            ("safe_margin_y_mm", self.safe_margin_y_mm),
            ("layout.qr_left_mm", l.qr_left_mm),
            ("layout.qr_top_mm", l.qr_top_mm),
            ("layout.text_left_mm", l.text_left_mm),
            ("layout.text_top_mm", l.text_top_mm),
            ("layout.text_width_mm", l.text_width_mm.unwrap_or(0.0)),
        ];
        for (name, v) in non_negative {
            if !(v.is_finite() && v >= 0.0) {
                problems.push(format!("{name} must be zero or positive, not {v}"));
            }
        }
        if self.columns == 0 || self.rows == 0 {
            problems.push(format!(
                "columns and rows must be at least 1 (got {} × {})",
                self.columns, self.rows
            ));
        }
        if !problems.is_empty() {
            // The checks below compare sizes and would only repeat the same problems.
            return Err(problems.join("; "));
        }

        if self.kind == StockKind::LabelPrinter && (self.columns != 1 || self.rows != 1) {
            problems.push(format!(
                "a label-printer stock has one label per page, not {} × {}",
                self.columns, self.rows
            ));
        }
        if self.columns > 1 && self.pitch_across_mm + tol < self.label_width_mm {
            problems.push(format!(
                "pitch_across_mm {} is smaller than label_width_mm {}: labels would overlap",
                self.pitch_across_mm, self.label_width_mm
            ));
        }
        if self.rows > 1 && self.pitch_down_mm + tol < self.label_height_mm {
            problems.push(format!(
                "pitch_down_mm {} is smaller than label_height_mm {}: labels would overlap",
                self.pitch_down_mm, self.label_height_mm
            ));
        }
        let right = self.margin_left_mm
            + f64::from(self.columns - 1) * self.pitch_across_mm
            + self.label_width_mm;
        if right > self.page_width_mm + tol {
            problems.push(format!(
                "the labels do not fit across the page: margin_left_mm + (columns - 1) × \
                 pitch_across_mm + label_width_mm = {right:.2} mm > page_width_mm {}",
                self.page_width_mm
            ));
        }
        let bottom = self.margin_top_mm
            + f64::from(self.rows - 1) * self.pitch_down_mm
            + self.label_height_mm;
        if bottom > self.page_height_mm + tol {
            problems.push(format!(
                "the labels do not fit down the page: margin_top_mm + (rows - 1) × \
                 pitch_down_mm + label_height_mm = {bottom:.2} mm > page_height_mm {}",
                self.page_height_mm
            ));
        }
        if 2.0 * self.corner_radius_mm > self.label_width_mm.min(self.label_height_mm) + tol {
            problems.push(format!(
                "corner_radius_mm {} is more than half the label's smaller side",
                self.corner_radius_mm
            ));
        }

        // The printable area of one label.
        let (x0, y0) = (self.safe_margin_x_mm, self.safe_margin_y_mm);
        let x1 = self.label_width_mm - self.safe_margin_x_mm;
        let y1 = self.label_height_mm - self.safe_margin_y_mm;
        if x1 <= x0 || y1 <= y0 {
            problems.push(format!(
                "safe margins of {} × {} mm leave no printable area on a {} × {} mm label",
                self.safe_margin_x_mm,
                self.safe_margin_y_mm,
                self.label_width_mm,
                self.label_height_mm
            ));
            return Err(problems.join("; "));
        }
        if l.qr_size_mm + 1e-9 < MIN_QR_SIZE_MM {
            problems.push(format!(
                "layout.qr_size_mm {} is under the {MIN_QR_SIZE_MM} mm minimum for a QR code a \
                 phone can scan",
                l.qr_size_mm
            ));
        }
        let (qx0, qy0) = (l.qr_left_mm, l.qr_top_mm);
        let (qx1, qy1) = (qx0 + l.qr_size_mm, qy0 + l.qr_size_mm);
        if qx0 + tol < x0 || qy0 + tol < y0 || qx1 > x1 + tol || qy1 > y1 + tol {
            problems.push(format!(
                "the QR code ({:.2}..{:.2} × {:.2}..{:.2} mm, quiet zone included) does not fit \
                 in the printable area of the label ({x0:.2}..{x1:.2} × {y0:.2}..{y1:.2} mm)",
                qx0, qx1, qy0, qy1
            ));
        }
        let tw = self.text_width_mm();
        let (tx0, tx1) = (l.text_left_mm, l.text_left_mm + tw);
        if tw < 5.0 {
            problems.push(format!(
                "the text column is only {tw:.2} mm wide (at least 5 mm is needed)"
            ));
        }
        if tx0 + tol < x0 || tx1 > x1 + tol {
            problems.push(format!(
                "the text column ({tx0:.2}..{tx1:.2} mm) does not fit across the printable area \
                 ({x0:.2}..{x1:.2} mm)"
            ));
        }
        // Tag, owner and kind must always fit; the model line is optional.
        let text_bottom = l.text_top_mm + super::text::block_height_mm(self, 3);
        if l.text_top_mm + tol < y0 || text_bottom > y1 + tol {
            problems.push(format!(
                "the asset tag, owner and kind lines ({:.2}..{text_bottom:.2} mm) do not fit \
                 down the printable area ({y0:.2}..{y1:.2} mm)",
                l.text_top_mm
            ));
        }
        let overlaps_x = tx0 < qx1 - tol && qx0 < tx1 - tol;
        let overlaps_y = l.text_top_mm < qy1 - tol && qy0 < text_bottom - tol;
        if overlaps_x && overlaps_y {
            problems.push("the text column overlaps the QR code".into());
        }

        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }
}

/// The templates of `labels/`, compiled into the binary so that a server started anywhere has
/// them. A file added to `labels/` must be added here too (a unit test checks it).
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "avery-l7160.toml",
        include_str!("../../labels/avery-l7160.toml"),
    ),
    (
        "avery-l7163.toml",
        include_str!("../../labels/avery-l7163.toml"),
    ),
    (
        "avery-l7651.toml",
        include_str!("../../labels/avery-l7651.toml"),
    ),
    (
        "brother-dk-11209.toml",
        include_str!("../../labels/brother-dk-11209.toml"),
    ),
    (
        "brother-dk-22205.toml",
        include_str!("../../labels/brother-dk-22205.toml"),
    ),
    (
        "dymo-99012.toml",
        include_str!("../../labels/dymo-99012.toml"),
    ),
    (
        "herma-4608.toml",
        include_str!("../../labels/herma-4608.toml"),
    ),
];

/// Label stocks keyed by id: the built-in ones, or those found in a directory.
#[derive(Debug, Clone, Default)]
pub struct LabelCatalog {
    stocks: BTreeMap<String, LabelStock>,
}

impl LabelCatalog {
    /// The built-in stocks, then those of `dir` (if any), which add to them or replace the
    /// built-in stock with the same id. Warnings as for [`LabelCatalog::load_dir`].
    pub fn load(dir: Option<&Path>) -> (LabelCatalog, Vec<String>) {
        let mut catalog = LabelCatalog::default();
        let mut warnings = Vec::new();
        for (file, text) in BUILT_IN {
            match LabelStock::from_toml_str(text) {
                Ok(stock) => {
                    catalog.stocks.insert(stock.id.clone(), stock);
                }
                Err(e) => warnings.push(format!("built-in {file}: skipped, {e}")),
            }
        }
        if let Some(dir) = dir {
            let (extra, more) = LabelCatalog::load_dir(dir);
            warnings.extend(more);
            catalog.stocks.extend(extra.stocks);
        }
        (catalog, warnings)
    }

    /// Loads every `*.toml` file in `dir`.
    ///
    /// Files that cannot be read, do not parse, have impossible geometry or repeat an id that
    /// is already loaded are skipped; for each, one warning naming the file and the problem is
    /// returned. A missing or unreadable directory gives an empty catalogue and one warning.
    /// Files are read in name order, so which of two files with the same id wins is stable.
    pub fn load_dir(dir: &Path) -> (LabelCatalog, Vec<String>) {
        let mut catalog = LabelCatalog::default();
        let mut warnings = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                warnings.push(format!(
                    "label stock directory {} cannot be read: {e}",
                    dir.display()
                ));
                return (catalog, warnings);
            }
        };
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        paths.sort();
        let mut origin: BTreeMap<String, String> = BTreeMap::new();
        for path in paths {
            let shown = path.display().to_string();
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) => {
                    warnings.push(format!("{shown}: skipped, cannot be read: {e}"));
                    continue;
                }
            };
            match LabelStock::from_toml_str(&text) {
                Ok(stock) => {
                    if let Some(first) = origin.get(&stock.id) {
                        warnings.push(format!(
                            "{shown}: skipped, id {:?} is already used by {first}",
                            stock.id
                        ));
                        continue;
                    }
                    origin.insert(stock.id.clone(), shown);
                    catalog.stocks.insert(stock.id.clone(), stock);
                }
                Err(e) => warnings.push(format!("{shown}: skipped, {e}")),
            }
        }
        (catalog, warnings)
    }

    /// The stock with this id.
    pub fn get(&self, id: &str) -> Option<&LabelStock> {
        self.stocks.get(id)
    }

    /// All stocks, ordered by id.
    pub fn stocks(&self) -> impl Iterator<Item = &LabelStock> {
        self.stocks.values()
    }

    /// Number of stocks loaded.
    pub fn len(&self) -> usize {
        self.stocks.len()
    }

    /// Whether no stock was loaded.
    pub fn is_empty(&self) -> bool {
        self.stocks.is_empty()
    }

    /// Adds or replaces a stock after validating it (for stocks built in code).
    pub fn insert(&mut self, stock: LabelStock) -> Result<(), String> {
        stock.validate()?;
        self.stocks.insert(stock.id.clone(), stock);
        Ok(())
    }
}

#[cfg(test)]
mod built_in_tests {
    use super::*;

    #[test]
    fn every_template_file_is_built_in_and_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("labels");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .expect("labels dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        files.sort();
        let built_in: Vec<String> = BUILT_IN.iter().map(|(f, _)| f.to_string()).collect();
        assert_eq!(built_in, files, "labels/*.toml and BUILT_IN differ");
        let (catalog, warnings) = LabelCatalog::load(None);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(catalog.len(), BUILT_IN.len());
    }
}
