//! Tests of the label module: templates, geometry, QR readability, PDF structure.

use std::path::{Path, PathBuf};

use super::*;

fn labels_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("labels")
}

fn catalog() -> LabelCatalog {
    let (catalog, warnings) = LabelCatalog::load_dir(&labels_dir());
    assert!(warnings.is_empty(), "warnings: {warnings:#?}");
    catalog
}

fn stock(id: &str) -> LabelStock {
    catalog()
        .get(id)
        .cloned()
        .unwrap_or_else(|| panic!("stock {id}"))
}

fn sample(i: usize) -> LabelData {
    LabelData {
        url: format!("https://uitleen.gent.be/d/GNT-{i:06}"),
        asset_tag: format!("GNT-{i:06}"),
        owner_short: "Stad Gent – Café Zoë".into(),
        kind: "Laptop".into(),
        model: Some("Lenovo ThinkPad T480s i5 8 GB / 256 GB SSD".into()),
    }
}

const SHIPPED: [&str; 7] = [
    "avery-l7160",
    "avery-l7163",
    "avery-l7651",
    "brother-dk-11209",
    "brother-dk-22205",
    "dymo-99012",
    "herma-4608",
];

#[test]
fn every_shipped_template_loads_without_warnings() {
    let c = catalog();
    let ids: Vec<&str> = c.stocks().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, SHIPPED);
    for s in c.stocks() {
        assert!(!s.source.is_empty());
        assert!(s.validate().is_ok());
    }
}

#[test]
fn shipped_templates_match_the_reference_numbers() {
    let c = catalog();
    // (id, label w, h, columns, rows, margin left, top, pitch across, down)
    let expected = [
        ("avery-l7160", 63.5, 38.1, 3, 7, 7.20, 15.15, 66.04, 38.10),
        ("avery-l7651", 38.1, 21.17, 5, 13, 4.67, 10.90, 40.64, 21.17),
        ("avery-l7163", 99.1, 38.1, 2, 7, 4.65, 15.15, 101.6, 38.1),
        ("herma-4608", 48.3, 25.4, 4, 11, 8.5, 8.5, 48.3, 25.4),
    ];
    for (id, w, h, cols, rows, ml, mt, pa, pd) in expected {
        let s = c.get(id).expect(id);
        assert_eq!((s.page_width_mm, s.page_height_mm), (210.0, 297.0), "{id}");
        assert_eq!((s.label_width_mm, s.label_height_mm), (w, h), "{id}");
        assert_eq!((s.columns, s.rows), (cols, rows), "{id}");
        assert_eq!((s.margin_left_mm, s.margin_top_mm), (ml, mt), "{id}");
        assert_eq!((s.pitch_across_mm, s.pitch_down_mm), (pa, pd), "{id}");
        assert_eq!(s.kind, StockKind::Sheet);
    }
    for id in ["brother-dk-22205", "brother-dk-11209", "dymo-99012"] {
        let s = c.get(id).expect(id);
        assert_eq!(s.kind, StockKind::LabelPrinter);
        assert_eq!(s.labels_per_page(), 1);
        assert_eq!(
            (s.page_width_mm, s.page_height_mm),
            (s.label_width_mm, s.label_height_mm)
        );
    }
    // Brother tape: printable width 58.9 mm.
    let b = c.get("brother-dk-22205").expect("dk-22205");
    assert!((b.label_width_mm - 2.0 * b.safe_margin_x_mm - 58.9).abs() < 0.01);
}

#[test]
fn malformed_files_are_reported_by_name_and_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(labels_dir()).expect("labels dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "toml") {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let good = std::fs::read_to_string(labels_dir().join("avery-l7160.toml")).expect("read");
    std::fs::write(
        dir.path().join("broken-syntax.toml"),
        "id = \"x\"\nname = [",
    )
    .expect("w");
    std::fs::write(
        dir.path().join("no-source.toml"),
        good.replace("avery-l7160", "no-source")
            .replace("source = ", "sauce = "),
    )
    .expect("w");
    std::fs::write(
        dir.path().join("too-wide.toml"),
        good.replace("avery-l7160", "too-wide")
            .replace("columns = 3", "columns = 4"),
    )
    .expect("w");
    std::fs::write(
        dir.path().join("tiny-qr.toml"),
        good.replace("avery-l7160", "tiny-qr")
            .replace("qr_size_mm = 30.0", "qr_size_mm = 10.0"),
    )
    .expect("w");
    std::fs::write(
        dir.path().join("negative.toml"),
        good.replace("avery-l7160", "negative")
            .replace("label_width_mm = 63.5", "label_width_mm = -63.5"),
    )
    .expect("w");
    std::fs::write(dir.path().join("duplicate.toml"), good.clone()).expect("w");
    std::fs::write(dir.path().join("notes.txt"), "not a template").expect("w");

    let (c, warnings) = LabelCatalog::load_dir(dir.path());
    assert_eq!(c.len(), SHIPPED.len(), "the good files still load");
    assert_eq!(warnings.len(), 6, "{warnings:#?}");
    let find = |name: &str| {
        warnings
            .iter()
            .find(|w| w.contains(name))
            .unwrap_or_else(|| panic!("no warning for {name}: {warnings:#?}"))
            .clone()
    };
    assert!(find("broken-syntax.toml").contains("skipped, invalid TOML at line 2"));
    assert!(find("no-source.toml").contains("unknown field `sauce`"));
    assert!(find("too-wide.toml").contains("do not fit across the page"));
    assert!(find("tiny-qr.toml").contains("qr_size_mm"));
    assert!(find("negative.toml").contains("label_width_mm must be a positive number"));
    assert!(find("duplicate.toml").contains("already used"));
}

#[test]
fn a_missing_directory_gives_one_warning() {
    let (c, warnings) = LabelCatalog::load_dir(Path::new("/nonexistent/labels"));
    assert!(c.is_empty());
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("/nonexistent/labels"));
}

fn decode_png(png: &[u8]) -> Vec<String> {
    let img = image::load_from_memory(png)
        .expect("png decodes")
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared
        .detect_grids()
        .into_iter()
        .map(|g| g.decode().expect("qr decodes").1)
        .collect()
}

#[test]
fn png_labels_decode_back_to_exactly_the_url() {
    let c = catalog();
    let mut labels: Vec<LabelData> = (1..=3).map(sample).collect();
    labels.push(LabelData {
        url: "https://digilend.example.be/d/ANT-7?x=1&y=é".into(),
        asset_tag: "ANT-7".into(),
        owner_short: "Café Zoë".into(),
        kind: "Robot".into(),
        model: None,
    });
    for s in c.stocks() {
        for label in &labels {
            let png = render_png(s, label, 300).expect("renders");
            assert_eq!(decode_png(&png), vec![label.url.clone()], "{}", s.id);
        }
    }
    // Lower and higher resolutions too.
    let s = c.get("avery-l7651").expect("l7651");
    for dpi in [150, 203, 600] {
        let png = render_png(s, &labels[0], dpi).expect("renders");
        assert_eq!(decode_png(&png), vec![labels[0].url.clone()], "{dpi} dpi");
    }
}

#[test]
fn png_modules_are_at_least_4_px_at_300_dpi() {
    for s in catalog().stocks() {
        let p = prepare(s, &sample(1)).expect("prepares");
        let box_px = (s.layout.qr_size_mm * 300.0 / 25.4).floor() as usize;
        assert!(box_px / p.qr.width_with_quiet_zone() >= 4, "{}", s.id);
    }
}

#[test]
fn png_rejects_unsupported_dpi() {
    let s = stock("avery-l7160");
    assert!(matches!(
        render_png(&s, &sample(1), 10),
        Err(LabelError::InvalidDpi { .. })
    ));
    assert!(matches!(
        render_png(&s, &sample(1), 5000),
        Err(LabelError::InvalidDpi { .. })
    ));
}

#[test]
fn positions_on_l7651_follow_the_template() {
    let s = stock("avery-l7651");
    let skip = 7;
    let pos = layout_positions(&s, 65, skip).expect("positions");
    assert_eq!(pos.len(), 65);
    // First label: row 1, column 2 (the 8th position).
    assert_eq!((pos[0].page, pos[0].row, pos[0].column), (0, 1, 2));
    for (i, p) in pos.iter().enumerate() {
        let slot = i + skip;
        let (page, in_page) = (slot / 65, slot % 65);
        let (row, col) = (in_page / 5, in_page % 5);
        assert_eq!((p.page, p.row, p.column), (page, row, col));
        let x = 4.67 + col as f64 * 40.64;
        let y = 10.90 + row as f64 * 21.17;
        assert!(
            (p.x_mm - x).abs() < 0.2 && (p.y_mm - y).abs() < 0.2,
            "{i}: {p:?}"
        );
        // Every label lies on the page.
        assert!(p.x_mm + 38.1 <= 210.0 + 0.2 && p.y_mm + 21.17 <= 297.0 + 0.2);
    }
    // The last label of the first page is at the bottom right, the rest go to page 2.
    assert_eq!(pos.iter().filter(|p| p.page == 0).count(), 65 - skip);
    let last_first = pos[65 - skip - 1];
    assert!((last_first.x_mm - (4.67 + 4.0 * 40.64)).abs() < 0.2);
    assert!((last_first.y_mm - (10.90 + 12.0 * 21.17)).abs() < 0.2);
    assert_eq!(pos.last().map(|p| p.page), Some(1));
}

#[test]
fn skip_must_leave_room_on_the_first_page() {
    let s = stock("avery-l7160");
    assert!(layout_positions(&s, 1, 20).is_ok());
    let err = layout_positions(&s, 1, 21).expect_err("too large");
    assert!(matches!(
        err,
        LabelError::SkipTooLarge {
            skip: 21,
            per_page: 21,
            ..
        }
    ));
    assert!(err.to_string().contains("at most 20"), "{err}");
    let roll = stock("brother-dk-22205");
    assert!(matches!(
        render_pdf(&roll, &[sample(1)], 1),
        Err(LabelError::SkipTooLarge { .. })
    ));
}

fn pdf_pages(bytes: &[u8]) -> Vec<(f32, f32)> {
    let doc = lopdf::Document::load_mem(bytes).expect("valid PDF");
    doc.get_pages()
        .values()
        .map(|&id| {
            let page = doc.get_dictionary(id).expect("page dict");
            let mb = page
                .get(b"MediaBox")
                .and_then(|o| o.as_array())
                .expect("MediaBox");
            let n = |o: &lopdf::Object| o.as_float().expect("number");
            (n(&mb[2]) - n(&mb[0]), n(&mb[3]) - n(&mb[1]))
        })
        .collect()
}

#[test]
fn pdf_sheet_has_the_right_pages_and_size() {
    let s = stock("avery-l7651");
    let labels: Vec<LabelData> = (0..65).map(sample).collect();
    let pdf = render_pdf(&s, &labels, 7).expect("renders");
    let pages = pdf_pages(&pdf);
    assert_eq!(pages.len(), 2);
    for (w, h) in pages {
        assert!(
            (w - 595.28).abs() < 0.5 && (h - 841.89).abs() < 0.5,
            "{w} × {h}"
        );
    }
    assert_eq!(
        pdf_pages(&render_pdf(&s, &labels, 0).expect("renders")).len(),
        1
    );
    let more: Vec<LabelData> = (0..131).map(sample).collect();
    assert_eq!(
        pdf_pages(&render_pdf(&s, &more, 0).expect("renders")).len(),
        3
    );
}

#[test]
fn pdf_for_a_label_printer_has_one_label_sized_page_per_label() {
    let s = stock("dymo-99012");
    let labels: Vec<LabelData> = (0..3).map(sample).collect();
    let pages = pdf_pages(&render_pdf(&s, &labels, 0).expect("renders"));
    assert_eq!(pages.len(), 3);
    for (w, h) in pages {
        assert!((w - 89.0 / 25.4 * 72.0).abs() < 0.5 && (h - 36.0 / 25.4 * 72.0).abs() < 0.5);
    }
}

#[test]
fn pdf_text_and_fonts_survive() {
    let s = stock("avery-l7160");
    let pdf = render_pdf(&s, &[sample(42)], 0).expect("renders");
    let doc = lopdf::Document::load_mem(&pdf).expect("parses");
    let text = doc.extract_text(&[1]).expect("text");
    assert!(text.contains("GNT-000042"), "{text}");
    assert!(text.contains("Café Zoë"), "{text}");
}

#[test]
fn empty_label_list_is_an_error() {
    assert_eq!(
        render_pdf(&stock("avery-l7160"), &[], 0),
        Err(LabelError::NoLabels)
    );
}

#[test]
fn a_stock_too_small_for_the_qr_code_is_refused() {
    // A 15 mm QR code (the minimum) on a small custom stock and a long URL: version 6 or more,
    // so modules of 15 / 49 = 0.31 mm.
    let mut s = stock("avery-l7651");
    s.id = "small".into();
    s.layout.qr_size_mm = 15.0;
    let mut label = sample(1);
    label.url = format!("https://uitleen.gent.be/devices/{}", "x".repeat(80));
    let err = render_png(&s, &label, 300).expect_err("too small");
    match &err {
        LabelError::QrTooSmall {
            stock,
            module_mm,
            min_module_mm,
        } => {
            assert_eq!(stock, "small");
            assert!(*module_mm < 0.4);
            assert_eq!(*min_module_mm, MIN_MODULE_MM);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("too small to scan"));
    assert!(matches!(
        render_pdf(&s, &[label.clone()], 0),
        Err(LabelError::QrTooSmall { .. })
    ));
    assert!(matches!(
        render_svg(&s, &label),
        Err(LabelError::QrTooSmall { .. })
    ));
    // The same URL on a large stock is fine.
    assert!(render_png(&stock("avery-l7163"), &label, 300).is_ok());
}

#[test]
fn a_stock_built_in_code_is_checked_before_rendering() {
    let mut s = stock("avery-l7160");
    s.layout.qr_size_mm = 12.0;
    assert!(matches!(
        render_svg(&s, &sample(1)),
        Err(LabelError::InvalidStock { .. })
    ));
}

#[test]
fn svg_is_in_mm_and_escapes_text() {
    let s = stock("avery-l7160");
    let mut label = sample(5);
    label.owner_short = "R&D <Gt> \"q\"".into();
    let svg = render_svg(&s, &label).expect("renders");
    assert!(
        svg.contains(r#"width="63.5mm" height="38.1mm" viewBox="0 0 63.5 38.1""#),
        "{svg}"
    );
    assert!(svg.contains("R&amp;D &lt;Gt&gt; &quot;q&quot;"), "{svg}");
    assert!(!svg.contains("<Gt>"));
    assert_eq!(svg.matches("<text ").count(), 4);
}

#[test]
fn the_model_line_is_dropped_or_truncated_to_fit() {
    let c = catalog();
    for s in c.stocks() {
        let p = prepare(s, &sample(1)).expect("prepares");
        let f = text::fonts().expect("fonts");
        for line in &p.lines {
            let w = text::text_width_mm(text::face(f, line.bold), &line.text, line.size_pt);
            assert!(
                line.x_mm + w <= s.label_width_mm - s.safe_margin_x_mm + 0.01,
                "{}: {line:?}",
                s.id
            );
            let bottom =
                line.baseline_mm + line.size_pt * f64::from(f.regular.descent_em()) * MM_PER_PT;
            assert!(
                bottom <= s.label_height_mm - s.safe_margin_y_mm + 0.01,
                "{}: {line:?}",
                s.id
            );
        }
        // The tag is never truncated for a normal tag.
        assert_eq!(p.lines[0].text, "GNT-000001", "{}", s.id);
        assert!(p.lines.len() >= 3);
    }
}

#[test]
fn qr_rectangles_cover_exactly_the_dark_modules() {
    for url in [
        "https://uitleen.gent.be/d/GNT-000123",
        "x",
        &"https://a.be/".repeat(8),
    ] {
        let qr = crate::qr::QrMatrix::encode(url).expect("encodes");
        let w = qr.width();
        let mut seen = vec![0u8; w * w];
        let rects = qr_rects(&qr);
        for &(x, y, rw, rh) in &rects {
            for yy in y..y + rh {
                for xx in x..x + rw {
                    seen[yy * w + xx] += 1;
                }
            }
        }
        for y in 0..w {
            for x in 0..w {
                assert_eq!(
                    seen[y * w + x],
                    u8::from(qr.is_dark(x, y)),
                    "{url} at {x},{y}"
                );
            }
        }
        assert!(
            rects.len() < qr.dark_runs().len(),
            "merging saves rectangles"
        );
    }
}

#[test]
fn l7651_takes_urls_up_to_84_characters() {
    let s = stock("avery-l7651");
    let base = "https://uitleen.gent.be/d/";
    let mut label = sample(1);
    label.url = format!("{base}{}", "a".repeat(84 - base.len()));
    assert_eq!(label.url.len(), 84);
    let png = render_png(&s, &label, 300).expect("version 5 fits");
    assert_eq!(decode_png(&png), vec![label.url.clone()]);
    label.url.push('b');
    assert!(matches!(
        render_png(&s, &label, 300),
        Err(LabelError::QrTooSmall { .. })
    ));
}
