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

use crate::evidence::{Evidence, Record, read_records};

/// One address judged again with every vantage's RTT.
#[derive(Clone, Debug, Serialize)]
pub struct Merged {
    /// The target id.
    pub target: String,
    /// The address.
    pub address: IpAddr,
    /// The minimum connect time from each trusted vantage (ms), one sample per vantage: the
    /// vantages whose discs were intersected.
    pub vantages: Vec<RttSample>,
    /// Vantages that measured the address but were not trusted (see [`FlaggedVantage`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flagged: Vec<String>,
    /// The verdict recorded by the first run that placed the address.
    pub before: AddressResidency,
    /// The verdict with the intersected discs.
    pub after: AddressResidency,
}

/// A vantage whose measurements cannot be right for the place it declared: for some address,
/// its RTT disc and another vantage's cannot meet (the two places are farther apart than the
/// two distance bounds together, slack included), so one of the two RTTs is below the
/// speed-of-light bound for its declared place. The vantage in the most such pairs is
/// flagged (all of them on a tie, as with two vantages alone), and its discs are left out of
/// every verdict of the run: a wrong clock or a wrong location is wrong for every address.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlaggedVantage {
    /// The vantage.
    pub vantage: String,
    /// Its declared place.
    pub lat: f64,
    /// Its declared place.
    pub lon: f64,
    /// The first contradiction found, in words.
    pub reason: String,
    /// Addresses whose measurements contradicted another vantage's.
    pub addresses: Vec<IpAddr>,
}

/// Every address of several vantages' evidence judged again ([`merge_evidence`]).
#[derive(Clone, Debug, Serialize)]
pub struct MergedRun {
    /// Per (target, address).
    pub addresses: Vec<Merged>,
    /// Vantages that measured something (name, with a place).
    pub vantages: Vec<String>,
    /// Vantages flagged as implausible, not trusted.
    pub flagged: Vec<FlaggedVantage>,
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
    let mut all = Vec::new();
    for run in runs {
        let records = read_records(run).map_err(|source| MergeError::Read {
            path: run.to_path_buf(),
            source,
        })?;
        all.extend(records.into_iter().filter_map(|r| match r {
            Record::Evidence(ev) => Some(ev),
            _ => None,
        }));
    }
    let merged = merge_evidence(&all)?;
    for f in &merged.flagged {
        tracing::warn!("vantage {} not trusted: {}", f.vantage, f.reason);
    }
    Ok(merged.addresses)
}

/// The smallest RTT of each vantage to each (target, address), from `latency.tcp` records
/// of vantages with a place.
fn rtt_samples(records: &[Evidence]) -> BTreeMap<(String, IpAddr), Vec<RttSample>> {
    let mut rtts: BTreeMap<(String, IpAddr), Vec<RttSample>> = BTreeMap::new();
    for ev in records.iter().filter(|e| e.probe == "latency.tcp") {
        let (Some(v), Some(obs)) = (ev.vantage.as_ref(), ev.observation.as_ref()) else {
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
            #[allow(clippy::cast_precision_loss)]
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
    rtts
}

/// The distance bound of a sample with the slack [`Physics`] rules countries out with, km.
fn limit_km(physics: &Physics, rtt_min_ms: f64) -> f64 {
    physics.max_distance_km(rtt_min_ms) * (1.0 + physics.slack_ratio) + physics.slack_km
}

/// Vantages whose discs for one address contradict the others': for each pair whose discs
/// cannot meet, a violation; the vantage in the most violations is flagged (every one tied
/// for the most), then the rest is checked again. Returns the flagged names with a reason.
fn implausible(physics: &Physics, address: IpAddr, samples: &[RttSample]) -> Vec<(String, String)> {
    let mut left: Vec<&RttSample> = samples.iter().collect();
    let mut out = Vec::new();
    loop {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        let mut why: BTreeMap<&str, String> = BTreeMap::new();
        for (i, a) in left.iter().enumerate() {
            for b in left.iter().skip(i + 1) {
                let apart = kensa_probe_geo::physics::distance_km(
                    a.vantage.lat,
                    a.vantage.lon,
                    b.vantage.lat,
                    b.vantage.lon,
                );
                let (la, lb) = (
                    limit_km(physics, a.rtt_min_ms),
                    limit_km(physics, b.rtt_min_ms),
                );
                if apart > la + lb {
                    for (s, o, l, lo) in [(a, b, la, lb), (b, a, lb, la)] {
                        *count.entry(s.vantage.name.as_str()).or_default() += 1;
                        why.entry(s.vantage.name.as_str()).or_insert_with(|| {
                            format!(
                                "{:.2} ms to {address} from {}@{},{} (within {:.0} km) and {:.2} ms \
                                 from {}@{},{} (within {:.0} km) cannot both hold: the places are \
                                 {:.0} km apart, so an RTT is below the speed-of-light bound for \
                                 its declared place",
                                s.rtt_min_ms,
                                s.vantage.name,
                                s.vantage.lat,
                                s.vantage.lon,
                                l,
                                o.rtt_min_ms,
                                o.vantage.name,
                                o.vantage.lat,
                                o.vantage.lon,
                                lo,
                                apart
                            )
                        });
                    }
                }
            }
        }
        let Some(most) = count.values().copied().max() else {
            return out;
        };
        let worst: Vec<String> = count
            .iter()
            .filter(|(_, n)| **n == most)
            .map(|(v, _)| (*v).to_owned())
            .collect();
        for w in &worst {
            out.push((w.clone(), why.get(w.as_str()).cloned().unwrap_or_default()));
        }
        left.retain(|s| !worst.contains(&s.vantage.name));
    }
}

/// Judge every address of `records` (several vantages' evidence of one catalog) again with
/// the RTT discs of every vantage that measured it, intersected. Every other piece of evidence
/// (range files, databases, ASN) is the first `geo.residency` verdict's. A vantage whose
/// measurements are implausible for its declared place ([`FlaggedVantage`]) is left out.
pub fn merge_evidence(records: &[Evidence]) -> Result<MergedRun, MergeError> {
    let mut base: BTreeMap<(String, IpAddr), AddressResidency> = BTreeMap::new();
    for ev in records.iter().filter(|e| e.probe == "geo.residency") {
        let Some(Ok(g)) = ev
            .observation
            .as_ref()
            .map(|o| serde_json::from_str::<GeoObs>(o.get()))
        else {
            continue;
        };
        for a in g.residency.addresses {
            base.entry((ev.target.id.clone(), a.address)).or_insert(a);
        }
    }
    if base.is_empty() {
        return Err(MergeError::NothingToMerge);
    }
    let mut rtts = rtt_samples(records);
    let physics = Physics::default();
    let mut flagged: BTreeMap<String, FlaggedVantage> = BTreeMap::new();
    let mut places: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for ((_, address), samples) in &rtts {
        for s in samples {
            places.insert(s.vantage.name.clone(), (s.vantage.lat, s.vantage.lon));
        }
        for (name, reason) in implausible(&physics, *address, samples) {
            let (lat, lon) = places.get(&name).copied().unwrap_or_default();
            let f = flagged.entry(name.clone()).or_insert(FlaggedVantage {
                vantage: name,
                lat,
                lon,
                reason,
                addresses: Vec::new(),
            });
            if !f.addresses.contains(address) {
                f.addresses.push(*address);
            }
        }
    }
    let addresses = base
        .into_iter()
        .map(|((target, address), before)| {
            let all = rtts.remove(&(target.clone(), address)).unwrap_or_default();
            let (vantages, untrusted): (Vec<RttSample>, Vec<RttSample>) = all
                .into_iter()
                .partition(|s| !flagged.contains_key(&s.vantage.name));
            let mut ev = before.evidence.clone();
            ev.physics =
                (!vantages.is_empty()).then(|| physics.assess(&vantages, &before.declared_country));
            let after = decide(address, &before.declared_country, ev);
            Merged {
                target,
                address,
                vantages,
                flagged: untrusted.into_iter().map(|s| s.vantage.name).collect(),
                before,
                after,
            }
        })
        .collect();
    Ok(MergedRun {
        addresses,
        vantages: places.into_keys().collect(),
        flagged: flagged.into_values().collect(),
    })
}

/// The `geo.residency` record of each target, judged again with every vantage's discs: for a
/// run gathered from several vantages ([`crate::pg`]'s run completion). Each is the first
/// successful `geo.residency` record of the target in `records` (its range, database and ASN
/// evidence as recorded), with every serving address's verdict replaced by the merged one and
/// the endpoint's counts decided again; the observation names the vantages that contributed
/// (`vantages`; per address, `vantages` and `flagged_vantages`) and the flagged ones
/// (`flagged_vantages`, with the reason), and the record carries no vantage of its own.
pub fn multi_vantage_geo(records: &[Evidence]) -> Result<(Vec<Evidence>, MergedRun), MergeError> {
    use serde_json::{Value, json};
    let merged = merge_evidence(records)?;
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for ev in records.iter().filter(|e| {
        e.probe == kensa_probe_geo::PROBE_ID && e.outcome == kensa_probe::Outcome::Success
    }) {
        if seen.contains(&ev.target.id) {
            continue;
        }
        let Some(Ok(mut obs)) = ev
            .observation
            .as_ref()
            .map(|o| serde_json::from_str::<Value>(o.get()))
        else {
            continue;
        };
        let Some(Ok(er)) = obs
            .get("residency")
            .map(|r| serde_json::from_value::<EndpointResidency>(r.clone()))
        else {
            continue;
        };
        let mine: Vec<&Merged> = merged
            .addresses
            .iter()
            .filter(|m| m.target == ev.target.id)
            .collect();
        let find = |ip: IpAddr| mine.iter().find(|m| m.address == ip);
        let addresses = er
            .addresses
            .iter()
            .map(|a| find(a.address).map_or_else(|| a.clone(), |m| m.after.clone()))
            .collect();
        let er = endpoint_residency(
            &er.endpoint,
            &er.declared_country,
            addresses,
            er.name_servers,
        );
        let Ok(mut rv) = serde_json::to_value(&er) else {
            continue;
        };
        for a in rv
            .get_mut("addresses")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            let ip = a
                .get("address")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<IpAddr>().ok());
            if let (Some(m), Some(o)) = (ip.and_then(find), a.as_object_mut()) {
                let names: Vec<&str> = m.vantages.iter().map(|s| s.vantage.name.as_str()).collect();
                o.insert("vantages".into(), json!(names));
                o.insert("flagged_vantages".into(), json!(m.flagged));
            }
        }
        let Some(o) = obs.as_object_mut() else {
            continue;
        };
        o.insert("residency".into(), rv);
        o.insert("vantage".into(), Value::Null);
        o.insert("vantages".into(), json!(merged.vantages));
        o.insert("flagged_vantages".into(), json!(merged.flagged));
        let Ok(raw) = serde_json::value::RawValue::from_string(obs.to_string()) else {
            continue;
        };
        let mut e = ev.clone();
        e.vantage = None;
        e.observation = Some(raw);
        seen.insert(ev.target.id.clone());
        out.push(e);
    }
    Ok((out, merged))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ADDR: &str = "192.0.2.10";

    /// A record of `probe` for target `p/t` from `vantage` (`NAME@LAT,LON`, or none).
    fn record(probe: &str, vantage: Option<(&str, f64, f64)>, obs: serde_json::Value) -> Evidence {
        let mut v = json!({"schema_version": 1, "run_id": "r",
            "target": {"id": "p/t", "provider": "p", "host": ADDR, "port": 443,
                       "addresses": [ADDR], "address_source": "literal"},
            "probe": probe, "probe_version": "1", "started_at": "t", "elapsed_us": 1,
            "outcome": "success", "fault": "none", "observation": obs});
        if let Some((name, lat, lon)) = vantage {
            v["vantage"] = json!({"name": name, "lat": lat, "lon": lon});
        }
        serde_json::from_value(v).unwrap()
    }

    fn latency(name: &str, lat: f64, lon: f64, ms: f64) -> Evidence {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let us = (ms * 1000.0) as u64;
        record(
            "latency.tcp",
            Some((name, lat, lon)),
            json!({"addresses": [{"address": ADDR, "samples_us": [us + 50, us]}]}),
        )
    }

    /// The geo.residency record one vantage wrote: no range or database evidence, and that
    /// vantage's own disc.
    fn geo(vantage: (&str, f64, f64), ms: f64) -> Evidence {
        let ip: IpAddr = ADDR.parse().unwrap();
        let sample = RttSample {
            vantage: Vantage {
                name: vantage.0.into(),
                lat: vantage.1,
                lon: vantage.2,
            },
            rtt_min_ms: ms,
        };
        let ev = kensa_probe_geo::verdict::Evidence {
            physics: Some(Physics::default().assess(&[sample], "JP")),
            ..Default::default()
        };
        let er = endpoint_residency("p/t", "JP", vec![decide(ip, "JP", ev)], Vec::new());
        record(
            "geo.residency",
            Some(vantage),
            json!({"sources": [], "vantage": {"name": vantage.0}, "addresses_from": "literal",
                   "residency": er, "jurisdiction": {}}),
        )
    }

    const TOKYO: (&str, f64, f64) = ("tokyo-1", 35.68, 139.69);
    const OSAKA: (&str, f64, f64) = ("osaka-1", 34.69, 135.50);
    const FRA: (&str, f64, f64) = ("fra-1", 50.11, 8.68);

    fn three(fra_ms: f64) -> Vec<Evidence> {
        vec![
            latency(TOKYO.0, TOKYO.1, TOKYO.2, 1.0),
            geo(TOKYO, 1.0),
            latency(OSAKA.0, OSAKA.1, OSAKA.2, 4.0),
            geo(OSAKA, 4.0),
            latency(FRA.0, FRA.1, FRA.2, fra_ms),
            geo(FRA, fra_ms),
        ]
    }

    fn discs(m: &Merged) -> Vec<String> {
        let mut d: Vec<String> = m
            .after
            .evidence
            .physics
            .as_ref()
            .map(|p| p.discs.iter().map(|d| d.vantage.clone()).collect())
            .unwrap_or_default();
        d.sort();
        d
    }

    #[test]
    fn three_vantages_discs_are_intersected_and_named() {
        let run = merge_evidence(&three(240.0)).unwrap();
        assert!(run.flagged.is_empty(), "{:?}", run.flagged);
        assert_eq!(run.vantages, ["fra-1", "osaka-1", "tokyo-1"]);
        let [m] = run.addresses.as_slice() else {
            panic!("{:?}", run.addresses)
        };
        assert_eq!(discs(m), ["fra-1", "osaka-1", "tokyo-1"]);
        let p = m.after.evidence.physics.as_ref().unwrap();
        // Tokyo's 1 ms disc (≤ 203 km with slack) alone reaches only Japan.
        assert!(p.declared_confirmed, "{p:?}");
        assert_eq!(p.possible, ["JP"]);
        // The record handed to the assessment says which vantages contributed.
        let (geo, _) = multi_vantage_geo(&three(240.0)).unwrap();
        let [g] = geo.as_slice() else {
            panic!("{geo:?}")
        };
        assert!(g.vantage.is_none());
        let o: serde_json::Value =
            serde_json::from_str(g.observation.as_ref().unwrap().get()).unwrap();
        assert_eq!(o["vantages"], json!(["fra-1", "osaka-1", "tokyo-1"]));
        assert_eq!(o["flagged_vantages"], json!([]));
        let a = &o["residency"]["addresses"][0];
        assert_eq!(a["vantages"], json!(["tokyo-1", "osaka-1", "fra-1"]));
        assert_eq!(
            a["evidence"]["physics"]["discs"].as_array().unwrap().len(),
            3
        );
        assert_eq!(
            o["residency"]["counts"],
            serde_json::to_value(m_counts(m)).unwrap()
        );
    }

    fn m_counts(m: &Merged) -> kensa_probe_geo::verdict::Counts {
        endpoint_residency("p/t", "JP", vec![m.after.clone()], Vec::new()).counts
    }

    #[test]
    fn a_vantage_faster_than_light_for_its_place_is_flagged_and_not_trusted() {
        // Frankfurt claims 0.5 ms to an address Tokyo and Osaka see at 1 and 4 ms: its disc
        // (≤ 150 km) cannot meet theirs 9,000 km away.
        let run = merge_evidence(&three(0.5)).unwrap();
        let [f] = run.flagged.as_slice() else {
            panic!("{:?}", run.flagged)
        };
        assert_eq!(f.vantage, "fra-1");
        assert_eq!(f.addresses, [ADDR.parse::<IpAddr>().unwrap()]);
        assert!(f.reason.contains("speed-of-light"), "{}", f.reason);
        let m = &run.addresses[0];
        assert_eq!(discs(m), ["osaka-1", "tokyo-1"]);
        assert_eq!(m.flagged, ["fra-1"]);
        let (geo, _) = multi_vantage_geo(&three(0.5)).unwrap();
        let o: serde_json::Value =
            serde_json::from_str(geo[0].observation.as_ref().unwrap().get()).unwrap();
        assert_eq!(o["flagged_vantages"][0]["vantage"], "fra-1");
        assert_eq!(
            o["residency"]["addresses"][0]["flagged_vantages"],
            json!(["fra-1"])
        );
        assert_eq!(
            o["residency"]["addresses"][0]["vantages"],
            json!(["tokyo-1", "osaka-1"])
        );
    }

    #[test]
    fn two_contradicting_vantages_are_both_untrusted() {
        let records = vec![
            latency(TOKYO.0, TOKYO.1, TOKYO.2, 1.0),
            geo(TOKYO, 1.0),
            latency(FRA.0, FRA.1, FRA.2, 1.0),
        ];
        let run = merge_evidence(&records).unwrap();
        let names: Vec<&str> = run.flagged.iter().map(|f| f.vantage.as_str()).collect();
        assert_eq!(names, ["fra-1", "tokyo-1"]);
        // No disc is trusted: physics says nothing.
        assert!(run.addresses[0].after.evidence.physics.is_none());
        assert!(run.addresses[0].vantages.is_empty());
    }
}
