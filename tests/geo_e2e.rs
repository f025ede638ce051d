//! Residency end to end: two providers on loopback addresses, the fixture database
//! (`fixtures/geo/flat-country.mmdb`: 127.0.0.0/8 → JP), a geofeed written by the test, and a
//! Tokyo vantage whose sub-millisecond connect times confirm "within ~100 km of Tokyo"; the
//! wiring of recorded `dns.resolve` and `x509.chain` evidence into `geo.residency`; the
//! per-provider answer of a run; and `kensa geodb update`/`status` against a registry on
//! 127.0.0.1. Nothing leaves loopback and no name is resolved.

mod common;

use std::process::Stdio;

use common::{evidence, kensa, write};

fn fixture(p: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/geo")
        .join(p)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn verdicts_name_their_evidence() {
    let a = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let b = std::net::TcpListener::bind("127.0.0.2:0").unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The provider's own geofeed: .1 in Tokyo, .2 in Ashburn (the database says JP for both).
    let feed = write(
        dir.path(),
        "feed.csv",
        "127.0.0.1/32,JP,JP-13,Tokyo,\n127.0.0.2/32,US,US-VA,Ashburn,\n",
    );
    let cat = write(
        dir.path(),
        "catalog.toml",
        &format!(
            "[[provider]]\nid = \"home\"\nname = \"Home\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-3\"\n\
             [[provider.endpoint]]\nhost = \"127.0.0.1\"\nport = {}\n\n\
             [[provider]]\nid = \"abroad\"\nname = \"Abroad\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-3\"\n\
             [[provider.endpoint]]\nhost = \"127.0.0.2\"\nport = {}\n",
            a.local_addr().unwrap().port(),
            b.local_addr().unwrap().port()
        ),
    );
    let out = dir.path().join("run");
    let status = kensa()
        .args(["scan", cat.to_str().unwrap(), "--allow-private", "-q"])
        .args(["--probes", "latency.tcp,geo.residency", "--samples", "2"])
        .args(["--geoip", &fixture("flat-country.mmdb")])
        .args(["--ranges", feed.to_str().unwrap()])
        .args(["--vantage", "tokyo@35.68,139.69"])
        .args(["--data-dir", dir.path().to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let ev = evidence(&out);
    let geo = |provider: &str| {
        ev.iter()
            .find(|e| e["target"]["provider"] == provider && e["probe"] == "geo.residency")
            .unwrap()
            .clone()
    };

    let home = geo("home");
    assert_eq!(home["outcome"], "success");
    let o = &home["observation"];
    assert_eq!(o["addresses_from"], "target");
    assert_eq!(o["vantage"]["name"], "tokyo");
    let kinds: Vec<(&str, &str)> = o["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["kind"].as_str().unwrap(), s["file"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        vec![("ranges", "feed.csv"), ("database", "flat-country.mmdb")],
        "sources carry file names, never local paths"
    );
    let r = &o["residency"];
    assert_eq!(r["declared_country"], "JP");
    assert_eq!(r["all_in_country"], "yes");
    let addr = &r["addresses"][0];
    assert_eq!(addr["address"], "127.0.0.1");
    assert_eq!(addr["status"], "in-country");
    assert_eq!(addr["strength"], "verified");
    assert_eq!(
        addr["supporting"],
        serde_json::json!(["range:feed.csv#line 1", "db:flat-country.mmdb", "physics"])
    );
    let physics = &addr["evidence"]["physics"];
    assert_eq!(physics["declared_possible"], true);
    assert!(
        physics["ruled_out"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("US")),
        "a sub-millisecond RTT from Tokyo rules the US out"
    );

    // The geofeed says US, physics says within ~100 km of Tokyo: the sources disagree, and
    // the verdict says which.
    let abroad = geo("abroad");
    let addr = &abroad["observation"]["residency"]["addresses"][0];
    assert_eq!(addr["status"], "conflicting");
    assert_eq!(
        addr["disagreeing"],
        serde_json::json!(["range:feed.csv#line 2", "physics"])
    );
    assert_eq!(
        abroad["observation"]["residency"]["all_in_country"],
        "undetermined"
    );

    // The per-provider answer of the run, computed from the recorded verdicts.
    let abroad_id = format!("abroad/127.0.0.2:{}", b.local_addr().unwrap().port());
    let providers = kensa::residency::provider_residency_of_run(&out).unwrap();
    let counts = |verified: usize, conflicting: usize| {
        serde_json::json!({"verified": verified, "consistent": 0, "unverified": 0,
            "out_of_country": 0, "conflicting": conflicting, "unknown": 0})
    };
    let expected = serde_json::json!({
        "abroad": {
            "provider": "abroad", "declared_country": "JP", "endpoints": 1,
            "endpoints_in_country": 0, "endpoints_out": [], "endpoints_undetermined": [abroad_id],
            "counts": counts(0, 1), "all_in_country": "undetermined", "weakest_strength": null
        },
        "home": {
            "provider": "home", "declared_country": "JP", "endpoints": 1,
            "endpoints_in_country": 1, "endpoints_out": [], "endpoints_undetermined": [],
            "counts": counts(1, 0), "all_in_country": "yes", "weakest_strength": "verified"
        }
    });
    assert_eq!(serde_json::to_value(&providers).unwrap(), expected);

    // `kensa residency` prints it: alone with --providers (JSON), after the addresses (text).
    let o = kensa()
        .args(["--json", "residency", "--providers", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{"run": out.display().to_string(), "providers": expected}])
    );
    let o = kensa()
        .args(["residency", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    let line = |id: &str, all: &str, weakest: &str, eps: &str, counts: &str| {
        format!(
            "{id:<24} {:<8} {all:<14} {weakest:<12} {eps:<24} {counts}",
            "JP"
        )
    };
    let tail: Vec<&str> = text.lines().rev().take(3).collect();
    assert_eq!(
        tail,
        [
            line("home", "yes", "verified", "1/0/0 of 1", "1/0/0/0/0/0").as_str(),
            line("abroad", "undetermined", "-", "0/0/1 of 1", "0/0/0/0/1/0").as_str(),
            format!(
                "{:<24} {:<8} {:<14} {:<12} {:<24} addresses \
                 (verified/consistent/unverified/out/conflicting/unknown)",
                "provider", "declared", "all-in-country", "weakest", "endpoints (in/out/undet.)"
            )
            .as_str(),
        ],
        "{text}"
    );
    drop((a, b));
}

#[test]
fn no_database_is_recorded_and_a_bad_one_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let cat = write(
        dir.path(),
        "catalog.toml",
        "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-3\"\n\
         [[provider.endpoint]]\nhost = \"127.0.0.1\"\nport = 9\n",
    );
    let out = dir.path().join("run");
    let status = kensa()
        .args(["scan", cat.to_str().unwrap(), "--allow-private", "-q"])
        .args(["--probes", "geo.residency"])
        .args(["--data-dir", dir.path().to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    // Nothing could be observed (the one probe had no database): exit 1 (issue 23's rule).
    assert_eq!(status.code(), Some(1));
    let ev = evidence(&out);
    assert_eq!(ev[0]["outcome"], "invalid-input");
    assert!(
        ev[0]["error"]
            .as_str()
            .unwrap()
            .contains("kensa geodb update"),
        "{}",
        ev[0]["error"]
    );
    // Without a verdict the endpoint is undetermined, and so is its provider.
    let p = kensa::residency::provider_residency_of_run(&out).unwrap();
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        serde_json::json!({"p": {
            "provider": "p", "declared_country": "JP", "endpoints": 1,
            "endpoints_in_country": 0, "endpoints_out": [],
            "endpoints_undetermined": ["p/127.0.0.1:9"],
            "counts": {"verified": 0, "consistent": 0, "unverified": 0, "out_of_country": 0,
                "conflicting": 0, "unknown": 0},
            "all_in_country": "undetermined", "weakest_strength": null
        }})
    );

    let out2 = dir.path().join("run2");
    let o = kensa()
        .args(["scan", cat.to_str().unwrap(), "--allow-private"])
        .args(["--geoip", &fixture("unknown-layout.mmdb")])
        .args(["--out", out2.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unknown-layout.mmdb"), "{err}");
    assert!(!out2.exists());
}

/// Two runs of one catalog from two vantages: the merged verdict intersects their discs.
#[test]
fn runs_from_several_vantages_merge() {
    let a = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cat = write(
        dir.path(),
        "catalog.toml",
        &format!(
            "[[provider]]\nid = \"home\"\nname = \"Home\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-3\"\n\
             [[provider.endpoint]]\nhost = \"127.0.0.1\"\nport = {}\n",
            a.local_addr().unwrap().port()
        ),
    );
    let scan = |name: &str, vantage: &str| {
        let out = dir.path().join(name);
        let status = kensa()
            .args(["scan", cat.to_str().unwrap(), "--allow-private", "-q"])
            .args(["--probes", "latency.tcp,geo.residency", "--samples", "2"])
            .args(["--geoip", &fixture("flat-country.mmdb")])
            .args(["--vantage", vantage])
            .args(["--data-dir", dir.path().to_str().unwrap()])
            .args(["--out", out.to_str().unwrap()])
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0));
        out
    };
    let tokyo = scan("tokyo", "tokyo@35.68,139.69");
    let seoul = scan("seoul", "seoul@37.57,126.98");

    // Alone, Tokyo's disc allows Japan.
    let o = kensa()
        .args(["--json", "residency", tokyo.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["after"]["status"], "in-country");
    assert_eq!(v[0]["vantages"].as_array().unwrap().len(), 1);

    // A second vantage in Tokyo (about 1.4 km away): the discs meet, both are trusted, and
    // the merged verdict names both.
    let tokyo2 = scan("tokyo2", "tokyo-2@35.69,139.70");
    let merged = |runs: &[&std::path::Path]| {
        let o = kensa()
            .args(["--json", "residency"])
            .args(runs.iter().map(|r| r.to_str().unwrap()))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v[0].clone()
    };
    let names = |m: &serde_json::Value| -> Vec<String> {
        m["vantages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["vantage"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let m = merged(&[&tokyo, &tokyo2]);
    assert_eq!(m["address"], "127.0.0.1");
    assert_eq!(names(&m), vec!["tokyo", "tokyo-2"]);
    assert_eq!(m["after"]["status"], "in-country");

    // Seoul's sub-millisecond disc (about 100 km) cannot meet Tokyo's: a vantage whose RTT
    // is below the speed-of-light bound for its declared place is flagged and left out (issue
    // 16). Seoul contradicts both Tokyo vantages, so Seoul is the one flagged.
    let m = merged(&[&tokyo, &tokyo2, &seoul]);
    assert_eq!(names(&m), vec!["tokyo", "tokyo-2"]);
    assert_eq!(m["flagged"], serde_json::json!(["seoul"]));
    assert_eq!(m["after"]["status"], "in-country");

    // Two vantages only, contradicting each other: neither can be trusted, and the merged
    // verdict does not rest on their discs.
    let m = merged(&[&tokyo, &seoul]);
    assert!(names(&m).is_empty(), "{m}");
    assert_eq!(m["flagged"], serde_json::json!(["tokyo", "seoul"]));
    assert!(m["after"]["evidence"]["physics"].is_null(), "{m}");

    // Runs without residency evidence: a clear usage error.
    let o = kensa()
        .args(["residency", dir.path().join("missing").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    drop(a);
}

/// DER certificates of a PEM file.
fn pem_certs(path: &str) -> Vec<Vec<u8>> {
    use base64::Engine as _;
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    let mut b64 = String::new();
    let mut inside = false;
    for line in text.lines() {
        match line.trim() {
            "-----BEGIN CERTIFICATE-----" => inside = true,
            "-----END CERTIFICATE-----" => {
                inside = false;
                out.push(
                    base64::engine::general_purpose::STANDARD
                        .decode(std::mem::take(&mut b64))
                        .unwrap(),
                );
            }
            l if inside => b64.push_str(l),
            _ => {}
        }
    }
    out
}

fn raw(v: &serde_json::Value) -> Option<Box<serde_json::value::RawValue>> {
    Some(serde_json::value::RawValue::from_string(v.to_string()).unwrap())
}

/// One A or AAAA lookup as `dns.resolve` records it.
fn lookup(addresses: &[&str], cnames: &[(&str, &str)]) -> serde_json::Value {
    serde_json::json!({
        "status": if addresses.is_empty() { "no-data" } else { "answer" },
        "records": addresses.iter().map(|a| serde_json::json!({"address": a, "ttl_s": 60}))
            .collect::<Vec<_>>(),
        "cname_chain": cnames.iter()
            .map(|(n, t)| serde_json::json!({"name": n, "target": t, "ttl_s": 300}))
            .collect::<Vec<_>>(),
        "dnssec": "insecure",
        "rtt_us": 812
    })
}

/// Regression (residency audit): the scan wiring from `dns.resolve` and `x509.chain` into
/// `geo.residency` was untested, and it read CDNs from the first resolver's A answer only (a
/// CDN that only another resolver, the AAAA answer or a client subnet showed was missed) and
/// took the issuer's country with a naive split at `,` (an escaped comma in the issuer's O
/// faked it).
#[tokio::test]
async fn recorded_dns_and_x509_evidence_feed_residency() {
    use kensa::probes::{Earlier, GeoProbe, Probe};
    use kensa_probe::{Host, Limits, ManualClock, Net, Outcome, Target, TargetId, TcpConnector};
    use kensa_probe_geo::{Classifier, GeoDb};
    use serde_json::json;
    use std::sync::Arc;

    // 2026-06-18, a day after the fixture databases were built.
    let now = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_781_740_800);
    let dns = json!({
        "probe_version": "1.0.0",
        "name": "www.example.test.",
        "applicable": true,
        "resolvers": [
            {"resolver": "127.0.0.53:53", "source": "explicit",
             "a": lookup(&["127.0.0.1"], &[("www.example.test.", "www.example.test.edgekey.net.")]),
             "aaaa": lookup(&["2001:db8::1"], &[("www.example.test.", "www.example.test.edgekey.net.")])},
            // Another resolver is steered elsewhere, through another CDN.
            {"resolver": "127.0.0.54:53", "source": "explicit",
             "a": lookup(&["192.0.2.10"], &[("www.example.test.", "d111111abcdef8.CloudFront.net.")]),
             "aaaa": lookup(&[], &[])}
        ],
        "addresses": ["127.0.0.1", "2001:db8::1", "192.0.2.10"],
        "dangling": [],
        "zone": {
            "apex": "example.test.", "soa": null, "ns_status": "answer",
            "name_servers": [
                {"name": "ns1.example.test.", "addresses": ["198.51.100.53"],
                 "a_status": "answer", "aaaa_status": "no-data"},
                {"name": "ns2.example.test.", "addresses": ["127.0.0.2", "2001:db8::53"],
                 "a_status": "answer", "aaaa_status": "answer"}
            ]
        },
        "caa": {"found_at": null, "complete": true, "climbed": [], "records": []},
        "https": {"name": "www.example.test.", "status": "no-data", "records": []},
        "tlsa": {"name": "_443._tcp.www.example.test.", "status": "no-data", "records": []},
        "dnssec": {
            "state": "insecure", "anchors": "iana-root", "covered_by_anchor": true,
            "ds": {"name": "example.test.", "status": "no-data", "records": []},
            "dnskey": {"name": "example.test.", "status": "no-data", "records": []}
        },
        "client_subnets": [
            {"subnet": "203.0.113.0/24", "resolver": "127.0.0.53:53",
             "a": lookup(&["203.0.113.7", "127.0.0.1"], &[("www.example.test.", "e1.fastly.net.")]),
             "aaaa": lookup(&[], &[]), "scope_prefix": 24}
        ]
    });
    // The fixture is a complete dns.resolve observation.
    serde_json::from_value::<kensa_probe_dns::Observation>(dns.clone()).unwrap();

    // A real x509.chain observation of the fixture chain, its leaf's issuer then rewritten
    // to a name whose O holds an escaped comma and a fake `C=`.
    let mut chain = pem_certs(&fixture("../pki/leaf-rsa.pem"));
    chain.extend(pem_certs(&fixture("../pki/inter-rsa.pem")));
    let x509 = kensa_probe_x509::analyse(&kensa_probe_x509::Input {
        host: "www.example.test".into(),
        scan_time: now,
        chains: vec![kensa_probe_x509::ChainInput {
            label: "fixture".into(),
            certificates: chain,
            ocsp_response: None,
        }],
        trust_stores: &[],
        caa: None,
        extra_cas: &[],
    });
    let mut x509 = serde_json::to_value(&x509).unwrap();
    let leaf = &mut x509["chains"][0]["certificates"][0]["details"];
    assert_eq!(
        leaf["issuer"],
        "CN=Kensa Test Intermediate RSA,O=Kensa Test CA"
    );
    leaf["issuer"] = json!("CN=Kensa Test Intermediate RSA,O=Kensa Test\\, C=US Branch,C=jp");
    leaf["issuer_organization"] = json!("Kensa Test, C=US Branch");

    let probe = GeoProbe {
        classifier: Ok(Arc::new(Classifier {
            databases: vec![
                GeoDb::open(std::path::Path::new(&fixture("flat-country.mmdb"))).unwrap(),
                GeoDb::open(std::path::Path::new(&fixture("asn.mmdb"))).unwrap(),
            ],
            // The fixtures use loopback and documentation prefixes.
            allow_special_purpose: true,
            ..Classifier::default()
        })),
        vantage: None,
        sources: Arc::new(Vec::new()),
    };
    let mut target = Target::new(
        TargetId::new("p/www.example.test:443"),
        Host::Name("www.example.test".into()),
        443,
    );
    target.addresses = vec!["127.0.0.9".parse().unwrap()];
    target.declared_country = Some("JP".into());
    let net = Net::with_clock(
        Arc::new(TcpConnector),
        Limits::default(),
        true,
        Arc::new(ManualClock::new(now)),
    );
    let earlier = [
        Earlier {
            probe: "dns.resolve",
            outcome: Outcome::Success,
            observation: raw(&dns),
            chains: None,
        },
        Earlier {
            probe: "x509.chain",
            outcome: Outcome::Success,
            observation: raw(&x509),
            chains: None,
        },
    ];
    let r = probe.run(&target, &net.scope(&target), &earlier).await;
    assert_eq!(r.outcome, Outcome::Success, "{:?}", r.error);
    assert_eq!(
        r.summary,
        "JP: 7 addresses NOT all in country (0 verified, 0 consistent, 2 unverified, 5 out, \
         0 conflicting, 0 unknown)"
    );
    let o: serde_json::Value = serde_json::from_str(r.observation.unwrap().get()).unwrap();
    assert_eq!(o["addresses_from"], "dns.resolve");
    let placed = |list: &serde_json::Value| -> Vec<(String, String, String)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["address"].as_str().unwrap().to_owned(),
                    a["status"].as_str().unwrap().to_owned(),
                    a["rule"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let t = |a: &str, s: &str, r: &str| (a.to_owned(), s.to_owned(), r.to_owned());
    // Every resolver's answers, then the client subnet's new address; not the target's own.
    assert_eq!(
        placed(&o["residency"]["addresses"]),
        [
            t("127.0.0.1", "in-country", "db-only"),
            t("2001:db8::1", "out-of-country", "db-elsewhere"),
            t("192.0.2.10", "out-of-country", "db-elsewhere"),
            t("203.0.113.7", "out-of-country", "db-elsewhere"),
        ]
    );
    let ns = o["residency"]["name_servers"].as_array().unwrap();
    assert_eq!(ns.len(), 2);
    assert_eq!(ns[0]["name"], "ns1.example.test.");
    assert_eq!(
        placed(&ns[0]["addresses"]),
        [t("198.51.100.53", "out-of-country", "db-elsewhere")]
    );
    assert_eq!(ns[1]["name"], "ns2.example.test.");
    assert_eq!(
        placed(&ns[1]["addresses"]),
        [
            t("127.0.0.2", "in-country", "db-only"),
            t("2001:db8::53", "out-of-country", "db-elsewhere"),
        ]
    );
    assert_eq!(o["residency"]["all_in_country"], "no");

    let j = &o["jurisdiction"];
    assert_eq!(j["endpoint"], "p/www.example.test:443");
    let nets = |list: &serde_json::Value| -> Vec<(String, String, u64, String)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["host"].as_str().unwrap().to_owned(),
                    n["address"].as_str().unwrap().to_owned(),
                    n["asn"].as_u64().unwrap(),
                    n["located_country"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let n = |h: &str, a: &str, asn: u64, c: &str| (h.to_owned(), a.to_owned(), asn, c.to_owned());
    let ep = "p/www.example.test:443";
    assert_eq!(
        nets(&j["networks"]),
        [
            n(ep, "127.0.0.1", 64500, "JP"),
            n(ep, "2001:db8::1", 64504, "AU"),
            n(ep, "192.0.2.10", 64501, "GB"),
            n(ep, "203.0.113.7", 64503, "US"),
        ]
    );
    assert_eq!(j["networks"][0]["as_org"], "Loopback Example KK");
    assert_eq!(
        nets(&j["dns_operators"]),
        [
            n("ns1.example.test.", "198.51.100.53", 64502, "FR"),
            n("ns2.example.test.", "127.0.0.2", 64500, "JP"),
            n("ns2.example.test.", "2001:db8::53", 64504, "AU"),
        ]
    );
    let cdn_source = |c: &str| {
        kensa_probe_geo::verdict::cdn_from_cnames(&[c.to_owned()])
            .first()
            .unwrap()
            .source
            .clone()
    };
    assert_eq!(
        j["cdns"],
        json!([
            {"cdn": "Akamai", "via": "cname",
             "matched": "www.example.test.edgekey.net ~ .edgekey.net",
             "source": cdn_source("x.edgekey.net")},
            {"cdn": "Amazon CloudFront", "via": "cname",
             "matched": "d111111abcdef8.CloudFront.net ~ .cloudfront.net",
             "source": cdn_source("x.cloudfront.net")},
            {"cdn": "Fastly", "via": "cname", "matched": "e1.fastly.net ~ .fastly.net",
             "source": cdn_source("x.fastly.net")},
        ])
    );
    assert_eq!(
        j["certificate_issuer"],
        json!({"organization": "Kensa Test, C=US Branch", "country": "JP"})
    );

    // A multi-valued RDN carries the country too; an issuer without one has none.
    let mut x = x509.clone();
    x["chains"][0]["certificates"][0]["details"]["issuer"] = json!("CN=Example R1+C=DE,O=Example");
    let earlier2 = [Earlier {
        probe: "x509.chain",
        outcome: Outcome::Success,
        observation: raw(&x),
        chains: None,
    }];
    let r = probe.run(&target, &net.scope(&target), &earlier2).await;
    let o: serde_json::Value = serde_json::from_str(r.observation.unwrap().get()).unwrap();
    assert_eq!(o["jurisdiction"]["certificate_issuer"]["country"], "DE");
    // Without dns.resolve the target's own addresses are placed.
    assert_eq!(o["addresses_from"], "target");
    assert_eq!(
        placed(&o["residency"]["addresses"]),
        [t("127.0.0.9", "in-country", "db-only")]
    );
    assert_eq!(o["jurisdiction"]["cdns"], json!([]));
}

/// CRC-32 (IEEE 802.3, as gzip uses it: RFC 1952 §8).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A gzip member (RFC 1952) holding `data` in stored deflate blocks (RFC 1951 §3.2.4).
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let chunks: Vec<&[u8]> = if data.is_empty() {
        vec![&[]]
    } else {
        data.chunks(65_535).collect()
    };
    for (i, c) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = u16::try_from(c.len()).unwrap();
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(c);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
    out
}

/// An npm package tarball (`package/NAME` entries), gzip'd.
fn package_tgz(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, format!("package/{name}"), *data)
            .unwrap();
    }
    gzip_stored(&b.into_inner().unwrap())
}

fn sri(data: &[u8]) -> String {
    use base64::Engine as _;
    let d = ring::digest::digest(&ring::digest::SHA512, data);
    format!(
        "sha512-{}",
        base64::engine::general_purpose::STANDARD.encode(d.as_ref())
    )
}

fn sha256_hex(data: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, data)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A stand-in for the npm registry on 127.0.0.1 serving the two default packages
/// (`@ip-location-db/geo-whois-asn-country-mmdb` with the fixture flat-country database, and
/// `@ip-location-db/asn` with a small ASN table), one HTTP/1.1 request per connection, for
/// at most 16 connections. Returns the base URL and each package's (name, files, tarball).
type Served = Vec<(&'static str, Vec<(&'static str, Vec<u8>)>, Vec<u8>)>;
fn loopback_registry() -> (String, Served) {
    loopback_registry_over(None)
}

/// As [`loopback_registry`], over HTTPS with `tls` when given (base `https://127.0.0.1:PORT`).
fn loopback_registry_over(tls: Option<std::sync::Arc<rustls::ServerConfig>>) -> (String, Served) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let scheme = if tls.is_some() { "https" } else { "http" };
    let base = format!("{scheme}://{}", listener.local_addr().unwrap());
    let mmdb = std::fs::read(fixture("flat-country.mmdb")).unwrap();
    let packages: Served = [
        (
            "@ip-location-db/geo-whois-asn-country-mmdb",
            vec![
                ("geo-whois-asn-country.mmdb", mmdb),
                ("NRO_LICENSE", b"CC BY 4.0 (NRO)".to_vec()),
            ],
        ),
        (
            "@ip-location-db/asn",
            vec![
                (
                    "asn-ipv4.csv",
                    b"127.0.0.0,127.255.255.255,64500,\"Loopback, KK\"\n".to_vec(),
                ),
                (
                    "asn-ipv6.csv",
                    b"2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,64504,Doc Pty\n".to_vec(),
                ),
                ("NRO_LICENSE", b"CC BY 4.0 (NRO)".to_vec()),
                ("DBIP-LICENSE", b"CC BY 4.0 (DB-IP)".to_vec()),
                ("ROUTEVIEWS-LICENSE", b"CC BY 4.0 (RouteViews)".to_vec()),
            ],
        ),
    ]
    .into_iter()
    .map(|(name, files)| {
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, d)| (*n, d.as_slice())).collect();
        let tgz = package_tgz(&refs);
        (name, files, tgz)
    })
    .collect();
    let mut routes = std::collections::HashMap::new();
    for (name, _, tgz) in &packages {
        let tar_path = format!("/{name}/-/pkg-9.9.9.tgz");
        let meta = serde_json::json!({
            "name": name, "version": "9.9.9",
            "dist": {"tarball": format!("{base}{tar_path}"), "integrity": sri(tgz)}
        });
        routes.insert(
            format!("/{}/latest", name.replace('/', "%2f")),
            serde_json::to_vec(&meta).unwrap(),
        );
        routes.insert(tar_path, tgz.clone());
    }
    std::thread::spawn(move || {
        for _ in 0..16 {
            let Ok((tcp, _)) = listener.accept() else {
                return;
            };
            let mut s: Box<dyn ReadWrite> = match &tls {
                Some(cfg) => {
                    let Ok(conn) = rustls::ServerConnection::new(std::sync::Arc::clone(cfg)) else {
                        return;
                    };
                    Box::new(rustls::StreamOwned::new(conn, tcp))
                }
                None => Box::new(tcp),
            };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(k) => buf.extend_from_slice(&chunk[..k]),
                }
            }
            let req = String::from_utf8_lossy(&buf).into_owned();
            let path = req.split_whitespace().nth(1).unwrap_or("/");
            let (status, body) = match routes.get(path) {
                Some(b) => ("200 OK", b.clone()),
                None => ("404 Not Found", b"not found".to_vec()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(&body);
            let _ = s.flush();
        }
    });
    (base, packages)
}

trait ReadWrite: std::io::Read + std::io::Write {}
impl<T: std::io::Read + std::io::Write> ReadWrite for T {}

/// kensa without the environment's proxies, so a loopback download stays on loopback.
fn kensa_no_proxy() -> std::process::Command {
    let mut c = kensa();
    for v in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        c.env_remove(v);
    }
    c
}

/// `kensa geodb update` from a loopback registry, then `kensa geodb status` on what it
/// installed; a registry that is not HTTPS (and not loopback) is refused before any request.
#[test]
fn geodb_update_and_status_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_s = data.to_str().unwrap();

    // Plain http to a non-loopback address: a usage error, nothing fetched or written.
    let o = kensa_no_proxy()
        .args(["geodb", "update", "--data-dir", data_s])
        .args(["--registry", "http://192.0.2.1:4873/"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "--registry: geodb update: http://192.0.2.1:4873: not HTTPS; only https:// URLs \
             are fetched (http:// only to a loopback address such as 127.0.0.1)"
        ),
        "{err}"
    );
    assert!(!data.exists());

    // Nothing installed yet.
    let o = kensa_no_proxy()
        .args(["geodb", "status", "--data-dir", data_s])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("nothing installed in {data_s} (run `kensa geodb update`)\n")
    );

    let (base, packages) = loopback_registry();
    let o = kensa_no_proxy()
        .args(["--json", "geodb", "update", "--data-dir", data_s])
        .args(["--registry", &base])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let installed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();

    let o = kensa_no_proxy()
        .args(["--json", "geodb", "status", "--data-dir", data_s])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let status: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(status, installed, "status shows what update installed");
    let fetched_at = status["manifest"]["packages"][0]["fetched_at"].clone();
    assert!(fetched_at.as_str().unwrap().ends_with('Z'), "{fetched_at}");
    // Sorted by package name: asn first.
    let expected_pkgs: Vec<serde_json::Value> = packages
        .iter()
        .rev()
        .map(|(name, files, tgz)| {
            let dir = kensa_probe_geo::geodb::package_dir(name);
            serde_json::json!({
                "package": name,
                "version": "9.9.9",
                "tarball": format!("{base}/{name}/-/pkg-9.9.9.tgz"),
                "integrity": sri(tgz),
                "fetched_at": fetched_at,
                "files": files.iter().map(|(f, d)| serde_json::json!({
                    "path": format!("{dir}/{f}"), "bytes": d.len(), "sha256": sha256_hex(d)
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    assert_eq!(
        status,
        serde_json::json!({"data_dir": data_s, "manifest": {"packages": expected_pkgs}})
    );

    // The text form: the directory, then one line per package.
    let o = kensa_no_proxy()
        .args(["geodb", "status", "--data-dir", data_s])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0], format!("data directory {data_s}"));
    for (line, want) in lines[1..].iter().zip(&expected_pkgs) {
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(line).unwrap(),
            *want
        );
    }

    // A scan with no --geoip uses the installed database and names its package.
    let cat = write(
        dir.path(),
        "catalog.toml",
        "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-3\"\n\
         [[provider.endpoint]]\nhost = \"127.0.0.1\"\nport = 9\n",
    );
    let out = dir.path().join("run");
    let status = kensa_no_proxy()
        .args(["scan", cat.to_str().unwrap(), "--allow-private", "-q"])
        .args(["--probes", "geo.residency", "--data-dir", data_s])
        .args(["--out", out.to_str().unwrap()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let ev = evidence(&out);
    let o = &ev[0]["observation"];
    let mmdb = &packages[0].1[0].1;
    let mut want = serde_json::json!({
        "kind": "database", "file": "geo-whois-asn-country.mmdb",
        "detail": "country ipvAll", "build_date": "2026-06-17T00:00:00Z",
        "package": format!(
            "@ip-location-db/geo-whois-asn-country-mmdb@9.9.9 (sha256 {})",
            sha256_hex(mmdb)
        )
    });
    // The fixture database was built 2026-06-17: stale (recorded only when true) from
    // 2026-09-16 on, judged at scan time.
    let built = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_781_654_400);
    let age_days = std::time::SystemTime::now()
        .duration_since(built)
        .map_or(0, |d| d.as_secs() / 86_400);
    if age_days > 90 {
        want["stale"] = serde_json::json!(true);
    }
    assert_eq!(o["sources"][0], want);
    assert_eq!(o["residency"]["addresses"][0]["rule"], "db-only");
    assert_eq!(
        o["jurisdiction"]["networks"][0]["as_org"], "Loopback, KK",
        "the installed ASN table is used"
    );
}

/// kensa's own HTTPS connections trust the operating system's certificate store (issue 15):
/// behind a TLS-inspecting proxy whose CA the system trusts, `kensa geodb update` works without
/// `--ca-file`. The "system store" here is the file `SSL_CERT_FILE` names (what
/// rustls-native-certs reads first, as OpenSSL does); the registry on 127.0.0.1 presents a
/// certificate from a CA that only that file holds. Without it the download fails on the
/// certificate; with `--ca-file` instead it works too. Judging targets never uses this store.
#[test]
fn geodb_update_trusts_the_system_store() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "Inspecting Proxy CA (test)");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let ca_issuer = rcgen::Issuer::new(ca, ca_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca_issuer)
        .unwrap();
    let server = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    let server = std::sync::Arc::new(server);

    let dir = tempfile::tempdir().unwrap();
    let ca_file = write(dir.path(), "proxy-ca.pem", &ca_cert.pem());
    let empty_dir = dir.path().join("no-certs");
    std::fs::create_dir(&empty_dir).unwrap();
    let update = |data: &str, base: &str, system: Option<&std::path::Path>, extra: &[&str]| {
        let mut c = kensa_no_proxy();
        c.args(["--json", "geodb", "update", "--data-dir", data])
            .args(["--registry", base])
            .args(extra)
            // The machine's own store must not decide the test: an empty directory and,
            // for the system-store case, the proxy CA's file.
            .env("SSL_CERT_DIR", &empty_dir);
        match system {
            Some(f) => c.env("SSL_CERT_FILE", f),
            None => c.env("SSL_CERT_FILE", dir.path().join("absent.pem")),
        };
        c.output().unwrap()
    };

    // The proxy CA in the system store: the update succeeds and installs both packages.
    let (base, _) = loopback_registry_over(Some(std::sync::Arc::clone(&server)));
    let data = dir.path().join("a");
    let o = update(data.to_str().unwrap(), &base, Some(&ca_file), &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let installed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        installed["manifest"]["packages"].as_array().unwrap().len(),
        2,
        "{installed}"
    );

    // Not in the system store: refused on the certificate, nothing installed.
    let (base, _) = loopback_registry_over(Some(std::sync::Arc::clone(&server)));
    let data = dir.path().join("b");
    let o = update(data.to_str().unwrap(), &base, None, &[]);
    assert_ne!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("UnknownIssuer"), "{err}");
    let left: Vec<_> = std::fs::read_dir(&data)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.file_name())).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "nothing installed: {left:?}");

    // --ca-file instead of the system store works as well.
    let (base, _) = loopback_registry_over(Some(server));
    let data = dir.path().join("c");
    let ca = ca_file.to_str().unwrap().to_owned();
    let o = update(data.to_str().unwrap(), &base, None, &["--ca-file", &ca]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
