//! TrueType subsets for embedding: the glyphs a document uses, renumbered from 1 in the order
//! the document first drew them.
//!
//! Text is written with the new numbers (character ids equal the subset's glyph ids, so
//! `CIDToGIDMap` is `/Identity`), which keeps the subset's `loca` and `hmtx` as short as the
//! glyph list. Components of composite glyphs are appended after the glyphs drawn and the
//! references to them rewritten. The tables are those a PDF viewer needs for a CID-keyed
//! TrueType font (ISO 32000-1, 9.9): `head`, `hhea`, `maxp`, `hmtx`, `loca` and `glyf`. The
//! hinting instructions are left out (more than half of DejaVu's glyph data): they only
//! adjust outlines to the pixel grid of small screens, and viewers hint without them.

use crate::fonts::Face;

/// Marks a glyph id that has no number in the subset yet.
const NONE: u16 = u16::MAX;

/// The glyphs of one face a document has drawn, with the character each was drawn for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Glyphs {
    /// New number of each glyph id of the full font ([`NONE`] if not drawn).
    new_of: Vec<u16>,
    /// `(glyph id, character)` of subset glyph `i + 1`.
    pub(crate) drawn: Vec<(u16, char)>,
}

impl Glyphs {
    /// The subset number of `gid`, drawn for `c`, giving it the next number on first use.
    /// `.notdef` stays 0.
    pub(crate) fn number(&mut self, gid: u16, c: char) -> u16 {
        if gid == 0 {
            return 0;
        }
        let i = usize::from(gid);
        if self.new_of.len() <= i {
            self.new_of.resize(i + 1, NONE);
        }
        if self.new_of[i] == NONE {
            self.drawn.push((gid, c));
            self.new_of[i] = self.drawn.len() as u16;
        }
        self.new_of[i]
    }

    /// The subset number of `gid` if it has one (0, `.notdef`, if not).
    #[cfg(test)]
    pub(crate) fn lookup(&self, gid: u16) -> u16 {
        match self.new_of.get(usize::from(gid)) {
            Some(&n) if n != NONE => n,
            _ => 0,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.drawn.is_empty()
    }
}

fn be16(data: &[u8], at: usize) -> u16 {
    match data.get(at..at + 2) {
        Some(b) => u16::from_be_bytes([b[0], b[1]]),
        None => 0,
    }
}

/// The outline bytes of `gid`.
fn glyph_data(face: &Face, gid: u16) -> &'static [u8] {
    let t = &face.tables;
    let i = usize::from(gid);
    match (t.loca.get(i), t.loca.get(i + 1)) {
        (Some(&start), Some(&end)) => face
            .data
            .get(t.glyf.start + start as usize..t.glyf.start + end as usize)
            .unwrap_or(&[]),
        _ => &[],
    }
}

/// Offsets (in the glyph's data) of the glyph ids of a composite glyph's components.
fn component_offsets(data: &[u8]) -> Vec<usize> {
    let mut offsets = Vec::new();
    if data.len() < 10 || (be16(data, 0) as i16) >= 0 {
        return offsets;
    }
    let mut at = 10;
    while at + 4 <= data.len() {
        let flags = be16(data, at);
        offsets.push(at + 2);
        at = component_end(data, at);
        if flags & 0x0020 == 0 {
            break;
        }
    }
    offsets
}

/// Appends `glyph` without its hinting instructions. The components of a composite glyph
/// keep their places, so [`component_offsets`] holds for the copy too.
fn push_without_instructions(out: &mut Vec<u8>, glyph: &[u8]) {
    if glyph.len() < 10 {
        out.extend_from_slice(glyph);
        return;
    }
    let contours = be16(glyph, 0) as i16;
    if contours >= 0 {
        let lengths_at = 10 + 2 * contours as usize;
        let instructions = usize::from(be16(glyph, lengths_at));
        match glyph.get(lengths_at + 2 + instructions..) {
            Some(points) => {
                out.extend_from_slice(&glyph[..lengths_at]);
                out.extend_from_slice(&[0, 0]);
                out.extend_from_slice(points);
            }
            None => out.extend_from_slice(glyph),
        }
        return;
    }
    // Composite: copy the components, clearing WE_HAVE_INSTRUCTIONS, and stop after the last.
    let start = out.len();
    let end = component_offsets(glyph)
        .last()
        .map_or(glyph.len(), |at| component_end(glyph, at - 2));
    out.extend_from_slice(&glyph[..end.min(glyph.len())]);
    for at in component_offsets(glyph) {
        let flags_at = start + at - 2;
        out[flags_at] &= !0x01; // bit 8 of the flags: WE_HAVE_INSTRUCTIONS
    }
}

/// Where the component record starting at `at` (its flags) ends.
fn component_end(glyph: &[u8], at: usize) -> usize {
    let flags = be16(glyph, at);
    let mut end = at + 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
    end += if flags & 0x0008 != 0 {
        2
    } else if flags & 0x0040 != 0 {
        4
    } else if flags & 0x0080 != 0 {
        8
    } else {
        0
    };
    end
}

/// The horizontal metrics of `gid`: advance and left side bearing.
fn h_metric(face: &Face, gid: usize) -> (u16, u16) {
    let t = &face.tables;
    let hmtx = &face.data[t.hmtx.clone()];
    let n = t.num_h_metrics.max(1);
    if gid < n {
        (be16(hmtx, 4 * gid), be16(hmtx, 4 * gid + 2))
    } else {
        (be16(hmtx, 4 * (n - 1)), be16(hmtx, 4 * n + 2 * (gid - n)))
    }
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// A TrueType font whose glyph `i + 1` is `glyphs.drawn[i]` of `face` (glyph 0 `.notdef`),
/// followed by the components of composite glyphs.
pub(crate) fn subset(face: &Face, glyphs: &Glyphs) -> Vec<u8> {
    let t = &face.tables;
    let data = face.data;
    // Old glyph ids in the new order, and the new number of each old id.
    let mut order: Vec<u16> = std::iter::once(0)
        .chain(glyphs.drawn.iter().map(|(gid, _)| *gid))
        .collect();
    let mut new_of = glyphs.new_of.clone();
    if new_of.is_empty() {
        new_of.push(0);
    }
    new_of[0] = 0;
    let mut i = 0;
    while i < order.len() {
        let glyph = glyph_data(face, order[i]);
        for at in component_offsets(glyph) {
            let component = be16(glyph, at);
            let c = usize::from(component);
            if c >= face.glyph_count() {
                continue;
            }
            if new_of.len() <= c {
                new_of.resize(c + 1, NONE);
            }
            if new_of[c] == NONE {
                new_of[c] = order.len() as u16;
                order.push(component);
            }
        }
        i += 1;
    }
    let count = order.len();

    let mut glyf = Vec::new();
    let mut loca = Vec::with_capacity(4 * (count + 1));
    let mut hmtx = Vec::with_capacity(4 * count);
    for gid in &order {
        loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
        let (advance, lsb) = h_metric(face, usize::from(*gid));
        hmtx.extend_from_slice(&advance.to_be_bytes());
        hmtx.extend_from_slice(&lsb.to_be_bytes());
        let start = glyf.len();
        let glyph = glyph_data(face, *gid);
        push_without_instructions(&mut glyf, glyph);
        for at in component_offsets(glyph) {
            let old = usize::from(be16(glyph, at));
            let new = new_of.get(old).copied().filter(|n| *n != NONE).unwrap_or(0);
            glyf[start + at..start + at + 2].copy_from_slice(&new.to_be_bytes());
        }
        while glyf.len() % 4 != 0 {
            glyf.push(0);
        }
    }
    loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());

    let mut head = data[t.head.clone()].to_vec();
    head[8..12].fill(0); // checkSumAdjustment, set below
    head[50..52].copy_from_slice(&1u16.to_be_bytes()); // long loca offsets
    let mut hhea = data[t.hhea.clone()].to_vec();
    hhea[34..36].copy_from_slice(&(count as u16).to_be_bytes());
    let mut maxp = data[t.maxp.clone()].to_vec();
    maxp[4..6].copy_from_slice(&(count as u16).to_be_bytes());

    // In tag order, as the table directory wants them.
    let tables: [(&[u8; 4], Vec<u8>); 6] = [
        (b"glyf", glyf),
        (b"head", head),
        (b"hhea", hhea),
        (b"hmtx", hmtx),
        (b"loca", loca),
        (b"maxp", maxp),
    ];

    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16; // floor(log2 n)
    let search_range = 16u16 << entry_selector;
    let mut out = Vec::with_capacity(12 + 16 * tables.len());
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = 0;
    for (tag, body) in &tables {
        if *tag == b"head" {
            head_at = offset;
        }
        out.extend_from_slice(*tag);
        out.extend_from_slice(&checksum(body).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        offset += body.len().div_ceil(4) * 4;
    }
    for (_, body) in &tables {
        out.extend_from_slice(body);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out[head_at + 8..head_at + 12].copy_from_slice(&adjustment.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{face, Weight};
    use ab_glyph::Font as _;

    #[test]
    fn a_subset_is_a_font_with_the_glyphs_it_was_given() {
        let face = face(Weight::Regular).expect("font");
        let mut glyphs = Glyphs::default();
        let text = "Zoë € Łódź ǅ";
        let numbers: Vec<u16> = text
            .chars()
            .map(|c| glyphs.number(face.glyph(c), c))
            .collect();
        assert_eq!(numbers[..4], [1, 2, 3, 4], "numbered in order of first use");
        assert_eq!(glyphs.lookup(face.glyph('Z')), 1);
        assert_eq!(glyphs.lookup(face.glyph('q')), 0, "never drawn");
        let bytes = subset(face, &glyphs);
        assert!(bytes.len() < 8_000, "{} bytes without hinting", bytes.len());
        let sub = ab_glyph::FontRef::try_from_slice(&bytes).expect("parses");
        for (c, n) in text.chars().zip(&numbers) {
            let glyph = ab_glyph::GlyphId(*n).with_scale(20.0);
            if c != ' ' {
                assert!(sub.outline_glyph(glyph).is_some(), "{c} has its outline");
            }
            assert_eq!(
                sub.h_advance_unscaled(ab_glyph::GlyphId(*n)),
                f32::from(face.advance(face.glyph(c)))
            );
        }
        assert_eq!(checksum(&bytes), 0xB1B0_AFBA, "checksum adjustment");
    }
}
