//! Replays the fuzz corpus of `fuzz/fuzz_targets/x509_analyse.rs` (kept under
//! `fixtures/fuzz/x509_analyse/`) through the same calls, so every input the fuzzer found
//! interesting stays a no-panic regression test.

use std::time::{Duration, SystemTime};

use kensa_probe_x509::{ChainInput, TrustStore, analyse_chain};

#[test]
fn replay_x509_analyse_corpus() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/fuzz/x509_analyse"
    );
    let root = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/pki/root-rsa.pem"
    ))
    .unwrap();
    let stores = [TrustStore::from_pem("test", &root).unwrap()];
    let leaf = std::fs::read(format!("{dir}/leaf-rsa.der")).unwrap();
    let inter = std::fs::read(format!("{dir}/inter-rsa.der")).unwrap();
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000);
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        for certificates in [
            vec![data.clone()],
            vec![data.clone(), inter.clone()],
            vec![leaf.clone(), data.clone()],
        ] {
            let input = ChainInput {
                label: "replay".into(),
                certificates,
                ocsp_response: None,
            };
            let _ = analyse_chain("www.good.test", when, &input, &stores);
        }
        let input = ChainInput {
            label: "replay-ocsp".into(),
            certificates: vec![leaf.clone(), inter.clone()],
            ocsp_response: Some(data),
        };
        let _ = analyse_chain("www.good.test", when, &input, &stores);
        n += 1;
    }
    assert!(n >= 20, "the corpus has only {n} inputs");
}
