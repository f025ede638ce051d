//! The lab's X25519MLKEM768 server side against an independent implementation: a rustls
//! client on aws-lc-rs offering only that group must complete the handshake, negotiate it,
//! and read the posture's HTTP response.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use kensa_lab::pki::{LeafSpec, Pki};
use kensa_lab::tls::{Posture, serve};
use rustls::crypto::ring::{cipher_suite as cs, kx_group};
use rustls::pki_types::ServerName;
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn posture() -> Posture {
    Posture {
        versions: vec![&rustls::version::TLS13],
        suites: vec![cs::TLS13_AES_128_GCM_SHA256],
        groups: vec![kensa_lab::pq::X25519MLKEM768, kx_group::X25519],
        server_order: true,
        headers: vec![("Strict-Transport-Security".into(), "max-age=600".into())],
        ocsp: None,
    }
}

async fn handshake(
    groups: Vec<&'static dyn rustls::crypto::SupportedKxGroup>,
) -> (rustls::NamedGroup, String) {
    let pki = Pki::new("Lab Root", "Lab", "JP").unwrap();
    let now = OffsetDateTime::now_utc();
    let leaf = pki
        .leaf(&LeafSpec {
            names: vec!["pq.lab.test".into()],
            organisation: "Lab".into(),
            not_before: now - time::Duration::days(1),
            not_after: now + time::Duration::days(30),
        })
        .unwrap();
    let server = serve(IpAddr::V4(Ipv4Addr::LOCALHOST), &leaf, &posture())
        .await
        .unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(pki.root_der.clone()).unwrap();
    let provider = rustls::crypto::CryptoProvider {
        kx_groups: groups,
        ..rustls::crypto::aws_lc_rs::default_provider()
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let mut tls = connector
        .connect(ServerName::try_from("pq.lab.test").unwrap(), tcp)
        .await
        .unwrap();
    let group = tls
        .get_ref()
        .1
        .negotiated_key_exchange_group()
        .unwrap()
        .name();
    tls.write_all(b"GET / HTTP/1.1\r\nHost: pq.lab.test\r\n\r\n")
        .await
        .unwrap();
    let mut body = String::new();
    tls.read_to_string(&mut body).await.unwrap();
    (group, body)
}

#[tokio::test]
async fn aws_lc_client_negotiates_the_lab_hybrid() {
    let (group, body) = handshake(vec![rustls::crypto::aws_lc_rs::kx_group::X25519MLKEM768]).await;
    assert_eq!(group, rustls::NamedGroup::X25519MLKEM768);
    assert!(body.starts_with("HTTP/1.1 200 OK\r\n"), "{body}");
    assert!(
        body.contains("\r\nStrict-Transport-Security: max-age=600\r\n"),
        "{body}"
    );
}

#[tokio::test]
async fn a_classical_client_still_gets_x25519() {
    let (group, _) = handshake(vec![rustls::crypto::aws_lc_rs::kx_group::X25519]).await;
    assert_eq!(group, rustls::NamedGroup::X25519);
}
