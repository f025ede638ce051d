//! Residency from several vantages: each run records its vantage and, per address, the
//! minimum TCP connect time (`latency.tcp`); the light-in-fibre disc around each vantage bounds
//! where the address can be. Merging runs of the same catalog intersects those discs: a
//! country is ruled out when any vantage's disc misses it. Every other piece of evidence (range
//! files, databases, ASN) is taken as recorded by the first run's `geo.residency`, and the
//! verdict is decided again by the same rules (`kensa_probe_geo::verdict::decide`).
//! Nothing is probed; nothing is written into the runs.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use kensa_probe_geo::physics::{Physics, RttSample, Vantage};
use kensa_probe_geo::verdict::{AddressResidency, decide};
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

/// Errors reading the runs.
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
