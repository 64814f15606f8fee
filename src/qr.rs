//! QR code matrices shared by every document that prints one (labels, agreements, pick lists).
//!
//! Error correction is fixed at level M (15 % of the symbol may be damaged), the minimum the
//! label specification allows; the quiet zone of four modules is left to the renderer, which
//! knows the physical size of a module.
//!
//! The `qrcode` crate segments the data, computes the error correction and draws the function
//! patterns and the data; the choice among the eight masks (ISO/IEC 18004:2015, 7.8.3: the
//! lowest penalty for runs, 2 × 2 blocks, finder-like patterns and dark/light balance) is made
//! here, because the crate's own evaluation took most of the time of a 1,000-label sheet. For
//! symbols up to 64 modules wide each row and column is a machine word: the eight masked
//! symbols are one XOR per word away from a per-version template (function patterns, format
//! information and mask, drawn once by the crate), and the penalty of a whole row is a few
//! shifts and bit counts.

use std::sync::OnceLock;

use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{bits, ec, EcLevel, Version};

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
        let (version, data, ec_data) = codewords(text)?;
        let width = version.width().max(0) as usize;
        let Some(template) = template(version) else {
            // Wider than a machine word: the slow path, module by module.
            let dark = candidates_of(version, &data, &ec_data)
                .into_iter()
                .min_by_key(|dark| penalty_by_module(dark, width))
                .ok_or_else(|| QrError("no mask".into()))?;
            return Ok(Self { width, dark });
        };
        let symbols = template.symbols(&data, &ec_data);
        let best = symbols
            .iter()
            .min_by_key(|s| penalty_words(&s.rows[..width], &s.cols[..width], width))
            .ok_or_else(|| QrError("no mask".into()))?;
        Ok(Self {
            width,
            dark: best.to_modules(width),
        })
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
        for (y, row) in self.dark.chunks(self.width.max(1)).enumerate() {
            let mut x = 0;
            while x < row.len() {
                if row[x] {
                    let start = x;
                    while x < row.len() && row[x] {
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

/// The data and error correction codewords of `text` at level M, and the smallest version
/// that holds them.
fn codewords(text: &str) -> Result<(Version, Vec<u8>, Vec<u8>), QrError> {
    let err = |e: qrcode::types::QrError| QrError(e.to_string());
    let bits = bits::encode_auto(text.as_bytes(), EcLevel::M).map_err(err)?;
    let version = bits.version();
    let (data, ec_data) =
        ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).map_err(err)?;
    Ok((version, data, ec_data))
}

/// The symbol under each of the eight masks as the `qrcode` crate draws it, module by module
/// (the reference for the word-wise drawing, and the path for symbols wider than a word).
fn candidates_of(version: Version, data: &[u8], ec_data: &[u8]) -> Vec<Vec<bool>> {
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(data, ec_data);
    MASKS
        .iter()
        .map(|mask| {
            let mut c = canvas.clone();
            c.apply_mask(*mask);
            c.into_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect()
        })
        .collect()
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

/// Symbols up to this many modules wide (version 11, 61 modules; far more than a label URL
/// needs) are drawn and scored a row or column at a time, module `i` in bit `i` of a word.
const WORD: usize = 64;

/// The highest version whose symbol fits in [`WORD`] modules.
const WORD_VERSIONS: usize = 11;

/// A symbol as words: row `y` has column `x` in bit `x`, column `x` has row `y` in bit `y`.
#[derive(Clone)]
struct Words {
    rows: [u64; WORD],
    cols: [u64; WORD],
}

impl Words {
    const EMPTY: Words = Words {
        rows: [0; WORD],
        cols: [0; WORD],
    };

    fn set(&mut self, x: usize, y: usize) {
        self.rows[y] |= 1 << x;
        self.cols[x] |= 1 << y;
    }

    fn xor(&self, other: &Words) -> Words {
        let mut out = Words::EMPTY;
        for i in 0..WORD {
            out.rows[i] = self.rows[i] ^ other.rows[i];
            out.cols[i] = self.cols[i] ^ other.cols[i];
        }
        out
    }

    fn to_modules(&self, width: usize) -> Vec<bool> {
        let mut dark = Vec::with_capacity(width * width);
        for row in &self.rows[..width] {
            dark.extend((0..width).map(|x| row >> x & 1 == 1));
        }
        dark
    }
}

/// What every symbol of one version shares: its function patterns (drawn by the crate), and
/// for each mask the symbol with no data, i.e. the function patterns, the format information
/// of that mask, and the mask itself where data goes.
struct Template {
    version: Version,
    functional: Canvas,
    masked: Vec<Words>,
}

impl Template {
    fn new(version: Version) -> Self {
        let width = version.width().max(0) as usize;
        let mut functional = Canvas::new(version, EcLevel::M);
        functional.draw_all_functional_patterns();
        let masked = MASKS
            .iter()
            .map(|mask| {
                let mut c = functional.clone();
                // Masking an empty module gives the mask's own colour there.
                c.apply_mask(*mask);
                words_where(&c, width, |m| m.is_dark())
            })
            .collect();
        Self {
            version,
            functional,
            masked,
        }
    }

    /// The symbol of these codewords under each mask: a data module is its bit XOR the mask,
    /// which is the template's module XOR the data bit.
    fn symbols(&self, data: &[u8], ec_data: &[u8]) -> Vec<Words> {
        let width = self.version.width().max(0) as usize;
        let mut canvas = self.functional.clone();
        canvas.draw_data(data, ec_data);
        let dark_data = words_where(&canvas, width, |m| {
            m == Module::Unmasked(qrcode::Color::Dark)
        });
        self.masked.iter().map(|t| t.xor(&dark_data)).collect()
    }
}

/// The modules of `canvas` for which `pick` holds, as words.
fn words_where(canvas: &Canvas, width: usize, pick: impl Fn(Module) -> bool) -> Words {
    let mut words = Words::EMPTY;
    for y in 0..width {
        for x in 0..width {
            // Widths up to 64 fit in an i16.
            if pick(canvas.get(x as i16, y as i16)) {
                words.set(x, y);
            }
        }
    }
    words
}

/// The template of `version`, made on first use; `None` for symbols wider than a word.
fn template(version: Version) -> Option<&'static Template> {
    static TEMPLATES: [OnceLock<Template>; WORD_VERSIONS] =
        [const { OnceLock::new() }; WORD_VERSIONS];
    let Version::Normal(n) = version else {
        return None;
    };
    let slot = TEMPLATES.get(usize::try_from(n).ok()?.checked_sub(1)?)?;
    Some(slot.get_or_init(|| Template::new(version)))
}

/// The penalty of a masked symbol (ISO/IEC 18004:2015, 7.8.3.1), from its rows and columns
/// as words: N1 = 3 for a run of five modules of one colour in a row or column, plus 1 per
/// module beyond five; N2 = 3 per 2 × 2 block of one colour; N3 = 40 per 1:1:3:1:1
/// finder-like pattern with four light modules on one side; N4 = 10 per 5 % the dark share
/// is away from half.
fn penalty_words(rows: &[u64], cols: &[u64], width: usize) -> u32 {
    if width == 0 {
        return 0;
    }
    let full = u64::MAX >> (64 - width.min(64));
    let mut score: u32 = rows
        .iter()
        .chain(cols)
        .map(|line| line_penalty_word(*line, full))
        .sum();
    // Bit x: modules x and x + 1 exist.
    let inner = full >> 1;
    for pair in rows.windows(2) {
        let same_down = !(pair[0] ^ pair[1]);
        let same_right = !(pair[0] ^ (pair[0] >> 1));
        score += 3 * (same_down & (same_down >> 1) & same_right & inner).count_ones();
    }
    let dark_count: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let percent = i64::from(dark_count * 100 / (width * width) as u32);
    score + 10 * ((percent - 50).unsigned_abs() as u32 / 5)
}

/// N1 and N3 of one row or column, module `i` in bit `i`, `full` having a bit per module.
/// All positions are tested at once: bit `i` of `same` says module `i + 1` has the colour
/// of module `i`, so bit `i` of `run5` says modules `i..i + 5` share one colour. A run of
/// `n` ≥ 5 modules holds `n - 4` such windows and costs `n - 2`: the windows plus 2 at its
/// start.
fn line_penalty_word(line: u64, full: u64) -> u32 {
    let dark = line & full;
    let light = !line & full;
    let same = !(dark ^ (dark >> 1)) & (full >> 1);
    let run5 = same & (same >> 1) & (same >> 2) & (same >> 3);
    let n1 = run5.count_ones() + 2 * (run5 & !(run5 << 1)).count_ones();
    // Dark, light, dark × 3, light, dark from bit i on (1:1:3:1:1).
    let finder =
        dark & (light >> 1) & (dark >> 2) & (dark >> 3) & (dark >> 4) & (light >> 5) & (dark >> 6);
    let light4 = light & (light >> 1) & (light >> 2) & (light >> 3);
    // Four light modules just before the pattern (inside the symbol) or just after it.
    let n3 = (finder & ((light4 << 4) | (light4 >> 7))).count_ones();
    n1 + 40 * n3
}

/// The penalty of a symbol given module by module (row after row), for symbols of any
/// width: the reference the word-wise scoring is tested against.
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

    /// A grid given module by module, as words.
    fn words_of(dark: &[bool], width: usize) -> Words {
        let mut w = Words::EMPTY;
        for (i, d) in dark.iter().enumerate() {
            if *d {
                w.set(i % width, i / width);
            }
        }
        w
    }

    fn word_penalty(dark: &[bool], width: usize) -> u32 {
        let w = words_of(dark, width);
        penalty_words(&w.rows[..width], &w.cols[..width], width)
    }

    /// Texts whose symbols are versions 1 to 13 (the last two wider than a word).
    fn texts_of_every_size() -> Vec<String> {
        let mut texts = vec![
            "x".to_string(),
            "https://uitleen.gent.be/d/GNT-000123".to_string(),
            "https://digilend.example.be/d/ANT-7?x=1&y=é".to_string(),
        ];
        texts.extend((1..=13).map(|n| "https://a.be/".repeat(n * 2)));
        texts
    }

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
        assert_eq!(line_penalty_word(0x7F, 0x7F), 5);
        // Two runs of five (dark, then light) and one of four: 3 + 3.
        assert_eq!(line_penalty_word(0b11_1100_0001_1111, 0x3FFF), 6);
        // A finder-like pattern with 4 light modules after it: N3 = 40 (+ N1 of the light run
        // is below five).
        let mut line = vec![true, false, true, true, true, false, true];
        line.extend([false; 4]);
        assert_eq!(line_penalty(&line), 40);
        assert_eq!(line_penalty_word(0b101_1101, 0x7FF), 40);
        // The same pattern with its four light modules before it, and with only three.
        assert_eq!(line_penalty_word(0b101_1101 << 4, 0x7FF), 40);
        assert_eq!(line_penalty_word(0b101_1101 << 3, 0x3FF), 0);
        // An all-dark 2 × 2 symbol: 2 rows and 2 columns without runs of five, one block,
        // 100 % dark.
        assert_eq!(word_penalty(&[true; 4], 2), 3 + 100);
        assert_eq!(penalty_by_module(&[true; 4], 2), 3 + 100);
    }

    #[test]
    fn word_and_module_scoring_agree_on_any_grid() {
        // Pseudo-random grids of every width a word holds, from sparse to dense, so that runs
        // and finder-like patterns meet the edges of the symbol.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for width in 1..=WORD {
            for density in [2, 4, 8, 12, 14] {
                let dark: Vec<bool> = (0..width * width).map(|_| next() % 16 < density).collect();
                assert_eq!(
                    word_penalty(&dark, width),
                    penalty_by_module(&dark, width),
                    "width {width}, density {density}/16"
                );
            }
        }
    }

    #[test]
    fn word_drawing_gives_the_crates_eight_symbols() {
        for text in texts_of_every_size() {
            let (version, data, ec_data) = codewords(&text).expect("encodes");
            let width = version.width() as usize;
            let reference = candidates_of(version, &data, &ec_data);
            let Some(template) = template(version) else {
                assert!(width > WORD, "{text}");
                continue;
            };
            let ours: Vec<Vec<bool>> = template
                .symbols(&data, &ec_data)
                .iter()
                .map(|s| s.to_modules(width))
                .collect();
            assert_eq!(ours, reference, "{version:?}");
            for dark in &reference {
                assert_eq!(
                    word_penalty(dark, width),
                    penalty_by_module(dark, width),
                    "{version:?}"
                );
            }
        }
    }

    #[test]
    fn the_mask_of_lowest_penalty_is_chosen() {
        let mut texts = texts_of_every_size();
        texts.extend((1..=300).map(|i| format!("https://uitleen.gent.be/d/GNT-{i:06}")));
        let mut masks_seen = [false; 8];
        for text in texts {
            let m = QrMatrix::encode(&text).expect("encodes");
            let (version, data, ec_data) = codewords(&text).expect("encodes");
            let all = candidates_of(version, &data, &ec_data);
            assert_eq!(m.width, version.width() as usize);
            // The first of the lowest, scored module by module on the crate's symbols.
            let best = all
                .iter()
                .enumerate()
                .min_by_key(|(_, d)| penalty_by_module(d, m.width))
                .map(|(i, _)| i)
                .expect("eight masks");
            assert_eq!(m.dark, all[best], "{text}");
            masks_seen[best] = true;
        }
        assert!(
            masks_seen.iter().filter(|s| **s).count() >= 4,
            "the sample exercises several masks: {masks_seen:?}"
        );
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
