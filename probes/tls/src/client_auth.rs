//! Client certificates (issue 19): whether the server asks for one (CertificateRequest) in
//! TLS 1.3 and TLS 1.2, the CA names and signature schemes it lists, and whether it is
//! *required*: a rustls handshake that answers the request with an empty Certificate message
//! either goes on (optional) or draws an alert (required).
//!
//! No connection is spent on a server that does not ask: whether TLS 1.3 asks is seen in the
//! modern handshakes ([`crate::modern`]), whether TLS 1.2 asks in the plaintext flight of the
//! TLS 1.2 round; only then is one more handshake made per version that asked.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use kensa_probe::Scope;
use rustls::pki_types::ServerName;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncReadExt;

use crate::codec::{ProtocolVersion, SignatureScheme};
use crate::modern::{RecordingClientAuth, danger::RecordingVerifier};

/// How long to wait, after a TLS 1.3 handshake that sent an empty Certificate, for the
/// server's alert (a server that requires a certificate sends it as soon as it has read the
/// client's Finished, one round trip).
const ALERT_WAIT: Duration = Duration::from_millis(1000);

/// What one version showed about client certificates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientCertRequest {
    /// Whether the server sent a CertificateRequest.
    pub requested: bool,
    /// With a request: `true` when the handshake without a certificate drew an alert,
    /// `false` when it went on; `None` when it did not decide (see `detail`) or there was no
    /// request.
    pub required: Option<bool>,
    /// The acceptable CA names the request listed (DER Names, hex).
    pub ca_names: Vec<String>,
    /// The signature schemes the request listed.
    pub signature_schemes: Vec<SignatureScheme>,
    /// What the handshake without a certificate did, in words.
    pub detail: String,
}

impl ClientCertRequest {
    /// A version whose handshake showed no CertificateRequest.
    pub(crate) fn not_requested(detail: impl Into<String>) -> Self {
        Self {
            requested: false,
            required: None,
            ca_names: Vec::new(),
            signature_schemes: Vec::new(),
            detail: detail.into(),
        }
    }
}

/// Client certificates per version; a version is absent when it was not accepted or its
/// handshake never reached the point where a request would come.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientCertificates {
    /// TLS 1.3.
    pub tls13: Option<ClientCertRequest>,
    /// TLS 1.2.
    pub tls12: Option<ClientCertRequest>,
}

/// One rustls handshake at `version` only, answering a CertificateRequest with no
/// certificate. Returns what it showed and the connections it opened (0 or 1).
pub(crate) async fn check(
    scope: &Scope,
    addr: SocketAddr,
    server_name: Option<&str>,
    version: ProtocolVersion,
    connect_timeout: Duration,
    read_timeout: Duration,
) -> (ClientCertRequest, u32) {
    let undecided = |detail: String| ClientCertRequest {
        requested: false,
        required: None,
        ca_names: Vec::new(),
        signature_schemes: Vec::new(),
        detail,
    };
    let rustls_version = if version == ProtocolVersion::TLS1_3 {
        &rustls::version::TLS13
    } else {
        &rustls::version::TLS12
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(RecordingVerifier::new(
        Arc::clone(&provider),
        crate::modern::KeyPreference::Any,
    ));
    let client_auth = Arc::new(RecordingClientAuth::default());
    let config = match rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[rustls_version])
    {
        Ok(c) => c
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_client_cert_resolver(client_auth.clone()),
        Err(e) => return (undecided(e.to_string()), 0),
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let name = match server_name.map(|n| ServerName::try_from(n.to_owned())) {
        Some(Ok(n)) => n,
        _ => ServerName::IpAddress(addr.ip().into()),
    };
    let conn = match scope.connect(addr, connect_timeout).await {
        Ok(c) => c,
        Err(e) => return (undecided(e.to_string()), 0),
    };
    let handshake = tokio::time::timeout(read_timeout, connector.connect(name, conn)).await;
    let ended = match handshake {
        Err(_) => Err("the handshake timed out".to_owned()),
        Ok(Err(e)) => Err(e.to_string()),
        Ok(Ok(mut stream)) => {
            if version == ProtocolVersion::TLS1_3 && client_auth.seen().is_some() {
                // The client's side ended with its Finished; a server that requires a
                // certificate answers it with an alert.
                let mut buf = [0u8; 512];
                let wait = ALERT_WAIT.min(read_timeout);
                let deadline = tokio::time::Instant::now() + wait;
                loop {
                    match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
                        Err(_) => break Ok("no alert after the handshake".to_owned()),
                        Ok(Ok(0)) => {
                            break Err(
                                "the server closed the connection after the handshake".to_owned()
                            );
                        }
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => break Err(e.to_string()),
                    }
                }
            } else {
                Ok("the handshake completed".to_owned())
            }
        }
    };
    let Some(seen) = client_auth.seen() else {
        return (
            match ended {
                Ok(d) => ClientCertRequest::not_requested(d),
                Err(e) => undecided(e),
            },
            1,
        );
    };
    let (required, detail) = match ended {
        Ok(d) => (Some(false), format!("without a certificate: {d}")),
        // An alert after an empty Certificate: the server requires one.
        Err(e) if e.contains("alert") => (Some(true), format!("without a certificate: {e}")),
        Err(e) => (None, format!("without a certificate: {e}")),
    };
    (
        ClientCertRequest {
            requested: true,
            required,
            ca_names: seen.ca_names,
            signature_schemes: seen.signature_schemes,
            detail,
        },
        1,
    )
}
