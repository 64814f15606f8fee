//! Time and size of one loan agreement (2 devices, 12 checkpoints).
//!
//! Run with `cargo bench --bench agreement`. Targets: p95 at most 2 ms, under 100 KB.
//! Set `AGREEMENT_BENCH_OUT=file.pdf` to also write the agreement there, `BENCH_RUNS=n` to
//! change the number of timed runs (for a profiler).

mod support;

use support::{ms, percentile, runs, time};

use chrono::{Months, NaiveDate};
use digilend::documents::{loan_agreement_pdf, AgreementData, AgreementDevice, Lang, Party};

fn sample() -> Option<AgreementData> {
    let start = NaiveDate::from_ymd_opt(2026, 1, 15)?;
    let end = NaiveDate::from_ymd_opt(2032, 1, 14)?;
    let checkpoints = (1..=12)
        .map(|i| {
            start
                .checked_add_months(Months::new(6 * i))
                .map(|d| d.min(end))
        })
        .collect::<Option<Vec<_>>>()?;
    let devices = (1..=2)
        .map(|i| AgreementDevice {
            kind: "laptop".into(),
            brand: "Lenovo".into(),
            model: "ThinkPad T480".into(),
            serial: Some(format!("PF1ABC{i:03}")),
            asset_tag: format!("GNT-{i:06}"),
            qr_url: format!("https://uitleen.gent.be/d/GNT-{i:06}"),
            value_cents: 20_000,
        })
        .collect();
    Some(AgreementData {
        lang: Lang::Nl,
        agreement_number: "BL-2026-0042".into(),
        lender: Party {
            name: "Stad Gent – Digitale Uitleendienst".into(),
            address: Some("Botermarkt 1, 9000 Gent".into()),
        },
        borrower_name: "Zoë Vandenbroeck".into(),
        borrower_address: Some("Sint-Pietersnieuwstraat 33, 9000 Gent".into()),
        social_worker_name: "Noël Dumoulin".into(),
        devices,
        accessories: vec!["oplader".into(), "beschermhoes".into()],
        purpose: "solliciteren en contact houden met de VDAB".into(),
        start,
        end,
        checkpoints,
        place: Some("Gent".into()),
        signed_on: Some(start),
    })
}

fn main() {
    let Some(data) = sample() else {
        eprintln!("could not build the sample data");
        std::process::exit(1);
    };
    let (first, cold) = time(|| loan_agreement_pdf(&data));
    let pdf = match first {
        Ok(pdf) => pdf,
        Err(e) => {
            eprintln!("agreement failed: {e}");
            std::process::exit(1);
        }
    };
    if let Some(out) = std::env::var_os("AGREEMENT_BENCH_OUT") {
        let _ = std::fs::write(out, &pdf);
    }
    for _ in 0..10 {
        let _ = loan_agreement_pdf(&data);
    }
    let runs = runs(500);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (result, took) = time(|| loan_agreement_pdf(&data));
        times.push(took);
        std::hint::black_box(result.ok());
    }
    println!("loan agreement, 2 devices, 12 checkpoints, {runs} runs");
    println!("  first call (parses the fonts): {:.2} ms", ms(cold));
    println!("  p50: {:.2} ms", ms(percentile(&mut times, 0.50)));
    println!("  p95: {:.2} ms", ms(percentile(&mut times, 0.95)));
    println!("  max: {:.2} ms", ms(percentile(&mut times, 1.0)));
    println!(
        "  size: {} bytes ({:.1} KB)",
        pdf.len(),
        pdf.len() as f64 / 1024.0
    );
}
