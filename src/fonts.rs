//! The one font set of the service and the one way text is measured.
//!
//! DejaVu Sans and DejaVu Sans Bold (`fonts/`, licence beside them) are embedded in the binary
//! and parsed once per process. Every renderer measures with [`Face::width`] (glyph advances,
//! no kerning) and draws the same glyphs: the PDF documents, the label sheets (both embed a
//! subset made by `crate::pdf`), and the PNG and SVG labels.

use std::ops::Range;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef};

/// DejaVu Sans.
const REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
const BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Characters below this have their glyph and advance in a table (Latin up to Latin
/// Extended-B: nearly every character of the three languages and of Belgian names).
const FAST: usize = 0x250;

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

impl Weight {
    /// Bold when `bold` is true.
    pub fn bold_if(bold: bool) -> Self {
        if bold {
            Weight::Bold
        } else {
            Weight::Regular
        }
    }
}

/// The embedded font could not be read (a build problem, not an input problem).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the embedded font {0} cannot be read")]
pub struct FontError(pub &'static str);

/// One parsed face: the glyph outlines and metrics (through `ab_glyph`) and the raw tables a
/// PDF subset is cut from.
pub struct Face {
    /// PostScript name, e.g. `DejaVuSans-Bold`.
    pub name: &'static str,
    pub(crate) font: FontRef<'static>,
    pub(crate) data: &'static [u8],
    units_per_em: f32,
    /// `(glyph id, advance in font units)` of the characters below [`FAST`].
    fast: Vec<(u16, u16)>,
    pub(crate) tables: Tables,
}

/// Where the tables a subset needs lie in the font file, and the glyph offsets.
pub(crate) struct Tables {
    pub head: Range<usize>,
    pub hhea: Range<usize>,
    pub maxp: Range<usize>,
    pub hmtx: Range<usize>,
    pub glyf: Range<usize>,
    /// Offset of each glyph in `glyf` (one more than there are glyphs).
    pub loca: Vec<u32>,
    pub num_h_metrics: usize,
}

impl Face {
    fn parse(name: &'static str, data: &'static [u8]) -> Option<Face> {
        let font = FontRef::try_from_slice(data).ok()?;
        let units_per_em = font.units_per_em()?;
        let tables = Tables::read(data)?;
        let mut face = Face {
            name,
            font,
            data,
            units_per_em,
            fast: Vec::new(),
            tables,
        };
        face.fast = (0..FAST as u32)
            .map(|c| {
                let gid = char::from_u32(c).map_or(0, |c| face.font.glyph_id(c).0);
                (gid, face.advance(gid))
            })
            .collect();
        Some(face)
    }

    /// Font units per em (2048 for DejaVu).
    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// The glyph of `c`, 0 (`.notdef`) when the font has none.
    pub fn glyph(&self, c: char) -> u16 {
        match self.fast.get(c as usize) {
            Some(&(gid, _)) => gid,
            None => self.font.glyph_id(c).0,
        }
    }

    /// Whether the font can draw `c`.
    pub fn has_glyph(&self, c: char) -> bool {
        self.glyph(c) != 0
    }

    /// Advance width of a glyph in font units.
    pub fn advance(&self, gid: u16) -> u16 {
        self.font.h_advance_unscaled(ab_glyph::GlyphId(gid)) as u16
    }

    /// Advance of `c` in font units.
    fn char_advance(&self, c: char) -> u32 {
        match self.fast.get(c as usize) {
            Some(&(_, advance)) => u32::from(advance),
            None => u32::from(self.advance(self.glyph(c))),
        }
    }

    /// Width of `text` at `size` (in whatever unit `size` is: points in, points out), from the
    /// glyph advances, without kerning, as every renderer draws it.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.units(text) as f32 / self.units_per_em * size
    }

    /// [`Face::width`] in double precision, for layouts that shrink text to fit exactly.
    pub fn width_f64(&self, text: &str, size: f64) -> f64 {
        f64::from(self.units(text)) / f64::from(self.units_per_em) * size
    }

    /// Width of `text` in font units.
    fn units(&self, text: &str) -> u32 {
        text.chars().map(|c| self.char_advance(c)).sum()
    }

    /// Ascender as a fraction of the em.
    pub fn ascent_em(&self) -> f32 {
        self.font.ascent_unscaled() / self.units_per_em
    }

    /// Descender (positive, below the baseline) as a fraction of the em.
    pub fn descent_em(&self) -> f32 {
        -self.font.descent_unscaled() / self.units_per_em
    }

    /// Number of glyphs in the font.
    pub fn glyph_count(&self) -> usize {
        self.tables.loca.len().saturating_sub(1)
    }
}

impl Tables {
    fn read(data: &[u8]) -> Option<Tables> {
        let u16_at = |o: usize| Some(u16::from_be_bytes([*data.get(o)?, *data.get(o + 1)?]));
        let u32_at = |o: usize| Some(u32::from_be_bytes(data.get(o..o + 4)?.try_into().ok()?));
        let count = usize::from(u16_at(4)?);
        let find = |tag: &[u8; 4]| -> Option<Range<usize>> {
            (0..count).find_map(|i| {
                let rec = 12 + 16 * i;
                if data.get(rec..rec + 4)? != tag {
                    return None;
                }
                let offset = u32_at(rec + 8)? as usize;
                let length = u32_at(rec + 12)? as usize;
                (offset + length <= data.len()).then_some(offset..offset + length)
            })
        };
        let head = find(b"head")?;
        let hhea = find(b"hhea")?;
        let maxp = find(b"maxp")?;
        let hmtx = find(b"hmtx")?;
        let glyf = find(b"glyf")?;
        let loca_range = find(b"loca")?;
        let long = u16_at(head.start + 50)? == 1;
        let glyphs = usize::from(u16_at(maxp.start + 4)?);
        let loca = (0..=glyphs)
            .map(|i| {
                if long {
                    u32_at(loca_range.start + 4 * i)
                } else {
                    u16_at(loca_range.start + 2 * i).map(|v| u32::from(v) * 2)
                }
            })
            .collect::<Option<Vec<u32>>>()?;
        if loca.windows(2).any(|w| w[0] > w[1]) || *loca.last()? as usize > glyf.len() {
            return None;
        }
        let num_h_metrics = usize::from(u16_at(hhea.start + 34)?);
        Some(Tables {
            head,
            hhea,
            maxp,
            hmtx,
            glyf,
            loca,
            num_h_metrics,
        })
    }
}

/// The two faces.
pub struct Faces {
    /// DejaVu Sans.
    pub regular: Face,
    /// DejaVu Sans Bold.
    pub bold: Face,
}

impl Faces {
    /// The face of `weight`.
    pub fn get(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

/// The embedded faces, parsed on first use.
pub fn faces() -> Result<&'static Faces, FontError> {
    static FACES: OnceLock<Result<Faces, FontError>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Ok(Faces {
                regular: Face::parse("DejaVuSans", REGULAR_TTF)
                    .ok_or(FontError("DejaVuSans.ttf"))?,
                bold: Face::parse("DejaVuSans-Bold", BOLD_TTF)
                    .ok_or(FontError("DejaVuSans-Bold.ttf"))?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The embedded face of `weight`.
pub fn face(weight: Weight) -> Result<&'static Face, FontError> {
    Ok(faces()?.get(weight))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_parse_with_their_tables() {
        let f = faces().expect("fonts");
        for face in [&f.regular, &f.bold] {
            assert_eq!(face.units_per_em(), 2048.0);
            assert!(face.glyph_count() > 3000, "the full DejaVu Sans");
            assert!(face.tables.num_h_metrics <= face.glyph_count());
            assert!((face.ascent_em() - 1901.0 / 2048.0).abs() < 0.01);
            assert!((face.descent_em() - 483.0 / 2048.0).abs() < 0.01);
        }
    }

    #[test]
    fn the_fast_table_agrees_with_the_font() {
        let f = faces().expect("fonts");
        for face in [&f.regular, &f.bold] {
            for c in "Aé€…ŁłȘșĳ Zoë – 漢".chars() {
                assert_eq!(face.glyph(c), face.font.glyph_id(c).0, "{c}");
            }
            let w = face.width("Zoë €", 10.0);
            let by_hand: f32 = "Zoë €"
                .chars()
                .map(|c| face.font.h_advance_unscaled(face.font.glyph_id(c)))
                .sum::<f32>()
                / 2048.0
                * 10.0;
            assert!((w - by_hand).abs() < 1e-3, "{w} {by_hand}");
        }
        assert!(!f.regular.has_glyph('漢'));
        assert!(f.bold.width("GNT-000001", 10.0) > f.regular.width("GNT-000001", 10.0));
    }
}
