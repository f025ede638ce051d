//! The evidence documents the rules see: one JSON document per target, built from the
//! records of `evidence.jsonl`.
//!
//! ```json
//! {
//!   "target":   { "id": "acme/api.acme.example:443", "host": "...", "port": 443, "sni": null,
//!                 "addresses": ["192.0.2.10"], "address_source": "resolved" },
//!   "provider": { "id": "acme", "name": "Acme Cloud", "declared_country": "JP",
//!                 "applies_for": "kensa-level-2" },
//!   "probes": {
//!     "tls.scan": { "outcome": "success", "error": null, "seq": 2, "hash": "…",
//!                   "probe_version": "1", "observation": { … } },
//!     "x509.chain": { … }, "http.headers": { … }, "latency.tcp": { … },
//!     "dns.resolve": { … }, "geo.residency": { … }
//!   }
//! }
//! ```
//!
//! `seq` and `hash` name the line of `evidence.jsonl` the probe result came from, so every
//! finding can be traced to it. The provider's `name`, `declared_country` and `applies_for`
//! come from the `run-begin` record (runs written before it carried them have only the id).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::AssessError;
use crate::evidence::{self, Integrity, ProviderInfo};

/// Where one probe result sits in the evidence file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRef {
    /// The probe id.
    pub probe: String,
    /// The record's sequence number (0-based line number of `evidence.jsonl`).
    pub seq: u64,
    /// The record's hash (the `hash` field of the line).
    pub hash: String,
}

/// The evidence about one target.
#[derive(Clone, Debug)]
pub struct TargetDoc {
    /// The target id.
    pub target: String,
    /// The provider id.
    pub provider: String,
    /// The document the rules see (see the module documentation).
    pub doc: Value,
}

impl TargetDoc {
    /// The record of `probe` in this document, if the probe ran.
    pub fn record(&self, probe: &str) -> Option<RecordRef> {
        let p = self.doc.get("probes")?.get(probe)?;
        Some(RecordRef {
            probe: probe.to_owned(),
            seq: p.get("seq")?.as_u64()?,
            hash: p.get("hash")?.as_str()?.to_owned(),
        })
    }
}

/// A run read back for assessment.
#[derive(Clone, Debug)]
pub struct Run {
    /// The evidence file.
    pub file: String,
    /// The run id.
    pub run_id: String,
    /// What `kensa verify` says about the file.
    pub integrity: Integrity,
    /// The providers, by id (from `run-begin`, plus any seen only in records).
    pub providers: BTreeMap<String, ProviderInfo>,
    /// One document per target, in the order first seen.
    pub targets: Vec<TargetDoc>,
    /// When the run began (`run-begin`'s `started_at`).
    pub started: Option<String>,
    /// How the run ended, when it did (`None`: no `run-end`, see `integrity`).
    pub status: Option<evidence::RunStatus>,
    /// The probes the run was to run on every target (`run-begin`).
    pub probes: Vec<String>,
    /// The endpoints the catalog had (`run-begin`).
    pub endpoints: Option<usize>,
    /// The catalog scanned, as the user named it (`run-begin`).
    pub catalog: Option<String>,
}

/// Read a run directory (or an evidence file) through [`evidence::Records`]. A tampered
/// file is refused; an incomplete one (no `run-end`) is read, and the report says so. Only
/// lines whose place in the chain was verified are graded.
pub fn load(path: &Path) -> Result<Run, AssessError> {
    let file = evidence::evidence_path(path);
    let name = file.display().to_string();
    load_records(&name, evidence::Records::File(&file)).map(|(run, _)| run)
}

/// Build a [`Run`] from any evidence source (a file, a bundle's bytes, database rows), the
/// chain checked in the same pass. Returns the run and the chain's verdict (its head).
pub fn load_records(
    name: &str,
    source: evidence::Records<'_>,
) -> Result<(Run, evidence::ChainTail), AssessError> {
    load_records_with(name, source, |_| {})
}

/// [`load_records`], also handing each verified line to `also` (the store keeps the lines).
pub fn load_records_with(
    name: &str,
    source: evidence::Records<'_>,
    also: impl FnMut(evidence::Verified<'_>),
) -> Result<(Run, evidence::ChainTail), AssessError> {
    load_records_keeping(name, source, also, None)
}

/// [`load_records`] for a reader that needs only some probes' observations (`kensa diff`
/// reads certificates, residency and outcomes): every line is verified and every record's
/// outcome kept, but the observation of a probe `keep` refuses is skipped unparsed and left
/// `null` in the document (`None`: every observation built, as [`load_records`]).
pub fn load_records_observing(
    name: &str,
    source: evidence::Records<'_>,
    keep: Option<&dyn Fn(&str) -> bool>,
) -> Result<(Run, evidence::ChainTail), AssessError> {
    load_records_keeping(name, source, |_| {}, keep)
}

/// An evidence record's data as a JSON value, its observation left `null` unless `keep`
/// takes its probe (the observation is then only checked to be JSON, not built).
fn record_data(data: &str, keep: Option<&dyn Fn(&str) -> bool>) -> serde_json::Result<Value> {
    #[derive(serde::Deserialize)]
    struct Light {
        #[serde(default)]
        target: Value,
        #[serde(default)]
        probe: Value,
        #[serde(default)]
        outcome: Value,
        #[serde(default)]
        error: Value,
        #[serde(default)]
        probe_version: Value,
        #[serde(default)]
        observation: Option<Box<serde_json::value::RawValue>>,
    }
    let Some(keep) = keep else {
        return serde_json::from_str(data);
    };
    let l: Light = serde_json::from_str(data)?;
    let observation = match (&l.observation, l.probe.as_str()) {
        (Some(raw), Some(p)) if keep(p) => serde_json::from_str(raw.get())?,
        _ => Value::Null,
    };
    Ok(json!({
        "target": l.target,
        "probe": l.probe,
        "outcome": l.outcome,
        "error": l.error,
        "probe_version": l.probe_version,
        "observation": observation,
    }))
}

fn load_records_keeping(
    name: &str,
    source: evidence::Records<'_>,
    mut also: impl FnMut(evidence::Verified<'_>),
    keep: Option<&dyn Fn(&str) -> bool>,
) -> Result<(Run, evidence::ChainTail), AssessError> {
    let read_err = |source| AssessError::Read {
        path: name.to_owned(),
        source,
    };
    let mut run = Run {
        file: name.to_owned(),
        run_id: String::new(),
        integrity: Integrity::Incomplete,
        providers: BTreeMap::new(),
        targets: Vec::new(),
        started: None,
        status: None,
        probes: Vec::new(),
        endpoints: None,
        catalog: None,
    };
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut problem: Option<AssessError> = None;
    let tail = source
        .read(|v| {
            also(v);
            if problem.is_some() {
                return;
            }
            let line = v.seq + 1;
            let bad = |what: &str| AssessError::Evidence(format!("{name}:{line}: {what}"));
            match v.record {
                evidence::Record::RunBegin(b) => {
                    run.started = Some(b.started_at.clone());
                    run.probes = b.probes.iter().map(|p| p.id.clone()).collect();
                    run.endpoints = Some(b.endpoints);
                    run.catalog = Some(b.catalog.clone());
                    for p in &b.provider_details {
                        run.providers.insert(p.id.clone(), p.clone());
                    }
                }
                evidence::Record::Evidence(_) => {
                    let data = match record_data(v.data, keep) {
                        Ok(d) => d,
                        Err(e) => {
                            problem = Some(bad(&format!("not an evidence record: {e}")));
                            return;
                        }
                    };
                    if add_record(&mut run, &mut index, &data, v.seq, v.hash).is_none() {
                        problem = Some(bad("not an evidence record"));
                    }
                }
                _ => {}
            }
        })
        .map_err(read_err)?;
    let verified = &tail.report;
    if verified.integrity == Integrity::Tampered {
        let p = verified.problem.clone().unwrap_or(evidence::Problem {
            line: 0,
            message: "unknown problem".into(),
        });
        return Err(AssessError::Evidence(format!(
            "{name}:{}: the evidence was tampered with ({}); refusing to grade it (see `kensa verify`)",
            p.line, p.message
        )));
    }
    if let Some(p) = problem {
        return Err(p);
    }
    run.run_id = verified.run_id.clone().unwrap_or_default();
    run.integrity = verified.integrity;
    run.status = verified.run_status;
    // Providers' details into each document.
    for t in &mut run.targets {
        t.doc["provider"] = provider_details(&mut run.providers, &t.provider);
    }
    Ok((run, tail))
}

fn add_record(
    run: &mut Run,
    index: &mut BTreeMap<String, usize>,
    data: &Value,
    seq: u64,
    hash: &str,
) -> Option<()> {
    let target = data.get("target")?;
    let id = target.get("id")?.as_str()?.to_owned();
    let provider = target.get("provider")?.as_str()?.to_owned();
    let probe = data.get("probe")?.as_str()?.to_owned();
    let i = *index.entry(id.clone()).or_insert_with(|| {
        run.targets
            .push(new_doc(target, id.clone(), provider.clone()));
        run.targets.len() - 1
    });
    let doc = run.targets.get_mut(i)?;
    add_probe(doc, probe, data, seq, hash)
}

/// A target's document before its probes are added, from its first record's `target`.
fn new_doc(target: &Value, id: String, provider: String) -> TargetDoc {
    let mut t = target.clone();
    if let Some(o) = t.as_object_mut() {
        o.remove("provider");
    }
    TargetDoc {
        doc: json!({ "target": t, "provider": { "id": provider }, "probes": {} }),
        target: id,
        provider,
    }
}

/// Add one evidence record (its `data`) to its target's document.
fn add_probe(doc: &mut TargetDoc, probe: String, data: &Value, seq: u64, hash: &str) -> Option<()> {
    let entry = json!({
        "outcome": data.get("outcome").cloned().unwrap_or(Value::Null),
        "error": data.get("error").cloned().unwrap_or(Value::Null),
        "probe_version": data.get("probe_version").cloned().unwrap_or(Value::Null),
        "seq": seq,
        "hash": hash,
        "observation": data.get("observation").cloned().unwrap_or(Value::Null),
    });
    doc.doc
        .get_mut("probes")?
        .as_object_mut()?
        .insert(probe, entry);
    Some(())
}

/// A provider's details as they go into its documents (only its id when `run-begin` did not
/// name it).
fn provider_details(providers: &mut BTreeMap<String, ProviderInfo>, id: &str) -> Value {
    let p = providers
        .entry(id.to_owned())
        .or_insert_with(|| ProviderInfo {
            id: id.to_owned(),
            name: None,
            declared_country: None,
            applies_for: None,
            declaration: None,
        });
    json!(p)
}

/// Where one verified evidence line sits in the file, and its hash (checked again when the
/// line is read back).
#[derive(Clone, Copy, Debug)]
struct LineAt {
    seq: u64,
    offset: u64,
    len: u32,
    hash: [u8; 32],
}

/// One target of an indexed run: its id, provider, the probes recorded and where their lines
/// are.
#[derive(Clone, Debug)]
struct Indexed {
    target: String,
    provider: String,
    probes: Vec<String>,
    lines: Vec<LineAt>,
}

/// A run read once to verify its chain and to note where each target's lines are, so that
/// its documents can then be built a provider at a time ([`RunIndex::docs`]) and memory does
/// not grow with the run (issue 21): the streaming assessment. A few dozen bytes per line
/// are kept, not the lines.
#[derive(Debug)]
pub struct RunIndex {
    /// The run's details; its `targets` are empty (see [`RunIndex::docs`]).
    pub run: Run,
    path: std::path::PathBuf,
    targets: Vec<Indexed>,
    by_provider: BTreeMap<String, Vec<usize>>,
}

fn unhex(hex: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    for (o, pair) in out.iter_mut().zip(bytes.chunks(2)) {
        let s = std::str::from_utf8(pair).ok()?;
        *o = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

/// Index a run directory (or evidence file): the chain verified as [`load`] verifies it, and
/// the same refusals (a tampered file).
pub fn index(path: &Path) -> Result<RunIndex, AssessError> {
    let file = evidence::evidence_path(path);
    let name = file.display().to_string();
    let mut run = Run {
        file: name.clone(),
        run_id: String::new(),
        integrity: Integrity::Incomplete,
        providers: BTreeMap::new(),
        targets: Vec::new(),
        started: None,
        status: None,
        probes: Vec::new(),
        endpoints: None,
        catalog: None,
    };
    let mut targets: Vec<Indexed> = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut offset: u64 = 0;
    let mut problem: Option<AssessError> = None;
    let tail = evidence::Records::File(&file)
        .read(|v| {
            let at = offset;
            offset += v.line.len() as u64 + 1;
            if problem.is_some() {
                return;
            }
            match v.record {
                evidence::Record::RunBegin(b) => {
                    run.started = Some(b.started_at.clone());
                    run.probes = b.probes.iter().map(|p| p.id.clone()).collect();
                    run.endpoints = Some(b.endpoints);
                    run.catalog = Some(b.catalog.clone());
                    for p in &b.provider_details {
                        run.providers.insert(p.id.clone(), p.clone());
                    }
                }
                evidence::Record::Evidence(e) => {
                    let (Some(hash), Ok(len)) = (unhex(v.hash), u32::try_from(v.line.len())) else {
                        problem = Some(AssessError::Evidence(format!(
                            "{name}:{}: not an evidence record",
                            v.seq + 1
                        )));
                        return;
                    };
                    let i = *seen.entry(e.target.id.clone()).or_insert_with(|| {
                        targets.push(Indexed {
                            target: e.target.id.clone(),
                            provider: e.target.provider.clone(),
                            probes: Vec::new(),
                            lines: Vec::new(),
                        });
                        targets.len() - 1
                    });
                    if let Some(t) = targets.get_mut(i) {
                        if !t.probes.contains(&e.probe) {
                            t.probes.push(e.probe.clone());
                        }
                        t.lines.push(LineAt {
                            seq: v.seq,
                            offset: at,
                            len,
                            hash,
                        });
                    }
                }
                _ => {}
            }
        })
        .map_err(|source| AssessError::Read {
            path: name.clone(),
            source,
        })?;
    let verified = &tail.report;
    if verified.integrity == Integrity::Tampered {
        let p = verified.problem.clone().unwrap_or(evidence::Problem {
            line: 0,
            message: "unknown problem".into(),
        });
        return Err(AssessError::Evidence(format!(
            "{name}:{}: the evidence was tampered with ({}); refusing to grade it (see `kensa verify`)",
            p.line, p.message
        )));
    }
    if let Some(p) = problem {
        return Err(p);
    }
    run.run_id = verified.run_id.clone().unwrap_or_default();
    run.integrity = verified.integrity;
    run.status = verified.run_status;
    let mut by_provider: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        by_provider.entry(t.provider.clone()).or_default().push(i);
        provider_details(&mut run.providers, &t.provider);
    }
    for id in run.providers.keys() {
        by_provider.entry(id.clone()).or_default();
    }
    Ok(RunIndex {
        run,
        path: file,
        targets,
        by_provider,
    })
}

impl RunIndex {
    /// The providers, in id order, each with how many targets it has.
    pub fn providers(&self) -> impl Iterator<Item = (&str, usize)> {
        self.by_provider
            .iter()
            .map(|(id, t)| (id.as_str(), t.len()))
    }

    /// How many targets the run has.
    pub fn target_count(&self) -> usize {
        self.targets.len()
    }

    /// The interruption notice, when the run did not complete.
    pub fn interrupted(&self) -> Option<super::interrupted::Interruption> {
        super::interrupted::of_seen(
            &self.run,
            self.targets.len(),
            self.targets.iter().map(|t| {
                (
                    t.target.as_str(),
                    t.probes.iter().map(String::as_str).collect(),
                )
            }),
        )
    }

    /// Open the evidence file to read documents from ([`RunIndex::docs`]).
    pub fn open(&self) -> Result<std::fs::File, AssessError> {
        std::fs::File::open(&self.path).map_err(|source| AssessError::Read {
            path: self.run.file.clone(),
            source,
        })
    }

    /// The documents of `provider`'s targets, in the order first seen, exactly as [`load`]
    /// builds them: each line read again from `file` and checked against the hash verified.
    pub fn docs(
        &self,
        file: &mut std::fs::File,
        provider: &str,
    ) -> Result<Vec<TargetDoc>, AssessError> {
        use std::io::{Read, Seek, SeekFrom};
        let name = &self.run.file;
        let details = match self.run.providers.get(provider) {
            Some(p) => json!(p),
            None => provider_details(&mut BTreeMap::new(), provider),
        };
        let mut out = Vec::new();
        let mut buf: Vec<u8> = Vec::new();
        for i in self.by_provider.get(provider).into_iter().flatten() {
            let Some(t) = self.targets.get(*i) else {
                continue;
            };
            let mut doc: Option<TargetDoc> = None;
            for l in &t.lines {
                let line = l.seq + 1;
                let bad = |what: &str| AssessError::Evidence(format!("{name}:{line}: {what}"));
                buf.resize(l.len as usize, 0);
                file.seek(SeekFrom::Start(l.offset))
                    .and_then(|_| file.read_exact(&mut buf))
                    .map_err(|source| AssessError::Read {
                        path: name.clone(),
                        source,
                    })?;
                let text = std::str::from_utf8(&buf).map_err(|_| bad("not UTF-8 text"))?;
                let hash = evidence::hex(&l.hash);
                let data = evidence::reread_line(text, &hash, l.seq).map_err(|e| bad(&e))?;
                let data: Value = serde_json::from_str(data)
                    .map_err(|e| bad(&format!("not an evidence record: {e}")))?;
                let probe = data
                    .get("probe")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad("not an evidence record"))?
                    .to_owned();
                let d = match &mut doc {
                    Some(d) => d,
                    None => {
                        let target = data
                            .get("target")
                            .ok_or_else(|| bad("not an evidence record"))?;
                        doc.insert(new_doc(target, t.target.clone(), t.provider.clone()))
                    }
                };
                add_probe(d, probe, &data, l.seq, &hash)
                    .ok_or_else(|| bad("not an evidence record"))?;
            }
            if let Some(mut d) = doc {
                d.doc["provider"] = details.clone();
                out.push(d);
            }
        }
        Ok(out)
    }
}

/// Build a document from its parts (tests and fixtures): `probes` maps a probe id to
/// `{"outcome": ..., "observation": ...}`; `seq`/`hash` are filled in when absent.
pub fn from_value(mut doc: Value) -> TargetDoc {
    let target = doc
        .pointer("/target/id")
        .and_then(Value::as_str)
        .unwrap_or("fixture/example.test:443")
        .to_owned();
    let provider = doc
        .pointer("/provider/id")
        .and_then(Value::as_str)
        .unwrap_or("fixture")
        .to_owned();
    if let Some(probes) = doc.get_mut("probes").and_then(Value::as_object_mut) {
        for (i, (_, p)) in probes.iter_mut().enumerate() {
            if let Some(o) = p.as_object_mut() {
                o.entry("seq").or_insert(json!(i + 1));
                o.entry("hash")
                    .or_insert(json!(format!("fixture-{}", i + 1)));
                o.entry("error").or_insert(Value::Null);
            }
        }
    }
    TargetDoc {
        target,
        provider,
        doc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The light read `kensa diff` uses gives the full read's value for the probes it keeps,
    /// and the same value with a `null` observation for the others (issue 21).
    #[test]
    fn record_data_keeps_only_the_observations_asked_for() {
        let line = r#"{"target":{"id":"t1","provider":"p","host":"a.example"},"probe":"tls.scan","outcome":"success","error":null,"probe_version":"3","observation":{"versions":["TLSv1.3"],"n":[1,2,{"x":"y"}]},"extra":1}"#;
        let full: Value = serde_json::from_str(line).unwrap();
        let kept = record_data(line, Some(&|p: &str| p == "tls.scan")).unwrap();
        for k in [
            "target",
            "probe",
            "outcome",
            "error",
            "probe_version",
            "observation",
        ] {
            assert_eq!(kept.get(k), full.get(k), "{k}");
        }
        let light = record_data(line, Some(&|p: &str| p == "x509.chain")).unwrap();
        assert_eq!(light.get("observation"), Some(&Value::Null));
        assert_eq!(light.get("outcome"), full.get("outcome"));
        assert_eq!(light.get("target"), full.get("target"));
        // Without a filter, the record as it is; a broken observation is an error either way.
        assert_eq!(record_data(line, None).unwrap(), full);
        let broken = line.replace(r#""n":[1,2"#, r#""n":[1,,2"#);
        assert!(record_data(&broken, Some(&|_: &str| false)).is_err());
        assert!(record_data(&broken, None).is_err());
    }
}
