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
    mut also: impl FnMut(evidence::Verified<'_>),
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
                    let data = match serde_json::from_str::<Value>(v.data) {
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
        let p = run
            .providers
            .entry(t.provider.clone())
            .or_insert_with(|| ProviderInfo {
                id: t.provider.clone(),
                name: None,
                declared_country: None,
                applies_for: None,
                declaration: None,
            });
        t.doc["provider"] = json!(p);
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
        let mut t = target.clone();
        if let Some(o) = t.as_object_mut() {
            o.remove("provider");
        }
        run.targets.push(TargetDoc {
            target: id.clone(),
            provider: provider.clone(),
            doc: json!({ "target": t, "provider": { "id": provider }, "probes": {} }),
        });
        run.targets.len() - 1
    });
    let entry = json!({
        "outcome": data.get("outcome").cloned().unwrap_or(Value::Null),
        "error": data.get("error").cloned().unwrap_or(Value::Null),
        "probe_version": data.get("probe_version").cloned().unwrap_or(Value::Null),
        "seq": seq,
        "hash": hash,
        "observation": data.get("observation").cloned().unwrap_or(Value::Null),
    });
    let doc = &mut run.targets.get_mut(i)?.doc;
    doc.get_mut("probes")?.as_object_mut()?.insert(probe, entry);
    Some(())
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
