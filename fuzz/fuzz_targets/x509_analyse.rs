//! Fuzz the certificate analysis: the bytes as a leaf alone, as a leaf under the fixture
//! intermediate, as the intermediate under a fixture leaf, and as a stapled OCSP response.
//! Any panic is a bug. The replay test is `probes/x509/tests/fuzz_corpus.rs`.
#![no_main]

use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use kensa_probe_x509::{ChainInput, TrustStore, analyse_chain};

fn fixtures() -> &'static (TrustStore, Vec<u8>, Vec<u8>) {
    static F: OnceLock<(TrustStore, Vec<u8>, Vec<u8>)> = OnceLock::new();
    F.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/fuzz/x509_analyse");
        let read = |n: &str| std::fs::read(format!("{dir}/{n}")).unwrap_or_default();
        let root = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/pki/root-rsa.pem"))
            .unwrap_or_default();
        let store = TrustStore::from_pem("test", &root).unwrap_or_else(|_| TrustStore::mozilla());
        (store, read("leaf-rsa.der"), read("inter-rsa.der"))
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (store, leaf, inter) = fixtures();
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000);
    let stores = std::slice::from_ref(store);
    let chains = [
        vec![data.to_vec()],
        vec![data.to_vec(), inter.clone()],
        vec![leaf.clone(), data.to_vec()],
    ];
    for certificates in chains {
        let input = ChainInput {
            label: "fuzz".into(),
            certificates,
            ocsp_response: None,
        };
        let _ = analyse_chain("www.good.test", when, &input, stores);
    }
    let input = ChainInput {
        label: "fuzz-ocsp".into(),
        certificates: vec![leaf.clone(), inter.clone()],
        ocsp_response: Some(data.to_vec()),
    };
    let _ = analyse_chain("www.good.test", when, &input, stores);
});
