//! The modern handshake: proof that a standard client (rustls, TLS 1.2/1.3, AEAD suites)
//! connects, what it negotiates, and the certificate chain — in TLS 1.3 the Certificate
//! message is encrypted, so this is how its chain is captured.
//!
//! Certificates are not judged here. [`danger::RecordingVerifier`] accepts any chain so that
//! invalid ones are captured too; it records the chain, the stapled OCSP response and the
//! handshake signature scheme, and still checks the handshake signature itself. The trust
//! verdict is the x509 analysis's job.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use kensa_probe::{Conn, DialError};
use rustls::pki_types::ServerName;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncReadExt;

use crate::codec::{CipherSuite, NamedGroup, ProtocolVersion, SignatureScheme, hex};

/// Which certificate key type the client says it can verify, to make a server with both an
/// RSA and an ECDSA certificate show each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyPreference {
    /// Signature schemes of RSA keys only.
    Rsa,
    /// Signature schemes of ECDSA keys only.
    Ecdsa,
    /// Every scheme rustls verifies.
    Any,
}

/// One modern handshake.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModernHandshake {
    /// The key types the client declared.
    pub keys: KeyPreference,
    /// Whether the handshake completed.
    pub ok: bool,
    /// Why it did not.
    pub error: Option<String>,
    /// Negotiated version.
    pub version: Option<ProtocolVersion>,
    /// Negotiated suite.
    pub suite: Option<CipherSuite>,
    /// Negotiated key-exchange group.
    pub group: Option<NamedGroup>,
    /// Negotiated ALPN protocol (offered: h2, http/1.1).
    pub alpn: Option<String>,
    /// The scheme of the server's handshake signature (CertificateVerify / ServerKeyExchange).
    pub signature_scheme: Option<SignatureScheme>,
    /// The chain as sent, DER hex, leaf first.
    pub chain: Vec<String>,
    /// The stapled OCSP response, DER hex.
    pub ocsp_response: Option<String>,
    /// Whether a second connection resumed the session (tickets or ids); `None` if not tried.
    pub resumed: Option<bool>,
    /// TLS 1.3 session tickets received on the first connection.
    pub tls13_tickets: u32,
    /// The largest `max_early_data_size` in those tickets, bytes (RFC 8446 §4.6.1): above 0
    /// means the server offers 0-RTT early data. `None` when no ticket came.
    pub max_early_data_size: Option<u32>,
    /// The server asked for a client certificate (CertificateRequest) in this handshake; the
    /// client sent none (issue 19). Absent when it did not ask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_request: Option<CertificateRequestSeen>,
}

/// What a CertificateRequest listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRequestSeen {
    /// The acceptable CA names (`certificate_authorities`), each a DER Name, hex.
    pub ca_names: Vec<String>,
    /// The signature schemes the server accepts for the client's CertificateVerify.
    pub signature_schemes: Vec<SignatureScheme>,
}

/// A client-certificate resolver that records what the server asked for and offers no
/// certificate (rustls then sends an empty Certificate message).
#[derive(Debug, Default)]
pub(crate) struct RecordingClientAuth {
    seen: std::sync::Mutex<Option<CertificateRequestSeen>>,
}

impl RecordingClientAuth {
    pub(crate) fn seen(&self) -> Option<CertificateRequestSeen> {
        self.seen.lock().ok().and_then(|s| s.clone())
    }
}

impl rustls::client::ResolvesClientCert for RecordingClientAuth {
    fn resolve(
        &self,
        root_hint_subjects: &[&[u8]],
        sigschemes: &[rustls::SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        if let Ok(mut s) = self.seen.lock() {
            *s = Some(CertificateRequestSeen {
                ca_names: root_hint_subjects.iter().map(|n| hex(n)).collect(),
                signature_schemes: sigschemes
                    .iter()
                    .map(|s| SignatureScheme(u16::from(*s)))
                    .collect(),
            });
        }
        None
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// A session store that remembers what the server's TLS 1.3 tickets said about 0-RTT, and
/// otherwise behaves as rustls's in-memory cache.
#[derive(Debug)]
struct RecordingStore {
    inner: rustls::client::ClientSessionMemoryCache,
    tickets: std::sync::atomic::AtomicU32,
    max_early_data: std::sync::Mutex<Option<u32>>,
}

impl rustls::client::ClientSessionStore for RecordingStore {
    fn set_kx_hint(&self, server_name: ServerName<'static>, group: rustls::NamedGroup) {
        self.inner.set_kx_hint(server_name, group);
    }

    fn kx_hint(&self, server_name: &ServerName<'_>) -> Option<rustls::NamedGroup> {
        self.inner.kx_hint(server_name)
    }

    fn set_tls12_session(
        &self,
        server_name: ServerName<'static>,
        value: rustls::client::Tls12ClientSessionValue,
    ) {
        self.inner.set_tls12_session(server_name, value);
    }

    fn tls12_session(
        &self,
        server_name: &ServerName<'_>,
    ) -> Option<rustls::client::Tls12ClientSessionValue> {
        self.inner.tls12_session(server_name)
    }

    fn remove_tls12_session(&self, server_name: &ServerName<'static>) {
        self.inner.remove_tls12_session(server_name);
    }

    fn insert_tls13_ticket(
        &self,
        server_name: ServerName<'static>,
        value: rustls::client::Tls13ClientSessionValue,
    ) {
        self.tickets
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut m) = self.max_early_data.lock() {
            let size = value.max_early_data_size();
            *m = Some(m.map_or(size, |old| old.max(size)));
        }
        self.inner.insert_tls13_ticket(server_name, value);
    }

    fn take_tls13_ticket(
        &self,
        server_name: &ServerName<'static>,
    ) -> Option<rustls::client::Tls13ClientSessionValue> {
        self.inner.take_tls13_ticket(server_name)
    }
}

/// The "dangerous" part, named as such: a verifier that accepts every certificate.
pub mod danger {
    use std::sync::{Arc, Mutex};

    use rustls::DigitallySignedStruct;
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

    use super::KeyPreference;

    /// What the verifier saw.
    #[derive(Debug, Default)]
    pub struct Recorded {
        /// The chain, leaf first.
        pub chain: Vec<Vec<u8>>,
        /// The stapled OCSP response.
        pub ocsp: Option<Vec<u8>>,
        /// The handshake signature scheme.
        pub scheme: Option<u16>,
    }

    /// Accepts any certificate chain and records it. **Never use it to protect data**: kensa
    /// uses it only to observe; the chain is judged separately.
    #[derive(Debug)]
    pub struct RecordingVerifier {
        provider: Arc<CryptoProvider>,
        keys: KeyPreference,
        /// What was recorded.
        pub recorded: Mutex<Recorded>,
    }

    impl RecordingVerifier {
        /// A verifier over `provider`'s signature algorithms, declaring `keys`.
        pub fn new(provider: Arc<CryptoProvider>, keys: KeyPreference) -> Self {
            Self {
                provider,
                keys,
                recorded: Mutex::new(Recorded::default()),
            }
        }

        fn note_scheme(&self, dss: &DigitallySignedStruct) {
            if let Ok(mut r) = self.recorded.lock() {
                r.scheme = Some(u16::from(dss.scheme));
            }
        }
    }

    impl ServerCertVerifier for RecordingVerifier {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            ocsp_response: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            if let Ok(mut r) = self.recorded.lock() {
                r.chain = std::iter::once(end_entity)
                    .chain(intermediates)
                    .map(|c| c.as_ref().to_vec())
                    .collect();
                r.ocsp = (!ocsp_response.is_empty()).then(|| ocsp_response.to_vec());
            }
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.note_scheme(dss);
            verify_tls12_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            self.note_scheme(dss);
            verify_tls13_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }

        fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
            use rustls::SignatureScheme as S;
            self.provider
                .signature_verification_algorithms
                .supported_schemes()
                .into_iter()
                .filter(|s| match self.keys {
                    KeyPreference::Any => true,
                    KeyPreference::Rsa => matches!(
                        s,
                        S::RSA_PKCS1_SHA256
                            | S::RSA_PKCS1_SHA384
                            | S::RSA_PKCS1_SHA512
                            | S::RSA_PSS_SHA256
                            | S::RSA_PSS_SHA384
                            | S::RSA_PSS_SHA512
                    ),
                    KeyPreference::Ecdsa => matches!(
                        s,
                        S::ECDSA_NISTP256_SHA256
                            | S::ECDSA_NISTP384_SHA384
                            | S::ECDSA_NISTP521_SHA512
                    ),
                })
                .collect()
        }
    }
}

/// After the first ticket, how long to wait for tickets sent with it.
const SIBLING_GAP: Duration = Duration::from_millis(10);

/// How long the server may stay quiet after the handshake before kensa stops waiting for a
/// TLS 1.3 ticket: one and a half round trips and 20 ms (a ticket is sent when the client's
/// Finished arrives, so it comes one round trip after the handshake ends). The round trip is
/// the smallest seen: the caller's hint (its fastest answer to a hello on this endpoint,
/// itself a round trip plus the server's work on a hello) or this handshake's own time (a
/// round trip plus any queueing), whichever is smaller.
fn ticket_gap(handshake_time: Duration, rtt_hint: Option<Duration>) -> Duration {
    let rtt = rtt_hint.map_or(handshake_time, |h| h.min(handshake_time));
    rtt + rtt / 2 + Duration::from_millis(20)
}

/// One rustls handshake to `addr`, declaring `keys`; when `resume` is set, a second
/// connection with the same client checks session resumption. `rtt_hint` gives the fastest
/// round trip the caller has seen to this endpoint so far, if any (it bounds the wait for
/// tickets).
/// `dial` opens each connection to `addr` (the caller's scope, limits and order of requests).
#[allow(clippy::too_many_arguments)] // each is one setting of this one handshake
pub async fn handshake<D, F>(
    dial: D,
    addr: SocketAddr,
    server_name: Option<&str>,
    keys: KeyPreference,
    read_timeout: Duration,
    resume: bool,
    rtt_hint: impl Fn() -> Option<Duration>,
) -> (ModernHandshake, u32)
where
    D: Fn() -> F,
    F: Future<Output = Result<Conn, DialError>>,
{
    let mut out = ModernHandshake {
        keys,
        ok: false,
        error: None,
        version: None,
        suite: None,
        group: None,
        alpn: None,
        signature_scheme: None,
        chain: Vec::new(),
        ocsp_response: None,
        resumed: None,
        tls13_tickets: 0,
        max_early_data_size: None,
        certificate_request: None,
    };
    let client_auth = Arc::new(RecordingClientAuth::default());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(danger::RecordingVerifier::new(Arc::clone(&provider), keys));
    let config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12]);
    let mut config = match config {
        Ok(c) => c
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_client_cert_resolver(client_auth.clone()),
        Err(e) => {
            out.error = Some(e.to_string());
            return (out, 0);
        }
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let store = Arc::new(RecordingStore {
        inner: rustls::client::ClientSessionMemoryCache::new(8),
        tickets: std::sync::atomic::AtomicU32::new(0),
        max_early_data: std::sync::Mutex::new(None),
    });
    config.resumption = rustls::client::Resumption::store(store.clone());
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let name = match server_name.map(|n| ServerName::try_from(n.to_owned())) {
        Some(Ok(n)) => n,
        _ => ServerName::IpAddress(addr.ip().into()),
    };
    let mut connections = 0;
    // Returns the stream and the time from the TCP connect to the end of the handshake (the
    // wait for a connection permit excluded).
    let attempt = |name: ServerName<'static>| {
        let connector = connector.clone();
        let conn = dial();
        async move {
            let conn = conn.await.map_err(|e| e.to_string())?;
            let started = std::time::Instant::now();
            match tokio::time::timeout(read_timeout, connector.connect(name, conn)).await {
                Err(_) => Err("the TLS handshake timed out".to_owned()),
                Ok(Err(e)) => Err(e.to_string()),
                Ok(Ok(s)) => Ok((s, started.elapsed())),
            }
        }
    };
    connections += 1;
    let (mut stream, handshake_time) = match attempt(name.clone()).await {
        Ok(s) => s,
        Err(e) => {
            out.error = Some(e);
            record(&mut out, &verifier);
            out.certificate_request = client_auth.seen();
            return (out, connections);
        }
    };
    out.certificate_request = client_auth.seen();
    {
        let c = stream.get_ref().1;
        out.ok = true;
        out.version = c.protocol_version().map(|v| ProtocolVersion(u16::from(v)));
        out.suite = c
            .negotiated_cipher_suite()
            .map(|s| CipherSuite(u16::from(s.suite())));
        out.group = c
            .negotiated_key_exchange_group()
            .map(|g| NamedGroup(u16::from(g.name())));
        out.alpn = c
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned());
    }
    record(&mut out, &verifier);
    if resume {
        // TLS 1.3 session tickets follow the handshake (the server sends them once it has the
        // client's Finished, about one round trip later). Read until the first ticket has come
        // (and any sent with it), or until the server has been quiet for a short gap; never to
        // a bound that grows with the handshake time, which on a busy or single-threaded
        // server includes queueing (issue 21: a second of queueing became three seconds of
        // waiting). TLS 1.2 gives its session id or ticket inside the handshake: no wait.
        if stream.get_ref().1.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3) {
            let gap = ticket_gap(handshake_time, rtt_hint());
            let deadline = tokio::time::Instant::now() + read_timeout;
            let tickets = || store.tickets.load(std::sync::atomic::Ordering::Relaxed);
            let mut buf = [0u8; 1024];
            loop {
                // Once a ticket is in, only what arrives right behind it still counts.
                let wait = if tickets() > 0 { SIBLING_GAP } else { gap };
                let until = (tokio::time::Instant::now() + wait).min(deadline);
                match tokio::time::timeout_at(until, stream.read(&mut buf)).await {
                    Ok(Ok(n)) if n > 0 => {}
                    _ => break,
                }
            }
        }
        drop(stream);
        out.tls13_tickets = store.tickets.load(std::sync::atomic::Ordering::Relaxed);
        out.max_early_data_size = store.max_early_data.lock().ok().and_then(|m| *m);
        connections += 1;
        out.resumed = Some(match attempt(name).await {
            Ok((s, _)) => matches!(
                s.get_ref().1.handshake_kind(),
                Some(rustls::HandshakeKind::Resumed)
            ),
            Err(_) => false,
        });
    }
    (out, connections)
}

fn record(out: &mut ModernHandshake, verifier: &danger::RecordingVerifier) {
    let Ok(r) = verifier.recorded.lock() else {
        return;
    };
    out.chain = r.chain.iter().map(|c| hex(c)).collect();
    out.ocsp_response = r.ocsp.as_deref().map(hex);
    out.signature_scheme = r.scheme.map(SignatureScheme);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 21: a handshake that queued for a second behind another connection must not
    /// stretch the ticket wait to seconds; the fastest answer seen bounds it.
    #[test]
    fn ticket_gap_does_not_grow_with_queueing() {
        let queued = Duration::from_millis(1000);
        let fastest = Duration::from_millis(2);
        assert_eq!(ticket_gap(queued, Some(fastest)), Duration::from_millis(23));
        // Without a hint, the handshake's own time (one round trip) is all there is.
        assert_eq!(
            ticket_gap(Duration::from_millis(50), None),
            Duration::from_millis(95)
        );
        // A hint slower than this handshake does not lengthen it.
        assert_eq!(
            ticket_gap(Duration::from_millis(50), Some(Duration::from_millis(400))),
            Duration::from_millis(95)
        );
    }
}
