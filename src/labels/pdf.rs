//! Sheets (and label-printer rolls) of labels as PDF.

use super::text::{face, fonts, MM_PER_PT};
use super::{check_stock, layout_positions, prepare, qr_rects, LabelData, LabelError, LabelStock};
use crate::fonts::Weight;
use crate::pdf::{parallel_map, Content, Pdf};

/// Points per millimetre.
const PT_PER_MM: f64 = 1.0 / MM_PER_PT;

/// zlib level of the page contents: the fast level packs the integer rectangles of the QR
/// codes nearly as small as the default and is several times quicker.
const COMPRESSION: u32 = 1;

/// Renders `labels` as a PDF for `stock`.
///
/// Sheet stocks: labels fill the sheet row by row, left to right, starting after the first
/// `skip` positions of the first page (to reuse a partly used sheet), on as many pages as
/// needed; every page has the stock's page size. Label-printer stocks: one page per label, the
/// page being the label; `skip` must be 0.
///
/// QR codes are vector rectangles (one per run of dark modules), text uses DejaVu Sans
/// embedded as a subset. Nothing else is drawn (no label outlines), so a slightly misaligned
/// printer does not show cut lines. Fails on the first label that cannot be rendered
/// (see [`LabelError`]); nothing is produced then.
pub fn render_pdf(
    stock: &LabelStock,
    labels: &[LabelData],
    skip: usize,
) -> Result<Vec<u8>, LabelError> {
    check_stock(stock)?;
    if labels.is_empty() {
        return Err(LabelError::NoLabels);
    }
    let positions = layout_positions(stock, labels.len(), skip)?;
    let page_count = positions.last().map_or(0, |p| p.page + 1);

    let f = fonts()?;
    let page_h_pt = stock.page_height_mm * PT_PER_MM;

    // Prepare the labels (encoding the QR codes) on all cores, number the glyphs of their text
    // in order, then write each page's content, also on all cores.
    let prepared = parallel_map(labels, |label| prepare(stock, label));
    let mut doc = Pdf::new(&format!("Labels – {}", stock.name));
    let mut on_page: Vec<Vec<(usize, &super::PreparedLabel)>> = vec![Vec::new(); page_count];
    for (i, (p, pos)) in prepared.iter().zip(&positions).enumerate() {
        let p = p.as_ref().map_err(Clone::clone)?;
        for line in &p.lines {
            let weight = Weight::bold_if(line.bold);
            doc.fonts.register(f.get(weight), weight, &line.text);
        }
        let Some(list) = on_page.get_mut(pos.page) else {
            return Err(LabelError::Render(
                "label placed beyond the last page".into(),
            ));
        };
        list.push((i, p));
    }
    let fonts = &doc.fonts;
    let pages = parallel_map(&on_page, |list| {
        // Every glyph is numbered already: this copy gives the same numbers.
        let mut fonts = fonts.clone();
        let mut ops = Content::with_capacity(list.len() * 2048);
        ops.fill_ink(1.0);
        for (i, p) in list {
            let pos = &positions[*i];
            // QR code: a coordinate system in modules, origin at the first module's top-left
            // corner, y downwards, so each rectangle has small integer coordinates.
            let m = (p.module_mm * PT_PER_MM) as f32;
            let tx = ((pos.x_mm + p.qr_x_mm) * PT_PER_MM) as f32;
            let ty = (page_h_pt - (pos.y_mm + p.qr_y_mm) * PT_PER_MM) as f32;
            ops.save();
            ops.transform([m, 0.0, 0.0, -m, tx, ty]);
            for (col, row, width, height) in qr_rects(&p.qr) {
                ops.rect_int(col, row, width, height);
            }
            ops.fill();
            ops.restore();
            for line in &p.lines {
                ops.text(
                    &mut fonts,
                    face(f, line.bold),
                    Weight::bold_if(line.bold),
                    line.size_pt as f32,
                    ((pos.x_mm + line.x_mm) * PT_PER_MM) as f32,
                    (page_h_pt - (pos.y_mm + line.baseline_mm) * PT_PER_MM) as f32,
                    &line.text,
                );
            }
        }
        ops
    });

    let (w, h) = (
        (stock.page_width_mm * PT_PER_MM) as f32,
        (stock.page_height_mm * PT_PER_MM) as f32,
    );
    for ops in pages {
        doc.add_page(w, h, ops);
    }
    doc.finish(COMPRESSION)
        .map_err(|e| LabelError::Render(e.to_string()))
}
