//! Oversized certificate chains end to end (issue 19): `openssl s_server` on 127.0.0.1 serves
//! the fixture leaf followed by big (self-signed, 30,000-byte-extension) certificates, and
//! kensa scans it with `tls.scan` + `x509.chain` through the real dial seam. TLS 1.2 must be
//! recorded as accepted, and `x509.chain` must say the chain is too large for common clients
//! instead of "no certificate served".

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

/// A self-signed certificate (PEM) with a 30,000-byte private extension: ~31 KB of DER.
fn big_certificate() -> String {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["big.test".to_owned()]).unwrap();
    params
        .custom_extensions
        .push(rcgen::CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 55555, 2],
            vec![0x04; 30_000],
        ));
    params.self_signed(&key).unwrap().pem()
}

/// Serve leaf-rsa + `n` big certificates; `None` when openssl is missing (outside CI).
fn serve(dir: &std::path::Path, n: usize) -> Option<(common::Child, u16)> {
    let chain = dir.join(format!("chain-{n}.pem"));
    let pem: String = (0..n).map(|_| big_certificate()).collect();
    std::fs::write(&chain, pem).unwrap();
    let served = common::openssl_server(
        "leaf-rsa.pem",
        Some(chain.to_str().unwrap()),
        "keys/leaf-rsa.key",
        &["-tls1_2"],
    );
    if served.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "openssl is missing under CI"
        );
        eprintln!("SKIPPED: openssl is not installed (scripts/test installs it)");
    }
    served
}

/// Scan `www.good.test` pinned to 127.0.0.1:`port`; the tls.scan and x509.chain records.
async fn scan_both(port: u16) -> (Value, Value, String) {
    let text = format!(
        "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n\
         [[provider.endpoint]]\nhost = \"www.good.test\"\nport = {port}\naddresses = [\"127.0.0.1\"]\n"
    );
    let cat = catalog::parse("oversized.toml", &text).unwrap();
    let probes: Vec<Arc<dyn Probe>> = vec![
        Arc::new(TlsProbe {
            config: kensa_probe_tls::probe::Config {
                read_timeout: Duration::from_secs(2),
                active_checks: false,
                ..Default::default()
            },
        }),
        Arc::new(X509Probe {
            stores: Arc::new(vec![TrustStore::mozilla()]),
            extra_cas: Arc::default(),
        }),
    ];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let (_tx, rx) = watch::channel(false);
    let mut summaries = String::new();
    let opts = ScanOptions {
        out: out.clone(),
        run_id: "oversized".into(),
        settings: Settings {
            allow_private: true,
            ..Settings::default()
        },
        vantage: None,
        probes,
        connector: Arc::new(TcpConnector),
        resolver: Arc::new(SystemResolver),
        on_record: None,
        clock: Arc::new(ManualClock::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000),
        )),
        resume: false,
        probe_options: Value::Null,
    };
    let report = scan(&cat, opts, rx).await.unwrap();
    for r in &report.rows {
        summaries.push_str(&format!("{}: {}\n", r.probe, r.detail));
    }
    let mut tls = Value::Null;
    let mut x509 = Value::Null;
    for r in read_records(&out).unwrap() {
        if let Record::Evidence(e) = r {
            assert_eq!(e.outcome, kensa_probe::Outcome::Success, "{:?}", e.error);
            let v: Value = serde_json::from_str(e.observation.unwrap().get()).unwrap();
            match e.probe.as_str() {
                "tls.scan" => tls = v,
                "x509.chain" => x509 = v,
                _ => {}
            }
        }
    }
    (tls, x509, summaries)
}

fn tls12(tls: &Value) -> &Value {
    tls["protocols"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["version"] == "TLSv1.2")
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_over_the_cap_is_accepted_tls_and_too_large_for_clients() {
    let dir = tempfile::tempdir().unwrap();
    // The leaf and five ~31 KB certificates: ~157 KB, over kensa's 128 KiB cap.
    let Some((_s, port)) = serve(dir.path(), 5) else {
        return;
    };
    let (tls, x509, summaries) = scan_both(port).await;
    let p = tls12(&tls);
    assert_eq!(p["accepted"], true, "{p}");
    assert_eq!(p["answer"]["kind"], "certificate-over-cap", "{p}");
    assert_eq!(p["answer"]["cap"], 131_072);
    let bytes = p["answer"]["length"].as_u64().unwrap();
    assert!(bytes > 131_072, "{bytes}");
    let chain = &tls["chains"][0];
    assert_eq!(chain["oversized"]["cut"], true);
    assert_eq!(chain["oversized"]["leaf_read"], true);
    assert_eq!(chain["certificates"].as_array().unwrap().len(), 1);
    // x509: the leaf alone is analysed (labelled so), and the finding is recorded.
    assert_eq!(x509["chains"].as_array().unwrap().len(), 1, "{x509}");
    let label = x509["chains"][0]["label"].as_str().unwrap();
    assert!(label.ends_with("/leaf-only"), "{label}");
    assert_eq!(
        x509["chains"][0]["certificates"][0]["details"]["san"]["dns"][0],
        "www.good.test"
    );
    let t = &x509["chains_too_large"][0];
    assert_eq!(t["certificate_message_bytes"], bytes);
    assert_eq!(
        t["too_large_for"],
        serde_json::json!(["rustls (64 KiB)", "OpenSSL (100 KiB)"])
    );
    assert_eq!(t["cut"], true);
    assert_eq!(
        t["finding"],
        "chain too large for common clients (OpenSSL 100 KiB, rustls 64 KiB)"
    );
    assert!(
        summaries.contains("chain too large for common clients"),
        "{summaries}"
    );
    assert!(!summaries.contains("no certificate served"), "{summaries}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_between_64_and_100_kib_is_read_whole_and_too_large_for_rustls() {
    let dir = tempfile::tempdir().unwrap();
    // The leaf and three ~31 KB certificates: ~93 KB: over rustls's 64 KiB, under OpenSSL's
    // 100 KiB and kensa's 128 KiB.
    let Some((_s, port)) = serve(dir.path(), 3) else {
        return;
    };
    let (tls, x509, _) = scan_both(port).await;
    let p = tls12(&tls);
    assert_eq!(p["accepted"], true);
    assert_eq!(p["answer"]["kind"], "accepted");
    let chain = &tls["chains"][0];
    assert_eq!(chain["certificates"].as_array().unwrap().len(), 4);
    assert_eq!(chain["oversized"]["cut"], false);
    let t = &x509["chains_too_large"][0];
    assert_eq!(t["too_large_for"], serde_json::json!(["rustls (64 KiB)"]));
    assert_eq!(t["cut"], false);
    assert_eq!(
        x509["chains"][0]["certificates"].as_array().unwrap().len(),
        4
    );
}
