//! Hostile servers among good ones, in one scan through the real binary.
//!
//! Every server here is started by this test on 127.0.0.1 and writes raw bytes: garbage for a
//! ServerHello, records of length 0 and of 2^14 + 2049 bytes, a handshake message claiming
//! 16 MB, 500 certificates, a 1 MB certificate, a certificate nesting 10,000 SEQUENCEs, every
//! ServerHello extension repeated, one byte per second, silence, a reset after the
//! ClientHello, an endless stream; over HTTPS 100,000 response headers and an endless body;
//! over DNS a compression-pointer loop and a 1,000-hop CNAME chain. Two lab servers (rustls,
//! `kensa-lab`) and a good DNS name run in the same scan.
//!
//! For each hostile server the test checks that the probe facing it recorded an outcome (and
//! which), that nothing recorded `internal` and the process exited normally, that the run
//! ended (an outer kill bound only, no timed assertion), that the client stopped reading or
//! closed while the run was still going (or that the evidence records the per-connection byte
//! cap being hit, see ARCHITECTURE.md "Byte caps per connection"), and that the good targets'
//! evidence is complete: every probe `success`.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kensa_lab::pki::{Leaf, LeafSpec, Pki};
use kensa_lab::tls::{Posture, TlsServer};
use rustls::crypto::ring::{cipher_suite as cs, kx_group};
use serde_json::Value;
use time::OffsetDateTime;

/// The whole scan may take this long before the test kills it (a hang, not a speed check).
const OUTER_BOUND: Duration = Duration::from_secs(150);
/// How long a hostile server's connection thread waits on a silent client.
const SERVER_IDLE: Duration = Duration::from_secs(60);

// -------------------------------------------------------------------------------------------
// What a hostile server saw.

/// Per server: connections accepted, and when the client closed (or reset) each one as the
/// server saw it (a failed write, or a read of 0 bytes).
#[derive(Default)]
struct Seen {
    connections: AtomicU64,
    bytes_written: AtomicU64,
    closed_at: Mutex<Vec<Instant>>,
}

impl Seen {
    fn closed(&self) {
        self.closed_at.lock().unwrap().push(Instant::now());
    }

    /// Whether the client closed some connection before `end`.
    fn closed_before(&self, end: Instant) -> bool {
        self.closed_at.lock().unwrap().iter().any(|t| *t < end)
    }
}

/// Read until the client closes or resets (or `SERVER_IDLE` passes), and note it.
fn wait_close(s: &mut TcpStream, seen: &Seen) {
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return;
            }
            Err(_) => break,
        }
    }
    seen.closed();
}

/// Write `bytes`; a failure means the client has gone (noted).
fn send(s: &mut TcpStream, bytes: &[u8], seen: &Seen) -> bool {
    match s.write_all(bytes) {
        Ok(()) => {
            seen.bytes_written
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            true
        }
        Err(_) => {
            seen.closed();
            false
        }
    }
}

// -------------------------------------------------------------------------------------------
// Wire bytes (RFC 5246 §6.2 records, §7.4 handshake; RFC 1035 §4 DNS).

fn u24(n: usize) -> [u8; 3] {
    let b = u32::try_from(n).unwrap().to_be_bytes();
    [b[1], b[2], b[3]]
}

fn record(content_type: u8, fragment: &[u8]) -> Vec<u8> {
    let mut r = vec![content_type, 3, 3];
    r.extend_from_slice(&u16::try_from(fragment.len()).unwrap().to_be_bytes());
    r.extend_from_slice(fragment);
    r
}

/// Handshake bytes cut into records of at most 2^14 bytes (RFC 5246 §6.2.1).
fn records(handshake: &[u8]) -> Vec<u8> {
    handshake
        .chunks(16_384)
        .flat_map(|c| record(22, c))
        .collect()
}

fn handshake(typ: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![typ];
    m.extend_from_slice(&u24(body.len()));
    m.extend_from_slice(body);
    m
}

/// A TLS 1.2 ServerHello for TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 with these extensions.
fn server_hello(exts: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut b = vec![3, 3];
    b.extend_from_slice(&[0x5a; 32]);
    b.push(0);
    b.extend_from_slice(&0xc02fu16.to_be_bytes());
    b.push(0);
    let mut block = Vec::new();
    for (typ, data) in exts {
        block.extend_from_slice(&typ.to_be_bytes());
        block.extend_from_slice(&u16::try_from(data.len()).unwrap().to_be_bytes());
        block.extend_from_slice(data);
    }
    b.extend_from_slice(&u16::try_from(block.len()).unwrap().to_be_bytes());
    b.extend_from_slice(&block);
    handshake(2, &b)
}

fn certificate(ders: &[Vec<u8>]) -> Vec<u8> {
    let mut list = Vec::new();
    for d in ders {
        list.extend_from_slice(&u24(d.len()));
        list.extend_from_slice(d);
    }
    let mut body = u24(list.len()).to_vec();
    body.extend_from_slice(&list);
    handshake(11, &body)
}

/// ServerHello (`exts`), Certificate (`ders`), ServerHelloDone, as records.
fn flight(exts: &[(u16, Vec<u8>)], ders: &[Vec<u8>]) -> Vec<u8> {
    let mut hs = server_hello(exts);
    hs.extend(certificate(ders));
    hs.extend(handshake(14, &[]));
    records(&hs)
}

/// DER tag-length-value.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// `depth` SEQUENCEs, each holding the next.
fn nested_sequences(depth: usize) -> Vec<u8> {
    (0..depth).fold(Vec::new(), |inner, _| tlv(0x30, &inner))
}

/// A real (self-signed) certificate whose one private extension nests `depth` SEQUENCEs.
fn nested_certificate(depth: usize) -> Vec<u8> {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    params
        .custom_extensions
        .push(rcgen::CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 55555, 1],
            nested_sequences(depth),
        ));
    params.self_signed(&key).unwrap().der().to_vec()
}

/// What the client's first bytes were.
enum Hello {
    /// A TLS ClientHello offering these suites.
    Tls(Vec<u16>),
    /// An SSL 2.0 CLIENT-HELLO.
    Ssl2,
}

/// Read the client's first record and pick out the offered suites (RFC 5246 §7.4.1.2).
fn read_hello(s: &mut TcpStream) -> Option<Hello> {
    let mut head = [0u8; 5];
    s.read_exact(&mut head).ok()?;
    if head[0] & 0x80 != 0 {
        let len = usize::from(u16::from_be_bytes([head[0] & 0x7f, head[1]]));
        let mut rest = vec![0u8; len.saturating_sub(3)];
        s.read_exact(&mut rest).ok()?;
        return Some(Hello::Ssl2);
    }
    let len = usize::from(u16::from_be_bytes([head[3], head[4]]));
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    // type(1) length(3) version(2) random(32) session_id(1 + n) suites(2 + n)
    let sid = usize::from(*body.get(38)?);
    let at = 39 + sid;
    let n = usize::from(u16::from_be_bytes([*body.get(at)?, *body.get(at + 1)?]));
    let suites = body
        .get(at + 2..at + 2 + n)?
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    Some(Hello::Tls(suites))
}

// -------------------------------------------------------------------------------------------
// Hostile TLS servers.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hostile {
    /// Garbage instead of a ServerHello.
    Garbage,
    /// 1,000 handshake records of length 0, then silence.
    EmptyRecords,
    /// A record of 2^14 + 2049 bytes: one over RFC 5246 §6.2.3's TLSCiphertext limit, the
    /// largest any version allows (RFC 8446 §5.2 allows TLS 1.3 records 2^14 + 256).
    OversizedRecord,
    /// A handshake header claiming 0xFFFFFF bytes, then a byte a second.
    HugeMessage,
    /// A Certificate message with 500 certificates.
    ManyCertificates,
    /// A Certificate message with one 1 MiB certificate.
    BigCertificate,
    /// Every ServerHello extension, three times.
    RepeatedExtensions,
    /// One byte per second.
    Slowloris,
    /// Accepts and never answers.
    Silent,
    /// Reads the ClientHello, then resets (SO_LINGER 0).
    Reset,
    /// Application-data records, forever.
    Endless,
    /// A well-formed flight whose certificate nests 10,000 SEQUENCEs in an extension
    /// (accepted only when TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 is offered).
    NestedAsn1,
}

/// Start a hostile server; it lives until the test process ends.
fn hostile(kind: Hostile, nested: Arc<Vec<u8>>) -> (u16, Arc<Seen>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let seen = Arc::new(Seen::default());
    let seen2 = Arc::clone(&seen);
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(s) = s else { continue };
            seen2.connections.fetch_add(1, Ordering::Relaxed);
            let seen = Arc::clone(&seen2);
            let nested = Arc::clone(&nested);
            std::thread::spawn(move || serve_hostile(s, kind, &seen, &nested));
        }
    });
    (port, seen)
}

fn serve_hostile(mut s: TcpStream, kind: Hostile, seen: &Seen, nested: &[u8]) {
    s.set_read_timeout(Some(SERVER_IDLE)).unwrap();
    s.set_write_timeout(Some(SERVER_IDLE)).unwrap();
    let _ = s.set_nodelay(true);
    if kind == Hostile::Silent {
        wait_close(&mut s, seen);
        return;
    }
    let Some(hello) = read_hello(&mut s) else {
        return;
    };
    let small = vec![tlv(0x30, &[0x5a; 60])];
    match kind {
        Hostile::Garbage => {
            let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7 + 0x41) as u8).collect();
            if !send(&mut s, &junk, seen) {
                return;
            }
        }
        Hostile::EmptyRecords => {
            let empty: Vec<u8> = (0..1000).flat_map(|_| record(22, &[])).collect();
            if !send(&mut s, &empty, seen) {
                return;
            }
        }
        Hostile::OversizedRecord => {
            let len = 16_384 + 2049;
            let mut r = vec![22, 3, 3];
            r.extend_from_slice(&u16::try_from(len).unwrap().to_be_bytes());
            r.extend(std::iter::repeat_n(0u8, len));
            if !send(&mut s, &r, seen) {
                return;
            }
        }
        Hostile::HugeMessage => {
            let mut frag = vec![2, 0xff, 0xff, 0xff];
            frag.extend_from_slice(&[3, 3]);
            frag.extend_from_slice(&[0x5a; 94]);
            if !send(&mut s, &record(22, &frag), seen) {
                return;
            }
            for _ in 0..120 {
                std::thread::sleep(Duration::from_secs(1));
                if !send(&mut s, &record(22, &[0x5a]), seen) {
                    return;
                }
            }
        }
        Hostile::ManyCertificates => {
            let certs = vec![small[0].clone(); 500];
            if !send(&mut s, &flight(&[], &certs), seen) {
                return;
            }
        }
        Hostile::BigCertificate => {
            let big = vec![tlv(0x30, &vec![0x5a; 1024 * 1024])];
            if !send(&mut s, &flight(&[], &big), seen) {
                return;
            }
        }
        Hostile::RepeatedExtensions => {
            // RFC 5246/6066/7301/7627/6962/5746/7366/5077/6520 extensions, three times each.
            let once: Vec<(u16, Vec<u8>)> = vec![
                (0, vec![]),
                (1, vec![2]),
                (5, vec![]),
                (11, vec![1, 0]),
                (15, vec![1]),
                (
                    16,
                    vec![0, 9, 8, b'h', b't', b't', b'p', b'/', b'1', b'.', b'1'],
                ),
                (18, vec![0, 4, 0, 2, 9, 9]),
                (22, vec![]),
                (23, vec![]),
                (35, vec![]),
                (0xff01, vec![0]),
            ];
            let exts: Vec<(u16, Vec<u8>)> = (0..3).flat_map(|_| once.clone()).collect();
            if !send(&mut s, &flight(&exts, &small), seen) {
                return;
            }
        }
        Hostile::Slowloris => {
            // A plausible ServerHello, one byte a second, for as long as the client listens.
            for b in flight(&[(0xff01, vec![0])], &small) {
                std::thread::sleep(Duration::from_secs(1));
                if !send(&mut s, &[b], seen) {
                    return;
                }
            }
        }
        Hostile::Reset => {
            socket2::SockRef::from(&s)
                .set_linger(Some(Duration::ZERO))
                .unwrap();
            seen.closed();
            return;
        }
        Hostile::Endless => {
            let chunk = record(23, &[0x17; 16_000]);
            loop {
                if !send(&mut s, &chunk, seen) {
                    return;
                }
            }
        }
        Hostile::NestedAsn1 => {
            let offered = matches!(&hello, Hello::Tls(suites) if suites.contains(&0xc02f));
            let answer = if offered {
                flight(&[(0xff01, vec![0])], &[nested.to_vec()])
            } else {
                // handshake_failure (RFC 5246 §7.2.2)
                record(21, &[2, 40])
            };
            if !send(&mut s, &answer, seen) {
                return;
            }
        }
        Hostile::Silent => unreachable!(),
    }
    wait_close(&mut s, seen);
}

// -------------------------------------------------------------------------------------------
// Hostile HTTPS servers (rustls, blocking, one thread per connection).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HttpHostile {
    /// A response head with 100,000 header fields.
    ManyHeaders,
    /// A response body without end (no Content-Length, never closed).
    EndlessBody,
}

fn https_hostile(leaf: &Leaf, kind: HttpHostile) -> (u16, Arc<Seen>) {
    let provider = rustls::crypto::ring::default_provider();
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(leaf.chain.clone(), leaf.key.clone_key())
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let config = Arc::new(config);
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let seen = Arc::new(Seen::default());
    let seen2 = Arc::clone(&seen);
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(s) = s else { continue };
            seen2.connections.fetch_add(1, Ordering::Relaxed);
            let seen = Arc::clone(&seen2);
            let config = Arc::clone(&config);
            std::thread::spawn(move || serve_https(s, kind, &seen, config));
        }
    });
    (port, seen)
}

fn serve_https(s: TcpStream, kind: HttpHostile, seen: &Seen, config: Arc<rustls::ServerConfig>) {
    s.set_read_timeout(Some(SERVER_IDLE)).unwrap();
    s.set_write_timeout(Some(SERVER_IDLE)).unwrap();
    let conn = rustls::ServerConnection::new(config).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, s);
    let mut head = Vec::new();
    let mut chunk = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match tls.read(&mut chunk) {
            Ok(n) if n > 0 && head.len() < 16 * 1024 => head.extend_from_slice(&chunk[..n]),
            _ => return,
        }
    }
    let mut write = |bytes: &[u8]| match tls.write_all(bytes).and_then(|()| tls.flush()) {
        Ok(()) => {
            seen.bytes_written
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            true
        }
        Err(e) => {
            if !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) {
                seen.closed();
            }
            false
        }
    };
    match kind {
        HttpHostile::ManyHeaders => {
            let mut r = String::from("HTTP/1.1 200 OK\r\n");
            for i in 0..100_000 {
                r.push_str(&format!("X-Hostile-{i}: {i}\r\n"));
            }
            r.push_str("Content-Length: 0\r\n\r\n");
            if !write(r.as_bytes()) {
                return;
            }
        }
        HttpHostile::EndlessBody => {
            if !write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n") {
                return;
            }
            let body = [b'k'; 16 * 1024];
            while write(&body) {}
            return;
        }
    }
    // Wait for the client to go.
    loop {
        match tls.read(&mut chunk) {
            Ok(n) if n > 0 => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return;
            }
            _ => break,
        }
    }
    seen.closed();
}

// -------------------------------------------------------------------------------------------
// A DNS responder on 127.0.0.1 (UDP and TCP on one port).

/// The names it answers: `loop.hostile.test` (a compression-pointer loop), `chain.hostile.test`
/// (truncated over UDP; over TCP a chain of 1,000 CNAMEs), `good.hostile.test` (A 127.0.0.1);
/// anything else is NXDOMAIN.
fn dns_responder() -> SocketAddr {
    // The UDP port's TCP twin can be taken by another test's socket: try again.
    let (tcp, udp) = (0..50)
        .find_map(|_| {
            let tcp = TcpListener::bind("127.0.0.1:0").ok()?;
            let udp = UdpSocket::bind(tcp.local_addr().ok()?).ok()?;
            Some((tcp, udp))
        })
        .expect("a UDP and TCP port pair on 127.0.0.1");
    let addr = udp.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            let Ok((n, from)) = udp.recv_from(&mut buf) else {
                continue;
            };
            if let Some(reply) = dns_answer(&buf[..n], true) {
                let _ = udp.send_to(&reply, from);
            }
        }
    });
    std::thread::spawn(move || {
        for s in tcp.incoming() {
            let Ok(mut s) = s else { continue };
            std::thread::spawn(move || {
                s.set_read_timeout(Some(SERVER_IDLE)).unwrap();
                loop {
                    let mut len = [0u8; 2];
                    if s.read_exact(&mut len).is_err() {
                        return;
                    }
                    let mut q = vec![0u8; usize::from(u16::from_be_bytes(len))];
                    if s.read_exact(&mut q).is_err() {
                        return;
                    }
                    let Some(reply) = dns_answer(&q, false) else {
                        return;
                    };
                    let mut framed = u16::try_from(reply.len()).unwrap().to_be_bytes().to_vec();
                    framed.extend_from_slice(&reply);
                    if s.write_all(&framed).is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

/// A resource record: `owner` (encoded), type, class IN, TTL 60, `rdata`.
fn rr(owner: &[u8], rtype: u16, rdata: &[u8]) -> Vec<u8> {
    let mut r = owner.to_vec();
    r.extend_from_slice(&rtype.to_be_bytes());
    r.extend_from_slice(&1u16.to_be_bytes());
    r.extend_from_slice(&60u32.to_be_bytes());
    r.extend_from_slice(&u16::try_from(rdata.len()).unwrap().to_be_bytes());
    r.extend_from_slice(rdata);
    r
}

/// `label` then a compression pointer to offset 12 (the question's name).
fn under_qname(label: &str) -> Vec<u8> {
    let mut v = vec![u8::try_from(label.len()).unwrap()];
    v.extend_from_slice(label.as_bytes());
    v.extend_from_slice(&[0xc0, 12]);
    v
}

fn dns_answer(q: &[u8], udp: bool) -> Option<Vec<u8>> {
    // Header (12), then the question: labels up to the root label, type, class.
    let mut at = 12;
    let mut labels = Vec::new();
    loop {
        let len = usize::from(*q.get(at)?);
        at += 1;
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(q.get(at..at + len)?).to_ascii_lowercase());
        at += len;
    }
    let question = q.get(12..at + 4)?;
    let qtype = u16::from_be_bytes([*q.get(at)?, *q.get(at + 1)?]);
    let name = labels.join(".");
    // QR, RD, RA; NOERROR.
    let mut flags: u16 = 0x8180;
    let mut answers: Vec<Vec<u8>> = Vec::new();
    match name.as_str() {
        "loop.hostile.test" => {
            // A name at offset X: label "a", then a pointer back to X (RFC 1035 §4.1.4).
            let x = 12 + question.len();
            let owner = [1, b'a', 0xc0 | (x >> 8) as u8, x as u8];
            answers.push(rr(&owner, 1, &[127, 0, 0, 1]));
        }
        "chain.hostile.test" if udp => flags |= 0x0200, // TC: ask again over TCP
        "chain.hostile.test" => {
            answers.push(rr(&[0xc0, 12], 5, &under_qname("h1")));
            for k in 1..1000 {
                answers.push(rr(
                    &under_qname(&format!("h{k}")),
                    5,
                    &under_qname(&format!("h{}", k + 1)),
                ));
            }
        }
        "good.hostile.test" if qtype == 1 => answers.push(rr(&[0xc0, 12], 1, &[127, 0, 0, 1])),
        "good.hostile.test" => {}
        _ => flags |= 3, // NXDOMAIN
    }
    let mut m = q.get(..2)?.to_vec();
    m.extend_from_slice(&flags.to_be_bytes());
    m.extend_from_slice(&1u16.to_be_bytes());
    m.extend_from_slice(&u16::try_from(answers.len()).unwrap().to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 0]);
    m.extend_from_slice(question);
    for a in answers {
        m.extend_from_slice(&a);
    }
    Some(m)
}

// -------------------------------------------------------------------------------------------
// Good servers.

fn posture() -> Posture {
    Posture {
        versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
        suites: vec![
            cs::TLS13_AES_128_GCM_SHA256,
            cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ],
        groups: vec![kx_group::X25519],
        server_order: true,
        headers: vec![(
            "Strict-Transport-Security".to_owned(),
            "max-age=31536000".to_owned(),
        )],
        ocsp: None,
    }
}

/// `n` lab servers on their own runtime thread; they live until the test process ends.
fn lab_servers(leaf: &Leaf, n: usize) -> Vec<u16> {
    let (tx, rx) = std::sync::mpsc::channel();
    let leaf = Leaf {
        chain: leaf.chain.clone(),
        key: leaf.key.clone_key(),
    };
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let mut servers: Vec<TlsServer> = Vec::new();
            for _ in 0..n {
                let s = kensa_lab::tls::serve("127.0.0.1".parse().unwrap(), &leaf, &posture())
                    .await
                    .unwrap();
                servers.push(s);
            }
            tx.send(servers.iter().map(|s| s.addr.port()).collect::<Vec<_>>())
                .unwrap();
            std::future::pending::<()>().await;
        });
    });
    rx.recv().unwrap()
}

// -------------------------------------------------------------------------------------------
// The scan.

/// The probes run on every target.
const PROBES: [&str; 5] = [
    "dns.resolve",
    "latency.tcp",
    "tls.scan",
    "x509.chain",
    "http.headers",
];

fn endpoint(host: &str, port: u16, service: &str) -> String {
    format!("\n[[provider.endpoint]]\nhost = \"{host}\"\nport = {port}\nservice = \"{service}\"\n")
}

/// The record of `probe` for the target `host:port`.
fn record_of<'a>(ev: &'a [Value], host: &str, port: u16, probe: &str) -> &'a Value {
    ev.iter()
        .find(|e| e["target"]["host"] == host && e["target"]["port"] == port && e["probe"] == probe)
        .unwrap_or_else(|| panic!("no {probe} record for {host}:{port}"))
}

/// Every `error` text in a TLS observation's answers.
fn tls_errors(obs: &Value) -> String {
    obs["protocols"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["answer"]["error"].as_str())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn hostile_servers_are_evidence_and_leave_the_good_ones_alone() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new("Hostile Lab Root", "Lab", "JP").unwrap();
    let now = OffsetDateTime::now_utc();
    let leaf = pki
        .leaf(&LeafSpec {
            names: vec!["127.0.0.1".into(), "good.hostile.test".into()],
            organisation: "Good".into(),
            not_before: now - time::Duration::days(1),
            not_after: now + time::Duration::days(30),
        })
        .unwrap();
    let ca = common::write(dir.path(), "ca.pem", &pki.root_pem);

    // Given: hostile TLS, HTTPS and DNS servers, and good ones, all on 127.0.0.1.
    let nested = Arc::new(nested_certificate(10_000));
    let kinds = [
        Hostile::Garbage,
        Hostile::EmptyRecords,
        Hostile::OversizedRecord,
        Hostile::HugeMessage,
        Hostile::ManyCertificates,
        Hostile::BigCertificate,
        Hostile::RepeatedExtensions,
        Hostile::Slowloris,
        Hostile::Silent,
        Hostile::Reset,
        Hostile::Endless,
        Hostile::NestedAsn1,
    ];
    let tls: Vec<(Hostile, u16, Arc<Seen>)> = kinds
        .iter()
        .map(|k| {
            let (port, seen) = hostile(*k, Arc::clone(&nested));
            (*k, port, seen)
        })
        .collect();
    let http: Vec<(HttpHostile, u16, Arc<Seen>)> =
        [HttpHostile::ManyHeaders, HttpHostile::EndlessBody]
            .into_iter()
            .map(|k| {
                let (port, seen) = https_hostile(&leaf, k);
                (k, port, seen)
            })
            .collect();
    let dns = dns_responder();
    let good = lab_servers(&leaf, 2);
    let dead_port = common::closed_port();

    let mut catalog = String::from(
        "[[provider]]\nid = \"good\"\nname = \"Good\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n",
    );
    for (i, p) in good.iter().enumerate() {
        catalog.push_str(&endpoint("127.0.0.1", *p, &format!("lab{i}")));
    }
    catalog.push_str(&endpoint("good.hostile.test", good[0], "lab-by-name"));
    catalog.push_str(
        "\n[[provider]]\nid = \"hostile\"\nname = \"Hostile\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n",
    );
    for (k, p, _) in &tls {
        catalog.push_str(&endpoint("127.0.0.1", *p, &format!("{k:?}")));
    }
    for (k, p, _) in &http {
        catalog.push_str(&endpoint("127.0.0.1", *p, &format!("{k:?}")));
    }
    catalog.push_str(&endpoint("loop.hostile.test", dead_port, "dns-loop"));
    catalog.push_str(&endpoint("chain.hostile.test", dead_port, "dns-chain"));
    let cat = common::write(dir.path(), "catalog.toml", &catalog);
    let out = dir.path().join("run");

    // When: one scan runs them all at once, with short timeouts.
    let t0 = Instant::now();
    let mut child = common::Child(
        common::kensa()
            .args(["scan", cat.to_str().unwrap(), "--allow-private", "--quiet"])
            .args(["--resolver", &dns.to_string()])
            .args(["--probes", &PROBES.join(",")])
            .args(["--samples", "1", "--connect-timeout-ms", "1000"])
            .args(["--read-timeout-ms", "1500", "--dns-timeout-ms", "500"])
            .args([
                "--probe-timeout-ms",
                "30000",
                "--target-deadline-ms",
                "90000",
            ])
            .args(["--per-host", "64", "--max-connections", "256"])
            .arg("--trust-store")
            .arg(format!("lab={}", ca.display()))
            .arg("--out")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("stderr.txt")).unwrap())
            .spawn()
            .unwrap(),
    );
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            t0.elapsed() < OUTER_BOUND,
            "the scan did not end within {OUTER_BOUND:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let ended = Instant::now();
    let stderr = std::fs::read_to_string(dir.path().join("stderr.txt")).unwrap_or_default();
    eprintln!("scan took {:?}", t0.elapsed());

    // Then: the process exited normally, the run ended and verifies.
    assert_eq!(status.code(), Some(0), "{status:?}\n{stderr}");
    assert_eq!(common::last_record(&out)["type"], "run-end");
    let (code, stdout, _) = common::run(&["verify", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    let ev = common::evidence(&out);
    // Nothing is kensa's fault: no `internal`, no fault `bug`.
    for e in &ev {
        assert_ne!(e["outcome"], "internal", "{e:#}");
        assert_ne!(e["fault"], "bug", "{e:#}");
    }

    // Good targets: every probe succeeded.
    let mut good_targets: Vec<(&str, u16)> = good.iter().map(|p| ("127.0.0.1", *p)).collect();
    good_targets.push(("good.hostile.test", good[0]));
    for (host, port) in &good_targets {
        for probe in PROBES {
            let r = record_of(&ev, host, *port, probe);
            assert_eq!(r["outcome"], "success", "{host}:{port} {probe}: {r:#}");
        }
        let tls = &record_of(&ev, host, *port, "tls.scan")["observation"];
        assert!(
            tls["protocols"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["accepted"] == true),
            "{tls:#}"
        );
    }
    let by_name = &record_of(&ev, "good.hostile.test", good[0], "dns.resolve")["observation"];
    assert_eq!(by_name["addresses"], serde_json::json!(["127.0.0.1"]));

    // Every hostile target has a record for every probe (the run went on around it).
    for (_, port, _) in &tls {
        for probe in PROBES {
            record_of(&ev, "127.0.0.1", *port, probe);
        }
    }

    // Hostile TLS: the outcome of tls.scan, and what the evidence says.
    let mut table = Vec::new();
    for (kind, port, seen) in &tls {
        let r = record_of(&ev, "127.0.0.1", *port, "tls.scan");
        let outcome = r["outcome"].as_str().unwrap().to_owned();
        let errors = tls_errors(&r["observation"]);
        let x509 = record_of(&ev, "127.0.0.1", *port, "x509.chain")["outcome"].clone();
        let http = record_of(&ev, "127.0.0.1", *port, "http.headers")["outcome"].clone();
        table.push(format!(
            "{kind:?}: tls.scan {outcome}, x509.chain {x509}, http.headers {http}; {} connections, \
             {} bytes written, {} closes seen; {errors}",
            seen.connections.load(Ordering::Relaxed),
            seen.bytes_written.load(Ordering::Relaxed),
            seen.closed_at.lock().unwrap().len(),
        ));
        let want = match kind {
            Hostile::Slowloris | Hostile::Silent => "timeout",
            Hostile::Reset => "reset",
            // Issue 19: a Certificate message over the cap follows a ServerHello that
            // accepted the version: evidence of acceptance, with the cap named.
            Hostile::NestedAsn1 | Hostile::BigCertificate => "success",
            _ => "protocol-violation",
        };
        assert_eq!(outcome, want, "{kind:?}: {r:#}");
        // The client closed while the run was still going (a server that resets closes itself).
        if *kind != Hostile::Reset {
            assert!(
                seen.closed_before(ended),
                "{kind:?}: the server never saw the client close"
            );
        }
        // Where a cap applies, the evidence names it.
        let cap = match kind {
            Hostile::Endless => Some("more than 262144 bytes"),
            Hostile::HugeMessage => Some("16777215 bytes exceeds the 131072-byte limit"),
            Hostile::OversizedRecord => Some("record of 18433 bytes exceeds the 18432-byte limit"),
            Hostile::ManyCertificates => Some("more than 32 certificates"),
            Hostile::RepeatedExtensions => Some("duplicate"),
            Hostile::EmptyRecords => Some("zero-length handshake record"),
            Hostile::Garbage => Some("not a TLS record"),
            _ => None,
        };
        if let Some(cap) = cap {
            assert!(errors.contains(cap), "{kind:?}: {errors}");
        }
        if *kind == Hostile::BigCertificate {
            let answers: Vec<&Value> = r["observation"]["protocols"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| &p["answer"])
                .filter(|a| a["kind"] == "certificate-over-cap")
                .collect();
            assert!(!answers.is_empty(), "{r:#}");
            for a in answers {
                // 1 MiB of content in a 5-byte DER header, 3 + 3 bytes of lengths.
                assert_eq!(a["length"], 1024 * 1024 + 5 + 6, "{a}");
                assert_eq!(a["cap"], 131_072, "{a}");
            }
        }
    }
    // The deeply nested certificate was captured and analysed.
    let nested_port = tls
        .iter()
        .find(|(k, ..)| *k == Hostile::NestedAsn1)
        .unwrap()
        .1;
    let x509 = record_of(&ev, "127.0.0.1", nested_port, "x509.chain");
    assert_eq!(x509["outcome"], "success", "{x509:#}");
    let leaf = &x509["observation"]["chains"][0]["certificates"][0];
    assert!(leaf["der_length"].as_u64().unwrap() > 20_000, "{leaf:#}");
    assert!(leaf["parse_error"].is_null(), "{leaf:#}");
    assert_eq!(leaf["details"]["san"]["ip"][0], "127.0.0.1", "{leaf:#}");

    // Hostile HTTPS: TLS is fine, HTTP is not.
    for (kind, port, seen) in &http {
        let r = record_of(&ev, "127.0.0.1", *port, "http.headers");
        table.push(format!(
            "{kind:?}: http.headers {}, {} bytes written, {} closes seen; {}",
            r["outcome"],
            seen.bytes_written.load(Ordering::Relaxed),
            seen.closed_at.lock().unwrap().len(),
            r["error"]
        ));
        assert_eq!(
            record_of(&ev, "127.0.0.1", *port, "tls.scan")["outcome"],
            "success"
        );
        match kind {
            HttpHostile::ManyHeaders => {
                assert_eq!(r["outcome"], "protocol-violation", "{r:#}");
                assert_eq!(r["observation"]["failure"]["outcome"], "protocol-violation");
            }
            HttpHostile::EndlessBody => {
                // A response came: success, with the body cap recorded as hit.
                assert_eq!(r["outcome"], "success", "{r:#}");
                let resp = &r["observation"]["response"];
                assert_eq!(resp["body_limit_reached"], true, "{resp:#}");
                assert_eq!(resp["body_complete"], false);
                let read = resp["body_bytes_read"].as_u64().unwrap();
                assert!((65_536..65_536 + 64 * 1024).contains(&read), "{read}");
            }
        }
        assert!(
            seen.closed_before(ended),
            "{kind:?}: the server never saw the client close"
        );
    }

    // Hostile DNS: no address, and why, per question.
    for (host, status) in [
        ("loop.hostile.test", "malformed"),
        ("chain.hostile.test", "chain-too-long"),
    ] {
        let r = record_of(&ev, host, dead_port, "dns.resolve");
        table.push(format!(
            "{host}: dns.resolve {}; {}",
            r["outcome"], r["error"]
        ));
        assert_eq!(r["outcome"], "dns-failure", "{r:#}");
        let a = &r["observation"]["resolvers"][0]["a"];
        assert_eq!(a["status"], status, "{host}: {a:#}");
        if status == "chain-too-long" {
            let hops = a["cname_chain"].as_array().unwrap().len();
            assert!(hops <= kensa_probe_dns::MAX_CNAME_HOPS + 1, "{hops} hops");
        }
        // The other probes did not run against a name without addresses.
        for probe in &PROBES[1..] {
            assert_eq!(
                record_of(&ev, host, dead_port, probe)["outcome"],
                "dns-failure"
            );
        }
    }
    eprintln!("{}", table.join("\n"));
}
