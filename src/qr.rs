//! QR code matrices shared by every document that prints one (labels, agreements, pick lists).
//!
//! Error correction is fixed at level M (15 % of the symbol may be damaged), the minimum the
//! label specification allows; the quiet zone of four modules is left to the renderer, which
//! knows the physical size of a module.

use qrcode::{Color, EcLevel, QrCode};

/// Width of the quiet zone on each side, in modules (ISO/IEC 18004).
pub const QUIET_ZONE_MODULES: usize = 4;

/// A square matrix of dark (`true`) and light modules, without quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` with error correction level M.
    pub fn encode(text: &str) -> Result<Self, QrError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|e| QrError(e.to_string()))?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(Self { width, dark })
    }

    /// Number of modules along one side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Number of modules along one side including the quiet zone on both sides.
    pub fn width_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE_MODULES
    }

    /// Whether the module at column `x`, row `y` is dark; out-of-range positions are light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Horizontal runs of dark modules per row as `(row, first column, length)`, which lets
    /// vector renderers draw one rectangle per run instead of one per module.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((y, start, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }
}

/// The text could not be encoded (far too long for any QR version).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot encode QR code: {0}")]
pub struct QrError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_url_stays_at_a_low_version() {
        let m = QrMatrix::encode("https://uitleen.gent.be/d/GNT-000123").expect("encodes");
        // Version 3 is 29 modules wide; a short label URL must not need more.
        assert!(m.width() <= 29, "width {}", m.width());
        assert_eq!(m.width_with_quiet_zone(), m.width() + 8);
    }

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let m = QrMatrix::encode("GNT-000001").expect("encodes");
        let in_runs: usize = m.dark_runs().iter().map(|r| r.2).sum();
        let dark = (0..m.width())
            .flat_map(|y| (0..m.width()).map(move |x| (x, y)))
            .filter(|&(x, y)| m.is_dark(x, y))
            .count();
        assert_eq!(in_runs, dark);
        assert!(dark > 0);
    }
}
