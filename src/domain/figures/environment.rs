//! The environmental effect of reuse, by a published method named on every output.
//!
//! Method: eReuse "eReuse2026" (DeviceHub), method version v0. Avoided emissions of reusing a
//! device instead of buying a new one = manufacturing + transport + recycling credit − the
//! refurbisher's transport (400 km by van at 0.842 kg CO2e per tonne-km of the device's
//! weight). Factors from ADEME Base Carbone (open licence), uncertainty bands from Boavizta,
//! as summarised in the project's reference facts ("Environmental effect of reuse"). Avoided
//! e-waste is the device's weight. Published per-laptop figures range from about 70 to
//! 316 kg, which is why the method and its version go with every figure.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Builder;

/// One kind's factors.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Factor {
    pub kind: String,
    /// Manufacturing emissions of a new device, kg CO2e.
    pub manufacturing_kg_co2e: f64,
    /// Transport of a new device to its user, kg CO2e (0 where the method gives none).
    pub transport_kg_co2e: f64,
    /// Recycling credit, kg CO2e (negative; computers only).
    pub recycling_credit_kg_co2e: f64,
    /// The refurbisher's transport: 400 km × 0.842 kg CO2e/t·km × weight.
    pub refurbisher_transport_kg_co2e: f64,
    /// The result: emissions avoided per reused device, kg CO2e.
    pub avoided_kg_co2e: f64,
    /// The uncertainty band per device, where the method publishes one.
    pub band_low_kg_co2e: Option<f64>,
    pub band_high_kg_co2e: Option<f64>,
    /// Typical weight, kg: the e-waste avoided.
    pub weight_kg: f64,
    pub note: Option<String>,
}

/// The method, its version, source and factors.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Method {
    pub name: String,
    pub version: String,
    pub source: String,
    pub formula: String,
    pub factors: Vec<Factor>,
    /// Kinds the method gives no factor for: counted, not estimated.
    pub not_estimated: Vec<String>,
}

const VAN_KG_PER_TONNE_KM: f64 = 0.842;
const REFURBISHER_KM: f64 = 400.0;

/// (kind, manufacturing, transport, recycling credit, weight, band, note)
type Row = (
    &'static str,
    f64,
    f64,
    f64,
    f64,
    Option<(f64, f64)>,
    Option<&'static str>,
);

const TABLE: &[Row] = &[
    ("laptop", 120.0 + 4.54, 31.7, -4.5, 3.15, Some((132.0, 317.0)), None),
    ("desktop", 82.9 + 10.7, 75.4, -4.5, 11.3, Some((185.0, 413.0)),
     Some("The published band lies above the method's point estimate; both are shown as published.")),
    ("tablet", 63.2, 0.0, 0.0, 0.73, None, Some("The method gives no transport factor and no band for tablets.")),
    ("smartphone", 32.8, 0.0, 0.0, 0.17, None,
     Some("No band published; ADEME/Arcep 2025 gives 79.3 kg CO2e for manufacturing instead of 32.8.")),
];

fn two(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

pub fn method() -> Method {
    let factors = TABLE
        .iter()
        .map(
            |&(kind, manufacturing, transport, credit, weight, band, note)| {
                let refurbisher = REFURBISHER_KM * VAN_KG_PER_TONNE_KM * weight / 1000.0;
                Factor {
                    kind: kind.into(),
                    manufacturing_kg_co2e: two(manufacturing),
                    transport_kg_co2e: transport,
                    recycling_credit_kg_co2e: credit,
                    refurbisher_transport_kg_co2e: two(refurbisher),
                    avoided_kg_co2e: two(manufacturing + transport + credit - refurbisher),
                    band_low_kg_co2e: band.map(|b| b.0),
                    band_high_kg_co2e: band.map(|b| b.1),
                    weight_kg: weight,
                    note: note.map(str::to_string),
                }
            },
        )
        .collect();
    Method {
        name: "eReuse2026 (eReuse DeviceHub)".into(),
        version: "v0".into(),
        source: "Factors: ADEME Base Carbone (open licence); uncertainty bands: Boavizta; as compiled by the eReuse2026 method".into(),
        formula: "avoided = manufacturing + transport + recycling credit - refurbisher transport (400 km by van, 0.842 kg CO2e per tonne-km); e-waste avoided = weight".into(),
        factors,
        not_estimated: vec!["robot".into(), "peripheral".into()],
    }
}

/// The environment group from the devices put to reuse per kind.
pub(super) fn figures(reused: Vec<(String, i64)>) -> Builder {
    let m = method();
    let mut out = Builder::default();
    for (kind, n) in reused {
        let n = n as f64;
        out.add("devices_reused", "kind", &kind, n);
        match m.factors.iter().find(|f| f.kind == kind) {
            Some(f) => {
                out.add("co2e_avoided_kg", "kind", &kind, n * f.avoided_kg_co2e);
                out.add("ewaste_avoided_kg", "kind", &kind, n * f.weight_kg);
                if let (Some(low), Some(high)) = (f.band_low_kg_co2e, f.band_high_kg_co2e) {
                    out.add("co2e_avoided_kg_low", "kind", &kind, n * low);
                    out.add("co2e_avoided_kg_high", "kind", &kind, n * high);
                }
            }
            None => out.add("devices_not_estimated", "kind", &kind, n),
        }
    }
    for figure in [
        "devices_reused",
        "co2e_avoided_kg",
        "co2e_avoided_kg_low",
        "co2e_avoided_kg_high",
        "ewaste_avoided_kg",
        "devices_not_estimated",
    ] {
        out.total_from(figure, "kind");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_laptop_avoids_about_151_kg_as_the_method_says() {
        let m = method();
        let laptop = m.factors.iter().find(|f| f.kind == "laptop").unwrap();
        assert!((laptop.avoided_kg_co2e - 150.68).abs() < 0.01, "{laptop:?}");
        assert_eq!(laptop.refurbisher_transport_kg_co2e, 1.06);
        assert_eq!(laptop.band_low_kg_co2e, Some(132.0));
    }
}
