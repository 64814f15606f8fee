//! A small flowing-layout engine on top of our PDF writer (`crate::pdf`): measured and
//! wrapped text in the embedded DejaVu fonts (`crate::fonts`), rules, boxes, tables and QR
//! codes, with page breaks.
//!
//! Coordinates are PDF points from the bottom-left corner of an A4 page.

use super::format::GLUE;
use super::DocumentError;
use crate::fonts::{faces, Face, Faces};
use crate::pdf::{Content, Pdf};
use crate::qr::{QrMatrix, QUIET_ZONE_MODULES};

pub(crate) use crate::fonts::Weight;

/// A4 width in points.
pub(crate) const PAGE_W: f32 = 595.276;
/// A4 height in points.
pub(crate) const PAGE_H: f32 = 841.89;
/// Millimetres to points.
pub(crate) const MM: f32 = 72.0 / 25.4;
/// Left and right margin.
pub(crate) const MARGIN_X: f32 = 15.0 * MM;
/// Top margin.
pub(crate) const MARGIN_TOP: f32 = 14.0 * MM;
/// Bottom margin; the page footer sits inside it.
pub(crate) const MARGIN_BOTTOM: f32 = 14.0 * MM;
/// Width between the margins.
pub(crate) const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

/// zlib level of the page contents: a document's pages are small.
const COMPRESSION: u32 = 6;

/// Text style: weight, size in points and amount of ink (1 = black, 0 = white).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub weight: Weight,
    pub size: f32,
    pub ink: f32,
}

impl Style {
    pub(crate) const fn regular(size: f32) -> Self {
        Self {
            weight: Weight::Regular,
            size,
            ink: 1.0,
        }
    }
    pub(crate) const fn bold(size: f32) -> Self {
        Self {
            weight: Weight::Bold,
            size,
            ink: 1.0,
        }
    }
    /// The same style in grey (`ink` between 0 = white and 1 = black).
    pub(crate) const fn ink(mut self, ink: f32) -> Self {
        self.ink = ink;
        self
    }
    /// Line height used for this style.
    pub(crate) fn leading(&self) -> f32 {
        self.size * 1.25
    }
}

/// Horizontal alignment of a single line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A document being laid out, page by page.
pub(crate) struct Layout {
    fonts: &'static Faces,
    doc: Pdf,
    done: Vec<Content>,
    ops: Content,
    /// Top of the free space on the current page.
    pub y: f32,
    max_pages: Option<usize>,
    document: &'static str,
}

impl Layout {
    /// Starts a document with one empty page. `max_pages` turns an overflow into
    /// [`DocumentError::TooLong`] instead of an extra page.
    pub(crate) fn new(
        document: &'static str,
        title: &str,
        max_pages: Option<usize>,
    ) -> Result<Self, DocumentError> {
        let fonts = faces().map_err(|_| DocumentError::Font)?;
        Ok(Self {
            fonts,
            doc: Pdf::new(title),
            done: Vec::new(),
            ops: Content::with_capacity(16 * 1024),
            y: PAGE_H - MARGIN_TOP,
            max_pages,
            document,
        })
    }

    /// Space left above the bottom margin.
    pub(crate) fn remaining(&self) -> f32 {
        self.y - MARGIN_BOTTOM
    }

    /// Starts a new page.
    pub(crate) fn new_page(&mut self) -> Result<(), DocumentError> {
        if let Some(max) = self.max_pages {
            if self.done.len() + 1 >= max {
                return Err(DocumentError::TooLong {
                    document: self.document,
                    max_pages: max,
                });
            }
        }
        self.done.push(std::mem::take(&mut self.ops));
        self.y = PAGE_H - MARGIN_TOP;
        Ok(())
    }

    /// Makes sure `height` fits on the current page, starting a new one if not.
    /// Returns whether a page break happened.
    pub(crate) fn ensure(&mut self, height: f32) -> Result<bool, DocumentError> {
        if self.remaining() < height && self.y < PAGE_H - MARGIN_TOP {
            self.new_page()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Moves the cursor down.
    pub(crate) fn gap(&mut self, height: f32) {
        self.y -= height;
    }

    fn font(&self, weight: Weight) -> &'static Face {
        self.fonts.get(weight)
    }

    /// Width of `text` in points (the non-breaking glue is as wide as a space).
    pub(crate) fn width(&self, text: &str, style: Style) -> f32 {
        self.font(style.weight).width(text, style.size)
    }

    /// Splits `text` into lines no wider than `max_width`. Breaks at spaces (never at the
    /// non-breaking glue), honours `\n`, and cuts words that are too long on their own.
    pub(crate) fn wrap(&self, text: &str, style: Style, max_width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let space = self.width(" ", style);
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let mut word = word.to_string();
                let mut w = self.width(&word, style);
                // French puts a space before : ; ? ! – never start a line with those.
                let clings = matches!(word.as_str(), ":" | ";" | "?" | "!" | "»");
                if !line.is_empty() && (clings || line_w + space + w <= max_width) {
                    line.push(' ');
                    line.push_str(&word);
                    line_w += space + w;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                while w > max_width && word.chars().count() > 1 {
                    // Cut the longest prefix that fits (at least one character).
                    let mut cut = String::new();
                    for c in word.chars() {
                        let mut next = cut.clone();
                        next.push(c);
                        if !cut.is_empty() && self.width(&next, style) > max_width {
                            break;
                        }
                        cut = next;
                    }
                    word = word[cut.len()..].to_string();
                    lines.push(cut);
                    w = self.width(&word, style);
                }
                line = word;
                line_w = w;
            }
            lines.push(line);
        }
        lines.into_iter().map(|l| l.replace(GLUE, " ")).collect()
    }

    /// Draws one line of text with its baseline at `y`.
    pub(crate) fn text_at(&mut self, x: f32, y: f32, text: &str, style: Style, align: Align) {
        if text.is_empty() {
            return;
        }
        let text = text.replace(GLUE, " ");
        let x = match align {
            Align::Left => x,
            Align::Right => x - self.width(&text, style),
        };
        let face = self.font(style.weight);
        self.ops.fill_ink(style.ink);
        self.ops.text(
            &mut self.doc.fonts,
            face,
            style.weight,
            style.size,
            x,
            y,
            &text,
        );
    }

    /// The document title at the top of the first page, a reference (number) on the right
    /// (below the title when both do not fit on one line), an optional grey subtitle and a
    /// rule.
    pub(crate) fn title(&mut self, title: &str, reference: &str, subtitle: Option<&str>) {
        let title_style = Style::bold(17.0);
        let reference_style = Style::bold(10.0);
        let fits =
            self.width(title, title_style) + self.width(reference, reference_style) + 6.0 * MM
                <= CONTENT_W;
        let top = self.y;
        self.text_at(MARGIN_X, top - 17.0, title, title_style, Align::Left);
        let mut used = 24.0;
        if fits {
            self.text_at(
                PAGE_W - MARGIN_X,
                top - 17.0,
                reference,
                reference_style,
                Align::Right,
            );
        } else {
            self.text_at(
                MARGIN_X,
                top - 33.0,
                reference,
                reference_style,
                Align::Left,
            );
            used += 14.0;
        }
        if let Some(subtitle) = subtitle {
            self.text_at(
                MARGIN_X,
                top - used - 10.0,
                subtitle,
                Style::regular(11.0).ink(0.7),
                Align::Left,
            );
            used += 16.0;
        }
        self.gap(used);
        self.rule();
        self.gap(6.0);
    }

    /// Draws wrapped lines in a box of `width` whose top is `top`, without moving the cursor
    /// or breaking pages. Returns the height used.
    pub(crate) fn lines_at(&mut self, x: f32, top: f32, lines: &[String], style: Style) -> f32 {
        let lead = style.leading();
        for (i, line) in lines.iter().enumerate() {
            let baseline = top - style.size - i as f32 * lead;
            self.text_at(x, baseline, line, style, Align::Left);
        }
        lines.len() as f32 * lead
    }

    /// Flows a wrapped paragraph at the cursor, breaking pages between lines.
    pub(crate) fn paragraph(
        &mut self,
        text: &str,
        style: Style,
        indent: f32,
    ) -> Result<(), DocumentError> {
        let lines = self.wrap(text, style, CONTENT_W - indent);
        for line in &lines {
            self.ensure(style.leading())?;
            let top = self.y;
            self.lines_at(MARGIN_X + indent, top, std::slice::from_ref(line), style);
            self.y -= style.leading();
        }
        Ok(())
    }

    /// Flows a paragraph that must stay on one page (moves to the next page as a whole).
    pub(crate) fn block(
        &mut self,
        text: &str,
        style: Style,
        indent: f32,
    ) -> Result<(), DocumentError> {
        let lines = self.wrap(text, style, CONTENT_W - indent);
        self.ensure(lines.len() as f32 * style.leading())?;
        let top = self.y;
        self.y -= self.lines_at(MARGIN_X + indent, top, &lines, style);
        Ok(())
    }

    /// A bulleted list item.
    pub(crate) fn bullet(&mut self, text: &str, style: Style) -> Result<(), DocumentError> {
        let indent = 4.5 * MM;
        let lines = self.wrap(text, style, CONTENT_W - indent);
        self.ensure(lines.len() as f32 * style.leading())?;
        let top = self.y;
        self.text_at(
            MARGIN_X + 1.0 * MM,
            top - style.size,
            "•",
            style,
            Align::Left,
        );
        self.y -= self.lines_at(MARGIN_X + indent, top, &lines, style);
        Ok(())
    }

    /// A filled rectangle, `y` being its bottom edge.
    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, ink: f32) {
        self.ops.fill_ink(ink);
        self.ops.rect(x, y, w, h);
        self.ops.fill();
    }

    /// An outlined rectangle, `y` being its bottom edge.
    pub(crate) fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, thickness: f32) {
        self.ops.stroke_ink(1.0);
        self.ops.line_width(thickness);
        self.ops.rect(x, y, w, h);
        self.ops.stroke();
    }

    /// A straight line.
    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32, ink: f32) {
        self.ops.stroke_ink(ink);
        self.ops.line_width(thickness);
        self.ops.line(x1, y1, x2, y2);
    }

    /// A horizontal rule across the content width at the cursor.
    pub(crate) fn rule(&mut self) {
        let y = self.y;
        self.line(MARGIN_X, y, PAGE_W - MARGIN_X, y, 0.5, 0.45);
    }

    /// A QR code of `text` as vector rectangles (one per run of dark modules), quiet zone
    /// included, `size` points square, with its top-left corner at (`x`, `top`).
    pub(crate) fn qr(
        &mut self,
        x: f32,
        top: f32,
        size: f32,
        text: &str,
    ) -> Result<(), DocumentError> {
        let matrix = QrMatrix::encode(text).map_err(|e| DocumentError::Qr {
            text: text.to_string(),
            message: e.to_string(),
        })?;
        let module = size / matrix.width_with_quiet_zone() as f32;
        let q = QUIET_ZONE_MODULES as f32;
        self.ops.fill_ink(1.0);
        for (row, col, len) in matrix.dark_runs() {
            let rx = x + (q + col as f32) * module;
            let ry = top - (q + row as f32 + 1.0) * module;
            self.ops.rect(rx, ry, len as f32 * module, module);
        }
        self.ops.fill();
        Ok(())
    }

    /// Finishes the document: adds a footer (`footer(page, pages)`) to every page and
    /// writes it with subset fonts.
    pub(crate) fn finish(
        mut self,
        footer: impl Fn(usize, usize) -> String,
    ) -> Result<Vec<u8>, DocumentError> {
        self.done.push(std::mem::take(&mut self.ops));
        let total = self.done.len();
        let pages = std::mem::take(&mut self.done);
        for (i, ops) in pages.into_iter().enumerate() {
            self.ops = ops;
            let text = footer(i + 1, total);
            self.text_at(
                PAGE_W - MARGIN_X,
                MARGIN_BOTTOM - 6.0 * MM,
                &text,
                Style::regular(8.0).ink(0.65),
                Align::Right,
            );
            let content = std::mem::take(&mut self.ops);
            self.doc.add_page(PAGE_W, PAGE_H, content);
        }
        self.doc
            .finish(COMPRESSION)
            .map_err(|_| DocumentError::Font)
    }
}

/// A table with fixed column widths, drawn row by row; the header is repeated after every
/// page break.
pub(crate) struct Table {
    pub columns: Vec<(String, f32)>,
    pub style: Style,
    pub header_style: Style,
    pub padding: f32,
}

impl Table {
    /// Draws the header row at the cursor.
    pub(crate) fn header(&self, layout: &mut Layout) -> Result<(), DocumentError> {
        let cells: Vec<Vec<String>> = self
            .columns
            .iter()
            .map(|(title, w)| layout.wrap(title, self.header_style, w - 2.0 * self.padding))
            .collect();
        let h = self.height(&cells, self.header_style, 0.0);
        layout.ensure(h + self.style.leading() * 2.0)?;
        let top = layout.y;
        layout.fill_rect(MARGIN_X, top - h, self.total_width(), h, 0.12);
        self.draw_cells(layout, top, &cells, self.header_style);
        layout.y -= h;
        Ok(())
    }

    /// Draws one row (at least `min_height` tall), starting a new page and repeating the
    /// header when it does not fit. Returns the top and height of the row, so the caller can
    /// draw more into it.
    pub(crate) fn row(
        &self,
        layout: &mut Layout,
        cells: &[String],
        min_height: f32,
        shade: bool,
    ) -> Result<(f32, f32), DocumentError> {
        let wrapped: Vec<Vec<String>> = self
            .columns
            .iter()
            .zip(cells)
            .map(|((_, w), text)| layout.wrap(text, self.style, w - 2.0 * self.padding))
            .collect();
        let h = self.height(&wrapped, self.style, min_height);
        if layout.ensure(h)? {
            self.header(layout)?;
        }
        let top = layout.y;
        if shade {
            layout.fill_rect(MARGIN_X, top - h, self.total_width(), h, 0.05);
        }
        let text_h = self.height(&wrapped, self.style, 0.0);
        self.draw_cells(layout, top - (h - text_h) / 2.0, &wrapped, self.style);
        layout.line(
            MARGIN_X,
            top - h,
            MARGIN_X + self.total_width(),
            top - h,
            0.4,
            0.35,
        );
        layout.y -= h;
        Ok((top, h))
    }

    /// Left edge of column `i`.
    pub(crate) fn column_x(&self, i: usize) -> f32 {
        MARGIN_X + self.columns.iter().take(i).map(|c| c.1).sum::<f32>()
    }

    fn total_width(&self) -> f32 {
        self.columns.iter().map(|c| c.1).sum()
    }

    fn height(&self, cells: &[Vec<String>], style: Style, min: f32) -> f32 {
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        (lines as f32 * style.leading() + 2.0 * self.padding).max(min)
    }

    fn draw_cells(&self, layout: &mut Layout, top: f32, cells: &[Vec<String>], style: Style) {
        for (i, lines) in cells.iter().enumerate() {
            let x = self.column_x(i) + self.padding;
            layout.lines_at(x, top - self.padding, lines, style);
        }
    }
}
