//! The TLS codec's hot paths: encoding the largest ClientHello the scan sends (every registry
//! suite and every extension) and parsing a recorded server flight (ServerHello, Certificate,
//! ServerKeyExchange, ServerHelloDone from `openssl s_server`).
//!
//! `cargo bench --bench tls_codec`

use criterion::{Criterion, criterion_group, criterion_main};
use kensa_probe_tls::codec::ProtocolVersion;
use kensa_probe_tls::hello::{ClientExtension, ClientHello, Rng};
use kensa_probe_tls::server::{Limits, ServerHello, parse_server_flight};
use kensa_probe_tls::suites::CIPHER_SUITES;

fn bench(c: &mut Criterion) {
    let suites: Vec<_> = CIPHER_SUITES
        .iter()
        .filter(|s| s.min_version < ProtocolVersion::TLS1_3)
        .map(|s| s.suite)
        .collect();
    let mut rng = Rng::from_seed(7);
    let mut hello = ClientHello::legacy(
        ProtocolVersion::TLS1_2,
        suites,
        Some("bench.test"),
        &mut rng,
    );
    hello.extensions.extend([
        ClientExtension::ExtendedMasterSecret,
        ClientExtension::EncryptThenMac,
        ClientExtension::SessionTicket(Vec::new()),
        ClientExtension::StatusRequest,
        ClientExtension::SignedCertificateTimestamp,
        ClientExtension::Heartbeat(1),
        ClientExtension::Alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec()]),
    ]);
    let size = hello.encode().map(|b| b.len()).unwrap_or(0);
    c.bench_function(&format!("client_hello_encode_{size}B"), |b| {
        b.iter(|| std::hint::black_box(&hello).encode())
    });

    let flight = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/tls/tls12-ecdhe-rsa-aes128gcm.bin"
    ))
    .expect("fixture");
    c.bench_function(&format!("server_flight_parse_{}B", flight.len()), |b| {
        b.iter(|| parse_server_flight(std::hint::black_box(&flight), Limits::default()))
    });
    // The ServerHello alone: record header (5) + handshake header (4), then the body.
    let body_len = flight
        .get(6..9)
        .map(|l| usize::from(l[0]) << 16 | usize::from(l[1]) << 8 | usize::from(l[2]))
        .unwrap_or(0);
    let body = flight
        .get(9..9 + body_len)
        .expect("server hello body")
        .to_vec();
    c.bench_function("server_hello_parse", |b| {
        b.iter(|| ServerHello::parse(std::hint::black_box(&body)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
