//! Analysing a three-certificate chain (leaf, intermediate, root) with full validation:
//! parsing, the served-chain analysis, our own checks and webpki, against the fixture store and
//! against Mozilla's plus the fixture store.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use kensa_probe_x509::{ChainInput, TrustStore, analyse_chain};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

fn pki(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/pki")
        .join(name);
    let bytes = std::fs::read(p).unwrap();
    if name.ends_with(".der") {
        bytes
    } else {
        CertificateDer::from_pem_slice(&bytes).unwrap().to_vec()
    }
}

fn bench(c: &mut Criterion) {
    let scan = UNIX_EPOCH + Duration::from_secs(1_795_392_000);
    let root_pem = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/pki/root-rsa.pem"),
    )
    .unwrap();
    let test = TrustStore::from_pem("test", &root_pem).unwrap();
    let both = [TrustStore::mozilla(), test.clone()];
    let one = [test];
    let chain = ChainInput {
        label: "bench".into(),
        certificates: vec![
            pki("leaf-rsa.pem"),
            pki("inter-rsa.pem"),
            pki("root-rsa.pem"),
        ],
        ocsp_response: Some(pki("ocsp-good.der")),
    };
    let mut plain = chain.clone();
    plain.ocsp_response = None;
    c.bench_function("analyse 3-cert RSA chain, 1 store", |b| {
        b.iter(|| analyse_chain(black_box("www.good.test"), scan, black_box(&plain), &one))
    });
    let served2 = ChainInput {
        label: "bench".into(),
        certificates: vec![pki("leaf-rsa.pem"), pki("inter-rsa.pem")],
        ocsp_response: None,
    };
    c.bench_function(
        "analyse RSA leaf+intermediate (root as anchor), 1 store",
        |b| b.iter(|| analyse_chain(black_box("www.good.test"), scan, black_box(&served2), &one)),
    );
    let ec = ChainInput {
        label: "bench".into(),
        certificates: vec![pki("leaf-ec.pem"), pki("inter-ec.pem"), pki("root-ec.pem")],
        ocsp_response: None,
    };
    let ec_pem = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/pki/root-ec.pem"),
    )
    .unwrap();
    let ec_store = [TrustStore::from_pem("test", &ec_pem).unwrap()];
    c.bench_function("analyse 3-cert ECDSA P-256 chain, 1 store", |b| {
        b.iter(|| analyse_chain(black_box("www.good.test"), scan, black_box(&ec), &ec_store))
    });
    // Reference: one webpki path validation alone (leaf + intermediate to the anchor), which
    // analyse_chain runs once per store.
    let leaf = CertificateDer::from(pki("leaf-rsa.pem"));
    let inters = [CertificateDer::from(pki("inter-rsa.pem"))];
    let root = CertificateDer::from(pki("root-rsa.pem"));
    let anchors = [webpki::anchor_from_trusted_cert(&root).unwrap().to_owned()];
    let now = rustls_pki_types::UnixTime::since_unix_epoch(Duration::from_secs(1_795_392_000));
    c.bench_function(
        "reference: webpki verify_for_usage alone (2 RSA-2048 signatures)",
        |b| {
            b.iter(|| {
                let ee = webpki::EndEntityCert::try_from(black_box(&leaf)).unwrap();
                ee.verify_for_usage(
                    webpki::ALL_VERIFICATION_ALGS,
                    &anchors,
                    &inters,
                    now,
                    webpki::KeyUsage::server_auth(),
                    None,
                    None,
                )
                .is_ok()
            })
        },
    );
    c.bench_function("analyse 3-cert RSA chain + OCSP, 1 store", |b| {
        b.iter(|| analyse_chain(black_box("www.good.test"), scan, black_box(&chain), &one))
    });
    c.bench_function(
        "analyse 3-cert RSA chain + OCSP, mozilla + test stores",
        |b| b.iter(|| analyse_chain(black_box("www.good.test"), scan, black_box(&chain), &both)),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
