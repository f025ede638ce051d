//! TLS servers with a chosen posture, in process, on a loopback address: rustls (ring, plus
//! the lab's [`crate::pq`] group) answering one HTTP/1.1 request per connection with the
//! posture's headers.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use rustls::crypto::{CryptoProvider, SupportedKxGroup};
use rustls::{ServerConfig, SupportedCipherSuite, SupportedProtocolVersion};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::pki::Leaf;

/// How long a client may take to finish the handshake and send its request.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest request head read (bytes).
const MAX_REQUEST: usize = 16 * 1024;

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
pub enum TlsLabError {
    /// The rustls configuration was refused.
    #[error("TLS configuration: {0}")]
    Config(#[from] rustls::Error),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
}

/// What a server offers.
#[derive(Clone)]
pub struct Posture {
    /// Protocol versions (rustls offers TLS 1.2 and 1.3 only).
    pub versions: Vec<&'static SupportedProtocolVersion>,
    /// Cipher suites, in the server's order of preference.
    pub suites: Vec<SupportedCipherSuite>,
    /// Key-exchange groups, in the server's order of preference.
    pub groups: Vec<&'static dyn SupportedKxGroup>,
    /// Whether the server's suite order wins over the client's.
    pub server_order: bool,
    /// Extra HTTP response headers, e.g. `Strict-Transport-Security`.
    pub headers: Vec<(String, String)>,
    /// A DER OCSP response to staple, if any.
    pub ocsp: Option<Vec<u8>>,
}

impl std::fmt::Debug for Posture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Posture")
            .field("versions", &self.versions)
            .field("suites", &self.suites)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

/// A running server; dropping it stops the listener and its connections.
#[derive(Debug)]
pub struct TlsServer {
    /// Where it listens.
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Start a server for `leaf` with `posture` on `ip` (a loopback address; port chosen by the
/// kernel). Must be called inside a tokio runtime.
pub async fn serve(ip: IpAddr, leaf: &Leaf, posture: &Posture) -> Result<TlsServer, TlsLabError> {
    serve_on(SocketAddr::new(ip, 0), leaf, posture).await
}

/// As [`serve`], on a given address and port (e.g. to bring a server back with another
/// posture where a re-check expects it).
pub async fn serve_on(
    bind: SocketAddr,
    leaf: &Leaf,
    posture: &Posture,
) -> Result<TlsServer, TlsLabError> {
    let provider = CryptoProvider {
        cipher_suites: posture.suites.clone(),
        kx_groups: posture.groups.clone(),
        ..rustls::crypto::ring::default_provider()
    };
    let mut config = ServerConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&posture.versions)?
        .with_no_client_auth()
        .with_single_cert_with_ocsp(
            leaf.chain.clone(),
            leaf.key.clone_key(),
            posture.ocsp.clone().unwrap_or_default(),
        )?;
    config.ignore_client_order = posture.server_order;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind(bind)
        .await
        .map_err(|source| TlsLabError::Bind { addr: bind, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| TlsLabError::Bind { addr: bind, source })?;
    let response = Arc::new(response(&posture.headers));
    let task = tokio::spawn(async move {
        let mut conns = JoinSet::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let acceptor = acceptor.clone();
                    let response = Arc::clone(&response);
                    conns.spawn(async move {
                        let _ = tokio::time::timeout(CLIENT_TIMEOUT, async move {
                            let mut tls = acceptor.accept(stream).await.ok()?;
                            let mut buf = Vec::with_capacity(1024);
                            let mut chunk = [0u8; 2048];
                            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                                let n = tls.read(&mut chunk).await.ok()?;
                                if n == 0 || buf.len() + n > MAX_REQUEST {
                                    return None;
                                }
                                buf.extend_from_slice(chunk.get(..n)?);
                            }
                            tls.write_all(response.as_bytes()).await.ok()?;
                            tls.shutdown().await.ok()
                        })
                        .await;
                    });
                }
                Some(_) = conns.join_next(), if !conns.is_empty() => {}
            }
        }
    });
    Ok(TlsServer { addr, task })
}

fn response(headers: &[(String, String)]) -> String {
    let body = "<!doctype html><title>kensa lab</title><p>kensa demo lab server</p>\n";
    let mut r = String::from("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n");
    for (k, v) in headers {
        r.push_str(&format!("{k}: {v}\r\n"));
    }
    r.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    r
}
