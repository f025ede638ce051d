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
use std::io::{BufRead, BufReader};
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
}

/// Read a run directory (or an evidence file). A tampered file is refused; an incomplete
/// one (no `run-end`) is read, and the report says so.
pub fn load(path: &Path) -> Result<Run, AssessError> {
    let file = evidence::evidence_path(path);
    let name = file.display().to_string();
    let read_err = |source| AssessError::Read {
        path: name.clone(),
        source,
    };
    let verified = evidence::verify(&file).map_err(read_err)?;
    if verified.integrity == Integrity::Tampered {
        let p = verified.problem.unwrap_or(evidence::Problem {
            line: 0,
            message: "unknown problem".into(),
        });
        return Err(AssessError::Evidence(format!(
            "{name}:{}: the evidence was tampered with ({}); refusing to grade it (see `kensa verify`)",
            p.line, p.message
        )));
    }
    let reader = BufReader::new(std::fs::File::open(&file).map_err(read_err)?);
    let mut run = Run {
        file: name.clone(),
        run_id: verified.run_id.unwrap_or_default(),
        integrity: verified.integrity,
        providers: BTreeMap::new(),
        targets: Vec::new(),
    };
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(read_err)?;
        if line.is_empty() {
            continue;
        }
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            // A torn last line (crash): `verify` accepted the file, so it is the tail.
            continue;
        };
        let bad = |what: &str| AssessError::Evidence(format!("{name}:{}: {what}", i + 1));
        let kind = v.get("type").and_then(Value::as_str).unwrap_or_default();
        let data = v.get("data").cloned().unwrap_or(Value::Null);
        match kind {
            "run-begin" => {
                if let Some(list) = data.get("provider_details") {
                    let list: Vec<ProviderInfo> = serde_json::from_value(list.clone())
                        .map_err(|e| bad(&format!("provider_details: {e}")))?;
                    for p in list {
                        run.providers.insert(p.id.clone(), p);
                    }
                }
            }
            "evidence" => {
                let seq = v.get("seq").and_then(Value::as_u64).unwrap_or(0);
                let hash = v.get("hash").and_then(Value::as_str).unwrap_or_default();
                add_record(&mut run, &mut index, &data, seq, hash)
                    .ok_or_else(|| bad("not an evidence record"))?;
            }
            _ => {}
        }
    }
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
    Ok(run)
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
