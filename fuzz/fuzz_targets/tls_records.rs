//! Fuzz what kensa reads from a server outside the first-flight parser: the record splitter
//! used after the flight (early-CCS, fallback and SSL 2.0 checks) with its alert reader, and
//! the renegotiation check's reading of an x25519 ServerKeyExchange.
//! Any panic is a bug. The replay test is `probes/tls/tests/fuzz_corpus.rs`.
#![no_main]

use kensa_probe_tls::codec::{first_alert, split_records};
use kensa_probe_tls::reneg::x25519_point;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let records = split_records(data);
    let _ = first_alert(&records);
    for (_, fragment) in &records {
        // A handshake fragment: type, u24 length, body.
        let _ = x25519_point(fragment.get(4..).unwrap_or_default());
    }
    let _ = x25519_point(data);
});
