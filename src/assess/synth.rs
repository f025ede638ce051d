//! A synthetic run of any size for benchmarks and speed regressions (issue 21): an
//! `evidence.jsonl` of N targets written through the same [`EvidenceWriter`] as a scan (so its
//! hash chain is the real one and `kensa verify` says `intact`), whose observations are the
//! real-shaped evidence documents of `fixtures/assess/` (made by `fixtures/assess/make.py`
//! from probe output): modern, intermediate, legacy and FIPS postures, a timed-out target
//! with failed probes, targets with probes missing, odd certificates.
//!
//! The run is a pure function of its [`SynthSpec`] (fixed run id and timestamps, a seeded
//! choice of fixture per target), so two runs of the same spec are byte-identical and
//! assessments of it can be compared across versions of kensa. Nothing here touches the
//! network. `cargo run --release --example synth_run -- DIR N [PROVIDERS]` writes one.

use std::path::Path;

use kensa_probe::{Fault, Outcome};
use serde_json::Value;

use crate::evidence::{
    AddressSource, Evidence, EvidenceWriter, ProbeRef, ProviderInfo, Record, RunBegin, RunStatus,
    SCHEMA_VERSION, TargetRef,
};

/// The evidence documents the synthetic targets copy their observations from (name, JSON).
pub const FIXTURES: &[(&str, &str)] = &[
    ("modern", include_str!("../../fixtures/assess/modern.json")),
    (
        "intermediate",
        include_str!("../../fixtures/assess/intermediate.json"),
    ),
    ("fips", include_str!("../../fixtures/assess/fips.json")),
    ("legacy", include_str!("../../fixtures/assess/legacy.json")),
    (
        "sslv3-only",
        include_str!("../../fixtures/assess/sslv3-only.json"),
    ),
    (
        "tls-timeout",
        include_str!("../../fixtures/assess/tls-timeout.json"),
    ),
    (
        "no-probes",
        include_str!("../../fixtures/assess/no-probes.json"),
    ),
    (
        "partial",
        include_str!("../../fixtures/assess/partial.json"),
    ),
    (
        "tls12-unread",
        include_str!("../../fixtures/assess/tls12-unread.json"),
    ),
    (
        "tls12-cbc",
        include_str!("../../fixtures/assess/tls12-cbc.json"),
    ),
    ("silent", include_str!("../../fixtures/assess/silent.json")),
    (
        "openssl-default",
        include_str!("../../fixtures/assess/openssl-default.json"),
    ),
    (
        "tls13-fips",
        include_str!("../../fixtures/assess/tls13-fips.json"),
    ),
    (
        "x25519-only",
        include_str!("../../fixtures/assess/x25519-only.json"),
    ),
    (
        "ec-signed-by-rsa",
        include_str!("../../fixtures/assess/ec-signed-by-rsa.json"),
    ),
    ("anon", include_str!("../../fixtures/assess/anon.json")),
    (
        "legacy-3des",
        include_str!("../../fixtures/assess/legacy-3des.json"),
    ),
    (
        "expired-other-name",
        include_str!("../../fixtures/assess/expired-other-name.json"),
    ),
];

/// The `applies_for` the synthetic providers cycle through (`None`: none declared).
const APPLIES_FOR: &[Option<&str>] = &[
    Some("kensa-level-2"),
    None,
    Some("kensa-level-1"),
    Some("mozilla-intermediate"),
    Some("ssl-labs"),
    Some("nist-sp800-52r2"),
];

/// What to generate.
#[derive(Clone, Debug)]
pub struct SynthSpec {
    /// Number of targets.
    pub targets: usize,
    /// Number of providers the targets are spread over (round robin; at least 1).
    pub providers: usize,
    /// Seed of the choice of fixture per target.
    pub seed: u64,
    /// The run id written into every record.
    pub run_id: String,
}

impl SynthSpec {
    /// `targets` targets over `providers` providers, seed 1, run id `synth-<targets>`.
    pub fn new(targets: usize, providers: usize) -> Self {
        Self {
            targets,
            providers: providers.max(1),
            seed: 1,
            run_id: format!("synth-{targets}"),
        }
    }
}

/// Why a synthetic run could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// Writing the evidence failed.
    #[error("cannot write the synthetic run in {dir}: {source}")]
    Write {
        /// The run directory.
        dir: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A fixture is not an evidence document (a bug in the fixtures).
    #[error("fixture {0} is not an evidence document")]
    Fixture(&'static str),
}

/// One probe result of a fixture, ready to be stamped on many targets.
struct ProbeTemplate {
    probe: String,
    outcome: Outcome,
    fault: Fault,
    error: Option<String>,
    observation: Option<Box<serde_json::value::RawValue>>,
}

fn templates() -> Result<Vec<Vec<ProbeTemplate>>, SynthError> {
    FIXTURES
        .iter()
        .map(|(name, text)| {
            let doc: Value = serde_json::from_str(text).map_err(|_| SynthError::Fixture(name))?;
            let probes = doc
                .get("probes")
                .and_then(Value::as_object)
                .ok_or(SynthError::Fixture(name))?;
            probes
                .iter()
                .map(|(id, p)| {
                    let outcome: Outcome = p
                        .get("outcome")
                        .cloned()
                        .and_then(|o| serde_json::from_value(o).ok())
                        .ok_or(SynthError::Fixture(name))?;
                    let fault = match outcome {
                        Outcome::Success => Fault::None,
                        Outcome::Internal => Fault::Bug,
                        Outcome::Refused | Outcome::HandshakeFailure => Fault::Peer,
                        Outcome::NotAllowed | Outcome::InvalidInput => Fault::User,
                        _ => Fault::Network,
                    };
                    let observation = match p.get("observation") {
                        None | Some(Value::Null) => None,
                        Some(o) => Some(
                            serde_json::value::to_raw_value(o)
                                .map_err(|_| SynthError::Fixture(name))?,
                        ),
                    };
                    Ok(ProbeTemplate {
                        probe: id.clone(),
                        outcome,
                        fault,
                        error: p.get("error").and_then(Value::as_str).map(str::to_owned),
                        observation,
                    })
                })
                .collect()
        })
        .collect()
}

/// A small deterministic generator (SplitMix64): the same seed gives the same run.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn provider_id(i: usize) -> String {
    format!("synth{i:05}")
}

/// Write the run of `spec` into `dir` (created; an existing evidence file is never
/// overwritten). Returns the number of evidence records written.
pub fn write_run(dir: &Path, spec: &SynthSpec) -> Result<u64, SynthError> {
    let err = |source| SynthError::Write {
        dir: dir.display().to_string(),
        source,
    };
    let templates = templates()?;
    let mut w = EvidenceWriter::create(dir).map_err(err)?;
    let providers = spec.providers.max(1);
    let probes: Vec<ProbeRef> = crate::probes::REGISTRY
        .iter()
        .map(|p| ProbeRef {
            id: p.id.as_str().to_owned(),
            version: p.version.to_owned(),
        })
        .collect();
    let version_of = |probe: &str| {
        probes
            .iter()
            .find(|p| p.id == probe)
            .map_or_else(|| "1".to_owned(), |p| p.version.clone())
    };
    w.append(&Record::RunBegin(RunBegin {
        schema_version: SCHEMA_VERSION,
        run_id: spec.run_id.clone(),
        tool: format!("kensa {} (synthetic run)", env!("CARGO_PKG_VERSION")),
        started_at: "2026-01-01T00:00:00Z".to_owned(),
        catalog: "synthetic".to_owned(),
        providers,
        endpoints: spec.targets,
        probes: probes.clone(),
        vantage: None,
        settings: serde_json::json!({ "synthetic": true, "seed": spec.seed }),
        provider_details: (0..providers)
            .map(|i| ProviderInfo {
                id: provider_id(i),
                name: Some(format!("Synthetic Cloud {i}")),
                declared_country: Some(if i % 3 == 0 { "US" } else { "JP" }.to_owned()),
                applies_for: APPLIES_FOR
                    .get(i % APPLIES_FOR.len())
                    .copied()
                    .flatten()
                    .map(str::to_owned),
                declaration: None,
            })
            .collect(),
        catalog_digest: None,
        options: None,
        options_digest: None,
    }))
    .map_err(err)?;
    let mut state = spec.seed;
    for t in 0..spec.targets {
        let p = t % providers;
        let provider = provider_id(p);
        // Mostly modern and intermediate postures, as a real fleet would be; every fixture
        // (legacy, failing, missing probes) appears.
        let r = splitmix(&mut state);
        let pick = if t < FIXTURES.len() {
            // Every fixture at least once, first.
            t
        } else if r.is_multiple_of(4) {
            0
        } else if r % 4 == 1 {
            1
        } else {
            usize::try_from((r >> 8) % FIXTURES.len() as u64).unwrap_or(0)
        };
        let host = format!("t{t}.{provider}.example.test");
        let last = u8::try_from(t % 250).unwrap_or(0) + 1;
        let target = TargetRef {
            id: format!("{provider}/{host}:443"),
            provider: provider.clone(),
            host,
            port: 443,
            sni: None,
            addresses: vec![std::net::IpAddr::from([192, 0, 2, last])],
            address_source: AddressSource::Resolved,
            addresses_left_out: 0,
        };
        for tpl in templates.get(pick).map(Vec::as_slice).unwrap_or_default() {
            w.append(&Record::Evidence(Evidence {
                schema_version: SCHEMA_VERSION,
                run_id: spec.run_id.clone(),
                target: target.clone(),
                probe: tpl.probe.clone(),
                probe_version: version_of(&tpl.probe),
                vantage: None,
                started_at: "2026-01-01T00:00:01Z".to_owned(),
                elapsed_us: 1000 + (r % 50_000),
                outcome: tpl.outcome,
                fault: tpl.fault,
                observation: tpl.observation.clone(),
                error: tpl.error.clone(),
            }))
            .map_err(err)?;
        }
    }
    let records = w.evidence_count();
    w.finish(
        &spec.run_id,
        "2026-01-01T00:10:00Z".to_owned(),
        RunStatus::Complete,
    )
    .map_err(err)?;
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_an_intact_deterministic_run() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let spec = SynthSpec::new(40, 3);
        let n = write_run(a.path(), &spec).unwrap();
        write_run(b.path(), &spec).unwrap();
        let fa = std::fs::read(a.path().join("evidence.jsonl")).unwrap();
        let fb = std::fs::read(b.path().join("evidence.jsonl")).unwrap();
        assert_eq!(fa, fb, "same spec, same bytes");
        let report = crate::evidence::verify(&a.path().join("evidence.jsonl")).unwrap();
        assert_eq!(report.integrity, crate::evidence::Integrity::Intact);
        assert_eq!(report.evidence_records, n);
        let run = super::super::doc::load(a.path()).unwrap();
        assert_eq!(run.targets.len(), 40);
        assert_eq!(run.providers.len(), 3);
        // Varied: some target has a failed tls.scan, some lacks dns.resolve, some is modern.
        let outcome = |t: &super::super::doc::TargetDoc, p: &str| {
            t.doc
                .pointer(&format!("/probes/{p}/outcome"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        assert!(
            run.targets
                .iter()
                .any(|t| outcome(t, "tls.scan").as_deref() == Some("timeout"))
        );
        assert!(
            run.targets
                .iter()
                .any(|t| outcome(t, "dns.resolve").is_none())
        );
        assert!(
            run.targets
                .iter()
                .any(|t| outcome(t, "geo.residency").as_deref() == Some("success"))
        );
    }
}
