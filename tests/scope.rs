//! Scope end to end (issue 9, "Scope and politeness"): names resolved through a lab DNS
//! server on 127.0.0.1 to private, loopback, link-local and cloud-metadata addresses are
//! recorded and never dialled without `--allow-private`; with it, every probe (latency, TLS,
//! certificates, HTTP) dials only the addresses the DNS probe found, never a name's
//! neighbours in the zone or an address outside its answers.

mod common;

use std::net::TcpListener;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{evidence, kensa, write};

const ZONE: &str = r#"$ORIGIN scope.test.
$TTL 120
@      IN SOA   ns1.scope.test. hostmaster.scope.test. 1 3600 600 86400 60
@      IN NS    ns1
ns1    IN A     127.0.0.53
meta   IN A     169.254.169.254
meta   IN AAAA  fd00:ec2::254
ecs    IN A     169.254.170.2
lan    IN A     10.1.2.3
lan6   IN AAAA  fd12:3456::1
ll     IN A     169.254.10.1
lo     IN A     127.0.0.1
svc    IN A     127.0.0.2
other  IN A     127.0.0.3
"#;

/// A listener that counts the connections it accepts (and closes them).
fn counting(addr: &str) -> (u16, Arc<AtomicUsize>) {
    let l = TcpListener::bind(addr).unwrap();
    let port = l.local_addr().unwrap().port();
    let n = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&n);
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(s);
        }
    });
    (port, n)
}

fn catalog(dir: &std::path::Path, hosts: &[&str], port: u16) -> std::path::PathBuf {
    let mut s = String::from(
        "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n",
    );
    for h in hosts {
        s.push_str(&format!(
            "[[provider.endpoint]]\nhost = \"{h}.scope.test\"\nport = {port}\n"
        ));
    }
    write(dir, "catalog.toml", &s)
}

const DIALLING: [&str; 4] = ["latency.tcp", "tls.scan", "x509.chain", "http.headers"];

#[test]
fn names_resolving_to_private_or_metadata_addresses_are_recorded_not_probed() {
    let (dns, _stop) = common::lab_dns("scope.test.", ZONE);
    // A server on the port of `lo`'s answer, to see that nothing reaches it.
    let (port, lo_seen) = counting("127.0.0.1:0");
    let dir = tempfile::tempdir().unwrap();
    let hosts = ["meta", "ecs", "lan", "lan6", "ll", "lo"];
    let cat = catalog(dir.path(), &hosts, port);
    let out = dir.path().join("run");
    let o = kensa()
        .args(["scan", cat.to_str().unwrap(), "--json", "-q"])
        .args(["--resolver", &dns.to_string()])
        .args([
            "--probes",
            "dns.resolve,latency.tcp,tls.scan,x509.chain,http.headers",
        ])
        .args(["--samples", "1", "--out", out.to_str().unwrap()])
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["connections"], 0, "{summary}");
    assert_eq!(lo_seen.load(Ordering::SeqCst), 0);
    let ev = evidence(&out);
    let want = [
        ("meta", vec!["169.254.169.254", "fd00:ec2::254"], "metadata"),
        ("ecs", vec!["169.254.170.2"], "metadata"),
        ("lan", vec!["10.1.2.3"], "private"),
        ("lan6", vec!["fd12:3456::1"], "private"),
        ("ll", vec!["169.254.10.1"], "link-local"),
        ("lo", vec!["127.0.0.1"], "loopback"),
    ];
    for (h, addrs, class) in want {
        let host = format!("{h}.scope.test");
        let rec = |probe: &str| {
            ev.iter()
                .find(|e| e["target"]["host"] == host.as_str() && e["probe"] == probe)
                .unwrap_or_else(|| panic!("no {probe} record for {host}"))
                .clone()
        };
        // The answer is evidence ...
        let d = rec("dns.resolve");
        assert_eq!(d["outcome"], "success", "{d}");
        let mut got: Vec<&str> = d["observation"]["addresses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        got.sort();
        assert_eq!(got, addrs, "{host}");
        // ... and no probe dialled it: each says why, naming the address class.
        for probe in DIALLING {
            let r = rec(probe);
            assert_eq!(r["outcome"], "not-allowed", "{host} {probe}: {r}");
            if probe != "x509.chain" {
                let msg = r["error"].as_str().unwrap_or_default();
                assert!(
                    msg.contains(&format!("is a {class} address"))
                        && msg.contains("--allow-private"),
                    "{host} {probe}: {msg}"
                );
            }
        }
    }
}

#[test]
fn with_allow_private_every_probe_dials_only_the_resolved_address() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (dns, _stop) = common::lab_dns("scope.test.", ZONE);
    // The endpoint: a TLS + HTTP server on 127.0.0.2 (svc's answer).
    let pki = kensa_lab::pki::Pki::new("Scope Test CA", "Scope", "JP").unwrap();
    let now = time::OffsetDateTime::now_utc();
    let leaf = pki
        .leaf(&kensa_lab::pki::LeafSpec {
            names: vec!["svc.scope.test".into()],
            organisation: "Scope".into(),
            not_before: now - time::Duration::days(1),
            not_after: now + time::Duration::days(30),
        })
        .unwrap();
    let posture = kensa_lab::tls::Posture {
        versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
        suites: vec![
            rustls::crypto::ring::cipher_suite::TLS13_AES_128_GCM_SHA256,
            rustls::crypto::ring::cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ],
        groups: vec![rustls::crypto::ring::kx_group::X25519],
        server_order: true,
        headers: vec![],
        ocsp: None,
    };
    let server = rt
        .block_on(kensa_lab::tls::serve(
            "127.0.0.2".parse().unwrap(),
            &leaf,
            &posture,
        ))
        .unwrap();
    let port = server.addr.port();
    // Neighbours on the same port that no probe may reach: `other` (in the zone, not in
    // the catalog) and 127.0.0.4 (nowhere), and 127.0.0.2's plain-HTTP port is left closed.
    let (_, other_seen) = counting(&format!("127.0.0.3:{port}"));
    let (_, stray_seen) = counting(&format!("127.0.0.4:{port}"));
    let dir = tempfile::tempdir().unwrap();
    let cat = catalog(dir.path(), &["svc"], port);
    let out = dir.path().join("run");
    let o = kensa()
        .args([
            "scan",
            cat.to_str().unwrap(),
            "--json",
            "-q",
            "--allow-private",
        ])
        .args(["--resolver", &dns.to_string()])
        .args([
            "--probes",
            "dns.resolve,latency.tcp,tls.scan,x509.chain,http.headers",
        ])
        .args(["--samples", "2", "--out", out.to_str().unwrap()])
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ev = evidence(&out);
    for probe in DIALLING {
        let r = ev
            .iter()
            .find(|e| e["target"]["host"] == "svc.scope.test" && e["probe"] == probe)
            .unwrap_or_else(|| panic!("no {probe} record"));
        assert_eq!(r["outcome"], "success", "{probe}: {r}");
        assert_eq!(r["target"]["addresses"], serde_json::json!(["127.0.0.2"]));
    }
    assert!(summary["connections"].as_u64().unwrap() > 10, "{summary}");
    assert_eq!(
        other_seen.load(Ordering::SeqCst),
        0,
        "a zone neighbour was dialled"
    );
    assert_eq!(
        stray_seen.load(Ordering::SeqCst),
        0,
        "an unlisted address was dialled"
    );
    drop(server);
}
