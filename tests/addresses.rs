//! Every address of an endpoint (issue 19): three lab rustls servers on 127.0.0.1, .2 and .3
//! (one port), the third offering one TLS 1.2 suite more, behind one catalog endpoint pinned
//! to the three addresses. `tls.scan` must scan each (the same connections per address as a
//! scan of one address alone), record the three observations, and name the one difference;
//! `x509.chain` analyses the served chain once; `kensa assess` fails KENSA-ADDR-001.

mod common;

use std::net::{IpAddr, SocketAddr};

use common::{evidence, kensa, write};
use kensa_lab::pki::{Leaf, LeafSpec, Pki};
use kensa_lab::tls::{Posture, TlsServer, serve_on};
use rustls::crypto::ring::{cipher_suite as cs, kx_group};
use serde_json::{Value, json};

fn posture(extra_suite: bool) -> Posture {
    let mut suites = vec![
        cs::TLS13_AES_128_GCM_SHA256,
        cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ];
    if extra_suite {
        suites.push(cs::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256);
    }
    Posture {
        versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
        suites,
        groups: vec![kx_group::X25519],
        server_order: true,
        headers: vec![],
        ocsp: None,
    }
}

/// Three servers on one port of 127.0.0.1-3 (the third with one suite more); the port.
async fn three_servers(leaf: &Leaf) -> (Vec<TlsServer>, u16) {
    'port: for _ in 0..20 {
        let first = serve_on("127.0.0.1:0".parse().unwrap(), leaf, &posture(false))
            .await
            .unwrap();
        let port = first.addr.port();
        let mut servers = vec![first];
        for (ip, extra) in [("127.0.0.2", false), ("127.0.0.3", true)] {
            let at = SocketAddr::new(ip.parse::<IpAddr>().unwrap(), port);
            match serve_on(at, leaf, &posture(extra)).await {
                Ok(s) => servers.push(s),
                Err(_) => continue 'port,
            }
        }
        return (servers, port);
    }
    panic!("no port free on 127.0.0.1, .2 and .3");
}

fn catalog(dir: &std::path::Path, name: &str, port: u16, addresses: &[&str]) -> std::path::PathBuf {
    let list: Vec<String> = addresses.iter().map(|a| format!("\"{a}\"")).collect();
    write(
        dir,
        name,
        &format!(
            "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n\
             [[provider.endpoint]]\nhost = \"multi.addr.test\"\nport = {port}\naddresses = [{}]\n",
            list.join(", ")
        ),
    )
}

/// Scan the catalog with tls.scan and x509.chain; the run directory's tls.scan and
/// x509.chain observations.
fn scan(dir: &std::path::Path, cat: &std::path::Path, run: &str) -> (Value, Value) {
    let out = dir.join(run);
    let o = kensa()
        .args([
            "scan",
            cat.to_str().unwrap(),
            "--json",
            "-q",
            "--allow-private",
        ])
        .args(["--probes", "tls.scan,x509.chain", "--no-db"])
        .args(["--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        o.status.success() || o.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ev = evidence(&out);
    let get = |probe: &str| {
        let r = ev.iter().find(|e| e["probe"] == probe).unwrap();
        assert_eq!(r["outcome"], "success", "{probe}: {r}");
        r["observation"].clone()
    };
    (get("tls.scan"), get("x509.chain"))
}

fn suites(obs: &Value) -> Vec<String> {
    obs["cipher_suites"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| {
            v["accepted"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["suite"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn three_addresses_three_observations_and_the_difference() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pki = Pki::new("Addr Test CA", "Addr", "JP").unwrap();
    let now = time::OffsetDateTime::now_utc();
    let leaf = pki
        .leaf(&LeafSpec {
            names: vec!["multi.addr.test".into()],
            organisation: "Addr".into(),
            not_before: now - time::Duration::days(1),
            not_after: now + time::Duration::days(30),
        })
        .unwrap();
    let (_servers, port) = rt.block_on(three_servers(&leaf));
    let dir = tempfile::tempdir().unwrap();

    // One address alone: the reference connection count.
    let one = catalog(dir.path(), "one.toml", port, &["127.0.0.1"]);
    let (alone, _) = scan(dir.path(), &one, "one");
    assert!(alone.get("other_addresses").is_none(), "{alone}");
    assert!(alone.get("address_agreement").is_none(), "{alone}");
    let per_address = alone["connections"].as_u64().unwrap();

    let three = catalog(
        dir.path(),
        "three.toml",
        port,
        &["127.0.0.1", "127.0.0.2", "127.0.0.3"],
    );
    let (tls, x509) = scan(dir.path(), &three, "three");
    // Three observations: the first address's, and one per other address.
    assert_eq!(tls["address"], "127.0.0.1");
    let others = tls["other_addresses"].as_array().unwrap();
    assert_eq!(others.len(), 2, "{tls}");
    assert_eq!(others[0]["address"], "127.0.0.2");
    assert_eq!(others[1]["address"], "127.0.0.3");
    let two = &others[0]["observation"];
    let third = &others[1]["observation"];
    assert_eq!(two["address"], "127.0.0.2");
    assert_eq!(third["address"], "127.0.0.3");
    let base = vec![
        "TLS_AES_128_GCM_SHA256".to_owned(),
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256".to_owned(),
    ];
    assert_eq!(suites(&tls), base);
    assert_eq!(suites(two), base);
    assert_eq!(
        suites(third),
        [
            "TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
        ]
    );
    // The same connections per address as one address alone (issue 3's budget holds per
    // address). The third server's extra TLS 1.2 suite costs two hellos more: one in the
    // removal loop, and the server-order hello that two suites make possible.
    assert_eq!(tls["connections"].as_u64(), Some(per_address), "{tls}");
    assert_eq!(two["connections"].as_u64(), Some(per_address), "{two}");
    assert_eq!(
        third["connections"].as_u64(),
        Some(per_address + 2),
        "{third}"
    );
    // The one difference, exactly.
    assert_eq!(
        tls["address_agreement"],
        json!({
            "addresses": ["127.0.0.1", "127.0.0.2", "127.0.0.3"],
            "consistent": false,
            "differences": [{
                "address": "127.0.0.3",
                "aspect": "cipher-suites",
                "only_first": [],
                "only_here": ["TLSv1.2 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"],
            }],
        })
    );
    // One certificate everywhere: x509 analyses the chains of the first address only (the
    // others served the same ones).
    let labels: Vec<&str> = x509["chains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert!(labels.iter().all(|l| !l.starts_with("127.")), "{labels:?}");

    // The finding.
    let o = kensa()
        .args(["assess", dir.path().join("three").to_str().unwrap()])
        .args(["--profile", "kensa-level-1", "--format", "json"])
        .output()
        .unwrap();
    let a: Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = finding(&a, "KENSA-ADDR-001");
    assert_eq!(f["result"], "fail", "{f}");
    // One address alone: not applicable.
    let o = kensa()
        .args(["assess", dir.path().join("one").to_str().unwrap()])
        .args(["--profile", "kensa-level-1", "--format", "json"])
        .output()
        .unwrap();
    let a: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(finding(&a, "KENSA-ADDR-001")["result"], "not-applicable");
}

/// The finding of `control` in `kensa assess --format json` output.
fn finding<'a>(assessment: &'a Value, control: &str) -> &'a Value {
    fn walk<'a>(v: &'a Value, control: &str) -> Option<&'a Value> {
        match v {
            Value::Object(m) => {
                if m.get("control").and_then(Value::as_str) == Some(control)
                    && m.contains_key("result")
                {
                    return Some(v);
                }
                m.values().find_map(|x| walk(x, control))
            }
            Value::Array(a) => a.iter().find_map(|x| walk(x, control)),
            _ => None,
        }
    }
    walk(assessment, control).unwrap_or_else(|| panic!("no {control} finding in {assessment}"))
}
