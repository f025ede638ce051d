//! Records a server's first flight for a fixture: sends one ClientHello to a **loopback**
//! server and writes every byte the server sent until the flight completes (or 3 s pass).
//!
//! Usage: `cargo run -p kensa-probe-tls --example record_fixture -- PORT SCENARIO OUT.bin`
//! Scenarios are listed in `hello_for`; see fixtures/tls/README.md for the server commands.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

use kensa_probe_tls::codec::{CipherSuite, NamedGroup, ProtocolVersion, Ssl2CipherKind};
use kensa_probe_tls::hello::{ClientExtension, ClientHello, KeyShareEntry, Rng, Ssl2ClientHello};
use kensa_probe_tls::server::{FlightReader, Limits, Progress};

fn hello_for(scenario: &str, rng: &mut Rng) -> Vec<u8> {
    let sni = Some("localhost");
    let legacy = |v, suites: &[u16], rng: &mut Rng| {
        ClientHello::legacy(
            v,
            suites.iter().copied().map(CipherSuite).collect(),
            sni,
            rng,
        )
    };
    let h = match scenario {
        "tls12-ecdhe-rsa-aes128gcm" => {
            let mut h = legacy(ProtocolVersion::TLS1_2, &[0xc02f], rng);
            h.extensions.extend([
                ClientExtension::ExtendedMasterSecret,
                ClientExtension::EncryptThenMac,
                ClientExtension::SessionTicket(vec![]),
                ClientExtension::Alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec()]),
                ClientExtension::SignedCertificateTimestamp,
                ClientExtension::Heartbeat(1),
            ]);
            h
        }
        "tls12-dhe-1024" => legacy(ProtocolVersion::TLS1_2, &[0x0033], rng),
        "tls10-ecdhe-rsa-aes128cbc" => legacy(ProtocolVersion::TLS1_0, &[0xc013], rng),
        "tls12-rsa-kx-aes256cbc" => legacy(ProtocolVersion::TLS1_2, &[0x0035], rng),
        "tls10-alert-protocol-version" => legacy(ProtocolVersion::TLS1_0, &[0xc013, 0x002f], rng),
        "tls12-alert-handshake-failure" => legacy(ProtocolVersion::TLS1_2, &[0x0004, 0x0005], rng),
        "tls13-x25519-aes128gcm" => ClientHello::tls13(
            vec![CipherSuite(0x1301)],
            vec![NamedGroup::X25519],
            vec![KeyShareEntry::random(NamedGroup::X25519, rng).unwrap()],
            sni,
            rng,
        ),
        "tls13-hrr-secp384r1" => ClientHello::tls13(
            vec![CipherSuite(0x1301), CipherSuite(0x1302)],
            vec![NamedGroup::X25519, NamedGroup::SECP384R1],
            vec![KeyShareEntry::random(NamedGroup::X25519, rng).unwrap()],
            sni,
            rng,
        ),
        "sslv2-client-hello" => {
            let kinds = Ssl2CipherKind::KNOWN.to_vec();
            return Ssl2ClientHello::new(kinds, rng).encode().unwrap();
        }
        other => panic!("unknown scenario {other}"),
    };
    h.encode().unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = args[1].parse().unwrap();
    let scenario = &args[2];
    let out = &args[3];
    let mut rng = Rng::from_entropy();
    let hello = hello_for(scenario, &mut rng);
    // Loopback only, by construction.
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(3)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    s.write_all(&hello).unwrap();
    let mut reader = FlightReader::new(Limits::default());
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        got.extend_from_slice(&buf[..n]);
        if scenario.starts_with("sslv2") {
            continue;
        }
        match reader.push(&buf[..n]) {
            Ok(Progress::Complete) => break,
            Ok(Progress::NeedMore) => {}
            Err(e) => {
                eprintln!("parse error: {e}");
                break;
            }
        }
    }
    std::fs::write(out, &got).unwrap();
    eprintln!("{scenario}: {} bytes -> {out}", got.len());
}
