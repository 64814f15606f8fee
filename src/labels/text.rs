//! Text on a label: measurement and truncation with the service's one font set
//! ([`crate::fonts`]), and the placement of the text lines, shared by the SVG, PNG and PDF
//! renderers so that all three truncate and place text the same way.

use crate::fonts::{faces, Face, Faces, Weight};

use super::stock::LabelStock;
use super::LabelError;

/// Millimetres per typographic point.
pub const MM_PER_PT: f64 = 25.4 / 72.0;
/// The asset tag may shrink to this fraction of its nominal size before it is truncated.
pub const MIN_TAG_SCALE: f64 = 0.7;
const ELLIPSIS: char = '\u{2026}';

/// The embedded fonts, parsed once.
pub(crate) fn fonts() -> Result<&'static Faces, LabelError> {
    faces().map_err(|e| LabelError::Render(e.to_string()))
}

/// The face of a line.
pub(crate) fn face(fonts: &Faces, bold: bool) -> &Face {
    fonts.get(Weight::bold_if(bold))
}

/// Width of `text` in mm at `size_pt`, from the glyph advances (no kerning, as in the PDF).
pub(crate) fn text_width_mm(font: &Face, text: &str, size_pt: f64) -> f64 {
    font.width_f64(text, size_pt) * MM_PER_PT
}

/// Replaces characters the font cannot draw (and control characters) so that every renderer
/// shows the same thing: whitespace becomes a space, anything else `?`.
pub(crate) fn sanitize(font: &Face, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_whitespace() || c.is_control() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !font.has_glyph(c) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` if it fits in `max_mm`, otherwise its longest prefix followed by an ellipsis that does.
pub(crate) fn truncate(font: &Face, text: &str, size_pt: f64, max_mm: f64) -> String {
    if text_width_mm(font, text, size_pt) <= max_mm {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 0 {
        n -= 1;
        let mut candidate: String = chars[..n].iter().collect::<String>().trim_end().to_string();
        candidate.push(ELLIPSIS);
        if text_width_mm(font, &candidate, size_pt) <= max_mm {
            return candidate;
        }
    }
    String::new()
}

/// Height of the text block with `lines` lines (the tag plus `lines - 1` smaller lines), in mm.
pub(crate) fn block_height_mm(stock: &LabelStock, lines: usize) -> f64 {
    let l = &stock.layout;
    let small = lines.saturating_sub(1) as f64;
    (l.tag_size_pt + small * l.text_size_pt) * l.line_spacing * MM_PER_PT
}

/// Whether the optional model line fits below tag, owner and kind.
pub(crate) fn model_line_fits(stock: &LabelStock) -> bool {
    let bottom = stock.layout.text_top_mm + block_height_mm(stock, 4);
    bottom <= stock.label_height_mm - stock.safe_margin_y_mm + super::stock::GEOMETRY_TOLERANCE_MM
}

/// One line of text placed on a label, in mm from the label's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextLine {
    pub text: String,
    pub bold: bool,
    pub size_pt: f64,
    pub x_mm: f64,
    pub baseline_mm: f64,
}

/// Lays out the asset tag, owner, kind and (where it fits) model lines.
pub(crate) fn layout_lines(
    stock: &LabelStock,
    tag: &str,
    owner: &str,
    kind: &str,
    model: Option<&str>,
) -> Result<Vec<TextLine>, LabelError> {
    let f = fonts()?;
    let (ascent_em, descent_em) = (
        f64::from(f.bold.ascent_em()),
        f64::from(f.bold.descent_em()),
    );
    let l = &stock.layout;
    let max_w = stock.text_width_mm();
    let mut lines = Vec::with_capacity(4);
    let mut top = l.text_top_mm;
    let mut push = |text: String, bold: bool, size_pt: f64, nominal_pt: f64| {
        // Centre the glyph box (ascent + descent) in the line box of the nominal size, so a
        // shrunk tag keeps its place.
        let line_box = nominal_pt * l.line_spacing * MM_PER_PT;
        let glyph_box = size_pt * (ascent_em + descent_em) * MM_PER_PT;
        let baseline = top + (line_box - glyph_box) / 2.0 + size_pt * ascent_em * MM_PER_PT;
        top += line_box;
        if !text.is_empty() {
            lines.push(TextLine {
                text,
                bold,
                size_pt,
                x_mm: l.text_left_mm,
                baseline_mm: baseline,
            });
        }
    };

    // Asset tag: shrink to fit, down to MIN_TAG_SCALE, then truncate.
    let tag = sanitize(&f.bold, tag);
    let full = text_width_mm(&f.bold, &tag, l.tag_size_pt);
    let mut size = l.tag_size_pt;
    if full > max_w && full > 0.0 {
        size = (l.tag_size_pt * max_w / full).max(l.tag_size_pt * MIN_TAG_SCALE);
    }
    let tag = truncate(&f.bold, &tag, size, max_w);
    push(tag, true, size, l.tag_size_pt);

    let small = l.text_size_pt;
    for text in [owner, kind] {
        let t = truncate(&f.regular, &sanitize(&f.regular, text), small, max_w);
        push(t, false, small, small);
    }
    if let Some(model) = model {
        if model_line_fits(stock) {
            let t = truncate(&f.regular, &sanitize(&f.regular, model), small, max_w);
            push(t, false, small, small);
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_letters_are_in_the_font() {
        let f = fonts().expect("fonts load");
        for c in "éëèçàôüÉŒœ€…ŞșțĳŁł".chars() {
            assert!(f.regular.has_glyph(c), "{c}");
            assert!(f.bold.has_glyph(c), "{c}");
        }
        assert_eq!(sanitize(&f.regular, " Café\tZoë 漢 "), "Café Zoë ?");
    }

    #[test]
    fn truncation_adds_an_ellipsis_and_fits() {
        let f = fonts().expect("fonts load");
        let long = "Lenovo ThinkPad T480s with a very long model description";
        let t = truncate(&f.regular, long, 8.0, 20.0);
        assert!(t.ends_with(ELLIPSIS), "{t}");
        assert!(text_width_mm(&f.regular, &t, 8.0) <= 20.0);
        assert_eq!(truncate(&f.regular, "Laptop", 8.0, 20.0), "Laptop");
    }
}
