//! Replays the corpus of `fuzz/fuzz_targets/catalog.rs` (kept under `fixtures/fuzz/catalog/`:
//! hand-made seeds, then what the fuzzer kept, minimised) through the same calls, so every
//! input stays a regression test: the parser never panics and its errors are located.

use kensa::catalog::{CatalogError, from_host_specs, parse_bytes};

#[test]
fn replay_catalog_corpus() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fuzz/catalog");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        if let Err(CatalogError::Invalid { line, col, .. }) = parse_bytes("fuzz.toml", data.clone())
        {
            assert!(line >= 1 && col >= 1, "error at {line}:{col}");
        }
        let specs: Vec<String> = String::from_utf8_lossy(&data)
            .lines()
            .take(64)
            .map(str::to_owned)
            .collect();
        let _ = from_host_specs(&specs);
        n += 1;
    }
    assert!(n >= 8, "the corpus has only {n} inputs");
}
