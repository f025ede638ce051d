//! Shared helpers: the fixture PKI in `fixtures/pki/`.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kensa_probe_x509::{ChainInput, TrustStore};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

/// 2026-06-01T00:00:00Z: every good fixture is valid then.
pub const SCAN: u64 = 1_780_272_000;

pub fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/pki")
}

pub fn der(name: &str) -> Vec<u8> {
    let bytes = std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    if name.ends_with(".der") {
        return bytes;
    }
    CertificateDer::from_pem_slice(&bytes)
        .unwrap_or_else(|e| panic!("{name}: {e:?}"))
        .to_vec()
}

pub fn chain(names: &[&str]) -> ChainInput {
    ChainInput {
        label: names.join(","),
        certificates: names.iter().map(|n| der(n)).collect(),
        ocsp_response: None,
    }
}

/// The test store: both fixture roots.
pub fn test_store() -> TrustStore {
    let mut pem = std::fs::read(dir().join("root-rsa.pem")).unwrap();
    pem.extend(std::fs::read(dir().join("root-ec.pem")).unwrap());
    TrustStore::from_pem("test", &pem).unwrap()
}
