//! An in-process TLS 1.3 server offering the post-quantum hybrid X25519MLKEM768
//! (draft-ietf-tls-ecdhe-mlkem), built on rustls with the aws-lc-rs provider. ring cannot
//! negotiate ML-KEM, so aws-lc-rs is a dev-dependency of this crate for this server only
//! (`scripts/check-deps` keeps it out of the product).

use std::sync::Arc;

use rustls::crypto::aws_lc_rs::{self, cipher_suite, kx_group};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::AsyncReadExt;

use super::scripted::{Scripted, start};

/// The server's key-exchange groups, in its order of preference.
pub(crate) const PQ_GROUPS: [&str; 3] = ["X25519MLKEM768", "x25519", "secp256r1"];

/// A TLS 1.3-only rustls server with an ECDSA P-256 certificate (rcgen), suites
/// AES-256-GCM, AES-128-GCM and ChaCha20-Poly1305, and groups [`PQ_GROUPS`].
pub(crate) async fn start_pq() -> Scripted {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("rcgen");
    let cert = ck.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let mut provider = aws_lc_rs::default_provider();
    provider.kx_groups = vec![
        kx_group::X25519MLKEM768,
        kx_group::X25519,
        kx_group::SECP256R1,
    ];
    provider.cipher_suites = vec![
        cipher_suite::TLS13_AES_256_GCM_SHA384,
        cipher_suite::TLS13_AES_128_GCM_SHA256,
        cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
    ];
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("TLS 1.3")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("certificate");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    start(move |s| {
        let acceptor = acceptor.clone();
        async move {
            // The probe never finishes its own handshakes; rustls's modern handshake does.
            if let Ok(mut tls) = acceptor.accept(s).await {
                let mut buf = [0u8; 1024];
                while matches!(tls.read(&mut buf).await, Ok(n) if n > 0) {}
            }
        }
    })
    .await
}
