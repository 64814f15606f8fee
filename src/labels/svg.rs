//! One label as SVG, in millimetres.

use std::fmt::Write as _;

use super::{check_stock, prepare, qr_rects, LabelData, LabelError, LabelStock};

/// Renders one label as a standalone SVG document whose user unit is the millimetre
/// (`width`/`height` in mm, `viewBox` in mm).
///
/// The QR code is one `<path>` (one sub-path per rectangle of dark modules, crisp edges); the text lines are
/// `<text>` elements in DejaVu Sans (falling back to a sans-serif font), XML-escaped. The
/// label background is a white rectangle with the stock's corner radius.
pub fn render_svg(stock: &LabelStock, label: &LabelData) -> Result<String, LabelError> {
    check_stock(stock)?;
    let p = prepare(stock, label)?;
    let (w, h) = (stock.label_width_mm, stock.label_height_mm);
    let mut s = String::with_capacity(8 * 1024);
    // Writing to a String cannot fail; the results are ignored.
    let _ = write!(
        s,
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">
<title>{}</title>
<rect x="0" y="0" width="{w}" height="{h}" rx="{r}" ry="{r}" fill="#fff"/>
"##,
        escape(&label.asset_tag),
        r = stock.corner_radius_mm,
    );
    let _ = write!(
        s,
        r##"<path fill="#000" shape-rendering="crispEdges" transform="translate({} {}) scale({})" d=""##,
        fmt(p.qr_x_mm),
        fmt(p.qr_y_mm),
        fmt(p.module_mm)
    );
    for (col, row, width, height) in qr_rects(&p.qr) {
        let _ = write!(s, "M{col} {row}h{width}v{height}h-{width}z");
    }
    s.push_str("\"/>\n");
    for line in &p.lines {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-family="'DejaVu Sans', Verdana, sans-serif" font-size="{}" font-weight="{}" fill="#000">{}</text>"##,
            fmt(line.x_mm),
            fmt(line.baseline_mm),
            fmt(line.size_pt * super::MM_PER_PT),
            if line.bold { "bold" } else { "normal" },
            escape(&line.text)
        );
    }
    s.push_str("</svg>\n");
    Ok(s)
}

/// A number with at most 4 decimals and no trailing zeros.
fn fmt(v: f64) -> String {
    let t = format!("{v:.4}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" {
        "0".into()
    } else {
        t.to_string()
    }
}

/// Escapes text for XML character data and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
