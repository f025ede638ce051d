//! Fuzz the catalog parser (`kensa::catalog::parse_bytes`, what `kensa scan --catalog FILE`
//! reads): bytes as a catalog file, and each line as a `HOST[:PORT]` spec. Errors must carry
//! a position inside the file (1-based line and column).
//! Any panic is a bug. The replay test is `tests/fuzz_corpus.rs`.
#![no_main]

use kensa::catalog::{CatalogError, from_host_specs, parse_bytes};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(CatalogError::Invalid { line, col, .. }) = parse_bytes("fuzz.toml", data.to_vec()) {
        assert!(line >= 1 && col >= 1, "error at {line}:{col}");
    }
    let specs: Vec<String> = String::from_utf8_lossy(data)
        .lines()
        .take(64)
        .map(str::to_owned)
        .collect();
    let _ = from_host_specs(&specs);
});
