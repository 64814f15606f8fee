//! Asset labels: label-stock templates and rendering of labels to SVG, PNG and PDF.
//!
//! A label carries a QR code with the device's public URL, the asset tag in large bold text,
//! the owner's short name, the kind of device and, where there is room, the model. Label
//! stocks (Avery sheets, Brother and Dymo rolls) are described by TOML files in the `labels/`
//! directory at the repository root (see `labels/README.md`), loaded with
//! [`LabelCatalog::load_dir`]; adding a stock needs no code change.
//!
//! QR rules: the code encodes [`LabelData::url`] exactly at error correction level M, with a
//! quiet zone of 4 modules on every side, is printed at least [`MIN_QR_SIZE_MM`] mm wide
//! (quiet zone included), and a module is never smaller than [`MIN_MODULE_MM`] mm: if the URL
//! needs so many modules that they would be smaller, rendering fails with
//! [`LabelError::QrTooSmall`] instead of printing a code a phone cannot read.
//!
//! This module only depends on plain data: no HTTP, no database.

mod pdf;
mod png;
mod stock;
mod svg;
mod text;

pub use pdf::render_pdf;
pub use png::{render_png, MAX_DPI, MIN_DPI};
pub use stock::{
    LabelCatalog, LabelLayout, LabelStock, StockKind, GEOMETRY_TOLERANCE_MM, MIN_QR_SIZE_MM,
};
pub use svg::render_svg;
pub use text::{MIN_TAG_SCALE, MM_PER_PT};

use crate::qr::{QrMatrix, QUIET_ZONE_MODULES};

/// Smallest printed QR module (X-dimension) in mm; GS1 recommends at least 0.396 mm.
pub const MIN_MODULE_MM: f64 = 0.4;

/// What is printed on one label.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelData {
    /// Public URL of the device, encoded exactly in the QR code.
    pub url: String,
    /// Asset tag (property number), printed large, such as `GNT-000123`.
    pub asset_tag: String,
    /// Short name of the owning organisation, such as `Stad Gent`.
    pub owner_short: String,
    /// Kind of device, such as `Laptop`.
    pub kind: String,
    /// Model, printed where the stock has room for a fourth line.
    pub model: Option<String>,
}

/// Why a label could not be rendered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LabelError {
    /// The QR code's modules would be too small for a phone camera on this stock.
    #[error(
        "the QR code would be too small to scan on label stock {stock}: its modules would be \
         {module_mm:.2} mm wide, and at least {min_module_mm} mm are needed; choose a larger \
         label or use a shorter URL"
    )]
    QrTooSmall {
        /// Stock id.
        stock: String,
        /// Module size the URL would get on this stock, in mm.
        module_mm: f64,
        /// The minimum, [`MIN_MODULE_MM`].
        min_module_mm: f64,
    },
    /// More positions were to be skipped than a page holds.
    #[error(
        "cannot skip {skip} label positions on {stock}: a page holds {per_page} labels, so at \
         most {max} can be skipped",
        max = per_page.saturating_sub(1)
    )]
    SkipTooLarge {
        /// Stock id.
        stock: String,
        /// Positions asked to be skipped.
        skip: usize,
        /// Labels on one page.
        per_page: usize,
    },
    /// The URL cannot be put in a QR code (empty or far too long).
    #[error("cannot make the QR code: {0}")]
    Qr(String),
    /// The stock's geometry is not usable (only for stocks built in code; files are checked
    /// when loaded).
    #[error("label stock {stock} is not usable: {reason}")]
    InvalidStock {
        /// Stock id.
        stock: String,
        /// What is wrong.
        reason: String,
    },
    /// `render_pdf` was given no labels.
    #[error("nothing to print: no labels were given")]
    NoLabels,
    /// The resolution asked for a PNG is outside the supported range.
    #[error("{dpi} dpi is not supported for label images: use {min} to {max} dpi")]
    InvalidDpi {
        /// Resolution asked for.
        dpi: u32,
        /// Lowest supported resolution.
        min: u32,
        /// Highest supported resolution.
        max: u32,
    },
    /// Drawing or encoding the output failed.
    #[error("cannot render the label: {0}")]
    Render(String),
}

/// Where one label goes on the output: page index (from 0) and the label's top-left corner in
/// mm from the page's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelPosition {
    /// Page index, from 0.
    pub page: usize,
    /// Column on the sheet, from 0.
    pub column: usize,
    /// Row on the sheet, from 0.
    pub row: usize,
    /// Distance from the page's left edge to the label's left edge, in mm.
    pub x_mm: f64,
    /// Distance from the page's top edge to the label's top edge, in mm.
    pub y_mm: f64,
}

/// Positions of `count` labels on `stock`: sheet positions are filled row by row, left to
/// right, after skipping the first `skip` positions of the first page (a partly used sheet);
/// pages follow as needed. Label-printer stocks get one label per page and accept no skip.
pub fn layout_positions(
    stock: &LabelStock,
    count: usize,
    skip: usize,
) -> Result<Vec<LabelPosition>, LabelError> {
    check_stock(stock)?;
    let per_page = stock.labels_per_page();
    if skip >= per_page {
        return Err(LabelError::SkipTooLarge {
            stock: stock.id.clone(),
            skip,
            per_page,
        });
    }
    let columns = stock.columns as usize;
    Ok((skip..skip + count)
        .map(|slot| {
            let page = slot / per_page;
            let in_page = slot % per_page;
            let (row, column) = (in_page / columns, in_page % columns);
            LabelPosition {
                page,
                column,
                row,
                x_mm: stock.margin_left_mm + column as f64 * stock.pitch_across_mm,
                y_mm: stock.margin_top_mm + row as f64 * stock.pitch_down_mm,
            }
        })
        .collect())
}

/// Checks that a stock is usable before drawing on it.
pub(crate) fn check_stock(stock: &LabelStock) -> Result<(), LabelError> {
    stock.validate().map_err(|reason| LabelError::InvalidStock {
        stock: stock.id.clone(),
        reason,
    })
}

/// Everything the renderers draw on one label, in mm from the label's top-left corner.
pub(crate) struct PreparedLabel {
    pub qr: QrMatrix,
    /// Size of one module.
    pub module_mm: f64,
    /// Top-left corner of the first module (inside the quiet zone).
    pub qr_x_mm: f64,
    pub qr_y_mm: f64,
    pub lines: Vec<text::TextLine>,
}

/// Encodes the QR code and lays out the text of one label on `stock`; refuses a QR code whose
/// modules would be under [`MIN_MODULE_MM`].
pub(crate) fn prepare(stock: &LabelStock, label: &LabelData) -> Result<PreparedLabel, LabelError> {
    if label.url.is_empty() {
        return Err(LabelError::Qr("the URL is empty".into()));
    }
    let qr = QrMatrix::encode(&label.url).map_err(|e| LabelError::Qr(e.0))?;
    let l = &stock.layout;
    let module_mm = l.qr_size_mm / qr.width_with_quiet_zone() as f64;
    if module_mm + 1e-9 < MIN_MODULE_MM {
        return Err(LabelError::QrTooSmall {
            stock: stock.id.clone(),
            module_mm,
            min_module_mm: MIN_MODULE_MM,
        });
    }
    let quiet = QUIET_ZONE_MODULES as f64 * module_mm;
    let lines = text::layout_lines(
        stock,
        &label.asset_tag,
        &label.owner_short,
        &label.kind,
        label.model.as_deref(),
    )?;
    Ok(PreparedLabel {
        qr,
        module_mm,
        qr_x_mm: l.qr_left_mm + quiet,
        qr_y_mm: l.qr_top_mm + quiet,
        lines,
    })
}

/// The dark modules of `qr` as rectangles `(column, row, width, height)` in modules: the
/// horizontal runs of [`QrMatrix::dark_runs`], with identical runs in consecutive rows merged
/// into one taller rectangle. Rectangles do not overlap and cover exactly the dark modules.
pub(crate) fn qr_rects(qr: &QrMatrix) -> Vec<(usize, usize, usize, usize)> {
    let mut done = Vec::new();
    // Rectangles still open at the previous row, keyed by (column, width).
    let mut open: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut runs = qr.dark_runs().into_iter().peekable();
    for row in 0..qr.width() {
        let mut next_open = Vec::with_capacity(open.len());
        while let Some(&(r, col, len)) = runs.peek() {
            if r != row {
                break;
            }
            runs.next();
            match open.iter().position(|o| o.0 == col && o.2 == len) {
                Some(i) => {
                    let mut rect = open.swap_remove(i);
                    rect.3 += 1;
                    next_open.push(rect);
                }
                None => next_open.push((col, row, len, 1)),
            }
        }
        done.append(&mut open);
        open = next_open;
    }
    done.append(&mut open);
    done
}

#[cfg(test)]
mod tests;
