//! The chain seam (issue 15): `x509.chain` analyses the chains of every earlier probe that
//! supplies them (`Probe::chain_reader`), not only `tls.scan`'s. A stand-in for a STARTTLS
//! probe (no network: its observation carries a fixture chain) runs before `x509.chain` in a
//! real scan, and the certificate analysis must judge that chain; with no supplier at all,
//! `x509.chain` says so.

mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use kensa::catalog;
use kensa::engine::{Settings, SystemResolver};
use kensa::evidence::{Record, read_records};
use kensa::probes::{Earlier, Probe, ProbeFuture, ProbeResult, X509Probe};
use kensa::scan::{ScanOptions, scan};
use kensa_probe::{
    ManualClock, Outcome, Scope, SuppliedChain, SuppliedOversize, Target, TcpConnector,
};
use kensa_probe_x509::TrustStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde_json::{Value, json};
use tokio::sync::watch;

use common::pki;

/// 2026-06-01T00:00:00Z, inside the fixtures' validity.
fn scan_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000)
}

fn hex_certs(files: &[&str]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| {
            CertificateDer::pem_file_iter(pki(f))
                .unwrap()
                .map(|c| kensa::evidence::hex(c.unwrap().as_ref()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A probe that "captured" fixed chains (as a STARTTLS probe would) without any network.
struct FakeStarttls {
    observation: Value,
}

fn read_fake(observation: &str) -> Result<Vec<SuppliedChain>, String> {
    let v: Value = serde_json::from_str(observation).map_err(|e| e.to_string())?;
    let chains = v["chains"].as_array().ok_or("no chains")?;
    Ok(chains
        .iter()
        .map(|c| SuppliedChain {
            label: c["label"].as_str().unwrap_or("?").to_owned(),
            certificates: c["certificates"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|h| h.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            ocsp_response: None,
            oversized: c["oversized"].as_u64().map(|n| SuppliedOversize {
                certificate_message_bytes: usize::try_from(n).unwrap(),
                cut: false,
                leaf_read: true,
            }),
        })
        .collect())
}

impl Probe for FakeStarttls {
    fn id(&self) -> &'static str {
        "test.starttls"
    }
    fn version(&self) -> &'static str {
        "0"
    }
    fn run<'a>(&'a self, _: &'a Target, _: &'a Scope, _: &'a [Earlier]) -> ProbeFuture<'a> {
        Box::pin(async move {
            ProbeResult::observed(Outcome::Success, &self.observation, None, "fake".into())
        })
    }
    fn chain_reader(&self) -> Option<kensa_probe::ChainReader> {
        Some(read_fake)
    }
}

/// Scans one catalog endpoint with `probes`; returns the x509.chain evidence record.
async fn x509_record(probes: Vec<Arc<dyn Probe>>) -> kensa::evidence::Evidence {
    let text = "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\n\
                applies_for = \"kensa-level-1\"\n[[provider.endpoint]]\nhost = \"www.good.test\"\n\
                port = 25\naddresses = [\"127.0.0.1\"]\n";
    let cat = catalog::parse("seam.toml", text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let (_tx, rx) = watch::channel(false);
    let opts = ScanOptions {
        out: out.clone(),
        run_id: "chain-seam".into(),
        settings: Settings {
            allow_private: true,
            ..Settings::default()
        },
        vantage: None,
        probes,
        connector: Arc::new(TcpConnector),
        resolver: Arc::new(SystemResolver),
        on_record: None,
        clock: Arc::new(ManualClock::new(scan_time())),
        resume: false,
        probe_options: Value::Null,
    };
    scan(&cat, opts, rx).await.unwrap();
    read_records(&out)
        .unwrap()
        .into_iter()
        .find_map(|r| match r {
            Record::Evidence(e) if e.probe == "x509.chain" => Some(e),
            _ => None,
        })
        .unwrap()
}

fn x509_probe() -> Arc<dyn Probe> {
    let roots = std::fs::read(pki("root-ec.pem")).unwrap();
    Arc::new(X509Probe {
        stores: Arc::new(vec![TrustStore::from_pem("test", &roots).unwrap()]),
        extra_cas: Arc::default(),
    })
}

#[tokio::test]
async fn x509_analyses_chains_from_any_supplying_probe() {
    let fake = FakeStarttls {
        observation: json!({"chains": [{
            "label": "starttls/ECDSA/TLS 1.2",
            "certificates": hex_certs(&["leaf-ec.pem", "inter-ec.pem"]),
            "oversized": 70_000,
        }]}),
    };
    let ev = x509_record(vec![Arc::new(fake), x509_probe()]).await;
    assert_eq!(ev.outcome, Outcome::Success, "{:?}", ev.error);
    let obs: Value = serde_json::from_str(ev.observation.unwrap().get()).unwrap();
    let chain = &obs["chains"][0];
    assert_eq!(chain["label"], "starttls/ECDSA/TLS 1.2");
    assert_eq!(chain["certificates"].as_array().unwrap().len(), 2);
    assert_eq!(chain["hostname"]["matched"], true);
    assert_eq!(chain["trust"][0]["store"], "test");
    assert_eq!(chain["trust"][0]["verdict"], "trusted", "{chain}");
    // The supplier's oversize note reaches the analysis too.
    assert_eq!(
        obs["chains_too_large"][0]["label"],
        "starttls/ECDSA/TLS 1.2"
    );
    assert_eq!(
        obs["chains_too_large"][0]["certificate_message_bytes"],
        70_000
    );
}

#[tokio::test]
async fn x509_without_any_supplier_says_so() {
    let ev = x509_record(vec![x509_probe()]).await;
    assert_eq!(ev.outcome, Outcome::InvalidInput);
    assert_eq!(
        ev.error.as_deref(),
        Some("x509.chain analyses what tls.scan captured; tls.scan did not run")
    );
}

#[tokio::test]
async fn a_supplier_that_failed_gives_its_outcome() {
    struct Down;
    impl Probe for Down {
        fn id(&self) -> &'static str {
            "test.starttls"
        }
        fn version(&self) -> &'static str {
            "0"
        }
        fn run<'a>(&'a self, _: &'a Target, _: &'a Scope, _: &'a [Earlier]) -> ProbeFuture<'a> {
            Box::pin(async { ProbeResult::failed(Outcome::Refused, "closed") })
        }
        fn chain_reader(&self) -> Option<kensa_probe::ChainReader> {
            Some(read_fake)
        }
    }
    let ev = x509_record(vec![Arc::new(Down), x509_probe()]).await;
    assert_eq!(ev.outcome, Outcome::Refused);
    assert_eq!(
        ev.error.as_deref(),
        Some("no certificate chain to analyse: test.starttls ended with refused")
    );
}
