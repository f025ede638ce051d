//! Parses every recorded server flight in fixtures/tls/, checks what each shows, and
//! cross-checks the results against tls-parser (dev-dependency oracle).

use kensa_probe_tls::codec::{
    AlertDescription, AlertLevel, CipherSuite, ExtensionType, NamedGroup, ProtocolVersion,
};
use kensa_probe_tls::server::{
    DowngradeSentinel, EcCurve, Limits, ServerExtension, ServerFlight, ServerKeyExchange,
    parse_server_flight,
};
use tls_parser::{TlsMessage, TlsMessageHandshake};

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../fixtures/tls/",
                $name,
                ".bin"
            )) as &[u8],
        )
    };
}

const FIXTURES: &[(&str, &[u8])] = &[
    fixture!("tls12-ecdhe-rsa-aes128gcm"),
    fixture!("tls12-dhe-1024"),
    fixture!("tls10-ecdhe-rsa-aes128cbc"),
    fixture!("tls12-rsa-kx-aes256cbc"),
    fixture!("tls10-alert-protocol-version"),
    fixture!("tls12-alert-handshake-failure"),
    fixture!("tls13-x25519-aes128gcm"),
    fixture!("tls13-hrr-secp384r1"),
];

fn flight(name: &str) -> ServerFlight {
    let (_, bytes) = FIXTURES.iter().find(|(n, _)| *n == name).unwrap();
    parse_server_flight(bytes, Limits::default()).unwrap()
}

#[test]
fn tls12_ecdhe_rsa_aes128gcm() {
    let f = flight("tls12-ecdhe-rsa-aes128gcm");
    let sh = f.server_hello.as_ref().unwrap();
    assert_eq!(sh.version(), ProtocolVersion::TLS1_2);
    assert_eq!(
        sh.cipher_suite,
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    );
    assert_eq!(
        sh.downgrade,
        Some(DowngradeSentinel::Tls12),
        "OpenSSL 3 supports TLS 1.3, so it marks TLS 1.2"
    );
    assert!(!sh.is_hello_retry_request);
    assert!(sh.extension(ExtensionType::RENEGOTIATION_INFO).is_some());
    assert!(
        sh.extension(ExtensionType::EXTENDED_MASTER_SECRET)
            .is_some()
    );
    assert_eq!(
        sh.extension(ExtensionType::ALPN),
        Some(&ServerExtension::Alpn(vec!["http/1.1".into()]))
    );
    assert_eq!(f.certificate.as_ref().unwrap().certificates.len(), 1);
    match f.server_key_exchange.as_ref().unwrap() {
        ServerKeyExchange::Ecdh {
            curve,
            public_len,
            signature,
            ..
        } => {
            assert_eq!(*curve, EcCurve::Named(NamedGroup::X25519));
            assert_eq!(*public_len, 32);
            assert!(signature.unwrap().scheme.is_some());
        }
        other => panic!("{other:?}"),
    }
    assert!(f.server_hello_done);
    assert_eq!(f.record_version, Some(ProtocolVersion::TLS1_2));
}

#[test]
fn tls12_dhe_1024() {
    let f = flight("tls12-dhe-1024");
    assert_eq!(
        f.server_hello.as_ref().unwrap().cipher_suite,
        CipherSuite::TLS_DHE_RSA_WITH_AES_128_CBC_SHA
    );
    let ske = f.server_key_exchange.as_ref().unwrap();
    assert_eq!(ske.dh_prime_bits(), Some(1024));
    assert!(f.server_hello_done);
}

#[test]
fn tls10_ecdhe_signature_has_no_scheme() {
    let f = flight("tls10-ecdhe-rsa-aes128cbc");
    let sh = f.server_hello.as_ref().unwrap();
    assert_eq!(sh.version(), ProtocolVersion::TLS1_0);
    // The server was started with -tls1 (TLS 1.3 off), so it sets no downgrade sentinel.
    assert_eq!(sh.downgrade, None);
    match f.server_key_exchange.as_ref().unwrap() {
        ServerKeyExchange::Ecdh { signature, .. } => assert_eq!(signature.unwrap().scheme, None),
        other => panic!("{other:?}"),
    }
}

#[test]
fn tls12_rsa_key_exchange_has_no_ske() {
    let f = flight("tls12-rsa-kx-aes256cbc");
    assert_eq!(
        f.server_hello.as_ref().unwrap().cipher_suite,
        CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA
    );
    assert!(f.server_key_exchange.is_none());
    assert!(f.certificate.is_some() && f.server_hello_done);
}

#[test]
fn alerts() {
    let f = flight("tls10-alert-protocol-version");
    let a = f.alert.unwrap();
    assert_eq!(
        (a.level, a.description),
        (AlertLevel::FATAL, AlertDescription::PROTOCOL_VERSION)
    );
    assert!(f.server_hello.is_none());
    let f = flight("tls12-alert-handshake-failure");
    assert_eq!(
        f.alert.unwrap().description,
        AlertDescription::HANDSHAKE_FAILURE
    );
}

#[test]
fn tls13_server_hello_and_hrr() {
    let f = flight("tls13-x25519-aes128gcm");
    let sh = f.server_hello.as_ref().unwrap();
    assert_eq!(sh.version(), ProtocolVersion::TLS1_3);
    assert_eq!(sh.legacy_version, ProtocolVersion::TLS1_2);
    assert_eq!(sh.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
    assert_eq!(
        sh.extension(ExtensionType::KEY_SHARE),
        Some(&ServerExtension::KeyShare {
            group: NamedGroup::X25519,
            key_len: Some(32)
        })
    );
    assert!(f.certificate.is_none(), "encrypted in TLS 1.3");

    let f = flight("tls13-hrr-secp384r1");
    let hrr = f.server_hello.as_ref().unwrap();
    assert!(hrr.is_hello_retry_request);
    assert_eq!(hrr.key_share_group(), Some(NamedGroup::SECP384R1));
    assert_eq!(hrr.version(), ProtocolVersion::TLS1_3);
}

#[test]
fn every_prefix_parses_or_errs_without_panicking() {
    for (name, bytes) in FIXTURES {
        for n in 0..=bytes.len() {
            let _ = parse_server_flight(&bytes[..n], Limits::default());
        }
        // Bit flips in the first 64 bytes must not panic either.
        for i in 0..bytes.len().min(64) {
            let mut b = bytes.to_vec();
            b[i] ^= 0xff;
            let _ = parse_server_flight(&b, Limits::default());
        }
        // Byte-at-a-time delivery gives the same flight.
        let mut r = kensa_probe_tls::server::FlightReader::new(Limits::default());
        for b in bytes.iter() {
            if r.push(std::slice::from_ref(b)).is_err() {
                break;
            }
        }
        assert_eq!(
            r.flight(),
            &parse_server_flight(bytes, Limits::default()).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn tight_limits_are_enforced() {
    let (_, bytes) = FIXTURES[0];
    let limits = Limits {
        max_total_bytes: 100,
        ..Limits::default()
    };
    assert!(parse_server_flight(bytes, limits).is_err());
    // A Certificate message over the cap after a ServerHello is recorded, not an error
    // (issue 19): the version and suite were accepted.
    let limits = Limits {
        max_message_len: 200,
        ..Limits::default()
    };
    let f = parse_server_flight(bytes, limits).unwrap();
    assert!(f.server_hello.is_some());
    let over = f.certificate_over_cap.unwrap();
    assert_eq!(over.cap, 200);
    assert!(over.length > 200);
    assert_eq!(f.certificate_message_bytes, Some(over.length));
    let limits = Limits {
        max_certificates: 0,
        ..Limits::default()
    };
    assert!(parse_server_flight(bytes, limits).is_err());
}

/// Cross-check against tls-parser: every handshake message and alert it finds must agree
/// with ours.
#[test]
fn cross_check_with_tls_parser() {
    for (name, bytes) in FIXTURES {
        let ours = parse_server_flight(bytes, Limits::default()).unwrap();
        let mut rest: &[u8] = bytes;
        let mut checked = 0;
        while !rest.is_empty() {
            let Ok((r, rec)) = tls_parser::parse_tls_plaintext(rest) else {
                break;
            };
            rest = r;
            for msg in rec.msg {
                match msg {
                    TlsMessage::Handshake(TlsMessageHandshake::ServerHello(sh)) => {
                        let o = ours.server_hello.as_ref().unwrap();
                        assert_eq!(sh.version.0, o.legacy_version.0, "{name}");
                        assert_eq!(sh.random, &o.random[..], "{name}");
                        assert_eq!(
                            sh.session_id.unwrap_or_default(),
                            &o.session_id[..],
                            "{name}"
                        );
                        assert_eq!(sh.cipher.0, o.cipher_suite.0, "{name}");
                        assert_eq!(sh.compression.0, o.compression_method, "{name}");
                        let theirs = sh
                            .ext
                            .map(|e| tls_parser::parse_tls_extensions(e).unwrap().1.len())
                            .unwrap_or(0);
                        assert_eq!(theirs, o.extensions.len(), "{name}");
                        checked += 1;
                    }
                    TlsMessage::Handshake(TlsMessageHandshake::Certificate(c)) => {
                        let o = &ours.certificate.as_ref().unwrap().certificates;
                        let theirs: Vec<&[u8]> = c.cert_chain.iter().map(|c| c.data).collect();
                        assert_eq!(
                            theirs,
                            o.iter().map(Vec::as_slice).collect::<Vec<_>>(),
                            "{name}"
                        );
                        checked += 1;
                    }
                    TlsMessage::Handshake(TlsMessageHandshake::ServerKeyExchange(ske)) => {
                        match ours.server_key_exchange.as_ref().unwrap() {
                            ServerKeyExchange::Ecdh {
                                curve, public_len, ..
                            } => {
                                let (_, p) = tls_parser::parse_ecdh_params(ske.parameters).unwrap();
                                let tls_parser::ECParametersContent::NamedGroup(g) =
                                    p.curve_params.params_content
                                else {
                                    panic!("{name}: not a named group")
                                };
                                assert_eq!(*curve, EcCurve::Named(NamedGroup(g.0)), "{name}");
                                assert_eq!(*public_len, p.public.point.len(), "{name}");
                            }
                            ServerKeyExchange::Dh { p, g, ys_len, .. } => {
                                let (_, d) = tls_parser::parse_dh_params(ske.parameters).unwrap();
                                assert_eq!(
                                    (d.dh_p, d.dh_g, d.dh_ys.len()),
                                    (&p[..], &g[..], *ys_len),
                                    "{name}"
                                );
                            }
                            other => panic!("{name}: {other:?}"),
                        }
                        checked += 1;
                    }
                    TlsMessage::Handshake(TlsMessageHandshake::ServerDone(_)) => {
                        assert!(ours.server_hello_done, "{name}");
                        checked += 1;
                    }
                    TlsMessage::Alert(a) => {
                        let o = ours.alert.unwrap();
                        assert_eq!(
                            (a.severity.0, a.code.0),
                            (o.level.0, o.description.0),
                            "{name}"
                        );
                        checked += 1;
                    }
                    _ => {}
                }
            }
        }
        assert!(checked > 0, "{name}: tls-parser found nothing to compare");
    }
}
