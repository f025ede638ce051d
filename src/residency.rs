//! Residency from several vantages: each run records its vantage and, per address, the
//! minimum TCP connect time (`latency.tcp`); the light-in-fibre disc around each vantage bounds
//! where the address can be. Merging runs of the same catalog intersects those discs: a
//! country is ruled out when any vantage's disc misses it. Every other piece of evidence (range
//! files, databases, ASN) is taken as recorded by the first run's `geo.residency`, and the
//! verdict is decided again by the same rules (`kensa_probe_geo::verdict::decide`).
//! Nothing is probed; nothing is written into the runs.
//!
//! [`provider_residency_of_run`] answers the per-provider question of one run ("every serving
//! address and every name server of every endpoint of the provider in the declared country")
//! from the per-endpoint verdicts as recorded, for `kensa residency` and for reports.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use kensa_probe_geo::physics::{Physics, RttSample, Vantage};
use kensa_probe_geo::verdict::{
    AddressResidency, EndpointResidency, ProviderResidency, decide, endpoint_residency,
    provider_residency,
};
use serde::{Deserialize, Serialize};

use crate::evidence::{Record, read_records};

/// One address judged again with every vantage's RTT.
#[derive(Clone, Debug, Serialize)]
pub struct Merged {
    /// The target id.
    pub target: String,
    /// The address.
    pub address: IpAddr,
    /// The minimum connect time from each vantage (ms), one sample per vantage.
    pub vantages: Vec<RttSample>,
    /// The verdict recorded by the first run that placed the address.
    pub before: AddressResidency,
    /// The verdict with the intersected discs.
    pub after: AddressResidency,
}

/// Errors reading the runs (for [`merge`] and [`provider_residency_of_run`]).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A run could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The run.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No run holds a `geo.residency` verdict.
    #[error("none of the runs holds geo.residency evidence to merge")]
    NothingToMerge,
}

#[derive(Deserialize)]
struct GeoObs {
    residency: Residency,
}

#[derive(Deserialize)]
struct Residency {
    addresses: Vec<AddressResidency>,
}

#[derive(Deserialize)]
struct LatencyObs {
    addresses: Vec<LatencyAddr>,
}

#[derive(Deserialize)]
struct LatencyAddr {
    address: IpAddr,
    samples_us: Vec<u64>,
}

/// Merge the runs (one per vantage) and judge every placed address again.
pub fn merge(runs: &[&Path]) -> Result<Vec<Merged>, MergeError> {
    let mut base: BTreeMap<(String, IpAddr), AddressResidency> = BTreeMap::new();
    let mut rtts: BTreeMap<(String, IpAddr), Vec<RttSample>> = BTreeMap::new();
    for run in runs {
        let records = read_records(run).map_err(|source| MergeError::Read {
            path: run.to_path_buf(),
            source,
        })?;
        for r in records {
            let Record::Evidence(ev) = r else { continue };
            let Some(obs) = ev.observation.as_ref() else {
                continue;
            };
            match ev.probe.as_str() {
                "geo.residency" => {
                    let Ok(g) = serde_json::from_str::<GeoObs>(obs.get()) else {
                        continue;
                    };
                    for a in g.residency.addresses {
                        base.entry((ev.target.id.clone(), a.address)).or_insert(a);
                    }
                }
                "latency.tcp" => {
                    let Some(v) = ev.vantage.as_ref() else {
                        continue;
                    };
                    let (Some(lat), Some(lon)) = (v.lat, v.lon) else {
                        continue;
                    };
                    let Ok(l) = serde_json::from_str::<LatencyObs>(obs.get()) else {
                        continue;
                    };
                    for a in l.addresses {
                        let Some(min) = a.samples_us.iter().min() else {
                            continue;
                        };
                        let sample = RttSample {
                            vantage: Vantage {
                                name: v.name.clone(),
                                lat,
                                lon,
                            },
                            rtt_min_ms: *min as f64 / 1000.0,
                        };
                        let list = rtts.entry((ev.target.id.clone(), a.address)).or_default();
                        // One sample per vantage: the smallest RTT seen from it.
                        match list.iter_mut().find(|s| s.vantage.name == v.name) {
                            Some(s) if s.rtt_min_ms > sample.rtt_min_ms => *s = sample,
                            Some(_) => {}
                            None => list.push(sample),
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if base.is_empty() {
        return Err(MergeError::NothingToMerge);
    }
    let physics = Physics::default();
    Ok(base
        .into_iter()
        .map(|((target, address), before)| {
            let vantages = rtts.remove(&(target.clone(), address)).unwrap_or_default();
            let mut ev = before.evidence.clone();
            ev.physics =
                (!vantages.is_empty()).then(|| physics.assess(&vantages, &before.declared_country));
            let after = decide(address, &before.declared_country, ev);
            Merged {
                target,
                address,
                vantages,
                before,
                after,
            }
        })
        .collect())
}

#[derive(Deserialize)]
struct GeoEndpointObs {
    residency: EndpointResidency,
}

/// The per-provider residency of one run (a run directory or its `evidence.jsonl`), keyed by
/// the catalog's provider id: `kensa_probe_geo::verdict::provider_residency` over the
/// `geo.residency` verdicts of the provider's endpoints, as recorded (nothing is judged again).
///
/// - Every target of the provider that has a record in the run is an endpoint of it; one
///   without a usable `geo.residency` observation (the probe failed, e.g. no database, or did
///   not reach it) counts as undetermined, so the provider's answer cannot be `yes`.
/// - The declared country is the catalog's (`run-begin` provider details), else the one the
///   endpoints' verdicts were judged against. A provider with neither (ad-hoc targets) is
///   left out: residency is judged against a declared country.
/// - A run that neither planned `geo.residency` nor holds a record of it gives an empty map.
///
/// Targets an interrupted run never reached have no record and are not seen.
pub fn provider_residency_of_run(
    evidence_path: &Path,
) -> Result<BTreeMap<String, ProviderResidency>, MergeError> {
    let records = read_records(evidence_path).map_err(|source| MergeError::Read {
        path: evidence_path.to_path_buf(),
        source,
    })?;
    let mut planned = false;
    let mut declared: BTreeMap<String, String> = BTreeMap::new();
    // Provider → its targets, in evidence order.
    let mut targets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut verdicts: BTreeMap<String, EndpointResidency> = BTreeMap::new();
    let mut any_geo = false;
    for r in records {
        match r {
            Record::RunBegin(b) => {
                planned |= b.probes.iter().any(|p| p.id == kensa_probe_geo::PROBE_ID);
                for p in b.provider_details {
                    if let Some(c) = p.declared_country {
                        declared.insert(p.id, c);
                    }
                }
            }
            Record::Evidence(ev) => {
                let list = targets.entry(ev.target.provider.clone()).or_default();
                if !list.contains(&ev.target.id) {
                    list.push(ev.target.id.clone());
                }
                if ev.probe != kensa_probe_geo::PROBE_ID {
                    continue;
                }
                any_geo = true;
                let parsed = ev
                    .observation
                    .as_ref()
                    .and_then(|o| serde_json::from_str::<GeoEndpointObs>(o.get()).ok());
                if let Some(g) = parsed {
                    verdicts.insert(ev.target.id.clone(), g.residency);
                }
            }
            Record::RunResume(_) | Record::RunEnd(_) => {}
        }
    }
    if !planned && !any_geo {
        return Ok(BTreeMap::new());
    }
    let mut out = BTreeMap::new();
    for (provider, ids) in targets {
        let country = declared.get(&provider).cloned().or_else(|| {
            ids.iter()
                .find_map(|id| verdicts.get(id))
                .map(|e| e.declared_country.clone())
        });
        let Some(country) = country else {
            continue;
        };
        let endpoints: Vec<EndpointResidency> = ids
            .iter()
            .map(|id| {
                verdicts
                    .remove(id)
                    .unwrap_or_else(|| endpoint_residency(id, &country, Vec::new(), Vec::new()))
            })
            .collect();
        out.insert(
            provider.clone(),
            provider_residency(&provider, &country, &endpoints),
        );
    }
    Ok(out)
}
