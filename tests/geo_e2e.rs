//! Residency end to end: two providers on loopback addresses, the fixture database
//! (`fixtures/geo/flat-country.mmdb`: 127.0.0.0/8 → JP), a geofeed written by the test, and a
//! Tokyo vantage whose sub-millisecond connect times confirm "within ~100 km of Tokyo".

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
    assert_eq!(status.code(), Some(0));
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

    // With Seoul's sub-millisecond disc (about 100 km), Japan is out of reach: the merged
    // verdict says so, naming both vantages.
    let o = kensa()
        .args([
            "--json",
            "residency",
            tokyo.to_str().unwrap(),
            seoul.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let m = &v[0];
    assert_eq!(m["address"], "127.0.0.1");
    let names: Vec<&str> = m["vantages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["vantage"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["tokyo", "seoul"]);
    assert_ne!(m["after"]["status"], "in-country");
    assert_eq!(
        m["after"]["evidence"]["physics"]["declared_possible"],
        false
    );

    // Runs without residency evidence: a clear usage error.
    let o = kensa()
        .args(["residency", dir.path().join("missing").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    drop(a);
}
