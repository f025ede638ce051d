//! The validator's speed per chain: `analyse_chain` (parsing, the served chain, path building,
//! kensa's own checks, webpki, and — since issue 22 — the certificate lints) over a mix of the
//! fixture chains, good and bad, against the fixture store and against Mozilla's plus it.
//! `cargo bench -p kensa-probe-x509 --bench validate`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, UNIX_EPOCH};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
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

fn chain(names: &[&str]) -> ChainInput {
    ChainInput {
        label: names.join(","),
        certificates: names.iter().map(|n| pki(n)).collect(),
        ocsp_response: None,
    }
}

fn bench(c: &mut Criterion) {
    // 2026-06-01: every good fixture is valid then.
    let scan = UNIX_EPOCH + Duration::from_secs(1_780_272_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/pki");
    let mut pem = std::fs::read(dir.join("root-rsa.pem")).unwrap();
    pem.extend(std::fs::read(dir.join("root-ec.pem")).unwrap());
    let test = TrustStore::from_pem("test", &pem).unwrap();
    let one = [test.clone()];
    let both = [TrustStore::mozilla(), test];
    let mix = [
        chain(&["leaf-rsa.pem", "inter-rsa.pem"]),
        chain(&["leaf-rsa.pem", "inter-rsa.pem", "root-rsa.pem"]),
        chain(&["leaf-ec.pem", "inter-ec.pem", "root-ec.pem"]),
        chain(&["leaf-expired.pem", "inter-rsa.pem"]),
        chain(&["leaf-nc.pem", "inter-nc.pem"]),
        chain(&["leaf-sha1inter.pem", "inter-sha1.pem"]),
        chain(&["self-signed.pem"]),
        chain(&["leaf-other.pem", "other-inter.pem", "other-root.pem"]),
    ];
    let mut g = c.benchmark_group("validate");
    g.throughput(Throughput::Elements(mix.len() as u64));
    g.bench_function("8 fixture chains, 1 store", |b| {
        b.iter(|| {
            for ch in &mix {
                black_box(analyse_chain(black_box("www.good.test"), scan, ch, &one));
            }
        })
    });
    g.bench_function("8 fixture chains, mozilla + test stores", |b| {
        b.iter(|| {
            for ch in &mix {
                black_box(analyse_chain(black_box("www.good.test"), scan, ch, &both));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
