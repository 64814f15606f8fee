//! One label as a greyscale PNG.

use ab_glyph::{point, Font, PxScale};
use image::{GrayImage, ImageEncoder, Luma};

use super::text::{face, fonts, MM_PER_PT};
use super::{check_stock, prepare, LabelData, LabelError, LabelStock};
use crate::qr::QUIET_ZONE_MODULES;

/// Lowest resolution accepted by [`render_png`].
pub const MIN_DPI: u32 = 72;
/// Highest resolution accepted by [`render_png`].
pub const MAX_DPI: u32 = 1200;

/// Renders one label as an 8-bit greyscale PNG at `dpi` dots per inch.
///
/// The image is the label's size at that resolution. QR modules are whole pixel blocks of the
/// same size (`floor(QR side in px / modules with quiet zone)`, so at least 4 px at 300 dpi),
/// with hard edges; the code is centred in the QR area of the template, so it can come out
/// up to one module smaller than in the PDF. Text is rasterised with anti-aliasing from the
/// embedded DejaVu Sans.
pub fn render_png(stock: &LabelStock, label: &LabelData, dpi: u32) -> Result<Vec<u8>, LabelError> {
    if !(MIN_DPI..=MAX_DPI).contains(&dpi) {
        return Err(LabelError::InvalidDpi {
            dpi,
            min: MIN_DPI,
            max: MAX_DPI,
        });
    }
    check_stock(stock)?;
    let p = prepare(stock, label)?;
    let px_per_mm = f64::from(dpi) / 25.4;
    let px = |mm: f64| (mm * px_per_mm).round().max(0.0) as u32;
    let (w, h) = (
        px(stock.label_width_mm).max(1),
        px(stock.label_height_mm).max(1),
    );
    let mut img = GrayImage::from_pixel(w, h, Luma([255]));

    // QR code: integer pixels per module, centred in the template's QR box.
    let l = &stock.layout;
    let total_modules = p.qr.width_with_quiet_zone() as u32;
    let box_px = (l.qr_size_mm * px_per_mm).floor() as u32;
    let module_px = box_px / total_modules;
    if module_px == 0 {
        return Err(LabelError::Render(format!(
            "{dpi} dpi is too coarse to draw the QR code on {}",
            stock.id
        )));
    }
    let slack = (box_px - module_px * total_modules) / 2;
    let quiet = QUIET_ZONE_MODULES as u32 * module_px;
    let x0 = px(l.qr_left_mm) + slack + quiet;
    let y0 = px(l.qr_top_mm) + slack + quiet;
    for (row, col, len) in p.qr.dark_runs() {
        let top = y0 + row as u32 * module_px;
        let left = x0 + col as u32 * module_px;
        for y in top..(top + module_px).min(h) {
            for x in left..(left + len as u32 * module_px).min(w) {
                img.put_pixel(x, y, Luma([0]));
            }
        }
    }

    // Text.
    let f = fonts()?;
    for line in &p.lines {
        let font = &face(f, line.bold).font;
        let upem = font.units_per_em().unwrap_or(2048.0);
        let px_per_em = (line.size_pt * MM_PER_PT * px_per_mm) as f32;
        // ab_glyph scales by the font's height (ascent - descent), not by the em.
        let scale = PxScale::from(px_per_em * font.height_unscaled() / upem);
        let mut pen_x = (line.x_mm * px_per_mm) as f32;
        let baseline = (line.baseline_mm * px_per_mm) as f32;
        for c in line.text.chars() {
            let id = font.glyph_id(c);
            let glyph = id.with_scale_and_position(scale, point(pen_x, baseline));
            pen_x += font.h_advance_unscaled(id) * px_per_em / upem;
            if let Some(outline) = font.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                outline.draw(|gx, gy, coverage| {
                    let x = bounds.min.x as i64 + i64::from(gx);
                    let y = bounds.min.y as i64 + i64::from(gy);
                    if x < 0 || y < 0 || x >= i64::from(w) || y >= i64::from(h) {
                        return;
                    }
                    let ink = (255.0 * (1.0 - coverage.clamp(0.0, 1.0))).round() as u8;
                    let pixel = img.get_pixel_mut(x as u32, y as u32);
                    pixel.0[0] = pixel.0[0].min(ink);
                });
            }
        }
    }

    let mut out = Vec::with_capacity((w * h / 8) as usize);
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::L8)
        .map_err(|e| LabelError::Render(format!("PNG encoding failed: {e}")))?;
    Ok(out)
}
