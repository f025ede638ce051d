//! Certificates end to end: `openssl s_server` on 127.0.0.1 serves chains of the fixture PKI
//! (`fixtures/pki/`), kensa scans with `tls.scan` + `x509.chain` through the real dial seam,
//! and the evidence must carry the exact verdict and reasons per trust store. The scan clock
//! is pinned to 2026-06-01 (inside the fixtures' fixed validity periods).

mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use kensa::catalog;
use kensa::engine::{Settings, SystemResolver};
use kensa::evidence::{Record, read_records};
use kensa::probes::{Probe, TlsProbe, X509Probe};
use kensa::scan::{ScanOptions, scan};
use kensa_probe::{ManualClock, TcpConnector};
use kensa_probe_x509::TrustStore;
use serde_json::Value;
use tokio::sync::watch;

use common::pki;

/// 2026-06-01T00:00:00Z
fn scan_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000)
}

/// `openssl s_server` serving `leaf` (+ `chain`, if any) with `key`, TLS 1.2 and 1.3.
fn serve(leaf: &str, chain: Option<&str>, key: &str) -> Option<(common::Child, u16)> {
    common::openssl_server(leaf, chain, key, &[])
}

/// Scan `host` (SNI) pinned to 127.0.0.1:`port`; returns the x509.chain observation.
async fn x509(host: &str, port: u16) -> Value {
    let text = format!(
        "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n\
         [[provider.endpoint]]\nhost = \"{host}\"\nport = {port}\naddresses = [\"127.0.0.1\"]\n"
    );
    let cat = catalog::parse("e2e.toml", &text).unwrap();
    let test_roots = [
        std::fs::read(pki("root-rsa.pem")).unwrap(),
        std::fs::read(pki("root-ec.pem")).unwrap(),
    ]
    .concat();
    let stores = vec![
        TrustStore::mozilla(),
        TrustStore::from_pem("test", &test_roots).unwrap(),
    ];
    let probes: Vec<Arc<dyn Probe>> = vec![
        Arc::new(TlsProbe {
            config: kensa_probe_tls::probe::Config {
                read_timeout: Duration::from_secs(2),
                active_checks: false,
                ..Default::default()
            },
        }),
        Arc::new(X509Probe {
            stores: Arc::new(stores),
            extra_cas: Arc::default(),
        }),
    ];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let (_tx, rx) = watch::channel(false);
    let opts = ScanOptions {
        out: out.clone(),
        run_id: "x509-e2e".into(),
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
    let ev = read_records(&out)
        .unwrap()
        .into_iter()
        .find_map(|r| match r {
            Record::Evidence(e) if e.probe == "x509.chain" => Some(e),
            _ => None,
        })
        .unwrap();
    assert_eq!(ev.outcome, kensa_probe::Outcome::Success, "{:?}", ev.error);
    serde_json::from_str(ev.observation.unwrap().get()).unwrap()
}

/// (store, verdict, reasons) of the first chain.
fn verdicts(obs: &Value) -> Vec<(String, String, Vec<String>)> {
    obs["chains"][0]["trust"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["store"].as_str().unwrap().to_owned(),
                t["verdict"].as_str().unwrap().to_owned(),
                t["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn v(store: &str, verdict: &str, reasons: &[&str]) -> (String, String, Vec<String>) {
    (
        store.into(),
        verdict.into(),
        reasons.iter().map(|r| (*r).to_owned()).collect(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chains_served_by_a_real_server_get_exact_verdicts() {
    // A good RSA chain (leaf + intermediate): trusted by the test store, unknown to Mozilla's.
    let Some((_s, port)) = serve("leaf-rsa.pem", Some("inter-rsa.pem"), "keys/leaf-rsa.key") else {
        eprintln!("SKIPPED: openssl is not installed (scripts/test installs it)");
        return;
    };
    let obs = x509("www.good.test", port).await;
    assert_eq!(
        verdicts(&obs),
        vec![
            v("mozilla", "untrusted", &["unknown-issuer"]),
            v("test", "trusted", &[]),
        ]
    );
    assert_eq!(
        obs["chains"][0]["certificates"].as_array().unwrap().len(),
        2
    );
    assert_eq!(obs["chains"][0]["hostname"]["matched"], true);
    assert_eq!(
        obs["chains"][0]["certificates"][0]["details"]["validity"]["days_left"],
        183
    );

    // The same chain asked for under another name: hostname-mismatch only.
    let obs = x509("other.test", port).await;
    assert_eq!(
        verdicts(&obs)[1],
        v("test", "untrusted", &["hostname-mismatch"])
    );

    // An expired leaf.
    let (_s2, port) = serve(
        "leaf-expired.pem",
        Some("inter-rsa.pem"),
        "keys/leaf-rsa.key",
    )
    .unwrap();
    let obs = x509("www.good.test", port).await;
    assert_eq!(verdicts(&obs)[1], v("test", "untrusted", &["expired"]));

    // The intermediate left out: unknown issuer, and the evidence says what is missing.
    let (_s3, port) = serve("leaf-rsa.pem", None, "keys/leaf-rsa.key").unwrap();
    let obs = x509("www.good.test", port).await;
    assert_eq!(
        verdicts(&obs)[1],
        v("test", "untrusted", &["unknown-issuer"])
    );
    assert_eq!(obs["chains"][0]["served"]["missing_intermediate"], true);

    // A good ECDSA P-256 chain.
    let (_s4, port) = serve("leaf-ec.pem", Some("inter-ec.pem"), "keys/leaf-ec.key").unwrap();
    let obs = x509("www.good.test", port).await;
    assert_eq!(verdicts(&obs)[1], v("test", "trusted", &[]));
    assert_eq!(
        obs["chains"][0]["certificates"][0]["details"]["public_key"]["curve"],
        "P-256"
    );
}
