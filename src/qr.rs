//! QR code matrices shared by every document that prints one (labels, agreements, pick lists).
//!
//! Error correction is fixed at level M (15 % of the symbol may be damaged), the minimum the
//! label specification allows; the quiet zone of four modules is left to the renderer, which
//! knows the physical size of a module.
//!
//! The `qrcode` crate segments the data, computes the error correction and draws the symbol;
//! the choice among the eight masks (ISO/IEC 18004:2015, 7.8.3: the lowest penalty for runs,
//! 2 × 2 blocks, finder-like patterns and dark/light balance) is made here, on a plain grid,
//! because the crate's own evaluation took most of the time of a 1,000-label sheet.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{bits, ec, EcLevel};

/// Width of the quiet zone on each side, in modules (ISO/IEC 18004).
pub const QUIET_ZONE_MODULES: usize = 4;

/// A square matrix of dark (`true`) and light modules, without quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` with error correction level M, in the smallest version that holds it,
    /// with the mask of lowest penalty.
    pub fn encode(text: &str) -> Result<Self, QrError> {
        let (width, masked) = candidates(text)?;
        let dark = masked
            .into_iter()
            .min_by_key(|dark| penalty(dark, width))
            .ok_or_else(|| QrError("no mask".into()))?;
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

/// The symbol of `text` under each of the eight masks, and its width.
fn candidates(text: &str) -> Result<(usize, Vec<Vec<bool>>), QrError> {
    let err = |e: qrcode::types::QrError| QrError(e.to_string());
    let bits = bits::encode_auto(text.as_bytes(), EcLevel::M).map_err(err)?;
    let version = bits.version();
    let (data, ec_data) =
        ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).map_err(err)?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec_data);
    let width = version.width().max(0) as usize;
    let masked = MASKS
        .iter()
        .map(|mask| {
            let mut c = canvas.clone();
            c.apply_mask(*mask);
            c.into_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect()
        })
        .collect();
    Ok((width, masked))
}

/// The eight masks of a QR code (not Micro QR).
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The penalty of a masked symbol (ISO/IEC 18004:2015, 7.8.3.1): N1 = 3 for a run of five
/// modules of one colour in a row or column, plus 1 per module beyond five; N2 = 3 per 2 × 2
/// block of one colour; N3 = 40 per 1:1:3:1:1 finder-like pattern with four light modules on
/// one side; N4 = 10 per 5 % the dark share is away from half. Symbols up to 64 modules wide
/// (version 11, far more than a label URL needs) are scored a row at a time in machine words.
fn penalty(dark: &[bool], width: usize) -> u32 {
    if width == 0 || width > 64 {
        return penalty_by_module(dark, width);
    }
    let mut rows = vec![0u64; width];
    let mut cols = vec![0u64; width];
    for y in 0..width {
        for x in 0..width {
            if dark[y * width + x] {
                rows[y] |= 1 << x;
                cols[x] |= 1 << y;
            }
        }
    }
    let mut score: u32 = rows
        .iter()
        .chain(&cols)
        .map(|line| line_penalty_bits(*line, width))
        .sum();
    let inner = (1u64 << (width - 1)) - 1;
    for pair in rows.windows(2) {
        let same_down = !(pair[0] ^ pair[1]);
        let same_right = !(pair[0] ^ (pair[0] >> 1));
        score += 3 * (same_down & (same_down >> 1) & same_right & inner).count_ones();
    }
    let dark_count: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let percent = i64::from(dark_count * 100 / (width * width) as u32);
    score + 10 * ((percent - 50).unsigned_abs() as u32 / 5)
}

/// N1 and N3 of one row or column of `width` modules, module `i` in bit `i`.
fn line_penalty_bits(line: u64, width: usize) -> u32 {
    const FINDER: u64 = 0b101_1101; // 1:1:3:1:1, the same read either way
    let mut score = 0;
    let mut run = 0;
    let mut previous = 2;
    for i in 0..width {
        let module = (line >> i) & 1;
        if module == previous {
            run += 1;
        } else {
            run = 1;
            previous = module;
        }
        if run == 5 {
            score += 3;
        } else if run > 5 {
            score += 1;
        }
    }
    for i in 0..width.saturating_sub(6) {
        if (line >> i) & 0x7F == FINDER
            && ((i >= 4 && (line >> (i - 4)) & 0xF == 0)
                || (i + 11 <= width && (line >> (i + 7)) & 0xF == 0))
        {
            score += 40;
        }
    }
    score
}

/// [`penalty`] module by module, for symbols of any width.
fn penalty_by_module(dark: &[bool], width: usize) -> u32 {
    let mut score = 0;
    let mut line = vec![false; width];
    for i in 0..width {
        for vertical in [false, true] {
            for (j, m) in line.iter_mut().enumerate() {
                *m = if vertical {
                    dark[j * width + i]
                } else {
                    dark[i * width + j]
                };
            }
            score += line_penalty(&line);
        }
    }
    for y in 0..width.saturating_sub(1) {
        for x in 0..width - 1 {
            let c = dark[y * width + x];
            if dark[y * width + x + 1] == c
                && dark[(y + 1) * width + x] == c
                && dark[(y + 1) * width + x + 1] == c
            {
                score += 3;
            }
        }
    }
    let total = dark.len().max(1);
    let dark_count = dark.iter().filter(|d| **d).count();
    let percent = (dark_count * 100 / total) as i64;
    score + 10 * ((percent - 50).unsigned_abs() as u32 / 5)
}

/// N1 and N3 of one row or column.
fn line_penalty(line: &[bool]) -> u32 {
    const FINDER: [bool; 7] = [true, false, true, true, true, false, true];
    let mut score = 0;
    let mut run = 0;
    for (i, m) in line.iter().enumerate() {
        if i > 0 && *m == line[i - 1] {
            run += 1;
        } else {
            run = 1;
        }
        if run == 5 {
            score += 3;
        } else if run > 5 {
            score += 1;
        }
    }
    let light = |r: std::ops::Range<usize>| line.get(r).is_some_and(|s| s.iter().all(|m| !m));
    for i in 0..line.len().saturating_sub(6) {
        if line[i..i + 7] == FINDER && ((i >= 4 && light(i - 4..i)) || light(i + 7..i + 11)) {
            score += 40;
        }
    }
    score
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
    fn penalties_follow_the_standard() {
        // A row of 7 dark modules: N1 = 3 + 2.
        assert_eq!(line_penalty(&[true; 7]), 5);
        // A finder-like pattern with 4 light modules after it: N3 = 40 (+ N1 of the light run
        // is below five).
        let mut line = vec![true, false, true, true, true, false, true];
        line.extend([false; 4]);
        assert_eq!(line_penalty(&line), 40);
        // An all-dark 2 × 2 symbol: 2 rows and 2 columns without runs of five, one block,
        // 100 % dark.
        assert_eq!(penalty(&[true; 4], 2), 3 + 100);
        assert_eq!(penalty_by_module(&[true; 4], 2), 3 + 100);
    }

    #[test]
    fn word_and_module_scoring_agree() {
        for url in [
            "https://uitleen.gent.be/d/GNT-000123",
            "x",
            &"https://digilend.example.be/".repeat(6),
        ] {
            let (width, all) = candidates(url).expect("encodes");
            assert!(width <= 64);
            for dark in &all {
                assert_eq!(
                    penalty(dark, width),
                    penalty_by_module(dark, width),
                    "{url}"
                );
            }
        }
    }

    #[test]
    fn the_mask_of_lowest_penalty_is_chosen() {
        let url = "https://uitleen.gent.be/d/GNT-000123";
        let m = QrMatrix::encode(url).expect("encodes");
        let chosen = penalty(&m.dark, m.width);
        let (width, all) = candidates(url).expect("encodes");
        assert_eq!(width, m.width);
        assert_eq!(all.len(), 8);
        assert!(all.contains(&m.dark));
        assert!(all.iter().all(|d| chosen <= penalty(d, width)));
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
