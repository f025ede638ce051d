//! JARM: hello structure (checked with tls-parser), the fuzzy hash on known inputs, the scan
//! loop against small in-process servers, and a cross-check against the pyjarm reference
//! client on `openssl s_server` (skipped with a note when `pyjarm` or `openssl` is missing).
//!
//! Loopback only: every server listens on 127.0.0.1 and no name is ever resolved.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kensa_probe::{Host, Limits, Net, Scope, Target, TargetId, TcpConnector};
use kensa_probe_tls::hello::Rng;
use kensa_probe_tls::jarm::{
    CIPHERS_ALL, NO_ANSWER, Order, PROBES, fingerprint, hellos, jarm, probe_result, reorder,
};
use tls_parser::{TlsExtension, TlsExtensionType, TlsMessage, TlsMessageHandshake};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

// ---------------------------------------------------------------------------------------------
// Hello structure.

#[derive(Debug, Default)]
struct Parsed {
    record_version: u16,
    client_version: u16,
    session_id_len: usize,
    ciphers: Vec<u16>,
    compression: Vec<u8>,
    ext_types: Vec<u16>,
    sni: Option<Vec<u8>>,
    max_fragment_length: Option<u8>,
    alpn: Vec<Vec<u8>>,
    versions: Vec<u16>,
    groups: Vec<u16>,
    sig_algs: Vec<u16>,
    key_share: Vec<u8>,
}

fn parse(bytes: &[u8]) -> Parsed {
    let (rest, rec) = tls_parser::parse_tls_plaintext(bytes).expect("a TLS record");
    assert!(rest.is_empty(), "one record");
    let mut p = Parsed {
        record_version: rec.hdr.version.0,
        ..Parsed::default()
    };
    let [TlsMessage::Handshake(TlsMessageHandshake::ClientHello(ch))] = &rec.msg[..] else {
        panic!("not one ClientHello: {:?}", rec.msg);
    };
    p.client_version = ch.version.0;
    p.session_id_len = ch.session_id.map_or(0, <[u8]>::len);
    p.ciphers = ch.ciphers.iter().map(|c| c.0).collect();
    p.compression = ch.comp.iter().map(|c| c.0).collect();
    let (rest, exts) = tls_parser::parse_tls_client_hello_extensions(ch.ext.unwrap()).unwrap();
    assert!(rest.is_empty());
    for e in &exts {
        p.ext_types.push(match e {
            TlsExtension::Grease(t, _) => *t,
            e => TlsExtensionType::from(e).0,
        });
        match e {
            TlsExtension::SNI(names) => p.sni = Some(names[0].1.to_vec()),
            TlsExtension::MaxFragmentLength(m) => p.max_fragment_length = Some(*m),
            TlsExtension::ALPN(protos) => p.alpn = protos.iter().map(|x| x.to_vec()).collect(),
            TlsExtension::SupportedVersions(v) => p.versions = v.iter().map(|v| v.0).collect(),
            TlsExtension::EllipticCurves(g) => p.groups = g.iter().map(|g| g.0).collect(),
            TlsExtension::SignatureAlgorithms(s) => p.sig_algs = s.clone(),
            TlsExtension::KeyShare(k) => p.key_share = k.to_vec(),
            _ => {}
        }
    }
    p
}

fn is_grease(v: u16) -> bool {
    v & 0x0f0f == 0x0a0a && v >> 8 == v & 0xff
}

fn alpn(names: &[&str]) -> Vec<Vec<u8>> {
    names.iter().map(|n| n.as_bytes().to_vec()).collect()
}

const NORMAL_ALPN: [&str; 9] = [
    "http/0.9", "http/1.0", "http/1.1", "spdy/1", "spdy/2", "spdy/3", "h2", "h2c", "hq",
];
// Reversed as eight units: "spdy/3" + "h2" stay together (see the module docs).
const NORMAL_ALPN_REVERSED: [&str; 9] = [
    "hq", "h2c", "spdy/3", "h2", "spdy/2", "spdy/1", "http/1.1", "http/1.0", "http/0.9",
];
const RARE_ALPN: [&str; 7] = [
    "http/0.9", "http/1.0", "spdy/1", "spdy/2", "spdy/3", "h2c", "hq",
];

#[test]
fn ten_hellos_with_the_reference_parameters() {
    let hs = hellos(Some("example.test"), &mut Rng::from_seed(9));
    assert_eq!(hs.len(), 10);
    let p: Vec<Parsed> = hs.iter().map(|h| parse(h)).collect();
    let no13: Vec<u16> = CIPHERS_ALL
        .iter()
        .copied()
        .filter(|c| !(0x1301..=0x1305).contains(c))
        .collect();
    let rev: Vec<u16> = CIPHERS_ALL.iter().rev().copied().collect();

    // Versions: (record, client_version) per probe.
    let versions: Vec<(u16, u16)> = p
        .iter()
        .map(|p| (p.record_version, p.client_version))
        .collect();
    let v12 = (0x0303, 0x0303);
    let v13 = (0x0301, 0x0303);
    assert_eq!(
        versions,
        [
            v12,
            v12,
            v12,
            v12,
            v12,
            (0x0302, 0x0302),
            v13,
            v13,
            v13,
            v13
        ]
    );

    // Ciphers per mode (69 suites: the middle one is index 34, 0xc012).
    let strip = |c: &[u16]| -> Vec<u16> { c.iter().copied().filter(|&c| !is_grease(c)).collect() };
    assert_eq!(p[0].ciphers, CIPHERS_ALL);
    assert_eq!(p[1].ciphers, rev);
    assert_eq!(p[2].ciphers.len(), 35);
    assert_eq!(p[2].ciphers[..4], [0xc012, 0xc007, 0xcc14, 0x1301]);
    assert_eq!(*p[2].ciphers.last().unwrap(), 0x0016);
    assert_eq!(p[3].ciphers, CIPHERS_ALL[35..]);
    assert!(is_grease(p[4].ciphers[0]));
    assert_eq!(strip(&p[4].ciphers).len(), 69);
    assert_eq!(p[4].ciphers[1..6], [0xc012, 0xc013, 0xc007, 0xc027, 0xcc14]);
    assert_eq!(p[4].ciphers[68..], [0x0005, 0x0016]);
    assert_eq!(p[5].ciphers, CIPHERS_ALL);
    assert_eq!(p[6].ciphers, CIPHERS_ALL);
    assert_eq!(p[7].ciphers, rev);
    assert_eq!(p[8].ciphers, no13);
    assert_eq!(p[8].ciphers.len(), 64);
    assert!(is_grease(p[9].ciphers[0]));
    assert_eq!(p[9].ciphers[1..], p[4].ciphers[1..]);
    let mut sorted = strip(&p[9].ciphers);
    sorted.sort_unstable();
    let mut all = CIPHERS_ALL.to_vec();
    all.sort_unstable();
    assert_eq!(sorted, all);

    // Extension order.
    let base = [
        0x0000, 0x0017, 0x0001, 0xff01, 0x000a, 0x000b, 0x0023, 0x0010, 0x000d, 0x0033, 0x002d,
    ];
    for (i, p) in p.iter().enumerate() {
        let spec = &PROBES[i];
        let mut want = Vec::new();
        if spec.grease {
            assert!(is_grease(p.ext_types[0]), "probe {i}");
            want.push(p.ext_types[0]);
        }
        want.extend(base);
        if !p.versions.is_empty() {
            want.push(0x002b);
        }
        assert_eq!(p.ext_types, want, "probe {i} ({})", spec.name);
        // Fixed contents.
        assert_eq!(p.session_id_len, 32);
        assert_eq!(p.compression, [0]);
        assert_eq!(p.sni.as_deref(), Some(&b"example.test"[..]));
        assert_eq!(p.max_fragment_length, Some(1));
        assert_eq!(p.groups, [0x001d, 0x0017, 0x0018, 0x0019]);
        assert_eq!(
            p.sig_algs,
            [
                0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201
            ]
        );
        // key_share: [GREASE share of one byte,] x25519 share of 32 bytes.
        let ks = &p.key_share;
        let x25519 = if spec.grease {
            assert!(is_grease(u16::from_be_bytes([ks[2], ks[3]])));
            assert_eq!(ks[4..7], [0, 1, 0]);
            &ks[7..]
        } else {
            &ks[2..]
        };
        assert_eq!(x25519[..4], [0x00, 0x1d, 0x00, 0x20]);
        assert_eq!(x25519.len(), 36);
    }

    // ALPN: normal/rare, forward/reverse.
    let normal = alpn(&NORMAL_ALPN);
    let normal_rev = alpn(&NORMAL_ALPN_REVERSED);
    let rare = alpn(&RARE_ALPN);
    let rare_rev: Vec<Vec<u8>> = rare.iter().rev().cloned().collect();
    let want = [
        &normal_rev,
        &normal,
        &normal,
        &rare,
        &rare_rev,
        &normal,
        &normal_rev,
        &normal,
        &normal,
        &normal_rev,
    ];
    for (i, w) in want.iter().enumerate() {
        assert_eq!(&p[i].alpn, *w, "probe {i}");
    }

    // supported_versions.
    assert_eq!(p[0].versions, [0x0303, 0x0302, 0x0301]);
    assert_eq!(p[1].versions, [0x0301, 0x0302, 0x0303]);
    assert!(p[2..6].iter().all(|p| p.versions.is_empty()));
    assert_eq!(p[6].versions, [0x0304, 0x0303, 0x0302, 0x0301]);
    assert_eq!(p[7].versions, [0x0301, 0x0302, 0x0303, 0x0304]);
    assert_eq!(p[8].versions, [0x0301, 0x0302, 0x0303, 0x0304]);
    assert!(is_grease(p[9].versions[0]));
    assert_eq!(p[9].versions[1..], [0x0304, 0x0303, 0x0302, 0x0301]);
}

#[test]
fn hellos_without_a_name_have_no_sni_and_randoms_differ() {
    let a = hellos(None, &mut Rng::from_seed(1));
    for h in &a {
        let p = parse(h);
        assert_eq!(p.sni, None);
        assert_eq!(p.ext_types[usize::from(is_grease(p.ext_types[0]))], 0x0017);
    }
    assert_eq!(a, hellos(None, &mut Rng::from_seed(1)));
    assert_ne!(a, hellos(None, &mut Rng::from_seed(2)));
}

#[test]
fn reorder_matches_the_reference_definitions() {
    let v: Vec<u32> = (0..9).collect();
    assert_eq!(reorder(&v, Order::TopHalf), [4, 3, 2, 1, 0]);
    assert_eq!(reorder(&v, Order::BottomHalf), [5, 6, 7, 8]);
    assert_eq!(reorder(&v, Order::MiddleOut), [4, 5, 3, 6, 2, 7, 1, 8, 0]);
}

// ---------------------------------------------------------------------------------------------
// Fuzzy hash.

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn fingerprint_of_no_answers_is_all_zeros() {
    let fp = fingerprint(&vec![NO_ANSWER.to_owned(); 10]);
    assert_eq!(fp, "0".repeat(62));
}

/// Raw results and fingerprint reported by pyjarm 0.0.5 (the reference method) for
/// `openssl s_server` (OpenSSL 3.0) with its defaults.
#[test]
fn fingerprint_matches_a_reference_vector() {
    let raw = strings(&[
        "0033|0303||ff01-0001-0023-0017",
        "009d|0303||ff01-0001-0023-0017",
        "009f|0303||ff01-0001-0023-0017",
        "c013|0303||ff01-0001-000b-0023-0017",
        "c013|0303||ff01-0001-000b-0023-0017",
        "|||",
        "1302|0303||002b-0033",
        "1303|0303||002b-0033",
        "|||",
        "|||",
    ]);
    assert_eq!(
        fingerprint(&raw),
        "07d14d16d21d21d00042d43d000000aa99ce74e2c6d013c745aa52b5cc042d"
    );
}

#[test]
fn fingerprint_encodes_ciphers_versions_and_hashes_extensions() {
    let mut raw = vec![NO_ANSWER.to_owned(); 10];
    raw[0] = "c02f|0303|h2|ff01-0000".to_owned();
    raw[9] = "0005|0300||".to_owned();
    let fp = fingerprint(&raw);
    assert_eq!(fp.len(), 62);
    // c02f is entry 41 (0x29) of the table, 0005 entry 2.
    assert_eq!(&fp[..30], format!("29d{}02a", "000".repeat(8)));
    // `printf 'h2ff01-0000' | sha256sum | cut -c1-32`
    assert_eq!(&fp[30..], "5630b8824d816de6807490af4efa7ff5");
    // The reference's "no extensions block" form hashes the same.
    raw[9] = "0005|0300||||".to_owned();
    assert_eq!(fingerprint(&raw), fp);
}

// ---------------------------------------------------------------------------------------------
// The scan loop against in-process loopback servers.

fn scope(port: u16) -> (Scope, SocketAddr) {
    let t = Target::new(TargetId::new("jarm"), Host::Ip(LOCALHOST), port);
    let scope = Net::new(Arc::new(TcpConnector), Limits::unrated(), true).scope(&t);
    (scope, SocketAddr::new(LOCALHOST, port))
}

/// A server that answers every connection with `reply` (after reading the hello) and records
/// the first bytes of each hello.
async fn canned_server(reply: Option<Vec<u8>>, hold: bool) -> (u16, Arc<Mutex<Vec<Vec<u8>>>>) {
    let listener = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let reply = reply.clone();
            let seen = Arc::clone(&seen2);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = tcp.read(&mut buf).await.unwrap_or(0);
                seen.lock().unwrap().push(buf[..n].to_vec());
                if let Some(r) = reply {
                    let _ = tcp.write_all(&r).await;
                }
                if hold {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
            });
        }
    });
    (port, seen)
}

fn server_hello() -> Vec<u8> {
    let exts: &[u8] = &[
        0xff, 0x01, 0, 1, 0, // renegotiation_info
        0, 0, 0, 0, // server_name ack
        0, 16, 0, 5, 0, 3, 2, b'h', b'2', // ALPN h2
    ];
    let mut body = vec![3, 3];
    body.extend_from_slice(&[0x11; 32]);
    body.push(32);
    body.extend_from_slice(&[0x22; 32]);
    body.extend_from_slice(&[0xc0, 0x2f, 0]);
    body.extend_from_slice(&(exts.len() as u16).to_be_bytes());
    body.extend_from_slice(exts);
    let mut hs = vec![2, 0, 0, body.len() as u8];
    hs.extend_from_slice(&body);
    let mut rec = vec![22, 3, 3, 0, hs.len() as u8];
    rec.extend_from_slice(&hs);
    rec
}

const SHORT: Duration = Duration::from_secs(3);

#[tokio::test]
async fn scan_reads_server_hellos_and_sends_the_ip_literal_as_sni() {
    let (port, seen) = canned_server(Some(server_hello()), true).await;
    let (scope, addr) = scope(port);
    let j = jarm(&scope, addr, None, SHORT, SHORT).await;
    assert_eq!(j.connections, 10);
    assert_eq!(j.raw, vec!["c02f|0303|h2|ff01-0000-0010".to_owned(); 10]);
    assert_eq!(&j.fingerprint[..30], "29d".repeat(10));
    assert_eq!(j.fingerprint, fingerprint(&j.raw));
    let first: Vec<Vec<u8>> = std::mem::take(&mut *seen.lock().unwrap());
    assert_eq!(first.len(), 10);
    for hello in &first {
        assert_eq!(parse(hello).sni.as_deref(), Some(&b"127.0.0.1"[..]));
    }
    // A name goes in SNI as given.
    let j = jarm(&scope, addr, Some("jarm.test"), SHORT, SHORT).await;
    assert_eq!(j.connections, 10);
    let second: Vec<Vec<u8>> = std::mem::take(&mut *seen.lock().unwrap());
    assert_eq!(second.len(), 10);
    for hello in &second {
        assert_eq!(parse(hello).sni.as_deref(), Some(&b"jarm.test"[..]));
    }
}

#[tokio::test]
async fn alerts_and_closed_connections_give_no_answer_per_probe() {
    for reply in [Some(vec![21, 3, 3, 0, 2, 2, 40]), None] {
        let (port, _) = canned_server(reply, false).await;
        let (scope, addr) = scope(port);
        let j = jarm(&scope, addr, None, SHORT, SHORT).await;
        assert_eq!(j.connections, 10);
        assert_eq!(j.raw, vec![NO_ANSWER.to_owned(); 10]);
        assert_eq!(j.fingerprint, "0".repeat(62));
    }
}

#[tokio::test]
async fn a_silent_server_ends_the_scan_after_one_probe() {
    let (port, _) = canned_server(None, true).await;
    let (scope, addr) = scope(port);
    let j = jarm(&scope, addr, None, SHORT, Duration::from_millis(300)).await;
    assert_eq!(j.connections, 1);
    assert_eq!(j.raw, vec![NO_ANSWER.to_owned(); 10]);
    assert_eq!(j.fingerprint, "0".repeat(62));
}

#[tokio::test]
async fn a_refused_port_gives_ten_failed_probes() {
    let port = {
        let l = std::net::TcpListener::bind((LOCALHOST, 0)).unwrap();
        l.local_addr().unwrap().port()
    };
    let (scope, addr) = scope(port);
    let j = jarm(&scope, addr, None, SHORT, SHORT).await;
    assert_eq!(j.connections, 10);
    assert_eq!(j.fingerprint, "0".repeat(62));
}

#[test]
fn probe_result_reads_a_server_hello_split_across_records() {
    let sh = server_hello();
    let hs = &sh[5..];
    let mut split = vec![22, 3, 3, 0, 10];
    split.extend_from_slice(&hs[..10]);
    split.extend_from_slice(&[22, 3, 3, 0, (hs.len() - 10) as u8]);
    split.extend_from_slice(&hs[10..]);
    assert_eq!(probe_result(&split), "c02f|0303|h2|ff01-0000-0010");
    assert_eq!(probe_result(&sh), probe_result(&split));
}

// ---------------------------------------------------------------------------------------------
// Cross-check against the reference client (pyjarm) on openssl s_server.

fn have(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind((LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `openssl s_server` on 127.0.0.1 with `extra` options; waits until it accepts.
fn s_server(dir: &std::path::Path, extra: &[&str]) -> (KillOnDrop, u16) {
    let port = free_port();
    let child = Command::new("openssl")
        .arg("s_server")
        .arg("-accept")
        .arg(format!("127.0.0.1:{port}"))
        .arg("-key")
        .arg(dir.join("key.pem"))
        .arg("-cert")
        .arg(dir.join("cert.pem"))
        .arg("-www")
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let guard = KillOnDrop(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect((LOCALHOST, port)).is_ok() {
            return (guard, port);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("openssl s_server did not start on port {port}");
}

/// pyjarm's fingerprint and raw results for 127.0.0.1:port.
fn pyjarm(port: u16) -> (String, Vec<String>) {
    let out = Command::new("pyjarm")
        .args(["-d", "--proxy", "ignore", "-c", "1", "--timeout", "10"])
        .arg(format!("127.0.0.1:{port}"))
        .output()
        .unwrap();
    let mut fp = None;
    let mut raw = None;
    for line in BufReader::new(&out.stdout[..])
        .lines()
        .chain(BufReader::new(&out.stderr[..]).lines())
    {
        let line = line.unwrap();
        if let Some(f) = line.strip_prefix("JARM: ") {
            fp = Some(f.trim().to_owned());
        }
        if let Some((_, r)) = line.split_once("Raw JARM: ") {
            raw = Some(r.trim().split(',').map(str::to_owned).collect());
        }
    }
    (
        fp.expect("pyjarm printed no JARM line"),
        raw.expect("pyjarm printed no raw results"),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn matches_pyjarm_on_openssl_s_server() {
    // pyjarm comes from PyPI (scripts/test installs it); under CI a missing one fails.
    if !kensa_probe::testing::tool_available("pyjarm", &["--help"])
        || !kensa_probe::testing::tool_available("openssl", &["version"])
    {
        return;
    }
    let dir = std::env::temp_dir().join(format!("kensa-jarm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", "/CN=localhost", "-keyout"])
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success());
    let configs: [&[&str]; 4] = [
        &[],
        &["-tls1_2"],
        &["-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-no_tls1_3"],
        &["-alpn", "h2,http/1.1", "-serverpref"],
    ];
    for extra in configs {
        let (_server, port) = s_server(&dir, extra);
        let (scope, addr) = scope(port);
        let ours = jarm(
            &scope,
            addr,
            None,
            Duration::from_secs(5),
            Duration::from_secs(5),
        )
        .await;
        let (theirs, theirs_raw) = tokio::task::spawn_blocking(move || pyjarm(port))
            .await
            .unwrap();
        println!(
            "s_server {extra:?}:\n  kensa  {}\n  pyjarm {theirs}\n  raw    {}",
            ours.fingerprint,
            ours.raw.join(",")
        );
        assert_eq!(ours.raw, theirs_raw, "raw results for s_server {extra:?}");
        assert_eq!(
            ours.fingerprint, theirs,
            "fingerprint for s_server {extra:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
