//! A small run for the report tests, written with the real evidence writer (so the hash
//! chain verifies) from the `fixtures/assess/` documents: two providers, three targets, with
//! latency samples, residency sources and certificate validity filled in. `Hostile` puts
//! attacker-chosen strings where the network supplies them (certificate subject and DNS
//! name, the `Server` header, the HSTS header, a name server's name).
#![allow(dead_code, missing_docs, unreachable_pub)]

use std::path::{Path, PathBuf};

use kensa::evidence::{EvidenceWriter, Record, RunStatus};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;

/// The report's "today" in these tests (the fixtures' scan time).
pub const NOW: OffsetDateTime = datetime!(2026-11-22 00:00:00 UTC);

/// Strings a hostile server controls.
#[derive(Clone, Debug)]
pub struct Hostile {
    /// Goes into the leaf certificate's CN.
    pub cn: String,
    /// Goes into the leaf's SAN DNS names.
    pub dns: String,
    /// Goes into the `Server` header and the raw HSTS header.
    pub header: String,
}

fn fixture(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/assess")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

const PROBE_ORDER: [&str; 6] = [
    "dns.resolve",
    "latency.tcp",
    "tls.scan",
    "x509.chain",
    "http.headers",
    "geo.residency",
];

fn latency(addresses: &[(&str, &[u64], usize)]) -> Value {
    let list: Vec<Value> = addresses
        .iter()
        .map(|(a, samples, failed)| {
            let mut s = samples.to_vec();
            s.sort_unstable();
            let rank = |p: usize| s[((p * s.len()).div_ceil(100).max(1)) - 1];
            let stats = if s.is_empty() {
                Value::Null
            } else {
                json!({"n": s.len(), "min_us": s[0], "median_us": rank(50), "p90_us": rank(90),
                       "max_us": s[s.len() - 1]})
            };
            let failures: Vec<Value> = (0..*failed)
                .map(|i| json!({"sample": i, "outcome": "timeout", "error": "connect timed out"}))
                .collect();
            json!({"address": a, "family": "ipv4", "samples_us": samples, "failures": failures,
                   "stats": stats})
        })
        .collect();
    json!({"port": 443, "samples_per_address": 5, "connect_timeout_ms": 3000,
           "addresses": list, "families": {}})
}

fn address_residency(address: &str, status: &str, db_country: &str, feed: &str) -> Value {
    let prefix = format!("{}.0/24", address.rsplit_once('.').unwrap().0);
    json!({
        "address": address,
        "declared_country": "JP",
        "status": status,
        "strength": if status == "in-country" { json!("verified") } else { Value::Null },
        "rule": if status == "in-country" { "range-and-db" } else { "db-elsewhere" },
        "supporting": [format!("range:{feed}#line 3"), "db:fixture-country.mmdb".to_owned()],
        "disagreeing": [],
        "other_countries": if db_country == "JP" { json!([]) } else { json!([db_country]) },
        "evidence": {
            "ranges": [{
                "prefix": prefix, "provider": feed, "service": null,
                "region": "JP-13", "country": "JP", "country_basis": "geofeed", "city": "Tokyo",
                "source": feed, "location": "line 3"
            }],
            "databases": [{
                "database": "fixture-country.mmdb", "database_type": "ipinfo country",
                "build_date": "2026-11-01T00:00:00Z", "stale": false,
                "answer": {"database": "fixture-country.mmdb", "network": prefix,
                           "country": db_country, "registered_country": db_country, "city": null,
                           "latitude": null, "longitude": null, "asn": null, "as_org": null}
            }],
            "asn": {"asn": 64500, "org": "Fixture Net", "range": "192.0.2.0-192.0.2.255",
                    "source": "asn.csv"},
            "physics": null,
            "special_purpose": null
        }
    })
}

fn set_leaf(doc: &mut Value, subject: &str, dns: &[&str], not_before: &str, not_after: &str) {
    let leaf =
        &mut doc["probes"]["x509.chain"]["observation"]["chains"][0]["certificates"][0]["details"];
    leaf["subject"] = json!(subject);
    leaf["san"]["dns"] = json!(dns);
    leaf["validity"]["not_before"] = json!(not_before);
    leaf["validity"]["not_after"] = json!(not_after);
}

fn retarget(doc: &mut Value, provider: &str, host: &str, addresses: &[&str]) {
    doc["target"] = json!({
        "id": format!("{provider}/{host}:443"), "provider": provider, "host": host, "port": 443,
        "addresses": addresses, "address_source": "resolved"
    });
}

/// The target documents of the run (before writing).
pub fn docs(hostile: Option<&Hostile>) -> Vec<Value> {
    // Acme: modern, two serving addresses in Japan.
    let mut acme = fixture("modern");
    retarget(
        &mut acme,
        "acme",
        "www.acme.test",
        &["192.0.2.10", "192.0.2.11"],
    );
    acme["probes"]["latency.tcp"]["observation"] = latency(&[
        ("192.0.2.10", &[1200, 1350, 1100, 2900, 1250], 0),
        ("192.0.2.11", &[3100, 2800, 3050, 5200], 1),
    ]);
    set_leaf(
        &mut acme,
        "CN=www.acme.test",
        &["www.acme.test", "acme.test"],
        "2026-10-01T00:00:00Z",
        "2026-12-30T00:00:00Z",
    );
    let r = &mut acme["probes"]["geo.residency"]["observation"]["residency"];
    r["addresses"] = json!([
        address_residency("192.0.2.10", "in-country", "JP", "acme-geofeed.csv"),
        address_residency("192.0.2.11", "in-country", "JP", "acme-geofeed.csv")
    ]);
    r["name_servers"] = json!([{"name": "ns1.acme.test.",
        "addresses": [address_residency("192.0.2.53", "in-country", "JP", "acme-geofeed.csv")]}]);
    acme["probes"]["http.headers"]["observation"]["response"]["server"] = json!("acme-edge/2.1");
    // Acme's API: intermediate, TLS 1.2 + 1.3; the latency and HTTP probes timed out (no
    // latency rows; the HSTS control is inconclusive).
    let mut api = fixture("intermediate");
    retarget(&mut api, "acme", "api.acme.test", &["192.0.2.20"]);
    api["probes"]["latency.tcp"] = json!({"outcome": "timeout", "observation": null});
    api["probes"]["http.headers"] = json!({"outcome": "timeout", "observation": null});
    set_leaf(
        &mut api,
        "CN=api.acme.test",
        &["api.acme.test"],
        "2026-06-01T00:00:00Z",
        "2027-05-01T00:00:00Z",
    );
    // OldCo: legacy, one address the database places in the US, certificate expired.
    let mut old = fixture("legacy");
    retarget(&mut old, "oldco", "legacy.oldco.test", &["198.51.100.7"]);
    old["probes"]["latency.tcp"]["observation"] = latency(&[(
        "198.51.100.7",
        &[98_000, 101_500, 99_200, 140_000, 97_800],
        0,
    )]);
    set_leaf(
        &mut old,
        "CN=legacy.oldco.test,O=OldCo",
        &["legacy.oldco.test"],
        "2023-11-01T00:00:00Z",
        "2026-10-23T00:00:00Z",
    );
    let r = &mut old["probes"]["geo.residency"]["observation"]["residency"];
    r["addresses"] = json!([address_residency(
        "198.51.100.7",
        "out-of-country",
        "US",
        "oldco-geofeed.csv"
    )]);
    if let Some(h) = hostile {
        let leaf = &mut acme["probes"]["x509.chain"]["observation"]["chains"][0]["certificates"][0]
            ["details"];
        leaf["subject"] = json!(format!("CN={}", h.cn));
        leaf["san"]["dns"] = json!([h.dns.clone(), "www.acme.test"]);
        // CERT-NAME-001 records the hostname match: put the DNS name there too.
        acme["probes"]["x509.chain"]["observation"]["chains"][0]["hostname"]["matched_by"] =
            json!(h.dns.clone());
        let resp = &mut acme["probes"]["http.headers"]["observation"]["response"];
        resp["server"] = json!(h.header.clone());
        resp["hsts"]["raw"] = json!(h.header.clone());
        acme["probes"]["geo.residency"]["observation"]["residency"]["name_servers"][0]["name"] =
            json!(h.dns.clone());
    }
    vec![acme, api, old]
}

/// A record from its type and data, through a string with the tag first (the observation is
/// a `RawValue`, which cannot be buffered).
fn record(kind: &str, data: &Value) -> Record {
    serde_json::from_str(&format!("{{\"type\":\"{kind}\",\"data\":{data}}}")).unwrap()
}

/// Write the run into `dir/run` and return the run directory.
pub fn write_run(dir: &Path, hostile: Option<&Hostile>) -> PathBuf {
    let run = dir.join("run");
    let mut w = EvidenceWriter::create(&run).unwrap();
    let begin = json!({
            "schema_version": 1, "run_id": "fixture-run", "tool": "kensa 0.1.0",
            "started_at": "2026-11-22T00:00:00Z", "catalog": "catalog.toml",
            "providers": 2, "endpoints": 3, "probes": [], "settings": {},
            "provider_details": [
                {"id": "acme", "name": "Acme Cloud", "declared_country": "JP",
                 "applies_for": "kensa-level-2"},
                {"id": "oldco", "name": "OldCo Hosting", "declared_country": "JP",
                 "applies_for": "mozilla-intermediate"}
            ]
    });
    w.append(&record("run-begin", &begin)).unwrap();
    for doc in docs(hostile) {
        for probe in PROBE_ORDER {
            let Some(p) = doc["probes"].get(probe) else {
                continue;
            };
            let outcome = p["outcome"].as_str().unwrap();
            let mut data = json!({
                "schema_version": 1, "run_id": "fixture-run", "target": doc["target"],
                "probe": probe, "probe_version": "1", "started_at": "2026-11-22T00:00:00Z",
                "elapsed_us": 1000, "outcome": outcome,
                "fault": if outcome == "success" { "none" } else { "network" },
            });
            if p["observation"].is_null() {
                data["error"] = json!(format!("{probe}: {outcome}"));
            } else {
                data["observation"] = p["observation"].clone();
            }
            w.append(&record("evidence", &data)).unwrap();
        }
    }
    w.finish(
        "fixture-run",
        "2026-11-22T00:01:00Z".into(),
        RunStatus::Complete,
    )
    .unwrap();
    run
}

/// A run of `providers` providers with `per_provider` targets each, copies of the fixture's
/// three documents (modern, a timeout, legacy) under new ids: for the report at scale.
pub fn write_large_run(dir: &Path, providers: usize, per_provider: usize) -> PathBuf {
    let run = dir.join("large-run");
    let mut w = EvidenceWriter::create(&run).unwrap();
    let details: Vec<Value> = (0..providers)
        .map(|i| {
            json!({"id": format!("prov{i}"), "name": format!("Provider {i}"),
                   "declared_country": "JP", "applies_for": "kensa-level-2"})
        })
        .collect();
    let begin = json!({
            "schema_version": 1, "run_id": "large-run", "tool": "kensa 0.1.0",
            "started_at": "2026-11-22T00:00:00Z", "catalog": "catalog.toml",
            "providers": providers, "endpoints": providers * per_provider, "probes": [],
            "settings": {}, "provider_details": details
    });
    w.append(&record("run-begin", &begin)).unwrap();
    let base = docs(None);
    for i in 0..providers {
        for j in 0..per_provider {
            let mut doc = base[j % base.len()].clone();
            let host = format!("h{j}.prov{i}.test");
            doc["target"]["id"] = json!(format!("prov{i}/{host}:443"));
            doc["target"]["provider"] = json!(format!("prov{i}"));
            doc["target"]["host"] = json!(host);
            for probe in PROBE_ORDER {
                let Some(p) = doc["probes"].get(probe) else {
                    continue;
                };
                let outcome = p["outcome"].as_str().unwrap();
                let mut data = json!({
                    "schema_version": 1, "run_id": "large-run", "target": doc["target"],
                    "probe": probe, "probe_version": "1", "started_at": "2026-11-22T00:00:00Z",
                    "elapsed_us": 1000, "outcome": outcome,
                    "fault": if outcome == "success" { "none" } else { "network" },
                });
                if p["observation"].is_null() {
                    data["error"] = json!(format!("{probe}: {outcome}"));
                } else {
                    data["observation"] = p["observation"].clone();
                }
                w.append(&record("evidence", &data)).unwrap();
            }
        }
    }
    w.finish(
        "large-run",
        "2026-11-22T00:01:00Z".into(),
        RunStatus::Complete,
    )
    .unwrap();
    run
}
