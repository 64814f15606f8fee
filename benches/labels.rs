//! Times a 1,000-label PDF on Avery L7160 and L7651 (median and p95 over 20 runs) and prints
//! its size. Run with `cargo bench --bench labels`. Target: p95 at most 0.1 s. `BENCH_RUNS=n`
//! changes the number of runs (for a profiler).
//!
//! Set `LABELS_BENCH_OUT=dir` to also write the PDFs and one PNG and SVG per stock there.

mod support;

use std::path::Path;
use std::time::Duration;

use support::{ms, percentile, runs, time};

use digilend::labels::{render_pdf, render_png, render_svg, LabelCatalog, LabelData};

const LABELS: usize = 1000;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("labels");
    let (catalog, warnings) = LabelCatalog::load_dir(&dir);
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let labels: Vec<LabelData> = (1..=LABELS)
        .map(|i| LabelData {
            url: format!("https://uitleen.gent.be/d/GNT-{i:06}"),
            asset_tag: format!("GNT-{i:06}"),
            owner_short: "Stad Gent – Café Zoë".into(),
            kind: ["Laptop", "Tablet", "Robot"][i % 3].into(),
            model: Some("Lenovo ThinkPad T480s".into()),
        })
        .collect();
    let out = std::env::var_os("LABELS_BENCH_OUT");

    for id in ["avery-l7160", "avery-l7651"] {
        let Some(stock) = catalog.get(id) else {
            eprintln!("stock {id} missing");
            std::process::exit(1);
        };
        let count = runs(20);
        let mut times: Vec<Duration> = Vec::with_capacity(count);
        let mut size = 0;
        for run in 0..count {
            let (result, took) = time(|| render_pdf(stock, &labels, 0));
            let pdf = match result {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("{id}: {e}");
                    std::process::exit(1);
                }
            };
            times.push(took);
            size = pdf.len();
            if run == 0 {
                if let Some(out) = &out {
                    let out = Path::new(out);
                    let _ = std::fs::write(out.join(format!("{id}-1000.pdf")), &pdf);
                }
            }
        }
        let median = percentile(&mut times, 0.5);
        let p95 = percentile(&mut times, 0.95);
        println!(
            "{id}: {LABELS} labels, {} pages: median {:.1} ms, p95 {:.1} ms, {:.2} MB ({} bytes)",
            LABELS.div_ceil(stock.labels_per_page()),
            ms(median),
            ms(p95),
            size as f64 / 1e6,
            size
        );
    }

    if let Some(out) = &out {
        let out = Path::new(out);
        for stock in catalog.stocks() {
            let label = &labels[122];
            if let Ok(png) = render_png(stock, label, 300) {
                let _ = std::fs::write(out.join(format!("{}.png", stock.id)), png);
            }
            if let Ok(svg) = render_svg(stock, label) {
                let _ = std::fs::write(out.join(format!("{}.svg", stock.id)), svg);
            }
            if let Ok(pdf) = render_pdf(stock, &labels[..3], 0) {
                let _ = std::fs::write(out.join(format!("{}-3.pdf", stock.id)), pdf);
            }
        }
    }
}
