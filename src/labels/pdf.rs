//! Sheets (and label-printer rolls) of labels as PDF.

use printpdf::{
    Color, CurTransMat, FontId, Greyscale, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, TextItem, TextMatrix, WindingOrder,
};

use super::text::{BOLD_TTF, MM_PER_PT, REGULAR_TTF};
use super::{check_stock, layout_positions, prepare, LabelData, LabelError, LabelStock};

/// Points per millimetre.
const PT_PER_MM: f64 = 1.0 / MM_PER_PT;

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

    let mut doc = PdfDocument::new(&format!("Labels – {}", stock.name));
    let regular = add_font(&mut doc, REGULAR_TTF)?;
    let bold = add_font(&mut doc, BOLD_TTF)?;
    let page_h_pt = stock.page_height_mm * PT_PER_MM;
    let black = Color::Greyscale(Greyscale {
        percent: 0.0,
        icc_profile: None,
    });

    let mut pages: Vec<Vec<Op>> = (0..page_count)
        .map(|_| vec![Op::SetFillColor { col: black.clone() }])
        .collect();
    for (label, pos) in labels.iter().zip(&positions) {
        let p = prepare(stock, label)?;
        let Some(ops) = pages.get_mut(pos.page) else {
            return Err(LabelError::Render(
                "label placed beyond the last page".into(),
            ));
        };

        // QR code: a coordinate system in modules, origin at the first module's top-left
        // corner, y downwards, so each run is a rectangle with small integer coordinates.
        let m = (p.module_mm * PT_PER_MM) as f32;
        let tx = ((pos.x_mm + p.qr_x_mm) * PT_PER_MM) as f32;
        let ty = (page_h_pt - (pos.y_mm + p.qr_y_mm) * PT_PER_MM) as f32;
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw([m, 0.0, 0.0, -m, tx, ty]),
        });
        for (row, col, len) in p.qr.dark_runs() {
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(col as f32),
                    y: Pt(row as f32),
                    width: Pt(len as f32),
                    height: Pt(1.0),
                    mode: Some(PaintMode::Fill),
                    winding_order: Some(WindingOrder::NonZero),
                },
            });
        }
        ops.push(Op::RestoreGraphicsState);

        if p.lines.is_empty() {
            continue;
        }
        ops.push(Op::StartTextSection);
        for line in &p.lines {
            let font = if line.bold { &bold } else { &regular };
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(font.clone()),
                size: Pt(line.size_pt as f32),
            });
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(
                    Pt(((pos.x_mm + line.x_mm) * PT_PER_MM) as f32),
                    Pt((page_h_pt - (pos.y_mm + line.baseline_mm) * PT_PER_MM) as f32),
                ),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(line.text.clone())],
            });
        }
        ops.push(Op::EndTextSection);
    }

    let (w, h) = (
        Mm(stock.page_width_mm as f32),
        Mm(stock.page_height_mm as f32),
    );
    let pages = pages
        .into_iter()
        .map(|ops| PdfPage::new(w, h, ops))
        .collect();
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let bytes = doc.with_pages(pages).save(&options, &mut warnings);
    if bytes.is_empty() {
        return Err(LabelError::Render("the PDF writer produced nothing".into()));
    }
    Ok(bytes)
}

fn add_font(doc: &mut PdfDocument, bytes: &[u8]) -> Result<FontId, LabelError> {
    let mut warnings = Vec::new();
    let font = ParsedFont::from_bytes(bytes, 0, &mut warnings)
        .ok_or_else(|| LabelError::Render("the embedded label font cannot be read".into()))?;
    Ok(doc.add_font(&font))
}
