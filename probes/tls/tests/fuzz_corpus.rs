//! Replays the fuzz corpus of `fuzz/fuzz_targets/tls_server_flight.rs` (kept under
//! `fixtures/fuzz/tls_server_flight/`, minimised with `cargo fuzz cmin`) through the same
//! parsers, so every input the fuzzer found interesting stays a regression test.

use kensa_probe_tls::server::{
    FlightReader, Limits, Ssl2ServerMessage, parse_server_flight, read_ssl2_record,
};

#[test]
fn replay_tls_server_flight_corpus() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/fuzz/tls_server_flight"
    );
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("corpus directory") {
        let data = std::fs::read(entry.expect("entry").path()).expect("corpus file");
        let _ = parse_server_flight(&data, Limits::default());
        let mut reader = FlightReader::new(Limits {
            max_total_bytes: 64 * 1024,
            max_message_len: 32 * 1024,
            max_record_len: 16_384 + 2048,
            max_certificates: 8,
        });
        let cut = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
        let (a, b) = data.split_at(cut);
        let _ = reader.push(a).and_then(|_| reader.push(b));
        if let Ok(Some(rec)) = read_ssl2_record(&data) {
            let _ = Ssl2ServerMessage::parse(rec.body);
        }
        let _ = kensa_probe_tls::jarm::probe_result(&data);
        n += 1;
    }
    assert!(n >= 8, "the corpus has only {n} inputs");
}

/// The corpus of `fuzz/fuzz_targets/tls_records.rs`: the record splitter, its alert reader
/// and the renegotiation check's x25519 ServerKeyExchange reader.
#[test]
fn replay_tls_records_corpus() {
    use kensa_probe_tls::codec::{first_alert, split_records};
    use kensa_probe_tls::reneg::x25519_point;
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/fuzz/tls_records"
    );
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("corpus directory") {
        let data = std::fs::read(entry.expect("entry").path()).expect("corpus file");
        let records = split_records(&data);
        let _ = first_alert(&records);
        for (_, fragment) in &records {
            let _ = x25519_point(fragment.get(4..).unwrap_or_default());
        }
        let _ = x25519_point(&data);
        n += 1;
    }
    assert!(n >= 8, "the corpus has only {n} inputs");
}
