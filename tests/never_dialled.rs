//! Addresses that must never be dialled (issue 19, round 2 of "Scope and politeness"):
//! IPv6 forms that reach IPv4 space (NAT64, 6to4, IPv4-compatible, Teredo) are classified by
//! the IPv4 address they embed, site-local fec0::/10 is private, and Azure's platform address,
//! 198.18.0.0/15 and 192.0.0.0/24 are refused without `--allow-private`. Every form is
//! answered by a lab DNS server on 127.0.0.1 and no connection is made. A hostile answer with
//! hundreds of records is cut to `--max-addresses-per-endpoint`, and the cut is recorded. A
//! connect that fails for want of file descriptors (EMFILE) never becomes network evidence.

mod common;

use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{evidence, kensa, write};
use kensa::catalog;
use kensa::engine::{Settings, SystemResolver};
use kensa::evidence::{Record, read_records};
use kensa::probes::{HttpProbe, LatencyProbe, Probe, TlsProbe};
use kensa::scan::{ScanOptions, scan};
use kensa_probe::{ConnectFuture, Connector, ManualClock, Outcome};
use serde_json::Value;
use tokio::sync::watch;

const ZONE: &str = r#"$ORIGIN never.test.
$TTL 120
@        IN SOA   ns1.never.test. hostmaster.never.test. 1 3600 600 86400 60
@        IN NS    ns1
ns1      IN A     127.0.0.53
nat64    IN AAAA  64:ff9b::a9fe:a9fe
nat64lo  IN AAAA  64:ff9b::7f00:1
nat64l   IN AAAA  64:ff9b:1::808:808
sixto4   IN AAAA  2002:7f00:1::1
compat   IN AAAA  ::10.1.2.3
teredo   IN AAAA  2001:0:808:808::80ff:fffe
sitelocal IN AAAA fec0::1
azure    IN A     168.63.129.16
bench    IN A     198.18.0.1
ietf     IN A     192.0.0.8
"#;

fn catalog_text(origin: &str, hosts: &[&str], port: u16) -> String {
    let mut s = String::from(
        "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n",
    );
    for h in hosts {
        s.push_str(&format!(
            "[[provider.endpoint]]\nhost = \"{h}.{origin}\"\nport = {port}\n"
        ));
    }
    s
}

fn record<'a>(ev: &'a [Value], host: &str, probe: &str) -> &'a Value {
    ev.iter()
        .find(|e| e["target"]["host"] == host && e["probe"] == probe)
        .unwrap_or_else(|| panic!("no {probe} record for {host}"))
}

#[test]
fn ipv6_forms_reaching_ipv4_space_and_special_ipv4_are_never_dialled() {
    let (dns, _stop) = common::lab_dns("never.test.", ZONE);
    let dir = tempfile::tempdir().unwrap();
    let want = [
        ("nat64", "64:ff9b::a9fe:a9fe", "metadata"),
        ("nat64lo", "64:ff9b::7f00:1", "loopback"),
        ("nat64l", "64:ff9b:1::808:808", "private"),
        ("sixto4", "2002:7f00:1::1", "loopback"),
        ("compat", "::a01:203", "private"),
        ("teredo", "2001:0:808:808::80ff:fffe", "loopback"),
        ("sitelocal", "fec0::1", "private"),
        ("azure", "168.63.129.16", "metadata"),
        ("bench", "198.18.0.1", "reserved"),
        ("ietf", "192.0.0.8", "reserved"),
    ];
    let hosts: Vec<&str> = want.iter().map(|w| w.0).collect();
    let cat = write(
        dir.path(),
        "catalog.toml",
        &catalog_text("never.test", &hosts, 443),
    );
    let out = dir.path().join("run");
    let o = kensa()
        .args(["scan", cat.to_str().unwrap(), "--json", "-q", "--no-db"])
        .args(["--resolver", &dns.to_string()])
        .args([
            "--probes",
            "dns.resolve,latency.tcp,tls.scan,x509.chain,http.headers",
        ])
        .args(["--samples", "1", "--out", out.to_str().unwrap()])
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let summary: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    assert_eq!(summary["connections"], 0, "{summary}");
    let ev = evidence(&out);
    for (h, addr, class) in want {
        let host = format!("{h}.never.test");
        let d = record(&ev, &host, "dns.resolve");
        assert_eq!(
            d["observation"]["addresses"],
            serde_json::json!([addr]),
            "{host}"
        );
        for probe in ["latency.tcp", "tls.scan", "http.headers"] {
            let r = record(&ev, &host, probe);
            assert_eq!(r["outcome"], "not-allowed", "{host} {probe}: {r}");
            let msg = r["error"].as_str().unwrap_or_default();
            assert!(
                msg.contains(&format!("is a {class} address")),
                "{host} {probe}: {msg}"
            );
        }
    }
}

#[test]
fn a_hostile_answer_with_hundreds_of_records_is_cut_to_the_cap() {
    // 300 A records in 127.1.0.0/16; the first 20 addresses listen (counting what they accept).
    let mut zone = String::from(
        "$ORIGIN many.test.\n$TTL 120\n@ IN SOA ns1.many.test. h.many.test. 1 3600 600 86400 60\n\
         @ IN NS ns1\nns1 IN A 127.0.0.53\n",
    );
    for i in 0..300u32 {
        zone.push_str(&format!("wide IN A 127.1.{}.{}\n", i / 250, i % 250 + 1));
    }
    let zone: &'static str = Box::leak(zone.into_boxed_str());
    let (dns, _stop) = common::lab_dns("many.test.", zone);
    let first = std::net::TcpListener::bind("127.1.0.1:0").unwrap();
    let port = first.local_addr().unwrap().port();
    let mut listeners = vec![first];
    for i in 2..=20 {
        listeners.push(
            std::net::TcpListener::bind(("127.1.0.".to_owned() + &i.to_string(), port)).unwrap(),
        );
    }
    let seen: Vec<Arc<AtomicUsize>> = listeners
        .into_iter()
        .map(|l| {
            let n = Arc::new(AtomicUsize::new(0));
            let count = Arc::clone(&n);
            std::thread::spawn(move || {
                for s in l.incoming().flatten() {
                    count.fetch_add(1, Ordering::SeqCst);
                    drop(s);
                }
            });
            n
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let cat = write(
        dir.path(),
        "catalog.toml",
        &catalog_text("many.test", &["wide"], port),
    );
    for (cap, chosen) in [(Some("5"), 5usize), (None, 16)] {
        let out = dir.path().join(format!("run-{chosen}"));
        let mut cmd = kensa();
        cmd.args(["scan", cat.to_str().unwrap(), "--json", "-q", "--no-db"])
            .args(["--resolver", &dns.to_string(), "--allow-private"])
            .args(["--probes", "dns.resolve,latency.tcp"])
            .args(["--samples", "1", "--out", out.to_str().unwrap()]);
        if let Some(n) = cap {
            cmd.args(["--max-addresses-per-endpoint", n]);
        }
        let o = cmd.stderr(Stdio::piped()).output().unwrap();
        let summary: Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
        // One connection per chosen address (one sample each), not 300.
        assert_eq!(summary["connections"], chosen as u64, "{summary}");
        let ev = evidence(&out);
        let lat = record(&ev, "wide.many.test", "latency.tcp");
        assert_eq!(lat["outcome"], "success", "{lat}");
        let addrs = lat["target"]["addresses"].as_array().unwrap();
        assert_eq!(addrs.len(), chosen);
        assert_eq!(addrs[0], "127.1.0.1");
        assert_eq!(lat["target"]["addresses_left_out"], 300 - chosen as u64);
        // The DNS evidence keeps every answer.
        let d = record(&ev, "wide.many.test", "dns.resolve");
        assert_eq!(d["observation"]["addresses"].as_array().unwrap().len(), 300);
    }
    // Over both runs: each of the first 16 addresses was dialled (5 of them twice), the
    // 17th to 20th never.
    let want: Vec<usize> = (1..=20)
        .map(|i| usize::from(i <= 5) + usize::from(i <= 16))
        .collect();
    let counts = || -> Vec<usize> { seen.iter().map(|n| n.load(Ordering::SeqCst)).collect() };
    // The accept threads may lag the scan by a moment.
    for _ in 0..100 {
        if counts() == want {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(counts(), want);
}

/// A connector whose every connect fails as a process out of file descriptors does.
#[derive(Debug)]
struct OutOfFiles;

impl Connector for OutOfFiles {
    fn connect(&self, _addr: SocketAddr) -> ConnectFuture<'_> {
        Box::pin(async {
            Err(std::io::Error::from_raw_os_error(24)) // EMFILE on Linux and the BSDs
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emfile_never_becomes_network_evidence() {
    let text = "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n\
         [[provider.endpoint]]\nhost = \"fd.test\"\nport = 443\naddresses = [\"127.0.0.1\"]\n";
    let cat = catalog::parse("emfile.toml", text).unwrap();
    let probes: Vec<Arc<dyn Probe>> = vec![
        Arc::new(LatencyProbe {
            config: kensa_probe_latency::Config {
                samples: 1,
                ..Default::default()
            },
        }),
        Arc::new(TlsProbe {
            config: kensa_probe_tls::probe::Config {
                read_timeout: Duration::from_secs(1),
                ..Default::default()
            },
        }),
        Arc::new(HttpProbe {
            config: kensa_probe_http::Config::default(),
        }),
    ];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let (_tx, rx) = watch::channel(false);
    let opts = ScanOptions {
        out: out.clone(),
        run_id: "emfile".into(),
        settings: Settings {
            allow_private: true,
            ..Settings::default()
        },
        vantage: None,
        probes,
        connector: Arc::new(OutOfFiles),
        resolver: Arc::new(SystemResolver),
        on_record: None,
        clock: Arc::new(ManualClock::new(std::time::SystemTime::UNIX_EPOCH)),
        resume: false,
        probe_options: Value::Null,
    };
    scan(&cat, opts, rx).await.unwrap();
    let ev: Vec<_> = read_records(&out)
        .unwrap()
        .into_iter()
        .filter_map(|r| match r {
            Record::Evidence(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(ev.len(), 3);
    for e in ev {
        assert_eq!(e.outcome, Outcome::Internal, "{}: {:?}", e.probe, e.error);
        assert!(e.observation.is_none(), "{}", e.probe);
        let msg = e.error.unwrap_or_default();
        assert!(msg.contains("ran out of open files"), "{}: {msg}", e.probe);
    }
}
