//! Sheets (and label-printer rolls) of labels as PDF.

use printpdf::{
    Color, CurTransMat, FontId, Greyscale, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, TextItem, TextMatrix, WindingOrder,
};

use super::text::{BOLD_TTF, MM_PER_PT, REGULAR_TTF};
use super::{check_stock, layout_positions, prepare, qr_rects, LabelData, LabelError, LabelStock};

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

    // Encoding the QR codes is the costly part: spread it over the cores.
    let prepared = parallel_map(labels, |label| prepare(stock, label));
    let mut pages: Vec<Vec<Op>> = (0..page_count)
        .map(|_| vec![Op::SetFillColor { col: black.clone() }])
        .collect();
    for (p, pos) in prepared.into_iter().zip(&positions) {
        let p = p?;
        let Some(ops) = pages.get_mut(pos.page) else {
            return Err(LabelError::Render(
                "label placed beyond the last page".into(),
            ));
        };

        // QR code: a coordinate system in modules, origin at the first module's top-left
        // corner, y downwards, so each rectangle has small integer coordinates.
        let m = (p.module_mm * PT_PER_MM) as f32;
        let tx = ((pos.x_mm + p.qr_x_mm) * PT_PER_MM) as f32;
        let ty = (page_h_pt - (pos.y_mm + p.qr_y_mm) * PT_PER_MM) as f32;
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw([m, 0.0, 0.0, -m, tx, ty]),
        });
        for (col, row, width, height) in qr_rects(&p.qr) {
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(col as f32),
                    y: Pt(row as f32),
                    width: Pt(width as f32),
                    height: Pt(height as f32),
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
    // printpdf compresses every stream at zlib's best (slowest) level; the label content
    // (integer rectangles) compresses nearly as well at a fast level, so compress here.
    let options = PdfSaveOptions {
        subset_fonts: true,
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let mut lo = doc
        .with_pages(pages)
        .to_lopdf_document(&options, &mut warnings);
    let mut streams: Vec<&mut lopdf::Stream> = lo
        .objects
        .values_mut()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s) if s.allows_compression => Some(s),
            _ => None,
        })
        .collect();
    parallel_for_each(&mut streams, |s| compress(s));
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| LabelError::Render(format!("writing the PDF failed: {e}")))?;
    Ok(bytes)
}

/// Deflates a stream that has no filter yet, if that makes it smaller.
fn compress(stream: &mut lopdf::Stream) {
    use std::io::Write as _;
    if stream.dict.get(b"Filter").is_ok() {
        return;
    }
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    if enc.write_all(&stream.content).is_err() {
        return;
    }
    if let Ok(packed) = enc.finish() {
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
}

/// Worker threads for one document: the cores, at most 8.
fn workers(items: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(8).min(items.div_ceil(16)).max(1)
}

/// `items.iter().map(f).collect()`, spread over a few scoped threads.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let n = workers(items.len());
    if n <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(n);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| scope.spawn(move || c.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                // A panic in a worker is a bug; pass it on unchanged.
                Err(e) => std::panic::resume_unwind(e),
            })
            .collect()
    })
}

/// Calls `f` on every item, spread over a few scoped threads.
fn parallel_for_each<T: Send>(items: &mut [T], f: impl Fn(&mut T) + Sync) {
    let n = workers(items.len());
    if n <= 1 {
        items.iter_mut().for_each(f);
        return;
    }
    let chunk = items.len().div_ceil(n);
    let f = &f;
    std::thread::scope(|scope| {
        for c in items.chunks_mut(chunk) {
            scope.spawn(move || c.iter_mut().for_each(f));
        }
    });
}

fn add_font(doc: &mut PdfDocument, bytes: &[u8]) -> Result<FontId, LabelError> {
    let mut warnings = Vec::new();
    let font = ParsedFont::from_bytes(bytes, 0, &mut warnings)
        .ok_or_else(|| LabelError::Render("the embedded label font cannot be read".into()))?;
    Ok(doc.add_font(&font))
}
