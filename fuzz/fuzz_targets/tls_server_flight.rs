//! Fuzz the TLS record deframer and server-flight parser (ServerHello, HelloRetryRequest,
//! Certificate, ServerKeyExchange, CertificateStatus, Alert), the SSL 2.0 record parser and
//! the JARM answer reader.
//! Any panic is a bug. The replay test is `probes/tls/tests/fuzz_corpus.rs`.
#![no_main]

use kensa_probe_tls::server::{
    FlightReader, Limits, Ssl2ServerMessage, parse_server_flight, read_ssl2_record,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let small = Limits {
        max_total_bytes: 64 * 1024,
        max_message_len: 32 * 1024,
        max_record_len: 16_384 + 2048,
        max_certificates: 8,
    };
    let _ = parse_server_flight(data, Limits::default());
    // The same bytes fed in two pieces must not panic either.
    let mut reader = FlightReader::new(small);
    let cut = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    let (a, b) = data.split_at(cut);
    let _ = reader.push(a).and_then(|_| reader.push(b));
    if let Ok(Some(rec)) = read_ssl2_record(data) {
        let _ = Ssl2ServerMessage::parse(rec.body);
    }
    let _ = kensa_probe_tls::jarm::probe_result(data);
});
