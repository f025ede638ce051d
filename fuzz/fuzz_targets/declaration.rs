//! Fuzz the provider-declaration parser (`kensa::declaration::parse`, what `kensa scan` reads
//! for a catalog's `declaration = "PATH"`) and the signature-file check: bytes as a
//! declaration's text and as its `.sig` file. Any panic is a bug. The replay test is
//! `tests/declaration.rs` (`replay_declaration_corpus`).
#![no_main]

use kensa::declaration::{check_signature, parse};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse("fuzz.toml", text);
    }
    let _ = check_signature(b"schema = 1\n", Some(data), None);
});
