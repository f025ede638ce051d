//! The TLS client of this probe: rustls with the ring provider, ALPN, and a certificate
//! verifier that deliberately accepts any chain.

use std::sync::Arc;

use kensa_probe::Outcome;
use rustls::ClientConfig;

/// The client configuration: ring provider, TLS 1.3 and 1.2, no client certificate, ALPN
/// `h2` (when `offer_h2`) then `http/1.1`, and [`danger::NoVerification`].
pub(crate) fn client_config(offer_h2: bool) -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(danger::NoVerification::new(&provider)))
        .with_no_client_auth();
    config.alpn_protocols = if offer_h2 {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(config)
}

/// The outcome of a failed TLS handshake, from the I/O error tokio-rustls returns.
pub(crate) fn handshake_outcome(err: &std::io::Error) -> Outcome {
    let Some(tls) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
    else {
        return Outcome::from_io(err);
    };
    match tls {
        rustls::Error::InvalidMessage(_)
        | rustls::Error::InappropriateMessage { .. }
        | rustls::Error::InappropriateHandshakeMessage { .. }
        | rustls::Error::PeerMisbehaved(_)
        | rustls::Error::DecryptError => Outcome::ProtocolViolation,
        _ => Outcome::HandshakeFailure,
    }
}

/// A short name of a TLS version, e.g. `TLSv1.3`.
pub(crate) fn version_name(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".to_owned(),
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".to_owned(),
        other => format!("{other:?}"),
    }
}

pub(crate) mod danger {
    //! Dangerous on purpose: certificate verification is the job of the TLS and x509 probes,
    //! not of this one, which must see the HTTP layer of servers with any certificate.

    use rustls::DigitallySignedStruct;
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::{
        CryptoProvider, WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature,
    };
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

    /// Accepts **any** certificate chain for any name, and records nothing about it. It still
    /// checks the handshake signatures (the server proves it holds the key of the certificate
    /// it sent) with the ring provider's algorithms, so the session is a real TLS session.
    #[derive(Debug)]
    pub(crate) struct NoVerification {
        algs: WebPkiSupportedAlgorithms,
    }

    impl NoVerification {
        pub(crate) fn new(provider: &CryptoProvider) -> Self {
            Self {
                algs: provider.signature_verification_algorithms,
            }
        }
    }

    impl ServerCertVerifier for NoVerification {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls12_signature(message, cert, dss, &self.algs)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls13_signature(message, cert, dss, &self.algs)
        }

        fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
            self.algs.supported_schemes()
        }
    }
}
