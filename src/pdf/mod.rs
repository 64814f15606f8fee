//! A small PDF writer of our own, for the documents and the label sheets: pages of vector
//! graphics (grey fills and strokes, rectangles, lines) and text in the embedded DejaVu faces
//! of [`crate::fonts`].
//!
//! Text is written as glyph ids (`Type0` fonts, `Identity-H` encoding) with a `ToUnicode` map,
//! so it can be searched and extracted; each face is embedded once per file as a subset of the
//! glyphs used ([`subset`]). Content streams and fonts are compressed with zlib. Coordinates are
//! PDF points from the bottom-left corner of the page.

pub(crate) mod subset;

use std::cell::RefCell;
use std::io::Write as _;

use flate2::write::ZlibEncoder;
use flate2::{Compress, Compression, FlushCompress, Status};

use crate::fonts::{faces, Face, FontError, Weight};
use subset::Glyphs;

/// zlib level of the embedded fonts.
const FONT_COMPRESSION: u32 = 6;

/// Resource name of a face in content streams.
fn font_name(weight: Weight) -> &'static [u8] {
    match weight {
        Weight::Regular => b"/F1",
        Weight::Bold => b"/F2",
    }
}

/// The glyphs a document has drawn, per face, numbered for its font subsets.
#[derive(Debug, Clone, Default)]
pub(crate) struct FontUse {
    glyphs: [Glyphs; 2],
}

impl FontUse {
    fn index(weight: Weight) -> usize {
        match weight {
            Weight::Regular => 0,
            Weight::Bold => 1,
        }
    }

    /// Gives every character of `text` its number in the subset of `face`, so that copies of
    /// this `FontUse` number it alike (pages written on several threads).
    pub(crate) fn register(&mut self, face: &Face, weight: Weight, text: &str) {
        let glyphs = &mut self.glyphs[Self::index(weight)];
        for c in text.chars() {
            glyphs.number(face.glyph(c), c);
        }
    }
}

/// Writes `v` with at most three decimals and a trailing space.
fn number_to(out: &mut Vec<u8>, v: f32) {
    let milli = if v.is_finite() {
        (f64::from(v) * 1000.0).round() as i64
    } else {
        0
    };
    if milli < 0 {
        out.push(b'-');
    }
    let abs = milli.unsigned_abs();
    integer(out, abs / 1000);
    let frac = abs % 1000;
    if frac != 0 {
        out.push(b'.');
        let digits = [frac / 100, frac / 10 % 10, frac % 10];
        let keep = if frac % 10 != 0 {
            3
        } else if frac % 100 != 0 {
            2
        } else {
            1
        };
        out.extend(digits[..keep].iter().map(|d| b'0' + *d as u8));
    }
    out.push(b' ');
}

/// Writes a non-negative integer without allocating.
fn integer(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// The operators of one page.
#[derive(Debug, Default)]
pub(crate) struct Content {
    buf: Vec<u8>,
}

impl Content {
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        Self {
            buf: Vec::with_capacity(bytes),
        }
    }

    fn op(&mut self, op: &[u8]) {
        self.buf.extend_from_slice(op);
        self.buf.push(b'\n');
    }

    /// Fill colour: a grey with `ink` between 0 (white) and 1 (black).
    pub(crate) fn fill_ink(&mut self, ink: f32) {
        number_to(&mut self.buf, 1.0 - ink.clamp(0.0, 1.0));
        self.op(b"g");
    }

    /// Stroke colour, as [`Content::fill_ink`].
    pub(crate) fn stroke_ink(&mut self, ink: f32) {
        number_to(&mut self.buf, 1.0 - ink.clamp(0.0, 1.0));
        self.op(b"G");
    }

    /// Line width in points.
    pub(crate) fn line_width(&mut self, width: f32) {
        number_to(&mut self.buf, width);
        self.op(b"w");
    }

    /// Adds a rectangle to the current path, (`x`, `y`) being its bottom-left corner.
    pub(crate) fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        for v in [x, y, w, h] {
            number_to(&mut self.buf, v);
        }
        self.op(b"re");
    }

    /// Adds a rectangle with whole-number coordinates (QR modules).
    pub(crate) fn rect_int(&mut self, x: usize, y: usize, w: usize, h: usize) {
        for v in [x, y, w, h] {
            integer(&mut self.buf, v as u64);
            self.buf.push(b' ');
        }
        self.op(b"re");
    }

    /// Fills the current path (non-zero winding).
    pub(crate) fn fill(&mut self) {
        self.op(b"f");
    }

    /// Strokes the current path.
    pub(crate) fn stroke(&mut self) {
        self.op(b"S");
    }

    /// A straight line from (`x1`, `y1`) to (`x2`, `y2`), stroked.
    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        number_to(&mut self.buf, x1);
        number_to(&mut self.buf, y1);
        self.op(b"m");
        number_to(&mut self.buf, x2);
        number_to(&mut self.buf, y2);
        self.op(b"l");
        self.stroke();
    }

    /// Saves the graphics state (`q`).
    pub(crate) fn save(&mut self) {
        self.op(b"q");
    }

    /// Restores the graphics state (`Q`).
    pub(crate) fn restore(&mut self) {
        self.op(b"Q");
    }

    /// Multiplies the transformation matrix (`cm`).
    pub(crate) fn transform(&mut self, m: [f32; 6]) {
        for v in m {
            number_to(&mut self.buf, v);
        }
        self.op(b"cm");
    }

    /// One line of text with its baseline starting at (`x`, `y`), in its own text object (so
    /// text extraction sees a line break after it). Characters the face lacks print as its
    /// `.notdef` glyph.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &mut self,
        fonts: &mut FontUse,
        face: &Face,
        weight: Weight,
        size: f32,
        x: f32,
        y: f32,
        text: &str,
    ) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.op(b"BT");
        self.buf.extend_from_slice(font_name(weight));
        self.buf.push(b' ');
        number_to(&mut self.buf, size);
        self.op(b"Tf");
        number_to(&mut self.buf, x);
        number_to(&mut self.buf, y);
        self.op(b"Td");
        self.buf.push(b'<');
        let glyphs = &mut fonts.glyphs[FontUse::index(weight)];
        for c in text.chars() {
            let n = glyphs.number(face.glyph(c), c);
            for shift in [12, 8, 4, 0] {
                self.buf.push(HEX[usize::from((n >> shift) & 0xF)]);
            }
        }
        self.buf.extend_from_slice(b"> Tj\nET\n");
    }
}

/// One page: its size in points and its content.
struct Page {
    width: f32,
    height: f32,
    content: Content,
}

/// A document being built.
pub(crate) struct Pdf {
    title: String,
    pages: Vec<Page>,
    /// The glyphs drawn so far; pass it to [`Content::text`].
    pub fonts: FontUse,
}

/// Serialises the objects of a file and remembers where each starts.
struct Writer {
    out: Vec<u8>,
    offsets: Vec<usize>,
}

impl Writer {
    fn begin(&mut self, id: usize) {
        if self.offsets.len() <= id {
            self.offsets.resize(id + 1, 0);
        }
        self.offsets[id] = self.out.len();
        integer(&mut self.out, id as u64);
        self.out.extend_from_slice(b" 0 obj\n");
    }

    /// An object whose body is a dictionary or array written by the caller.
    fn object(&mut self, id: usize, body: &[u8]) {
        self.begin(id);
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// A stream object, its data already compressed with zlib.
    fn stream(&mut self, id: usize, extra: &[u8], packed: &[u8]) {
        self.begin(id);
        self.out.extend_from_slice(b"<< /Length ");
        integer(&mut self.out, packed.len() as u64);
        self.out.extend_from_slice(b" /Filter /FlateDecode ");
        self.out.extend_from_slice(extra);
        self.out.extend_from_slice(b">>\nstream\n");
        self.out.extend_from_slice(packed);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }
}

/// `data` compressed as a zlib stream. Each thread keeps its compressors: setting one up
/// allocates and clears several hundred kilobytes, which cost more than compressing a page.
fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    thread_local! {
        static COMPRESSORS: RefCell<Vec<(u32, Compress)>> = const { RefCell::new(Vec::new()) };
    }
    COMPRESSORS.with(|compressors| {
        let mut compressors = compressors.borrow_mut();
        let i = match compressors.iter().position(|(l, _)| *l == level) {
            Some(i) => i,
            None => {
                compressors.push((level, Compress::new(Compression::new(level), true)));
                compressors.len() - 1
            }
        };
        let compressor = &mut compressors[i].1;
        compressor.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let done = compressor.total_in() as usize;
            match compressor.compress_vec(
                &data[done.min(data.len())..],
                &mut out,
                FlushCompress::Finish,
            ) {
                Ok(Status::StreamEnd) => return out,
                Ok(_) => out.reserve(out.capacity().max(1024)),
                // Compressing from memory to memory does not fail; if it ever did, a fresh
                // compressor is used for the next stream and this one is stored plainly
                // compressed by a one-off encoder.
                Err(_) => {
                    compressors.remove(i);
                    let mut enc = ZlibEncoder::new(Vec::new(), Compression::new(level));
                    let _ = enc.write_all(data);
                    return enc.finish().unwrap_or_default();
                }
            }
        }
    })
}

/// `text` as a PDF text string in UTF-16BE (hex, with byte order mark).
fn text_string(text: &str) -> Vec<u8> {
    let mut out = b"<FEFF".to_vec();
    for unit in text.encode_utf16() {
        out.extend_from_slice(format!("{unit:04X}").as_bytes());
    }
    out.push(b'>');
    out
}

/// How many threads compress the page contents of a large file.
fn workers(items: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(8).min(items.div_ceil(4)).max(1)
}

/// Maps `f` over `items` on a few scoped threads (the cores, at most 8), keeping the order.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
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

impl Pdf {
    /// An empty document with a title (shown by PDF viewers).
    pub(crate) fn new(title: &str) -> Self {
        Self {
            title: title.to_string(),
            pages: Vec::new(),
            fonts: FontUse::default(),
        }
    }

    /// Appends a page of `width` × `height` points.
    pub(crate) fn add_page(&mut self, width: f32, height: f32, content: Content) {
        self.pages.push(Page {
            width,
            height,
            content,
        });
    }

    /// The file. `level` is the zlib level of the page contents (1 fast to 9 small); fonts are
    /// compressed at [`FONT_COMPRESSION`].
    pub(crate) fn finish(self, level: u32) -> Result<Vec<u8>, FontError> {
        let faces = faces()?;
        let contents: Vec<&[u8]> = self
            .pages
            .iter()
            .map(|p| p.content.buf.as_slice())
            .collect();
        let total: usize = contents.iter().map(|c| c.len()).sum();
        let packed: Vec<Vec<u8>> = if total > 256 * 1024 {
            parallel_map(&contents, |c| deflate(c, level))
        } else {
            contents.iter().map(|c| deflate(c, level)).collect()
        };

        let mut w = Writer {
            out: Vec::with_capacity(packed.iter().map(Vec::len).sum::<usize>() + 64 * 1024),
            offsets: vec![0],
        };
        w.out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");

        // 1 catalog, 2 page tree, 3 info, 4 resources, 5.. fonts (5 objects per face), pages.
        let weights: Vec<Weight> = [Weight::Regular, Weight::Bold]
            .into_iter()
            .filter(|wt| !self.fonts.glyphs[FontUse::index(*wt)].is_empty())
            .collect();
        let first_page = 5 + 5 * weights.len();
        w.object(1, b"<< /Type /Catalog /Pages 2 0 R >>");
        let mut kids = b"<< /Type /Pages /Kids [".to_vec();
        for i in 0..self.pages.len() {
            integer(&mut kids, (first_page + 2 * i) as u64);
            kids.extend_from_slice(b" 0 R ");
        }
        kids.extend_from_slice(b"] /Count ");
        integer(&mut kids, self.pages.len() as u64);
        kids.extend_from_slice(b" >>");
        w.object(2, &kids);
        let mut info = b"<< /Title ".to_vec();
        info.extend_from_slice(&text_string(&self.title));
        info.extend_from_slice(b" /Producer (digilend) >>");
        w.object(3, &info);
        let mut resources = b"<< /Font << ".to_vec();
        for (i, weight) in weights.iter().enumerate() {
            resources.extend_from_slice(font_name(*weight));
            resources.push(b' ');
            integer(&mut resources, (5 + 5 * i) as u64);
            resources.extend_from_slice(b" 0 R ");
        }
        resources.extend_from_slice(b">> >>");
        w.object(4, &resources);

        for (i, weight) in weights.iter().enumerate() {
            let glyphs = &self.fonts.glyphs[FontUse::index(*weight)];
            write_font(&mut w, 5 + 5 * i, faces.get(*weight), glyphs);
        }

        for (i, (page, packed)) in self.pages.iter().zip(&packed).enumerate() {
            let id = first_page + 2 * i;
            let mut dict = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ".to_vec();
            number_to(&mut dict, page.width);
            number_to(&mut dict, page.height);
            dict.extend_from_slice(b"] /Resources 4 0 R /Contents ");
            integer(&mut dict, (id + 1) as u64);
            dict.extend_from_slice(b" 0 R >>");
            w.object(id, &dict);
            w.stream(id + 1, b"", packed);
        }

        let xref = w.out.len();
        let count = w.offsets.len();
        w.out.extend_from_slice(b"xref\n0 ");
        integer(&mut w.out, count as u64);
        w.out.extend_from_slice(b"\n0000000000 65535 f \n");
        for offset in &w.offsets[1..] {
            w.out
                .extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        w.out.extend_from_slice(b"trailer\n<< /Size ");
        integer(&mut w.out, count as u64);
        w.out
            .extend_from_slice(b" /Root 1 0 R /Info 3 0 R >>\nstartxref\n");
        integer(&mut w.out, xref as u64);
        w.out.extend_from_slice(b"\n%%EOF\n");
        Ok(w.out)
    }
}

/// The five objects of one embedded face, from `id`: the `Type0` font, its CID font, the font
/// descriptor, the subset font file and the `ToUnicode` map.
fn write_font(w: &mut Writer, id: usize, face: &Face, glyphs: &Glyphs) {
    // A subset's name starts with six capital letters that depend on the glyphs in it.
    let mut hash: u32 = 0x811C_9DC5;
    for (gid, _) in &glyphs.drawn {
        for b in gid.to_be_bytes() {
            hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
    let mut name = b"/".to_vec();
    for _ in 0..6 {
        name.push(b'A' + (hash % 26) as u8);
        hash /= 26;
    }
    name.push(b'+');
    name.extend_from_slice(face.name.as_bytes());
    let per_mille = |units: f32| (units * 1000.0 / face.units_per_em()).round() as i64;

    let mut type0 = b"<< /Type /Font /Subtype /Type0 /BaseFont ".to_vec();
    type0.extend_from_slice(&name);
    type0.extend_from_slice(
        format!(
            " /Encoding /Identity-H /DescendantFonts [{} 0 R] /ToUnicode {} 0 R >>",
            id + 1,
            id + 4
        )
        .as_bytes(),
    );
    w.object(id, &type0);

    let mut cid = b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont ".to_vec();
    cid.extend_from_slice(&name);
    cid.extend_from_slice(
        format!(
            " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
             /FontDescriptor {} 0 R /CIDToGIDMap /Identity /DW 1000 /W [1 [",
            id + 2
        )
        .as_bytes(),
    );
    for (gid, _) in &glyphs.drawn {
        integer(
            &mut cid,
            per_mille(f32::from(face.advance(*gid))).max(0) as u64,
        );
        cid.push(b' ');
    }
    cid.extend_from_slice(b"]] >>");
    w.object(id + 1, &cid);

    let head = &face.data[face.tables.head.clone()];
    let bbox = |at: usize| f32::from(i16::from_be_bytes([head[at], head[at + 1]]));
    let ascent = per_mille(face.ascent_em() * face.units_per_em());
    let descent = -per_mille(face.descent_em() * face.units_per_em());
    let mut descriptor = b"<< /Type /FontDescriptor /FontName ".to_vec();
    descriptor.extend_from_slice(&name);
    descriptor.extend_from_slice(
        format!(
            " /Flags 32 /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {ascent} \
             /Descent {descent} /CapHeight {ascent} /StemV 80 /FontFile2 {} 0 R >>",
            per_mille(bbox(36)),
            per_mille(bbox(38)),
            per_mille(bbox(40)),
            per_mille(bbox(42)),
            id + 3
        )
        .as_bytes(),
    );
    w.object(id + 2, &descriptor);

    let font = subset::subset(face, glyphs);
    let mut extra = b"/Length1 ".to_vec();
    integer(&mut extra, font.len() as u64);
    extra.push(b' ');
    w.stream(id + 3, &extra, &deflate(&font, FONT_COMPRESSION));

    let mut cmap = String::with_capacity(300 + 20 * glyphs.drawn.len());
    cmap.push_str(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for (block, chunk) in glyphs.drawn.chunks(100).enumerate() {
        cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (i, (_, c)) in chunk.iter().enumerate() {
            cmap.push_str(&format!("<{:04X}> <", block * 100 + i + 1));
            for unit in c.encode_utf16(&mut [0u16; 2]) {
                cmap.push_str(&format!("{unit:04X}"));
            }
            cmap.push_str(">\n");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    w.stream(id + 4, b"", &deflate(cmap.as_bytes(), FONT_COMPRESSION));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::face;

    #[test]
    fn numbers_are_short_and_exact_enough() {
        let mut out = Vec::new();
        for v in [0.0, 1.0, -2.5, 12.345_67, 0.1, 841.89, -0.0004, f32::NAN] {
            number_to(&mut out, v);
        }
        assert_eq!(
            String::from_utf8_lossy(&out),
            "0 1 -2.5 12.346 0.1 841.89 0 0 "
        );
    }

    #[test]
    fn a_page_of_text_reads_back() {
        let mut pdf = Pdf::new("Test – é");
        let mut c = Content::with_capacity(256);
        let regular = face(Weight::Regular).expect("font");
        let bold = face(Weight::Bold).expect("font");
        c.fill_ink(1.0);
        c.text(
            &mut pdf.fonts,
            regular,
            Weight::Regular,
            12.0,
            50.0,
            700.0,
            "Zoë betaalt € 200,00",
        );
        c.text(
            &mut pdf.fonts,
            bold,
            Weight::Bold,
            12.0,
            50.0,
            680.0,
            "Łódź – Ș",
        );
        c.rect(10.0, 10.0, 20.0, 20.0);
        c.fill();
        pdf.add_page(595.276, 841.89, c);
        let bytes = pdf.finish(6).expect("pdf");
        // A second file from the same (reused) compressors is as valid as the first.
        let again = Pdf::new("x");
        assert!(lopdf::Document::load_mem(&again.finish(6).expect("pdf")).is_ok());
        let doc = lopdf::Document::load_mem(&bytes).expect("valid PDF");
        assert_eq!(doc.get_pages().len(), 1);
        let text = doc.extract_text(&[1]).expect("text");
        assert!(text.contains("Zoë betaalt € 200,00"), "{text}");
        assert!(text.contains("Łódź – Ș"), "{text}");
    }
}
