//! Scripted servers: they read the ClientHello (parsed with tls-parser, or by hand for the
//! SSL 2.0 CLIENT-HELLO), and answer with hand-built bytes. They play what no server on this
//! machine does: SSL 3.0 with RC4 and export suites, SSL 2.0, Heartbleed, CCS injection, a
//! server that drops large hellos, one that never answers, and one that sends garbage.
//!
//! Wire formats: RFC 5246 §6.2 (records), §7.4 (handshake), §7.2 (alerts); RFC 6101 (SSL 3.0,
//! no extensions block); RFC 6520 (heartbeat); draft-hickman-netscape-ssl-00 (SSL 2.0
//! SERVER-HELLO). No cryptography: no handshake is ever completed.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tls_parser::{
    TlsExtension, TlsMessage, TlsMessageHandshake, parse_tls_client_hello_extensions,
    parse_tls_plaintext,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// A scripted server on 127.0.0.1; dropping it stops the listener and every connection.
pub(crate) struct Scripted {
    /// The kernel-chosen port.
    pub(crate) port: u16,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Listen on 127.0.0.1:0 and run `handler` for each connection (all owned by one task, so
/// aborting it closes them all).
pub(crate) async fn start<F, Fut>(handler: F) -> Scripted
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind((super::LOOPBACK, 0))
        .await
        .expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local addr").port();
    let task = tokio::spawn(async move {
        let mut conns = JoinSet::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    conns.spawn(handler(stream));
                }
                Some(_) = conns.join_next(), if !conns.is_empty() => {}
            }
        }
    });
    Scripted { port, task }
}

// -------------------------------------------------------------------------------------------
// Reading the client.

/// What the client said first.
#[derive(Debug, Clone)]
pub(crate) enum Hello {
    /// A TLS-format ClientHello (SSL 3.0 .. TLS 1.3).
    Tls(TlsHello),
    /// An SSL 2.0 CLIENT-HELLO with its cipher kinds.
    Ssl2 { kinds: Vec<u32> },
}

/// The parts of a TLS ClientHello the scripted servers act on.
#[derive(Debug, Clone)]
pub(crate) struct TlsHello {
    /// `client_version`.
    pub(crate) client_version: u16,
    /// The supported_versions extension, if any.
    pub(crate) supported_versions: Vec<u16>,
    /// Offered cipher suites, in the client's order.
    pub(crate) suites: Vec<u16>,
    /// Whether the heartbeat extension was offered.
    pub(crate) heartbeat: bool,
    /// Whether renegotiation_info (or its SCSV) was offered.
    pub(crate) renegotiation_info: bool,
    /// Length of the handshake message (header included), bytes.
    pub(crate) handshake_len: usize,
}

/// Read `n` bytes, or `None` on EOF, error or 5 s of silence.
async fn read_n(stream: &mut TcpStream, n: usize) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; n];
    match tokio::time::timeout(Duration::from_secs(5), stream.read_exact(&mut buf)).await {
        Ok(Ok(_)) => Some(buf),
        _ => None,
    }
}

/// Read and parse the first message of the client.
pub(crate) async fn read_hello(stream: &mut TcpStream) -> Option<Hello> {
    let head = read_n(stream, 5).await?;
    if head[0] & 0x80 != 0 && head[2] == 1 {
        // SSL 2.0: 2-byte header, MSG-CLIENT-HELLO(1), version, cipher-specs length,
        // session-id length, challenge length, then the specs.
        let len = usize::from(head[0] & 0x7f) << 8 | usize::from(head[1]);
        let rest = read_n(stream, len + 2 - 5).await?;
        let body: Vec<u8> = head[2..].iter().chain(rest.iter()).copied().collect();
        let specs_len = usize::from(u16::from_be_bytes([body[3], body[4]]));
        let kinds = body
            .get(9..9 + specs_len)?
            .chunks_exact(3)
            .map(|c| u32::from_be_bytes([0, c[0], c[1], c[2]]))
            .collect();
        return Some(Hello::Ssl2 { kinds });
    }
    let len = usize::from(u16::from_be_bytes([head[3], head[4]]));
    let body = read_n(stream, len).await?;
    let record: Vec<u8> = head.iter().chain(body.iter()).copied().collect();
    let (_, plaintext) = parse_tls_plaintext(&record).ok()?;
    let Some(TlsMessage::Handshake(TlsMessageHandshake::ClientHello(ch))) = plaintext.msg.first()
    else {
        return None;
    };
    let mut hello = TlsHello {
        client_version: ch.version.0,
        supported_versions: Vec::new(),
        suites: ch.ciphers.iter().map(|c| c.0).collect(),
        heartbeat: false,
        renegotiation_info: ch.ciphers.iter().any(|c| c.0 == 0x00ff),
        handshake_len: len,
    };
    if let Some(ext) = ch.ext {
        let (_, exts) = parse_tls_client_hello_extensions(ext).ok()?;
        for e in exts {
            match e {
                TlsExtension::SupportedVersions(v) => {
                    hello.supported_versions = v.iter().map(|x| x.0).collect();
                }
                TlsExtension::Heartbeat(_) => hello.heartbeat = true,
                TlsExtension::RenegotiationInfo(_) => hello.renegotiation_info = true,
                _ => {}
            }
        }
    }
    Some(Hello::Tls(hello))
}

/// Read one record: (content type, fragment); `None` on EOF or error. Waits as long as the
/// client keeps the connection open.
async fn read_record(stream: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).await.ok()?;
    let len = usize::from(u16::from_be_bytes([head[3], head[4]]));
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).await.ok()?;
    Some((head[0], body))
}

// -------------------------------------------------------------------------------------------
// Building the answers.

pub(crate) const SSL3: u16 = 0x0300;
pub(crate) const TLS10: u16 = 0x0301;
pub(crate) const TLS11: u16 = 0x0302;
pub(crate) const TLS12: u16 = 0x0303;

const HANDSHAKE_FAILURE: u8 = 40;
const PROTOCOL_VERSION: u8 = 70;
const INAPPROPRIATE_FALLBACK: u8 = 86;
const UNEXPECTED_MESSAGE: u8 = 10;
const BAD_RECORD_MAC: u8 = 20;

fn u24(n: usize) -> [u8; 3] {
    let b = u32::try_from(n).expect("fits").to_be_bytes();
    [b[1], b[2], b[3]]
}

/// A TLS record.
pub(crate) fn record(content_type: u8, version: u16, fragment: &[u8]) -> Vec<u8> {
    let mut r = vec![content_type];
    r.extend_from_slice(&version.to_be_bytes());
    r.extend_from_slice(&u16::try_from(fragment.len()).expect("fits").to_be_bytes());
    r.extend_from_slice(fragment);
    r
}

/// A handshake message.
fn handshake(typ: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![typ];
    m.extend_from_slice(&u24(body.len()));
    m.extend_from_slice(body);
    m
}

/// A fatal alert record.
pub(crate) fn alert(version: u16, description: u8) -> Vec<u8> {
    record(21, version, &[2, description])
}

/// ServerHello (RFC 5246 §7.4.1.3): a fixed random without a downgrade sentinel, a 32-byte
/// session id, null compression; no extensions block when `extensions` is `None` (SSL 3.0).
fn server_hello(version: u16, suite: u16, extensions: Option<&[(u16, Vec<u8>)]>) -> Vec<u8> {
    let mut b = version.to_be_bytes().to_vec();
    b.extend_from_slice(&[0x5a; 32]);
    b.push(32);
    b.extend_from_slice(&[0x11; 32]);
    b.extend_from_slice(&suite.to_be_bytes());
    b.push(0);
    if let Some(exts) = extensions {
        let mut block = Vec::new();
        for (typ, data) in exts {
            block.extend_from_slice(&typ.to_be_bytes());
            block.extend_from_slice(&u16::try_from(data.len()).expect("fits").to_be_bytes());
            block.extend_from_slice(data);
        }
        b.extend_from_slice(&u16::try_from(block.len()).expect("fits").to_be_bytes());
        b.extend_from_slice(&block);
    }
    handshake(2, &b)
}

/// Certificate (RFC 5246 §7.4.2) with these DER certificates, leaf first.
fn certificate(ders: &[&[u8]]) -> Vec<u8> {
    let mut list = Vec::new();
    for der in ders {
        list.extend_from_slice(&u24(der.len()));
        list.extend_from_slice(der);
    }
    let mut body = u24(list.len()).to_vec();
    body.extend_from_slice(&list);
    handshake(11, &body)
}

/// `data` as records of at most 2^14 bytes each (RFC 5246 §6.2.1).
pub(crate) fn records(content_type: u8, version: u16, data: &[u8]) -> Vec<u8> {
    data.chunks(16_384)
        .flat_map(|c| record(content_type, version, c))
        .collect()
}

/// An SSL 2.0 SERVER-HELLO record (2-byte header) carrying `kinds`.
fn ssl2_server_hello(cert: &[u8], kinds: &[u32]) -> Vec<u8> {
    let mut body = vec![4, 0, 1, 0x00, 0x02];
    body.extend_from_slice(&u16::try_from(cert.len()).expect("fits").to_be_bytes());
    body.extend_from_slice(&u16::try_from(kinds.len() * 3).expect("fits").to_be_bytes());
    body.extend_from_slice(&16u16.to_be_bytes());
    body.extend_from_slice(cert);
    for k in kinds {
        body.extend_from_slice(&k.to_be_bytes()[1..]);
    }
    body.extend_from_slice(&[0x33; 16]);
    let len = u16::try_from(body.len()).expect("fits") | 0x8000;
    let mut r = len.to_be_bytes().to_vec();
    r.extend_from_slice(&body);
    r
}

/// A throwaway certificate (DER) for the scripted flights; never verified by anyone.
pub(crate) fn throwaway_cert() -> Vec<u8> {
    rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
        .expect("rcgen")
        .cert
        .der()
        .to_vec()
}

// -------------------------------------------------------------------------------------------
// The legacy (SSL 3.0 .. TLS 1.2) scripted server.

/// What a scripted server does with the heartbeat extension (RFC 6520).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Heartbeat {
    /// Not supported: no extension in the ServerHello.
    Off,
    /// Advertised; a request whose payload_length exceeds the record is discarded silently
    /// (RFC 6520 §4).
    Safe,
    /// Advertised; a request is answered with as many bytes as it claims (CVE-2014-0160).
    Bleeding,
}

/// What a scripted server does with a ChangeCipherSpec that arrives before the key exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ccs {
    /// Refuse it with a fatal `unexpected_message` alert (RFC 5246 §7.1).
    Refuse,
    /// Take it silently and switch to (null-keyed) decryption, so the next record fails to
    /// decrypt: a fatal `bad_record_mac` (CVE-2014-0224).
    Accept,
}

/// A scripted SSL 3.0 .. TLS 1.2 server.
#[derive(Clone, Debug)]
pub(crate) struct Legacy {
    /// Lowest and highest version accepted (`None`: no TLS-format version at all).
    pub(crate) versions: Option<(u16, u16)>,
    /// Suites in the server's order of preference (the server always imposes it).
    pub(crate) suites: Vec<u16>,
    pub(crate) heartbeat: Heartbeat,
    pub(crate) ccs: Ccs,
    /// Close without an alert when the ClientHello message is larger than this.
    pub(crate) max_hello: Option<usize>,
    /// SSL 2.0 cipher kinds, when the server speaks SSL 2.0 too.
    pub(crate) ssl2_kinds: Option<Vec<u32>>,
    /// The DER certificate it sends.
    pub(crate) cert: Vec<u8>,
    /// More certificates sent after it (opaque blobs are fine: nothing verifies them).
    pub(crate) chain: Vec<Vec<u8>>,
    /// What it answers a ClientKeyExchange with (ROBOT tests); without one it closes.
    pub(crate) key_exchange: Option<KeyExchangeAnswer>,
    /// How long it takes over a ClientKeyExchange before answering (a slow decryption).
    pub(crate) key_exchange_delay: Duration,
    /// After a ClientKeyExchange answered with `None`: the alert it sends (then it closes)
    /// when the client's Finished comes; without one it waits for the client to go.
    pub(crate) finished_alert: Option<u8>,
}

/// A scripted server's answer to a ClientKeyExchange: given the encrypted premaster secret,
/// the alert description it sends (then it closes), or `None` to wait for the client to go.
#[derive(Clone)]
pub(crate) struct KeyExchangeAnswer(pub(crate) Arc<AnswerFn>);

/// Encrypted premaster secret in, alert description out.
pub(crate) type AnswerFn = dyn Fn(&[u8]) -> Option<u8> + Send + Sync;

impl std::fmt::Debug for KeyExchangeAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyExchangeAnswer")
    }
}

impl Legacy {
    /// A server of one version range and suites, no heartbeat, refusing early CCS.
    pub(crate) fn new(versions: (u16, u16), suites: &[u16]) -> Self {
        Self {
            versions: Some(versions),
            suites: suites.to_vec(),
            heartbeat: Heartbeat::Off,
            ccs: Ccs::Refuse,
            max_hello: None,
            ssl2_kinds: None,
            cert: throwaway_cert(),
            chain: Vec::new(),
            key_exchange: None,
            key_exchange_delay: Duration::ZERO,
            finished_alert: None,
        }
    }

    /// Start it on 127.0.0.1.
    pub(crate) async fn start(self) -> Scripted {
        let me = Arc::new(self);
        start(move |s| {
            let me = Arc::clone(&me);
            async move { me.serve(s).await }
        })
        .await
    }

    async fn serve(&self, mut s: TcpStream) {
        let Some(hello) = read_hello(&mut s).await else {
            return;
        };
        let hello = match hello {
            Hello::Ssl2 { kinds } => {
                if let Some(mine) = &self.ssl2_kinds {
                    let common: Vec<u32> =
                        mine.iter().copied().filter(|k| kinds.contains(k)).collect();
                    let _ = s.write_all(&ssl2_server_hello(&self.cert, &common)).await;
                    // The client never finishes; wait for it to go.
                    let _ = read_record(&mut s).await;
                }
                return;
            }
            Hello::Tls(h) => h,
        };
        if self.max_hello.is_some_and(|max| hello.handshake_len > max) {
            // Drop the connection without a word, as some middleboxes do.
            return;
        }
        let Some((min, max)) = self.versions else {
            let _ = s.write_all(&alert(TLS10, PROTOCOL_VERSION)).await;
            return;
        };
        // RFC 5246 Appendix E.1: the server answers with the lower of the client's version
        // and its own highest; below its lowest it refuses. (These servers predate TLS 1.3
        // and ignore supported_versions.)
        let version = hello.client_version.min(max);
        if version < min {
            let _ = s.write_all(&alert(max, PROTOCOL_VERSION)).await;
            return;
        }
        // RFC 7507 §3: TLS_FALLBACK_SCSV below the server's highest version.
        if hello.suites.contains(&0x5600) && version < max {
            let _ = s.write_all(&alert(version, INAPPROPRIATE_FALLBACK)).await;
            return;
        }
        let Some(suite) = self
            .suites
            .iter()
            .copied()
            .find(|x| hello.suites.contains(x))
        else {
            let _ = s.write_all(&alert(version, HANDSHAKE_FAILURE)).await;
            return;
        };
        let mut exts: Vec<(u16, Vec<u8>)> = Vec::new();
        if hello.renegotiation_info {
            exts.push((0xff01, vec![0]));
        }
        if hello.heartbeat && self.heartbeat != Heartbeat::Off {
            // peer_allowed_to_send(1)
            exts.push((15, vec![1]));
        }
        let sh = server_hello(version, suite, (version > SSL3).then_some(exts.as_slice()));
        let mut flight = sh;
        let ders: Vec<&[u8]> = std::iter::once(self.cert.as_slice())
            .chain(self.chain.iter().map(Vec::as_slice))
            .collect();
        flight.extend_from_slice(&certificate(&ders));
        flight.extend_from_slice(&handshake(14, &[]));
        if s.write_all(&records(22, version, &flight)).await.is_err() {
            return;
        }
        self.after_flight(&mut s, version).await;
    }

    /// What follows the first flight: only the probe's active checks send anything.
    async fn after_flight(&self, s: &mut TcpStream, version: u16) {
        let mut ccs_taken = false;
        while let Some((typ, frag)) = read_record(s).await {
            match typ {
                20 if self.ccs == Ccs::Refuse => {
                    let _ = s.write_all(&alert(version, UNEXPECTED_MESSAGE)).await;
                    return;
                }
                20 => ccs_taken = true,
                // ClientKeyExchange: msg_type 16, u24 length, u16 length, the encrypted
                // premaster secret (RFC 5246 §7.4.7.1).
                22 if self.key_exchange.is_some() && frag.first() == Some(&16) => {
                    let answer = self.key_exchange.as_ref().expect("checked");
                    tokio::time::sleep(self.key_exchange_delay).await;
                    match (answer.0)(frag.get(6..).unwrap_or_default()) {
                        Some(description) => {
                            // The alert, then a clean close: the client's ChangeCipherSpec
                            // and Finished are read first (closing with them unread would
                            // reset the connection, or not, as they happen to arrive).
                            let _ = s.write_all(&alert(version, description)).await;
                            let _ = s.shutdown().await;
                            let _ = tokio::time::timeout(Duration::from_millis(500), async {
                                while read_record(s).await.is_some() {}
                            })
                            .await;
                            return;
                        }
                        None => {
                            // Wait for the Finished (the next handshake record), or for
                            // the client to give up.
                            while let Some((typ, _)) = read_record(s).await {
                                if let (22, Some(description)) = (typ, self.finished_alert) {
                                    let _ = s.write_all(&alert(version, description)).await;
                                    let _ = s.shutdown().await;
                                    let _ =
                                        tokio::time::timeout(Duration::from_millis(500), async {
                                            while read_record(s).await.is_some() {}
                                        })
                                        .await;
                                    return;
                                }
                            }
                            return;
                        }
                    }
                }
                24 => {
                    let claimed = usize::from(u16::from_be_bytes([
                        frag.get(1).copied().unwrap_or(0),
                        frag.get(2).copied().unwrap_or(0),
                    ]));
                    let carried = frag.len().saturating_sub(3 + 16);
                    if self.heartbeat == Heartbeat::Bleeding {
                        // heartbeat_response(2), the claimed length, that many bytes of
                        // "memory", 16 bytes of padding.
                        let mut resp = vec![2];
                        resp.extend_from_slice(&u16::try_from(claimed).expect("u16").to_be_bytes());
                        resp.extend(std::iter::repeat_n(0xa5, claimed + 16));
                        let _ = s.write_all(&record(24, version, &resp)).await;
                    } else if claimed <= carried && self.heartbeat == Heartbeat::Safe {
                        let mut resp = vec![2];
                        resp.extend_from_slice(&frag[1..]);
                        let _ = s.write_all(&record(24, version, &resp)).await;
                    }
                    // Safe and oversized: discarded silently (RFC 6520 §4).
                }
                _ if ccs_taken => {
                    // Decrypting under the keys the early CCS switched to fails.
                    let _ = s.write_all(&alert(version, BAD_RECORD_MAC)).await;
                    return;
                }
                _ => return,
            }
        }
    }
}

// -------------------------------------------------------------------------------------------
// Servers that do not speak TLS.

/// Accepts TCP connections and never sends a byte (holds them until dropped).
pub(crate) async fn silent() -> Scripted {
    start(|s| async move {
        let _hold = s;
        tokio::time::sleep(Duration::from_secs(3600)).await;
    })
    .await
}

/// Answers whatever comes with an HTTP error, then closes.
pub(crate) async fn garbage() -> Scripted {
    start(|mut s| async move {
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf).await;
        let _ = s
            .write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )
            .await;
    })
    .await
}

/// Slowloris: reads the hello, then sends a handshake record one byte every `every`, for as
/// long as the client listens (the record announces 16 KiB, so the flight never completes).
pub(crate) async fn dribble(every: Duration) -> Scripted {
    start(move |mut s| async move {
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf).await;
        let mut bytes = vec![22u8, 3, 3, 0x40, 0x00, 2, 0, 0x3f, 0xfc];
        bytes.extend(std::iter::repeat_n(0x5a, 16 * 1024));
        for b in bytes {
            if s.write_all(&[b]).await.is_err() {
                return;
            }
            tokio::time::sleep(every).await;
        }
    })
    .await
}
