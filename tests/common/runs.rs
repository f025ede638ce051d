//! Synthetic runs for the store, diff, history and compare tests: real hash-chained
//! `evidence.jsonl` files written with `EvidenceWriter`, whose records carry the observations
//! of the `fixtures/assess/*.json` documents (optionally edited).
#![allow(dead_code, missing_docs, unreachable_pub)]

use std::path::{Path, PathBuf};

use kensa::evidence::{
    AddressSource, Evidence, EvidenceWriter, ProbeRef, ProviderInfo, Record, RunBegin, RunStatus,
    SCHEMA_VERSION, TargetRef,
};
use serde_json::{Value, json};

/// A fixture document of `fixtures/assess/`.
pub fn fixture(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/assess")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(p).expect("fixture")).expect("fixture JSON")
}

/// A provider of a synthetic run.
pub fn provider(id: &str, name: &str, country: &str, applies_for: &str) -> ProviderInfo {
    ProviderInfo {
        id: id.to_owned(),
        name: Some(name.to_owned()),
        declared_country: Some(country.to_owned()),
        applies_for: Some(applies_for.to_owned()),
        declaration: None,
    }
}

/// One target of a synthetic run: the provider, the host, and a fixture document whose
/// `probes` become the records.
pub struct T {
    pub provider: String,
    pub host: String,
    pub doc: Value,
}

/// A target from fixture `name`, edited by `edit`.
pub fn target(provider: &str, host: &str, name: &str, edit: impl FnOnce(&mut Value)) -> T {
    let mut doc = fixture(name);
    edit(&mut doc);
    T {
        provider: provider.to_owned(),
        host: host.to_owned(),
        doc,
    }
}

/// Set the `latency.tcp` samples of a document (one address, 192.0.2.10).
pub fn set_latency(doc: &mut Value, samples_us: &[u64]) {
    doc["probes"]["latency.tcp"] = json!({
        "outcome": "success",
        "observation": {
            "port": 443, "samples_per_address": samples_us.len(), "connect_timeout_ms": 3000,
            "addresses": [{
                "address": "192.0.2.10", "family": "ipv4", "samples_us": samples_us,
                "failures": [], "stats": null
            }],
            "families": {}
        }
    });
}

/// Set `days_left` of every certificate of the document's `x509.chain`.
pub fn set_days_left(doc: &mut Value, days: i64) {
    if let Some(chains) = doc
        .pointer_mut("/probes/x509.chain/observation/chains")
        .and_then(Value::as_array_mut)
    {
        for c in chains {
            if let Some(certs) = c.get_mut("certificates").and_then(Value::as_array_mut) {
                for cert in certs {
                    cert["details"]["validity"]["days_left"] = json!(days);
                }
            }
        }
    }
}

/// Write a run directory `dir/run_id` with these providers and targets; returns its path.
pub fn write_run(
    dir: &Path,
    run_id: &str,
    started: &str,
    providers: &[ProviderInfo],
    targets: &[T],
) -> PathBuf {
    let run_dir = dir.join(run_id);
    let mut w = EvidenceWriter::create(&run_dir).expect("evidence writer");
    let probes = [
        "dns.resolve",
        "latency.tcp",
        "tls.scan",
        "x509.chain",
        "http.headers",
        "geo.residency",
    ];
    w.append(&Record::RunBegin(RunBegin {
        schema_version: SCHEMA_VERSION,
        run_id: run_id.to_owned(),
        tool: "kensa test".to_owned(),
        started_at: started.to_owned(),
        catalog: "synthetic".to_owned(),
        providers: providers.len(),
        endpoints: targets.len(),
        probes: probes
            .iter()
            .map(|p| ProbeRef {
                id: (*p).to_owned(),
                version: "1".to_owned(),
            })
            .collect(),
        vantage: None,
        settings: json!({}),
        provider_details: providers.to_vec(),
        catalog_digest: None,
        options: None,
        options_digest: None,
    }))
    .expect("run-begin");
    for t in targets {
        let tref = TargetRef {
            id: format!("{}/{}:443", t.provider, t.host),
            provider: t.provider.clone(),
            host: t.host.clone(),
            port: 443,
            sni: None,
            addresses: vec!["192.0.2.10".parse().expect("address")],
            address_source: AddressSource::Resolved,
            addresses_left_out: 0,
        };
        let Some(map) = t.doc.get("probes").and_then(Value::as_object) else {
            continue;
        };
        for probe in probes {
            let Some(p) = map.get(probe) else { continue };
            let outcome: kensa_probe::Outcome =
                serde_json::from_value(p["outcome"].clone()).expect("outcome id");
            let fault = if outcome == kensa_probe::Outcome::Success {
                kensa_probe::Fault::None
            } else {
                kensa_probe::Fault::Peer
            };
            let observation = p
                .get("observation")
                .filter(|o| !o.is_null())
                .map(|o| serde_json::value::to_raw_value(o).expect("raw observation"));
            w.append(&Record::Evidence(Evidence {
                schema_version: SCHEMA_VERSION,
                run_id: run_id.to_owned(),
                target: tref.clone(),
                probe: probe.to_owned(),
                probe_version: "1".to_owned(),
                vantage: None,
                started_at: started.to_owned(),
                elapsed_us: 1000,
                outcome,
                fault,
                observation,
                error: (outcome != kensa_probe::Outcome::Success).then(|| "synthetic".into()),
            }))
            .expect("evidence");
        }
    }
    w.finish(run_id, started.to_owned(), RunStatus::Complete)
        .expect("run-end");
    run_dir
}
