//! Labels: label stocks, PNG/SVG labels, PDF sheets whose QR codes decode to the device URLs,
//! the public scan landing, and who may do what.

use digilend::labels::{LabelCatalog, LabelStock};
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual_test;
use crate::helpers::{spawn_app, spawn_app_with, Backend, Resp, TestApp};

const BASE: &str = "https://uitleen.example.be";
const MM_PER_PT: f64 = 25.4 / 72.0;

fn stock(id: &str) -> LabelStock {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("labels");
    let (catalog, warnings) = LabelCatalog::load_dir(&dir);
    assert!(warnings.is_empty(), "{warnings:?}");
    catalog.get(id).expect("stock").clone()
}

/// Every QR code found in a PNG image.
fn decode_png(png: &[u8]) -> Vec<String> {
    let img = image::load_from_memory(png).expect("png").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared
        .detect_grids()
        .into_iter()
        .map(|g| g.decode().expect("qr decodes").1)
        .collect()
}

/// One QR code as drawn in the PDF: the transformation into module units and its rectangles.
struct PdfQr {
    page: usize,
    /// `cm` operands: module size (pt) and the page position (pt) of module (0, 0).
    module_pt: f64,
    tx: f64,
    ty: f64,
    /// `re` operands in modules: column, row, width, height.
    rects: Vec<[f64; 4]>,
}

fn num(o: &lopdf::Object) -> f64 {
    f64::from(o.as_float().expect("number"))
}

/// Page count, page sizes in mm and the QR codes of a label PDF, read from its content streams.
fn read_pdf(pdf: &[u8]) -> (Vec<(f64, f64)>, Vec<PdfQr>) {
    let mut doc = lopdf::Document::load_mem(pdf).expect("pdf parses");
    doc.decompress();
    let mut sizes = Vec::new();
    let mut qrs = Vec::new();
    for (page, (_, id)) in doc.get_pages().into_iter().enumerate() {
        let page_dict = doc.get_dictionary(id).expect("page");
        let media = page_dict
            .get(b"MediaBox")
            .and_then(|m| m.as_array())
            .expect("media box");
        sizes.push((
            (num(&media[2]) - num(&media[0])) * MM_PER_PT,
            (num(&media[3]) - num(&media[1])) * MM_PER_PT,
        ));
        let content = doc.get_page_content(id);
        let ops = lopdf::content::Content::decode(&content)
            .expect("content decodes")
            .operations;
        let mut current: Option<PdfQr> = None;
        for op in ops {
            match op.operator.as_str() {
                "cm" if op.operands.len() == 6 => {
                    let v: Vec<f64> = op.operands.iter().map(num).collect();
                    assert!(v[1].abs() < 1e-6 && v[2].abs() < 1e-6);
                    assert!((v[0] + v[3]).abs() < 1e-4, "square modules, y flipped");
                    current = Some(PdfQr {
                        page,
                        module_pt: v[0],
                        tx: v[4],
                        ty: v[5],
                        rects: Vec::new(),
                    });
                }
                "re" => {
                    if let Some(q) = current.as_mut() {
                        let v: Vec<f64> = op.operands.iter().map(num).collect();
                        q.rects.push([v[0], v[1], v[2], v[3]]);
                    }
                }
                "Q" => {
                    if let Some(q) = current.take() {
                        qrs.push(q);
                    }
                }
                _ => {}
            }
        }
    }
    (sizes, qrs)
}

impl PdfQr {
    /// Modules along one side (without quiet zone): the finder patterns reach both edges.
    fn width(&self) -> usize {
        self.rects
            .iter()
            .map(|r| (r[0] + r[2]).round() as usize)
            .max()
            .expect("rects")
    }

    /// Rebuilds the bitmap from the rectangles (4 px per module, quiet zone of 4) and decodes it.
    fn decode(&self) -> String {
        let n = self.width();
        let px = 4u32;
        let side = (n as u32 + 8) * px;
        let mut img = image::GrayImage::from_pixel(side, side, image::Luma([255]));
        for r in &self.rects {
            let (c, row, w, h) = (r[0] as u32, r[1] as u32, r[2] as u32, r[3] as u32);
            for y in (row + 4) * px..(row + h + 4) * px {
                for x in (c + 4) * px..(c + w + 4) * px {
                    img.put_pixel(x, y, image::Luma([0]));
                }
            }
        }
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one code per label");
        grids[0].decode().expect("qr decodes").1
    }
}

fn tags_of(devices: &[Value]) -> Vec<String> {
    devices
        .iter()
        .map(|d| d["asset_tag"].as_str().expect("tag").to_string())
        .collect()
}

fn ids_of(devices: &[Value]) -> Vec<String> {
    devices
        .iter()
        .map(|d| d["id"].as_str().expect("id").to_string())
        .collect()
}

async fn get_with(app: &TestApp, path: &str, token: Option<&str>, accept: &str) -> Resp {
    let mut req = app.client.get(app.url(path)).header("accept", accept);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.expect("sent");
    let status = r.status();
    let content_type = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = r.bytes().await.expect("body").to_vec();
    Resp {
        status,
        content_type,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        bytes,
    }
}

/// The tests decode QR codes on the test's single thread for seconds; a pooled connection left
/// idle meanwhile is closed by the server's keep-alive timer and the next request on it fails.
/// A fresh connection per request avoids that race.
fn without_pooling(app: &mut TestApp) {
    app.client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
}

fn text(r: &Resp) -> String {
    String::from_utf8(r.bytes.clone()).expect("utf-8")
}

/// THE DONE-WHEN: a donation batch of 65 devices gives one L7651 sheet whose 65 QR codes decode
/// to the right device URLs at the template's positions, and single PNG labels decode too.
async fn a_batch_of_65_prints_on_one_l7651_sheet(b: Backend) {
    let mut app = spawn_app(b).await;
    without_pooling(&mut app);
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    let donation = app.create_donation(&staff).await;
    let devices = app.register_devices(&staff, &donation, "laptop", 65).await;
    let mut tags = tags_of(&devices);
    tags.sort();

    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651", "donation_id": donation }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.content_type, "application/pdf");
    let (pages, qrs) = read_pdf(&r.bytes);
    assert_eq!(pages.len(), 1, "65 labels fill exactly one sheet");
    assert_eq!(qrs.len(), 65);
    let s = stock("avery-l7651");
    // The template's sheet geometry is the published one (REFERENCE.md).
    for (got, want) in [
        (s.margin_left_mm, 4.67),
        (s.margin_top_mm, 10.90),
        (s.pitch_across_mm, 40.64),
        (s.pitch_down_mm, 21.17),
    ] {
        assert!((got - want).abs() < 1e-9);
    }
    check_sheet(&s, &pages, &qrs, &tags, 0);

    // A partly used sheet: skip 10 positions, so the batch runs onto a second page.
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651", "skip": 10, "donation_id": donation }),
        )
        .await;
    r.assert_status(200);
    let (pages, qrs) = read_pdf(&r.bytes);
    assert_eq!(pages.len(), 2);
    check_sheet(&s, &pages, &qrs, &tags, 10);

    // Single labels: the PNG a phone camera reads holds exactly the device's URL.
    for (i, d) in devices.iter().enumerate().step_by(13) {
        let id = d["id"].as_str().expect("id");
        let tag = d["asset_tag"].as_str().expect("tag");
        let stock_id = if i % 2 == 0 {
            "avery-l7651"
        } else {
            "avery-l7160"
        };
        let r = app
            .get(
                &format!("/devices/{id}/label.png?stock={stock_id}&dpi=300"),
                &staff,
            )
            .await;
        r.assert_status(200);
        assert_eq!(r.content_type, "image/png");
        assert_eq!(decode_png(&r.bytes), vec![format!("{BASE}/d/{tag}")]);
        // 300 dpi: the image is the label's size.
        let img = image::load_from_memory(&r.bytes).expect("png");
        let s = stock(stock_id);
        assert!(
            (f64::from(img.width()) - s.label_width_mm / 25.4 * 300.0).abs() <= 1.0,
            "{}",
            img.width()
        );
    }
    let id = devices[0]["id"].as_str().expect("id");
    let r = app
        .get(&format!("/devices/{id}/label.svg?stock=herma-4608"), &staff)
        .await;
    r.assert_status(200);
    assert!(r.content_type.starts_with("image/svg+xml"));
    assert!(text(&r).contains(devices[0]["asset_tag"].as_str().expect("tag")));
}

/// Every QR code of the sheet decodes to its device's URL and sits where the template puts it,
/// within 0.2 mm.
fn check_sheet(s: &LabelStock, pages: &[(f64, f64)], qrs: &[PdfQr], tags: &[String], skip: usize) {
    const TOL: f64 = 0.2;
    for (w, h) in pages {
        assert!((w - s.page_width_mm).abs() < TOL && (h - s.page_height_mm).abs() < TOL);
    }
    assert_eq!(qrs.len(), tags.len());
    let per_page = (s.columns * s.rows) as usize;
    for (i, (qr, tag)) in qrs.iter().zip(tags).enumerate() {
        assert_eq!(qr.decode(), format!("{BASE}/d/{tag}"), "label {i}");
        let slot = skip + i;
        assert_eq!(qr.page, slot / per_page, "label {i} page");
        let (row, col) = (
            (slot % per_page) / s.columns as usize,
            slot % s.columns as usize,
        );
        let label_x = s.margin_left_mm + col as f64 * s.pitch_across_mm;
        let label_y = s.margin_top_mm + row as f64 * s.pitch_down_mm;
        let n = qr.width();
        let module_mm = s.layout.qr_size_mm / (n + 8) as f64;
        assert!((qr.module_pt * MM_PER_PT - module_mm).abs() < 0.01);
        assert!(module_mm >= 0.4, "modules of {module_mm} mm");
        // The first module (top-left finder pattern) of the code.
        let min_col = qr.rects.iter().map(|r| r[0]).fold(f64::MAX, f64::min);
        let min_row = qr.rects.iter().map(|r| r[1]).fold(f64::MAX, f64::min);
        assert_eq!((min_col, min_row), (0.0, 0.0));
        let x = qr.tx * MM_PER_PT;
        let y = s.page_height_mm - qr.ty * MM_PER_PT;
        let want_x = label_x + s.layout.qr_left_mm + 4.0 * module_mm;
        let want_y = label_y + s.layout.qr_top_mm + 4.0 * module_mm;
        assert!(
            (x - want_x).abs() < TOL && (y - want_y).abs() < TOL,
            "label {i}: QR at ({x:.3}, {y:.3}) mm, template says ({want_x:.3}, {want_y:.3})"
        );
        // The far corner: the code with its quiet zone fills the template's QR box.
        let right = (qr.tx + qr.module_pt * n as f64) * MM_PER_PT;
        let bottom = s.page_height_mm - (qr.ty - qr.module_pt * n as f64) * MM_PER_PT;
        let box_right = label_x + s.layout.qr_left_mm + s.layout.qr_size_mm - 4.0 * module_mm;
        let box_bottom = label_y + s.layout.qr_top_mm + s.layout.qr_size_mm - 4.0 * module_mm;
        assert!((right - box_right).abs() < TOL && (bottom - box_bottom).abs() < TOL);
        // Inside the label.
        assert!(right < label_x + s.label_width_mm && bottom < label_y + s.label_height_mm);
    }
}

/// Selections: ids and tags in the order given; every missing or invisible one is named.
async fn sheet_requests_are_checked(b: Backend) {
    let mut app = spawn_app(b).await;
    without_pooling(&mut app);
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    let donation = app.create_donation(&staff).await;
    let devices = app.register_devices(&staff, &donation, "tablet", 3).await;
    let ids = ids_of(&devices);
    let tags = tags_of(&devices);

    // Ids in the order given, tags case-insensitive.
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7160", "device_ids": [ids[2], ids[0]] }),
        )
        .await;
    r.assert_status(200);
    let (_, qrs) = read_pdf(&r.bytes);
    let urls: Vec<String> = qrs.iter().map(PdfQr::decode).collect();
    assert_eq!(
        urls,
        vec![
            format!("{BASE}/d/{}", tags[2]),
            format!("{BASE}/d/{}", tags[0])
        ]
    );
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "brother-dk-22205", "asset_tags": [tags[1].to_lowercase()] }),
        )
        .await;
    r.assert_status(200);
    let (pages, qrs) = read_pdf(&r.bytes);
    assert_eq!(pages.len(), 1);
    assert_eq!(qrs[0].decode(), format!("{BASE}/d/{}", tags[1]));
    // A filter.
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651", "filter": { "kind": "tablet", "status": "received" } }),
        )
        .await;
    r.assert_status(200);
    assert_eq!(read_pdf(&r.bytes).1.len(), 3);
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651", "filter": { "kind": "robot" } }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["filter"]);

    // Missing ones are named, all of them.
    let unknown = uuid::Uuid::new_v4().to_string();
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651", "device_ids": [ids[0], unknown, "not-an-id"] }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["device_ids[1]", "device_ids[2]"]);
    assert!(r.body.to_string().contains(&unknown));
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651", "asset_tags": ["GNT-999999", tags[0]] }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["asset_tags[0]"]);
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651", "donation_id": uuid::Uuid::new_v4() }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["donation_id"]);

    // Exactly one selector, not empty, not too many.
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651" }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields().len(), 4);
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651", "device_ids": [ids[0]], "donation_id": donation }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["device_ids", "donation_id"]);
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651", "device_ids": [] }),
        )
        .await;
    r.assert_problem(422);
    let many: Vec<String> = (0..5001).map(|_| ids[0].clone()).collect();
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651", "device_ids": many }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["device_ids"]);
    assert!(r.body["errors"][0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("5000"));
    // Unknown keys are refused.
    app.post(
        "/labels/sheet.pdf",
        &staff,
        json!({ "stock": "avery-l7651", "device_ids": [ids[0]], "colour": "red" }),
    )
    .await
    .assert_problem(400);

    // Unknown stock: 422 naming `stock` and listing the known ones.
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l9999", "device_ids": [ids[0]] }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["stock"]);
    let message = r.body["errors"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("avery-l7160") && message.contains("dymo-99012"));
    let r = app
        .get(&format!("/devices/{}/label.png", ids[0]), &staff)
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["stock"]);
    // Too many positions skipped, a resolution out of range.
    let r = app
        .post(
            "/labels/sheet.pdf",
            &staff,
            json!({ "stock": "avery-l7651", "skip": 65, "device_ids": [ids[0]] }),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["skip"]);
    assert!(r.body["errors"][0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("at most 64"));
    let r = app
        .get(
            &format!("/devices/{}/label.png?stock=avery-l7160&dpi=5000", ids[0]),
            &staff,
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["dpi"]);
    // An unknown device.
    app.get(
        &format!(
            "/devices/{}/label.png?stock=avery-l7160",
            uuid::Uuid::new_v4()
        ),
        &staff,
    )
    .await
    .assert_problem(404);
}

/// A long PUBLIC_BASE_URL needs more QR modules than the small stock can print legibly: a clear
/// 422, never a 500, while a larger stock still works.
async fn a_stock_too_small_for_the_url_is_refused(b: Backend) {
    let long = format!("https://{}.example.be", "uitleendienst".repeat(6));
    let mut app = spawn_app_with(b, |c| c.public_base_url = long.clone()).await;
    without_pooling(&mut app);
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", 2)
        .await;
    let id = devices[0]["id"].as_str().expect("id");
    let tag = devices[0]["asset_tag"].as_str().expect("tag");
    for path in [
        format!("/devices/{id}/label.png?stock=avery-l7651"),
        format!("/devices/{id}/label.svg?stock=avery-l7651"),
    ] {
        let r = app.get(&path, &app.admin_token).await;
        r.assert_problem(422);
        assert_eq!(r.error_fields(), vec!["stock"]);
        assert!(
            r.body.to_string().contains("too small to scan"),
            "{}",
            r.body
        );
    }
    let r = app
        .post(
            "/labels/sheet.pdf",
            &app.admin_token,
            json!({ "stock": "avery-l7651", "donation_id": donation }),
        )
        .await;
    r.assert_problem(422);
    assert!(r.body["errors"][0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("too small to scan"));
    // The larger stock carries the long URL.
    let r = app
        .get(
            &format!("/devices/{id}/label.png?stock=avery-l7160&dpi=300"),
            &app.admin_token,
        )
        .await;
    r.assert_status(200);
    assert_eq!(decode_png(&r.bytes), vec![format!("{long}/d/{tag}")]);
}

/// A malformed template is skipped with a warning; the server starts and serves the others.
async fn a_malformed_template_is_skipped(b: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("labels");
    std::fs::copy(
        shipped.join("avery-l7160.toml"),
        dir.path().join("avery-l7160.toml"),
    )
    .expect("copy");
    std::fs::write(
        dir.path().join("broken.toml"),
        "id = \"broken\"\nname = [unclosed\n",
    )
    .expect("write");
    // A tiny QR code is refused when loaded, too.
    let tiny = std::fs::read_to_string(shipped.join("avery-l7651.toml"))
        .expect("read")
        .replace("id = \"avery-l7651\"", "id = \"tiny-qr\"")
        .replace("qr_size_mm = 19.0", "qr_size_mm = 9.0");
    std::fs::write(dir.path().join("tiny-qr.toml"), tiny).expect("write");
    let path = dir.path().to_path_buf();
    let app = spawn_app_with(b, |c| c.labels_dir = Some(path)).await;
    let r = app.get("/label-stocks", &app.admin_token).await;
    r.assert_status(200);
    let ids: Vec<&str> = r
        .body
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    // The built-in stocks are there; the two bad files are not.
    assert!(ids.contains(&"avery-l7160") && ids.contains(&"avery-l7651"));
    assert!(
        !ids.contains(&"broken") && !ids.contains(&"tiny-qr"),
        "{ids:?}"
    );
    assert_eq!(r.body[0]["id"], "avery-l7160");
    assert_eq!(r.body[0]["labels_per_page"], 21);
    assert_eq!(r.body[0]["kind"], "sheet");
    assert_eq!(r.body[0]["label_width_mm"], 63.5);
    let donation = app.create_donation(&app.admin_token).await;
    let devices = app
        .register_devices(&app.admin_token, &donation, "laptop", 1)
        .await;
    let id = devices[0]["id"].as_str().expect("id");
    app.get(
        &format!("/devices/{id}/label.png?stock=avery-l7160"),
        &app.admin_token,
    )
    .await
    .assert_status(200);
    let r = app
        .get(
            &format!("/devices/{id}/label.png?stock=broken"),
            &app.admin_token,
        )
        .await;
    r.assert_problem(422);
    assert_eq!(r.error_fields(), vec!["stock"]);
}

/// The scan landing: anonymous callers see only the tag, the kind, the owner and how to return
/// the device; staff who may see it also get the status and next steps.
async fn the_scan_landing_shows_only_what_it_may(b: Backend) {
    let app = spawn_app(b).await;
    let owner = app
        .create_org("Uitleendienst <Gent> & Co", "lending_service")
        .await;
    let (_, staff) = app.create_user(&owner, "lending_staff").await;
    let workshop = app.create_org("Werkplaats De Sleutel", "workshop").await;
    let (_, tech) = app.create_user(&workshop, "refurbisher").await;
    let (_, requester) = app.user_in_new_org("requester", "school").await;
    let donation = app.create_donation(&staff).await;
    let devices = app.register_devices(&staff, &donation, "laptop", 1).await;
    let id = devices[0]["id"].as_str().expect("id");
    let tag = devices[0]["asset_tag"].as_str().expect("tag");
    app.post(
        &format!("/devices/{id}/assign"),
        &staff,
        json!({ "workshop_id": workshop }),
    )
    .await
    .assert_status(200);
    let path = format!("/d/{tag}");
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    // Anonymous browser: a small page.
    for token in [None, Some("dl_not_a_real_token"), Some(requester.as_str())] {
        let r = get_with(&app, &path, token, browser).await;
        r.assert_status(200);
        assert!(r.content_type.starts_with("text/html"));
        let html = text(&r);
        assert!(html.contains("name=\"viewport\""));
        assert!(html.contains(tag));
        assert!(html.contains("Laptop"));
        assert!(html.contains("Uitleendienst &lt;Gent&gt; &amp; Co"));
        assert!(!html.contains("<Gent>"), "escaped");
        let nl = html
            .find("Gevonden? Breng dit toestel terug naar")
            .expect("nl");
        let fr = html.find("Trouvé ? Merci de rapporter").expect("fr");
        let en = html.find("Found it? Please return").expect("en");
        assert!(nl < fr && fr < en, "Dutch first, then French and English");
        for secret in [
            "Werkplaats De Sleutel",
            "received",
            "registered",
            "Lenovo",
            "ThinkPad",
            "SN-",
            "Status",
            "http://",
            "https://",
        ] {
            assert!(!html.contains(secret), "{secret} leaked: {html}");
        }
    }
    // Anonymous JSON: exactly the public fields.
    let r = get_with(&app, &path, None, "application/json").await;
    r.assert_status(200);
    let keys: Vec<&str> = r
        .body
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        vec![
            "asset_tag",
            "kind",
            "kind_label",
            "owner",
            "return_instructions"
        ]
    );
    assert_eq!(r.body["asset_tag"], tag);
    assert_eq!(r.body["kind"], "laptop");
    assert_eq!(r.body["owner"]["name"], "Uitleendienst <Gent> & Co");
    assert!(r.body["return_instructions"]["nl"]
        .as_str()
        .unwrap_or("")
        .starts_with("Gevonden? Breng dit toestel terug naar Uitleendienst <Gent> & Co"));
    assert!(!r.body.to_string().contains("Sleutel"));
    assert!(!r.body.to_string().contains("received"));

    // Staff: status, brand and model, next steps.
    for token in [&staff, &tech, &app.admin_token] {
        let r = get_with(&app, &path.to_lowercase(), Some(token), "application/json").await;
        r.assert_status(200);
        assert_eq!(r.body["asset_tag"], tag);
        assert_eq!(r.body["status"], "received");
        assert_eq!(r.body["brand"], "Lenovo");
        assert_eq!(r.body["device_id"], id);
        assert!(r.body["allowed_actions"]
            .as_array()
            .expect("actions")
            .contains(&json!("wipe")));
        let r = get_with(&app, &path, Some(token), browser).await;
        let html = text(&r);
        assert!(html.contains("received") && html.contains("wipe"));
        assert!(!html.contains("Werkplaats De Sleutel"));
    }

    // Unknown tags: a friendly page, or a problem document.
    let r = get_with(&app, "/d/GNT-999999", None, browser).await;
    r.assert_status(404);
    assert!(r.content_type.starts_with("text/html"));
    let html = text(&r);
    assert!(html.contains("Onbekend label") && html.contains("name=\"viewport\""));
    let r = get_with(&app, "/d/GNT-999999", Some(&staff), "application/json").await;
    r.assert_problem(404);
    let r = get_with(&app, "/d/%3Cscript%3E", None, browser).await;
    r.assert_status(404);
    assert!(!text(&r).contains("<script>"));
}

/// (role, token, /label-stocks, label.png, label.svg, sheet.pdf, scan shows staff fields)
type Expectation<'a> = (&'a str, Option<&'a str>, u16, u16, u16, u16, bool);

/// Who may use the label endpoints, written out per role (not derived from the policy table).
async fn role_matrix_for_labels(b: Backend) {
    let app = spawn_app(b).await;
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    let (workshop, tech) = app.user_in_new_org("refurbisher", "workshop").await;
    let (_, other_tech) = app.user_in_new_org("refurbisher", "workshop").await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "city_service").await;
    let (_, social) = app.user_in_new_org("social_worker", "welfare_office").await;
    let (_, requester) = app.user_in_new_org("requester", "school").await;
    let donation = app.create_donation(&staff).await;
    let devices = app.register_devices(&staff, &donation, "robot", 1).await;
    let id = devices[0]["id"].as_str().expect("id").to_string();
    let tag = devices[0]["asset_tag"].as_str().expect("tag").to_string();
    app.post(
        &format!("/devices/{id}/assign"),
        &staff,
        json!({ "workshop_id": workshop }),
    )
    .await
    .assert_status(200);

    // (role, token, stocks, png, svg, pdf, scan shows staff fields)
    let admin = app.admin_token.clone();
    let matrix: Vec<Expectation> = vec![
        ("admin", Some(&admin), 200, 200, 200, 200, true),
        ("lending_staff", Some(&staff), 200, 200, 200, 200, true),
        ("refurbisher", Some(&tech), 200, 200, 200, 200, true),
        (
            "other refurbisher",
            Some(&other_tech),
            200,
            404,
            404,
            422,
            false,
        ),
        ("coordinator", Some(&coordinator), 403, 403, 403, 403, true),
        ("social_worker", Some(&social), 403, 403, 403, 403, false),
        ("requester", Some(&requester), 403, 403, 403, 403, false),
        ("anonymous", None, 401, 401, 401, 401, false),
    ];
    for (role, token, stocks, png, svg, pdf, staff_view) in matrix {
        let send = |method: Method, path: String, body: Option<Value>| {
            let app = &app;
            async move { app.send(method, &path, token, body).await }
        };
        let r = send(Method::GET, "/label-stocks".into(), None).await;
        assert_eq!(r.status.as_u16(), stocks, "{role} GET /label-stocks");
        if stocks == 200 {
            let ids: Vec<&str> = r
                .body
                .as_array()
                .expect("list")
                .iter()
                .filter_map(|s| s["id"].as_str())
                .collect();
            assert_eq!(ids.len(), 7);
            assert!(ids.contains(&"avery-l7651") && ids.contains(&"brother-dk-22205"));
        }
        let r = send(
            Method::GET,
            format!("/devices/{id}/label.png?stock=avery-l7160"),
            None,
        )
        .await;
        assert_eq!(r.status.as_u16(), png, "{role} label.png");
        let r = send(
            Method::GET,
            format!("/devices/{id}/label.svg?stock=avery-l7160"),
            None,
        )
        .await;
        assert_eq!(r.status.as_u16(), svg, "{role} label.svg");
        let r = send(
            Method::POST,
            "/labels/sheet.pdf".into(),
            Some(json!({ "stock": "avery-l7160", "device_ids": [id] })),
        )
        .await;
        assert_eq!(r.status.as_u16(), pdf, "{role} sheet.pdf");
        if pdf == 422 {
            assert_eq!(r.error_fields(), vec!["device_ids[0]"]);
        }
        let r = get_with(&app, &format!("/d/{tag}"), token, "application/json").await;
        assert_eq!(r.status.as_u16(), 200, "{role} /d/{{tag}}");
        assert_eq!(
            r.body.get("status").is_some(),
            staff_view,
            "{role} staff view"
        );
        assert_eq!(r.body["asset_tag"], tag.as_str());
    }
}

dual_test!(a_batch_of_65_prints_on_one_l7651_sheet);
dual_test!(sheet_requests_are_checked);
dual_test!(a_stock_too_small_for_the_url_is_refused);
dual_test!(a_malformed_template_is_skipped);
dual_test!(the_scan_landing_shows_only_what_it_may);
dual_test!(role_matrix_for_labels);

/// The label endpoints are documented under the `labels` tag; the scan landing needs no token.
async fn openapi_lists_the_label_endpoints(b: Backend) {
    let app = spawn_app(b).await;
    let r = app.send(Method::GET, "/openapi.json", None, None).await;
    r.assert_status(200);
    let paths = &r.body["paths"];
    for (path, method) in [
        ("/label-stocks", "get"),
        ("/devices/{id}/label.png", "get"),
        ("/devices/{id}/label.svg", "get"),
        ("/labels/sheet.pdf", "post"),
        ("/d/{asset_tag}", "get"),
    ] {
        let op = &paths[path][method];
        assert!(op.is_object(), "OpenAPI lacks {method} {path}");
        assert_eq!(op["tags"][0], "labels", "{path}");
        assert_eq!(
            op.get("security").is_some(),
            path != "/d/{asset_tag}",
            "{path} security"
        );
    }
    assert!(r.body["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .any(|t| t["name"] == "labels"));
}
dual_test!(openapi_lists_the_label_endpoints);

/// The staff view of the scan landing offers only actions the caller can take there; a sold
/// device's page does not ask the finder to bring it back.
async fn the_scan_landing_offers_only_real_actions_and_lets_sold_devices_go(b: Backend) {
    let app = spawn_app(b).await;
    let admin = app.admin_token.clone();
    let (workshop, tech) = app.user_in_new_org("refurbisher", "workshop").await;
    let (_, staff) = app
        .user_in_new_org("lending_staff", "lending_service")
        .await;
    let (_, coordinator) = app.user_in_new_org("coordinator", "lending_service").await;
    let donation = app.create_donation(&admin).await;
    let laptops = app.register_devices(&admin, &donation, "laptop", 2).await;
    let r = app
        .post(
            "/devices",
            &admin,
            json!({ "kind": "peripheral", "subtype": "headphones", "brand": "JBL", "model": "T5" }),
        )
        .await;
    r.assert_status(201);
    let headphones = r.body["asset_tag"].as_str().expect("tag").to_string();
    let ready = laptops[0]["id"].as_str().expect("id").to_string();
    let ready_tag = laptops[0]["asset_tag"].as_str().expect("tag").to_string();
    let received_tag = laptops[1]["asset_tag"].as_str().expect("tag").to_string();
    for d in [&ready_tag, &received_tag, &headphones] {
        app.post(
            &format!("/devices/{d}/assign"),
            &admin,
            json!({ "workshop_id": workshop }),
        )
        .await
        .assert_status(200);
    }
    crate::refurbishment::make_ready(&app, &admin, &ready).await;
    let offered = |tag: String, token: String| {
        let app = &app;
        async move {
            let r = get_with(app, &format!("/d/{tag}"), Some(&token), "application/json").await;
            r.assert_status(200);
            r.body["allowed_actions"].clone()
        }
    };
    // Ready: lend and book_out go through loans and bookings, mark_lost is not a workshop's.
    assert_eq!(
        offered(ready_tag.clone(), staff.clone()).await,
        json!(["send_to_repair", "retire", "mark_lost"])
    );
    assert_eq!(
        offered(ready_tag.clone(), tech.clone()).await,
        json!(["send_to_repair", "retire"])
    );
    // A coordinator reads devices but acts on none.
    assert_eq!(
        offered(ready_tag.clone(), coordinator.clone()).await,
        json!([])
    );
    // Received: a laptop is wiped first; headphones (no storage) go straight to the check.
    assert_eq!(
        offered(received_tag.clone(), tech.clone()).await,
        json!(["wipe", "send_to_repair", "retire"])
    );
    assert_eq!(
        offered(headphones.clone(), tech.clone()).await,
        json!(["wipe", "refurbish", "send_to_repair", "retire"])
    );
    // Every action offered is accepted by the action endpoint.
    let r = app
        .post(
            &format!("/devices/{ready_tag}/actions/mark_lost"),
            &staff,
            json!({}),
        )
        .await;
    r.assert_status(200);

    // Sold (to its borrower): the page says it need not come back.
    {
        use diesel::prelude::*;
        use digilend::db::schema::devices;
        let mut conn = app.db.conn().expect("conn");
        diesel::update(devices::table.find(&ready))
            .set(devices::status.eq("sold"))
            .execute(&mut *conn)
            .expect("sold");
    }
    let r = get_with(&app, &format!("/d/{ready_tag}"), None, "application/json").await;
    r.assert_status(200);
    assert_eq!(r.body["sold"], true);
    let nl = r.body["return_instructions"]["nl"].as_str().expect("nl");
    assert!(nl.contains("verkocht") && !nl.contains("Breng"), "{nl}");
    assert!(!r.body["return_instructions"]["en"]
        .as_str()
        .expect("en")
        .contains("Please return"));
    let browser = "text/html,application/xhtml+xml";
    let html = text(&get_with(&app, &format!("/d/{ready_tag}"), None, browser).await);
    assert!(html.contains("Former owner") && html.contains("no need to return it"));
    assert!(!html.contains("Please return") && !html.contains("Breng dit toestel terug"));
    // A device not sold still asks to be brought back.
    let r = get_with(
        &app,
        &format!("/d/{received_tag}"),
        None,
        "application/json",
    )
    .await;
    assert!(r.body.get("sold").is_none());
    assert!(r.body["return_instructions"]["en"]
        .as_str()
        .expect("en")
        .starts_with("Found it? Please return"));
}
dual_test!(the_scan_landing_offers_only_real_actions_and_lets_sold_devices_go);
